/**
 * Narrowing helpers for assertions on transform outputs: each checks the output's tag with its
 * own assertion and returns the output typed.
 */

import { expect } from "@effect/vitest";
import type { LossyStep, PlannedRecord, Rejection, TransformOutput } from "@ferry/core";

/** Asserts that the output is a planned record. */
export const asPlanned = (output: TransformOutput | undefined): PlannedRecord => {
  expect(output?._tag).toBe("PlannedRecord");
  return output as PlannedRecord;
};

/** Asserts that the output is a lossy step. */
export const asLossy = (output: TransformOutput | undefined): LossyStep => {
  expect(output?._tag).toBe("LossyStep");
  return output as LossyStep;
};

/** Asserts that the output is a rejection. */
export const asRejection = (output: TransformOutput | undefined): Rejection => {
  expect(output?._tag).toBe("Rejection");
  return output as Rejection;
};
