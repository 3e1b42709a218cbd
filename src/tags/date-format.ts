import { RuleSyntaxProblem } from './errors.js';

/** The tokens `{{date 'FORMAT'}}` understands; every one is rendered in UTC. */
export const DATE_TOKENS = ['YYYY', 'MM', 'DD', 'HH', 'mm', 'ss'] as const;
export type DateToken = (typeof DATE_TOKENS)[number];

export type DateFormatPart = { kind: 'token'; token: DateToken } | { kind: 'literal'; text: string };

/**
 * Splits a format such as `YYYYMMDD-HHmmss` into tokens and literal text.
 * Letters that are not a token are rejected rather than copied, so a typo
 * like `YYMMDD` fails the build instead of silently producing `YYMMDD` text.
 */
export function compileDateFormat(format: string): DateFormatPart[] {
  if (format === '') {
    throw new RuleSyntaxProblem(`{{date ''}} has an empty format; use tokens ${DATE_TOKENS.join(' ')}, e.g. {{date 'YYYYMMDD'}}`);
  }
  const parts: DateFormatPart[] = [];
  let index = 0;
  while (index < format.length) {
    const token = DATE_TOKENS.find((candidate) => format.startsWith(candidate, index));
    if (token !== undefined) {
      parts.push({ kind: 'token', token });
      index += token.length;
      continue;
    }
    const char = format.charAt(index);
    if (/[A-Za-z]/.test(char)) {
      throw new RuleSyntaxProblem(
        `{{date '${format}'}} has an unknown token at \`${format.slice(index)}\`; use tokens ${DATE_TOKENS.join(' ')} (UTC)`,
      );
    }
    parts.push({ kind: 'literal', text: char });
    index += 1;
  }
  return parts;
}

export function formatDate(parts: readonly DateFormatPart[], now: Date): string {
  return parts.map((part) => (part.kind === 'literal' ? part.text : renderToken(part.token, now))).join('');
}

function renderToken(token: DateToken, now: Date): string {
  switch (token) {
    case 'YYYY':
      return String(now.getUTCFullYear()).padStart(4, '0');
    case 'MM':
      return twoDigits(now.getUTCMonth() + 1);
    case 'DD':
      return twoDigits(now.getUTCDate());
    case 'HH':
      return twoDigits(now.getUTCHours());
    case 'mm':
      return twoDigits(now.getUTCMinutes());
    case 'ss':
      return twoDigits(now.getUTCSeconds());
  }
}

function twoDigits(value: number): string {
  return String(value).padStart(2, '0');
}
