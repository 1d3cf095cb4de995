/**
 * Starts a sandbox on 127.0.0.1 for a test file and builds destinations against it.
 */
import { Effect } from "effect";

import { makePipedriveDestination, type PipedriveDestination } from "../../src/index.js";
import type { PipedriveConfigInput } from "../../src/PipedriveConfig.js";
import { type Sandbox, type SandboxOptions, startSandbox } from "../../src/sandbox/index.js";

/** A running sandbox and a way to build destinations for it. */
export interface TestSandbox {
  readonly sandbox: Sandbox;
  readonly destination: (overrides?: Partial<PipedriveConfigInput>) => PipedriveDestination;
}

/** Starts a sandbox with a time scale; pass the same scale to the destination. */
export const startTestSandbox = async (
  options: SandboxOptions & { readonly plan?: "lite" | "growth" | "premium" | "ultimate" } = {},
): Promise<TestSandbox> => {
  const plan = options.plan ?? "lite";
  const timeScale = options.timeScale ?? 20;
  const sandbox = await startSandbox({ ...options, plan, timeScale });
  const destination = (overrides: Partial<PipedriveConfigInput> = {}) =>
    Effect.runSync(
      makePipedriveDestination({
        baseUrl: sandbox.url,
        apiToken: sandbox.adminToken,
        plan,
        seats: options.seats ?? 1,
        timeScale,
        ...overrides,
      }),
    );
  return { sandbox, destination };
};
