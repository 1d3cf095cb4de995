/**
 * The automation inventory: stages, sources and tags whose automations in the source CRM the
 * customer's admin must rebuild in the destination, and how it is derived from schema changes
 * when the caller does not give one.
 */
import { Schema } from "effect";

import type { SchemaChange } from "../SchemaChange.js";

/** One item of the automation inventory. */
export const AutomationItem = Schema.Struct({
  /** Kind of item the automation depends on. A `label` is a lead label made from a source stage. */
  type: Schema.Literal("stage", "source", "tag", "label"),
  name: Schema.String,
  /** Where it lives in the destination, such as the pipeline of a stage or the field of a tag. */
  where: Schema.String,
  /** What to check or rebuild. */
  note: Schema.optional(Schema.String),
});
export type AutomationItem = typeof AutomationItem.Type;

const isSourceField = (name: string) => /source|origin|channel|origem|fonte/i.test(name);

/**
 * Derives the inventory from schema changes: every stage of an `EnsurePipeline`, the options
 * of enum fields whose name says source, origin or channel, the options of multi-option
 * (`set`) fields, which carry the source's tags, and the lead labels.
 */
export const automationsFromSchema = (
  changes: ReadonlyArray<SchemaChange>,
): ReadonlyArray<AutomationItem> => {
  const items: Array<AutomationItem> = [];
  for (const change of changes) {
    switch (change._tag) {
      case "EnsurePipeline":
        for (const stage of change.stages) {
          items.push({ type: "stage", name: stage.name, where: `pipeline ${change.name}` });
        }
        break;
      case "EnsureField":
        if (change.type === "set" || (change.type === "enum" && isSourceField(change.name))) {
          const type = change.type === "set" && !isSourceField(change.name) ? "tag" : "source";
          for (const option of change.options) {
            items.push({ type, name: option, where: `${change.kind} field ${change.name}` });
          }
        }
        break;
      case "EnsureLabel":
        items.push({ type: "label", name: change.name, where: `${change.kind}s` });
        break;
      default:
        break;
    }
  }
  return items;
};
