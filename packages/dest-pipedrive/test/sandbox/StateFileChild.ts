/**
 * The child process of the state file's kill test: starts a sandbox with the state file and admin
 * token given as arguments, prints its URL on one line, and serves until it is killed. It stops
 * by itself after 60 seconds, so a test that fails to kill it leaves nothing running.
 */
import { startSandbox } from "../../src/sandbox/index.js";

const [statePath, token] = process.argv.slice(2);
if (statePath === undefined || token === undefined) {
  process.stderr.write("usage: child STATE_FILE TOKEN\n");
  process.exit(2);
}
const sandbox = await startSandbox({ statePath, token, timeScale: 1000 });
process.stdout.write(`${sandbox.url}\n`);
setTimeout(() => {
  void sandbox.close().finally(() => process.exit(1));
}, 60_000);
