/**
 * Names of source and destination kinds in messages for people: `message_thread` is written
 * "message thread".
 */
import type { RecordRef } from "@ferry/core";

/** Writes a kind as words, such as "message thread" for `message_thread`. */
export const kindName = (kind: string): string => kind.replaceAll("_", " ");

/**
 * Names the destination record made from a source record: "lead L-1" when the kinds are the
 * same, else "the deal of lead L-1".
 */
export const targetName = (destKind: string, ref: RecordRef): string =>
  destKind === ref.kind
    ? `${kindName(ref.kind)} ${ref.sourceId}`
    : `the ${kindName(destKind)} of ${kindName(ref.kind)} ${ref.sourceId}`;
