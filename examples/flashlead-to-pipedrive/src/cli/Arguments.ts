/**
 * Argument parsing shared by the commands: node:util `parseArgs` with strict options, and
 * checks that turn a bad value into a `UsageError` naming the option and the value.
 */
import { type ParseArgsConfig, parseArgs } from "node:util";

import { counted, UsageError } from "./Output.js";

type Options = NonNullable<ParseArgsConfig["options"]>;

/** Options every command that touches the ledger takes. */
export const stateOption = { state: { type: "string" } } as const satisfies Options;

/** Parsed arguments: option values by name, and the positionals in order. */
export interface ParsedCommand {
  readonly values: Readonly<
    Record<string, string | boolean | ReadonlyArray<string | boolean> | undefined>
  >;
  readonly positionals: ReadonlyArray<string>;
}

/** Parses a command's arguments, rejecting unknown options and extra positionals. */
export const parseCommand = (
  args: ReadonlyArray<string>,
  options: Options,
  positionals: { readonly min: number; readonly max: number; readonly names: string },
): ParsedCommand => {
  let parsed: ParsedCommand;
  try {
    parsed = parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const count = parsed.positionals.length;
  if (count < positionals.min || count > positionals.max) {
    throw new UsageError(`expected ${positionals.names}, got ${counted(count, "argument")}`);
  }
  return parsed;
};

/** Reads an optional string option. */
export const text = (parsed: ParsedCommand, name: string): string | undefined => {
  const value = parsed.values[name];
  return typeof value === "string" ? value : undefined;
};

/** Reads a boolean flag. */
export const flag = (parsed: ParsedCommand, name: string): boolean => parsed.values[name] === true;

/** Reads an optional positive integer option. */
export const positiveInteger = (name: string, raw: string | undefined): number | undefined => {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    throw new UsageError(`--${name} must be a whole number of at least 1, got "${raw}"`);
  }
  return value;
};
