/**
 * Tag lists: split on the export's separators, trimmed, empty parts dropped, and deduplicated
 * without regard to case (the first spelling wins).
 */

/**
 * Splits a tag list.
 *
 * @example
 * ```ts
 * splitTags(" vip; Hot |hot,, expo ", [",", ";", "|"]); // ["vip", "Hot", "expo"]
 * ```
 */
export const splitTags = (
  raw: string,
  separators: ReadonlyArray<string>,
): ReadonlyArray<string> => {
  let parts: ReadonlyArray<string> = [raw];
  for (const separator of separators) parts = parts.flatMap((part) => part.split(separator));

  const seen = new Set<string>();
  const tags: Array<string> = [];
  for (const part of parts) {
    const tag = part.trim();
    const key = tag.toLowerCase();
    if (tag === "" || seen.has(key)) continue;
    seen.add(key);
    tags.push(tag);
  }
  return tags;
};
