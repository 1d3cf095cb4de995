import { describe, expect, it } from "@effect/vitest";
import { Inventory } from "@ferry/core";
import { Effect, Schema } from "effect";

import { makeFlashLeadSource, renderDiscoveryJson, renderDiscoveryMarkdown } from "../src/index.js";
import { fixture } from "./support/readFixture.js";

const inventoryOf = (name: string) =>
  Effect.runPromise(makeFlashLeadSource({ folder: fixture(name) }).discover());

describe("DiscoveryReport", () => {
  describe("renderDiscoveryMarkdown", () => {
    it("lists findings, unread files and column profiles", async () => {
      const markdown = renderDiscoveryMarkdown(await inventoryOf("classify"));
      expect(markdown).toContain("## Findings");
      expect(markdown).toContain("`unclassified-file`");
      expect(markdown).toContain("## Files not read");
      expect(markdown).toContain("- mystery.csv: neither its name nor its header matches");
      expect(markdown).toContain("| export1.csv | utf-8 | `,` | 1 | header |");
      expect(markdown).toContain("| number | Invoice Number | yes |");
    });

    it("puts errors before warnings and escapes pipes", async () => {
      const markdown = renderDiscoveryMarkdown(await inventoryOf("pipe"));
      expect(markdown).toContain("| leads.csv | utf-8 | `\\|` | 2 | name |");
      const long = renderDiscoveryMarkdown(await inventoryOf("long-row"));
      const error = long.indexOf("**error**");
      const warning = long.indexOf("**warning**");
      expect(error).toBeGreaterThan(0);
      expect(warning === -1 || error < warning).toBe(true);
    });
  });

  describe("renderDiscoveryJson", () => {
    it("writes JSON that decodes as an Inventory", async () => {
      const inventory = await inventoryOf("semicolon");
      const decoded = Schema.decodeUnknownSync(Inventory)(
        JSON.parse(renderDiscoveryJson(inventory)),
      );
      expect(decoded).toEqual(inventory);
    });
  });
});
