/**
 * The `share-with` target: after the verified push, the SWR repository is
 * shared with other accounts (cloud/huawei/swr-sharing.ts), one
 * `account[:read][:until YYYY-MM-DD]` per line. Checked here before anything
 * runs; the date against the run's clock in checkShareDeadlines.
 */
import type { HuaweiApiClient } from '../cloud/huawei/api-client.js';
import { describeShare, shareRepository } from '../cloud/huawei/swr-sharing.js';
import type { DeployResult } from '../domain/targets/deploy-result.js';
import type { ShareLine } from '../domain/targets/share-with.js';

export { checkShareDeadlines, parseShareWith, type ShareLine } from '../domain/targets/share-with.js';

/** Shares `repository` (`namespace/name`) with one account and reads the share back. */
export async function shareImage(client: HuaweiApiClient, repository: string, share: ShareLine): Promise<DeployResult> {
  const slash = repository.indexOf('/');
  if (slash <= 0) throw new Error(`share-with: the repository "${repository}" has no SWR organization: set namespace`);
  const result = await shareRepository(client, repository.slice(0, slash), repository.slice(slash + 1), share);
  return {
    target: 'swr-share',
    id: `${repository} → ${share.account}`,
    previous: describeShare(result.before),
    current: describeShare(result.after),
    verified: true,
  };
}
