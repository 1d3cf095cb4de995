/**
 * Text summaries the commands print: the token estimate, the counts of a run per phase, the
 * tokens a run spent next to the ledger's day totals, the differences of a verification and
 * the files of a report.
 */
import type { DayTokens, ReportFiles, RunSummary, VerificationResult } from "@ferry/core";

import type { TokenEstimate } from "../Estimate.js";
import type { StepRejections } from "../ReferencePipeline.js";

const pad = (value: string | number, width: number): string => String(value).padStart(width);

/** Formats the token estimate of a discovery. */
export const estimateLines = (estimate: TokenEstimate): ReadonlyArray<string> => [
  `Estimated Pipedrive tokens: ${estimate.tokens} (${estimate.days} ${estimate.days === 1 ? "day" : "days"} at ${estimate.dailyBudget} tokens a day)`,
  ...Object.entries(estimate.parts).map(
    ([part, tokens]) => `  ${part.padEnd(16)} ${pad(tokens, 9)}`,
  ),
];

/** Formats the counts of a run, one line per phase. */
export const runLines = (summary: RunSummary): ReadonlyArray<string> => {
  const header = `  ${"phase".padEnd(13)} ${["read", "loaded", "updated", "unchanged", "rejected", "queued"].map((name) => pad(name, 9)).join(" ")}`;
  const rows = summary.phases.map(({ phase, counts }) => {
    const cells = [
      counts.read,
      counts.loaded,
      counts.updated,
      counts.unchanged,
      counts.rejected,
      counts.queued,
    ];
    return `  ${phase.padEnd(13)} ${cells.map((cell) => pad(cell, 9)).join(" ")}`;
  });
  const mode = summary.dryRun ? `${summary.mode}, dry run` : summary.mode;
  const resumed = summary.resumed ? `, resumed (${summary.settled} unfinished writes settled)` : "";
  return [`Run ${summary.runId} (${mode}${resumed}):`, header, ...rows];
};

/**
 * Formats the tokens a run spent per UTC day next to the ledger's total of each of those days,
 * which counts every run, verification and rollback of the state folder. A run that spent
 * nothing gets only the first line.
 */
export const runTokenLines = (
  summary: RunSummary,
  ledgerTokensByDay: ReadonlyArray<DayTokens>,
  dailyBudget: number,
): ReadonlyArray<string> => {
  const { runId, tokens } = summary;
  const attempts = summary.resumed ? ", over every attempt" : "";
  const head = `Tokens spent by run ${runId}${attempts}: ${tokens.total}`;
  const incomplete = tokens.complete
    ? []
    : [
        `  Run ${runId} started before the ledger counted tokens per run, so this leaves out what it spent before then.`,
      ];
  if (tokens.byDay.length === 0) return [head, ...incomplete];

  const ledger = new Map(ledgerTokensByDay.map((day) => [day.day, day.spent]));
  const runColumn = `run ${runId}`;
  const width = Math.max(10, runColumn.length);
  const ledgerColumn = "ledger day total";
  const rows = tokens.byDay.map(
    ({ day, total }) =>
      `  ${day.padEnd(12)} ${pad(total, width)}   ${pad(ledger.get(day) ?? 0, ledgerColumn.length)}`,
  );
  return [
    head,
    `  ${"day (UTC)".padEnd(12)} ${pad(runColumn, width)}   ${ledgerColumn}`,
    ...rows,
    ...incomplete,
    `  The ledger day total counts every run, verification and rollback in this state folder. The daily budget of ${dailyBudget} tokens is checked against it.`,
  ];
};

/**
 * Formats the rejections of the source and transform steps, which the phase table does not
 * count, as one line with the total and the count per code, and one more line for a sample run.
 * With no rejection it returns no line.
 */
export const stepRejectionLines = (
  rejections: ReadonlyArray<StepRejections>,
  mode: RunSummary["mode"] = "full",
): ReadonlyArray<string> => {
  if (rejections.length === 0) return [];
  const total = rejections.reduce((sum, rejection) => sum + rejection.count, 0);
  const parts = rejections.map(({ stage, code, count }) => `${code} at ${stage} ${count}`);
  const line = `  Also rejected while reading and transforming: ${total} (${parts.join(", ")}); each is listed in the rejections file`;
  // A sample run reads and transforms every row before it selects the sample.
  return mode === "sample"
    ? [line, "  These counts cover the whole export, not only the sample."]
    : [line];
};

/** Whether a run left rejected or queued records or values for a person to read. */
export const hasIssues = (
  summary: RunSummary,
  stepRejections: ReadonlyArray<StepRejections> = [],
): boolean =>
  stepRejections.length > 0 ||
  summary.phases.some(({ counts }) => counts.rejected > 0 || counts.queued > 0);

/** Formats a verification result with up to `limit` differences. */
export const verificationLines = (
  result: VerificationResult,
  limit = 20,
): ReadonlyArray<string> => {
  const head = `Verified run ${result.runId}: ${result.records} records read back, ${result.differences.length} ${result.differences.length === 1 ? "difference" : "differences"}, ${result.tokensSpent} tokens spent by this verification`;
  const shown = result.differences
    .slice(0, limit)
    .map(
      (d) =>
        `  ${d.kind} ${d.ref.kind}:${d.ref.sourceId} (id ${d.destId}) ${d.field}: expected ${JSON.stringify(d.expected)}, got ${JSON.stringify(d.actual)}`,
    );
  const more =
    result.differences.length > limit
      ? [`  ... and ${result.differences.length - limit} more`]
      : [];
  return [head, ...shown, ...more];
};

/** Formats the paths of a run's report files. */
export const reportLines = (files: ReportFiles): ReadonlyArray<string> => [
  `  Markdown    ${files.markdown}`,
  `  HTML        ${files.html}`,
  `  JSON        ${files.json}`,
  `  rejections  ${files.rejectionsCsv}`,
  `  tokens      ${files.tokensCsv}`,
];
