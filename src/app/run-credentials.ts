import { readFile } from 'node:fs/promises';
import type { TemporaryLogin } from '../cloud/huawei/swr.js';
import type { Config } from '../config/types.js';
import type { Ports } from '../ports.js';
import type { RegistryCredentials } from '../registry/client.js';
import { credentialsFromDockerConfig } from '../registry/docker-config.js';
import { chooseLogin, type LoginChoice, type LoginScope } from '../domain/credential-scope.js';
import { registerLogin } from '../util/secrets.js';
import { deriveSwrLogin } from '../domain/swr-login.js';

/** Where the run's login may go (credential-scope.ts); `optedIn` only counts for replicate-to. */
export function loginScopeOf(config: Config, forReplicas: boolean): LoginScope {
  return {
    loginRegistry: config.loginRegistry,
    swrDomain: config.login.kind === 'swr-aksk' || config.login.kind === 'swr-temporary' ? config.domain : undefined,
    optedIn: forReplicas ? config.copy.replicateCredentials : [],
  };
}

/**
 * The login for the run's registry (`config.registry`): the configured one
 * where it belongs, the SWR login derived for another region of the same
 * domain, else the Docker config's login for that host, or none.
 */
export async function resolveRunCredentials(
  config: Config,
  ports: Ports,
  env: Readonly<Record<string, string | undefined>>,
): Promise<RegistryCredentials | undefined> {
  const choice: LoginChoice = config.login.kind === 'anonymous' ? { kind: 'configured' } : chooseLogin(config.registry, loginScopeOf(config, false));
  switch (choice.kind) {
    case 'configured':
      return resolveRegistryCredentials(config, ports);
    case 'swr-region':
      return derivedSwrCredentials(config, ports, choice.region);
    case 'elsewhere': {
      // Said as a warning when nothing replaces it: a run that used to send its login there now reads anonymously.
      const found = await dockerConfigCredentials(config.registry, ports, env);
      if (found) ports.logger.info(`${choice.why}: using the Docker config's login for ${config.registry}`);
      else ports.logger.warn(`${choice.why}: reading it anonymously (set registry: ${config.registry} if the login is meant for it)`);
      return found;
    }
  }
}

/**
 * The SWR login of another region of the same account, masked: derived from
 * the AK/SK, or, with temporary keys (which cannot derive one), a temporary
 * login from that region's SWR API signed with them.
 */
export async function derivedSwrCredentials(config: Config, ports: Ports, region: string): Promise<RegistryCredentials | undefined> {
  if (config.login.kind === 'swr-temporary') {
    const temporary = await swrTemporaryLogin(config, ports, region);
    registerLogin(ports.secrets, temporary.username, temporary.password);
    ports.logger.info(`temporary SWR login for ${region}${temporary.expiresAt ? `, valid until ${temporary.expiresAt.toISOString()}` : ''}`);
    return { username: temporary.username, password: temporary.password };
  }
  if (config.login.kind !== 'swr-aksk') return undefined;
  const derived = deriveSwrLogin({ region, accessKey: config.login.accessKey, secretKey: config.login.secretKey, domain: config.domain });
  registerLogin(ports.secrets, derived.username, derived.password);
  return { username: derived.username, password: derived.password };
}

/** The login the Docker config holds for `host`, masked; undefined when it has none. */
export async function dockerConfigCredentials(
  host: string,
  ports: Ports,
  env: Readonly<Record<string, string | undefined>>,
): Promise<RegistryCredentials | undefined> {
  const found = await credentialsFromDockerConfig(host, env, (path) => readFile(path, 'utf8'));
  if (found) registerLogin(ports.secrets, found.username, found.password);
  return found;
}

/**
 * The configured login (it belongs to `config.loginRegistry`): the user
 * name and password for `docker login` and the registry API, by login
 * method. Every password is masked the moment it exists. Only the ACR
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
        const temporary = await swrTemporaryLogin(config, ports, login.region);
        const result = mask(temporary.username, temporary.password);
        ports.logger.info(`temporary SWR login${temporary.expiresAt ? `, valid until ${temporary.expiresAt.toISOString()}` : ''}`);
        return result;
      }
      const derived = deriveSwrLogin({ region: login.region, accessKey: login.accessKey, secretKey: login.secretKey, domain: config.domain });
      return mask(derived.username, derived.password);
    }
    case 'swr-temporary': {
      // Temporary keys (a security token, or keyless): only the SWR API's temporary login works with them.
      const temporary = await swrTemporaryLogin(config, ports, login.region);
      const result = mask(temporary.username, temporary.password);
      ports.logger.info(`temporary SWR login${temporary.expiresAt ? `, valid until ${temporary.expiresAt.toISOString()}` : ''}`);
      return result;
    }
    case 'password':
      return mask(login.username, login.password);
    case 'acr-temporary': {
      const credentials = {
        accessKeyId: login.accessKeyId,
        accessKeySecret: login.accessKeySecret,
        ...(login.securityToken ? { securityToken: login.securityToken } : {}),
      };
      const { acrApiEndpoint, getEnterpriseLogin, getPersonalLogin } = await import('./cloud-steps.js');
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

/** The SWR API's temporary login for `region` (the cloud clients load with cloud-steps.ts). */
async function swrTemporaryLogin(config: Config, ports: Ports, region: string): Promise<TemporaryLogin> {
  const { createTemporaryLogin, huaweiClientFor } = await import('./cloud-steps.js');
  return createTemporaryLogin(huaweiClientFor(config, ports, region), region);
}
