import { parseEndpoints } from '../cloud/huawei/endpoints.js';
import { parseFunctionUrn } from '../cloud/huawei/functiongraph.js';
import { parseWorkloads } from '../deploy/kubernetes/workloads.js';
import { parseTriggerUrls } from '../deploy/trigger.js';
import { parseCciWorkloads } from '../deploy/cci-workloads.js';
import { parseShareWith } from '../deploy/swr-share.js';
import { parseImageReference, type ImageReference } from '../registry/client.js';
import { splitLines } from './read-values.js';
import type { DeploySettings } from './types.js';

const MAX_ROLLOUT_SECONDS = 3600;

/** Prefixes a helper's message with the input name unless it already starts with it. */
function named(input: string, message: string): string {
  return message.startsWith(`${input}:`) ? message : `${input}: ${message}`;
}

/** Reads the deploy inputs; syntax only (the kubeconfig is parsed in the async preflight). */
export function parseDeploySettings(get: (name: string) => string, problems: string[]): DeploySettings {
  const functionUrns = splitLines(get('function-urn'));
  for (const urn of functionUrns) {
    try {
      parseFunctionUrn(urn);
    } catch (error) {
      problems.push(named('function-urn', error instanceof Error ? error.message : String(error)));
    }
  }

  const workloadsParsed = parseWorkloads(get('workloads'));
  problems.push(...workloadsParsed.errors.map((error) => named('workloads', error)));
  const triggers = parseTriggerUrls(get('deploy-trigger'));
  problems.push(...triggers.errors.map((error) => named('deploy-trigger', error)));
  const cci = parseCciWorkloads(get('cci-workloads'));
  problems.push(...cci.errors);
  const shares = parseShareWith(get('share-with'));
  problems.push(...shares.errors);
  const endpoints = parseEndpoints(get('endpoints'));
  problems.push(...endpoints.errors.map((error) => named('endpoints', error)));

  const kubeconfig = get('kubeconfig');
  const cceClusterId = get('cce-cluster-id');
  const workloads = workloadsParsed.workloads;
  if (workloads.length > 0 && kubeconfig === '' && cceClusterId === '') {
    problems.push('workloads: needs cluster credentials: set kubeconfig (from a secret) or cce-cluster-id');
  }
  if (kubeconfig !== '' && cceClusterId !== '') {
    problems.push('kubeconfig: give either kubeconfig or cce-cluster-id, not both: remove one');
  }
  if ((kubeconfig !== '' || cceClusterId !== '') && workloads.length === 0 && get('workloads') === '') {
    problems.push(`${kubeconfig !== '' ? 'kubeconfig' : 'cce-cluster-id'}: set, but no workloads to roll out: add workloads (namespace/deployment/name) or remove it`);
  }
  if (cceClusterId !== '' && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(cceClusterId)) {
    problems.push(`cce-cluster-id: "${cceClusterId}" is not a CCE cluster id (a UUID such as 4e3f6f6a-1c2b-11ef-8a0c-0255ac100b07): copy it from the cluster's overview page`);
  }
  const projectId = get('project-id');
  if (projectId !== '' && !/^[0-9a-f]{32}$/.test(projectId)) {
    problems.push(`project-id: "${projectId}" is not a project id (32 hex characters): see "My Credentials > API Credentials"`);
  }

  const rolloutText = get('rollout-timeout');
  const rolloutSeconds = /^\d+$/.test(rolloutText) ? Number(rolloutText) : Number.NaN;
  if (!(rolloutSeconds >= 1 && rolloutSeconds <= MAX_ROLLOUT_SECONDS)) {
    problems.push(`rollout-timeout: "${rolloutText}" is not a number of seconds from 1 to ${MAX_ROLLOUT_SECONDS}: e.g. 300`);
  }

  return Object.freeze({
    functionUrns,
    functionTag: get('function-tag'),
    workloads,
    kubeconfig,
    cceClusterId,
    kubeContext: get('kube-context'),
    projectId,
    rolloutTimeoutMs: (Number.isFinite(rolloutSeconds) ? rolloutSeconds : 300) * 1000,
    triggers: triggers.urls,
    cciWorkloads: cci.workloads,
    shareWith: shares.shares,
    endpoints: endpoints.endpoints,
    warnings: [...endpoints.warnings, ...triggers.warnings],
  });
}

/** `deploy-image`: a full reference with a tag or a digest, or undefined when building. */
export function parseDeployImage(text: string, problems: string[]): ImageReference | undefined {
  if (text === '') return undefined;
  try {
    const reference = parseImageReference(text);
    if (!reference.tag && !reference.digest) {
      problems.push(`deploy-image: "${text}" names no tag or digest: use <registry>/<namespace>/<image>:<tag> or …@sha256:<digest>`);
      return undefined;
    }
    return reference;
  } catch (error) {
    problems.push(named('deploy-image', error instanceof Error ? error.message : String(error)));
    return undefined;
  }
}

export function hasDeployTargets(deploy: DeploySettings): boolean {
  return deploy.functionUrns.length > 0 || deploy.workloads.length > 0 || deploy.triggers.length > 0 || needsHuaweiApi(deploy);
}

/** Targets reached through signed Huawei Cloud API calls (FunctionGraph, CCE, CCI, SWR sharing). */
export function needsHuaweiApi(deploy: DeploySettings): boolean {
  return deploy.functionUrns.length > 0 || deploy.cceClusterId !== '' || deploy.cciWorkloads.length > 0 || deploy.shareWith.length > 0;
}
