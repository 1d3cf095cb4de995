/**
 * Schemas of planned Pipedrive records: for each destination kind, the standard fields it may
 * carry, their value shapes and its link keys, as the Pipedrive record vocabulary defines them.
 * Transforms are tested against these, so a planned record the destination cannot encode is a
 * test failure, not a rejected write.
 */
import { PlannedRecord } from "@ferry/core";
import { Either, ParseResult, Schema } from "effect";

const IsoDate = Schema.String.pipe(Schema.pattern(/^\d{4}-\d{2}-\d{2}$/));
const IsoTime = Schema.String.pipe(Schema.pattern(/^\d{2}:\d{2}$/));
const Timestamp = Schema.String.pipe(Schema.pattern(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/));
const Owner = Schema.String.pipe(Schema.pattern(/^[^\sA-Z]+@[^\sA-Z]+$/));
const VisibleTo = Schema.Literal(1, 3, 5, 7);
const Currency = Schema.String.pipe(Schema.pattern(/^[A-Z]{3}$/));
const NonEmpty = Schema.String.pipe(Schema.minLength(1));
const Label = Schema.Literal("work", "home", "mobile", "other");
const Contact = (value: Schema.Schema<string>) =>
  Schema.Array(Schema.Struct({ value, label: Label, primary: Schema.Boolean }));
const E164 = Schema.String.pipe(Schema.pattern(/^\+[1-9]\d{6,14}$/));

const fieldSchemas = {
  organization: Schema.Struct({
    name: NonEmpty,
    owner: Schema.optional(Owner),
    visible_to: Schema.optional(VisibleTo),
    address: Schema.optional(Schema.String),
    add_time: Schema.optional(Timestamp),
  }),
  person: Schema.Struct({
    name: NonEmpty,
    owner: Schema.optional(Owner),
    visible_to: Schema.optional(VisibleTo),
    emails: Schema.optional(Contact(Schema.String)),
    phones: Schema.optional(Contact(E164)),
    job_title: Schema.optional(Schema.String),
    add_time: Schema.optional(Timestamp),
  }),
  deal: Schema.Struct({
    title: NonEmpty,
    owner: Schema.optional(Owner),
    visible_to: Schema.optional(VisibleTo),
    value: Schema.optional(Schema.Number),
    currency: Schema.optional(Currency),
    status: Schema.optional(Schema.Literal("open", "won", "lost")),
    won_time: Schema.optional(Timestamp),
    lost_time: Schema.optional(Timestamp),
    lost_reason: Schema.optional(Schema.String),
    pipeline: Schema.optional(NonEmpty),
    stage: Schema.optional(NonEmpty),
    probability: Schema.optional(Schema.Number.pipe(Schema.between(0, 100))),
    expected_close_date: Schema.optional(IsoDate),
  }),
  lead: Schema.Struct({
    title: NonEmpty,
    owner: Schema.optional(Owner),
    visible_to: Schema.optional(VisibleTo),
    value: Schema.optional(Schema.Number),
    currency: Schema.optional(Currency),
    labels: Schema.optional(Schema.Array(NonEmpty)),
    expected_close_date: Schema.optional(IsoDate),
  }),
  note: Schema.Struct({
    content: NonEmpty,
    owner: Schema.optional(Owner),
    add_time: Schema.optional(Timestamp),
    pinned: Schema.optional(Schema.Boolean),
  }),
  activity: Schema.Struct({
    subject: Schema.optional(Schema.String),
    owner: Schema.optional(Owner),
    type: Schema.optional(NonEmpty),
    due_date: Schema.optional(IsoDate),
    due_time: Schema.optional(IsoTime),
    duration: Schema.optional(IsoTime),
    done: Schema.optional(Schema.Boolean),
    note: Schema.optional(Schema.String),
  }),
  file: Schema.Struct({
    path: Schema.String.pipe(Schema.pattern(/^\//)),
    name: NonEmpty,
  }),
} as const;

/** Destination kinds of Pipedrive planned records. */
export type PipedriveKind = keyof typeof fieldSchemas;

const linkKeys: Record<PipedriveKind, ReadonlyArray<string>> = {
  organization: [],
  person: ["org_id"],
  deal: ["person_id", "org_id"],
  lead: ["person_id", "organization_id"],
  note: ["deal_id", "person_id", "org_id", "lead_id"],
  activity: ["deal_id", "lead_id", "org_id", "person_id"],
  file: ["deal_id", "person_id", "org_id", "lead_id"],
};

const isKind = (kind: string): kind is PipedriveKind => kind in fieldSchemas;

/** Checks the link rules of one kind; returns the problem or undefined. */
const linkProblem = (kind: PipedriveKind, links: ReadonlyArray<string>): string | undefined => {
  const unknown = links.filter((key) => !linkKeys[kind].includes(key));
  if (unknown.length > 0) return `links ${unknown.join(", ")} are not links of a ${kind}`;
  if (kind === "lead" && links.length === 0) return "a lead needs person_id or organization_id";
  if ((kind === "note" || kind === "file") && links.length !== 1) {
    return `a ${kind} needs exactly one of deal_id, person_id, org_id, lead_id`;
  }
  return undefined;
};

/** Checks the status-dependent deal fields. */
const dealProblem = (fields: Readonly<Record<string, unknown>>): string | undefined => {
  if (fields.won_time !== undefined && fields.status !== "won") return "won_time needs status won";
  if (fields.lost_time !== undefined && fields.status !== "lost") {
    return "lost_time needs status lost";
  }
  if (fields.lost_reason !== undefined && fields.status !== "lost") {
    return "lost_reason needs status lost";
  }
  return undefined;
};

/**
 * Validates a planned record against core's schema and the Pipedrive field vocabulary; returns
 * the problem, or undefined when the record is valid.
 *
 * @example
 * ```ts
 * pipedriveRecordProblem({ ...person, fields: { name: "" } }); // "fields.name: ..."
 * ```
 */
export const pipedriveRecordProblem = (record: unknown): string | undefined => {
  const decoded = Schema.decodeUnknownEither(PlannedRecord)(record);
  if (Either.isLeft(decoded)) return ParseResult.TreeFormatter.formatErrorSync(decoded.left);

  const planned = decoded.right;
  if (!isKind(planned.kind)) return `"${planned.kind}" is not a Pipedrive record kind`;

  const schema: Schema.Schema<unknown, unknown> = fieldSchemas[planned.kind] as never;
  const fields = Schema.decodeUnknownEither(schema, {
    onExcessProperty: "error",
  })(planned.fields);
  if (Either.isLeft(fields)) {
    return `fields: ${ParseResult.TreeFormatter.formatErrorSync(fields.left)}`;
  }

  const links = linkProblem(planned.kind, Object.keys(planned.links));
  if (links !== undefined) return links;
  return planned.kind === "deal" ? dealProblem(planned.fields) : undefined;
};
