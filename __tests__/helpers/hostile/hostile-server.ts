/**
 * A server that plays a remote host on loopback: HTTP or HTTPS (a test CA's
 * certificate), a handler the test writes, and a record of every request (the
 * Host it was sent to and its headers), so a test can prove what a credential
 * reached. Pair it with hosts-preload.mjs (the name resolves to 127.0.0.1) and
 * NODE_EXTRA_CA_CERTS.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { listenLocally } from '../listen-locally.js';
import { fileURLToPath } from 'node:url';
import type { TestCa } from './test-ca.js';

export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  /** The Host header: which name the client believed it talked to. */
  readonly host: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
}

export type HostileHandler = (request: IncomingMessage & { body: Buffer }, response: ServerResponse) => void | Promise<void>;

export interface HostileServer {
  readonly port: number;
  /** `https://name:port` (or http://) for a name the preload maps to 127.0.0.1. */
  origin(name: string): string;
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
}

export async function startHostileServer(handler: HostileHandler, options: { tls?: TestCa; readBody?: boolean } = {}): Promise<HostileServer> {
  const requests: RecordedRequest[] = [];
  const listener = (request: IncomingMessage, response: ServerResponse): void => {
    const chunks: Buffer[] = [];
    const finish = (): void => {
      const body = Buffer.concat(chunks);
      requests.push({ method: request.method ?? '', url: request.url ?? '', host: request.headers.host ?? '', headers: { ...request.headers }, body });
      Promise.resolve(handler(Object.assign(request, { body }), response)).catch((error: unknown) => {
        if (!response.headersSent) response.writeHead(500);
        response.end(String(error));
      });
    };
    if (options.readBody === false) return finish();
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', finish);
  };
  const server: Server = options.tls ? createHttpsServer({ cert: options.tls.certPem, key: options.tls.keyPem }, listener) : createHttpServer(listener);
  const listening = await listenLocally(server);
  const port = listening.port;
  const scheme = options.tls ? 'https' : 'http';
  return {
    port,
    origin: (name) => `${scheme}://${name}:${port}`,
    requests,
    close: () => listening.close(),
  };
}

/** Path of the preload for `NODE_OPTIONS=--import=<path>`. */
export const HOSTS_PRELOAD = fileURLToPath(new URL('../../../../__tests__/helpers/hostile/hosts-preload.mjs', import.meta.url));

/** Env for a child (the action, the CLI) that resolves `names` to 127.0.0.1 and trusts the CA. */
export function hostileEnv(names: readonly string[], ca?: TestCa): Record<string, string> {
  return {
    IMAGESHIP_TEST_HOSTS: names.map((name) => `${name}=127.0.0.1`).join(','),
    NODE_OPTIONS: `--import=${HOSTS_PRELOAD}`,
    ...(ca ? { NODE_EXTRA_CA_CERTS: ca.caFile } : {}),
  };
}
