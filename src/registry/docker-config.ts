/**
 * Registry credentials from a Docker client config file
 * (`$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`), as
 * `docker login` leaves them in `auths[host].auth` (base64 `user:password`).
 *
 * Credential helpers (`credsStore`, `credHelpers`) are NOT supported: they
 * keep the password in an OS keychain behind a `docker-credential-*`
 * program, which imageship does not run. When one holds the login for the
 * host, this module says so in a DockerConfigError instead of quietly
 * going on without credentials. Identity tokens (`identitytoken`, an OAuth
 * refresh token some registries hand out) are not supported either.
 */
import { Buffer } from 'node:buffer';
import { join } from 'node:path';
import type { RegistryCredentials } from './authenticator.js';
import { DOCKER_HUB } from '../domain/image/reference.js';
import { ImageshipError, type ImageshipErrorOptions } from '../domain/errors.js';

export class DockerConfigError extends ImageshipError {
  override readonly name = 'DockerConfigError';

  constructor(
    message: string,
    /** The config file concerned. */
    readonly path: string,
    options: ImageshipErrorOptions = {},
  ) {
    super(message, options);
  }
}

/** Reads a file as UTF-8 text; rejects with an error whose `code` is 'ENOENT' when there is none. */
export type ReadTextFile = (path: string) => Promise<string>;

/** Names Docker has written for Docker Hub over the years; any of them is Docker Hub's login. */
const DOCKER_HUB_ALIASES: ReadonlySet<string> = new Set([DOCKER_HUB, 'index.docker.io', 'registry-1.docker.io']);

/** Where the Docker client reads its config: `$DOCKER_CONFIG/config.json`, else `$HOME/.docker/config.json`. */
export function dockerConfigPath(env: Readonly<Record<string, string | undefined>>): string | undefined {
  if (env.DOCKER_CONFIG) return join(env.DOCKER_CONFIG, 'config.json');
  const home = env.HOME || env.USERPROFILE;
  return home ? join(home, '.docker', 'config.json') : undefined;
}

/**
 * The login stored for `host` (`host[:port]`, e.g. `swr.cn-north-4.myhuaweicloud.com`
 * or `docker.io`); undefined when there is no config file or it has no
 * login for that host. Throws DockerConfigError when the file is not
 * readable JSON, an entry is malformed, or the login sits in a credential
 * helper (not supported).
 */
export async function credentialsFromDockerConfig(
  host: string,
  env: Readonly<Record<string, string | undefined>>,
  readFile: ReadTextFile,
): Promise<RegistryCredentials | undefined> {
  const path = dockerConfigPath(env);
  if (path === undefined) return undefined;
  let text: string;
  try {
    text = await readFile(path);
  } catch (error) {
    if ((error as { code?: unknown } | null)?.code === 'ENOENT') return undefined;
    throw new DockerConfigError(`cannot read the Docker config ${path}: ${error instanceof Error ? error.message : String(error)}`, path, { cause: error });
  }

  let config: unknown;
  try {
    config = JSON.parse(text);
  } catch {
    // No cause kept: JSON.parse quotes the text around the fault, and this file holds passwords.
    throw new DockerConfigError(`the Docker config ${path} is not valid JSON`, path);
  }
  if (config === null || typeof config !== 'object' || Array.isArray(config)) {
    throw new DockerConfigError(`the Docker config ${path} is not a JSON object`, path);
  }
  const record = config as { auths?: unknown; credsStore?: unknown; credHelpers?: unknown };
  const wanted = normaliseHost(host);

  // Docker asks a host's own helper first, whatever `auths` says.
  if (record.credHelpers !== null && typeof record.credHelpers === 'object') {
    for (const [key, helper] of Object.entries(record.credHelpers as Record<string, unknown>)) {
      if (normaliseHost(key) === wanted && typeof helper === 'string' && helper !== '') {
        throw new DockerConfigError(
          `${path} keeps the login for ${host} in the credential helper docker-credential-${helper} (credHelpers), ` +
            'which imageship does not support: give the registry credentials explicitly instead',
          path,
        );
      }
    }
  }

  const entry = findAuthEntry(record.auths, wanted);
  const store = typeof record.credsStore === 'string' && record.credsStore !== '' ? record.credsStore : undefined;
  const fromEntry = entry === undefined ? undefined : credentialsOf(entry.value, entry.key, path);
  if (fromEntry !== undefined) return fromEntry;

  if (store !== undefined) {
    // With a store, `docker login` leaves only an empty placeholder in `auths`; the password is in the store.
    throw new DockerConfigError(
      `${path} keeps logins in the credential store docker-credential-${store} (credsStore), which imageship does not ` +
        `support, and has no plain "auth" for ${host}: give the registry credentials explicitly instead`,
      path,
    );
  }
  if (entry !== undefined && isRecord(entry.value) && typeof entry.value.identitytoken === 'string' && entry.value.identitytoken !== '') {
    throw new DockerConfigError(
      `${path} has only an identity token for ${host} (auths[${JSON.stringify(entry.key)}].identitytoken), which imageship does not support: give the registry credentials explicitly instead`,
      path,
    );
  }
  return undefined;
}

function findAuthEntry(auths: unknown, wanted: string): { key: string; value: unknown } | undefined {
  if (!isRecord(auths)) return undefined;
  // An exact key first, then any spelling of the same host (`https://host/v1/`, `http://host`…).
  if (auths[wanted] !== undefined) return { key: wanted, value: auths[wanted] };
  for (const [key, value] of Object.entries(auths)) {
    if (normaliseHost(key) === wanted) return { key, value };
  }
  return undefined;
}

/** Credentials of one `auths` entry: `auth` (base64 `user:password`), else `username` + `password`; undefined when it has neither. */
function credentialsOf(entry: unknown, key: string, path: string): RegistryCredentials | undefined {
  if (!isRecord(entry)) throw new DockerConfigError(`${path}: auths[${JSON.stringify(key)}] is not an object`, path);
  if (typeof entry.auth === 'string' && entry.auth !== '') {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (!/^[A-Za-z0-9+/=\s_-]+$/.test(entry.auth) || colon <= 0) {
      throw new DockerConfigError(`${path}: auths[${JSON.stringify(key)}].auth is not base64 of "username:password"`, path);
    }
    return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  }
  if (typeof entry.username === 'string' && entry.username !== '' && typeof entry.password === 'string') {
    return { username: entry.username, password: entry.password };
  }
  return undefined;
}

/** `https://Host:5000/v1/` → `host:5000`; Docker Hub's aliases → `docker.io`. */
export function normaliseHost(value: string): string {
  let host = value.trim().replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  const slash = host.indexOf('/');
  if (slash !== -1) host = host.slice(0, slash);
  host = host.toLowerCase();
  return DOCKER_HUB_ALIASES.has(host) ? DOCKER_HUB : host;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
