/**
 * Where logins live in the Docker config, shared by dockerLogin and
 * dockerLogout: the key docker uses for a registry, the `auths` entries,
 * the credential helper a key's login goes to, and the lock every
 * read-modify-write of config.json holds. Kept apart from the login so the
 * post step, which only logs out, loads none of the registry client.
 */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Exec } from '../ports.js';
import { withFileLock } from './config-lock.js';
import { CredentialHelper } from './credential-helper.js';
import { dockerConfigPath, normaliseHost } from './docker-config.js';
import { resolveDockerConfigFile, type DockerConfigDocument } from './docker-config-file.js';
import type { LoginRecord } from './login-record.js';
import { DOCKER_HUB } from '../domain/image/reference.js';

type Env = Readonly<Record<string, string | undefined>>;

/** The key `docker login` stores a registry's login under. */
export function serverKey(registry: string): string {
  return normaliseHost(registry) === DOCKER_HUB ? 'https://index.docker.io/v1/' : registry;
}

/** The config file (through a symlink, as docker writes it); throws when there is no location for one. */
export async function configFileOf(env: Env, operation: string): Promise<string> {
  const path = dockerConfigPath(env);
  if (path === undefined) throw new Error(`${operation}: no Docker config location: set DOCKER_CONFIG (or HOME)`);
  return resolveDockerConfigFile(path);
}

/** Runs `body` holding the lock beside config.json; a failure is one error starting with `operation`. */
export async function withConfigLock<T>(configFile: string, operation: string, body: () => Promise<T>): Promise<T> {
  try {
    // The lock file lives beside config.json: a first login creates the directory, private as docker makes it.
    await mkdir(dirname(configFile), { recursive: true, mode: 0o700 });
    return await withFileLock(`${configFile}.lock`, body);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(message.startsWith(`${operation}: `) ? message : `${operation}: ${message}`);
  }
}

/**
 * The credential helper the docker CLI would give this key's login to:
 * the host's credHelpers entry first (an empty one means config.json
 * itself), then credsStore.
 */
export function helperFor(config: DockerConfigDocument, configFile: string, key: string, exec: Exec, env: Env): CredentialHelper | undefined {
  const { credHelpers, credsStore } = config.data;
  if (isRecord(credHelpers)) {
    const wanted = normaliseHost(key);
    const name = credHelpers[key] ?? Object.entries(credHelpers).find(([host]) => normaliseHost(host) === wanted)?.[1];
    if (typeof name === 'string') return name === '' ? undefined : new CredentialHelper(name, `${configFile} (credHelpers)`, exec, env);
  }
  if (typeof credsStore === 'string' && credsStore !== '') return new CredentialHelper(credsStore, `${configFile} (credsStore)`, exec, env);
  return undefined;
}

export function authsOf(config: DockerConfigDocument): Record<string, unknown> {
  const auths = config.data.auths;
  return isRecord(auths) ? auths : {};
}

export function setAuth(config: DockerConfigDocument, key: string, entry: unknown): void {
  if (!isRecord(config.data.auths)) config.data.auths = {};
  (config.data.auths as Record<string, unknown>)[key] = entry;
}

export function deleteAuth(config: DockerConfigDocument, key: string): void {
  if (isRecord(config.data.auths)) delete config.data.auths[key];
}

/** Nothing but an empty `auths`: what a config imageship created holds once its login is gone. */
export function isEmptyConfig(config: DockerConfigDocument): boolean {
  const keys = Object.keys(config.data);
  return keys.every((name) => name === 'auths') && Object.keys(authsOf(config)).length === 0;
}

/** The record saved a login that was there before imageship's. */
export function hasPrevious(record: LoginRecord): boolean {
  return record.previous.entry !== null || (record.previous.helper ?? null) !== null;
}

/** What a written `auths` entry is recognised by. */
export function entryText(entry: unknown): string | undefined {
  return entry === undefined ? undefined : JSON.stringify(entry);
}

/** What a login held by a credential helper is recognised by. */
export function helperText(credentials: { username: string; secret: string } | undefined): string | undefined {
  return credentials === undefined ? undefined : `${credentials.username}\0${credentials.secret}`;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
