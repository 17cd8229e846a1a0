// Limits on what one operation may ask for, checked before anything runs: selection depth, number
// of aliases, and an estimated cost in which a list field's selection counts once per item it may
// return (its `first` argument, or a typical size for lists without one), and the fields that carry
// arrays (strip pixels, spectra, images) count by the size of what they return. Errors carry the
// limit's code (QUERY_TOO_DEEP, TOO_MANY_ALIASES, QUERY_TOO_COSTLY).
import {
  type DocumentNode,
  type FragmentDefinitionNode,
  GraphQLError,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from "graphql";

export interface OperationLimits {
  maxDepth: number;
  maxAliases: number;
  maxCost: number;
}

/** Items assumed for list fields that take no `first` (the upper end of what they hold in practice). */
const LIST_SIZES: Record<string, number> = {
  jobs: 50,
  models: 50,
  datasets: 50,
  apiKeys: 50,
  predictions: 10,
  activationMaps: 10,
  evaluations: 3,
  epochs: 300,
  strips: 2,
  spectra1d: 2,
  splits: 3,
  perClass: 3,
  compareModels: 12,
};

/**
 * Cost of the fields whose value is an array or an encoded image, in units of about 1 KB of answer
 * (a plain field costs 1): a strip's pixels are ~150 KB as base64, a spectrum's columns ~40 KB of
 * JSON numbers, a cutout's PNG ~16 KB. A page of 50 objects with both strips stays well inside the
 * default budget; 200 objects with strips, or the same page under 30 aliases, does not.
 */
const FIELD_COSTS: Record<string, number> = {
  valuesBase64: 150,
  wavelengthAngstrom: 40,
  flux: 40,
  ivar: 40,
  values: 40,
  dataUrl: 16,
};

interface Tally {
  depth: number;
  aliases: number;
  cost: number;
}

function firstArgument(
  args: readonly { name: { value: string }; value: ValueNode }[] | undefined,
  variables: Record<string, unknown>,
): number | null {
  const arg = args?.find((a) => a.name.value === "first");
  if (!arg) return null;
  if (arg.value.kind === Kind.INT) return Number(arg.value.value);
  if (arg.value.kind === Kind.VARIABLE) {
    const value = variables[arg.value.name.value];
    return typeof value === "number" && Number.isFinite(value) ? value : null;
  }
  return null;
}

function measure(
  selectionSet: SelectionSetNode,
  fragments: Map<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
  limits: OperationLimits,
  depth: number,
  multiplier: number,
  visiting: Set<string>,
  tally: Tally,
): void {
  tally.depth = Math.max(tally.depth, depth);
  if (tally.depth > limits.maxDepth || tally.aliases > limits.maxAliases) return; // already over: stop walking
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.alias) tally.aliases++;
      tally.cost += multiplier * (FIELD_COSTS[selection.name.value] ?? 1);
      if (selection.selectionSet) {
        const first = firstArgument(selection.arguments, variables);
        const items = first ?? LIST_SIZES[selection.name.value] ?? 1;
        measure(
          selection.selectionSet,
          fragments,
          variables,
          limits,
          depth + 1,
          multiplier * Math.max(1, Math.min(items, 1e6)),
          visiting,
          tally,
        );
      }
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      measure(selection.selectionSet, fragments, variables, limits, depth, multiplier, visiting, tally);
    } else {
      const name = selection.name.value;
      const fragment = fragments.get(name);
      if (!fragment || visiting.has(name)) continue; // unknown or cyclic: graphql's own rules report it
      visiting.add(name);
      measure(fragment.selectionSet, fragments, variables, limits, depth, multiplier, visiting, tally);
      visiting.delete(name);
    }
  }
}

/** The first limit `operation` breaks, as an error with its code (http 400), or null. */
export function checkOperationLimits(
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
  limits: OperationLimits,
): GraphQLError | null {
  const fragments = new Map(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
  const tally: Tally = { depth: 0, aliases: 0, cost: 0 };
  measure(operation.selectionSet, fragments, variables, limits, 1, 1, new Set(), tally);
  const error = (message: string, code: string) =>
    new GraphQLError(message, { extensions: { code, http: { status: 400 } } });
  if (tally.depth > limits.maxDepth)
    return error(`The operation is nested deeper than ${limits.maxDepth} levels`, "QUERY_TOO_DEEP");
  if (tally.aliases > limits.maxAliases)
    return error(`The operation has more than ${limits.maxAliases} aliases`, "TOO_MANY_ALIASES");
  if (tally.cost > limits.maxCost) {
    return error(
      `The operation's estimated cost ${Math.round(tally.cost)} exceeds ${limits.maxCost}: ask for fewer items or fields`,
      "QUERY_TOO_COSTLY",
    );
  }
  return null;
}
