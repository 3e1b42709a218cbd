/**
 * Remote-looking TLS registries on loopback, for network tests and
 * bench/network.mjs: a test CA; one `docker-registry` per name, over TLS,
 * each behind its own shaping proxy (latency, bandwidth); optionally a token
 * service (behind a shaping proxy too) that the registries send clients to.
 *
 * Clients reach registry `src` as:
 * - Node (imageship): `src.bench.test:PORT` with `nodeEnv` in the child's
 *   environment (the hosts preload maps the name to 127.0.0.1; the CA via
 *   NODE_EXTRA_CA_CERTS);
 * - Go (skopeo): `127.0.0.1:PORT` with `--cert-dir <certDir>` (the
 *   certificate also names IP 127.0.0.1; Go ignores the preload).
 * PORT is the proxy's, so every byte pays the shape.
 *
 * With `realmHost: 'same-origin'` each registry's proxy targets a front
 * (registry-front.ts) that answers `GET /token` itself and forwards the rest:
 * the realm is on the registry's own origin, as at SWR, GHCR or Harbor.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HOSTS_PRELOAD } from './hostile/hostile-server.js';
import { makeTestCa, type TestCa } from './hostile/test-ca.js';
import { startRegistryFront, type RegistryFront } from './registry-front.js';
import { startRegistryTokenService, type IssuedTokenRequest, type RegistryTokenService } from './registry-token-service.js';
import { createSharedLink, startShapingProxy, type LinkShape, type ShapingProxy, type ShapingStats } from './shaping-proxy.js';
import { startTlsRegistry, type AccessLogEntry, type TlsRegistry } from './tls-registry.js';

export interface BedRegistrySpec {
  /** Short name: the host name is `<name>.<domain>`, the token service `<name>`. */
  name: string;
  /** Behind the token service (Bearer auth; anonymous callers may pull). Default false: open. */
  tokenAuth?: boolean;
}

export interface NetworkBedOptions {
  registries: BedRegistrySpec[];
  /** Users the token service accepts (name → password). */
  users?: Record<string, string>;
  shape?: LinkShape;
  /** Total bandwidth shared by every connection of every proxy here, per direction, bits/s. */
  sharedBitsPerSecond?: number;
  /** Default `bench.test`. */
  domain?: string;
  /** Parent directory of the registries' storage (e.g. a /dev/shm directory). */
  parentDir?: string;
  /**
   * Host of each registry's token realm. `ip` (default): `127.0.0.1`, which Go clients reach without name
   * resolution. `name`: the registry's own name (`<name>.<domain>`), so a client addressing the registry by
   * name sees a realm on the registry's own host — imageship sends its login only there (authenticator.ts
   * mayReceiveLogin); with `ip` it asks anonymously and gets `pull` only. Clients that are not Node (no hosts
   * preload) then need the names in /etc/hosts (bench/network.mjs runs in a mount namespace of its own for that).
   * `same-origin`: the registry's own origin, `https://<name>.<domain>:<registry proxy port>/token`, answered by
   * the registry's front (registry-front.ts); the token service's own proxy then sees no connection. Like
   * `name`, non-Node clients need the names in /etc/hosts.
   */
  realmHost?: 'ip' | 'name' | 'same-origin';
}

export interface BedRegistry {
  readonly name: string;
  /** `<name>.<domain>`. */
  readonly hostName: string;
  /** For Node clients with `nodeEnv`: `<name>.<domain>:<proxy port>`. */
  readonly nodeHost: string;
  /** For Go clients with `--cert-dir`: `127.0.0.1:<proxy port>`. */
  readonly ipHost: string;
  /** The token `service` of this registry, when it has token auth. */
  readonly service: string | undefined;
  readonly registry: TlsRegistry;
  readonly proxy: ShapingProxy;
  /** With `realmHost: 'same-origin'`: what the proxy targets (the token realm, and the registry behind it). */
  readonly front?: RegistryFront;
}

export interface BedMark {
  readonly logLength: Record<string, number>;
  readonly stats: Record<string, ShapingStats>;
  readonly tokenRequests: number;
}

export interface BedActivity {
  /** Per registry: the requests it logged, and its proxy's connections and bytes. */
  registries: Record<string, { requests: AccessLogEntry[]; connections: number; bytesToRegistry: number; bytesToClient: number }>;
  /** Token requests, and connections to the token service. */
  tokenRequests: IssuedTokenRequest[];
  tokenConnections: number;
}

export interface NetworkBed {
  readonly ca: TestCa;
  /** A directory holding `ca.crt`, for skopeo's `--src-cert-dir`/`--dest-cert-dir`. */
  readonly certDir: string;
  readonly registries: Record<string, BedRegistry>;
  readonly tokenService: RegistryTokenService | undefined;
  /** The token service's shaping proxy. */
  readonly tokenProxy: ShapingProxy | undefined;
  /** Env for a Node child: resolves every registry name to 127.0.0.1, trusts the CA. */
  readonly nodeEnv: Record<string, string>;
  /** Every proxy (registries and token service) takes this shape, and the shared cap (or none) from now on. */
  setShape(shape: LinkShape, sharedBitsPerSecond?: number): void;
  /** Where the logs and counters stand now. */
  mark(): BedMark;
  /** What happened since `mark` (waits for the registries' access logs to settle first). */
  since(mark: BedMark): Promise<BedActivity>;
  close(): Promise<void>;
}

export async function startNetworkBed(options: NetworkBedOptions): Promise<NetworkBed> {
  const domain = options.domain ?? 'bench.test';
  const hostNames = options.registries.map((r) => `${r.name}.${domain}`);
  const ca = await makeTestCa(hostNames);
  const certDir = await mkdtemp(join(tmpdir(), 'imageship-bed-certs-'));
  await writeFile(join(certDir, 'ca.crt'), ca.caPem);
  let shape: LinkShape = options.shape ?? { rttMs: 0 };
  let shared = options.sharedBitsPerSecond === undefined ? undefined : createSharedLink(options.sharedBitsPerSecond);
  const proxies: ShapingProxy[] = [];
  const fronts: RegistryFront[] = [];
  const registries: Record<string, BedRegistry> = {};
  let tokenService: RegistryTokenService | undefined;
  let tokenProxy: ShapingProxy | undefined;

  const closeAll = async (): Promise<void> => {
    for (const proxy of proxies) await proxy.close().catch(() => undefined);
    for (const front of fronts) await front.close().catch(() => undefined);
    for (const r of Object.values(registries)) await r.registry.close().catch(() => undefined);
    await tokenService?.close().catch(() => undefined);
    await rm(certDir, { recursive: true, force: true });
    await ca.remove();
  };

  const realmFor = (name: string, service: RegistryTokenService, proxy: ShapingProxy): string =>
    options.realmHost === 'name' ? `https://${name}.${domain}:${proxy.port}/token` : service.realm(proxy.port);

  try {
    if (options.registries.some((r) => r.tokenAuth)) {
      tokenService = await startRegistryTokenService({ tls: ca, ...(options.users ? { users: options.users } : {}) });
      tokenProxy = await startShapingProxy({ target: `127.0.0.1:${tokenService.port}`, shape, ...(shared ? { sharedLink: shared } : {}) });
      proxies.push(tokenProxy);
    }
    for (const spec of options.realmHost === 'same-origin' ? options.registries : []) {
      const service = spec.tokenAuth ? spec.name : undefined;
      const front = await startRegistryFront({ tls: ca, token: tokenService?.handle ?? ((_req, res) => res.writeHead(404).end()) });
      fronts.push(front);
      const proxy = await startShapingProxy({ target: front.host, shape, ...(shared ? { sharedLink: shared } : {}) });
      proxies.push(proxy);
      const hostName = `${spec.name}.${domain}`;
      const registry = await startTlsRegistry({
        tls: ca,
        ...(options.parentDir ? { parentDir: options.parentDir } : {}),
        ...(tokenService && service
          ? { tokenAuth: { realm: `https://${hostName}:${proxy.port}/token`, service, issuer: tokenService.issuer, rootCertBundle: tokenService.rootCertBundle } }
          : {}),
      });
      front.setUpstream(registry.host);
      registries[spec.name] = { name: spec.name, hostName, nodeHost: `${hostName}:${proxy.port}`, ipHost: proxy.host, service, registry, proxy, front };
    }
    for (const spec of options.realmHost === 'same-origin' ? [] : options.registries) {
      const service = spec.tokenAuth ? spec.name : undefined;
      const registry = await startTlsRegistry({
        tls: ca,
        ...(options.parentDir ? { parentDir: options.parentDir } : {}),
        ...(tokenService && tokenProxy && service
          ? { tokenAuth: { realm: realmFor(spec.name, tokenService, tokenProxy), service, issuer: tokenService.issuer, rootCertBundle: tokenService.rootCertBundle } }
          : {}),
      });
      const proxy = await startShapingProxy({ target: registry.host, shape, ...(shared ? { sharedLink: shared } : {}) });
      proxies.push(proxy);
      registries[spec.name] = { name: spec.name, hostName: `${spec.name}.${domain}`, nodeHost: `${spec.name}.${domain}:${proxy.port}`, ipHost: proxy.host, service, registry, proxy };
    }
  } catch (error) {
    await closeAll();
    throw error;
  }

  const nodeEnv = {
    IMAGESHIP_TEST_HOSTS: hostNames.map((name) => `${name}=127.0.0.1`).join(','),
    NODE_OPTIONS: `--import=${HOSTS_PRELOAD}`,
    NODE_EXTRA_CA_CERTS: ca.caFile,
  };

  return {
    ca,
    certDir,
    registries,
    tokenService,
    tokenProxy,
    nodeEnv,
    setShape: (next, sharedBitsPerSecond) => {
      shape = { ...next };
      shared = sharedBitsPerSecond === undefined ? undefined : createSharedLink(sharedBitsPerSecond);
      for (const proxy of proxies) {
        proxy.setShape(shape);
        proxy.setSharedLink(shared);
      }
    },
    mark: () => ({
      logLength: Object.fromEntries(Object.values(registries).map((r) => [r.name, r.registry.accessLog.length])),
      stats: Object.fromEntries([...Object.values(registries).map((r) => [r.name, r.proxy.stats()]), ...(tokenProxy ? [['token', tokenProxy.stats()]] : [])]),
      tokenRequests: tokenService?.requests.length ?? 0,
    }),
    since: async (mark) => {
      for (const r of Object.values(registries)) await r.registry.settle();
      const activity: BedActivity = { registries: {}, tokenRequests: tokenService?.requests.slice(mark.tokenRequests) ?? [], tokenConnections: 0 };
      for (const r of Object.values(registries)) {
        const now = r.proxy.stats();
        const then = mark.stats[r.name] as ShapingStats;
        activity.registries[r.name] = {
          requests: r.registry.accessLog.slice(mark.logLength[r.name]),
          connections: now.connections - then.connections,
          bytesToRegistry: now.bytesToTarget - then.bytesToTarget,
          bytesToClient: now.bytesToClient - then.bytesToClient,
        };
      }
      if (tokenProxy) activity.tokenConnections = tokenProxy.stats().connections - (mark.stats.token?.connections ?? 0);
      return activity;
    },
    close: closeAll,
  };
}
