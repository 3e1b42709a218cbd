/**
 * What the Alibaba Cloud deploy targets (Function Compute, SAE) need from a
 * run, and nothing more: region, endpoint overrides, the AccessKey (or STS
 * credentials) that signs their calls, the network and the clock.
 */
import type { Acs3Credentials } from '../cloud/alibaba/acs3-signer.js';
import type { Clock, Fetch } from '../ports.js';

export interface AlibabaDeployContext {
  region: string;
  endpoints: ReadonlyMap<string, string>;
  credentials: Acs3Credentials;
  fetch: Fetch;
  clock: Clock;
  /** Bounds the wait for each target to settle (`rollout-timeout`). */
  timeoutMs: number;
  log: (line: string) => void;
  /** Tests shorten the polling. */
  pollIntervalMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export function pollOptions(context: AlibabaDeployContext): { now: () => number; pollIntervalMs?: number; sleep?: (ms: number) => Promise<void> } {
  return {
    now: () => context.clock.now().getTime(),
    ...(context.pollIntervalMs === undefined ? {} : { pollIntervalMs: context.pollIntervalMs }),
    ...(context.sleep === undefined ? {} : { sleep: context.sleep }),
  };
}
