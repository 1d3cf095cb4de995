import { describe, expect, it } from "@effect/vitest";

import { cleanCell } from "../../src/internal/Cells.js";

describe("Cells", () => {
  describe("cleanCell", () => {
    it.each(["N/A", "#N/A", "null", "-", "not found", " NULL ", "#VALUE!"])(
      "reads %j as a placeholder",
      (raw) => {
        expect(cleanCell(raw)).toEqual({ kind: "placeholder", raw });
      },
    );

    it("unwraps an Excel formula wrapper", () => {
      expect(cleanCell('="0612"')).toEqual({ kind: "unwrapped", value: "0612", raw: '="0612"' });
    });

    it.each(["5,58199E+12", "5.58199e+12", "1E+10"])("flags %s as digits lost", (raw) => {
      expect(cleanCell(raw)).toEqual({ kind: "digits-lost", value: raw });
    });

    it.each(["Testa", "0612", "N/A Ltd", "-5", " spaced "])("keeps %j as written", (raw) => {
      expect(cleanCell(raw)).toEqual({ kind: "value", value: raw });
    });
  });
});
