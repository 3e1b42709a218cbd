/**
 * Which builder a build uses and whether it can do what the inputs ask, decided
 * before any login or build. The buildx docker driver (what a runner has
 * before docker/setup-buildx-action) builds and pushes, but refuses cache
 * export, several platforms, push by digest and attestations; it only says so
 * after the login, in a line the user has to decode. Here the same limits are
 * one line each, naming the driver and the fix.
 */
import type { BuildSettings } from '../domain/build-settings.js';
import type { Builder } from './build-command.js';
import type { DockerTools } from './docker-probe.js';

export interface BuilderRequest {
  readonly settings: BuildSettings;
  readonly pushByDigest: boolean;
  /** A dry run may plan without a daemon. */
  readonly dryRun: boolean;
  /** Annotations were asked for (`annotations`, DOCKER_METADATA_ANNOTATIONS_LEVELS): buildx `--annotation`. */
  readonly annotations?: boolean;
}

export interface BuilderDecision {
  readonly builder: Builder;
  /** The buildx driver ('' for the classic builder or when unknown). */
  readonly driver: string;
  readonly problems: string[];
  readonly warnings: string[];
}

const SETUP_BUILDX = 'add docker/setup-buildx-action before this step (its builder is used automatically), or name a BuildKit builder in builder';

export function decideBuilder({ settings, pushByDigest, dryRun, annotations = false }: BuilderRequest, docker: DockerTools): BuilderDecision {
  const problems: string[] = [];
  const warnings: string[] = [];
  const wantsClassic = settings.builder === 'classic';
  if (!docker.buildx || wantsClassic) {
    if (!docker.buildx && !wantsClassic && settings.builder !== '' && !dryRun) {
      problems.push(`builder: "${settings.builder}" is a buildx builder, but docker buildx is not installed: add docker/setup-buildx-action (or install the docker-buildx plugin), or remove builder`);
    }
    problems.push(...classicLimits(settings, pushByDigest, wantsClassic, annotations));
    return { builder: 'classic', driver: '', problems, warnings };
  }

  const info = docker.builder;
  if (!info) {
    const named = settings.builder === '' ? 'the current buildx builder' : `buildx builder "${settings.builder}"`;
    problems.push(`builder: ${named} cannot be used (${docker.builderProblem || 'docker buildx inspect failed'}): check \`docker buildx ls\`, create it (docker/setup-buildx-action), or set builder to one that exists`);
    return { builder: 'buildx', driver: '', problems, warnings };
  }

  // buildx refuses push-by-digest on the docker driver even with the containerd image store (seen with buildx 0.13).
  if (pushByDigest && info.driver === 'docker') {
    problems.push(
      `push-by-digest: the buildx builder "${info.name}" uses the docker driver, which cannot push an image by digest without a tag: ${SETUP_BUILDX}, or push per-platform tags (e.g. type=sha,suffix=-arm64) and merge their digests`,
    );
  }
  const plainDockerDriver = info.driver === 'docker' && !docker.containerdStore;
  if (plainDockerDriver) {
    const limit = (input: string, what: string): string =>
      `${input}: the buildx builder "${info.name}" uses the docker driver, which cannot ${what}: ${SETUP_BUILDX}, or turn on the containerd image store in the Docker daemon`;
    const exported = settings.cacheTo.filter((destination) => !/(^|,)type=inline(,|$)/.test(destination));
    if (exported.length > 0) problems.push(limit('cache-to', `export a build cache (${exported[0]})`));
    if (settings.platforms.length > 1) problems.push(limit('platforms', `build several platforms at once (${settings.platforms.join(', ')})`));
    if (settings.provenance !== '') problems.push(limit('provenance', 'attach attestations'));
    if (settings.sbom !== '') problems.push(limit('sbom', 'attach attestations'));
    // Seen with dockerd 20.10: the build succeeds and the pushed manifest simply has no annotations.
    if (annotations) problems.push(limit('annotations', 'add annotations (it pushes the image without them)'));
  }
  if (annotations && docker.buildxVersion !== '' && olderThan(docker.buildxVersion, '0.12.0')) {
    problems.push(`annotations: buildx --annotation needs buildx 0.12 or newer, and this runner has ${docker.buildxVersion}: update buildx (docker/setup-buildx-action installs a current one), or remove annotations`);
  }
  if ((settings.provenance !== '' || settings.sbom !== '') && docker.buildxVersion !== '' && olderThan(docker.buildxVersion, '0.10.0')) {
    problems.push(`${settings.provenance !== '' ? 'provenance' : 'sbom'}: attestations need buildx 0.10 or newer, and this runner has ${docker.buildxVersion}: update buildx (docker/setup-buildx-action installs a current one)`);
  }
  const known = new Set(info.platforms.map(baseOf));
  const foreign = settings.platforms.filter((platform) => known.size > 0 && !known.has(baseOf(platform)));
  if (foreign.length > 0 && !plainDockerDriver) {
    // Not an error: a Dockerfile without RUN (FROM scratch + COPY) builds for any platform.
    warnings.push(
      `platforms: builder "${info.name}" does not list ${foreign.join(', ')} (it lists ${info.platforms.join(', ')}): RUN steps for those platforms need emulation (docker/setup-qemu-action) or a native node`,
    );
  }
  return { builder: 'buildx', driver: info.driver, problems, warnings };
}

/** What only BuildKit (buildx) can do. */
function classicLimits(settings: BuildSettings, pushByDigest: boolean, chosen: boolean, annotations: boolean): string[] {
  const problems: string[] = [];
  const needs = (input: string, extra = ''): string =>
    chosen
      ? `${input}: needs docker buildx, but builder: classic selects the classic builder${extra}: remove builder: classic, or remove ${input}`
      : `${input}: needs docker buildx, which this runner lacks${extra}: add docker/setup-buildx-action before this step (or install the docker-buildx plugin), or remove ${input}`;
  if (settings.platforms.length > 0) problems.push(needs('platforms'));
  if (settings.cacheTo.length > 0) problems.push(needs('cache-to'));
  const buildxCache = settings.cacheFrom.find((source) => source.includes('type='));
  if (buildxCache) problems.push(`cache-from: "${buildxCache}" is a buildx cache source; ${needs('cache-from').replace(/^cache-from: /, '')} (or give an image reference)`);
  const secret = settings.secrets[0];
  if (secret) problems.push(needs(secret.kind === 'value' ? 'secrets' : secret.kind === 'file' ? 'secret-files' : 'secret-envs', ' (build secrets are a BuildKit feature)'));
  if (settings.provenance !== '') problems.push(needs('provenance'));
  if (settings.sbom !== '') problems.push(needs('sbom'));
  if (pushByDigest) problems.push(needs('push-by-digest', ' (the classic builder cannot push without a tag)'));
  if (annotations) problems.push(needs('annotations', ' (the classic builder cannot add annotations; also unset DOCKER_METADATA_ANNOTATIONS_LEVELS)'));
  return problems;
}

/** linux/arm64/v8 and linux/arm64 are the same machine for this check. */
function baseOf(platform: string): string {
  return platform.split('/').slice(0, 2).join('/');
}

function olderThan(version: string, than: string): boolean {
  const a = version.split('.').map(Number);
  const b = than.split('.').map(Number);
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) < (b[i] ?? 0);
  return false;
}
