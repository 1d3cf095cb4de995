/**
 * Stage history from the Flash Lead activity log: each stage transition of a lead, in time
 * order, becomes a note on its deal (or lead or person) backdated to the transition and marked
 * `fls_activity_type__c: Stage_Transition`. The time spent in each stage whose end is known is
 * kept in two custom deal fields, and a lost deal's lost time comes from the transition into its
 * stage.
 */
import type { FieldValue, LossyStep, PlannedRecord, SourceRecord } from "@ferry/core";

import { paragraphs } from "../internal/html.js";
import { makeLossy, makePlanned } from "../internal/outputs.js";
import { type NoteTarget, targetLinks } from "./NoteTarget.js";

/** Names of the custom deal fields the stage history fills. */
export const stageHistoryFields = {
  timeInStages: "Time in stages",
  daysInCurrentStage: "Days in current stage",
} as const;

/** One transition of a lead's stage. */
export interface StageTransition {
  readonly record: SourceRecord;
  readonly from: string;
  readonly to: string;
  /** UTC instant `YYYY-MM-DDTHH:MM:SSZ`. */
  readonly at: string;
}

/** Days spent in one stage. */
export interface StageDuration {
  readonly stage: string;
  readonly days: number;
}

const dayMs = 86_400_000;
const round = (days: number): number => Math.round(days * 10) / 10;

/**
 * Reads the transitions of a lead's activities (`activity_kind` `stage_transition` with a
 * `timestamp_iso`), sorted by time. Transitions without a time are left out; the activity
 * planner rejects them.
 */
export const stageTransitions = (
  activities: ReadonlyArray<SourceRecord>,
): ReadonlyArray<StageTransition> =>
  activities
    .filter((activity) => activity.fields.activity_kind === "stage_transition")
    .filter((activity) => (activity.fields.timestamp_iso ?? "") !== "")
    .map((record) => ({
      record,
      from: record.fields.from_stage?.trim() ?? "",
      to: record.fields.to_stage?.trim() ?? "",
      at: record.fields.timestamp_iso ?? "",
    }))
    .sort((a, b) => a.at.localeCompare(b.at));

/**
 * Computes the days spent in each stage: from each transition to the next, and for the last
 * stage up to `until` when it is given.
 *
 * @example
 * ```ts
 * timeInStages([{ to: "New", at: "2024-01-01T00:00:00Z" }, { to: "Won", at: "2024-01-04T12:00:00Z" }]);
 * // [{ stage: "New", days: 3.5 }]
 * ```
 */
export const timeInStages = (
  transitions: ReadonlyArray<Pick<StageTransition, "to" | "at">>,
  until?: string,
): ReadonlyArray<StageDuration> => {
  const durations: Array<StageDuration> = [];
  transitions.forEach((transition, index) => {
    const end = transitions[index + 1]?.at ?? until;
    if (end === undefined) return;
    const days = (Date.parse(end) - Date.parse(transition.at)) / dayMs;
    if (Number.isFinite(days) && days >= 0)
      durations.push({ stage: transition.to, days: round(days) });
  });
  return durations;
};

/** Renders durations as the `Time in stages` text, such as `New: 3.5 d; Proposal: 2 d`. */
export const formatDurations = (durations: ReadonlyArray<StageDuration>): string =>
  durations.map((duration) => `${duration.stage}: ${duration.days} d`).join("; ");

/** Plans the note of one transition, attached to the target and owned by its owner. */
export const transitionNote = (transition: StageTransition, target: NoteTarget): PlannedRecord =>
  makePlanned({
    kind: "note",
    ref: { kind: transition.record.kind, sourceId: transition.record.sourceId },
    origin: transition.record.origin,
    fields: {
      content: paragraphs(
        `Stage: ${transition.from === "" ? "(none)" : transition.from} → ${transition.to}`,
        `Changed at: ${transition.at}`,
        "fls_activity_type__c: Stage_Transition",
      ),
      add_time: transition.at,
      ...(target.owner === undefined ? {} : { owner: target.owner }),
    },
    custom: {},
    ...targetLinks(target),
  });

/** The end of a lead's stage history: its current stage and last update, as its row gives them. */
export interface StageHistoryEnd {
  /** The lead or contact the history belongs to. */
  readonly record: SourceRecord;
  /** The column and value of the record's current stage, when its file has a stage column. */
  readonly stage: { readonly column: string; readonly value: string } | undefined;
  /** The `updated_at` cell as written. */
  readonly updatedRaw: string;
  /** The `updated_at` cell as a UTC timestamp, when it could be read. */
  readonly updated: string | undefined;
}

const stageKey = (stage: string): string => stage.trim().toLowerCase();

/** Tells whether the last transition leads to the record's current stage. */
export const endsAtCurrentStage = (
  transitions: ReadonlyArray<StageTransition>,
  end: StageHistoryEnd,
): boolean => {
  const last = transitions[transitions.length - 1];
  return (
    last !== undefined &&
    (end.stage === undefined || stageKey(last.to) === stageKey(end.stage.value))
  );
};

const historyLoss = (
  end: StageHistoryEnd,
  field: string,
  code: string,
  message: string,
  value: string,
): LossyStep =>
  makeLossy({
    ref: { kind: end.record.kind, sourceId: end.record.sourceId },
    origin: end.record.origin,
    field,
    code,
    message: `${end.record.origin}: ${message}`,
    value,
  });

/**
 * Tells why the time in the current stage cannot be computed, or returns undefined when it can.
 * The current stage is the last transition's target, and `updated_at` must end it.
 */
const currentStageLoss = (
  transitions: ReadonlyArray<StageTransition>,
  end: StageHistoryEnd,
): LossyStep | undefined => {
  const last = transitions[transitions.length - 1];
  if (last === undefined) return undefined;
  const name = `${end.record.kind} ${end.record.sourceId}`;
  if (end.stage !== undefined && !endsAtCurrentStage(transitions, end)) {
    return historyLoss(
      end,
      end.stage.column,
      "stage-history-incomplete",
      `the stage history of ${name} ends at ${last.to} (${last.record.origin}), but its stage is ${end.stage.value}, so a transition between them is missing from the activity log or was rejected. The time in ${last.to} and in ${end.stage.value} is not written; add the missing transition to keep it`,
      end.stage.value,
    );
  }
  if (end.updated === undefined) {
    const cell = end.updatedRaw.trim() === "" ? "is empty" : `"${end.updatedRaw}" is not a date`;
    return historyLoss(
      end,
      "updated_at",
      "current-stage-time-unknown",
      `updated_at of ${name} ${cell}, so nothing ends its current stage ${last.to} and the time in it is not written`,
      end.updatedRaw,
    );
  }
  if (Date.parse(end.updated) < Date.parse(last.at)) {
    return historyLoss(
      end,
      "updated_at",
      "current-stage-time-unknown",
      `updated_at of ${name} (${end.updated}) is earlier than its last stage transition, to ${last.to} at ${last.at} (${last.record.origin}), so the time in its current stage ${last.to} is not written`,
      end.updatedRaw,
    );
  }
  return undefined;
};

/**
 * Computes the time-in-stage custom fields of a lead or contact from its transitions. A stage
 * whose end is unknown gets no duration, and each such case is a lossy step. When `updated_at`
 * is missing or earlier than the last transition, the current stage is left out. When the
 * history does not end at the current stage, its last stage and the current stage are left out.
 *
 * @example
 * ```ts
 * // New at 2024-01-01, Won at 2024-01-04T12:00Z, lead in Won, updated 2024-01-05T12:00Z
 * stageTimes(transitions, end).custom;
 * // { "Time in stages": "New: 3.5 d; Won: 1 d", "Days in current stage": 1 }
 * ```
 */
export const stageTimes = (
  transitions: ReadonlyArray<StageTransition>,
  end: StageHistoryEnd,
): { custom: Record<string, FieldValue>; loss: LossyStep | undefined } => {
  const loss = currentStageLoss(transitions, end);
  const durations = timeInStages(transitions, loss === undefined ? end.updated : undefined);
  const custom: Record<string, FieldValue> = {};
  if (durations.length > 0) custom[stageHistoryFields.timeInStages] = formatDurations(durations);

  const current = durations[durations.length - 1];
  if (loss === undefined && current !== undefined && transitions.length === durations.length) {
    custom[stageHistoryFields.daysInCurrentStage] = current.days;
  }
  return { custom, loss };
};

/**
 * Returns when a lost lead was lost: the time of the transition into its current stage when that
 * transition ends its history, else its `updated_at`. Returns undefined when neither is known.
 */
export const lostTime = (
  transitions: ReadonlyArray<StageTransition>,
  end: StageHistoryEnd,
): string | undefined => {
  const last = transitions[transitions.length - 1];
  if (last !== undefined && end.stage !== undefined && endsAtCurrentStage(transitions, end)) {
    return last.at;
  }
  return end.updated;
};
