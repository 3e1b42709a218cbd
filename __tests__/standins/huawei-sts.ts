/**
 * Stand-ins for Huawei Cloud's two keyless paths, on one server (point both
 * `sts=` and `iam=` at it):
 *
 * - IAM 5.0 STS AssumeAgencyWithOIDC, `POST /v5/agencies/assume-with-oidc`:
 *   unsigned; the body must hold exactly the documented fields
 *   (provider_urn, agency_urn, agency_session_name, id_token, duration_seconds
 *   900..the agency's maximum); the ID token is verified (jwt-verifier.ts)
 *   against the provider (JWKS, issuer, client ids) and the agency's trust
 *   policy (sub condition); answers `{credentials: {access_key_id,
 *   secret_access_key, security_token, expiration}}`.
 * - IAM federation: `POST /v3.0/OS-AUTH/id-token/tokens` with `X-Idp-Id`
 *   (the token verified the same way, then the identity conversion rules map
 *   its sub to a user, or to none) → 201 with `X-Subject-Token`; then
 *   `POST /v3.0/OS-CREDENTIAL/securitytokens` (token method, X-Auth-Token and
 *   the body's token.id must be that federated token, duration 900..86400) →
 *   201 `{credential: {access, secret, securitytoken, expires_at}}`.
 *
 * Error bodies follow the documented shapes (`{error_code, error_msg,
 * request_id}`; classic IAM's `IAM.xxxx` codes). The per-cause STS codes are
 * not published, so the codes used for STS here are this stand-in's own; the
 * client reads the status and message, which is what this exercises.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { serveBuffered, writeJsonAnswer, type Answer } from './http-faults.js';
import { verifyIdToken, type JwtFailure } from './jwt-verifier.js';
import type { Jwks } from './oidc-issuer.js';

export interface IssuedKeys {
  ak: string;
  sk: string;
  securityToken: string;
}

export interface HuaweiStsOptions {
  jwks: Jwks;
  issuer: string;
  /** The provider's client ids (audiences it accepts). */
  clientIds: string[];
  providerUrn: string;
  agencyUrn: string;
  /** The trust policy's oidc:sub StringLike patterns. */
  subjectPatterns: string[];
  /** The agency's maximum session duration (seconds). */
  maxSessionSeconds?: number;
  /** IAM federation: the identity provider id, and the sub patterns its conversion rules map to a user. */
  identityProvider?: string;
  mappedSubjects?: string[];
}

export interface HuaweiStsStandIn {
  url: string;
  /** The temporary credentials this stand-in issues (the same for every success, so downstream stand-ins can require them). */
  issued: IssuedKeys;
  calls: { path: string; status: number; code: string }[];
  successes: number;
  close(): Promise<void>;
}

const STS_FIELDS = ['provider_urn', 'agency_urn', 'agency_session_name', 'id_token', 'duration_seconds'];

export async function startHuaweiStsStandIn(options: HuaweiStsOptions): Promise<HuaweiStsStandIn> {
  const issued: IssuedKeys = {
    ak: `HST${randomBytes(9).toString('hex').toUpperCase()}`,
    sk: randomBytes(20).toString('hex'),
    securityToken: `gQ${randomBytes(96).toString('base64')}`,
  };
  const federatedTokens = new Set<string>();
  const calls: HuaweiStsStandIn['calls'] = [];
  let successes = 0;
  const expectations = { jwks: options.jwks, issuer: options.issuer, clientIds: options.clientIds, subjectPatterns: options.subjectPatterns };

  const error = (status: number, code: string, message: string): Answer => ({ status, body: { error_code: code, error_msg: message, request_id: randomUUID().replace(/-/g, '') } });
  const stsFailure: Record<JwtFailure, Answer> = {
    malformed: error(400, 'STS5.0002', 'invalid id_token: malformed jwt'),
    signature: error(400, 'STS5.0002', 'invalid id_token: signature verification failed against the provider jwks'),
    issuer: error(400, 'STS5.0002', 'invalid id_token: iss does not match the identity provider url'),
    audience: error(400, 'STS5.0002', 'invalid id_token: aud is not in the client id list of the identity provider'),
    expired: error(400, 'STS5.0003', 'id_token expired'),
    'not-yet-valid': error(400, 'STS5.0002', 'invalid id_token: nbf is in the future'),
    subject: error(403, 'STS5.0001', 'access denied: the trust policy of the agency does not allow this request (condition oidc:sub)'),
  };

  function handle(req: IncomingMessage, res: ServerResponse, rawBody: Buffer): void {
    const path = (req.url ?? '/').split('?')[0] ?? '';
    const answer = route(req, path, rawBody);
    const code = (answer.body as { error_code?: string } | undefined)?.error_code ?? '';
    calls.push({ path, status: answer.status, code });
    if (answer.status < 300) successes++;
    writeJsonAnswer(res, answer, { 'content-type': 'application/json' });
  }

  function route(req: IncomingMessage, path: string, rawBody: Buffer): Answer {
    if (req.method !== 'POST') return error(404, 'APIGW.0101', 'The API does not exist or has not been published in the environment');
    if (req.headers['authorization'] !== undefined) return error(400, 'STS5.0000', 'this api takes no signature');
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(rawBody.toString('utf8')) as Record<string, unknown>;
    } catch {
      return error(400, 'IAM.0011', 'Request body is invalid.');
    }
    if (path === '/v5/agencies/assume-with-oidc') return assumeWithOidc(body);
    if (path === '/v3.0/OS-AUTH/id-token/tokens') return idTokenTokens(req, body);
    if (path === '/v3.0/OS-CREDENTIAL/securitytokens') return securityTokens(req, body);
    return error(404, 'APIGW.0101', 'The API does not exist or has not been published in the environment');
  }

  function assumeWithOidc(body: Record<string, unknown>): Answer {
    const unknown = Object.keys(body).filter((key) => !STS_FIELDS.includes(key) && key !== 'policy' && key !== 'policy_ids');
    if (unknown.length > 0) return error(400, 'STS5.0000', `invalid request: unknown fields ${unknown.join(', ')}`);
    for (const field of ['provider_urn', 'agency_urn', 'agency_session_name', 'id_token']) {
      if (typeof body[field] !== 'string' || body[field] === '') return error(400, 'STS5.0000', `invalid request: ${field} is required`);
    }
    const session = body['agency_session_name'] as string;
    if (!/^[\w+=,.@-]{2,64}$/.test(session)) return error(400, 'STS5.0000', 'invalid request: agency_session_name');
    const duration = body['duration_seconds'] ?? 3600;
    if (typeof duration !== 'number' || !Number.isInteger(duration) || duration < 900 || duration > (options.maxSessionSeconds ?? 3600)) {
      return error(400, 'STS5.0000', 'invalid request: duration_seconds exceeds the max session duration of the agency');
    }
    if (body['provider_urn'] !== options.providerUrn) return error(404, 'STS5.0004', 'identity provider not found');
    if (body['agency_urn'] !== options.agencyUrn) return error(404, 'STS5.0004', 'agency not found');
    const verdict = verifyIdToken(body['id_token'] as string, expectations);
    if (!verdict.ok) return stsFailure[verdict.failure];
    return {
      status: 200,
      body: {
        credentials: {
          access_key_id: issued.ak,
          secret_access_key: issued.sk,
          security_token: issued.securityToken,
          expiration: new Date(Date.now() + duration * 1000).toISOString(),
        },
        source_identity: session,
        assumed_agency: { assumed_id: `${randomUUID()}:${session}`, assumed_urn: `sts::assumed-agency:${session}` },
      },
    };
  }

  function idTokenTokens(req: IncomingMessage, body: Record<string, unknown>): Answer {
    const idp = req.headers['x-idp-id'];
    if (typeof idp !== 'string' || idp === '') return error(400, 'IAM.0007', 'Request parameter X-Idp-Id is invalid.');
    if (options.identityProvider === undefined || idp !== options.identityProvider) return error(404, 'IAM.0004', `Could not find identity provider: ${idp}.`);
    const token = ((body['auth'] as Record<string, unknown> | undefined)?.['id_token'] as Record<string, unknown> | undefined)?.['id'];
    if (typeof token !== 'string' || token === '') return error(400, 'IAM.0011', 'Request body is invalid.');
    // The provider's client id must be the aud; the sub condition lives in the mapping rules here, not a trust policy.
    const verdict = verifyIdToken(token, { ...expectations, subjectPatterns: ['*'] });
    if (!verdict.ok) {
      if (verdict.failure === 'expired') return error(401, 'IAM.0007', 'The id_token has expired.');
      if (verdict.failure === 'audience') return error(401, 'IAM.0007', 'Request parameter id_token is invalid: aud does not match the client_id of the identity provider.');
      return error(401, 'IAM.0007', `Request parameter id_token is invalid: ${verdict.detail}.`);
    }
    const sub = String(verdict.claims['sub'] ?? '');
    const mapped = (options.mappedSubjects ?? []).some((pattern) => new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`).test(sub));
    if (!mapped) return error(401, 'IAM.0007', 'The id_token does not match any mapping rule of the identity provider: no local user.');
    const federated = `MIIF${randomBytes(48).toString('base64')}`;
    federatedTokens.add(federated);
    return {
      status: 201,
      headers: { 'X-Subject-Token': federated },
      body: { token: { expires_at: new Date(Date.now() + 86_400_000).toISOString(), methods: ['mapped'], user: { name: 'FederationUser', 'OS-FEDERATION': { identity_provider: { id: idp }, protocol: { id: 'oidc' } } } } },
    };
  }

  function securityTokens(req: IncomingMessage, body: Record<string, unknown>): Answer {
    const identity = (body['auth'] as Record<string, unknown> | undefined)?.['identity'] as Record<string, unknown> | undefined;
    const methods = identity?.['methods'];
    const token = identity?.['token'] as Record<string, unknown> | undefined;
    if (!Array.isArray(methods) || methods.length !== 1 || methods[0] !== 'token' || token === undefined) return error(400, 'IAM.0011', 'Request body is invalid.');
    const header = req.headers['x-auth-token'];
    if (typeof header !== 'string' || !federatedTokens.has(header)) return error(401, 'IAM.0001', 'The request you have made requires authentication.');
    if (token['id'] !== undefined && token['id'] !== header) return error(400, 'IAM.0011', 'Request body is invalid.');
    const duration = token['duration_seconds'] ?? 900;
    if (typeof duration !== 'number' || !Number.isInteger(duration) || duration < 900 || duration > 86_400) return error(400, 'IAM.0011', 'Request body is invalid.');
    return {
      status: 201,
      body: { credential: { access: issued.ak, secret: issued.sk, securitytoken: issued.securityToken, expires_at: new Date(Date.now() + duration * 1000).toISOString() } },
    };
  }

  const server = await serveBuffered(handle);
  return {
    url: server.url,
    issued,
    calls,
    get successes() {
      return successes;
    },
    close: server.close,
  };
}
