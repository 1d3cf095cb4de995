/**
 * The `migration-volume` finding: the counts a token estimate needs, so the package that has
 * the destination's costs can compute tokens and days without this source depending on it.
 */
import type { Finding, Inventory } from "@ferry/core";

import type { Audit } from "./Audit.js";

/** The counts of the `migration-volume` finding's details. */
export interface MigrationVolume {
  /** Records per kind. */
  readonly records: Readonly<Record<string, number>>;
  /** Lead and contact notes plus activities kept as notes. */
  readonly notes: number;
  /** Activities that are calls, e-mails, meetings or messages. */
  readonly activities: number;
  readonly stageTransitions: number;
  readonly messageThreads: number;
  /** Non-empty attachment cells. */
  readonly attachments: number;
  readonly leadsWithInvoices: number;
}

/** Builds the `migration-volume` finding. */
export const volumeFinding = (inventory: Inventory, audit: Audit): Finding => {
  const records = Object.fromEntries(inventory.objects.map((o) => [o.kind, o.recordCount]));
  const kinds = new Map(audit.activityKinds.entries().map((e) => [e.value, e.count]));
  const activities = ["call", "email", "meeting", "message"].reduce(
    (sum, k) => sum + (kinds.get(k) ?? 0),
    0,
  );
  const volume: MigrationVolume = {
    records,
    notes: audit.notes,
    activities,
    stageTransitions: audit.transitions,
    messageThreads: audit.messages,
    attachments: audit.attachments,
    leadsWithInvoices: audit.leadsWithInvoices,
  };

  const total = Object.values(records).reduce((sum, n) => sum + n, 0);
  return {
    code: "migration-volume",
    severity: "info",
    count: total,
    message: `${total} records to migrate: ${volume.notes} notes, ${activities} activities, ${volume.stageTransitions} stage transitions, ${volume.messageThreads} message threads, ${volume.attachments} attachments, ${volume.leadsWithInvoices} leads with invoices`,
    details: volume,
  };
};
