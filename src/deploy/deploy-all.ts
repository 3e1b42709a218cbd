import type { HuaweiApiClient } from '../cloud/huawei/api-client.js';
import { fetchClusterKubeconfig } from '../cloud/huawei/cce.js';
import { updateFunctionImage } from '../cloud/huawei/functiongraph.js';
import { parseFunctionUrn } from '../domain/targets/function-urn.js';
import { findProjectId } from '../cloud/huawei/iam.js';
import type { WorkloadRef } from '../domain/targets/kubernetes-workloads.js';
import type { Ports } from '../ports.js';
import { parseKubeconfig, type KubeTarget } from './kubernetes/kubeconfig.js';
import { kubeconfigSecrets, kubeTargetSecrets } from './kubernetes/kubeconfig-secrets.js';
import { rolloutImage } from './kubernetes/rollout.js';
import { acrWebhookPayload, callDeployTrigger } from './trigger.js';
import type { DeployedImage, DeployResult } from '../domain/targets/deploy-result.js';
import { ImageshipError, type ImageshipErrorOptions } from '../domain/errors.js';

/** A deploy step failed; `results` holds what was deployed before it, for the `deployments` output. */
export class DeployError extends ImageshipError {
  constructor(
    message: string,
    readonly results: readonly DeployResult[],
    options: ImageshipErrorOptions = {},
  ) {
    super(message, options);
    this.name = 'DeployError';
  }
}

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
  /** A signed Huawei Cloud API client for a region (FunctionGraph, CCE, IAM). */
  readonly huaweiClient: (region: string) => HuaweiApiClient;
}

/**
 * Rolls the verified image out to every target, in a fixed order (functions,
 * workloads, triggers), stopping at the first failure: a half-applied release
 * is easier to reason about when it stops where it broke.
 */
export async function deployToTargets(deploy: DeployTargets, image: DeployedImage, ports: Ports, kubeTarget: KubeTarget | undefined): Promise<DeployResult[]> {
  const { logger } = ports;
  const results: DeployResult[] = [];
  const step = async (title: string, run: () => Promise<DeployResult>): Promise<void> => {
    try {
      const result = await logger.group(title, run);
      logger.info(`${result.id}: ${result.previous || '(unknown)'} → ${result.current}${result.verified ? ' (verified)' : ''}`);
      results.push(result);
    } catch (error) {
      throw new DeployError(error instanceof Error ? error.message : String(error), results, { cause: error });
    }
  };

  for (const urn of deploy.functionUrns) {
    const client = deploy.huaweiClient(parseFunctionUrn(urn).region);
    await step(`Update function ${urn}`, () => updateFunctionImage(client, urn, image.reference));
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

  if (deploy.triggers.length > 0) {
    const payload = acrWebhookPayload(image, { region: deploy.region, pushedAt: ports.clock.now() });
    for (const url of deploy.triggers) {
      await step('Call a deploy trigger', () => callDeployTrigger(ports.fetch, url, payload, { image }));
    }
  }
  return results;
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

/**
 * Masks key material and tokens of a kubeconfig, found in its text before it
 * is parsed: whole values, block-scalar values, the secret part of
 * `id:secret`-style tokens, each line of decoded PEM (kubeconfig-secrets.ts).
 */
export function maskKubeconfigSecrets(kubeconfig: string, ports: Pick<Ports, 'secrets'>): void {
  for (const secret of kubeconfigSecrets(kubeconfig)) ports.secrets.add(secret);
}

/** Masks the token the parse settled on (and its secret part): the parse is the final word on what is sent. */
export function maskKubeTargetSecrets(target: KubeTarget, ports: Pick<Ports, 'secrets'>): void {
  for (const secret of kubeTargetSecrets(target)) ports.secrets.add(secret);
}
