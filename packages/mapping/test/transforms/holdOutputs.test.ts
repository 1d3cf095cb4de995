import { describe, expect, it } from "@effect/vitest";
import { Origin, type TransformOutput } from "@ferry/core";

import { makePlanned } from "../../src/internal/outputs.js";
import { holdOutputs, type OwnerHold } from "../../src/transforms/holdOutputs.js";
import { planLead } from "../../src/transforms/planLead.js";
import { RunState } from "../../src/transforms/RunState.js";
import { makeTransformContext } from "../../src/transforms/TransformContext.js";
import { sourceRecord } from "../support/MemoryStaging.js";
import { samplePlan } from "../support/samplePlan.js";

const context = makeTransformContext(samplePlan);

/** A note planned from line 9 of the activity log for lead L5. */
const logNote = makePlanned({
  kind: "note",
  ref: { kind: "activity", sourceId: "A8" },
  origin: new Origin({ file: "activity_log.csv", line: 9 }),
  fields: { content: "<p>Ligou</p>" },
  custom: {},
  links: { lead_id: { kind: "lead", sourceId: "L5" } },
});

const messagesOf = (outputs: ReadonlyArray<TransformOutput>) =>
  outputs.flatMap((o) => (o._tag === "QueuedRecord" ? [`${o.kind}: ${o.message}`] : []));

describe("holdOutputs", () => {
  describe("holdOutputs", () => {
    it("names the lead a joined row is held with", () => {
      const lead = sourceRecord("lead", 6, {
        id: "L5",
        full_name: "Elis Melo",
        stage: "Novo",
        owner_email: " Dora@Example.test",
      });
      const planned = planLead(lead, false, context, new RunState());
      expect(planned.hold).toBeDefined();
      const held = holdOutputs([...planned.outputs, logNote], planned.hold as OwnerHold);

      expect(messagesOf(held)).toEqual([
        "person: leads.csv:6: owner dora@example.test has no Pipedrive user; the plan holds their records for a decision",
        "lead: leads.csv:6: owner dora@example.test has no Pipedrive user; the plan holds their records for a decision",
        "note: activity_log.csv:9: held because its lead L5 (leads.csv:6) belongs to dora@example.test, and owner dora@example.test has no Pipedrive user; the plan holds their records for a decision",
      ]);
    });

    it("names the lead of a joined row held for its default owner", () => {
      const withDefault = makeTransformContext(
        { ...samplePlan, defaultOwner: "gone@example.test" },
        { users: new Set(["bia@example.test"]) },
      );
      const lead = sourceRecord("lead", 6, { id: "L5", full_name: "Elis Melo", stage: "Novo" });
      const planned = planLead(lead, false, withDefault, new RunState());
      const held = holdOutputs([logNote], planned.hold as OwnerHold);

      expect(messagesOf(held)).toEqual([
        "note: activity_log.csv:9: held with its lead L5 (leads.csv:6), because the owner cell is empty, and the plan's defaultOwner gone@example.test is not a user of the destination account",
      ]);
    });

    it("keeps the hold's message without a parent", () => {
      const held = holdOutputs([logNote], {
        email: "old@x.test",
        message: "owner old@x.test left",
      });
      expect(messagesOf(held)).toEqual(["note: activity_log.csv:9: owner old@x.test left"]);
    });
  });
});
