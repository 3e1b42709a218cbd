import type { Config } from '../config/types.js';
import type { Ports } from '../ports.js';
import { HuaweiApiClient } from '../cloud/huawei/api-client.js';

/** A signed Huawei Cloud API client for `region` from the run's AK/SK, domain and endpoint overrides. */
export function huaweiClientFor(config: Config, ports: Pick<Ports, 'fetch' | 'clock'>, region: string): HuaweiApiClient {
  if (!config.cloudCredentials) throw new Error('internal: Huawei Cloud API calls need access-key/secret-key, which the config checks');
  return new HuaweiApiClient({
    credentials: config.cloudCredentials,
    region,
    domain: config.domain,
    endpoints: config.deploy.endpoints,
    fetch: ports.fetch,
    clock: ports.clock,
  });
}
