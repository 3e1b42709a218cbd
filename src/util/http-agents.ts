/**
 * The node:http(s) connection pools imageship's own transports share
 * (nodeFetch and the blob byte path): one keep-alive agent per origin, so a
 * registry's connections are reused across manifest calls and blob copies.
 * Idle sockets of a keep-alive agent are unref'd, so they never hold the
 * process open.
 */
import type { Agent as HttpAgent, IncomingMessage } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { DRAIN_LIMIT_BYTES } from './fetch-rules.js';
import { http } from './node-http.js';


const agents = new Map<string, HttpAgent>();

export function agentFor(url: URL): HttpAgent {
  let agent = agents.get(url.origin);
  if (agent === undefined) {
    agent = url.protocol === 'https:' ? new HttpsAgent({ keepAlive: true }) : new http.Agent({ keepAlive: true });
    agents.set(url.origin, agent);
  }
  return agent;
}

/** Frees an answer nobody reads: a small one is drained (the connection is reused), a large or unsized one dropped. */
export function discardAnswer(answer: IncomingMessage): void {
  answer.on('error', () => undefined);
  const length = Number(answer.headers['content-length'] ?? Number.NaN);
  if (Number.isFinite(length) && length <= DRAIN_LIMIT_BYTES) answer.resume();
  else answer.destroy();
}
