/**
 * The account's schema as read by `describe()`, with the look-ups writers need: custom fields
 * and marker fields by name, users by e-mail, stages by pipeline and stage name, lead labels and
 * activity types by name. Nothing is keyed by a hard-coded id.
 */
import type {
  DestinationError,
  DestinationField,
  DestinationSchema,
  DestinationStage,
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

    const customFieldCount = Object.entries(fields)
      .filter(([kind]) => kind !== "lead")
      .reduce((sum, [, list]) => sum + list.filter((field) => field.isCustom).length, 0);

    return {
      users: users.map((raw) => ({
        id: str(raw.id),
        name: str(raw.name),
        email: str(raw.email).trim().toLowerCase(),
        isActive: raw.active_flag !== false,
        isAdmin: isAdmin(raw),
      })),
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
      labels: labels.map((raw) => ({
        id: str(raw.id),
        name: str(raw.name),
        kind: "lead",
        ...(raw.color === undefined || raw.color === null ? {} : { color: str(raw.color) }),
      })),
      activityTypes: types.map((raw) => ({
        key: str(raw.key_string),
        name: str(raw.name),
        isActive: raw.active_flag !== false,
      })),
      limits: {
        customFieldCap: planCustomFieldCaps[client.config.plan],
        customFieldCount,
        dailyBudget: client.config.dailyBudget,
      },
    };
  });

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

  /** Finds the marker field of a kind, when the schema has one. */
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
