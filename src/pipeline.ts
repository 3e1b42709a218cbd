import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Builder } from './build/build-command.js';
import { probeDocker, type DockerTools } from './build/docker-probe.js';
import { runBuild } from './build/run-build.js';
import { hasDeployTargets } from './config/parse-deploy.js';
import { ConfigError, type Config } from './config/types.js';
import { resolveRegistryCredentials } from './credentials/registry-credentials.js';
import { deployAll, maskKubeconfigSecrets } from './deploy/deploy-all.js';
import { parseKubeconfig, type KubeTarget } from './deploy/kubernetes/kubeconfig.js';
import { urlSecrets } from './deploy/trigger.js';
import type { DeployedImage, DeployResult } from './deploy/types.js';
import { describePlan, makePlan, type Plan } from './plan.js';
import type { Ports } from './ports.js';
import { findDeployImage } from './registry/find-image.js';
import { dockerLogin } from './registry/login.js';
import { pushReferences } from './registry/push.js';
import { verifyPushedTags } from './registry/verify.js';
import type { SourceContext } from './source/context.js';

export interface PipelineOptions {
  ports: Ports;
  source: SourceContext;
  /** Workspace directory: relative inputs were resolved against it; errors show paths relative to it. */
  cwd: string;
  /** Environment for docker (DOCKER_CONFIG, DOCKER_HOST…); defaults to process.env. */
  env?: Readonly<Record<string, string | undefined>>;
  /** A docker probe already under way (the action starts one before loading anything else). */
  docker?: Promise<DockerTools>;
  /** Called just before `docker login`, so the host can log out later even if the run fails midway. */
  onLogin?: (registry: string) => void | Promise<void>;
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
  /** 'none' for a deploy-only run. */
  builder: Builder | 'none';
  labels: Record<string, string>;
  /** One entry per function, workload and trigger updated. */
  deployments: DeployResult[];
  /** The plan as printed. */
  plan: string[];
}

/**
 * credentials → login → build → push → verify → deploy. Everything is
 * validated (the config by parseConfig, the rest by makePlan and the deploy
 * preflight) before the first side effect; deploy runs only on a verified
 * image.
 */
export async function runPipeline(config: Config, options: PipelineOptions): Promise<PipelineResult> {
  const { logger, exec, clock, secrets } = options.ports;
  const env = options.env ?? process.env;

  maskConfigSecrets(config, options.ports);

  const deployOnly = config.deployImage !== undefined;
  const docker = deployOnly ? NO_DOCKER : await (options.docker ?? probeDocker(exec, env));
  const tempDir = await mkdtemp(join(tmpdir(), 'imageship-'));
  try {
    const plan = makePlan({ config, source: options.source, now: clock.now(), docker, tempDir, cwd: options.cwd });
    const kubeTarget = await preflightKubeconfig(config);
    const planLines = describePlan(plan).map((line) => secrets.redact(line));
    const result = baseResult(config, plan, planLines);

    if (config.dryRun) {
      await logger.group('Plan (dry run: nothing is logged in, built, pushed or deployed)', async () => planLines.forEach((line) => logger.info(line)));
      return result;
    }
    await logger.group('Plan', async () => planLines.forEach((line) => logger.info(line)));
    const credentials = await resolveRegistryCredentials(config, options.ports);

    let image: DeployedImage | undefined;
    if (config.deployImage) {
      image = await logger.group(`Find ${config.destination} in the registry`, () =>
        findDeployImage({ reference: config.deployImage!, credentials, fetch: options.ports.fetch, loginHint: plan.loginHint, tag: plan.deployTag }),
      );
      result.digest = image.digest;
    } else if (plan.build) {
      // Logged in even without push: the Dockerfile may pull a private base image from the same registry.
      if (credentials) {
        await options.onLogin?.(config.registry);
        await logger.group(`Log in to ${config.registry} as ${plan.loginUser}`, async () => {
          await dockerLogin(exec, { registry: config.registry, ...credentials, loginHint: plan.loginHint, env });
          logger.info('logged in (password on stdin; the post step or dockerLogout removes it)');
        });
      }
      const build = plan.build;
      const built = await logger.group(`Build ${config.destination} (${build.builder})`, () => runBuild(exec, build, env));
      result.imageId = built.imageId;

      if (config.push) {
        if (!build.pushesItself) {
          await logger.group(`Push ${plan.references.length} tag(s)`, () => pushReferences(exec, logger, plan.references, config.registry, { loginHint: plan.loginHint, deniedHint: plan.deniedHint }, env));
        }
        result.digest = await logger.group('Verify the tags in the registry', async () => {
          const digest = await verifyPushedTags({
            registry: config.registry,
            repository: config.repository,
            tags: plan.tags,
            credentials,
            fetch: options.ports.fetch,
            loginHint: plan.loginHint,
            ...(built.pushedDigest ? { expectedDigest: built.pushedDigest } : {}),
          });
          logger.info(`${plan.tags.length} tag(s) → ${digest}`);
          return digest;
        });
        image = deployedImage(config, plan.deployTag, result.digest);
      }
    }

    if (image && hasDeployTargets(config.deploy)) {
      result.deployments = await deployAll(config, image, options.ports, kubeTarget);
    }
    return result;
  } finally {
    await rm(tempDir, { recursive: true, force: true });
  }
}

/** A deploy-only run never talks to docker. */
const NO_DOCKER: DockerTools = { cli: false, daemon: false, clientVersion: '', serverVersion: '', buildx: false, problem: 'not needed' };

function maskConfigSecrets(config: Config, ports: Ports): void {
  const { secrets } = ports;
  // Masked before anything else can print them.
  if (config.cloudCredentials) {
    secrets.add(config.cloudCredentials.secretKey);
    secrets.add(config.cloudCredentials.accessKey);
  }
  if (config.login.kind === 'password') secrets.add(config.login.password);
  if (config.login.kind === 'acr-temporary') {
    secrets.add(config.login.accessKeySecret);
    secrets.add(config.login.accessKeyId);
    secrets.add(config.login.securityToken);
  }
  if (config.deploy.kubeconfig !== '') maskKubeconfigSecrets(config.deploy.kubeconfig, ports);
  for (const url of config.deploy.triggers) for (const secret of urlSecrets(url)) secrets.add(secret);
}

/** The kubeconfig is checked before any side effect, like every other input. */
async function preflightKubeconfig(config: Config): Promise<KubeTarget | undefined> {
  const { kubeconfig, kubeContext } = config.deploy;
  if (kubeconfig === '') return undefined;
  try {
    return await parseKubeconfig(kubeconfig, kubeContext || undefined);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new ConfigError([message.startsWith('kubeconfig:') ? message : `kubeconfig: ${message}`]);
  }
}

function deployedImage(config: Config, tag: string, digest: string): DeployedImage {
  const reference = `${config.destination}:${tag}`;
  return { registry: config.registry, repository: config.repository, tag, digest, reference, pinned: `${reference}@${digest}` };
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
    labels: Object.fromEntries(plan.labels),
    deployments: [],
    plan: planLines,
  };
}
