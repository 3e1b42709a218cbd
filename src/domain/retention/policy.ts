/**
 * The `retention` input: which old tags of the repository may be deleted
 * after a push. Settings are separated by commas, spaces or new lines:
 *
 *   keep-last=N        keep the N newest candidate tags (N ≥ 1)
 *   max-age-days=D     keep candidate tags at most D days old (D ≥ 1)
 *   tag-pattern=REGEX  only tags the pattern matches in full are candidates;
 *                      every other tag is always kept; a pattern that can
 *                      backtrack catastrophically is refused (regex-safety.ts)
 *
 * At least one of keep-last and max-age-days is required. Each is a deletion
 * rule in the way SWR's image-aging rules are (age: "images kept longer than
 * the time are deleted"; count: "when more images are kept than the number,
 * the old ones are deleted"): given both, a tag is deleted when either rule
 * deletes it, so it stays only when it is among the newest N and not older
 * than D days. Tags pushed by the run are never deleted (see select.ts).
 */
import { catastrophicBacktracking } from './regex-safety.js';

export interface RetentionPolicy {
  /** Keep the N newest candidates. */
  readonly keepLast?: number;
  /** Keep candidates created at most this many days ago. */
  readonly maxAgeDays?: number;
  /** Only tags matching this (anchored at both ends) are candidates for deletion. */
  readonly tagPattern?: RegExp;
  /** The pattern as written, for messages. */
  readonly tagPatternSource?: string;
}

export interface ParsedRetention {
  /** undefined when the text is empty or has errors. */
  policy?: RetentionPolicy;
  /** One line each: `retention: … : <fix>`. */
  errors: string[];
}

const KEYS = ['keep-last', 'max-age-days', 'tag-pattern'] as const;
type Key = (typeof KEYS)[number];
const EXAMPLE = 'keep-last=10, max-age-days=30, tag-pattern=^sha-.*';
/** A hundred years: past this a number is a typo, not a policy. */
const MAX_DAYS = 36_500;
const MAX_KEEP = 1_000_000;

export function parseRetention(text: string): ParsedRetention {
  const errors: string[] = [];
  const items = splitItems(text);
  if (items.length === 0) return { errors };

  const seen = new Map<Key, string>();
  for (const item of items) {
    const equals = item.indexOf('=');
    if (equals === -1) {
      errors.push(`retention: "${item}" has no "=": write key=value, e.g. ${EXAMPLE}`);
      continue;
    }
    const key = item.slice(0, equals).trim().toLowerCase();
    const value = item.slice(equals + 1).trim();
    if (!(KEYS as readonly string[]).includes(key)) {
      errors.push(`retention: unknown setting "${item.slice(0, equals)}": use keep-last=N, max-age-days=D or tag-pattern=REGEX`);
      continue;
    }
    if (seen.has(key as Key)) {
      errors.push(`retention: ${key} is given twice ("${seen.get(key as Key)}" and "${item}"): keep one`);
      continue;
    }
    seen.set(key as Key, item);
    if (value === '') errors.push(`retention: ${key} has no value: write ${key}=${key === 'tag-pattern' ? 'REGEX' : 'N'}`);
  }

  const keepLast = readCount(seen.get('keep-last'), 'keep-last', MAX_KEEP, errors);
  const maxAgeDays = readCount(seen.get('max-age-days'), 'max-age-days', MAX_DAYS, errors);
  const pattern = readPattern(seen.get('tag-pattern'), errors);

  if (!seen.has('keep-last') && !seen.has('max-age-days')) {
    errors.push(
      'retention: neither keep-last nor max-age-days is set, so the policy keeps nothing and every matching tag would be deleted: ' +
        'add keep-last=N and/or max-age-days=D',
    );
  }
  if (errors.length > 0) return { errors };

  const policy: RetentionPolicy = {
    ...(keepLast === undefined ? {} : { keepLast }),
    ...(maxAgeDays === undefined ? {} : { maxAgeDays }),
    ...(pattern === undefined ? {} : { tagPattern: pattern.regex, tagPatternSource: pattern.source }),
  };
  return { policy: Object.freeze(policy), errors };
}

/** `keep-last=10, max-age-days=30, tag-pattern=^sha-.*` — the policy as the input would write it. */
export function describeRetention(policy: RetentionPolicy): string {
  const parts: string[] = [];
  if (policy.keepLast !== undefined) parts.push(`keep-last=${policy.keepLast}`);
  if (policy.maxAgeDays !== undefined) parts.push(`max-age-days=${policy.maxAgeDays}`);
  if (policy.tagPattern !== undefined) parts.push(`tag-pattern=${policy.tagPatternSource ?? policy.tagPattern.source}`);
  return parts.join(', ');
}

/**
 * Items are separated by new lines, whitespace, and commas that end an item
 * (a comma followed by another `key=`, or by nothing). A comma inside a
 * tag-pattern such as `v\d{1,3}` therefore stays part of the pattern.
 */
function splitItems(text: string): string[] {
  return text
    .split(/\s+/)
    .flatMap((chunk) => chunk.split(/,(?=\s*$|[A-Za-z][A-Za-z-]*=)/))
    .map((item) => item.trim().replace(/^,+|,+$/g, ''))
    .filter((item) => item !== '');
}

function readCount(item: string | undefined, key: 'keep-last' | 'max-age-days', max: number, errors: string[]): number | undefined {
  if (item === undefined) return undefined;
  const value = item.slice(item.indexOf('=') + 1).trim();
  if (value === '') return undefined; // already reported
  const unit = key === 'keep-last' ? 'tags' : 'days';
  if (!/^[+-]?\d+$/.test(value)) {
    errors.push(`retention: ${key}=${value} is not a whole number: write ${key}=N with N a number of ${unit}, 1 or more`);
    return undefined;
  }
  const number = Number(value);
  if (number === 0) {
    errors.push(`retention: ${key}=0 would delete everything: use ${key}=1 or more`);
    return undefined;
  }
  if (number < 0) {
    errors.push(`retention: ${key}=${value} is negative: use ${key}=1 or more`);
    return undefined;
  }
  if (number > max) {
    errors.push(`retention: ${key}=${value} is too large: use at most ${max}`);
    return undefined;
  }
  return number;
}

function readPattern(item: string | undefined, errors: string[]): { regex: RegExp; source: string } | undefined {
  if (item === undefined) return undefined;
  const source = item.slice(item.indexOf('=') + 1).trim();
  if (source === '') return undefined; // already reported
  try {
    // Compiled alone first, so `a)|(b` cannot slip through the wrapping below.
    new RegExp(source);
  } catch (error) {
    const why = error instanceof Error ? error.message.replace(/^Invalid regular expression: (?:\/.*\/[a-z]*: )?/, '') : String(error);
    errors.push(`retention: tag-pattern "${source}" is not a valid regular expression (${why}): fix the pattern, e.g. tag-pattern=^sha-[0-9a-f]+$`);
    return undefined;
  }
  // The pattern runs on tags the registry sends: one that can backtrack for hours is refused before any request.
  const danger = catastrophicBacktracking(source);
  if (danger !== undefined) {
    errors.push(`retention: tag-pattern "${source}" could take hours on a crafted tag from the registry (catastrophic backtracking): ${danger}`);
    return undefined;
  }
  // Anchored: `sha-.*` means tags that are `sha-…`, not tags containing it somewhere.
  return { regex: new RegExp(`^(?:${source})$`), source };
}
