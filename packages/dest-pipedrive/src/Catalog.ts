/**
 * The account's schema as read by `describe()`, with the look-ups writers need: custom fields
 * and marker fields by name, users by e-mail, stages by pipeline and stage name, lead labels and
 * activity types by name. Nothing is keyed by a hard-coded id. The `with…` functions add an item
 * that a create request returned to a schema, so a destination can keep its snapshot current
 * without reading the account again.
 */
import type {
  DestinationActivityType,
  DestinationError,
  DestinationField,
  DestinationLabel,
  DestinationSchema,
  DestinationStage,
  DestinationUser,
} from "@ferry/core";
import { Effect } from "effect";

import { listAll } from "./internal/paging.js";
import type { PipedriveClient } from "./PipedriveClient.js";
import { planCustomFieldCaps } from "./PipedriveConfig.js";

/** Name of the varchar field that contains `kind:sourceId` on every entity kind. */
export const markerFieldName = "Ferry source id";

/** Kinds whose fields the API lists, with their v2 Fields path. */
export const fieldKinds = {
  organization: "/api/v2/organizationFields",
  person: "/api/v2/personFields",
  deal: "/api/v2/dealFields",
} as const;

/** Kinds that have custom fields; leads share the deal fields. */
export type FieldKind = keyof typeof fieldKinds;

/** The kind whose fields a kind uses: `lead` uses the deal fields. */
export const fieldKindOf = (kind: string): FieldKind | undefined => {
  if (kind === "lead") return "deal";
  return kind in fieldKinds ? (kind as FieldKind) : undefined;
};

const str = (value: unknown): string =>
  value === null || value === undefined ? "" : String(value);

const toField = (raw: Record<string, unknown>): DestinationField => {
  const options = Array.isArray(raw.options) ? (raw.options as Array<Record<string, unknown>>) : [];
  const isCustom = raw.is_custom_field === true;
  return {
    key: str(raw.field_code),
    name: str(raw.field_name),
    type: str(raw.field_type),
    isCustom,
    isWritable: isCustom || raw.is_optional_response_field !== true,
    options: options.map((option) => ({ id: str(option.id), label: str(option.label) })),
  };
};

const toStage = (raw: Record<string, unknown>): DestinationStage => ({
  id: str(raw.id),
  name: str(raw.name),
  order: Number(raw.order_nr ?? 0),
  ...(typeof raw.deal_probability === "number" ? { probability: raw.deal_probability } : {}),
});

const isAdmin = (raw: Record<string, unknown>): boolean =>
  raw.is_admin === true ||
  raw.is_admin === 1 ||
  (Array.isArray(raw.access) && raw.access.some((entry) => entry?.admin === true));

const toUser = (raw: Record<string, unknown>): DestinationUser => ({
  id: str(raw.id),
  name: str(raw.name),
  email: str(raw.email).trim().toLowerCase(),
  isActive: raw.active_flag !== false,
  isAdmin: isAdmin(raw),
});

const toLabel = (raw: Record<string, unknown>): DestinationLabel => ({
  id: str(raw.id),
  name: str(raw.name),
  kind: "lead",
  ...(raw.color === undefined || raw.color === null ? {} : { color: str(raw.color) }),
});

const toActivityType = (raw: Record<string, unknown>): DestinationActivityType => ({
  key: str(raw.key_string),
  name: str(raw.name),
  isActive: raw.active_flag !== false,
});

/** Counts the custom fields of the field kinds. Leads share the deal fields, which count once. */
const countCustomFields = (fields: Readonly<Record<string, ReadonlyArray<DestinationField>>>) =>
  Object.entries(fields)
    .filter(([kind]) => kind !== "lead")
    .reduce((sum, [, list]) => sum + list.filter((field) => field.isCustom).length, 0);

/** The lists `readSchema` reads, one page each unless a list has more than 500 items. */
export const schemaListPaths = [
  "/api/v1/users",
  "/api/v2/pipelines",
  "/api/v2/stages",
  "/api/v1/leadLabels",
  "/api/v1/activityTypes",
  ...Object.values(fieldKinds),
] as const;

/** Reads the account's schema. */
export const readSchema = (
  client: PipedriveClient,
): Effect.Effect<DestinationSchema, DestinationError> =>
  Effect.gen(function* () {
    const [users, pipelines, stages, labels, types] = yield* Effect.all([
      listAll(client, "/api/v1/users"),
      listAll(client, "/api/v2/pipelines"),
      listAll(client, "/api/v2/stages"),
      listAll(client, "/api/v1/leadLabels"),
      listAll(client, "/api/v1/activityTypes"),
    ]);

    const fields: Record<string, ReadonlyArray<DestinationField>> = {};
    for (const [kind, path] of Object.entries(fieldKinds)) {
      fields[kind] = (yield* listAll(client, path)).map(toField);
    }
    fields.lead = fields.deal ?? [];

    return {
      users: users.map(toUser),
      pipelines: pipelines
        .filter((raw) => raw.is_deleted !== true)
        .map((raw) => ({
          id: str(raw.id),
          name: str(raw.name),
          stages: stages
            .filter((stage) => str(stage.pipeline_id) === str(raw.id) && stage.is_deleted !== true)
            .map(toStage)
            .sort((a, b) => a.order - b.order),
        })),
      fields,
      labels: labels.map(toLabel),
      activityTypes: types.map(toActivityType),
      limits: {
        customFieldCap: planCustomFieldCaps[client.config.plan],
        customFieldCount: countCustomFields(fields),
        dailyBudget: client.config.dailyBudget,
      },
    };
  });

/** Adds a pipeline that `POST /api/v2/pipelines` returned, with no stages yet. */
export const withPipeline = (
  schema: DestinationSchema,
  raw: Record<string, unknown>,
): DestinationSchema => ({
  ...schema,
  pipelines: [...schema.pipelines, { id: str(raw.id), name: str(raw.name), stages: [] }],
});

/**
 * Adds a stage that `POST /api/v2/stages` returned to its pipeline. v2 appends a new stage
 * after the pipeline's other stages, so it goes last.
 */
export const withStage = (
  schema: DestinationSchema,
  pipelineId: string,
  raw: Record<string, unknown>,
): DestinationSchema => ({
  ...schema,
  pipelines: schema.pipelines.map((pipeline) =>
    pipeline.id === pipelineId
      ? { ...pipeline, stages: [...pipeline.stages, toStage(raw)] }
      : pipeline,
  ),
});

const withFieldList = (
  schema: DestinationSchema,
  kind: FieldKind,
  update: (list: ReadonlyArray<DestinationField>) => ReadonlyArray<DestinationField>,
): DestinationSchema => {
  const list = update(schema.fields[kind] ?? []);
  const fields = { ...schema.fields, [kind]: list, ...(kind === "deal" ? { lead: list } : {}) };
  return {
    ...schema,
    fields,
    limits: { ...schema.limits, customFieldCount: countCustomFields(fields) },
  };
};

/** Adds a custom field that a v2 Fields create returned. The deal fields serve leads too. */
export const withField = (
  schema: DestinationSchema,
  kind: FieldKind,
  raw: Record<string, unknown>,
): DestinationSchema => withFieldList(schema, kind, (list) => [...list, toField(raw)]);

/** Adds the options that a v2 Fields options request returned to the field with this key. */
export const withOptions = (
  schema: DestinationSchema,
  kind: FieldKind,
  fieldKey: string,
  raw: ReadonlyArray<Record<string, unknown>>,
): DestinationSchema =>
  withFieldList(schema, kind, (list) =>
    list.map((field) => {
      if (field.key !== fieldKey) return field;
      const known = new Set(field.options.map((option) => option.id));
      const added = raw
        .map((option) => ({ id: str(option.id), label: str(option.label) }))
        .filter((option) => !known.has(option.id));
      return { ...field, options: [...field.options, ...added] };
    }),
  );

/** Adds a lead label that `POST /api/v1/leadLabels` returned. */
export const withLabel = (
  schema: DestinationSchema,
  raw: Record<string, unknown>,
): DestinationSchema => ({ ...schema, labels: [...schema.labels, toLabel(raw)] });

/** Adds an activity type that `POST /api/v1/activityTypes` returned. */
export const withActivityType = (
  schema: DestinationSchema,
  raw: Record<string, unknown>,
): DestinationSchema => ({
  ...schema,
  activityTypes: [...schema.activityTypes, toActivityType(raw)],
});

/** Adds a user that `POST /api/v1/users` returned. */
export const withUser = (
  schema: DestinationSchema,
  raw: Record<string, unknown>,
): DestinationSchema => ({ ...schema, users: [...schema.users, toUser(raw)] });

/** Look-ups over a schema. */
export class Catalog {
  readonly schema: DestinationSchema;

  constructor(schema: DestinationSchema) {
    this.schema = schema;
  }

  /** Finds a custom field of a kind by name (leads use the deal fields). */
  field(kind: string, name: string): DestinationField | undefined {
    const list = this.schema.fields[fieldKindOf(kind) ?? kind] ?? [];
    return list.find((field) => field.isCustom && field.name === name);
  }

  /** Custom fields of a kind. */
  customFields(kind: string): ReadonlyArray<DestinationField> {
    return (this.schema.fields[fieldKindOf(kind) ?? kind] ?? []).filter((field) => field.isCustom);
  }

  /**
   * Finds the marker field of a kind, when the schema has one. Of two marker fields on a kind
   * (a create that completed after its process died), the first one the account lists is used.
   */
  // NOTE: a process that created a marker field itself keeps its own until it reads the account
  // again, so when the late one is listed first, two processes can use different fields.
  marker(kind: string): DestinationField | undefined {
    return this.field(kind, markerFieldName);
  }

  userId(email: string): string | undefined {
    const normalized = email.trim().toLowerCase();
    return this.schema.users.find((user) => user.email === normalized)?.id;
  }

  userEmail(id: unknown): string | undefined {
    return this.schema.users.find((user) => user.id === str(id))?.email;
  }

  /** Finds a stage's id and its pipeline's id, both by name. */
  stage(pipeline: string, stage: string): { pipelineId: string; stageId: string } | undefined {
    const found = this.schema.pipelines.find((candidate) => candidate.name === pipeline);
    const step = found?.stages.find((candidate) => candidate.name === stage);
    return found === undefined || step === undefined
      ? undefined
      : { pipelineId: found.id, stageId: step.id };
  }

  /** Pipeline and stage names of a stage id. */
  stageNames(stageId: unknown): { pipeline: string; stage: string } | undefined {
    for (const pipeline of this.schema.pipelines) {
      const stage = pipeline.stages.find((candidate) => candidate.id === str(stageId));
      if (stage !== undefined) return { pipeline: pipeline.name, stage: stage.name };
    }
    return undefined;
  }

  leadLabelId(name: string): string | undefined {
    return this.schema.labels.find((label) => label.kind === "lead" && label.name === name)?.id;
  }

  leadLabelName(id: unknown): string {
    return this.schema.labels.find((label) => label.id === str(id))?.name ?? str(id);
  }

  /** Finds the key of an activity type given by key or by name. */
  activityTypeKey(keyOrName: string): string | undefined {
    const types = this.schema.activityTypes;
    return (
      types.find((type) => type.key === keyOrName)?.key ??
      types.find((type) => type.name.toLowerCase() === keyOrName.toLowerCase())?.key
    );
  }
}
