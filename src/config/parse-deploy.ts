import { checkFcFunctionName, checkSaeAppId } from '../domain/targets/alibaba-names.js';
import { parseCciWorkloads } from '../domain/targets/cci-workloads.js';
import { parseShareWith } from '../domain/targets/share-with.js';
import { parseEndpoints } from '../domain/targets/huawei-endpoints.js';
import { parseFunctionUrn } from '../domain/targets/function-urn.js';
import { parseWorkloads } from '../domain/targets/kubernetes-workloads.js';
import { parseTriggerUrls } from '../domain/targets/trigger-urls.js';
import { parseImageReference, type ImageReference } from '../domain/image/reference.js';
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
  const fcFunctions = uniqueLines(get('fc-function'), 'fc-function', checkFcFunctionName, problems);
  const saeAppIds = uniqueLines(get('sae-app-id'), 'sae-app-id', checkSaeAppId, problems);
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
    fcFunctions,
    saeAppIds,
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
  return deploy.functionUrns.length > 0 || deploy.workloads.length > 0 || deploy.triggers.length > 0 || needsHuaweiApi(deploy) || hasAlibabaDeployTargets(deploy);
}

/** Targets reached through signed Huawei Cloud API calls (FunctionGraph, CCE, CCI, SWR sharing). */
export function needsHuaweiApi(deploy: DeploySettings): boolean {
  return deploy.functionUrns.length > 0 || deploy.cceClusterId !== '' || deploy.cciWorkloads.length > 0 || deploy.shareWith.length > 0;
}

/** Function Compute functions or SAE applications: targets signed with the Alibaba AccessKey. */
export function hasAlibabaDeployTargets(deploy: Pick<DeploySettings, 'fcFunctions' | 'saeAppIds'>): boolean {
  return deploy.fcFunctions.length > 0 || deploy.saeAppIds.length > 0;
}

/** One value per line, each checked, none twice (a second deploy of the same target would only repeat the first). */
function uniqueLines(text: string, input: string, check: (value: string) => string | undefined, problems: string[]): string[] {
  const values = splitLines(text);
  const seen = new Set<string>();
  for (const value of values) {
    const problem = check(value);
    if (problem !== undefined) problems.push(`${input}: ${problem}`);
    else if (seen.has(value)) problems.push(`${input}: "${value}" is listed twice: keep one line`);
    seen.add(value);
  }
  return values;
}
