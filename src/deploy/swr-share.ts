/**
 * The `share-with` target: after the verified push, the SWR repository is
 * shared with other accounts (cloud/huawei/swr-sharing.ts), one
 * `account[:read][:until YYYY-MM-DD]` per line. Checked here before anything
 * runs; the date against the run's clock in checkShareDeadlines.
 */
import type { HuaweiApiClient } from '../cloud/huawei/api-client.js';
import { describeShare, shareRepository, type ShareGrant } from '../cloud/huawei/swr-sharing.js';
import type { DeployResult } from './types.js';

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

/** Shares `repository` (`namespace/name`) with one account and reads the share back. */
export async function shareImage(client: HuaweiApiClient, repository: string, share: ShareLine): Promise<DeployResult> {
  const slash = repository.indexOf('/');
  if (slash <= 0) throw new Error(`share-with: the repository "${repository}" has no SWR organization: set namespace`);
  const result = await shareRepository(client, repository.slice(0, slash), repository.slice(slash + 1), share);
  return {
    target: 'swr-share',
    id: `${repository} → ${share.account}`,
    previous: describeShare(result.before),
    current: describeShare(result.after),
    verified: true,
  };
}
