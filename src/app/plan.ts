import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { buildCommand, type BuildCommand, type Builder } from '../build/build-command.js';
import { decideBuilder } from '../build/builder-capabilities.js';
import { checkBuildFiles } from '../build/dockerfile.js';
import type { DockerTools } from '../build/docker-probe.js';
import { ConfigError, type Config, type RegistryAuthEntry } from '../config/types.js';
import { chooseLogin } from '../domain/credential-scope.js';
import { loginScopeOf } from './run-credentials.js';
import { shortAccessKey } from '../domain/swr-login.js';
import { redactUrl } from '../domain/targets/url-secrets.js';
import { describeRetention } from '../domain/retention/policy.js';
import { computeRunMetadata, type RunMetadata } from './metadata.js';
import type { SourceContext } from '../domain/source-context.js';
import type { TagRewrite } from '../domain/tags/index.js';
import { runModeOf, type RunMode } from './mode.js';
import { describePackage } from '../package/describe.js';
import { packagePlanProblems } from '../package/plan-checks.js';
import { describeSteps, planSteps, type PlanStep } from './plan-steps.js';

export type { PlanStep } from './plan-steps.js';

/** What a run will do, fully decided before anything is touched. */
export interface Plan {
  readonly config: Config;
  /** Login user as it may be shown (AK shortened), '' for anonymous. */
  readonly loginUser: string;
  /** Hint for a 401: which user was tried and what to check. */
  readonly loginHint: string;
  /** Hint for `denied`: the provider's usual causes. */
  readonly deniedHint: string;
  readonly tags: readonly string[];
  /** `destination:tag` for every tag. */
  readonly references: readonly string[];
  readonly version: string;
  /** The labels the build gives the image ([] when nothing is built). */
  readonly labels: readonly (readonly [string, string])[];
  /** docker/metadata-action's view of the run: what the version, labels, annotations and json outputs report. */
  readonly metadata: PlanMetadata;
  /**
   * Annotations imageship writes into a manifest it pushes itself: the new
   * index of a merge (the computed set), or the copied manifest of a copy
   * (the `annotations` input). Empty: the manifest is pushed as it is.
   */
  readonly manifestAnnotations: Readonly<Record<string, string>>;
  /** How the image comes to be: built here, copied from source-image, merged from digests, or already there (deploy-image). */
  readonly mode: RunMode;
  /** undefined unless mode is 'build'. */
  readonly build: BuildCommand | undefined;
  /** The builder chosen and what its driver can do; undefined unless mode is 'build'. */
  readonly builder?: BuilderCapabilities;
  /** The tag FunctionGraph and triggers get ('' when a deploy-only image has only a digest). */
  readonly deployTag: string;
  /** Things worth a warning that do not stop the run (e.g. a platform the builder does not list). */
  readonly warnings: readonly string[];
  /** Written-out tags that were rewritten to valid Docker tags; the plan names each. */
  readonly tagRewrites?: readonly TagRewrite[];
  /** What the run does, in order (the pipeline walks this list; a dry run prints it). */
  readonly steps: readonly PlanStep[];
}

export interface BuilderCapabilities {
  readonly builder: Builder;
  /** The buildx driver ('' for the classic builder or when unknown). */
  readonly driver: string;
  /** buildx knows `--provenance`/`--sbom` (≥ 0.10). */
  readonly attestationFlags: boolean;
}

export interface PlanMetadata {
  readonly version: string;
  /** `[name, value]`, sorted. */
  readonly labels: readonly (readonly [string, string])[];
  /** `level:name=value`. */
  readonly annotations: readonly string[];
}

const NO_METADATA: PlanMetadata = Object.freeze({ version: '', labels: [], annotations: [] });

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
  const decided = decidePlan(input);
  const steps = planSteps({ config: input.config, mode: decided.mode, pushesItself: decided.build?.pushesItself, builder: decided.build?.builder, references: decided.references });
  return Object.freeze({ ...decided, steps: Object.freeze(steps) });
}

function decidePlan(input: PlanInput): Omit<Plan, 'steps'> {
  const { config } = input;
  const problems: string[] = [];
  const { loginUser, loginHint, deniedHint } = describeLogin(config);
  const mode = modeOf(config);

  if (mode === 'deploy-only' && config.deployImage) {
    // Deploy-only: no docker, no build; the image is checked in the registry instead.
    const tag = config.deployImage.tag ?? config.deploy.functionTag;
    const login = deployImageLogin(config, { loginUser, loginHint });
    return Object.freeze({
      config,
      ...login,
      deniedHint,
      mode: 'deploy-only',
      tags: tag === '' ? [] : [tag],
      references: tag === '' ? [] : [`${config.destination}:${tag}`],
      version: '',
      labels: [],
      metadata: NO_METADATA,
      manifestAnnotations: {},
      build: undefined,
      deployTag: tag,
      warnings: [],
    });
  }

  let meta: RunMetadata | undefined;
  try {
    meta = computeRunMetadata({
      rules: config.tagRules,
      destination: config.destination,
      userLabels: config.build.labels,
      settings: config.metadata,
      source: input.source,
      now: input.now,
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    problems.push(message.startsWith('tags:') ? message : `tags: ${message}`);
  }
  const tags = meta?.tags ?? [];
  const version = meta?.version ?? '';
  const metadata: PlanMetadata = meta ? { version, labels: meta.labels, annotations: meta.leveledAnnotations } : NO_METADATA;
  const deployTag = chooseDeployTag(config, tags, meta?.fixedTags ?? [], problems);
  const references = tags.map((tag) => `${config.destination}:${tag}`);
  const notes = meta?.notes ?? [];

  if (mode === 'package' && config.package) {
    // Assembled through the registry API from a software package: no Dockerfile, no docker daemon (src/package/).
    problems.push(...packagePlanProblems(config.package, input.cwd));
    if (problems.length > 0) throw new ConfigError(problems);
    return Object.freeze({ config, loginUser, loginHint, deniedHint, mode: 'package', tags, references, version, labels: meta?.labels ?? [], metadata, manifestAnnotations: {}, build: undefined, deployTag, warnings: notes, tagRewrites: meta?.rewritten ?? [] });
  }
  if (mode !== 'build') {
    // Registry to registry: no Dockerfile, no docker daemon.
    if (problems.length > 0) throw new ConfigError(problems);
    // A merged index is new, so it always carries the annotations; a copy keeps its digest unless annotations are asked for.
    const manifestAnnotations = Object.fromEntries(mode === 'merge' ? (meta?.annotations ?? []) : (meta?.userAnnotations ?? []));
    return Object.freeze({ config, loginUser, loginHint, deniedHint, mode, tags, references, version, labels: [], metadata, manifestAnnotations, build: undefined, deployTag, warnings: notes, tagRewrites: meta?.rewritten ?? [] });
  }

  problems.push(...checkBuildFiles(config.build.context, config.build.dockerfile, config.build.dockerfileGiven, input.cwd));
  problems.push(...checkDocker(input));
  const annotate = config.metadata.applyAnnotations;
  const decision = decideBuilder({ settings: config.build, pushByDigest: config.copy.pushByDigest, dryRun: config.dryRun, annotations: annotate }, input.docker);
  problems.push(...decision.problems);
  const indexLevel = config.metadata.annotationLevels.find((level) => level.startsWith('index'));
  if (annotate && indexLevel !== undefined && config.build.platforms.length < 2) {
    problems.push(
      `DOCKER_METADATA_ANNOTATIONS_LEVELS: "${indexLevel}" annotations need an index, which only a multi-platform build makes (BuildKit refuses index annotations for a single platform): use manifest, or build two or more platforms`,
    );
  }
  for (const secret of config.build.secrets) {
    if (secret.kind === 'file' && !existsSync(secret.path)) problems.push(`secret-files: ${secret.path} (secret ${secret.id}) does not exist: check the path (relative to the workspace)`);
  }
  if ((config.build.provenance !== '' || config.build.sbom !== '') && config.deploy.functionUrns.length > 0) {
    problems.push(
      `${config.build.provenance !== '' ? 'provenance' : 'sbom'}: an attestation turns the pushed image into an index, and FunctionGraph (function-urn) takes only a single image manifest: remove ${config.build.provenance !== '' ? 'provenance' : 'sbom'}, or deploy the function from another step`,
    );
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const labels = meta?.labels ?? [];
  const builder = decision.builder;
  const capabilities: BuilderCapabilities = {
    builder,
    driver: decision.driver,
    attestationFlags: input.docker.buildxVersion === '' || !/^0\.[0-9]\./.test(input.docker.buildxVersion),
  };
  const command = buildCommand({
    builder,
    settings: config.build,
    references,
    labels,
    annotations: annotate ? (meta?.leveledAnnotations ?? []) : [],
    push: config.push,
    pushByDigest: config.copy.pushByDigest,
    destination: config.destination,
    resultFile: join(input.tempDir, builder === 'buildx' ? 'build-metadata.json' : 'image-id.txt'),
    driver: capabilities.driver,
    attestationFlags: capabilities.attestationFlags,
    secretDir: input.tempDir,
  });
  const warnings = [...notes, ...decision.warnings];
  const built = { config, loginUser, loginHint, deniedHint, mode: 'build' as const, version, labels, metadata, manifestAnnotations: {}, build: command, builder: capabilities, warnings, tagRewrites: meta?.rewritten ?? [] };
  if (config.copy.pushByDigest) {
    // No tag at all: the digest output is the handle a merge-digests step takes.
    return Object.freeze({ ...built, tags: [], references: [], deployTag: '' });
  }
  return Object.freeze({ ...built, tags, references, deployTag });
}

/** The run's mode, from the inputs that choose it. */
export function modeOf(config: Config): RunMode {
  return runModeOf({ deployImage: config.deployImage !== undefined, package: config.package !== undefined, sourceImage: config.copy.sourceImage !== undefined, mergeDigests: config.copy.mergeDigests.length > 0 });
}

function checkDocker({ config, docker }: PlanInput): string[] {
  const problems: string[] = [];
  if (!config.dryRun) {
    if (!docker.cli) problems.push('docker: the docker CLI was not found on PATH: install Docker, or run on a runner that has it (ubuntu-latest does)');
    else if (!docker.daemon) problems.push(`docker: the Docker daemon did not answer (${docker.problem}): start it, or run on a runner with Docker`);
  }
  return problems;
}

/**
 * `function-tag`, or the first fixed tag (a stable name such as `latest` is
 * what a function is usually meant to follow), or the first tag.
 */
function chooseDeployTag(config: Config, tags: readonly string[], fixedTags: readonly string[], problems: string[]): string {
  const wanted = config.deploy.functionTag;
  if (wanted !== '') {
    if (tags.length > 0 && !tags.includes(wanted)) problems.push(`function-tag: "${wanted}" is not among the pushed tags (${tags.join(', ')}): pick one of them`);
    return wanted;
  }
  return fixedTags[0] ?? tags[0] ?? '';
}

/**
 * The login a deploy-only run reads its image with: the deploy-image host
 * may be anything (a public image elsewhere), and the configured login goes
 * only where it belongs (credential-scope.ts).
 */
function deployImageLogin(config: Config, configured: { loginUser: string; loginHint: string }): { loginUser: string; loginHint: string } {
  if (config.login.kind === 'anonymous') return configured;
  const choice = chooseLogin(config.registry, loginScopeOf(config, false));
  if (choice.kind === 'configured') return configured;
  if (choice.kind === 'swr-region' && config.login.kind === 'swr-aksk') {
    const loginUser = `${choice.region}@${shortAccessKey(config.login.accessKey)}`;
    return { loginUser, loginHint: swrLoginHint(loginUser) };
  }
  if (choice.kind !== 'elsewhere') return configured;
  return {
    loginUser: '',
    loginHint: `${choice.why}: put a login for ${config.registry} in the Docker config, or set registry: ${config.registry} if the configured login is meant for it`,
  };
}

function describeLogin(config: Config): { loginUser: string; loginHint: string; deniedHint: string } {
  const { login } = config;
  switch (login.kind) {
    case 'swr-aksk': {
      const loginUser = `${login.region}@${shortAccessKey(login.accessKey)}`;
      return { loginUser, loginHint: swrLoginHint(loginUser), deniedHint: SWR_DENIED };
    }
    case 'swr-temporary':
      return {
        loginUser: `temporary SWR login (${temporaryKeysOrigin(config)})`,
        loginHint: `the temporary SWR login was refused: check region, and that the ${config.keyless ? 'agency the OIDC token assumes' : 'temporary keys\' identity'} may use SWR (SWR Admin or a custom policy with swr:*:*)`,
        deniedHint: SWR_DENIED,
      };
    case 'acr-temporary':
      return {
        loginUser: `temporary login (${login.edition === 'enterprise' ? `instance ${login.instanceId}` : 'Personal Edition'}, ${config.keyless ? temporaryKeysOrigin(config) : `key ${shortAccessKey(login.accessKeyId)}`})`,
        loginHint: `the temporary ACR login was refused: check that instance-id/region name the registry you push to, and that the RAM user may log in (cr:GetAuthorizationToken)`,
        deniedHint: ACR_DENIED,
      };
    case 'password':
      return {
        loginUser: login.username,
        loginHint: `check username and password for ${config.registry} (user ${login.username})`,
        deniedHint: config.provider === 'alibabacloud' ? ACR_DENIED : GENERIC_DENIED,
      };
    case 'anonymous':
      return {
        loginUser: '',
        loginHint: `${config.registry} needs a login: set username/password (or access-key/secret-key for SWR/ACR)`,
        deniedHint: GENERIC_DENIED,
      };
  }
}

/** Where a temporary login's keys come from, in the plan's words (no key material). */
function temporaryKeysOrigin(config: Config): string {
  const exchange = config.keyless?.exchange;
  if (exchange === undefined) return config.cloudCredentials ? `temporary key ${shortAccessKey(config.cloudCredentials.accessKey)} with security token` : 'temporary keys';
  switch (exchange.kind) {
    case 'huawei-sts':
      return `keyless: OIDC token → STS AssumeAgencyWithOIDC, agency ${exchange.agencyUrn}`;
    case 'huawei-federation':
      return `keyless: OIDC token → IAM identity provider ${exchange.identityProvider} → temporary keys`;
    case 'alibaba-sts':
      return `keyless: OIDC token → STS AssumeRoleWithOIDC, role ${exchange.roleArn}`;
  }
}

function swrLoginHint(loginUser: string): string {
  return `check access-key, secret-key and region: the login user is ${loginUser} and the password is derived from the secret key; both keys must belong to the account that owns the organization`;
}

const SWR_DENIED =
  'the organization may belong to another account or the organization quota may be exhausted; create the organization in the SWR console under this account, or check the IAM user\'s SWR permissions';
const ACR_DENIED =
  'the namespace may not exist (create it, or enable automatic repository creation for the namespace) or the RAM user lacks cr:PushRepository on it';
const GENERIC_DENIED = 'the user may lack push permission on this repository, or the repository must be created first';

/** Human-readable plan, printed in a dry run and at the start of a real one. */
export function describePlan(plan: Plan): string[] {
  const { config } = plan;
  const lines = [
    `registry:  ${config.registry} (${config.provider})`,
    `login:     ${plan.loginUser !== '' ? plan.loginUser : config.login.kind === 'anonymous' ? 'none (anonymous)' : `not sent to ${config.registry} (it is for ${config.loginRegistry}): the Docker config's login for it, else anonymous`}`,
    `image:     ${config.destination}`,
  ];
  if (plan.build) {
    lines.push(
      `tags:      ${plan.tags.join(', ')}`,
      `build:     docker ${plan.build.args.join(' ')}${plan.build.builder === 'classic' ? ' (classic builder, DOCKER_BUILDKIT=0)' : ''}`,
      `push:      ${config.push ? (plan.build.pushesItself ? 'by buildx, then verify digests' : 'docker push each tag, then verify digests') : 'no (local build only)'}`,
    );
  } else if (plan.mode === 'copy') {
    const source = config.copy.sourceImage;
    lines.push(
      `tags:      ${plan.tags.join(', ')}`,
      `copy:      ${source ? `${source.registry}/${source.repository}${source.tag ? `:${source.tag}` : ''}${source.digest ? `@${source.digest}` : ''}` : ''} → registry to registry, no docker; blobs the destination has are skipped`,
    );
  } else if (plan.mode === 'package' && config.package) {
    lines.push(`tags:      ${plan.tags.join(', ')}`, ...describePackage(config.package, config.build.platforms));
  } else if (plan.mode === 'merge') {
    lines.push(`tags:      ${plan.tags.join(', ')}`, `merge:     ${config.copy.mergeDigests.length} platform digest(s) → one index`);
  } else {
    lines.push(`deploy-only: ${config.deployImage?.tag ? `:${config.deployImage.tag}` : ''}${config.deployImage?.digest ? `@${config.deployImage.digest}` : ''} (checked in the registry, not built)`);
  }
  for (const { written, pushed } of plan.tagRewrites ?? []) {
    lines.push(`tag:       "${written}" is pushed as "${pushed}" (a Docker tag holds only letters, digits, "_", "." and "-", 128 at most)`);
  }
  const annotationCount = Object.keys(plan.manifestAnnotations).length;
  if (plan.mode === 'merge' && annotationCount > 0) lines.push(`annotations: ${annotationCount} on the new index`);
  if (plan.mode === 'copy' && annotationCount > 0) lines.push(`annotations: ${annotationCount} added to the copied manifest (so its digest changes)`);
  const { copy } = config;
  if (copy.createNamespace) lines.push(`namespace: create ${config.repository.split('/')[0]} if missing (SWR API)`);
  if (copy.loginMode === 'temporary') lines.push('login-mode: temporary (SWR API, 6 h)');
  for (const replica of copy.replicateTo) lines.push(`replicate: → ${replica.registry}/${replica.repository}`);
  for (const entry of config.registryAuth.entries) lines.push(`login+:    ${entry.registry} (registry-auth entry ${entry.index}: ${describeRegistryAuthEntry(entry)})`);
  if (copy.retention) lines.push(`retention: ${describeRetention(copy.retention)} (tags just pushed are kept)`);
  const { deploy } = config;
  // What the function will run: the deploy tag, else the digest (deploy-only by digest, or a push by digest).
  const functionImage = plan.deployTag !== ''
    ? `${config.destination}:${plan.deployTag}`
    : `${config.destination}@${config.deployImage?.digest ?? '<digest of the push>'}`;
  for (const urn of deploy.functionUrns) lines.push(`function:  ${urn} ← ${functionImage}`);
  for (const workload of deploy.workloads) lines.push(`workload:  ${workload.text} ← pinned by digest (rollout-timeout ${deploy.rolloutTimeoutMs / 1000} s)`);
  for (const workload of deploy.cciWorkloads) lines.push(`cci:       ${workload.text} ← pinned by digest (rollout-timeout ${deploy.rolloutTimeoutMs / 1000} s)`);
  for (const name of deploy.fcFunctions) lines.push(`fc:        ${config.region}/${name} ← ${functionImage} (read back until FC resolves the pushed digest)`);
  for (const appId of deploy.saeAppIds) lines.push(`sae:       ${config.region}/${appId} ← ${functionImage} (change order followed, rollout-timeout ${deploy.rolloutTimeoutMs / 1000} s)`);
  for (const url of deploy.triggers) lines.push(`trigger:   POST ${redactUrl(url)}`);
  for (const share of deploy.shareWith) lines.push(`share:     ${config.repository} with ${share.account} (${share.permit}${share.until ? ` until ${share.until}` : ', no end'})`);
  lines.push(...describeSteps(plan.steps));
  return lines;
}

/** A registry-auth entry in the plan: who logs in, never a secret. */
function describeRegistryAuthEntry(entry: RegistryAuthEntry): string {
  switch (entry.kind) {
    case 'password':
      return `user ${entry.username}`;
    case 'huaweicloud':
      return `SWR ${entry.region}, login from the step's Huawei Cloud keys`;
    case 'alibabacloud':
      return `ACR ${entry.region}${entry.edition === 'enterprise' ? ` instance ${entry.instanceId}` : ''}, temporary login from the step's Alibaba Cloud keys`;
  }
}
