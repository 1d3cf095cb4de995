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
      expect(markdown).toContain("| export1.csv | utf-8 | `,` | 1 | 0 | header |");
      expect(markdown).toContain("| number | Invoice Number | yes |");
    });

    it("puts errors before warnings and escapes pipes", async () => {
      const markdown = renderDiscoveryMarkdown(await inventoryOf("pipe"));
      expect(markdown).toContain("| leads.csv | utf-8 | `\\|` | 2 | 0 | name |");
      const long = renderDiscoveryMarkdown(await inventoryOf("long-row"));
      const error = long.indexOf("**error**");
      const warning = long.indexOf("**warning**");
      expect(error).toBeGreaterThan(0);
      expect(warning === -1 || error < warning).toBe(true);
    });

    it("lists skipped rows by reason", async () => {
      const hint = renderDiscoveryMarkdown(await inventoryOf("separator-hint"));
      expect(hint).toContain(
        "| file | encoding | delimiter | rows | skipped rows | recognized by |",
      );
      expect(hint).toContain("| leads.csv | utf-8 | `;` | 1 | 1 (1 `sep=` line) | name |");
      const blank = renderDiscoveryMarkdown(await inventoryOf("line-endings"));
      expect(blank).toContain("| leads.csv | utf-8 | `,` | 4 | 3 (3 blank) | name |");
    });

    it("marks skipped rows a source did not count", async () => {
      const inventory = await inventoryOf("separator-hint");
      const objects = inventory.objects.map((object) => ({
        ...object,
        files: object.files.map(({ skipped: _, ...file }) => file),
      }));
      const decoded = Schema.decodeUnknownSync(Inventory)(
        JSON.parse(JSON.stringify({ ...inventory, objects })),
      );
      const markdown = renderDiscoveryMarkdown(decoded);
      expect(markdown).toContain("| leads.csv | utf-8 | `;` | 1 | not counted | name |");
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

    it("writes the skipped rows of each file", async () => {
      const json = JSON.parse(renderDiscoveryJson(await inventoryOf("line-endings")));
      expect(json.objects[0].files[0].skipped).toEqual({ blank: 3, delimiterHint: 0 });
      const hint = JSON.parse(renderDiscoveryJson(await inventoryOf("separator-hint")));
      expect(hint.objects[0].files[0].skipped).toEqual({ blank: 0, delimiterHint: 1 });
    });
  });
});
