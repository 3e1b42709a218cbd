import { parseRetention } from '../domain/retention/policy.js';
import { parseImageReference, type ImageReference } from '../domain/image/reference.js';
import { checkRegistryHost } from './naming.js';
import { splitLines } from './read-values.js';
import type { CopySettings, Provider } from './types.js';

/** Blobs a copy moves at once unless copy-concurrency says otherwise. */
const DEFAULT_COPY_CONCURRENCY = 6;
/** More connections than this to one registry look like abuse to most of them. */
const MAX_COPY_CONCURRENCY = 32;

/** Inputs that only make sense when imageship builds the image itself. */
const BUILD_ONLY_INPUTS = ['dockerfile', 'build-args', 'labels', 'target', 'platforms', 'no-cache', 'pull', 'cache-from', 'cache-to'] as const;
const DIGEST = /^sha256:[0-9a-f]{64}$/;

export interface CopyInputs {
  get: (name: string) => string;
  provider: Provider;
  hasAkSk: boolean;
  hasPassword: boolean;
  push: boolean;
  deployImage: ImageReference | undefined;
  /** `registry/repository` of the destination, when known. */
  destination: string;
  /** The boolean option reader (strict). */
  bool: (name: string) => boolean;
  /** Whether the run has a login (derived, temporary or given) that replicate-credentials could hand on. */
  hasLogin: boolean;
}

/**
 * Copy, replicate, merge, namespace, login-mode and retention inputs. The
 * three ways to produce an image (build, source-image, merge-digests) and a
 * deploy-only run exclude each other; copying with build inputs set is a
 * mistake worth naming rather than silently ignoring them.
 */
export function parseCopySettings(inputs: CopyInputs, problems: string[]): CopySettings {
  const { get } = inputs;
  const sourceImage = parseSource(get('source-image'), problems);
  const mergeDigests = splitLines(get('merge-digests'));
  const seen = new Set<string>();
  for (const digest of mergeDigests) {
    if (!DIGEST.test(digest)) problems.push(`merge-digests: "${digest}" is not a digest: give one sha256:<64 hex> per line (each matrix job's digest output)`);
    else if (seen.has(digest)) problems.push(`merge-digests: ${digest} is listed twice: give each platform's digest once`);
    seen.add(digest);
  }

  const modes = [sourceImage ? 'source-image' : '', mergeDigests.length > 0 ? 'merge-digests' : '', inputs.deployImage ? 'deploy-image' : ''].filter(Boolean);
  if (modes.length > 1) problems.push(`${modes[0]}: cannot be combined with ${modes.slice(1).join(' and ')}: each run either builds, copies, merges or deploys an existing image`);
  if (modes.length > 0 && modes[0] !== 'deploy-image') {
    for (const name of BUILD_ONLY_INPUTS) {
      if (inputs.get(name) !== '' && inputs.get(name) !== defaultOf(name)) {
        problems.push(`${name}: only applies to builds, but ${modes[0]} pushes an existing image unchanged: remove ${name}`);
      }
    }
    if (!inputs.push) problems.push(`push: false, but ${modes[0]} only pushes: remove push: false (or use dry-run to see the plan)`);
  }

  const pushByDigest = inputs.bool('push-by-digest');
  if (pushByDigest && modes.length > 0) problems.push(`push-by-digest: pushes a build, but ${modes[0]} builds nothing: remove push-by-digest`);
  if (pushByDigest && !inputs.push) problems.push('push-by-digest: set, but push is false: remove one of them');

  const sourceUsername = get('source-username');
  const sourcePassword = get('source-password');
  if (sourcePassword !== '' && sourceUsername === '') problems.push('source-username: missing while source-password is set: set source-username');
  if (sourceUsername !== '' && sourcePassword === '') problems.push('source-password: missing while source-username is set: set source-password (from a secret)');
  if ((sourceUsername !== '' || sourcePassword !== '') && !sourceImage) problems.push('source-username: set, but there is no source-image: remove source-username/source-password');

  const replicateTo = parseReplicas(get('replicate-to'), inputs.destination, problems);
  const replicateCredentials = parseReplicaLogins(get('replicate-credentials'), replicateTo, inputs.hasLogin, problems);

  const createNamespace = inputs.bool('create-namespace');
  const loginMode = get('login-mode');
  if (loginMode !== 'long-term' && loginMode !== 'temporary') {
    problems.push(`login-mode: "${loginMode}" is not supported: use long-term or temporary`);
  }
  const needsSwrApi = createNamespace || loginMode === 'temporary';
  if (needsSwrApi && inputs.provider !== 'huaweicloud') {
    problems.push(`${createNamespace ? 'create-namespace' : 'login-mode'}: uses the SWR API, so it needs provider: huaweicloud`);
  } else if (needsSwrApi && !inputs.hasAkSk) {
    problems.push(`${createNamespace ? 'create-namespace' : 'login-mode'}: the SWR API is signed with access-key/secret-key: set both`);
  }
  if (loginMode === 'temporary' && inputs.hasPassword) {
    problems.push('login-mode: temporary fetches its own login: remove username/password');
  }

  const concurrencyText = get('copy-concurrency');
  const concurrency = /^\d{1,2}$/.test(concurrencyText) ? Number(concurrencyText) : Number.NaN;
  if (!(concurrency >= 1 && concurrency <= MAX_COPY_CONCURRENCY)) {
    problems.push(`copy-concurrency: "${concurrencyText}" is not a whole number from 1 to ${MAX_COPY_CONCURRENCY}: e.g. 6 (blobs moved at once)`);
  }

  let retention: CopySettings['retention'];
  if (get('retention') !== '') {
    const parsed = parseRetention(get('retention'));
    problems.push(...parsed.errors.map((error) => (error.startsWith('retention:') ? error : `retention: ${error}`)));
    retention = parsed.policy;
    if (!inputs.push) problems.push('retention: runs after a push, but push is false: remove retention or push');
  }

  return Object.freeze({
    sourceImage,
    sourceCredentials: sourceUsername !== '' && sourcePassword !== '' ? Object.freeze({ username: sourceUsername, password: sourcePassword }) : undefined,
    replicateTo,
    replicateCredentials,
    mergeDigests,
    pushByDigest,
    createNamespace,
    loginMode: loginMode === 'temporary' ? 'temporary' : 'long-term',
    retention,
    concurrency: concurrency >= 1 && concurrency <= MAX_COPY_CONCURRENCY ? concurrency : DEFAULT_COPY_CONCURRENCY,
  });
}

function parseSource(text: string, problems: string[]): ImageReference | undefined {
  if (text === '') return undefined;
  try {
    return parseImageReference(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    problems.push(message.startsWith('source-image:') ? message : `source-image: ${message}`);
    return undefined;
  }
}

function parseReplicas(text: string, destination: string, problems: string[]): CopySettings['replicateTo'] {
  const replicas: { registry: string; repository: string }[] = [];
  for (const line of splitLines(text)) {
    try {
      const reference = parseImageReference(line);
      if (reference.tag || reference.digest) {
        problems.push(`replicate-to: "${line}" names a tag or digest: give host/namespace/image only (the pushed tags are replicated)`);
        continue;
      }
      const target = `${reference.registry}/${reference.repository}`;
      if (target === destination) {
        problems.push(`replicate-to: "${line}" is the destination itself: give another registry or repository`);
        continue;
      }
      if (replicas.some((replica) => `${replica.registry}/${replica.repository}` === target)) {
        problems.push(`replicate-to: "${line}" is listed twice`);
        continue;
      }
      replicas.push({ registry: reference.registry, repository: reference.repository });
    } catch (error) {
      problems.push(`replicate-to: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return replicas;
}

/**
 * `replicate-credentials`: replica hosts allowed to receive the run's login.
 * Each must be the host of a replicate-to line, so a typo cannot quietly
 * widen where the login goes.
 */
function parseReplicaLogins(
  text: string,
  replicas: CopySettings['replicateTo'],
  hasLogin: boolean,
  problems: string[],
): string[] {
  const hosts: string[] = [];
  const lines = splitLines(text);
  if (lines.length > 0 && !hasLogin) {
    problems.push('replicate-credentials: set, but the run has no login to hand on (no username/password or access-key/secret-key): remove replicate-credentials');
    return hosts;
  }
  for (const line of lines) {
    const problem = checkRegistryHost(line);
    if (problem) {
      problems.push(`replicate-credentials: ${problem}`);
      continue;
    }
    const host = line.toLowerCase();
    if (!replicas.some((replica) => replica.registry === host)) {
      problems.push(`replicate-credentials: "${line}" is not the host of any replicate-to line: give the host[:port] of a replica, e.g. ${replicas[0]?.registry ?? 'the host of a replicate-to line'}`);
      continue;
    }
    if (hosts.includes(host)) {
      problems.push(`replicate-credentials: "${line}" is listed twice`);
      continue;
    }
    hosts.push(host);
  }
  return hosts;
}

function defaultOf(name: string): string {
  return name === 'no-cache' || name === 'pull' ? 'false' : '';
}
