/**
 * Constructors of transform outputs that skip Schema validation on construction, because
 * validating every planned record as it is built dominated the transform's run time. They
 * build plain tagged objects, because `make` still merged defaults per record with validation
 * off. `makePlanned` defaults `linkKinds` to `{}` as `PlannedRecord.make` does. The property
 * tests decode every output against the schemas instead.
 */
import type { LossyStep, PlannedRecord, QueuedRecord, Rejection } from "@ferry/core";

/** Builds a planned record without validating it. */
export const makePlanned = (props: Parameters<typeof PlannedRecord.make>[0]): PlannedRecord => ({
  _tag: "PlannedRecord",
  ...props,
  linkKinds: props.linkKinds ?? {},
});

/** Builds a queued record without validating it. */
export const makeQueued = (props: Parameters<typeof QueuedRecord.make>[0]): QueuedRecord => ({
  _tag: "QueuedRecord",
  ...props,
});

/** Builds a lossy step without validating it. */
export const makeLossy = (props: Parameters<typeof LossyStep.make>[0]): LossyStep => ({
  _tag: "LossyStep",
  ...props,
});

/** Builds a rejection without validating it. */
export const makeRejection = (props: Parameters<typeof Rejection.make>[0]): Rejection => ({
  _tag: "Rejection",
  ...props,
});
