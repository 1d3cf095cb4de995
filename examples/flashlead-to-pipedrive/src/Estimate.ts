/**
 * The token estimate that discovery prints: how many Pipedrive tokens a migration of an export
 * and its verification will need, and how many days that is at the company's daily budget. It
 * follows a mapping plan, the one given or the one the default proposer drafts from the
 * inventory. It counts one create per destination record at its endpoint's cost, the schema
 * items the plan creates, one schema read for the load, and the verification's read-back.
 */
import { readdirSync, realpathSync } from "node:fs";
import { extname, join } from "node:path";

import {
  type Inventory,
  isRejection,
  type SchemaChange,
  type Source,
  type SourceError,
} from "@ferry/core";
import {
  markerFieldName,
  type PipedriveKind,
  readBackTokens,
  schemaListPaths,
  tokenCost,
} from "@ferry/dest-pipedrive";
import {
  defaultProposer,
  type MappingPlan,
  organizationKey,
  planSchemaChanges,
  type StageOutcome,
} from "@ferry/mapping";
import { FingerprintSet, type MigrationVolume } from "@ferry/source-flashlead";
import { Effect, Stream } from "effect";

/** The estimate, with the figures it adds up. */
export interface TokenEstimate {
  readonly tokens: number;
  readonly dailyBudget: number;
  /** Whole days at the daily budget, at least 1. */
  readonly days: number;
  /** Tokens by part, such as `persons` or `schema setup`. */
  readonly parts: Readonly<Record<string, number>>;
  /** Destination records by kind that the estimate counts, rounded. */
  readonly records: Readonly<Record<PipedriveKind, number>>;
}

/** Options of `estimateTokens`. */
export interface EstimateOptions {
  /** The mapping plan. Without one, the default proposer drafts it from the inventory. */
  readonly plan?: MappingPlan;
  /**
   * Counts read from the export's rows (see `countExportRows`). Without them invoices are
   * assumed to fall on every stage in proportion to its leads, and organizations are counted
   * from the inventory's column profiles.
   */
  readonly counts?: ExportCounts;
  /**
   * Attachment files present in the export folder. Only files that are there are uploaded,
   * so uploads are capped at this count. Without it every attachment cell counts.
   */
  readonly attachmentFiles?: number;
}

const cost = (method: string, path: string): number => tokenCost(method, path) ?? 10;

/** Folders under an export where attachments are looked for, as the attachment transform does. */
const attachmentFolders = ["", "attachments", "Attachments", "anexos", "files"];

/**
 * Counts the files other than CSV files in an export folder and its attachment folders: the
 * files an attachment cell can name.
 */
export const countAttachmentFiles = (exportDir: string): number => {
  // Real paths, so that "attachments" and "Attachments" on a case-insensitive file system
  // count their files once.
  const files = new Set<string>();
  for (const folder of attachmentFolders) {
    const path = join(exportDir, folder);
    for (const entry of readdirSafe(path)) {
      if (entry.isFile() && extname(entry.name).toLowerCase() !== ".csv") {
        files.add(realpathSync(join(path, entry.name)));
      }
    }
  }
  return files.size;
};

/** Lists a folder's entries, or none for a folder that is missing or unreadable. */
const readdirSafe = (folder: string) => {
  try {
    return readdirSync(folder, { withFileTypes: true });
  } catch {
    return [];
  }
};

const createPaths: Readonly<Record<PipedriveKind, string>> = {
  organization: "/api/v2/organizations",
  person: "/api/v2/persons",
  deal: "/api/v2/deals",
  lead: "/v1/leads",
  note: "/v1/notes",
  activity: "/api/v2/activities",
  file: "/v1/files",
};

const volumeOf = (inventory: Inventory): MigrationVolume | undefined =>
  inventory.findings.find((finding) => finding.code === "migration-volume")?.details as
    | MigrationVolume
    | undefined;

/** Whether the plan routes a source object to a destination kind. */
const routes = (plan: MappingPlan, from: string, to: string): boolean =>
  plan.routes.some((route) => route.from === from && route.to.includes(to));

/**
 * Counts distinct organizations over the company columns of leads and contacts, by the key the
 * transform merges them by.
 *
 * NOTE: the inventory lists a column's distinct values only when they are few. A column it
 * does not list is assumed to contain the other column's companies, as when contacts work at
 * the leads' companies. `ExportCounts.organizations` is exact.
 */
const distinctCompanies = (inventory: Inventory): number => {
  const keys = new Set<string>();
  let unlisted = 0;
  for (const object of inventory.objects.filter((o) => o.kind === "lead" || o.kind === "contact")) {
    const column = object.columns.find((candidate) => candidate.name === "company");
    if (column === undefined) continue;
    if (column.distinct === undefined) unlisted = Math.max(unlisted, column.distinctCount);
    for (const value of column.distinct ?? []) addOrganization(keys, value.value);
  }
  return Math.max(keys.size, unlisted);
};

/**
 * Rows held as duplicates of an earlier row by one of the plan's dedupe keys. A row that
 * repeats an earlier row's e-mail and phone is counted twice, so the count can err high.
 */
const duplicates = (inventory: Inventory, plan: MappingPlan): number => {
  if (!plan.queue.duplicates) return 0;
  const codes = new Set(plan.dedupe.keys.map((key) => `duplicate-${key}`));
  return inventory.findings
    .filter((finding) => codes.has(finding.code))
    .reduce((sum, finding) => sum + (finding.count ?? 0), 0);
};

/** Stage values with their lead counts, as the `stages` finding lists them. */
const stageCounts = (inventory: Inventory): ReadonlyArray<{ value: string; count: number }> => {
  const finding = inventory.findings.find((candidate) => candidate.code === "stages");
  const entries = Array.isArray(finding?.details) ? (finding.details as Array<unknown>) : [];
  return entries.flatMap((entry) => {
    const { value, count } = (entry ?? {}) as { value?: unknown; count?: unknown };
    return typeof value === "string" && typeof count === "number"
      ? [{ value: value.trim(), count }]
      : [];
  });
};

/** Counts that need rows of several files together, which the inventory does not contain. */
export interface ExportCounts {
  /** Leads with at least one invoice, by stage. */
  readonly invoicedByStage: ReadonlyMap<string, number>;
  /** Distinct organizations of the leads' and contacts' `company` cells, by the merge key. */
  readonly organizations: number;
}

const addOrganization = (keys: { add: (key: string) => unknown }, company: string | undefined) => {
  const key = organizationKey((company ?? "").trim());
  if (key !== "") keys.add(key);
};

/**
 * Reads the export's invoices, leads and contacts once more for the `ExportCounts`. The invoiced
 * lead ids and the organization keys are kept as fingerprints, whose memory stops growing at
 * 8 MiB per set.
 */
export const countExportRows = (
  source: Pick<Source<"lead" | "contact" | "invoice">, "read">,
): Effect.Effect<ExportCounts, SourceError> =>
  Effect.gen(function* () {
    const invoiced = new FingerprintSet();
    yield* Stream.runForEach(source.read("invoice"), (item) =>
      Effect.sync(() => {
        const lead = isRejection(item) ? "" : (item.fields.lead_id ?? "").trim();
        if (lead !== "") invoiced.add(lead);
      }),
    );

    const invoicedByStage = new Map<string, number>();
    const organizations = new FingerprintSet();
    yield* Stream.runForEach(source.read("lead"), (item) =>
      Effect.sync(() => {
        if (isRejection(item)) return;
        addOrganization(organizations, item.fields.company);
        if (!invoiced.has(item.sourceId.trim())) return;
        const stage = (item.fields.stage ?? "").trim();
        invoicedByStage.set(stage, (invoicedByStage.get(stage) ?? 0) + 1);
      }),
    );
    yield* Stream.runForEach(source.read("contact"), (item) =>
      Effect.sync(() => {
        if (!isRejection(item)) addOrganization(organizations, item.fields.company);
      }),
    );
    return { invoicedByStage, organizations: organizations.size };
  });

/**
 * Splits Flash Lead leads into Pipedrive leads and deals by the plan's stage outcomes. Leads
 * with an invoice become persons only when the plan's `invoiceMakesPerson` is set.
 *
 * NOTE: without `invoicedByStage`, invoices are assumed to fall on every stage in proportion
 * to its leads. A stage without an outcome counts as a Pipedrive lead, the dearer route.
 */
const splitLeads = (
  inventory: Inventory,
  plan: MappingPlan,
  volume: MigrationVolume,
  invoicedByStage: ReadonlyMap<string, number> | undefined,
) => {
  const leads = volume.records.lead ?? 0;
  const share = leads === 0 ? 0 : Math.min(1, volume.leadsWithInvoices / leads);
  const invoicedOn = (value: string, count: number): number => {
    if (!plan.leadSplit.invoiceMakesPerson || !routes(plan, "invoice", "deal")) return 0;
    return invoicedByStage === undefined ? count * share : (invoicedByStage.get(value) ?? 0);
  };
  const outcome = (value: string): StageOutcome | undefined =>
    plan.stages.find((stage) => stage.value.trim() === value)?.to;

  let pipedriveLeads = 0;
  let deals = 0;
  for (const { value, count } of stageCounts(inventory)) {
    const to = outcome(value);
    const withoutInvoice = Math.max(0, count - invoicedOn(value, count));
    if (to === "deal" || to === "lost") deals += withoutInvoice;
    else if (to === undefined || to === "lead") pipedriveLeads += withoutInvoice;
  }
  return {
    leads: routes(plan, "lead", "lead") ? pipedriveLeads : 0,
    deals: routes(plan, "lead", "deal") ? deals : 0,
  };
};

/**
 * Counts the notes the plan's routes keep: those of the notes columns, of the activity log
 * (its notes and stage transitions) and of the message threads.
 *
 * NOTE: the volume counts notes-column notes and log notes together, and those of leads and
 * contacts together. The log notes are taken as the log entries that are neither activities nor
 * transitions, so the split is an estimate. With only one of leads and contacts routed, the
 * notes columns of both are counted.
 */
const routedNotes = (plan: MappingPlan, volume: MigrationVolume): number => {
  const entries = volume.records.activity ?? 0;
  const logNotes = Math.max(0, entries - volume.activities - volume.stageTransitions);
  const people = routes(plan, "lead", "person") || routes(plan, "contact", "person");
  const columnNotes = people ? Math.max(0, volume.notes - logNotes) : 0;
  const log = routes(plan, "activity", "note") ? logNotes + volume.stageTransitions : 0;
  const threads = routes(plan, "message_thread", "note") ? volume.messageThreads : 0;
  return columnNotes + log + threads;
};

/** Counts the destination records of each kind that a migration under the plan creates. */
const recordCounts = (
  inventory: Inventory,
  plan: MappingPlan,
  options: EstimateOptions,
): Record<PipedriveKind, number> => {
  const volume = volumeOf(inventory);
  if (volume === undefined) {
    return { organization: 0, person: 0, deal: 0, lead: 0, note: 0, activity: 0, file: 0 };
  }
  const records = volume.records;
  const split = splitLeads(inventory, plan, volume, options.counts?.invoicedByStage);
  const invoices = routes(plan, "invoice", "deal") ? (records.invoice ?? 0) : 0;
  const leads = routes(plan, "lead", "person") ? (records.lead ?? 0) : 0;
  const contacts = routes(plan, "contact", "person") ? (records.contact ?? 0) : 0;
  const people = leads + contacts - duplicates(inventory, plan);
  const files = Math.min(volume.attachments, options.attachmentFiles ?? volume.attachments);

  return {
    organization:
      leads + contacts === 0 ? 0 : (options.counts?.organizations ?? distinctCompanies(inventory)),
    person: Math.max(0, people),
    deal: Math.round(split.deals + invoices),
    lead: Math.round(split.leads),
    note: routedNotes(plan, volume),
    activity: routes(plan, "activity", "activity") ? volume.activities : 0,
    file: files,
  };
};

const changeCost = (change: SchemaChange): number => {
  switch (change._tag) {
    case "EnsurePipeline":
      return (
        cost("POST", "/api/v2/pipelines") + change.stages.length * cost("POST", "/api/v2/stages")
      );
    case "EnsureField":
      return cost("POST", "/api/v2/dealFields");
    case "EnsureLabel":
      return cost("POST", "/api/v1/leadLabels");
    case "EnsureActivityType":
      return cost("POST", "/api/v1/activityTypes");
    case "EnsureUser":
      return cost("POST", "/api/v1/users");
  }
};

/**
 * Tokens of the plan's schema items and of the marker field on each entity kind, each created
 * once with its options, as in an account that has none of them yet. Items an account already
 * has cost nothing, so the figure errs high for them.
 */
const schemaWrites = (plan: MappingPlan): number => {
  const changes = planSchemaChanges(plan);
  const markers = ["organization", "person", "deal"].filter(
    (kind) =>
      !changes.some(
        (change) =>
          change._tag === "EnsureField" && change.kind === kind && change.name === markerFieldName,
      ),
  );
  const fieldCost = cost("POST", "/api/v2/dealFields");
  return changes.reduce((sum, change) => sum + changeCost(change), markers.length * fieldCost);
};

/** Tokens of one `describe()`: a page of each schema list. */
const schemaRead = (): number => schemaListPaths.reduce((sum, path) => sum + cost("GET", path), 0);

/**
 * Estimates the tokens of a migration and its verification from the inventory's
 * `migration-volume` finding and a mapping plan.
 *
 * The verification reads each kind back with one call and reads the schema once. v1 kinds
 * (leads, notes, files) are found by paging through their whole list.
 *
 * NOTE: the v1 lists are assumed to hold only the records the run created. An account that
 * already has many leads, notes or files pays more for their pages.
 */
export const estimateTokens = (
  inventory: Inventory,
  dailyBudget: number,
  options: EstimateOptions = {},
): TokenEstimate => {
  const plan = options.plan ?? Effect.runSync(defaultProposer.propose({ inventory })).plan;
  const records = recordCounts(inventory, plan, options);
  const create = (kind: PipedriveKind) => records[kind] * cost("POST", createPaths[kind]);
  const kinds = Object.keys(createPaths) as Array<PipedriveKind>;
  const readBack = kinds.reduce((sum, kind) => sum + readBackTokens(kind, records[kind]), 0);

  const parts: Record<string, number> = {
    organizations: create("organization"),
    persons: create("person"),
    leads: create("lead"),
    deals: create("deal"),
    notes: create("note"),
    activities: create("activity"),
    files: create("file"),
    "schema setup": schemaWrites(plan),
    "schema reads": schemaRead(),
    verification: readBack + schemaRead(),
  };
  const tokens = Object.values(parts).reduce((sum, n) => sum + n, 0);
  return {
    tokens,
    dailyBudget,
    days: Math.max(1, Math.ceil(tokens / dailyBudget)),
    parts,
    records,
  };
};
