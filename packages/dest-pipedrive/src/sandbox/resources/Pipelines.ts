/**
 * v2 pipelines and stages. `order_nr` is read-only: a new pipeline goes to the end of the list and
 * a new stage to the end of its pipeline, so stages keep their creation order. Deleting a pipeline
 * deletes its stages; the last pipeline cannot be deleted.
 */
import type { Account } from "../Account.js";
import { validationError } from "../ApiError.js";
import type { Route } from "../Http.js";
import type { EntityRecord } from "../Store.js";
import { type EntitySpec, entityRoutes, requireLive } from "./V2Entity.js";

const livePipelines = (account: Account): Array<EntityRecord> =>
  [...account.store.collections.pipelines.values()].filter((pipeline) => !pipeline.is_deleted);

const nextOrder = (
  records: Iterable<EntityRecord>,
  keep: (record: EntityRecord) => boolean,
): number => {
  let max = 0;
  for (const record of records) if (keep(record)) max = Math.max(max, record.order_nr as number);
  return max + 1;
};

/** The pipeline entity. */
export const pipelineSpec: EntitySpec = {
  collection: "pipelines",
  path: "pipelines",
  label: "Pipeline",
  properties: {
    name: { type: "string", nonEmpty: true, maxLength: 255 },
    is_deal_probability_enabled: { type: "boolean" },
  },
  required: ["name"],
  readOnly: ["id", "order_nr", "add_time", "update_time", "is_deleted", "is_selected"],
  listRules: {},
  sortKeys: ["id", "update_time", "add_time"],
  create: (context, body, id, now) => ({
    id,
    name: body.name,
    order_nr: nextOrder(
      context.account.store.collections.pipelines.values(),
      (pipeline) => !pipeline.is_deleted,
    ),
    is_deleted: false,
    is_deal_probability_enabled: body.is_deal_probability_enabled ?? false,
    add_time: now,
    update_time: now,
  }),
  update: (_context, record, body) => {
    if (body.name !== undefined) record.name = body.name;
    if (body.is_deal_probability_enabled !== undefined)
      record.is_deal_probability_enabled = body.is_deal_probability_enabled;
  },
  beforeDelete: (account) => {
    if (livePipelines(account).length <= 1)
      throw validationError("id", "The last pipeline cannot be deleted");
  },
  afterDelete: (account, pipeline) => {
    for (const stage of account.store.collections.stages.values()) {
      if (stage.pipeline_id !== pipeline.id) continue;
      stage.is_deleted = true;
      account.store.changed("stages", stage.id);
    }
  },
};

/** The stage entity. */
export const stageSpec: EntitySpec = {
  collection: "stages",
  path: "stages",
  label: "Stage",
  properties: {
    name: { type: "string", nonEmpty: true, maxLength: 255 },
    pipeline_id: { type: "integer" },
    deal_probability: { type: "integer", min: 0, max: 100 },
    is_deal_rot_enabled: { type: "boolean" },
    days_to_rotten: { type: "integer", nullable: true, min: 1 },
  },
  required: ["name", "pipeline_id"],
  readOnly: ["id", "order_nr", "add_time", "update_time", "is_deleted"],
  listRules: { pipeline_id: { type: "integer" } },
  sortKeys: ["id", "update_time", "add_time", "order_nr"],
  matches: (record, query) =>
    !record.is_deleted &&
    (query.pipeline_id === undefined || record.pipeline_id === query.pipeline_id),
  create: (context, body, id, now) => {
    const pipelineId = body.pipeline_id as number;
    requireLive(context.account, "pipelines", pipelineId, "pipeline_id", "Pipeline");
    return {
      id,
      order_nr: nextOrder(
        context.account.store.collections.stages.values(),
        (stage) => stage.pipeline_id === pipelineId && !stage.is_deleted,
      ),
      name: body.name,
      is_deleted: false,
      deal_probability: body.deal_probability ?? 100,
      pipeline_id: pipelineId,
      is_deal_rot_enabled: body.is_deal_rot_enabled ?? false,
      days_to_rotten: body.days_to_rotten ?? null,
      add_time: now,
      update_time: now,
    };
  },
  update: (context, record, body) => {
    if (typeof body.pipeline_id === "number" && body.pipeline_id !== record.pipeline_id) {
      requireLive(context.account, "pipelines", body.pipeline_id, "pipeline_id", "Pipeline");
      record.pipeline_id = body.pipeline_id;
      record.order_nr = nextOrder(
        context.account.store.collections.stages.values(),
        (stage) =>
          stage.pipeline_id === body.pipeline_id && !stage.is_deleted && stage.id !== record.id,
      );
    }
    for (const key of [
      "name",
      "deal_probability",
      "is_deal_rot_enabled",
      "days_to_rotten",
    ] as const) {
      if (body[key] !== undefined) record[key] = body[key];
    }
  },
};

/** Routes of v2 pipelines and stages. */
export const pipelineRoutes: Array<Route> = [
  ...entityRoutes(pipelineSpec),
  ...entityRoutes(stageSpec),
];
