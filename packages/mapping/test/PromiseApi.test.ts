import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { describe, expect, it } from "@effect/vitest";
import { Effect } from "effect";
import {
  confirmPlan,
  loadPlan,
  PlanError,
  proposePlan,
  verifyConfirmed,
  writePlan,
} from "../src/index.js";
import { column, inventory, object } from "./support/inventory.js";

const inv = inventory([object("contact", [column("Email", "email"), column("Nome", "string")])]);

describe("PromiseApi", () => {
  describe("proposePlan", () => {
    it("round-trips a proposal through a file, a hand edit and a confirmation", async () => {
      const path = join(mkdtempSync(join(tmpdir(), "ferry-api-")), "plan.yaml");
      const { plan } = await proposePlan({ inventory: inv });
      await writePlan(path, plan);
      writeFileSync(
        path,
        readFileSync(path, "utf8").replace(
          "dedupe:\n  keys:\n    - email\n    - phone",
          "dedupe:\n  keys:\n    - email",
        ),
      );

      const edited = await loadPlan(path);
      expect(edited.dedupe.keys).toEqual(["email"]);
      const confirmed = await confirmPlan(path, "ana@example.test");
      expect(confirmed.approval?.by).toBe("ana@example.test");
      const reloaded = await loadPlan(path);
      expect(await Effect.runPromise(verifyConfirmed(reloaded))).toBe(confirmed.approval?.hash);
    });
  });

  describe("loadPlan", () => {
    it("rejects with a PlanError naming the line", async () => {
      const path = join(mkdtempSync(join(tmpdir(), "ferry-api-")), "plan.yaml");
      const { plan } = await proposePlan({ inventory: inv });
      await writePlan(path, plan);
      writeFileSync(path, readFileSync(path, "utf8").replace("version: 1", "version: one"));
      const error = await loadPlan(path).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PlanError);
      expect((error as PlanError).line).toBe(3);
      expect((error as PlanError).path).toBe("version");
    });
  });
});
