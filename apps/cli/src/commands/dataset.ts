import { MacnetError } from "@macnet/db";
import { createDataset, createReviewedDataset, type DatasetSummary, listDatasets, SPLITS } from "@macnet/model";
import { type Command, InvalidArgumentError } from "commander";
import type { CliEnv } from "../env.ts";
import { printJson, say } from "../output.ts";
import { withDatabase } from "../with-database.ts";

/** Parses "a:b[:c]" into numbers, naming the option when it is malformed. */
const colonNumbers = (name: string, count: number) => (value: string) => {
  const parts = value.split(":");
  const numbers = parts.map(Number);
  if (parts.length !== count || numbers.some((n) => !Number.isFinite(n) || n < 0)) {
    throw new InvalidArgumentError(`${name} must be ${count} non-negative numbers separated by ':' (got "${value}")`);
  }
  return numbers;
};

const datasetId = (value: string) => {
  if (!/^\d{1,9}$/.test(value) || Number(value) === 0)
    throw new InvalidArgumentError(`--from must be a dataset id (got "${value}")`);
  return Number(value);
};

function printSummary(summary: DatasetSummary): void {
  say(
    `Dataset '${summary.name}' version ${summary.version} (id ${summary.id}): ${summary.members} objects, seed ${summary.seed}, blue ${summary.blue.join(":")}, red ${summary.red.join(":")}`,
  );
  for (const split of SPLITS) {
    const counts = Object.entries(summary.classCounts[split]).map(([cls, n]) => `${cls} ${n}`);
    say(`  ${split.padEnd(5)} ${counts.join(", ") || "empty"}`);
  }
}

const seedOption = (value: string) => {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`--seed must be a non-negative integer (got "${value}")`);
  return Number(value);
};

/** `macnet dataset create|list`: named, versioned, stratified splits. */
export function registerDatasetCommand(program: Command, env: () => CliEnv): void {
  const dataset = program.command("dataset").description("Create and list named, versioned dataset splits");
  dataset
    .command("create")
    .description(
      "Split the labelled objects into train/val/test, stratified by class and seeded; a name that exists gets a new version",
    )
    .option("--name <name>", "dataset name (required unless --from)")
    .option(
      "--from <id>",
      "with --apply-reviews: the dataset version to copy (same members, same splits, same settings)",
      datasetId,
    )
    .option(
      "--apply-reviews",
      "label the new version with the reviewers' accepted corrections (rule: an ADMIN's latest verdict, or two agreeing SCIENTISTs)",
    )
    .option("--seed <s>", "split seed (same seed, same objects: same split)", seedOption, 1)
    .option("--ratios <t:v:t>", "train:val:test shares", colonNumbers("--ratios", 3), [8, 1, 1])
    .option("--blue <start:end>", "blue-arm pixel window along the strip", colonNumbers("--blue", 2), [1000, 3000])
    .option("--red <start:end>", "red-arm pixel window along the strip", colonNumbers("--red", 2), [1500, 3500])
    .option("--source <name>", "only objects ingested under this source name")
    .option("--json", "print the dataset's summary as JSON on the last line")
    .action(
      async (options: {
        name?: string;
        from?: number;
        applyReviews?: boolean;
        seed: number;
        ratios: number[];
        blue: number[];
        red: number[];
        source?: string;
        json?: boolean;
      }) => {
        await withDatabase(
          env(),
          async ({ prisma }) => {
            if ((options.from === undefined) !== (options.applyReviews === undefined)) {
              throw new MacnetError("--from and --apply-reviews go together", "BAD_USER_INPUT", "from");
            }
            if (options.from !== undefined) {
              const reviewed = await createReviewedDataset(prisma(), { from: options.from });
              if (options.json) {
                printJson(reviewed);
                return;
              }
              printSummary(reviewed);
              say(
                `  from dataset ${reviewed.parentId} with reviews (${reviewed.rule}): ${reviewed.corrections} labels corrected; ${reviewed.reviewed} reviewed objects, ${reviewed.undecided} undecided`,
              );
              return;
            }
            if (options.name === undefined)
              throw new MacnetError(
                "dataset create needs --name (or --from N --apply-reviews)",
                "BAD_USER_INPUT",
                "name",
              );
            const summary = await createDataset(prisma(), {
              name: options.name,
              seed: options.seed,
              ratios: options.ratios as [number, number, number],
              blue: options.blue as [number, number],
              red: options.red as [number, number],
              source: options.source,
            });
            if (options.json) {
              printJson(summary);
              return;
            }
            printSummary(summary);
            if (summary.excluded.shortStrips > 0) {
              say(`  left out: ${summary.excluded.shortStrips} objects whose strips are shorter than the windows`);
            }
          },
          { requireSchema: true },
        );
      },
    );
  dataset
    .command("list")
    .description("Every dataset version with its per-split class counts")
    .option("--json", "print the list as JSON on the last line")
    .action(async (options: { json?: boolean }) => {
      await withDatabase(
        env(),
        async ({ prisma }) => {
          const datasets = await listDatasets(prisma());
          if (options.json) {
            printJson({ datasets });
            return;
          }
          if (datasets.length === 0) say("No datasets yet: npx macnet dataset create --name NAME");
          for (const d of datasets) {
            const splits = SPLITS.map(
              (s) => `${s} ${Object.values(d.classCounts[s] ?? {}).reduce((a, b) => a + b, 0)}`,
            ).join(", ");
            say(
              `${d.name} v${d.version} (id ${d.id}, seed ${d.seed}${d.locked ? ", locked" : ""}${d.parentId !== null ? `, from id ${d.parentId} with ${d.corrections} reviewed corrections` : ""}): ${d.members} objects — ${splits}`,
            );
          }
        },
        { requireSchema: true },
      );
    });
}
