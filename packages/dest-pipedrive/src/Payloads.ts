/**
 * Turns an `OutboundRecord` into the request that creates or updates it: the path, the API
 * version's field names and value formats, custom fields by their per-account keys, and the
 * source-id marker. A record that cannot be encoded (an unknown owner, option or stage) comes
 * back as `Invalid` with a message, so the writer rejects it without a call.
 */
import type { OutboundRecord } from "@ferry/core";

import type { Catalog } from "./Catalog.js";
import {
  type Body,
  copyFields,
  fail,
  Invalid,
  numericLink,
  present,
  setCustom,
  setLinks,
  setOwner,
  toV1Timestamp,
} from "./internal/payloadParts.js";
import { withHtmlMarker } from "./Marker.js";

export { toV1Timestamp };

/** A request body ready to send. */
export type Payload =
  | {
      readonly _tag: "Json";
      readonly method: "POST" | "PATCH" | "PUT";
      readonly path: string;
      readonly json: Readonly<Record<string, unknown>>;
    }
  | {
      readonly _tag: "Upload";
      readonly path: string;
      /** Absolute path of the file on disk. */
      readonly file: string;
      readonly name: string;
      readonly fields: Readonly<Record<string, string>>;
    };

/** The outcome of encoding one record. */
export type Encoding =
  | { readonly _tag: "Payload"; readonly payload: Payload }
  | { readonly _tag: "Invalid"; readonly message: string };

/** Collection path of each kind, with its API version prefix. */
export const kindPaths = {
  organization: "/api/v2/organizations",
  person: "/api/v2/persons",
  deal: "/api/v2/deals",
  lead: "/api/v1/leads",
  note: "/api/v1/notes",
  activity: "/api/v2/activities",
  file: "/api/v1/files",
} as const;

/** A kind this destination writes. */
export type PipedriveKind = keyof typeof kindPaths;

/** Whether a string is one of the kinds. */
export const isPipedriveKind = (kind: string): kind is PipedriveKind => kind in kindPaths;

const entityBody = (
  record: OutboundRecord,
  catalog: Catalog,
  plain: ReadonlyArray<string>,
  handled: ReadonlyArray<string> = [],
) => {
  const body: Body = {};
  copyFields(record, body, plain, ["owner", ...handled]);
  setOwner(record, body, catalog, "owner_id");
  setCustom(record, body, catalog, "v2");
  return body;
};

const organization = (record: OutboundRecord, catalog: Catalog): Body => {
  const body = entityBody(record, catalog, ["name", "visible_to", "add_time"], ["address"]);
  const address = record.fields.address;
  if (present(address)) body.address = { value: String(address) };
  return body;
};

const person = (record: OutboundRecord, catalog: Catalog): Body => {
  const body = entityBody(record, catalog, [
    "name",
    "visible_to",
    "add_time",
    "emails",
    "phones",
    "job_title",
  ]);
  setLinks(record, body, ["org_id"]);
  return body;
};

const dealStage = (record: OutboundRecord, body: Body, catalog: Catalog): void => {
  const pipeline = record.fields.pipeline;
  const stage = record.fields.stage;
  if (!present(stage)) {
    if (present(pipeline)) {
      const found = catalog.schema.pipelines.find((candidate) => candidate.name === pipeline);
      if (found === undefined)
        fail(`pipeline "${String(pipeline)}" does not exist; run applySchema`);
      body.pipeline_id = Number(found.id);
    }
    return;
  }
  if (!present(pipeline)) fail(`stage "${String(stage)}" is given without its pipeline`);
  const ids = catalog.stage(String(pipeline), String(stage));
  if (ids === undefined) fail(`pipeline "${String(pipeline)}" has no stage "${String(stage)}"`);
  body.pipeline_id = Number(ids.pipelineId);
  body.stage_id = Number(ids.stageId);
};

const deal = (record: OutboundRecord, catalog: Catalog): Body => {
  const plain = [
    "title",
    "value",
    "currency",
    "status",
    "won_time",
    "lost_time",
    "lost_reason",
    "probability",
    "expected_close_date",
    "visible_to",
  ];
  const body: Body = {};
  copyFields(record, body, plain, ["owner", "pipeline", "stage"]);
  const status = body.status ?? "open";
  if (body.won_time !== undefined && status !== "won")
    fail("won_time is set but the deal is not won");
  if (body.lost_time !== undefined && status !== "lost")
    fail("lost_time is set but the deal is not lost");
  if (body.lost_reason !== undefined && status !== "lost")
    fail("lost_reason is set but the deal is not lost");
  dealStage(record, body, catalog);
  setOwner(record, body, catalog, "owner_id");
  setLinks(record, body, ["person_id", "org_id"]);
  setCustom(record, body, catalog, "v2");
  return body;
};

const lead = (record: OutboundRecord, catalog: Catalog): Body => {
  const body: Body = {};
  copyFields(
    record,
    body,
    ["title", "expected_close_date"],
    ["owner", "value", "currency", "labels", "visible_to"],
  );
  setOwner(record, body, catalog, "owner_id");

  const { value, currency, labels, visible_to: visibleTo } = record.fields;
  if (present(value)) {
    if (!present(currency)) fail("lead value needs a currency");
    body.value = { amount: Number(value), currency: String(currency) };
  }
  if (present(visibleTo)) body.visible_to = String(visibleTo);
  if (present(labels)) {
    const names = Array.isArray(labels) ? labels : [labels];
    body.label_ids = names.map(
      (name) =>
        catalog.leadLabelId(String(name)) ??
        fail(`lead label "${String(name)}" does not exist; run applySchema`),
    );
  }

  const personId = numericLink(record, "person_id");
  const orgId = numericLink(record, "organization_id") ?? numericLink(record, "org_id");
  if (personId === undefined && orgId === undefined)
    fail("a lead needs a person_id or an organization_id link");
  if (personId !== undefined) body.person_id = personId;
  if (orgId !== undefined) body.organization_id = orgId;
  setCustom(record, body, catalog, "v1");
  return body;
};

const parentKeys = ["deal_id", "person_id", "org_id", "lead_id"] as const;

const parentOf = (record: OutboundRecord): (typeof parentKeys)[number] => {
  const keys = parentKeys.filter((key) => record.links[key] !== undefined);
  if (keys.length !== 1)
    fail(`a ${record.kind} needs exactly one of ${parentKeys.join(", ")}; got ${keys.length}`);
  return keys[0] ?? "deal_id";
};

const pinFlags = {
  deal_id: "deal",
  person_id: "person",
  org_id: "organization",
  lead_id: "lead",
} as const;

const note = (record: OutboundRecord, catalog: Catalog): Body => {
  const body: Body = {};
  copyFields(record, body, [], ["content", "add_time", "pinned", "owner"]);
  const { content, add_time: addTime, pinned } = record.fields;
  if (!present(content) || String(content).trim() === "") fail("a note needs content");
  body.content = withHtmlMarker(String(content), record.ref);

  const parent = parentOf(record);
  setLinks(record, body, [parent]);
  if (present(addTime)) body.add_time = toV1Timestamp(String(addTime));
  if (pinned === true) body[`pinned_to_${pinFlags[parent]}_flag`] = 1;
  setOwner(record, body, catalog, "user_id");
  return body;
};

const activity = (record: OutboundRecord, catalog: Catalog): Body => {
  const body: Body = {};
  copyFields(
    record,
    body,
    ["subject", "due_date", "due_time", "duration", "done"],
    ["type", "note", "owner"],
  );
  const { type, note: html } = record.fields;
  if (present(type)) {
    body.type =
      catalog.activityTypeKey(String(type)) ??
      fail(`activity type "${String(type)}" does not exist; run applySchema`);
  }
  body.note = withHtmlMarker(present(html) ? String(html) : undefined, record.ref);
  setOwner(record, body, catalog, "owner_id");
  setLinks(record, body, ["deal_id", "lead_id", "org_id"]);
  const personId = numericLink(record, "person_id");
  if (personId !== undefined) body.participants = [{ person_id: personId, primary: true }];
  return body;
};

const builders = { organization, person, deal, lead, note, activity } as const;

const updateMethod = (kind: PipedriveKind): "PATCH" | "PUT" => (kind === "note" ? "PUT" : "PATCH");

const upload = (record: OutboundRecord): Payload => {
  const file = record.fields.path;
  if (typeof file !== "string" || !file.startsWith("/")) fail("a file needs an absolute path");
  if (record.destinationId !== undefined) fail("files cannot be updated; remove and upload again");
  const parent = parentOf(record);
  const name = record.fields.name;
  return {
    _tag: "Upload",
    path: kindPaths.file,
    file: String(file),
    name:
      typeof name === "string" && name !== "" ? name : (String(file).split("/").pop() ?? "file"),
    fields: { [parent]: record.links[parent] ?? "" },
  };
};

/** Encodes one record of a kind for its API version. */
export const encodeRecord = (record: OutboundRecord, catalog: Catalog): Encoding => {
  const kind = record.kind;
  try {
    if (!isPipedriveKind(kind)) fail(`Pipedrive has no kind "${kind}"`);
    if (kind === "file") return { _tag: "Payload", payload: upload(record) };

    const json = builders[kind as Exclude<PipedriveKind, "file">](record, catalog);
    const id = record.destinationId;
    const payload: Payload =
      id === undefined
        ? { _tag: "Json", method: "POST", path: kindPaths[kind as PipedriveKind], json }
        : {
            _tag: "Json",
            method: updateMethod(kind as PipedriveKind),
            path: `${kindPaths[kind as PipedriveKind]}/${id}`,
            json,
          };
    return { _tag: "Payload", payload };
  } catch (error) {
    if (error instanceof Invalid) return { _tag: "Invalid", message: error.message };
    throw error;
  }
};
