/**
 * The export folder as a boundary: the source reads the CSV files at the folder's top level and
 * keeps every path that a cell names as a plain value. Attachments are resolved later by the
 * mapping's attachment transform, which has its own tests.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { describe, expect, it } from "@effect/vitest";
import { Chunk, Effect, Stream } from "effect";

import { makeFlashLeadSource } from "../src/index.js";

const exportFolder = (files: Readonly<Record<string, string>>): string => {
  const folder = mkdtempSync(join(tmpdir(), "ferry-export-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(folder, name, ".."), { recursive: true });
    writeFileSync(join(folder, name), text);
  }
  return folder;
};

const hostileNames = [
  "../../etc/passwd",
  "/etc/passwd",
  "..\\..\\Windows\\win.ini",
  "attachments/../../../secret.txt",
  "file:///etc/shadow",
];

describe("FlashLeadSource", () => {
  describe("read", () => {
    it.effect("keeps attachment paths as plain values", () =>
      Effect.gen(function* () {
        const rows = hostileNames.map((name, index) => `L-${index + 1},Ana,"${name}"`);
        const folder = exportFolder({
          "leads.csv": ["id,first_name,attachment", ...rows, ""].join("\n"),
        });

        const items = Chunk.toArray(
          yield* Stream.runCollect(makeFlashLeadSource({ folder }).read("lead")),
        );

        expect(items.map((item) => item._tag)).toEqual(hostileNames.map(() => "SourceRecord"));
        const values = items.map((item) =>
          item._tag === "SourceRecord" ? item.fields.attachment : undefined,
        );
        expect(values).toEqual(hostileNames);
      }),
    );
  });

  describe("discover", () => {
    it.effect("reads no file below the top level", () =>
      Effect.gen(function* () {
        const folder = exportFolder({
          "contacts.csv": "id,first_name,email\nC-1,Ana,ana@example.test\n",
          "nested/leads.csv": "id,first_name,email\nL-1,Bia,bia@example.test\n",
        });

        const source = makeFlashLeadSource({ folder });
        const inventory = yield* source.discover();
        const leads = Chunk.toArray(yield* Stream.runCollect(source.read("lead")));

        expect(inventory.objects.map((object) => object.kind)).toEqual(["contact"]);
        expect(inventory.unclassified).toEqual([
          { path: "nested", reason: "a folder; only the top level is read" },
        ]);
        expect(leads).toEqual([]);
      }),
    );

    it.effect("names files by their place in the folder", () =>
      Effect.gen(function* () {
        const folder = exportFolder({ "leads.csv": "id,first_name\nL-1,Ana\nL-1,Bia\n" });

        const source = makeFlashLeadSource({ folder });
        const inventory = yield* source.discover();
        const items = Chunk.toArray(yield* Stream.runCollect(source.read("lead")));

        expect(inventory.objects[0]?.files.map((file) => file.path)).toEqual(["leads.csv"]);
        expect(items.map((item) => item.origin.file)).toEqual(["leads.csv", "leads.csv"]);
        const rejection = items.find((item) => item._tag === "Rejection");
        expect(rejection?.message).not.toContain(folder);
      }),
    );

    it.effect("fails with not-found for a missing folder", () =>
      Effect.gen(function* () {
        const folder = join(tmpdir(), "ferry-export-that-does-not-exist");

        const error = yield* Effect.flip(makeFlashLeadSource({ folder }).discover());

        expect(error._tag).toBe("SourceError");
        expect(error.reason).toBe("not-found");
        expect(error.message).toContain(folder);
      }),
    );
  });
});
