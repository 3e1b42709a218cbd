/** Deploy target `sae-app-id`: an SAE application is redeployed with the pushed image. */
import { deploySaeApplication, saeEndpoint } from '../cloud/alibaba/sae.js';
import { pollOptions, type AlibabaDeployContext } from './alibaba-context.js';
import type { DeployedImage, DeployResult } from '../domain/targets/deploy-result.js';

/** SAE takes an image by tag (ImageUrl); a digest-only push is deployed as `repository@digest`. */
export function deployToSaeApplication(context: AlibabaDeployContext, appId: string, image: DeployedImage): Promise<DeployResult> {
  return deploySaeApplication(
    { endpoint: saeEndpoint(context.region, context.endpoints), region: context.region, client: { credentials: context.credentials, fetch: context.fetch, clock: context.clock } },
    { appId, image: image.reference, timeoutMs: context.timeoutMs, log: context.log, ...pollOptions(context) },
  );
}
