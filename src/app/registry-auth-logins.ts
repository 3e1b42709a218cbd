/**
 * The login of each `registry-auth` entry (config/parse-registry-auth.ts):
 * a given username/password as it is; a Huawei Cloud entry's SWR login
 * derived from the step's keys (or, with temporary keys or `login-mode:
 * temporary`, from the SWR API's CreateSecret, since the derived login
 * cannot use temporary keys); an Alibaba Cloud entry's ACR temporary login.
 *
 * The cloud keys come from credential providers (functions), not as raw
 * values: by default they return the keys the config holds (the step's, or
 * a keyless run's temporary ones, see app/keyless.ts); a library caller may
 * hand in its own. Every password is masked the moment it exists.
 */
import { acrApiEndpoint, getEnterpriseLogin, getPersonalLogin } from '../cloud/alibaba/acr-login.js';
import { HuaweiApiClient } from '../cloud/huawei/api-client.js';
import { createTemporaryLogin } from '../cloud/huawei/swr.js';
import type { RegistryAuthEntry, RegistryAuthSettings } from '../config/types.js';
import type { Ports } from '../ports.js';
import type { RegistryCredentials } from '../registry/client.js';
import { registerLogin } from '../util/secrets.js';
import { deriveSwrLogin, shortAccessKey } from '../domain/swr-login.js';

/** Huawei Cloud keys; a security token marks them temporary (STS). */
export interface HuaweiKeys {
  accessKey: string;
  secretKey: string;
  securityToken?: string;
}

/** Alibaba Cloud keys; an STS key (`STS.…`) comes with its security token. */
export interface AlibabaKeys {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
}

/** Where a provider entry's keys come from: called once per entry that needs them. */
export interface CloudCredentialProviders {
  huawei?: () => Promise<HuaweiKeys>;
  alibaba?: () => Promise<AlibabaKeys>;
}

export interface RegistryAuthLoginOptions {
  providers: CloudCredentialProviders;
  ports: Pick<Ports, 'fetch' | 'clock' | 'secrets' | 'logger'>;
  /** Cloud domain of SWR and the Huawei APIs. */
  domain: string;
  /** API endpoint overrides (`endpoints`: `swr-api=…`, `cr=…`). */
  endpoints: ReadonlyMap<string, string>;
  /** The step's `login-mode`: `temporary` asks the SWR API for huaweicloud entries too. */
  swrLoginMode: 'long-term' | 'temporary';
}

export interface RegistryAuthLogin extends RegistryCredentials {
  registry: string;
  /** Who logs in, for the log: never a password, the AK shortened. */
  loginUser: string;
  /** What to check when the registry refuses the login. */
  loginHint: string;
}

/**
 * Providers returning the keys the config holds for the entries (only when an entry needs them): the step's
 * keys with their security token, or, once a keyless run has exchanged its OIDC token, its temporary keys.
 */
export function staticCredentialProviders(settings: RegistryAuthSettings): CloudCredentialProviders {
  const { huaweiKeys, alibabaKeys } = settings;
  return {
    ...(huaweiKeys
      ? {
          huawei: async () => ({
            accessKey: huaweiKeys.accessKey,
            secretKey: huaweiKeys.secretKey,
            ...(huaweiKeys.securityToken ? { securityToken: huaweiKeys.securityToken } : {}),
          }),
        }
      : {}),
    ...(alibabaKeys
      ? {
          alibaba: async () => ({
            accessKeyId: alibabaKeys.accessKeyId,
            accessKeySecret: alibabaKeys.accessKeySecret,
            ...(alibabaKeys.securityToken ? { securityToken: alibabaKeys.securityToken } : {}),
          }),
        }
      : {}),
  };
}

/** The login for one entry, masked; a cloud entry may make one API call (a temporary login). */
export async function resolveRegistryAuthLogin(entry: RegistryAuthEntry, options: RegistryAuthLoginOptions): Promise<RegistryAuthLogin> {
  const { secrets } = options.ports;
  const at = `registry-auth entry ${entry.index} (${entry.registry})`;
  switch (entry.kind) {
    case 'password':
      registerLogin(secrets, entry.username, entry.password);
      return {
        registry: entry.registry,
        username: entry.username,
        password: entry.password,
        loginUser: entry.username,
        loginHint: `check username and password of ${at} (user ${entry.username})`,
      };
    case 'huaweicloud': {
      const keys = await keysFrom(options.providers.huawei, at, 'Huawei Cloud');
      maskKeys(secrets, [keys.accessKey, keys.secretKey, keys.securityToken]);
      const short = `${entry.region}@${shortAccessKey(keys.accessKey)}`;
      if (keys.securityToken === undefined && options.swrLoginMode === 'long-term') {
        const derived = deriveSwrLogin({ region: entry.region, accessKey: keys.accessKey, secretKey: keys.secretKey, domain: options.domain });
        registerLogin(secrets, derived.username, derived.password);
        return {
          registry: entry.registry,
          username: derived.username,
          password: derived.password,
          loginUser: short,
          loginHint: `check the step's access-key and secret-key for ${at}: the login user is ${short} and the password is derived from the secret key`,
        };
      }
      // Temporary keys cannot derive a login (SWR checks it against the long-term key): CreateSecret issues one.
      const client = new HuaweiApiClient({
        credentials: keys,
        region: entry.region,
        domain: options.domain,
        endpoints: options.endpoints,
        fetch: options.ports.fetch,
        clock: options.ports.clock,
      });
      const temporary = await createTemporaryLogin(client, entry.region);
      registerLogin(secrets, temporary.username, temporary.password);
      options.ports.logger.info(`${at}: temporary SWR login${temporary.expiresAt ? `, valid until ${temporary.expiresAt.toISOString()}` : ''}`);
      return {
        registry: entry.registry,
        username: temporary.username,
        password: temporary.password,
        loginUser: `temporary login (${short})`,
        loginHint: `the temporary SWR login for ${at} was refused: check that region names the registry and that the keys may log in to SWR`,
      };
    }
    case 'alibabacloud': {
      const keys = await keysFrom(options.providers.alibaba, at, 'Alibaba Cloud');
      maskKeys(secrets, [keys.accessKeyId, keys.accessKeySecret, keys.securityToken]);
      const common = {
        endpoint: acrApiEndpoint(entry.region, options.endpoints),
        region: entry.region,
        credentials: keys,
        fetch: options.ports.fetch,
        clock: options.ports.clock,
      };
      const temporary = entry.edition === 'enterprise' ? await getEnterpriseLogin({ ...common, instanceId: entry.instanceId }) : await getPersonalLogin(common);
      registerLogin(secrets, temporary.username, temporary.password);
      options.ports.logger.info(`${at}: temporary ACR login${temporary.expiresAt ? `, valid until ${temporary.expiresAt.toISOString()}` : ''}`);
      return {
        registry: entry.registry,
        username: temporary.username,
        password: temporary.password,
        loginUser: `temporary login (${entry.edition === 'enterprise' ? `instance ${entry.instanceId}` : 'Personal Edition'}, key ${shortAccessKey(keys.accessKeyId)})`,
        loginHint: `the temporary ACR login for ${at} was refused: check that instance-id/region name the registry, and that the RAM user may log in (cr:GetAuthorizationToken)`,
      };
    }
  }
}

async function keysFrom<T>(provider: (() => Promise<T>) | undefined, at: string, cloud: string): Promise<T> {
  // The config refuses a provider entry without keys; a library caller may still pass no provider.
  if (provider === undefined) throw new Error(`${at}: no ${cloud} credentials to log in with: give the step its ${cloud} keys`);
  return provider();
}

function maskKeys(secrets: Pick<Ports, 'secrets'>['secrets'], values: readonly (string | undefined)[]): void {
  for (const value of values) if (value) secrets.add(value);
}
