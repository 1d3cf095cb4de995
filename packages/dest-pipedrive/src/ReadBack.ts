/**
 * Normalizes records read from the API into the vocabulary they were written in. v1 and v2 field
 * names go back to the record keys, and ids back to names (owner e-mail, pipeline and stage, lead
 * labels, option labels). Timestamps become ISO 8601 in UTC without milliseconds, and the marker
 * becomes the record's ref again. Unset values are left out.
 */
import type { FieldValue, ReadBackRecord, RecordRef } from "@ferry/core";

import type { Catalog } from "./Catalog.js";
import { markerFieldName } from "./Catalog.js";
import { decodeCustomValue } from "./FieldValues.js";
import { parseMarker, readHtmlMarker } from "./Marker.js";
import type { PipedriveKind } from "./Payloads.js";

type Raw = Record<string, unknown>;

/** `2024-03-04 09:30:00`, `2024-03-04T09:30:00.000Z` and the like to `2024-03-04T09:30:00Z`. */
export const normalizeTimestamp = (value: unknown): string | undefined => {
  if (typeof value !== "string" || value === "") return undefined;
  const iso = /[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value.replace(" ", "T")}Z`;
  const date = new Date(iso.replace(" ", "T"));
  return Number.isNaN(date.getTime()) ? value : date.toISOString().replace(/\.\d{3}Z$/, "Z");
};

const str = (value: unknown): string | undefined =>
  value === null || value === undefined || value === "" ? undefined : String(value);

const idOf = (value: unknown): string | undefined => {
  if (typeof value === "object" && value !== null && "value" in value) {
    return str((value as { value: unknown }).value);
  }
  if (typeof value === "object" && value !== null && "id" in value) {
    return str((value as { id: unknown }).id);
  }
  return str(value);
};

class Collector {
  readonly fields: Record<string, FieldValue> = {};
  readonly links: Record<string, string> = {};

  set(key: string, value: FieldValue | undefined): void {
    if (value !== undefined && value !== null && value !== "") this.fields[key] = value;
  }

  link(key: string, value: unknown): void {
    const id = idOf(value);
    if (id !== undefined) this.links[key] = id;
  }
}

const contacts = (value: unknown): FieldValue | undefined => {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  return value.map((item: Raw) => ({
    value: String(item.value ?? ""),
    label: String(item.label ?? "work"),
    primary: item.primary === true,
  }));
};

const readCustom = (
  kind: PipedriveKind,
  raw: Raw,
  catalog: Catalog,
): { custom: Record<string, FieldValue>; ref?: RecordRef } => {
  const custom: Record<string, FieldValue> = {};
  let ref: RecordRef | undefined;
  const values = kind === "lead" ? raw : ((raw.custom_fields ?? {}) as Raw);

  for (const field of catalog.customFields(kind)) {
    const value = decodeCustomValue(field, values[field.key], values[`${field.key}_currency`]);
    if (value === undefined) continue;
    if (field.name === markerFieldName) ref = parseMarker(value);
    else custom[field.name] = value;
  }
  return ref === undefined ? { custom } : { custom, ref };
};

const owner = (out: Collector, catalog: Catalog, id: unknown): void =>
  out.set("owner", catalog.userEmail(idOf(id)));

const readEntity = (kind: PipedriveKind, raw: Raw, out: Collector, catalog: Catalog): void => {
  owner(out, catalog, raw.owner_id);
  if (kind !== "lead")
    out.set("visible_to", typeof raw.visible_to === "number" ? raw.visible_to : undefined);

  if (kind === "organization") {
    out.set("name", str(raw.name));
    out.set("address", idOf(raw.address));
    out.set("add_time", normalizeTimestamp(raw.add_time));
  } else if (kind === "person") {
    out.set("name", str(raw.name));
    out.set("emails", contacts(raw.emails));
    out.set("phones", contacts(raw.phones));
    out.set("job_title", str(raw.job_title));
    out.set("add_time", normalizeTimestamp(raw.add_time));
    out.link("org_id", raw.org_id);
  } else if (kind === "deal") {
    readDeal(raw, out, catalog);
  } else {
    readLead(raw, out, catalog);
  }
};

const readDeal = (raw: Raw, out: Collector, catalog: Catalog): void => {
  out.set("title", str(raw.title));
  out.set("value", typeof raw.value === "number" ? raw.value : undefined);
  out.set("currency", str(raw.currency));
  out.set("status", str(raw.status));
  out.set("won_time", normalizeTimestamp(raw.won_time));
  out.set("lost_time", normalizeTimestamp(raw.lost_time));
  out.set("lost_reason", str(raw.lost_reason));
  out.set("probability", typeof raw.probability === "number" ? raw.probability : undefined);
  out.set("expected_close_date", str(raw.expected_close_date));
  const names = catalog.stageNames(raw.stage_id);
  out.set("pipeline", names?.pipeline);
  out.set("stage", names?.stage);
  out.link("person_id", raw.person_id);
  out.link("org_id", raw.org_id);
};

const readLead = (raw: Raw, out: Collector, catalog: Catalog): void => {
  out.set("title", str(raw.title));
  const value = raw.value as { amount?: unknown; currency?: unknown } | null | undefined;
  if (value !== null && value !== undefined) {
    out.set("value", Number(value.amount));
    out.set("currency", str(value.currency));
  }
  out.set("expected_close_date", str(raw.expected_close_date));
  out.set(
    "visible_to",
    raw.visible_to === null || raw.visible_to === undefined ? undefined : Number(raw.visible_to),
  );
  const labels = Array.isArray(raw.label_ids) ? raw.label_ids : [];
  if (labels.length > 0)
    out.set(
      "labels",
      labels.map((id) => catalog.leadLabelName(id)),
    );
  out.link("person_id", raw.person_id);
  out.link("organization_id", raw.organization_id);
};

const pinKeys = {
  deal_id: "deal",
  person_id: "person",
  org_id: "organization",
  lead_id: "lead",
} as const;

const readNote = (raw: Raw, out: Collector, catalog: Catalog): RecordRef | undefined => {
  const { html, ref } = readHtmlMarker(raw.content);
  out.set("content", html);
  out.set("add_time", normalizeTimestamp(raw.add_time));
  owner(out, catalog, raw.user_id);
  for (const [key, flag] of Object.entries(pinKeys)) {
    if (idOf(raw[key]) === undefined) continue;
    out.link(key, raw[key]);
    const pinned = raw[`pinned_to_${flag}_flag`];
    out.set("pinned", pinned === true || pinned === 1 || pinned === "1");
  }
  return ref;
};

const primaryParticipant = (raw: Raw): unknown => {
  const participants = Array.isArray(raw.participants) ? (raw.participants as Array<Raw>) : [];
  return participants.find((entry) => entry.primary === true)?.person_id ?? raw.person_id;
};

const readActivity = (raw: Raw, out: Collector, catalog: Catalog): RecordRef | undefined => {
  const { html, ref } = readHtmlMarker(raw.note);
  out.set("subject", str(raw.subject));
  out.set("type", str(raw.type));
  out.set("due_date", str(raw.due_date));
  out.set("due_time", str(raw.due_time)?.slice(0, 5));
  out.set("duration", str(raw.duration)?.slice(0, 5));
  out.set("done", raw.done === true || raw.done === 1);
  out.set("note", html);
  owner(out, catalog, raw.owner_id);
  out.link("deal_id", raw.deal_id);
  out.link("lead_id", raw.lead_id);
  out.link("org_id", raw.org_id);
  out.link("person_id", primaryParticipant(raw));
  return ref;
};

const readFile = (raw: Raw, out: Collector): void => {
  out.set("name", str(raw.name) ?? str(raw.file_name));
  for (const key of ["deal_id", "person_id", "org_id", "lead_id"]) out.link(key, raw[key]);
};

/** Normalizes one record read from the API. */
export const normalizeRecord = (
  kind: PipedriveKind,
  raw: Raw,
  catalog: Catalog,
): ReadBackRecord => {
  const out = new Collector();
  let ref: RecordRef | undefined;
  let custom: Record<string, FieldValue> = {};

  if (kind === "note") ref = readNote(raw, out, catalog);
  else if (kind === "activity") ref = readActivity(raw, out, catalog);
  else if (kind === "file") readFile(raw, out);
  else {
    readEntity(kind, raw, out, catalog);
    const read = readCustom(kind, raw, catalog);
    custom = read.custom;
    ref = read.ref;
  }

  const updatedAt = normalizeTimestamp(raw.update_time);
  return {
    kind,
    id: String(raw.id),
    ...(ref === undefined ? {} : { ref }),
    fields: out.fields,
    custom,
    links: out.links,
    ...(updatedAt === undefined ? {} : { updatedAt }),
  };
};
