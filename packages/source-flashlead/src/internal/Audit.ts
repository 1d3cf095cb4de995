/**
 * The audit that discovery runs over the records as they stream: duplicates, owners, stages,
 * sources, tags, stage histories, invoices and the volume a migration has to move.
 *
 * State is bounded. Value lists and examples are capped, and each fingerprint set of e-mails,
 * phones and lead ids keeps at most an 8 MiB table in memory and the rest in SQLite.
 */
import type { Finding, Rejection, SourceRecord } from "@ferry/core";

import { FingerprintSet } from "./FingerprintSet.js";
import { LeadReferences } from "./LeadFile.js";

const exampleCap = 20;
const valueCap = 1000;

/** A capped count of values. */
class Tally {
  readonly #counts = new Map<string, number>();
  #dropped = 0;

  add(value: string): void {
    const known = this.#counts.get(value);
    if (known !== undefined) this.#counts.set(value, known + 1);
    else if (this.#counts.size < valueCap) this.#counts.set(value, 1);
    else this.#dropped += 1;
  }

  get size(): number {
    return this.#counts.size;
  }

  has(value: string): boolean {
    return this.#counts.has(value);
  }

  entries(): ReadonlyArray<{ value: string; count: number }> {
    return [...this.#counts]
      .map(([value, count]) => ({ value, count }))
      .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1));
  }

  get dropped(): number {
    return this.#dropped;
  }
}

/** Counts occurrences and keeps the first few examples. */
class Examples<T> {
  count = 0;
  readonly items: Array<T> = [];

  add(item: T): void {
    this.count += 1;
    if (this.items.length < exampleCap) this.items.push(item);
  }
}

/** Normalizes an e-mail for duplicate detection: trimmed and in lower case. */
export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

/**
 * Normalizes a phone for duplicate detection: digits only, with a leading `00` read as `+`.
 * Numbers with fewer than 6 digits and numbers in scientific notation, whose digits are lost, are
 * not compared.
 */
export const normalizePhone = (phone: string): string | undefined => {
  if (/e/i.test(phone)) return undefined;
  const digits = phone.replace(/\D/g, "");
  if (digits.length < 6) return undefined;
  return phone.trim().startsWith("00") ? digits.slice(2) : digits;
};

const inactiveValues = new Set([
  "false",
  "no",
  "0",
  "inactive",
  "disabled",
  "non",
  "nein",
  "nao",
  "não",
  "inactivo",
  "inativo",
  "inaktiv",
  "n",
]);

interface Where {
  readonly file: string;
  readonly line: number;
}

const where = (record: SourceRecord): Where => ({
  file: record.origin.file,
  line: record.origin.line,
});

/** The audit state of one discovery. */
export class Audit {
  readonly team = new Map<string, { active: boolean; name: string }>();
  readonly #duplicates = new Map<
    string,
    { seen: FingerprintSet; found: Examples<Where & { value: string }> }
  >();
  readonly #owners = new Map<string, Tally>();
  readonly #missingOwner = new Map<string, Examples<Where>>();
  readonly stages = new Tally();
  readonly transitionStages = new Tally();
  readonly sources = new Tally();
  readonly tags = new Tally();
  readonly activityKinds = new Tally();
  readonly #leadIds = new FingerprintSet();
  readonly #invoicedLeads = new FingerprintSet();
  readonly #unknownLead = new Map<string, Examples<Where & { value: string }>>();
  /** Records that refer to a lead, counted per file. */
  readonly leadReferences = new LeadReferences();
  readonly #rejections = new Map<string, Examples<Where & { message: string }>>();
  readonly #warnings = new Map<string, Examples<Where & { message: string }>>();
  transitions = 0;
  transitionsWithTimestamp = 0;
  notes = 0;
  attachments = 0;
  messages = 0;
  activitiesWithoutTimestamp = 0;

  /** Records a rejection by kind and code. */
  reject(rejection: Rejection): void {
    const key = `${rejection.kind}\u0000${rejection.code}`;
    const examples = this.#rejections.get(key) ?? new Examples();
    examples.add({
      file: rejection.origin.file,
      line: rejection.origin.line,
      message: rejection.message,
    });
    this.#rejections.set(key, examples);
  }

  /** Takes one record into account. */
  record(record: SourceRecord): void {
    for (const warning of record.warnings) {
      const key = `${record.kind}\u0000${warning.code}`;
      const examples = this.#warnings.get(key) ?? new Examples();
      examples.add({ ...where(record), message: warning.message });
      this.#warnings.set(key, examples);
    }

    const fields = record.fields;
    if (record.kind === "team_member") this.#teamMember(fields);
    if (record.kind === "lead" || record.kind === "contact") this.#person(record);
    if (record.kind === "lead") this.#lead(record.sourceId, fields);
    if (record.kind === "invoice") this.#invoice(record);
    if (record.kind === "activity") this.#activity(record);
    if (record.kind === "message_thread") this.messages += 1;
    if (record.kind !== "team_member" && (fields.lead_id ?? "") !== "") this.#leadRef(record);
    if ((fields.attachment ?? "").trim() !== "") this.attachments += 1;
  }

  #teamMember(fields: Readonly<Record<string, string>>): void {
    const email = normalizeEmail(fields.email ?? "");
    if (email === "") return;
    const active = !inactiveValues.has((fields.active ?? "").trim().toLowerCase());
    this.team.set(email, { active, name: fields.name ?? "" });
  }

  #person(record: SourceRecord): void {
    const fields = record.fields;
    this.#duplicate(record, "email", normalizeEmail(fields.email ?? "") || undefined);
    this.#duplicate(record, "phone", normalizePhone(fields.phone ?? ""));
    if ((fields.notes ?? "").trim() !== "") this.notes += 1;

    const owner = normalizeEmail(fields.owner_email ?? "");
    if (owner === "") {
      const examples = this.#missingOwner.get(record.kind) ?? new Examples();
      examples.add(where(record));
      this.#missingOwner.set(record.kind, examples);
      return;
    }
    const owners = this.#owners.get(record.kind) ?? new Tally();
    owners.add(owner);
    this.#owners.set(record.kind, owners);
  }

  #duplicate(record: SourceRecord, field: "email" | "phone", value: string | undefined): void {
    if (value === undefined) return;
    const key = `${record.kind}\u0000${field}`;
    const state = this.#duplicates.get(key) ?? {
      seen: new FingerprintSet(),
      found: new Examples(),
    };
    this.#duplicates.set(key, state);
    if (!state.seen.add(value)) state.found.add({ ...where(record), value });
  }

  #lead(sourceId: string, fields: Readonly<Record<string, string>>): void {
    this.#leadIds.add(sourceId);
    const stage = (fields.stage ?? "").trim();
    if (stage !== "") this.stages.add(stage);
    const source = (fields.source ?? "").trim();
    if (source !== "") this.sources.add(source);
    for (const tag of (fields.tags ?? "").split(/[,;|]/)) {
      if (tag.trim() !== "") this.tags.add(tag.trim());
    }
  }

  /** Counts the invoice's lead; discovery reads the leads first, so an unknown id is left out. */
  #invoice(record: SourceRecord): void {
    const lead = (record.fields.lead_id ?? "").trim();
    if (lead !== "" && this.#leadIds.has(lead)) this.#invoicedLeads.add(lead);
  }

  #activity(record: SourceRecord): void {
    const fields = record.fields;
    const kind = fields.activity_kind ?? "other";
    this.activityKinds.add(kind);
    if (kind === "note" || kind === "other") this.notes += 1;
    if ((fields.timestamp ?? "").trim() === "") this.activitiesWithoutTimestamp += 1;
    if (kind !== "stage_transition") return;

    this.transitions += 1;
    if ((fields.timestamp ?? "").trim() !== "") this.transitionsWithTimestamp += 1;
    for (const stage of [fields.from_stage, fields.to_stage]) {
      if (stage !== undefined && stage.trim() !== "") this.transitionStages.add(stage.trim());
    }
  }

  #leadRef(record: SourceRecord): void {
    this.leadReferences.add(record);
    const lead = (record.fields.lead_id ?? "").trim();
    if (this.#leadIds.size === 0 || this.#leadIds.has(lead)) return;
    const examples = this.#unknownLead.get(record.kind) ?? new Examples();
    examples.add({ ...where(record), value: lead });
    this.#unknownLead.set(record.kind, examples);
  }

  /** Number of distinct leads of the leads file that have at least one invoice. */
  get leadsWithInvoices(): number {
    return this.#invoicedLeads.size;
  }

  /** Builds the findings of the audit, without the volume and the token estimate. */
  findings(hasActivityLog: boolean): ReadonlyArray<Finding> {
    return [
      ...this.#rowFindings(),
      ...this.#duplicateFindings(),
      ...this.#ownerFindings(),
      ...this.#listFindings(),
      ...this.#historyFindings(hasActivityLog),
      ...this.#referenceFindings(),
    ];
  }

  #rowFindings(): ReadonlyArray<Finding> {
    const rejected = [...this.#rejections].map(([key, examples]): Finding => {
      const [kind = "", code = ""] = key.split("\u0000");
      return {
        code: `rejected-${code}`,
        severity: "error",
        kind,
        count: examples.count,
        message: `${examples.count} ${kind} rows rejected as ${code}; for example ${examples.items[0]?.message ?? ""}`,
        details: examples.items,
      };
    });
    const warned = [...this.#warnings].map(([key, examples]): Finding => {
      const [kind = "", code = ""] = key.split("\u0000");
      return {
        code,
        severity: "warning",
        kind,
        count: examples.count,
        message: `${examples.count} ${kind} records carry the warning ${code}; for example ${examples.items[0]?.message ?? ""}`,
        details: examples.items,
      };
    });
    return [...rejected, ...warned];
  }

  #duplicateFindings(): ReadonlyArray<Finding> {
    return [...this.#duplicates]
      .filter(([, state]) => state.found.count > 0)
      .map(([key, state]): Finding => {
        const [kind = "", field = ""] = key.split("\u0000");
        return {
          code: `duplicate-${field}`,
          severity: "warning",
          kind,
          count: state.found.count,
          message: `${state.found.count} ${kind} records repeat the ${field} of an earlier record (compared normalized); decide whether to merge them before the migration`,
          details: state.found.items,
        };
      });
  }

  #ownerFindings(): ReadonlyArray<Finding> {
    const findings: Array<Finding> = [];
    for (const [kind, examples] of this.#missingOwner) {
      findings.push({
        code: "missing-owner",
        severity: "warning",
        kind,
        count: examples.count,
        message: `${examples.count} ${kind} ${examples.count === 1 ? "record has" : "records have"} no owner; set defaultOwner in the mapping plan to choose who owns them, or Pipedrive gives them to the API token's user`,
        details: examples.items,
      });
    }

    for (const [kind, owners] of this.#owners) {
      const unknown = owners.entries().filter((owner) => !this.team.has(owner.value));
      const inactive = owners
        .entries()
        .filter((owner) => this.team.get(owner.value)?.active === false);
      if (unknown.length > 0) {
        const count = unknown.reduce((sum, owner) => sum + owner.count, 0);
        findings.push({
          code: "owner-not-in-team",
          severity: "warning",
          kind,
          count,
          message: `${count} ${kind} records belong to ${unknown.length} owners missing from the team members: ${unknown.map((o) => o.value).join(", ")}; map them to a user`,
          details: unknown,
        });
      }
      if (inactive.length > 0) {
        const count = inactive.reduce((sum, owner) => sum + owner.count, 0);
        findings.push({
          code: "owner-inactive",
          severity: "info",
          kind,
          count,
          message: `${count} ${kind} records belong to inactive team members: ${inactive.map((o) => o.value).join(", ")}`,
          details: inactive,
        });
      }
    }
    return findings;
  }

  #listFindings(): ReadonlyArray<Finding> {
    const list = (code: string, label: string, tally: Tally): Finding => ({
      code,
      severity: "info",
      kind: "lead",
      count: tally.size,
      message: `${tally.size} ${label}${tally.dropped > 0 ? ` (more than ${valueCap}; ${tally.dropped} values not listed)` : ""}: ${tally
        .entries()
        .slice(0, 30)
        .map((e) => `${e.value} (${e.count})`)
        .join(", ")}`,
      details: tally.entries(),
    });
    return [
      list("stages", "stages on leads", this.stages),
      list("lead-sources", "lead sources", this.sources),
      list("tags", "tags", this.tags),
    ];
  }

  #historyFindings(hasActivityLog: boolean): ReadonlyArray<Finding> {
    if (!hasActivityLog) {
      return [
        {
          code: "no-activity-log",
          severity: "warning",
          message:
            "The export has no activity log, so no stage history, calls, e-mails or meetings can be migrated; request the activity log from Flash Lead Sales",
        },
      ];
    }
    const hasHistory = this.transitionsWithTimestamp > 0;
    return [
      {
        code: hasHistory ? "stage-history" : "no-stage-history",
        severity: hasHistory ? "info" : "warning",
        kind: "activity",
        count: this.transitions,
        message: `The activity log has ${this.transitions} stage transitions, ${this.transitionsWithTimestamp} of them with a timestamp`,
        details: {
          transitions: this.transitions,
          withTimestamp: this.transitionsWithTimestamp,
          stages: this.transitionStages.entries(),
          kinds: this.activityKinds.entries(),
        },
      },
    ];
  }

  #referenceFindings(): ReadonlyArray<Finding> {
    const findings: Array<Finding> = [
      {
        code: "leads-with-invoices",
        severity: "info",
        kind: "invoice",
        count: this.leadsWithInvoices,
        message: `${this.leadsWithInvoices} leads have at least one invoice`,
      },
    ];
    for (const [kind, examples] of this.#unknownLead) {
      findings.push({
        code: "unknown-lead",
        severity: "warning",
        kind,
        count: examples.count,
        message: `${examples.count} ${kind} records refer to a lead id that is not in the leads file`,
        details: examples.items,
      });
    }
    return findings;
  }
}
