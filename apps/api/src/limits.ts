// Limits on what one operation may ask for, checked before anything runs: selection depth, number
// of aliases, and an estimated cost that is an upper bound of what the resolvers will fetch.
//
// The unit of cost is about 1 KB of answer. A number, id, enum value or date costs 0.1, a text 1, a
// JSON value 16, and each occurrence its response name's bytes. A field below a list or a page
// counts once per item the list may hold: the value of its size argument exactly as the resolver
// will see it (a literal, a variable, the variable's default, the schema's default, the resolver's
// own default; anything unknown counts as the resolver's maximum), a data-dependent bound for lists
// without one (how many models there are: `ListSizes`), or a fixed bound. Fields that carry arrays
// or encoded images count by the bytes of their largest possible value (the stored-data bounds in
// @macnet/db that ingest enforces), and the sky map's packed arrays by bytes per object.
// Errors carry the limit's code (QUERY_TOO_DEEP, TOO_MANY_ALIASES, QUERY_TOO_COSTLY), http 400.
import { CUTOUT_SIDE_PX, MAX_SPECTRUM_PIXELS, MAX_STRIP_LENGTH_PX, STRIP_ROWS } from "@macnet/db";
import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLArgument,
  type GraphQLCompositeType,
  type GraphQLError,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  getNamedType,
  isCompositeType,
  isEnumType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type VariableDefinitionNode,
  valueFromASTUntyped,
} from "graphql";
import { refusal } from "./errors.ts";
import { MAX_AUDIT_ENTRIES } from "./modules/audits/resolvers.ts";
import { MAX_JOBS } from "./modules/jobs/resolvers.ts";
import { MAX_PAGE_SIZE, MAX_SKY_MAP } from "./modules/objects/find-objects.ts";
import { MAX_OBJECT_VERDICTS, MAX_QUEUE, MAX_VERDICTS } from "./modules/reviews/resolvers.ts";

export interface OperationLimits {
  maxDepth: number;
  maxAliases: number;
  maxCost: number;
}

/** Counts the estimate needs from the database (how many models there are …): see list-sizes.ts. */
export type ListSizes = Readonly<Record<DataSizedList, number>>;
export type DataSizedList = "models" | "datasets" | "apiKeys" | "labelAudits" | "epochsPerJob" | "mapsPerObject";

/**
 * Fields whose size an argument sets: which argument, what the resolver uses when it is null or
 * absent, and the most it accepts. `packed`: the items are packed into a few array fields of one
 * object (the sky map), so only those fields (PER_ITEM_UNITS) count per item.
 */
const SIZED_BY_ARGUMENT: Record<string, { argument: string; resolverDefault: number; max: number; packed?: true }> = {
  "Query.objects": { argument: "first", resolverDefault: 50, max: MAX_PAGE_SIZE },
  "Query.jobs": { argument: "first", resolverDefault: 50, max: MAX_JOBS },
  "LabelAudit.entries": { argument: "limit", resolverDefault: 50, max: MAX_AUDIT_ENTRIES },
  "Query.skyMap": { argument: "limit", resolverDefault: 100_000, max: MAX_SKY_MAP, packed: true },
  "Query.reviewQueue": { argument: "limit", resolverDefault: 20, max: MAX_QUEUE },
  "Query.labelVerdicts": { argument: "limit", resolverDefault: 50, max: MAX_VERDICTS },
  "CelestialObject.verdicts": { argument: "limit", resolverDefault: 50, max: MAX_OBJECT_VERDICTS },
  "LabelAuditEntry.verdicts": { argument: "limit", resolverDefault: 50, max: MAX_OBJECT_VERDICTS },
};

/** Lists bounded by what the database holds (a floor keeps a just-created row from being missed). */
const DATA_SIZED_LISTS: Record<string, (sizes: ListSizes) => number> = {
  "Query.models": (s) => s.models,
  "Query.datasets": (s) => s.datasets,
  "Query.apiKeys": (s) => s.apiKeys,
  "Query.labelAudits": (s) => Math.min(100, s.labelAudits),
  "Job.models": (s) => s.models,
  "LabelAudit.models": (s) => s.models,
  "CelestialObject.predictions": (s) => s.models,
  "CelestialObject.activationMaps": (s) => s.mapsPerObject,
  "Job.epochs": (s) => s.epochsPerJob,
};

/** Lists that `modelId` narrows to one model's items. */
const PER_MODEL_LISTS: Record<string, number> = {
  "CelestialObject.predictions": 1,
  "CelestialObject.activationMaps": 9,
};

/** Lists with a fixed bound (unique keys, the three classes, the comparison's 12 models …). */
const FIXED_LISTS: Record<string, number> = {
  "ActivationMap.shape": 2,
  "CelestialObject.missingModalities": 3,
  "CelestialObject.spectra1d": 2, // unique per survey: LAMOST, SDSS
  "CelestialObject.strips": 2, // unique per arm
  "Dataset.blueWindow": 2,
  "Dataset.redWindow": 2,
  "Dataset.ratios": 3,
  "Dataset.splits": 3,
  "Evaluation.classOrder": 3,
  "Evaluation.confusionMatrix": 3,
  "Evaluation.perClass": 3,
  "Evaluation.reliability": 20,
  "Evaluation.reliabilityUncalibrated": 20,
  "Model.blueWindow": 2,
  "Model.redWindow": 2,
  "Model.evaluations": 3, // unique per split
  "Model.warnings": 10,
  "ModelComparison.confusionDifferences": 12,
  "ModelComparison.evaluations": 12,
  "ModelComparison.models": 12,
  "ObjectConnection.edges": 1, // the page's size is counted at `objects`
  "ObjectStatistics.bySourceAndClass": 64,
  "Query.trainingPresets": 8, // the presets the platform ships (one today)
  "TrainingPreset.architectures": 6,
};

/** A number, flag, enum value, id, date or the braces of an object: at most about 100 bytes. */
const SMALL_UNITS = 0.1;

/**
 * Leaves by their type: text counts as 1 KB (names, paths, messages), JSON values (job parameters and
 * results, hyper-parameters, magnitudes: written by the platform) as 16 KB, everything else as small.
 */
const LEAF_UNITS: Record<string, number> = {
  Int: SMALL_UNITS,
  Float: SMALL_UNITS,
  Boolean: SMALL_UNITS,
  ID: SMALL_UNITS,
  DateTime: SMALL_UNITS,
  String: 1,
  JSON: 16,
};

const leafUnits = (type: GraphQLNamedType) => (isEnumType(type) ? SMALL_UNITS : (LEAF_UNITS[type.name] ?? 1));

/** Bytes of a JSON number as graphql writes a float (e.g. `-1234.5678901234567,`), at most. */
const JSON_FLOAT_BYTES = 24;
const kb = (bytes: number) => Math.ceil(bytes / 1024);

/** Fields whose value is an array or an encoded image: their largest value, in units of ~1 KB. */
const PAYLOAD_UNITS: Record<string, number> = {
  "Strip.valuesBase64": kb(((STRIP_ROWS * MAX_STRIP_LENGTH_PX * 4) / 3) * 4),
  "Strip.wavelengthAngstrom": kb(MAX_STRIP_LENGTH_PX * JSON_FLOAT_BYTES),
  "Spectrum1D.wavelengthAngstrom": kb(MAX_SPECTRUM_PIXELS * JSON_FLOAT_BYTES),
  "Spectrum1D.flux": kb(MAX_SPECTRUM_PIXELS * JSON_FLOAT_BYTES),
  "Spectrum1D.ivar": kb(MAX_SPECTRUM_PIXELS * JSON_FLOAT_BYTES),
  // Grad-CAM maps have at most the input's size: an arm's length, or the cutout's pixels.
  "ActivationMap.values": kb(Math.max(MAX_STRIP_LENGTH_PX, CUTOUT_SIDE_PX ** 2) * JSON_FLOAT_BYTES),
  "ActivationMap.wavelengthAngstrom": kb(MAX_STRIP_LENGTH_PX * JSON_FLOAT_BYTES),
  // A PNG of incompressible 64 × 64 RGB, base64.
  "Cutout.dataUrl": kb(((CUTOUT_SIDE_PX ** 2 * 3 + 1024) / 3) * 4),
};

/** The sky map's packed arrays, in units per object: base64 of 4-byte ids, 8-byte positions, one letter. */
const PER_ITEM_UNITS: Record<string, number> = {
  "SkyMap.idsBase64": 16 / 3 / 1024,
  "SkyMap.raDecBase64": 32 / 3 / 1024,
  "SkyMap.classCodes": 1 / 1024,
};

/** What the sky map holds per object while it packs them (read in chunks: the packed arrays and their base64). */
const PACKED_ROW_UNITS = 32 / 1024;

/** Every list field the estimate knows a bound for (schema tests check that none is missing). */
export function boundedListFields(): string[] {
  return [
    ...Object.keys(SIZED_BY_ARGUMENT),
    ...Object.keys(DATA_SIZED_LISTS),
    ...Object.keys(FIXED_LISTS),
    ...Object.keys(PAYLOAD_UNITS),
  ];
}

/** A list of unknown size: large enough that an unbounded new list field is noticed, not trusted. */
const UNKNOWN_LIST = 1000;

interface Walk {
  schema: GraphQLSchema;
  fragments: Map<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
  variableDefinitions: Map<string, VariableDefinitionNode>;
  sizes: ListSizes;
  limits: OperationLimits;
  visiting: Set<string>;
  depth: number;
  aliases: number;
  cost: number;
}

function isListField(field: GraphQLField<unknown, unknown>): boolean {
  const type = isNonNullType(field.type) ? field.type.ofType : field.type;
  return isListType(type);
}

/**
 * The value the resolver will see for an argument: a literal, a variable's value, the variable's
 * default, the schema's default; null when it is null or absent.
 */
function argumentValue(node: FieldNode, definition: GraphQLArgument | undefined, walk: Walk, name: string): unknown {
  const argument = node.arguments?.find((a) => a.name.value === name);
  if (!argument) return definition?.defaultValue ?? null;
  if (argument.value.kind !== Kind.VARIABLE) return valueFromASTUntyped(argument.value, walk.variables) ?? null;
  const variable = argument.value.name.value;
  if (Object.hasOwn(walk.variables, variable)) return walk.variables[variable] ?? null;
  const defaultValue = walk.variableDefinitions.get(variable)?.defaultValue;
  return defaultValue ? valueFromASTUntyped(defaultValue) : (definition?.defaultValue ?? null);
}

/** How many items a list or sized field may return. */
function itemsOf(key: string, field: GraphQLField<unknown, unknown>, node: FieldNode, walk: Walk): number {
  const sized = SIZED_BY_ARGUMENT[key];
  if (sized) {
    const value = argumentValue(
      node,
      field.args.find((a) => a.name === sized.argument),
      walk,
      sized.argument,
    );
    // Null or absent: the resolver's default; not a finite number: refused later, counted at the maximum.
    const used =
      value === null ? sized.resolverDefault : typeof value === "number" && Number.isFinite(value) ? value : sized.max;
    return Math.max(0, Math.min(sized.max, used));
  }
  // A payload's weight is that of its whole array.
  if (!isListField(field) || PAYLOAD_UNITS[key] !== undefined) return 1;
  const perModel = PER_MODEL_LISTS[key];
  if (perModel !== undefined && argumentValue(node, undefined, walk, "modelId") !== null) return perModel;
  const dataSized = DATA_SIZED_LISTS[key];
  if (dataSized) return dataSized(walk.sizes);
  return FIXED_LISTS[key] ?? UNKNOWN_LIST;
}

function measure(
  selectionSet: SelectionSetNode,
  parent: GraphQLCompositeType,
  walk: Walk,
  depth: number,
  multiplier: number,
  packedItems: number,
): void {
  walk.depth = Math.max(walk.depth, depth);
  if (walk.depth > walk.limits.maxDepth || walk.aliases > walk.limits.maxAliases) return; // over: stop walking
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.alias) walk.aliases++;
      const name = selection.name.value;
      const field = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
      if (!field) {
        walk.cost += multiplier * SMALL_UNITS; // __typename, or a field validation has already refused
        continue;
      }
      const key = `${parent.name}.${name}`;
      const items = itemsOf(key, field, selection, walk);
      const type = getNamedType(field.type);
      // The response name is repeated in every item's answer.
      const named = ((selection.alias ?? selection.name).value.length + 4) / 1024;
      if (selection.selectionSet && isCompositeType(type)) {
        const packed = SIZED_BY_ARGUMENT[key]?.packed === true;
        // A packed field reads its rows whatever is selected of them.
        walk.cost += multiplier * (named + (packed ? items * PACKED_ROW_UNITS : SMALL_UNITS));
        measure(
          selection.selectionSet,
          type,
          walk,
          depth + 1,
          packed ? multiplier : multiplier * items,
          packed ? items : 1,
        );
      } else {
        const perItem = PER_ITEM_UNITS[key];
        const units = perItem !== undefined ? perItem * packedItems : (PAYLOAD_UNITS[key] ?? leafUnits(type)) * items;
        walk.cost += multiplier * (named + units);
      }
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      const condition = selection.typeCondition ? walk.schema.getType(selection.typeCondition.name.value) : parent;
      if (isCompositeType(condition)) measure(selection.selectionSet, condition, walk, depth, multiplier, packedItems);
    } else {
      const name = selection.name.value;
      const fragment = walk.fragments.get(name);
      if (!fragment || walk.visiting.has(name)) continue; // unknown or cyclic: graphql's own rules report it
      const condition = walk.schema.getType(fragment.typeCondition.name.value);
      if (!isCompositeType(condition)) continue;
      walk.visiting.add(name);
      measure(fragment.selectionSet, condition, walk, depth, multiplier, packedItems);
      walk.visiting.delete(name);
    }
  }
}

export interface OperationEstimate {
  depth: number;
  aliases: number;
  /** Upper bound of the answer, in units of about 1 KB. */
  cost: number;
}

/** Depth, aliases and cost of an operation that passed validation. */
export function estimateOperation(options: {
  schema: GraphQLSchema;
  document: DocumentNode;
  operation: OperationDefinitionNode;
  variables: Record<string, unknown>;
  limits: OperationLimits;
  sizes: ListSizes;
}): OperationEstimate {
  const { schema, operation } = options;
  const root =
    operation.operation === "query"
      ? schema.getQueryType()
      : operation.operation === "mutation"
        ? schema.getMutationType()
        : schema.getSubscriptionType();
  const walk: Walk = {
    schema,
    fragments: new Map(
      options.document.definitions
        .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
        .map((d) => [d.name.value, d]),
    ),
    variables: options.variables,
    variableDefinitions: new Map((operation.variableDefinitions ?? []).map((d) => [d.variable.name.value, d])),
    sizes: options.sizes,
    limits: options.limits,
    visiting: new Set(),
    depth: 0,
    aliases: 0,
    cost: 0,
  };
  if (root) measure(operation.selectionSet, root, walk, 1, 1, 1);
  return { depth: walk.depth, aliases: walk.aliases, cost: walk.cost };
}

/** The first limit an estimated operation breaks, as an error with its code (http 400), or null. */
export function limitError(estimate: OperationEstimate, limits: OperationLimits): GraphQLError | null {
  const error = (message: string, code: "QUERY_TOO_DEEP" | "TOO_MANY_ALIASES" | "QUERY_TOO_COSTLY") =>
    refusal(code, message);
  if (estimate.depth > limits.maxDepth)
    return error(`The operation is nested deeper than ${limits.maxDepth} levels`, "QUERY_TOO_DEEP");
  if (estimate.aliases > limits.maxAliases)
    return error(`The operation has more than ${limits.maxAliases} aliases`, "TOO_MANY_ALIASES");
  if (estimate.cost > limits.maxCost) {
    return error(
      `The operation's estimated cost ${Math.round(estimate.cost)} exceeds ${limits.maxCost}: ask for fewer items or fields`,
      "QUERY_TOO_COSTLY",
    );
  }
  return null;
}
