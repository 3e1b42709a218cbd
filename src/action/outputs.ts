import type { DeployResult } from '../domain/targets/deploy-result.js';
import { deploymentsOf, outputsOf } from '../app/outputs.js';
import type { PipelineResult } from '../app/pipeline.js';
import { exportVariable, setOutput } from './runner/index.js';

/** docker/metadata-action's outputs, which it also exports as DOCKER_METADATA_OUTPUT_<NAME> (DOCKER_METADATA_SET_OUTPUT_ENV, default true). */
const METADATA_ACTION_OUTPUTS = ['version', 'tags', 'tag-names', 'labels', 'annotations', 'json'] as const;

export function writeOutputs(result: PipelineResult): void {
  const outputs = outputsOf(result);
  for (const [name, value] of Object.entries(outputs)) setOutput(name, value);
  if (result.metadataAction?.setOutputEnv) {
    for (const name of METADATA_ACTION_OUTPUTS) exportVariable(`DOCKER_METADATA_OUTPUT_${name.replace(/\W/g, '_').toUpperCase()}`, outputs[name]);
  }
}

/** Also written when a deploy step fails, so later steps see what was already rolled out. */
export function writeDeploymentsOutput(deployments: readonly DeployResult[]): void {
  setOutput('deployments', JSON.stringify(deploymentsOf(deployments)));
}
