/**
 * A local stand-in for the SWR management API (`swr-api.{region}.{domain}`),
 * strict in the same ways as huawei-cloud.ts, whose independent signature
 * check it reuses:
 *
 * - every request's AK/SK signature is verified (401 APIGW.0301 otherwise),
 *   an unknown path is the gateway's 404 APIGW.0101;
 * - requests are validated as the API reference describes them (body of
 *   CreateNamespace, projectname/duration_seconds of CreateSecret, paired
 *   limit/offset with offset a multiple of limit, `$` for `/` in a repository);
 * - state is kept: this account's organizations, organizations of other
 *   accounts, repositories with tags (created/updated), issued logins, deletions;
 * - answers have the documented shapes: 201 without body, the `auths` map with
 *   X-Swr-Dockerlogin / X-Swr-Expireat headers, tag arrays with `Tag` and a
 *   `Content-Range: offset-count/total` header, 204 for a delete, and SWR's
 *   error body (`errors[]` with errorCode/errorMessage plus error_code/error_msg,
 *   or the older bare list);
 * - image sharing (access-domains): create/show/update with the documented
 *   bodies (permit `read` only, deadline `forever` or a UTC time not in the
 *   past, the account must exist), 409 "The repository has been shared" for a
 *   second create, `{exist: false}` for an account without a share;
 * - faults can be injected per route.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { answerWithFault, FaultQueues, serveBuffered, statusFaultAnswer, writeJsonAnswer, type Answer } from './http-faults.js';
import { verifySignature, type Fault } from './huawei-cloud.js';
import { shareHandlers, swrTime, type ShareRecord, type ShareSeed } from './swr-sharing.js';

export type { ShareRecord, ShareSeed } from './swr-sharing.js';

export type { Fault } from './huawei-cloud.js';

export type SwrRouteName =
  | 'swr.createNamespace'
  | 'swr.showNamespace'
  | 'swr.createSecret'
  | 'swr.listTags'
  | 'swr.deleteTag'
  | 'swr.createShare'
  | 'swr.showShare'
  | 'swr.updateShare';

export interface SwrTagSeed {
  tag: string;
  created: Date;
  /** Defaults to created. */
  updated?: Date;
  digest?: string;
}

export interface SwrStandInOptions {
  ak: string;
  sk: string;
  /** Temporary credentials: the X-Security-Token every call must carry, signed (see huawei-cloud.ts verifySignature). */
  securityToken?: string;
  region: string;
  /** `myhuaweicloud.com` by default; the registry host is `swr.{region}.{domain}`. */
  domain?: string;
  /** Organizations of this account. */
  namespaces?: string[];
  /** Organizations of other accounts in the region (names are unique per region). */
  foreignNamespaces?: string[];
  /** How many organizations this account may have (5 by default). */
  namespaceQuota?: number;
  /** Keyed by `namespace/repository` (the repository with its real `/`). */
  repositories?: Record<string, SwrTagSeed[]>;
  /** Error body shape: the current combined object, or the older bare list. */
  errorStyle?: 'combined' | 'legacy';
  /** Whether CreateSecret sends X-Swr-Expireat (it does by default). */
  sendExpiry?: boolean;
  faults?: Partial<Record<SwrRouteName, Fault[]>>;
  /** Accounts (domain names) that exist, and may be shared with; `partner-a` and `partner-b` by default. */
  accounts?: string[];
  /** Shares already in place: `namespace/repository` → records. */
  shares?: Record<string, ShareSeed[]>;
  /** Called with each temporary login as it is issued (before the answer goes out), e.g. to teach a test registry the credential. */
  onLoginIssued?: (login: IssuedLogin) => void;
}

export interface TagRecord {
  tag: string;
  created: Date;
  updated: Date;
  digest: string;
}

export interface IssuedLogin {
  projectname: string;
  durationSeconds: number | undefined;
  username: string;
  password: string;
  expiresAt: Date;
}

export interface SwrStandInState {
  namespaces: Set<string>;
  foreignNamespaces: Set<string>;
  /** `namespace/repository` → tag → record. */
  repositories: Map<string, Map<string, TagRecord>>;
  logins: IssuedLogin[];
  deletedTags: string[];
  /** `namespace/repository` → account → share. */
  shares: Map<string, Map<string, ShareRecord>>;
  /** Creates and updates that reached the state (`create ns/repo account`, `update …`). */
  shareWrites: string[];
}

export interface SwrRecordedCall {
  route: SwrRouteName | undefined;
  method: string;
  url: string;
  status: number;
  signatureValid: boolean;
  body: string;
}

export interface SwrApiStandIn {
  url: string;
  /** The registry host logins are issued for. */
  registryHost: string;
  state: SwrStandInState;
  calls: SwrRecordedCall[];
  attempts(route: SwrRouteName): number;
  setFaults(route: SwrRouteName, faults: Fault[]): void;
  /** Tags of `namespace/repository`, sorted by name. */
  tagsOf(repository: string): string[];
  close(): Promise<void>;
}

const NAMESPACE = /^[a-z][a-z0-9]*(?:(?:[._-]|__)[a-z0-9]+)*$/;
const DEFAULT_LOGIN_SECONDS = 6 * 3600;
const MAX_LIMIT = 1000;

interface RouteMatch {
  name: SwrRouteName;
  params: string[];
}

export async function startSwrApiStandIn(options: SwrStandInOptions): Promise<SwrApiStandIn> {
  const domain = options.domain ?? 'myhuaweicloud.com';
  const registryHost = `swr.${options.region}.${domain}`;
  const quota = options.namespaceQuota ?? 5;
  const state: SwrStandInState = {
    namespaces: new Set(options.namespaces ?? []),
    foreignNamespaces: new Set(options.foreignNamespaces ?? []),
    repositories: new Map(),
    logins: [],
    deletedTags: [],
    shares: new Map(),
    shareWrites: [],
  };
  const accounts = new Set(options.accounts ?? ['partner-a', 'partner-b']);
  for (const [key, seeds] of Object.entries(options.shares ?? {})) {
    const stamp = swrTime(new Date(Date.now() - 86_400_000));
    state.shares.set(key, new Map(seeds.map((seed) => [seed.access_domain, { description: '', ...seed, created: stamp, updated: stamp }])));
  }
  for (const [key, tags] of Object.entries(options.repositories ?? {})) {
    const records = new Map<string, TagRecord>();
    for (const seed of tags) {
      records.set(seed.tag, {
        tag: seed.tag,
        created: seed.created,
        updated: seed.updated ?? seed.created,
        digest: seed.digest ?? `sha256:${randomBytes(32).toString('hex')}`,
      });
    }
    state.repositories.set(key, records);
    state.namespaces.add(key.split('/')[0] as string);
  }
  const faults = new FaultQueues<SwrRouteName, Fault>(options.faults);
  const calls: SwrRecordedCall[] = [];

  const swrError = (status: number, code: string, message: string): Answer => {
    if (options.errorStyle === 'legacy') return { status, body: [{ errorCode: code, errorMessage: message, detail: '' }] };
    return {
      status,
      body: {
        errors: [{ errorCode: code, errorMessage: message, detail: '' }],
        error_code: code,
        error_msg: message,
        details: [{ error_code: code, error_msg: '' }],
      },
    };
  };

  function handle(req: IncomingMessage, res: ServerResponse, rawBody: Buffer): void {
    const target = req.url ?? '/';
    const method = req.method ?? 'GET';
    const route = matchRoute(method, target);
    const verdict = route === undefined ? undefined : verifySignature(req, rawBody, options);
    const call: SwrRecordedCall = {
      route: route?.name,
      method,
      url: target,
      status: 0,
      signatureValid: verdict?.ok === true,
      body: rawBody.toString('utf8'),
    };
    calls.push(call);
    const send = (answer: Answer): void => {
      call.status = answer.status;
      writeJsonAnswer(res, answer, {
        ...(answer.body === undefined ? {} : { 'content-type': 'application/json' }),
        'x-request-id': randomBytes(16).toString('hex'),
      });
    };

    if (route === undefined) {
      send(gatewayError(404, 'APIGW.0101', 'The API does not exist or has not been published in the environment'));
      return;
    }
    if (verdict !== undefined && !verdict.ok) {
      send(gatewayError(401, 'APIGW.0301', `Incorrect IAM authentication information: ${verdict.reason}`));
      return;
    }
    answerWithFault(req, res, faults.next(route.name), {
      statusAnswer: (fault) =>
        statusFaultAnswer(fault, () =>
          fault.status === 429
            ? gatewayError(429, 'APIGW.0308', 'The throttling threshold has been reached').body
            : { error_msg: 'Service Unavailable' },
        ),
      // The API reference lists Content-Type as mandatory on every call.
      process: () =>
        (headerValue(req, 'content-type') ?? '').startsWith('application/json')
          ? dispatch(route, req, rawBody)
          : swrError(400, 'SVCSTG.SWR.4000014', 'Invalid param: Content-Type must be application/json'),
      send,
    });
  }

  function dispatch(route: RouteMatch, req: IncomingMessage, rawBody: Buffer): Answer {
    const query = new URLSearchParams((req.url ?? '').split('?')[1] ?? '');
    switch (route.name) {
      case 'swr.createNamespace':
        return createNamespace(rawBody);
      case 'swr.showNamespace':
        return showNamespace(route.params[0] as string);
      case 'swr.createSecret':
        return createSecret(query, rawBody);
      case 'swr.listTags':
        return listTags(route.params[0] as string, route.params[1] as string, query);
      case 'swr.deleteTag':
        return deleteTag(route.params[0] as string, route.params[1] as string, route.params[2] as string);
      case 'swr.createShare':
        return sharing.createShare(route.params[0] as string, route.params[1] as string, rawBody);
      case 'swr.showShare':
        return sharing.showShare(route.params[0] as string, route.params[1] as string, route.params[2] as string);
      case 'swr.updateShare':
        return sharing.updateShare(route.params[0] as string, route.params[1] as string, route.params[2] as string, rawBody);
    }
  }


  function createNamespace(rawBody: Buffer): Answer {
    let body: unknown;
    try {
      body = JSON.parse(rawBody.toString('utf8'));
    } catch {
      return swrError(400, 'SVCSTG.SWR.4000014', 'Invalid param: the body is not JSON');
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      return swrError(400, 'SVCSTG.SWR.4000014', 'Invalid param: the body is not an object');
    }
    const extra = Object.keys(body).filter((key) => key !== 'namespace');
    if (extra.length > 0) return swrError(400, 'SVCSTG.SWR.4000014', `Invalid param: unknown field ${extra.join(', ')}`);
    const namespace = (body as { namespace?: unknown }).namespace;
    if (typeof namespace !== 'string' || namespace.length > 64 || !NAMESPACE.test(namespace)) {
      return swrError(400, 'SVCSTG.SWR.4001028', 'Invalid organization name');
    }
    if (state.namespaces.has(namespace) || state.foreignNamespaces.has(namespace)) {
      return swrError(409, 'SVCSTG.SWR.4090060', 'The organization already exists');
    }
    if (state.namespaces.size >= quota) {
      return swrError(400, 'SVCSTG.SWR.4000097', 'The maximum number of organizations has been exceeded');
    }
    state.namespaces.add(namespace);
    return { status: 201, body: undefined };
  }

  function showNamespace(namespace: string): Answer {
    if (!state.namespaces.has(namespace)) return swrError(404, 'SVCSTG.SWR.4040058', 'The organization was not found');
    return { status: 200, body: { id: 1000 + [...state.namespaces].indexOf(namespace), name: namespace, creator_name: 'ci-user', auth: 7 } };
  }

  function createSecret(query: URLSearchParams, rawBody: Buffer): Answer {
    if (rawBody.length > 0 && rawBody.toString('utf8').trim() !== '{}') {
      return swrError(400, 'SVCSTG.SWR.4000014', 'Invalid param: CreateSecret takes no body');
    }
    const unknown = [...query.keys()].filter((key) => key !== 'projectname' && key !== 'duration_seconds');
    if (unknown.length > 0) return swrError(400, 'SVCSTG.SWR.4001025', `Invalid parameters: ${unknown.join(', ')}`);
    const projectname = query.get('projectname') ?? options.region;
    if (projectname !== options.region) return swrError(400, 'SVCSTG.SWR.4001025', `Invalid parameters: projectname ${projectname}`);
    let durationSeconds: number | undefined;
    const duration = query.get('duration_seconds');
    if (duration !== null) {
      durationSeconds = /^\d+$/.test(duration) ? Number(duration) : Number.NaN;
      if (!(durationSeconds >= 900 && durationSeconds <= 86_400)) {
        return swrError(400, 'SVCSTG.SWR.4001025', 'Invalid parameters: duration_seconds must be from 900 to 86400');
      }
    }
    const username = `${options.region}@${randomBytes(8).toString('hex').toUpperCase()}`;
    const password = randomBytes(32).toString('hex');
    const expiresAt = new Date(Date.now() + (durationSeconds ?? DEFAULT_LOGIN_SECONDS) * 1000);
    state.logins.push({ projectname, durationSeconds, username, password, expiresAt });
    options.onLoginIssued?.({ projectname, durationSeconds, username, password, expiresAt });
    const headers: Record<string, string> = { 'X-Swr-Dockerlogin': `docker login -u ${username} -p ${password} ${registryHost}` };
    // As documented: microseconds, UTC, e.g. 2025-11-01T12:18:44.382000Z.
    if (options.sendExpiry !== false) headers['X-Swr-Expireat'] = expiresAt.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
    return {
      status: 200,
      body: { auths: { [registryHost]: { auth: Buffer.from(`${username}:${password}`).toString('base64') } } },
      headers,
    };
  }

  function repositoryOf(namespace: string, encodedRepository: string): { key: string; tags: Map<string, TagRecord> } | Answer {
    if (!state.namespaces.has(namespace)) return swrError(404, 'SVCSTG.SWR.4040058', 'The organization was not found');
    const repository = safeDecode(encodedRepository).split('$').join('/');
    const key = `${namespace}/${repository}`;
    const tags = state.repositories.get(key);
    if (tags === undefined) return swrError(404, 'SVCSTG.SWR.4040113', 'The image was not found');
    return { key, tags };
  }

  function listTags(namespace: string, encodedRepository: string, query: URLSearchParams): Answer {
    const found = repositoryOf(namespace, encodedRepository);
    if ('status' in found) return found;
    const limitText = query.get('limit');
    const offsetText = query.get('offset');
    if ((limitText === null) !== (offsetText === null)) {
      return swrError(400, 'SVCSTG.SWR.4001025', 'Invalid parameters: offset and limit must be used together');
    }
    const limit = limitText === null ? 100 : Number(limitText);
    const offset = offsetText === null ? 0 : Number(offsetText);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) return swrError(400, 'SVCSTG.SWR.4000056', 'Invalid page size');
    if (!Number.isInteger(offset) || offset < 0 || offset % limit !== 0) {
      return swrError(400, 'SVCSTG.SWR.4001025', 'Invalid parameters: offset must be 0 or a multiple of limit');
    }
    const column = query.get('order_column');
    const order = query.get('order_type');
    if ((column === null) !== (order === null)) {
      return swrError(400, 'SVCSTG.SWR.4001025', 'Invalid parameters: order_column and order_type must be used together');
    }
    if (column !== null && column !== 'updated_at' && column !== 'tag') return swrError(400, 'SVCSTG.SWR.4001025', 'Invalid parameters: order_column');
    if (order !== null && order !== 'asc' && order !== 'desc') return swrError(400, 'SVCSTG.SWR.4001025', 'Invalid parameters: order_type');

    const all = [...found.tags.values()];
    const direction = order === 'asc' ? 1 : -1;
    all.sort((a, b) => {
      const byColumn = column === 'tag' ? (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0) : a.updated.getTime() - b.updated.getTime();
      return (byColumn || (a.tag < b.tag ? -1 : 1)) * direction;
    });
    const page = all.slice(offset, offset + limit);
    const host = registryHost;
    return {
      status: 200,
      body: page.map((record, index) => ({
        id: offset + index + 1,
        repo_id: 7,
        Tag: record.tag,
        image_id: record.digest.slice(7),
        manifest: '',
        digest: record.digest,
        schema: 2,
        path: `${host}/${found.key}:${record.tag}`,
        internal_path: `10.125.0.198:20202/${found.key}:${record.tag}`,
        size: 1_304_902,
        is_trusted: false,
        created: swrTime(record.created),
        updated: swrTime(record.updated),
        deleted: null,
        domain_id: 'd78cbac186b744899480f25bd0224c0a',
        scanned: false,
        tag_type: 0,
      })),
      headers: { 'Content-Range': `${offset}-${page.length}/${all.length}` },
    };
  }

  function deleteTag(namespace: string, encodedRepository: string, tag: string): Answer {
    const found = repositoryOf(namespace, encodedRepository);
    if ('status' in found) return found;
    const name = safeDecode(tag);
    if (!found.tags.delete(name)) return swrError(404, 'SVCSTG.SWR.4040048', 'The image tag was not found');
    state.deletedTags.push(`${found.key}:${name}`);
    return { status: 204, body: undefined };
  }

  const sharing = shareHandlers({ state, accounts, repositoryOf, swrError });

  const server = await serveBuffered(handle);
  return {
    url: server.url,
    registryHost,
    state,
    calls,
    attempts: (route) => calls.filter((call) => call.route === route).length,
    setFaults: (route, list) => faults.set(route, list),
    tagsOf: (repository) => [...(state.repositories.get(repository)?.keys() ?? [])].sort(),
    close: () => server.close(),
  };
}

function matchRoute(method: string, target: string): RouteMatch | undefined {
  const path = target.split('?')[0] ?? '';
  if (path === '/v2/manage/namespaces' && method === 'POST') return { name: 'swr.createNamespace', params: [] };
  if (path === '/v2/manage/utils/secret' && method === 'POST') return { name: 'swr.createSecret', params: [] };
  const namespace = /^\/v2\/manage\/namespaces\/([^/]+)$/.exec(path);
  if (namespace && method === 'GET') return { name: 'swr.showNamespace', params: namespace.slice(1) };
  // A repository keeps no `/` of its own in the path: SWR wants `$` there.
  const tags = /^\/v2\/manage\/namespaces\/([^/]+)\/repos\/([^/]+)\/tags$/.exec(path);
  if (tags && method === 'GET') return { name: 'swr.listTags', params: tags.slice(1) };
  const tag = /^\/v2\/manage\/namespaces\/([^/]+)\/repos\/([^/]+)\/tags\/([^/]+)$/.exec(path);
  if (tag && method === 'DELETE') return { name: 'swr.deleteTag', params: tag.slice(1) };
  const shares = /^\/v2\/manage\/namespaces\/([^/]+)\/repositories\/([^/]+)\/access-domains$/.exec(path);
  if (shares && method === 'POST') return { name: 'swr.createShare', params: shares.slice(1) };
  const share = /^\/v2\/manage\/namespaces\/([^/]+)\/repositories\/([^/]+)\/access-domains\/([^/]+)$/.exec(path);
  if (share && method === 'GET') return { name: 'swr.showShare', params: share.slice(1) };
  if (share && method === 'PATCH') return { name: 'swr.updateShare', params: share.slice(1) };
  return undefined;
}

function gatewayError(status: number, code: string, message: string): Answer {
  return { status, body: { error_msg: message, error_code: code, request_id: randomBytes(16).toString('hex') } };
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
