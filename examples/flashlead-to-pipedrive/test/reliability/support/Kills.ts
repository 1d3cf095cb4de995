/**
 * Runs `ferry migrate` in a child process (`node bin/ferry.js` over the built packages) and kills
 * it with SIGKILL once the sandbox has received a given number of further requests or writes.
 * A kill so lands in whatever the run was doing: start-up, staging, planning, schema setup, a
 * batch of writes or the settling of open intents.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

import type { Sandbox } from "@ferry/dest-pipedrive/sandbox";

import { sandboxEnv } from "./Scenario.js";

const supportFolder = dirname(fileURLToPath(import.meta.url));
/** Root of the repository. */
export const repositoryRoot = resolve(supportFolder, "../../../../..");
/** The `ferry` executable. */
export const ferryBin = join(repositoryRoot, "examples/flashlead-to-pipedrive/bin/ferry.js");

const builtEntries = [
  "packages/core/dist/index.js",
  "packages/mapping/dist/index.js",
  "packages/source-flashlead/dist/index.js",
  "packages/dest-pipedrive/dist/index.js",
  "examples/flashlead-to-pipedrive/dist/cli/main.js",
];

/**
 * Builds the packages when a `dist` entry the executable needs is missing.
 * NOTE: a `dist` that exists but is older than its sources is used as it is.
 */
export const ensureBuilt = (): void => {
  if (builtEntries.every((entry) => existsSync(join(repositoryRoot, entry)))) return;
  execFileSync("npm", ["run", "build"], { cwd: repositoryRoot, stdio: "ignore" });
};

/** A seeded pseudo-random generator of numbers in [0, 1) (mulberry32). */
export const seededRandom = (seed: number): (() => number) => {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  };
};

/** How one child process ended. */
export type ChildEnd =
  | { readonly kind: "killed"; readonly requests: number }
  | { readonly kind: "exited"; readonly code: number | null; readonly output: string };

/** When to kill a child: after this many more requests, or this many more writes. */
export type KillPoint = { readonly requests: number } | { readonly writes: number };

const writeMethods = new Set(["POST", "PATCH", "PUT", "DELETE"]);

const counts = (sandbox: Sandbox) => {
  let requests = 0;
  let writes = 0;
  for (const endpoint of sandbox.control.metrics().endpoints) {
    requests += endpoint.requests;
    if (writeMethods.has(endpoint.method)) writes += endpoint.requests;
  }
  return { requests, writes };
};

/**
 * Draws a kill point. One in five is after 1 to 9 requests of any kind, which lands before the
 * child's first write. The others are after `minWrites` to `maxWrites` writes.
 */
export const drawKillPoint = (
  random: () => number,
  minWrites: number,
  maxWrites: number,
): KillPoint =>
  random() < 0.2
    ? { requests: 1 + Math.floor(random() * 9) }
    : { writes: minWrites + Math.floor(random() * (maxWrites - minWrites + 1)) };

/**
 * Spawns `ferry migrate PLAN --state DIR` against a sandbox and kills it at a kill point,
 * counted from the spawn; with no kill point it lets the child finish.
 */
export const runFerryChild = (
  sandbox: Sandbox,
  planPath: string,
  stateDir: string,
  killAt: KillPoint | undefined,
): Promise<ChildEnd> =>
  new Promise((done, fail) => {
    const start = counts(sandbox);
    const reached = (): boolean => {
      if (killAt === undefined) return false;
      const now = counts(sandbox);
      return "requests" in killAt
        ? now.requests - start.requests >= killAt.requests
        : now.writes - start.writes >= killAt.writes;
    };
    const child: ChildProcess = spawn(
      process.execPath,
      [ferryBin, "migrate", planPath, "--state", stateDir],
      {
        env: { PATH: process.env.PATH, ...sandboxEnv(sandbox) },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let output = "";
    child.stdout?.on("data", (chunk) => {
      output += String(chunk);
    });
    child.stderr?.on("data", (chunk) => {
      output += String(chunk);
    });

    let killed = false;
    const watch =
      killAt === undefined
        ? undefined
        : setInterval(() => {
            if (!killed && reached()) {
              killed = true;
              child.kill("SIGKILL");
            }
          }, 2);
    child.on("error", fail);
    child.on("close", (code, signal) => {
      if (watch !== undefined) clearInterval(watch);
      if (signal === "SIGKILL") {
        done({ kind: "killed", requests: counts(sandbox).requests - start.requests });
      } else done({ kind: "exited", code, output });
    });
  });
