import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { BurstPacer, type BurstSlot, readRateLimitHeaders } from "../src/BurstPacer.js";
import { maxInWindow } from "./support/latencyProxy.js";

/** Delays of one simulated request, in milliseconds. */
interface Latency {
  /** From send to the server's stamp. */
  readonly up: number;
  /** From the server's stamp to the response. */
  readonly down: number;
}

/**
 * Runs `requests` requests through a pacer on a simulated clock, `workers` at a time, each
 * worker sending its next request as soon as its response arrives. Returns the server's stamps
 * and send times, in the order they happened.
 */
const simulate = (options: {
  readonly pacer: BurstPacer;
  readonly workers: number;
  readonly requests: number;
  readonly latency: (index: number) => Latency;
}) => {
  type Event = { time: number; slot?: BurstSlot };
  const events: Array<Event> = Array.from({ length: options.workers }, () => ({ time: 0 }));
  const stamps: Array<number> = [];
  const sends: Array<number> = [];

  while (events.length > 0 && sends.length < options.requests) {
    events.sort((a, b) => a.time - b.time);
    const event = events.shift() as Event;
    if (event.slot !== undefined) {
      options.pacer.release(event.slot, event.time);
      events.push({ time: event.time });
      continue;
    }

    const slot = options.pacer.acquire(event.time);
    if (typeof slot === "number") {
      events.push({ time: event.time + slot });
      continue;
    }
    const { up, down } = options.latency(sends.length);
    sends.push(event.time);
    stamps.push(event.time + up);
    events.push({ time: event.time + up + down, slot });
  }
  return { stamps: stamps.sort((a, b) => a - b), sends };
};

describe("BurstPacer", () => {
  describe("reserve", () => {
    it("admits the limit within one window", () => {
      const pacer = new BurstPacer({ limit: 3, windowMs: 2000, marginMs: 0 });
      expect([pacer.reserve(0), pacer.reserve(10), pacer.reserve(20)]).toEqual([0, 0, 0]);
      expect(pacer.reserve(30)).toBe(1970);
    });

    it("frees a slot a window and margin after it", () => {
      const pacer = new BurstPacer({ limit: 2, windowMs: 2000, marginMs: 100 });
      pacer.reserve(0);
      pacer.reserve(500);
      expect(pacer.reserve(2099)).toBe(1);
      expect(pacer.reserve(2100)).toBe(0);
      expect(pacer.reserve(2101)).toBe(499);
    });
  });

  describe("acquire", () => {
    it("counts a slot from its response", () => {
      const pacer = new BurstPacer({ limit: 1, windowMs: 100, marginMs: 0 });
      const slot = pacer.acquire(0);
      expect(typeof slot).toBe("object");
      expect(pacer.acquire(500)).toBe(1);
      pacer.release(slot as BurstSlot, 500);
      expect(pacer.acquire(550)).toBe(50);
      expect(typeof pacer.acquire(600)).toBe("object");
    });

    it("defaults the margin to 3 ms", () => {
      const pacer = new BurstPacer({ limit: 1, windowMs: 1000 });
      pacer.reserve(0);
      expect(pacer.reserve(1002)).toBe(1);
      expect(pacer.reserve(1003)).toBe(0);
    });

    it("never lets the server count more than the limit", () => {
      const latency = fc.record({ up: fc.nat(400), down: fc.nat(400) });
      fc.assert(
        fc.property(
          fc.array(latency, { minLength: 1, maxLength: 40 }),
          fc.integer({ min: 1, max: 30 }),
          fc.integer({ min: 1, max: 25 }),
          (latencies, workers, limit) => {
            const windowMs = 1000;
            const pacer = new BurstPacer({ limit, windowMs, marginMs: 0 });
            const { stamps } = simulate({
              pacer,
              workers,
              requests: 150,
              latency: (index) => latencies[index % latencies.length] as Latency,
            });
            expect(stamps.length).toBe(150);
            expect(maxInWindow(stamps, windowMs)).toBeLessThanOrEqual(limit);
          },
        ),
        { numRuns: 100 },
      );
    });

    it.each([
      { latencyMs: 0, workers: 1 },
      { latencyMs: 10, workers: 4 },
      { latencyMs: 100, workers: 4 },
      { latencyMs: 100, workers: 8 },
      { latencyMs: 400, workers: 20 },
    ])("fills the window at $latencyMs ms and $workers workers", ({ latencyMs, workers }) => {
      const windowMs = 1000;
      const horizonMs = 100 * windowMs;
      const pacer = new BurstPacer({ limit: 20, windowMs });
      const { sends, stamps } = simulate({
        pacer,
        workers,
        requests: 5000,
        latency: () => ({ up: latencyMs / 2, down: latencyMs / 2 }),
      });

      // Each slot goes round once per window, margin and round trip, after the first window.
      const cycleMs = windowMs + 3 + latencyMs;
      const sent = sends.filter((time) => time < horizonMs).length;
      expect(sent).toBeGreaterThanOrEqual(Math.floor((20 * (horizonMs - windowMs)) / cycleMs));
      expect(maxInWindow(stamps, windowMs)).toBe(20);
    });

    it("asks again soon when every slot is in flight", () => {
      const pacer = new BurstPacer({ limit: 2, windowMs: 1000 });
      pacer.acquire(0);
      pacer.acquire(0);
      expect(pacer.acquire(5)).toBe(10);
    });
  });

  describe("cancel", () => {
    it("gives the slot back", () => {
      const pacer = new BurstPacer({ limit: 1, windowMs: 1000 });
      const slot = pacer.acquire(0);
      pacer.cancel(slot as BurstSlot);
      expect(typeof pacer.acquire(0)).toBe("object");
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

    it("counts requests of another client", () => {
      const pacer = new BurstPacer({ limit: 20, windowMs: 1000, marginMs: 0 });
      const slot = pacer.acquire(0) as BurstSlot;
      pacer.observe({ limit: 20, remaining: 7 }, 10, slot);
      pacer.release(slot, 10);

      const admitted = Array.from({ length: 20 }, () => pacer.acquire(20));
      expect(admitted.filter((result) => typeof result === "object")).toHaveLength(7);
      expect(admitted.at(-1)).toBe(990);
    });

    it("counts other requests once across responses", () => {
      const pacer = new BurstPacer({ limit: 20, windowMs: 1000, marginMs: 0 });
      for (const time of [0, 10, 20]) {
        const slot = pacer.acquire(time) as BurstSlot;
        pacer.observe({ limit: 20, remaining: 14 - time / 10 }, time + 5, slot);
        pacer.release(slot, time + 5);
      }

      const admitted = Array.from({ length: 20 }, () => pacer.acquire(30));
      expect(admitted.filter((result) => typeof result === "object")).toHaveLength(12);
    });

    it("finds no other client in its own full window", () => {
      const pacer = new BurstPacer({ limit: 20, windowMs: 1000, marginMs: 0 });
      for (let index = 0; index < 20; index++) {
        const slot = pacer.acquire(index) as BurstSlot;
        pacer.observe({ limit: 20, remaining: 19 - index }, index + 1, slot);
        pacer.release(slot, index + 1);
      }

      expect(pacer.acquire(1000)).toBe(1);
      expect(typeof pacer.acquire(1001)).toBe("object");
      expect(typeof pacer.acquire(1002)).toBe("object");
    });
  });

  describe("block", () => {
    it("holds every request until the wait ends", () => {
      const pacer = new BurstPacer({ limit: 20, windowMs: 2000 });
      pacer.block(1000, 1500);
      expect(pacer.reserve(1000)).toBe(1500);
      expect(pacer.reserve(2500)).toBe(0);
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
