/**
 * SWR image sharing: grant other Huawei Cloud accounts access to a private
 * repository (the console's "Sharing Private Images", seed 003) through the
 * SWR API's shared-account calls, each signed with the AK/SK.
 *
 * Facts relied on (SWR API reference, "Shared Account Management"):
 * - CreateRepoDomains `POST /v2/manage/namespaces/{ns}/repositories/{repo}/access-domains`
 *   `{access_domain, permit, deadline, description?}` → 201; 409 "The
 *   repository has been shared" (with that account already).
 * - ShowAccessDomain `GET …/access-domains/{access_domain}` → `{exist, …}`;
 *   when it exists also permit, deadline, description, creator_name,
 *   created, updated, status (false once expired).
 * - UpdateRepoDomains `PATCH …/access-domains/{access_domain}` `{permit, deadline, description?}`.
 * - `permit`: only `read` (pull) is supported. `deadline`: `forever`, or a
 *   UTC time; the share lasts until 00:00:00 of the following day.
 * - A repository name containing `/` is sent with each `/` replaced by `$`.
 */
import { HuaweiApiError, type HuaweiApiClient } from './api-client.js';
import type { ShareGrant } from '../../domain/targets/share-with.js';
import { checkNamespace, checkRepository, isGatewayCode, swrRequest } from './swr.js';

/** 404s that mean the organization or repository is missing, not the share (SWR error codes appendix). */
const NOT_FOUND_ELSEWHERE: ReadonlySet<string> = new Set(['SVCSTG.SWR.4040010', 'SVCSTG.SWR.4040113', 'SVCSTG.SWR.4040058', 'SVCSTG.SWR.4041061']);


/** What an account has on the repository now, as SWR shows it. */
export interface ShareState {
  permit: string;
  /** `forever`, or the day the share ends (`YYYY-MM-DD`). */
  deadline: string;
  description: string;
  /** False when SWR says the share has expired. */
  active: boolean;
}

export type ShareOutcome = 'created' | 'updated' | 'unchanged';

export interface ShareResult {
  outcome: ShareOutcome;
  before: ShareState | undefined;
  /** Read back after any change. */
  after: ShareState;
}

/**
 * Makes `grant` hold, idempotently: no call when the account already has the
 * same permit and deadline, an update when they differ, a create when there
 * is no share; then reads the share back and checks it.
 */
export async function shareRepository(client: HuaweiApiClient, namespace: string, repository: string, grant: ShareGrant): Promise<ShareResult> {
  checkNamespace(namespace);
  checkRepository(repository);
  const subject = `${namespace}/${repository} with ${grant.account}`;
  const wanted = { permit: grant.permit, deadline: grant.until ?? 'forever' };
  const before = await readShare(client, namespace, repository, grant.account);
  if (before !== undefined && sameShare(before, wanted)) return { outcome: 'unchanged', before, after: before };

  let outcome: ShareOutcome = before === undefined ? 'created' : 'updated';
  if (before === undefined) {
    try {
      await swrRequest(client, {
        method: 'POST',
        path: sharesPath(namespace, repository),
        body: { access_domain: grant.account, permit: wanted.permit, deadline: wireDeadline(wanted.deadline) },
        operation: `share SWR repository ${subject}`,
        // A repeat after a lost answer meets 409 "has been shared", settled below by an update and the read-back.
        idempotent: true,
      });
    } catch (error) {
      if (!(error instanceof HuaweiApiError && error.status === 409 && !isGatewayCode(error.code) && error.code !== 'SVCSTG.SWR.4090023')) throw error;
      outcome = 'updated';
    }
  }
  if (outcome === 'updated') {
    const current = before ?? (await readShare(client, namespace, repository, grant.account));
    if (current === undefined || !sameShare(current, wanted)) {
      await swrRequest(client, {
        method: 'PATCH',
        path: `${sharesPath(namespace, repository)}/${encodeURIComponent(grant.account)}`,
        // The update replaces the description too: the one the share has is sent back.
        body: { permit: wanted.permit, deadline: wireDeadline(wanted.deadline), ...(current?.description ? { description: current.description } : {}) },
        operation: `update the SWR share of ${subject}`,
        idempotent: true,
      });
    }
  }

  const after = await readShare(client, namespace, repository, grant.account);
  if (after === undefined || !sameShare(after, wanted)) {
    throw new Error(
      `share SWR repository ${subject}: SWR accepted the change but shows ${after === undefined ? 'no share' : `${after.permit} until ${after.deadline}`}, not ${wanted.permit} until ${wanted.deadline}`,
    );
  }
  return { outcome, before, after };
}

/** The account's share of the repository, or undefined when there is none. */
export async function readShare(client: HuaweiApiClient, namespace: string, repository: string, account: string): Promise<ShareState | undefined> {
  let body: unknown;
  try {
    body = (
      await swrRequest(client, {
        method: 'GET',
        path: `${sharesPath(namespace, repository)}/${encodeURIComponent(account)}`,
        operation: `read the SWR share of ${namespace}/${repository} with ${account}`,
      })
    ).body;
  } catch (error) {
    // "No such share" may come as 404 too; a missing organization or repository, or the gateway's own 404 (a wrong endpoint), may not.
    if (error instanceof HuaweiApiError && error.status === 404 && !isGatewayCode(error.code) && !NOT_FOUND_ELSEWHERE.has(error.code)) return undefined;
    throw error;
  }
  const record = (body ?? {}) as Record<string, unknown>;
  if (record['exist'] !== true) return undefined;
  return {
    permit: typeof record['permit'] === 'string' ? record['permit'] : '',
    deadline: readDeadline(record['deadline']),
    description: typeof record['description'] === 'string' ? record['description'] : '',
    active: record['status'] !== false,
  };
}

/** `forever`, or the day a share ends: `YYYY-MM-DD` and beyond as SWR writes it. */
function readDeadline(value: unknown): string {
  if (typeof value !== 'string' || value === '') return '';
  if (value === 'forever') return value;
  const day = /^(\d{4}-\d{2}-\d{2})/.exec(value);
  return day ? (day[1] as string) : value;
}

/** The share ends after `day` (UTC): SWR keeps it until 00:00:00 of the next day. */
function wireDeadline(deadline: string): string {
  return deadline === 'forever' ? deadline : `${deadline}T00:00:00.000Z`;
}

function sameShare(state: ShareState, wanted: { permit: string; deadline: string }): boolean {
  return state.permit === wanted.permit && state.deadline === wanted.deadline && state.active;
}

function sharesPath(namespace: string, repository: string): string {
  return `/v2/manage/namespaces/${namespace}/repositories/${repository.split('/').join('$')}/access-domains`;
}

/** `read until 2026-12-31`, `read (no end)`: how a share reads in logs and the deployments output. */
export function describeShare(state: { permit: string; deadline: string } | undefined): string {
  if (state === undefined) return '';
  return state.deadline === 'forever' ? `${state.permit} (no end)` : `${state.permit} until ${state.deadline}`;
}

export type { ShareGrant } from '../../domain/targets/share-with.js';
