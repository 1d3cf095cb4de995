/**
 * The steps payload builders share: copying plain fields, resolving the owner, links and custom
 * fields by name, and the v1 timestamp format. A step that meets a value it cannot encode throws
 * `Invalid`, which `encodeRecord` catches and returns as data.
 */
import type { FieldValue, OutboundRecord } from "@ferry/core";

import type { Catalog } from "../Catalog.js";
import { encodeCustomValue } from "../FieldValues.js";
import { markerValue } from "../Marker.js";

/** A record that cannot be encoded; `encodeRecord` turns it into an `Invalid` result. */
export class Invalid extends Error {}

/** A request body being built. */
export type Body = Record<string, unknown>;

/** Stops encoding a record with a message. */
export function fail(message: string): never {
  throw new Invalid(message);
}

/** Copies the set fields of `record.fields` whose keys are listed, failing on any other key. */
export const copyFields = (
  record: OutboundRecord,
  body: Body,
  plain: ReadonlyArray<string>,
  handled: ReadonlyArray<string>,
): void => {
  for (const [key, value] of Object.entries(record.fields)) {
    if (value === null || value === undefined) continue;
    if (plain.includes(key)) body[key] = value;
    else if (!handled.includes(key)) fail(`${record.kind} has no field "${key}"`);
  }
};

export const present = (value: FieldValue | undefined): value is Exclude<FieldValue, null> =>
  value !== undefined && value !== null;

export const setOwner = (
  record: OutboundRecord,
  body: Body,
  catalog: Catalog,
  key: string,
): void => {
  const owner = record.fields.owner;
  if (!present(owner)) return;
  const id = catalog.userId(String(owner));
  if (id === undefined) fail(`owner ${String(owner)} is not a user of the Pipedrive account`);
  body[key] = Number(id);
};

export const numericLink = (record: OutboundRecord, key: string): number | undefined => {
  const id = record.links[key];
  return id === undefined ? undefined : Number(id);
};

export const setLinks = (record: OutboundRecord, body: Body, keys: ReadonlyArray<string>): void => {
  for (const key of keys) {
    const id = record.links[key];
    if (id === undefined) continue;
    body[key] = key === "lead_id" ? id : Number(id);
  }
};

export const setCustom = (
  record: OutboundRecord,
  body: Body,
  catalog: Catalog,
  version: "v1" | "v2",
) => {
  const target: Body = version === "v2" ? {} : body;
  const entries: Array<[string, FieldValue]> = [...Object.entries(record.custom)];

  const marker = catalog.marker(record.kind);
  if (marker === undefined) fail(`${record.kind} has no "Ferry source id" field; run applySchema`);
  entries.push([marker.name, markerValue(record.ref)]);

  for (const [name, value] of entries) {
    const field = catalog.field(record.kind, name);
    if (field === undefined) fail(`${record.kind} has no custom field "${name}"; run applySchema`);
    const encoded = encodeCustomValue(field, value, version);
    if (encoded._tag === "Invalid") fail(encoded.message);
    else for (const [key, part] of encoded.entries) target[key] = part;
  }
  if (version === "v2" && Object.keys(target).length > 0) body.custom_fields = target;
};

/** `2024-03-04T09:30:00Z` to the v1 form `2024-03-04 09:30:00`. */
export const toV1Timestamp = (iso: string): string =>
  iso.replace("T", " ").replace(/(\.\d+)?(Z|[+-]00:?00)$/, "");
