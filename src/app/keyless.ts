/**
 * The keyless step: the CI's OIDC token → the cloud's documented exchange →
 * temporary credentials, masked the moment they exist, and a Config that
 * carries them so every later call (SWR, FunctionGraph, CCE, IAM; ACR) is
 * signed with them. Runs after the plan and before the first other call.
 */
import { alibabaStsEndpoint, assumeRoleWithOidc } from '../cloud/alibaba/sts.js';
import { huaweiEndpoint } from '../domain/targets/huawei-endpoints.js';
import { federatedTemporaryCredentials } from '../cloud/huawei/iam-federation.js';
import { assumeAgencyWithOidc } from '../cloud/huawei/sts.js';
import type { TemporaryCredentials } from '../cloud/temporary-credentials.js';
import { ConfigError, type Config, type KeylessSettings } from '../config/types.js';
import type { Ports } from '../ports.js';
import { idTokenProblem } from '../domain/oidc/claim-checks.js';
import { explainExchangeFailure } from '../cloud/oidc/exchange-errors.js';
import { obtainIdToken } from '../cloud/oidc/id-token.js';
import { describeClaims, readClaims } from '../domain/oidc/jwt-claims.js';
import { shortAccessKey } from '../domain/swr-login.js';

export interface KeylessOutcome {
  /** The config with the temporary credentials in place (the same object when the run is not keyless). */
  config: Config;
  /** Variables for later steps (`export-credentials: true` only); every value is already masked. */
  exports: Record<string, string>;
}

export async function resolveKeylessCredentials(
  config: Config,
  ports: Ports,
  env: Readonly<Record<string, string | undefined>>,
): Promise<KeylessOutcome> {
  const keyless = config.keyless;
  if (keyless === undefined) return { config, exports: {} };
  const { logger, secrets } = ports;

  const idToken = await obtainIdToken({ source: keyless.tokenSource, audience: keyless.audience, env, fetch: ports.fetch, secrets });
  const claims = readClaims(idToken);
  const problem = idTokenProblem(claims, keyless.audience, ports.clock.now());
  if (problem !== undefined) throw new ConfigError([problem]);
  logger.info(`OIDC token (${sourceName(keyless)}): ${describeClaims(claims)}`);

  let credentials: TemporaryCredentials;
  try {
    credentials = await exchange(config, keyless, idToken, ports);
  } catch (error) {
    throw explainExchangeFailure(error, { exchange: keyless.exchange, claims, audience: keyless.audience });
  }
  for (const secret of [credentials.secretAccessKey, credentials.securityToken, credentials.accessKeyId]) secrets.add(secret);
  logger.info(
    `temporary credentials (key ${shortAccessKey(credentials.accessKeyId)})${credentials.expiresAt ? `, valid until ${credentials.expiresAt.toISOString()}` : ''}`,
  );
  const exports = keyless.exportCredentials ? exportedVariables(config, credentials) : {};
  if (keyless.exportCredentials) logger.warn(`export-credentials: ${Object.keys(exports).join(', ')} are set (masked) for the later steps of this job, which can act with them until they expire`);
  return { config: withTemporaryCredentials(config, credentials), exports };
}

async function exchange(config: Config, keyless: KeylessSettings, idToken: string, ports: Ports): Promise<TemporaryCredentials> {
  const redact = (text: string): string => ports.secrets.redact(text);
  const common = { idToken, durationSeconds: keyless.durationSeconds, fetch: ports.fetch, redact };
  const { exchange: how } = keyless;
  switch (how.kind) {
    case 'huawei-sts':
      return assumeAgencyWithOidc({
        ...common,
        endpoint: huaweiEndpoint('sts', config.region, config.domain, config.deploy.endpoints),
        providerUrn: how.providerUrn,
        agencyUrn: how.agencyUrn,
        sessionName: keyless.sessionName,
      });
    case 'huawei-federation':
      return federatedTemporaryCredentials({
        ...common,
        endpoint: huaweiEndpoint('iam', config.region, config.domain, config.deploy.endpoints),
        identityProvider: how.identityProvider,
        addSecret: (secret) => ports.secrets.add(secret),
      });
    case 'alibaba-sts':
      return assumeRoleWithOidc({
        ...common,
        endpoint: alibabaStsEndpoint(config.region, config.deploy.endpoints),
        roleArn: how.roleArn,
        oidcProviderArn: how.oidcProviderArn,
        sessionName: keyless.sessionName,
        clock: ports.clock,
      });
  }
}

/**
 * Huawei: the cloud API keys; Alibaba: the ACR temporary login's keys. The
 * `registry-auth` entries of the same cloud get them too (a keyless run has
 * no other keys of that cloud; a huaweicloud entry then logs in through
 * CreateSecret, an alibabacloud entry through the ACR temporary login).
 */
export function withTemporaryCredentials(config: Config, credentials: TemporaryCredentials): Config {
  const wants = (kind: 'huaweicloud' | 'alibabacloud'): boolean => config.registryAuth.entries.some((entry) => entry.kind === kind);
  if (config.login.kind === 'acr-temporary') {
    const keys = Object.freeze({
      accessKeyId: credentials.accessKeyId,
      accessKeySecret: credentials.secretAccessKey,
      securityToken: credentials.securityToken,
    });
    const login = Object.freeze({ ...config.login, ...keys });
    const registryAuth = wants('alibabacloud') ? Object.freeze({ ...config.registryAuth, alibabaKeys: keys }) : config.registryAuth;
    return Object.freeze({ ...config, login, registryAuth });
  }
  const cloudCredentials = Object.freeze({
    accessKey: credentials.accessKeyId,
    secretKey: credentials.secretAccessKey,
    securityToken: credentials.securityToken,
  });
  const registryAuth = wants('huaweicloud') ? Object.freeze({ ...config.registryAuth, huaweiKeys: cloudCredentials }) : config.registryAuth;
  return Object.freeze({ ...config, cloudCredentials, registryAuth });
}

/** The variable names each cloud's SDKs and CLIs read. */
function exportedVariables(config: Config, credentials: TemporaryCredentials): Record<string, string> {
  if (config.provider === 'alibabacloud') {
    return {
      ALIBABA_CLOUD_ACCESS_KEY_ID: credentials.accessKeyId,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: credentials.secretAccessKey,
      ALIBABA_CLOUD_SECURITY_TOKEN: credentials.securityToken,
    };
  }
  return {
    HUAWEICLOUD_SDK_AK: credentials.accessKeyId,
    HUAWEICLOUD_SDK_SK: credentials.secretAccessKey,
    HUAWEICLOUD_SDK_SECURITY_TOKEN: credentials.securityToken,
  };
}

function sourceName(keyless: KeylessSettings): string {
  const source = keyless.tokenSource;
  switch (source.kind) {
    case 'input':
      return 'oidc-token';
    case 'file':
      return `file ${source.path}`;
    case 'env':
      return `$${source.variable}`;
    case 'github':
      return `GitHub Actions, audience ${keyless.audience}`;
  }
}
