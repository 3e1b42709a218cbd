/** Docker allows at most 128 characters in a tag. */
export const MAX_TAG_LENGTH = 128;

/**
 * Turns any text into a valid Docker tag (`[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`)
 * instead of failing the push later: branch `feature/x` becomes `feature-x`,
 * and `+build` metadata from a semver tag becomes `-build` because `+` is not
 * allowed in a tag. Returns '' when nothing is left, which callers treat as
 * "no tag".
 */
export function sanitizeTag(text: string): string {
  // The `u` flag makes a non-BMP character (e.g. an emoji) one `-`, not two.
  let tag = text.replace(/[^A-Za-z0-9_.-]/gu, '-');
  if (tag.startsWith('.') || tag.startsWith('-')) {
    tag = `_${tag.slice(1)}`;
  }
  return tag.slice(0, MAX_TAG_LENGTH);
}
