import { describe, expect, it } from "@effect/vitest";
import type { NoteTarget } from "../../src/transforms/NoteTarget.js";
import { formatDuration, planActivity } from "../../src/transforms/planActivity.js";
import { sourceRecord } from "../support/MemoryStaging.js";
import { asPlanned, asRejection } from "../support/narrow.js";

const target: NoteTarget = {
  link: "lead_id",
  ref: { kind: "lead", sourceId: "L1" },
  kind: "lead",
  person: { kind: "lead", sourceId: "L1" },
};
const entry = (fields: Record<string, string>) =>
  sourceRecord("activity", 2, { id: "A1", ...fields });

describe("planActivity", () => {
  describe("formatDuration", () => {
    it.each([
      ["15", "00:15"],
      ["90 min", "01:30"],
      ["1:05", "01:05"],
      ["0:30:00", "00:30"],
      ["12,6", "00:13"],
      ["abc", undefined],
      ["25:00", undefined],
      ["2000", undefined],
    ])("formats %j", (raw, expected) => {
      expect(formatDuration(raw)).toBe(expected);
    });
  });

  describe("planActivity", () => {
    it.each([
      ["call", "call"],
      ["email", "email"],
      ["meeting", "meeting"],
    ])("plans a %s as an activity", (kind, type) => {
      const [planned] = planActivity(
        entry({ activity_kind: kind, timestamp_iso: "2024-03-04T09:30:00Z", subject: "Hi" }),
        target,
      );
      expect(asPlanned(planned).kind).toBe("activity");
      expect(asPlanned(planned).fields).toEqual({
        subject: "Hi",
        type,
        due_date: "2024-03-04",
        due_time: "09:30",
        done: true,
      });
      expect(asPlanned(planned).links).toEqual({
        lead_id: target.ref,
        person_id: target.person,
      });
    });

    it.each(["note", "message", "other"])("plans a %s as a backdated note", (kind) => {
      const [planned] = planActivity(
        entry({ activity_kind: kind, timestamp_iso: "2024-03-04T09:30:00Z", text: "a < b" }),
        target,
      );
      expect(asPlanned(planned).kind).toBe("note");
      expect(asPlanned(planned).fields.add_time).toBe("2024-03-04T09:30:00Z");
      expect(asPlanned(planned).fields.content).toContain("a &lt; b");
    });

    it("records a duration it cannot read", () => {
      const outputs = planActivity(
        entry({ activity_kind: "call", timestamp_iso: "2024-03-04T09:30:00Z", duration: "long" }),
        target,
      );
      expect(outputs.map((o) => o._tag)).toEqual(["LossyStep", "PlannedRecord"]);
    });

    it("rejects an entry without a time", () => {
      const [rejection] = planActivity(
        entry({ activity_kind: "call", timestamp: "someday" }),
        target,
      );
      expect(rejection).toMatchObject({
        _tag: "Rejection",
        code: "activity-without-time",
        value: "someday",
        sourceId: "A1",
      });
    });

    it("says an empty timestamp cell is empty", () => {
      const [rejection] = planActivity(entry({ activity_kind: "call", timestamp: "" }), target);
      expect(rejection).toMatchObject({ code: "activity-without-time", value: "" });
      expect(asRejection(rejection).message).toContain("timestamp cell is empty");
      expect(asRejection(rejection).message).not.toContain("dateOrder");
    });
  });
});
