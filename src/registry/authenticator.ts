/**
 * Answers a registry's 401 challenge the way the Docker client does: Basic
 * credentials for htpasswd-style registries, or a Bearer token fetched from
 * the realm the registry names (Docker Hub, SWR, GHCR, Harbor…). Tokens are
 * cached per scope so a session of calls asks the token service once.
 */
import { Buffer } from 'node:buffer';
import type { Fetch } from '../ports.js';
import { fetchWithRetry, readBodyBytes, type RetryPolicy } from '../util/http.js';
import { findChallenge, parseWwwAuthenticate, type AuthChallenge } from './auth-challenge.js';
import { isLoopbackHost } from './endpoint.js';
import { RegistryError, registryErrorFromResponse } from './registry-error.js';

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
}

/** The pull scope of a repository, as the token spec spells it. */
export function pullScope(repository: string): string {
  return `repository:${repository}:pull`;
}

export class RegistryAuthenticator {
  private readonly basicAuthorization: string | undefined;
  /** Set once the registry has asked for Basic; from then on it is sent up front. */
  private registryWantsBasic = false;
  /** Scope → `Bearer …` header value. */
  private readonly tokens = new Map<string, string>();
  /** Token requests under way, so parallel calls hit by the same 401 share one. */
  private readonly pendingTokens = new Map<string, Promise<string>>();

  constructor(private readonly options: AuthenticatorOptions) {
    const credentials = options.credentials;
    this.basicAuthorization = credentials
      ? `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`, 'utf8').toString('base64')}`
      : undefined;
  }

  /** The Authorization header to send up front for `scope`, when one is known already. */
  authorizationFor(scope: string): string | undefined {
    if (this.registryWantsBasic) return this.basicAuthorization;
    return this.tokens.get(scope);
  }

  /**
   * The Authorization header that answers the 401 `response`, fetching a new
   * token when the registry asks for Bearer. undefined when the challenge is
   * absent or of a scheme imageship does not speak (the caller reports the 401).
   * Throws RegistryError when the challenge cannot be met.
   */
  async answerChallenge(response: Response, scope: string, operation: string): Promise<string | undefined> {
    const header = response.headers.get('www-authenticate');
    const challenges = header ? parseWwwAuthenticate(header) : [];
    const bearer = findChallenge(challenges, 'bearer');
    if (bearer) return this.sharedTokenRequest(bearer, scope, operation);
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

  private sharedTokenRequest(challenge: AuthChallenge, scope: string, operation: string): Promise<string> {
    const pending = this.pendingTokens.get(scope);
    if (pending) return pending;
    const request = this.fetchToken(challenge, scope, operation).finally(() => this.pendingTokens.delete(scope));
    this.pendingTokens.set(scope, request);
    return request;
  }

  private async fetchToken(challenge: AuthChallenge, scope: string, operation: string): Promise<string> {
    const realm = this.realmUrl(challenge, operation);
    const url = new URL(realm);
    const service = challenge.params.service;
    if (service) url.searchParams.set('service', service);
    // The registry knows best which scope it wants; ours is the fallback.
    for (const wanted of (challenge.params.scope ?? scope).split(' ').filter(Boolean)) {
      url.searchParams.append('scope', wanted);
    }

    const response = await fetchWithRetry(
      this.options.fetch,
      {
        url: url.href,
        headers: this.basicAuthorization === undefined ? {} : { authorization: this.basicAuthorization },
        operation: `${operation}: get a token from ${realm}`,
      },
      this.options.retry,
    );
    const hint = `while getting a token from ${realm}`;
    if (!response.ok) throw await registryErrorFromResponse(response, operation, hint);

    const token = extractToken(await readBodyBytes(response, operation));
    if (token === undefined) {
      throw new RegistryError(`${operation}: the token service answered without a token (${hint})`, {
        status: response.status,
        operation,
      });
    }
    const authorization = `Bearer ${token}`;
    this.tokens.set(scope, authorization);
    return authorization;
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
