// Peak memory of a task, from process.memoryUsage() sampled every 20 ms. A peak shorter than
// the sampling interval can be missed.

/** Runs `task` while sampling memory, and returns its result, wall time and peak RSS and heap. */
export const measure = async (task) => {
  globalThis.gc?.();
  const start = process.memoryUsage();
  let peakRss = start.rss;
  let peakHeap = start.heapUsed;
  const sample = () => {
    const usage = process.memoryUsage();
    peakRss = Math.max(peakRss, usage.rss);
    peakHeap = Math.max(peakHeap, usage.heapUsed);
  };
  const sampler = setInterval(sample, 20);

  const started = process.hrtime.bigint();
  try {
    const result = await task();
    sample();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return { result, seconds, peakRss, peakHeap, startRss: start.rss };
  } finally {
    clearInterval(sampler);
  }
};
