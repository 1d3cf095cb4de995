/**
 * Every command of the `ferry` command line, in the order the help text lists them.
 */
import type { Command } from "../Command.js";
import { confirmCommand } from "./confirm.js";
import { deltaCommand } from "./delta.js";
import { demoCommand } from "./demo.js";
import { discoverCommand } from "./discover.js";
import { migrateCommand } from "./migrate.js";
import { proposeCommand } from "./propose.js";
import { reportCommand } from "./report.js";
import { rollbackCommand } from "./rollback.js";
import { sandboxCommand } from "./sandbox.js";
import { verifyCommand } from "./verify.js";

export const commands: ReadonlyArray<Command> = [
  discoverCommand,
  proposeCommand,
  confirmCommand,
  migrateCommand,
  verifyCommand,
  deltaCommand,
  rollbackCommand,
  reportCommand,
  sandboxCommand,
  demoCommand,
];
