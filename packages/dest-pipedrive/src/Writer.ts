/**
 * `write()`: encodes each record, checks that the batch fits in today's budget, sends the
 * creates and updates through the client and returns one result per record in batch order.
 *
 * A create whose outcome is unknown (5xx, timeout, dropped connection) may have landed, so it is
 * settled before it is sent again. Entities are found by their marker field, notes and activities
 * by the marker comment in the parent's list, and files by parent and name. A lost response
 * therefore never makes a duplicate. Only that case reads; a normal load spends the create cost
 * of each record and nothing else.
 */
import { readFile } from "node:fs/promises";
import { basename } from "node:path";

import {
  DestinationError,
  type OutboundRecord,
  type WriteRejected,
  type WriteResult,
} from "@ferry/core";
import { Effect } from "effect";

import type { Catalog } from "./Catalog.js";
import { dataOf } from "./internal/paging.js";
import { findFileByName, lookupRecords } from "./Lookup.js";
import { encodeRecord, type Payload, type PipedriveKind } from "./Payloads.js";
import type { PipedriveClient } from "./PipedriveClient.js";
import { tokenCost } from "./TokenCosts.js";

const rejected = (
  record: OutboundRecord,
  reason: string,
  message: string,
  status?: number,
): WriteRejected => ({
  _tag: "WriteRejected",
  ref: record.ref,
  reason,
  message,
  ...(status === undefined ? {} : { status }),
});

const parentOf = (record: OutboundRecord): { key: string; id: string } | undefined => {
  for (const key of ["deal_id", "lead_id", "person_id", "org_id"]) {
    const id = record.links[key];
    if (id !== undefined) return { key, id };
  }
  return undefined;
};

/** Builds the multipart body of a file upload. */
const uploadForm = (payload: Extract<Payload, { _tag: "Upload" }>) =>
  Effect.tryPromise({
    try: async () => {
      const bytes = await readFile(payload.file);
      const form = new FormData();
      form.append("file", new Blob([bytes]), payload.name || basename(payload.file));
      for (const [key, value] of Object.entries(payload.fields)) form.append(key, value);
      return form;
    },
    catch: (error) => error,
  });

/** Settles a create whose response was lost: the id it landed under, or undefined. */
const settle = (
  client: PipedriveClient,
  catalog: Catalog,
  record: OutboundRecord,
  payload: Payload,
): Effect.Effect<string | undefined, DestinationError> => {
  const kind = record.kind as PipedriveKind;
  const parent = parentOf(record);
  if (payload._tag === "Upload") {
    return parent === undefined
      ? Effect.succeed(undefined)
      : findFileByName(client, parent, payload.name);
  }
  return lookupRecords(
    client,
    catalog,
    kind,
    [record.ref],
    kind === "note" || kind === "activity" ? parent : undefined,
  ).pipe(Effect.map((found) => found.get(record.ref.sourceId)));
};

const isUnknownOutcome = (error: DestinationError): boolean =>
  error.reason === "server" || error.reason === "timeout" || error.reason === "transport";

/** Sends one encoded record, settling and retrying a create whose outcome is unknown. */
const sendOne = (
  client: PipedriveClient,
  catalog: Catalog,
  record: OutboundRecord,
  payload: Payload,
): Effect.Effect<WriteResult, DestinationError> =>
  Effect.gen(function* () {
    const isCreate = record.destinationId === undefined;
    const action = isCreate ? ("created" as const) : ("updated" as const);

    let form: FormData | undefined;
    if (payload._tag === "Upload") {
      const read = yield* uploadForm(payload).pipe(Effect.either);
      if (read._tag === "Left") {
        const cause = read.left instanceof Error ? read.left.message : String(read.left);
        return rejected(
          record,
          "file-unreadable",
          `failed to read ${payload.file}: ${cause}; check that the file exists and is readable`,
        );
      }
      form = read.right;
    }

    for (let attempt = 1; ; attempt++) {
      const request =
        payload._tag === "Json"
          ? { method: payload.method, path: payload.path, json: payload.json }
          : {
              method: "POST" as const,
              path: payload.path,
              ...(form === undefined ? {} : { form }),
            };
      const outcome = yield* client
        .request({ ...request, idempotent: !isCreate, kind: record.kind, ref: record.ref })
        .pipe(Effect.either);

      if (outcome._tag === "Right") {
        const id = (dataOf(outcome.right.body) as { id?: unknown } | null)?.id;
        return { _tag: "Written", ref: record.ref, id: String(id ?? record.destinationId), action };
      }

      const error = outcome.left;
      if (error.haltsRun) return yield* error;
      if (
        error.reason === "validation" ||
        error.reason === "not-found" ||
        error.reason === "unknown"
      ) {
        return rejected(record, error.reason, error.apiMessage ?? error.message, error.status);
      }
      if (!isCreate || !isUnknownOutcome(error) || attempt >= client.config.maxAttempts) {
        return yield* error;
      }

      const landed = yield* settle(client, catalog, record, payload);
      if (landed !== undefined) return { _tag: "Written", ref: record.ref, id: landed, action };
      yield* Effect.sleep(client.backoffMs(attempt - 1));
    }
  });

/** The token cost of a payload. */
const payloadCost = (payload: Payload): number =>
  tokenCost(payload._tag === "Json" ? payload.method : "POST", payload.path) ?? 0;

/** Writes a batch of one kind; see the file header. */
export const writeBatch = (
  client: PipedriveClient,
  catalog: Catalog,
  kind: PipedriveKind,
  batch: ReadonlyArray<OutboundRecord>,
): Effect.Effect<ReadonlyArray<WriteResult>, DestinationError> =>
  Effect.gen(function* () {
    const encoded = batch.map((record) => ({
      record,
      encoding: encodeRecord({ ...record, kind }, catalog),
    }));
    const cost = encoded.reduce(
      (sum, { encoding }) =>
        sum + (encoding._tag === "Payload" ? payloadCost(encoding.payload) : 0),
      0,
    );

    const remaining = client.budget.remaining(Date.now());
    if (cost > remaining && !client.config.waitForBudgetReset) {
      return yield* new DestinationError({
        reason: "budget-exhausted",
        kind,
        detail: `the batch of ${batch.length} ${kind} records costs ${cost} tokens and ${remaining} are left today; nothing of it was sent`,
        resetsAt: client.budget.resetsAt(Date.now()).toISOString(),
      });
    }

    return yield* Effect.forEach(
      encoded,
      ({ record, encoding }) => {
        if (encoding._tag === "Invalid")
          return Effect.succeed(rejected(record, "invalid", encoding.message));
        return sendOne(client, catalog, { ...record, kind }, encoding.payload);
      },
      { concurrency: client.config.concurrency },
    );
  });
