import { describe, expect, it } from "@effect/vitest";

import { splitTags } from "../../src/transforms/splitTags.js";

describe("splitTags", () => {
  describe("splitTags", () => {
    it.each([
      [" vip; Hot |hot,, expo ", ["vip", "Hot", "expo"]],
      ["vip", ["vip"]],
      ["", []],
      [" , ;| ", []],
      ["a,b;c|d", ["a", "b", "c", "d"]],
      ["Feira 2024, feira 2024", ["Feira 2024"]],
    ])("splits %j", (raw, expected) => {
      expect(splitTags(raw, [",", ";", "|"])).toEqual(expected);
    });

    it("splits only on the separators given", () => {
      expect(splitTags("a,b;c", [";"])).toEqual(["a,b", "c"]);
    });
  });
});
