/**
 * `ferry report`: writes a run's reports (Markdown, JSON, HTML and the rejections CSV) and
 * prints the path of the chosen format, or all of them.
 */
import { writeReports } from "../../ReferencePipeline.js";
import { parseCommand, positiveInteger, stateOption, text } from "../Arguments.js";
import { ExitCode } from "../Command.js";
import { defineCommand } from "../defineCommand.js";
import { say, UsageError } from "../Output.js";
import { reportLines } from "../Summaries.js";

const formats = { md: "markdown", json: "json", html: "html" } as const;

export const reportCommand = defineCommand({
  name: "report",
  usage: "ferry report [--run ID] [--format md|json|html] [--state DIR]",
  summary: "write a run's report and print its path",
  help: `  --run ID         run to report on (default: the newest run)
  --format FORMAT  md, json or html (default: print every file)
  --state DIR      state folder (default .ferry)`,
  run: async (args) => {
    const parsed = parseCommand(
      args,
      { ...stateOption, run: { type: "string" }, format: { type: "string" } },
      { min: 0, max: 0, names: "no positional arguments" },
    );
    const format = text(parsed, "format");
    if (format !== undefined && !(format in formats)) {
      throw new UsageError(`--format must be md, json or html, got "${format}"`);
    }
    const runId = positiveInteger("run", text(parsed, "run"));
    const stateDir = text(parsed, "state");

    const files = await writeReports({
      ...(runId === undefined ? {} : { runId }),
      ...(stateDir ? { stateDir } : {}),
    });
    if (format === undefined) for (const line of reportLines(files)) say(line);
    else say(files[formats[format as keyof typeof formats]]);
    return ExitCode.done;
  },
});
