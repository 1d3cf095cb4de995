import { describe, expect, it } from "@effect/vitest";

import { redact } from "../../src/cli/Redact.js";

describe("Redact", () => {
  describe("redact", () => {
    it("removes a known secret everywhere", () => {
      const token = "tok-3f9c2a7e";
      expect(redact(`failed with ${token}; retry ${token}`, [token])).toBe(
        "failed with [redacted]; retry [redacted]",
      );
    });

    it("removes token-looking query parameters and headers", () => {
      expect(redact("GET /v1/users?api_token=abc123&limit=5", [])).toBe(
        "GET /v1/users?api_token=[redacted]&limit=5",
      );
      expect(redact('{"x-api-token": "abc123"}', [])).toBe('{"x-api-token": "[redacted]"}');
    });

    it("removes the URL-encoded form of a secret", () => {
      const token = "x+SECRET.(1)*$&";
      expect(redact(`GET /x?q=${encodeURIComponent(token)} failed`, [token])).toBe(
        "GET /x?q=[redacted] failed",
      );
    });

    it("removes a JSON-escaped secret", () => {
      const token = 'tok"3f9c/2a7e';
      expect(redact(`{"error":${JSON.stringify(token)}}`, [token])).toBe('{"error":"[redacted]"}');
    });

    it("ignores unset and very short secrets", () => {
      expect(redact("a b c", [undefined, "b"])).toBe("a b c");
    });
  });
});
