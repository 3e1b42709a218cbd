/**
 * The library's default fetch: one transport for the process, made on first
 * use from process.env (proxies, NO_PROXY, certs.d). The action and the CLI
 * make their own per run, with proxy passwords masked in their logs.
 */
import type { Fetch } from '../ports.js';
import { registerRawConnector } from './raw-connector.js';
import { createTransport, type Transport } from './transport.js';

let shared: Transport | undefined;

export function defaultTransport(): Transport {
  return (shared ??= createTransport());
}

/** fetch() over the default transport (a bad proxy variable rejects the first call with ProxyConfigError). */
export const defaultFetch: Fetch = ((input: Parameters<Fetch>[0], init?: RequestInit) => {
  try {
    return defaultTransport().fetch(input, init);
  } catch (error) {
    return Promise.reject(error);
  }
}) as Fetch;

registerRawConnector(defaultFetch, (url, options) => defaultTransport().connect(url, options));
