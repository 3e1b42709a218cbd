/**
 * The SWR management API (`https://swr-api.{region}.{domain}`, overridable
 * with the `endpoints` line `swr-api=…`): create an organization (namespace),
 * issue a temporary docker login, list and delete a repository's tags.
 *
 * Facts relied on (SWR API reference, "API Reference (basic edition)"):
 * - CreateNamespace `POST /v2/manage/namespaces` `{"namespace"}` → 201; 409
 *   SVCSTG.SWR.4090060 "organization already exists" (names are unique per
 *   region across all accounts, so the name may be someone else's);
 *   SVCSTG.SWR.4000097 "maximum number of organizations exceeded".
 * - ShowNamespace `GET /v2/manage/namespaces/{namespace}` → `{id, name, creator_name, auth}`.
 * - CreateSecret `POST /v2/manage/utils/secret?projectname={region}[&duration_seconds=900…86400]`
 *   → `{"auths": {"<registry host>": {"auth": base64("user:password")}}}`,
 *   headers `X-Swr-Dockerlogin` (the docker login command) and `X-Swr-Expireat`.
 * - ListRepositoryTags `GET /v2/manage/namespaces/{ns}/repos/{repo}/tags?limit&offset&order_column&order_type`
 *   → an array of `{Tag, digest, created, updated, …}` (UTC times), header
 *   `Content-Range: offset-count/total`; limit at most 1000.
 * - DeleteRepoTag `DELETE /v2/manage/namespaces/{ns}/repos/{repo}/tags/{tag}` → 204, 404 when absent.
 * - A repository name containing `/` is sent with each `/` replaced by `$`.
 * - Errors: `{"errors":[{"errorCode","errorMessage"}],"error_code","error_msg"}`
 *   (older services answer the bare `[{"errorCode","errorMessage","detail"}]`).
 *
 * `swr=` is deliberately not read as an alias of `swr-api=`: `swr.{region}.{domain}`
 * is the registry itself (docker login/push), a different host from the API.
 */
import { HuaweiApiError, type HuaweiApiClient, type HuaweiApiResponse } from './api-client.js';

const SERVICE = 'swr-api';
/** 1–64: starts with a lower-case letter, ends with a letter or digit; `.`, `_`, `__`, `-` between. */
const NAMESPACE = /^[a-z][a-z0-9]*(?:(?:[._-]|__)[a-z0-9]+)*$/;
const NAMESPACE_MAX = 64;
/** 1–128: lower-case letters and digits, separated by `.`, `/`, `_`, `__` or `-`. */
const REPOSITORY = /^[a-z0-9]+(?:(?:[./_-]|__)[a-z0-9]+)*$/;
const REPOSITORY_MAX = 128;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
/** CreateSecret's duration_seconds: 15 minutes to 24 hours. */
export const TEMPORARY_LOGIN_MIN_SECONDS = 15 * 60;
export const TEMPORARY_LOGIN_MAX_SECONDS = 24 * 60 * 60;
/** ListRepositoryTags answers at most this many per page. */
const MAX_PAGE_SIZE = 1000;
const DEFAULT_PAGE_SIZE = 100;
/** A service that pages forever must not keep a job busy forever. */
const MAX_PAGES = 10_000;

const ALREADY_EXISTS = 'SVCSTG.SWR.4090060';
const CROSS_ACCOUNT: ReadonlySet<string> = new Set(['SVCSTG.SWR.4011064', 'SVCSTG.SWR.4039001']);

const NAMESPACE_RULE =
  'an organization name is 1-64 characters: lower-case letters, digits, ".", "_" and "-", ' +
  'starting with a letter and ending with a letter or digit, no two separators in a row';

/** What to do about the SWR error codes imageship can meet here (SWR "Error Codes" appendix). */
const SWR_REMEDIES: ReadonlyMap<string, string> = new Map([
  [
    'SVCSTG.SWR.4000097',
    'the account has reached its SWR organization quota: use an existing organization, delete an unused one, or ask for a higher quota in a service ticket',
  ],
  ['SVCSTG.SWR.4001008', NAMESPACE_RULE],
  ['SVCSTG.SWR.4001028', NAMESPACE_RULE],
  ['SVCSTG.SWR.4009010', NAMESPACE_RULE],
  ['SVCSTG.SWR.4000014', 'SWR rejected a request parameter: check organization, repository and tag names'],
  ['SVCSTG.SWR.4001025', 'SWR rejected a query parameter: check region (the projectname) and the values the message names'],
  ['SVCSTG.SWR.4010000', 'SWR could not authenticate the request: check access-key and secret-key'],
  ['SVCSTG.SWR.4011064', 'the organization belongs to another account: choose an organization of this account'],
  ['SVCSTG.SWR.4039001', 'the organization or repository belongs to another account: choose one of this account'],
  [
    'SVCSTG.SWR.4039002',
    'this IAM user may not do this in SWR: grant it SWR Administrator (or SWR FullAccess) in IAM, or manage/edit permission on the organization',
  ],
  ['SVCSTG.SWR.4030170', 'this IAM user may not do this in SWR: grant it SWR Administrator (or SWR FullAccess) in IAM'],
  ['SVCSTG.SWR.4037017', 'this IAM user may not manage any organization: grant it manage permission on the organization, or SWR Administrator'],
  ['SVCSTG.SWR.4037020', 'this IAM user may not change this repository: grant it edit or manage permission on the organization'],
  ['SVCSTG.SWR.4040058', 'the organization does not exist in this region: check region and the organization (create-namespace can create it)'],
  ['SVCSTG.SWR.4041061', 'the organization does not exist in this region: check region and the organization (create-namespace can create it)'],
  ['SVCSTG.SWR.4040010', 'the repository does not exist in this organization: check the repository name (it appears with the first push)'],
  ['SVCSTG.SWR.4040113', 'the repository does not exist in this organization: check the repository name (it appears with the first push)'],
  ['SVCSTG.SWR.4000099', 'the repository has reached its tag quota: delete old tags (the retention input does this after each push)'],
  ['SVCSTG.SWR.4090023', 'SWR is busy: retry in a minute'],
  ['SVCSTG.SWR.4031032', 'throttled by SWR: wait and retry, or make fewer calls'],
  ['SVCSTG.SWR.4031042', 'throttled by SWR: wait and retry, or make fewer calls'],
]);

export type CreateNamespaceResult = 'created' | 'exists';

/**
 * Creates the SWR organization `namespace`. 'exists' when this account
 * already has it. A name held by another account (organization names are
 * unique per region) is an error saying so, not 'exists'.
 */
export async function createNamespace(client: HuaweiApiClient, namespace: string): Promise<CreateNamespaceResult> {
  checkNamespace(namespace);
  const operation = `create SWR organization ${namespace}`;
  try {
    await swrRequest(client, {
      method: 'POST',
      path: '/v2/manage/namespaces',
      body: { namespace },
      operation,
      // A repeat after a lost answer meets 409 "already exists", which is read back below: safe to retry.
      idempotent: true,
    });
    return 'created';
  } catch (error) {
    // 409 with another code (SVCSTG.SWR.4090023 "system busy") is not "exists".
    const exists = error instanceof HuaweiApiError && (error.code === ALREADY_EXISTS || (error.status === 409 && error.code === ''));
    if (!exists) throw error;
  }
  // 409 says the name is taken in this region, not by whom: only this account's organizations are visible.
  if (await namespaceVisible(client, namespace)) return 'exists';
  throw new HuaweiApiError(
    `${operation}: HTTP 409 ${ALREADY_EXISTS}: the organization name is taken by another account in ${client.region} ` +
      '(or is one this IAM user may not see) — organization names are unique per region: choose another organization (namespace) name',
    { status: 409, code: ALREADY_EXISTS, operation },
  );
}

/** Whether this account can see `namespace` (ShowNamespace answers 200). */
async function namespaceVisible(client: HuaweiApiClient, namespace: string): Promise<boolean> {
  try {
    await swrRequest(client, {
      method: 'GET',
      path: `/v2/manage/namespaces/${namespace}`,
      operation: `read SWR organization ${namespace}`,
    });
    return true;
  } catch (error) {
    // Not found, or "belongs to another account": either way not this account's.
    // A 403 for lack of permission (SVCSTG.SWR.4039002) is an error of its own, reported with its remedy.
    if (error instanceof HuaweiApiError && !isGatewayCode(error.code) && (error.status === 404 || CROSS_ACCOUNT.has(error.code))) {
      return false;
    }
    throw error;
  }
}

export interface TemporaryLogin {
  username: string;
  /** A credential: the caller masks it before anything is logged. */
  password: string;
  /** From `X-Swr-Expireat`; undefined when the answer did not say. */
  expiresAt?: Date;
  /** The registry host the login is for (the key of `auths`). */
  registry?: string;
}

/**
 * A temporary docker login for the SWR registry of `region` (CreateSecret).
 * Each call issues a new credential, so the POST is never repeated once it
 * may have reached the server. `durationSeconds` (900–86400) asks for a
 * validity; without it SWR's default applies (6 hours).
 */
export async function createTemporaryLogin(
  client: HuaweiApiClient,
  region: string,
  durationSeconds?: number,
): Promise<TemporaryLogin> {
  if (
    durationSeconds !== undefined &&
    (!Number.isInteger(durationSeconds) || durationSeconds < TEMPORARY_LOGIN_MIN_SECONDS || durationSeconds > TEMPORARY_LOGIN_MAX_SECONDS)
  ) {
    throw new Error(
      `SWR temporary login: duration ${durationSeconds} is not a whole number of seconds from ` +
        `${TEMPORARY_LOGIN_MIN_SECONDS} (15 minutes) to ${TEMPORARY_LOGIN_MAX_SECONDS} (24 hours)`,
    );
  }
  const operation = `get a temporary SWR login for ${region}`;
  const response = await swrRequest<unknown>(client, {
    method: 'POST',
    path: '/v2/manage/utils/secret',
    query: {
      projectname: region,
      ...(durationSeconds === undefined ? {} : { duration_seconds: String(durationSeconds) }),
    },
    operation,
    idempotent: false,
  });

  const login = loginFromAuths(response.body, region) ?? loginFromCommand(response.headers.get('x-swr-dockerlogin'));
  if (login === undefined) {
    throw new Error(`${operation}: the answer carries no login (no "auths" entry with user:password, no X-Swr-Dockerlogin header)`);
  }
  const expiresAt = parseSwrTime(response.headers.get('x-swr-expireat') ?? '');
  return { ...login, ...(expiresAt === undefined ? {} : { expiresAt }) };
}

function loginFromAuths(body: unknown, region: string): { username: string; password: string; registry: string } | undefined {
  const auths = (body as { auths?: unknown } | null | undefined)?.auths;
  if (auths === null || typeof auths !== 'object' || Array.isArray(auths)) return undefined;
  const entries = Object.entries(auths as Record<string, unknown>);
  // One entry is the rule; should there be more, the region's own registry is the one meant.
  entries.sort(([a], [b]) => Number(b.startsWith(`swr.${region}.`)) - Number(a.startsWith(`swr.${region}.`)));
  for (const [registry, value] of entries) {
    const encoded = (value as { auth?: unknown } | null)?.auth;
    if (typeof encoded !== 'string' || encoded === '') continue;
    const decoded = Buffer.from(encoded, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon <= 0 || colon === decoded.length - 1) continue;
    return { registry, username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  }
  return undefined;
}

/** `docker login -u USER -p PASSWORD HOST`, the X-Swr-Dockerlogin header. */
function loginFromCommand(command: string | null): { username: string; password: string; registry?: string } | undefined {
  if (command === null) return undefined;
  const match = /(?:^|\s)-u\s+(\S+)\s+-p\s+(\S+)(?:\s+(\S+))?/.exec(command);
  if (match === null) return undefined;
  const [, username, password, registry] = match as unknown as [string, string, string, string | undefined];
  return { username, password, ...(registry === undefined ? {} : { registry }) };
}

export interface SwrTag {
  tag: string;
  created: Date;
  updated: Date;
  digest?: string;
}

export interface ListTagsOptions {
  /** Tags per request, 1–1000; 100 by default. */
  pageSize?: number;
}

/** Every tag of `namespace/repository`, page by page (newest update first). */
export async function listRepositoryTags(
  client: HuaweiApiClient,
  namespace: string,
  repository: string,
  options: ListTagsOptions = {},
): Promise<SwrTag[]> {
  checkNamespace(namespace);
  checkRepository(repository);
  const limit = options.pageSize ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new Error(`list SWR tags: page size ${limit} is not a whole number from 1 to ${MAX_PAGE_SIZE}`);
  }
  const operation = `list the tags of SWR repository ${namespace}/${repository}`;
  const byName = new Map<string, SwrTag>();
  for (let page = 0, offset = 0; ; page++, offset += limit) {
    if (page >= MAX_PAGES) throw new Error(`${operation}: the tag pages do not end (${page} pages)`);
    const response = await swrRequest<unknown>(client, {
      method: 'GET',
      path: `${repositoryPath(namespace, repository)}/tags`,
      // Both pairs must come together; the offset is a multiple of the limit, as older regions require.
      query: { limit: String(limit), offset: String(offset), order_column: 'updated_at', order_type: 'desc' },
      operation,
    });
    if (!Array.isArray(response.body)) throw new Error(`${operation}: the answer is not a list of tags`);
    let added = 0;
    for (const item of response.body) {
      const tag = readTag(item, operation);
      // A push between two pages shifts the list; the first sighting of a tag stands.
      if (!byName.has(tag.tag)) {
        byName.set(tag.tag, tag);
        added++;
      }
    }
    const total = parseContentRangeTotal(response.headers.get('content-range'));
    const seen = offset + response.body.length;
    // A short page, the documented total reached, or a page with nothing new (a server ignoring offset) ends it.
    if (response.body.length < limit || (total !== undefined && seen >= total) || added === 0) break;
  }
  return [...byName.values()];
}

function readTag(item: unknown, operation: string): SwrTag {
  const record = (item ?? {}) as Record<string, unknown>;
  // The v2 API spells the name "Tag"; the v3 one "tag".
  const name = typeof record['Tag'] === 'string' ? record['Tag'] : record['tag'];
  if (typeof name !== 'string' || name === '') throw new Error(`${operation}: an entry has no tag name`);
  const created = parseSwrTime(typeof record['created'] === 'string' ? record['created'] : '');
  const updated = parseSwrTime(typeof record['updated'] === 'string' ? record['updated'] : '');
  if (created === undefined && updated === undefined) {
    throw new Error(`${operation}: tag ${name} has no readable created/updated time (${JSON.stringify(record['created'])})`);
  }
  const digest = record['digest'];
  return {
    tag: name,
    created: (created ?? updated) as Date,
    updated: (updated ?? created) as Date,
    ...(typeof digest === 'string' && digest !== '' ? { digest } : {}),
  };
}

/** `offset-count/total` → total. */
function parseContentRangeTotal(header: string | null): number | undefined {
  const match = /^\s*\d+\s*-\s*\d+\s*\/\s*(\d+)\s*$/.exec(header ?? '');
  return match ? Number(match[1]) : undefined;
}

export type DeleteTagResult = 'deleted' | 'absent';

/** Deletes one tag; 'absent' when SWR says it is not there (already gone is as good as deleted). */
export async function deleteRepositoryTag(
  client: HuaweiApiClient,
  namespace: string,
  repository: string,
  tag: string,
): Promise<DeleteTagResult> {
  checkNamespace(namespace);
  checkRepository(repository);
  if (!TAG.test(tag)) throw new Error(`delete SWR tag: "${tag}" is not a valid tag`);
  try {
    await swrRequest(client, {
      method: 'DELETE',
      path: `${repositoryPath(namespace, repository)}/tags/${tag}`,
      operation: `delete SWR tag ${namespace}/${repository}:${tag}`,
    });
    return 'deleted';
  } catch (error) {
    // The gateway's own 404 (APIGW.0101) means a wrong endpoint, not a missing tag.
    if (error instanceof HuaweiApiError && error.status === 404 && !isGatewayCode(error.code)) return 'absent';
    throw error;
  }
}

/** A UTC time as SWR writes it (`2018-07-06T06:18:55Z`, `2025-11-01T12:18:44.382000Z`, or without the `Z`). */
export function parseSwrTime(text: string): Date | undefined {
  const trimmed = text.trim();
  const match = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/.exec(trimmed);
  if (match === null) return undefined;
  const [, day, time, fraction, zone] = match as unknown as [string, string, string, string | undefined, string | undefined];
  // Millisecond precision is all Date keeps; the API documents its times as UTC.
  const millis = fraction === undefined ? '' : fraction.slice(0, 4);
  const offset = zone === undefined ? 'Z' : zone.replace(/^([+-]\d{2})(\d{2})$/, '$1:$2');
  const date = new Date(`${day}T${time}${millis}${offset}`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

// ---------------------------------------------------------------- shared plumbing

export interface SwrCall {
  method: 'GET' | 'POST' | 'DELETE' | 'PATCH';
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  operation: string;
  idempotent?: boolean;
}

/** One SWR call; a failure comes back as HuaweiApiError with SWR's code and, when known, what to do. */
export async function swrRequest<T = unknown>(client: HuaweiApiClient, call: SwrCall): Promise<HuaweiApiResponse<T>> {
  try {
    return await client.request<T>({ service: SERVICE, ...call });
  } catch (error) {
    throw error instanceof HuaweiApiError ? withSwrDetails(error) : error;
  }
}

/**
 * Adds what the generic client cannot know: the code of SWR's older bare-list
 * error body, and the SWR remedy for the code.
 */
function withSwrDetails(error: HuaweiApiError): HuaweiApiError {
  let code = error.code;
  let message = error.message;
  if (code === '') {
    // `[{"errorCode":"SVCSTG.SWR…","errorMessage":"…"}]` reaches the message verbatim; read it from there.
    const legacyCode = /"errorCode"\s*:\s*"([^"]+)"/.exec(message)?.[1];
    const legacyMessage = /"errorMessage"\s*:\s*"([^"]*)"/.exec(message)?.[1];
    if (legacyCode !== undefined) {
      code = legacyCode;
      message = `${error.operation}: HTTP ${error.status} ${legacyCode}${legacyMessage ? `: ${legacyMessage}` : ''}`;
    }
  }
  const remedy = SWR_REMEDIES.get(code);
  if (remedy !== undefined && !message.includes(remedy)) message += ` — ${remedy}`;
  if (code === error.code && message === error.message) return error;
  return new HuaweiApiError(message, {
    status: error.status,
    code,
    operation: error.operation,
    ...(error.requestId === undefined ? {} : { requestId: error.requestId }),
  });
}

export function isGatewayCode(code: string): boolean {
  return /^APIGW?\./.test(code);
}

/** `/v2/manage/namespaces/{ns}/repos/{repo}` with the repository's `/` written as `$`, as SWR asks. */
function repositoryPath(namespace: string, repository: string): string {
  return `/v2/manage/namespaces/${namespace}/repos/${repository.split('/').join('$')}`;
}

export function checkNamespace(namespace: string): void {
  if (namespace.length > NAMESPACE_MAX || !NAMESPACE.test(namespace)) {
    throw new Error(`SWR organization "${namespace}" is not valid: ${NAMESPACE_RULE}`);
  }
}

export function checkRepository(repository: string): void {
  if (repository.length > REPOSITORY_MAX || !REPOSITORY.test(repository)) {
    throw new Error(
      `SWR repository "${repository}" is not valid: 1-128 lower-case letters and digits, separated by ".", "/", "_", "__" or "-"`,
    );
  }
}
