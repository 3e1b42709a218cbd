/**
 * The error of a deploy that failed part way, with what was deployed before
 * it. In a file of its own so the CLI and the action can recognise it
 * without loading the deploy code (deploy-all.ts and the cloud clients are
 * loaded only by a run that deploys).
 */
import type { DeployResult } from '../domain/targets/deploy-result.js';
import { ImageshipError, type ImageshipErrorOptions } from '../domain/errors.js';

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
