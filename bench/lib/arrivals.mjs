// Arrival times of the HTTP requests that servers in this process receive, from Node's
// `http.server.request.start` diagnostics channel. The sandbox's rate limiter stamps a request
// when it arrives, so these times are what its burst window counts. Control API requests
// (`/__sandbox/`) are left out.
import { subscribe, unsubscribe } from "node:diagnostics_channel";

/** Starts recording; `stop()` ends it and returns the arrival times in milliseconds. */
export const recordArrivals = () => {
  const times = [];
  const onStart = ({ request }) => {
    if (!request.url.startsWith("/__sandbox/")) times.push(performance.now());
  };
  subscribe("http.server.request.start", onStart);
  return {
    stop: () => {
      unsubscribe("http.server.request.start", onStart);
      return times;
    },
  };
};

/**
 * Requests per burst window: the largest count in any rolling window of `windowMs`, the mean
 * over the span from the first to the last arrival, and how many windows, aligned to the first
 * arrival, were full, at least half full, less than half full and empty.
 */
export const windowStats = (times, windowMs, limit) => {
  if (times.length === 0) return { requests: 0, spanMs: 0, maxPerWindow: 0, meanPerWindow: 0 };
  let maxPerWindow = 0;
  let end = 0;
  for (let start = 0; start < times.length; start++) {
    while (end < times.length && times[end] < times[start] + windowMs) end++;
    maxPerWindow = Math.max(maxPerWindow, end - start);
  }
  const first = times[0];
  const spanMs = times[times.length - 1] - first;
  const windows = new Map();
  for (const time of times) {
    const index = Math.floor((time - first) / windowMs);
    windows.set(index, (windows.get(index) ?? 0) + 1);
  }
  const count = Math.floor(spanMs / windowMs) + 1;
  const counts = [...windows.values()];
  const full = counts.filter((n) => n >= limit).length;
  const half = counts.filter((n) => n < limit && n >= limit / 2).length;
  return {
    requests: times.length,
    spanMs,
    maxPerWindow,
    meanPerWindow: times.length / Math.max(1, spanMs / windowMs),
    windows: count,
    fullWindows: full,
    emptyWindows: count - windows.size,
    halfFullWindows: half,
    lowWindows: windows.size - full - half,
  };
};
