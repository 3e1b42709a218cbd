/**
 * The run's outputs, built once from a PipelineResult for every host: the
 * GitHub adapter writes each as a step output, the CLI prints them as one
 * JSON object (`--output json`). Pure: no I/O, no dependency on a CI system.
 */
import type { DeployResult } from '../domain/targets/deploy-result.js';
import type { MetadataOutputs, PipelineResult } from './pipeline.js';

const NO_METADATA: MetadataOutputs = { version: '', labels: [], annotations: [], separators: { tags: '\n', labels: '\n', annotations: '\n' }, setOutputEnv: false };

/** One value per OUTPUTS entry of the schema, each a string exactly as the action sets it. */
export interface RunOutputs {
  registry: string;
  image: string;
  /** Full references, joined by `sep-tags`. */
  tags: string;
  /** Bare tags, joined by `sep-tags`. */
  'tag-names': string;
  version: string;
  /** `name=value`, joined by `sep-labels`. */
  labels: string;
  /** `level:name=value`, joined by `sep-annotations`. */
  annotations: string;
  /** JSON text of jsonOutputOf(result). */
  json: string;
  digest: string;
  imageid: string;
  /** JSON text of metadataOf(result). */
  metadata: string;
  /** JSON text of deploymentsOf(result.deployments). */
  deployments: string;
  /** JSON list of the registry hosts logged in to. */
  logins: string;
}

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
    deployments: result.deployments,
    replicas: result.replicas,
    logins: result.logins,
    ...(result.retention ? { retention: result.retention } : {}),
  };
}

/** The public fields of each deployment (console URLs and the like stay out of the output). */
export function deploymentsOf(deployments: readonly DeployResult[]): Pick<DeployResult, 'target' | 'id' | 'previous' | 'current' | 'verified'>[] {
  return deployments.map(({ target, id, previous, current, verified }) => ({ target, id, previous, current, verified }));
}

/** docker/metadata-action's `json` output: `{tags, labels, annotations}`. */
export function jsonOutputOf(result: PipelineResult): { tags: string[]; labels: Record<string, string>; annotations: string[] } {
  const labels: Record<string, string> = {};
  const meta = result.metadataAction ?? NO_METADATA;
  for (const line of meta.labels) {
    const equals = line.indexOf('=');
    labels[line.slice(0, equals)] = line.slice(equals + 1);
  }
  return { tags: result.references, labels, annotations: meta.annotations };
}

export function outputsOf(result: PipelineResult): RunOutputs {
  const meta = result.metadataAction ?? NO_METADATA;
  return {
    registry: result.registry,
    image: result.image,
    tags: result.references.join(meta.separators.tags),
    'tag-names': result.tags.join(meta.separators.tags),
    version: meta.version,
    labels: meta.labels.join(meta.separators.labels),
    annotations: meta.annotations.join(meta.separators.annotations),
    json: JSON.stringify(jsonOutputOf(result)),
    digest: result.digest,
    imageid: result.imageId,
    metadata: JSON.stringify(metadataOf(result)),
    deployments: JSON.stringify(deploymentsOf(result.deployments)),
    logins: JSON.stringify(result.logins ?? []),
  };
}
