/**
 * The one place that turns an HTTP status or a network failure into a `DestinationError`
 * reason. The client decides retries from the reason alone, so this table is the retry policy:
 * 429, 5xx, timeouts and dropped connections retry; 401, 402 and every 403 halt.
 */
import type { DestinationErrorReason } from "@ferry/core";

/** A failed call: a response with a non-2xx status, or an error thrown before any response. */
export type Failure =
  | {
      readonly _tag: "Response";
      readonly status: number;
      readonly headers: Headers;
      /** Parsed JSON body, or the raw text when it is not JSON. */
      readonly body: unknown;
    }
  | { readonly _tag: "Thrown"; readonly error: unknown };

/** The reason of a failure, with the details the classifier found. */
export interface Classification {
  readonly reason: DestinationErrorReason;
  /** The API's own error text, when the body had one. */
  readonly apiMessage?: string;
  /** A connector explanation, such as which kind of 403 it was. */
  readonly detail?: string;
  /** How long the API asked to wait, from `Retry-After` or `x-ratelimit-reset`. */
  readonly retryAfterMs?: number;
}

/** Reads `Retry-After` (seconds or an HTTP date) and `x-ratelimit-reset` (seconds). */
export const readRetryAfterMs = (headers: Headers, now = Date.now()): number | undefined => {
  const retryAfter = headers.get("retry-after");
  if (retryAfter !== null && retryAfter.trim() !== "") {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }

  const reset = Number(headers.get("x-ratelimit-reset") ?? Number.NaN);
  return Number.isFinite(reset) && reset >= 0 ? reset * 1000 : undefined;
};

const textOf = (body: unknown, key: string): string | undefined => {
  if (typeof body !== "object" || body === null) return undefined;
  const value = (body as Record<string, unknown>)[key];
  return typeof value === "string" && value !== "" ? value : undefined;
};

const apiMessageOf = (body: unknown): string | undefined => {
  if (typeof body === "string") return body.trim() === "" ? undefined : body.slice(0, 200);
  const error = textOf(body, "error");
  const info = textOf(body, "error_info");
  if (error === undefined) return info;
  return info === undefined ? error : `${error} (${info})`;
};

const isHtml = (headers: Headers, body: unknown): boolean =>
  (headers.get("content-type") ?? "").includes("text/html") ||
  (typeof body === "string" && /^\s*<(!doctype|html)/i.test(body));

const classify403 = (headers: Headers, body: unknown): Classification => {
  if (isHtml(headers, body)) {
    return {
      reason: "blocked",
      detail: "the API answered with an HTML page, the block that follows sustained 429s",
    };
  }

  const code = textOf(body, "code") ?? textOf(body, "error_code");
  const apiMessage = apiMessageOf(body);
  const message = apiMessage === undefined ? {} : { apiMessage };
  if (code !== undefined && /capping|limit/i.test(code)) {
    return { reason: "plan-cap", ...message, detail: `plan limit ${code}` };
  }
  return { reason: "forbidden", ...message, detail: "the token's user lacks a permission" };
};

const classify429 = (headers: Headers, body: unknown): Classification => {
  const apiMessage = apiMessageOf(body);
  const message = apiMessage === undefined ? {} : { apiMessage };
  if (apiMessage !== undefined && /daily|budget/i.test(apiMessage)) {
    return { reason: "budget-exhausted", ...message };
  }

  // Pipedrive sends the same body for both kinds of 429. A burst 429 comes with a full window,
  // so one that still shows requests left in the window was refused by the daily budget.
  const remaining = Number(headers.get("x-ratelimit-remaining") ?? Number.NaN);
  if (Number.isFinite(remaining) && remaining > 0) {
    return {
      reason: "budget-exhausted",
      ...message,
      detail: `the burst window had ${remaining} requests left, so the daily budget is spent`,
    };
  }
  const retryAfterMs = readRetryAfterMs(headers);
  return {
    reason: "rate-limited",
    ...message,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  };
};

const reasonOfStatus = (status: number): DestinationErrorReason => {
  if (status === 400 || status === 422) return "validation";
  if (status === 401) return "unauthorized";
  if (status === 402) return "payment-required";
  if (status === 404 || status === 410) return "not-found";
  if (status === 415) return "plan-cap";
  if (status >= 500) return "server";
  return "unknown";
};

const classifyThrown = (error: unknown): Classification => {
  const name = error instanceof Error ? error.name : "";
  if (name === "TimeoutError") return { reason: "timeout", detail: "no response in time" };

  const causeCode = (error as { cause?: { code?: unknown } } | null)?.cause?.code;
  const code = typeof causeCode === "string" ? causeCode : undefined;
  const text = error instanceof Error ? error.message : String(error);
  return {
    reason: "transport",
    detail: code === undefined ? text : `${text} (${code})`,
  };
};

/**
 * Classifies a failed call.
 *
 * | failure | reason |
 * | --- | --- |
 * | 400, 422 | validation |
 * | 401 | unauthorized |
 * | 402 | payment-required |
 * | 403 with an HTML page | blocked |
 * | 403 with a capping code | plan-cap |
 * | other 403 | forbidden |
 * | 404, 410 | not-found |
 * | 415 | plan-cap (feature not enabled) |
 * | 429 naming the daily budget, or with requests left in the window | budget-exhausted |
 * | other 429 | rate-limited |
 * | 5xx | server |
 * | timeout | timeout |
 * | connection refused, reset, closed | transport |
 */
export const classifyFailure = (failure: Failure): Classification => {
  if (failure._tag === "Thrown") return classifyThrown(failure.error);

  const { status, headers, body } = failure;
  if (status === 403) return classify403(headers, body);
  if (status === 429) return classify429(headers, body);

  const apiMessage = apiMessageOf(body);
  return {
    reason: reasonOfStatus(status),
    ...(apiMessage === undefined ? {} : { apiMessage }),
  };
};
