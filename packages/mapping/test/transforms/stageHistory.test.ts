import { describe, expect, it } from "@effect/vitest";

import {
  formatDurations,
  planStageHistory,
  stageTransitions,
  timeInStages,
} from "../../src/transforms/stageHistory.js";
import { records } from "../support/MemoryStaging.js";

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

  describe("planStageHistory", () => {
    it("plans backdated notes and the time in stages", () => {
      const target = {
        link: "deal_id",
        ref: { kind: "lead", sourceId: "L1" },
        kind: "deal",
        owner: "bia@example.test",
      } as const;
      const { notes, custom } = planStageHistory(
        stageTransitions(log),
        target,
        "2024-01-25T00:00:00Z",
      );
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
      expect(custom).toEqual({
        "Time in stages": "Novo: 3.5 d; Proposta: 15.5 d; Ganho: 5 d",
        "Days in current stage": 5,
      });
    });
  });
});
