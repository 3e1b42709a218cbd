import type { HuaweiApiClient } from '../cloud/huawei/api-client.js';
import { fetchClusterKubeconfig } from '../cloud/huawei/cce.js';
import { updateFunctionImage } from '../cloud/huawei/functiongraph.js';
import { parseFunctionUrn } from '../domain/targets/function-urn.js';
import { findProjectId } from '../cloud/huawei/iam.js';
import type { WorkloadRef } from '../domain/targets/kubernetes-workloads.js';
import type { Ports } from '../ports.js';
import type { AlibabaDeployContext } from './alibaba-context.js';
import { deployToFcFunction } from './fc.js';
import { deployToSaeApplication } from './sae.js';
import { parseKubeconfig, type KubeTarget } from './kubernetes/kubeconfig.js';
import { rolloutImage } from './kubernetes/rollout.js';
import { acrWebhookPayload, callDeployTrigger } from './trigger.js';
import { rolloutCciWorkload } from './cci-workloads.js';
import { shareImage } from './swr-share.js';
import type { ShareLine } from '../domain/targets/share-with.js';
import type { DeployedImage, DeployResult } from '../domain/targets/deploy-result.js';
import { DeployError } from './deploy-error.js';
import { maskKubeconfigSecrets, maskKubeTargetSecrets } from './kubernetes/mask-secrets.js';

// DeployError lives in its own module, so a run loads it without the deploy layer; the package root exports it from here.
export { DeployError } from './deploy-error.js';

/** The deploy targets of a run and how to reach them (the deploy inputs, validated). */
export interface DeployTargets {
  readonly functionUrns: readonly string[];
  readonly workloads: readonly WorkloadRef[];
  readonly triggers: readonly string[];
  readonly rolloutTimeoutMs: number;
  /** Context to pick in the kubeconfig ('' = its current one, or CCE's `external`). */
  readonly kubeContext: string;
  /** CCE cluster whose kubeconfig is fetched when no kubeconfig is given. */
  readonly cceClusterId: string;
  /** '' = look it up from the region with IAM. */
  readonly projectId: string;
  /** The registry's region: CCE is asked there, and the trigger payload names it. */
  readonly region: string;
  /** A signed Huawei Cloud API client for a region (FunctionGraph, CCE, CCI, IAM, SWR). */
  readonly huaweiClient: (region: string) => HuaweiApiClient;
  readonly cciWorkloads: readonly WorkloadRef[];
  readonly shareWith: readonly ShareLine[];
  /** `namespace/name` of the pushed repository (what `share-with` shares). */
  readonly repository: string;
  readonly fcFunctions: readonly string[];
  readonly saeAppIds: readonly string[];
  /** How the Alibaba targets are reached; undefined when the run has no Alibaba AccessKey (config parsing then refuses those targets). */
  readonly alibaba: AlibabaDeployContext | undefined;
  /** The ACR Enterprise Edition instance Function Compute pulls from ('' for Personal Edition). */
  readonly acrInstanceId: string;
}

/**
 * Rolls the verified image out to every target, in a fixed order (functions,
 * workloads, CCI deployments, triggers, SWR shares), stopping at the first
 * failure: a half-applied release is easier to reason about when it stops
 * where it broke.
 */
export async function deployToTargets(deploy: DeployTargets, image: DeployedImage, ports: Ports, kubeTarget: KubeTarget | undefined): Promise<DeployResult[]> {
  const { logger } = ports;
  const results: DeployResult[] = [];
  const step = async (title: string, run: () => Promise<DeployResult>): Promise<void> => {
    try {
      const result = await logger.group(title, run);
      logger.info(`${result.id}: ${result.previous || (result.target === 'swr-share' ? '(not shared)' : '(unknown)')} → ${result.current}${result.verified ? ' (verified)' : ''}`);
      results.push(result);
    } catch (error) {
      throw new DeployError(error instanceof Error ? error.message : String(error), results, { cause: error });
    }
  };

  for (const urn of deploy.functionUrns) {
    const client = deploy.huaweiClient(parseFunctionUrn(urn).region);
    await step(`Update function ${urn}`, () => updateFunctionImage(client, urn, image.reference));
  }

  const { alibaba } = deploy;
  for (const name of deploy.fcFunctions) {
    await step(`Update Function Compute function ${name}`, () => deployToFcFunction(need(alibaba, name), name, image, deploy.acrInstanceId));
  }

  if (deploy.workloads.length > 0) {
    let target = kubeTarget;
    if (!target) {
      try {
        target = await kubeTargetFromCce(deploy, ports);
      } catch (error) {
        throw new DeployError(error instanceof Error ? error.message : String(error), results, { cause: error });
      }
    }
    for (const workload of deploy.workloads) {
      const cluster = target;
      await step(`Roll out ${workload.text}`, () =>
        rolloutImage(cluster, workload, image, { timeoutMs: deploy.rolloutTimeoutMs, log: (line) => logger.info(line) }),
      );
    }
  }

  if (deploy.cciWorkloads.length > 0) {
    const client = deploy.huaweiClient(deploy.region);
    let projectId = deploy.projectId;
    for (const workload of deploy.cciWorkloads) {
      await step(`Roll out CCI ${workload.text}`, async () => {
        // CCI is project-scoped: the project of the region, looked up once when project-id is not given.
        projectId ||= await findProjectId(client, deploy.region);
        return rolloutCciWorkload(client, projectId, workload, image, { timeoutMs: deploy.rolloutTimeoutMs, log: (line) => logger.info(line) });
      });
    }
  }

  for (const appId of deploy.saeAppIds) {
    await step(`Deploy SAE application ${appId}`, () => deployToSaeApplication(need(alibaba, appId), appId, image));
  }

  if (deploy.triggers.length > 0) {
    const payload = acrWebhookPayload(image, { region: deploy.region, pushedAt: ports.clock.now() });
    for (const url of deploy.triggers) {
      await step('Call a deploy trigger', () => callDeployTrigger(ports.fetch, url, payload, { image }));
    }
  }
  if (deploy.shareWith.length > 0) {
    const client = deploy.huaweiClient(deploy.region);
    for (const share of deploy.shareWith) {
      await step(`Share ${deploy.repository} with ${share.account}`, () => shareImage(client, deploy.repository, share));
    }
  }
  return results;
}

function need(context: AlibabaDeployContext | undefined, target: string): AlibabaDeployContext {
  if (!context) throw new Error(`internal: ${target} needs an Alibaba Cloud AccessKey, which config parsing requires`);
  return context;
}

/**
 * A short-lived kubeconfig from CCE's clustercert API. Its private key is
 * masked before anything can print it. CCE offers an `internal` (VPC) and,
 * with a public endpoint, an `external` context; CI runners are usually
 * outside the VPC, so `external` wins unless kube-context says otherwise.
 */
async function kubeTargetFromCce(deploy: DeployTargets, ports: Ports): Promise<KubeTarget> {
  const client = deploy.huaweiClient(deploy.region);
  const projectId = deploy.projectId || (await findProjectId(client, deploy.region));
  const kubeconfig = await fetchClusterKubeconfig(client, { projectId, clusterId: deploy.cceClusterId });
  maskKubeconfigSecrets(kubeconfig, ports);
  const target = await parseKubeconfig(kubeconfig, deploy.kubeContext || preferredCceContext(kubeconfig));
  maskKubeTargetSecrets(target, ports);
  return target;
}

function preferredCceContext(kubeconfig: string): string | undefined {
  try {
    const parsed = JSON.parse(kubeconfig) as { contexts?: { name?: string }[] };
    return parsed.contexts?.some((context) => context.name === 'external') ? 'external' : undefined;
  } catch {
    return undefined;
  }
}
