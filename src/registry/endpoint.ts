/**
 * Where a registry's API lives. Docker speaks plain HTTP to loopback
 * registries without being told to (they never leave the machine) and HTTPS
 * to everything else; imageship does the same.
 */
import { DOCKER_HUB, isValidRegistryHost } from '../domain/image/reference.js';

/** Docker Hub's API is not served under the name images are referenced by. */
const DOCKER_HUB_API_HOST = 'registry-1.docker.io';

export type Scheme = 'http' | 'https';

/** `https://host[:port]` (no trailing slash) for a `host[:port]` registry name. */
export function registryBaseUrl(registry: string, scheme?: Scheme): string {
  if (!isValidRegistryHost(registry)) {
    throw new Error(`invalid registry ${JSON.stringify(registry)}: expected host[:port] without a scheme or path`);
  }
  const host = registry === DOCKER_HUB || registry === 'index.docker.io' ? DOCKER_HUB_API_HOST : registry;
  return `${scheme ?? defaultScheme(registry)}://${host}`;
}

export function defaultScheme(registry: string): Scheme {
  return isLoopbackHost(hostOf(registry)) ? 'http' : 'https';
}

/** localhost, 127.0.0.0/8 and [::1]; `host` may carry IPv6 brackets. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (bare === 'localhost' || bare === '::1' || bare === '0:0:0:0:0:0:0:1') return true;
  const octets = bare.split('.');
  return octets.length === 4 && octets[0] === '127' && octets.every((octet) => /^\d{1,3}$/.test(octet) && Number(octet) <= 255);
}

/** `host:port` → `host`, `[::1]:5000` → `[::1]`. */
function hostOf(registry: string): string {
  if (registry.startsWith('[')) return registry.slice(0, registry.indexOf(']') + 1);
  const colon = registry.lastIndexOf(':');
  return colon === -1 ? registry : registry.slice(0, colon);
}
