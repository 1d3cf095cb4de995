/**
 * Waits on a sandbox's metrics, so a test can act in the middle of a phase: after a number of
 * requests to one endpoint have received a response.
 */
import type { Sandbox } from "@ferry/dest-pipedrive/sandbox";

/** Requests with a response so far on an endpoint, such as `POST /persons`. */
export const requestsTo = (sandbox: Sandbox, method: string, template: string): number =>
  sandbox.control
    .metrics()
    .endpoints.filter((endpoint) => endpoint.method === method && endpoint.template === template)
    .reduce((sum, endpoint) => sum + endpoint.requests, 0);

/** Resolves once `count` requests to an endpoint have received a response; polls every 5 ms. */
export const afterRequests = async (
  sandbox: Sandbox,
  method: string,
  template: string,
  count: number,
): Promise<void> => {
  while (requestsTo(sandbox, method, template) < count) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};
