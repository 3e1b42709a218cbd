/**
 * Which transport stands behind a fetch function. The registry client takes
 * a plain Fetch port, yet moves blob bytes on its own HTTP/1.1 sockets
 * (registry/raw-http1.ts) when that fetch is one of ours: it looks up the
 * transport's `connect` here, so the raw sockets take the same route (proxy,
 * CONNECT tunnel) and the same TLS trust (certs.d) as every other call. An
 * injected fetch has none, and then every request goes through it.
 */
import type { Fetch } from '../ports.js';
import type { RawConnection, RawConnectOptions } from './raw-connect.js';

export type RawConnector = (url: URL | string, options?: RawConnectOptions) => Promise<RawConnection>;

const connectors = new WeakMap<Fetch, RawConnector>();

export function registerRawConnector(fetch: Fetch, connect: RawConnector): void {
  connectors.set(fetch, connect);
}

/** The connect of the transport `fetch` belongs to; undefined for any other fetch. */
export function rawConnectorOf(fetch: Fetch): RawConnector | undefined {
  return connectors.get(fetch);
}
