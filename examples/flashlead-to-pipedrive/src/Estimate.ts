/**
 * The token estimate that discovery prints: how many Pipedrive tokens a migration of an export
 * will need, and how many days that is at the company's daily budget. It counts one create per
 * destination record at the cost of its endpoint, the schema setup, and the verification reads.
 */
import type { Inventory } from "@ferry/core";
import { tokenCost } from "@ferry/dest-pipedrive";
import type { MigrationVolume } from "@ferry/source-flashlead";

/** The estimate, with the figures it adds up. */
export interface TokenEstimate {
  readonly tokens: number;
  readonly dailyBudget: number;
  /** Whole days at the daily budget, at least 1. */
  readonly days: number;
  /** Tokens by part, such as `persons` or `schema setup`. */
  readonly parts: Readonly<Record<string, number>>;
}

const cost = (method: string, path: string): number => tokenCost(method, path) ?? 10;

/** Custom fields a typical plan creates (marker, original stage, source, tags, invoice fields). */
const typicalCustomFields = 12;

const distinctCompanies = (inventory: Inventory): number =>
  inventory.objects
    .filter((object) => object.kind === "lead" || object.kind === "contact")
    .flatMap((object) => object.columns.filter((column) => column.name === "company"))
    .reduce((sum, column) => sum + column.distinctCount, 0);

const volumeOf = (inventory: Inventory): MigrationVolume | undefined =>
  inventory.findings.find((finding) => finding.code === "migration-volume")?.details as
    | MigrationVolume
    | undefined;

/**
 * Estimates the tokens of a migration from the inventory's `migration-volume` finding.
 *
 * NOTE: leads are counted at the cost of a Pipedrive lead plus its person, the dearer of the
 * two routes, so the estimate errs high when many leads become deals.
 */
export const estimateTokens = (inventory: Inventory, dailyBudget: number): TokenEstimate => {
  const volume = volumeOf(inventory);
  const records = volume?.records ?? {};
  const leads = records.lead ?? 0;
  const contacts = records.contact ?? 0;
  const invoices = records.invoice ?? 0;

  const personCost = cost("POST", "/api/v2/persons");
  const parts: Record<string, number> = {
    organizations: distinctCompanies(inventory) * cost("POST", "/api/v2/organizations"),
    persons: (leads + contacts) * personCost,
    "leads and deals": leads * cost("POST", "/v1/leads"),
    "invoice deals": invoices * cost("POST", "/api/v2/deals"),
    notes:
      ((volume?.notes ?? 0) + (volume?.stageTransitions ?? 0) + (volume?.messageThreads ?? 0)) *
      cost("POST", "/v1/notes"),
    activities: (volume?.activities ?? 0) * cost("POST", "/api/v2/activities"),
    files: (volume?.attachments ?? 0) * cost("POST", "/v1/files"),
    "schema setup": typicalCustomFields * cost("POST", "/api/v2/dealFields") + 200,
  };
  const written = Object.values(parts).reduce((sum, n) => sum + n, 0);
  // Verification reads 100 ids per list call.
  parts.verification = Math.ceil(written / personCost / 100) * cost("GET", "/api/v2/persons");

  const tokens = Object.values(parts).reduce((sum, n) => sum + n, 0);
  return { tokens, dailyBudget, days: Math.max(1, Math.ceil(tokens / dailyBudget)), parts };
};
