/**
 * The record that notes, activities and files of a source record attach to, with the link key
 * and destination kind a planned note or file uses for it.
 */
import type { RecordRef } from "@ferry/core";

/** The target of the notes, activities and files of one source record. */
export interface NoteTarget {
  /** Link key on the note, file or activity: `deal_id`, `lead_id`, `person_id` or `org_id`. */
  readonly link: "deal_id" | "lead_id" | "person_id" | "org_id";
  readonly ref: RecordRef;
  /** Destination kind of the target, for `linkKinds`. */
  readonly kind: "deal" | "lead" | "person" | "organization";
  /** The person an activity names as its participant, when the target is not a person. */
  readonly person?: RecordRef;
  /**
   * The target's owner: the owner of the notes and files planned for it, and of its
   * activity-log rows that have no usable owner of their own.
   */
  readonly owner?: string;
}

/** The link and link kind of a note or file planned for a target. */
export const targetLinks = (
  target: NoteTarget,
): { links: Record<string, RecordRef>; linkKinds: Record<string, string> } => ({
  links: { [target.link]: target.ref },
  linkKinds: { [target.link]: target.kind },
});
