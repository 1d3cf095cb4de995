#!/usr/bin/env node
// Entry point of the `ferry` command; the compiled command line lives in dist/.
import { main } from "../dist/cli/main.js";

process.exitCode = await main(process.argv.slice(2));
