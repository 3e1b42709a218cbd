/**
 * The body Alibaba Cloud Container Registry (ACR) POSTs to a repository
 * webhook after a push. Redeploy triggers (ACK, the older Container Service
 * `/hook/trigger`) and the many self-hosted receivers written for ACR expect
 * exactly this shape, so imageship sends the same thing when it calls a
 * trigger itself: a receiver cannot tell imageship from ACR.
 *
 * Documented example (ACR webhook access record, Container Registry "DevOps
 * practice for containers"; key order as shown there):
 *
 *   {"push_data":{"digest":"sha256:…","pushed_at":"2017-10-16 11:37:36","tag":"v1"},
 *    "repository":{"date_created":"2017-10-14 17:33:42","name":"demo","namespace":"lj",
 *    "region":"cn-hangzhou","repo_authentication_type":"NO_CERTIFIED",
 *    "repo_full_name":"lj/demo","repo_origin_type":"NO_CERTIFIED","repo_type":"PUBLIC"}}
 *
 * Times: the same record shows pushed_at "2017-10-16 11:37:36" while the
 * receiver's `Date` header says "Mon, 16 Oct 2017 03:37:36 GMT": ACR writes
 * China Standard Time (UTC+8) with no zone marker. Receivers that parse the
 * field assume that, so imageship writes Asia/Shanghai time too, not UTC.
 * China has had no daylight saving time since 1991, so a fixed +8 h is exact
 * and needs no time-zone database.
 */
import type { DeployedImage } from '../domain/targets/deploy-result.js';

export interface AcrWebhookPayload {
  push_data: {
    digest: string;
    /** `YYYY-MM-DD HH:mm:ss`, China Standard Time. */
    pushed_at: string;
    tag: string;
  };
  repository: {
    /** `YYYY-MM-DD HH:mm:ss`, China Standard Time. */
    date_created: string;
    name: string;
    namespace: string;
    region: string;
    repo_authentication_type: string;
    repo_full_name: string;
    repo_origin_type: string;
    repo_type: string;
  };
}

export interface AcrWebhookInfo {
  /** Alibaba Cloud region id, e.g. `cn-hangzhou`. */
  region: string;
  /** When the image was pushed. */
  pushedAt: Date;
  /** When the repository was created; imageship rarely knows it, so it defaults to `pushedAt`. */
  createdAt?: Date;
  /** ACR reports the repository's visibility; imageship cannot see it and says PRIVATE unless told. */
  repoType?: 'PUBLIC' | 'PRIVATE';
}

const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000;

/** `YYYY-MM-DD HH:mm:ss` in China Standard Time (UTC+8), as ACR writes its webhook times. */
export function formatAcrTime(at: Date): string {
  const time = at.getTime();
  if (!Number.isFinite(time)) throw new RangeError('deploy-trigger: the push time is not a valid date');
  const local = new Date(time + CHINA_OFFSET_MS);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return (
    `${String(local.getUTCFullYear()).padStart(4, '0')}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())} ` +
    `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}`
  );
}

/**
 * The ACR push webhook body for `image`. `namespace` is the first part of the
 * repository path and `name` the last (ACR repositories are `namespace/name`).
 */
export function acrWebhookPayload(image: DeployedImage, info: AcrWebhookInfo): AcrWebhookPayload {
  const parts = image.repository.split('/').filter((part) => part !== '');
  const namespace = parts[0];
  const name = parts[parts.length - 1];
  if (namespace === undefined || name === undefined) {
    throw new Error(`deploy-trigger: image ${image.reference} has no repository path to report as namespace/name`);
  }
  return {
    push_data: {
      digest: image.digest,
      pushed_at: formatAcrTime(info.pushedAt),
      tag: image.tag,
    },
    repository: {
      date_created: formatAcrTime(info.createdAt ?? info.pushedAt),
      name,
      namespace,
      region: info.region,
      repo_authentication_type: 'NO_CERTIFIED',
      repo_full_name: `${namespace}/${name}`,
      repo_origin_type: 'NO_CERTIFIED',
      repo_type: info.repoType ?? 'PRIVATE',
    },
  };
}
