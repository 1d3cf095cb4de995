import { describe, expect, it } from "@effect/vitest";
import { Chunk, Effect, Stream } from "effect";
import { pipedriveRecordProblem } from "../../src/PipedriveRecords.js";
import { buildPipeline } from "../../src/Pipeline.js";
import type { FieldMapping, MappingPlan } from "../../src/Plan.js";
import { memoryStaging, records } from "../support/MemoryStaging.js";
import { samplePlan } from "../support/samplePlan.js";

const field = (
  column: string,
  transform: FieldMapping["transform"],
  target?: FieldMapping["target"],
): FieldMapping => ({
  object: "people",
  column,
  transform,
  confidence: 0.95,
  reason: "test",
  ...(target === undefined ? {} : { target }),
});

const plan: MappingPlan = {
  ...samplePlan,
  routes: [{ from: "people", to: ["organization", "person"] }],
  fields: [
    field("Nom complet", "full-name", { kind: "person", field: "name" }),
    field("Courriel", "email", { kind: "person", field: "emails" }),
    field("Société", "text", { kind: "organization", field: "name" }),
    field("Responsable", "owner"),
    field("Remarques", "note"),
  ],
};

const rows = records("people", [
  {
    id: "P1",
    "Nom complet": "Ana Lima",
    Courriel: "ana@x.test",
    Société: "Acme SARL",
    Responsable: "bia@example.test",
    Remarques: "VIP",
  },
  {
    id: "P2",
    "Nom complet": "Rui",
    Courriel: "rui@x.test",
    Société: "ACME",
    Responsable: "dora@example.test",
  },
]);

const run = () =>
  Chunk.toReadonlyArray(
    Effect.runSync(Stream.runCollect(buildPipeline(plan).transform(memoryStaging(rows)))),
  );

describe("planGeneric", () => {
  describe("planGeneric", () => {
    it("stages objects routed to persons", () => {
      expect(buildPipeline(plan).sourceKinds).toEqual(["people"]);
    });

    it("plans persons, organizations and notes from the mappings", () => {
      const outputs = run();
      const summary = outputs.map((o) =>
        o._tag === "PlannedRecord" || o._tag === "QueuedRecord"
          ? `${o._tag}:${o.kind}:${o.ref.sourceId}`
          : o._tag,
      );
      expect(summary).toEqual([
        "PlannedRecord:organization:acme",
        "PlannedRecord:person:P1",
        "PlannedRecord:note:P1",
        "QueuedRecord:person:P2",
      ]);
      for (const output of outputs) {
        if (output._tag === "PlannedRecord") expect(pipedriveRecordProblem(output)).toBeUndefined();
      }
    });

    it("records a record without an owner", () => {
      const ownerless = records("people", [{ id: "P3", "Nom complet": "Eva", Responsable: "" }]);
      const outputs = Effect.runSync(
        Stream.runCollect(buildPipeline(plan).transform(memoryStaging(ownerless))),
      );
      const step = Chunk.toReadonlyArray(outputs).find((o) => o._tag === "LossyStep");
      expect(step).toMatchObject({ code: "no-owner", field: "Responsable", value: "" });
    });

    it("links the person to its organization", () => {
      const person = run().find((o) => o._tag === "PlannedRecord" && o.kind === "person");
      expect(person?._tag === "PlannedRecord" ? person.links : undefined).toEqual({
        org_id: { kind: "organization", sourceId: "acme" },
      });
    });
  });
});
