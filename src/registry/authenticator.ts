/**
 * Answers a registry's 401 challenge the way the Docker client does: Basic
 * credentials for htpasswd-style registries, or a Bearer token fetched from
 * the realm the registry names (Docker Hub, SWR, GHCR, Harbor…). Tokens are
 * cached per scope set (`repository:dst:pull,push repository:src:pull` for a
 * cross-repository mount) so a session of calls asks the token service once.
 */
import { Buffer } from 'node:buffer';
import type { Fetch } from '../ports.js';
import { BODY_CAPS } from '../util/body-cap.js';
import { fetchWithRetry, type RetryPolicy } from '../http/retry.js';
import { readBodyBytes } from '../http/read-body.js';
import { findChallenge, parseWwwAuthenticate, type AuthChallenge } from './auth-challenge.js';
import { isLoopbackHost, registryBaseUrl } from './endpoint.js';
import { RegistryError, registryErrorFromResponse } from './registry-error.js';
import { isDocumentedTokenService } from './token-services.js';

export interface RegistryCredentials {
  username: string;
  password: string;
}

export interface AuthenticatorOptions {
  /** host[:port], for messages. */
  registry: string;
  credentials?: RegistryCredentials;
  fetch: Fetch;
  retry?: Partial<RetryPolicy>;
  /**
   * Whether credentials may go to a token realm over plain HTTP on another
   * host. Only when the registry itself is spoken to over HTTP: otherwise a
   * realm downgraded to http:// would leak the password.
   */
  allowPlainHttpRealm: boolean;
  /**
   * Told once per realm host when the registry names a token service on
   * another host, which gets an anonymous token request instead of the login.
   */
  warn?: (message: string) => void;
  /**
   * Told every secret the moment this layer has it: the password and the
   * `user:password` pair it encodes into Basic headers, and every token a
   * token service hands out (a registry may echo any of them in an error).
   */
  onSecret?: (secret: string) => void;
}

/** The pull scope of a repository, as the token spec spells it. */
export function pullScope(repository: string): string {
  return repositoryScope(repository, ['pull']);
}

/** `repository:<name>:<action,action>`, e.g. `repository:org/app:pull,push`. */
export function repositoryScope(repository: string, actions: readonly string[]): string {
  return `repository:${repository}:${actions.join(',')}`;
}

/**
 * A scope set (`type:name:actions` items separated by spaces) as resource →
 * actions. A name may itself hold colons in other resource types, so the
 * last colon separates the actions.
 */
export function parseScopes(scopes: string): Map<string, Set<string>> {
  const resources = new Map<string, Set<string>>();
  for (const item of scopes.split(/\s+/).filter(Boolean)) {
    const colon = item.lastIndexOf(':');
    if (colon <= 0) continue;
    const resource = item.slice(0, colon);
    const actions = resources.get(resource) ?? new Set<string>();
    for (const action of item.slice(colon + 1).split(',').filter(Boolean)) actions.add(action);
    resources.set(resource, actions);
  }
  return resources;
}

/**
 * The union of scope sets, normalised: one item per resource, resources and
 * actions sorted. Equal sets spell the same, so the result is a cache key.
 */
export function mergeScopes(...scopeSets: readonly (string | undefined)[]): string {
  const merged = new Map<string, Set<string>>();
  for (const scopes of scopeSets) {
    if (scopes === undefined) continue;
    for (const [resource, actions] of parseScopes(scopes)) {
      const into = merged.get(resource) ?? new Set<string>();
      for (const action of actions) into.add(action);
      merged.set(resource, into);
    }
  }
  return [...merged.keys()]
    .sort()
    .map((resource) => `${resource}:${[...(merged.get(resource) ?? [])].sort().join(',')}`)
    .join(' ');
}

/** Whether `granted` asks for every action of every resource in `wanted`. */
export function scopesCover(granted: string, wanted: string): boolean {
  const have = parseScopes(granted);
  for (const [resource, actions] of parseScopes(wanted)) {
    const held = have.get(resource);
    if (held === undefined) return false;
    for (const action of actions) if (!held.has(action) && !held.has('*')) return false;
  }
  return true;
}

export class RegistryAuthenticator {
  private readonly basicAuthorization: string | undefined;
  /** Set once the registry has asked for Basic; from then on it is sent up front. */
  private registryWantsBasic = false;
  /** Normalised scope set (see mergeScopes) → `Bearer …` header value. */
  private readonly tokens = new Map<string, string>();
  /** Token requests under way, so parallel calls hit by the same 401 share one. */
  private readonly pendingTokens = new Map<string, Promise<string>>();
  /** The host name the registry's API is served from (`registry-1.docker.io` for `docker.io`). */
  private readonly apiHost: string;
  /** The registry's last Bearer challenge (without its scope), once it has sent one. */
  private bearerChallenge: AuthChallenge | undefined;
  /** Realm hosts already warned about. */
  private readonly warnedRealms = new Set<string>();

  constructor(private readonly options: AuthenticatorOptions) {
    const credentials = options.credentials;
    if (credentials) {
      options.onSecret?.(credentials.password);
      options.onSecret?.(`${credentials.username}:${credentials.password}`);
    }
    this.basicAuthorization = credentials
      ? `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`, 'utf8').toString('base64')}`
      : undefined;
    this.apiHost = new URL(registryBaseUrl(options.registry, 'https')).hostname.toLowerCase();
  }

  /**
   * The Authorization header to send up front for `scope` (one scope or a
   * space-separated set), when one is known already: the token asked for
   * exactly that set, else one asked for a wider set (a push token serves
   * the reads of the same repository).
   */
  authorizationFor(scope: string): string | undefined {
    if (this.registryWantsBasic) return this.basicAuthorization;
    const key = mergeScopes(scope);
    const exact = this.tokens.get(key);
    if (exact !== undefined) return exact;
    for (const [granted, authorization] of this.tokens) {
      if (scopesCover(granted, key)) return authorization;
    }
    return undefined;
  }

  /**
   * As authorizationFor, but when the registry has already asked for a
   * Bearer token (an earlier 401 named its realm) and no token held covers
   * `scope`, the token is fetched now — widened to what is held on the same
   * repositories — instead of after one more 401: a later step of the run
   * costs a token request, not a refused request and a token request.
   */
  async authorizationAhead(scope: string, operation: string): Promise<string | undefined> {
    const known = this.authorizationFor(scope);
    if (known !== undefined || this.bearerChallenge === undefined || scope.trim() === '') return known;
    return this.sharedTokenRequest(this.bearerChallenge, this.widened(scope), operation);
  }

  /**
   * The Authorization header that answers the 401 `response`, fetching a new
   * token when the registry asks for Bearer. undefined when the challenge is
   * absent or of a scheme imageship does not speak, and when the only answer
   * is the Authorization the refused request carried already (`sent`):
   * nothing new to offer, the caller reports the 401. When a parallel call
   * has cached another token for the same scope since, that one is returned
   * instead of asking the token service again.
   * Throws RegistryError when the challenge cannot be met.
   */
  async answerChallenge(response: Response, scope: string, operation: string, sent?: string): Promise<string | undefined> {
    const answer = await this.challengeAnswer(response, scope, operation, sent);
    return answer === sent ? undefined : answer;
  }

  private async challengeAnswer(response: Response, scope: string, operation: string, sent: string | undefined): Promise<string | undefined> {
    const header = response.headers.get('www-authenticate');
    const challenges = header ? parseWwwAuthenticate(header) : [];
    const bearer = findChallenge(challenges, 'bearer');
    if (bearer) {
      // Remembered without its scope: the realm and service serve every later scope of this registry.
      const { scope: _challenged, ...params } = bearer.params;
      this.bearerChallenge = { ...bearer, params };
      // A parallel call got a token for exactly this scope since this request went out: use it rather than ask again.
      const fresh = this.tokens.get(mergeScopes(scope));
      if (fresh !== undefined && fresh !== sent) return fresh;
      // Or one held since that covers it (a parallel call widened the scope).
      for (const [granted, authorization] of this.tokens) {
        if (authorization !== sent && scopesCover(granted, scope)) return authorization;
      }
      return this.sharedTokenRequest(bearer, this.widened(scope), operation);
    }
    if (findChallenge(challenges, 'basic')) {
      if (this.basicAuthorization === undefined) {
        throw await registryErrorFromResponse(
          response,
          operation,
          `registry ${this.options.registry} asks for a username and password (Basic auth) and none were given`,
        );
      }
      this.registryWantsBasic = true;
      return this.basicAuthorization;
    }
    return undefined;
  }

  /**
   * `scope` plus what the tokens held already grant on the same resources:
   * a step that needs push where a pull token is held asks once for
   * pull+push, and that token then serves both (one token request per
   * registry and scope per run, not one per step).
   */
  widened(scope: string): string {
    const wanted = parseScopes(scope);
    const overlapping = [...this.tokens.keys()].filter((granted) => [...parseScopes(granted).keys()].some((resource) => wanted.has(resource)));
    return mergeScopes(scope, ...overlapping);
  }

  private sharedTokenRequest(challenge: AuthChallenge, scope: string, operation: string): Promise<string> {
    const key = mergeScopes(scope);
    const pending = this.pendingTokens.get(key);
    if (pending) return pending;
    const request = this.fetchToken(challenge, key, operation).finally(() => this.pendingTokens.delete(key));
    this.pendingTokens.set(key, request);
    return request;
  }

  private async fetchToken(challenge: AuthChallenge, scope: string, operation: string): Promise<string> {
    const realm = this.realmUrl(challenge, operation);
    const url = new URL(realm);
    const service = challenge.params.service;
    if (service) url.searchParams.set('service', service);
    // What the registry challenged for plus what the call needs (a push or a
    // mount needs more than the registry may name in its first challenge).
    for (const wanted of mergeScopes(scope, challenge.params.scope).split(' ').filter(Boolean)) {
      url.searchParams.append('scope', wanted);
    }

    const authorization = this.mayReceiveLogin(url) ? this.basicAuthorization : undefined;
    const response = await fetchWithRetry(
      this.options.fetch,
      {
        url: url.href,
        headers: authorization === undefined ? {} : { authorization },
        operation: `${operation}: get a token from ${realm}`,
      },
      this.options.retry,
    );
    const hint = `while getting a token from ${realm}`;
    if (!response.ok) throw await registryErrorFromResponse(response, operation, hint);

    const answer = await readBodyBytes(response, operation, { what: 'the token answer', from: url.host, cap: BODY_CAPS.token });
    // Masked before anything else is done with the answer: a token is a password for its lifetime.
    for (const secret of tokenSecrets(answer)) this.options.onSecret?.(secret);
    const token = extractToken(answer);
    if (token === undefined) {
      throw new RegistryError(`${operation}: the token service answered without a token (${hint})`, {
        status: response.status,
        operation,
      });
    }
    const bearer = `Bearer ${token}`;
    this.tokens.set(scope, bearer);
    return bearer;
  }

  /**
   * The login is bound to the registry it was given for: a token realm gets
   * it only on the registry's own host, or at the token service the cloud
   * documents for that registry (token-services.ts). Any other realm is asked
   * anonymously (a public image still works), with one warning naming it.
   */
  private mayReceiveLogin(realm: URL): boolean {
    if (this.basicAuthorization === undefined) return false;
    const realmHost = realm.hostname.toLowerCase();
    if (realmHost === this.apiHost || isDocumentedTokenService(this.apiHost, realmHost)) return true;
    if (!this.warnedRealms.has(realmHost)) {
      this.warnedRealms.add(realmHost);
      this.options.warn?.(
        `registry ${this.options.registry} names the token service ${realm.host}, which is neither ${this.apiHost} nor a token ` +
          `service documented for it: the login for ${this.options.registry} is not sent there; asking ${realm.host} for an anonymous token`,
      );
    }
    return false;
  }

  /** The realm as a URL without query, checked before any credential is sent there. */
  private realmUrl(challenge: AuthChallenge, operation: string): string {
    const realm = challenge.params.realm;
    const refuse = (why: string): never => {
      throw new RegistryError(`${operation}: HTTP 401: ${why}`, { status: 401, operation });
    };
    if (!realm) return refuse(`registry ${this.options.registry} sent a Bearer challenge without a realm`);
    let url: URL;
    try {
      url = new URL(realm);
    } catch {
      return refuse(`registry ${this.options.registry} sent a Bearer realm that is not a URL: ${JSON.stringify(realm)}`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return refuse(`unsupported token realm scheme ${url.protocol}`);
    if (
      url.protocol === 'http:' &&
      this.basicAuthorization !== undefined &&
      !this.options.allowPlainHttpRealm &&
      !isLoopbackHost(url.hostname)
    ) {
      return refuse(`refusing to send credentials to the plain-HTTP token realm ${url.origin}${url.pathname}`);
    }
    return url.href;
  }
}

/** Every credential-looking string field of a token answer (`token`, `access_token`, `refresh_token`…). */
function tokenSecrets(body: Uint8Array): string[] {
  try {
    const json = JSON.parse(new TextDecoder().decode(body)) as Record<string, unknown>;
    return Object.entries(json)
      .filter(([key, value]) => /token|secret|password/i.test(key) && typeof value === 'string')
      .map(([, value]) => value as string);
  } catch {
    return [];
  }
}

/** `token` per the Docker token spec, `access_token` per OAuth2; services send one or both. */
function extractToken(body: Uint8Array): string | undefined {
  try {
    const json = JSON.parse(new TextDecoder().decode(body)) as { token?: unknown; access_token?: unknown };
    if (typeof json.token === 'string' && json.token !== '') return json.token;
    if (typeof json.access_token === 'string' && json.access_token !== '') return json.access_token;
  } catch {
    // Not JSON: reported as "without a token" by the caller.
  }
  return undefined;
}
