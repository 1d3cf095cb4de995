/**
 * Starts a Pipedrive sandbox: an HTTP server on 127.0.0.1 that simulates one Pipedrive company,
 * optionally kept in a state file across restarts.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Schema } from "effect";
import { Account, randomHex40, type SandboxUserSpec } from "./Account.js";
import { seedDefaults } from "./AccountDefaults.js";
import { ApiError } from "./ApiError.js";
import { SandboxControl } from "./Control.js";
import { Faults, seededRandom } from "./Faults.js";
import { sendJson } from "./Http.js";
import { Metrics } from "./Metrics.js";
import { type PlanName, planNames } from "./Plans.js";
import { RateLimiter } from "./RateLimiter.js";
import { handleRequest } from "./Server.js";
import { loadStateFile, StateFileWriter } from "./StateFile.js";
import { Store } from "./Store.js";

/** Options of `startSandbox`. */
export interface SandboxOptions {
  /** Only 127.0.0.1 is accepted; the sandbox never listens elsewhere. */
  readonly host?: string;
  /** TCP port; 0 (the default) picks a free one. */
  readonly port?: number;
  /** API token of the admin user; random when absent. */
  readonly token?: string;
  /** Defaults to growth. */
  readonly plan?: PlanName;
  /** Seats, which multiply the daily budget. Defaults to 1. */
  readonly seats?: number;
  /** Shrinks the 2-second window to 2/X seconds and the day to 86,400/X seconds. Defaults to 1. */
  readonly timeScale?: number;
  /**
   * JSON file that keeps the data across restarts, with a journal beside it (the same path with
   * `.journal` appended) that gets each write before its response is sent.
   */
  readonly statePath?: string;
  /** More users besides the admin, each with its own token. */
  readonly users?: ReadonlyArray<SandboxUserSpec>;
  /** Seed of the fault rules' random generator. */
  readonly faultSeed?: number;
  /** 429s of one token within `blockWindowMs` after which it is blocked with an HTML 403. Default 100. */
  readonly blockAfter429s?: number;
  /** Window that counts 429s, in unscaled milliseconds. Default 60,000. */
  readonly blockWindowMs?: number;
  /** How long a block lasts, in unscaled milliseconds. Default 600,000. */
  readonly blockDurationMs?: number;
  /**
   * Receives errors for which the sandbox returns a 500: a bug in a handler (with the request's
   * method and path), or a failed state file write (with method `WRITE` and the state file's
   * path). The sandbox never writes to the console itself.
   */
  readonly onInternalError?: (error: unknown, method: string, path: string) => void;
}

/** A running sandbox. */
export interface Sandbox {
  /** Base URL such as `http://127.0.0.1:4010`; v2 is under `/api/v2`, v1 under `/v1` and `/api/v1`. */
  readonly url: string;
  readonly port: number;
  /**
   * API token of the admin user: the `token` option, else the admin's token in the state file,
   * else a random one. The control API's HTTP endpoints require it.
   */
  readonly adminToken: string;
  /** API tokens of the users at start, by lowercased e-mail. */
  readonly tokens: Readonly<Record<string, string>>;
  readonly control: SandboxControl;
  /**
   * Writes the whole state to the state file and deletes its journal (when there is one), closes
   * every connection and stops the server.
   */
  readonly close: () => Promise<void>;
}

/** The options of `startSandbox` are invalid. */
export class SandboxOptionError extends Schema.TaggedError<SandboxOptionError>()(
  "SandboxOptionError",
  {
    option: Schema.String,
    value: Schema.String,
    detail: Schema.String,
  },
) {
  override get message(): string {
    return `Invalid sandbox option ${this.option}=${this.value}: ${this.detail}`;
  }
}

const checkOptions = (options: SandboxOptions): void => {
  if (options.host !== undefined && options.host !== "127.0.0.1") {
    throw new SandboxOptionError({
      option: "host",
      value: options.host,
      detail: "the sandbox listens on 127.0.0.1 only",
    });
  }
  if (options.plan !== undefined && !planNames.includes(options.plan)) {
    throw new SandboxOptionError({
      option: "plan",
      value: options.plan,
      detail: `use one of ${planNames.join(", ")}`,
    });
  }
  if (options.seats !== undefined && (!Number.isInteger(options.seats) || options.seats < 1)) {
    throw new SandboxOptionError({
      option: "seats",
      value: String(options.seats),
      detail: "use a positive integer",
    });
  }
  if (
    options.timeScale !== undefined &&
    (!Number.isFinite(options.timeScale) || options.timeScale <= 0)
  ) {
    throw new SandboxOptionError({
      option: "timeScale",
      value: String(options.timeScale),
      detail: "use a positive number",
    });
  }
  if (
    options.port !== undefined &&
    (!Number.isInteger(options.port) || options.port < 0 || options.port > 65_535)
  ) {
    throw new SandboxOptionError({
      option: "port",
      value: String(options.port),
      detail: "use an integer from 0 to 65535",
    });
  }
};

/** Starts a sandbox and resolves once it listens. */
export const startSandbox = async (options: SandboxOptions = {}): Promise<Sandbox> => {
  checkOptions(options);
  const plan = options.plan ?? "growth";
  const seats = options.seats ?? 1;
  const store = new Store();
  const account = new Account(store, plan, seats);
  const loaded = options.statePath !== undefined && loadStateFile(options.statePath, store);
  const savedAdmin = loaded
    ? [...store.collections.users.values()].find((user) => user.is_admin)
    : undefined;
  const adminToken = options.token ?? savedAdmin?.token ?? randomHex40();
  const initialUsers: ReadonlyArray<SandboxUserSpec> = [
    { name: "Sandbox Admin", email: "admin@ferry-sandbox.test", isAdmin: true, token: adminToken },
    // Each user's token is fixed here, so a reset restores the same tokens.
    ...(options.users ?? []).map((user) => ({ ...user, token: user.token ?? randomHex40() })),
  ];

  if (!loaded) {
    seedDefaults(account, initialUsers);
  } else {
    // The admin token of the options wins over the saved one, so `--token` keeps working.
    if (savedAdmin !== undefined) savedAdmin.token = adminToken;
    account.usersChanged();
  }

  const onInternalError = options.onInternalError ?? (() => {});
  const statePath = options.statePath;
  const writer = statePath === undefined ? undefined : new StateFileWriter(statePath, store);
  // The first snapshot contains the defaults or the replayed journal, and narrows old files.
  writer?.compact();
  const commit = (): void => {
    if (writer === undefined || statePath === undefined) {
      // Without a state file the marks are dropped, so they do not pile up.
      store.takeChanges();
      return;
    }
    try {
      writer.commit();
    } catch (error) {
      onInternalError(error, "WRITE", statePath);
      throw new ApiError(
        500,
        "Internal Server Error",
        "The sandbox could not write its state file; the change is kept in memory only.",
      );
    }
  };

  const limiterOptions = {
    plan,
    seats,
    timeScale: options.timeScale ?? 1,
    blockAfter429s: options.blockAfter429s ?? 100,
    blockWindowMs: options.blockWindowMs ?? 60_000,
    blockDurationMs: options.blockDurationMs ?? 600_000,
  };
  const limiter = new RateLimiter(limiterOptions);
  const metrics = new Metrics();
  const faults = new Faults(seededRandom(options.faultSeed ?? Date.now()));

  const control = new SandboxControl({
    account: () => account,
    reset: () => {
      store.clear();
      account.usersChanged();
      seedDefaults(account, initialUsers);
      limiter.reset();
      metrics.reset();
      faults.set([]);
    },
    metrics: () => metrics.report(),
    resetMetrics: () => metrics.reset(),
    rateLimits: () => limiter.state(),
    setTokensUsed: (tokens) => limiter.setUsed(tokens),
    resetRateLimits: () => limiter.reset(),
    setFaults: (rules) => faults.set(rules),
    faults: () => faults.list(),
    commit,
    flush: () => writer?.compact(),
    adminToken,
  });

  const parts = {
    account: () => account,
    onInternalError,
    limiter,
    metrics,
    faults,
    commit,
    control: (
      request: Parameters<SandboxControl["handleHttp"]>[0],
      response: Parameters<SandboxControl["handleHttp"]>[1],
      url: URL,
      body: Buffer,
    ) => control.handleHttp(request, response, url, body),
  };
  const server = createServer((request, response) => {
    handleRequest(parts, request, response).catch((error: unknown) => {
      if (response.headersSent) {
        response.destroy();
        return;
      }
      // An API error here comes from reading the body, such as a 413 for a body that is too large.
      if (error instanceof ApiError) {
        sendJson(response, error.status, error.toBody());
        return;
      }
      onInternalError(error, request.method ?? "GET", request.url ?? "/");
      sendJson(response, 500, {
        success: false,
        error: "Internal Server Error",
        code: "ERR_UNKNOWN",
        error_info: String(error),
      });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  const tokens: Record<string, string> = {};
  for (const user of store.collections.users.values()) tokens[user.email] = user.token;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      // The server stops even when the last state write fails; the write error is raised after.
      try {
        writer?.compact();
      } finally {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
      }
    })();
    return closing;
  };

  return { url: `http://127.0.0.1:${port}`, port, adminToken, tokens, control, close };
};
