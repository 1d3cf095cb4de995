/**
 * Every command of the `ferry` command line, in the order the help text lists them.
 */
import type { Command } from "../Command.js";
import { sandboxCommand } from "./sandbox.js";

export const commands: ReadonlyArray<Command> = [sandboxCommand];
