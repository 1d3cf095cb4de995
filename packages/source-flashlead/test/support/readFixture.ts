/**
 * Test helpers: the path of a fixture folder and the items a source reads from it.
 */
import { fileURLToPath } from "node:url";

import { isRejection, isSourceRecord, type Rejection, type SourceRecord } from "@ferry/core";
import { Chunk, Effect, Stream } from "effect";

import {
  type FlashLeadKind,
  type FlashLeadSourceOptions,
  makeFlashLeadSource,
} from "../../src/index.js";

/** Absolute path of a folder under test/fixtures. */
export const fixture = (name: string): string =>
  fileURLToPath(new URL(`../fixtures/${name}/`, import.meta.url));

/** The records and rejections of one kind, read from a folder. */
export const readItems = async (
  folder: string,
  kind: FlashLeadKind,
  options: Partial<FlashLeadSourceOptions> = {},
): Promise<{ records: Array<SourceRecord>; rejections: Array<Rejection> }> => {
  const source = makeFlashLeadSource({ folder, ...options });
  const items = Chunk.toArray(await Effect.runPromise(Stream.runCollect(source.read(kind))));
  return { records: items.filter(isSourceRecord), rejections: items.filter(isRejection) };
};

/** The records and rejections of one kind, read from a fixture folder. */
export const readFixture = (
  name: string,
  kind: FlashLeadKind,
  options: Partial<FlashLeadSourceOptions> = {},
) => readItems(fixture(name), kind, options);
