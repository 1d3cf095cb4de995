import { describe, expect, it } from "@effect/vitest";
import { Chunk, Effect, Schema, Stream } from "effect";

import {
  ActivityRecord,
  isFlashLeadRecord,
  LeadRecord,
  makeFlashLeadSource,
} from "../src/index.js";
import { fixture } from "./support/readFixture.js";

describe("FlashLeadRecords", () => {
  describe("isFlashLeadRecord", () => {
    it("narrows activity records with their derived fields", async () => {
      const source = makeFlashLeadSource({ folder: fixture("dates-day-first") });
      const items = Chunk.toArray(
        await Effect.runPromise(Stream.runCollect(source.read("activity"))),
      );
      expect(items.every((item) => isFlashLeadRecord("activity", item))).toBe(true);
      expect(items.some((item) => isFlashLeadRecord("lead", item))).toBe(false);
      const first = items[0];
      if (first === undefined || !isFlashLeadRecord("activity", first)) return;
      expect(first.fields.activity_kind).toBe("stage_transition");
      expect(first.origin.toString()).toBe("activity_log.csv:2");
    });
  });

  describe("LeadRecord", () => {
    it("keeps custom columns and rejects another kind", () => {
      const decode = Schema.decodeUnknownEither(LeadRecord);
      const record = {
        _tag: "SourceRecord",
        kind: "lead",
        sourceId: "L1",
        fields: { email: "testa@example.test", "Budget Range": "1k-5k" },
        origin: { file: "leads.csv", line: 2 },
        warnings: [],
      };
      expect(decode(record)._tag).toBe("Right");
      expect(decode({ ...record, kind: "contact" })._tag).toBe("Left");
      expect(Schema.decodeUnknownEither(ActivityRecord)(record)._tag).toBe("Left");
    });
  });
});
