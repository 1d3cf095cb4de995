import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { describe, expect, it } from "vitest";

import { resolveAttachment } from "../../src/transforms/planAttachments.js";
import { makeTransformContext } from "../../src/transforms/TransformContext.js";
import { samplePlan } from "../support/samplePlan.js";

/** An export folder with a real attachment, and links that point outside it. */
const exportWithLinks = () => {
  const parent = mkdtempSync(join(tmpdir(), "ferry-attachments-"));
  const root = join(parent, "export");
  const outside = join(parent, "outside");
  mkdirSync(join(root, "attachments"), { recursive: true });
  mkdirSync(outside);
  writeFileSync(join(root, "attachments", "invoice.pdf"), "%PDF-1.4\n");
  writeFileSync(join(outside, "secret.txt"), "secret\n");
  symlinkSync(join(outside, "secret.txt"), join(root, "attachments", "link.pdf"));
  symlinkSync(outside, join(root, "files"));
  return { root, context: makeTransformContext(samplePlan, { exportFolder: root }) };
};

describe("planAttachments", () => {
  describe("resolveAttachment", () => {
    it("finds a file in the attachments folder", () => {
      const { root, context } = exportWithLinks();
      expect(resolveAttachment("invoice.pdf", "leads.csv", context)).toBe(
        join(root, "attachments", "invoice.pdf"),
      );
    });

    it.each([
      ["a link to a file outside", "link.pdf"],
      ["a file in a linked folder", "secret.txt"],
      ["a folder name", "attachments"],
      ["the folder itself", "."],
    ])("rejects %s", (_case, name) => {
      const { context } = exportWithLinks();
      expect(resolveAttachment(name, "leads.csv", context)).toBeUndefined();
    });
  });
});
