/**
 * Counters of what the sandbox served: requests, tokens and statuses per endpoint, and totals of
 * 401s, 429s, HTML 403 blocks and injected faults. Tests and benchmarks read them through the
 * control API.
 */

/** Counters of one endpoint (method, version and path template). */
export interface EndpointMetrics {
  readonly method: string;
  readonly version: string;
  readonly template: string;
  requests: number;
  tokens: number;
  readonly statuses: Record<string, number>;
}

/** Every counter, as the control API returns it. */
export interface MetricsReport {
  readonly requests: number;
  readonly tokens: number;
  readonly unauthorized: number;
  readonly rateLimited: number;
  readonly rateLimitedByBurst: number;
  readonly rateLimitedByBudget: number;
  readonly blocked: number;
  readonly faults: Readonly<Record<string, number>>;
  readonly endpoints: ReadonlyArray<EndpointMetrics>;
}

/** The metrics of one sandbox. */
export class Metrics {
  private endpoints = new Map<string, EndpointMetrics>();
  private totals = {
    requests: 0,
    tokens: 0,
    unauthorized: 0,
    rateLimitedByBurst: 0,
    rateLimitedByBudget: 0,
    blocked: 0,
  };
  private faults: Record<string, number> = {};

  /** Counts one request that got a response; `tokens` is what the request was charged (0 when rejected). */
  record(method: string, version: string, template: string, status: number, tokens: number): void {
    const key = `${method} ${version} ${template}`;
    let endpoint = this.endpoints.get(key);
    if (endpoint === undefined) {
      endpoint = { method, version, template, requests: 0, tokens: 0, statuses: {} };
      this.endpoints.set(key, endpoint);
    }
    endpoint.requests++;
    endpoint.tokens += tokens;
    endpoint.statuses[String(status)] = (endpoint.statuses[String(status)] ?? 0) + 1;
    this.totals.requests++;
    this.totals.tokens += tokens;
  }

  /** Counts a request without a valid token. */
  unauthorized(): void {
    this.totals.unauthorized++;
  }

  /** Counts a 429. */
  rateLimited(reason: "burst" | "budget"): void {
    if (reason === "burst") this.totals.rateLimitedByBurst++;
    else this.totals.rateLimitedByBudget++;
  }

  /** Counts an HTML 403 block. */
  blocked(): void {
    this.totals.blocked++;
  }

  /** Counts an injected fault of a kind. */
  fault(kind: string): void {
    this.faults[kind] = (this.faults[kind] ?? 0) + 1;
  }

  /** Returns a copy of every counter. */
  report(): MetricsReport {
    return {
      ...this.totals,
      rateLimited: this.totals.rateLimitedByBurst + this.totals.rateLimitedByBudget,
      faults: { ...this.faults },
      endpoints: [...this.endpoints.values()].map((endpoint) => ({
        ...endpoint,
        statuses: { ...endpoint.statuses },
      })),
    };
  }

  /** Sets every counter to zero. */
  reset(): void {
    this.endpoints = new Map();
    this.totals = {
      requests: 0,
      tokens: 0,
      unauthorized: 0,
      rateLimitedByBurst: 0,
      rateLimitedByBudget: 0,
      blocked: 0,
    };
    this.faults = {};
  }
}
