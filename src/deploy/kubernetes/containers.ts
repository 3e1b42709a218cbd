/**
 * Which containers of a workload get the new image. By default every
 * container already running the pushed repository (whatever its tag), so a
 * sidecar from another image is left alone; `:container` names one instead.
 * Init containers are never chosen: they usually run a different image
 * (migrations, waiters) and a wrong guess there would break pod start.
 */
import type { DeployedImage } from '../../domain/targets/deploy-result.js';
import { describeWorkload, templateContainers, type WorkloadObject } from './resources.js';
import { KubernetesError } from './transport.js';
import type { WorkloadRef } from '../../domain/targets/kubernetes-workloads.js';

export interface ChosenContainer {
  name: string;
  /** What it runs now. */
  image: string;
}

/** `host/ns/app:tag@sha256:…` → `host/ns/app`: the tag is after the last `/`, so a registry port is not mistaken for one. */
export function imageRepository(image: string): string {
  const at = image.indexOf('@');
  const withoutDigest = at < 0 ? image : image.slice(0, at);
  const slash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  return colon > slash ? withoutDigest.slice(0, colon) : withoutDigest;
}

/** The containers to update, or a KubernetesError that lists what the workload does run. */
export function chooseContainers(
  workload: WorkloadRef,
  object: WorkloadObject,
  image: DeployedImage,
  /** How errors name the target and the input to fix: CCI 2.0 workloads come from `cci-workloads`. */
  naming: { label: string; input: string } = { label: 'kubernetes', input: 'workloads' },
): ChosenContainer[] {
  const subject = describeWorkload(workload);
  const containers = templateContainers(object);
  const operation = `choose containers of ${subject}`;
  const fail = (message: string): KubernetesError => new KubernetesError(`${naming.label}: ${message}`, { operation, attempts: 0 });
  if (containers.length === 0) throw fail(`${subject} has no containers in its pod template — is this the right workload?`);

  if (workload.container !== undefined) {
    const named = containers.find((c) => c.name === workload.container);
    if (named) return [named];
    const isInit = templateContainers(object, 'initContainers').some((c) => c.name === workload.container);
    throw fail(
      isInit
        ? `${subject}: "${workload.container}" is an init container; imageship updates only containers (${names(containers)}) — name one of those after ":"`
        : `${subject} has no container "${workload.container}" — its containers are ${names(containers)}: fix the name after ":" in ${naming.input}`,
    );
  }

  const wanted = `${image.registry}/${image.repository}`;
  const matching = containers.filter((c) => imageRepository(c.image) === wanted);
  if (matching.length > 0) return matching;
  const running = containers.map((c) => `${c.name}=${c.image || '(no image)'}`).join(', ');
  const example = `${workload.namespace}/${workload.kind}/${workload.name}:${containers[0]?.name ?? 'container'}`;
  throw fail(
    `${subject} has no container running ${wanted} (containers: ${running}; init containers are not considered) — name the container to update in ${naming.input}, e.g. ${example}`,
  );
}

function names(containers: readonly { name: string }[]): string {
  return containers.map((c) => `"${c.name}"`).join(', ');
}
