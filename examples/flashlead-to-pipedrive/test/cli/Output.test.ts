import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

import { describe, expect, it, vi } from "@effect/vitest";
import { DestinationError, SourceError } from "@ferry/core";

import { main } from "../../src/cli/main.js";
import { counted, exitCodeOf, report, UsageError } from "../../src/cli/Output.js";

const ferryBin = fileURLToPath(new URL("../../bin/ferry.js", import.meta.url));

/** Runs `report` and returns what it printed on standard error. */
const reportOutput = (command: string, error: unknown): string => {
  const lines: Array<string> = [];
  const write = vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    report(command, error);
  } finally {
    write.mockRestore();
  }
  return lines.join("");
};

describe("Output", () => {
  describe("exitCodeOf", () => {
    const cases: ReadonlyArray<[string, unknown, number]> = [
      ["a usage error", new UsageError("bad flag"), 2],
      ["a missing export", new SourceError({ reason: "not-found", path: "x", detail: "gone" }), 2],
      ["a spent budget", new DestinationError({ reason: "budget-exhausted" }), 3],
      ["a 403", new DestinationError({ reason: "forbidden", status: 403 }), 3],
      ["a validation error", new DestinationError({ reason: "validation", status: 400 }), 1],
      ["an unknown error", new Error("boom"), 1],
    ];

    it.each(cases)("maps %s", (_name, error, code) => {
      expect(exitCodeOf(error)).toBe(code);
    });
  });

  describe("report", () => {
    const forbidden = new DestinationError({ reason: "forbidden", status: 403 });

    it("tells a halted migration to resume", () => {
      expect(reportOutput("migrate", forbidden)).toContain(
        "The run can be resumed: run the same command again.",
      );
    });

    it("tells a halted rollback to resume", () => {
      expect(reportOutput("rollback", forbidden)).toContain("The rollback can be resumed");
    });

    it("does not call a verification a run", () => {
      const output = reportOutput("verify", forbidden);
      expect(output).toContain("Fix the cause above, then run the same command again.");
      expect(output).not.toContain("The run can be resumed");
    });
  });

  describe("counted", () => {
    it("keeps the noun singular for one", () => {
      expect(counted(1, "mapping")).toBe("1 mapping");
    });

    it("adds s for other counts", () => {
      expect(counted(0, "error finding")).toBe("0 error findings");
      expect(counted(2, "argument")).toBe("2 arguments");
    });
  });

  describe("bin/ferry.js", () => {
    it("ends quietly when the reader closes the pipe", async () => {
      const child = spawn(process.execPath, [ferryBin, "help"], { stdio: "pipe" });
      // The reader goes away before the command writes anything, as `| head -0` would.
      child.stdout.destroy();
      let stderr = "";
      child.stderr.on("data", (chunk) => {
        stderr += String(chunk);
      });
      const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
      expect(stderr).not.toContain("EPIPE");
      expect(code).toBe(0);
    });
  });

  describe("main", () => {
    it("exits 2 for a missing export folder", async () => {
      const code = await main([
        "discover",
        "/nonexistent-ferry-export",
        "--state",
        "/tmp/ferry-exit-test",
      ]);
      expect(code).toBe(2);
    });
  });
});
