/**
 * Stage history from the Flash Lead activity log: each stage transition of a lead, in time
 * order, becomes a note on its deal (or lead or person) backdated to the transition and marked
 * `fls_activity_type__c: Stage_Transition`; the time spent in each stage is computed and kept
 * in two custom deal fields.
 */
import type { FieldValue, PlannedRecord, SourceRecord } from "@ferry/core";

import { paragraphs } from "../internal/html.js";
import { makePlanned } from "../internal/outputs.js";
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

/** Plans the note of one transition. */
const transitionNote = (transition: StageTransition, target: NoteTarget): PlannedRecord =>
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

/**
 * Plans the notes of a lead's stage history and the custom fields with its time in stages.
 * `until` is the lead's last update, which ends the current stage.
 */
export const planStageHistory = (
  transitions: ReadonlyArray<StageTransition>,
  target: NoteTarget,
  until?: string,
): { notes: ReadonlyArray<PlannedRecord>; custom: Record<string, FieldValue> } => {
  const notes = transitions.map((transition) => transitionNote(transition, target));
  const durations = timeInStages(transitions, until);
  const custom: Record<string, FieldValue> = {};
  if (durations.length > 0) custom[stageHistoryFields.timeInStages] = formatDurations(durations);

  const last = transitions[transitions.length - 1];
  const current = durations[durations.length - 1];
  if (until !== undefined && last !== undefined && current?.stage === last.to) {
    custom[stageHistoryFields.daysInCurrentStage] = current.days;
  }
  return { notes, custom };
};
