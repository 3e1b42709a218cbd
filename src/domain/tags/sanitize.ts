/** Docker allows at most 128 characters in a tag. */
export const MAX_TAG_LENGTH = 128;

/**
 * Turns any text into a valid Docker tag (`[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`)
 * instead of failing the push later. As in docker/metadata-action, each run of
 * characters outside `[A-Za-z0-9_.-]` becomes one `-`: branch `feature/x`
 * becomes `feature-x`, and `+build` metadata becomes `-build`. Beyond
 * metadata-action (whose result docker would refuse), a leading `.` or `-`
 * becomes `_` and the tag is cut to 128 characters. Returns '' when nothing
 * is left, which callers treat as "no tag".
 */
export function sanitizeTag(text: string): string {
  let tag = text.replace(/[^A-Za-z0-9_.-]+/gu, '-');
  if (tag.startsWith('.') || tag.startsWith('-')) {
    tag = `_${tag.slice(1)}`;
  }
  return tag.slice(0, MAX_TAG_LENGTH);
}
