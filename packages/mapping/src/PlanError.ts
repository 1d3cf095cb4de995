/**
 * The error a plan file gets when it cannot be read, is not valid YAML, or does not match the
 * plan schema. It names the file, the line and column, and the field path.
 */
import { Schema } from "effect";

/** A plan file that cannot be used, with the place and the field at fault. */
export class PlanError extends Schema.TaggedError<PlanError>()("PlanError", {
  reason: Schema.Literal("unreadable", "invalid-yaml", "invalid-plan"),
  file: Schema.String,
  /** 1-based line, when the fault has a place in the file. */
  line: Schema.optional(Schema.Int),
  /** 1-based column. */
  column: Schema.optional(Schema.Int),
  /** Field path, such as `fields[3].confidence`. */
  path: Schema.optional(Schema.String),
  detail: Schema.String,
}) {
  override get message(): string {
    const place =
      this.line === undefined ? this.file : `${this.file}:${this.line}:${this.column ?? 1}`;
    const field = this.path === undefined || this.path === "" ? "" : ` at ${this.path}`;
    const what =
      this.reason === "unreadable"
        ? "cannot be read"
        : this.reason === "invalid-yaml"
          ? "is not valid YAML"
          : "is not a valid mapping plan";
    return `${place}: the plan ${what}${field}: ${this.detail}`;
  }
}
