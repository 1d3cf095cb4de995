/**
 * @ferry/dest-pipedrive/sandbox: a local simulator of the Pipedrive API (v1 and v2) on 127.0.0.1,
 * with token-based rate limits, plan caps, strict v2 validation, a state file and a control API
 * for tests (reset, seed, snapshot, metrics, fault injection).
 */

export {
  type ApiVersion,
  type MatchedOperation,
  matchOperation,
  tokenCost,
  tokenCostTable,
} from "../TokenCosts.js";
export { company, type SandboxUserSpec } from "./Account.js";
export {
  compareStates,
  SandboxControl,
  type SandboxUserInfo,
  type SeedData,
  type StateDiff,
} from "./Control.js";
export type { ActiveFaultRule, FaultKind, FaultRule } from "./Faults.js";
export type { EndpointMetrics, MetricsReport } from "./Metrics.js";
export {
  dailyBudget,
  type Plan,
  type PlanName,
  planNames,
  plans,
  searchBurst,
  tokensPerSeat,
} from "./Plans.js";
export type { RateLimiterState } from "./RateLimiter.js";
export { SandboxStateError } from "./StateFile.js";
export type { SerializedState } from "./Store.js";
export {
  type Sandbox,
  SandboxOptionError,
  type SandboxOptions,
  startSandbox,
} from "./startSandbox.js";
