/**
 * The one transport of an action or CLI run: every request the run makes
 * (registries, cloud APIs, triggers) goes through its fetch, so they share
 * its proxy route, TLS trust and keep-alive pools. Proxy passwords go to
 * `onSecret` (the log's masks) before anything could print them.
 */
import type { Fetch } from '../ports.js';
import { ProxyConfigError, type Env } from './proxy-env.js';
import { TlsConfigError } from './tls-trust.js';
import { createTransport } from './transport.js';

export interface RunTransport {
  fetch: Fetch;
  /** A proxy or TLS setting that cannot be used: one line for the run to report as an input error before it does anything. */
  problem: string | undefined;
}

export function runTransport(env: Env, onSecret: (value: string) => void): RunTransport {
  try {
    return { fetch: createTransport({ env, onSecret }).fetch, problem: undefined };
  } catch (error) {
    if (!(error instanceof ProxyConfigError || error instanceof TlsConfigError)) throw error;
    const failing = (() => Promise.reject(error)) as Fetch;
    return { fetch: failing, problem: error.message };
  }
}
