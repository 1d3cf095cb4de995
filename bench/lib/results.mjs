// Output of the bench scripts: a Markdown table on stdout and a JSON file under bench/results/
// that names the machine, the Node version and the commit.
import { execFileSync } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** Folder of the result files. */
export const resultsDir = fileURLToPath(new URL("../results/", import.meta.url));

/** The repository root. */
export const repoRoot = fileURLToPath(new URL("../../", import.meta.url));

const commit = () => {
  try {
    return execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: repoRoot })
      .toString()
      .trim();
  } catch {
    return "unknown";
  }
};

/** The machine a result was measured on. */
export const machine = () => ({
  node: process.version,
  cpus: cpus().length,
  cpu: cpus()[0]?.model ?? "unknown",
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  commit: commit(),
});

/** Renders rows of objects as a Markdown table with the given columns (`[header, key]` pairs). */
export const markdownTable = (columns, rows) => {
  const cell = (value) =>
    typeof value === "number" && !Number.isInteger(value) ? value.toFixed(3) : String(value);
  const lines = [
    `| ${columns.map(([header]) => header).join(" | ")} |`,
    `| ${columns.map(() => "---:").join(" | ")} |`,
    ...rows.map((row) => `| ${columns.map(([, key]) => cell(row[key] ?? "")).join(" | ")} |`),
  ];
  return lines.join("\n");
};

/** Writes `data` with the machine and the date to `bench/results/<name>-<date>.json`. */
export const writeResult = async (name, data) => {
  await mkdir(resultsDir, { recursive: true });
  const date = new Date().toISOString();
  const file = join(resultsDir, `${name}-${date.replaceAll(":", "-").replace(".", "-")}.json`);
  await writeFile(file, `${JSON.stringify({ date, machine: machine(), ...data }, null, 2)}\n`);
  return file;
};

/** Formats bytes as MiB. */
export const mib = (bytes) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
