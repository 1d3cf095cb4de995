/**
 * The errors a runner gets from `verifyConfirmed`: a plan without an approval, or a plan that
 * changed after it was confirmed.
 */
import { Schema } from "effect";

/** The plan has no approval: no record may move under it. */
export class PlanNotConfirmedError extends Schema.TaggedError<PlanNotConfirmedError>()(
  "PlanNotConfirmedError",
  { hash: Schema.String },
) {
  override get message(): string {
    return `the mapping plan (${this.hash}) is not confirmed; review it and run confirm before migrating`;
  }
}

/** The plan's content differs from what was confirmed. */
export class PlanChangedError extends Schema.TaggedError<PlanChangedError>()("PlanChangedError", {
  confirmedHash: Schema.String,
  currentHash: Schema.String,
  confirmedBy: Schema.String,
  confirmedAt: Schema.String,
}) {
  override get message(): string {
    return (
      `the mapping plan changed after ${this.confirmedBy} confirmed it at ${this.confirmedAt} ` +
      `(confirmed ${this.confirmedHash}, now ${this.currentHash}); review the changes and confirm it again`
    );
  }
}
