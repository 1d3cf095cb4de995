import { describe, expect, it } from "@effect/vitest";
import { type SourceRecord, TransformOutput } from "@ferry/core";
import { Chunk, Effect, Either, Schema, Stream } from "effect";
import fc from "fast-check";
import { pipedriveRecordProblem } from "../src/PipedriveRecords.js";
import { buildPipeline } from "../src/Pipeline.js";
import { memoryStaging, sourceRecord } from "./support/MemoryStaging.js";
import { samplePlan } from "./support/samplePlan.js";

// Values that look like what an export holds, mixed with arbitrary text.
const cell = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.emailAddress(),
  fc.constantFrom(
    "",
    " ",
    "N/A",
    "R$ 1.000,50",
    "1,000.50",
    "-5",
    "(11) 91234-5678",
    "+5511",
    "31/02/2024",
  ),
  fc.constantFrom(
    "02/01/2024 10:00",
    "2024-01-05T12:00:00Z",
    "13/13/2024",
    "ontem",
    "Novo",
    "Proposta",
    "Ganho",
  ),
  fc.constantFrom(
    "Perdido",
    "Esquecido",
    "vip, expo;novo|VIP",
    "Facebook",
    "pago",
    "cancelado",
    "15",
    "1:30",
    "x.pdf",
    "../etc/passwd",
  ),
);

const leadIds = ["L1", "L2", "L3", "L4"];
const contactIds = ["C1", "C2", "C3"];
const ref = fc.constantFrom(...leadIds, ...contactIds, "X9", "");

const fieldsOf = (names: ReadonlyArray<string>) =>
  fc.record(
    Object.fromEntries(names.map((name) => [name, cell])) as Record<string, fc.Arbitrary<string>>,
  );

const personColumns = [
  "first_name",
  "last_name",
  "full_name",
  "email",
  "phone",
  "company",
  "job_title",
  "owner_email",
  "city",
  "country",
  "notes",
  "attachment",
  "created_at",
  "updated_at",
];
const leadColumns = [
  ...personColumns,
  "stage",
  "source",
  "tags",
  "value",
  "currency",
  "facebook_url",
];
const invoiceColumns = [
  "number",
  "amount",
  "currency",
  "status",
  "issue_date",
  "due_date",
  "paid_date",
  "description",
  "attachment",
];
const activityColumns = [
  "timestamp",
  "type",
  "text",
  "from_stage",
  "to_stage",
  "owner_email",
  "duration",
  "subject",
  "timestamp_iso",
];
const threadColumns = ["platform", "thread", "started_at", "last_message_at", "message_count"];

const withIds = (kind: string, ids: ReadonlyArray<string>, columns: ReadonlyArray<string>) =>
  fc
    .tuple(...ids.map(() => fieldsOf(columns)))
    .map((rows) =>
      rows.map((fields, index) =>
        sourceRecord(kind, index + 2, { ...fields, id: ids[index] ?? "" }),
      ),
    );

const joined = (
  kind: string,
  columns: ReadonlyArray<string>,
  extra: Record<string, fc.Arbitrary<string>>,
) =>
  fc
    .array(fc.tuple(fieldsOf(columns), fc.record(extra)), { maxLength: 6 })
    .map((rows) =>
      rows.map(([fields, links], index) =>
        sourceRecord(kind, index + 2, { ...fields, ...links, id: `${kind}-${index}` }),
      ),
    );

const activityKind = fc.constantFrom(
  "stage_transition",
  "call",
  "email",
  "meeting",
  "note",
  "message",
  "other",
);
const timestamp = fc.constantFrom(
  "",
  "2024-01-05T12:00:00Z",
  "2024-01-10T08:30:00Z",
  "2023-12-31T23:59:59Z",
);

const exportArbitrary = fc
  .tuple(
    withIds("lead", leadIds, leadColumns),
    withIds("contact", contactIds, [...personColumns, "lead_id"]),
    joined("invoice", invoiceColumns, { lead_id: ref, contact_id: ref }),
    joined("activity", activityColumns, {
      lead_id: ref,
      contact_id: ref,
      activity_kind: activityKind,
      timestamp_iso: timestamp,
    }),
    joined("message_thread", threadColumns, { lead_id: ref, contact_id: ref }),
    joined("team_member", ["name", "email", "role", "active"], {}),
  )
  .map((groups): ReadonlyArray<SourceRecord> => groups.flat());

const decodeOutput = Schema.decodeUnknownEither(TransformOutput);
// Runs per property; set FERRY_PROPERTY_RUNS for a deeper search.
const numRuns = Number(process.env.FERRY_PROPERTY_RUNS ?? 40);

/** Checks the outputs of one random export; returns nothing and fails by assertion. */
const checkExport = (all: ReadonlyArray<SourceRecord>) => {
  const pipeline = buildPipeline(samplePlan, undefined, {
    exportFolder: "/tmp/ferry-no-export",
    fileExists: () => false,
  });
  const outputs = Chunk.toReadonlyArray(
    Effect.runSync(Stream.runCollect(pipeline.transform(memoryStaging(all)))),
  );

  for (const output of outputs) {
    expect(Either.isRight(decodeOutput(output))).toBe(true);
    if (output._tag === "PlannedRecord") expect(pipedriveRecordProblem(output)).toBeUndefined();
  }

  const keys = outputs.flatMap((o) =>
    o._tag === "PlannedRecord" ? [`${o.kind}:${o.ref.kind}:${o.ref.sourceId}`] : [],
  );
  expect(new Set(keys).size).toBe(keys.length);

  const mentioned = new Set(
    outputs.flatMap((o) => {
      if (o._tag === "Rejection")
        return o.sourceId === undefined ? [] : [`${o.kind}:${o.sourceId}`];
      return [`${o.ref.kind}:${o.ref.sourceId}`];
    }),
  );
  for (const record of all.filter((r) => r.kind !== "team_member")) {
    expect(
      mentioned.has(`${record.kind}:${record.sourceId}`),
      `${record.kind} ${record.sourceId}`,
    ).toBe(true);
  }
};

describe("Pipeline", () => {
  describe("transform", () => {
    it("plans valid, unique records and accounts for every source record", () => {
      fc.assert(fc.property(exportArbitrary, checkExport), { numRuns });
    });
  });
});
