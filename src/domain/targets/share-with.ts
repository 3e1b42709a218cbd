/**
 * The `share-with` lines (`account[:read][:until YYYY-MM-DD]`), checked before
 * anything runs; the end date against the run's clock in checkShareDeadlines.
 * Pure: config/ parses with it, deploy/swr-share.ts acts on the result.
 */

export interface ShareGrant {
  /** The account (domain) name the repository is shared with. */
  account: string;
  /** SWR shares grant pull access only. */
  permit: 'read';
  /** `YYYY-MM-DD` (UTC, inclusive), or undefined for no end. */
  until?: string;
}

export interface ShareLine extends ShareGrant {
  /** The line as written (trimmed), for logs and errors. */
  text: string;
}

/** Account (domain) names: letters, digits, `_`, `-` and `.`, up to 64; nothing that would change the API path. */
const ACCOUNT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const EXAMPLE = 'e.g. partner-account or partner-account:read:until 2026-12-31';

/** Every well-formed line, and one `share-with: "<line>" …: <fix>` error per bad one. Blank and `#` lines are skipped. */
export function parseShareWith(text: string): { shares: ShareLine[]; errors: string[] } {
  const shares: ShareLine[] = [];
  const errors: string[] = [];
  const seen = new Set<string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const parsed = parseLine(line);
    if (typeof parsed === 'string') {
      errors.push(`share-with: "${line.length > 80 ? `${line.slice(0, 80)}…` : line}" ${parsed}`);
      continue;
    }
    if (seen.has(parsed.account)) {
      errors.push(`share-with: "${line}" names ${parsed.account} a second time: keep one line per account`);
      continue;
    }
    seen.add(parsed.account);
    shares.push(parsed);
  }
  return { shares, errors };
}

function parseLine(line: string): ShareLine | string {
  const [account = '', ...options] = line.split(':').map((part) => part.trim());
  if (!ACCOUNT.test(account)) {
    return `has account "${account}": an account name is 1-64 letters, digits, "_", "-" or ".": ${EXAMPLE}`;
  }
  let until: string | undefined;
  let permitSeen = false;
  for (const option of options) {
    if (option === 'read' && !permitSeen) {
      permitSeen = true;
      continue;
    }
    if (option === 'write') {
      return 'asks for write: SWR shares grant pull (read) access only; to let another account push, give its users a permission on the organization in the SWR console instead';
    }
    const day = /^until\s+(\S+)$/.exec(option);
    if (day && until === undefined) {
      const problem = checkDay(day[1] as string);
      if (problem) return problem;
      until = day[1] as string;
      continue;
    }
    return `has "${option}" after the account: write account[:read][:until YYYY-MM-DD], ${EXAMPLE}`;
  }
  return { account, permit: 'read', ...(until === undefined ? {} : { until }), text: line };
}

function checkDay(text: string): string | undefined {
  const match = DAY.exec(text);
  const date = match ? new Date(`${text}T00:00:00Z`) : undefined;
  if (!match || date === undefined || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== text) {
    return `has until "${text}", not a date: write until YYYY-MM-DD (UTC), ${EXAMPLE}`;
  }
  return undefined;
}

/** One line per share whose last day is already over (UTC); checked before anything runs. */
export function checkShareDeadlines(shares: readonly ShareLine[], now: Date): string[] {
  const today = now.toISOString().slice(0, 10);
  return shares
    .filter((share) => share.until !== undefined && share.until < today)
    .map((share) => `share-with: "${share.text}" ended on ${share.until} (today is ${today} UTC): give a later date, or drop ":until" for a share without end`);
}

