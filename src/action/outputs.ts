import * as core from '@actions/core';
import type { PipelineResult } from '../pipeline.js';

/** The metadata output: one JSON object with every other output, for later steps that prefer one value. */
export function metadataOf(result: PipelineResult): Record<string, unknown> {
  return {
    registry: result.registry,
    image: result.image,
    tags: result.references,
    digest: result.digest,
    imageid: result.imageId,
    user: result.loginUser,
    builder: result.builder,
    labels: result.labels,
    'dry-run': result.dryRun,
  };
}

export function writeOutputs(result: PipelineResult): void {
  core.setOutput('registry', result.registry);
  core.setOutput('image', result.image);
  core.setOutput('tags', result.references.join('\n'));
  core.setOutput('digest', result.digest);
  core.setOutput('imageid', result.imageId);
  core.setOutput('metadata', JSON.stringify(metadataOf(result)));
}
