import { huaweiClientFor } from './huawei-client.js';
import type { Config } from '../config/types.js';
import type { Ports } from '../ports.js';
import type { RegistryClient } from '../registry/client.js';
import { applyRetention, registryRetentionBackend, swrRetentionBackend, type RetentionResult } from '../retention/apply.js';

/**
 * Applies the `retention` input to the destination repository: through the
 * SWR management API when the registry is SWR and the AK/SK are at hand
 * (SWR deletes single tags), else through the registry API (which deletes
 * manifests, so a digest goes only when all its tags are due).
 */
export async function applyConfiguredRetention(
  config: Config,
  ports: Ports,
  /** The run's client for the destination registry; asked for only when the registry API is used. */
  registryClient: () => Promise<RegistryClient>,
  protectedTags: readonly string[],
  dryRun: boolean,
): Promise<RetentionResult | undefined> {
  const policy = config.copy.retention;
  if (!policy) return undefined;
  const log = { info: (line: string) => ports.logger.info(line), warn: (line: string) => ports.logger.warn(line) };
  const useSwrApi = config.provider === 'huaweicloud' && config.cloudCredentials !== undefined && config.repository.includes('/');
  const backend = useSwrApi
    ? swrRetentionBackend(huaweiClientFor(config, ports, config.region), namespaceOf(config.repository), imageOf(config.repository))
    : registryRetentionBackend(await registryClient(), config.repository, { log });
  return applyRetention(backend, policy, protectedTags, ports.clock.now(), { dryRun, log });
}

function namespaceOf(repository: string): string {
  return repository.slice(0, repository.indexOf('/'));
}

function imageOf(repository: string): string {
  return repository.slice(repository.indexOf('/') + 1);
}
