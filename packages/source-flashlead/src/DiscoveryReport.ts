/**
 * The discovery report: the inventory as Markdown for a person to read, and as JSON (the
 * encoded `Inventory`) for tools.
 */
import { type Finding, Inventory, type ObjectInventory, type SkippedRows } from "@ferry/core";
import { Schema } from "effect";

const cell = (text: string): string => text.replace(/\|/g, "\\|").replace(/\r?\n|\r/g, " ");

const percent = (share: number): string => `${Math.round(share * 100)} %`;

/** Writes the skipped rows of a file as their total and, when there are any, the reasons. */
const skippedCell = (skipped: SkippedRows | undefined): string => {
  if (skipped === undefined) return "not counted";
  const reasons = [
    skipped.blank > 0 ? `${skipped.blank} blank` : "",
    skipped.delimiterHint > 0 ? `${skipped.delimiterHint} \`sep=\` line` : "",
  ].filter((reason) => reason !== "");
  const total = skipped.blank + skipped.delimiterHint;
  return reasons.length === 0 ? `${total}` : `${total} (${reasons.join(", ")})`;
};

const objectSection = (object: ObjectInventory): ReadonlyArray<string> => {
  const files = object.files.map((file) => {
    const delimiter = file.delimiter === "\t" ? "tab" : `\`${cell(file.delimiter)}\``;
    const skipped = skippedCell(file.skipped);
    return `| ${cell(file.path)} | ${file.encoding} | ${delimiter} | ${file.rows} | ${skipped} | ${file.recognizedBy} |`;
  });
  const columns = object.columns.map((column) => {
    const placeholders = column.placeholders.map((p) => `${p.value} ×${p.count}`).join(", ");
    const distinct = column.distinct?.map((d) => `${d.value} (${d.count})`).join(", ") ?? "";
    const type =
      column.format === undefined
        ? column.inferredType
        : `${column.inferredType} (${column.format})`;
    return `| ${cell(column.name)} | ${cell(column.header)} | ${column.recognized ? "yes" : "custom"} | ${type} | ${percent(column.fillRate)} | ${cell(placeholders)} | ${column.distinctCount} | ${cell(distinct || column.samples.join(", "))} |`;
  });

  return [
    `## ${object.kind}`,
    "",
    `${object.recordCount} records, ${object.rejectedCount} rejected rows, ${object.warningCount} records with warnings.`,
    "",
    "| file | encoding | delimiter | rows | skipped rows | recognized by |",
    "| --- | --- | --- | --- | --- | --- |",
    ...files,
    "",
    "| column | header | recognized | type | filled | placeholders | distinct | values or samples |",
    "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ...columns,
    "",
  ];
};

const findingLine = (finding: Finding): string => {
  const kind = finding.kind === undefined ? "" : ` (${finding.kind})`;
  return `- **${finding.severity}** \`${finding.code}\`${kind}: ${cell(finding.message)}`;
};

/**
 * Renders the inventory as a Markdown report: the findings first, errors before warnings, then
 * each object with its files and column profiles.
 */
export const renderDiscoveryMarkdown = (inventory: Inventory): string => {
  const rank = { error: 0, warning: 1, info: 2 } as const;
  const findings = [...inventory.findings].sort((a, b) => rank[a.severity] - rank[b.severity]);
  const unclassified = inventory.unclassified.map((entry) => `- ${entry.path}: ${entry.reason}`);

  return [
    `# Discovery of ${inventory.location}`,
    "",
    `Source: ${inventory.source}. ${inventory.objects.length} objects.`,
    "",
    "## Findings",
    "",
    ...findings.map(findingLine),
    "",
    ...(unclassified.length > 0 ? ["## Files not read", "", ...unclassified, ""] : []),
    ...inventory.objects.flatMap(objectSection),
  ].join("\n");
};

/** Renders the inventory as indented JSON, in its encoded Schema form. */
export const renderDiscoveryJson = (inventory: Inventory): string =>
  `${JSON.stringify(Schema.encodeSync(Inventory)(inventory), null, 2)}\n`;
