/**
 * A real registry over TLS on loopback: Debian's `docker-registry`
 * (distribution 2.8) with `http.tls` from a test CA's certificate, open or
 * behind `auth: token` (registry-token-service.ts), with its access log on,
 * parsed into one entry per request — how a benchmark counts the requests a
 * run made. Put it behind a shaping proxy to make it remote.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestCa } from './hostile/test-ca.js';
import { RegistryOutput, type AccessLogEntry } from './registry-access-log.js';

export const REGISTRY_BINARY = '/usr/bin/docker-registry';
const START_TIMEOUT_MS = 15_000;

export interface RegistryTokenAuth {
  /** Token endpoint URL as clients should reach it (e.g. through a shaping proxy). */
  realm: string;
  /** The `service` this registry is (the token's audience). */
  service: string;
  issuer: string;
  /** CA file whose chain signs the tokens. */
  rootCertBundle: string;
}

export interface TlsRegistryOptions {
  tls: TestCa;
  tokenAuth?: RegistryTokenAuth;
  /** Parent of the registry's temporary directory (config, storage). Default os.tmpdir(). */
  parentDir?: string;
}


export type { AccessLogEntry };

export interface TlsRegistry {
  /** `127.0.0.1:PORT`. */
  readonly host: string;
  readonly port: number;
  readonly pid: number | undefined;
  /** Every request logged so far, oldest first; `accessLog.length` before a run is a mark to count from. */
  readonly accessLog: AccessLogEntry[];
  /** Waits until the access log has been quiet for `quietMs` (the registry writes it after answering). */
  settle(quietMs?: number): Promise<void>;
  close(): Promise<void>;
}


export async function startTlsRegistry(options: TlsRegistryOptions): Promise<TlsRegistry> {
  const dir = mkdtempSync(join(options.parentDir ?? tmpdir(), 'imageship-tls-registry-'));
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  await writeFile(join(dir, 'server.crt'), options.tls.certPem);
  await writeFile(join(dir, 'server.key'), options.tls.keyPem, { mode: 0o600 });
  const token = options.tokenAuth;
  const config =
    'version: 0.1\n' +
    'log:\n  level: error\n  accesslog:\n    disabled: false\n' +
    `storage:\n  filesystem:\n    rootdirectory: ${join(dir, 'data')}\n  delete:\n    enabled: true\n` +
    `http:\n  addr: ${host}\n  secret: imageship-test-${port}\n  tls:\n    certificate: ${join(dir, 'server.crt')}\n    key: ${join(dir, 'server.key')}\n` +
    (token
      ? `auth:\n  token:\n    realm: ${token.realm}\n    service: ${token.service}\n    issuer: ${token.issuer}\n    rootcertbundle: ${token.rootCertBundle}\n`
      : '');
  await writeFile(join(dir, 'config.yml'), config);

  const child: ChildProcess = spawn(REGISTRY_BINARY, ['serve', join(dir, 'config.yml')], { stdio: ['ignore', 'pipe', 'pipe'] });
  const output = new RegistryOutput();
  const accessLog = output.accessLog;
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
      throw new Error(`docker-registry (TLS) exited at start:\n${output.text}`);
    }
    const status = await probe(port, options.tls.caPem);
    if (status === 200 || status === 401) break;
    if (Date.now() > deadline) {
      await close();
      throw new Error(`docker-registry (TLS) did not answer on https://${host} within ${START_TIMEOUT_MS / 1000} s:\n${output.text}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  // The probes are not part of anyone's run.
  await new Promise((resolve) => setTimeout(resolve, 50));
  accessLog.length = 0;
  return {
    host,
    port,
    pid: child.pid,
    accessLog,
    settle: (quietMs) => output.settle(quietMs),
    close,
  };
}

function probe(port: number, caPem: string): Promise<number> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/v2/', ca: caPem, servername: 'localhost', agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', () => resolve(0));
    req.setTimeout(2_000, () => req.destroy());
    req.end();
  });
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
