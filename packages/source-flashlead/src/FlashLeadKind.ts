/**
 * The object kinds of a Flash Lead Sales export and the canonical column names of each.
 *
 * Records carry these names for recognized headers, so the mapping can refer to `email` or
 * `owner_email` whatever language the export's headers were written in.
 */

/** The object kinds a Flash Lead Sales export holds, one CSV file (or several) per kind. */
export const flashLeadKinds = [
  "lead",
  "contact",
  "invoice",
  "team_member",
  "activity",
  "message_thread",
] as const;

/** One object kind of a Flash Lead Sales export. */
export type FlashLeadKind = (typeof flashLeadKinds)[number];

/** Canonical column names of each kind, in the order the documentation lists them. */
export const canonicalColumns: { readonly [K in FlashLeadKind]: ReadonlyArray<string> } = {
  lead: [
    "id",
    "first_name",
    "last_name",
    "full_name",
    "email",
    "phone",
    "company",
    "job_title",
    "stage",
    "source",
    "tags",
    "owner_email",
    "value",
    "currency",
    "city",
    "country",
    "facebook_url",
    "notes",
    "attachment",
    "created_at",
    "updated_at",
  ],
  contact: [
    "id",
    "lead_id",
    "first_name",
    "last_name",
    "full_name",
    "email",
    "phone",
    "company",
    "job_title",
    "owner_email",
    "city",
    "country",
    "notes",
    "attachment",
    "created_at",
    "updated_at",
  ],
  invoice: [
    "id",
    "number",
    "lead_id",
    "contact_id",
    "amount",
    "currency",
    "status",
    "issue_date",
    "due_date",
    "paid_date",
    "description",
    "attachment",
  ],
  team_member: ["id", "name", "email", "role", "active"],
  activity: [
    "id",
    "lead_id",
    "contact_id",
    "timestamp",
    "type",
    "text",
    "from_stage",
    "to_stage",
    "owner_email",
    "duration",
    "subject",
  ],
  message_thread: [
    "id",
    "lead_id",
    "contact_id",
    "platform",
    "thread",
    "started_at",
    "last_message_at",
    "message_count",
  ],
};

/** Tells whether a string is one of the export's object kinds. */
export const isFlashLeadKind = (value: string): value is FlashLeadKind =>
  (flashLeadKinds as ReadonlyArray<string>).includes(value);
