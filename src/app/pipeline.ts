import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkShareDeadlines } from '../domain/targets/share-with.js';
import type { Builder } from '../build/build-command.js';
import { probeDocker, type DockerTools } from '../build/docker-probe.js';
import { ConfigError, type Config } from '../config/types.js';
import { resolveRunCredentials } from './run-credentials.js';
import type { CloudCredentialProviders } from './registry-auth-logins.js';
import { maskKubeTargetSecrets } from '../deploy/kubernetes/mask-secrets.js';
import type { DeployResult } from '../domain/targets/deploy-result.js';
import { describePlan, makePlan, modeOf, type Plan } from './plan.js';
import type { StepKind } from './plan-steps.js';
import type { Ports } from '../ports.js';
import { runClients } from './run-clients.js';
import type { RegistryClient } from '../registry/client.js';
import type { SourceContext } from '../domain/source-context.js';
import { runStep, type RunState } from './steps/run-step.js';
import { maskConfigSecrets, NO_DOCKER, preflightKubeconfig, warnOncePerText } from './steps/prepare.js';

export { describeLogin } from './steps/describe-login.js';

export interface PipelineOptions {
  ports: Ports;
  source: SourceContext;
  /** Workspace directory: relative inputs were resolved against it; errors show paths relative to it. */
  cwd: string;
  /** Environment for docker (DOCKER_CONFIG, DOCKER_HOST…); defaults to process.env. */
  env?: Readonly<Record<string, string | undefined>>;
  /** A docker probe already under way (the action starts one before loading anything else). */
  docker?: Promise<DockerTools>;
  /** Called just before each registry login (the step's and every registry-auth entry's), so the host can log out later even if the run fails midway. */
  onLogin?: (registry: string) => void | Promise<void>;
  /** Keyless with export-credentials: the temporary credentials for later steps (already masked). */
  onExportCredentials?: (variables: Record<string, string>) => void | Promise<void>;
  /** Where registry-auth provider entries get their cloud keys; default the step's keys (a keyless host passes OIDC-backed ones). */
  credentialProviders?: CloudCredentialProviders;
}

export interface PipelineResult {
  dryRun: boolean;
  registry: string;
  /** `registry/namespace/image` */
  image: string;
  /** Bare tags. */
  tags: string[];
  /** Full references that were pushed (or would be, in a dry run). */
  references: string[];
  /** Manifest digest read back from the registry; '' when not pushed. */
  digest: string;
  imageId: string;
  loginUser: string;
  /** 'none' when nothing was built (deploy-only, copy, merge). */
  builder: Builder | 'none';
  /** How the image came to be: built here, copied, merged from digests, or already there (deploy-only). */
  mode: Plan['mode'];
  labels: Record<string, string>;
  /** One entry per function, workload and trigger updated. */
  deployments: DeployResult[];
  /** Where replicate-to copied the image, with the digest read back there. */
  replicas: { image: string; digest: string }[];
  /** What retention kept and deleted, when it ran; in a dry run, `planned` is what it would delete. */
  retention: { kept: string[]; deleted: string[]; planned?: string[] } | undefined;
  /** The plan as printed. */
  plan: string[];
  /** Registry hosts this run logged in to in the Docker config (registry-auth entries, then the step's own registry), in order. */
  logins?: string[];
  /** docker/metadata-action's outputs for this run: version, labels, annotations, and how to join them (runPipeline always sets it). */
  metadataAction?: MetadataOutputs;
  /** The plan's steps this run carried out, in order (a dry run carries out none; its retention preview is listed as 'retention'). */
  stepsRun?: StepKind[];
}

/** What the version, tag-names, labels, annotations and json outputs are made of. */
export interface MetadataOutputs {
  version: string;
  /** `name=value`, sorted. */
  labels: string[];
  /** `level:name=value`. */
  annotations: string[];
  separators: { tags: string; labels: string; annotations: string };
  /** Also export the outputs as DOCKER_METADATA_OUTPUT_* variables (GitHub Actions). */
  setOutputEnv: boolean;
}

/**
 * Walks the plan's steps (plan-steps.ts), in order. Everything is validated
 * (the config by parseConfig, the rest by makePlan and the deploy preflight)
 * before the first side effect; deploy runs only on a verified image.
 */
export async function runPipeline(config: Config, options: PipelineOptions): Promise<PipelineResult> {
  const { logger, exec, clock, secrets } = options.ports;
  const env = options.env ?? process.env;

  maskConfigSecrets(config, options.ports, env);

  // The plan needs the docker tools, so whether to probe docker is asked before it, with the mode rule it uses (mode.ts):
  // only a build talks to docker; package, copy, merge and deploy-only runs go registry to registry.
  const needsDocker = modeOf(config) === 'build';
  const docker = needsDocker ? await (options.docker ?? probeDocker(exec, env, config.build.builder)) : NO_DOCKER;
  // Only a build writes files (its image id or metadata); the other runs skip the directory.
  const tempDir = needsDocker ? await mkdtemp(join(tmpdir(), 'imageship-')) : '';
  try {
    const plan = makePlan({ config, source: options.source, now: clock.now(), docker, tempDir, cwd: options.cwd });
    const kubeTarget = await preflightKubeconfig(config);
    // A share whose end date has passed is a bad input, found before anything is pushed.
    const shareProblems = checkShareDeadlines(config.deploy.shareWith, clock.now());
    if (shareProblems.length > 0) throw new ConfigError(shareProblems);
    if (kubeTarget) maskKubeTargetSecrets(kubeTarget, options.ports);
    const planLines = describePlan(plan).map((line) => secrets.redact(line));
    const result = baseResult(config, plan, planLines);
    const stepsRun: StepKind[] = (result.stepsRun = []);

    if (config.dryRun) {
      await logger.group('Plan (dry run: nothing is logged in, built, pushed or deployed)', async () => planLines.forEach((line) => logger.info(line)));
      for (const warning of config.deploy.warnings) logger.warn(secrets.redact(warning));
      // Of the steps, only retention has a preview (it reads the tags and deletes nothing); the others are shown above.
      for (const step of plan.steps) {
        if (step.kind !== 'retention') continue;
        result.retention = await previewRetention(plan, options.ports, env);
        stepsRun.push(step.kind);
      }
      return result;
    }
    await logger.group('Plan', async () => planLines.forEach((line) => logger.info(line)));
    for (const warning of [...config.deploy.warnings, ...plan.warnings]) logger.warn(secrets.redact(warning));
    const state: RunState = { config, plan, options, env, result, kubeTarget, registryAuthLogins: new Map(), pushed: '' };
    for (const step of plan.steps) {
      await runStep(step, state);
      stepsRun.push(step.kind);
    }
    return result;
  } finally {
    if (tempDir !== '') await rm(tempDir, { recursive: true, force: true });
  }
}

/**
 * A dry run lists the repository's tags and says what retention would delete, deleting nothing (the tags the run
 * would push are kept, as in a real run). Reading needs the run's login, resolved as in a real run; a repository
 * that cannot be read yet (a first push) is a warning, not a failure.
 */
async function previewRetention(plan: Plan, ports: Ports, env: Readonly<Record<string, string | undefined>>): Promise<PipelineResult['retention']> {
  const { config } = plan;
  return ports.logger.group('Retention (dry run: nothing is deleted)', async () => {
    try {
      const registryClient = async (): Promise<RegistryClient> => {
        const credentials = await resolveRunCredentials(config, ports, env);
        const warn = warnOncePerText((message) => ports.logger.warn(ports.secrets.redact(message)));
        return runClients({ config, ports, credentials, env, warn }).clientFor(config.registry);
      };
      const { applyConfiguredRetention } = await import('./cloud-steps.js');
      const preview = await applyConfiguredRetention(config, ports, registryClient, plan.tags, true);
      return preview && { kept: preview.kept, deleted: [], planned: preview.planned };
    } catch (error) {
      ports.logger.warn(ports.secrets.redact(`retention: no preview, the tags of ${config.destination} could not be listed: ${error instanceof Error ? error.message : String(error)}`));
      return undefined;
    }
  });
}

function baseResult(config: Config, plan: Plan, planLines: string[]): PipelineResult {
  return {
    dryRun: config.dryRun,
    registry: config.registry,
    image: config.destination,
    tags: [...plan.tags],
    references: [...plan.references],
    digest: '',
    imageId: '',
    loginUser: plan.loginUser,
    builder: plan.build?.builder ?? 'none',
    mode: plan.mode,
    labels: Object.fromEntries(plan.labels),
    deployments: [],
    replicas: [],
    retention: undefined,
    plan: planLines,
    logins: [],
    metadataAction: {
      version: plan.metadata.version,
      labels: plan.metadata.labels.map(([name, value]) => `${name}=${value}`),
      annotations: [...plan.metadata.annotations],
      separators: { ...config.metadata.separators },
      setOutputEnv: config.metadata.setOutputEnv,
    },
  };
}

/** What a finished run did, in the words the summaries use. */
export function describeOutcome(result: Pick<PipelineResult, 'mode' | 'digest' | 'deployments'>): string {
  switch (result.mode) {
    case 'deploy-only':
      return 'image deployed';
    case 'copy':
      return result.deployments.length > 0 ? 'image copied and deployed' : 'image copied';
    case 'merge':
      return result.deployments.length > 0 ? 'index merged and deployed' : 'index merged';
    case 'package':
      return result.deployments.length > 0 ? 'image assembled from the package and deployed' : 'image assembled from the package';
    case 'build':
      if (result.digest === '') return 'image built (not pushed)';
      return result.deployments.length > 0 ? 'image pushed and deployed' : 'image pushed';
  }
}
