import { describe, expect, it } from "@effect/vitest";

import { dataLikeCells, headerLooksLikeData, isDataRow } from "../../src/internal/DataLikeCells.js";

describe("DataLikeCells", () => {
  describe("dataLikeCells", () => {
    it("recognizes e-mails, dates, phones and numbers", () => {
      const header = ["L-1", "ana@example.test", "05/03/2024", "+55 11 98765-4321", "1.250,50"];
      expect(dataLikeCells(header).map((cell) => [cell.position, cell.looksLike])).toEqual([
        [1, "e-mail"],
        [2, "date"],
        [3, "phone number"],
        [4, "number"],
      ]);
    });

    it("finds nothing in headers", () => {
      const headers = [
        ["id", "first_name", "E-Mail", "Telefone", "created_at"],
        ["Lead ID", "Budget 2024", "Q1", "Facebook"],
      ];
      for (const header of headers) expect(dataLikeCells(header)).toEqual([]);
    });

    it("reads a date with a time", () => {
      expect(dataLikeCells(["2024-03-05T10:00:00Z", "15/04/2024 10:30"])).toHaveLength(2);
    });
  });

  describe("isDataRow", () => {
    it("takes two value cells for data", () => {
      expect(isDataRow(dataLikeCells(["L-1", "ana@example.test", "100"]))).toBe(true);
    });

    it("takes one e-mail cell for data", () => {
      expect(isDataRow(dataLikeCells(["L000001", "Ana", "ana@example.test", ""]))).toBe(true);
    });

    it("keeps one date or phone cell as a header", () => {
      expect(isDataRow(dataLikeCells(["id", "2024-01-05", "name"]))).toBe(false);
      expect(isDataRow(dataLikeCells(["id", "+55 11 91234 5678", "name"]))).toBe(false);
    });

    it("keeps year columns as a header", () => {
      expect(isDataRow(dataLikeCells(["id", "2023", "2024"]))).toBe(false);
    });
  });

  describe("headerLooksLikeData", () => {
    it("names the file, line and cells", () => {
      const header = ["L-1", "ana@example.test", "100"];
      const rejection = headerLooksLikeData("lead", "leads.csv", 1, header, dataLikeCells(header));
      expect(rejection.code).toBe("header-looks-like-data");
      expect(rejection.origin).toMatchObject({ file: "leads.csv", line: 1 });
      expect(rejection.value).toBe("L-1,ana@example.test,100");
      expect(rejection.message).toMatch(
        /^leads\.csv line 1 looks like a data row, not a header: ana@example\.test \(e-mail\), 100 \(number\)\./,
      );
    });
  });
});
