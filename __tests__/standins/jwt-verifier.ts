/**
 * How the clouds' STS and IAM stand-ins check an OIDC ID token, written apart
 * from src/credentials/oidc/ so the two keep each other honest: RS256
 * signature against the provider's JWKS (by kid), then iss, aud (one of the
 * provider's client ids), exp and nbf (with a little skew), then the trust
 * policy's condition on sub. The verdict names what failed, as the clouds'
 * error codes do.
 */
import { createPublicKey, verify } from 'node:crypto';
import type { Jwks } from './oidc-issuer.js';

export type JwtFailure = 'malformed' | 'signature' | 'issuer' | 'audience' | 'expired' | 'not-yet-valid' | 'subject';

export interface JwtExpectations {
  jwks: Jwks;
  issuer: string;
  clientIds: readonly string[];
  /** The trust policy's `oidc:sub` condition: StringLike patterns with `*`. */
  subjectPatterns: readonly string[];
}

export type JwtVerdict = { ok: true; claims: Record<string, unknown> } | { ok: false; failure: JwtFailure; detail: string };

const SKEW_SECONDS = 30;

export function verifyIdToken(token: string, expect: JwtExpectations): JwtVerdict {
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, failure: 'malformed', detail: 'the token must have 3 parts' };
  let header: Record<string, unknown>;
  let claims: Record<string, unknown>;
  try {
    header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8')) as Record<string, unknown>;
    claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return { ok: false, failure: 'malformed', detail: 'header or payload is not base64url JSON' };
  }
  if (header['alg'] !== 'RS256') return { ok: false, failure: 'malformed', detail: `alg ${String(header['alg'])} is not accepted` };
  const jwk = expect.jwks.keys.find((key) => key.kid === header['kid']);
  if (jwk === undefined) return { ok: false, failure: 'signature', detail: 'no key with this kid in the JWKS' };
  const key = createPublicKey({ key: jwk as unknown as import('node:crypto').JsonWebKey, format: 'jwk' });
  if (!verify('sha256', Buffer.from(`${parts[0]}.${parts[1]}`), key, Buffer.from(parts[2]!, 'base64url'))) {
    return { ok: false, failure: 'signature', detail: 'invalid signature' };
  }
  if (claims['iss'] !== expect.issuer) return { ok: false, failure: 'issuer', detail: `iss ${String(claims['iss'])}` };
  const aud = Array.isArray(claims['aud']) ? (claims['aud'] as unknown[]) : [claims['aud']];
  if (!aud.some((entry) => typeof entry === 'string' && expect.clientIds.includes(entry))) {
    return { ok: false, failure: 'audience', detail: 'aud is not a client id of the provider' };
  }
  const now = Math.floor(Date.now() / 1000);
  if (typeof claims['exp'] !== 'number' || claims['exp'] + SKEW_SECONDS < now) return { ok: false, failure: 'expired', detail: 'exp has passed' };
  if (typeof claims['nbf'] === 'number' && claims['nbf'] - SKEW_SECONDS > now) return { ok: false, failure: 'not-yet-valid', detail: 'nbf is in the future' };
  const sub = typeof claims['sub'] === 'string' ? claims['sub'] : '';
  if (!expect.subjectPatterns.some((pattern) => stringLike(pattern, sub))) return { ok: false, failure: 'subject', detail: 'sub does not match the condition' };
  return { ok: true, claims };
}

/** IAM StringLike: `*` any run of characters, `?` one; everything else literal. */
function stringLike(pattern: string, value: string): boolean {
  const regex = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${regex}$`).test(value);
}
