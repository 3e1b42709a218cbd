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
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Exec, Fetch } from '../ports.js';
import { nodeFetch } from '../util/node-fetch.js';
import { RegistryClient } from './client.js';
import { withFileLock } from './config-lock.js';
import { CredentialHelper } from './credential-helper.js';
import { dockerConfigPath, normaliseHost } from './docker-config.js';
import { readDockerConfig, removeFile, resolveDockerConfigFile, writeDockerConfig, type DockerConfigDocument } from './docker-config-file.js';
import { explainRegistryError } from './docker-errors.js';
import { fingerprint, loginRecordPath, readLoginRecord, removeLoginRecord, sameFingerprint, writeLoginRecord, type LoginRecord } from './login-record.js';
import { DOCKER_HUB } from './reference.js';
import { RegistryError } from './registry-error.js';

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

export type DockerLogoutOutcome = 'removed' | 'restored' | 'changed' | 'none' | 'failed';

export interface DockerLogoutResult {
  ok: boolean;
  /** One line for the log, e.g. `logged out of host`. */
  message: string;
  /**
   * removed: imageship's login is gone; restored: the login that was there
   * before is back; changed: the entry was replaced since imageship wrote it
   * and was left alone; none: imageship holds no login there; failed: see message.
   */
  outcome: DockerLogoutOutcome;
}

export class RegistryLoginError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RegistryLoginError';
  }
}

/** The key `docker login` stores a registry's login under. */
function serverKey(registry: string): string {
  return normaliseHost(registry) === DOCKER_HUB ? 'https://index.docker.io/v1/' : registry;
}

/**
 * Checks the credentials against the registry, then stores them in the
 * Docker config (or the credential helper it names), keeping any login that
 * was there for dockerLogout to restore. A 401 throws RegistryLoginError
 * with the login hint; nothing is written then.
 */
export async function dockerLogin(exec: Exec, request: DockerLoginRequest): Promise<DockerLoginResult> {
  const { registry, env } = request;
  await checkCredentials(request);
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

/**
 * Undoes imageship's login to `registry`: puts back the login that was there
 * before, or removes the entry imageship wrote. An entry replaced since
 * (by `docker login` or another run) is left as it is, and so is a login
 * imageship did not write. Never throws: a failure is `ok: false`.
 */
export async function dockerLogout(exec: Exec, registry: string, env: Readonly<Record<string, string | undefined>>): Promise<DockerLogoutResult> {
  try {
    return await undoLogin(exec, registry, env);
  } catch (error) {
    return { ok: false, outcome: 'failed', message: error instanceof Error ? error.message : String(error) };
  }
}

async function undoLogin(exec: Exec, registry: string, env: Readonly<Record<string, string | undefined>>): Promise<DockerLogoutResult> {
  const configFile = await configFileOf(env, `log out of ${registry}`);
  const key = serverKey(registry);
  const recordFile = loginRecordPath(configFile, key);
  const none: DockerLogoutResult = { ok: true, outcome: 'none', message: `imageship holds no login for ${registry} in ${configFile}: nothing to undo` };
  // No record, no lock: a logout with nothing to undo leaves no trace (not even a directory for the lock).
  if ((await readLoginRecord(recordFile)) === undefined) return none;
  return withConfigLock(configFile, `log out of ${registry}`, async () => {
    const record = await readLoginRecord(recordFile);
    if (record === undefined) return none;
    const config = await readDockerConfig(configFile);
    const current = authsOf(config)[key];
    const restoring = hasPrevious(record);

    if (record.store === 'file') {
      if (!sameFingerprint(record.wrote, entryText(current))) return leftAlone(record, recordFile, registry, configFile);
      if (record.previous.entry !== null) setAuth(config, key, record.previous.entry);
      else deleteAuth(config, key);
    } else {
      const helper = new CredentialHelper(record.store.replace(/^docker-credential-/, ''), `${configFile} (${record.store})`, exec, env);
      if (!sameFingerprint(record.wrote, helperText(await helper.get(key)))) return leftAlone(record, recordFile, registry, configFile);
      if (record.previous.helper) await helper.store(key, record.previous.helper);
      else await helper.erase(key);
      if (record.previous.entry !== null) setAuth(config, key, record.previous.entry);
      else deleteAuth(config, key);
    }

    if (record.createdConfig && isEmptyConfig(config)) await removeFile(configFile);
    else await writeDockerConfig(configFile, config.data);
    await removeLoginRecord(recordFile);
    return restoring
      ? { ok: true, outcome: 'restored', message: `logged out of ${registry}: the login that was there before is back in ${record.store === 'file' ? configFile : record.store}` }
      : { ok: true, outcome: 'removed', message: `logged out of ${registry}` };
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

async function leftAlone(record: LoginRecord, recordFile: string, registry: string, configFile: string): Promise<DockerLogoutResult> {
  // What it saved no longer applies: whoever replaced the entry decides what stays.
  await removeLoginRecord(recordFile);
  return {
    ok: true,
    outcome: 'changed',
    message: `the login for ${registry} in ${configFile} was replaced since imageship wrote it (by docker login or another run): left as it is${hasPrevious(record) ? ', and the login saved before it is dropped' : ''}`,
  };
}

/** GET /v2/ with the credentials: a refusal fails the login as `docker login` would, before anything is written. */
async function checkCredentials(request: DockerLoginRequest): Promise<void> {
  const client = new RegistryClient({
    registry: request.registry,
    fetch: request.fetch ?? nodeFetch,
    credentials: { username: request.username, password: request.password },
  });
  const context = { operation: 'login' as const, registry: request.registry, loginHint: request.loginHint };
  try {
    await client.checkLogin();
  } catch (error) {
    if (error instanceof RegistryError && error.status === 401) throw new RegistryLoginError(explainRegistryError('401 unauthorized', context));
    throw new RegistryLoginError(explainRegistryError(error instanceof Error ? error.message : String(error), context));
  }
}

async function configFileOf(env: Readonly<Record<string, string | undefined>>, operation: string): Promise<string> {
  const path = dockerConfigPath(env);
  if (path === undefined) throw new RegistryLoginError(`${operation}: no Docker config location: set DOCKER_CONFIG (or HOME)`);
  return resolveDockerConfigFile(path);
}

async function withConfigLock<T>(configFile: string, operation: string, body: () => Promise<T>): Promise<T> {
  try {
    // The lock file lives beside config.json: a first login creates the directory, private as docker makes it.
    await mkdir(dirname(configFile), { recursive: true, mode: 0o700 });
    return await withFileLock(`${configFile}.lock`, body);
  } catch (error) {
    if (error instanceof RegistryLoginError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new RegistryLoginError(`${operation}: ${message}`);
  }
}

/**
 * The credential helper the docker CLI would give this key's login to:
 * the host's credHelpers entry first (an empty one means config.json
 * itself), then credsStore.
 */
function helperFor(
  config: DockerConfigDocument,
  configFile: string,
  key: string,
  exec: Exec,
  env: Readonly<Record<string, string | undefined>>,
): CredentialHelper | undefined {
  const { credHelpers, credsStore } = config.data;
  if (isRecord(credHelpers)) {
    const wanted = normaliseHost(key);
    const name = credHelpers[key] ?? Object.entries(credHelpers).find(([host]) => normaliseHost(host) === wanted)?.[1];
    if (typeof name === 'string') return name === '' ? undefined : new CredentialHelper(name, `${configFile} (credHelpers)`, exec, env);
  }
  if (typeof credsStore === 'string' && credsStore !== '') return new CredentialHelper(credsStore, `${configFile} (credsStore)`, exec, env);
  return undefined;
}

function authsOf(config: DockerConfigDocument): Record<string, unknown> {
  const auths = config.data.auths;
  return isRecord(auths) ? auths : {};
}

function setAuth(config: DockerConfigDocument, key: string, entry: unknown): void {
  if (!isRecord(config.data.auths)) config.data.auths = {};
  (config.data.auths as Record<string, unknown>)[key] = entry;
}

function deleteAuth(config: DockerConfigDocument, key: string): void {
  if (isRecord(config.data.auths)) delete config.data.auths[key];
}

/** Nothing but an empty `auths`: what a config imageship created holds once its login is gone. */
function isEmptyConfig(config: DockerConfigDocument): boolean {
  const keys = Object.keys(config.data);
  return keys.every((name) => name === 'auths') && Object.keys(authsOf(config)).length === 0;
}

function hasPrevious(record: LoginRecord): boolean {
  return record.previous.entry !== null || (record.previous.helper ?? null) !== null;
}

function entryText(entry: unknown): string | undefined {
  return entry === undefined ? undefined : JSON.stringify(entry);
}

function helperText(credentials: { username: string; secret: string } | undefined): string | undefined {
  return credentials === undefined ? undefined : `${credentials.username}\0${credentials.secret}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
