import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { inspect } from "node:util";
import {
  type DestinationError,
  DestinationErrorReason,
  Progress,
  type ProgressEvent,
} from "@ferry/core";

import { Effect } from "effect";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type ApiRequest, makePipedriveClient } from "../src/PipedriveClient.js";
import { decodePipedriveConfig } from "../src/PipedriveConfig.js";
import {
  type LatencyProfile,
  maxInWindow,
  recordArrivals,
  startLatencyProxy,
} from "./support/latencyProxy.js";
import { startTestSandbox, type TestSandbox } from "./support/sandbox.js";

let env: TestSandbox;
/** A sandbox with a real 2-second window, so raw requests can fill it before the client sends. */
let realTime: TestSandbox;
const token = "0123456789abcdef0123456789abcdef01234567";
const repToken = "89abcdef0123456789abcdef0123456789abcdef";

beforeAll(async () => {
  env = await startTestSandbox({
    plan: "lite",
    timeScale: 50,
    token,
    users: [{ name: "Rep", email: "rep@example.test", isAdmin: false, token: repToken }],
  });
  realTime = await startTestSandbox({ plan: "lite", timeScale: 1, token, blockAfter429s: 3 });
});
afterAll(async () => {
  await env.sandbox.close();
  await realTime.sandbox.close();
});
beforeEach(() => {
  env.sandbox.control.reset();
  realTime.sandbox.control.reset();
});

const get = (path: string): ApiRequest => ({ method: "GET", path, idempotent: true });

/** Fills the token's burst window with raw requests the client does not know about. */
const fillWindow = async (count: number) => {
  await Promise.all(
    Array.from({ length: count }, () =>
      fetch(`${realTime.sandbox.url}/api/v2/deals/1`, { headers: { "x-api-token": token } }).then(
        (response) => response.text(),
      ),
    ),
  );
};

interface Case {
  readonly name: string;
  readonly reason: DestinationErrorReason | "ok";
  readonly calls: number;
  readonly request: ApiRequest;
  readonly setup?: () => Promise<void>;
  readonly apiToken?: string;
  readonly timeoutMs?: number;
  /** Runs against the sandbox with the real 2-second window. */
  readonly realTime?: boolean;
}

const cases: ReadonlyArray<Case> = [
  { name: "400", reason: "validation", calls: 1, request: get("/api/v2/deals/abc") },
  {
    name: "401",
    reason: "unauthorized",
    calls: 1,
    request: get("/api/v2/deals"),
    apiToken: "f".repeat(40),
  },
  {
    name: "403 permission",
    reason: "forbidden",
    calls: 1,
    request: {
      method: "POST",
      path: "/api/v1/activityTypes",
      json: { name: "X", icon_key: "task" },
      idempotent: false,
    },
    apiToken: "rep",
  },
  {
    name: "403 plan cap",
    reason: "plan-cap",
    calls: 1,
    request: {
      method: "POST",
      path: "/api/v2/dealFields",
      json: { field_name: "One more", field_type: "varchar" },
      idempotent: false,
    },
    setup: async () => {
      await env.sandbox.control.seed({
        dealFields: Array.from({ length: 30 }, (_, index) => ({
          field_name: `F${index}`,
          field_type: "varchar",
        })),
      });
    },
  },
  {
    name: "403 HTML block",
    reason: "blocked",
    calls: 1,
    request: get("/api/v2/deals"),
    setup: () => fillWindow(30),
    realTime: true,
  },
  { name: "404", reason: "not-found", calls: 1, request: get("/api/v2/deals/999") },
  {
    name: "429 burst, then success",
    reason: "ok",
    calls: 2,
    request: get("/api/v2/deals"),
    setup: () => fillWindow(20),
    realTime: true,
  },
  {
    name: "429 budget",
    reason: "budget-exhausted",
    calls: 1,
    request: get("/api/v2/deals"),
    setup: async () => env.sandbox.control.setTokensUsed(30_000),
  },
  ...([500, 502, 503] as const).map((status) => ({
    name: `${status} twice on a read, then success`,
    reason: "ok" as const,
    calls: 3,
    request: get("/api/v2/deals"),
    setup: async () =>
      env.sandbox.control.setFaults([{ kind: "status", status, count: 2, path: "/deals" }]),
  })),
  {
    name: "500 on every read",
    reason: "server",
    calls: 5,
    request: get("/api/v2/deals"),
    setup: async () =>
      env.sandbox.control.setFaults([{ kind: "status", status: 500, path: "/deals" }]),
  },
  {
    name: "500 on a create",
    reason: "server",
    calls: 1,
    request: {
      method: "POST",
      path: "/api/v2/organizations",
      json: { name: "X" },
      idempotent: false,
    },
    setup: async () =>
      env.sandbox.control.setFaults([{ kind: "status", status: 500, path: "/organizations" }]),
  },
  {
    name: "timeout, then success",
    reason: "ok",
    calls: 2,
    request: get("/api/v2/deals"),
    timeoutMs: 200,
    setup: async () =>
      env.sandbox.control.setFaults([{ kind: "hang", count: 1, delayMs: 2_000, path: "/deals" }]),
  },
  {
    name: "dropped connection, then success",
    reason: "ok",
    calls: 2,
    request: get("/api/v2/deals"),
    setup: async () =>
      env.sandbox.control.setFaults([{ kind: "drop-after-commit", count: 1, path: "/deals" }]),
  },
  {
    name: "dropped connection on a create",
    reason: "transport",
    calls: 1,
    request: {
      method: "POST",
      path: "/api/v2/organizations",
      json: { name: "X" },
      idempotent: false,
    },
    setup: async () =>
      env.sandbox.control.setFaults([
        { kind: "drop-after-commit", count: 1, path: "/organizations" },
      ]),
  },
];

const tokenOf = (user: string | undefined): string => {
  if (user === "rep") return repToken;
  return user ?? token;
};

describe("PipedriveClient", () => {
  describe("request", () => {
    it.each(cases)("classifies $name as $reason after $calls calls", async (testCase) => {
      await testCase.setup?.();
      const apiToken = tokenOf(testCase.apiToken);
      const target = testCase.realTime === true ? realTime : env;
      const client = target.destination({
        apiToken,
        ...(testCase.timeoutMs === undefined ? {} : { timeoutMs: testCase.timeoutMs }),
      }).client;

      const outcome = await Effect.runPromise(Effect.either(client.request(testCase.request)));
      expect(client.stats.requests).toBe(testCase.calls);

      if (testCase.reason === "ok") {
        expect(outcome._tag).toBe("Right");
        return;
      }
      expect(outcome._tag).toBe("Left");
      const error = (outcome as { left: DestinationError }).left;
      expect(error.reason).toBe(testCase.reason);
      expect(error.message).toContain(testCase.request.path);
      expect(error.message).not.toContain(apiToken);
      expect(String(error.url)).not.toContain(apiToken);
      expect(JSON.stringify(error)).not.toContain(apiToken);
    });

    it("names the budget reset in the message", async () => {
      env.sandbox.control.setTokensUsed(30_000);
      const client = env.destination().client;
      const error = await Effect.runPromise(Effect.flip(client.request(get("/api/v2/deals"))));
      expect(error.haltsRun).toBe(true);
      expect(error.message).toMatch(/resets at \d{4}-\d{2}-\d{2}T/);
      expect(DestinationErrorReason.literals).toContain(error.reason);
    });

    it("reports the wait after a 429 as progress", async () => {
      await fillWindow(20);
      const client = realTime.destination().client;
      const events: Array<ProgressEvent> = [];
      await Effect.runPromise(
        client
          .request(get("/api/v2/deals"))
          .pipe(Effect.provide(Progress.fromCallback((event) => events.push(event)))),
      );
      const waits = events.filter((event) => event._tag === "RateLimitWait");
      expect(waits.map((event) => event._tag === "RateLimitWait" && event.reason)).toEqual([
        "rate-limited",
      ]);
      expect(client.stats.rateLimited).toBe(1);
    });

    it("reports a wait for the burst window as progress", async () => {
      const paced = await startTestSandbox({ plan: "lite", timeScale: 4, token });
      try {
        const client = paced.destination({ concurrency: 8 }).client;
        const events: Array<ProgressEvent> = [];
        await Effect.runPromise(
          Effect.forEach(Array.from({ length: 21 }), () => client.request(get("/api/v2/deals")), {
            concurrency: 21,
          }).pipe(Effect.provide(Progress.fromCallback((event) => events.push(event)))),
        );
        const reasons = events.map((event) => (event._tag === "RateLimitWait" ? event.reason : ""));
        expect(reasons).toContain("burst-window");
        expect(paced.sandbox.control.metrics().rateLimited).toBe(0);
      } finally {
        await paced.sandbox.close();
      }
    });
  });

  describe("request pacing", () => {
    /** Lite's 20 requests per window, with the window shrunk to 200 ms. */
    const timeScale = 10;
    const windowMs = 2000 / timeScale;
    let paced: TestSandbox;
    let port: number;

    beforeAll(async () => {
      paced = await startTestSandbox({ plan: "lite", timeScale, token, seats: 5 });
      port = Number(new URL(paced.sandbox.url).port);
    });
    afterAll(async () => {
      await paced.sandbox.close();
    });
    beforeEach(() => {
      paced.sandbox.control.reset();
    });

    /** Sends `count` copies of each request, `concurrency` at a time, and records arrivals. */
    const sendAll = async (
      client: ReturnType<TestSandbox["destination"]>["client"],
      requests: ReadonlyArray<ApiRequest>,
      count: number,
      concurrency: number,
    ) => {
      const recording = recordArrivals(port);
      const calls = Array.from({ length: count }).flatMap(() => requests);
      const outcomes = await Effect.runPromise(
        Effect.forEach(calls, (call) => Effect.either(client.request(call)), { concurrency }),
      );
      return { outcomes, arrivals: recording.stop() };
    };

    const profiles: ReadonlyArray<LatencyProfile & { readonly name: string }> = [
      { name: "no delay", maxUpMs: 0, maxDownMs: 0, seed: 1 },
      { name: "slow arrivals", maxUpMs: 40, maxDownMs: 2, seed: 2 },
      { name: "slow responses", maxUpMs: 2, maxDownMs: 40, seed: 3 },
      { name: "both slow", maxUpMs: 60, maxDownMs: 60, seed: 4 },
    ];

    it.each(profiles)("meets no 429 with $name", async (profile) => {
      const proxy = await startLatencyProxy(paced.sandbox.url, profile);
      try {
        const client = paced.destination({ baseUrl: proxy.url, concurrency: 8 }).client;
        const { outcomes, arrivals } = await sendAll(client, [get("/api/v2/deals")], 80, 8);

        expect(outcomes.filter((outcome) => outcome._tag === "Right")).toHaveLength(80);
        expect(paced.sandbox.control.metrics().rateLimited).toBe(0);
        expect(arrivals).toHaveLength(80);
        expect(maxInWindow(arrivals, windowMs)).toBeLessThanOrEqual(20);
      } finally {
        await proxy.close();
      }
    });

    it("shares the window with another client", async () => {
      const others = await Promise.all(
        Array.from({ length: 8 }, () =>
          fetch(`${paced.sandbox.url}/api/v2/deals`, { headers: { "x-api-token": token } }).then(
            (response) => response.status,
          ),
        ),
      );
      expect(others).toEqual(Array.from({ length: 8 }, () => 200));

      const client = paced.destination({ concurrency: 2 }).client;
      const { outcomes } = await sendAll(client, [get("/api/v2/deals")], 40, 2);
      expect(outcomes.filter((outcome) => outcome._tag === "Right")).toHaveLength(40);
      expect(client.stats.rateLimited).toBe(0);
      expect(paced.sandbox.control.metrics().rateLimited).toBe(0);
    });

    it("counts a search in the general window", async () => {
      const search: ApiRequest = {
        method: "GET",
        path: "/api/v2/persons/search",
        searchParams: { term: "Ada" },
        idempotent: true,
      };
      const client = paced.destination({ concurrency: 8 }).client;
      const { outcomes, arrivals } = await sendAll(client, [search, get("/api/v2/deals")], 20, 8);

      expect(outcomes.filter((outcome) => outcome._tag === "Right")).toHaveLength(40);
      expect(paced.sandbox.control.metrics().rateLimited).toBe(0);
      expect(maxInWindow(arrivals, windowMs)).toBeLessThanOrEqual(20);
    });
  });

  describe("request redaction", () => {
    /** A server that echoes the request's token back in every response, as some APIs do. */
    let echo: Server;
    let echoUrl: string;

    beforeAll(async () => {
      echo = createServer((request, response) => {
        const echoed = String(request.headers["x-api-token"]);
        const status = Number(request.url?.match(/status=(\d+)/)?.[1] ?? 200);
        if (request.url?.includes("text")) {
          response.writeHead(status, { "content-type": "text/plain" });
          response.end(`bad token ${echoed}`);
          return;
        }
        response.writeHead(status, { "content-type": "application/json" });
        response.end(
          JSON.stringify({
            success: status < 400,
            error: `Validation failed: name: token ${echoed} is not allowed here`,
            error_info: `echo ${encodeURIComponent(echoed)}`,
            data: { id: 1, name: echoed },
          }),
        );
      });
      await new Promise<void>((resolve) => echo.listen(0, "127.0.0.1", resolve));
      echoUrl = `http://127.0.0.1:${(echo.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((resolve) => echo.close(() => resolve())));

    const echoClient = () =>
      makePipedriveClient(
        Effect.runSync(
          decodePipedriveConfig({
            baseUrl: echoUrl,
            apiToken: token,
            plan: "lite",
            seats: 1,
            timeScale: 50,
            maxAttempts: 1,
          }),
        ),
      );

    it.each([
      { status: 400, reason: "validation" },
      { status: 403, reason: "forbidden" },
    ])("removes an echoed token from a $status error", async ({ status, reason }) => {
      const request = get(`/api/v2/persons?status=${status}`);
      const error = await Effect.runPromise(Effect.flip(echoClient().request(request)));

      expect(error.reason).toBe(reason);
      expect(error.apiMessage).toBe(
        "Validation failed: name: token [redacted] is not allowed here (echo [redacted])",
      );
      expect(error.message).not.toContain(token);
      expect(inspect(error, { depth: 20, showHidden: true })).not.toContain(token);
      expect(JSON.stringify(error)).not.toContain(token);
    });

    it("removes an echoed token from a text error", async () => {
      const request = get("/api/v2/persons?status=400&text");
      const error = await Effect.runPromise(Effect.flip(echoClient().request(request)));

      expect(error.apiMessage).toBe("bad token [redacted]");
    });

    it("removes an echoed token from a successful body", async () => {
      const response = await Effect.runPromise(echoClient().request(get("/api/v2/persons/1")));

      expect(response.body).toMatchObject({ data: { id: 1, name: "[redacted]" } });
      expect(JSON.stringify(response.body)).not.toContain(token);
    });
  });
});
