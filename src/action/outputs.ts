import type { DeployResult } from '../deploy/types.js';
import { deploymentsOf, outputsOf } from '../outputs.js';
import type { PipelineResult } from '../pipeline.js';
import { setOutput } from './runner/index.js';

export { metadataOf } from '../outputs.js';

export function writeOutputs(result: PipelineResult): void {
  for (const [name, value] of Object.entries(outputsOf(result))) setOutput(name, value);
}

/** Also written when a deploy step fails, so later steps see what was already rolled out. */
export function writeDeploymentsOutput(deployments: readonly DeployResult[]): void {
  setOutput('deployments', JSON.stringify(deploymentsOf(deployments)));
}
