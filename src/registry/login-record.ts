/**
 * What imageship keeps between its login and its logout, one file per
 * registry in `imageship-logins/` beside the Docker config (0700 directory,
 * 0600 files): the login that was there before (so logout puts it back) and
 * a salted hash of what imageship wrote (so logout touches the entry only
 * while it is still imageship's).
 *
 * Why beside the config rather than in RUNNER_TEMP: the saved login came
 * from that config, in the same directory, readable by the same user, so
 * keeping it there exposes it to no one new; and every process that uses
 * that config (the post step, `imageship post`, a library's dockerLogout,
 * another job on a runner sharing ~/.docker) finds it from the config path
 * alone, whatever its RUNNER_TEMP. Nothing of it goes to step state,
 * outputs or logs.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFile, readdir, rmdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { removeFile, writePrivateFileAtomically } from './docker-config-file.js';

export const LOGIN_RECORD_DIR = 'imageship-logins';

export interface LoginRecord {
  version: 1;
  /** The `auths` key (and credential helper server URL) imageship wrote. */
  key: string;
  /** 'file' for config.json itself, else the credential helper's program. */
  store: string;
  /** What was there before imageship's login. */
  previous: {
    /** `auths[key]` as it was; null when there was none. */
    entry: unknown;
    /** With a credential helper: what it held for the key; null when nothing. */
    helper?: { username: string; secret: string } | null;
  };
  /** Salted SHA-256 of what imageship wrote. */
  wrote: { salt: string; sha256: string };
  /** imageship created config.json: logout removes it again when nothing else is left in it. */
  createdConfig: boolean;
}

/** `<config dir>/imageship-logins/<key>.json`, the key made safe as a file name. */
export function loginRecordPath(configFile: string, key: string): string {
  const name = key.replace(/[^A-Za-z0-9.-]/g, '_');
  return join(dirname(configFile), LOGIN_RECORD_DIR, `${name}.json`);
}

/** The record, or undefined when there is none (or it is not one of ours: it is then ignored and replaced). */
export async function readLoginRecord(path: string): Promise<LoginRecord | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const record = JSON.parse(text) as Partial<LoginRecord>;
    if (record.version !== 1 || typeof record.key !== 'string' || typeof record.store !== 'string') return undefined;
    if (record.previous === null || typeof record.previous !== 'object' || !('entry' in record.previous)) return undefined;
    if (typeof record.wrote?.salt !== 'string' || typeof record.wrote.sha256 !== 'string') return undefined;
    return { ...record, createdConfig: record.createdConfig === true } as LoginRecord;
  } catch {
    return undefined;
  }
}

export async function writeLoginRecord(path: string, record: LoginRecord): Promise<void> {
  await writePrivateFileAtomically(path, `${JSON.stringify(record, null, 2)}\n`);
}

/** Deletes the record, and its directory once it holds no other. */
export async function removeLoginRecord(path: string): Promise<void> {
  await removeFile(path);
  const dir = dirname(path);
  try {
    if ((await readdir(dir)).length === 0) await rmdir(dir);
  } catch {
    // Another process wrote a record there meanwhile, or it is gone already.
  }
}

/** A salted fingerprint of a written value: enough to recognise it later, useless to recover it. */
export function fingerprint(value: string, salt: string = randomBytes(16).toString('hex')): { salt: string; sha256: string } {
  return { salt, sha256: createHash('sha256').update(salt).update('\0').update(value).digest('hex') };
}

export function sameFingerprint(expected: { salt: string; sha256: string }, value: string | undefined): boolean {
  return value !== undefined && fingerprint(value, expected.salt).sha256 === expected.sha256;
}
