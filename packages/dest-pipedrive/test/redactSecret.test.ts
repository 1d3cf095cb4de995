import { describe, expect, it } from "vitest";

import { redactText, redactValue, secretPattern } from "../src/redactSecret.js";

const token = 'x+SECRET.(1)*$&/"é';

describe("redactSecret", () => {
  describe("redactText", () => {
    const pattern = secretPattern(token);
    const forms: ReadonlyArray<readonly [string, string]> = [
      ["plain", token],
      ["encodeURIComponent", encodeURIComponent(token)],
      ["encodeURI", encodeURI(token)],
      ["form encoding", new URLSearchParams({ t: token }).toString().slice(2)],
      ["double percent-encoding", encodeURIComponent(encodeURIComponent(token))],
      ["lower-case percent-encoding", encodeURIComponent(token).toLowerCase()],
      ["JSON string", JSON.stringify(token).slice(1, -1)],
      [
        "JSON with every character escaped",
        [...token].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`).join(""),
      ],
      ["HTML", token.replaceAll("&", "&amp;").replaceAll('"', "&quot;")],
      ["HTML numeric", [...token].map((c) => `&#${c.codePointAt(0)};`).join("")],
      ["upper case", token.toUpperCase()],
      ["base64", Buffer.from(token).toString("base64")],
      ["base64url", Buffer.from(token).toString("base64url")],
    ];

    it.each(forms)("removes the %s form", (_name, form) => {
      const text = `token ${form} is not allowed here`;
      expect(redactText(text, pattern)).toBe("token [redacted] is not allowed here");
    });

    it("removes every occurrence", () => {
      const hex = "feedc0de".repeat(5);
      const text = `${hex} and ${encodeURIComponent(hex)} and ${hex.toUpperCase()}`;
      expect(redactText(text, secretPattern(hex))).toBe("[redacted] and [redacted] and [redacted]");
    });

    it("keeps text without the secret", () => {
      const text = "Validation failed: name: x+SECRET is not allowed here";
      expect(redactText(text, pattern)).toBe(text);
    });

    it("keeps text when the secret is empty", () => {
      expect(secretPattern("")).toBeUndefined();
      expect(redactText("a b", secretPattern(""))).toBe("a b");
    });
  });

  describe("redactValue", () => {
    it("removes the secret from nested strings and keys", () => {
      const hex = "feedc0de".repeat(5);
      const value = {
        success: false,
        error: `token ${hex}`,
        data: [{ [hex]: 1, name: "Ada", note: encodeURIComponent(hex) }],
        count: 3,
        flag: null,
      };
      expect(redactValue(value, secretPattern(hex))).toEqual({
        success: false,
        error: "token [redacted]",
        data: [{ "[redacted]": 1, name: "Ada", note: "[redacted]" }],
        count: 3,
        flag: null,
      });
    });
  });
});
