// Checks every public package's packed tarball with publint and attw. Run after `npm run build`.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

const root = JSON.parse(readFileSync("package.json", "utf8"));
let failed = false;

for (const workspace of root.workspaces) {
  const manifest = JSON.parse(readFileSync(`${workspace}/package.json`, "utf8"));
  if (manifest.private) continue;

  for (const [tool, args] of [
    ["publint", ["publint", "--strict", workspace]],
    ["attw", ["attw", "--pack", workspace, "--profile", "esm-only", "--format", "ascii"]],
  ]) {
    try {
      const output = execFileSync("npx", ["--no-install", ...args], { encoding: "utf8" });
      console.log(`${manifest.name}: ${tool} passed\n${output.trim()}\n`);
    } catch (error) {
      failed = true;
      console.error(`${manifest.name}: ${tool} failed\n${error.stdout ?? ""}${error.stderr ?? ""}`);
    }
  }
}

process.exitCode = failed ? 1 : 0;
