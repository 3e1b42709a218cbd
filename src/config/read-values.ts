/**
 * Strict readers for option values. A typo such as `push: ture` is an error,
 * not a silent `false` — the GitHub toolkit's lenient parsing is a common
 * source of "why did it push?" surprises.
 */

const TRUE = new Set(['true', 'True', 'TRUE']);
const FALSE = new Set(['false', 'False', 'FALSE']);

export function parseBooleanValue(name: string, raw: string, problems: string[]): boolean | undefined {
  if (TRUE.has(raw)) return true;
  if (FALSE.has(raw)) return false;
  problems.push(`${name}: "${raw}" is not a boolean: use true or false`);
  return undefined;
}

/** Non-empty, trimmed lines; `#` starts a comment line. */
export function splitLines(raw: string): string[] {
  return raw
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/** Lines that may also be comma-separated (platforms, like docker's `--platform a,b`). */
export function splitList(raw: string): string[] {
  return splitLines(raw).flatMap((line) => line.split(',').map((item) => item.trim()).filter(Boolean));
}

/** `NAME=value` lines; the value may contain `=`. */
export function parsePairs(
  name: string,
  raw: string,
  keyPattern: RegExp,
  keyHint: string,
  problems: string[],
): (readonly [string, string])[] {
  const pairs: (readonly [string, string])[] = [];
  for (const line of splitLines(raw)) {
    const eq = line.indexOf('=');
    const key = eq < 0 ? line : line.slice(0, eq).trim();
    if (eq < 0 || !keyPattern.test(key)) {
      problems.push(`${name}: "${line.length > 40 ? `${line.slice(0, 40)}…` : line}" is not ${keyHint}=value: write one ${keyHint}=value per line`);
      continue;
    }
    pairs.push([key, line.slice(eq + 1)]);
  }
  return pairs;
}
