import { join } from 'node:path';
import { buildCommand, type BuildCommand } from './build/build-command.js';
import { checkBuildFiles } from './build/dockerfile.js';
import type { DockerTools } from './build/docker-probe.js';
import { ConfigError, type Config } from './config/types.js';
import { shortAccessKey } from './credentials/swr-login.js';
import { ociLabels } from './labels.js';
import type { SourceContext } from './source/context.js';
import { computeTags } from './tags/index.js';

/** What a run will do, fully decided before anything is touched. */
export interface Plan {
  readonly config: Config;
  /** Login user as it may be shown (AK shortened), '' for anonymous. */
  readonly loginUser: string;
  /** Hint for a 401: which user was tried and what to check. */
  readonly loginHint: string;
  readonly tags: readonly string[];
  /** `destination:tag` for every tag. */
  readonly references: readonly string[];
  readonly version: string;
  readonly labels: readonly (readonly [string, string])[];
  readonly build: BuildCommand;
}

export interface PlanInput {
  config: Config;
  source: SourceContext;
  now: Date;
  docker: DockerTools;
  /** Directory for the builder's result file. */
  tempDir: string;
  /** For showing paths relative to the workspace in errors. */
  cwd: string;
}

/**
 * Derives the plan and checks everything that needs the source context, the
 * file system or the docker tools. Throws ConfigError with every problem.
 */
export function makePlan(input: PlanInput): Plan {
  const { config, docker } = input;
  const problems: string[] = [];

  let tags: string[] = [];
  let version = '';
  try {
    ({ tags, version } = computeTags({ rules: config.tagRules, destination: config.destination }, input.source, input.now));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    problems.push(message.startsWith('tags:') ? message : `tags: ${message}`);
  }

  problems.push(...checkBuildFiles(config.build.context, config.build.dockerfile, config.build.dockerfileGiven, input.cwd));

  if (!config.dryRun) {
    if (!docker.cli) problems.push('docker: the docker CLI was not found on PATH: install Docker, or run on a runner that has it (ubuntu-latest does)');
    else if (!docker.daemon) problems.push(`docker: the Docker daemon did not answer (${docker.problem}): start it, or run on a runner with Docker`);
  }
  const { build } = config;
  if (!docker.buildx) {
    if (build.platforms.length > 0) {
      problems.push('platforms: needs docker buildx, which this runner lacks: install it (e.g. docker/setup-buildx-action) or remove platforms');
    }
    if (build.cacheTo.length > 0) problems.push('cache-to: needs docker buildx, which this runner lacks: install buildx or remove cache-to');
    const buildxOnly = build.cacheFrom.find((source) => source.includes('type='));
    if (buildxOnly) problems.push(`cache-from: "${buildxOnly}" is a buildx cache source; without buildx give an image reference, e.g. ${config.destination}:latest`);
  }

  if (problems.length > 0) throw new ConfigError(problems);

  const references = tags.map((tag) => `${config.destination}:${tag}`);
  const labels = ociLabels(input.source, version, input.now, build.labels);
  const builder = docker.buildx ? 'buildx' : 'classic';
  const command = buildCommand({
    builder,
    settings: build,
    references,
    labels,
    push: config.push,
    resultFile: join(input.tempDir, builder === 'buildx' ? 'build-metadata.json' : 'image-id.txt'),
  });

  const { login } = config;
  const loginUser =
    login.kind === 'swr-aksk' ? `${login.region}@${shortAccessKey(login.accessKey)}` : login.kind === 'password' ? login.username : '';
  const loginHint =
    login.kind === 'swr-aksk'
      ? `check access-key, secret-key and region: the login user is ${loginUser} and the password is derived from the secret key; both keys must belong to the account that owns the organization`
      : login.kind === 'password'
        ? `check username and password for ${config.registry} (user ${login.username})`
        : `${config.registry} needs a login: set username/password (or access-key/secret-key for SWR)`;

  return Object.freeze({ config, loginUser, loginHint, tags, references, version, labels, build: command });
}

/** Human-readable plan, printed in a dry run and at the start of a real one. */
export function describePlan(plan: Plan): string[] {
  const { config } = plan;
  return [
    `registry:  ${config.registry} (${config.provider})`,
    `login:     ${plan.loginUser === '' ? 'none (anonymous)' : plan.loginUser}`,
    `image:     ${config.destination}`,
    `tags:      ${plan.tags.join(', ')}`,
    `build:     docker ${plan.build.args.join(' ')}${plan.build.builder === 'classic' ? ' (classic builder, DOCKER_BUILDKIT=0)' : ''}`,
    `push:      ${config.push ? (plan.build.pushesItself ? 'by buildx, then verify digests' : 'docker push each tag, then verify digests') : 'no (local build only)'}`,
  ];
}
