import { describe, expect, it } from "@effect/vitest";
import { Schema } from "effect";

import { DestinationError, type DestinationErrorReason, SourceError } from "../src/index.js";

describe("DestinationError", () => {
  const cases: ReadonlyArray<[DestinationErrorReason, boolean, boolean]> = [
    ["transport", true, false],
    ["timeout", true, false],
    ["rate-limited", true, false],
    ["server", true, false],
    ["budget-exhausted", false, true],
    ["unauthorized", false, true],
    ["payment-required", false, true],
    ["forbidden", false, true],
    ["plan-cap", false, true],
    ["blocked", false, true],
    ["validation", false, false],
    ["not-found", false, false],
    ["unknown", false, false],
  ];

  it.each(cases)("%s: retryable %s, halts %s", (reason, isRetryable, haltsRun) => {
    const error = new DestinationError({ reason });
    expect(error.isRetryable).toBe(isRetryable);
    expect(error.haltsRun).toBe(haltsRun);
  });

  it("computes its message from the request", () => {
    const error = new DestinationError({
      reason: "validation",
      method: "POST",
      url: "http://127.0.0.1:4010/api/v2/persons",
      status: 400,
      apiMessage: "Validation failed: emails",
    });
    expect(error.message).toBe(
      "POST http://127.0.0.1:4010/api/v2/persons (HTTP 400) failed, validation: Validation failed: emails",
    );
  });

  it("encodes for the ledger and the report", () => {
    const error = new DestinationError({ reason: "plan-cap", status: 403 });
    const encoded = Schema.encodeSync(DestinationError)(error);
    expect(encoded).toMatchObject({ _tag: "DestinationError", reason: "plan-cap", status: 403 });
  });
});

describe("SourceError", () => {
  it("names the file, line, column and value", () => {
    const error = new SourceError({
      reason: "invalid-input",
      path: "leads.csv",
      line: 3,
      column: "phone",
      value: "5,58199E+12",
      detail: "digits lost to scientific notation",
      hint: "export the phone column as text",
    });
    expect(error.message).toBe(
      'Cannot read leads.csv:3, column phone: digits lost to scientific notation (value "5,58199E+12"). export the phone column as text',
    );
    expect(error.isRetryable).toBe(false);
  });
});
