/**
 * Three timeouts, because a request can stall in three different ways and
 * each needs its own message: the connection never comes up (connect: DNS,
 * TCP, the proxy's CONNECT and the TLS handshake), the peer goes silent
 * mid-exchange (idle: no byte either way for N s, which is what a dead
 * connection looks like during a 2 GB blob), or the whole request takes too
 * long (overall: from sending to the body's last byte). Idle and overall
 * count while the caller reads the body too.
 */
import { NetworkError } from './network-errors.js';

export interface Timeouts {
  /** Until the connection is ready for the request (TCP, proxy CONNECT, TLS). 0 = none. */
  connectMs: number;
  /** No byte sent or received for this long while a request is under way. 0 = none. */
  idleMs: number;
  /** From the request's start to the answer's last body byte. 0 = none (a blob may take as long as it takes). */
  overallMs: number;
}

export const DEFAULT_TIMEOUTS: Readonly<Timeouts> = Object.freeze({ connectMs: 15_000, idleMs: 60_000, overallMs: 0 });

export function resolveTimeouts(overrides: Partial<Timeouts> | undefined, base: Timeouts = DEFAULT_TIMEOUTS): Timeouts {
  const pick = (key: keyof Timeouts): number => {
    const value = overrides?.[key];
    return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : base[key];
  };
  return { connectMs: pick('connectMs'), idleMs: pick('idleMs'), overallMs: pick('overallMs') };
}

export function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(ms < 1000 ? 2 : 1))} s`;
}

export function connectTimeout(where: string, ms: number): NetworkError {
  return new NetworkError(`connecting to ${where} timed out after ${formatSeconds(ms)} (connect timeout)`, {
    kind: 'connect-timeout',
    transient: true,
    nothingSent: true,
    code: 'ETIMEDOUT',
  });
}

export function idleTimeout(where: string, ms: number, nothingSent: boolean): NetworkError {
  return new NetworkError(`no data from ${where} for ${formatSeconds(ms)} (idle timeout)`, {
    kind: 'idle-timeout',
    transient: true,
    nothingSent,
    code: 'ETIMEDOUT',
  });
}

export function overallTimeout(what: string, ms: number, nothingSent: boolean): NetworkError {
  return new NetworkError(`${what} did not finish within ${formatSeconds(ms)} (overall timeout)`, {
    kind: 'overall-timeout',
    transient: true,
    nothingSent,
    code: 'ETIMEDOUT',
  });
}
