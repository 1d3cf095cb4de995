/**
 * A small fetch wrapper for the sandbox tests: sends JSON with the API token header and returns
 * status, headers and parsed body.
 */

/** One response of the sandbox. */
export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON responses.
  readonly body: any;
  readonly text: string;
}

/** Sends one request to the sandbox. */
export const call = async (
  base: string,
  token: string | undefined,
  method: string,
  path: string,
  body?: unknown,
): Promise<Answer> => {
  const headers: Record<string, string> = {};
  if (token !== undefined) headers["x-api-token"] = token;
  if (body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(`${base}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // HTML responses stay text.
  }
  return { status: response.status, headers: response.headers, body: parsed, text };
};

/** Binds `call` to one sandbox and token. */
export const clientFor = (base: string, token: string) => ({
  get: (path: string) => call(base, token, "GET", path),
  post: (path: string, body?: unknown) => call(base, token, "POST", path, body),
  patch: (path: string, body?: unknown) => call(base, token, "PATCH", path, body),
  put: (path: string, body?: unknown) => call(base, token, "PUT", path, body),
  delete: (path: string, body?: unknown) => call(base, token, "DELETE", path, body),
});
