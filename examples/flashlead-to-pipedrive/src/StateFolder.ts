/**
 * The files the reference pipeline keeps under its state folder (`.ferry` by default): the
 * ledger (owned by @ferry/core), the embedded sandbox's state and token, and the reports.
 */
import { join, resolve } from "node:path";

/** Paths under one state folder. */
export interface StateFolder {
  readonly root: string;
  /** State file of the embedded sandbox. */
  readonly sandboxState: string;
  /** API token of the embedded sandbox's admin, readable by the owner only. */
  readonly sandboxToken: string;
  /** Discovery reports. */
  readonly discoveryReports: string;
  /** Run reports, one folder per run. */
  readonly runReports: (runId: number) => string;
}

/** Resolves the paths of a state folder. */
export const stateFolder = (root = ".ferry"): StateFolder => {
  const absolute = resolve(root);
  return {
    root: absolute,
    sandboxState: join(absolute, "sandbox", "state.json"),
    sandboxToken: join(absolute, "sandbox", "token"),
    discoveryReports: join(absolute, "reports", "discovery"),
    runReports: (runId) => join(absolute, "reports", `run-${runId}`),
  };
};
