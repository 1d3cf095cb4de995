/**
 * A small pipeline for runner tests: companies become organizations, contacts persons linked
 * to their organization, deals deals linked to their person, and notes notes linked to their
 * deal. It exercises the staging index (deals per contact), rejections, queued records and
 * lossy steps, and it builds fixture tables with many records.
 */
import { Effect, Stream } from "effect";

import {
  contentHash,
  LossyStep,
  type Pipeline,
  PlannedRecord,
  QueuedRecord,
  Rejection,
  type SchemaChange,
  type SourceRecord,
  type Staging,
  type TransformOutput,
} from "../../src/index.js";
import type { MemoryRow } from "./InMemory.js";

/** The stages of the toy pipeline's deals. */
export const toyStages = ["Lead in", "Qualified", "Proposal", "Won"];

/** The schema changes of the toy pipeline. */
export const toySchemaChanges: ReadonlyArray<SchemaChange> = [
  { _tag: "EnsurePipeline", name: "Sales", stages: toyStages.map((name) => ({ name })) },
  {
    _tag: "EnsureField",
    kind: "person",
    name: "Lead source",
    type: "enum",
    options: ["Facebook", "Referral"],
  },
  { _tag: "EnsureField", kind: "deal", name: "Tags", type: "set", options: ["vip", "b2b"] },
  { _tag: "EnsureUser", email: "ana@example.test", name: "Ana", isActive: true },
];

const organization = (record: SourceRecord): TransformOutput =>
  PlannedRecord.make(
    {
      kind: "organization",
      ref: { kind: record.kind, sourceId: record.sourceId },
      origin: record.origin,
      fields: { name: record.fields.name ?? "" },
      custom: {},
      links: {},
    },
    true,
  );

const person = (
  staging: Staging,
  record: SourceRecord,
): Effect.Effect<ReadonlyArray<TransformOutput>> =>
  Effect.gen(function* () {
    const ref = { kind: record.kind, sourceId: record.sourceId };
    if (record.fields.owner === "nobody@example.test") {
      return [
        QueuedRecord.make(
          {
            kind: "person",
            ref,
            origin: record.origin,
            reason: "owner-without-user",
            message: `owner ${record.fields.owner} has no user`,
            value: record.fields.owner,
          },
          true,
        ),
      ];
    }
    const deals = yield* staging.find("deal", "contact_id", record.sourceId).pipe(Stream.runCount);
    const companyId = record.fields.company_id ?? "";
    return [
      PlannedRecord.make(
        {
          kind: "person",
          ref,
          origin: record.origin,
          fields: { name: record.fields.name ?? "" },
          custom: { "Lead source": record.fields.source ?? "", Deals: deals },
          links: companyId === "" ? {} : { org_id: { kind: "company", sourceId: companyId } },
        },
        true,
      ),
    ];
  });

const deal = (record: SourceRecord): ReadonlyArray<TransformOutput> => {
  const ref = { kind: record.kind, sourceId: record.sourceId };
  const value = Number(record.fields.value);
  if (record.fields.value !== "" && Number.isNaN(value)) {
    return [
      Rejection.make(
        {
          kind: record.kind,
          origin: record.origin,
          code: "invalid-number",
          message: `value ${JSON.stringify(record.fields.value)} is not a number`,
          sourceId: record.sourceId,
          column: "value",
          ...(record.fields.value === undefined ? {} : { value: record.fields.value }),
        },
        true,
      ),
    ];
  }
  return [
    PlannedRecord.make(
      {
        kind: "deal",
        ref,
        origin: record.origin,
        fields: {
          title: record.fields.title ?? "",
          pipeline: "Sales",
          stage: record.fields.stage ?? "",
          value: record.fields.value === "" ? null : value,
        },
        custom: {},
        links: { person_id: { kind: "contact", sourceId: record.fields.contact_id ?? "" } },
      },
      true,
    ),
  ];
};

const note = (record: SourceRecord): ReadonlyArray<TransformOutput> => {
  const ref = { kind: record.kind, sourceId: record.sourceId };
  const outputs: Array<TransformOutput> = [
    PlannedRecord.make(
      {
        kind: "note",
        ref,
        origin: record.origin,
        fields: { content: record.fields.content ?? "" },
        custom: {},
        links: { deal_id: { kind: "deal", sourceId: record.fields.deal_id ?? "" } },
      },
      true,
    ),
  ];
  if ((record.fields.attachment ?? "") !== "") {
    outputs.push(
      LossyStep.make(
        {
          ref,
          origin: record.origin,
          field: "attachment",
          code: "attachment-missing",
          message: `attachment ${record.fields.attachment} is not in the export`,
          value: record.fields.attachment ?? "",
        },
        true,
      ),
    );
  }
  return outputs;
};

/** Makes the toy pipeline; `version` changes its plan hash. */
export const makeToyPipeline = (version = "v1"): Pipeline => ({
  planHash: contentHash({ pipeline: "toy", version }),
  schemaChanges: toySchemaChanges,
  sourceKinds: ["company", "contact", "deal", "note"],
  indexes: { deal: ["contact_id"] },
  transform: (staging) =>
    Stream.concat(
      Stream.concat(
        staging.all("company").pipe(Stream.map(organization)),
        staging.all("contact").pipe(
          Stream.mapEffect((record) => person(staging, record)),
          Stream.flattenIterables,
        ),
      ),
      Stream.concat(
        staging.all("deal").pipe(Stream.map(deal), Stream.flattenIterables),
        staging.all("note").pipe(Stream.map(note), Stream.flattenIterables),
      ),
    ),
});

/** Builds toy source tables with `n` companies, two contacts per company, and deals and notes. */
export const toyTables = (n: number): Record<string, ReadonlyArray<MemoryRow>> => {
  const company: Array<MemoryRow> = [];
  const contact: Array<MemoryRow> = [];
  const dealRows: Array<MemoryRow> = [];
  const noteRows: Array<MemoryRow> = [];
  for (let i = 1; i <= n; i += 1) {
    company.push({ id: `K${i}`, name: `Company ${i}` });
    for (const j of [1, 2]) {
      const id = `C${i}-${j}`;
      contact.push({
        id,
        name: `Contact ${i}.${j}`,
        company_id: `K${i}`,
        source: j === 1 ? "Facebook" : "Referral",
        owner: "ana@example.test",
      });
      const dealId = `D${i}-${j}`;
      dealRows.push({
        id: dealId,
        title: `Deal ${i}.${j}`,
        stage: toyStages[(i + j) % toyStages.length] ?? "",
        value: String(i * 100 + j),
        contact_id: id,
      });
      noteRows.push({
        id: `N${i}-${j}`,
        content: `Note on deal ${i}.${j}`,
        deal_id: dealId,
        attachment: "",
      });
    }
  }
  return { company, contact, deal: dealRows, note: noteRows };
};
