import { createHmac } from 'node:crypto';
import { swrDomain } from './targets/huawei-endpoints.js';

export interface SwrLogin {
  registry: string;
  username: string;
  password: string;
}

export interface SwrLoginInput {
  region: string;
  accessKey: string;
  secretKey: string;
  /** Cloud domain; `myhuaweicloud.com` for the public cloud. */
  domain?: string;
}

/**
 * The long-term SWR login derived from an AK/SK pair, exactly what the SWR
 * console's "long-term login command" gives: user `{region}@{AK}`, password
 * hex(HMAC-SHA256(key = SK, message = AK)). Nothing is sent anywhere.
 */
export function deriveSwrLogin(input: SwrLoginInput): SwrLogin {
  const domain = input.domain ?? 'myhuaweicloud.com';
  const password = createHmac('sha256', input.secretKey).update(input.accessKey, 'utf8').digest('hex');
  return {
    registry: `swr.${input.region}.${swrDomain(input.region, domain)}`,
    username: `${input.region}@${input.accessKey}`,
    password,
  };
}

/** `HPUA…` — the only part of an access key imageship ever prints. */
export function shortAccessKey(accessKey: string): string {
  return `${accessKey.slice(0, 4)}…`;
}
