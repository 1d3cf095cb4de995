import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type SandboxCommandIo, serveSandbox } from "../../../src/cli/commands/sandbox.js";

/** Runs the command until `stop()` and collects what it prints. */
const start = (args: ReadonlyArray<string>, environment: Record<string, string> = {}) => {
  let stop = (): void => {};
  const stopped = new Promise<void>((resolve) => {
    stop = resolve;
  });
  const output: Array<string> = [];
  const errors: Array<string> = [];
  const io: SandboxCommandIo = {
    stdout: (text) => output.push(text),
    stderr: (text) => errors.push(text),
    stopped,
    environment,
  };
  const exit = serveSandbox(args, io);
  return { exit, stop, output, errors };
};

const waitForLine = async (output: Array<string>): Promise<string> => {
  for (let attempt = 0; attempt < 200 && output.length === 0; attempt++)
    await new Promise((resolve) => setTimeout(resolve, 10));
  return output.join("");
};

describe("sandbox command", () => {
  let folder: string;
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), "ferry-sandbox-cli-"));
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  describe("serveSandbox", () => {
    it("prints one line and serves until stopped", async () => {
      const run = start([
        "--port",
        "0",
        "--token",
        "cli-secret-token",
        "--plan",
        "lite",
        "--seats",
        "2",
      ]);
      const text = await waitForLine(run.output);
      expect(text).toMatch(
        /^Pipedrive sandbox \(plan lite, time scale 1\) listening on http:\/\/127\.0\.0\.1:\d+\n$/,
      );
      expect(text).not.toContain("cli-secret-token");

      const url = text.trim().split(" ").pop() ?? "";
      const me = await fetch(`${url}/v1/users/me`, {
        headers: { "x-api-token": "cli-secret-token" },
      });
      expect(me.status).toBe(200);
      const limits = await (
        await fetch(`${url}/__sandbox/rate-limits`, {
          headers: { "x-api-token": "cli-secret-token" },
        })
      ).json();
      expect((limits as { data: { dailyBudget: number } }).data.dailyBudget).toBe(60_000);
      const anonymous = await fetch(`${url}/__sandbox/snapshot`);
      expect(anonymous.status).toBe(401);
      expect(await anonymous.text()).not.toContain("cli-secret-token");

      run.stop();
      expect(await run.exit).toBe(0);
      await expect(fetch(`${url}/v1/users/me`)).rejects.toThrow();
    });

    it("keeps its data across restarts with --state", async () => {
      const state = join(folder, "state.json");
      const first = start(["--port", "0", "--token", "t1", "--state", state]);
      const url = (await waitForLine(first.output)).trim().split(" ").pop() ?? "";
      const created = await fetch(`${url}/api/v2/organizations`, {
        method: "POST",
        headers: { "x-api-token": "t1", "content-type": "application/json" },
        body: JSON.stringify({ name: "Kept BV" }),
      });
      expect(created.status).toBe(200);
      first.stop();
      expect(await first.exit).toBe(0);
      expect(readFileSync(state, "utf8")).toContain("Kept BV");
      expect(statSync(state).mode & 0o777).toBe(0o600);

      const second = start(["--port", "0", "--state", state], { PIPEDRIVE_API_TOKEN: "t2" });
      const again = (await waitForLine(second.output)).trim().split(" ").pop() ?? "";
      const list = await fetch(`${again}/api/v2/organizations`, {
        headers: { "x-api-token": "t2" },
      });
      const body = (await list.json()) as { data: Array<{ name: string }> };
      expect(body.data.map((organization) => organization.name)).toEqual(["Kept BV"]);
      second.stop();
      expect(await second.exit).toBe(0);
    });

    /** Reads the time scale of a running sandbox whose admin token is `t` from its control endpoint. */
    const timeScaleOf = async (url: string): Promise<number> => {
      const response = await fetch(`${url}/__sandbox/rate-limits`, {
        headers: { "x-api-token": "t" },
      });
      const limits = await response.json();
      return (limits as { data: { timeScale: number } }).data.timeScale;
    };

    it.each([
      {
        name: "FERRY_TIME_SCALE",
        args: [],
        variable: "20",
        scale: 20,
        shown: "time scale 20 from FERRY_TIME_SCALE",
      },
      {
        name: "the flag over the variable",
        args: ["--time-scale", "5"],
        variable: "20",
        scale: 5,
        shown: "time scale 5 from --time-scale",
      },
      { name: "1 for an empty variable", args: [], variable: "", scale: 1, shown: "time scale 1)" },
    ])("uses $name as time scale", async ({ args, variable, scale, shown }) => {
      const run = start(["--port", "0", "--token", "t", ...args], { FERRY_TIME_SCALE: variable });
      const text = await waitForLine(run.output);
      const url = text.trim().split(" ").pop() ?? "";

      expect(text).toContain(shown);
      expect(await timeScaleOf(url)).toBe(scale);
      run.stop();
      expect(await run.exit).toBe(0);
    });

    it("exits with a usage error without a token", async () => {
      const run = start(["--port", "0"]);
      expect(await run.exit).toBe(2);
      expect(run.errors.join("")).toContain("missing API token");
      expect(run.output).toEqual([]);
    });

    it.each([
      [["--token", "t", "--plan", "gold"], "--plan must be one of"],
      [["--token", "t", "--seats", "0"], "--seats must be a positive integer"],
      [["--token", "t", "--time-scale", "fast"], "--time-scale must be a positive number"],
      [["--token", "t", "--port", "99999"], "--port must be an integer"],
      [["--token", "t", "--seats", "1.5"], "--seats must be a positive integer"],
      [["--token", "t", "--host", "0.0.0.0"], "Unknown option"],
    ])("rejects %j", async (args, message) => {
      const run = start(args);
      expect(await run.exit).toBe(2);
      expect(run.errors.join("")).toContain(message);
    });

    it("rejects an invalid FERRY_TIME_SCALE", async () => {
      const run = start(["--port", "0", "--token", "t"], { FERRY_TIME_SCALE: "-3" });
      expect(await run.exit).toBe(2);
      expect(run.errors.join("")).toContain('FERRY_TIME_SCALE must be a positive number, got "-3"');
      expect(run.output).toEqual([]);
    });
  });
});
