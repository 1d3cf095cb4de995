// Runs every benchmark under bench/ one after another, each in its own Node process, prints
// their output and writes it all to bench/results/bench-<date>.md. Run `npm run build` first.
//
// Options: --full (the 1,000,000-lead local cases, which take far longer than the default
// sizes) and --only=<name,name> (the scripts to run, by file name without .mjs). Scripts that
// are not in the folder yet are reported and skipped.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import { flag } from "./lib/options.mjs";
import { machine, resultsDir } from "./lib/results.mjs";

const benchDir = fileURLToPath(new URL(".", import.meta.url));
const full = flag("full");

/** Each benchmark, the Node flags it gets, and whether it takes --full. */
const benchmarks = [
  { name: "source-read", node: ["--expose-gc"], takesFull: true },
  { name: "huge-cell", node: ["--expose-gc"], takesFull: false },
  { name: "pipeline-local", node: ["--expose-gc"], takesFull: true },
  { name: "pipedrive-tokens", node: [], takesFull: false },
  { name: "api-efficiency", node: [], takesFull: false },
  { name: "rate-limit", node: [], takesFull: false },
  { name: "estimate-accuracy", node: [], takesFull: false },
  { name: "crash-harness", node: [], takesFull: false },
];

const onlyArg = process.argv.find((arg) => arg.startsWith("--only="));
const only = onlyArg === undefined ? undefined : onlyArg.slice("--only=".length).split(",");
const unknown = (only ?? []).filter((name) => !benchmarks.some((b) => b.name === name));
if (unknown.length > 0) {
  throw new Error(
    `--only names unknown benchmarks: ${unknown.join(", ")}; use ${benchmarks.map((b) => b.name).join(", ")}`,
  );
}

/** Runs one script, echoing its output, and returns its stdout, exit code and seconds. */
const runScript = (benchmark) =>
  new Promise((resolve, reject) => {
    const args = [...benchmark.node, join(benchDir, `${benchmark.name}.mjs`)];
    if (full && benchmark.takesFull) args.push("--full");
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += chunk;
      process.stdout.write(chunk);
    });
    child.on("error", reject);
    child.on("close", (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      resolve({ output, code, seconds });
    });
  });

const started = process.hrtime.bigint();
const sections = [];
let failed = 0;
for (const benchmark of benchmarks) {
  if (only !== undefined && !only.includes(benchmark.name)) continue;
  if (!existsSync(join(benchDir, `${benchmark.name}.mjs`))) {
    process.stdout.write(
      `\n## ${benchmark.name}: skipped, bench/${benchmark.name}.mjs is missing\n`,
    );
    sections.push(`## ${benchmark.name}\n\nSkipped: bench/${benchmark.name}.mjs is missing.\n`);
    continue;
  }
  process.stdout.write(`\n## ${benchmark.name}\n\n`);
  const { output, code, seconds } = await runScript(benchmark);
  const status = code === 0 ? "" : `\nFailed with exit code ${code}.\n`;
  if (code !== 0) failed += 1;
  process.stdout.write(`${status}(${seconds.toFixed(0)} s)\n`);
  sections.push(`## ${benchmark.name} (${seconds.toFixed(0)} s)\n\n${output}${status}`);
}

const totalSeconds = Number(process.hrtime.bigint() - started) / 1e9;
const m = machine();
const header = [
  `# Benchmarks, ${new Date().toISOString()}`,
  "",
  `Node ${m.node}, ${m.cpus} × ${m.cpu}, ${m.memoryGiB} GiB, commit ${m.commit}${full ? ", --full" : ""}.`,
  `Total ${(totalSeconds / 60).toFixed(1)} minutes.`,
  "",
].join("\n");
await mkdir(resultsDir, { recursive: true });
const file = join(resultsDir, `bench-${new Date().toISOString().replaceAll(":", "-")}.md`);
await writeFile(file, `${header}\n${sections.join("\n")}`);
process.stdout.write(
  `\nAll benchmarks: ${(totalSeconds / 60).toFixed(1)} minutes. Wrote ${file}\n`,
);
process.exitCode = failed === 0 ? 0 : 1;
