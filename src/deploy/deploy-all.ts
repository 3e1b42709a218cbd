import { fetchClusterKubeconfig } from '../cloud/huawei/cce.js';
import { huaweiClientFor } from '../cloud/huawei/client-for-config.js';
import { parseFunctionUrn, updateFunctionImage } from '../cloud/huawei/functiongraph.js';
import { findProjectId } from '../cloud/huawei/iam.js';
import type { Config } from '../config/types.js';
import type { Ports } from '../ports.js';
import { parseKubeconfig, type KubeTarget } from './kubernetes/kubeconfig.js';
import { kubeconfigSecrets, kubeTargetSecrets } from './kubernetes/kubeconfig-secrets.js';
import { rolloutImage } from './kubernetes/rollout.js';
import { acrWebhookPayload, callDeployTrigger } from './trigger.js';
import { rolloutCciWorkload } from './cci-workloads.js';
import { shareImage } from './swr-share.js';
import type { DeployedImage, DeployResult } from './types.js';

/** A deploy step failed; `results` holds what was deployed before it, for the `deployments` output. */
export class DeployError extends Error {
  constructor(
    message: string,
    readonly results: readonly DeployResult[],
  ) {
    super(message);
    this.name = 'DeployError';
  }
}

/**
 * Rolls the verified image out to every target, in a fixed order (functions,
 * workloads, CCI deployments, triggers, SWR shares), stopping at the first
 * failure: a half-applied release is easier to reason about when it stops
 * where it broke.
 */
export async function deployAll(config: Config, image: DeployedImage, ports: Ports, kubeTarget: KubeTarget | undefined): Promise<DeployResult[]> {
  const { deploy } = config;
  const { logger } = ports;
  const results: DeployResult[] = [];
  const step = async (title: string, run: () => Promise<DeployResult>): Promise<void> => {
    try {
      const result = await logger.group(title, run);
      logger.info(`${result.id}: ${result.previous || (result.target === 'swr-share' ? '(not shared)' : '(unknown)')} → ${result.current}${result.verified ? ' (verified)' : ''}`);
      results.push(result);
    } catch (error) {
      throw new DeployError(error instanceof Error ? error.message : String(error), results);
    }
  };

  for (const urn of deploy.functionUrns) {
    const client = huaweiClientFor(config, ports, parseFunctionUrn(urn).region);
    await step(`Update function ${urn}`, () => updateFunctionImage(client, urn, image.reference));
  }

  if (deploy.workloads.length > 0) {
    let target = kubeTarget;
    if (!target) {
      try {
        target = await kubeTargetFromCce(config, ports);
      } catch (error) {
        throw new DeployError(error instanceof Error ? error.message : String(error), results);
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
    const client = huaweiClientFor(config, ports, config.region);
    let projectId = deploy.projectId;
    for (const workload of deploy.cciWorkloads) {
      await step(`Roll out CCI ${workload.text}`, async () => {
        // CCI is project-scoped: the project of the region, looked up once when project-id is not given.
        projectId ||= await findProjectId(client, config.region);
        return rolloutCciWorkload(client, projectId, workload, image, { timeoutMs: deploy.rolloutTimeoutMs, log: (line) => logger.info(line) });
      });
    }
  }

  if (deploy.triggers.length > 0) {
    const payload = acrWebhookPayload(image, { region: config.region, pushedAt: ports.clock.now() });
    for (const url of deploy.triggers) {
      await step('Call a deploy trigger', () => callDeployTrigger(ports.fetch, url, payload, { image }));
    }
  }
  if (deploy.shareWith.length > 0) {
    const client = huaweiClientFor(config, ports, config.region);
    for (const share of deploy.shareWith) {
      await step(`Share ${config.repository} with ${share.account}`, () => shareImage(client, config.repository, share));
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
async function kubeTargetFromCce(config: Config, ports: Ports): Promise<KubeTarget> {
  const client = huaweiClientFor(config, ports, config.region);
  const projectId = config.deploy.projectId || (await findProjectId(client, config.region));
  const kubeconfig = await fetchClusterKubeconfig(client, { projectId, clusterId: config.deploy.cceClusterId });
  maskKubeconfigSecrets(kubeconfig, ports);
  const target = await parseKubeconfig(kubeconfig, config.deploy.kubeContext || preferredCceContext(kubeconfig));
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
