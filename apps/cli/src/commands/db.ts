import { resolve } from "node:path";
import { applyMigrations, getMigrationStatus } from "@macnet/db";
import type { Command } from "commander";
import type { CliEnv } from "../env.ts";
import { printJson, say } from "../output.ts";
import { defaultMigrationsDir } from "../paths.ts";
import { withDatabase } from "../with-database.ts";

interface DbOptions {
  json?: boolean;
  migrations: string;
}

/** `macnet db migrate` and `macnet db status`. */
export function registerDbCommands(program: Command, env: () => CliEnv): void {
  const db = program.command("db").description("Database schema: apply and inspect migrations");

  db.command("migrate")
    .description("Apply pending migrations (Prisma's layout and history table); refuses if an applied one changed")
    .option("--migrations <dir>", "migrations folder", defaultMigrationsDir)
    .option("--json", "print a JSON summary as the last line")
    .action(async (options: DbOptions) => {
      const migrationsDir = resolve(options.migrations);
      await withDatabase(env(), async ({ target }) => {
        const result = await applyMigrations({
          databaseUrl: target.url,
          migrationsDir,
          onApplied: (name) => options.json || say(`applied ${name}`),
        });
        if (options.json) {
          printJson({ database: target.description, ...result });
        } else {
          say(
            result.applied.length === 0
              ? `Database is up to date (${result.alreadyApplied.length} migrations applied): ${target.description}`
              : `Applied ${result.applied.length} migration(s) to ${target.description}`,
          );
        }
      });
    });

  db.command("status")
    .description("Show which migrations are applied, pending, modified or failed")
    .option("--migrations <dir>", "migrations folder", defaultMigrationsDir)
    .option("--json", "print a JSON summary as the last line")
    .action(async (options: DbOptions) => {
      await withDatabase(env(), async ({ target }) => {
        const migrations = await getMigrationStatus({
          databaseUrl: target.url,
          migrationsDir: resolve(options.migrations),
        });
        const upToDate = migrations.every((entry) => entry.state === "applied");
        if (options.json) {
          printJson({ database: target.description, mode: target.mode, upToDate, migrations });
          return;
        }
        say(`database: ${target.description}`);
        for (const entry of migrations) say(`  ${entry.state.padEnd(16)} ${entry.name}`);
        say(upToDate ? "up to date" : "not up to date: run `npx macnet db migrate`");
      });
    });
}
