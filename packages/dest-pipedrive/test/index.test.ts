import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

import { describe, expect, it } from "vitest";

import * as barrel from "../src/index.js";

const src = fileURLToPath(new URL("../src/", import.meta.url));

describe("index", () => {
  it("exports every public module", async () => {
    const modules = readdirSync(src).filter((name) => name.endsWith(".ts") && name !== "index.ts");
    for (const name of modules) {
      const module = (await import(`../src/${name.replace(/\.ts$/, ".js")}`)) as Record<
        string,
        unknown
      >;
      const values = Object.keys(module);
      const exported = values.filter((key) => key in barrel);
      expect(exported.length, `${name} has no value exported from index.ts`).toBeGreaterThan(0);
    }
  });

  it("builds the destination with its seven kinds", () => {
    expect(barrel.pipedriveKinds.map((spec) => spec.kind)).toEqual([
      "organization",
      "person",
      "deal",
      "lead",
      "note",
      "activity",
      "file",
    ]);
  });
});
