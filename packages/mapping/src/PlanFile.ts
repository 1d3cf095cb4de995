/**
 * Reading and writing plan files. A plan is YAML; parsing keeps node positions so a schema
 * failure names the line and column of the field at fault.
 */
import { readFile, writeFile } from "node:fs/promises";

import { Effect, ParseResult, Schema } from "effect";
import { type Document, isNode, LineCounter, parseDocument, stringify } from "yaml";

import { MappingPlan } from "./Plan.js";
import { PlanError } from "./PlanError.js";

const header = [
  " Ferry mapping plan. Edit it freely, then confirm it: a confirmed plan that changes",
  " must be confirmed again. Each field is described in docs/mapping-plan.md.",
].join("\n");

/** Largest plan text accepted, in characters: 5 MB is far beyond any export's plan. */
const maxPlanCharacters = 5_000_000;

/** Most alias expansions a plan may use; more is a YAML alias bomb, not a plan. */
const maxAliasCount = 1_000;

/** Formats a Schema issue path as `fields[3].confidence`. */
const formatPath = (path: ReadonlyArray<PropertyKey>): string =>
  path
    .map((key, index) => {
      if (typeof key === "number") return `[${key}]`;
      return index === 0 ? String(key) : `.${String(key)}`;
    })
    .join("");

/** Finds the deepest node of the path that exists, and its position. */
const locate = (
  document: Document,
  lines: LineCounter,
  path: ReadonlyArray<PropertyKey>,
): { line: number; col: number } | undefined => {
  for (let depth = path.length; depth >= 0; depth -= 1) {
    const node = depth === 0 ? document.contents : document.getIn(path.slice(0, depth), true);
    if (isNode(node) && node.range !== undefined && node.range !== null) {
      return lines.linePos(node.range[0]);
    }
  }
  return undefined;
};

/**
 * The message of the first issue. The members of a failed union each report their own
 * `Expected X, actual Y`; those are joined into one `Expected X | Z, actual Y`.
 */
const issueDetail = (
  issues: ReadonlyArray<ParseResult.ArrayFormatterIssue>,
  path: ReadonlyArray<PropertyKey>,
): string => {
  const same = issues.filter((issue) => formatPath(issue.path) === formatPath(path));
  const expected = same.map((issue) => /^Expected (.*), actual (.*)$/s.exec(issue.message));
  if (same.length > 1 && expected.every((match) => match !== null)) {
    const options = [...new Set(expected.map((match) => match?.[1]))].join(" | ");
    return `Expected ${options}, actual ${expected[0]?.[2]}`;
  }
  return same[0]?.message ?? "invalid value";
};

/** Turns the first schema issue into a PlanError at its place in the file. */
const schemaError = (
  file: string,
  document: Document,
  lines: LineCounter,
  error: ParseResult.ParseError,
): PlanError => {
  const issues = ParseResult.ArrayFormatter.formatErrorSync(error);
  const path = issues[0]?.path ?? [];
  const position = locate(document, lines, path);
  return new PlanError({
    reason: "invalid-plan",
    file,
    path: formatPath(path),
    detail: issueDetail(issues, path),
    ...(position === undefined ? {} : { line: position.line, column: position.col }),
  });
};

/**
 * Parses and validates plan text. `file` names the source in errors.
 *
 * @example
 * ```ts
 * const plan = yield* parsePlan(text, "plan.yaml");
 * // a bad confidence fails with: plan.yaml:41:17: the plan is not a valid mapping plan at fields[2].confidence: ...
 * ```
 */
export const parsePlan = (text: string, file: string): Effect.Effect<MappingPlan, PlanError> =>
  Effect.suspend(() => {
    if (text.length > maxPlanCharacters) {
      return Effect.fail(
        new PlanError({
          reason: "invalid-plan",
          file,
          detail: `the plan has ${text.length} characters, more than the ${maxPlanCharacters} a plan file may have; a plan lists columns, stages, sources, tags and owners, not records`,
        }),
      );
    }
    const lines = new LineCounter();
    const document = parseDocument(text, { lineCounter: lines, prettyErrors: false });

    // The parser reports unknown tags (such as !!js/function) as warnings; a plan is plain
    // data, so they are errors here.
    const [yamlError] = [...document.errors, ...document.warnings];
    if (yamlError !== undefined) {
      const position = yamlError.linePos?.[0] ?? lines.linePos(yamlError.pos[0]);
      return Effect.fail(
        new PlanError({
          reason: "invalid-yaml",
          file,
          detail: yamlError.message.split("\n")[0] ?? yamlError.code,
          line: position.line,
          column: position.col,
        }),
      );
    }

    let data: unknown;
    try {
      data = document.toJS({ maxAliasCount: maxAliasCount });
    } catch (error) {
      // The yaml package throws when aliases expand past maxAliasCount ("billion laughs").
      return Effect.fail(
        new PlanError({
          reason: "invalid-yaml",
          file,
          detail: error instanceof Error ? error.message : String(error),
        }),
      );
    }

    return Schema.decodeUnknown(MappingPlan, { onExcessProperty: "error", errors: "all" })(
      data,
    ).pipe(Effect.mapError((error) => schemaError(file, document, lines, error)));
  });

/** Renders a plan as YAML text with a header comment. */
export const renderPlan = (plan: MappingPlan): string => {
  const text = stringify(Schema.encodeSync(MappingPlan)(plan), { lineWidth: 100 });
  const comment = header
    .split("\n")
    .map((line) => `#${line}`)
    .join("\n");
  return `${comment}\n${text}`;
};

/** Reads and validates a plan file. */
export const loadPlanFile = (path: string): Effect.Effect<MappingPlan, PlanError> =>
  Effect.tryPromise({
    try: () => readFile(path, "utf8"),
    catch: (cause) =>
      new PlanError({ reason: "unreadable", file: path, detail: String((cause as Error).message) }),
  }).pipe(Effect.flatMap((text) => parsePlan(text, path)));

/** Writes a plan file. */
export const writePlanFile = (path: string, plan: MappingPlan): Effect.Effect<void, PlanError> =>
  Effect.tryPromise({
    try: () => writeFile(path, renderPlan(plan), "utf8"),
    catch: (cause) =>
      new PlanError({ reason: "unreadable", file: path, detail: String((cause as Error).message) }),
  });
