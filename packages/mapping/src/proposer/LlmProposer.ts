/**
 * A proposer backed by a language model behind any OpenAI-compatible chat completions endpoint.
 * It drafts the plan with the default proposer, then requests the model's field mappings for
 * every column and keeps the ones that validate. A suggestion below the mapping threshold is
 * left unmapped for review. The proposer is off unless its configuration enables it.
 */
import type { Inventory } from "@ferry/core";
import { Effect, Either, ParseResult, Schema } from "effect";
import ky, { HTTPError } from "ky";

import { FieldMapping, type MappingPlan } from "../Plan.js";
import { defaultProposer } from "./DefaultProposer.js";
import { type Proposal, type Proposer, ProposerError } from "./Proposer.js";
import { mappingThreshold } from "./proposeFields.js";

/** Configuration of the language-model proposer. */
export interface LlmProposerConfig {
  /** Whether the proposer may call the endpoint. @default false */
  readonly enabled: boolean;
  /** Base URL of the OpenAI-compatible API, such as `http://127.0.0.1:8080/v1`. */
  readonly baseUrl: string;
  readonly model: string;
  /** Bearer token; sent only in the Authorization header, never in errors. */
  readonly apiKey?: string;
  /** Request timeout in milliseconds. @default 60000 */
  readonly timeoutMs?: number;
}

/** The chat completions request. */
export const ChatRequest = Schema.Struct({
  model: Schema.String,
  temperature: Schema.Number,
  response_format: Schema.Struct({ type: Schema.Literal("json_object") }),
  messages: Schema.Array(
    Schema.Struct({ role: Schema.Literal("system", "user"), content: Schema.String }),
  ),
});

/** The part of a chat completions response the proposer reads. */
export const ChatResponse = Schema.Struct({
  choices: Schema.NonEmptyArray(
    Schema.Struct({ message: Schema.Struct({ content: Schema.String }) }),
  ),
});

/** The JSON object the model must reply with. */
export const LlmSuggestion = Schema.Struct({ fields: Schema.Array(FieldMapping) });

const instructions = [
  'You map CRM export columns to Pipedrive fields. Answer with one JSON object {"fields": [...]}.',
  "Each field: object, column (exactly as given), transform, optional target, confidence (0 to 1), reason.",
  "target is {kind, field} for a standard field or {kind, custom, type, options?} for a custom field.",
  "transform is one of: text, email, phone, date, datetime, money, currency, number, boolean, url,",
  "first-name, last-name, full-name, stage, lead-source, tags, owner, note, attachment, reference.",
  "Kinds: organization, person, deal, lead. Standard person fields: name, emails, phones, job_title, add_time.",
  "When unsure, give a low confidence instead of guessing.",
].join("\n");

/** The columns the model is asked about: names, headers, types and a few samples. */
const describeColumns = (inventory: Inventory) =>
  JSON.stringify(
    inventory.objects.map((object) => ({
      object: object.kind,
      columns: object.columns.map((c) => ({
        column: c.name,
        header: c.header,
        type: c.inferredType,
        samples: c.samples.slice(0, 3),
      })),
    })),
  );

/** Builds the request body. */
export const chatRequest = (config: LlmProposerConfig, inventory: Inventory) =>
  Schema.decodeUnknownSync(ChatRequest)({
    model: config.model,
    temperature: 0,
    response_format: { type: "json_object" },
    messages: [
      { role: "system", content: instructions },
      { role: "user", content: describeColumns(inventory) },
    ],
  });

const failure = (reason: ProposerError["reason"], detail: string) =>
  new ProposerError({ proposer: "language-model", reason, detail });

/** Sends the request and returns the response body. */
const send = (config: LlmProposerConfig, body: typeof ChatRequest.Type) =>
  Effect.tryPromise({
    try: (signal) =>
      ky
        .post(`${config.baseUrl.replace(/\/+$/, "")}/chat/completions`, {
          json: body,
          signal,
          retry: 0,
          timeout: config.timeoutMs ?? 60_000,
          headers: config.apiKey === undefined ? {} : { authorization: `Bearer ${config.apiKey}` },
        })
        .json<unknown>(),
    catch: (cause) =>
      failure(
        "request-failed",
        cause instanceof HTTPError
          ? `POST ${config.baseUrl}/chat/completions returned HTTP ${cause.response.status}`
          : `POST ${config.baseUrl}/chat/completions failed: ${(cause as Error).name}`,
      ),
  });

/** Decodes the response and the JSON object in the model's message. */
const readSuggestion = (body: unknown) => {
  const response = Schema.decodeUnknownEither(ChatResponse)(body);
  if (Either.isLeft(response)) {
    return Either.left(
      failure("invalid-response", ParseResult.TreeFormatter.formatErrorSync(response.left)),
    );
  }
  const content = response.right.choices[0].message.content;
  const json = Either.try(() => JSON.parse(content) as unknown);
  if (Either.isLeft(json))
    return Either.left(failure("invalid-response", "the message content is not JSON"));
  return Schema.decodeUnknownEither(LlmSuggestion)(json.right).pipe(
    Either.mapLeft((error) =>
      failure("invalid-response", ParseResult.TreeFormatter.formatErrorSync(error)),
    ),
  );
};

/** Replaces the draft's mappings of each column the model suggested mappings for. */
export const mergeSuggestion = (
  plan: MappingPlan,
  suggestion: typeof LlmSuggestion.Type,
): MappingPlan => {
  const known = new Set(plan.fields.map((f) => `${f.object}\u0000${f.column}`));
  const accepted = suggestion.fields
    .filter((f) => known.has(`${f.object}\u0000${f.column}`))
    .map((f): FieldMapping => {
      if (f.confidence >= mappingThreshold) return { ...f, reason: `language model: ${f.reason}` };
      const { target: _target, ...rest } = f;
      return {
        ...rest,
        reason: `language model, low confidence: ${f.reason}; left unmapped for review`,
        review: true,
      };
    });
  const answered = new Set(accepted.map((f) => `${f.object}\u0000${f.column}`));
  const kept = plan.fields.filter((f) => !answered.has(`${f.object}\u0000${f.column}`));
  return { ...plan, fields: [...kept, ...accepted] };
};

/**
 * Makes the language-model proposer.
 *
 * @example
 * ```ts
 * const proposer = makeLlmProposer({ enabled: true, baseUrl: "http://127.0.0.1:8080/v1", model: "local" });
 * const { plan } = yield* proposer.propose({ inventory });
 * ```
 */
export const makeLlmProposer = (config: LlmProposerConfig): Proposer => ({
  name: "language-model",
  propose: (input) =>
    Effect.gen(function* () {
      if (!config.enabled) {
        return yield* failure(
          "disabled",
          "the language-model proposer is off; enable it in the configuration",
        );
      }
      if (config.baseUrl === "" || config.model === "") {
        return yield* failure(
          "disabled",
          "the language-model proposer needs a base URL and a model",
        );
      }
      const draft: Proposal = yield* defaultProposer.propose(input);
      const body = yield* send(config, chatRequest(config, input.inventory));
      const suggestion = yield* readSuggestion(body);
      return { ...draft, plan: mergeSuggestion(draft.plan, suggestion) };
    }),
});

/**
 * Reads the proposer's configuration from environment variables: `FERRY_LLM_ENABLED` (`true`
 * to enable), `FERRY_LLM_BASE_URL`, `FERRY_LLM_MODEL` and `FERRY_LLM_API_KEY`.
 */
export const llmConfigFromEnv = (
  env: Readonly<Record<string, string | undefined>>,
): LlmProposerConfig => ({
  enabled: env.FERRY_LLM_ENABLED === "true",
  baseUrl: env.FERRY_LLM_BASE_URL ?? "",
  model: env.FERRY_LLM_MODEL ?? "",
  ...(env.FERRY_LLM_API_KEY === undefined ? {} : { apiKey: env.FERRY_LLM_API_KEY }),
});
