import { type AuditResult, auditLabels } from "@macnet/model";
import { selectBackend } from "@macnet/tfjs-native";
import { type Command, InvalidArgumentError } from "commander";
import type { CliEnv } from "../env.ts";
import { findDataset, idList, positiveInteger } from "../options.ts";
import { printJson, say } from "../output.ts";
import { ProgressBar } from "../progress.ts";
import { whileStoppable } from "../stop-signal.ts";
import { withDatabase } from "../with-database.ts";

interface AuditOptions {
  model: number[];
  dataset?: string;
  top: number;
  folds: number;
  epochs?: number;
  patience?: number;
  seed?: number;
  json?: boolean;
}

const foldCount = (value: string): number => {
  if (!/^\d+$/.test(value) || Number(value) === 1)
    throw new InvalidArgumentError(`--folds must be 0 (the models as trained) or at least 2 (got "${value}")`);
  return Number(value);
};

const percent = (value: number) => `${(100 * value).toFixed(1)} %`;

/** The human-readable audit: the top K, then the truth figures when a truth file was ingested. */
function printAudit(result: AuditResult): void {
  const how =
    result.folds > 0
      ? `cross-fitted over ${result.folds} folds (each object scored by models that never trained on it)`
      : `the models as trained (${result.inSample} of the objects are in a model's training split: marked *)`;
  say(
    `Audit ${result.auditId} of ${result.dataset.name} v${result.dataset.version} with model${result.models.length > 1 ? "s" : ""} ${result.models.map((m) => `${m.id} (${m.architecture})`).join(", ")}, ${how}`,
  );
  say(
    `${result.objects} labelled objects, ${result.contradicted} whose catalogue class the models contradict; the ${Math.min(result.top, result.entries.length)} most strongly contradicted:`,
  );
  say("  rank  object  catalogue → suggested  p(catalogue)  p(G/Q/S)          votes");
  for (const e of result.entries) {
    const p = `${e.probabilities.GALAXY.toFixed(2)}/${e.probabilities.QSO.toFixed(2)}/${e.probabilities.STAR.toFixed(2)}`;
    const truth = e.trueClass
      ? e.trueClass === e.catalogueClass
        ? "  truth: label right"
        : "  truth: WRONG LABEL"
      : "";
    say(
      `  ${String(e.rank).padStart(4)}  ${String(e.objectId).padStart(6)}${e.inSample ? "*" : " "} ${e.catalogueClass.padStart(9)} → ${e.suggestedClass.padEnd(9)}  ${e.pCatalogue.toFixed(3).padStart(12)}  ${p.padEnd(16)}  ${e.votes}/${result.models.length}${truth}`,
    );
  }
  if (result.truth) {
    const t = result.truth;
    say(
      `Truth file: ${t.planted} wrong catalogue labels among ${t.withTruth} objects with truth. Top ${t.k}: ${t.found} found, recall ${percent(t.recall)}, precision ${percent(t.precision)}; top ${t.atTwicePlanted.k} (2 × planted): recall ${percent(t.atTwicePlanted.recall)}, precision ${percent(t.atTwicePlanted.precision)}`,
    );
  }
  say(`Stored as audit ${result.auditId} (the Disagreements page shows it) in ${result.durationS} s`);
}

/** `macnet audit --model ID`: ranks a dataset's objects whose catalogue label the models contradict. */
export function registerAuditCommand(program: Command, env: () => CliEnv): void {
  program
    .command("audit")
    .description(
      "Rank a dataset's labelled objects by how strongly models contradict their catalogue class (cross-fitted by default), store the ranking, and score it against an ingested truth file",
    )
    .requiredOption(
      "--model <ids>",
      "model id, or ids separated by commas (their mean probabilities; votes count the models that disagree)",
      idList("--model"),
    )
    .option("--dataset <id|name>", "dataset to audit (id, or name for its latest version; default: the first model's)")
    .option("--top <k>", "how many of the ranking to print", positiveInteger("--top"), 50)
    .option(
      "--folds <f>",
      "cross-fitting folds: each model's recipe is trained f times, each time without the fold it scores; 0 scores with the stored models as trained",
      foldCount,
      5,
    )
    .option(
      "--epochs <n>",
      "cross-fitting: maximum epochs per fold (default: the model's recipe)",
      positiveInteger("--epochs"),
    )
    .option(
      "--patience <n>",
      "cross-fitting: early-stopping patience per fold (default: the model's recipe)",
      positiveInteger("--patience"),
    )
    .option(
      "--seed <s>",
      "cross-fitting: fold assignment and batch order seed (default: the model's)",
      positiveInteger("--seed"),
    )
    .option("--json", "print the audit as JSON on the last line")
    .action(async (options: AuditOptions) => {
      const log = (line: string) => process.stderr.write(`${line}\n`);
      await selectBackend({ log });
      await withDatabase(
        env(),
        async ({ prisma }) => {
          const datasetId =
            options.dataset === undefined
              ? undefined
              : /^\d+$/.test(options.dataset)
                ? Number(options.dataset)
                : (await findDataset(prisma(), options.dataset)).id;
          const bar = new ProgressBar("audit", "batches", { plain: true });
          await whileStoppable(
            "Stopping after this batch (nothing of an unfinished audit is stored)…",
            async (signal) => {
              const result = await auditLabels({
                prisma: prisma(),
                modelIds: options.model,
                datasetId,
                folds: options.folds,
                top: options.top,
                epochs: options.epochs,
                patience: options.patience,
                seed: options.seed,
                home: env().home,
                signal,
                onProgress: (p) => {
                  if (p.train?.phase === "batch")
                    bar.update(
                      p.train.batch,
                      p.train.batches,
                      `model ${p.modelId} fold ${p.fold}/${p.folds} epoch ${p.train.epoch}/${p.train.epochs}`,
                    );
                },
                onWarning: (message) => log(`macnet: warning: ${message}`),
              });
              if (options.json) printJson(result);
              else printAudit(result);
            },
          );
        },
        { requireSchema: true },
      );
    });
}
