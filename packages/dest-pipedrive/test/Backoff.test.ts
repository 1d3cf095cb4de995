import { describe, expect, it } from "vitest";

import { backoffDelay } from "../src/Backoff.js";

const policy = { baseMs: 500, capMs: 8_000 };

describe("Backoff", () => {
  describe("backoffDelay", () => {
    it("doubles per retry between half and all of the ceiling", () => {
      expect(backoffDelay(policy, 0, 0, 0)).toBe(250);
      expect(backoffDelay(policy, 0, 0, 0.999)).toBe(500);
      expect(backoffDelay(policy, 2, 0, 0)).toBe(1000);
      expect(backoffDelay(policy, 2, 0, 0.5)).toBe(1500);
    });

    it("caps the ceiling", () => {
      expect(backoffDelay(policy, 10, 0, 0.999)).toBe(7996);
    });

    it("never waits less than requested", () => {
      expect(backoffDelay(policy, 0, 2_000, 0.5)).toBe(2_000);
    });
  });
});
