/**
 * The request pipeline of the simulated API: route by the token cost table, authenticate by
 * `x-api-token`, charge the rate limiter, apply fault rules, run the handler and respond with
 * Pipedrive's envelopes and `x-ratelimit-*` headers. Paths under `/__sandbox/` go to the control API.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { type MatchedOperation, matchOperation } from "../TokenCosts.js";
import type { Account } from "./Account.js";
import { ApiError } from "./ApiError.js";
import { defaultHangMs, type Faults } from "./Faults.js";
import { type HandlerResult, parseJson, type RequestContext, readBody, sendJson } from "./Http.js";
import type { Metrics } from "./Metrics.js";
import type { RateLimiter } from "./RateLimiter.js";
import { findHandler } from "./Router.js";
import { isSearchTemplate } from "./resources/Search.js";

/** The parts of a running sandbox that the pipeline uses. */
export interface SandboxParts {
  readonly account: () => Account;
  readonly limiter: RateLimiter;
  readonly metrics: Metrics;
  readonly faults: Faults;
  /** Receives every error that a handler throws other than an API error answer. */
  readonly onInternalError: (error: unknown, method: string, path: string) => void;
  /**
   * Writes the changes of the request to the state file, if there is one. It throws an API
   * error with status 500 when the write fails, after reporting the failure.
   */
  readonly commit: () => void;
  /** Handles `/__sandbox/` requests. */
  readonly control: (
    request: IncomingMessage,
    response: ServerResponse,
    url: URL,
    body: Buffer,
  ) => Promise<void>;
}

/** The HTML page that Pipedrive's CDN returns when it blocks a token. */
export const blockedPage =
  "<!DOCTYPE html><html><head><title>Access denied</title></head><body><h1>Error 1020</h1>" +
  "<p>Access denied. This error is produced by Cloudflare. The owner of this website has banned your access " +
  "based on your browser's signature.</p></body></html>";

const unauthorizedBody = {
  success: false,
  error: "unauthorized access",
  errorCode: 401,
  error_info: "Please check developers.pipedrive.com for more information about Pipedrive API.",
  data: null,
  additional_data: null,
};

const overLimitBody = {
  success: false,
  error: "Request over limit",
  error_info: "Please check developers.pipedrive.com for more information about Pipedrive API.",
  data: null,
  additional_data: null,
};

const pathAfterVersion = (pathname: string): string =>
  pathname.replace(/^\/(api\/)?v[12]/, "") || "/";

const tokenOf = (
  request: IncomingMessage,
  url: URL,
  operation: MatchedOperation,
): string | undefined => {
  const header = request.headers["x-api-token"];
  if (typeof header === "string" && header !== "") return header;
  // The legacy query parameter works on v1 only.
  const query = operation.version === "v1" ? url.searchParams.get("api_token") : null;
  return query ?? undefined;
};

/** Handles one HTTP request. */
export const handleRequest = async (
  parts: SandboxParts,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> => {
  const url = new URL(request.url ?? "/", "http://127.0.0.1");
  const method = (request.method ?? "GET").toUpperCase();
  const body = await readBody(request);

  if (url.pathname.startsWith("/__sandbox/") || url.pathname === "/__sandbox") {
    await parts.control(request, response, url, body);
    return;
  }

  const operation = matchOperation(method, url.pathname);
  if (operation === undefined) {
    sendJson(
      response,
      404,
      new ApiError(
        404,
        "Unknown method .",
        "Please check developers.pipedrive.com for the API reference.",
      ).toBody(),
    );
    return;
  }

  const token = tokenOf(request, url, operation);
  const account = parts.account();
  const user = token === undefined ? undefined : account.userByToken(token);
  if (token === undefined || user === undefined) {
    parts.metrics.unauthorized();
    parts.metrics.record(method, operation.version, operation.template, 401, 0);
    sendJson(response, 401, unauthorizedBody);
    return;
  }

  const admission = parts.limiter.admit(
    token,
    operation.cost,
    isSearchTemplate(operation.template),
  );
  if (admission.kind === "blocked") {
    parts.metrics.blocked();
    parts.metrics.record(method, operation.version, operation.template, 403, 0);
    response.writeHead(403, { "content-type": "text/html; charset=utf-8" });
    response.end(blockedPage);
    return;
  }
  if (admission.kind === "over-limit") {
    parts.metrics.rateLimited(admission.reason);
    parts.metrics.record(method, operation.version, operation.template, 429, 0);
    sendJson(response, 429, overLimitBody, admission.headers);
    return;
  }
  const headers = admission.headers;
  const record = (status: number): void =>
    parts.metrics.record(method, operation.version, operation.template, status, operation.cost);

  const fault = parts.faults.pick(method, pathAfterVersion(url.pathname));
  if (fault !== undefined)
    parts.metrics.fault(fault.kind === "status" ? String(fault.status) : fault.kind);
  if (fault?.kind === "status") {
    record(fault.status ?? 500);
    sendJson(
      response,
      fault.status ?? 500,
      { success: false, error: "Internal Server Error", code: "ERR_UNKNOWN" },
      headers,
    );
    return;
  }
  if (fault?.kind === "hang") {
    record(0);
    const timer = setTimeout(() => request.socket.destroy(), fault.delayMs ?? defaultHangMs);
    request.socket.once("close", () => clearTimeout(timer));
    return;
  }
  if (fault?.kind === "slow")
    await new Promise((resolve) => setTimeout(resolve, fault.delayMs ?? 1_000));

  const handler = findHandler(operation.version, operation.method, operation.template);
  let status: number;
  let answer: unknown;
  let raw: HandlerResult["raw"];
  try {
    if (handler === undefined) {
      throw new ApiError(
        501,
        `${operation.method} ${operation.template} (${operation.version}) is not implemented by the sandbox`,
      );
    }
    const contentType = request.headers["content-type"] ?? "";
    url.searchParams.delete("api_token");
    const context: RequestContext = {
      method,
      version: operation.version,
      template: operation.template,
      params: operation.params,
      query: url.searchParams,
      body: parseJson(body, contentType),
      rawBody: body,
      contentType,
      user,
      account,
    };
    const result = await handler(context);
    status = result.status ?? 200;
    answer = result.body;
    raw = result.raw;
  } catch (error) {
    if (error instanceof ApiError) {
      status = error.status;
      answer = error.toBody();
    } else {
      parts.onInternalError(error, method, url.pathname);
      status = 500;
      answer = {
        success: false,
        error: "Internal Server Error",
        code: "ERR_UNKNOWN",
        error_info: String(error),
      };
    }
  }

  // The state file gets the request's changes before the client can hear of them.
  try {
    parts.commit();
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    status = error.status;
    answer = error.toBody();
    raw = undefined;
  }

  record(status);
  if (fault?.kind === "drop-after-commit" && status < 400) {
    request.socket.destroy();
    return;
  }
  if (raw !== undefined) {
    const disposition =
      raw.fileName === undefined
        ? {}
        : { "content-disposition": `attachment; filename="${raw.fileName.replaceAll('"', "")}"` };
    response.writeHead(status, {
      ...headers,
      ...disposition,
      "content-type": raw.contentType,
      "content-length": raw.bytes.length,
    });
    response.end(raw.bytes);
    return;
  }
  sendJson(response, status, answer, headers);
};
