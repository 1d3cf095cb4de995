/**
 * `applySchema()`: makes the pipelines, stages, custom fields and options, lead labels, activity
 * types and users a plan needs, plus the `Ferry source id` marker field on each entity kind.
 * It compares the changes with the account's current schema and creates only what is missing,
 * so a second run creates nothing, and it checks the plan's custom field cap before it creates
 * anything. It returns the schema with the new items added from the create responses, so the
 * caller need not read the account again. Its `existing` list names the items of the caller's
 * changes that the account already had. The marker fields are left out of it, because every
 * call ensures them, so a call that adds only users would otherwise count them as existing.
 */
import {
  type CreatedSchemaItem,
  DestinationError,
  type DestinationSchema,
  type SchemaApplyResult,
  type SchemaChange,
} from "@ferry/core";
import { Effect } from "effect";

import {
  type FieldKind,
  fieldKindOf,
  fieldKinds,
  markerFieldName,
  readSchema,
  withActivityType,
  withField,
  withLabel,
  withOptions,
  withPipeline,
  withStage,
  withUser,
} from "./Catalog.js";
import { dataOf } from "./internal/paging.js";
import type { PipedriveClient } from "./PipedriveClient.js";

type EnsureField = Extract<SchemaChange, { _tag: "EnsureField" }>;
type EnsurePipeline = Extract<SchemaChange, { _tag: "EnsurePipeline" }>;

/** The marker fields every entity kind gets, added to the changes of every `applySchema` call. */
export const markerFieldChanges: ReadonlyArray<EnsureField> = Object.keys(fieldKinds).map(
  (kind) => ({
    _tag: "EnsureField",
    kind,
    name: markerFieldName,
    type: "varchar",
    options: [],
  }),
);

const str = (value: unknown): string =>
  value === null || value === undefined ? "" : String(value);

const record = (body: unknown): Record<string, unknown> =>
  (dataOf(body) ?? {}) as Record<string, unknown>;

const fieldKey = (change: EnsureField): string =>
  `${fieldKindOf(change.kind) ?? change.kind}\u0000${change.name}`;

const fieldChanges = (changes: ReadonlyArray<SchemaChange>): ReadonlyArray<EnsureField> =>
  changes.filter((change): change is EnsureField => change._tag === "EnsureField");

/** Merges field changes by kind and name, so one field is created once with every option. */
const mergeFieldChanges = (changes: ReadonlyArray<SchemaChange>): ReadonlyArray<EnsureField> => {
  const merged = new Map<string, EnsureField>();
  for (const change of [...markerFieldChanges, ...fieldChanges(changes)]) {
    const kind = fieldKindOf(change.kind) ?? change.kind;
    const key = fieldKey(change);
    const previous = merged.get(key);
    const options = [...(previous?.options ?? []), ...change.options];
    merged.set(key, { ...change, kind, options: [...new Set(options)] });
  }
  return [...merged.values()];
};

const validation = (detail: string) => new DestinationError({ reason: "validation", detail });

/** Result of `applySchemaChanges`: the runner's result and the schema after the changes. */
export interface SchemaApplied {
  readonly result: SchemaApplyResult;
  /**
   * The schema passed in plus every item created, built from the create responses. It is
   * read from the account again when a response lacked the new item's id or key.
   */
  readonly schema: DestinationSchema;
}

/** The schema as the changes so far left it, and what they created or found. */
interface SetupState {
  schema: DestinationSchema;
  readonly created: Array<CreatedSchemaItem>;
  readonly existing: Array<string>;
  /** A create response lacked an id or key, so `schema` misses an item that exists. */
  incomplete: boolean;
}

/** Records an item a create returned. An empty id marks the snapshot incomplete. */
const recordCreated = (state: SetupState, item: CreatedSchemaItem) => {
  if (item.id === "") state.incomplete = true;
  state.created.push(item);
};

/**
 * Applies schema changes to an account whose current schema is `schema`, as the file header
 * describes. An item missing from `schema` is created again, so it must not be stale.
 */
export const applySchemaChanges = (
  client: PipedriveClient,
  schema: DestinationSchema,
  changes: ReadonlyArray<SchemaChange>,
): Effect.Effect<SchemaApplied, DestinationError> =>
  Effect.gen(function* () {
    const fields = mergeFieldChanges(changes);
    yield* checkFieldCap(schema, fields);

    const state: SetupState = { schema, created: [], existing: [], incomplete: false };
    for (const change of changes) {
      if (change._tag === "EnsurePipeline") {
        yield* ensurePipeline(client, state, change);
      } else if (change._tag === "EnsureLabel") {
        yield* ensureLabel(client, state, change);
      } else if (change._tag === "EnsureActivityType") {
        yield* ensureActivityType(client, state, change);
      } else if (change._tag === "EnsureUser") {
        yield* ensureUser(client, state, change);
      }
    }
    const requested = new Set(fieldChanges(changes).map(fieldKey));
    for (const change of fields) {
      yield* ensureField(client, state, change, requested.has(fieldKey(change)));
    }

    // NOTE: an item recorded from a response without an id keeps the empty id in `created`.
    // The runner's before and after snapshots still journal it with its id from this read.
    const after = state.incomplete ? yield* readSchema(client) : state.schema;
    return { result: { created: state.created, existing: state.existing }, schema: after };
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

const ensurePipeline = (client: PipedriveClient, state: SetupState, change: EnsurePipeline) =>
  Effect.gen(function* () {
    let pipelineId = state.schema.pipelines.find((candidate) => candidate.name === change.name)?.id;
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
      const data = record(response.body);
      pipelineId = str(data.id);
      state.schema = withPipeline(state.schema, { name: change.name, ...data });
      recordCreated(state, { type: "pipeline", id: pipelineId, name: change.name });
    } else {
      state.existing.push(`pipeline ${change.name}`);
    }

    // v2 cannot set a stage's order: stages go to the end in creation order, so they are made in
    // the plan's order.
    for (const stage of change.stages) {
      const stages = state.schema.pipelines.find(
        (candidate) => candidate.id === pipelineId,
      )?.stages;
      if (stages?.some((candidate) => candidate.name === stage.name) === true) {
        state.existing.push(`stage ${change.name}/${stage.name}`);
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
      const data = record(response.body);
      state.schema = withStage(state.schema, pipelineId, { name: stage.name, ...data });
      recordCreated(state, {
        type: "stage",
        id: str(data.id),
        name: stage.name,
        parentId: pipelineId,
      });
    }
  });

/** Ensures a field; `requested` is false for a marker field the caller's changes do not name. */
const ensureField = (
  client: PipedriveClient,
  state: SetupState,
  change: EnsureField,
  requested: boolean,
) =>
  Effect.gen(function* () {
    const kind = change.kind as FieldKind;
    const path = fieldKinds[kind];
    const field = (state.schema.fields[kind] ?? []).find(
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
        kind,
      });
      const data = record(response.body);
      const returned = Array.isArray(data.options) ? data.options.length : 0;
      if (needsOptions && returned < change.options.length) state.incomplete = true;
      state.schema = withField(state.schema, kind, {
        field_name: change.name,
        field_type: change.type,
        is_custom_field: true,
        ...data,
      });
      recordCreated(state, { type: "field", id: str(data.field_code), name: change.name, kind });
      return;
    }

    if (field.type !== change.type) {
      return yield* Effect.fail(
        validation(
          `${change.kind} field "${change.name}" exists with type ${field.type}, not ${change.type}; rename one of them`,
        ),
      );
    }
    if (requested) state.existing.push(`field ${change.kind}.${change.name}`);

    const missing = change.options.filter(
      (label) => !field.options.some((option) => option.label === label),
    );
    if (missing.length === 0) return;
    const response = yield* client.request({
      method: "POST",
      path: `${path}/${field.key}/options`,
      json: missing.map((label) => ({ label })),
      idempotent: false,
      kind,
    });
    const options = Array.isArray(dataOf(response.body))
      ? (dataOf(response.body) as Array<Record<string, unknown>>)
      : [];
    const added = options.filter((candidate) => missing.includes(str(candidate.label)));
    if (added.length < missing.length) state.incomplete = true;
    state.schema = withOptions(state.schema, kind, field.key, added);
    for (const option of added) {
      recordCreated(state, {
        type: "option",
        id: str(option.id),
        name: str(option.label),
        kind,
        parentId: field.key,
      });
    }
  });

const ensureLabel = (
  client: PipedriveClient,
  state: SetupState,
  change: Extract<SchemaChange, { _tag: "EnsureLabel" }>,
) =>
  Effect.gen(function* () {
    if (change.kind !== "lead") {
      return yield* Effect.fail(
        validation(`labels on "${change.kind}" are not supported; only lead labels are`),
      );
    }
    if (state.schema.labels.some((label) => label.kind === "lead" && label.name === change.name)) {
      state.existing.push(`label ${change.name}`);
      return;
    }
    const color = change.color ?? "gray";
    const response = yield* client.request({
      method: "POST",
      path: "/api/v1/leadLabels",
      json: { name: change.name, color },
      idempotent: false,
    });
    const data = record(response.body);
    state.schema = withLabel(state.schema, { name: change.name, color, ...data });
    recordCreated(state, { type: "label", id: str(data.id), name: change.name, kind: "lead" });
  });

const ensureActivityType = (
  client: PipedriveClient,
  state: SetupState,
  change: Extract<SchemaChange, { _tag: "EnsureActivityType" }>,
) =>
  Effect.gen(function* () {
    const wanted = change.name.toLowerCase();
    if (
      state.schema.activityTypes.some(
        (type) => type.name.toLowerCase() === wanted || type.key === change.name,
      )
    ) {
      state.existing.push(`activity type ${change.name}`);
      return;
    }
    const response = yield* client.request({
      method: "POST",
      path: "/api/v1/activityTypes",
      json: { name: change.name, icon_key: change.icon ?? "task" },
      idempotent: false,
    });
    const data = record(response.body);
    // Activities name their type by key, so a type without one cannot be used yet.
    if (str(data.key_string) === "") state.incomplete = true;
    state.schema = withActivityType(state.schema, { name: change.name, ...data });
    recordCreated(state, {
      type: "activity-type",
      id: str(data.key_string ?? data.id),
      name: change.name,
    });
  });

const ensureUser = (
  client: PipedriveClient,
  state: SetupState,
  change: Extract<SchemaChange, { _tag: "EnsureUser" }>,
) =>
  Effect.gen(function* () {
    const email = change.email.trim().toLowerCase();
    if (state.schema.users.some((user) => user.email === email)) {
      state.existing.push(`user ${email}`);
      return;
    }
    const response = yield* client.request({
      method: "POST",
      path: "/api/v1/users",
      json: { email, name: change.name, active_flag: change.isActive },
      idempotent: false,
    });
    const data = record(response.body);
    state.schema = withUser(state.schema, {
      email,
      name: change.name,
      active_flag: change.isActive,
      ...data,
    });
    recordCreated(state, { type: "user", id: str(data.id), name: email });
  });
