/**
 * A Bearer token service plus an authorising proxy in front of an open test
 * registry, checking scopes the way distribution's token auth does: a read
 * needs `repository:<name>:pull`, a write (POST/PUT/PATCH/DELETE) needs
 * `pull,push`, and a cross-repository mount (`POST …?mount=&from=<src>`)
 * needs `repository:<src>:pull` as well. A request whose token lacks any of
 * them is challenged with exactly the scopes it needs. Tokens are granted
 * for the scopes asked, to a user with the right password (anonymous users
 * get `pull` only). The Host header is passed on, so upload Locations point
 * back through the proxy.
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const TOKEN_SERVICE = 'imageship-test';

export interface TokenRequest {
  /** `scope` parameters as sent. */
  scopes: string[];
  service: string | null;
  authorization: string | undefined;
}

/** How challenges look and tokens are handed out; changeable while running, restored by `reset`. */
export interface TokenProxySettings {
  /** Whether a challenge names the scopes needed (default true); without them a client must guess. */
  challengeScope: boolean;
  /** The token answer's field: `token` (default) or the OAuth2 `access_token`. */
  tokenField: 'token' | 'access_token';
}

export interface TokenProxy {
  host: string;
  settings: TokenProxySettings;
  tokenRequests: TokenRequest[];
  /** `METHOD path` of requests that reached the registry. */
  forwarded: string[];
  /** `METHOD path` of requests answered 401 for want of a scope. */
  challenged: string[];
  /** Forget every issued token, as an expiry would. */
  revokeAll(): void;
  /**
   * Narrows what tokens grant: `user` is the username (undefined when
   * anonymous), `resource` e.g. `repository:org/app`. undefined grants all
   * that is asked (anonymous users: pull only).
   */
  setGrantFilter(filter: ((user: string | undefined, resource: string, action: string) => boolean) | undefined): void;
  /** Revokes every token as soon as the next request matching `test` (`METHOD path`) has been let through: an expiry mid-copy. */
  revokeAfterNext(test: (line: string) => boolean): void;
  /** Forgets records, tokens and the grant filter, and restores the default settings. */
  reset(): void;
  close(): Promise<void>;
}

export interface TokenProxyOptions {
  username: string;
  password: string;
}

export async function startTokenProxy(upstreamHost: string, options: TokenProxyOptions): Promise<TokenProxy> {
  /** token → granted `repository:name` → actions. */
  const issued = new Map<string, Map<string, Set<string>>>();
  const tokenRequests: TokenRequest[] = [];
  const forwarded: string[] = [];
  const challenged: string[] = [];
  let counter = 0;
  let realm = '';
  let grantFilter: ((user: string | undefined, resource: string, action: string) => boolean) | undefined;
  let revokeTrigger: ((line: string) => boolean) | undefined;
  const defaultSettings: TokenProxySettings = { challengeScope: true, tokenField: 'token' };
  const settings: TokenProxySettings = { ...defaultSettings };

  const answerToken = (req: IncomingMessage, res: ServerResponse, url: URL): void => {
    const authorization = req.headers.authorization;
    const scopes = url.searchParams.getAll('scope');
    tokenRequests.push({ scopes, service: url.searchParams.get('service'), authorization });
    const expected = `Basic ${Buffer.from(`${options.username}:${options.password}`).toString('base64')}`;
    if (authorization !== undefined && authorization !== expected) {
      res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ details: 'incorrect username or password' }));
      return;
    }
    const granted = new Map<string, Set<string>>();
    for (const item of scopes.flatMap((scope) => scope.split(' ')).filter(Boolean)) {
      const colon = item.lastIndexOf(':');
      const resource = item.slice(0, colon);
      const actions = granted.get(resource) ?? new Set<string>();
      const user = authorization === undefined ? undefined : options.username;
      for (const action of item.slice(colon + 1).split(',')) {
        if (user === undefined && action !== 'pull') continue;
        if (grantFilter !== undefined && !grantFilter(user, resource, action)) continue;
        actions.add(action);
      }
      granted.set(resource, actions);
    }
    const token = `token-${++counter}`;
    issued.set(token, granted);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ [settings.tokenField]: token, expires_in: 300 }));
  };

  /** The scopes a request needs, as `repository:name:actions` items. */
  const requiredScopes = (method: string, url: URL): string[] => {
    const name = /^\/v2\/(.+?)\/(?:manifests|blobs|tags)\//.exec(url.pathname)?.[1];
    if (name === undefined) return [];
    const read = method === 'GET' || method === 'HEAD';
    const needed = [`repository:${name}:${read ? 'pull' : 'pull,push'}`];
    const from = url.searchParams.get('from');
    if (method === 'POST' && url.searchParams.has('mount') && from) needed.push(`repository:${from}:pull`);
    return needed;
  };

  const covers = (granted: Map<string, Set<string>> | undefined, needed: string[]): boolean => {
    if (granted === undefined) return false;
    return needed.every((item) => {
      const colon = item.lastIndexOf(':');
      const held = granted.get(item.slice(0, colon));
      return item
        .slice(colon + 1)
        .split(',')
        .every((action) => held?.has(action) === true);
    });
  };

  const forward = (req: IncomingMessage, res: ServerResponse, url: URL): void => {
    const method = req.method ?? 'GET';
    const presented = req.headers.authorization?.replace(/^Bearer /, '');
    const needed = requiredScopes(method, url);
    const granted = presented === undefined ? undefined : issued.get(presented);
    if (granted === undefined || !covers(granted, needed)) {
      challenged.push(`${method} ${req.url}`);
      const scope = settings.challengeScope && needed.length > 0 ? `,scope="${needed.join(' ')}"` : '';
      req.resume();
      res
        .writeHead(401, {
          'content-type': 'application/json',
          'www-authenticate': `Bearer realm="${realm}",service="${TOKEN_SERVICE}"${scope}`,
        })
        .end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }));
      return;
    }
    const line = `${method} ${req.url}`;
    forwarded.push(line);
    if (revokeTrigger?.(line)) {
      revokeTrigger = undefined;
      issued.clear();
    }
    const headers = { ...req.headers };
    delete headers.authorization;
    const upstream = httpRequest(`http://${upstreamHost}${req.url}`, { method, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  };

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://proxy');
    if (url.pathname === '/token') answerToken(req, res, url);
    else forward(req, res, url);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  realm = `http://${host}/token`;
  return {
    host,
    settings,
    tokenRequests,
    forwarded,
    challenged,
    revokeAll: () => issued.clear(),
    setGrantFilter: (filter) => {
      grantFilter = filter;
    },
    revokeAfterNext: (test) => {
      revokeTrigger = test;
    },
    reset: () => {
      tokenRequests.length = 0;
      forwarded.length = 0;
      challenged.length = 0;
      issued.clear();
      grantFilter = undefined;
      revokeTrigger = undefined;
      Object.assign(settings, defaultSettings);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
