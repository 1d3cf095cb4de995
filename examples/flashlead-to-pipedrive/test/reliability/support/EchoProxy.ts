/**
 * A proxy on 127.0.0.1 in front of a sandbox. It responds to chosen requests itself with an error
 * whose body echoes the request's `x-api-token` header, plain in `error` and `data.token` and
 * percent-encoded in `error_info`. Every other request goes to the sandbox.
 */
import { createServer, request as forward } from "node:http";
import type { AddressInfo } from "node:net";

/** Requests the proxy responds to with an echoing error. */
export interface EchoRule {
  readonly method: string;
  /** Start of the request path, such as `/api/v2/persons`. */
  readonly path: string;
  readonly status: number;
}

/** A running proxy. */
export interface EchoProxy {
  readonly url: string;
  /** Number of echoing error responses sent so far. */
  readonly echoed: () => number;
  readonly close: () => Promise<void>;
}

/** Starts a proxy to `target` (an `http://127.0.0.1:PORT` URL) on an ephemeral port. */
export const startEchoProxy = async (
  target: string,
  rules: ReadonlyArray<EchoRule>,
): Promise<EchoProxy> => {
  const upstream = new URL(target);
  let echoed = 0;

  const server = createServer((request, response) => {
    const chunks: Array<Buffer> = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const rule = rules.find(
        (candidate) =>
          candidate.method === request.method && (request.url ?? "").startsWith(candidate.path),
      );
      if (rule !== undefined) {
        echoed += 1;
        const token = String(request.headers["x-api-token"]);
        response.writeHead(rule.status, { "content-type": "application/json" });
        response.end(
          JSON.stringify({
            success: false,
            error: `Validation failed: name: token ${token} is not allowed here`,
            error_info: `echo ${encodeURIComponent(token)}`,
            data: { token },
            additional_data: null,
          }),
        );
        return;
      }

      const proxied = forward(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: request.method,
          path: request.url,
          headers: request.headers,
        },
        (answer) => {
          response.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(response);
        },
      );
      proxied.on("error", () => {
        response.writeHead(502);
        response.end();
      });
      proxied.end(Buffer.concat(chunks));
    });
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    echoed: () => echoed,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
