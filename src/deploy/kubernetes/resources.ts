/**
 * The parts of apps/v1 Deployment and StatefulSet objects imageship reads.
 * Everything is optional because it comes off the wire: the readers below
 * decide what a missing field means instead of trusting the shape.
 */
import type { WorkloadKind } from '../../domain/targets/kubernetes-workloads.js';

export interface ContainerSpec {
  name?: string;
  image?: string;
}

export interface WorkloadCondition {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
}

export interface WorkloadObject {
  kind?: string;
  metadata?: { name?: string; namespace?: string; generation?: number };
  spec?: {
    replicas?: number;
    paused?: boolean;
    /** StatefulSet only. */
    updateStrategy?: { type?: string; rollingUpdate?: { partition?: number } };
    template?: { spec?: { containers?: ContainerSpec[]; initContainers?: ContainerSpec[] } };
  };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    unavailableReplicas?: number;
    /** StatefulSet only. */
    currentRevision?: string;
    updateRevision?: string;
    conditions?: WorkloadCondition[];
  };
}

/** Namespace, kind and name: what identifies a workload in the API. */
export interface WorkloadId {
  namespace: string;
  kind: WorkloadKind;
  name: string;
}

export const PLURALS: Readonly<Record<WorkloadKind, string>> = Object.freeze({
  deployment: 'deployments',
  statefulset: 'statefulsets',
});

export function workloadPath(id: WorkloadId): string {
  return `/apis/apps/v1/namespaces/${encodeURIComponent(id.namespace)}/${PLURALS[id.kind]}/${encodeURIComponent(id.name)}`;
}

/** `deployment prod/web` */
export function describeWorkload(id: WorkloadId): string {
  return `${id.kind} ${id.namespace}/${id.name}`;
}

/** The pod template's containers that have a name (nameless ones cannot be patched by name anyway). */
export function templateContainers(object: WorkloadObject, which: 'containers' | 'initContainers' = 'containers'): { name: string; image: string }[] {
  const list = object.spec?.template?.spec?.[which];
  if (!Array.isArray(list)) return [];
  return list
    .filter((c): c is ContainerSpec & { name: string } => typeof c?.name === 'string' && c.name !== '')
    .map((c) => ({ name: c.name, image: typeof c.image === 'string' ? c.image : '' }));
}
