// Resolver types and the published schema, generated from the modules' SDL (`npm run generate`).
import type { CodegenConfig } from "@graphql-codegen/cli";

const config: CodegenConfig = {
  schema: "src/modules/**/*.graphql",
  generates: {
    "src/generated/resolvers-types.ts": {
      plugins: ["typescript", "typescript-resolvers"],
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        contextType: "../context.ts#Context",
        scalars: { DateTime: "Date | string", JSON: "unknown", ID: "string" },
        mapperTypeSuffix: "Parent",
        mappers: {
          CelestialObject: "../mappers.ts#CelestialObject",
          ObjectConnection: "../modules/objects/find-objects.ts#ObjectPage",
          Model: "../mappers.ts#Model",
          Dataset: "../mappers.ts#Dataset",
          Job: "../mappers.ts#Job",
          Evaluation: "../mappers.ts#Evaluation",
          Prediction: "../mappers.ts#Prediction",
          ActivationMap: "../mappers.ts#ActivationMap",
          ApiKey: "../mappers.ts#ApiKey",
          Strip: "../mappers.ts#Strip",
          Spectrum1D: "../mappers.ts#Spectrum1D",
          Cutout: "../mappers.ts#Cutout",
          LabelAudit: "../mappers.ts#LabelAudit",
          LabelAuditEntry: "../mappers.ts#LabelAuditEntry",
          LabelVerdict: "../mappers.ts#LabelVerdict",
        },
      },
    },
    "schema.graphql": { plugins: ["schema-ast"], config: { includeDirectives: false } },
  },
};

export default config;
