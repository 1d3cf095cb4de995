/**
 * Checks of a destination's final state: the sandbox contains exactly the expected records (none
 * missing, none extra, none twice, each with the expected content), and the ledger's id map
 * points every migrated record at a live sandbox record that carries its marker.
 */
import { Ledger } from "@ferry/core";
import type { Sandbox, SerializedState } from "@ferry/dest-pipedrive/sandbox";
import { expect } from "vitest";

import { type CanonicalState, canonicalState, recordCollections } from "./CanonicalState.js";

const collectionOfKind: Record<string, string> = {
  organization: "organizations",
  person: "persons",
  deal: "deals",
  lead: "leads",
  note: "notes",
  activity: "activities",
};

/** Asserts that a sandbox contains exactly the records of the expected state. */
export const expectSameRecords = (actual: CanonicalState, expected: CanonicalState): void => {
  expect(actual.duplicates).toEqual([]);
  expect(actual.unmarked).toEqual([]);

  const missing = [...expected.records.keys()].filter((key) => !actual.records.has(key));
  const extra = [...actual.records.keys()].filter((key) => !expected.records.has(key));
  expect(missing).toEqual([]);
  expect(extra).toEqual([]);
  for (const [key, record] of expected.records) {
    expect({ key, record: actual.records.get(key) }).toEqual({ key, record });
  }

  expect(actual.customFields).toEqual(expected.customFields);
  expect(actual.users).toEqual(expected.users);
  expect(actual.stages).toEqual(expected.stages);
};

/**
 * Asserts that every id map entry of a state folder names a live record with its marker, and
 * that each live record of the snapshot has exactly one entry.
 */
export const expectIdMapMatches = (stateDir: string, state: SerializedState): void => {
  const ledger = Ledger.open(stateDir);
  let entries: ReturnType<Ledger["idMapEntries"]>;
  try {
    entries = ledger.idMapEntries();
  } finally {
    ledger.close();
  }

  const canonical = canonicalState(state);
  const byId = new Map<string, string>();
  for (const collection of recordCollections) {
    for (const row of state.collections[collection] as Array<Record<string, unknown>>) {
      if (row.is_deleted === true || row.active_flag === false) continue;
      byId.set(`${collection} ${String(row.id)}`, collection);
    }
  }

  const mapped = new Set<string>();
  for (const entry of entries) {
    const collection = collectionOfKind[entry.destKind] ?? entry.destKind;
    const key = `${collection} ${entry.destId}`;
    expect({
      entry: `${entry.destKind} ${entry.ref.kind}:${entry.ref.sourceId}`,
      live: byId.has(key),
    }).toEqual({
      entry: `${entry.destKind} ${entry.ref.kind}:${entry.ref.sourceId}`,
      live: true,
    });
    expect(canonical.records.has(`${collection} ${entry.ref.kind}:${entry.ref.sourceId}`)).toBe(
      true,
    );
    mapped.add(key);
  }
  expect([...byId.keys()].filter((key) => !mapped.has(key))).toEqual([]);
};

/** Reads a sandbox's state and checks it against the expected state and the ledger. */
export const expectFinalState = (
  sandbox: Sandbox,
  stateDir: string,
  expected: CanonicalState,
): void => {
  const state = sandbox.control.snapshot();
  expectSameRecords(canonicalState(state), expected);
  expectIdMapMatches(stateDir, state);
};
