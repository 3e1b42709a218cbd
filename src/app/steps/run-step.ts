/**
 * One runner per plan step kind: the pipeline walks plan.steps and hands each to runStep, which calls the layer
 * that does the work with narrow options. Nothing here decides what runs; the plan did (plan-steps.ts).
 *
 * The layers only some runs need are imported by the step that runs them (docker build, the package path, and
 * cloud-steps.ts for everything that calls a cloud API or deploys): the CLI and the action then start without parsing and
 * evaluating them (a package run evaluates ≈ 20 % less code; `imageship --version` 74 → 68 ms).
 */
import type { BuildOutcome } from '../../build/run-build.js';
import type { Config } from '../../config/types.js';
import type { KubeTarget } from '../../deploy/kubernetes/kubeconfig.js';
import type { DeployedImage } from '../../domain/targets/deploy-result.js';
import type { Ports } from '../../ports.js';
import type { RegistryCredentials } from '../../registry/client.js';
import type { RegistryClients } from '../../registry/clients.js';
import { findDeployImage } from '../../registry/find-image.js';
import { dockerLogin } from '../../registry/login.js';
import { pushReferences } from '../../registry/push.js';
import { copySourceToDestination, mergeIntoIndex, replicateTo, type TransferContext } from '../../registry/transfer.js';
import type { TagConfirmations, WrittenImage } from '../../registry/tag-confirmations.js';
import { verifyPushedTags } from '../../registry/verify.js';
import { runPackageFor } from '../package.js';
import type { PipelineOptions, PipelineResult } from '../pipeline.js';
import type { Plan } from '../plan.js';
import type { PlanStep } from '../plan-steps.js';
import { runClients } from '../run-clients.js';
import { resolveRunCredentials } from '../run-credentials.js';
import { describeLogin } from './describe-login.js';
import { warnOncePerText } from './prepare.js';

/** What the steps of one run share; each step reads what earlier steps left and adds its own part. */
export interface RunState {
  /** The run's Config: the given one, or the keyless step's (with the temporary credentials). */
  config: Config;
  readonly plan: Plan;
  readonly options: PipelineOptions;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly result: PipelineResult;
  readonly kubeTarget: KubeTarget | undefined;
  registryAuthLogins: Map<string, RegistryCredentials>;
  credentials?: RegistryCredentials;
  clients?: RegistryClients;
  built?: BuildOutcome;
  /** The digest the pushing step reported ('' when it does not know): the verify step checks the tags against it. */
  pushed: string;
  /**
   * Tags the registry confirmed at a digest when this run wrote them through the registry API (copy, retag,
   * merge); the verify step asks only for the others. Absent after a docker push, which writes through docker.
   */
  confirmed?: TagConfirmations;
  /** The image the deploy step deploys: found (deploy-only) or verified after the push. */
  image?: DeployedImage;
}

export async function runStep(step: PlanStep, state: RunState): Promise<void> {
  const { plan, options, env, result } = state;
  const { ports } = options;
  const { logger, exec } = ports;
  const config = state.config;
  switch (step.kind) {
    case 'keyless': {
      const { resolveKeylessCredentials } = await import('../cloud-steps.js');
      const keyless = await logger.group('Keyless: OIDC token → temporary credentials', () => resolveKeylessCredentials(config, ports, env));
      state.config = keyless.config;
      if (Object.keys(keyless.exports).length > 0) await options.onExportCredentials?.(keyless.exports);
      return;
    }
    case 'create-namespace':
      return logger.group(`Organization ${step.namespace}`, async () => {
        const { createNamespace, huaweiClientFor } = await import('../cloud-steps.js');
        const outcome = await createNamespace(huaweiClientFor(config, ports, config.region), step.namespace);
        logger.info(outcome === 'created' ? `created organization ${step.namespace}` : `organization ${step.namespace} already exists`);
      });
    case 'registry-auth': {
      const { logInToRegistryAuth } = await import('../cloud-steps.js');
      state.registryAuthLogins = await logInToRegistryAuth(config, {
        ports,
        env,
        onLogin: async (registry) => {
          await options.onLogin?.(registry);
          (result.logins ??= []).push(registry);
        },
        ...(options.credentialProviders ? { providers: options.credentialProviders } : {}),
        describeLogin,
      });
      return;
    }
    case 'credentials': {
      state.credentials = await resolveRunCredentials(config, ports, env);
      const warn = warnOncePerText((message) => logger.warn(ports.secrets.redact(message)));
      state.clients = runClients({ config, ports, credentials: state.credentials, env, warn, registryAuthLogins: state.registryAuthLogins });
      return;
    }
    case 'find-image': {
      const clients = clientsOf(state);
      const reference = config.deployImage;
      if (!reference) throw new Error('internal: a find-image step needs deploy-image');
      const found = await logger.group(`Find ${step.reference} in the registry`, async () =>
        findDeployImage({ reference, client: await clients.clientFor(reference.registry), loginHint: plan.loginHint, tag: plan.deployTag }),
      );
      state.image = found;
      result.digest = found.digest;
      return;
    }
    case 'copy':
      return wrote(
        state,
        await logger.group(`Copy ${config.copy.sourceImage?.registry}/${config.copy.sourceImage?.repository} → ${config.destination}`, () =>
          copySourceToDestination(transferOf(state), plan.tags, plan.manifestAnnotations),
        ),
      );
    case 'merge':
      return wrote(
        state,
        await logger.group(`Merge ${step.digests} platform image(s) into one index`, () =>
          mergeIntoIndex(transferOf(state), config.copy.mergeDigests, plan.tags, plan.manifestAnnotations),
        ),
      );
    case 'package':
      return wrote(
        state,
        await logger.group(`Assemble ${config.destination} from ${step.packageType} package`, () =>
          runPackageFor(config, plan, { ports, clients: clientsOf(state), cwd: options.cwd }),
        ),
      );
    case 'login': {
      // An 'elsewhere' login with nothing in the Docker config resolves to no credentials: nothing to log in with.
      const credentials = state.credentials;
      if (!credentials) return;
      await options.onLogin?.(step.registry);
      (result.logins ??= []).push(step.registry);
      return logger.group(`Log in to ${step.registry} as ${plan.loginUser}`, async () => {
        const client = await clientsOf(state).clientFor(step.registry);
        const login = await dockerLogin(exec, { registry: step.registry, ...credentials, loginHint: plan.loginHint, env, fetch: ports.fetch, client });
        for (const line of describeLogin(step.registry, login)) logger.info(line);
      });
    }
    case 'build': {
      const build = plan.build;
      if (!build) throw new Error('internal: a build step needs the plan\'s build command');
      const { runBuild } = await import('../../build/run-build.js');
      const built = await logger.group(`Build ${config.destination} (${build.builder})`, () => runBuild(exec, build, env, plan.references));
      if (built.legacyBuilderNotice) {
        logger.warn('the classic builder (DOCKER_BUILDKIT=0) is deprecated since Docker 23 and will be removed: add docker/setup-buildx-action before this step (or install the docker-buildx plugin) to build with BuildKit');
      }
      state.built = built;
      state.pushed = built.pushedDigest;
      result.imageId = built.imageId;
      return;
    }
    case 'push':
      await logger.group(`Push ${step.references.length} tag(s)`, () =>
        pushReferences(exec, logger, step.references, config.registry, { loginHint: plan.loginHint, deniedHint: plan.deniedHint }, env),
      );
      return;
    case 'verify':
      result.digest = step.check === 'pushed-digest' ? await verifyPushedDigest(state) : await verifyTags(plan, state, clientsOf(state), ports);
      state.image = deployedImage(config, plan.deployTag, result.digest);
      return;
    case 'replicate': {
      const copied = await logger.group(`Replicate to ${step.registry}/${step.repository}`, () =>
        replicateTo(transferOf(state), { registry: step.registry, repository: step.repository }, plan.tags, result.digest),
      );
      result.replicas.push(copied);
      return;
    }
    case 'retention': {
      const clients = clientsOf(state);
      const { applyConfiguredRetention } = await import('../cloud-steps.js');
      const retention = await logger.group('Retention', () => applyConfiguredRetention(config, ports, () => clients.clientFor(config.registry), plan.tags, false));
      if (retention) result.retention = { kept: retention.kept, deleted: retention.deleted };
      return;
    }
    case 'deploy': {
      if (!state.image) throw new Error('internal: the deploy step runs after the image was found or verified');
      const { deployAll } = await import('../cloud-steps.js');
      result.deployments = await deployAll(config, state.image, ports, state.kubeTarget);
      return;
    }
  }
}

/** A step wrote the image through the registry API: its digest, and what the registry confirmed, for the verify step. */
function wrote(state: RunState, written: WrittenImage): void {
  state.pushed = written.digest;
  state.confirmed = written.confirmed;
  state.result.digest = written.digest;
}

function clientsOf(state: RunState): RegistryClients {
  if (!state.clients) throw new Error('internal: the credentials step comes before any registry step');
  return state.clients;
}

function transferOf(state: RunState): TransferContext {
  const { config } = state;
  return {
    registry: config.registry,
    repository: config.repository,
    ...(config.copy.sourceImage ? { source: { image: config.copy.sourceImage, credentials: config.copy.sourceCredentials } } : {}),
    ports: state.options.ports,
    clients: clientsOf(state),
    copyConcurrency: config.copy.concurrency,
  };
}

/** push-by-digest: the manifest buildx reported must be in the repository (there is no tag to verify). */
async function verifyPushedDigest(state: RunState): Promise<string> {
  const { config } = state;
  const pushed = state.built?.pushedDigest ?? '';
  const found = await (await clientsOf(state).clientFor(config.registry)).headManifest(config.repository, pushed);
  if (!pushed || !found) throw new Error(`push-by-digest: buildx reported ${pushed || 'no digest'}, but the registry has no such manifest in ${config.repository}`);
  state.options.ports.logger.info(`pushed by digest: ${config.destination}@${found.digest}`);
  return found.digest;
}

/**
 * Every tag must point at one manifest in the registry (and at the digest the pushing step reported, when known).
 * A tag the registry confirmed when this run wrote it is not asked for again.
 */
function verifyTags(plan: Plan, state: Pick<RunState, 'pushed' | 'confirmed'>, clients: RegistryClients, ports: Ports): Promise<string> {
  return ports.logger.group('Verify the tags in the registry', async () => {
    const confirmed = state.confirmed;
    const digest = await verifyPushedTags({
      client: await clients.clientFor(plan.config.registry),
      repository: plan.config.repository,
      tags: plan.tags,
      loginHint: plan.loginHint,
      ...(state.pushed ? { expectedDigest: state.pushed } : {}),
      ...(confirmed ? { confirmed } : {}),
    });
    const asked = plan.tags.filter((tag) => !confirmed?.has(tag)).length;
    if (asked === 0) {
      ports.logger.info('the registry confirmed each tag when it was written (or found it there already): no request sent');
    } else if (asked < plan.tags.length) {
      ports.logger.info(`the registry confirmed ${plan.tags.length - asked} tag(s) when they were written; asked it for the other ${asked}`);
    }
    ports.logger.info(`${plan.tags.length} tag(s) → ${digest}`);
    return digest;
  });
}

function deployedImage(config: Config, tag: string, digest: string): DeployedImage {
  // An image pushed by digest only has no tag to name it by.
  const reference = tag === '' ? `${config.destination}@${digest}` : `${config.destination}:${tag}`;
  return { registry: config.registry, repository: config.repository, tag, digest, reference, pinned: tag === '' ? reference : `${reference}@${digest}` };
}

