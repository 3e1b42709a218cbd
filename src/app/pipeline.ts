import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkShareDeadlines } from '../deploy/swr-share.js';
import type { Builder } from '../build/build-command.js';
import { probeDocker, type DockerTools } from '../build/docker-probe.js';
import { runBuild } from '../build/run-build.js';
import { hasDeployTargets } from '../config/parse-deploy.js';
import { ConfigError, type Config } from '../config/types.js';
import { huaweiClientFor } from './huawei-client.js';
import { createNamespace } from '../cloud/huawei/swr.js';
import { resolveKeylessCredentials } from './keyless.js';
import { resolveRunCredentials } from './run-credentials.js';
import type { CloudCredentialProviders } from './registry-auth-logins.js';
import { logInToRegistryAuth } from './registry-auth.js';
import { maskKubeconfigSecrets, maskKubeTargetSecrets } from '../deploy/deploy-all.js';
import { deployAll } from './deploy.js';
import { parseKubeconfig, type KubeTarget } from '../deploy/kubernetes/kubeconfig.js';
import { urlSecrets } from '../deploy/trigger.js';
import type { DeployedImage, DeployResult } from '../domain/targets/deploy-result.js';
import { describePlan, makePlan, modeOf, type Plan } from './plan.js';
import type { Ports } from '../ports.js';
import { findDeployImage } from '../registry/find-image.js';
import { dockerLogin, type DockerLoginResult } from '../registry/login.js';
import { pushReferences } from '../registry/push.js';
import { verifyPushedTags } from '../registry/verify.js';
import { copySourceToDestination, mergeIntoIndex, replicateTo, type TransferContext } from '../registry/transfer.js';
import { runClients } from './run-clients.js';
import type { RegistryClients } from '../registry/clients.js';
import { RegistryClient, type RegistryCredentials } from '../registry/client.js';
import { applyConfiguredRetention } from './retention.js';
import { registerLogin } from '../util/secrets.js';
import type { SourceContext } from '../domain/source-context.js';
import { runPackageFor } from './package.js';

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
 * credentials → login → build → push → verify → deploy. Everything is
 * validated (the config by parseConfig, the rest by makePlan and the deploy
 * preflight) before the first side effect; deploy runs only on a verified
 * image.
 */
export async function runPipeline(givenConfig: Config, options: PipelineOptions): Promise<PipelineResult> {
  let config = givenConfig;
  const { logger, exec, clock, secrets } = options.ports;
  const env = options.env ?? process.env;

  maskConfigSecrets(config, options.ports, env);

  // Only a build talks to docker; package, copy, merge and deploy-only runs go registry to registry.
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

    if (config.dryRun) {
      await logger.group('Plan (dry run: nothing is logged in, built, pushed or deployed)', async () => planLines.forEach((line) => logger.info(line)));
      for (const warning of config.deploy.warnings) logger.warn(secrets.redact(warning));
      if (retentionRuns(plan)) result.retention = await previewRetention(plan, options.ports, env);
      return result;
    }
    await logger.group('Plan', async () => planLines.forEach((line) => logger.info(line)));
    for (const warning of [...config.deploy.warnings, ...plan.warnings]) logger.warn(secrets.redact(warning));
    if (config.keyless) {
      const keyless = await logger.group('Keyless: OIDC token → temporary credentials', () => resolveKeylessCredentials(config, options.ports, env));
      config = keyless.config;
      if (Object.keys(keyless.exports).length > 0) await options.onExportCredentials?.(keyless.exports);
    }
    if (config.copy.createNamespace) {
      const namespace = config.repository.split('/')[0] ?? '';
      await logger.group(`Organization ${namespace}`, async () => {
        const outcome = await createNamespace(huaweiClientFor(config, options.ports, config.region), namespace);
        logger.info(outcome === 'created' ? `created organization ${namespace}` : `organization ${namespace} already exists`);
      });
    }
    // Before the build: a FROM may name a private base in one of these registries.
    const registryAuthLogins = await logInToRegistryAuth(config, {
      ports: options.ports,
      env,
      onLogin: async (registry) => {
        await options.onLogin?.(registry);
        (result.logins ??= []).push(registry);
      },
      ...(options.credentialProviders ? { providers: options.credentialProviders } : {}),
      describeLogin,
    });
    const credentials = await resolveRunCredentials(config, options.ports, env);
    const warn = warnOncePerText((message) => logger.warn(secrets.redact(message)));
    const clients = runClients({ config, ports: options.ports, credentials, env, warn, registryAuthLogins });
    const transfer: TransferContext = {
      registry: config.registry,
      repository: config.repository,
      ...(config.copy.sourceImage ? { source: { image: config.copy.sourceImage, credentials: config.copy.sourceCredentials } } : {}),
      ports: options.ports,
      clients,
      copyConcurrency: config.copy.concurrency,
    };

    let image: DeployedImage | undefined;
    switch (plan.mode) {
      case 'deploy-only': {
        const found = await logger.group(`Find ${config.destination} in the registry`, async () =>
          findDeployImage({ reference: config.deployImage!, client: await clients.clientFor(config.deployImage!.registry), loginHint: plan.loginHint, tag: plan.deployTag }),
        );
        image = found;
        result.digest = found.digest;
        break;
      }
      case 'copy':
        result.digest = await logger.group(`Copy ${config.copy.sourceImage?.registry}/${config.copy.sourceImage?.repository} → ${config.destination}`, () =>
          copySourceToDestination(transfer, plan.tags, plan.manifestAnnotations),
        );
        break;
      case 'merge':
        result.digest = await logger.group(`Merge ${config.copy.mergeDigests.length} platform image(s) into one index`, () =>
          mergeIntoIndex(transfer, config.copy.mergeDigests, plan.tags, plan.manifestAnnotations),
        );
        break;
      case 'package':
        result.digest = await logger.group(`Assemble ${config.destination} from ${config.package?.type} package`, async () =>
          (await runPackageFor(config, plan, { ports: options.ports, clients, cwd: options.cwd })).digest,
        );
        break;
      case 'build':
        result.digest = await buildAndPush(plan, result, { options, credentials, env, clients });
        break;
    }

    if (plan.mode !== 'deploy-only' && result.digest !== '') {
      if (plan.mode !== 'build') await verifyTags(plan, result.digest, clients, options.ports);
      image = deployedImage(config, plan.deployTag, result.digest);
      for (const replica of config.copy.replicateTo) {
        const copied = await logger.group(`Replicate to ${replica.registry}/${replica.repository}`, () => replicateTo(transfer, replica, plan.tags, result.digest));
        result.replicas.push(copied);
      }
      if (retentionRuns(plan)) {
        const retention = await logger.group('Retention', () => applyConfiguredRetention(config, options.ports, () => clients.clientFor(config.registry), plan.tags, false));
        if (retention) result.retention = { kept: retention.kept, deleted: retention.deleted };
      }
    }

    if (image && hasDeployTargets(config.deploy)) {
      result.deployments = await deployAll(config, image, options.ports, kubeTarget);
    }
    return result;
  } finally {
    if (tempDir !== '') await rm(tempDir, { recursive: true, force: true });
  }
}

interface BuildContext {
  options: PipelineOptions;
  credentials: RegistryCredentials | undefined;
  env: Readonly<Record<string, string | undefined>>;
  clients: RegistryClients;
}

/** docker login → build → push → verify; returns the verified digest ('' without push). */
async function buildAndPush(plan: Plan, result: PipelineResult, { options, credentials, env, clients }: BuildContext): Promise<string> {
  const { logger, exec } = options.ports;
  const { config } = plan;
  const build = plan.build;
  if (!build) throw new Error('internal: a build plan has a build command');
  // Logged in even without push: the Dockerfile may pull a private base image from the same registry.
  if (credentials) {
    await options.onLogin?.(config.registry);
    (result.logins ??= []).push(config.registry);
    await logger.group(`Log in to ${config.registry} as ${plan.loginUser}`, async () => {
      const client = await clients.clientFor(config.registry);
      const login = await dockerLogin(exec, { registry: config.registry, ...credentials, loginHint: plan.loginHint, env, fetch: options.ports.fetch, client });
      for (const line of describeLogin(config.registry, login)) logger.info(line);
    });
  }
  const built = await logger.group(`Build ${config.destination} (${build.builder})`, () => runBuild(exec, build, env, plan.references));
  if (built.legacyBuilderNotice) {
    logger.warn('the classic builder (DOCKER_BUILDKIT=0) is deprecated since Docker 23 and will be removed: add docker/setup-buildx-action before this step (or install the docker-buildx plugin) to build with BuildKit');
  }
  result.imageId = built.imageId;
  if (!config.push) return '';
  if (!build.pushesItself) {
    await logger.group(`Push ${plan.references.length} tag(s)`, () =>
      pushReferences(exec, logger, plan.references, config.registry, { loginHint: plan.loginHint, deniedHint: plan.deniedHint }, env),
    );
  }
  if (config.copy.pushByDigest) {
    const pushed = built.pushedDigest;
    const found = await (await clients.clientFor(config.registry)).headManifest(config.repository, pushed);
    if (!pushed || !found) throw new Error(`push-by-digest: buildx reported ${pushed || 'no digest'}, but the registry has no such manifest in ${config.repository}`);
    logger.info(`pushed by digest: ${config.destination}@${found.digest}`);
    return found.digest;
  }
  return verifyTags(plan, built.pushedDigest, clients, options.ports);
}

// Host-neutral: the action logs out when its job ends, the CLI when its run ends, a library caller with dockerLogout.
const LOGOUTS = 'when the job or run ends, or with imageship post or dockerLogout';

/** Where the login went and what becomes of a login that was there already. */
export function describeLogin(registry: string, login: DockerLoginResult): string[] {
  const lines =
    login.store === 'config.json'
      ? [`logged in to ${registry} in ${login.configFile} (written by imageship after the registry accepted the credentials: no docker login process, so neither user nor password is in any command line)`]
      : [`logged in to ${registry} through the credential helper ${login.store}, which ${login.configFile} names (user and password on its stdin)`];
  if (login.keptPrevious) {
    lines.push(`an existing login for ${registry} was kept (saved in ${login.recordFile}, readable by this user only) and will be restored when imageship logs out (${LOGOUTS})`);
  } else {
    lines.push(`imageship's logout removes it (${LOGOUTS})`);
  }
  return lines;
}

/** Every tag must point at one manifest in the registry (and at `expected`, when known). */
function verifyTags(plan: Plan, expected: string, clients: RegistryClients, ports: Ports): Promise<string> {
  return ports.logger.group('Verify the tags in the registry', async () => {
    const digest = await verifyPushedTags({
      client: await clients.clientFor(plan.config.registry),
      repository: plan.config.repository,
      tags: plan.tags,
      loginHint: plan.loginHint,
      ...(expected ? { expectedDigest: expected } : {}),
    });
    ports.logger.info(`${plan.tags.length} tag(s) → ${digest}`);
    return digest;
  });
}

/** Retention runs after a push (a copy, a merge, or a build that pushes) when the `retention` input is set. */
function retentionRuns(plan: Plan): boolean {
  return plan.config.copy.retention !== undefined && plan.mode !== 'deploy-only' && (plan.mode !== 'build' || plan.config.push);
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
      const preview = await applyConfiguredRetention(config, ports, registryClient, plan.tags, true);
      return preview && { kept: preview.kept, deleted: [], planned: preview.planned };
    } catch (error) {
      ports.logger.warn(ports.secrets.redact(`retention: no preview, the tags of ${config.destination} could not be listed: ${error instanceof Error ? error.message : String(error)}`));
      return undefined;
    }
  });
}

/** `warn`, saying each distinct message once: every registry client of a run meets the same token realm. */
function warnOncePerText(warn: (message: string) => void): (message: string) => void {
  const said = new Set<string>();
  return (message) => {
    if (said.has(message)) return;
    said.add(message);
    warn(message);
  };
}

/** A deploy-only run never talks to docker. */
const NO_DOCKER: DockerTools = {
  cli: false,
  daemon: false,
  clientVersion: '',
  serverVersion: '',
  buildx: false,
  buildxVersion: '',
  builder: undefined,
  builderProblem: '',
  containerdStore: false,
  problem: 'not needed',
};

function maskConfigSecrets(config: Config, ports: Ports, env: Readonly<Record<string, string | undefined>>): void {
  const { secrets } = ports;
  // Masked before anything else can print them.
  if (config.cloudCredentials) {
    secrets.add(config.cloudCredentials.secretKey);
    secrets.add(config.cloudCredentials.accessKey);
    secrets.add(config.cloudCredentials.securityToken ?? '');
  }
  const tokenSource = config.keyless?.tokenSource;
  if (tokenSource?.kind === 'input') secrets.add(tokenSource.token);
  if (tokenSource?.kind === 'github') secrets.add(tokenSource.requestToken);
  if (tokenSource?.kind === 'env') secrets.add((env[tokenSource.variable] ?? '').trim());
  if (config.login.kind === 'password') registerLogin(secrets, config.login.username, config.login.password);
  if (config.copy.sourceCredentials) registerLogin(secrets, config.copy.sourceCredentials.username, config.copy.sourceCredentials.password);
  for (const entry of config.registryAuth.entries) if (entry.kind === 'password') registerLogin(secrets, entry.username, entry.password);
  const { huaweiKeys, alibabaKeys } = config.registryAuth;
  for (const key of [huaweiKeys?.secretKey, huaweiKeys?.accessKey, huaweiKeys?.securityToken, alibabaKeys?.accessKeySecret, alibabaKeys?.accessKeyId, alibabaKeys?.securityToken]) {
    if (key) secrets.add(key);
  }
  if (config.login.kind === 'acr-temporary') {
    secrets.add(config.login.accessKeySecret);
    secrets.add(config.login.accessKeyId);
    secrets.add(config.login.securityToken);
  }
  for (const secret of config.build.secrets) {
    if (secret.kind === 'value') secrets.add(secret.value);
    if (secret.kind === 'env') secrets.add(env[secret.variable] ?? '');
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
  // An image pushed by digest only has no tag to name it by.
  const reference = tag === '' ? `${config.destination}@${digest}` : `${config.destination}:${tag}`;
  return { registry: config.registry, repository: config.repository, tag, digest, reference, pinned: tag === '' ? reference : `${reference}@${digest}` };
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
