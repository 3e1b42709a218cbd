/**
 * Serverless App Engine (API version 2019-05-06, ROA): roll an image out to
 * an application with DeployApplication (`POST
 * /pop/v1/sam/app/deployApplication?AppId&PackageType=Image&ImageUrl`, a
 * form API, signed with V3 as the official SDK signs it), follow the change
 * order it opens (DescribeChangeOrder) until it is done, failed or out of
 * time, then read the application back (DescribeApplicationConfig).
 */
import type { DeployResult } from '../../domain/targets/deploy-result.js';
export { checkSaeAppId } from '../../domain/targets/alibaba-names.js';
import { callAcs3, type Acs3ClientOptions } from './acs3-client.js';
import { alibabaApiError, scrubSecrets, oneLine } from './api-errors.js';
import { SAE_REMEDIES } from './sae-errors.js';
import { pollUntilSettled, sleepFor, type PollVerdict } from './wait-until.js';

export const SAE_VERSION = '2019-05-06';

/** The `sae=` line of `endpoints`, else the public regional endpoint. */
export function saeEndpoint(region: string, overrides: ReadonlyMap<string, string>): string {
  return overrides.get('sae') ?? `https://sae.${region}.aliyuncs.com`;
}


export interface SaeTarget {
  endpoint: string;
  region: string;
  client: Acs3ClientOptions;
}

/** DescribeChangeOrder's Status values, as its API reference lists them. */
const CHANGE_ORDER_STATUS: Readonly<Record<number, string>> = {
  0: 'being prepared',
  1: 'executing',
  2: 'done',
  3: 'failed',
  6: 'terminated',
  8: 'waiting for the next batch to be released by hand in the SAE console',
  9: 'waiting for the next batch (released automatically)',
  10: 'failed (system error)',
  11: 'waiting for approval',
  12: 'approved, waiting to run',
};
const FAILED_STATUSES = new Set([3, 6, 10]);

interface SaeEnvelope {
  Success?: boolean;
  Data?: Record<string, unknown>;
}

async function saeCall(target: SaeTarget, call: { action: string; method: 'GET' | 'POST'; path: string; query: Record<string, string>; form?: boolean; operation: string }): Promise<Record<string, unknown>> {
  const answer = await callAcs3(target.client, {
    endpoint: target.endpoint,
    action: call.action,
    version: SAE_VERSION,
    method: call.method,
    path: call.path,
    query: call.query,
    ...(call.form ? { form: true } : {}),
    operation: call.operation,
    remedies: SAE_REMEDIES,
  });
  const body = answer.body as SaeEnvelope;
  // SAE can refuse with HTTP 200 and Success false, its code in the body.
  if (body.Success === false) {
    throw alibabaApiError({ operation: call.operation, status: answer.status, text: answer.text, requestIdHeader: answer.requestId, secrets: target.client.credentials, remedies: SAE_REMEDIES, fallbackMessage: 'the API answered Success=false' });
  }
  const data = body.Data;
  if (data === null || typeof data !== 'object') {
    throw new Error(`${call.operation}: HTTP ${answer.status} but the answer has no Data: ${scrubSecrets(oneLine(answer.text), target.client.credentials).slice(0, 200)}`);
  }
  return data;
}

export interface SaeAppImage {
  imageUrl: string;
  packageType: string;
}

export async function describeSaeAppImage(target: SaeTarget, appId: string): Promise<SaeAppImage> {
  const data = await saeCall(target, {
    action: 'DescribeApplicationConfig',
    method: 'GET',
    path: '/pop/v1/sam/app/describeApplicationConfig',
    query: { AppId: appId },
    operation: `read SAE application ${appId}`,
  });
  return { imageUrl: typeof data['ImageUrl'] === 'string' ? data['ImageUrl'] : '', packageType: typeof data['PackageType'] === 'string' ? data['PackageType'] : '' };
}

export interface SaeDeploy {
  appId: string;
  /** `registry/namespace/repo:tag`. */
  image: string;
  timeoutMs: number;
  log: (line: string) => void;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  pollIntervalMs?: number;
}

export async function deploySaeApplication(target: SaeTarget, deploy: SaeDeploy): Promise<DeployResult> {
  const { appId, image } = deploy;
  const before = await describeSaeAppImage(target, appId);
  if (before.packageType !== 'Image') {
    throw new Error(`sae-app-id: application ${appId} is deployed from a ${before.packageType || 'non-image'} package: imageship can only roll images out to applications of package type Image`);
  }
  const data = await saeCall(target, {
    action: 'DeployApplication',
    method: 'POST',
    path: '/pop/v1/sam/app/deployApplication',
    query: { AppId: appId, PackageType: 'Image', ImageUrl: image },
    form: true,
    operation: `deploy ${image} to SAE application ${appId}`,
  });
  const changeOrderId = data['ChangeOrderId'];
  if (typeof changeOrderId !== 'string' || changeOrderId === '') {
    throw new Error(`deploy ${image} to SAE application ${appId}: the answer names no ChangeOrderId`);
  }
  deploy.log(`SAE application ${appId}: change order ${changeOrderId}${data['IsNeedApproval'] === true ? ' (needs approval before it runs)' : ''}`);

  await pollUntilSettled<true>(
    async (): Promise<PollVerdict<true>> => {
      const order = await saeCall(target, {
        action: 'DescribeChangeOrder',
        method: 'GET',
        path: '/pop/v1/sam/changeorder/DescribeChangeOrder',
        query: { ChangeOrderId: changeOrderId },
        operation: `read SAE change order ${changeOrderId}`,
      });
      return changeOrderVerdict(appId, changeOrderId, order);
    },
    {
      timeoutMs: deploy.timeoutMs,
      intervalMs: deploy.pollIntervalMs ?? 3000,
      now: deploy.now ?? Date.now,
      sleep: deploy.sleep ?? sleepFor,
      log: deploy.log,
      subject: `SAE application ${appId}, change order ${changeOrderId}`,
      timeoutHint: 'the change order goes on in SAE; follow it in the SAE console, and raise rollout-timeout if it is just slow',
    },
  );

  const after = await describeSaeAppImage(target, appId);
  if (after.imageUrl !== image) {
    throw new Error(`deploy to SAE application ${appId}: the change order finished but the application shows image ${after.imageUrl || '(none)'}, not ${image}`);
  }
  return {
    target: 'sae',
    id: appId,
    previous: before.imageUrl,
    current: image,
    verified: true,
    consoleUrl: `https://sae.console.aliyun.com/#/AppList/AppDetail?appId=${appId}&regionId=${target.region}`,
  };
}

function changeOrderVerdict(appId: string, changeOrderId: string, order: Record<string, unknown>): PollVerdict<true> {
  const status = typeof order['Status'] === 'number' ? order['Status'] : Number.NaN;
  const described = CHANGE_ORDER_STATUS[status] ?? `status ${String(order['Status'])}`;
  if (status === 2) return { phase: 'done', value: true };
  const failedBatch = Array.isArray(order['Pipelines'])
    ? (order['Pipelines'] as Record<string, unknown>[]).find((pipeline) => FAILED_STATUSES.has(pipeline['Status'] as number))
    : undefined;
  const errorMessage = typeof order['ErrorMessage'] === 'string' && order['ErrorMessage'] !== '' && order['ErrorMessage'] !== 'success' ? order['ErrorMessage'] : '';
  const why = [failedBatch ? `batch "${String(failedBatch['PipelineName'] ?? failedBatch['PipelineId'])}" failed` : '', errorMessage].filter((part) => part !== '').join(': ');
  if (FAILED_STATUSES.has(status)) {
    return {
      phase: 'failed',
      message: `SAE application ${appId}: change order ${changeOrderId} ${described}${why === '' ? '' : `: ${why}`} — see the change order in the SAE console; SAE keeps the previous version running`,
    };
  }
  // SubStatus 1: an exception while executing; the order stays "executing" until someone rolls back by hand.
  if (order['SubStatus'] === 1) {
    return {
      phase: 'failed',
      message: `SAE application ${appId}: change order ${changeOrderId} hit an exception while executing${why === '' ? '' : `: ${why}`} — roll the application back in the SAE console`,
    };
  }
  return { phase: 'waiting', detail: described };
}
