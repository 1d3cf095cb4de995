/**
 * Attachment names come from export cells, so they are untrusted: resolving one must never give
 * a path outside the export folder. These tests use real files in temporary folders, with a
 * secret file beside the export folder that no name may reach.
 *
 * NOTE: the names below escape lexically. A symbolic link inside the export folder that points
 * outside it is still resolved by `resolveAttachment`, so that case is not pinned here yet.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, sep } from "node:path";
import { describe, expect, it } from "@effect/vitest";
import { Origin, SourceRecord } from "@ferry/core";

import {
  makeTransformContext,
  type NoteTarget,
  planAttachments,
  resolveAttachment,
} from "../src/index.js";
import { samplePlan } from "./support/samplePlan.js";

/** Creates an export folder with one attachment, and a secret file in a sibling folder. */
const setUp = () => {
  const parent = mkdtempSync(join(tmpdir(), "ferry-attachments-"));
  const root = join(parent, "export");
  const outside = join(parent, "export-private");
  mkdirSync(join(root, "attachments"), { recursive: true });
  mkdirSync(outside);
  writeFileSync(join(root, "attachments", "proposal.pdf"), "%PDF-1.4\n");
  writeFileSync(join(outside, "secret.txt"), "secret\n");
  writeFileSync(join(parent, "secret.txt"), "secret\n");
  const context = makeTransformContext(samplePlan, { exportFolder: root });
  return { root, outside, context };
};

const escapingNames = [
  "../secret.txt",
  "../../etc/passwd",
  "..\\secret.txt",
  "attachments/../../secret.txt",
  "attachments/../../export-private/secret.txt",
  "../export-private/secret.txt",
  "/etc/passwd",
  "%2e%2e/secret.txt",
  "file:///etc/passwd",
  "~/secret.txt",
  "proposal.pdf\u0000../../secret.txt",
];

const target: NoteTarget = {
  link: "lead_id",
  ref: { kind: "lead", sourceId: "L-1" },
  kind: "lead",
};

const leadWith = (attachment: string) =>
  SourceRecord.make({
    kind: "lead",
    sourceId: "L-1",
    fields: { attachment },
    origin: new Origin({ file: "leads.csv", line: 2 }),
    warnings: [],
  });

describe("planAttachments", () => {
  describe("resolveAttachment", () => {
    it("resolves a file of the attachments folder", () => {
      const { root, context } = setUp();
      expect(resolveAttachment("proposal.pdf", "leads.csv", context)).toBe(
        join(root, "attachments", "proposal.pdf"),
      );
    });

    it.each(escapingNames)("never resolves %j", (name) => {
      const { context } = setUp();
      expect(resolveAttachment(name, "leads.csv", context)).toBeUndefined();
    });

    it("never resolves outside from a nested CSV", () => {
      const { context } = setUp();
      expect(resolveAttachment("../../secret.txt", "sub/leads.csv", context)).toBeUndefined();
      expect(resolveAttachment("../secret.txt", "sub/leads.csv", context)).toBeUndefined();
    });
  });

  describe("planAttachments", () => {
    it("plans files inside and reports the rest", () => {
      const { root, context } = setUp();
      const cell = ["proposal.pdf", ...escapingNames].join(";");

      const outputs = planAttachments(leadWith(cell), target, context);

      const files = outputs.filter((output) => output._tag === "PlannedRecord");
      expect(files.map((file) => file.fields.path)).toEqual([
        join(root, "attachments", "proposal.pdf"),
      ]);
      for (const file of files)
        expect(String(file.fields.path).startsWith(`${root}${sep}`)).toBe(true);

      const lossy = outputs.filter((output) => output._tag === "LossyStep");
      expect(lossy.map((step) => step.code)).toEqual(escapingNames.map(() => "attachment-missing"));
      expect(lossy.map((step) => step.value)).toEqual(escapingNames);
      for (const step of lossy) expect(step.message).toContain("leads.csv:2");
      for (const step of lossy) expect(step.message).toContain(`"${step.value}"`);
    });
  });
});
