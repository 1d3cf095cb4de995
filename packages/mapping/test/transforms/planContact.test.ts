import { describe, expect, it } from "@effect/vitest";
import type { TransformOutput } from "@ferry/core";

import type { MappingPlan } from "../../src/Plan.js";
import { planContact } from "../../src/transforms/planContact.js";
import { planLead } from "../../src/transforms/planLead.js";
import { RunState } from "../../src/transforms/RunState.js";
import { makeTransformContext } from "../../src/transforms/TransformContext.js";
import { sourceRecord } from "../support/MemoryStaging.js";
import { asPlanned } from "../support/narrow.js";
import { samplePlan } from "../support/samplePlan.js";

/** The sample plan with a contact's lead id kept in a person custom field. */
const leadIdPlan: MappingPlan = {
  ...samplePlan,
  fields: [
    ...samplePlan.fields,
    {
      object: "contact",
      column: "lead_id",
      transform: "text",
      target: { kind: "person", custom: "Flash Lead lead id", type: "varchar" },
      confidence: 0.95,
      reason: "test",
    },
  ],
};
const context = makeTransformContext(leadIdPlan);

const lead = sourceRecord("lead", 2, {
  id: "L1",
  full_name: "Ana Lima",
  company: "Açaí Ltda",
  stage: "Proposta",
  owner_email: "bia@example.test",
});
const contact = (fields: Record<string, string>) =>
  sourceRecord("contact", 2, {
    id: "C1",
    full_name: "Gil Nunes",
    lead_id: "L1",
    owner_email: "bia@example.test",
    ...fields,
  });
const personOf = (outputs: ReadonlyArray<TransformOutput>) =>
  asPlanned(outputs.find((o) => o._tag === "PlannedRecord" && o.kind === "person"));

describe("planContact", () => {
  describe("planContact", () => {
    it("keeps the lead id on the contact's person", () => {
      const { outputs } = planContact(contact({}), lead, context, new RunState());
      expect(personOf(outputs).custom).toEqual({ "Flash Lead lead id": "L1" });
      expect(outputs.filter((o) => o._tag === "LossyStep")).toEqual([]);
    });

    it("joins the lead's organization without a company of its own", () => {
      const state = new RunState();
      planLead(lead, false, context, state);
      const { outputs, links } = planContact(contact({}), lead, context, state);
      expect(personOf(outputs).links).toEqual({
        org_id: { kind: "organization", sourceId: "acai" },
      });
      expect(links.org).toEqual({ kind: "organization", sourceId: "acai" });
      expect(outputs.filter((o) => o._tag === "PlannedRecord").map((o) => o.kind)).toEqual([
        "person",
      ]);
    });

    it("keeps its own organization beside the lead's", () => {
      const { outputs } = planContact(
        contact({ company: "Globo SA" }),
        lead,
        context,
        new RunState(),
      );
      expect(personOf(outputs).links).toEqual({
        org_id: { kind: "organization", sourceId: "globo" },
      });
    });

    it("names no person after the lead's company", () => {
      const { outputs } = planContact(
        contact({ full_name: "", email: "" }),
        lead,
        context,
        new RunState(),
      );
      const rejection = outputs.find((o) => o._tag === "Rejection");
      expect(rejection).toHaveProperty("code", "person-without-name");
    });

    it("records a lead id the plan keeps nowhere", () => {
      const bare = makeTransformContext(samplePlan);
      const { outputs } = planContact(contact({}), lead, bare, new RunState());
      const step = outputs.find((o) => o._tag === "LossyStep");
      expect(step).toMatchObject({ code: "lead-link-not-kept", field: "lead_id", value: "L1" });
      expect(step).toHaveProperty(
        "message",
        expect.stringContaining("contacts.csv:2: the contact belongs to lead L1"),
      );
    });

    it("records a contact without an owner", () => {
      const { outputs } = planContact(contact({ owner_email: "" }), lead, context, new RunState());
      const step = outputs.find((o) => o._tag === "LossyStep");
      expect(step).toMatchObject({ code: "no-owner", field: "owner_email" });
    });
  });
});
