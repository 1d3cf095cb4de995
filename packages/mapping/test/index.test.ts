import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

import { describe, expect, it } from "@effect/vitest";

const src = fileURLToPath(new URL("../src", import.meta.url));

const modules = (folder: string): ReadonlyArray<string> =>
  readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return entry.name === "internal" ? [] : modules(path);
    return entry.name.endsWith(".ts") && entry.name !== "index.ts" ? [relative(src, path)] : [];
  });

describe("index", () => {
  it("exports every public module", () => {
    const barrel = readFileSync(join(src, "index.ts"), "utf8");
    for (const module of modules(src)) {
      expect(barrel, module).toContain(`from "./${module.replace(/\.ts$/, ".js")}"`);
    }
  });
});
