/**
 * The child process of the crash test: it runs (or resumes) the toy migration against a
 * destination whose records live in a SQLite file, so they survive a SIGKILL, and writes one
 * line to stdout per progress event and a final `done` line with the run summary. Every fifth
 * write call loses its response after the write happened. The parent bundles this file with
 * esbuild and runs it with plain Node.
 *
 * With the mode `rollback` it rolls back every run instead, two records per batch. A rollback
 * of 70 records then emits enough progress lines for the parent to kill it several times, even
 * when a loaded machine delivers the lines late.
 *
 * Usage: node child.mjs STATE_DIR DESTINATION_DB COMPANIES [migrate|rollback]
 */
import { writeSync } from "node:fs";

import { rollback, runMigration } from "../../src/index.js";
import { makeMemorySource } from "./InMemory.js";
import { makeSqliteStore } from "./RecordStore.js";
import { makeTestDestination } from "./TestDestination.js";
import { makeToyPipeline, toyTables } from "./ToyPipeline.js";

const [stateDir = "", destinationDb = "", companies = "10", mode = "migrate"] =
  process.argv.slice(2);

const store = makeSqliteStore(destinationDb);
const test = makeTestDestination({
  store,
  fault: (call) => (call.method === "write" && call.n % 5 === 0 ? "lose-response" : undefined),
});

// A synchronous write, so that a line the parent reads was printed before the process went on.
const line = (text: string) => writeSync(1, `${text}\n`);

const onProgress = (event: { readonly _tag: string }) => line(`progress ${event._tag}`);
const work =
  mode === "rollback"
    ? rollback({ stateDir, destination: test.destination, scope: "all", batchSize: 2, onProgress })
    : runMigration({
        source: makeMemorySource(toyTables(Number(companies))),
        destination: test.destination,
        pipeline: makeToyPipeline(),
        stateDir,
        batchSize: 2,
        retryDelayMs: 1,
        onProgress,
      });

work.then(
  (summary) => {
    line(`done ${JSON.stringify(summary)}`);
    store.close();
  },
  (error: unknown) => {
    line(`error ${String(error)}`);
    process.exitCode = 1;
  },
);
