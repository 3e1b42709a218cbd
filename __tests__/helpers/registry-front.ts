/**
 * A registry's own origin that also serves its token realm, as SWR, ACR
 * Enterprise, GHCR, Harbor and Quay do (their realm is `https://<registry
 * host>/…`, same host and port). distribution cannot serve a realm itself, so
 * this small HTTPS server (the test CA's certificate, which names the hosts)
 * stands in front of one `docker-registry`: `GET /token` is answered in
 * process by the token service's handler (registry-token-service.ts, still
 * recorded there), everything else is forwarded to the registry as is —
 * method, path, headers (Host, so the registry's `Location`s name the origin
 * the client used) and bodies streamed both ways over a keep-alive agent,
 * never buffered. A shaping proxy targets this front instead of the registry,
 * so a client's token request can ride the registry's kept-alive connection,
 * as it can at those registries.
 */
import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { Agent, createServer, request, type Server } from 'node:https';
import { pipeline } from 'node:stream';
import type { TestCa } from './hostile/test-ca.js';
import { listenLocally } from './listen-locally.js';

export interface RegistryFront {
  /** `127.0.0.1:PORT`: what a shaping proxy targets. */
  readonly host: string;
  readonly port: number;
  /** Where everything but `GET /token` goes (`127.0.0.1:PORT` of the registry); until set, 503. */
  setUpstream(host: string): void;
  close(): Promise<void>;
}

export interface RegistryFrontOptions {
  tls: TestCa;
  /** Answers `GET /token?…` (RegistryTokenService.handle). */
  token: (req: IncomingMessage, res: ServerResponse) => void;
}

// Per connection, not per message: a proxy must not pass them on (RFC 9110 §7.6.1). `expect` too: this server
// answers a 100-continue itself.
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authorization', 'te', 'trailer', 'upgrade', 'expect']);

function endToEnd(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const named = new Set((headers.connection ?? '').split(',').map((h) => h.trim().toLowerCase()));
  return Object.fromEntries(Object.entries(headers).filter(([name, value]) => value !== undefined && !HOP_BY_HOP.has(name) && !named.has(name)));
}

export async function startRegistryFront(options: RegistryFrontOptions): Promise<RegistryFront> {
  let upstream: { hostname: string; port: number } | undefined;
  const agent = new Agent({ keepAlive: true, ca: options.tls.caPem });

  const forward = (req: IncomingMessage, res: ServerResponse): void => {
    if (upstream === undefined) {
      res.writeHead(503).end('registry front: no upstream yet\n');
      return;
    }
    const out = request({ ...upstream, agent, method: req.method, path: req.url, headers: endToEnd(req.headers) });
    out.on('response', (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.statusMessage, endToEnd(answer.headers));
      pipeline(answer, res, (error) => {
        if (error) out.destroy();
      });
    });
    pipeline(req, out, (error) => {
      if (error === undefined || error === null) return;
      if (!res.headersSent) res.writeHead(502).end(`registry front: ${error.message}\n`);
      else res.destroy();
    });
    // The client went away before its answer was complete: so does the registry's request.
    res.on('close', () => {
      if (!res.writableFinished) out.destroy();
    });
  };

  const server: Server = createServer({ cert: options.tls.certPem, key: options.tls.keyPem, requestTimeout: 0 }, (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/token') options.token(req, res);
    else forward(req, res);
  });
  // distribution closes no idle connection of its own; neither does its front within a run.
  server.keepAliveTimeout = 120_000;
  const listener = await listenLocally(server);
  const port = listener.port;
  return {
    host: `127.0.0.1:${port}`,
    port,
    setUpstream: (host) => {
      const colon = host.lastIndexOf(':');
      upstream = { hostname: host.slice(0, colon), port: Number(host.slice(colon + 1)) };
    },
    close: () => {
      agent.destroy();
      return listener.close();
    },
  };
}
