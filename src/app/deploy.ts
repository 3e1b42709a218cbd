import type { Config } from '../config/types.js';
import { deployToTargets, type DeployTargets } from '../deploy/deploy-all.js';
import type { KubeTarget } from '../deploy/kubernetes/kubeconfig.js';
import type { DeployedImage, DeployResult } from '../domain/targets/deploy-result.js';
import type { Ports } from '../ports.js';
import { huaweiClientFor } from './huawei-client.js';
import type { AlibabaDeployContext } from '../deploy/alibaba-context.js';

/** The deploy layer's options from the run's Config. */
export function deployTargetsOf(config: Config, ports: Pick<Ports, 'fetch' | 'clock' | 'logger'>): DeployTargets {
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
    cciWorkloads: deploy.cciWorkloads,
    shareWith: deploy.shareWith,
    repository: config.repository,
    fcFunctions: deploy.fcFunctions,
    saeAppIds: deploy.saeAppIds,
    alibaba: alibabaDeployContext(config, ports),
    acrInstanceId: acrInstanceIdFor(config),
  };
}

/** Rolls the verified image out to every deploy target the Config names (functions, workloads, triggers). */
export function deployAll(config: Config, image: DeployedImage, ports: Ports, kubeTarget: KubeTarget | undefined): Promise<DeployResult[]> {
  return deployToTargets(deployTargetsOf(config, ports), image, ports, kubeTarget);
}

/** The Alibaba targets sign with the AccessKey the registry login was exchanged for (config parsing insists on it). */
function alibabaDeployContext(config: Config, ports: Pick<Ports, 'fetch' | 'clock' | 'logger'>): AlibabaDeployContext | undefined {
  const { login } = config;
  if (login.kind !== 'acr-temporary') return undefined;
  return {
    region: config.region,
    endpoints: config.deploy.endpoints,
    credentials: {
      accessKeyId: login.accessKeyId,
      accessKeySecret: login.accessKeySecret,
      ...(login.securityToken === '' ? {} : { securityToken: login.securityToken }),
    },
    fetch: ports.fetch,
    clock: ports.clock,
    timeoutMs: config.deploy.rolloutTimeoutMs,
    log: (line) => ports.logger.info(line),
  };
}

/** Function Compute pulls from an Enterprise Edition instance only when told which one. */
function acrInstanceIdFor(config: Config): string {
  return config.login.kind === 'acr-temporary' && config.login.edition === 'enterprise' ? config.login.instanceId : '';
}

