import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { describe, expect, it } from "@effect/vitest";

import type { NoteTarget } from "../../src/transforms/NoteTarget.js";
import { planAttachments, resolveAttachment } from "../../src/transforms/planAttachments.js";
import { makeTransformContext } from "../../src/transforms/TransformContext.js";
import { sourceRecord } from "../support/MemoryStaging.js";
import { asLossy, asPlanned } from "../support/narrow.js";
import { samplePlan } from "../support/samplePlan.js";

const root = mkdtempSync(join(tmpdir(), "ferry-files-"));
mkdirSync(join(root, "attachments"));
mkdirSync(join(root, "2024"));
writeFileSync(join(root, "beside.pdf"), "x");
writeFileSync(join(root, "attachments", "inside.pdf"), "x");
writeFileSync(join(root, "2024", "nested.pdf"), "x");
const context = makeTransformContext(samplePlan, { exportFolder: root });
const target: NoteTarget = {
  link: "person_id",
  ref: { kind: "contact", sourceId: "C1" },
  kind: "person",
};

describe("planAttachments", () => {
  describe("resolveAttachment", () => {
    it.each([
      ["beside.pdf", "leads.csv", join(root, "beside.pdf")],
      ["inside.pdf", "leads.csv", join(root, "attachments", "inside.pdf")],
      ["nested.pdf", "2024/leads.csv", join(root, "2024", "nested.pdf")],
      ["missing.pdf", "leads.csv", undefined],
      ["../beside.pdf", "2024/leads.csv", undefined],
      ["/etc/passwd", "leads.csv", undefined],
    ])("resolves %j beside %s", (name, csv, expected) => {
      expect(resolveAttachment(name, csv, context)).toBe(expected);
    });
  });

  describe("planAttachments", () => {
    it("plans each file of a list and lists the missing ones", () => {
      const record = sourceRecord("contact", 3, {
        id: "C1",
        attachment: "beside.pdf; missing.pdf | inside.pdf",
      });
      const outputs = planAttachments(record, target, context);
      expect(outputs.map((o) => o._tag)).toEqual(["PlannedRecord", "LossyStep", "PlannedRecord"]);
      const [first, missing] = outputs;
      expect(asPlanned(first).fields).toEqual({
        path: join(root, "beside.pdf"),
        name: "beside.pdf",
      });
      expect(asPlanned(first).links).toEqual({ person_id: target.ref });
      expect(asLossy(missing).message).toContain("contacts.csv:3");
      expect(asLossy(missing).value).toBe("missing.pdf");
    });

    it("names the record a missing file belongs to once", () => {
      const record = sourceRecord("lead", 3, { id: "L214", attachment: "missing.pdf" });
      const lead: NoteTarget = {
        link: "lead_id",
        ref: { kind: "lead", sourceId: "L214" },
        kind: "lead",
      };
      const [missing] = planAttachments(record, lead, context);
      expect(asLossy(missing).message).toContain('file "missing.pdf" of lead L214 is not');
      const deal: NoteTarget = { ...lead, link: "deal_id", kind: "deal" };
      const [onDeal] = planAttachments(record, deal, context);
      expect(asLossy(onDeal).message).toContain('file "missing.pdf" of the deal of lead L214');
    });
  });
});
