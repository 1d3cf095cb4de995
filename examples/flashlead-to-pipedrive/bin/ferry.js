#!/usr/bin/env node
// Entry point of the `ferry` command; the compiled command line lives in dist/.
import { main } from "../dist/cli/main.js";

// A reader that closes the pipe early (`ferry verify | head`) makes writes fail with EPIPE. The
// command then goes on without printing, so a migration still reaches a consistent end.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error) => {
    if (error.code !== "EPIPE") throw error;
  });
}

process.exitCode = await main(process.argv.slice(2));
