import { readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { badInput, MacnetError, type PrismaClient } from "@macnet/db";
import {
  importVerdicts,
  parseVerdict,
  type Reviewer,
  reviewLabel,
  reviewQueue,
  simulateReviewer,
  verdictsOn,
} from "@macnet/model";
import { type Command, InvalidArgumentError } from "commander";
import type { CliEnv } from "../env.ts";
import { objectClassOption, positiveInteger } from "../options.ts";
import { printJson, say } from "../output.ts";
import { withDatabase } from "../with-database.ts";

/** Largest verdict CSV `review import` reads (a reviewer's file, not a catalogue). */
const MAX_IMPORT_BYTES = 16 * 1024 * 1024;

const verdictOption = (value: string) => {
  try {
    return parseVerdict(value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
};

const rate = (value: string) => {
  const n = Number(value);
  if (!/^\d*\.?\d+$/.test(value) || n > 1)
    throw new InvalidArgumentError(`--error-rate must be in [0, 1] (got "${value}")`);
  return n;
};

/** The user named by --as: reviews are recorded under a person, with their role at the time. */
async function reviewerNamed(prisma: PrismaClient, name: string): Promise<Reviewer> {
  const user = await prisma.user.findUnique({ where: { name }, select: { id: true, name: true, role: true } });
  if (!user)
    throw new MacnetError(
      `No user '${name}' (create one with npx macnet user create --name ${name} --role SCIENTIST)`,
      "USER_NOT_FOUND",
      "as",
    );
  return user;
}

const when = (date: Date) => date.toISOString().replace("T", " ").slice(0, 16);

/** `macnet review list|queue|set|import|simulate`: verdicts on catalogue labels (issue #33). */
export function registerReviewCommands(program: Command, env: () => CliEnv): void {
  const review = program
    .command("review")
    .description("Reviewers' verdicts on catalogue labels: record, import, list, and the queue of an audit's suspects");

  review
    .command("set")
    .description(
      "Record a verdict on an object's catalogue class (kept beside earlier verdicts, never overwriting them)",
    )
    .requiredOption("--object <id>", "object id", positiveInteger("--object"))
    .requiredOption("--verdict <v>", "right, wrong or unsure", verdictOption)
    .option("--class <c>", "with --verdict wrong: the class the object really is", objectClassOption("--class"))
    .option("--comment <text>", "why (at most 2000 characters)")
    .option("--audit <id>", "the audit worked from (the object must be one of its entries)", positiveInteger("--audit"))
    .requiredOption("--as <user>", "the reviewer (a SCIENTIST or ADMIN user)")
    .option("--json", "print the stored verdict as JSON on the last line")
    .action(
      async (options: {
        object: number;
        verdict: ReturnType<typeof parseVerdict>;
        class?: string;
        comment?: string;
        audit?: number;
        as: string;
        json?: boolean;
      }) => {
        await withDatabase(
          env(),
          async ({ prisma }) => {
            const reviewer = await reviewerNamed(prisma(), options.as);
            const verdict = await reviewLabel(prisma(), reviewer, {
              objectId: options.object,
              verdict: options.verdict,
              correctedClass: (options.class ?? null) as never,
              comment: options.comment ?? null,
              auditId: options.audit ?? null,
            });
            if (options.json) {
              printJson(verdict);
              return;
            }
            say(
              `Verdict ${verdict.id}: object ${verdict.objectId} (${verdict.catalogueClass}) ${verdict.verdict}${verdict.correctedClass ? ` → ${verdict.correctedClass}` : ""} by ${verdict.reviewerName} (${verdict.reviewerRole})`,
            );
          },
          { requireSchema: true },
        );
      },
    );

  review
    .command("list")
    .description("Verdicts, newest first: on one object, from one audit, or by one reviewer")
    .option("--object <id>", "only this object's verdicts", positiveInteger("--object"))
    .option("--audit <id>", "only verdicts given from this audit", positiveInteger("--audit"))
    .option("--reviewer <user>", "only this reviewer's verdicts")
    .option("--limit <n>", "at most n verdicts", positiveInteger("--limit"), 100)
    .option("--json", "print the verdicts as JSON on the last line")
    .action(async (options: { object?: number; audit?: number; reviewer?: string; limit: number; json?: boolean }) => {
      await withDatabase(
        env(),
        async ({ prisma }) => {
          const verdicts =
            options.object !== undefined && options.audit === undefined && options.reviewer === undefined
              ? (await verdictsOn(prisma(), [options.object])).reverse().slice(0, options.limit)
              : await prisma().labelVerdict.findMany({
                  where: {
                    ...(options.object !== undefined ? { objectId: options.object } : {}),
                    ...(options.audit !== undefined ? { auditId: options.audit } : {}),
                    ...(options.reviewer !== undefined ? { reviewerName: options.reviewer } : {}),
                  },
                  orderBy: { id: "desc" },
                  take: options.limit,
                });
          if (options.json) {
            printJson({ verdicts });
            return;
          }
          if (verdicts.length === 0)
            say("No verdicts yet: npx macnet review set --object ID --verdict wrong --class QSO --as NAME");
          for (const v of verdicts) {
            say(
              `${String(v.id).padStart(6)}  ${when(v.createdAt)}  object ${v.objectId} ${v.catalogueClass ?? "?"} ${v.verdict}${v.correctedClass ? ` → ${v.correctedClass}` : ""}  ${v.reviewerName} (${v.reviewerRole})${v.auditId ? `  audit ${v.auditId}` : ""}${v.comment ? `  “${v.comment}”` : ""}`,
            );
          }
        },
        { requireSchema: true },
      );
    });

  review
    .command("queue")
    .description("The next of an audit's entries a reviewer has not judged yet, by rank")
    .requiredOption("--audit <id>", "label audit id", positiveInteger("--audit"))
    .requiredOption("--as <user>", "the reviewer")
    .option("--limit <n>", "at most n entries", positiveInteger("--limit"), 20)
    .option("--json", "print the entries as JSON on the last line")
    .action(async (options: { audit: number; as: string; limit: number; json?: boolean }) => {
      await withDatabase(
        env(),
        async ({ prisma }) => {
          const reviewer = await reviewerNamed(prisma(), options.as);
          const entries = await reviewQueue(prisma(), {
            auditId: options.audit,
            reviewerId: reviewer.id,
            limit: Math.min(options.limit, 500),
          });
          if (options.json) {
            printJson({ entries: entries.map(({ object, ...entry }) => ({ ...entry, obsid: object.obsid })) });
            return;
          }
          if (entries.length === 0) say(`Nothing left to judge in audit ${options.audit} for ${reviewer.name}.`);
          for (const e of entries) {
            say(
              `  rank ${String(e.rank).padStart(5)}  object ${e.objectId}  ${e.catalogueClass} → ${e.suggestedClass}  p(catalogue) ${e.pCatalogue.toFixed(3)}`,
            );
          }
        },
        { requireSchema: true },
      );
    });

  review
    .command("import")
    .description(
      "Record verdicts from a CSV (object_id or obsid, verdict, class, comment); bad rows are rejected by line and field, good rows kept",
    )
    .requiredOption("--csv <file>", "the verdicts")
    .requiredOption("--as <user>", "the reviewer whose verdicts they are")
    .option("--audit <id>", "the audit they were made from", positiveInteger("--audit"))
    .option("--json", "print the import's summary as JSON on the last line")
    .action(async (options: { csv: string; as: string; audit?: number; json?: boolean }) => {
      const path = resolve(options.csv);
      let size: number;
      try {
        size = statSync(path).size;
      } catch {
        throw new MacnetError(`${path}: no such file`, "PATH_NOT_FOUND", "csv");
      }
      if (size > MAX_IMPORT_BYTES)
        throw badInput(`${path} is ${size} bytes, more than the ${MAX_IMPORT_BYTES} a verdict file may be`, "csv");
      await withDatabase(
        env(),
        async ({ prisma }) => {
          const reviewer = await reviewerNamed(prisma(), options.as);
          const result = await importVerdicts(prisma(), reviewer, {
            path,
            bytes: readFileSync(path),
            auditId: options.audit ?? null,
          });
          if (options.json) {
            printJson(result);
            return;
          }
          say(`Stored ${result.stored} verdicts by ${reviewer.name}; ${result.rejected.length} rows rejected`);
          for (const r of result.rejected.slice(0, 50))
            say(`  ${r.file}${r.field ? ` [${r.field}]` : ""}: ${r.reason}`);
          if (result.rejected.length > 50) say(`  … ${result.rejected.length - 50} more (--json lists them all)`);
        },
        { requireSchema: true },
      );
    });

  review
    .command("simulate")
    .description(
      "A reviewer simulated from the ingested truth file: judges an audit's top k (default 2 × the planted wrong labels), a seeded fraction deliberately wrong",
    )
    .requiredOption("--audit <id>", "label audit id", positiveInteger("--audit"))
    .requiredOption("--as <user>", "the user the verdicts are recorded under (an ADMIN's verdicts decide alone)")
    .option("--top <k>", "how many of the ranking to judge", positiveInteger("--top"))
    .option("--error-rate <p>", "fraction of verdicts made wrong on purpose", rate, 0)
    .option("--seed <s>", "seed of the deliberate mistakes", positiveInteger("--seed"), 1)
    .option("--json", "print the summary as JSON on the last line")
    .action(
      async (options: { audit: number; as: string; top?: number; errorRate: number; seed: number; json?: boolean }) => {
        await withDatabase(
          env(),
          async ({ prisma }) => {
            const reviewer = await reviewerNamed(prisma(), options.as);
            const result = await simulateReviewer(prisma(), reviewer, {
              auditId: options.audit,
              top: options.top,
              errorRate: options.errorRate,
              seed: options.seed,
            });
            if (options.json) {
              printJson(result);
              return;
            }
            say(
              `Simulated ${reviewer.name}: judged ${result.judged} of audit ${result.auditId}'s entries (${result.deliberatelyWrong} deliberately wrong); ${result.corrections} corrections proposed, ${result.rightCorrections} of them the true class`,
            );
          },
          { requireSchema: true },
        );
      },
    );
}
