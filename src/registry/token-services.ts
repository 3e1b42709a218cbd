/**
 * Where a registry's login may go besides the registry itself: the token
 * services the clouds document for their registries, whose realm lives on
 * another host. Every other registry (SWR, ACR Enterprise, GHCR, Harbor,
 * Quay, GCR/Artifact Registry, Azure CR…) names a realm on its own host,
 * and a realm anywhere else gets no credentials (see authenticator.ts).
 *
 * Keep this list short and sourced: each entry widens where a password goes.
 */

interface TokenServiceRule {
  /** The registry's API host (what its base URL names, e.g. `registry-1.docker.io`). */
  registry: RegExp;
  /** The realm host for a matching registry; `$1`… stand for the registry pattern's groups. */
  realm: string;
  /** Where the cloud documents it. */
  source: string;
}

const RULES: readonly TokenServiceRule[] = [
  {
    registry: /^(?:registry-1|index)\.docker\.io$/,
    realm: 'auth.docker.io',
    source: 'Docker Hub: docs.docker.com/registry/spec/auth/token (realm https://auth.docker.io/token)',
  },
  {
    // ACR Personal Edition: registry.<region>.aliyuncs.com → dockerauth.<region>.aliyuncs.com (and the -vpc pair).
    registry: /^registry(-vpc)?\.([a-z0-9-]+)\.aliyuncs\.com$/,
    realm: 'dockerauth$1.$2.aliyuncs.com',
    source: 'Alibaba Cloud Container Registry Personal Edition (realm https://dockerauth.<region>.aliyuncs.com/auth)',
  },
  {
    registry: /^registry\.gitlab\.com$/,
    realm: 'gitlab.com',
    source: 'GitLab.com container registry (realm https://gitlab.com/jwt/auth)',
  },
];

/** Whether `realmHost` is the documented token service of the registry whose API host is `registryHost` (host names, no ports). */
export function isDocumentedTokenService(registryHost: string, realmHost: string): boolean {
  const registry = registryHost.toLowerCase();
  const realm = realmHost.toLowerCase();
  return RULES.some((rule) => {
    const match = rule.registry.exec(registry);
    if (match === null) return false;
    const expected = rule.realm.replace(/\$(\d)/g, (_, index: string) => match[Number(index)] ?? '');
    return realm === expected;
  });
}
