import { MacnetError } from "@macnet/db";
import type { Command } from "commander";

interface PlannedCommand {
  name: string;
  summary: string;
  issue: number;
}

/** Commands whose contract is fixed but whose implementation lands with a later issue. */
const plannedCommands: PlannedCommand[] = [
  { name: "serve", summary: "Serve the GraphQL API and the dashboard", issue: 8 },
];

/** Registers the not-yet-available commands so `--help` shows the whole CLI; running one fails clearly. */
export function registerPlannedCommands(program: Command): void {
  for (const planned of plannedCommands) {
    program
      .command(planned.name)
      .description(`${planned.summary} [not available yet: issue #${planned.issue}]`)
      .allowUnknownOption()
      .allowExcessArguments()
      .action(() => {
        throw new MacnetError(
          `'macnet ${planned.name}' is not available yet (planned in issue #${planned.issue})`,
          "NOT_IMPLEMENTED",
        );
      });
  }
}
