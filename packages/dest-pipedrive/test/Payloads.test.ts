import type { DestinationSchema, OutboundRecord } from "@ferry/core";
import { describe, expect, it } from "vitest";

import { Catalog } from "../src/Catalog.js";
import { encodeRecord, toV1Timestamp } from "../src/Payloads.js";

const marker = (key: string) => ({
  key,
  name: "Ferry source id",
  type: "varchar",
  isCustom: true,
  isWritable: true,
  options: [],
});

const schema: DestinationSchema = {
  users: [{ id: "7", name: "Ana", email: "ana@example.test", isActive: true, isAdmin: true }],
  pipelines: [{ id: "1", name: "Sales", stages: [{ id: "11", name: "Qualified", order: 1 }] }],
  fields: {
    organization: [marker("org_marker")],
    person: [marker("person_marker")],
    deal: [
      marker("deal_marker"),
      {
        key: "size_key",
        name: "Size",
        type: "enum",
        isCustom: true,
        isWritable: true,
        options: [{ id: "3", label: "Large" }],
      },
    ],
  },
  labels: [{ id: "uuid-hot", name: "Hot", kind: "lead" }],
  activityTypes: [{ key: "call", name: "Call", isActive: true }],
  limits: {},
};
const catalog = new Catalog({
  ...schema,
  fields: { ...schema.fields, lead: schema.fields.deal ?? [] },
});

const record = (
  kind: string,
  fields: OutboundRecord["fields"],
  extra: Partial<OutboundRecord> = {},
) =>
  ({
    kind,
    ref: { kind: "src", sourceId: "9" },
    fields,
    custom: {},
    links: {},
    ...extra,
  }) as OutboundRecord;

const body = (input: OutboundRecord) => {
  const result = encodeRecord(input, catalog);
  if (result._tag !== "Payload" || result.payload._tag !== "Json")
    throw new Error(JSON.stringify(result));
  return result.payload;
};

describe("Payloads", () => {
  describe("encodeRecord", () => {
    it("builds a v2 deal with stage, owner and custom fields", () => {
      const payload = body(
        record(
          "deal",
          {
            title: "Big",
            pipeline: "Sales",
            stage: "Qualified",
            owner: "ANA@example.test",
            value: 10,
            currency: "EUR",
            lost_reason: null,
          },
          { custom: { Size: "Large" }, links: { person_id: "5" } },
        ),
      );
      expect(payload.method).toBe("POST");
      expect(payload.path).toBe("/api/v2/deals");
      expect(payload.json).toEqual({
        title: "Big",
        value: 10,
        currency: "EUR",
        pipeline_id: 1,
        stage_id: 11,
        owner_id: 7,
        person_id: 5,
        custom_fields: { deal_marker: "src:9", size_key: 3 },
      });
    });

    it("builds a v1 lead with root custom fields and labels", () => {
      const payload = body(
        record(
          "lead",
          { title: "L", value: 5, currency: "USD", labels: ["Hot"], visible_to: 3 },
          { custom: { Size: "Large" }, links: { organization_id: "2" } },
        ),
      );
      expect(payload.path).toBe("/api/v1/leads");
      expect(payload.json).toEqual({
        title: "L",
        value: { amount: 5, currency: "USD" },
        visible_to: "3",
        label_ids: ["uuid-hot"],
        organization_id: 2,
        deal_marker: "src:9",
        size_key: "3",
      });
    });

    it("builds a backdated pinned note with the marker comment", () => {
      const payload = body(
        record(
          "note",
          { content: "<p>Hi</p>", add_time: "2024-03-04T09:30:00Z", pinned: true },
          { links: { deal_id: "4" } },
        ),
      );
      expect(payload.json).toEqual({
        content: "<p>Hi</p><!-- ferry-source-id:src%3A9 -->",
        deal_id: 4,
        add_time: "2024-03-04 09:30:00",
        pinned_to_deal_flag: 1,
      });
    });

    it("builds an activity with its primary participant", () => {
      const payload = body(
        record(
          "activity",
          { subject: "Call", type: "Call", done: true, due_date: "2024-01-02" },
          { links: { person_id: "8", deal_id: "4" } },
        ),
      );
      expect(payload.path).toBe("/api/v2/activities");
      expect(payload.json).toEqual({
        subject: "Call",
        type: "call",
        done: true,
        due_date: "2024-01-02",
        note: "<!-- ferry-source-id:src%3A9 -->",
        deal_id: 4,
        participants: [{ person_id: 8, primary: true }],
      });
    });

    it("patches an existing record", () => {
      const payload = body(record("organization", { name: "Acme" }, { destinationId: "12" }));
      expect(payload.method).toBe("PATCH");
      expect(payload.path).toBe("/api/v2/organizations/12");
    });

    it.each([
      [
        record("deal", { title: "x", stage: "Qualified" }),
        'stage "Qualified" is given without its pipeline',
      ],
      [
        record("deal", { title: "x", status: "open", won_time: "2024-01-01T00:00:00Z" }),
        "won_time is set but the deal is not won",
      ],
      [
        record("person", { name: "x", owner: "bob@example.test" }),
        "owner bob@example.test is not a user of the Pipedrive account",
      ],
      [record("lead", { title: "x" }), "a lead needs a person_id or an organization_id link"],
      [
        record("note", { content: "x" }),
        "a note needs exactly one of deal_id, person_id, org_id, lead_id; got 0",
      ],
      [record("person", { name: "x", shoe_size: 4 }), 'person has no field "shoe_size"'],
      [
        record("deal", { title: "x" }, { custom: { Size: "Tiny" } }),
        'custom field "Size" has no option "Tiny"; add it with applySchema',
      ],
      [
        record("file", { path: "relative.txt" }, { links: { deal_id: "1" } }),
        "a file needs an absolute path",
      ],
      [record("ticket", {}), 'Pipedrive has no kind "ticket"'],
    ])("rejects an invalid record (%#)", (input, message) => {
      expect(encodeRecord(input, catalog)).toEqual({ _tag: "Invalid", message });
    });
  });

  describe("toV1Timestamp", () => {
    it("drops the T, milliseconds and zone", () => {
      expect(toV1Timestamp("2024-03-04T09:30:00.000Z")).toBe("2024-03-04 09:30:00");
    });
  });
});
