/**
 * A stand-in for GitHub Actions' OIDC token service: an RS256 key of its
 * own, its JWKS at `/.well-known/jwks` (and the discovery document), and the
 * runner's token endpoint `GET /token?api-version=2.0&audience=…`, which
 * answers `{"value": "<JWT>"}` only to the job's bearer request token, with
 * the claims GitHub sets (iss https://token.actions.githubusercontent.com,
 * sub repo:<owner>/<repo>:ref:<ref>, repository, ref, sha, workflow,
 * job_workflow_ref, actor, event_name, run_id…). `mint` issues tokens for
 * other CIs or with chosen claims (expired, another issuer) for the error tests.
 */
import { generateKeyPairSync, randomBytes, randomUUID, sign, type KeyObject } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { serveBuffered, writeJsonAnswer } from './http-faults.js';

export const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';
export const GITLAB_ISSUER = 'https://gitlab.com';

export interface Jwks {
  keys: (Record<string, unknown> & { kid: string })[];
}

export interface OidcIssuerOptions {
  /** GitHub context of the job the tokens are for. */
  repository?: string;
  ref?: string;
  sha?: string;
  /** `sub` override (GitHub lets an org customise it); default repo:<repository>:ref:<ref>. */
  sub?: string;
}

export interface OidcIssuer {
  url: string;
  /** ACTIONS_ID_TOKEN_REQUEST_URL as the runner sets it (already with a query). */
  requestUrl: string;
  /** ACTIONS_ID_TOKEN_REQUEST_TOKEN: the only bearer the token endpoint accepts. */
  requestToken: string;
  jwks: Jwks;
  /** Every token issued through the endpoint, newest last. */
  issued: string[];
  /** How many requests the token endpoint refused. */
  refused: number;
  /** A token signed with this issuer's key; `claims` override or add (undefined removes). */
  mint(claims: Record<string, unknown>): string;
  close(): Promise<void>;
}

export async function startOidcIssuer(options: OidcIssuerOptions = {}): Promise<OidcIssuer> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = randomBytes(8).toString('hex');
  const jwks: Jwks = { keys: [{ ...(publicKey.export({ format: 'jwk' }) as Record<string, unknown>), kid, alg: 'RS256', use: 'sig' }] };
  const requestToken = randomBytes(24).toString('base64url');
  const repository = options.repository ?? 'octo-org/octo-app';
  const ref = options.ref ?? 'refs/heads/main';
  const issued: string[] = [];
  let refused = 0;

  const githubClaims = (audience: string): Record<string, unknown> => {
    const now = Math.floor(Date.now() / 1000);
    return {
      jti: randomUUID(),
      sub: options.sub ?? `repo:${repository}:ref:${ref}`,
      aud: audience,
      ref,
      sha: options.sha ?? '0123abcd4567ef890123abcd4567ef890123abcd',
      repository,
      repository_owner: repository.split('/')[0],
      repository_visibility: 'private',
      run_id: '1234567890',
      run_number: '7',
      run_attempt: '1',
      actor: 'octocat',
      workflow: 'ship',
      event_name: 'push',
      ref_type: 'branch',
      job_workflow_ref: `${repository}/.github/workflows/ship.yml@${ref}`,
      runner_environment: 'github-hosted',
      iss: GITHUB_ISSUER,
      nbf: now - 5,
      iat: now,
      exp: now + 300,
    };
  };

  const mint = (claims: Record<string, unknown>): string => signJwt(privateKey, kid, { ...githubClaims(String(claims['aud'] ?? 'unset')), ...claims });

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://issuer');
    const send = (status: number, body: unknown): void => void writeJsonAnswer(res, { status, body }, { 'content-type': 'application/json' });
    if (req.method === 'GET' && url.pathname === '/.well-known/jwks') return send(200, jwks);
    if (req.method === 'GET' && url.pathname === '/.well-known/openid-configuration') {
      return send(200, { issuer: GITHUB_ISSUER, jwks_uri: `${GITHUB_ISSUER}/.well-known/jwks`, id_token_signing_alg_values_supported: ['RS256'] });
    }
    if (req.method === 'GET' && url.pathname === '/token') {
      if (req.headers.authorization !== `Bearer ${requestToken}`) {
        refused++;
        return send(401, { message: 'Bad credentials' });
      }
      // The runner's URL carries api-version; `audience` is optional (default: the owner's URL).
      if (url.searchParams.get('api-version') !== '2.0') return send(400, { message: 'api-version missing' });
      const audience = url.searchParams.get('audience') ?? `https://github.com/${repository.split('/')[0]}`;
      const token = signJwt(privateKey, kid, githubClaims(audience));
      issued.push(token);
      return send(200, { count: 1, value: token });
    }
    send(404, { message: 'Not Found' });
  }

  const server = await serveBuffered(handle);
  return {
    url: server.url,
    requestUrl: `${server.url}/token?api-version=2.0`,
    requestToken,
    jwks,
    issued,
    get refused() {
      return refused;
    },
    mint,
    close: server.close,
  };
}

function signJwt(privateKey: KeyObject, kid: string, claims: Record<string, unknown>): string {
  const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  const defined = Object.fromEntries(Object.entries(claims).filter(([, value]) => value !== undefined));
  const input = `${encode({ alg: 'RS256', typ: 'JWT', kid })}.${encode(defined)}`;
  return `${input}.${sign('sha256', Buffer.from(input), privateKey).toString('base64url')}`;
}
