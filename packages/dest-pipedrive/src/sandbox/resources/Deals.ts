/**
 * v2 deals: title, owner, person, organization, pipeline and stage, value and currency, status
 * with its won, lost and close times, labels and custom fields. The pipeline follows the stage,
 * and a pipeline alone means its first stage. Deals made through the API get origin `API`.
 */
import type { Account } from "../Account.js";
import { validationError } from "../ApiError.js";
import type { RequestContext, Route } from "../Http.js";
import type { EntityRecord } from "../Store.js";
import { rfc3339 } from "../Time.js";
import {
  checkLabelIds,
  type EntitySpec,
  entityRoutes,
  requireLive,
  requireUser,
  visibleToRule,
} from "./V2Entity.js";

const stagesOf = (account: Account, pipelineId: number): Array<EntityRecord> =>
  [...account.store.collections.stages.values()]
    .filter((stage) => stage.pipeline_id === pipelineId && !stage.is_deleted)
    .sort((a, b) => (a.order_nr as number) - (b.order_nr as number));

/** Resolves the stage and pipeline of a deal from the body and the deal's current values. */
const placeDeal = (account: Account, record: EntityRecord, body: Record<string, unknown>): void => {
  if (typeof body.stage_id === "number") {
    const stage = requireLive(account, "stages", body.stage_id, "stage_id", "Stage");
    if (typeof body.pipeline_id === "number" && body.pipeline_id !== stage.pipeline_id) {
      throw validationError(
        "stage_id",
        `Stage ${stage.id} does not belong to pipeline ${body.pipeline_id}`,
      );
    }
    if (record.stage_id !== stage.id) record.stage_change_time = rfc3339();
    record.stage_id = stage.id;
    record.pipeline_id = stage.pipeline_id;
    return;
  }
  if (typeof body.pipeline_id === "number" || record.stage_id === null) {
    const pipelines = [...account.store.collections.pipelines.values()]
      .filter((pipeline) => !pipeline.is_deleted)
      .sort((a, b) => (a.order_nr as number) - (b.order_nr as number));
    const pipelineId = typeof body.pipeline_id === "number" ? body.pipeline_id : pipelines[0]?.id;
    if (pipelineId === undefined)
      throw validationError("pipeline_id", "The account has no pipeline");
    requireLive(account, "pipelines", pipelineId, "pipeline_id", "Pipeline");
    const first = stagesOf(account, pipelineId)[0];
    if (first === undefined)
      throw validationError("pipeline_id", `Pipeline ${pipelineId} has no stages`);
    record.stage_id = first.id;
    record.pipeline_id = pipelineId;
  }
};

const checkStatusTimes = (record: EntityRecord): void => {
  if (record.won_time !== null && record.status !== "won")
    throw validationError("won_time", "won_time can only be set on a won deal");
  if (record.lost_time !== null && record.status !== "lost")
    throw validationError("lost_time", "lost_time can only be set on a lost deal");
  if (record.lost_reason !== null && record.status !== "lost") {
    throw validationError("lost_reason", "lost_reason can only be set on a lost deal");
  }
  if (record.close_time !== null && record.status === "open")
    throw validationError("close_time", "close_time can only be set on a won or lost deal");
};

const apply = (
  context: RequestContext,
  record: EntityRecord,
  body: Record<string, unknown>,
): void => {
  const account = context.account;
  if (typeof body.owner_id === "number") requireUser(account, body.owner_id, "owner_id");
  if (typeof body.person_id === "number")
    requireLive(account, "persons", body.person_id, "person_id", "Person");
  if (typeof body.org_id === "number")
    requireLive(account, "organizations", body.org_id, "org_id", "Organization");
  if (Array.isArray(body.label_ids))
    checkLabelIds(account, "deal", body.label_ids as Array<number>);

  const previousStatus = record.status;
  const keys = [
    "title",
    "owner_id",
    "person_id",
    "org_id",
    "value",
    "currency",
    "status",
    "probability",
    "lost_reason",
    "visible_to",
    "close_time",
    "won_time",
    "lost_time",
    "expected_close_date",
    "label_ids",
    "is_archived",
    "archive_time",
  ] as const;
  for (const key of keys) if (body[key] !== undefined) record[key] = body[key];
  placeDeal(account, record, body);

  if (record.status !== previousStatus && record.status !== "open") {
    const now = rfc3339();
    if (record.status === "won" && record.won_time === null) record.won_time = now;
    if (record.status === "lost" && record.lost_time === null) record.lost_time = now;
    if (record.close_time === null) record.close_time = record.won_time ?? record.lost_time ?? now;
  }
  if (record.status === "open") {
    record.won_time = body.won_time === undefined ? null : record.won_time;
    record.lost_time = body.lost_time === undefined ? null : record.lost_time;
    record.close_time = body.close_time === undefined ? null : record.close_time;
  }
  if (record.is_archived === true && record.archive_time === null) record.archive_time = rfc3339();
  if (record.is_archived === false) record.archive_time = null;
  checkStatusTimes(record);

  record.local_won_date = typeof record.won_time === "string" ? record.won_time.slice(0, 10) : null;
  record.local_lost_date =
    typeof record.lost_time === "string" ? record.lost_time.slice(0, 10) : null;
  record.local_close_date =
    typeof record.close_time === "string" ? record.close_time.slice(0, 10) : null;
};

const timeRule = { type: "string", format: "date-time", nullable: true } as const;

/** The deal entity. */
export const dealSpec: EntitySpec = {
  collection: "deals",
  path: "deals",
  label: "Deal",
  fieldEntity: "deal",
  properties: {
    title: { type: "string", nonEmpty: true, maxLength: 255 },
    owner_id: { type: "integer" },
    person_id: { type: "integer", nullable: true },
    org_id: { type: "integer", nullable: true },
    pipeline_id: { type: "integer" },
    stage_id: { type: "integer" },
    value: { type: "number" },
    currency: { type: "string", maxLength: 3 },
    status: { type: "string", oneOf: ["open", "won", "lost"] },
    probability: { type: "number", nullable: true, min: 0, max: 100 },
    lost_reason: { type: "string", nullable: true },
    visible_to: visibleToRule,
    close_time: timeRule,
    won_time: timeRule,
    lost_time: timeRule,
    expected_close_date: { type: "string", format: "date", nullable: true },
    label_ids: { type: "array", items: { type: "integer" } },
    is_archived: { type: "boolean" },
    archive_time: timeRule,
  },
  required: ["title"],
  readOnly: [
    "id",
    "add_time",
    "update_time",
    "stage_change_time",
    "creator_user_id",
    "origin",
    "is_deleted",
    "local_won_date",
    "local_lost_date",
    "local_close_date",
    "source_lead_id",
  ],
  listRules: {
    owner_id: { type: "integer" },
    person_id: { type: "integer" },
    org_id: { type: "integer" },
    pipeline_id: { type: "integer" },
    stage_id: { type: "integer" },
    status: { type: "string" },
  },
  sortKeys: ["id", "update_time", "add_time"],
  matches: (record, query) => {
    const statuses = typeof query.status === "string" ? query.status.split(",") : undefined;
    if (statuses === undefined) {
      if (record.is_deleted || record.is_archived === true) return false;
    } else if (
      record.is_deleted
        ? !statuses.includes("deleted")
        : !statuses.includes(record.status as string)
    ) {
      return false;
    }
    for (const key of ["owner_id", "person_id", "org_id", "pipeline_id", "stage_id"] as const) {
      if (query[key] !== undefined && record[key] !== query[key]) return false;
    }
    return true;
  },
  create: (context, body, id, now) => {
    const record: EntityRecord = {
      id,
      title: "",
      creator_user_id: context.user.id,
      owner_id: context.user.id,
      person_id: null,
      org_id: null,
      pipeline_id: null,
      stage_id: null,
      value: 0,
      currency: context.user.default_currency,
      add_time: now,
      update_time: now,
      stage_change_time: null,
      is_deleted: false,
      is_archived: false,
      archive_time: null,
      status: "open",
      probability: null,
      lost_reason: null,
      visible_to: 3,
      close_time: null,
      won_time: null,
      lost_time: null,
      local_won_date: null,
      local_lost_date: null,
      local_close_date: null,
      expected_close_date: null,
      label_ids: [],
      origin: "API",
      origin_id: null,
      channel: null,
      channel_id: null,
      source_lead_id: null,
      arr: null,
      mrr: null,
      acv: null,
      custom_fields: {},
    };
    apply(context, record, body);
    return record;
  },
  update: (context, record, body) => apply(context, record, body),
};

/** Routes of v2 deals. */
export const dealRoutes: Array<Route> = entityRoutes(dealSpec);
