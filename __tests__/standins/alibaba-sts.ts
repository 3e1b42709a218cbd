/**
 * A stand-in for Alibaba Cloud STS AssumeRoleWithOIDC (RPC 2015-04-01):
 * anonymous (a request carrying AccessKeyId or Signature is refused), the
 * documented parameters required (RoleArn, OIDCProviderArn, OIDCToken 4-20000
 * characters, RoleSessionName, DurationSeconds 900..the role's maximum), the
 * OIDC token verified independently (jwt-verifier.ts) against the provider
 * (JWKS, issuer, client ids) and the role's trust policy (oidc:sub), and the
 * documented error codes and body `{RequestId, HostId, Code, Message, Recommend}`.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { serveBuffered, writeJsonAnswer, type Answer } from './http-faults.js';
import { verifyIdToken, type JwtFailure } from './jwt-verifier.js';
import type { Jwks } from './oidc-issuer.js';

export interface AlibabaStsOptions {
  jwks: Jwks;
  issuer: string;
  clientIds: string[];
  roleArn: string;
  oidcProviderArn: string;
  subjectPatterns: string[];
  maxSessionSeconds?: number;
}

export interface AlibabaStsStandIn {
  url: string;
  issued: { accessKeyId: string; accessKeySecret: string; securityToken: string };
  calls: { status: number; code: string; sessionName: string }[];
  close(): Promise<void>;
}

export async function startAlibabaStsStandIn(options: AlibabaStsOptions): Promise<AlibabaStsStandIn> {
  const issued = {
    accessKeyId: `STS.NT${randomBytes(12).toString('hex')}`,
    accessKeySecret: randomBytes(22).toString('hex'),
    securityToken: `CAIS${randomBytes(120).toString('base64')}`,
  };
  const calls: AlibabaStsStandIn['calls'] = [];
  const error = (status: number, code: string, message: string): Answer => {
    const requestId = randomUUID().toUpperCase();
    return { status, body: { RequestId: requestId, HostId: 'sts.aliyuncs.com', Code: code, Message: message, Recommend: `https://api.aliyun.com/troubleshoot?q=${code}&product=Sts&requestId=${requestId}` } };
  };
  const failures: Record<JwtFailure, Answer> = {
    malformed: error(401, 'AuthenticationFail.OIDCToken.Invalid', 'The Jwt content is invalid that cannot be recognized.'),
    signature: error(401, 'AuthenticationFail.OIDCToken.InvalidSignature', 'OIDC token validate failed: invalid signature.'),
    issuer: error(401, 'AuthenticationFail.OIDCToken.Invalid', 'The issuer of the OIDCToken does not match the OIDC provider.'),
    audience: error(401, 'AuthenticationFail.OIDCToken.AudienceNotMatch', 'Invalid audience.'),
    expired: error(401, 'AuthenticationFail.OIDCToken.Expired', 'This JsonWebToken is expired.'),
    'not-yet-valid': error(401, 'AuthenticationFail.OIDCToken.Invalid', 'The Jwt content is invalid that cannot be recognized.'),
    subject: error(401, 'AuthenticationFail.NoPermission', 'There is no permission'),
  };

  function handle(req: IncomingMessage, res: ServerResponse, rawBody: Buffer): void {
    const params = new URLSearchParams((req.url ?? '/').split('?')[1] ?? '');
    for (const [key, value] of new URLSearchParams(rawBody.toString('utf8'))) params.set(key, value);
    const answer = assume(req, params);
    calls.push({ status: answer.status, code: (answer.body as { Code?: string }).Code ?? '', sessionName: params.get('RoleSessionName') ?? '' });
    writeJsonAnswer(res, answer, { 'content-type': 'application/json' });
  }

  function assume(req: IncomingMessage, params: URLSearchParams): Answer {
    if (req.method !== 'POST' && req.method !== 'GET') return error(404, 'InvalidAction.NotFound', 'Specified api is not found.');
    if (params.get('Action') !== 'AssumeRoleWithOIDC') return error(404, 'InvalidAction.NotFound', 'Specified api is not found, please check your url and method.');
    if (params.get('Version') !== '2015-04-01') return error(400, 'InvalidVersion', 'Specified parameter Version is not valid.');
    if (params.has('AccessKeyId') || params.has('Signature')) return error(400, 'InvalidParameter', 'AssumeRoleWithOIDC is called anonymously.');
    for (const name of ['RoleArn', 'OIDCProviderArn', 'OIDCToken', 'RoleSessionName']) {
      if ((params.get(name) ?? '') === '') return error(400, 'MissingParameter', `The input parameter "${name}" that is mandatory for processing this request is not supplied.`);
    }
    const token = params.get('OIDCToken') ?? '';
    if (token.length < 4 || token.length > 20_000) return error(400, 'InvalidParameter.OIDCToken', 'The parameter OIDCToken is invalid.');
    if (!/^[\w.@-]{2,64}$/.test(params.get('RoleSessionName') ?? '')) return error(400, 'InvalidParameter.RoleSessionName', 'The parameter RoleSessionName is wrongly formed.');
    const duration = Number(params.get('DurationSeconds') ?? '3600');
    if (!Number.isInteger(duration) || duration < 900 || duration > (options.maxSessionSeconds ?? 3600)) {
      return error(400, 'InvalidParameter.DurationSeconds', 'The Min/Max value of DurationSeconds is 15min/the MaxSessionDuration of the role.');
    }
    if (params.get('OIDCProviderArn') !== options.oidcProviderArn) return error(401, 'AuthenticationFail.NoPermission', 'No such OIDC Provider registered.');
    if (params.get('RoleArn') !== options.roleArn) return error(404, 'EntityNotExist.Role', 'The specified Role not exists .');
    const verdict = verifyIdToken(token, { jwks: options.jwks, issuer: options.issuer, clientIds: options.clientIds, subjectPatterns: options.subjectPatterns });
    if (!verdict.ok) return failures[verdict.failure];
    return {
      status: 200,
      body: {
        RequestId: randomUUID().toUpperCase(),
        OIDCTokenInfo: { Subject: verdict.claims['sub'], Issuer: verdict.claims['iss'], ClientIds: String(verdict.claims['aud']) },
        AssumedRoleUser: { Arn: `${options.roleArn.replace(':role/', ':assumed-role/')}/${params.get('RoleSessionName')}`, AssumedRoleId: `3${randomBytes(8).toString('hex')}:${params.get('RoleSessionName')}` },
        Credentials: {
          AccessKeyId: issued.accessKeyId,
          AccessKeySecret: issued.accessKeySecret,
          SecurityToken: issued.securityToken,
          Expiration: new Date(Date.now() + duration * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        },
      },
    };
  }

  const server = await serveBuffered(handle);
  return { url: server.url, issued, calls, close: server.close };
}
