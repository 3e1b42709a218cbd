import type { Config } from '../config/types.js';
import { deployToTargets, type DeployTargets } from '../deploy/deploy-all.js';
import type { KubeTarget } from '../deploy/kubernetes/kubeconfig.js';
import type { DeployedImage, DeployResult } from '../domain/targets/deploy-result.js';
import type { Ports } from '../ports.js';
import { huaweiClientFor } from './huawei-client.js';

/** The deploy layer's options from the run's Config. */
export function deployTargetsOf(config: Config, ports: Pick<Ports, 'fetch' | 'clock'>): DeployTargets {
  const { deploy } = config;
  return {
    functionUrns: deploy.functionUrns,
    workloads: deploy.workloads,
    triggers: deploy.triggers,
    rolloutTimeoutMs: deploy.rolloutTimeoutMs,
    kubeContext: deploy.kubeContext,
    cceClusterId: deploy.cceClusterId,
    projectId: deploy.projectId,
    region: config.region,
    huaweiClient: (region) => huaweiClientFor(config, ports, region),
  };
}

/** Rolls the verified image out to every deploy target the Config names (functions, workloads, triggers). */
export function deployAll(config: Config, image: DeployedImage, ports: Ports, kubeTarget: KubeTarget | undefined): Promise<DeployResult[]> {
  return deployToTargets(deployTargetsOf(config, ports), image, ports, kubeTarget);
}
