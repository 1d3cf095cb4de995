// Benchmark of writing the run reports. A dry-run migration of generated Flash Lead exports
// (2,000 and 20,000 leads by default) fills a ledger with rejections and lossy steps. Then the
// four report files are written twice from that ledger: held in memory (`buildRunReport` and
// the string renderers with no table limit, as the reports were written before they streamed)
// and streamed (`writeRunReports`). It reports peak RSS and heap of each.
//
// Run `npm run build` first: this script imports the built packages. The plan is proposed
// against a sandbox on 127.0.0.1, which the dry run only reads. Options: --leads=<n> (one size
// instead). Run node with --expose-gc, so that each measurement starts from a collected heap.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { discover, migrate } from "../examples/flashlead-to-pipedrive/dist/index.js";
import {
  buildRunReport,
  Ledger,
  renderHtml,
  renderMarkdown,
  renderRejectionsCsv,
  writeRunReports,
} from "../packages/core/dist/index.js";
import { measure } from "./lib/memory.mjs";
import { numberOption } from "./lib/options.mjs";
import { markdownTable, mib, writeResult } from "./lib/results.mjs";
import { confirmPlan, openWorld } from "./lib/world.mjs";

const single = numberOption("leads", 0);
const sizes = single > 0 ? [single] : [2_000, 20_000];
/** A table limit above any row count, so the in-memory form renders every row. */
const NO_LIMIT = { maxTableRows: Number.MAX_SAFE_INTEGER };

/** Writes the four files from a report held in memory, each rendered as one string. */
const writeInMemory = (ledger, runId, folder) => {
  const report = buildRunReport(ledger, runId);
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, "report.md"), renderMarkdown(report, NO_LIMIT));
  writeFileSync(join(folder, "report.json"), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(folder, "report.html"), renderHtml(report, NO_LIMIT));
  writeFileSync(join(folder, "rejections.csv"), renderRejectionsCsv(report));
};

const results = [];
for (const leads of sizes) {
  process.stderr.write(`report-memory: generating ${leads} leads\n`);
  const world = await openWorld({ leads, plan: "premium", seats: 1, timeScale: 1 });
  try {
    await discover(world.exportDir, { ...world.options, dailyBudget: 30_000 });
    await confirmPlan(world);
    process.stderr.write("report-memory: dry-run migration\n");
    const { summary } = await migrate(world.planPath, { ...world.options, dryRun: true });

    const ledger = Ledger.open(world.stateDir);
    try {
      const runId = summary.runId;
      const pages = ledger.reportPages;
      process.stderr.write("report-memory: writing the reports held in memory\n");
      const inMemory = await measure(async () =>
        writeInMemory(ledger, runId, join(world.root, "in-memory")),
      );
      process.stderr.write("report-memory: writing the reports streamed\n");
      const streamed = await measure(async () =>
        writeRunReports(ledger, runId, join(world.root, "streamed")),
      );
      for (const [form, m] of [
        ["in memory", inMemory],
        ["streamed", streamed],
      ]) {
        results.push({
          leads,
          form,
          rejections: pages.countRejections(runId),
          lossy: pages.countLossy(runId),
          seconds: m.seconds,
          startRss: m.startRss,
          peakRss: m.peakRss,
          peakHeap: m.peakHeap,
        });
      }
    } finally {
      ledger.close();
    }
  } finally {
    await world.close();
  }
}

const table = markdownTable(
  [
    ["leads", "leads"],
    ["form", "form"],
    ["rejections", "rejections"],
    ["lossy steps", "lossy"],
    ["s", "time"],
    ["start RSS", "start"],
    ["peak RSS", "rss"],
    ["peak heap", "heap"],
  ],
  results.map((r) => ({
    ...r,
    time: r.seconds.toFixed(1),
    start: mib(r.startRss),
    rss: mib(r.peakRss),
    heap: mib(r.peakHeap),
  })),
);
process.stdout.write("Writing the four run report files, held in memory against streamed\n\n");
process.stdout.write(`${table}\n\n`);
process.stdout.write(`Wrote ${await writeResult("report-memory", { sizes, results })}\n`);
