import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest";

import { detectEncoding } from "../../src/internal/Encoding.js";
import { fixture } from "../support/readFixture.js";

describe("Encoding", () => {
  let folder = "";
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), "ferry-encoding-"));
  });
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  const write = async (name: string, bytes: Buffer) => {
    const path = join(folder, name);
    await writeFile(path, bytes);
    return path;
  };

  describe("detectEncoding", () => {
    it.each([
      ["bom", "utf-8-bom", 3],
      ["utf16le", "utf-16le", 2],
      ["utf16be", "utf-16be", 2],
      ["semicolon", "utf-8", 0],
      ["windows-1252", "windows-1252", 0],
    ])("detects %s", async (name, encoding, bomLength) => {
      const detection = await detectEncoding(`${fixture(name)}leads.csv`);
      expect(detection.encoding).toBe(encoding);
      expect(detection.bomLength).toBe(bomLength);
    });

    it("recognizes UTF-16 without a byte order mark", async () => {
      const little = await detectEncoding(`${fixture("utf16le-no-bom")}leads.csv`);
      expect(little).toEqual({ encoding: "utf-16le", bomLength: 0, isMixed: false });
      const bigBytes = Buffer.from("id,name\n1,Testa\n", "utf16le").swap16();
      const big = await detectEncoding(await write("big.csv", bigBytes));
      expect(big.encoding).toBe("utf-16be");
    });

    it("finds an invalid byte after the first chunk", async () => {
      const detection = await detectEncoding(`${fixture("late-windows-1252")}leads.csv`);
      expect(detection.encoding).toBe("windows-1252");
      expect(detection.firstInvalidByte).toBeGreaterThan(64 * 1024);
      expect(detection.isMixed).toBe(false);
    });

    it("flags valid UTF-8 before an invalid byte as mixed", async () => {
      const bytes = Buffer.concat([
        Buffer.from("id,name\n1,Bénévole\n2,", "utf8"),
        Buffer.from([0xe9, 0x0a]),
      ]);
      const detection = await detectEncoding(await write("mixed.csv", bytes));
      expect(detection).toEqual({
        encoding: "windows-1252",
        bomLength: 0,
        firstInvalidByte: 23,
        isMixed: true,
      });
    });

    it("keeps a multi-byte character split across chunks as UTF-8", async () => {
      const filler = Buffer.alloc((1 << 20) - 1, 0x61);
      const bytes = Buffer.concat([filler, Buffer.from("é\n", "utf8")]);
      const detection = await detectEncoding(await write("split.csv", bytes));
      expect(detection.encoding).toBe("utf-8");
    });

    it("reads a truncated sequence at the end as Windows-1252", async () => {
      const detection = await detectEncoding(
        await write("cut.csv", Buffer.from([0x61, 0x0a, 0xc3])),
      );
      expect(detection.encoding).toBe("windows-1252");
      expect(detection.firstInvalidByte).toBe(2);
    });
  });
});
