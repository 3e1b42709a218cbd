/**
 * A Bearer token service for real `docker-registry` instances configured with
 * `auth: token` (see tls-registry.ts): it answers `GET /token?service=&scope=`
 * over HTTPS with a JWT that distribution verifies itself — ES256, signed with
 * the test CA's server key, the certificate in the `x5c` header, the CA as the
 * registry's `rootcertbundle`. Every scope asked is granted (anonymous callers
 * get `pull` only); a wrong password is refused. Every token request is
 * recorded, so a test or benchmark can count them per registry (`service`)
 * and scope. `handle` answers the same requests inside another server (a
 * registry's own origin, registry-front.ts), recorded in the same list.
 */
import { createPrivateKey, randomBytes, sign, X509Certificate } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import { listenLocally } from './listen-locally.js';
import type { TestCa } from './hostile/test-ca.js';

export const TOKEN_ISSUER = 'imageship-test-token-service';

export interface IssuedTokenRequest {
  /** The registry the token is for (`service` parameter). */
  service: string;
  /** Each `scope` parameter as sent. */
  scopes: string[];
  /** User name from Basic auth, undefined when anonymous. */
  username: string | undefined;
  /** 200 when a token was issued, 401 for a wrong password. */
  status: number;
  /** ms since the service started. */
  at: number;
}

export interface RegistryTokenService {
  readonly port: number;
  /** `https://127.0.0.1:PORT/token`, reachable by Node and Go clients alike (the certificate has IP 127.0.0.1). Put behind a shaping proxy, give that proxy's port. */
  realm(port?: number): string;
  readonly issuer: string;
  /** The CA file a registry needs as `rootcertbundle`. */
  readonly rootCertBundle: string;
  readonly requests: IssuedTokenRequest[];
  /** Answers a token request (`GET /token?…`; any other path: 404) in another HTTPS server; recorded in `requests` too. */
  readonly handle: (req: IncomingMessage, res: ServerResponse) => void;
  close(): Promise<void>;
}

const base64url = (data: Buffer | string): string => Buffer.from(data).toString('base64url');

export async function startRegistryTokenService(options: { tls: TestCa; users?: Record<string, string> }): Promise<RegistryTokenService> {
  const key = createPrivateKey(options.tls.keyPem);
  const certDer = new X509Certificate(options.tls.certPem).raw.toString('base64');
  const requests: IssuedTokenRequest[] = [];
  const started = performance.now();
  const users = options.users ?? {};

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'https://token.test');
    if (url.pathname !== '/token') {
      res.writeHead(404).end();
      return;
    }
    const service = url.searchParams.get('service') ?? '';
    const scopes = url.searchParams.getAll('scope');
    const record: IssuedTokenRequest = { service, scopes, username: undefined, status: 0, at: performance.now() - started };
    requests.push(record);
    const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? '');
    if (basic !== null) {
      const decoded = Buffer.from(basic[1] as string, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      const username = decoded.slice(0, colon);
      record.username = username;
      if (users[username] === undefined || users[username] !== decoded.slice(colon + 1)) {
        record.status = 401;
        res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ details: 'incorrect username or password' }));
        return;
      }
    }
    const access = new Map<string, { type: string; name: string; actions: Set<string> }>();
    for (const item of scopes.flatMap((scope) => scope.split(' ')).filter(Boolean)) {
      const [type, ...rest] = item.split(':');
      const actions = rest.pop() ?? '';
      const name = rest.join(':');
      const entry = access.get(`${type}:${name}`) ?? { type: type as string, name, actions: new Set<string>() };
      for (const action of actions.split(',')) if (record.username !== undefined || action === 'pull') entry.actions.add(action);
      access.set(`${type}:${name}`, entry);
    }
    const now = Math.floor(Date.now() / 1000);
    const header = { typ: 'JWT', alg: 'ES256', x5c: [certDer] };
    const claims = {
      iss: TOKEN_ISSUER,
      sub: record.username ?? '',
      aud: service,
      exp: now + 600,
      nbf: now - 10,
      iat: now,
      jti: randomBytes(8).toString('hex'),
      access: [...access.values()].map((a) => ({ type: a.type, name: a.name, actions: [...a.actions] })),
    };
    const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
    const signature = sign('sha256', Buffer.from(signingInput), { key, dsaEncoding: 'ieee-p1363' });
    const token = `${signingInput}.${base64url(signature)}`;
    record.status = 200;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token, access_token: token, expires_in: 600, issued_at: new Date().toISOString() }));
  };
  const server: Server = createServer({ cert: options.tls.certPem, key: options.tls.keyPem }, handle);
  const listener = await listenLocally(server);
  const port = listener.port;
  return {
    port,
    realm: (via = port) => `https://127.0.0.1:${via}/token`,
    issuer: TOKEN_ISSUER,
    rootCertBundle: options.tls.caFile,
    requests,
    handle,
    close: () => listener.close(),
  };
}
