/**
 * Undoing imageship's login (registry/login.ts): the login that was in the
 * Docker config (or its credential helper) before is put back, else the
 * entry imageship wrote is removed; nothing else is touched.
 */
import type { Exec } from '../ports.js';
import { CredentialHelper } from './credential-helper.js';
import { readDockerConfig, removeFile, writeDockerConfig } from './docker-config-file.js';
import { loginRecordPath, readLoginRecord, removeLoginRecord, sameFingerprint, type LoginRecord } from './login-record.js';
import { authsOf, configFileOf, deleteAuth, entryText, hasPrevious, helperText, isEmptyConfig, serverKey, setAuth, withConfigLock } from './login-store.js';

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

async function leftAlone(record: LoginRecord, recordFile: string, registry: string, configFile: string): Promise<DockerLogoutResult> {
  // What it saved no longer applies: whoever replaced the entry decides what stays.
  await removeLoginRecord(recordFile);
  return {
    ok: true,
    outcome: 'changed',
    message: `the login for ${registry} in ${configFile} was replaced since imageship wrote it (by docker login or another run): left as it is${hasPrevious(record) ? ', and the login saved before it is dropped' : ''}`,
  };
}
