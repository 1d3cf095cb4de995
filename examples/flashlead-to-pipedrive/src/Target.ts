/**
 * The Pipedrive account a command works on: the company account when `PIPEDRIVE_API_TOKEN` and
 * `PIPEDRIVE_COMPANY_DOMAIN` (or `PIPEDRIVE_BASE_URL`) are set, and otherwise an embedded
 * sandbox whose data and token are kept under the state folder. `FERRY_TIME_SCALE` speeds up a
 * sandbox's clock (the burst window and the day) and the client's pacing with it. It applies to
 * the embedded sandbox and to a sandbox named by `PIPEDRIVE_BASE_URL`, never to a company domain.
 */
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

import type { DestinationInput, DestinationSchema, TokenAccount } from "@ferry/core";
import {
  decodePipedriveConfig,
  fromConfig,
  PipedriveConfig,
  type PipedriveDestination,
  type PipedriveDestinationOptions,
  type PipedrivePlan,
  planMultipliers,
} from "@ferry/dest-pipedrive";
import { type Sandbox, startSandbox } from "@ferry/dest-pipedrive/sandbox";
import { Cause, Effect, Exit, Stream } from "effect";

import type { StateFolder } from "./StateFolder.js";

/** Pipedrive account a command sends its requests to. */
export interface Target {
  readonly kind: "company" | "sandbox";
  /** Base URL of the API host, for messages. */
  readonly url: string;
  readonly config: PipedriveConfig;
  /** The embedded sandbox, when the target is one. */
  readonly sandbox: Sandbox | undefined;
  /** Values that must never be printed. */
  readonly secrets: ReadonlyArray<string>;
  /** Stops the embedded sandbox (after writing its state); does nothing for a company account. */
  readonly close: () => Promise<void>;
}

/** The target could not be set up from the environment. */
export class TargetError extends Error {
  override readonly name = "TargetError";
}

const plans: ReadonlyArray<PipedrivePlan> = ["lite", "growth", "premium", "ultimate"];

const readPlan = (value: string | undefined, fallback: PipedrivePlan): PipedrivePlan => {
  if (value === undefined || value === "") return fallback;
  const plan = plans.find((candidate) => candidate === value.toLowerCase());
  if (plan === undefined) {
    throw new TargetError(`PIPEDRIVE_PLAN "${value}" is invalid; use one of ${plans.join(", ")}`);
  }
  return plan;
};

const readSeats = (value: string | undefined): number => {
  if (value === undefined || value === "") return 1;
  const seats = Number(value);
  if (!Number.isInteger(seats) || seats < 1) {
    throw new TargetError(
      `PIPEDRIVE_SEATS "${value}" is invalid; use a whole number of at least 1`,
    );
  }
  return seats;
};

const readTimeScale = (value: string | undefined): number => {
  if (value === undefined || value === "") return 1;
  const scale = Number(value);
  if (!Number.isFinite(scale) || scale <= 0) {
    throw new TargetError(`FERRY_TIME_SCALE "${value}" is invalid; use a positive number`);
  }
  return scale;
};

/**
 * Mode of the folder with the embedded sandbox's token and state file. Both contain the admin
 * token, so the folder is open to the owner only. The sandbox writes the state file with 0600.
 */
const sandboxFolderMode = 0o700;

/** Creates the sandbox folder with mode 0700, or narrows an existing one to it. */
const protectSandboxFolder = (path: string): void => {
  mkdirSync(path, { recursive: true, mode: sandboxFolderMode });
  chmodSync(path, sandboxFolderMode);
};

const sandboxToken = (path: string): string => {
  protectSandboxFolder(dirname(path));
  if (existsSync(path)) {
    // A token file written with a wider mode is narrowed before the token is read.
    chmodSync(path, 0o600);
    return readFileSync(path, "utf8").trim();
  }
  const token = randomBytes(20).toString("hex");
  writeFileSync(path, `${token}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
  return token;
};

const decode = async (input: Parameters<typeof decodePipedriveConfig>[0]) => {
  const exit = await Effect.runPromiseExit(decodePipedriveConfig(input));
  if (Exit.isSuccess(exit)) return exit.value;
  const error = Cause.squash(exit.cause);
  throw new TargetError(error instanceof Error ? error.message : String(error));
};

const namesCompanyAccount = (env: NodeJS.ProcessEnv): boolean =>
  env.PIPEDRIVE_API_TOKEN !== undefined &&
  env.PIPEDRIVE_API_TOKEN !== "" &&
  (env.PIPEDRIVE_BASE_URL !== undefined || env.PIPEDRIVE_COMPANY_DOMAIN !== undefined);

/**
 * Returns the daily token budget of the account that `openTarget` would open, without opening
 * it: the company account's plan defaults to lite and the embedded sandbox's to growth. Throws
 * `TargetError` for an invalid PIPEDRIVE_PLAN or PIPEDRIVE_SEATS, as `openTarget` does.
 */
export const targetDailyBudget = (env: NodeJS.ProcessEnv = process.env): number => {
  const plan = readPlan(env.PIPEDRIVE_PLAN, namesCompanyAccount(env) ? "lite" : "growth");
  return 30_000 * planMultipliers[plan] * readSeats(env.PIPEDRIVE_SEATS);
};

/** Opens the target that the environment names. */
export const openTarget = async (
  folder: StateFolder,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Target> => {
  const token = env.PIPEDRIVE_API_TOKEN;
  const baseUrl = env.PIPEDRIVE_BASE_URL;
  const domain = env.PIPEDRIVE_COMPANY_DOMAIN;
  const seats = readSeats(env.PIPEDRIVE_SEATS);
  // Only a sandbox can run faster than real time; the company account always gets 1.
  const timeScale = readTimeScale(env.FERRY_TIME_SCALE);

  if (token !== undefined && token !== "" && (baseUrl !== undefined || domain !== undefined)) {
    const config = await decode({
      apiToken: token,
      plan: readPlan(env.PIPEDRIVE_PLAN, "lite"),
      seats,
      ...(baseUrl === undefined ? { companyDomain: domain } : { baseUrl, timeScale }),
    });
    return {
      kind: "company",
      url: config.origin,
      config,
      sandbox: undefined,
      secrets: [token],
      close: async () => {},
    };
  }

  const plan = readPlan(env.PIPEDRIVE_PLAN, "growth");
  const adminToken = sandboxToken(folder.sandboxToken);
  protectSandboxFolder(dirname(folder.sandboxState));
  const sandbox = await startSandbox({
    token: adminToken,
    plan,
    seats,
    statePath: folder.sandboxState,
    timeScale,
  });
  const config = await decode({
    baseUrl: sandbox.url,
    apiToken: adminToken,
    plan,
    seats,
    timeScale,
  });
  return {
    kind: "sandbox",
    url: sandbox.url,
    config,
    sandbox,
    secrets: [adminToken],
    close: () => sandbox.close(),
  };
};

/** Builds the destination synchronously, because `fromConfig` needs no service and has no error type. */
export const buildDestination = (
  config: PipedriveConfig,
  options: PipedriveDestinationOptions = {},
): PipedriveDestination => Effect.runSync(fromConfig(config, options));

/** A schema the caller read in this process just before the run, and what reading it cost. */
export interface SchemaSeed {
  readonly schema: DestinationSchema;
  readonly tokensSpent: number;
}

/**
 * Wraps the destination so that the tokens its client spends on each call are added to the
 * ledger's token account, and so that today's earlier spend counts against the budget. With a
 * `seed` the destination starts from that schema instead of reading it again, and the seed's
 * tokens are added to the account first.
 */
export const destinationFor =
  (target: Target, seed?: SchemaSeed): DestinationInput =>
  (tokens: TokenAccount) => {
    if (seed !== undefined && seed.tokensSpent > 0) tokens.add(seed.tokensSpent);
    const destination = buildDestination(
      new PipedriveConfig({ ...target.config, spentToday: tokens.spentToday() }),
      seed === undefined ? {} : { schema: seed.schema },
    );
    let counted = destination.stats().tokensSpent;

    const count = Effect.sync(() => {
      const spent = destination.stats().tokensSpent;
      if (spent > counted) tokens.add(spent - counted);
      counted = spent;
    });
    const settle = <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.ensuring(effect, count);
    const { removeSchema } = destination;

    return {
      ...destination,
      describe: () => settle(destination.describe()),
      applySchema: (changes) => settle(destination.applySchema(changes)),
      write: (kind, batch) => settle(destination.write(kind, batch)),
      lookup: (kind, refs) => settle(destination.lookup(kind, refs)),
      readBack: (kind, ids) => Stream.ensuring(destination.readBack(kind, ids), count),
      remove: (kind, ids) => settle(destination.remove(kind, ids)),
      ...(removeSchema === undefined
        ? {}
        : {
            removeSchema: (items: Parameters<typeof removeSchema>[0]) =>
              settle(removeSchema(items)),
          }),
    };
  };
