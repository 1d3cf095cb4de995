import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { describe, expect, it } from "@effect/vitest";
import { type FileRead, SourceError } from "@ferry/core";
import { Effect, Either, Stream } from "effect";

import { generateExport } from "../src/generator/index.js";
import { makeFlashLeadReader, makeFlashLeadSource } from "../src/index.js";
import { fixture, readFixture, readItems } from "./support/readFixture.js";

describe("FlashLeadSource", () => {
  describe("read", () => {
    it("drops the UTF-8 byte order mark from the first header", async () => {
      const { records, rejections } = await readFixture("bom", "lead");
      expect(records).toHaveLength(2);
      expect(rejections).toHaveLength(0);
      expect(records[0]?.fields).toEqual({ id: "1", first_name: "Testa" });
      expect(records[0]?.sourceId).toBe("1");
    });

    it("detects semicolons and flags a phone whose digits are lost", async () => {
      const { records, rejections } = await readFixture("semicolon", "lead");
      expect(records).toHaveLength(3);
      expect(rejections).toHaveLength(0);
      expect(records[0]?.fields.phone).toBe("5,58199E+12");
      expect(records[0]?.fields.value).toBe("1,5");
      expect(records[0]?.warnings).toEqual([
        expect.objectContaining({ code: "digits-lost", column: "phone", value: "5,58199E+12" }),
      ]);
      expect(records[1]?.warnings).toEqual([]);
    });

    it("keeps both columns of a repeated header", async () => {
      const { records, rejections } = await readFixture("duplicate-header", "contact");
      expect(records).toHaveLength(2);
      expect(rejections).toHaveLength(0);
      expect(records[0]?.fields).toEqual({
        full_name: "Testa Exemplo",
        email: "testa@example.test",
        email_2: "testa.work@example.test",
      });
      expect(records[1]?.fields.email_2).toBe("");
    });

    it("pads a short row and warns", async () => {
      const { records, rejections } = await readFixture("short-row", "lead");
      expect(records).toHaveLength(2);
      expect(rejections).toHaveLength(0);
      expect(records[0]?.fields).toEqual({ id: "1", first_name: "Testa", email: "", phone: "" });
      expect(records[0]?.warnings.map((w) => w.code)).toEqual(["short-row"]);
      expect(records[0]?.warnings[0]?.message).toContain("line 2 has 2 of 4 cells");
      expect(records[1]?.warnings).toEqual([]);
    });

    it("rejects a long row with its line and cell counts", async () => {
      const { records, rejections } = await readFixture("long-row", "lead");
      expect(records.map((r) => r.sourceId)).toEqual(["1", "3"]);
      expect(rejections).toHaveLength(1);
      expect(rejections[0]?.code).toBe("long-row");
      expect(rejections[0]?.origin.line).toBe(3);
      expect(rejections[0]?.message).toContain('line 3 (id "2") has 5 cells but the header has 4');
      expect(rejections[0]?.message).toContain('the first extra cell is cell 5, "extra"');
      expect(rejections[0]?.sourceId).toBe("2");
      expect(rejections[0]?.column).toBe("cell 5");
      expect(rejections[0]?.value).toBe("extra");
    });

    it("keeps a CRLF inside a quoted note", async () => {
      const { records, rejections } = await readFixture("crlf-note", "lead");
      expect(records).toHaveLength(2);
      expect(rejections).toHaveLength(0);
      expect(records[0]?.fields.notes).toBe("Called twice.\r\nWants a demo.");
      expect(records.map((r) => r.origin.line)).toEqual([2, 4]);
    });

    it("reads a stray quote in an unquoted cell as written", async () => {
      const { records, rejections } = await readFixture("stray-quote", "lead");
      expect(records).toHaveLength(2);
      expect(rejections).toHaveLength(0);
      expect(records[0]?.fields.company).toBe('19" Screens Ltd');
      expect(records[1]?.fields.company).toBe("Exemplo Ltda");
    });

    it("decodes bytes that are not UTF-8 as Windows-1252", async () => {
      const { records, rejections } = await readFixture("windows-1252", "lead");
      expect(records.map((r) => r.fields.first_name)).toEqual(["Bénévole", "Testa"]);
      expect(rejections).toHaveLength(0);
    });

    it("decodes as Windows-1252 when the first invalid byte comes late", async () => {
      const { records, rejections } = await readFixture("late-windows-1252", "lead");
      expect(records).toHaveLength(9001);
      expect(rejections).toHaveLength(0);
      expect(records[9000]?.fields.first_name).toBe("Bénévole");
      expect(records[9000]?.origin.line).toBe(9002);
    });

    it.each(["utf16le", "utf16be"])("decodes %s with a byte order mark", async (name) => {
      const { records, rejections } = await readFixture(name, "lead");
      expect(records).toHaveLength(1);
      expect(rejections).toHaveLength(0);
      expect(records[0]?.fields).toEqual({ id: "1", first_name: "Bénévole" });
    });

    it("decodes UTF-16 without a byte order mark", async () => {
      const { records, rejections } = await readFixture("utf16le-no-bom", "lead");
      expect(records.map((r) => r.fields)).toEqual([{ id: "1", first_name: "Bénévole" }]);
      expect(rejections).toHaveLength(0);
    });

    it("takes the delimiter from an Excel sep= line", async () => {
      const { records, rejections } = await readFixture("separator-hint", "lead");
      expect(rejections).toHaveLength(0);
      expect(records.map((r) => [r.origin.line, r.fields.company])).toEqual([[3, "Exemplo, Ltda"]]);
    });

    it("counts physical lines across mixed endings and blank lines", async () => {
      const { records, rejections } = await readFixture("line-endings", "lead");
      expect(rejections).toHaveLength(0);
      expect(records.map((r) => [r.sourceId, r.origin.line])).toEqual([
        ["1", 2],
        ["2", 4],
        ["3", 6],
        ["4", 10],
      ]);
      expect(records[1]?.fields.notes).toBe("b\rc");
      expect(records[2]?.fields.notes).toBe("d\ne");
    });

    it.each([
      ["tab", "Exemplo, Ltda"],
      ["pipe", "Exemplo, Ltda"],
    ])("detects the %s delimiter", async (name, company) => {
      const { records, rejections } = await readFixture(name, "lead");
      expect(records).toHaveLength(2);
      expect(rejections).toHaveLength(0);
      expect(records[0]?.fields.company).toBe(company);
      expect(records[1]?.fields.company).toBe("Modelo; Co");
    });

    it("reads placeholders as empty and unwraps Excel formulas", async () => {
      const { records, rejections } = await readFixture("placeholders", "lead");
      expect(rejections).toHaveLength(0);
      expect(records.map((r) => r.fields.phone)).toEqual(["", "", "", "0612345678"]);
      expect(records.map((r) => r.fields.city)).toEqual(["", "", "Fictionville", ""]);
      expect(records[3]?.warnings.map((w) => w.code)).toEqual(["excel-wrapper"]);
    });

    it("rejects a repeated id and hashes missing ones", async () => {
      const { records, rejections } = await readFixture("ids", "lead");
      expect(records).toHaveLength(4);
      expect(rejections).toHaveLength(1);
      expect(rejections[0]).toMatchObject({ code: "duplicate-id", sourceId: "1" });
      expect(rejections[0]?.origin.line).toBe(3);

      const [first, second, third] = records.slice(1).map((r) => r.sourceId);
      expect(first).toMatch(/^h:[0-9a-f]{16}$/);
      expect(second).toBe(`${first}#2`);
      expect(third).toMatch(/^h:[0-9a-f]{16}$/);
      expect(third).not.toBe(first);
    });

    it("gives the same content id on a second read", async () => {
      const once = await readFixture("ids", "lead");
      const again = await readFixture("ids", "lead");
      expect(again.records.map((r) => r.sourceId)).toEqual(once.records.map((r) => r.sourceId));
    });

    it("repairs a cell that goes on after its closing quote", async () => {
      const { records, rejections } = await readFixture("quote-after-close", "lead");
      expect(records).toHaveLength(3);
      expect(rejections).toHaveLength(0);
      expect(records.map((r) => r.fields.company)).toEqual([
        '"19" Screens Ltd',
        'Exemplo "Demo" Ltda',
        "Modelo",
      ]);
      expect(records[0]?.warnings.map((w) => w.code)).toEqual(["stray-quote"]);
      expect(records[1]?.warnings).toEqual([]);
    });

    it("reads the rows after a quote that is never closed", async () => {
      const { records, rejections } = await readFixture("unterminated", "lead");
      expect(rejections).toHaveLength(0);
      expect(records.map((r) => [r.sourceId, r.origin.line])).toEqual([
        ["1", 2],
        ["2", 3],
        ["3", 4],
      ]);
      expect(records[1]?.fields.notes).toBe('"never closed');
      expect(records[1]?.warnings.map((w) => w.code)).toEqual(["unclosed-quote"]);
      expect(records[2]?.fields).toEqual({ id: "3", first_name: "Amostra", notes: "lost" });
    });

    it("fails with the file when an unclosed cell passes 1 MiB", async () => {
      const folder = await mkdtemp(join(tmpdir(), "ferry-huge-"));
      const note = "x".repeat(1_100_000);
      await writeFile(join(folder, "leads.csv"), `id,notes\n1,fine\n2,"${note}\n3,after\n`);
      const source = makeFlashLeadSource({ folder });
      const seen: Array<string> = [];
      const run = Stream.runForEach(source.read("lead"), (item) =>
        Effect.sync(() => seen.push(item._tag)),
      );
      const result = await Effect.runPromise(Effect.either(run));
      await rm(folder, { recursive: true, force: true });

      expect(Either.isLeft(result)).toBe(true);
      if (Either.isRight(result)) return;
      expect(result.left).toBeInstanceOf(SourceError);
      expect(result.left.reason).toBe("invalid-input");
      expect(result.left.path).toContain("leads.csv");
      expect(result.left.message).toContain("fix the quoting");
      expect(result.left.message).toContain(
        "a quoted cell that starts on line 3 is never closed, so it runs for 1100010 characters to the end of the file, past the limit of 1048576 characters (the maxCellLength option)",
      );
      expect(result.left.line).toBe(3);
      expect(seen).toEqual(["SourceRecord"]);
    });

    it("rejects cells over maxCellLength", async () => {
      const folder = await mkdtemp(join(tmpdir(), "ferry-cell-limit-"));
      const rows = [
        "id,notes,email",
        "1,short,a@x.test",
        '2,"line one\nline two\nline three",b@x.test',
        "3,abcdefghijklmnop,c@x.test",
        '4,"p\nq",d@x.test',
        '5,"aaaaaaaaaaa\nb","ccccccccccc\r\nd"',
        "6,fine,e@x.test",
      ];
      await writeFile(join(folder, "leads.csv"), `${rows.join("\n")}\n`);
      const { records, rejections } = await readItems(folder, "lead", { maxCellLength: 12 });
      await rm(folder, { recursive: true, force: true });

      expect(records.map((r) => [r.sourceId, r.origin.line])).toEqual([
        ["1", 2],
        ["4", 7],
        ["6", 12],
      ]);
      expect(records[1]?.fields.notes).toBe("p\nq");
      expect(rejections.map((r) => [r.origin.line, r.code, r.column, r.sourceId])).toEqual([
        [3, "cell-too-large", "notes", "2"],
        [6, "cell-too-large", "notes", "3"],
        [9, "cell-too-large", "notes", "5"],
      ]);
      expect(rejections[0]?.message).toBe(
        "leads.csv line 3: notes (column 2) has 30 characters, over the limit of 12 (the maxCellLength option), so the row was not read. Shorten the cell in Flash Lead Sales and export again, or raise maxCellLength",
      );
      expect(rejections[0]?.value).toBe('"line one\nlin…');
      expect(rejections[2]?.message).toContain(
        "notes (column 2) has 15 characters, email (column 3) has 16 characters",
      );
    });

    it("rejects an oversized cell alone on its row", async () => {
      const folder = await mkdtemp(join(tmpdir(), "ferry-cell-limit-"));
      await writeFile(join(folder, "leads.csv"), "id,notes\n1,a\nxxxxxxxx\n3,b\n4,xxxxxxxx");
      const { records, rejections } = await readItems(folder, "lead", { maxCellLength: 5 });
      await rm(folder, { recursive: true, force: true });

      expect(records.map((r) => [r.sourceId, r.origin.line])).toEqual([
        ["1", 2],
        ["3", 4],
      ]);
      expect(rejections.map((r) => [r.origin.line, r.column, r.sourceId])).toEqual([
        [3, "id", undefined],
        [5, "notes", "4"],
      ]);
    });

    it("skips rows of empty cells as blank", async () => {
      const folder = await mkdtemp(join(tmpdir(), "ferry-blank-rows-"));
      await writeFile(join(folder, "leads.csv"), 'id,notes\n1,a\n , \n"",""\n,\n2,b\n');
      const { records, rejections } = await readItems(folder, "lead");
      await rm(folder, { recursive: true, force: true });

      expect(records.map((r) => [r.sourceId, r.origin.line])).toEqual([
        ["1", 2],
        ["2", 6],
      ]);
      expect(rejections).toEqual([]);
    });

    it("reports each file's headers and blank rows", async () => {
      const folder = await mkdtemp(join(tmpdir(), "ferry-file-read-"));
      await writeFile(join(folder, "leads.csv"), "ID,Phone\n1,a\n\n,\n2,b\n");
      const files: Array<FileRead> = [];
      const source = makeFlashLeadSource({ folder });
      const onFileRead = (file: FileRead) => files.push(file);
      const items = await Effect.runPromise(Stream.runCollect(source.read("lead", { onFileRead })));
      await rm(folder, { recursive: true, force: true });

      expect(items.length).toBe(2);
      expect(files).toEqual([
        {
          kind: "lead",
          file: "leads.csv",
          columns: [
            { name: "id", header: "ID" },
            { name: "phone", header: "Phone" },
          ],
          skipped: { blank: 2, delimiterHint: 0 },
        },
      ]);
    });

    it("removes a NUL from a cell and warns", async () => {
      const folder = await mkdtemp(join(tmpdir(), "ferry-nul-"));
      await writeFile(join(folder, "leads.csv"), "id,first_name\n1,An\u0000a\n2,Bia\n");
      const { records } = await readItems(folder, "lead");
      await rm(folder, { recursive: true, force: true });

      expect(records.map((r) => r.fields.first_name)).toEqual(["Ana", "Bia"]);
      expect(records[0]?.warnings).toEqual([
        {
          code: "nul-byte",
          column: "first_name",
          value: "Ana",
          message:
            'leads.csv:2 first_name contains 1 NUL character(s) (U+0000) in "An\\u0000a". They were removed, so the value reads "Ana"',
        },
      ]);
      expect(records[1]?.warnings).toEqual([]);
    });

    it("rejects an invalid maxCellLength", async () => {
      for (const maxCellLength of [0, 1.5, Number.NaN]) {
        const source = makeFlashLeadSource({ folder: fixture("bom"), maxCellLength });
        const result = await Effect.runPromise(Effect.either(source.discover()));
        expect(Either.isLeft(result)).toBe(true);
        if (Either.isRight(result)) continue;
        expect(result.left.reason).toBe("invalid-input");
        expect(result.left.message).toContain(
          `maxCellLength must be a whole number of characters of at least 1, but it is ${maxCellLength}`,
        );
      }
    });

    it("fails with not-found for a missing folder", async () => {
      const source = makeFlashLeadSource({ folder: fixture("no-such-folder") });
      const result = await Effect.runPromise(Effect.either(source.discover()));
      expect(Either.isLeft(result) && result.left.reason).toBe("not-found");
    });

    it("rejects an unknown time zone option", async () => {
      const source = makeFlashLeadSource({ folder: fixture("bom"), timeZone: "Mars/Olympus" });
      const result = await Effect.runPromise(Effect.either(Stream.runCollect(source.read("lead"))));
      expect(Either.isLeft(result) && result.left.message).toContain("Mars/Olympus");
    });
  });

  describe("activity timestamps", () => {
    it("reads a column day-first when a day is above 12", async () => {
      const { records, rejections } = await readFixture("dates-day-first", "activity");
      expect(rejections).toHaveLength(0);
      expect(records.map((r) => r.fields.timestamp_iso)).toEqual([
        "2024-04-03T10:00:00Z",
        "2024-04-15T09:30:00Z",
      ]);
      expect(records[0]?.fields).toMatchObject({
        activity_kind: "stage_transition",
        from_stage: "New",
        to_stage: "Qualified",
      });
      expect(records[1]?.fields.activity_kind).toBe("call");
    });

    it("leaves an ambiguous column without timestamp_iso", async () => {
      const { records, rejections } = await readFixture("dates-ambiguous", "activity");
      expect(records).toHaveLength(2);
      expect(rejections).toHaveLength(0);
      expect(records.map((r) => r.fields.timestamp_iso)).toEqual([undefined, undefined]);
    });

    it("uses the dateOrder option for an ambiguous column", async () => {
      const { records } = await readFixture("dates-ambiguous", "activity", {
        dateOrder: { "activity.timestamp": "month-first" },
      });
      expect(records.map((r) => r.fields.timestamp_iso)).toEqual(["2024-03-04", "2024-05-06"]);
    });

    it("applies the time zone option to local times", async () => {
      const { records } = await readFixture("dates-day-first", "activity", {
        timeZone: "Europe/Paris",
      });
      expect(records[0]?.fields.timestamp_iso).toBe("2024-04-03T08:00:00Z");
    });

    it("rejects an impossible and an invalid timestamp", async () => {
      const { records, rejections } = await readFixture("dates-impossible", "activity");
      expect(records.map((r) => r.sourceId)).toEqual(["A1", "A3"]);
      expect(rejections.map((r) => [r.code, r.origin.line, r.value])).toEqual([
        ["impossible-date", 3, "31/02/2024"],
        ["invalid-date", 5, "someday"],
      ]);
    });
  });

  describe("read fields", () => {
    it("keeps a column named like an Object property", async () => {
      const folder = await mkdtemp(join(tmpdir(), "ferry-fields-"));
      try {
        const csv = "Lead ID,First Name,__proto__,constructor\nL1,Ana,x,y\n";
        await writeFile(join(folder, "leads.csv"), csv);
        const { records } = await readItems(folder, "lead");

        const fields = records[0]?.fields ?? {};
        expect(Object.keys(fields)).toEqual(["id", "first_name", "__proto__", "constructor"]);
        expect(Object.getOwnPropertyDescriptor(fields, "__proto__")?.value).toBe("x");
        expect(fields.constructor).toBe("y");
        expect(Object.getPrototypeOf(fields)).toBe(Object.prototype);
      } finally {
        await rm(folder, { recursive: true, force: true });
      }
    });
  });

  describe("makeFlashLeadReader", () => {
    it("iterates items without Effect", async () => {
      const reader = makeFlashLeadReader({ folder: fixture("long-row") });
      const tags: Array<string> = [];
      for await (const item of reader.read("lead")) tags.push(item._tag);
      expect(tags).toEqual(["SourceRecord", "Rejection", "SourceRecord"]);
      const inventory = await reader.discover();
      expect(inventory.objects[0]?.rejectedCount).toBe(1);
    });

    it("reads every row over many chunks", async () => {
      const folder = await mkdtemp(join(tmpdir(), "ferry-reader-"));
      try {
        await generateExport({ folder, leads: 3000, seed: 3, messy: true, kinds: ["lead"] });
        const lines: Array<number> = [];
        for await (const item of makeFlashLeadReader({ folder }).read("lead")) {
          lines.push(item.origin.line);
        }

        const streamed = await Effect.runPromise(
          Stream.runCount(makeFlashLeadSource({ folder }).read("lead")),
        );
        expect(lines).toHaveLength(3000);
        expect(streamed).toBe(3000);
        expect(lines.every((line, index) => index === 0 || line > (lines[index - 1] ?? 0))).toBe(
          true,
        );
      } finally {
        await rm(folder, { recursive: true, force: true });
      }
    });

    it("stops reading when the loop breaks", async () => {
      const reader = makeFlashLeadReader({ folder: fixture("long-row") });
      const tags: Array<string> = [];
      for await (const item of reader.read("lead")) {
        tags.push(item._tag);
        break;
      }
      expect(tags).toEqual(["SourceRecord"]);

      const again: Array<string> = [];
      for await (const item of reader.read("lead")) again.push(item._tag);
      expect(again).toEqual(["SourceRecord", "Rejection", "SourceRecord"]);
    });

    it("throws the SourceError after the rows before it", async () => {
      const folder = await mkdtemp(join(tmpdir(), "ferry-reader-"));
      try {
        const rows = Array.from({ length: 50 }, (_, i) => `L${i + 1},Name ${i + 1}`);
        const open = `L51,"${"x".repeat(400)}`;
        await writeFile(
          join(folder, "leads.csv"),
          `Lead ID,First Name\n${rows.join("\n")}\n${open}`,
        );

        const ids: Array<string> = [];
        let failure: unknown;
        try {
          const reader = makeFlashLeadReader({ folder, maxCellLength: 100 });
          for await (const item of reader.read("lead")) ids.push(item.sourceId ?? "");
        } catch (error) {
          failure = error;
        }
        expect(ids).toHaveLength(50);
        expect(ids[49]).toBe("L50");
        expect(failure).toBeInstanceOf(SourceError);
        expect((failure as SourceError).line).toBe(52);
      } finally {
        await rm(folder, { recursive: true, force: true });
      }
    });
  });
});
