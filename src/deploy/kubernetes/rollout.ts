/**
 * Rolls one pushed image out to one Deployment or StatefulSet: pick the
 * containers, pin them to the image's digest, wait until the controller has
 * replaced the pods (as `kubectl rollout status` would), and read the
 * workload back so the result says what is really running.
 *
 * The image is pinned by digest (`repo:tag@sha256:…`): setting a tag the
 * template already has would change nothing and roll nothing, while a new
 * digest always changes the template and starts a rollout.
 */
import { formatSeconds, type RetryPolicy } from '../../http/retry.js';
import type { DeployedImage, DeployResult } from '../../domain/targets/deploy-result.js';
import { KubeClient, type ContainerImage } from './client.js';
import { chooseContainers, type ChosenContainer } from './containers.js';
import type { KubeTarget } from './kubeconfig.js';
import { describeWorkload, templateContainers, type WorkloadId, type WorkloadObject } from './resources.js';
import { describeWorkloadStatus, rolloutState } from './rollout-status.js';
import { KubernetesError } from './transport.js';
import type { WorkloadRef } from '../../domain/targets/kubernetes-workloads.js';

/**
 * The two calls a rollout makes, whichever API serves the workload: the
 * Kubernetes API server (KubeClient) or CCI 2.0's Kubernetes-shaped API
 * (cloud/huawei/cci.ts). The wait and the read-back are the same for both.
 */
export interface WorkloadApi {
  getWorkload(id: WorkloadId): Promise<WorkloadObject>;
  /** Sets these containers' images in the pod template; answers the object as written. */
  setContainerImages(id: WorkloadId, images: readonly ContainerImage[]): Promise<WorkloadObject>;
}

/** Names the target in results and errors: `kubernetes` (the default) or `cci`. */
export type RolloutTarget = 'kubernetes' | 'cci';

export interface RolloutOptions {
  /** How long to wait for the new pods once the template is patched (`rollout-timeout`). */
  timeoutMs: number;
  /** Between two reads of the workload's status; 2 s by default. */
  pollIntervalMs?: number;
  /** Used for the polling pauses and the retry backoff alike; injectable for tests. */
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  log?: (line: string) => void;
  /** Retry policy of each API call (`timeoutMs` there bounds one try). */
  retry?: Partial<RetryPolicy>;
  /** The `target` of the result and the prefix of errors; `kubernetes` by default. */
  target?: RolloutTarget;
}

const DEFAULT_POLL_INTERVAL_MS = 2_000;

const sleepFor = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function rolloutImage(
  target: KubeTarget,
  workload: WorkloadRef,
  image: DeployedImage,
  options: RolloutOptions,
): Promise<DeployResult> {
  const sleep = options.sleep ?? sleepFor;
  const client = new KubeClient(target, { ...(options.retry ? { retry: options.retry } : {}), sleep });
  try {
    return await rolloutWith(client, workload, image, { ...options, sleep });
  } finally {
    client.close();
  }
}

/** The rollout over any WorkloadApi: pick the containers, pin them, wait, read back. */
export async function rolloutWith(api: WorkloadApi, workload: WorkloadRef, image: DeployedImage, options: RolloutOptions): Promise<DeployResult> {
  const sleep = options.sleep ?? sleepFor;
  const log = options.log ?? ((): void => undefined);
  const label = options.target ?? 'kubernetes';
  const subject = describeWorkload(workload);
  const before = await api.getWorkload(workload);
  const chosen = chooseContainers(workload, before, image, { label, input: label === 'cci' ? 'cci-workloads' : 'workloads' });
  const unchanged = chosen.every((c) => c.image === image.pinned);
  log(
    unchanged
      ? `${subject}: ${names(chosen)} already ${chosen.length === 1 ? 'runs' : 'run'} ${image.pinned}; checking the rollout`
      : `${subject}: setting ${chosen.map((c) => `${c.name} (${c.image || 'no image'})`).join(', ')} to ${image.pinned}`,
  );

  const patched = await api.setContainerImages(
    workload,
    chosen.map((c) => ({ name: c.name, image: image.pinned })),
  );
  expectPinned(label, subject, patched, chosen, image, 'the patch was accepted but');

  const finished = await waitForRollout(api, workload, image, chosen, patched, {
    timeoutMs: options.timeoutMs,
    pollIntervalMs: options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS,
    sleep,
    now: options.now ?? Date.now,
    log,
    label,
  });
  expectPinned(label, subject, finished.object, chosen, image, 'after the rollout');

  return {
    target: label,
    id: `${workload.namespace}/${workload.kind}/${workload.name}:${names(chosen)}`,
    previous: chosen.map((c) => c.image).join(','),
    current: image.pinned,
    verified: finished.podsUpdated,
  };
}

interface WaitSettings {
  timeoutMs: number;
  pollIntervalMs: number;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  log: (line: string) => void;
  label: RolloutTarget;
}

/** Polls until done, failed or out of time; the template is re-checked each time so a concurrent deploy is noticed. */
async function waitForRollout(
  client: WorkloadApi,
  workload: WorkloadRef,
  image: DeployedImage,
  chosen: readonly ChosenContainer[],
  first: WorkloadObject,
  settings: WaitSettings,
): Promise<{ object: WorkloadObject; podsUpdated: boolean }> {
  const subject = describeWorkload(workload);
  const started = settings.now();
  let object = first;
  let lastDetail = '';
  for (;;) {
    const state = rolloutState(workload.kind, object);
    if (state.phase === 'done') {
      settings.log(`${subject}: ${state.detail}`);
      return { object, podsUpdated: state.podsUpdated };
    }
    if (state.phase === 'failed') {
      const undo = `kubectl -n ${workload.namespace} rollout undo ${workload.kind}/${workload.name}`;
      throw rolloutError(settings.label, workload, `failed to roll out ${image.pinned}: ${state.detail}`, object, `roll back with ${undo} if needed`);
    }
    if (state.detail !== lastDetail) settings.log(`${subject}: ${state.detail}`);
    lastDetail = state.detail;

    const elapsed = settings.now() - started;
    if (elapsed >= settings.timeoutMs) {
      throw rolloutError(
        settings.label,
        workload,
        `did not finish rolling out ${image.pinned} within ${formatSeconds(settings.timeoutMs)} (${state.detail})`,
        object,
        'raise rollout-timeout if it is just slow',
      );
    }
    await settings.sleep(Math.min(settings.pollIntervalMs, settings.timeoutMs - elapsed));
    object = await client.getWorkload(workload);
    expectPinned(settings.label, subject, object, chosen, image, 'during the rollout');
  }
}

/** The pod template must hold the pinned image in every chosen container; anything else means someone else changed it. */
function expectPinned(label: RolloutTarget, subject: string, object: WorkloadObject, chosen: readonly ChosenContainer[], image: DeployedImage, when: string): void {
  const now = new Map(templateContainers(object).map((c) => [c.name, c.image]));
  const wrong = chosen.filter((c) => now.get(c.name) !== image.pinned);
  if (wrong.length === 0) return;
  const found = wrong.map((c) => `${c.name}=${now.get(c.name) ?? '(missing)'}`).join(', ');
  throw new KubernetesError(
    `${label}: ${subject}: ${when} the pod template shows ${found} instead of ${image.pinned} — another deploy or an admission webhook changed it; check the workload and run again`,
    { operation: `read back ${subject}`, attempts: 1 },
  );
}

function rolloutError(label: RolloutTarget, workload: WorkloadRef, what: string, object: WorkloadObject, hint: string): KubernetesError {
  const subject = describeWorkload(workload);
  const resource = `${workload.kind}/${workload.name}`;
  return new KubernetesError(
    `${label}: ${subject} ${what}; ${describeWorkloadStatus(workload.kind, object)} — ` +
      `see why with kubectl -n ${workload.namespace} describe ${resource} and its pods' events (image pull errors, crash loops, failing probes); ${hint}`,
    { operation: `roll out ${subject}`, attempts: 1 },
  );
}

function names(chosen: readonly ChosenContainer[]): string {
  return chosen.map((c) => c.name).join(',');
}
