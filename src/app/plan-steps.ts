/**
 * The ordered steps of a run, decided once by makePlan from the mode and the Config: the pipeline walks this
 * list (one runner per kind, app/steps/run-step.ts) and the plan prints it, so what a dry run shows is what a
 * real run does, in the same order.
 */
import type { Builder } from '../build/build-command.js';
import { hasDeployTargets } from '../config/parse-deploy.js';
import type { Config } from '../config/types.js';
import { describeRetention } from '../domain/retention/policy.js';
import type { RunMode } from './mode.js';

export type PlanStep =
  /** OIDC token → temporary cloud credentials; later steps use the Config it returns. */
  | { readonly kind: 'keyless' }
  /** Create the SWR organization (create-namespace). */
  | { readonly kind: 'create-namespace'; readonly namespace: string }
  /** Docker login to every registry-auth entry, before a build (a FROM may name a private base there). */
  | { readonly kind: 'registry-auth'; readonly registries: readonly string[] }
  /** The run's registry credentials and clients (may ask a cloud API for a temporary login). */
  | { readonly kind: 'credentials'; readonly registry: string }
  /** Deploy-only: the image is looked up in the registry, not built. */
  | { readonly kind: 'find-image'; readonly reference: string }
  /** Build: docker login to the destination registry (also without push: a private base may live there). */
  | { readonly kind: 'login'; readonly registry: string }
  | { readonly kind: 'build'; readonly builder: Builder }
  /** `docker push` of each tag (a builder that pushes itself has no push step). */
  | { readonly kind: 'push'; readonly references: readonly string[] }
  | { readonly kind: 'copy'; readonly source: string }
  | { readonly kind: 'merge'; readonly digests: number }
  | { readonly kind: 'package'; readonly packageType: string }
  /** Read the pushed image back: every tag at one digest, or (push-by-digest) the manifest buildx reported. */
  | { readonly kind: 'verify'; readonly check: 'tags' | 'pushed-digest' }
  | { readonly kind: 'replicate'; readonly registry: string; readonly repository: string }
  /** In a dry run, a preview that deletes nothing. */
  | { readonly kind: 'retention'; readonly policy: string }
  | { readonly kind: 'deploy' };

export type StepKind = PlanStep['kind'];

export interface StepsInput {
  readonly config: Config;
  readonly mode: RunMode;
  /** Whether the builder pushes itself (buildx --push); undefined unless mode is 'build'. */
  readonly pushesItself: boolean | undefined;
  readonly builder: Builder | undefined;
  readonly references: readonly string[];
}

/** Everything the run does, in the order it does it. */
export function planSteps({ config, mode, pushesItself, builder, references }: StepsInput): PlanStep[] {
  const steps: PlanStep[] = [];
  if (config.keyless) steps.push({ kind: 'keyless' });
  if (config.copy.createNamespace) steps.push({ kind: 'create-namespace', namespace: config.repository.split('/')[0] ?? '' });
  const { entries } = config.registryAuth;
  if (entries.length > 0) steps.push({ kind: 'registry-auth', registries: entries.map((entry) => entry.registry) });
  steps.push({ kind: 'credentials', registry: config.registry });

  switch (mode) {
    case 'deploy-only':
      steps.push({ kind: 'find-image', reference: config.destination });
      break;
    case 'copy': {
      const source = config.copy.sourceImage;
      steps.push({ kind: 'copy', source: source ? `${source.registry}/${source.repository}` : '' });
      break;
    }
    case 'merge':
      steps.push({ kind: 'merge', digests: config.copy.mergeDigests.length });
      break;
    case 'package':
      steps.push({ kind: 'package', packageType: config.package?.type ?? '' });
      break;
    case 'build':
      // An anonymous run has nothing to log in with; any other login is used when its credentials resolve.
      if (config.login.kind !== 'anonymous') steps.push({ kind: 'login', registry: config.registry });
      steps.push({ kind: 'build', builder: builder ?? 'buildx' });
      if (config.push && !pushesItself) steps.push({ kind: 'push', references: [...references] });
      break;
  }

  // A build without push leaves the image local: nothing to verify, replicate, prune or deploy.
  const pushed = mode !== 'deploy-only' && (mode !== 'build' || config.push);
  if (pushed) {
    steps.push({ kind: 'verify', check: mode === 'build' && config.copy.pushByDigest ? 'pushed-digest' : 'tags' });
    for (const replica of config.copy.replicateTo) steps.push({ kind: 'replicate', registry: replica.registry, repository: replica.repository });
    if (config.copy.retention) steps.push({ kind: 'retention', policy: describeRetention(config.copy.retention) });
  }
  if ((pushed || mode === 'deploy-only') && hasDeployTargets(config.deploy)) steps.push({ kind: 'deploy' });
  return steps;
}

/** One plan line per step, numbered in run order (no secrets: steps hold only names and counts). */
export function describeSteps(steps: readonly PlanStep[]): string[] {
  return steps.map((step, index) => `step ${String(index + 1).padStart(2)}:   ${describeStep(step)}`);
}

function describeStep(step: PlanStep): string {
  switch (step.kind) {
    case 'keyless':
      return 'keyless: exchange the OIDC token for temporary credentials';
    case 'create-namespace':
      return `create-namespace: ${step.namespace} (if missing)`;
    case 'registry-auth':
      return `registry-auth: log in to ${step.registries.join(', ')}`;
    case 'credentials':
      return `credentials: resolve the login for ${step.registry}`;
    case 'find-image':
      return `find-image: look up ${step.reference} in the registry`;
    case 'login':
      return `login: docker login to ${step.registry}`;
    case 'build':
      return `build: ${step.builder}`;
    case 'push':
      return `push: docker push ${step.references.length} tag(s)`;
    case 'copy':
      return `copy: ${step.source} → destination`;
    case 'merge':
      return `merge: ${step.digests} digest(s) → one index`;
    case 'package':
      return `package: assemble the image from the ${step.packageType} package`;
    case 'verify':
      return step.check === 'tags' ? "verify: every tag at one digest (the registry's answers to the writes, else a HEAD per tag)" : 'verify: the digest buildx pushed is in the registry';
    case 'replicate':
      return `replicate: → ${step.registry}/${step.repository}`;
    case 'retention':
      return `retention: ${step.policy}`;
    case 'deploy':
      return 'deploy: the targets listed above';
  }
}
