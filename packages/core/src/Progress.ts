/**
 * Progress events that a run emits and that a command line or a host application renders, and
 * the service through which they are emitted.
 */
import { Context, Effect, Layer, Schema } from "effect";

/** A phase began; `total` is the number of records it will handle, when known. */
export const PhaseStarted = Schema.TaggedStruct("PhaseStarted", {
  phase: Schema.String,
  total: Schema.optional(Schema.Int),
});

/** More records of a phase are done; `done` is the running count, not an increment. */
export const RecordsDone = Schema.TaggedStruct("RecordsDone", {
  phase: Schema.String,
  done: Schema.Int,
  total: Schema.optional(Schema.Int),
});

/** The run is waiting on a rate limit or a spent budget. */
export const RateLimitWait = Schema.TaggedStruct("RateLimitWait", {
  phase: Schema.optional(Schema.String),
  waitMs: Schema.Number,
  reason: Schema.Literal("burst-window", "rate-limited", "budget-exhausted", "time-window"),
});

/** A phase ended, with its reconciled counts. */
export const PhaseFinished = Schema.TaggedStruct("PhaseFinished", {
  phase: Schema.String,
  counts: Schema.Record({ key: Schema.String, value: Schema.Int }),
});

/**
 * Any progress event.
 *
 * @example
 * ```ts
 * const event: ProgressEvent = { _tag: "RecordsDone", phase: "persons", done: 120, total: 400 };
 * ```
 */
export const ProgressEvent = Schema.Union(PhaseStarted, RecordsDone, RateLimitWait, PhaseFinished);
export type ProgressEvent = typeof ProgressEvent.Type;

/** The service that receives progress events. */
export class Progress extends Context.Tag("@ferry/core/Progress")<
  Progress,
  { readonly emit: (event: ProgressEvent) => Effect.Effect<void> }
>() {
  /** Discards every event. */
  static readonly silent: Layer.Layer<Progress> = Layer.succeed(Progress, {
    emit: () => Effect.void,
  });

  /** Calls a plain function for each event, for callers that do not use Effect. */
  static fromCallback(callback: (event: ProgressEvent) => void): Layer.Layer<Progress> {
    return Layer.succeed(Progress, { emit: (event) => Effect.sync(() => callback(event)) });
  }
}

/** Emits one progress event through the `Progress` service, if one is provided. */
export const emitProgress = (event: ProgressEvent): Effect.Effect<void> =>
  Effect.serviceOption(Progress).pipe(
    Effect.flatMap((service) =>
      service._tag === "Some" ? service.value.emit(event) : Effect.void,
    ),
  );
