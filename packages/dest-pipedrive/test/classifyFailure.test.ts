import { describe, expect, it } from "vitest";

import { classifyFailure, readRetryAfterMs } from "../src/classifyFailure.js";

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  classifyFailure({
    _tag: "Response",
    status,
    headers: new Headers({ "content-type": "application/json", ...headers }),
    body,
  });

describe("classifyFailure", () => {
  it.each([
    [400, "validation"],
    [401, "unauthorized"],
    [402, "payment-required"],
    [404, "not-found"],
    [405, "unknown"],
    [410, "not-found"],
    [415, "plan-cap"],
    [422, "validation"],
    [500, "server"],
    [502, "server"],
    [503, "server"],
  ] as const)("classifies HTTP %i as %s", (status, reason) => {
    expect(json(status, { success: false, error: "x" }).reason).toBe(reason);
  });

  it("keeps the API's error text", () => {
    const result = json(400, {
      success: false,
      error: "Validation failed",
      error_info: "See docs",
    });
    expect(result.apiMessage).toBe("Validation failed (See docs)");
  });

  it("tells the three kinds of 403 apart", () => {
    expect(json(403, { success: false, error: "You do not have permission" }).reason).toBe(
      "forbidden",
    );
    expect(
      json(403, { success: false, error: "Limit reached", code: "feature_capping_custom_fields" })
        .reason,
    ).toBe("plan-cap");
    const html = classifyFailure({
      _tag: "Response",
      status: 403,
      headers: new Headers({ "content-type": "text/html" }),
      body: "<!DOCTYPE html><html>Access denied</html>",
    });
    expect(html.reason).toBe("blocked");
  });

  it("tells a burst 429 from a spent daily budget", () => {
    const burst = json(
      429,
      { success: false, error: "Request over limit" },
      { "retry-after": "2" },
    );
    expect(burst).toEqual({
      reason: "rate-limited",
      apiMessage: "Request over limit",
      retryAfterMs: 2000,
    });
    const daily = json(429, { success: false, error: "Daily token budget exhausted" });
    expect(daily.reason).toBe("budget-exhausted");
    const open = json(
      429,
      { success: false, error: "Request over limit" },
      { "x-ratelimit-remaining": "12" },
    );
    expect(open.reason).toBe("budget-exhausted");
    const full = json(
      429,
      { success: false, error: "Request over limit" },
      { "x-ratelimit-remaining": "0" },
    );
    expect(full.reason).toBe("rate-limited");
  });

  it("classifies thrown errors", () => {
    const timeout = new Error("Request timed out");
    timeout.name = "TimeoutError";
    expect(classifyFailure({ _tag: "Thrown", error: timeout }).reason).toBe("timeout");

    const reset = new TypeError("fetch failed", { cause: { code: "ECONNRESET" } });
    const result = classifyFailure({ _tag: "Thrown", error: reset });
    expect(result).toEqual({ reason: "transport", detail: "fetch failed (ECONNRESET)" });
  });
});

describe("readRetryAfterMs", () => {
  it("reads seconds, dates and the reset header", () => {
    expect(readRetryAfterMs(new Headers({ "retry-after": "1.5" }))).toBe(1500);
    const date = new Date(10_000).toUTCString();
    expect(readRetryAfterMs(new Headers({ "retry-after": date }), 4_000)).toBe(6_000);
    expect(readRetryAfterMs(new Headers({ "x-ratelimit-reset": "2" }))).toBe(2000);
    expect(readRetryAfterMs(new Headers())).toBeUndefined();
  });
});
