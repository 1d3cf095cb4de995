/**
 * Recovery of the schema items an interrupted schema phase created. Before the phase applies
 * its changes it stores which items the destination already has; when the phase runs again
 * after a crash, the destination reports the items the first attempt created as existing, and
 * the items that the snapshot lacks are journaled as created by the run.
 */
import type { DestinationSchema } from "../DestinationSchema.js";
import type { CreatedSchemaItem, SchemaChange } from "../SchemaChange.js";

/** Lists a destination schema's items by a key of their type and names, with their ids. */
export const schemaInventory = (
  schema: DestinationSchema,
): ReadonlyMap<string, CreatedSchemaItem> => {
  const items = new Map<string, CreatedSchemaItem>();
  for (const pipeline of schema.pipelines) {
    items.set(`pipeline:${pipeline.name}`, {
      type: "pipeline",
      id: pipeline.id,
      name: pipeline.name,
    });
    for (const stage of pipeline.stages) {
      items.set(`stage:${pipeline.name}/${stage.name}`, {
        type: "stage",
        id: stage.id,
        name: stage.name,
        parentId: pipeline.id,
      });
    }
  }
  for (const [kind, fields] of Object.entries(schema.fields)) {
    for (const field of fields.filter((f) => f.isCustom)) {
      items.set(`field:${kind}/${field.name}`, {
        type: "field",
        id: field.key,
        name: field.name,
        kind,
      });
      for (const option of field.options) {
        items.set(`option:${kind}/${field.name}/${option.label}`, {
          type: "option",
          id: option.id,
          name: option.label,
          kind,
          parentId: field.key,
        });
      }
    }
  }
  for (const label of schema.labels) {
    items.set(`label:${label.kind}/${label.name}`, {
      type: "label",
      id: label.id,
      name: label.name,
      kind: label.kind,
    });
  }
  for (const type of schema.activityTypes) {
    items.set(`activity-type:${type.name}`, {
      type: "activity-type",
      id: type.key,
      name: type.name,
    });
  }
  for (const user of schema.users) {
    items.set(`user:${user.email}`, { type: "user", id: user.id, name: user.email });
  }
  return items;
};

/** Returns the inventory keys the changes ask for. */
export const requestedKeys = (changes: ReadonlyArray<SchemaChange>): ReadonlyArray<string> =>
  changes.flatMap((change) => {
    switch (change._tag) {
      case "EnsurePipeline":
        return [
          `pipeline:${change.name}`,
          ...change.stages.map((stage) => `stage:${change.name}/${stage.name}`),
        ];
      case "EnsureField":
        return [
          `field:${change.kind}/${change.name}`,
          ...change.options.map((option) => `option:${change.kind}/${change.name}/${option}`),
        ];
      case "EnsureLabel":
        return [`label:${change.kind}/${change.name}`];
      case "EnsureActivityType":
        return [`activity-type:${change.name}`];
      default:
        return [`user:${change.email.trim().toLowerCase()}`];
    }
  });

/**
 * Returns the requested items that exist now, were absent from the snapshot taken before the
 * first attempt, and are not in `created`: the items an interrupted attempt created.
 */
export const recoveredItems = (
  changes: ReadonlyArray<SchemaChange>,
  before: ReadonlySet<string>,
  now: DestinationSchema,
  created: ReadonlyArray<CreatedSchemaItem>,
): ReadonlyArray<CreatedSchemaItem> => {
  const inventory = schemaInventory(now);
  const known = new Set(created.map((item) => `${item.type}:${item.id}`));
  return requestedKeys(changes).flatMap((key) => {
    const item = inventory.get(key);
    if (item === undefined || before.has(key) || known.has(`${item.type}:${item.id}`)) return [];
    return [item];
  });
};
