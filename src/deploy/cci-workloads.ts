/**
 * The `cci-workloads` target: CCI 2.0 Deployments, one
 * `namespace/deployment/name[:container]` per line, rolled out like a CCE
 * workload (pinned by digest, rollout waited for, read back) through CCI's
 * Kubernetes-shaped API signed with the AK/SK (cloud/huawei/cci.ts).
 */
import { CciWorkloadApi } from '../cloud/huawei/cci.js';
import type { HuaweiApiClient } from '../cloud/huawei/api-client.js';
import { rolloutWith, type RolloutOptions } from './kubernetes/rollout.js';
import { parseWorkloads, type WorkloadRef } from './kubernetes/workloads.js';
import type { DeployedImage, DeployResult } from './types.js';

/** Every well-formed line, and one `cci-workloads: …` error per bad one (the `workloads` syntax, deployments only). */
export function parseCciWorkloads(text: string): { workloads: WorkloadRef[]; errors: string[] } {
  const parsed = parseWorkloads(text);
  const errors = parsed.errors.map((error) => error.replace(/^workloads:/, 'cci-workloads:'));
  const workloads: WorkloadRef[] = [];
  for (const workload of parsed.workloads) {
    if (workload.kind !== 'deployment') {
      errors.push(`cci-workloads: "${workload.text}" names a ${workload.kind}: CCI 2.0 rolls out deployments only, e.g. prod/deployment/web`);
      continue;
    }
    workloads.push(workload);
  }
  return { workloads, errors };
}

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
