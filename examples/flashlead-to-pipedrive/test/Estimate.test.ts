/**
 * The discovery estimate on the bundled sample export, read from disk. Its record counts are
 * those that a migration of the sample under the default plan produces. That is 24
 * organizations, 431 persons, 289 deals (131 from leads, 158 from invoices), 43 leads, 875
 * notes and 725 activities. No files are uploaded, because the attachments are not in the folder.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import type { Inventory } from "@ferry/core";
import { readBackTokens, tokenCost } from "@ferry/dest-pipedrive";
import { defaultProposer } from "@ferry/mapping";
import { makeFlashLeadSource } from "@ferry/source-flashlead";
import { Effect } from "effect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  countAttachmentFiles,
  countExportRows,
  type ExportCounts,
  estimateTokens,
} from "../src/Estimate.js";
import { sampleExportFolder } from "../src/SampleExport.js";

let inventory: Inventory;
let counts: ExportCounts;
let folder: string;

beforeAll(async () => {
  const source = makeFlashLeadSource({ folder: sampleExportFolder() });
  inventory = await Effect.runPromise(source.discover());
  counts = await Effect.runPromise(countExportRows(source));
  folder = mkdtempSync(join(tmpdir(), "ferry-estimate-"));
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe("Estimate", () => {
  describe("estimateTokens", () => {
    it("counts the sample's records by kind", () => {
      const estimate = estimateTokens(inventory, 30_000, { counts, attachmentFiles: 0 });

      expect(estimate.records).toEqual({
        organization: 24,
        person: 431,
        deal: 289,
        lead: 43,
        note: 875,
        activity: 725,
        file: 0,
      });
      expect(estimate.parts.leads).toBe(430);
      expect(estimate.parts.deals).toBe(1445);
      expect(estimate.parts.files).toBe(0);
    });

    it("works from the inventory without row counts", () => {
      const estimate = estimateTokens(inventory, 30_000, { attachmentFiles: 0 });

      // 55 leads are at the open stage "New" and 101 of 300 leads have an invoice.
      expect(estimate.records.lead).toBe(Math.round(55 * (1 - 101 / 300)));
      expect(estimate.records.deal).toBe(Math.round(202 * (1 - 101 / 300) + 158));
      // Leads name 24 companies, too many to list, and contacts name 8 of them.
      expect(estimate.records.organization).toBe(24);
    });

    it("follows the stage outcomes of a given plan", () => {
      const { plan } = Effect.runSync(defaultProposer.propose({ inventory }));
      const edited = {
        ...plan,
        stages: plan.stages.map((stage) =>
          stage.value === "New" ? { ...stage, to: "deal" as const, pipeline: "Sales" } : stage,
        ),
      };
      const estimate = estimateTokens(inventory, 30_000, {
        plan: edited,
        counts,
        attachmentFiles: 0,
      });

      expect(estimate.records.lead).toBe(0);
      expect(estimate.records.deal).toBe(289 + 43);
    });

    it("prices the schema items of the default plan", () => {
      const estimate = estimateTokens(inventory, 30_000, { counts });

      // 2 pipelines, 4 stages and 20 custom fields at 5 tokens, and 1 lead label at 10.
      expect(estimate.parts["schema setup"]).toBe(140);
      expect(estimate.parts["schema reads"]).toBe(90);
    });

    it("prices verification like the reader", () => {
      const estimate = estimateTokens(inventory, 30_000, { counts, attachmentFiles: 0 });
      const readBack = Object.entries(estimate.records).reduce(
        (sum, [kind, count]) => sum + readBackTokens(kind as keyof typeof estimate.records, count),
        0,
      );

      expect(estimate.parts.verification).toBe(readBack + 90);
      // Notes are listed in 2 pages of 500 at 20 tokens, persons read 100 ids a call.
      expect(readBackTokens("note", 875)).toBe(2 * (tokenCost("GET", "/v1/notes") ?? 0));
      expect(readBackTokens("person", 431)).toBe(5 * (tokenCost("GET", "/api/v2/persons") ?? 0));
    });

    it("adds the parts up to the total and days", () => {
      const estimate = estimateTokens(inventory, 1_000, { counts, attachmentFiles: 0 });
      const sum = Object.values(estimate.parts).reduce((total, n) => total + n, 0);

      expect(estimate.tokens).toBe(sum);
      expect(estimate.days).toBe(Math.ceil(sum / 1_000));
    });

    it("caps uploads at the files present", () => {
      const estimate = estimateTokens(inventory, 30_000, { counts, attachmentFiles: 3 });

      expect(estimate.records.file).toBe(3);
      expect(estimate.parts.files).toBe(3 * (tokenCost("POST", "/v1/files") ?? 0));
    });
  });

  describe("countAttachmentFiles", () => {
    it("counts files beside the CSV files and in attachment folders", () => {
      const exportDir = join(folder, "export");
      cpSync(sampleExportFolder(), exportDir, { recursive: true });
      expect(countAttachmentFiles(exportDir)).toBe(0);

      writeFileSync(join(exportDir, "proposal-1.pdf"), "%PDF-1.4\n");
      mkdirSync(join(exportDir, "attachments"));
      writeFileSync(join(exportDir, "attachments", "invoice-2.pdf"), "%PDF-1.4\n");
      writeFileSync(join(exportDir, "attachments", "photo.jpg"), "jpeg");

      expect(countAttachmentFiles(exportDir)).toBe(3);
    });

    it("counts nothing for a missing folder", () => {
      expect(countAttachmentFiles(join(folder, "absent"))).toBe(0);
    });
  });

  describe("countExportRows", () => {
    it("counts invoiced leads per stage", () => {
      const total = [...counts.invoicedByStage.values()].reduce((sum, n) => sum + n, 0);

      expect(total).toBe(101);
      expect(counts.invoicedByStage.get("New")).toBe(55 - 43);
    });

    it("counts organizations by their merge key", () => {
      expect(counts.organizations).toBe(24);
    });
  });
});
