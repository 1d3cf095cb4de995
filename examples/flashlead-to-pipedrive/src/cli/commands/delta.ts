/**
 * `ferry delta plan.yaml EXPORT_DIR`: migrates a newer export under the same confirmed plan:
 * creates what is new, updates what changed and leaves the rest alone.
 */
import { parseCommand, stateOption, text } from "../Arguments.js";
import { defineCommand } from "../defineCommand.js";
import { migrateAndPrint } from "./migrate.js";

export const deltaCommand = defineCommand({
  name: "delta",
  usage: "ferry delta plan.yaml EXPORT_DIR [--state DIR]",
  summary: "apply the changes of a newer export at cutover",
  help: "  --state DIR   state folder (default .ferry)",
  run: async (args) => {
    const parsed = parseCommand(args, stateOption, {
      min: 2,
      max: 2,
      names: "plan.yaml and EXPORT_DIR",
    });
    const [planPath = "", exportDir = ""] = parsed.positionals;
    const stateDir = text(parsed, "state");
    return migrateAndPrint(planPath, { exportDir, ...(stateDir ? { stateDir } : {}) });
  },
});
