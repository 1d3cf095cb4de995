/**
 * The Pipedrive `Destination`: seven kinds in dependency order, the schema read and set up by
 * name, writers per kind, read-back and deletion, all through one rate-aware client.
 *
 * A destination reads the account's schema once, on first use, and keeps the snapshot current
 * with its own schema writes: `applySchema` adds the items its creates returned. A migration
 * therefore reads the schema once (90 tokens when no list passes 500 items) instead of before
 * and after every step. While `applySchema` runs the snapshot is dropped, so a failed or
 * interrupted call leaves none and the next use reads the account again. `removeSchema` drops
 * it too. Changes that another process or a person makes to the account are not seen until a
 * new destination is built, which each `ferry` command and each reference pipeline call does.
 */
import {
  type Destination,
  DestinationError,
  type DestinationSchema,
  type ObjectKindSpec,
} from "@ferry/core";
import { Effect, Ref, Stream } from "effect";

import { Catalog, readSchema } from "./Catalog.js";
import { lookupRecords } from "./Lookup.js";
import { isPipedriveKind, type PipedriveKind } from "./Payloads.js";
import { type ClientStats, makePipedriveClient, type PipedriveClient } from "./PipedriveClient.js";
import {
  decodePipedriveConfig,
  type PipedriveConfig,
  type PipedriveConfigError,
  type PipedriveConfigInput,
} from "./PipedriveConfig.js";
import { readBackRecords } from "./Reader.js";
import { removeRecords } from "./Remover.js";
import { removeSchemaItems } from "./SchemaRemover.js";
import { applySchemaChanges, markerFieldChanges } from "./SchemaSetup.js";
import { writeBatch } from "./Writer.js";

/** The kinds and what each must follow. */
export const pipedriveKinds: ReadonlyArray<ObjectKindSpec> = [
  { kind: "organization", dependsOn: [] },
  { kind: "person", dependsOn: ["organization"] },
  { kind: "deal", dependsOn: ["organization", "person"] },
  { kind: "lead", dependsOn: ["organization", "person"] },
  { kind: "note", dependsOn: ["organization", "person", "deal", "lead"] },
  { kind: "activity", dependsOn: ["organization", "person", "deal", "lead"] },
  { kind: "file", dependsOn: ["organization", "person", "deal", "lead"] },
];

/** The Pipedrive destination, with the client's counters for the runner's ledger. */
export interface PipedriveDestination extends Destination {
  /** Tokens spent, requests sent and 429s met by this destination's client so far. */
  readonly stats: () => ClientStats;
  /** The client, for callers that need a raw call (benchmarks, diagnostics). */
  readonly client: PipedriveClient;
}

const unknownKind = (kind: string) =>
  new DestinationError({
    reason: "validation",
    kind,
    detail: `Pipedrive has no kind "${kind}"; use one of ${pipedriveKinds.map((spec) => spec.kind).join(", ")}`,
  });

const withKind = <A>(
  kind: string,
  run: (kind: PipedriveKind) => Effect.Effect<A, DestinationError>,
): Effect.Effect<A, DestinationError> =>
  isPipedriveKind(kind) ? run(kind) : Effect.fail(unknownKind(kind));

/** Options of `fromConfig`. */
export interface PipedriveDestinationOptions {
  /**
   * The account's schema, read moments ago by the caller in the same process, so that the
   * destination does not read it again. It must be current: `applySchema` creates only what is
   * missing from it, and writers resolve field keys and stages from it.
   */
  readonly schema?: DestinationSchema;
}

/** Builds the destination from a decoded configuration. */
export const fromConfig = (
  config: PipedriveConfig,
  options: PipedriveDestinationOptions = {},
): Effect.Effect<PipedriveDestination> =>
  Effect.gen(function* () {
    const client = makePipedriveClient(config);
    const seed = options.schema === undefined ? undefined : new Catalog(options.schema);
    const cache = yield* Ref.make<Catalog | undefined>(seed);

    const read = readSchema(client).pipe(
      Effect.map((schema) => new Catalog(schema)),
      Effect.tap((catalog) => Ref.set(cache, catalog)),
    );
    const catalog = Effect.flatMap(Ref.get(cache), (cached) =>
      cached === undefined ? read : Effect.succeed(cached),
    );

    // The snapshot is dropped before the first create, so that a failure part-way (or a lost
    // response whose create went through) makes the next call read what the account has.
    const applySchema: Destination["applySchema"] = (changes) =>
      Effect.gen(function* () {
        const current = yield* catalog;
        yield* Ref.set(cache, undefined);
        const applied = yield* applySchemaChanges(client, current.schema, changes);
        yield* Ref.set(cache, new Catalog(applied.schema));
        return applied.result;
      });

    return {
      name: "pipedrive",
      kinds: pipedriveKinds,
      client,
      stats: () => client.stats,
      describe: () => catalog.pipe(Effect.map((resolved) => resolved.schema)),
      addedSchemaChanges: markerFieldChanges,
      applySchema,
      write: (kind, batch) =>
        withKind(kind, (known) =>
          Effect.flatMap(catalog, (resolved) => writeBatch(client, resolved, known, batch)),
        ),
      lookup: (kind, refs) =>
        withKind(kind, (known) =>
          Effect.flatMap(catalog, (resolved) => lookupRecords(client, resolved, known, refs)),
        ),
      readBack: (kind, ids) =>
        isPipedriveKind(kind)
          ? readBackRecords(client, catalog, kind, ids)
          : Stream.fail(unknownKind(kind)),
      remove: (kind, ids) => withKind(kind, (known) => removeRecords(client, known, ids)),
      removeSchema: (items) =>
        removeSchemaItems(client, items).pipe(Effect.ensuring(Ref.set(cache, undefined))),
    };
  });

/**
 * Builds the Pipedrive destination from plain settings, reading the token from
 * `PIPEDRIVE_API_TOKEN` unless `apiToken` is given.
 *
 * @example
 * ```ts
 * const destination = yield* makePipedriveDestination({
 *   baseUrl: "http://127.0.0.1:4010",
 *   plan: "lite",
 *   seats: 1,
 * });
 * const schema = yield* destination.describe();
 * ```
 */
export const makePipedriveDestination = (
  input: PipedriveConfigInput,
  options: PipedriveDestinationOptions = {},
): Effect.Effect<PipedriveDestination, PipedriveConfigError> =>
  Effect.flatMap(decodePipedriveConfig(input), (config) => fromConfig(config, options));
