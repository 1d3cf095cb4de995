/**
 * The records of a sandbox snapshot in a form in which two sandboxes can be compared. Each record
 * is keyed by its collection and its Ferry source id marker. Every value that a sandbox chooses
 * itself (ids, field codes, option ids, label ids, times of writing) is replaced by what it
 * names (the linked record's marker, the field's name, the option's label, the user's e-mail)
 * or left out.
 */
import type { SerializedState } from "@ferry/dest-pipedrive/sandbox";

/** The collections a migration writes records into. */
export const recordCollections = [
  "organizations",
  "persons",
  "deals",
  "leads",
  "notes",
  "activities",
] as const;

/** A snapshot reduced to comparable records. */
export interface CanonicalState {
  /** `collection marker` to the record's canonical JSON. */
  readonly records: ReadonlyMap<string, string>;
  /** Keys met more than once: records written twice. */
  readonly duplicates: ReadonlyArray<string>;
  /** Live records of a record collection without a marker. */
  readonly unmarked: ReadonlyArray<string>;
  /** Custom fields as `entity/name`, sorted; a repeated entry is a field created twice. */
  readonly customFields: ReadonlyArray<string>;
  /** Users as `email active`, sorted. */
  readonly users: ReadonlyArray<string>;
  /** Pipelines and stages as `pipeline/stage`, sorted. */
  readonly stages: ReadonlyArray<string>;
}

type Row = Record<string, unknown>;

const htmlMarker = /<!-- ferry-source-id:([^ ]+) -->/;
const valueMarker = /^[a-z_]+:.+$/;

// Values the sandbox sets at the time of the write, which differ between any two runs.
const volatileKeys = new Set([
  "id",
  "update_time",
  "marked_as_done_time",
  "cc_email",
  "next_activity_id",
  "picture_id",
]);
// A record's `add_time` comes from the export when it has a creation date; otherwise the
// sandbox sets the time of the write, as it does for `stage_change_time`. Such a time is
// replaced with a fixed text.
const writtenRecently = (value: unknown): boolean => {
  if (typeof value !== "string") return false;
  const time = Date.parse(value.includes("T") ? value : `${value.replace(" ", "T")}Z`);
  return Number.isFinite(time) && Math.abs(Date.now() - time) < 86_400_000;
};
const userKeys = new Set([
  "owner_id",
  "user_id",
  "creator_id",
  "creator_user_id",
  "last_update_user_id",
]);
const linkKeys: Record<string, (typeof recordCollections)[number]> = {
  org_id: "organizations",
  organization_id: "organizations",
  person_id: "persons",
  deal_id: "deals",
  lead_id: "leads",
  activity_id: "activities",
};

const rows = (state: SerializedState, name: keyof SerializedState["collections"]): Array<Row> =>
  state.collections[name] as Array<Row>;

const live = (row: Row): boolean => row.is_deleted !== true && row.active_flag !== false;

/** The marker of a record: a marker custom value, or the HTML comment of a note or activity. */
const markerOf = (row: Row, markerCodes: ReadonlySet<string>): string | undefined => {
  for (const text of [row.content, row.note]) {
    const match = typeof text === "string" ? htmlMarker.exec(text) : null;
    if (match?.[1] !== undefined) return decodeURIComponent(match[1]);
  }
  const custom = (row.custom_fields ?? row.custom) as Row | undefined;
  for (const [code, value] of Object.entries(custom ?? {})) {
    if (markerCodes.has(code) && typeof value === "string" && valueMarker.test(value)) return value;
  }
  return undefined;
};

const sorted = (values: Iterable<string>): Array<string> => [...values].sort();

/** Reduces a snapshot to canonical records. */
export const canonicalState = (state: SerializedState): CanonicalState => {
  const fields = rows(state, "fields").filter((field) => field.is_deleted !== true);
  const fieldByCode = new Map(fields.map((field) => [String(field.field_code), field]));
  const markerCodes = new Set(
    fields
      .filter((field) => field.field_name === "Ferry source id")
      .map((f) => String(f.field_code)),
  );
  const users = new Map(rows(state, "users").map((user) => [user.id, String(user.email)]));
  const labels = new Map(rows(state, "leadLabels").map((label) => [label.id, String(label.name)]));
  const pipelines = new Map(rows(state, "pipelines").map((p) => [p.id, String(p.name)]));
  const stages = new Map(
    rows(state, "stages").map((s) => [s.id, `${pipelines.get(s.pipeline_id)}/${String(s.name)}`]),
  );
  const markers = new Map<string, Map<unknown, string>>();
  for (const name of recordCollections) {
    markers.set(
      name,
      new Map(rows(state, name).map((row) => [row.id, markerOf(row, markerCodes) ?? "?"])),
    );
  }

  const optionLabel = (field: Row | undefined, value: unknown): unknown => {
    const options = field?.options as Array<Row> | null | undefined;
    if (!Array.isArray(options)) return value;
    const label = (id: unknown) => options.find((option) => option.id === Number(id))?.label ?? id;
    if (Array.isArray(value)) return value.map(label).map(String).sort();
    if (typeof value === "number" || (typeof value === "string" && /^\d+$/.test(value))) {
      return label(value);
    }
    return value;
  };
  const customValues = (custom: Row): Row =>
    Object.fromEntries(
      Object.entries(custom)
        .filter(([code]) => !markerCodes.has(code))
        .map(([code, value]) => {
          const field = fieldByCode.get(code);
          return [String(field?.field_name ?? code), optionLabel(field, value)] as const;
        })
        .sort(([a], [b]) => a.localeCompare(b)),
    );

  const canonicalValue = (collection: string, key: string, value: unknown): unknown => {
    if (value === null || value === undefined) return value;
    if (key.endsWith("_time") && writtenRecently(value)) return "time of the write";
    if (userKeys.has(key)) return users.get(value) ?? `user ${String(value)}`;
    const linked = linkKeys[key];
    if (linked !== undefined) return markers.get(linked)?.get(value) ?? `missing ${String(value)}`;
    if (key === "stage_id") return stages.get(value);
    if (key === "pipeline_id") return pipelines.get(value);
    if (key === "label_ids" && collection === "leads") {
      return (value as Array<unknown>).map((id) => labels.get(id)).sort();
    }
    if (key === "participants") {
      return (value as Array<Row>).map((p) => ({
        ...p,
        person_id: markers.get("persons")?.get(p.person_id),
      }));
    }
    if (key === "custom_fields" || key === "custom") return customValues(value as Row);
    return value;
  };

  const records = new Map<string, string>();
  const duplicates: Array<string> = [];
  const unmarked: Array<string> = [];
  for (const collection of recordCollections) {
    for (const row of rows(state, collection).filter(live)) {
      const marker = markerOf(row, markerCodes);
      if (marker === undefined) {
        unmarked.push(`${collection} ${String(row.id)}`);
        continue;
      }
      const key = `${collection} ${marker}`;
      const canonical = Object.fromEntries(
        Object.entries(row)
          .filter(([name]) => !volatileKeys.has(name))
          .map(([name, value]) => [name, canonicalValue(collection, name, value)])
          .sort(([a], [b]) => String(a).localeCompare(String(b))),
      );
      if (records.has(key)) duplicates.push(key);
      records.set(key, JSON.stringify(canonical));
    }
  }

  return {
    records,
    duplicates,
    unmarked,
    customFields: sorted(
      fields
        .filter((field) => field.is_custom_field === true)
        .map((field) => `${String(field.entity)}/${String(field.field_name)}`),
    ),
    users: sorted(
      rows(state, "users").map((user) => `${String(user.email)} ${String(user.active_flag)}`),
    ),
    stages: sorted(
      rows(state, "stages")
        .filter((stage) => stage.is_deleted !== true)
        .map((stage) => stages.get(stage.id) ?? ""),
    ),
  };
};
