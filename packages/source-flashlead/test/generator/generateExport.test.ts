import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest";

import { fictionalPhone, fictionalPhoneCount, generateExport } from "../../src/generator/index.js";
import { readItems } from "../support/readFixture.js";

/**
 * Ofcom's ranges for TV and radio drama (each prefix plus three digits), and NANPA's 555-0100 to
 * 555-0199, which are reserved for fiction under every area code.
 */
const ofcomDramaPrefixes = [
  "+44 113 496 0",
  "+44 114 496 0",
  "+44 115 496 0",
  "+44 116 496 0",
  "+44 117 496 0",
  "+44 118 496 0",
  "+44 121 496 0",
  "+44 131 496 0",
  "+44 141 496 0",
  "+44 151 496 0",
  "+44 161 496 0",
  "+44 191 498 0",
  "+44 20 7946 0",
  "+44 28 9649 6",
  "+44 29 2018 0",
  "+44 1632 960",
  "+44 306 999 0",
  "+44 7700 900",
  "+44 808 157 0",
  "+44 909 879 0",
];

const isFictional = (phone: string): boolean =>
  /^\+1 [2-9]\d\d 555 01\d\d$/.test(phone) ||
  ofcomDramaPrefixes.some(
    (prefix) => phone.startsWith(prefix) && /^\d{3}$/.test(phone.slice(prefix.length)),
  );

/** Reads the phone cell of each record of one kind, in file order. */
const phonesOf = async (folder: string, kind: "lead" | "contact"): Promise<Array<string>> => {
  const { records } = await readItems(folder, kind);
  return records.map((record) => record.fields.phone ?? "");
};

describe("generateExport", () => {
  let root = "";
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "ferry-generator-"));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it("writes the same bytes for the same seed", async () => {
    await generateExport({ folder: join(root, "a"), leads: 40, seed: 7, messy: true });
    await generateExport({ folder: join(root, "b"), leads: 40, seed: 7, messy: true });
    await generateExport({ folder: join(root, "c"), leads: 40, seed: 8, messy: true });
    const a = await readFile(join(root, "a", "activity_log.csv"), "utf8");
    expect(await readFile(join(root, "b", "activity_log.csv"), "utf8")).toBe(a);
    expect(await readFile(join(root, "c", "activity_log.csv"), "utf8")).not.toBe(a);
  });

  it("writes rows the source reads back one for one", async () => {
    const folder = join(root, "plain");
    const written = await generateExport({ folder, leads: 120, seed: 3 });
    expect(written.lead?.rows).toBe(120);
    for (const kind of ["lead", "contact", "invoice", "activity", "message_thread"] as const) {
      const { records, rejections } = await readItems(folder, kind);
      expect(records.length, kind).toBe(written[kind]?.rows);
      expect(rejections, kind).toHaveLength(0);
    }
  });

  it("adds a byte order mark and CRLF only when messy", async () => {
    await generateExport({
      folder: join(root, "messy"),
      leads: 5,
      seed: 1,
      messy: true,
      kinds: ["lead"],
    });
    const messy = await readFile(join(root, "messy", "leads.csv"));
    expect([...messy.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(messy.toString("utf8")).toContain("\r\n");
    const plain = await readFile(join(root, "plain", "leads.csv"));
    expect(plain[0]).toBe("L".charCodeAt(0));
  });

  it("invents every e-mail", async () => {
    const text = await readFile(join(root, "plain", "leads.csv"), "utf8");
    const emails = text.match(/[^\s,]+@[^\s,]+/g) ?? [];
    expect(emails.length).toBeGreaterThan(120);
    expect(emails.every((email) => email.endsWith("@example.test"))).toBe(true);
  });

  it("writes only fictional phones, none twice", async () => {
    const leads = await phonesOf(join(root, "plain"), "lead");
    const contacts = await phonesOf(join(root, "plain"), "contact");
    const phones = [...leads, ...contacts];
    expect(leads).toHaveLength(120);
    expect(contacts.length).toBeGreaterThan(30);
    expect(phones.filter((phone) => !isFictional(phone))).toEqual([]);
    expect(new Set(phones).size).toBe(phones.length);
  });

  it("numbers each person in its sequence", async () => {
    const leads = await phonesOf(join(root, "plain"), "lead");
    const contacts = await phonesOf(join(root, "plain"), "contact");
    expect(leads.slice(0, 2)).toEqual(["+44 20 7946 0001", "+44 20 7946 0002"]);
    expect(contacts.slice(0, 2)).toEqual(["+44 113 496 0001", "+44 113 496 0002"]);
    expect(leads).toEqual(leads.map((_, index) => fictionalPhone("lead", index + 1)));
    expect(contacts).toEqual(contacts.map((_, index) => fictionalPhone("contact", index + 1)));
  });

  it("leaves the phone empty past the last number", async () => {
    const folder = join(root, "past-last");
    const leads = fictionalPhoneCount.lead + 2;
    await generateExport({ folder, leads, seed: 5, kinds: ["lead"] });
    const phones = await phonesOf(folder, "lead");
    const written = phones.filter((phone) => phone !== "");
    expect(phones).toHaveLength(leads);
    expect(phones.slice(-3)).toEqual([fictionalPhone("lead", fictionalPhoneCount.lead), "", ""]);
    expect(written).toHaveLength(fictionalPhoneCount.lead);
    expect(new Set(written).size).toBe(written.length);
    expect(written.filter((phone) => !isFictional(phone))).toEqual([]);
  });

  it("keeps the messy phones of real exports", async () => {
    const folder = join(root, "messy-phones");
    await generateExport({ folder, leads: 3000, seed: 3, messy: true, kinds: ["lead"] });
    const { records } = await readItems(folder, "lead");
    const codes = records.flatMap((record) => record.warnings.map((warning) => warning.code));
    const wrapped = records
      .filter((record) => record.warnings.some((warning) => warning.code === "excel-wrapper"))
      .map((record) => record.fields.phone ?? "");
    const placeholders = records.filter((record) => record.fields.phone === "");

    expect(codes.filter((code) => code === "digits-lost").length).toBeGreaterThan(10);
    expect(wrapped.length).toBeGreaterThan(10);
    expect(wrapped.filter((phone) => !/^07700 ?900\d{3}$/.test(phone))).toEqual([]);
    expect(new Set(wrapped.map((phone) => phone.replace(" ", ""))).size).toBe(wrapped.length);
    expect(placeholders.length).toBeGreaterThan(40);
  });
});

describe("fictionalPhone", () => {
  it("starts each sequence in London and Leeds", () => {
    expect(fictionalPhone("lead", 1)).toBe("+44 20 7946 0001");
    expect(fictionalPhone("lead", 999)).toBe("+44 20 7946 0999");
    expect(fictionalPhone("lead", 1000)).toBe("+44 121 496 0000");
    expect(fictionalPhone("contact", 1)).toBe("+44 113 496 0001");
  });

  it("continues with NANPA 555-01xx numbers", () => {
    expect(fictionalPhone("lead", 9999)).toBe("+44 28 9649 6999");
    expect(fictionalPhone("lead", 10_000)).toBe("+1 201 555 0100");
    expect(fictionalPhone("lead", 10_199)).toBe("+1 202 555 0199");
    expect(fictionalPhone("contact", 6000)).toBe("+1 203 555 0100");
  });

  it("returns undefined outside the sequence", () => {
    for (const sequence of ["lead", "contact"] as const) {
      const last = fictionalPhoneCount[sequence];
      expect(fictionalPhone(sequence, last), sequence).toMatch(/^\+1 \d{3} 555 0199$/);
      expect(fictionalPhone(sequence, last + 1), sequence).toBeUndefined();
      expect(fictionalPhone(sequence, 0), sequence).toBeUndefined();
      expect(fictionalPhone(sequence, 1.5), sequence).toBeUndefined();
    }
  });

  it("numbers every phone of both sequences once", () => {
    const phones = (["lead", "contact"] as const).flatMap((sequence) =>
      Array.from({ length: fictionalPhoneCount[sequence] }, (_, index) =>
        fictionalPhone(sequence, index + 1),
      ),
    );
    expect(phones.filter((phone) => phone === undefined || !isFictional(phone))).toEqual([]);
    expect(new Set(phones).size).toBe(phones.length);
    expect(phones.length).toBeGreaterThan(24_000);
  });
});
