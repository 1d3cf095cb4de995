/**
 * Reading an object-mode stream in batches: each step takes every object the stream has
 * buffered, so a consumer pays one promise per batch rather than one per object.
 *
 * fast-csv pushes all rows of an input chunk in one go, so a batch is the rows of about one
 * chunk. The end and error handling follow the async iterator of Node's `Readable`: objects
 * buffered before the end are returned, a stream destroyed by an error returns no more objects,
 * and the error is thrown once the buffer is empty.
 */
import { finished, type Readable } from "node:stream";

/**
 * Iterates the objects of a readable stream in batches of what it has buffered, in order. The
 * stream is destroyed when the iteration ends, by completion, by an error or by the consumer.
 *
 * @throws the stream's error, after the objects read before it.
 */
export async function* readBatches<T>(stream: Readable): AsyncGenerator<Array<T>> {
  let wake: (() => void) | undefined;
  const notify = () => {
    const resolve = wake;
    wake = undefined;
    resolve?.();
  };
  // The outcome is undefined while the stream runs, null after a clean end, and the error after a
  // failure.
  let outcome: unknown;
  stream.on("readable", notify);
  const stopWatching = finished(stream, { writable: false }, (error) => {
    outcome = error ?? null;
    notify();
  });

  try {
    for (;;) {
      const batch: Array<T> = [];
      while (!stream.destroyed) {
        const item = stream.read() as T | null;
        if (item === null) break;
        batch.push(item);
      }

      if (batch.length > 0) yield batch;
      else if (outcome === null) return;
      else if (outcome !== undefined) throw outcome;
      else await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    stream.off("readable", notify);
    stopWatching();
    stream.destroy();
  }
}
