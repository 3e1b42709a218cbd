/**
 * Function Compute 3.0 (API version 2023-03-30) container functions: read a
 * function (GetFunction, `GET /2023-03-30/functions/{name}`), point it at a
 * new image (UpdateFunction, `PUT` on the same path with
 * `customContainerConfig`), then read it back until the update settled and
 * the image FC resolved (`resolvedImageUri`, `…@sha256:…`) is the pushed
 * digest. Signed with V3 (acs3-signer.ts).
 */
import type { DeployResult } from '../../domain/targets/deploy-result.js';
export { checkFcFunctionName } from '../../domain/targets/alibaba-names.js';
import { callAcs3, type Acs3ClientOptions } from './acs3-client.js';
import { FC_REMEDIES } from './fc3-errors.js';
import { pollUntilSettled, sleepFor, type PollVerdict } from './wait-until.js';

export const FC3_VERSION = '2023-03-30';
const CUSTOM_CONTAINER_RUNTIME = 'custom-container';
/** Set by FC on answers only; sending them back is refused or meaningless. */
const READ_ONLY_CONTAINER_FIELDS = ['resolvedImageUri', 'accelerationInfo'] as const;

/** The `fc=` line of `endpoints`, else the public regional endpoint. */
export function fcEndpoint(region: string, overrides: ReadonlyMap<string, string>): string {
  return overrides.get('fc') ?? `https://fcv3.${region}.aliyuncs.com`;
}


export interface FcCustomContainerConfig {
  image?: string;
  acrInstanceId?: string;
  resolvedImageUri?: string;
  [field: string]: unknown;
}

/** The fields imageship reads; GetFunction answers many more. */
export interface FcFunction {
  functionName: string;
  runtime?: string;
  customContainerConfig?: FcCustomContainerConfig;
  vpcConfig?: { vpcId?: string; vSwitchIds?: string[]; securityGroupId?: string };
  state?: string;
  stateReason?: string;
  lastUpdateStatus?: string;
  lastUpdateStatusReason?: string;
  lastUpdateStatusReasonCode?: string;
  [field: string]: unknown;
}

export interface FcTarget {
  endpoint: string;
  region: string;
  client: Acs3ClientOptions;
}

function functionPath(name: string): string {
  return `/${FC3_VERSION}/functions/${encodeURIComponent(name)}`;
}

export async function getFcFunction(target: FcTarget, name: string): Promise<FcFunction> {
  const operation = `read Function Compute function ${name}`;
  const answer = await callAcs3(target.client, {
    endpoint: target.endpoint,
    action: 'GetFunction',
    version: FC3_VERSION,
    method: 'GET',
    path: functionPath(name),
    operation,
    remedies: FC_REMEDIES,
  });
  if (typeof answer.body['functionName'] !== 'string') throw new Error(`${operation}: HTTP ${answer.status} but the answer has no functionName`);
  return answer.body as FcFunction;
}

/**
 * Public ACR hosts and their VPC twins. A function inside a VPC pulls through
 * the registry's VPC endpoint: FC resolves an Enterprise Edition image's
 * domain to the instance's VPC access IPs (its default resolution or the
 * PrivateZone records), and a function's VPC must be the one those IPs live
 * in ("创建自定义镜像函数" and "配置网络", help.aliyun.com/zh/functioncompute/fc-3-0);
 * the API's own examples (CustomContainerConfig.image, resolvedImageUri) name
 * `registry-vpc.<region>.aliyuncs.com` and `<instance>-registry-vpc.<region>.cr.aliyuncs.com`.
 * So the image set on such a function names the VPC host; other hosts
 * (already `-vpc`, or not ACR) are left as they are.
 */
export function vpcRegistryHost(host: string): string {
  const personal = /^registry\.([a-z0-9-]+)\.aliyuncs\.com$/.exec(host);
  if (personal) return `registry-vpc.${personal[1]}.aliyuncs.com`;
  const enterprise = /^([a-z0-9-]+)-registry\.([a-z0-9-]+)\.cr\.aliyuncs\.com$/.exec(host);
  if (enterprise && !enterprise[1]!.endsWith('-vpc')) return `${enterprise[1]}-registry-vpc.${enterprise[2]}.cr.aliyuncs.com`;
  const personalInstance = /^(crpi-[a-z0-9]+)\.([a-z0-9-]+)\.personal\.cr\.aliyuncs\.com$/.exec(host);
  if (personalInstance) return `${personalInstance[1]}-vpc.${personalInstance[2]}.personal.cr.aliyuncs.com`;
  return host;
}

export function isInVpc(fn: FcFunction): boolean {
  return typeof fn.vpcConfig?.vpcId === 'string' && fn.vpcConfig.vpcId !== '';
}

export interface FcImageUpdate {
  name: string;
  /** `host/namespace/repo` without tag. */
  repository: { registry: string; path: string };
  tag: string;
  /** `sha256:…`: what resolvedImageUri must end with. */
  digest: string;
  /** Sent as customContainerConfig.acrInstanceId (Enterprise Edition); '' = none. */
  acrInstanceId: string;
  timeoutMs: number;
  log: (line: string) => void;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  pollIntervalMs?: number;
}

/** Points a custom-container function at the pushed image and verifies what FC resolved. */
export async function updateFcFunctionImage(target: FcTarget, update: FcImageUpdate): Promise<DeployResult> {
  const { name } = update;
  const current = await getFcFunction(target, name);
  if (current.runtime !== CUSTOM_CONTAINER_RUNTIME || current.customContainerConfig === undefined || current.customContainerConfig === null) {
    throw new Error(
      `fc-function: ${name} is not a container function (runtime ${current.runtime ?? 'unknown'}): imageship can only roll images out to functions created with runtime custom-container`,
    );
  }
  const previous = current.customContainerConfig.image ?? '';
  const host = isInVpc(current) ? vpcRegistryHost(update.repository.registry) : update.repository.registry;
  const image = `${host}/${update.repository.path}${update.tag === '' ? `@${update.digest}` : `:${update.tag}`}`;
  if (host !== update.repository.registry) update.log(`${name} is in VPC ${current.vpcConfig?.vpcId}: it pulls from ${host}`);

  const container: FcCustomContainerConfig = { ...current.customContainerConfig, image };
  for (const field of READ_ONLY_CONTAINER_FIELDS) delete container[field];
  if (update.acrInstanceId !== '') container.acrInstanceId = update.acrInstanceId;
  else delete container.acrInstanceId;

  await callAcs3(target.client, {
    endpoint: target.endpoint,
    action: 'UpdateFunction',
    version: FC3_VERSION,
    method: 'PUT',
    path: functionPath(name),
    jsonBody: { customContainerConfig: container },
    operation: `update Function Compute function ${name} to ${image}`,
    // The same image written twice leaves the same function: a lost answer may be retried.
    idempotent: true,
    remedies: FC_REMEDIES,
  });

  const settled = await pollUntilSettled<FcFunction>(
    async (): Promise<PollVerdict<FcFunction>> => {
      const fn = await getFcFunction(target, name);
      return updateVerdict(name, fn);
    },
    {
      timeoutMs: update.timeoutMs,
      intervalMs: update.pollIntervalMs ?? 2000,
      now: update.now ?? Date.now,
      sleep: update.sleep ?? sleepFor,
      log: update.log,
      subject: `function ${name}`,
      timeoutHint: 'raise rollout-timeout if it is just slow (a large image is optimised for acceleration first)',
    },
  );

  const shown = settled.customContainerConfig?.image;
  const resolved = settled.customContainerConfig?.resolvedImageUri ?? '';
  if (shown !== image) {
    throw new Error(`update Function Compute function ${name}: the update was accepted but the function shows image ${shown ?? '(none)'}, not ${image}`);
  }
  if (!resolved.endsWith(`@${update.digest}`)) {
    throw new Error(
      `update Function Compute function ${name}: FC resolved ${image} to ${resolved || '(nothing)'}, not the pushed digest ${update.digest}: ` +
        'was the tag pushed again meanwhile? Deploy by digest or a unique tag',
    );
  }
  return {
    target: 'fc',
    id: `${target.region}/${name}`,
    previous,
    current: resolved,
    verified: true,
    consoleUrl: `https://fcnext.console.aliyun.com/${target.region}/functions/${encodeURIComponent(name)}`,
  };
}

function updateVerdict(name: string, fn: FcFunction): PollVerdict<FcFunction> {
  const status = fn.lastUpdateStatus ?? 'Successful';
  if (status === 'Successful') return { phase: 'done', value: fn };
  if (status === 'Failed') {
    const code = fn.lastUpdateStatusReasonCode ? ` ${fn.lastUpdateStatusReasonCode}` : '';
    return {
      phase: 'failed',
      message: `update Function Compute function ${name}: the update failed${code}: ${fn.lastUpdateStatusReason ?? 'no reason given'} — check that the image exists, is linux/amd64, and that the function's role may pull it (AliyunContainerRegistryReadOnlyAccess)`,
    };
  }
  return { phase: 'waiting', detail: `update ${status}${fn.lastUpdateStatusReason ? `: ${fn.lastUpdateStatusReason}` : ''}` };
}
