import { createUser, Role } from "@macnet/db";
import { type Command, Option } from "commander";
import type { CliEnv } from "../env.ts";
import { printJson, say } from "../output.ts";
import { withDatabase } from "../with-database.ts";

/** `macnet user create`. */
export function registerUserCommands(program: Command, env: () => CliEnv): void {
  const user = program.command("user").description("Users, roles and API keys");

  user
    .command("create")
    .description("Create a user with a role; prints its new API key once (only a hash is stored)")
    .requiredOption("--name <name>", "unique user name")
    .addOption(new Option("--role <role>", "role").choices(Object.values(Role)).makeOptionMandatory())
    .option("--password <password>", "password for dashboard login (at least 8 characters)")
    .option("--json", "print a JSON summary as the last line")
    .action(async (options: { name: string; role: Role; password?: string; json?: boolean }) => {
      await withDatabase(
        env(),
        async ({ prisma }) => {
          const created = await createUser({
            prisma: prisma(),
            input: { name: options.name, role: options.role, password: options.password },
          });
          if (options.json) {
            printJson(created);
            return;
          }
          say(`Created ${created.role} '${created.name}' (id ${created.id}).`);
          say(`API key (shown once, store it now): ${created.apiKey}`);
        },
        { requireSchema: true },
      );
    });
}
