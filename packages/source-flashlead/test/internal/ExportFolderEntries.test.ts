import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { describe, expect, it } from "vitest";

import { scanExportFolder } from "../../src/internal/ExportFolder.js";

const leads = "id,first_name,email\nL1,Ana,ana@example.test\n";

// The first bytes of a PNG image: signature, then an IHDR chunk with its NUL-padded length.
const pngBytes = Buffer.from(
  "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000a49444154789c6300010000050001",
  "hex",
);

/** An export folder beside a folder outside it, for links to point into. */
const folders = () => {
  const parent = mkdtempSync(join(tmpdir(), "ferry-entries-"));
  const root = join(parent, "export");
  const outside = join(parent, "outside");
  mkdirSync(root);
  mkdirSync(outside);
  writeFileSync(join(outside, "leads.csv"), leads);
  return { root, outside };
};

const reasonOf = async (root: string, name: string) => {
  const scanned = await scanExportFolder(root);
  return scanned.unclassified.find((entry) => entry.path === name)?.reason;
};

describe("ExportFolder", () => {
  describe("scanExportFolder", () => {
    it("rejects a link to a file outside", async () => {
      const { root, outside } = folders();
      symlinkSync(join(outside, "leads.csv"), join(root, "leads.csv"));
      expect(await reasonOf(root, "leads.csv")).toContain("outside the export folder");
      expect((await scanExportFolder(root)).files).toEqual([]);
    });

    it("reads a link to a file inside", async () => {
      const { root } = folders();
      writeFileSync(join(root, "real-leads.csv"), leads);
      symlinkSync(join(root, "real-leads.csv"), join(root, "leads.csv"));
      const scanned = await scanExportFolder(root);
      expect(scanned.files.map((file) => file.name).sort()).toEqual([
        "leads.csv",
        "real-leads.csv",
      ]);
    });

    it("lists a linked folder named .csv", async () => {
      const { root, outside } = folders();
      mkdirSync(join(root, "inner"));
      symlinkSync(join(root, "inner"), join(root, "data.csv"));
      symlinkSync(outside, join(root, "away.csv"));
      expect(await reasonOf(root, "data.csv")).toBe("a folder; only the top level is read");
      expect(await reasonOf(root, "away.csv")).toContain("outside the export folder");
    });

    it("never opens a named pipe", async () => {
      const { root } = folders();
      execFileSync("mkfifo", [join(root, "leads.csv")]);
      expect(await reasonOf(root, "leads.csv")).toBe(
        "not a regular file (a pipe, socket or device)",
      );
    });

    it("lists a broken link", async () => {
      const { root } = folders();
      symlinkSync(join(root, "missing.csv"), join(root, "leads.csv"));
      expect(await reasonOf(root, "leads.csv")).toBe("a broken symbolic link");
    });

    it("lists a binary file named .csv", async () => {
      const { root } = folders();
      writeFileSync(join(root, "leads.csv"), pngBytes);
      expect(await reasonOf(root, "leads.csv")).toContain("a binary file");
    });

    it("keeps a text file with one NUL byte", async () => {
      const { root } = folders();
      writeFileSync(join(root, "leads.csv"), "id,first_name\nL1,An\u0000a\n");
      const scanned = await scanExportFolder(root);
      expect(scanned.files.map((file) => file.kind)).toEqual(["lead"]);
    });
  });
});
