/**
 * The Markdown rendering of a run report: counts per phase, records per kind, rejections with
 * file and line, lossy mappings, the reconciliation queue, attachments to re-upload,
 * verification results, tokens per day and the automation checklist.
 */
import { escapeMarkdownCell as cell } from "./Escape.js";
import type { RunReport } from "./RunReport.js";

const table = (header: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<unknown>>) => {
  if (rows.length === 0) return "None.\n";
  const head = `| ${header.map(cell).join(" | ")} |`;
  const rule = `| ${header.map(() => "---").join(" | ")} |`;
  const body = rows.map((row) => `| ${row.map(cell).join(" | ")} |`);
  return `${[head, rule, ...body].join("\n")}\n`;
};

const json = (value: unknown) => (value === undefined ? "" : JSON.stringify(value));

const section = (title: string, body: string) => `## ${title}\n\n${body}\n`;

const phaseRows = (report: RunReport) =>
  report.phases.map((phase) => [
    phase.phase,
    phase.status,
    phase.counts === undefined
      ? ""
      : Object.entries(phase.counts)
          .map(([key, value]) => `${key} ${value}`)
          .join(", "),
  ]);

const automationChecklist = (report: RunReport) => {
  if (report.automations.length === 0) return "None.\n";
  return `${report.automations
    .map((item) => {
      const note = item.note === undefined ? "" : `: ${item.note}`;
      return `- [ ] ${item.type} ${cell(item.name)} (${cell(item.where)})${cell(note)}`;
    })
    .join("\n")}\n`;
};

const verificationSection = (report: RunReport) => {
  const result = report.verification;
  if (result === undefined) return "Not verified yet; run the verification.\n";
  const summary = `${result.records} records read back at ${result.checkedAt}, ${result.differences.length} differences.\n\n`;
  return (
    summary +
    table(
      ["kind", "record", "destination id", "field", "expected", "actual"],
      result.differences.map((d) => [
        d.kind,
        `${d.ref.kind}:${d.ref.sourceId}`,
        d.destId,
        d.field,
        json(d.expected),
        json(d.actual),
      ]),
    )
  );
};

/** Renders a run report as Markdown. */
export const renderMarkdown = (report: RunReport): string => {
  const { run } = report;
  const approval =
    report.approval === undefined
      ? "not approved"
      : `approved by ${cell(report.approval.approvedBy)} at ${report.approval.approvedAt}`;
  const halt =
    run.haltReason === undefined
      ? ""
      : `- Stopped: ${cell(run.haltReason)}: ${cell(run.haltDetail)}\n`;
  const header = `# Ferry run ${run.id}\n\n- Mode: ${run.mode}${run.dryRun ? " (dry run)" : ""}\n- Status: ${run.status}\n${halt}- Source: ${cell(run.source)}, destination: ${cell(run.destination)}\n- Plan: \`${run.planHash}\`, ${approval}\n- Started ${run.startedAt}${run.finishedAt === undefined ? "" : `, finished ${run.finishedAt}`}\n- Report generated ${report.generatedAt}\n\n`;

  return [
    header,
    section("Phases", table(["phase", "status", "counts"], phaseRows(report))),
    section(
      "Records per object",
      table(
        ["kind", "read", "loaded", "updated", "unchanged", "rejected", "queued"],
        report.records.map((r) => [
          r.kind,
          r.read,
          r.loaded,
          r.updated,
          r.unchanged,
          r.rejected,
          r.queued,
        ]),
      ),
    ),
    section(
      "Rejected rows",
      table(
        ["file", "line", "kind", "step", "code", "reason", "value"],
        report.rejections.map((r) => [
          r.file,
          r.line,
          r.destKind ?? r.kind,
          r.stage,
          r.code,
          r.message,
          r.value ?? "",
        ]),
      ),
    ),
    section(
      "Lossy mappings",
      table(
        ["file", "line", "record", "field", "code", "reason"],
        report.lossy.map((r) => [
          r.file,
          r.line,
          `${r.ref.kind}:${r.ref.sourceId}`,
          r.field,
          r.code,
          r.message,
        ]),
      ),
    ),
    section(
      "Reconciliation queue",
      table(
        ["file", "line", "kind", "record", "reason", "message", "value"],
        report.queue.map((r) => [
          r.file,
          r.line,
          r.kind,
          `${r.ref.kind}:${r.ref.sourceId}`,
          r.reason,
          r.message,
          r.value ?? "",
        ]),
      ),
    ),
    section(
      "Attachments to re-upload by hand",
      table(
        ["record", "file", "line", "attachment", "reason"],
        report.attachments.map((a) => [a.record, a.file, a.line, a.value ?? "", a.reason]),
      ),
    ),
    section("Verification", verificationSection(report)),
    section(
      "Tokens per day",
      table(
        ["day (UTC)", "tokens"],
        report.tokensByDay.map((t) => [t.day, t.spent]),
      ),
    ),
    section(
      "Schema items created",
      table(
        ["type", "name", "kind", "id", "removed"],
        report.schemaItems.map((s) => [
          s.type,
          s.name,
          s.kind ?? "",
          s.id,
          s.removedBy === undefined ? "no" : "yes",
        ]),
      ),
    ),
    section(
      "Automations to rebuild",
      "The source's automations on these stages, sources and tags do not move; rebuild them in the destination:\n\n" +
        automationChecklist(report),
    ),
  ].join("");
};
