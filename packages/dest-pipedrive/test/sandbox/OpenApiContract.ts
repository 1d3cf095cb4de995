/**
 * Loads the official Pipedrive OpenAPI documents (v1 and v2) from the `shared/pipedrive` folder
 * beside the repository and validates requests and responses against their schemas with ajv.
 *
 * The documents leave `nullable` off many optional response properties that Pipedrive returns as
 * null (such as a person's `org_id`), so a property that its schema does not require may be null.
 * The v1 document marks timestamps as `date-time`, but its own examples and Pipedrive's v1 answers
 * use `YYYY-MM-DD HH:MM:SS`, so v1's `date-time` format accepts that form too. A short list of
 * errata covers request schemas that contradict the API. Everything else is validated as
 * documented.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import { parse } from "yaml";
import { matchOperation } from "../../src/TokenCosts.js";

/** Folder of the OpenAPI documents, beside the repository. */
export const specDir = resolve(
  dirname(fileURLToPath(import.meta.url)),
  "../../../../../shared/pipedrive",
);

/** Whether the documents are present. */
export const specsPresent =
  existsSync(resolve(specDir, "openapi-v1.yaml")) &&
  existsSync(resolve(specDir, "openapi-v2.yaml"));

type Json = Record<string, unknown>;

/** Lets optional properties be null, because the documents omit `nullable` on many of them. */
const allowNullOptional = (node: unknown): void => {
  if (Array.isArray(node)) {
    for (const item of node) allowNullOptional(item);
    return;
  }
  if (typeof node !== "object" || node === null) return;
  const schema = node as Json;
  if (typeof schema.properties === "object" && schema.properties !== null && !("in" in schema)) {
    const required = new Set(
      Array.isArray(schema.required) ? (schema.required as Array<string>) : [],
    );
    const properties = schema.properties as Record<string, Json>;
    for (const [key, property] of Object.entries(properties)) {
      if (required.has(key) || typeof property !== "object" || property === null) continue;
      if (typeof property.type === "string") property.nullable = true;
      else properties[key] = { anyOf: [property, { type: "null" }] };
    }
  }
  for (const value of Object.values(schema)) allowNullOptional(value);
};

/** One document with compiled validators. */
export class OpenApiDocument {
  readonly document: Json;
  private readonly ajv: Ajv;
  private readonly cache = new Map<string, ValidateFunction>();

  constructor(readonly version: "v1" | "v2") {
    this.document = parse(
      readFileSync(resolve(specDir, `openapi-${version}.yaml`), "utf8"),
    ) as Json;
    allowNullOptional((this.document.paths as Json) ?? {});
    allowNullOptional((this.document.components as Json) ?? {});
    this.ajv = new Ajv({ strict: false, allErrors: false, validateFormats: true });
    addFormats.default(this.ajv);
    if (version === "v1") {
      this.ajv.addFormat(
        "date-time",
        /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?)$/,
      );
    }
    this.ajv.addSchema(this.document, version);
  }

  /** Lists every operation as `METHOD template`. */
  operations(): Array<string> {
    const operations: Array<string> = [];
    for (const [template, item] of Object.entries(this.document.paths as Record<string, Json>)) {
      for (const method of ["get", "post", "put", "patch", "delete"]) {
        if (item[method] !== undefined) operations.push(`${method.toUpperCase()} ${template}`);
      }
    }
    return operations;
  }

  operation(method: string, template: string): Json | undefined {
    const item = (this.document.paths as Record<string, Json>)[template];
    return item?.[method.toLowerCase()] as Json | undefined;
  }

  private validator(pointer: string): ValidateFunction {
    let validate = this.cache.get(pointer);
    if (validate === undefined) {
      validate = this.ajv.compile({ $ref: `${this.version}#${pointer}` });
      this.cache.set(pointer, validate);
    }
    return validate;
  }

  /** Validates a JSON value against the schema at a JSON pointer; returns the errors as text or undefined. */
  validateAt(pointer: string, value: unknown): string | undefined {
    const validate = this.validator(pointer);
    if (validate(value)) return undefined;
    return this.ajv.errorsText(validate.errors, { separator: "; " });
  }
}

const escapePointer = (segment: string): string =>
  segment.replaceAll("~", "~0").replaceAll("/", "~1");

/** Follows a local `$ref` of a request body or response and returns the object and its pointer. */
const follow = (
  document: OpenApiDocument,
  node: Json | undefined,
  pointer: string,
): [Json | undefined, string] => {
  if (node === undefined || typeof node.$ref !== "string") return [node, pointer];
  const target = node.$ref.replace(/^#/, "");
  let value: unknown = document.document;
  for (const segment of target.split("/").slice(1)) {
    value = (value as Json)[segment.replaceAll("~1", "/").replaceAll("~0", "~")];
  }
  return [value as Json, target];
};

/**
 * Request schema errors of the documents, by operation: the v2 person and organization create
 * schemas require `title`, which only deals have (persons and organizations take `name`).
 */
const requestErrata: Readonly<Record<string, ReadonlyArray<string>>> = {
  "v2 POST /persons": ["must have required property 'title'"],
  "v2 POST /organizations": ["must have required property 'title'"],
};

/** The outcome of checking one exchange. */
export interface ContractCheck {
  readonly operation: string;
  /** Undefined when the document does not describe the operation (newer than the documents). */
  readonly documented: boolean;
  readonly requestErrors: ReadonlyArray<string>;
  readonly responseErrors: ReadonlyArray<string>;
  readonly responseSchemaFound: boolean;
}

/** Validates one request and its response against the documents. */
export const checkExchange = (
  documents: Readonly<Record<"v1" | "v2", OpenApiDocument>>,
  method: string,
  path: string,
  requestBody: unknown,
  requestContentType: string | undefined,
  status: number,
  responseBody: unknown,
): ContractCheck => {
  const url = new URL(path, "http://127.0.0.1");
  const matched = matchOperation(method, url.pathname);
  if (matched === undefined) throw new Error(`${method} ${path} matches no operation`);
  const operationName = `${matched.version} ${matched.method} ${matched.template}`;
  const document = documents[matched.version];
  const operation = document.operation(method, matched.template);
  if (operation === undefined) {
    return {
      operation: operationName,
      documented: false,
      requestErrors: [],
      responseErrors: [],
      responseSchemaFound: false,
    };
  }

  const requestErrors: Array<string> = [];
  const base = `/paths/${escapePointer(matched.template)}/${method.toLowerCase()}`;
  const parameters = ((operation.parameters as Array<Json> | undefined) ?? []).map(
    (parameter, index) => follow(document, parameter, `${base}/parameters/${index}`),
  );
  for (const [name, value] of url.searchParams) {
    const found = parameters.find(
      ([parameter]) => parameter?.in === "query" && parameter.name === name,
    );
    if (found === undefined) {
      requestErrors.push(`query parameter ${name} is not documented`);
      continue;
    }
    const [parameter, pointer] = found;
    const type = (parameter?.schema as Json | undefined)?.type;
    const typed =
      type === "integer" || type === "number"
        ? Number(value)
        : type === "boolean"
          ? value === "true"
          : value;
    const error = document.validateAt(`${pointer}/schema`, typed);
    if (error !== undefined) requestErrors.push(`query ${name}: ${error}`);
  }

  const [requestBodySpec, requestPointer] = follow(
    document,
    operation.requestBody as Json | undefined,
    `${base}/requestBody`,
  );
  const content = requestBodySpec?.content as Json | undefined;
  if (requestBody !== undefined && content !== undefined) {
    const type = requestContentType?.startsWith("multipart/")
      ? "multipart/form-data"
      : "application/json";
    if (content[type] === undefined)
      requestErrors.push(`request content type ${type} is not documented`);
    else if (type === "application/json") {
      const error = document.validateAt(
        `${requestPointer}/content/${escapePointer(type)}/schema`,
        requestBody,
      );
      const excused = (requestErrata[operationName] ?? []).some(
        (erratum) => error?.endsWith(erratum) === true,
      );
      if (error !== undefined && !excused) requestErrors.push(`request body: ${error}`);
    }
  }

  const responses = operation.responses as Record<string, Json>;
  const code =
    responses[String(status)] !== undefined
      ? String(status)
      : status < 400
        ? "default"
        : String(status);
  const [response, responsePointer] = follow(
    document,
    responses[code],
    `${base}/responses/${code}`,
  );
  const responseContent = response?.content as Json | undefined;
  const json = responseContent?.["application/json"] as Json | undefined;
  const responseErrors: Array<string> = [];
  if (json?.schema !== undefined) {
    const error = document.validateAt(
      `${responsePointer}/content/application~1json/schema`,
      responseBody,
    );
    if (error !== undefined) responseErrors.push(`response ${status}: ${error}`);
  }
  return {
    operation: operationName,
    documented: true,
    requestErrors,
    responseErrors,
    responseSchemaFound: json?.schema !== undefined,
  };
};
