import { describe, expect, it } from "@effect/vitest";

import { parseBoolean } from "../../src/normalize/parseBoolean.js";

describe("parseBoolean", () => {
  describe("parseBoolean", () => {
    it.each([
      ["Yes", true],
      ["sim", true],
      ["JA", true],
      ["1", true],
      ["não", false],
      ["inactive", false],
      ["0", false],
      ["Nein", false],
    ])("parses %j", (raw, expected) => {
      expect(parseBoolean(raw)).toEqual({ ok: true, value: expected });
    });

    it("rejects words it does not know", () => {
      expect(parseBoolean("maybe").ok).toBe(false);
    });
  });
});
