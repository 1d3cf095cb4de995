import { existsSync } from "node:fs";
import { join } from "node:path";

import { afterEach, describe, expect, it } from "@effect/vitest";
import Database from "better-sqlite3";
import { Chunk, Effect, Option, Stream } from "effect";
import fc from "fast-check";

import {
  contentHash,
  Ledger,
  LedgerError,
  makeLedgerStaging,
  Origin,
  SourceRecord,
  stableJson,
} from "../../src/index.js";
import { cleanUp, createTestRun, tempFolder } from "../support/RunnerFixture.js";

afterEach(cleanUp);

const record = (sourceId: string, fields: Record<string, string>, line = 2) =>
  SourceRecord.make({
    kind: "deal",
    sourceId,
    fields,
    origin: new Origin({ file: "deals.csv", line }),
    warnings: [],
  });

const newRun = (ledger: Ledger) => createTestRun(ledger, "2026-01-01T00:00:00Z");

/** Orders two strings by UTF-16 code units, as JavaScript's default sort does. */
const compareCodeUnits = (a: string, b: string): number => {
  if (a < b) return -1;
  if (a > b) return 1;
  return 0;
};
describe("Ledger", () => {
  describe("open", () => {
    it("creates the state folder and a WAL database", () => {
      const stateDir = join(tempFolder(), "nested", ".ferry");
      const ledger = Ledger.open(stateDir);
      ledger.close();
      expect(existsSync(join(stateDir, "ledger.sqlite"))).toBe(true);
      const db = new Database(join(stateDir, "ledger.sqlite"));
      expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
      db.close();
    });

    it("adds the token tables to an older ledger", () => {
      const stateDir = tempFolder();
      const before = Ledger.open(stateDir);
      const runId = newRun(before);
      before.addTokens("2026-03-01", 12);
      before.close();
      const path = join(stateDir, "ledger.sqlite");
      const old = new Database(path);
      old.exec("DROP TABLE run_tokens; DROP TABLE rollback_tokens;");
      old.close();

      const ledger = Ledger.open(stateDir);
      ledger.addTokens("2026-03-01", 3, { runId, operation: "verify" });
      ledger.addTokens("2026-03-01", 5, { rollbackId: 1 });
      expect(ledger.run(runId)?.id).toBe(runId);
      expect(ledger.tokensSpent("2026-03-01")).toBe(20);
      expect(ledger.tokens.ofRun(runId).verify).toBe(3);
      expect(ledger.tokens.ofRollback(1)).toEqual([{ day: "2026-03-01", spent: 5 }]);
      ledger.close();
    });

    it("rejects a ledger of another layout version", () => {
      const stateDir = tempFolder();
      Ledger.open(stateDir).close();
      const db = new Database(join(stateDir, "ledger.sqlite"));
      db.prepare("UPDATE meta SET value = '99' WHERE key = 'version'").run();
      db.close();
      expect(() => Ledger.open(stateDir)).toThrow(LedgerError);
      expect(() => Ledger.open(stateDir)).toThrow(/layout version 99/);
    });
  });

  describe("recordApproval", () => {
    it("stores who approved which hash", () => {
      const ledger = Ledger.open(tempFolder());
      ledger.recordApproval("abc", "ana@example.test", "2026-02-01T10:00:00Z");
      expect(ledger.approval("abc")).toEqual({
        planHash: "abc",
        approvedBy: "ana@example.test",
        approvedAt: "2026-02-01T10:00:00Z",
      });
      expect(ledger.approval("other")).toBeUndefined();
      expect(ledger.latestApproval()?.planHash).toBe("abc");
      ledger.close();
    });
  });

  describe("addTokens", () => {
    it("sums the tokens of each day", () => {
      const ledger = Ledger.open(tempFolder());
      ledger.addTokens("2026-03-01", 10);
      expect(ledger.addTokens("2026-03-01", 5)).toBe(15);
      ledger.addTokens("2026-03-02", 7);
      expect(ledger.tokensSpent("2026-03-01")).toBe(15);
      expect(ledger.tokensSpent("2026-03-03")).toBe(0);
      expect(ledger.tokensByDay()).toEqual([
        { day: "2026-03-01", spent: 15 },
        { day: "2026-03-02", spent: 7 },
      ]);
      ledger.close();
    });
  });

  describe("journalIntent", () => {
    it("keeps an intent open until it is settled", () => {
      const ledger = Ledger.open(tempFolder());
      const runId = newRun(ledger);
      const seq = ledger.journal.intent({
        runId,
        destKind: "deal",
        ref: { kind: "deal", sourceId: "D1" },
        op: "create",
        payload: { fields: { title: "A" }, custom: {}, links: {} },
        hash: "h1",
      });
      expect(ledger.journal.open(runId).map((e) => e.seq)).toEqual([seq]);
      ledger.journal.settle(seq, "done", "77");
      expect(ledger.journal.open(runId)).toEqual([]);
      expect(ledger.journal.entries(runId)[0]).toMatchObject({ status: "done", destId: "77" });
      ledger.close();
    });
  });

  describe("staging", () => {
    it("rejects a repeated source id", () => {
      const ledger = Ledger.open(tempFolder());
      const runId = newRun(ledger);
      const duplicates = ledger.staging.insert(
        runId,
        [record("D1", { owner: "a" }), record("D1", { owner: "b" }, 3)],
        ["owner"],
        1,
      );
      expect(duplicates.map((d) => d.origin.line)).toEqual([3]);
      expect(ledger.staging.count(runId, "deal")).toBe(1);
      ledger.close();
    });
  });
});

describe("LedgerStaging", () => {
  describe("makeLedgerStaging", () => {
    it.effect("finds records by an indexed field across pages", () =>
      Effect.gen(function* () {
        const ledger = Ledger.open(tempFolder());
        const runId = newRun(ledger);
        ledger.staging.markIndexed(runId, "deal", "owner");
        const records = Array.from({ length: 1200 }, (_, i) =>
          record(`D${i}`, { owner: i % 2 === 0 ? "even" : "odd" }, i + 2),
        );
        ledger.staging.insert(runId, records, ["owner"], 1);
        const staging = makeLedgerStaging(ledger, runId);

        const even = yield* Stream.runCollect(staging.find("deal", "owner", "even"));
        expect(Chunk.size(even)).toBe(600);
        const all = yield* Stream.runCollect(staging.all("deal"));
        expect(Chunk.toReadonlyArray(all).map((r) => r.sourceId)).toEqual(
          records.map((r) => r.sourceId),
        );
        expect(yield* staging.count("deal")).toBe(1200);
        const one = yield* staging.get("deal", "D7");
        expect(Option.map(one, (r) => r.origin.line)).toEqual(Option.some(9));
        ledger.close();
      }),
    );

    it.effect("scans for a field that is not indexed", () =>
      Effect.gen(function* () {
        const ledger = Ledger.open(tempFolder());
        const runId = newRun(ledger);
        ledger.staging.insert(
          runId,
          [record("D1", { stage: "Won" }), record("D2", { stage: "Lost" })],
          [],
          1,
        );
        const found = yield* Stream.runCollect(
          makeLedgerStaging(ledger, runId).find("deal", "stage", "Lost"),
        );
        expect(Chunk.toReadonlyArray(found).map((r) => r.sourceId)).toEqual(["D2"]);
        ledger.close();
      }),
    );
  });
});

describe("LedgerStaging batch reads", () => {
  const staged = () => {
    const ledger = Ledger.open(tempFolder());
    const runId = newRun(ledger);
    ledger.staging.markIndexed(runId, "deal", "owner");
    const owners = ["ana", "bo", " ana", "", "cy"];
    const records = Array.from({ length: 1200 }, (_, i) =>
      record(`D${i}`, { owner: owners[i % owners.length] ?? "", stage: `S${i % 3}` }, i + 2),
    );
    ledger.staging.insert(runId, records, ["owner"], 1);
    return { ledger, runId, records };
  };

  describe("findMany", () => {
    it.effect("groups indexed matches in source order", () =>
      Effect.gen(function* () {
        const { ledger, runId, records } = staged();
        const found = yield* makeLedgerStaging(ledger, runId).findMany("deal", "owner", [
          "ana",
          "cy",
          "nobody",
        ]);
        const ids = (owner: string) =>
          records.filter((r) => r.fields.owner === owner).map((r) => r.sourceId);
        expect([...found.keys()].sort()).toEqual(["ana", "cy"]);
        expect(found.get("ana")?.map((r) => r.sourceId)).toEqual(ids("ana"));
        expect(found.get("cy")?.map((r) => r.sourceId)).toEqual(ids("cy"));
        expect(found.get("ana")?.[0]?.origin.line).toBe(2);
        ledger.close();
      }),
    );

    it.effect("matches values exactly, like find", () =>
      Effect.gen(function* () {
        const { ledger, runId } = staged();
        const staging = makeLedgerStaging(ledger, runId);
        for (const value of ["ana", " ana", ""]) {
          const one = yield* Stream.runCollect(staging.find("deal", "owner", value));
          const many = yield* staging.findMany("deal", "owner", [value]);
          expect(many.get(value)?.map((r) => r.sourceId) ?? []).toEqual(
            Chunk.toReadonlyArray(one).map((r) => r.sourceId),
          );
        }
        ledger.close();
      }),
    );

    it.effect("scans a field that is not indexed", () =>
      Effect.gen(function* () {
        const { ledger, runId, records } = staged();
        const found = yield* makeLedgerStaging(ledger, runId).findMany("deal", "stage", ["S2"]);
        expect(found.get("S2")?.map((r) => r.sourceId)).toEqual(
          records.filter((r) => r.fields.stage === "S2").map((r) => r.sourceId),
        );
        expect(found.size).toBe(1);
        ledger.close();
      }),
    );
  });

  describe("getMany", () => {
    it.effect("returns the staged ids only", () =>
      Effect.gen(function* () {
        const { ledger, runId } = staged();
        const found = yield* makeLedgerStaging(ledger, runId).getMany("deal", [
          "D3",
          "D1199",
          "D1200",
          " D3",
        ]);
        expect([...found.keys()].sort()).toEqual(["D1199", "D3"]);
        expect(found.get("D3")?.origin.line).toBe(5);
        expect(found.get("D3")?.fields.owner).toBe("");
        ledger.close();
      }),
    );
  });

  describe("rejections", () => {
    it.effect("returns the first source rejection of each id asked for", () =>
      Effect.gen(function* () {
        const { ledger, runId } = staged();
        const reject = (
          stage: "source" | "transform",
          kind: string,
          sourceId: string,
          line: number,
          code: string,
        ) =>
          ledger.addRejection({
            runId,
            stage,
            kind,
            destKind: undefined,
            file: `${kind}s.csv`,
            line,
            code,
            message: code,
            sourceId,
            column: undefined,
            value: undefined,
          });
        reject("source", "deal", "D9000", 7, "long-row");
        reject("source", "deal", "D9000", 9, "duplicate-id");
        reject("source", "deal", "D9001", 8, "long-row");
        reject("source", "lead", "D9002", 3, "long-row");
        reject("transform", "deal", "D9002", 4, "invalid-email");
        const found = yield* makeLedgerStaging(ledger, runId).rejections("deal", [
          "D9000",
          "D9002",
          "D3",
        ]);
        expect([...found.keys()]).toEqual(["D9000"]);
        expect(`${found.get("D9000")?.origin}`).toBe("deals.csv:7");
        expect(found.get("D9000")?.code).toBe("long-row");
        ledger.close();
      }),
    );
  });
});

describe("ContentHash", () => {
  describe("contentHash", () => {
    it("ignores the order of keys", () => {
      expect(stableJson({ b: 1, a: { d: [1, 2], c: null } })).toBe(
        '{"a":{"c":null,"d":[1,2]},"b":1}',
      );
      expect(contentHash({ a: 1, b: 2 })).toBe(contentHash({ b: 2, a: 1 }));
      expect(contentHash({ a: 1 })).not.toBe(contentHash({ a: "1" }));
    });
  });

  describe("stableJson", () => {
    // The serialization the ledger's hashes were first computed with, kept as the reference:
    // a change of output would make every record of an earlier run look changed.
    const reference = (value: unknown): string => {
      if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
      if (Array.isArray(value)) return `[${value.map(reference).join(",")}]`;
      const entries = Object.entries(value as Record<string, unknown>)
        .filter(([, item]) => item !== undefined)
        .sort(([a], [b]) => compareCodeUnits(a, b));
      return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${reference(item)}`).join(",")}}`;
    };

    it("matches the reference serialization", () => {
      const values = fc.oneof(
        fc.jsonValue(),
        fc.dictionary(fc.string(), fc.option(fc.jsonValue(), { nil: undefined })),
        fc.array(fc.option(fc.jsonValue(), { nil: undefined })),
      );
      fc.assert(
        fc.property(values, (value) => {
          expect(stableJson(value)).toBe(reference(value));
        }),
        { numRuns: 500 },
      );
    });
  });
});
