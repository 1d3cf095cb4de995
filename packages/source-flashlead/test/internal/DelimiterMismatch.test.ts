import { describe, expect, it } from "@effect/vitest";

import { describeDelimiter, findDelimiterMismatch } from "../../src/internal/DelimiterMismatch.js";

describe("DelimiterMismatch", () => {
  describe("findDelimiterMismatch", () => {
    it("finds semicolons under a comma header", () => {
      const found = findDelimiterMismatch(["L-1;Ana;Lima;ana@example.test"], ",", [4]);
      expect(found).toEqual({ delimiter: ";", cells: 4 });
    });

    it("counts the header's dropped trailing cells", () => {
      expect(findDelimiterMismatch(["a|b|c|"], ";", [3, 4])).toEqual({ delimiter: "|", cells: 4 });
    });

    it("finds tabs and ignores delimiters inside quotes", () => {
      expect(findDelimiterMismatch(['a\t"b\tc"\td'], ",", [3])).toEqual({
        delimiter: "\t",
        cells: 3,
      });
    });

    it("leaves a short row whose count does not match", () => {
      expect(findDelimiterMismatch(["L-1", "Ana; Maria"], ",", [4])).toBeUndefined();
      expect(findDelimiterMismatch(["L-1;Ana"], ",", [4])).toBeUndefined();
    });

    it("ignores the file's own delimiter", () => {
      expect(findDelimiterMismatch(["a", "b"], ",", [2])).toBeUndefined();
    });
  });

  describe("describeDelimiter", () => {
    it("names each delimiter", () => {
      expect([",", ";", "\t", "|"].map((d) => describeDelimiter(d as never))).toEqual([
        '"," (comma)',
        '";" (semicolon)',
        "tab",
        '"|" (pipe)',
      ]);
    });
  });
});
