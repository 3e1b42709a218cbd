import { join } from 'node:path';
import type { BuildSettings } from '../domain/build-settings.js';

export type Builder = 'buildx' | 'classic';

/** A `secrets` value handed to BuildKit through a file: written (mode 0600) just before the build, removed after it. */
export interface SecretFile {
  readonly path: string;
  readonly value: string;
}

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
  /** The image ends in the daemon's image store (classic, the docker driver, or --load), so `docker image inspect` knows it. */
  loadsLocally: boolean;
  /** Files to write before the build (the `secrets` values). */
  secretFiles: SecretFile[];
}

export interface BuildCommandInput {
  builder: Builder;
  settings: BuildSettings;
  /** Full references to tag the image with. */
  references: readonly string[];
  /** Labels, user labels already merged over the computed OCI labels. */
  labels: readonly (readonly [string, string])[];
  /** buildx `--annotation` values, `level:name=value` (buildx only; the plan refuses them elsewhere). */
  annotations?: readonly string[];
  push: boolean;
  /** Push by digest only (buildx): the image gets no tag, the digest is the handle. */
  pushByDigest?: boolean;
  /** `registry/repository`, named in the buildx output for a push by digest. */
  destination?: string;
  resultFile: string;
  /** The buildx builder's driver ('docker' loads every image it builds); '' when unknown. */
  driver?: string;
  /** buildx knows `--provenance` (≥ 0.10); older ones refuse the flag. */
  attestationFlags?: boolean;
  /** Where the `secrets` values are written for the build (a directory only this run uses). */
  secretDir?: string;
}

/** Pure: the docker argv for a build. Kept separate so it can be printed in a dry run and unit-tested. */
export function buildCommand(input: BuildCommandInput): BuildCommand {
  const { settings } = input;
  const args = input.builder === 'buildx' ? ['buildx', 'build'] : ['build'];
  if (input.builder === 'buildx' && settings.builder !== '' && settings.builder !== 'classic') args.push('--builder', settings.builder);
  args.push('--file', settings.dockerfile);
  if (!input.pushByDigest) for (const reference of input.references) args.push('--tag', reference);
  for (const [name, value] of input.labels) args.push('--label', `${name}=${value}`);
  for (const [name, value] of settings.buildArgs) args.push('--build-arg', `${name}=${value}`);
  if (settings.target !== '') args.push('--target', settings.target);
  if (settings.noCache) args.push('--no-cache');
  if (settings.pull) args.push('--pull');
  for (const source of settings.cacheFrom) args.push('--cache-from', source);

  const secretFiles: SecretFile[] = [];
  let loadsLocally = true;
  if (input.builder === 'buildx') {
    if (settings.platforms.length > 0) args.push('--platform', settings.platforms.join(','));
    for (const annotation of input.annotations ?? []) args.push('--annotation', annotation);
    for (const destination of settings.cacheTo) args.push('--cache-to', destination);
    for (const secret of settings.secrets) {
      if (secret.kind === 'value') {
        const path = join(input.secretDir ?? '.', `secret-${secretFiles.length + 1}`);
        secretFiles.push({ path, value: secret.value });
        args.push('--secret', `id=${secret.id},src=${path}`);
      } else if (secret.kind === 'file') {
        args.push('--secret', `id=${secret.id},src=${secret.path}`);
      } else {
        args.push('--secret', `id=${secret.id},env=${secret.variable}`);
      }
    }
    args.push('--metadata-file', input.resultFile);
    // A multi-platform build cannot be loaded into the classic image store, so
    // pushing happens in the build; a single-platform one is also loaded so
    // later steps can `docker run` it.
    if (input.pushByDigest) {
      args.push('--output', `type=image,name=${input.destination ?? ''},push-by-digest=true,name-canonical=true,push=true`);
    } else {
      args.push(input.push ? '--push' : '--load');
    }
    // buildx ≥ 0.10 adds a provenance attestation by default, which turns the
    // image into an index; FunctionGraph wants one image manifest, so it is off
    // unless asked for.
    if (input.attestationFlags ?? true) args.push(`--provenance=${settings.provenance || 'false'}`);
    if (settings.sbom !== '') args.push(`--sbom=${settings.sbom}`);
    loadsLocally = !input.pushByDigest && (!input.push || input.driver === 'docker');
  } else {
    // A failed RUN would leave its stopped container behind on the runner; BuildKit never does.
    args.push('--force-rm', '--iidfile', input.resultFile);
  }
  args.push(settings.context);

  return {
    builder: input.builder,
    args,
    env: input.builder === 'classic' ? { DOCKER_BUILDKIT: '0' } : {},
    resultFile: input.resultFile,
    pushesItself: input.builder === 'buildx' && input.push,
    loadsLocally,
    secretFiles,
  };
}
