import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { describe, expect, it } from "@effect/vitest";
import { Effect, Option, Schema } from "effect";

import {
  confirm,
  memoryApprovals,
  planFileApprovals,
  verifyApproved,
  verifyConfirmed,
} from "../src/Confirmation.js";
import { MappingPlan } from "../src/Plan.js";
import { loadPlanFile, writePlanFile } from "../src/PlanFile.js";
import { planHash } from "../src/planHash.js";
import { samplePlan } from "./support/samplePlan.js";

const at = new Date("2026-01-02T03:04:05Z");

describe("Confirmation", () => {
  describe("confirm", () => {
    it.effect("stores the hash, who and when", () =>
      Effect.gen(function* () {
        const approvals = memoryApprovals();
        const confirmed = yield* confirm(samplePlan, { by: "ana@example.test", at }, approvals);
        expect(confirmed.approval).toEqual({
          hash: planHash(samplePlan),
          by: "ana@example.test",
          at: "2026-01-02T03:04:05.000Z",
        });
        expect(approvals.all()).toEqual([confirmed.approval]);
      }),
    );

    it("keeps the hash when only the approval differs", () => {
      const approval = { hash: "sha256:x", by: "a", at: "b" };
      expect(planHash({ ...samplePlan, approval })).toBe(planHash(samplePlan));
    });

    it("hashes no absent defaultOwner", () => {
      // The hash covers the encoded plan, so a plan without the field hashes as it did before
      // the field existed.
      const encoded = Schema.encodeSync(MappingPlan)(samplePlan);
      expect(Object.keys(encoded)).not.toContain("defaultOwner");
      expect(planHash({ ...samplePlan, defaultOwner: undefined })).toBe(planHash(samplePlan));
      expect(planHash({ ...samplePlan, defaultOwner: "bia@example.test" })).not.toBe(
        planHash(samplePlan),
      );
    });

    it("changes the hash on any edit", () => {
      const edited = { ...samplePlan, visibility: { person: 7 as const } };
      expect(planHash(edited)).not.toBe(planHash(samplePlan));
    });
  });

  describe("verifyConfirmed", () => {
    it.effect("rejects a plan nobody confirmed", () =>
      Effect.gen(function* () {
        const error = yield* Effect.flip(verifyConfirmed(samplePlan));
        expect(error._tag).toBe("PlanNotConfirmedError");
        expect(error.message).toContain("not confirmed");
      }),
    );

    it.effect("rejects a plan changed since, with both hashes", () =>
      Effect.gen(function* () {
        const confirmed = yield* confirm(samplePlan, { by: "ana@example.test", at });
        const edited = { ...confirmed, dedupe: { keys: ["email" as const] } };
        const error = yield* Effect.flip(verifyConfirmed(edited));
        expect(error._tag).toBe("PlanChangedError");
        if (error._tag !== "PlanChangedError") return;
        expect(error.confirmedHash).toBe(planHash(samplePlan));
        expect(error.currentHash).toBe(planHash(edited));
        expect(error.message).toContain("ana@example.test");
      }),
    );

    it.effect("accepts a confirmed plan and returns its hash", () =>
      Effect.gen(function* () {
        const confirmed = yield* confirm(samplePlan, { by: "ana@example.test", at });
        expect(yield* verifyConfirmed(confirmed)).toBe(planHash(samplePlan));
      }),
    );
  });

  describe("verifyApproved", () => {
    it.effect("rejects an approval block the store never recorded", () =>
      Effect.gen(function* () {
        const forged = {
          ...samplePlan,
          approval: { hash: planHash(samplePlan), by: "x", at: "y" },
        };
        const error = yield* Effect.flip(verifyApproved(forged, memoryApprovals()));
        expect(error._tag).toBe("PlanNotConfirmedError");
      }),
    );
  });

  describe("planFileApprovals", () => {
    it.effect("writes the approval into the plan file", () =>
      Effect.gen(function* () {
        const path = join(mkdtempSync(join(tmpdir(), "ferry-confirm-")), "plan.yaml");
        yield* writePlanFile(path, samplePlan);
        const approvals = planFileApprovals(path);
        yield* confirm(yield* loadPlanFile(path), { by: "ana@example.test", at }, approvals);

        const text = readFileSync(path, "utf8");
        expect(text).toContain("approval:");
        const loaded = yield* loadPlanFile(path);
        expect(yield* verifyApproved(loaded, approvals)).toBe(planHash(samplePlan));

        writeFileSync(path, text.replace("action: queue", "action: add"));
        const changed = yield* loadPlanFile(path);
        const error = yield* Effect.flip(verifyConfirmed(changed));
        expect(error._tag).toBe("PlanChangedError");
        expect(Option.isNone(yield* approvals.find(planHash(changed)))).toBe(true);
      }),
    );
  });
});
