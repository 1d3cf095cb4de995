/**
 * The rate-aware HTTP client of the Pipedrive destination. ky sends the requests, with the token
 * in the `x-api-token` header and never in the URL. p-queue bounds how many are in flight, and a
 * rolling burst pacer per limiter (general and search) spaces them. A token budget rejects a call
 * the day can no longer pay for. Failures are classified once and retried by reason.
 *
 * An API can echo the token back, for example in a validation message. Every response body is
 * therefore redacted before anyone reads it, and so is every text that goes into a
 * `DestinationError`, so the token never reaches a rejection, a halt reason, the ledger or a report.
 */
import { DestinationError, emitProgress, type RecordRef } from "@ferry/core";
import { Effect, Redacted, Runtime } from "effect";
import ky, { type KyInstance } from "ky";
import PQueue from "p-queue";

import { type BackoffPolicy, backoffDelay } from "./Backoff.js";
import { BurstPacer, type BurstSlot, readRateLimitHeaders } from "./BurstPacer.js";
import { classifyFailure, type Failure } from "./classifyFailure.js";
import { type PipedriveConfig, planBurstLimits, searchBurstLimit } from "./PipedriveConfig.js";
import { redactText, redactValue, secretPattern } from "./redactSecret.js";
import { TokenBudget } from "./TokenBudget.js";
import { tokenCost } from "./TokenCosts.js";

/** One API call. `path` includes the version prefix, such as `/api/v2/persons`. */
export interface ApiRequest {
  readonly method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  readonly path: string;
  readonly searchParams?: Readonly<Record<string, string | number | boolean>>;
  readonly json?: unknown;
  readonly form?: FormData;
  /**
   * Whether sending the call twice is harmless. Reads and deletes are; creates are not, so a
   * create that fails after it may have landed (5xx, timeout, dropped connection) is not retried
   * here: the caller settles it by the marker field first.
   */
  readonly idempotent: boolean;
  /** Object kind and source record, carried into errors. */
  readonly kind?: string;
  readonly ref?: RecordRef;
}

/** A 2xx response with its parsed body. */
export interface ApiResponse {
  readonly status: number;
  readonly body: unknown;
}

/** Counters of one client, for the runner's ledger and the benchmarks. */
export interface ClientStats {
  /** Tokens spent by this client, by its own reckoning from the cost table. */
  readonly tokensSpent: number;
  readonly requests: number;
  /** Responses with HTTP 429. */
  readonly rateLimited: number;
}

const searchPath = /\/search$|\/itemSearch(\/|$)/;

/** The client. Build it with `makePipedriveClient`. */
export class PipedriveClient {
  readonly #config: PipedriveConfig;
  readonly #http: KyInstance;
  readonly #queue: PQueue;
  readonly #pacer: BurstPacer;
  readonly #searchPacer: BurstPacer;
  readonly #budget: TokenBudget;
  readonly #backoff: BackoffPolicy;
  /** Matches the API token in the forms a response could echo it in. */
  readonly #tokenPattern: RegExp | undefined;
  #requests = 0;
  #rateLimited = 0;

  constructor(config: PipedriveConfig) {
    this.#config = config;
    this.#tokenPattern = secretPattern(Redacted.value(config.apiToken));
    const scale = config.timeScale;
    this.#http = ky.create({
      prefixUrl: config.origin,
      headers: { "x-api-token": Redacted.value(config.apiToken), accept: "application/json" },
      timeout: config.timeoutMs,
      retry: 0,
      throwHttpErrors: false,
    });
    this.#queue = new PQueue({ concurrency: config.concurrency });
    this.#pacer = new BurstPacer({ limit: planBurstLimits[config.plan], windowMs: 2000 / scale });
    this.#searchPacer = new BurstPacer({ limit: searchBurstLimit, windowMs: 2000 / scale });
    this.#budget = new TokenBudget({
      daily: config.dailyBudget,
      spentBefore: config.spentToday,
      now: Date.now(),
      dayLengthMs: 86_400_000 / scale,
    });
    this.#backoff = { baseMs: 500 / scale, capMs: 30_000 / scale };
  }

  /** The configuration the client runs with. */
  get config(): PipedriveConfig {
    return this.#config;
  }

  /** The budget, for `describe()` limits and remaining-token checks. */
  get budget(): TokenBudget {
    return this.#budget;
  }

  /** Computes the jittered wait before retry number `retry` (0 for the first), in milliseconds. */
  backoffMs(retry: number): number {
    return backoffDelay(this.#backoff, retry);
  }

  /** Counters so far. */
  get stats(): ClientStats {
    return {
      tokensSpent: this.#budget.spentByClient,
      requests: this.#requests,
      rateLimited: this.#rateLimited,
    };
  }

  /** Sends a call, retrying by reason, and fails with a `DestinationError`. */
  request(request: ApiRequest): Effect.Effect<ApiResponse, DestinationError> {
    const self = this;
    return Effect.gen(function* () {
      const cost = tokenCost(request.method, request.path) ?? 0;
      for (let attempt = 1; ; attempt++) {
        yield* self.#awaitBudget(request, cost);
        const outcome = yield* self.#send(request, cost);
        if (outcome._tag === "Ok") return outcome.response;

        const error = outcome.error;
        const retry = yield* self.#retryDelay(request, error, attempt);
        if (retry === undefined) return yield* error;
        yield* Effect.sleep(retry);
      }
    });
  }

  /** Fails (or waits, if configured) when the call does not fit in today's budget. */
  #awaitBudget(request: ApiRequest, cost: number): Effect.Effect<void, DestinationError> {
    const self = this;
    return Effect.gen(function* () {
      for (;;) {
        const decision = self.#budget.check(cost, Date.now());
        if (decision._tag === "Spend") return;

        const resetsAt = decision.resetsAt.toISOString();
        if (!self.#config.waitForBudgetReset) {
          return yield* self.#error(request, {
            reason: "budget-exhausted",
            detail: `the call costs ${cost} tokens and ${decision.remaining} of ${self.#budget.daily} are left today`,
            resetsAt,
          });
        }

        const waitMs = Math.max(1, decision.resetsAt.getTime() - Date.now());
        yield* emitProgress({ _tag: "RateLimitWait", waitMs, reason: "budget-exhausted" });
        yield* Effect.sleep(waitMs);
      }
    });
  }

  /** Decides whether and when a failed call goes again; undefined means it does not. */
  #retryDelay(
    request: ApiRequest,
    error: DestinationError,
    attempt: number,
  ): Effect.Effect<number | undefined> {
    const self = this;
    return Effect.gen(function* () {
      // Waiting for the daily reset is not a retry, so it does not count against maxAttempts.
      if (error.reason === "budget-exhausted" && self.#config.waitForBudgetReset) return 0;
      if (attempt >= self.#config.maxAttempts) return undefined;

      if (error.reason === "rate-limited") {
        // A burst window clears within its length, so a longer request (whole seconds in the
        // header, or a sandbox's shrunken window) is capped at it.
        const pacer = self.#pacerFor(request.path);
        const requested = Math.min(error.retryAfterMs ?? 0, pacer.maxWaitMs);
        const waitMs = backoffDelay(self.#backoff, attempt - 1, requested);
        pacer.block(Date.now(), waitMs);
        yield* emitProgress({ _tag: "RateLimitWait", waitMs, reason: "rate-limited" });
        return waitMs;
      }

      const retryable =
        error.reason === "server" || error.reason === "timeout" || error.reason === "transport";
      if (!retryable || !request.idempotent) return undefined;
      return backoffDelay(self.#backoff, attempt - 1);
    });
  }

  #pacerFor(path: string): BurstPacer {
    return searchPath.test(path) ? this.#searchPacer : this.#pacer;
  }

  /** The pacers a call takes a slot in. A search counts in its own window and the general one. */
  #pacersFor(path: string): ReadonlyArray<BurstPacer> {
    return searchPath.test(path) ? [this.#searchPacer, this.#pacer] : [this.#pacer];
  }

  /** Sends one attempt through the queue and the pacer. */
  #send(
    request: ApiRequest,
    cost: number,
  ): Effect.Effect<
    { _tag: "Ok"; response: ApiResponse } | { _tag: "Failed"; error: DestinationError }
  > {
    const self = this;
    return Effect.gen(function* () {
      const runtime = yield* Effect.runtime<never>();
      const onWait = (waitMs: number) =>
        Runtime.runFork(runtime)(
          emitProgress({ _tag: "RateLimitWait", waitMs, reason: "burst-window" }),
        );

      const result = yield* Effect.promise(() =>
        self.#queue.add(() => self.#attempt(request, cost, onWait), { throwOnTimeout: true }),
      );
      if (result._tag === "Ok") return result;
      return { _tag: "Failed" as const, error: self.#toError(request, result.failure) };
    });
  }

  async #attempt(
    request: ApiRequest,
    cost: number,
    onWait: (waitMs: number) => void,
  ): Promise<{ _tag: "Ok"; response: ApiResponse } | { _tag: "Failure"; failure: Failure }> {
    const pacers = this.#pacersFor(request.path);
    const slots = await acquireSlots(pacers, onWait);
    try {
      return await this.#exchange(request, cost, pacers, slots);
    } finally {
      // NOTE: a request that timed out is released at the timeout. Should the server stamp it
      // after that, the pacer counts it short by the difference, so a 429 can follow.
      const now = Date.now();
      pacers.forEach((pacer, index) => {
        const slot = slots[index];
        if (slot !== undefined) pacer.release(slot, now);
      });
    }
  }

  async #exchange(
    request: ApiRequest,
    cost: number,
    pacers: ReadonlyArray<BurstPacer>,
    slots: ReadonlyArray<BurstSlot>,
  ): Promise<{ _tag: "Ok"; response: ApiResponse } | { _tag: "Failure"; failure: Failure }> {
    this.#requests += 1;
    this.#budget.spend(cost, Date.now());
    try {
      const response = await this.#http(request.path.replace(/^\/+/, ""), {
        method: request.method,
        ...(request.searchParams === undefined
          ? {}
          : { searchParams: { ...request.searchParams } }),
        ...(request.json === undefined ? {} : { json: request.json }),
        ...(request.form === undefined ? {} : { body: request.form }),
      });
      // The headers describe the window of the first pacer, which is the search window on a search.
      const [pacer] = pacers;
      pacer?.observe(readRateLimitHeaders(response.headers), Date.now(), slots[0]);
      const body = await readBody(response, this.#tokenPattern);

      if (response.ok) return { _tag: "Ok", response: { status: response.status, body } };
      if (response.status === 429) this.#onRateLimited(cost, response.headers, body);
      return {
        _tag: "Failure",
        failure: { _tag: "Response", status: response.status, headers: response.headers, body },
      };
    } catch (error) {
      return { _tag: "Failure", failure: { _tag: "Thrown", error } };
    }
  }

  /** A 429 is not charged; one refused by the daily budget marks the day as spent. */
  #onRateLimited(cost: number, headers: Headers, body: unknown): void {
    this.#rateLimited += 1;
    this.#budget.spend(-cost, Date.now());
    const classified = classifyFailure({
      _tag: "Response",
      status: 429,
      headers,
      body,
    });
    if (classified.reason === "budget-exhausted") this.#budget.markExhausted(Date.now());
  }

  #toError(request: ApiRequest, failure: Failure): DestinationError {
    const classified = classifyFailure(failure);
    return this.#error(request, {
      ...classified,
      ...(failure._tag === "Response" ? { status: failure.status } : {}),
      ...(classified.reason === "budget-exhausted"
        ? { resetsAt: this.#budget.resetsAt(Date.now()).toISOString() }
        : {}),
      cause: failure._tag === "Thrown" ? failure.error : undefined,
    });
  }

  #error(
    request: ApiRequest,
    fields: Omit<ConstructorParameters<typeof DestinationError>[0], "method" | "url">,
  ): DestinationError {
    const query =
      request.searchParams === undefined
        ? ""
        : `?${new URLSearchParams(
            Object.entries(request.searchParams).map(([key, value]): [string, string] => [
              key,
              String(value),
            ]),
          )}`;
    const pattern = this.#tokenPattern;
    const { apiMessage, detail, cause, ...rest } = fields;
    return new DestinationError({
      ...rest,
      ...(apiMessage === undefined ? {} : { apiMessage: redactText(apiMessage, pattern) }),
      ...(detail === undefined ? {} : { detail: redactText(detail, pattern) }),
      ...(cause === undefined ? {} : { cause: redactCause(cause, pattern) }),
      method: request.method,
      url: redactText(`${this.#config.origin}${request.path}${query}`, pattern),
      ...(request.kind === undefined ? {} : { kind: request.kind }),
      ...(request.ref === undefined ? {} : { ref: request.ref }),
    });
  }
}

/**
 * Takes a slot in every pacer, waiting until all have one free at once. A pacer that has a slot
 * gives it back while another one makes the call wait, so no slot is held for a request not sent.
 */
const acquireSlots = async (
  pacers: ReadonlyArray<BurstPacer>,
  onWait: (waitMs: number) => void,
): Promise<ReadonlyArray<BurstSlot>> => {
  for (;;) {
    const now = Date.now();
    const slots: Array<BurstSlot> = [];
    let waitMs = 0;
    for (const pacer of pacers) {
      const slot = pacer.acquire(now);
      if (typeof slot === "number") {
        waitMs = slot;
        if (slot >= pacer.windowMs / 4) onWait(slot);
        break;
      }
      slots.push(slot);
    }
    if (waitMs === 0) return slots;

    for (const [index, slot] of slots.entries()) pacers[index]?.cancel(slot);
    await new Promise((resolve) => setTimeout(resolve, waitMs));
  }
};

/**
 * Reads a body as JSON when its content type is JSON, else as text. A body that contains the
 * token in any form is returned with every occurrence replaced by `[redacted]`.
 */
const readBody = async (response: Response, tokenPattern: RegExp | undefined): Promise<unknown> => {
  const text = await response.text();
  if (text === "") return null;
  // `search` ignores and keeps the global pattern's lastIndex, so the pattern can be shared.
  const echoed = tokenPattern !== undefined && text.search(tokenPattern) !== -1;

  if ((response.headers.get("content-type") ?? "").includes("json")) {
    try {
      const parsed: unknown = JSON.parse(text);
      return echoed ? redactValue(parsed, tokenPattern) : parsed;
    } catch {
      // Not JSON after all, so the body is read as text below.
    }
  }
  return echoed ? redactText(text, tokenPattern) : text;
};

/**
 * Replaces an error thrown by the HTTP stack with a plain copy of its name, network code, and
 * message and stack with the token redacted. ky's errors contain the request, whose headers
 * contain the token.
 */
const redactCause = (cause: unknown, tokenPattern: RegExp | undefined): Error => {
  const name = cause instanceof Error ? cause.name : "Error";
  const message = redactText(cause instanceof Error ? cause.message : String(cause), tokenPattern);
  const code = (cause as { cause?: { code?: unknown } } | null)?.cause?.code;
  const copy = new Error(message, typeof code === "string" ? { cause: { code } } : undefined);
  copy.name = name;
  if (cause instanceof Error && cause.stack !== undefined) {
    copy.stack = redactText(cause.stack, tokenPattern);
  }
  return copy;
};

/** Builds a client for a decoded configuration. */
export const makePipedriveClient = (config: PipedriveConfig): PipedriveClient =>
  new PipedriveClient(config);
