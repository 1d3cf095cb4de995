import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest";
import { Effect } from "effect";

import { llmConfigFromEnv, makeLlmProposer } from "../../src/proposer/LlmProposer.js";
import { column, inventory, object } from "../support/inventory.js";

interface Seen {
  readonly url: string;
  readonly authorization: string | undefined;
  readonly body: Record<string, unknown>;
}

let server: Server;
let baseUrl = "";
const seen: Array<Seen> = [];
let reply: { status: number; body: unknown } = { status: 200, body: {} };

const readBody = (request: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let text = "";
    request.on("data", (chunk) => (text += chunk));
    request.on("end", () => resolve(text));
  });

beforeAll(async () => {
  server = createServer(async (request, response) => {
    const text = await readBody(request);
    seen.push({
      url: request.url ?? "",
      authorization: request.headers.authorization,
      body: JSON.parse(text),
    });
    response.writeHead(reply.status, { "content-type": "application/json" });
    response.end(JSON.stringify(reply.body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const inv = inventory([
  object("contact", [
    column("Correo", "email"),
    column("Kleur", "picklist", { distinct: ["rood"] }),
    column("Nummer", "string"),
  ]),
]);

const answer = (fields: ReadonlyArray<unknown>) => ({
  status: 200,
  body: { choices: [{ message: { role: "assistant", content: JSON.stringify({ fields }) } }] },
});

const config = () => ({ enabled: true, baseUrl, model: "local-test", apiKey: "secret-key-123" });

describe("LlmProposer", () => {
  describe("propose", () => {
    it.effect("sends the columns and takes the model's mappings", () =>
      Effect.gen(function* () {
        seen.length = 0;
        reply = answer([
          {
            object: "contact",
            column: "Nummer",
            transform: "phone",
            target: { kind: "person", field: "phones" },
            confidence: 0.9,
            reason: "Dutch for number",
          },
          {
            object: "contact",
            column: "Kleur",
            transform: "text",
            target: { kind: "person", custom: "Kleur", type: "varchar" },
            confidence: 0.3,
            reason: "a colour",
          },
          {
            object: "contact",
            column: "Ghost",
            transform: "text",
            confidence: 0.9,
            reason: "not a column",
          },
        ]);
        const { plan } = yield* makeLlmProposer(config()).propose({ inventory: inv });

        expect(seen).toHaveLength(1);
        expect(seen[0]?.url).toBe("/v1/chat/completions");
        expect(seen[0]?.authorization).toBe("Bearer secret-key-123");
        expect(seen[0]?.body.model).toBe("local-test");
        expect(JSON.stringify(seen[0]?.body.messages)).toContain("Kleur");

        const nummer = plan.fields.find((f) => f.column === "Nummer");
        expect(nummer?.target).toEqual({ kind: "person", field: "phones" });
        expect(nummer?.reason).toBe("language model: Dutch for number");
        const kleur = plan.fields.find((f) => f.column === "Kleur");
        expect(kleur?.review).toBe(true);
        expect(kleur?.target).toBeUndefined();
        expect(plan.fields.some((f) => f.column === "Ghost")).toBe(false);
        expect(plan.fields.find((f) => f.column === "Correo")?.transform).toBe("email");
      }),
    );

    it.effect("rejects an answer that does not match the schema", () =>
      Effect.gen(function* () {
        reply = answer([
          {
            object: "contact",
            column: "Nummer",
            transform: "telepathy",
            confidence: 2,
            reason: "",
          },
        ]);
        const error = yield* Effect.flip(makeLlmProposer(config()).propose({ inventory: inv }));
        expect(error.reason).toBe("invalid-response");
      }),
    );

    it.effect("rejects a response without choices", () =>
      Effect.gen(function* () {
        reply = { status: 200, body: { choices: [] } };
        const error = yield* Effect.flip(makeLlmProposer(config()).propose({ inventory: inv }));
        expect(error.reason).toBe("invalid-response");
      }),
    );

    it.effect("reports an HTTP failure without the key", () =>
      Effect.gen(function* () {
        reply = { status: 500, body: { error: "boom" } };
        const error = yield* Effect.flip(makeLlmProposer(config()).propose({ inventory: inv }));
        expect(error.reason).toBe("request-failed");
        expect(error.message).toContain("HTTP 500");
        expect(error.message).not.toContain("secret-key-123");
      }),
    );

    it.effect("is off by default", () =>
      Effect.gen(function* () {
        seen.length = 0;
        const proposer = makeLlmProposer(
          llmConfigFromEnv({ FERRY_LLM_BASE_URL: baseUrl, FERRY_LLM_MODEL: "m" }),
        );
        const error = yield* Effect.flip(proposer.propose({ inventory: inv }));
        expect(error.reason).toBe("disabled");
        expect(seen).toHaveLength(0);
      }),
    );
  });
});
