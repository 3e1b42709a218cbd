/**
 * A test-side reader of the registry HTTP API v2, written independently of
 * src/registry/ so that e2e tests check what really landed in a registry
 * rather than what our own client believes. Plain HTTP (the test bed's
 * registries listen on 127.0.0.1) and preemptive Basic auth (the htpasswd
 * registry answers Basic, with no token service).
 */
import { createHash } from 'node:crypto';

export interface BasicAuth {
  username: string;
  password: string;
}

export const MANIFEST_MEDIA_TYPES = [
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
] as const;

const INDEX_TYPES = new Set([
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.index.v1+json',
]);

export class RegistryApiError extends Error {
  constructor(
    readonly method: string,
    readonly url: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(`${method} ${url} -> HTTP ${status}: ${body.slice(0, 500)}`);
    this.name = 'RegistryApiError';
  }

  /** The first `errors[].code` of a registry error body (e.g. NAME_UNKNOWN), when there is one. */
  get code(): string | undefined {
    try {
      const parsed = JSON.parse(this.body) as { errors?: { code?: string }[] };
      return parsed.errors?.[0]?.code;
    } catch {
      return undefined;
    }
  }
}

function baseUrl(registry: string): string {
  return /^https?:\/\//.test(registry) ? registry.replace(/\/+$/, '') : `http://${registry}`;
}

function headers(auth: BasicAuth | undefined, extra: Record<string, string> = {}): Record<string, string> {
  const h: Record<string, string> = { ...extra };
  if (auth) {
    h['authorization'] = `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
  }
  return h;
}

async function request(
  method: string,
  url: string,
  auth: BasicAuth | undefined,
  extra: Record<string, string> = {},
): Promise<Response> {
  return fetch(url, { method, headers: headers(auth, extra), redirect: 'follow', signal: AbortSignal.timeout(30_000) });
}

async function fail(method: string, url: string, res: Response): Promise<never> {
  const body = method === 'HEAD' ? '' : await res.text().catch(() => '');
  throw new RegistryApiError(method, url, res.status, body);
}

/** Follows RFC 5988 `Link: <...>; rel="next"` pagination. */
function nextLink(res: Response, current: string): string | undefined {
  const link = res.headers.get('link');
  if (!link) return undefined;
  const m = /<([^>]+)>\s*;\s*rel="?next"?/.exec(link);
  return m ? new URL(m[1]!, current).toString() : undefined;
}

/** Tags of `repo`, sorted; [] when the repository does not exist (404 NAME_UNKNOWN) or has no tags left. */
export async function listTags(registry: string, repo: string, auth?: BasicAuth): Promise<string[]> {
  const tags: string[] = [];
  let url: string | undefined = `${baseUrl(registry)}/v2/${repo}/tags/list?n=1000`;
  while (url) {
    const res = await request('GET', url, auth);
    if (res.status === 404) {
      const body = await res.text();
      const err = new RegistryApiError('GET', url, 404, body);
      if (err.code === 'NAME_UNKNOWN') return [];
      throw err;
    }
    if (!res.ok) await fail('GET', url, res);
    const json = (await res.json()) as { tags?: string[] | null };
    tags.push(...(json.tags ?? []));
    url = nextLink(res, url);
  }
  return tags.sort();
}

/** The `Docker-Content-Digest` of `repo:ref` (tag or digest), or undefined when it does not exist. */
export async function manifestDigest(
  registry: string,
  repo: string,
  ref: string,
  auth?: BasicAuth,
): Promise<string | undefined> {
  const url = `${baseUrl(registry)}/v2/${repo}/manifests/${ref}`;
  const res = await request('HEAD', url, auth, { accept: MANIFEST_MEDIA_TYPES.join(', ') });
  if (res.status === 404) return undefined;
  if (!res.ok) await fail('HEAD', url, res);
  const digest = res.headers.get('docker-content-digest');
  if (!digest) throw new Error(`HEAD ${url}: no Docker-Content-Digest header`);
  return digest;
}

export interface FetchedManifest {
  digest: string;
  mediaType: string;
  /** The raw bytes as served: their sha256 is the digest. */
  raw: string;
  json: any;
}

/** GETs a manifest; checks that the served bytes hash to the digest the registry claims. */
export async function getManifest(
  registry: string,
  repo: string,
  ref: string,
  auth?: BasicAuth,
): Promise<FetchedManifest | undefined> {
  const url = `${baseUrl(registry)}/v2/${repo}/manifests/${ref}`;
  const res = await request('GET', url, auth, { accept: MANIFEST_MEDIA_TYPES.join(', ') });
  if (res.status === 404) return undefined;
  if (!res.ok) await fail('GET', url, res);
  const bytes = Buffer.from(await res.arrayBuffer());
  const computed = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
  const claimed = res.headers.get('docker-content-digest') ?? computed;
  if (claimed !== computed) throw new Error(`GET ${url}: Docker-Content-Digest ${claimed} but the body hashes to ${computed}`);
  if (ref.startsWith('sha256:') && ref !== computed) throw new Error(`GET ${url}: body hashes to ${computed}`);
  const raw = bytes.toString('utf8');
  const json = JSON.parse(raw) as { mediaType?: string };
  const mediaType = json.mediaType ?? res.headers.get('content-type') ?? '';
  return { digest: computed, mediaType, raw, json };
}

/**
 * The image config blob of `repo:ref` as JSON (read `.config.Labels`, `.architecture`, ...).
 * For an index or manifest list, the linux/amd64 entry (or the first) is followed.
 */
export async function imageConfig(registry: string, repo: string, ref: string, auth?: BasicAuth): Promise<any> {
  let manifest = await getManifest(registry, repo, ref, auth);
  if (!manifest) throw new Error(`${registry}/${repo}:${ref}: no such manifest`);
  if (INDEX_TYPES.has(manifest.mediaType)) {
    const entries = (manifest.json.manifests ?? []) as { digest: string; platform?: { os?: string; architecture?: string } }[];
    const pick =
      entries.find((e) => e.platform?.os === 'linux' && e.platform?.architecture === 'amd64') ?? entries[0];
    if (!pick) throw new Error(`${registry}/${repo}:${ref}: empty index`);
    manifest = await getManifest(registry, repo, pick.digest, auth);
    if (!manifest) throw new Error(`${registry}/${repo}@${pick.digest}: index entry missing`);
  }
  const configDigest = manifest.json.config?.digest as string | undefined;
  if (!configDigest) throw new Error(`${registry}/${repo}:${ref}: manifest has no config (${manifest.mediaType})`);
  const url = `${baseUrl(registry)}/v2/${repo}/blobs/${configDigest}`;
  const res = await request('GET', url, auth);
  if (!res.ok) await fail('GET', url, res);
  const bytes = Buffer.from(await res.arrayBuffer());
  const computed = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
  if (computed !== configDigest) throw new Error(`GET ${url}: blob hashes to ${computed}`);
  return JSON.parse(bytes.toString('utf8'));
}

/** Repository names in the registry, sorted. */
export async function catalog(registry: string, auth?: BasicAuth): Promise<string[]> {
  const repos: string[] = [];
  let url: string | undefined = `${baseUrl(registry)}/v2/_catalog?n=1000`;
  while (url) {
    const res = await request('GET', url, auth);
    if (!res.ok) await fail('GET', url, res);
    const json = (await res.json()) as { repositories?: string[] | null };
    repos.push(...(json.repositories ?? []));
    url = nextLink(res, url);
  }
  return repos.sort();
}

/** Status of `GET /v2/` (200, 401, ...): the API version check every client starts with. */
export async function pingStatus(registry: string, auth?: BasicAuth): Promise<number> {
  const res = await request('GET', `${baseUrl(registry)}/v2/`, auth);
  await res.body?.cancel();
  return res.status;
}

/** Deletes `repo@digest` (every tag on it goes too); a manifest already gone is fine. Needs deletion enabled on the registry. */
export async function deleteManifest(registry: string, repo: string, digest: string, auth?: BasicAuth): Promise<void> {
  const url = `${baseUrl(registry)}/v2/${repo}/manifests/${digest}`;
  const res = await request('DELETE', url, auth);
  if (res.status === 404) {
    await res.body?.cancel();
    return;
  }
  if (!res.ok) await fail('DELETE', url, res);
  await res.body?.cancel();
}
