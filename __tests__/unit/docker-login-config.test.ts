/**
 * dockerLogin / dockerLogout on real files in a temp DOCKER_CONFIG, with the
 * registry's credential check answered by a fake fetch and credential helpers
 * played by a fake Exec: what lands in config.json, what is kept and put back,
 * the lock, and the credential helper protocol.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readlinkSync, statSync } from 'node:fs';
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Exec, ExecRequest, Fetch } from '../../src/ports.js';
import { dockerLogin, dockerLogout, RegistryLoginError } from '../../src/registry/login.js';
import { tempDir } from '../helpers/temp-dir.js';

const REGISTRY = 'registry.example.test';
const USER = 'cn-north-4@HPUAUNITAK0000000001';
const PASSWORD = 'derived-password-0000000000000000000000000001';
const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');
const OURS = b64(`${USER}:${PASSWORD}`);
const ROBOT = { auth: b64('robot$ci:robot-secret-123') };

/** A registry that wants Basic and accepts only USER:PASSWORD; counts the credential checks. */
function registryFetch(): { fetch: Fetch; checks: string[] } {
  const checks: string[] = [];
  const fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = String(input instanceof Request ? input.url : input);
    const authorization = new Headers(init?.headers).get('authorization') ?? '';
    checks.push(`${url} ${authorization === '' ? 'anonymous' : 'with credentials'}`);
    if (authorization === `Basic ${OURS}`) return new Response('{}', { status: 200 });
    return new Response('{"errors":[{"code":"UNAUTHORIZED"}]}', { status: 401, headers: { 'www-authenticate': `Basic realm="${REGISTRY}"` } });
  }) as Fetch;
  return { fetch, checks };
}

/** A credential helper `docker-credential-<name>` played in memory; anything else cannot be started. */
function helperExec(name: string, store: Map<string, { Username: string; Secret: string }>): { exec: Exec; calls: ExecRequest[] } {
  const calls: ExecRequest[] = [];
  const exec: Exec = async (request) => {
    calls.push(request);
    if (request.command !== `docker-credential-${name}`) throw new Error(`spawn ${request.command} ENOENT`);
    const input = request.stdin ?? '';
    switch (request.args[0]) {
      case 'get': {
        const held = store.get(input.trim());
        return held ? { exitCode: 0, stdout: JSON.stringify({ ServerURL: input.trim(), ...held }), stderr: '' } : { exitCode: 1, stdout: 'credentials not found in native keychain\n', stderr: '' };
      }
      case 'store': {
        const body = JSON.parse(input) as { ServerURL: string; Username: string; Secret: string };
        store.set(body.ServerURL, { Username: body.Username, Secret: body.Secret });
        return { exitCode: 0, stdout: '', stderr: '' };
      }
      case 'erase':
        store.delete(input.trim());
        return { exitCode: 0, stdout: '', stderr: '' };
      default:
        return { exitCode: 1, stdout: '', stderr: 'unknown action' };
    }
  };
  return { exec, calls };
}

const noExec: Exec = async (request) => {
  throw new Error(`unexpected process ${request.command}`);
};

async function configDir(config?: unknown): Promise<{ dir: string; file: string; original: string }> {
  const dir = tempDir('imageship-login-unit-');
  const file = join(dir, 'config.json');
  const original = config === undefined ? '' : JSON.stringify(config, null, '\t');
  if (config !== undefined) await writeFile(file, original, { mode: 0o600 });
  return { dir, file, original };
}

const readConfig = async (file: string): Promise<{ auths?: Record<string, unknown>; [key: string]: unknown }> => JSON.parse(await readFile(file, 'utf8'));
const login = (dir: string, fetch: Fetch, exec: Exec = noExec, password = PASSWORD) =>
  dockerLogin(exec, { registry: REGISTRY, username: USER, password, loginHint: 'the user is cn-north-4@HPUA…', env: { DOCKER_CONFIG: dir }, fetch });

describe('dockerLogin writes the login into config.json, keeping everything else', () => {
  it('adds auths[host] next to the other keys and entries, 0600, with no temp file left', async () => {
    const { dir, file } = await configDir({ auths: { 'other.example': ROBOT }, psFormat: 'table {{.ID}}', credHelpers: { 'ecr.example': 'ecr-login' } });
    const { fetch, checks } = registryFetch();
    const result = await login(dir, fetch);
    assert.deepEqual(checks, [`https://${REGISTRY}/v2/ anonymous`, `https://${REGISTRY}/v2/ with credentials`], 'checked against the registry first');
    assert.deepEqual(await readConfig(file), { auths: { 'other.example': ROBOT, [REGISTRY]: { auth: OURS } }, psFormat: 'table {{.ID}}', credHelpers: { 'ecr.example': 'ecr-login' } });
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(result.store, 'config.json');
    assert.equal(result.keptPrevious, false);
    assert.deepEqual(readdirSync(dir).sort(), ['config.json', 'imageship-logins']);
    assert.equal(statSync(join(dir, 'imageship-logins')).mode & 0o777, 0o700);
    assert.equal(statSync(result.recordFile).mode & 0o777, 0o600);
    assert.ok(!(await readFile(result.recordFile, 'utf8')).includes(OURS), 'the record keeps a salted hash of the login, not the login');
  });

  it('refused credentials: the clear 401 message and hint, nothing written', async () => {
    const { dir, file, original } = await configDir({ auths: { [REGISTRY]: ROBOT } });
    const { fetch } = registryFetch();
    await assert.rejects(login(dir, fetch, noExec, 'wrong-password'), (error: unknown) => {
      assert.ok(error instanceof RegistryLoginError);
      assert.equal(error.message, `login: ${REGISTRY} rejected the credentials (401): the user is cn-north-4@HPUA…`);
      return true;
    });
    assert.equal(await readFile(file, 'utf8'), original);
    assert.deepEqual(readdirSync(dir), ['config.json']);
  });

  it('a config that is not JSON is named with the fix, and left as it is', async () => {
    const { dir, file } = await configDir();
    await writeFile(file, '{"auths": {');
    await assert.rejects(login(dir, registryFetch().fetch), new RegExp(`log in to ${REGISTRY}: the Docker config ${file} is not valid JSON: fix it or remove it`));
    assert.equal(await readFile(file, 'utf8'), '{"auths": {');
  });

  it('a symlinked config.json is written through to its target, the link kept', async () => {
    const { dir } = await configDir();
    const target = join(tempDir('imageship-login-target-'), 'real.json');
    await writeFile(target, JSON.stringify({ auths: {} }));
    await symlink(target, join(dir, 'config.json'));
    await login(dir, registryFetch().fetch);
    assert.equal(readlinkSync(join(dir, 'config.json')), target);
    assert.deepEqual((await readConfig(target)).auths, { [REGISTRY]: { auth: OURS } });
    assert.equal((await dockerLogout(noExec, REGISTRY, { DOCKER_CONFIG: dir })).outcome, 'removed');
    assert.deepEqual(await readConfig(target), { auths: {} });
  });
});

describe('dockerLogout undoes only what imageship did', () => {
  it('puts the earlier login back byte for byte and deletes its record', async () => {
    const { dir, file, original } = await configDir({ auths: { [REGISTRY]: ROBOT, 'https://other.example/v1/': ROBOT }, HttpHeaders: { 'User-Agent': 'x' } });
    const result = await login(dir, registryFetch().fetch);
    assert.equal(result.keptPrevious, true);
    assert.deepEqual((await readConfig(file)).auths?.[REGISTRY], { auth: OURS });
    const logout = await dockerLogout(noExec, REGISTRY, { DOCKER_CONFIG: dir });
    assert.deepEqual({ ok: logout.ok, outcome: logout.outcome }, { ok: true, outcome: 'restored' });
    assert.equal(await readFile(file, 'utf8'), original);
    assert.deepEqual(readdirSync(dir), ['config.json'], 'record, its directory and the lock are gone');
  });

  it('removes its own entry; a config.json it created is removed again', async () => {
    const { dir } = await configDir();
    await login(dir, registryFetch().fetch);
    const logout = await dockerLogout(noExec, REGISTRY, { DOCKER_CONFIG: dir });
    assert.deepEqual(logout, { ok: true, outcome: 'removed', message: `logged out of ${REGISTRY}` });
    assert.deepEqual(readdirSync(dir), []);
  });

  it('an entry replaced since the login (docker login by a later step) is left alone', async () => {
    const { dir, file } = await configDir({ auths: { [REGISTRY]: ROBOT } });
    await login(dir, registryFetch().fetch);
    const later = { auth: b64('someone:else-entirely') };
    const config = await readConfig(file);
    config.auths![REGISTRY] = later;
    await writeFile(file, JSON.stringify(config));
    const logout = await dockerLogout(noExec, REGISTRY, { DOCKER_CONFIG: dir });
    assert.equal(logout.outcome, 'changed');
    assert.match(logout.message, /was replaced since imageship wrote it .*left as it is/);
    assert.deepEqual((await readConfig(file)).auths?.[REGISTRY], later);
    assert.deepEqual(readdirSync(dir), ['config.json']);
  });

  it('a login imageship did not write is not touched (a failed login, or none at all)', async () => {
    const { dir, file, original } = await configDir({ auths: { [REGISTRY]: ROBOT } });
    const logout = await dockerLogout(noExec, REGISTRY, { DOCKER_CONFIG: dir });
    assert.deepEqual({ ok: logout.ok, outcome: logout.outcome }, { ok: true, outcome: 'none' });
    assert.equal(await readFile(file, 'utf8'), original);
  });

  it('two logins before one logout (a run that never logged out): the first saved login is the one restored', async () => {
    const { dir, file, original } = await configDir({ auths: { [REGISTRY]: ROBOT } });
    await login(dir, registryFetch().fetch);
    await login(dir, registryFetch().fetch);
    assert.equal((await dockerLogout(noExec, REGISTRY, { DOCKER_CONFIG: dir })).outcome, 'restored');
    assert.equal(await readFile(file, 'utf8'), original);
  });
});

describe('credential helpers get the login on stdin', () => {
  it('credsStore: the helper stores it (no password in config.json), the earlier one is put back at logout', async () => {
    const { dir, file, original } = await configDir({ auths: { [REGISTRY]: {} }, credsStore: 'unittest' });
    const store = new Map([[REGISTRY, { Username: 'robot$ci', Secret: 'robot-secret-123' }]]);
    const { exec, calls } = helperExec('unittest', store);
    const result = await login(dir, registryFetch().fetch, exec);
    assert.deepEqual({ store: result.store, kept: result.keptPrevious }, { store: 'docker-credential-unittest', kept: true });
    assert.deepEqual(store.get(REGISTRY), { Username: USER, Secret: PASSWORD });
    assert.equal(await readFile(file, 'utf8'), original, 'config.json unchanged: its placeholder entry was there already');
    for (const call of calls) {
      assert.equal(call.args.length, 1, 'the action is the only argument');
      assert.ok(!call.args.join(' ').includes('HPUA') && !call.args.join(' ').includes(PASSWORD));
    }
    assert.equal((await dockerLogout(exec, REGISTRY, { DOCKER_CONFIG: dir })).outcome, 'restored');
    assert.deepEqual(store.get(REGISTRY), { Username: 'robot$ci', Secret: 'robot-secret-123' });
    assert.equal(await readFile(file, 'utf8'), original);
  });

  it('credHelpers for the host wins over credsStore; erase at logout when it held nothing before', async () => {
    const { dir, file } = await configDir({ credsStore: 'never-used', credHelpers: { [REGISTRY]: 'unittest' } });
    const store = new Map<string, { Username: string; Secret: string }>();
    const { exec } = helperExec('unittest', store);
    await login(dir, registryFetch().fetch, exec);
    assert.deepEqual((await readConfig(file)).auths, { [REGISTRY]: {} }, 'an empty entry, as docker login leaves with a helper');
    assert.equal((await dockerLogout(exec, REGISTRY, { DOCKER_CONFIG: dir })).outcome, 'removed');
    assert.equal(store.size, 0);
    assert.equal(await readFile(file, 'utf8'), JSON.stringify({ credsStore: 'never-used', credHelpers: { [REGISTRY]: 'unittest' }, auths: {} }, null, '\t'));
  });

  it('an empty credHelpers entry for the host keeps its login in config.json despite credsStore, as docker does', async () => {
    const { dir, file } = await configDir({ credsStore: 'never-used', credHelpers: { [REGISTRY]: '' } });
    const result = await login(dir, registryFetch().fetch);
    assert.equal(result.store, 'config.json');
    assert.deepEqual((await readConfig(file)).auths, { [REGISTRY]: { auth: OURS } });
  });

  it('a helper that refuses to store (ecr-login does): the login fails naming it, and nothing is left for logout to misread', async () => {
    const { dir, file, original } = await configDir({ auths: { [REGISTRY]: {} }, credsStore: 'unittest' });
    const store = new Map([[REGISTRY, { Username: 'robot$ci', Secret: 'robot-secret-123' }]]);
    const { exec } = helperExec('unittest', store);
    const refusing: Exec = async (request) => (request.args[0] === 'store' ? { exitCode: 1, stdout: '', stderr: 'not implemented\n' } : exec(request));
    await assert.rejects(login(dir, registryFetch().fetch, refusing), new RegExp(`log in to ${REGISTRY}: could not store the login in the credential helper docker-credential-unittest \\(named by .*\\(credsStore\\)\\): not implemented`));
    assert.equal(await readFile(file, 'utf8'), original);
    assert.deepEqual(readdirSync(dir), ['config.json'], 'no login record, no lock');
    assert.equal((await dockerLogout(exec, REGISTRY, { DOCKER_CONFIG: dir })).outcome, 'none');
    assert.deepEqual(store.get(REGISTRY), { Username: 'robot$ci', Secret: 'robot-secret-123' });
  });

  it('a helper that is not installed: a clear error naming it and the fixes; nothing written', async () => {
    const { dir, file, original } = await configDir({ credsStore: 'desktop' });
    await assert.rejects(
      login(dir, registryFetch().fetch, helperExec('unittest', new Map()).exec),
      new RegExp(`${file.replace(/[.]/g, '\\.')} \\(credsStore\\) sends logins to the credential helper docker-credential-desktop, which cannot be run .*: install it, remove that setting from the config, or give the job a Docker config of its own \\(DOCKER_CONFIG\\)`),
    );
    assert.equal(await readFile(file, 'utf8'), original);
    assert.deepEqual(readdirSync(dir), ['config.json']);
  });

  it('a helper name that is a path is refused', async () => {
    const { dir } = await configDir({ credsStore: '../../bin/sh' });
    await assert.rejects(login(dir, registryFetch().fetch), /names the credential helper "..\/..\/bin\/sh", which is not a helper name/);
  });
});

describe('the lock around config.json', () => {
  const machine = (): string => {
    let ns = '';
    try {
      ns = readlinkSync('/proc/self/ns/pid');
    } catch {
      // not Linux
    }
    return `${hostname()}/${ns}`;
  };

  it('a lock left by a process that died is broken at once', async () => {
    const { dir, file } = await configDir({ auths: {} });
    // A pid that existed and is gone now.
    const dead = Number(execFileSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }));
    await writeFile(`${file}.lock`, JSON.stringify({ pid: dead, machine: machine(), token: 'dead', since: new Date().toISOString() }));
    const started = Date.now();
    await login(dir, registryFetch().fetch);
    assert.ok(Date.now() - started < 5_000);
    assert.deepEqual((await readConfig(file)).auths, { [REGISTRY]: { auth: OURS } });
    assert.ok(!existsSync(`${file}.lock`));
    assert.deepEqual(readdirSync(dir).filter((name) => name.includes('lock')), []);
  });

  it('a lock held by a live process is waited for', async () => {
    const { dir, file } = await configDir({ auths: {} });
    await writeFile(`${file}.lock`, JSON.stringify({ pid: process.pid, machine: machine(), token: 'live', since: new Date().toISOString() }));
    const started = Date.now();
    const release = new Promise<void>((resolve) =>
      setTimeout(async () => {
        // The holder finishes its own update, then releases.
        const config = await readConfig(file);
        config.auths!['held.example'] = ROBOT;
        await writeFile(file, JSON.stringify(config));
        await import('node:fs/promises').then((fs) => fs.unlink(`${file}.lock`));
        resolve();
      }, 700),
    );
    await login(dir, registryFetch().fetch);
    await release;
    assert.ok(Date.now() - started >= 650, 'waited for the holder');
    assert.deepEqual((await readConfig(file)).auths, { 'held.example': ROBOT, [REGISTRY]: { auth: OURS } }, "the holder's update is not lost");
  });

  it('a directory that does not exist yet is created 0700', async () => {
    const { dir } = await configDir();
    const nested = join(dir, 'deeper', 'docker');
    await mkdir(join(dir, 'deeper'));
    await dockerLogin(noExec, { registry: REGISTRY, username: USER, password: PASSWORD, loginHint: '', env: { DOCKER_CONFIG: nested }, fetch: registryFetch().fetch });
    assert.equal(statSync(nested).mode & 0o777, 0o700);
    assert.equal(statSync(join(nested, 'config.json')).mode & 0o777, 0o600);
  });
});
