/**
 * The request context that handlers receive and the helpers that read bodies and write responses.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ApiVersion } from "../TokenCosts.js";
import type { Account } from "./Account.js";
import { ApiError } from "./ApiError.js";
import type { UserRecord } from "./Store.js";

/** Largest request body the sandbox reads (file uploads included). */
export const maxBodyBytes = 50 * 1024 * 1024;

/** What a handler receives about one authenticated request. */
export interface RequestContext {
  readonly method: string;
  readonly version: ApiVersion;
  /** Path template relative to the version prefix, such as `/persons/{id}`. */
  readonly template: string;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  /** The parsed JSON body, or undefined when there was none. */
  readonly body: unknown;
  readonly rawBody: Buffer;
  readonly contentType: string;
  readonly user: UserRecord;
  readonly account: Account;
}

/** A handler's response: HTTP status (200 unless given) and JSON body, or raw bytes. */
export interface HandlerResult {
  readonly status?: number;
  readonly body: unknown;
  /** Bytes sent instead of the JSON body, such as a file download. */
  readonly raw?: {
    readonly contentType: string;
    readonly bytes: Buffer;
    readonly fileName?: string;
  };
}

/** Handles one operation. */
export type Handler = (context: RequestContext) => HandlerResult | Promise<HandlerResult>;

/** One route: API version, method, path template (as in the token cost table) and handler. */
export type Route = readonly [
  version: ApiVersion,
  method: string,
  template: string,
  handler: Handler,
];

/** Reads the whole request body, up to `maxBodyBytes`. */
export const readBody = async (request: IncomingMessage): Promise<Buffer> => {
  const chunks: Array<Buffer> = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > maxBodyBytes) throw new ApiError(413, "Request body too large");
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
};

/** Parses a JSON body; an empty body is undefined and invalid JSON is a 400. */
export const parseJson = (raw: Buffer, contentType: string): unknown => {
  if (raw.length === 0) return undefined;
  if (!contentType.includes("json")) return undefined;
  try {
    return JSON.parse(raw.toString("utf8"));
  } catch {
    throw new ApiError(400, "Invalid JSON in request body");
  }
};

/** Writes a JSON response with extra headers. */
export const sendJson = (
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): void => {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    ...headers,
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
  });
  response.end(text);
};

/** Writes a success envelope `{ success: true, data, additional_data? }`. */
export const ok = (data: unknown, additionalData?: unknown, status = 200): HandlerResult => ({
  status,
  body:
    additionalData === undefined
      ? { success: true, data }
      : { success: true, data, additional_data: additionalData },
});

/** Returns the body as an object, or a 400 when it is missing or not an object. */
export const bodyObject = (context: RequestContext): Record<string, unknown> => {
  const body = context.body;
  if (body === undefined) {
    if (context.rawBody.length > 0 && !context.contentType.includes("json")) {
      throw new ApiError(
        400,
        "The request body must be JSON with the Content-Type application/json",
      );
    }
    return {};
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new ApiError(400, "Validation failed: Expected 'object' as request body");
  }
  return body as Record<string, unknown>;
};

/** Parses an integer path parameter; anything else is a 400 in v2 and a 404 in v1. */
export const intParam = (context: RequestContext, name: string): number => {
  const raw = context.params[name] ?? "";
  if (!/^\d+$/.test(raw)) {
    if (context.version === "v2")
      throw new ApiError(
        400,
        `Validation failed: ${name}: Expected 'integer' as value, got "${raw}"`,
      );
    throw new ApiError(404, "Not found", "Object was not found.");
  }
  return Number(raw);
};
