import { describe, expect, it } from "@effect/vitest";

import { FingerprintSet } from "../../src/internal/FingerprintSet.js";

describe("FingerprintSet", () => {
  it("tells new strings from repeated ones across growth", () => {
    const set = new FingerprintSet();
    for (let i = 0; i < 50_000; i += 1) expect(set.add(`id-${i}`)).toBe(true);
    expect(set.size).toBe(50_000);
    expect(set.add("id-0")).toBe(false);
    expect(set.add("id-49999")).toBe(false);
    expect(set.has("id-123")).toBe(true);
    expect(set.has("id-50000")).toBe(false);
    expect(set.size).toBe(50_000);
  });
});
