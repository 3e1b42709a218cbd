/**
 * The two API calls a rollout needs: read a Deployment/StatefulSet, and set
 * container images in its pod template. Nothing else of the Kubernetes API
 * is wrapped; a general client would be tens of megabytes for two calls.
 */
import type { KubeTarget } from './kubeconfig.js';
import { describeWorkload, PLURALS, workloadPath, type WorkloadId, type WorkloadObject } from './resources.js';
import { statusError, type FailedCall } from './status-error.js';
import { KubernetesError, KubeTransport, type KubeResponse, type TransportOptions } from './transport.js';

export interface ContainerImage {
  name: string;
  image: string;
}

export class KubeClient {
  private readonly transport: KubeTransport;

  constructor(target: KubeTarget, options: TransportOptions = {}) {
    this.transport = new KubeTransport(target, options);
  }

  async getWorkload(id: WorkloadId): Promise<WorkloadObject> {
    const call = callFor('get', id);
    const response = await this.transport.request({ method: 'GET', path: workloadPath(id), operation: call.operation, idempotent: true });
    return readObject(call, response);
  }

  /**
   * A strategic merge patch: containers are merged by `name`, so only the
   * named containers' `image` changes and every other field stays as it is.
   * Sending it twice leaves the same state as sending it once, which is why
   * it may be retried after a reset or a 5xx like a GET.
   */
  async setContainerImages(id: WorkloadId, images: readonly ContainerImage[]): Promise<WorkloadObject> {
    const call = callFor('patch', id);
    const body = JSON.stringify({
      spec: { template: { spec: { containers: images.map(({ name, image }) => ({ name, image })) } } },
    });
    const response = await this.transport.request({
      method: 'PATCH',
      path: workloadPath(id),
      operation: call.operation,
      contentType: 'application/strategic-merge-patch+json',
      body,
      idempotent: true,
    });
    return readObject(call, response);
  }

  close(): void {
    this.transport.close();
  }
}

function callFor(verb: 'get' | 'patch', id: WorkloadId): FailedCall {
  return {
    operation: `${verb} ${describeWorkload(id)}`,
    verb,
    resource: PLURALS[id.kind],
    namespace: id.namespace,
  };
}

function readObject(call: FailedCall, response: KubeResponse): WorkloadObject {
  if (response.status < 200 || response.status >= 300) throw statusError(call, response);
  let parsed: unknown;
  try {
    parsed = JSON.parse(response.body);
  } catch {
    parsed = undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new KubernetesError(
      `kubernetes: ${call.operation}: the server answered ${response.status} with something that is not a Kubernetes object — check that the kubeconfig's server is the API server itself, not a dashboard or proxy page`,
      { operation: call.operation, attempts: response.attempts, status: response.status },
    );
  }
  return parsed as WorkloadObject;
}
