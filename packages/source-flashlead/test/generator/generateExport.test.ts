import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest";

import { generateExport } from "../../src/generator/index.js";
import { readItems } from "../support/readFixture.js";

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

  it("invents every e-mail and phone", async () => {
    const text = await readFile(join(root, "plain", "leads.csv"), "utf8");
    const emails = text.match(/[^\s,]+@[^\s,]+/g) ?? [];
    expect(emails.length).toBeGreaterThan(120);
    expect(emails.every((email) => email.endsWith("@example.test"))).toBe(true);
    const phones = text.match(/\+\d+ \d{3} \d{4}/g) ?? [];
    expect(phones.every((phone) => phone.startsWith("+999 "))).toBe(true);
  });
});
