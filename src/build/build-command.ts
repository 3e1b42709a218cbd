import type { BuildSettings } from '../config/types.js';

export type Builder = 'buildx' | 'classic';

export interface BuildCommand {
  builder: Builder;
  /** argv for `docker`; an array, never a shell string. */
  args: string[];
  /** Extra environment for the docker process. */
  env: Record<string, string>;
  /** Where docker writes the image id (classic) or build metadata (buildx). */
  resultFile: string;
  /** buildx pushes as part of the build; the classic builder needs `docker push`. */
  pushesItself: boolean;
}

export interface BuildCommandInput {
  builder: Builder;
  settings: BuildSettings;
  /** Full references to tag the image with. */
  references: readonly string[];
  /** Labels, user labels already merged over the computed OCI labels. */
  labels: readonly (readonly [string, string])[];
  push: boolean;
  /** Push by digest only (buildx): the image gets no tag, the digest is the handle. */
  pushByDigest?: boolean;
  /** `registry/repository`, named in the buildx output for a push by digest. */
  destination?: string;
  resultFile: string;
}

/** Pure: the docker argv for a build. Kept separate so it can be printed in a dry run and unit-tested. */
export function buildCommand(input: BuildCommandInput): BuildCommand {
  const { settings } = input;
  const args = input.builder === 'buildx' ? ['buildx', 'build'] : ['build'];
  args.push('--file', settings.dockerfile);
  if (!input.pushByDigest) for (const reference of input.references) args.push('--tag', reference);
  for (const [name, value] of input.labels) args.push('--label', `${name}=${value}`);
  for (const [name, value] of settings.buildArgs) args.push('--build-arg', `${name}=${value}`);
  if (settings.target !== '') args.push('--target', settings.target);
  if (settings.noCache) args.push('--no-cache');
  if (settings.pull) args.push('--pull');
  for (const source of settings.cacheFrom) args.push('--cache-from', source);

  if (input.builder === 'buildx') {
    if (settings.platforms.length > 0) args.push('--platform', settings.platforms.join(','));
    for (const destination of settings.cacheTo) args.push('--cache-to', destination);
    args.push('--metadata-file', input.resultFile);
    // A multi-platform build cannot be loaded into the classic image store, so
    // pushing happens in the build; a single-platform one is also loaded so
    // later steps can `docker run` it.
    if (input.pushByDigest) {
      args.push('--output', `type=image,name=${input.destination ?? ''},push-by-digest=true,name-canonical=true,push=true`);
    } else {
      args.push(input.push ? '--push' : '--load');
    }
    args.push('--provenance=false');
  } else {
    args.push('--iidfile', input.resultFile);
  }
  args.push(settings.context);

  return {
    builder: input.builder,
    args,
    env: input.builder === 'classic' ? { DOCKER_BUILDKIT: '0' } : {},
    resultFile: input.resultFile,
    pushesItself: input.builder === 'buildx' && input.push,
  };
}
