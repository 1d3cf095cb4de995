/**
 * Renders progress events: bars with count, rate, time left and time spent waiting on rate limits
 * on a terminal, and plain log lines (at most one per phase every few seconds) elsewhere.
 */
import type { ProgressEvent } from "@ferry/core";
import cliProgress from "cli-progress";

/** Options of the renderer: the output stream and the pacing of plain lines. */
export interface ProgressRendererOptions {
  readonly stream: NodeJS.WriteStream;
  /** Whether to draw bars; by default, when the stream is a terminal and CI is not set. */
  readonly bars?: boolean;
  /** Minimum time between two plain lines of the same phase, in milliseconds. @default 5000 */
  readonly lineIntervalMs?: number;
}

interface PhaseState {
  readonly startedAt: number;
  total: number | undefined;
  done: number;
  waitedMs: number;
  lastLineAt: number;
  bar: cliProgress.SingleBar | undefined;
}

const formatDuration = (ms: number): string => {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  return minutes < 60
    ? `${minutes}m${seconds % 60}s`
    : `${Math.floor(minutes / 60)}h${minutes % 60}m`;
};

/** Turns progress events into terminal output; call `stop()` when the run ends. */
export class ProgressRenderer {
  readonly #stream: NodeJS.WriteStream;
  readonly #bars: cliProgress.MultiBar | undefined;
  readonly #lineIntervalMs: number;
  readonly #phases = new Map<string, PhaseState>();
  #waitedMs = 0;
  #waitedUntil = Number.NEGATIVE_INFINITY;
  #lastWaitLineAt = Number.NEGATIVE_INFINITY;

  constructor(options: ProgressRendererOptions) {
    this.#stream = options.stream;
    this.#lineIntervalMs = options.lineIntervalMs ?? 5000;
    const bars = options.bars ?? (options.stream.isTTY === true && process.env.CI === undefined);
    this.#bars = bars
      ? new cliProgress.MultiBar(
          {
            stream: options.stream,
            format:
              "{phase} [{bar}] {value}/{total} | {rate}/s | left {eta_formatted} | waited {waited}",
            hideCursor: true,
            clearOnComplete: false,
          },
          cliProgress.Presets.shades_classic,
        )
      : undefined;
  }

  /** Handles one event. */
  readonly render = (event: ProgressEvent): void => {
    if (event._tag === "PhaseStarted") this.#start(event.phase, event.total);
    else if (event._tag === "RecordsDone") this.#advance(event.phase, event.done, event.total);
    else if (event._tag === "RateLimitWait") this.#wait(event.phase, event.waitMs, event.reason);
    else this.#finish(event.phase, event.counts);
  };

  /** Stops the bars and returns the wall-clock time spent waiting on rate limits, in ms. */
  stop(): number {
    this.#bars?.stop();
    return this.#waitedMs;
  }

  #start(phase: string, total: number | undefined): void {
    const now = Date.now();
    const bar = this.#bars?.create(total ?? 0, 0, this.#payload(phase, 0, now, 0));
    this.#phases.set(phase, { startedAt: now, total, done: 0, waitedMs: 0, lastLineAt: now, bar });
    if (bar === undefined)
      this.#line(`${phase}: started${total === undefined ? "" : `, ${total} records`}`);
  }

  #advance(phase: string, done: number, total: number | undefined): void {
    const state = this.#phases.get(phase) ?? this.#startAndGet(phase, total);
    state.done = done;
    if (total !== undefined) state.total = total;
    const now = Date.now();

    if (state.bar !== undefined) {
      if (total !== undefined) state.bar.setTotal(total);
      state.bar.update(done, this.#payload(phase, done, state.startedAt, state.waitedMs));
      return;
    }
    if (now - state.lastLineAt >= this.#lineIntervalMs) {
      state.lastLineAt = now;
      const of = state.total === undefined ? "" : `/${state.total}`;
      this.#line(`${phase}: ${done}${of} records, ${this.#rate(done, state.startedAt)}/s`);
    }
  }

  #wait(phase: string | undefined, waitMs: number, reason: string): void {
    // Concurrent requests wait at the same time, so the total counts wall-clock time during
    // which at least one request waited, not the sum of the waits.
    const now = Date.now();
    const end = now + waitMs;
    const added = Math.max(0, end - Math.max(now, this.#waitedUntil));
    this.#waitedUntil = Math.max(this.#waitedUntil, end);
    this.#waitedMs += added;
    const state = phase === undefined ? undefined : this.#phases.get(phase);
    if (state !== undefined) state.waitedMs += added;
    if (this.#bars !== undefined) return;

    // Waits come in bursts of short pauses, so plain output gives a running total instead.
    if (now - this.#lastWaitLineAt < this.#lineIntervalMs) return;
    this.#lastWaitLineAt = now;
    const total = formatDuration(this.#waitedMs);
    this.#line(`${phase ?? "run"}: waiting ${formatDuration(waitMs)} (${reason}), ${total} in all`);
  }

  #finish(phase: string, counts: Readonly<Record<string, number>>): void {
    const state = this.#phases.get(phase);
    // Count names are camel case, such as `alreadyInAccount`, and print as words.
    const summary = Object.entries(counts)
      .map(([name, count]) => `${name.replace(/[A-Z]/g, (c) => ` ${c.toLowerCase()}`)} ${count}`)
      .join(", ");
    if (state?.bar !== undefined) {
      state.bar.update(
        state.done,
        this.#payload(phase, state.done, state.startedAt, state.waitedMs),
      );
      state.bar.stop();
    }
    const took = state === undefined ? "" : ` in ${formatDuration(Date.now() - state.startedAt)}`;
    this.#line(`${phase}: finished${took}: ${summary}`);
  }

  #startAndGet(phase: string, total: number | undefined): PhaseState {
    this.#start(phase, total);
    return this.#phases.get(phase) as PhaseState;
  }

  #payload(phase: string, done: number, startedAt: number, waitedMs: number) {
    return {
      phase: phase.padEnd(14),
      rate: this.#rate(done, startedAt),
      waited: formatDuration(waitedMs),
    };
  }

  #rate(done: number, startedAt: number): string {
    const seconds = Math.max((Date.now() - startedAt) / 1000, 0.001);
    return (done / seconds).toFixed(1);
  }

  #line(text: string): void {
    if (this.#bars !== undefined) this.#bars.log(`${text}\n`);
    else this.#stream.write(`${text}\n`);
  }
}
