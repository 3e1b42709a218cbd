/**
 * "Is the rollout finished?" answered from one read of the workload, with
 * the rules `kubectl rollout status` uses, so imageship and kubectl agree on
 * when a release is live. Pure: the caller does the polling.
 */
import type { WorkloadCondition, WorkloadObject } from './resources.js';
import type { WorkloadKind } from '../../domain/targets/kubernetes-workloads.js';

export type RolloutState =
  /** `podsUpdated` is false when the controller will not replace pods by itself (StatefulSet `OnDelete`). */
  | { phase: 'done'; detail: string; podsUpdated: boolean }
  | { phase: 'waiting'; detail: string }
  | { phase: 'failed'; detail: string };

export function rolloutState(kind: WorkloadKind, object: WorkloadObject): RolloutState {
  const generation = object.metadata?.generation ?? 0;
  const observed = object.status?.observedGeneration ?? 0;
  // Until the controller has seen the new template, every other status field describes the old one.
  if (observed < generation) return { phase: 'waiting', detail: 'waiting for the controller to pick up the new pod template' };
  return kind === 'deployment' ? deploymentState(object) : statefulSetState(object);
}

function deploymentState(object: WorkloadObject): RolloutState {
  const progressing = findCondition(object, 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') {
    return { phase: 'failed', detail: `progress deadline exceeded${progressing.message ? `: ${oneLine(progressing.message)}` : ''}` };
  }
  const want = object.spec?.replicas ?? 1;
  const status = object.status ?? {};
  const updated = status.updatedReplicas ?? 0;
  const total = status.replicas ?? 0;
  const available = status.availableReplicas ?? 0;
  if (updated < want) return { phase: 'waiting', detail: `${updated} of ${want} replicas updated` };
  if (total > updated) return { phase: 'waiting', detail: `${total - updated} old ${plural(total - updated, 'replica')} pending termination` };
  if (available < updated) return { phase: 'waiting', detail: `${available} of ${updated} updated replicas available` };
  return { phase: 'done', detail: `${updated} of ${want} replicas updated and available`, podsUpdated: true };
}

function statefulSetState(object: WorkloadObject): RolloutState {
  const strategy = object.spec?.updateStrategy?.type ?? 'RollingUpdate';
  if (strategy === 'OnDelete') {
    return { phase: 'done', detail: 'pod template updated, but updateStrategy is OnDelete: pods get the new image only when they are deleted (not waited for)', podsUpdated: false };
  }
  const want = object.spec?.replicas ?? 1;
  const status = object.status ?? {};
  const updated = status.updatedReplicas ?? 0;
  const ready = status.readyReplicas ?? 0;
  const partition = object.spec?.updateStrategy?.rollingUpdate?.partition ?? 0;
  // A partition holds back the pods with lower ordinals on purpose; only the ones above it are expected to move.
  const expected = Math.max(0, want - partition);
  if (updated < expected) return { phase: 'waiting', detail: `${updated} of ${expected} replicas updated` };
  if (ready < want) return { phase: 'waiting', detail: `${ready} of ${want} replicas ready` };
  if (partition === 0 && status.currentRevision !== status.updateRevision) {
    return { phase: 'waiting', detail: `waiting for revision ${status.updateRevision ?? '?'} to become current` };
  }
  const held = partition > 0 ? `, ${Math.min(partition, want)} held back by partition` : '';
  return { phase: 'done', detail: `${updated} of ${want} replicas updated and ready${held}`, podsUpdated: true };
}

/** Replica counts and conditions, for the message of a rollout that did not finish. */
export function describeWorkloadStatus(kind: WorkloadKind, object: WorkloadObject): string {
  const status = object.status ?? {};
  const counts = [
    `${object.spec?.replicas ?? 1} desired`,
    `${status.updatedReplicas ?? 0} updated`,
    `${status.readyReplicas ?? 0} ready`,
    ...(kind === 'deployment' ? [`${status.availableReplicas ?? 0} available`] : []),
    `${status.replicas ?? 0} total`,
  ].join(', ');
  const generation = `observed generation ${status.observedGeneration ?? 0} of ${object.metadata?.generation ?? 0}`;
  const revisions =
    kind === 'statefulset' ? `; revision current ${status.currentRevision ?? '?'}, update ${status.updateRevision ?? '?'}` : '';
  const paused = object.spec?.paused ? '; spec.paused is true (kubectl rollout resume)' : '';
  const conditions = (object.status?.conditions ?? []).map(describeCondition).join('; ');
  return `replicas: ${counts}; ${generation}${revisions}${paused}; conditions: ${conditions || '(none)'}`;
}

function describeCondition(condition: WorkloadCondition): string {
  const why = [condition.reason, condition.message ? oneLine(condition.message) : undefined].filter(Boolean).join(': ');
  return `${condition.type ?? '?'}=${condition.status ?? '?'}${why ? ` (${why})` : ''}`;
}

function findCondition(object: WorkloadObject, type: string): WorkloadCondition | undefined {
  const conditions = object.status?.conditions;
  return Array.isArray(conditions) ? conditions.find((c) => c?.type === type) : undefined;
}

function plural(count: number, word: string): string {
  return count === 1 ? word : `${word}s`;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
