/**
 * Constructors of transform outputs that skip Schema validation on construction, because
 * validating every planned record as it is built dominated the transform's run time. The
 * property tests decode every output against the schemas instead.
 */
import { LossyStep, PlannedRecord, QueuedRecord, Rejection } from "@ferry/core";

/** Builds a planned record without validating it. */
export const makePlanned = (props: Parameters<typeof PlannedRecord.make>[0]): PlannedRecord =>
  PlannedRecord.make(props, true);

/** Builds a queued record without validating it. */
export const makeQueued = (props: Parameters<typeof QueuedRecord.make>[0]): QueuedRecord =>
  QueuedRecord.make(props, true);

/** Builds a lossy step without validating it. */
export const makeLossy = (props: Parameters<typeof LossyStep.make>[0]): LossyStep =>
  LossyStep.make(props, true);

/** Builds a rejection without validating it. */
export const makeRejection = (props: Parameters<typeof Rejection.make>[0]): Rejection =>
  Rejection.make(props, true);
