import type { Config } from '../config/types.js';
import { chooseLogin } from '../domain/credential-scope.js';
import type { Ports } from '../ports.js';
import type { RegistryCredentials } from '../registry/client.js';
import { RegistryClients } from '../registry/clients.js';
import { derivedSwrCredentials, dockerConfigCredentials, loginScopeOf } from './run-credentials.js';

/** What the run's registry clients are made from. */
export interface RunClientsContext {
  config: Config;
  ports: Ports;
  /** The destination login. */
  credentials: RegistryCredentials | undefined;
  env: Readonly<Record<string, string | undefined>>;
  /** Registry clients' warnings (a token realm on another host), each said once per run. */
  warn: (message: string) => void;
  /** Logins the run made for registry-auth entries, by lowercase host: those hosts get them. */
  registryAuthLogins?: ReadonlyMap<string, RegistryCredentials>;
}

/**
 * The run's registry clients: the destination gets the run's login, the
 * source host its own (source-credentials or the Docker config), a package's
 * base image host the Docker config's login, any other host (a replica) what the credential-scoping rule gives it.
 */
export function runClients(context: RunClientsContext): RegistryClients {
  const { config, ports } = context;
  return new RegistryClients({
    fetch: ports.fetch,
    warn: context.warn,
    onSecret: maskWith(ports),
    credentialsFor: (registry) => {
      if (registry === config.registry) return context.credentials;
      // A registry-auth entry is a login the user gave for that host: it serves a source, a base or a replica there.
      const entryLogin = context.registryAuthLogins?.get(registry.toLowerCase());
      if (registry === config.copy.sourceImage?.registry) return config.copy.sourceCredentials || !entryLogin ? sourceCredentials(context) : entryLogin;
      // A package's base image elsewhere is read as docker would pull it: with the Docker config's login for its host.
      if (registry === config.package?.baseImage.registry) return entryLogin ?? dockerConfigCredentials(registry, ports, context.env);
      return entryLogin ?? replicaCredentials(context, registry);
    },
  });
}

/** For RegistryClient's onSecret: every credential and token it holds is masked at once. */
function maskWith(ports: Ports): (secret: string) => void {
  return (secret) => ports.secrets.add(secret);
}

async function sourceCredentials(context: RunClientsContext): Promise<RegistryCredentials | undefined> {
  const given = context.config.copy.sourceCredentials;
  if (given) return { username: given.username, password: given.password };
  const source = context.config.copy.sourceImage;
  return source ? dockerConfigCredentials(source.registry, context.ports, context.env) : undefined;
}

/**
 * A replica's login, by the credential-scoping rule (domain/credential-scope.ts):
 * another SWR region of the configured domain gets the SWR login derived for
 * it; a host listed in replicate-credentials gets the run's login; any other
 * host gets the Docker config's login for it, or none, and a warning says
 * the run's login was kept back.
 */
async function replicaCredentials(context: RunClientsContext, registry: string): Promise<RegistryCredentials | undefined> {
  const { config, ports } = context;
  if (registry === config.registry) return context.credentials;
  const hasLogin = config.login.kind !== 'anonymous';
  const choice = chooseLogin(registry, loginScopeOf(config, true));
  if (hasLogin && choice.kind === 'swr-region') return derivedSwrCredentials(config, ports, choice.region);
  if (hasLogin && choice.kind === 'configured') {
    ports.logger.info(`replicate-to: ${registry} is listed in replicate-credentials: it gets this run's login`);
    return context.credentials;
  }
  const found = await dockerConfigCredentials(registry, ports, context.env);
  if (hasLogin && choice.kind === 'elsewhere') {
    if (found) ports.logger.info(`replicate-to: ${choice.why}; using the Docker config's login for ${registry}`);
    else ports.logger.warn(`replicate-to: ${choice.why}, and the Docker config has no login for it: copying without a login (list ${registry} in replicate-credentials to send this run's login)`);
  }
  return found;
}
