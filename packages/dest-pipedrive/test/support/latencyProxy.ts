/**
 * An HTTP proxy on 127.0.0.1 that delays each request before it reaches the sandbox and each
 * response before it reaches the client. A test can so move the moment the sandbox stamps a
 * request anywhere between the client's send and its response. Arrivals at the sandbox are
 * recorded too, because the sandbox's rate limiter counts a request when it arrives.
 */
import { subscribe, unsubscribe } from "node:diagnostics_channel";
import { createServer, request as httpRequest, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

import { seededRandom } from "../../src/sandbox/Faults.js";

/** Delays of the proxy, each drawn uniformly from 0 to the maximum, in milliseconds. */
export interface LatencyProfile {
  readonly maxUpMs: number;
  readonly maxDownMs: number;
  readonly seed: number;
}

/** A running proxy. */
export interface LatencyProxy {
  readonly url: string;
  readonly close: () => Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const readAll = async (stream: IncomingMessage): Promise<Buffer> => {
  const chunks: Array<Buffer> = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
};

/** Starts a proxy in front of `target` (an `http://127.0.0.1:<port>` URL). */
export const startLatencyProxy = async (
  target: string,
  profile: LatencyProfile,
): Promise<LatencyProxy> => {
  const random = seededRandom(profile.seed);
  const targetUrl = new URL(target);

  const server = createServer(async (incoming, outgoing) => {
    const upMs = random() * profile.maxUpMs;
    const downMs = random() * profile.maxDownMs;
    const body = await readAll(incoming);
    await sleep(upMs);

    const forwarded = httpRequest({
      host: targetUrl.hostname,
      port: targetUrl.port,
      method: incoming.method,
      path: incoming.url,
      headers: { ...incoming.headers, host: targetUrl.host },
    });
    forwarded.on("response", async (response) => {
      const answer = await readAll(response);
      await sleep(downMs);
      outgoing.writeHead(response.statusCode ?? 502, response.headers);
      outgoing.end(answer);
    });
    forwarded.on("error", () => outgoing.destroy());
    forwarded.end(body);
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};

/**
 * Starts recording when API requests (not `/__sandbox/` control calls) arrive at the server
 * listening on `port`. `stop()` ends it and returns the times in milliseconds, in order.
 */
export const recordArrivals = (port: number): { readonly stop: () => Array<number> } => {
  const times: Array<number> = [];
  const onStart = (message: unknown) => {
    const { request } = message as { request: IncomingMessage };
    if (request.socket.localPort !== port) return;
    if ((request.url ?? "").startsWith("/__sandbox/")) return;
    times.push(performance.now());
  };
  subscribe("http.server.request.start", onStart);
  return {
    stop: () => {
      unsubscribe("http.server.request.start", onStart);
      return times;
    },
  };
};

/** Returns the maximum number of times in any window `(t - windowMs, t]`, as the sandbox counts. */
export const maxInWindow = (times: ReadonlyArray<number>, windowMs: number): number => {
  let max = 0;
  let start = 0;
  for (let end = 0; end < times.length; end++) {
    while ((times[start] ?? 0) <= (times[end] ?? 0) - windowMs) start++;
    max = Math.max(max, end - start + 1);
  }
  return max;
};
