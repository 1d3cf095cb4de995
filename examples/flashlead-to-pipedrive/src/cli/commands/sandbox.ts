/**
 * `ferry sandbox`: runs the local Pipedrive sandbox on 127.0.0.1 until SIGINT or SIGTERM, printing
 * one line with its plan, time scale and URL. The API token comes from --token or
 * PIPEDRIVE_API_TOKEN and is never printed. The time scale comes from --time-scale, else from
 * FERRY_TIME_SCALE, the variable that speeds up the client's pacing by the same factor.
 */
import { parseArgs } from "node:util";
import { type PlanName, planNames, startSandbox } from "@ferry/dest-pipedrive/sandbox";
import { type Command, ExitCode } from "../Command.js";
import { redact } from "../Redact.js";

const usage =
  "ferry sandbox --port 4010 --token TOKEN [--plan lite|growth|premium|ultimate] [--seats N] [--state FILE] [--time-scale X]";

const help = `Usage: ${usage}

Runs a local simulator of the Pipedrive API on 127.0.0.1.

  --port N          TCP port (default 4010; 0 picks a free one)
  --token TOKEN     API token of the admin user (default: the PIPEDRIVE_API_TOKEN environment variable).
                    Other users can read a command line with ps, so prefer the variable.
  --plan NAME       Pipedrive plan: lite, growth, premium or ultimate (default growth)
  --seats N         seats, which multiply the daily token budget (default 1)
  --state FILE      JSON file that keeps the data across restarts, with each write journaled in
                    FILE.journal before it is answered; both have mode 0600 because they contain
                    the token
  --time-scale X    shrinks the 2-second burst window to 2/X seconds and the day to 86400/X seconds
                    (default: the FERRY_TIME_SCALE environment variable, else 1)
`;

/** Output streams, environment and stop signal of `serveSandbox`. */
export interface SandboxCommandIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Settles when the sandbox should stop, such as on SIGINT or SIGTERM. */
  readonly stopped: Promise<void>;
  readonly environment: Readonly<Record<string, string | undefined>>;
}

/** Parses a positive number, or returns an error message naming `label` when it is invalid. */
const positiveNumber = (
  raw: string | undefined,
  label: string,
  integer: boolean,
): number | string | undefined => {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  const valid = Number.isFinite(value) && value > 0 && (!integer || Number.isInteger(value));
  return valid
    ? value
    : `${label} must be a positive ${integer ? "integer" : "number"}, got "${raw}"`;
};

/** A time scale and where it came from, for the start line. */
interface TimeScaleChoice {
  readonly value: number;
  readonly source: "--time-scale" | "FERRY_TIME_SCALE" | "default";
}

/** Picks the time scale: the flag wins over FERRY_TIME_SCALE, and an empty variable is unset. */
const chooseTimeScale = (
  flag: string | undefined,
  environment: SandboxCommandIo["environment"],
): TimeScaleChoice | string => {
  const variable = environment.FERRY_TIME_SCALE;
  let raw: string | undefined;
  let source: TimeScaleChoice["source"] = "default";
  if (flag !== undefined) {
    raw = flag;
    source = "--time-scale";
  } else if (variable !== undefined && variable !== "") {
    raw = variable;
    source = "FERRY_TIME_SCALE";
  }

  const value = positiveNumber(raw, source, false);
  if (typeof value === "string") return value;
  return { value: value ?? 1, source };
};

/**
 * Parses the arguments, starts the sandbox, prints its URL on one line, and closes it (writing the
 * state file) once `io.stopped` settles. Returns the exit code.
 */
export const serveSandbox = async (
  args: ReadonlyArray<string>,
  io: SandboxCommandIo,
): Promise<number> => {
  const fail = (message: string): number => {
    io.stderr(`ferry sandbox: ${message}\n\n${help}`);
    return ExitCode.usage;
  };

  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: [...args],
      options: {
        port: { type: "string", default: "4010" },
        token: { type: "string" },
        plan: { type: "string", default: "growth" },
        seats: { type: "string" },
        state: { type: "string" },
        "time-scale": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error));
  }
  if (values.help === true) {
    io.stdout(help);
    return ExitCode.done;
  }

  const token = (values.token as string | undefined) ?? io.environment.PIPEDRIVE_API_TOKEN;
  if (token === undefined || token === "")
    return fail("missing API token: pass --token TOKEN or set PIPEDRIVE_API_TOKEN");

  const plan = values.plan as string;
  if (!(planNames as ReadonlyArray<string>).includes(plan))
    return fail(`--plan must be one of ${planNames.join(", ")}, got "${plan}"`);

  const portRaw = values.port as string;
  if (!/^\d+$/.test(portRaw) || Number(portRaw) > 65_535)
    return fail(`--port must be an integer from 0 to 65535, got "${portRaw}"`);
  const seats = positiveNumber(values.seats as string | undefined, "--seats", true);
  if (typeof seats === "string") return fail(seats);
  const timeScale = chooseTimeScale(values["time-scale"] as string | undefined, io.environment);
  if (typeof timeScale === "string") return fail(timeScale);

  const sandbox = await startSandbox({
    port: Number(portRaw),
    token,
    plan: plan as PlanName,
    ...(seats === undefined ? {} : { seats }),
    timeScale: timeScale.value,
    ...(values.state === undefined ? {} : { statePath: values.state as string }),
    onInternalError: (error, method, path) => {
      const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
      // A handler's error can quote the request, so the admin token is redacted from it.
      io.stderr(redact(`ferry sandbox: internal error on ${method} ${path}: ${detail}\n`, [token]));
    },
  });
  // The URL stays the last word of the line, so scripts can read it with a split on spaces.
  const scale =
    timeScale.source === "default"
      ? `time scale ${timeScale.value}`
      : `time scale ${timeScale.value} from ${timeScale.source}`;
  io.stdout(`Pipedrive sandbox (plan ${plan}, ${scale}) listening on ${sandbox.url}\n`);

  await io.stopped;
  await sandbox.close();
  return ExitCode.done;
};

const run = async (args: ReadonlyArray<string>): Promise<number> => {
  let stop = (): void => {};
  const stopped = new Promise<void>((resolve) => {
    stop = resolve;
  });
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  try {
    return await serveSandbox(args, {
      stdout: (text) => process.stdout.write(text),
      stderr: (text) => process.stderr.write(text),
      stopped,
      environment: process.env,
    });
  } finally {
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
  }
};

/** The `ferry sandbox` command. */
export const sandboxCommand: Command = {
  name: "sandbox",
  usage: "ferry sandbox --port 4010 --token TOKEN",
  summary: "run the local Pipedrive sandbox on 127.0.0.1",
  run,
};
