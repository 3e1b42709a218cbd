/** Deploy target `fc-function`: a Function Compute 3.0 custom-container function takes the pushed image. */
import { fcEndpoint, updateFcFunctionImage } from '../cloud/alibaba/fc3.js';
import { pollOptions, type AlibabaDeployContext } from './alibaba-context.js';
import type { DeployedImage, DeployResult } from '../domain/targets/deploy-result.js';

/**
 * `acrInstanceId` is the Enterprise Edition instance the image lives in
 * ('' for Personal Edition or another registry): FC needs it to pull from
 * an Enterprise instance.
 */
export function deployToFcFunction(context: AlibabaDeployContext, name: string, image: DeployedImage, acrInstanceId: string): Promise<DeployResult> {
  return updateFcFunctionImage(
    { endpoint: fcEndpoint(context.region, context.endpoints), region: context.region, client: { credentials: context.credentials, fetch: context.fetch, clock: context.clock } },
    {
      name,
      repository: { registry: image.registry, path: image.repository },
      tag: image.tag,
      digest: image.digest,
      acrInstanceId,
      timeoutMs: context.timeoutMs,
      log: context.log,
      ...pollOptions(context),
    },
  );
}
