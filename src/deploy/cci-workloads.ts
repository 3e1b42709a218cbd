/**
 * The `cci-workloads` target: CCI 2.0 Deployments, one
 * `namespace/deployment/name[:container]` per line, rolled out like a CCE
 * workload (pinned by digest, rollout waited for, read back) through CCI's
 * Kubernetes-shaped API signed with the AK/SK (cloud/huawei/cci.ts).
 */
export { parseCciWorkloads } from '../domain/targets/cci-workloads.js';
import { CciWorkloadApi } from './cci-api.js';
import type { HuaweiApiClient } from '../cloud/huawei/api-client.js';
import { rolloutWith, type RolloutOptions } from './kubernetes/rollout.js';
import type { WorkloadRef } from '../domain/targets/kubernetes-workloads.js';
import type { DeployedImage, DeployResult } from '../domain/targets/deploy-result.js';

/** Rolls `image` out to one CCI 2.0 deployment and reads it back. */
export function rolloutCciWorkload(
  client: HuaweiApiClient,
  projectId: string,
  workload: WorkloadRef,
  image: DeployedImage,
  options: Omit<RolloutOptions, 'target' | 'retry'>,
): Promise<DeployResult> {
  return rolloutWith(new CciWorkloadApi(client, projectId), workload, image, { ...options, target: 'cci' });
}
