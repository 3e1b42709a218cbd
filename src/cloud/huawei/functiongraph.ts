/**
 * FunctionGraph container-image functions: read a function's configuration
 * and point it at a new image (ShowFunctionConfig / UpdateFunctionConfig,
 * `GET|PUT /v2/{project_id}/fgs/functions/{function_urn}/config`).
 */
import type { DeployResult } from '../../domain/targets/deploy-result.js';
import { HuaweiApiError, type HuaweiApiClient } from './api-client.js';
import { checkWritableShapes, WRITABLE_FIELDS } from './function-config-shapes.js';
import { parseFunctionUrn, type FunctionUrn } from '../../domain/targets/function-urn.js';

const SERVICE = 'functiongraph';
/** How FunctionGraph marks a function deployed from a container image. */
const CUSTOM_IMAGE_RUNTIME = 'Custom Image';
const CUSTOM_IMAGE_CODE_TYPE = 'Custom-Image-Swr';

export interface CustomImageConfig {
  enabled: boolean;
  image: string;
  command?: string;
  args?: string;
  working_dir?: string;
  uid?: string;
  gid?: string;
  [field: string]: unknown;
}

/** The fields imageship relies on; the API answers many more, kept as they are. */
export interface FunctionConfig {
  func_urn: string;
  func_name: string;
  runtime: string;
  timeout: number;
  handler: string;
  memory_size: number;
  code_type: string;
  custom_image?: CustomImageConfig;
  last_modified?: string;
  [field: string]: unknown;
}

export async function getFunctionConfig(client: HuaweiApiClient, urn: string | FunctionUrn): Promise<FunctionConfig> {
  const parsed = typeof urn === 'string' ? parseFunctionUrn(urn) : urn;
  const response = await client.request<FunctionConfig>({
    service: SERVICE,
    method: 'GET',
    path: configPath(parsed),
    projectId: parsed.projectId,
    operation: `read FunctionGraph function ${parsed.name}`,
  });
  const config = response.body;
  if (config === null || typeof config !== 'object' || typeof config.func_name !== 'string') {
    throw new Error(`read FunctionGraph function ${parsed.name}: the answer has no function configuration`);
  }
  return config;
}

/**
 * Points a container-image function at `image` and reads it back. The PUT
 * carries the function's whole current configuration with only the image
 * changed: UpdateFunctionConfig resets what it is not sent, so leaving fields
 * out would wipe environment variables, VPC or the image's command.
 */
export async function updateFunctionImage(client: HuaweiApiClient, urn: string, image: string): Promise<DeployResult> {
  const parsed = parseFunctionUrn(urn);
  if (parsed.version !== undefined && parsed.version !== 'latest') {
    throw new Error(
      `function-urn: "${urn}" names version "${parsed.version}"; published versions and aliases cannot be changed, ` +
        'use the URN without a version (or :latest)',
    );
  }
  if (parsed.region !== client.region) {
    throw new Error(`function-urn: "${urn}" is in region ${parsed.region} but region is ${client.region}; make them agree`);
  }

  const current = await getFunctionConfig(client, parsed);
  // The PUT below writes this configuration back: a field of the wrong kind is refused before anything is written.
  checkWritableShapes(current, `update FunctionGraph function ${parsed.name}`);
  if (!isContainerImageFunction(current) || current.custom_image === undefined || current.custom_image === null) {
    throw new Error(
      `function-urn: ${urn} is not a container-image function (runtime ${current.runtime}): ` +
        `its code type is ${current.code_type}; imageship can only roll out images to functions created from a container image`,
    );
  }
  const previous = current.custom_image.image;

  try {
    await client.request({
      service: SERVICE,
      method: 'PUT',
      path: configPath(parsed),
      projectId: parsed.projectId,
      body: updateBody(current, image),
      operation: `update FunctionGraph function ${parsed.name} to ${image}`,
      // Sending the same full configuration twice leaves the same state, so a lost answer may be retried.
      idempotent: true,
    });
  } catch (error) {
    // A retry that lands after the first try was applied may be answered "already exists": the read-back decides.
    if (!(error instanceof HuaweiApiError && error.code === 'FSS.0409')) throw error;
  }

  const after = await getFunctionConfig(client, parsed);
  const shown = after.custom_image?.image;
  if (shown !== image) {
    throw new Error(
      `update FunctionGraph function ${parsed.name}: the update was accepted but the function still shows image ${shown ?? '(none)'}, not ${image}`,
    );
  }
  const consoleUrl = functionConsoleUrl(parsed, client.domain);
  return {
    target: 'functiongraph',
    id: parsed.unversioned,
    previous,
    current: image,
    verified: true,
    ...(consoleUrl === undefined ? {} : { consoleUrl }),
  };
}

export function isContainerImageFunction(config: FunctionConfig): boolean {
  return config.runtime === CUSTOM_IMAGE_RUNTIME || config.code_type === CUSTOM_IMAGE_CODE_TYPE;
}

/**
 * The PUT body: every writable field the function has now (one list,
 * function-config-shapes.ts), with only the image changed. custom_image keeps
 * command, args, working_dir, uid, gid and is_public as they are.
 */
export function updateBody(current: FunctionConfig, image: string): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const field of WRITABLE_FIELDS) {
    const value = current[field];
    if (value !== undefined && value !== null) body[field] = value;
  }
  body['custom_image'] = { ...current.custom_image, enabled: true, image };
  return body;
}

function configPath(urn: FunctionUrn): string {
  return `/v2/${urn.projectId}/fgs/functions/${urn.unversioned}/config`;
}

/** Only the public cloud's console address is known. */
function functionConsoleUrl(urn: FunctionUrn, domain: string): string | undefined {
  if (domain !== 'myhuaweicloud.com') return undefined;
  return (
    `https://console.huaweicloud.com/functiongraph/?region=${urn.region}` +
    `#/serverless/functionDetails/${encodeURIComponent(urn.package)}/${encodeURIComponent(urn.name)}?type=edit`
  );
}
