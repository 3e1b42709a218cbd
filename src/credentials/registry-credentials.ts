import { acrApiEndpoint, getEnterpriseLogin, getPersonalLogin } from '../cloud/alibaba/acr-login.js';
import { huaweiClientFor } from '../cloud/huawei/client-for-config.js';
import { createTemporaryLogin } from '../cloud/huawei/swr.js';
import type { Config } from '../config/types.js';
import type { Ports } from '../ports.js';
import type { RegistryCredentials } from '../registry/client.js';
import { registerLogin } from '../util/secrets.js';
import { deriveSwrLogin } from './swr-login.js';

/**
 * The user name and password for `docker login` and the registry API, by
 * login method. Every password is masked the moment it exists. Only the ACR
 * temporary login makes a network call, so this runs after validation and
 * never in a dry run.
 */
export async function resolveRegistryCredentials(config: Config, ports: Ports): Promise<RegistryCredentials | undefined> {
  const { login } = config;
  const mask = (username: string, password: string): RegistryCredentials => {
    registerLogin(ports.secrets, username, password);
    return { username, password };
  };
  switch (login.kind) {
    case 'swr-aksk': {
      if (config.copy.loginMode === 'temporary') {
        const temporary = await createTemporaryLogin(huaweiClientFor(config, ports, login.region), login.region);
        const result = mask(temporary.username, temporary.password);
        ports.logger.info(`temporary SWR login${temporary.expiresAt ? `, valid until ${temporary.expiresAt.toISOString()}` : ''}`);
        return result;
      }
      const derived = deriveSwrLogin({ region: login.region, accessKey: login.accessKey, secretKey: login.secretKey, domain: config.domain });
      return mask(derived.username, derived.password);
    }
    case 'password':
      return mask(login.username, login.password);
    case 'acr-temporary': {
      const credentials = {
        accessKeyId: login.accessKeyId,
        accessKeySecret: login.accessKeySecret,
        ...(login.securityToken ? { securityToken: login.securityToken } : {}),
      };
      const endpoint = acrApiEndpoint(login.region, config.deploy.endpoints);
      const common = { endpoint, region: login.region, credentials, fetch: ports.fetch, clock: ports.clock };
      const temporary = login.edition === 'enterprise'
        ? await getEnterpriseLogin({ ...common, instanceId: login.instanceId })
        : await getPersonalLogin(common);
      const result = mask(temporary.username, temporary.password);
      ports.logger.info(
        `temporary ACR login for ${temporary.username}${temporary.expiresAt ? `, valid until ${temporary.expiresAt.toISOString()}` : ''}`,
      );
      return result;
    }
    case 'anonymous':
      return undefined;
  }
}
