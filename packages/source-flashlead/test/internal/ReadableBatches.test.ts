import { Readable } from "node:stream";

import { describe, expect, it } from "@effect/vitest";

import { readBatches } from "../../src/internal/ReadableBatches.js";

/** Collects every batch of a stream, and the error that ends it, if any. */
const collect = async (stream: Readable) => {
  const batches: Array<Array<number>> = [];
  try {
    for await (const batch of readBatches<number>(stream)) batches.push(batch);
    return { batches, error: undefined };
  } catch (error) {
    return { batches, error };
  }
};

describe("ReadableBatches", () => {
  describe("readBatches", () => {
    it("returns the buffered objects in one batch", async () => {
      const stream = new Readable({ objectMode: true, read() {} });
      for (let n = 1; n <= 5; n += 1) stream.push(n);
      stream.push(null);

      const { batches, error } = await collect(stream);
      expect(error).toBeUndefined();
      expect(batches).toEqual([[1, 2, 3, 4, 5]]);
    });

    it("keeps order across pushes made later", async () => {
      let next = 0;
      const stream = new Readable({
        objectMode: true,
        read() {
          setImmediate(() => {
            next += 1;
            this.push(next <= 100 ? next : null);
          });
        },
      });

      const { batches, error } = await collect(stream);
      expect(error).toBeUndefined();
      expect(batches.flat()).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
      expect(batches.every((batch) => batch.length > 0)).toBe(true);
    });

    it("throws the error after the objects before it", async () => {
      const stream = new Readable({ objectMode: true, read() {} });
      stream.push(1);
      stream.push(2);
      setImmediate(() => stream.destroy(new Error("disk failed")));

      const { batches, error } = await collect(stream);
      expect(batches.flat()).toEqual([1, 2]);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toBe("disk failed");
    });

    it("destroys the stream when the consumer stops", async () => {
      const stream = new Readable({ objectMode: true, read() {} });
      stream.push(1);

      for await (const batch of readBatches<number>(stream)) {
        expect(batch).toEqual([1]);
        break;
      }
      expect(stream.destroyed).toBe(true);
    });

    it("ends on an empty stream", async () => {
      const stream = Readable.from([], { objectMode: true });

      const { batches, error } = await collect(stream);
      expect(error).toBeUndefined();
      expect(batches).toEqual([]);
    });
  });
});
