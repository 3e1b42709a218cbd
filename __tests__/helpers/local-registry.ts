/**
 * A real registry on loopback for tests: Debian's `docker-registry`
 * (distribution 2.8) with filesystem storage in a temporary directory, open
 * or behind htpasswd (Basic) auth. Debian's build re-reads the htpasswd file
 * on every request, so `setUsers` changes the accepted logins of a running
 * registry, as a cloud registry's rotating temporary passwords would.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { renameSync, writeFileSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { tempDir } from './temp-dir.js';
import { RegistryOutput, type AccessLogEntry } from './registry-access-log.js';

export const REGISTRY_BINARY = '/usr/bin/docker-registry';
export const HTPASSWD_BINARY = '/usr/bin/htpasswd';
const START_TIMEOUT_MS = 15_000;

export interface RegistryUser {
  username: string;
  password: string;
}

export interface LocalRegistry {
  /** `127.0.0.1:PORT`, as an image reference or `docker login` wants it. */
  host: string;
  /** Every request the registry logged, oldest first (only with `accessLog: true`; it writes a line after answering). */
  accessLog: AccessLogEntry[];
  /** Waits until the registry's output has been quiet for `quietMs` (default 150). */
  settle(quietMs?: number): Promise<void>;
  /** Replaces every accepted login. Only for a registry started with `users`. */
  setUsers(users: RegistryUser[]): void;
  close(): Promise<void>;
}

export interface LocalRegistryOptions {
  /** Turns on htpasswd auth (an empty list accepts nobody); left out, the registry is open. */
  users?: RegistryUser[];
  /**
   * Accept manifests with foreign (non-distributable) layers whose `urls`
   * are http(s). distribution refuses them unless an allow list is set.
   */
  allowForeignLayers?: boolean;
  /** Log every request (distribution's access log), e.g. to count what a client moved without a proxy in its path. */
  accessLog?: boolean;
}

export async function startLocalRegistry(options: LocalRegistryOptions = {}): Promise<LocalRegistry> {
  const dir = tempDir('imageship-registry-');
  const htpasswdPath = join(dir, 'htpasswd');
  const withAuth = options.users !== undefined;
  const port = await freePort();
  const host = `127.0.0.1:${port}`;

  const setUsers = (users: RegistryUser[]): void => {
    if (!withAuth) throw new Error('setUsers: this registry was started without users, so it has no htpasswd auth to change');
    const lines = users.map((user) => htpasswdLine(user)).join('');
    // Written aside then renamed, so a request never reads a half-written file.
    const staging = `${htpasswdPath}.next`;
    writeFileSync(staging, lines, { mode: 0o600 });
    renameSync(staging, htpasswdPath);
  };

  let auth = '';
  if (withAuth) {
    setUsers(options.users ?? []);
    auth = `auth:\n  htpasswd:\n    realm: imageship-test\n    path: ${htpasswdPath}\n`;
  }
  const config =
    'version: 0.1\n' +
    `log:\n  level: error\n  accesslog:\n    disabled: ${options.accessLog ? 'false' : 'true'}\n` +
    `storage:\n  filesystem:\n    rootdirectory: ${join(dir, 'data')}\n  delete:\n    enabled: true\n` +
    `http:\n  addr: ${host}\n  secret: imageship-test-${port}\n` +
    (options.allowForeignLayers ? 'validation:\n  manifests:\n    urls:\n      allow:\n        - ^https?://\n' : '') +
    auth;
  await writeFile(join(dir, 'config.yml'), config);

  const child: ChildProcess = spawn(REGISTRY_BINARY, ['serve', join(dir, 'config.yml')], { stdio: ['ignore', 'pipe', 'pipe'] });
  const output = new RegistryOutput();
  child.stdout?.on('data', output.take);
  child.stderr?.on('data', output.take);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const close = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(killer);
    }
    await rm(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      await close();
      throw new Error(`docker-registry exited at start:\n${output.text}`);
    }
    try {
      const probe = await fetch(`http://${host}/v2/`);
      await probe.body?.cancel();
      if (probe.status === 200 || probe.status === 401) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await close();
      throw new Error(`docker-registry did not answer on ${host} within ${START_TIMEOUT_MS / 1000} s:\n${output.text}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { host, accessLog: output.accessLog, settle: (quietMs) => output.settle(quietMs), setUsers, close };
}

/** One bcrypt entry. The password goes in on stdin (`-i`), not argv, so it never shows in a process list. */
function htpasswdLine(user: RegistryUser): string {
  const result = spawnSync(HTPASSWD_BINARY, ['-nBi', user.username], { input: user.password, encoding: 'utf8' });
  if (result.error !== undefined) throw new Error(`htpasswd could not be run: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`htpasswd failed for ${user.username}: ${result.stderr.trim()}`);
  // `-n` prints the entry followed by an empty line; keep exactly one line per user.
  return `${result.stdout.trim()}\n`;
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
