import { describe, expect, it } from "@effect/vitest";

import { FingerprintSet } from "../../src/internal/FingerprintSet.js";

describe("FingerprintSet", () => {
  // With a table of 1,024 slots, 512 entries fit in memory and the rest go to the overflow
  // database.
  it.each([
    ["across growth", undefined, 50_000],
    ["in the overflow", 1024, 5_000],
  ])("tells new strings from repeated ones %s", (_case, maxSlots, count) => {
    const set = new FingerprintSet(maxSlots);
    for (let i = 0; i < count; i += 1) expect(set.add(`id-${i}`)).toBe(true);
    expect(set.size).toBe(count);
    expect(set.add("id-0")).toBe(false);
    expect(set.add(`id-${count - 1}`)).toBe(false);
    expect(set.has("id-123")).toBe(true);
    expect(set.has(`id-${count - 10}`)).toBe(true);
    expect(set.has(`id-${count}`)).toBe(false);
    expect(set.size).toBe(count);
  });

  it("answers as a set without the cap", () => {
    const capped = new FingerprintSet(1024);
    const whole = new FingerprintSet();
    const values = Array.from({ length: 3_000 }, (_, i) => `value-${(i * 7919) % 1_700}`);
    expect(values.map((value) => capped.add(value))).toEqual(
      values.map((value) => whole.add(value)),
    );
    expect(capped.size).toBe(whole.size);
  });
});
