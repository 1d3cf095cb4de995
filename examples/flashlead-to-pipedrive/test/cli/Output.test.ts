import { describe, expect, it } from "@effect/vitest";
import { DestinationError, SourceError } from "@ferry/core";

import { main } from "../../src/cli/main.js";
import { exitCodeOf, UsageError } from "../../src/cli/Output.js";

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
