/**
 * Resolution of a planned record's links through the id map. A link whose target was rejected
 * or queued makes the record rejected or queued with a reason; a link is never dropped.
 */
import type { Ledger } from "../ledger/Ledger.js";
import type { PlannedRow } from "../ledger/LedgerRows.js";
import type { RecordRef } from "../SourceRecord.js";

const kindsByLinkKey: Readonly<Record<string, string>> = {
  org_id: "organization",
  organization_id: "organization",
  person_id: "person",
  deal_id: "deal",
  lead_id: "lead",
};

/**
 * Returns the destination kind a link points to: the record's `linkKinds` entry, else the
 * kind named by the key (`org_id` and `organization_id` → organization, `person_id` → person,
 * `deal_id` → deal, `lead_id` → lead), else the key without an `_id` suffix.
 */
export const linkTargetKind = (key: string, linkKinds: Readonly<Record<string, string>>): string =>
  linkKinds[key] ?? kindsByLinkKey[key] ?? key.replace(/_id$/, "");

/** The outcome of resolving a record's links. */
export type LinkOutcome =
  | { readonly _tag: "Resolved"; readonly links: Readonly<Record<string, string>> }
  | {
      readonly _tag: "Rejected";
      readonly code: string;
      readonly message: string;
      readonly value: string;
    }
  | {
      readonly _tag: "Queued";
      readonly code: string;
      readonly message: string;
      readonly value: string;
    };

const describeRef = (kind: string, ref: RecordRef) => `${kind} ${ref.kind}:${ref.sourceId}`;

/** Resolves every link of a planned record through the id map. */
export const resolveLinks = (ledger: Ledger, runId: number, record: PlannedRow): LinkOutcome => {
  const links: Record<string, string> = {};

  for (const [key, target] of Object.entries(record.links)) {
    const kind = linkTargetKind(key, record.linkKinds);
    const mapped = ledger.idMapGet(kind, target);
    if (mapped !== undefined) {
      links[key] = mapped.destId;
      continue;
    }

    const value = `${target.kind}:${target.sourceId}`;
    const planned = ledger.planned.get(runId, kind, target);
    if (planned?.status === "queued" || ledger.isQueued(runId, kind, target)) {
      return {
        _tag: "Queued",
        code: "link-target-queued",
        message: `${key} points to ${describeRef(kind, target)}, which is waiting in the reconciliation queue; decide it, then run again`,
        value,
      };
    }
    const why =
      planned === undefined
        ? "which the plan does not contain"
        : planned.status === "rejected"
          ? "which was rejected"
          : "which has not been written";
    return {
      _tag: "Rejected",
      code: planned?.status === "rejected" ? "link-target-rejected" : "link-target-missing",
      message: `${key} points to ${describeRef(kind, target)}, ${why}`,
      value,
    };
  }

  return { _tag: "Resolved", links };
};
