import { describe, expect, it } from "@effect/vitest";

import { detectDelimiter } from "../../src/internal/Delimiter.js";

describe("Delimiter", () => {
  describe("detectDelimiter", () => {
    const cases: ReadonlyArray<[string, string, string]> = [
      ["comma", "a,b,c\n1,2,3\n", ","],
      ["semicolon with decimal commas", "a;b;c\n1,5;2,5;3\n4;5,1;6\n", ";"],
      ["tab", "a\tb\n1\t2\n", "\t"],
      ["pipe", "a|b\n1|2\n", "|"],
      ["comma with quoted semicolons", 'a,b\n"x;y;z",2\n', ","],
      ["semicolon with quoted line breaks", 'a;b\n"x\n,y";2\n3;4\n', ";"],
      ["a single column", "name\nTesta\n", ","],
      ["an Excel sep= hint", "sep=|\r\na;b,c\n1;2,3\n", "|"],
    ];

    it.each(cases)("detects %s", (_, text, delimiter) => {
      expect(detectDelimiter(text)).toBe(delimiter);
    });
  });
});
