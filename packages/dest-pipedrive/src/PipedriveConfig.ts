/**
 * Configuration of the Pipedrive destination, decoded once at the edge. It gives the API's
 * location, the company's plan and seats (which size the daily token budget and the burst
 * window), what earlier runs spent today, timeouts and concurrency.
 */
import { Config, Effect, Schema } from "effect";

/** Plan multipliers of the daily token budget: `30,000 × multiplier × seats`. */
export const planMultipliers = {
  lite: 1,
  growth: 2,
  premium: 5,
  ultimate: 7,
} as const;

/** API-token requests allowed per rolling 2-second window, by plan. */
export const planBurstLimits = {
  lite: 20,
  growth: 40,
  premium: 100,
  ultimate: 120,
} as const;

/** Requests per 2-second window for search endpoints, on every plan. */
export const searchBurstLimit = 10;

/** Custom fields a company may have, by plan, across object kinds. */
export const planCustomFieldCaps = {
  lite: 30,
  growth: 100,
  premium: 300,
  ultimate: 500,
} as const;

/** A Pipedrive plan name. */
export const PipedrivePlan = Schema.Literal("lite", "growth", "premium", "ultimate");
export type PipedrivePlan = typeof PipedrivePlan.Type;

/**
 * Settings of the destination.
 *
 * Give either `baseUrl` (such as a sandbox's `http://127.0.0.1:4010`) or `companyDomain`
 * (`acme` becomes `https://acme.pipedrive.com`).
 *
 * @example
 * ```ts
 * const config = PipedriveConfig.make({
 *   baseUrl: "http://127.0.0.1:4010",
 *   apiToken: Redacted.make(process.env.PIPEDRIVE_API_TOKEN ?? ""),
 *   plan: "lite",
 *   seats: 1,
 * });
 * ```
 */
export class PipedriveConfig extends Schema.Class<PipedriveConfig>("PipedriveConfig")({
  /** Base URL of the API host, without `/api/v1`. Wins over `companyDomain`. */
  baseUrl: Schema.optional(Schema.String),
  /** Company subdomain: `acme` for `https://acme.pipedrive.com`. */
  companyDomain: Schema.optional(Schema.String),
  /** API token, sent in the `x-api-token` header and never in a URL. */
  apiToken: Schema.Redacted(Schema.String),
  /** Plan of the company; sets the budget multiplier and the burst limit. */
  plan: PipedrivePlan,
  /** Paid seats of the company. */
  seats: Schema.Int.pipe(Schema.greaterThanOrEqualTo(1)),
  /** Extra tokens bought as top-ups for today. @default 0 */
  topUpTokens: Schema.optionalWith(Schema.NonNegative, { default: () => 0 }),
  /** Tokens this company already spent today (earlier runs, other apps). @default 0 */
  spentToday: Schema.optionalWith(Schema.NonNegative, { default: () => 0 }),
  /** Milliseconds before one request times out. @default 30000 */
  timeoutMs: Schema.optionalWith(Schema.Positive, { default: () => 30_000 }),
  /** Requests in flight at once. @default 4 */
  concurrency: Schema.optionalWith(Schema.Int.pipe(Schema.greaterThanOrEqualTo(1)), {
    default: () => 4,
  }),
  /** Attempts per request on retryable failures, the first included. @default 5 */
  maxAttempts: Schema.optionalWith(Schema.Int.pipe(Schema.greaterThanOrEqualTo(1)), {
    default: () => 5,
  }),
  /** Wait for the daily budget to reset instead of stopping. @default false */
  waitForBudgetReset: Schema.optionalWith(Schema.Boolean, { default: () => false }),
  /**
   * Divides the 2-second burst window, the day and every backoff, to match a sandbox started
   * with the same time scale. Real Pipedrive needs 1. @default 1
   */
  timeScale: Schema.optionalWith(Schema.Positive, { default: () => 1 }),
}) {
  /** Base URL of the API host. */
  get origin(): string {
    if (this.baseUrl !== undefined) return this.baseUrl.replace(/\/+$/, "");
    return `https://${this.companyDomain ?? ""}.pipedrive.com`;
  }

  /** Daily token budget of the company: 30,000 × plan multiplier × seats, plus top-ups. */
  get dailyBudget(): number {
    return 30_000 * planMultipliers[this.plan] * this.seats + this.topUpTokens;
  }
}

/** Fields of `PipedriveConfig` other than the token, as a caller gives them. */
export type PipedriveConfigInput = Omit<
  Schema.Schema.Encoded<typeof PipedriveConfig>,
  "apiToken"
> & { readonly apiToken?: string };

/** An invalid configuration option, with the problem found. */
export class PipedriveConfigError extends Schema.TaggedError<PipedriveConfigError>()(
  "PipedriveConfigError",
  { option: Schema.String, problem: Schema.String },
) {
  override get message(): string {
    return `Pipedrive configuration option "${this.option}" is invalid: ${this.problem}`;
  }
}

/**
 * Decodes a configuration, reading the token from `PIPEDRIVE_API_TOKEN` unless `apiToken` is
 * given, and checks that a base URL or a company domain is set.
 */
export const decodePipedriveConfig = (
  input: PipedriveConfigInput,
): Effect.Effect<PipedriveConfig, PipedriveConfigError> =>
  Effect.gen(function* () {
    const token =
      input.apiToken ??
      (yield* Config.string("PIPEDRIVE_API_TOKEN").pipe(
        Effect.mapError(
          () =>
            new PipedriveConfigError({
              option: "apiToken",
              problem: "PIPEDRIVE_API_TOKEN is not set; export it or pass apiToken",
            }),
        ),
      ));

    if (input.baseUrl === undefined && input.companyDomain === undefined) {
      return yield* new PipedriveConfigError({
        option: "baseUrl",
        problem: "neither baseUrl nor companyDomain is set; give one of them",
      });
    }

    return yield* Schema.decodeUnknown(PipedriveConfig)({ ...input, apiToken: token }).pipe(
      Effect.mapError(
        (error) => new PipedriveConfigError({ option: "config", problem: error.message }),
      ),
    );
  });
