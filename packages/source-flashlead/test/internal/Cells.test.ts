import { describe, expect, it } from "@effect/vitest";

import { cleanCell, isPlainCell, placeholders } from "../../src/internal/Cells.js";

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

  describe("isPlainCell", () => {
    it.each(["", "Testa", "ana@example.test", "Won", "Fictionville", "x ", "hot, event"])(
      "calls %j plain",
      (raw) => {
        expect(isPlainCell(raw)).toBe(true);
      },
    );

    it.each([" x", "\u00a0x", "\ufeffx", "Élan", "=1", "+33", "-", "7", "N/A", "nil", "(blank)"])(
      "sends %j to cleanCell",
      (raw) => {
        expect(isPlainCell(raw)).toBe(false);
      },
    );

    it("never passes a cell that cleanCell changes", () => {
      const samples = [
        ...[...placeholders].flatMap((p) => [p, p.toUpperCase(), ` ${p}`, `${p}\t`]),
        '="0612"',
        "5,58199E+12",
        "1e5",
        "+1E+3",
        "  ",
        "\t",
        "\r\n",
        "\u3000",
      ];
      for (const raw of samples) {
        const cleaned = cleanCell(raw);
        const isKept = cleaned.kind === "value" && cleaned.value === raw;
        if (!isKept) expect(isPlainCell(raw), JSON.stringify(raw)).toBe(false);
      }
    });
  });
});
