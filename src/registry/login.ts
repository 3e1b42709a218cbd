/**
 * Logging in to a registry for docker (build, push, and later steps of the
 * job) without a `docker login` process: the credentials are checked against
 * the registry with imageship's own client (GET /v2/, as `docker login`
 * does), then written into the Docker config, so neither the user (for SWR
 * `<region>@<AK>`) nor the password is ever in a command line that `ps`
 * shows. Where the config sends logins to a credential helper, the helper
 * gets them on its stdin.
 *
 * A login already in the config for the same registry (a robot account from
 * an earlier step, say) is kept: saved beside the config (login-record.ts)
 * and put back by dockerLogout, which otherwise removes only the entry
 * imageship wrote. Every read-modify-write of config.json holds a lock
 * (config-lock.ts) and replaces the file atomically, so runs sharing one
 * config never lose each other's entries.
 */
import { Buffer } from 'node:buffer';
import type { Exec, Fetch } from '../ports.js';
import { nodeFetch } from '../http/node-fetch.js';
import { RegistryClient } from './client.js';
import { readDockerConfig, writeDockerConfig } from './docker-config-file.js';
import { explainRegistryError } from './docker-errors.js';
import { fingerprint, loginRecordPath, readLoginRecord, removeLoginRecord, sameFingerprint, writeLoginRecord, type LoginRecord } from './login-record.js';
import { authsOf, configFileOf, entryText, hasPrevious, helperFor, helperText, serverKey, setAuth, withConfigLock } from './login-store.js';
import { RegistryError } from './registry-error.js';
import { ImageshipError, type ImageshipErrorOptions } from '../domain/errors.js';

export { dockerLogout, type DockerLogoutOutcome, type DockerLogoutResult } from './logout.js';

export interface DockerLoginRequest {
  registry: string;
  username: string;
  password: string;
  /** Shown in the 401 hint, e.g. "the user is cn-north-4@HPUA…". */
  loginHint: string;
  /** Where the Docker config is (DOCKER_CONFIG, HOME) and what a credential helper runs with. */
  env: Readonly<Record<string, string | undefined>>;
  /** HTTP for checking the credentials against the registry; default nodeFetch. */
  fetch?: Fetch;
  /** The run's client for the registry (with these credentials): its token then serves the run's later steps. */
  client?: RegistryClient;
}

export interface DockerLoginResult {
  /** The Docker config file the login went into. */
  configFile: string;
  /** Where the password is: 'config.json', or the credential helper program that holds it. */
  store: string;
  /** A login for the registry was there already; it is saved and dockerLogout puts it back. */
  keptPrevious: boolean;
  /** The file (0600, beside the config) holding what dockerLogout needs, the kept login included. */
  recordFile: string;
}

export class RegistryLoginError extends ImageshipError {
  constructor(message: string, options: ImageshipErrorOptions = {}) {
    super(message, options);
    this.name = 'RegistryLoginError';
  }
}

/**
 * Checks the credentials against the registry, then stores them in the
 * Docker config (or the credential helper it names), keeping any login that
 * was there for dockerLogout to restore. A 401 throws RegistryLoginError
 * with the login hint; nothing is written then.
 */
export async function dockerLogin(exec: Exec, request: DockerLoginRequest): Promise<DockerLoginResult> {
  await checkCredentials(request);
  try {
    return await storeLogin(exec, request);
  } catch (error) {
    throw error instanceof RegistryLoginError ? error : new RegistryLoginError(error instanceof Error ? error.message : String(error));
  }
}

async function storeLogin(exec: Exec, request: DockerLoginRequest): Promise<DockerLoginResult> {
  const { registry, env } = request;
  const configFile = await configFileOf(env, `log in to ${registry}`);
  const key = serverKey(registry);
  const recordFile = loginRecordPath(configFile, key);
  return withConfigLock(configFile, `log in to ${registry}`, async () => {
    const config = await readDockerConfig(configFile);
    const earlier = await readLoginRecord(recordFile);
    const helper = helperFor(config, configFile, key, exec, env);
    const secret = { username: request.username, secret: request.password };

    if (helper === undefined) {
      const entry = { auth: Buffer.from(`${request.username}:${request.password}`, 'utf8').toString('base64') };
      const current = authsOf(config)[key];
      // An earlier imageship login that was never undone: what it saved is still the login to restore.
      const pending = earlier !== undefined && earlier.store === 'file' && sameFingerprint(earlier.wrote, entryText(current));
      const record: LoginRecord = {
        version: 1,
        key,
        store: 'file',
        previous: pending ? earlier.previous : { entry: current ?? null },
        wrote: fingerprint(entryText(entry)!),
        createdConfig: pending ? earlier.createdConfig : !config.exists,
      };
      // The record first: a run stopped between the two leaves the config as it was, which logout then sees.
      await writeLoginRecord(recordFile, record);
      setAuth(config, key, entry);
      await undoRecordOnFailure(recordFile, pending ? earlier : undefined, () => writeDockerConfig(configFile, config.data));
      return { configFile, store: 'config.json', keptPrevious: hasPrevious(record), recordFile };
    }

    const held = await helper.get(key);
    const pending = earlier !== undefined && earlier.store === helper.program && sameFingerprint(earlier.wrote, helperText(held));
    const current = authsOf(config)[key];
    const record: LoginRecord = {
      version: 1,
      key,
      store: helper.program,
      previous: pending ? earlier.previous : { entry: current ?? null, helper: held ?? null },
      wrote: fingerprint(helperText(secret)!),
      createdConfig: pending ? earlier.createdConfig : !config.exists,
    };
    await writeLoginRecord(recordFile, record);
    await undoRecordOnFailure(recordFile, pending ? earlier : undefined, () => helper.store(key, secret));
    // As `docker login` does with a helper: an empty entry in auths says the registry has a login.
    if (current === undefined) {
      setAuth(config, key, {});
      await writeDockerConfig(configFile, config.data);
    }
    return { configFile, store: helper.program, keptPrevious: hasPrevious(record), recordFile };
  });
}

/** A login that failed to land leaves the record as it was before: logout must not mistake it for a replaced entry. */
async function undoRecordOnFailure(recordFile: string, earlier: LoginRecord | undefined, write: () => Promise<void>): Promise<void> {
  try {
    await write();
  } catch (error) {
    await (earlier === undefined ? removeLoginRecord(recordFile) : writeLoginRecord(recordFile, earlier)).catch(() => undefined);
    throw error;
  }
}

/** GET /v2/ with the credentials: a refusal fails the login as `docker login` would, before anything is written. */
async function checkCredentials(request: DockerLoginRequest): Promise<void> {
  const client =
    request.client ??
    new RegistryClient({
      registry: request.registry,
      fetch: request.fetch ?? nodeFetch,
      credentials: { username: request.username, password: request.password },
    });
  const context = { operation: 'login' as const, registry: request.registry, loginHint: request.loginHint };
  try {
    await client.checkLogin();
  } catch (error) {
    if (error instanceof RegistryError && error.status === 401) throw new RegistryLoginError(explainRegistryError('401 unauthorized', context), { cause: error });
    throw new RegistryLoginError(explainRegistryError(error instanceof Error ? error.message : String(error), context), { cause: error });
  }
}
