/**
 * `applySchema()`: makes the pipelines, stages, custom fields and options, lead labels, activity
 * types and users a plan needs, plus the `Ferry source id` marker field on each entity kind.
 * It reads the schema first and creates only what is missing, so a second run creates nothing,
 * and it checks the plan's custom field cap before it creates anything.
 */
import {
  type CreatedSchemaItem,
  DestinationError,
  type DestinationSchema,
  type SchemaApplyResult,
  type SchemaChange,
} from "@ferry/core";
import { Effect } from "effect";

import { fieldKindOf, fieldKinds, markerFieldName, readSchema } from "./Catalog.js";
import { dataOf } from "./internal/paging.js";
import type { PipedriveClient } from "./PipedriveClient.js";

type EnsureField = Extract<SchemaChange, { _tag: "EnsureField" }>;
type EnsurePipeline = Extract<SchemaChange, { _tag: "EnsurePipeline" }>;

/** The marker fields every entity kind gets. */
const markerChanges: ReadonlyArray<EnsureField> = Object.keys(fieldKinds).map((kind) => ({
  _tag: "EnsureField",
  kind,
  name: markerFieldName,
  type: "varchar",
  options: [],
}));

const str = (value: unknown): string =>
  value === null || value === undefined ? "" : String(value);

const record = (body: unknown): Record<string, unknown> =>
  (dataOf(body) ?? {}) as Record<string, unknown>;

/** Merges field changes by kind and name, so one field is created once with every option. */
const mergeFieldChanges = (changes: ReadonlyArray<SchemaChange>): ReadonlyArray<EnsureField> => {
  const merged = new Map<string, EnsureField>();
  const fields = changes.filter((change): change is EnsureField => change._tag === "EnsureField");
  for (const change of [...markerChanges, ...fields]) {
    const kind = fieldKindOf(change.kind) ?? change.kind;
    const key = `${kind}\u0000${change.name}`;
    const previous = merged.get(key);
    const options = [...(previous?.options ?? []), ...change.options];
    merged.set(key, { ...change, kind, options: [...new Set(options)] });
  }
  return [...merged.values()];
};

const validation = (detail: string) => new DestinationError({ reason: "validation", detail });

/** Applies schema changes; see the file header. */
export const applySchemaChanges = (
  client: PipedriveClient,
  changes: ReadonlyArray<SchemaChange>,
): Effect.Effect<SchemaApplyResult, DestinationError> =>
  Effect.gen(function* () {
    const schema = yield* readSchema(client);
    const fields = mergeFieldChanges(changes);
    yield* checkFieldCap(schema, fields);

    const created: Array<CreatedSchemaItem> = [];
    const existing: Array<string> = [];

    for (const change of changes) {
      if (change._tag === "EnsurePipeline") {
        yield* ensurePipeline(client, schema, change, created, existing);
      } else if (change._tag === "EnsureLabel") {
        yield* ensureLabel(client, schema, change, created, existing);
      } else if (change._tag === "EnsureActivityType") {
        yield* ensureActivityType(client, schema, change, created, existing);
      } else if (change._tag === "EnsureUser") {
        yield* ensureUser(client, schema, change, created, existing);
      }
    }
    for (const change of fields) yield* ensureField(client, schema, change, created, existing);

    return { created, existing };
  });

/** Fails with `plan-cap` before anything is created when the new fields would pass the cap. */
const checkFieldCap = (schema: DestinationSchema, fields: ReadonlyArray<EnsureField>) => {
  for (const change of fields) {
    if (!(change.kind in fieldKinds)) {
      return Effect.fail(
        validation(
          `custom fields on "${change.kind}" are not supported; use organization, person, deal or lead`,
        ),
      );
    }
  }
  const missing = fields.filter(
    (change) =>
      !(schema.fields[change.kind] ?? []).some(
        (field) => field.isCustom && field.name === change.name,
      ),
  );
  const count = schema.limits.customFieldCount ?? 0;
  const cap = schema.limits.customFieldCap ?? Number.POSITIVE_INFINITY;
  if (count + missing.length <= cap) return Effect.void;

  return Effect.fail(
    new DestinationError({
      reason: "plan-cap",
      detail: `the plan allows ${cap} custom fields, the account has ${count} and the plan needs ${missing.length} more (${missing.map((change) => `${change.kind}.${change.name}`).join(", ")})`,
    }),
  );
};

const ensurePipeline = (
  client: PipedriveClient,
  schema: DestinationSchema,
  change: EnsurePipeline,
  created: Array<CreatedSchemaItem>,
  existing: Array<string>,
) =>
  Effect.gen(function* () {
    const pipeline = schema.pipelines.find((candidate) => candidate.name === change.name);
    let pipelineId = pipeline?.id;
    if (pipelineId === undefined) {
      const response = yield* client.request({
        method: "POST",
        path: "/api/v2/pipelines",
        json: {
          name: change.name,
          is_deal_probability_enabled: change.stages.some(
            (stage) => stage.probability !== undefined,
          ),
        },
        idempotent: false,
      });
      pipelineId = str(record(response.body).id);
      created.push({ type: "pipeline", id: pipelineId, name: change.name });
    } else {
      existing.push(`pipeline ${change.name}`);
    }

    // v2 cannot set a stage's order: stages go to the end in creation order, so they are made in
    // the plan's order.
    for (const stage of change.stages) {
      if (pipeline?.stages.some((candidate) => candidate.name === stage.name) === true) {
        existing.push(`stage ${change.name}/${stage.name}`);
        continue;
      }
      const response = yield* client.request({
        method: "POST",
        path: "/api/v2/stages",
        json: {
          name: stage.name,
          pipeline_id: Number(pipelineId),
          ...(stage.probability === undefined ? {} : { deal_probability: stage.probability }),
        },
        idempotent: false,
      });
      created.push({
        type: "stage",
        id: str(record(response.body).id),
        name: stage.name,
        parentId: pipelineId,
      });
    }
  });

const ensureField = (
  client: PipedriveClient,
  schema: DestinationSchema,
  change: EnsureField,
  created: Array<CreatedSchemaItem>,
  existing: Array<string>,
) =>
  Effect.gen(function* () {
    const path = fieldKinds[change.kind as keyof typeof fieldKinds];
    const field = (schema.fields[change.kind] ?? []).find(
      (candidate) => candidate.isCustom && candidate.name === change.name,
    );

    if (field === undefined) {
      const needsOptions = change.type === "enum" || change.type === "set";
      const response = yield* client.request({
        method: "POST",
        path,
        json: {
          field_name: change.name,
          field_type: change.type,
          ...(needsOptions ? { options: change.options.map((label) => ({ label })) } : {}),
        },
        idempotent: false,
        kind: change.kind,
      });
      const data = record(response.body);
      created.push({
        type: "field",
        id: str(data.field_code),
        name: change.name,
        kind: change.kind,
      });
      return;
    }

    if (field.type !== change.type) {
      return yield* Effect.fail(
        validation(
          `${change.kind} field "${change.name}" exists with type ${field.type}, not ${change.type}; rename one of them`,
        ),
      );
    }
    existing.push(`field ${change.kind}.${change.name}`);

    const missing = change.options.filter(
      (label) => !field.options.some((option) => option.label === label),
    );
    if (missing.length === 0) return;
    const response = yield* client.request({
      method: "POST",
      path: `${path}/${field.key}/options`,
      json: missing.map((label) => ({ label })),
      idempotent: false,
      kind: change.kind,
    });
    const options = Array.isArray(dataOf(response.body))
      ? (dataOf(response.body) as Array<Record<string, unknown>>)
      : [];
    for (const option of options.filter((candidate) => missing.includes(str(candidate.label)))) {
      created.push({
        type: "option",
        id: str(option.id),
        name: str(option.label),
        kind: change.kind,
        parentId: field.key,
      });
    }
  });

const ensureLabel = (
  client: PipedriveClient,
  schema: DestinationSchema,
  change: Extract<SchemaChange, { _tag: "EnsureLabel" }>,
  created: Array<CreatedSchemaItem>,
  existing: Array<string>,
) =>
  Effect.gen(function* () {
    if (change.kind !== "lead") {
      return yield* Effect.fail(
        validation(`labels on "${change.kind}" are not supported; only lead labels are`),
      );
    }
    if (schema.labels.some((label) => label.kind === "lead" && label.name === change.name)) {
      existing.push(`label ${change.name}`);
      return;
    }
    const response = yield* client.request({
      method: "POST",
      path: "/api/v1/leadLabels",
      json: { name: change.name, color: change.color ?? "gray" },
      idempotent: false,
    });
    created.push({
      type: "label",
      id: str(record(response.body).id),
      name: change.name,
      kind: "lead",
    });
  });

const ensureActivityType = (
  client: PipedriveClient,
  schema: DestinationSchema,
  change: Extract<SchemaChange, { _tag: "EnsureActivityType" }>,
  created: Array<CreatedSchemaItem>,
  existing: Array<string>,
) =>
  Effect.gen(function* () {
    const wanted = change.name.toLowerCase();
    if (
      schema.activityTypes.some(
        (type) => type.name.toLowerCase() === wanted || type.key === change.name,
      )
    ) {
      existing.push(`activity type ${change.name}`);
      return;
    }
    const response = yield* client.request({
      method: "POST",
      path: "/api/v1/activityTypes",
      json: { name: change.name, icon_key: change.icon ?? "task" },
      idempotent: false,
    });
    const data = record(response.body);
    created.push({ type: "activity-type", id: str(data.key_string ?? data.id), name: change.name });
  });

const ensureUser = (
  client: PipedriveClient,
  schema: DestinationSchema,
  change: Extract<SchemaChange, { _tag: "EnsureUser" }>,
  created: Array<CreatedSchemaItem>,
  existing: Array<string>,
) =>
  Effect.gen(function* () {
    const email = change.email.trim().toLowerCase();
    if (schema.users.some((user) => user.email === email)) {
      existing.push(`user ${email}`);
      return;
    }
    const response = yield* client.request({
      method: "POST",
      path: "/api/v1/users",
      json: { email, name: change.name, active_flag: change.isActive },
      idempotent: false,
    });
    created.push({ type: "user", id: str(record(response.body).id), name: email });
  });
