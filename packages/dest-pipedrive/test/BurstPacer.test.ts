import { describe, expect, it } from "vitest";

import { BurstPacer, readRateLimitHeaders } from "../src/BurstPacer.js";

describe("BurstPacer", () => {
  describe("reserve", () => {
    it("admits the limit within one window", () => {
      const pacer = new BurstPacer({ limit: 3, windowMs: 2000, marginMs: 0 });
      expect([pacer.reserve(0), pacer.reserve(10), pacer.reserve(20)]).toEqual([0, 0, 0]);
      expect(pacer.reserve(30)).toBe(1970);
    });

    it("frees a slot when the oldest request leaves the window", () => {
      const pacer = new BurstPacer({ limit: 2, windowMs: 2000, marginMs: 100 });
      pacer.reserve(0);
      pacer.reserve(500);
      expect(pacer.reserve(2099)).toBe(1);
      expect(pacer.reserve(2100)).toBe(0);
      expect(pacer.reserve(2101)).toBe(499);
    });

    it("never admits more than the limit in any rolling window", () => {
      const pacer = new BurstPacer({ limit: 20, windowMs: 2000 });
      const sent: Array<number> = [];
      for (let now = 0; now < 20_000; now += 7) {
        if (pacer.reserve(now) === 0) sent.push(now);
      }
      for (const start of sent) {
        const inWindow = sent.filter((time) => time >= start && time < start + 2000);
        expect(inWindow.length).toBeLessThanOrEqual(20);
      }
      expect(sent.length).toBeGreaterThan(150);
    });
  });

  describe("acquire", () => {
    it("counts a slot from its response", () => {
      const pacer = new BurstPacer({ limit: 1, windowMs: 100, marginMs: 0 });
      const slot = pacer.acquire(0);
      expect(typeof slot).toBe("object");
      expect(pacer.acquire(500)).toBe(5);
      pacer.release(slot as object, 500);
      expect(pacer.acquire(550)).toBe(50);
      expect(typeof pacer.acquire(600)).toBe("object");
    });
  });

  describe("observe", () => {
    it("lowers the limit to the header's", () => {
      const pacer = new BurstPacer({ limit: 20, windowMs: 2000 });
      pacer.observe({ limit: 10 }, 0);
      expect(pacer.limit).toBe(10);
      pacer.observe({ limit: 40 }, 0);
      expect(pacer.limit).toBe(10);
    });

    it("holds requests until reset when none remain", () => {
      const pacer = new BurstPacer({ limit: 20, windowMs: 2000 });
      pacer.observe({ remaining: 0, resetSeconds: 1.5 }, 1000);
      expect(pacer.reserve(1000)).toBe(1500);
      expect(pacer.reserve(2500)).toBe(0);
    });

    it("caps the reset at the window", () => {
      const pacer = new BurstPacer({ limit: 20, windowMs: 100, marginMs: 5 });
      pacer.observe({ remaining: 0, resetSeconds: 1 }, 0);
      expect(pacer.reserve(0)).toBe(105);
    });
  });

  describe("readRateLimitHeaders", () => {
    it("reads the three headers", () => {
      const headers = new Headers({
        "x-ratelimit-limit": "20",
        "x-ratelimit-remaining": "3",
        "x-ratelimit-reset": "0.5",
      });
      expect(readRateLimitHeaders(headers)).toEqual({ limit: 20, remaining: 3, resetSeconds: 0.5 });
    });

    it("leaves out malformed headers", () => {
      const headers = new Headers({ "x-ratelimit-limit": "many", "x-ratelimit-remaining": "-1" });
      expect(readRateLimitHeaders(headers)).toEqual({});
    });
  });
});
