import { describe, expect, it } from "@effect/vitest";
import { Origin } from "@ferry/core";

import { pipedriveRecordProblem } from "../src/PipedriveRecords.js";

const base = {
  _tag: "PlannedRecord",
  ref: { kind: "lead", sourceId: "L1" },
  origin: new Origin({ file: "leads.csv", line: 2 }),
  custom: {},
  links: {},
  linkKinds: {},
};
const record = (
  kind: string,
  fields: Record<string, unknown>,
  links: Record<string, unknown> = {},
) => ({
  ...base,
  kind,
  fields,
  links,
});
const person = { kind: "lead", sourceId: "L1" };

describe("PipedriveRecords", () => {
  describe("pipedriveRecordProblem", () => {
    it.each([
      ["organization", { name: "Acme", visible_to: 3 }, {}],
      [
        "person",
        {
          name: "Ana",
          emails: [{ value: "a@x.test", label: "work", primary: true }],
          phones: [{ value: "+5511912345678", label: "mobile", primary: true }],
        },
        { org_id: person },
      ],
      [
        "deal",
        {
          title: "T",
          status: "won",
          won_time: "2024-01-01T00:00:00Z",
          pipeline: "P",
          stage: "S",
          value: 1,
          currency: "EUR",
        },
        { person_id: person },
      ],
      ["lead", { title: "T", labels: ["Hot"] }, { person_id: person }],
      ["note", { content: "<p>x</p>", add_time: "2024-01-01T00:00:00Z" }, { deal_id: person }],
      [
        "activity",
        { type: "call", due_date: "2024-01-01", due_time: "09:30", duration: "00:15", done: true },
        { deal_id: person, person_id: person },
      ],
      ["file", { path: "/tmp/a.pdf", name: "a.pdf" }, { person_id: person }],
    ])("accepts a valid %s", (kind, fields, links) => {
      expect(pipedriveRecordProblem(record(kind, fields, links))).toBeUndefined();
    });

    it.each([
      ["person", { name: "" }, {}, "name"],
      [
        "person",
        { name: "Ana", phones: [{ value: "0612", label: "work", primary: true }] },
        {},
        "phones",
      ],
      ["person", { name: "Ana", email: "a@x.test" }, {}, "email"],
      ["deal", { title: "T", won_time: "2024-01-01T00:00:00Z" }, {}, "won_time"],
      ["deal", { title: "T", currency: "euro" }, {}, "currency"],
      ["lead", { title: "T" }, {}, "person_id or organization_id"],
      ["note", { content: "x" }, { deal_id: person, person_id: person }, "exactly one"],
      ["person", { name: "Ana" }, { deal_id: person }, "deal_id"],
      ["activity", { due_time: "9:30" }, {}, "due_time"],
      ["file", { path: "a.pdf", name: "a.pdf" }, { person_id: person }, "path"],
      ["user", { name: "x" }, {}, "not a Pipedrive record kind"],
      ["organization", { name: "Acme", owner: "Bia@X.test" }, {}, "owner"],
    ])("rejects a %s with %j", (kind, fields, links, problem) => {
      expect(pipedriveRecordProblem(record(kind, fields, links))).toContain(problem);
    });
  });
});
