/**
 * The image-sharing part of the SWR stand-in (swr-api.ts): CreateRepoDomains,
 * ShowAccessDomain and UpdateRepoDomains on
 * `/v2/manage/namespaces/{ns}/repositories/{repo}/access-domains[/{account}]`,
 * with the documented bodies (permit `read` only, deadline `forever` or a
 * UTC time whose day is not over, the account must exist), 409 "The
 * repository has been shared" for a second create and `{exist: false}` for an
 * account without a share. Kept apart so each file stays readable.
 */
import type { Answer } from './http-faults.js';

export interface ShareSeed {
  access_domain: string;
  permit: string;
  deadline: string;
  description?: string;
}

export interface ShareRecord extends ShareSeed {
  description: string;
  created: string;
  updated: string;
}

interface SharingState {
  shares: Map<string, Map<string, ShareRecord>>;
  shareWrites: string[];
}

export interface ShareDeps {
  state: SharingState;
  /** Accounts that exist. */
  accounts: ReadonlySet<string>;
  /** The repository, or the stand-in's 404 answer. */
  repositoryOf(namespace: string, encodedRepository: string): { key: string } | Answer;
  swrError(status: number, code: string, message: string): Answer;
}

export interface ShareHandlers {
  createShare(namespace: string, encodedRepository: string, rawBody: Buffer): Answer;
  showShare(namespace: string, encodedRepository: string, account: string): Answer;
  updateShare(namespace: string, encodedRepository: string, account: string, rawBody: Buffer): Answer;
}

export function shareHandlers({ state, accounts, repositoryOf, swrError }: ShareDeps): ShareHandlers {
  function shareBody(rawBody: Buffer, fields: readonly string[], required: readonly string[]): Record<string, unknown> | Answer {
    let body: unknown;
    try {
      body = JSON.parse(rawBody.toString('utf8'));
    } catch {
      return swrError(400, 'SVCSTG.SWR.4000014', 'Invalid param: the body is not JSON');
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body)) return swrError(400, 'SVCSTG.SWR.4000014', 'Invalid param: the body is not an object');
    const record = body as Record<string, unknown>;
    const unknown = Object.keys(record).filter((key) => !fields.includes(key));
    if (unknown.length > 0) return swrError(400, 'SVCSTG.SWR.4000014', `Invalid param: unknown field ${unknown.join(', ')}`);
    const missing = required.filter((key) => typeof record[key] !== 'string' || record[key] === '');
    if (missing.length > 0) return swrError(400, 'SVCSTG.SWR.4000014', `Invalid param: ${missing.join(', ')} is required`);
    // "Currently, only the read permission is supported."
    if (record['permit'] !== 'read') return swrError(400, 'SVCSTG.SWR.4000014', `Invalid param: permit ${String(record['permit'])}, only read is supported`);
    const deadline = record['deadline'] as string;
    if (deadline !== 'forever') {
      const at = Date.parse(deadline);
      if (!/^\d{4}-\d{2}-\d{2}T/.test(deadline) || Number.isNaN(at)) return swrError(400, 'SVCSTG.SWR.4000014', `Invalid param: deadline ${deadline}`);
      // The share lasts until 00:00:00 of the next day: a day already over is refused.
      if (at + 86_400_000 < Date.now()) return swrError(400, 'SVCSTG.SWR.4000014', `Invalid param: deadline ${deadline} is in the past`);
    }
    if (record['description'] !== undefined && typeof record['description'] !== 'string') return swrError(400, 'SVCSTG.SWR.4000014', 'Invalid param: description');
    return record;
  }

  function sharesOf(namespace: string, encodedRepository: string): { key: string; shares: Map<string, ShareRecord> } | Answer {
    const found = repositoryOf(namespace, encodedRepository);
    if ('status' in found) return found;
    let shares = state.shares.get(found.key);
    if (shares === undefined) {
      shares = new Map();
      state.shares.set(found.key, shares);
    }
    return { key: found.key, shares };
  }

  function createShare(namespace: string, encodedRepository: string, rawBody: Buffer): Answer {
    const found = sharesOf(namespace, encodedRepository);
    if ('status' in found) return found;
    const body = shareBody(rawBody, ['access_domain', 'permit', 'deadline', 'description'], ['access_domain', 'permit', 'deadline']);
    if ('status' in body) return body as Answer;
    const account = body['access_domain'] as string;
    if (!accounts.has(account)) return swrError(400, 'SVCSTG.SWR.4000014', `Invalid param: the account ${account} does not exist`);
    // The API reference gives only the status and its description for this case.
    if (found.shares.has(account)) return { status: 409, body: { errors: [{ errorCode: '', errorMessage: 'The repository has been shared', detail: '' }], error_msg: 'The repository has been shared' } };
    const stamp = swrTime(new Date());
    found.shares.set(account, { access_domain: account, permit: 'read', deadline: body['deadline'] as string, description: (body['description'] as string | undefined) ?? '', created: stamp, updated: stamp });
    state.shareWrites.push(`create ${found.key} ${account}`);
    return { status: 201, body: undefined };
  }

  function showShare(namespace: string, encodedRepository: string, account: string): Answer {
    const found = sharesOf(namespace, encodedRepository);
    if ('status' in found) return found;
    const share = found.shares.get(safeDecode(account));
    if (share === undefined) return { status: 200, body: { exist: false } };
    const [ns, ...rest] = found.key.split('/');
    return {
      status: 200,
      body: {
        exist: true,
        namespace: ns,
        repository: rest.join('/'),
        access_domain: share.access_domain,
        permit: share.permit,
        deadline: share.deadline === 'forever' ? 'forever' : swrTime(new Date(share.deadline)),
        description: share.description,
        creator_id: 'd78cbac186b744899480f25bd0224c0a',
        creator_name: 'ci-user',
        created: share.created,
        updated: share.updated,
        status: share.deadline === 'forever' || Date.parse(share.deadline) + 86_400_000 >= Date.now(),
      },
    };
  }

  function updateShare(namespace: string, encodedRepository: string, account: string, rawBody: Buffer): Answer {
    const found = sharesOf(namespace, encodedRepository);
    if ('status' in found) return found;
    const share = found.shares.get(safeDecode(account));
    if (share === undefined) return { status: 404, body: { errors: [{ errorCode: '', errorMessage: 'The shared account does not exist', detail: '' }], error_msg: 'The shared account does not exist' } };
    const body = shareBody(rawBody, ['permit', 'deadline', 'description'], ['permit', 'deadline']);
    if ('status' in body) return body as Answer;
    // The update replaces the description as well (blank when not sent).
    Object.assign(share, { permit: body['permit'], deadline: body['deadline'], description: (body['description'] as string | undefined) ?? '', updated: swrTime(new Date()) });
    state.shareWrites.push(`update ${found.key} ${share.access_domain}`);
    return { status: 201, body: undefined };
  }

  return { createShare, showShare, updateShare };
}

/** UTC without fractions, as the API's examples show: `2018-07-06T06:18:55Z`. */
export function swrTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
