/**
 * The run's `registry-auth` logins: each entry's login is resolved (masked
 * at once), checked against its registry and written into the Docker config
 * the way the step's own login is (registry/login.ts: no docker login
 * process, a login already there is saved and put back at logout). The host
 * is told each registry before its login, so the post step (or the CLI's
 * end of run) undoes every one, also after a failure midway.
 */
import type { Config } from '../config/types.js';
import {
  resolveRegistryAuthLogin,
  staticCredentialProviders,
  type CloudCredentialProviders,
} from './registry-auth-logins.js';
import type { Ports } from '../ports.js';
import type { RegistryCredentials } from '../registry/client.js';
import { dockerLogin, type DockerLoginResult } from '../registry/login.js';

export interface RegistryAuthStepOptions {
  ports: Ports;
  env: Readonly<Record<string, string | undefined>>;
  /** Called just before each login, so the host can log out later even if the run fails midway. */
  onLogin?: (registry: string) => void | Promise<void>;
  /** Where provider entries get their cloud keys; default the step's static keys. */
  providers?: CloudCredentialProviders;
  /** The lines describing a finished login (shared with the step's own login). */
  describeLogin: (registry: string, login: DockerLoginResult) => string[];
}

/** Logs in to every entry, in order; returns each registry's credentials for the run's registry clients. */
export async function logInToRegistryAuth(config: Config, options: RegistryAuthStepOptions): Promise<Map<string, RegistryCredentials>> {
  const { ports, env } = options;
  const logins = new Map<string, RegistryCredentials>();
  const providers = options.providers ?? staticCredentialProviders(config.registryAuth);
  for (const entry of config.registryAuth.entries) {
    const login = await resolveRegistryAuthLogin(entry, {
      providers,
      ports,
      domain: config.domain,
      endpoints: config.deploy.endpoints,
      swrLoginMode: config.copy.loginMode,
    });
    await options.onLogin?.(login.registry);
    await ports.logger.group(`Log in to ${login.registry} as ${login.loginUser} (registry-auth entry ${entry.index})`, async () => {
      const result = await dockerLogin(ports.exec, {
        registry: login.registry,
        username: login.username,
        password: login.password,
        loginHint: login.loginHint,
        env,
        fetch: ports.fetch,
      });
      for (const line of options.describeLogin(login.registry, result)) ports.logger.info(line);
    });
    logins.set(login.registry, { username: login.username, password: login.password });
  }
  return logins;
}
