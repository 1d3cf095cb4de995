import { describe, expect, it } from "@effect/vitest";

import {
  formatDurations,
  lostTime,
  type StageHistoryEnd,
  stageTimes,
  stageTransitions,
  timeInStages,
  transitionNote,
} from "../../src/transforms/stageHistory.js";
import { records, sourceRecord } from "../support/MemoryStaging.js";

const log = records("activity", [
  {
    id: "A3",
    activity_kind: "stage_transition",
    from_stage: "Proposta",
    to_stage: "Ganho",
    timestamp_iso: "2024-01-20T00:00:00Z",
  },
  {
    id: "A1",
    activity_kind: "stage_transition",
    from_stage: "",
    to_stage: "Novo",
    timestamp_iso: "2024-01-01T00:00:00Z",
  },
  { id: "A9", activity_kind: "call", timestamp_iso: "2024-01-02T00:00:00Z" },
  {
    id: "A2",
    activity_kind: "stage_transition",
    from_stage: "Novo",
    to_stage: "Proposta",
    timestamp_iso: "2024-01-04T12:00:00Z",
  },
  {
    id: "A4",
    activity_kind: "stage_transition",
    from_stage: "Ganho",
    to_stage: "Perdido",
    timestamp_iso: "",
  },
]);

describe("stageHistory", () => {
  describe("stageTransitions", () => {
    it("keeps timed transitions in time order", () => {
      expect(stageTransitions(log).map((t) => t.record.sourceId)).toEqual(["A1", "A2", "A3"]);
    });
  });

  describe("timeInStages", () => {
    it.each([
      [[], undefined, []],
      [[{ to: "Novo", at: "2024-01-01T00:00:00Z" }], undefined, []],
      [
        [{ to: "Novo", at: "2024-01-01T00:00:00Z" }],
        "2024-01-02T06:00:00Z",
        [{ stage: "Novo", days: 1.3 }],
      ],
      [
        [
          { to: "Novo", at: "2024-01-01T00:00:00Z" },
          { to: "Proposta", at: "2024-01-04T12:00:00Z" },
        ],
        undefined,
        [{ stage: "Novo", days: 3.5 }],
      ],
      [[{ to: "Novo", at: "2024-01-05T00:00:00Z" }], "2024-01-01T00:00:00Z", []],
    ])("computes %j until %s", (transitions, until, expected) => {
      expect(timeInStages(transitions, until)).toEqual(expected);
    });
  });

  describe("formatDurations", () => {
    it("lists stages with their days", () => {
      expect(
        formatDurations([
          { stage: "Novo", days: 3.5 },
          { stage: "Proposta", days: 2 },
        ]),
      ).toBe("Novo: 3.5 d; Proposta: 2 d");
    });
  });

  describe("transitionNote", () => {
    it("plans a backdated note with the target's owner", () => {
      const target = {
        link: "deal_id",
        ref: { kind: "lead", sourceId: "L1" },
        kind: "deal",
        owner: "bia@example.test",
      } as const;
      const notes = stageTransitions(log).map((t) => transitionNote(t, target));
      expect(notes.map((n) => n.fields.add_time)).toEqual([
        "2024-01-01T00:00:00Z",
        "2024-01-04T12:00:00Z",
        "2024-01-20T00:00:00Z",
      ]);
      expect(notes[1]?.fields.content).toBe(
        "<p>Stage: Novo → Proposta</p><p>Changed at: 2024-01-04T12:00:00Z</p><p>fls_activity_type__c: Stage_Transition</p>",
      );
      expect(notes[0]?.fields.owner).toBe("bia@example.test");
      expect(notes[0]?.links).toEqual({ deal_id: { kind: "lead", sourceId: "L1" } });
    });
  });

  describe("stageTimes", () => {
    const transitions = stageTransitions(log);
    const lead = sourceRecord("lead", 5, { id: "L1" });
    const end = (stage: string | undefined, updated: string | undefined): StageHistoryEnd => ({
      record: lead,
      stage: stage === undefined ? undefined : { column: "stage", value: stage },
      updatedRaw: updated ?? "",
      updated,
    });

    it("ends the current stage at the last update", () => {
      const { custom, loss } = stageTimes(transitions, end(" ganho ", "2024-01-25T00:00:00Z"));
      expect(custom).toEqual({
        "Time in stages": "Novo: 3.5 d; Proposta: 15.5 d; Ganho: 5 d",
        "Days in current stage": 5,
      });
      expect(loss).toBeUndefined();
    });

    it("leaves out the last two stages when the history stops short", () => {
      const { custom, loss } = stageTimes(transitions, end("Perdido", "2024-01-25T00:00:00Z"));
      expect(custom).toEqual({ "Time in stages": "Novo: 3.5 d; Proposta: 15.5 d" });
      expect(loss?.code).toBe("stage-history-incomplete");
      expect(loss?.field).toBe("stage");
      expect(loss?.value).toBe("Perdido");
      expect(`${loss?.origin}`).toBe("leads.csv:5");
      expect(loss?.message).toContain("ends at Ganho (activitys.csv:2), but its stage is Perdido");
    });

    it("leaves out the current stage when updated_at precedes the last transition", () => {
      const { custom, loss } = stageTimes(transitions, end("Ganho", "2024-01-10T00:00:00Z"));
      expect(custom).toEqual({ "Time in stages": "Novo: 3.5 d; Proposta: 15.5 d" });
      expect(loss?.code).toBe("current-stage-time-unknown");
      expect(loss?.field).toBe("updated_at");
      expect(loss?.message).toContain("is earlier than its last stage transition, to Ganho");
    });

    it("records a missing updated_at", () => {
      const { custom, loss } = stageTimes(transitions, end("Ganho", undefined));
      expect(custom).toEqual({ "Time in stages": "Novo: 3.5 d; Proposta: 15.5 d" });
      expect(loss?.code).toBe("current-stage-time-unknown");
      expect(loss?.message).toContain("updated_at of lead L1 is empty");
    });

    it("writes nothing without transitions", () => {
      expect(stageTimes([], end("Ganho", "2024-01-10T00:00:00Z"))).toEqual({
        custom: {},
        loss: undefined,
      });
    });
  });

  describe("lostTime", () => {
    const lost = records("activity", [
      {
        id: "B1",
        activity_kind: "stage_transition",
        to_stage: "Proposta",
        timestamp_iso: "2024-01-01T00:00:00Z",
      },
      {
        id: "B2",
        activity_kind: "stage_transition",
        to_stage: "Perdido",
        timestamp_iso: "2024-01-05T00:00:00Z",
      },
      {
        id: "B3",
        activity_kind: "stage_transition",
        to_stage: "Proposta",
        timestamp_iso: "2024-01-07T00:00:00Z",
      },
      {
        id: "B4",
        activity_kind: "stage_transition",
        to_stage: "Perdido",
        timestamp_iso: "2024-01-09T00:00:00Z",
      },
    ]);
    const lead = sourceRecord("lead", 5, { id: "L1" });
    const end = (updated: string | undefined): StageHistoryEnd => ({
      record: lead,
      stage: { column: "stage", value: "Perdido" },
      updatedRaw: updated ?? "",
      updated,
    });

    it("takes the newest transition into the lost stage", () => {
      expect(lostTime(stageTransitions(lost), end("2024-03-01T00:00:00Z"))).toBe(
        "2024-01-09T00:00:00Z",
      );
    });

    it("takes updated_at when the history does not end in the lost stage", () => {
      const reopened = stageTransitions(lost.slice(0, 3));
      expect(lostTime(reopened, end("2024-03-01T00:00:00Z"))).toBe("2024-03-01T00:00:00Z");
      expect(lostTime([], end("2024-03-01T00:00:00Z"))).toBe("2024-03-01T00:00:00Z");
    });

    it("returns nothing without a transition or updated_at", () => {
      expect(lostTime([], end(undefined))).toBeUndefined();
    });
  });
});
