import { PassThrough } from "node:stream";

import { describe, expect, it } from "@effect/vitest";

import { ProgressRenderer } from "../../src/cli/ProgressRenderer.js";

const capture = () => {
  const stream = new PassThrough();
  const chunks: Array<string> = [];
  stream.on("data", (chunk: Buffer) => chunks.push(chunk.toString("utf8")));
  return { stream: stream as unknown as NodeJS.WriteStream, text: () => chunks.join("") };
};

describe("ProgressRenderer", () => {
  it("writes plain lines when bars are off", () => {
    const output = capture();
    const renderer = new ProgressRenderer({
      stream: output.stream,
      bars: false,
      lineIntervalMs: 0,
    });

    renderer.render({ _tag: "PhaseStarted", phase: "persons", total: 3 });
    renderer.render({ _tag: "RecordsDone", phase: "persons", done: 2, total: 3 });
    renderer.render({
      _tag: "RateLimitWait",
      phase: "persons",
      waitMs: 1500,
      reason: "rate-limited",
    });
    renderer.render({
      _tag: "PhaseFinished",
      phase: "persons",
      counts: { loaded: 3, rejected: 0 },
    });
    const waited = renderer.stop();

    const lines = output.text().trim().split("\n");
    expect(lines[0]).toBe("persons: started, 3 records");
    expect(lines[1]).toMatch(/^persons: 2\/3 records, [\d.]+\/s$/);
    expect(lines[2]).toBe("persons: waiting 2s (rate-limited), 2s in all");
    expect(lines[3]).toMatch(/^persons: finished in \d+s: loaded 3, rejected 0$/);
    expect(waited).toBe(1500);
  });

  it("prints camel-case counts as words", () => {
    const output = capture();
    const renderer = new ProgressRenderer({ stream: output.stream, bars: false });

    renderer.render({ _tag: "PhaseStarted", phase: "users", total: 2 });
    renderer.render({
      _tag: "PhaseFinished",
      phase: "users",
      counts: { created: 1, alreadyInAccount: 1 },
    });
    renderer.stop();

    const lines = output.text().trim().split("\n");
    expect(lines[1]).toMatch(/^users: finished in \d+s: created 1, already in account 1$/);
  });

  it("limits repeated lines per phase", () => {
    const output = capture();
    const renderer = new ProgressRenderer({
      stream: output.stream,
      bars: false,
      lineIntervalMs: 60_000,
    });

    renderer.render({ _tag: "PhaseStarted", phase: "deals" });
    for (let done = 1; done <= 50; done++) {
      renderer.render({ _tag: "RecordsDone", phase: "deals", done });
    }
    renderer.stop();

    expect(output.text().trim().split("\n")).toEqual(["deals: started"]);
  });

  it("counts overlapping waits once", () => {
    const output = capture();
    const renderer = new ProgressRenderer({
      stream: output.stream,
      bars: false,
      lineIntervalMs: 60_000,
    });

    for (let wait = 0; wait < 10; wait++) {
      renderer.render({ _tag: "RateLimitWait", waitMs: 1000, reason: "burst-window" });
    }

    expect(output.text().trim().split("\n")).toEqual(["run: waiting 1s (burst-window), 1s in all"]);
    // Ten waits of a second that start within the same instant overlap almost entirely.
    const waited = renderer.stop();
    expect(waited).toBeGreaterThanOrEqual(1000);
    expect(waited).toBeLessThan(2000);
  });
});
