/**
 * `ferry delta plan.yaml EXPORT_DIR`: migrates a newer export under the same confirmed plan:
 * creates what is new or was deleted in Pipedrive, updates what changed and leaves the rest
 * alone.
 */
import { flag, parseCommand, stateOption, text } from "../Arguments.js";
import { defineCommand } from "../defineCommand.js";
import { migrateAndPrint } from "./migrate.js";

export const deltaCommand = defineCommand({
  name: "delta",
  usage: "ferry delta plan.yaml EXPORT_DIR [--second-copy] [--state DIR]",
  summary: "apply the changes of a newer export at cutover",
  help: `  --second-copy   migrate even though the account already holds records of a Ferry
                  migration that this state folder has no record of (a second copy of each)
  --state DIR     state folder (default .ferry)`,
  run: async (args) => {
    const parsed = parseCommand(
      args,
      { ...stateOption, "second-copy": { type: "boolean" } },
      { min: 2, max: 2, names: "plan.yaml and EXPORT_DIR" },
    );
    const [planPath = "", exportDir = ""] = parsed.positionals;
    const stateDir = text(parsed, "state");
    return migrateAndPrint(planPath, {
      exportDir,
      secondCopy: flag(parsed, "second-copy"),
      ...(stateDir ? { stateDir } : {}),
    });
  },
});
