/**
 * `discover` on the bundled sample export, read from disk: its estimate follows the default
 * proposer's plan, or a plan file when one is given, and counts no uploads for attachments
 * that are not in the folder.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { defaultProposer, writePlan } from "@ferry/mapping";
import { Effect } from "effect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { discover } from "../src/ReferencePipeline.js";
import { sampleExportFolder } from "../src/SampleExport.js";

let root: string;
let exportDir: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "ferry-discover-"));
  exportDir = join(root, "export");
  cpSync(sampleExportFolder(), exportDir, { recursive: true });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("ReferencePipeline", () => {
  describe("discover", () => {
    it("estimates by the default plan", async () => {
      const result = await discover(exportDir, {
        stateDir: join(root, "state-default"),
        dailyBudget: 30_000,
      });

      expect(result.estimate.records.lead).toBe(43);
      expect(result.estimate.records.deal).toBe(289);
      expect(result.estimate.records.organization).toBe(24);
      expect(result.estimate.records.file).toBe(0);
    });

    it("estimates by a given plan file", async () => {
      const first = await discover(exportDir, {
        stateDir: join(root, "state-first"),
        dailyBudget: 30_000,
      });
      const { plan } = Effect.runSync(defaultProposer.propose({ inventory: first.inventory }));
      const planPath = join(root, "plan.yaml");
      await writePlan(planPath, {
        ...plan,
        stages: plan.stages.map((stage) =>
          stage.value === "New" ? { ...stage, to: "deal" as const, pipeline: "Sales" } : stage,
        ),
      });

      const result = await discover(exportDir, {
        stateDir: join(root, "state-plan"),
        dailyBudget: 30_000,
        planPath,
      });

      expect(result.estimate.records.lead).toBe(0);
      expect(result.estimate.records.deal).toBe(289 + 43);
    });

    it("counts uploads of attachments in the folder", async () => {
      const withFiles = join(root, "with-files");
      cpSync(exportDir, withFiles, { recursive: true });
      writeFileSync(join(withFiles, "contract.pdf"), "%PDF-1.4\n");

      const result = await discover(withFiles, {
        stateDir: join(root, "state-files"),
        dailyBudget: 30_000,
      });

      expect(result.estimate.records.file).toBe(1);
    });
  });
});
