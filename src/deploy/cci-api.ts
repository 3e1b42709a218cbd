/**
 * CCI 2.0 Deployments through the Kubernetes-shaped API of Cloud Container
 * Instance (`https://cci.{region}.{domain}`, overridable with the `endpoints`
 * line `cci=…`), signed with the AK/SK like every Huawei Cloud API call.
 *
 * Facts relied on (CCI API reference, "CCI 2.0"):
 * - readNamespacedDeployment `GET /apis/cci/v2/namespaces/{namespace}/deployments/{name}`
 *   → a Deployment (`apiVersion: cci/v2`), with metadata.generation and
 *   resourceVersion, spec.template.spec.containers and the apps/v1 status
 *   fields (observedGeneration, replicas, updatedReplicas, readyReplicas,
 *   availableReplicas, conditions).
 * - patchNamespacedDeployment `PATCH` on the same path; Content-Type
 *   `application/merge-patch+json` among the patch types offered.
 * - A JSON merge patch (RFC 7386) replaces a list whole: a patch naming one
 *   container with only its image would drop the other containers and every
 *   other field of that one. So the patch carries the containers list as it
 *   was read, only the chosen images changed, and `metadata.resourceVersion`
 *   of that read: a change made in between is refused with 409 Conflict
 *   rather than silently overwritten.
 * - Errors are Kubernetes `Status` objects (`{kind: "Status", code, reason,
 *   message}`): 404 NotFound, 409 Conflict, 422 Invalid; API Gateway errors
 *   (APIGW.0301…) for the signature.
 */
import type { ContainerImage } from './kubernetes/client.js';
import type { WorkloadId, WorkloadObject } from './kubernetes/resources.js';
import type { WorkloadApi } from './kubernetes/rollout.js';
import { HuaweiApiError, type HuaweiApiClient } from '../cloud/huawei/api-client.js';

const SERVICE = 'cci';
export const MERGE_PATCH = 'application/merge-patch+json';

type Json = Record<string, unknown>;

/** One CCI 2.0 namespace's Deployments, read and patched for a rollout (see rolloutWith). */
export class CciWorkloadApi implements WorkloadApi {
  /** The last object read per deployment: the patch is built from it (containers and resourceVersion). */
  private readonly lastRead = new Map<string, Json>();

  constructor(
    private readonly client: HuaweiApiClient,
    /** Sent as X-Project-Id: CCI is a project-level service. */
    private readonly projectId: string,
  ) {}

  async getWorkload(id: WorkloadId): Promise<WorkloadObject> {
    checkKind(id);
    const operation = `read CCI deployment ${id.namespace}/${id.name}`;
    const response = await this.call(id, { method: 'GET', operation });
    const object = readDeployment(response, operation);
    this.lastRead.set(keyOf(id), object);
    return object as WorkloadObject;
  }

  async setContainerImages(id: WorkloadId, images: readonly ContainerImage[]): Promise<WorkloadObject> {
    checkKind(id);
    const operation = `patch CCI deployment ${id.namespace}/${id.name}`;
    const read = this.lastRead.get(keyOf(id)) ?? ((await this.getWorkload(id)) as Json);
    const body = imagePatch(read, images);
    try {
      const response = await this.call(id, { method: 'PATCH', operation, body, contentType: MERGE_PATCH });
      const object = readDeployment(response, operation);
      this.lastRead.set(keyOf(id), object);
      return object as WorkloadObject;
    } catch (error) {
      // A repeat of a patch whose answer was lost meets 409 (its resourceVersion is now old): the read decides.
      if (!(error instanceof HuaweiApiError && error.status === 409)) throw error;
      const now = (await this.getWorkload(id)) as Json;
      if (images.every(({ name, image }) => containersOf(now).some((c) => c['name'] === name && c['image'] === image))) return now as WorkloadObject;
      throw error;
    }
  }

  private async call(id: WorkloadId, call: { method: 'GET' | 'PATCH'; operation: string; body?: unknown; contentType?: string }): Promise<unknown> {
    try {
      const response = await this.client.request({
        service: SERVICE,
        method: call.method,
        path: `/apis/cci/v2/namespaces/${encodeURIComponent(id.namespace)}/deployments/${encodeURIComponent(id.name)}`,
        projectId: this.projectId,
        operation: call.operation,
        ...(call.body === undefined ? {} : { body: call.body }),
        ...(call.contentType === undefined ? {} : { contentType: call.contentType }),
        // The same merge patch (same resourceVersion) applied twice leaves one change; a lost answer is settled above.
        idempotent: true,
      });
      return response.body;
    } catch (error) {
      throw error instanceof HuaweiApiError ? withCciRemedy(error, id) : error;
    }
  }
}

/**
 * The merge patch: the containers list as read, each chosen container with
 * its new image and every other field kept, guarded by the read's
 * resourceVersion.
 */
export function imagePatch(read: Json, images: readonly ContainerImage[]): Json {
  const wanted = new Map(images.map(({ name, image }) => [name, image]));
  const containers = containersOf(read).map((container) => {
    const image = wanted.get(String(container['name']));
    return image === undefined ? container : { ...container, image };
  });
  const resourceVersion = (read['metadata'] as Json | undefined)?.['resourceVersion'];
  return {
    metadata: typeof resourceVersion === 'string' && resourceVersion !== '' ? { resourceVersion } : {},
    spec: { template: { spec: { containers } } },
  };
}

function containersOf(object: Json): Json[] {
  const spec = ((object['spec'] as Json | undefined)?.['template'] as Json | undefined)?.['spec'] as Json | undefined;
  const list = spec?.['containers'];
  return Array.isArray(list) ? (list.filter((c) => c !== null && typeof c === 'object') as Json[]) : [];
}

function readDeployment(body: unknown, operation: string): Json {
  if (body === null || typeof body !== 'object' || Array.isArray(body) || (body as Json)['kind'] !== 'Deployment') {
    throw new Error(`cci: ${operation}: the answer is not a Deployment — check that the cci endpoint is the CCI 2.0 API`);
  }
  return body as Json;
}

function checkKind(id: WorkloadId): void {
  if (id.kind !== 'deployment') throw new Error(`cci-workloads: CCI 2.0 rolls out deployments, not ${id.kind}s`);
}

function keyOf(id: WorkloadId): string {
  return `${id.namespace}/${id.name}`;
}

/** What to do about the answers a CCI rollout can meet. */
function withCciRemedy(error: HuaweiApiError, id: WorkloadId): HuaweiApiError {
  const remedy =
    error.status === 404 && !/^APIGW?\./.test(error.code)
      ? `check the namespace and name in cci-workloads (the CCI console lists the namespace's deployments; ${id.namespace} must be a CCI 2.0 namespace of this project and region)`
      : error.status === 409
        ? 'the deployment was changed by someone else at the same time: run again'
        : error.status === 403
          ? 'grant this IAM user CCI permissions (CCI FullAccess, or a custom policy with cci:deployment:get and cci:deployment:update)'
          : error.status === 422
            ? 'CCI refused the new pod template; the message says which field'
            : undefined;
  if (remedy === undefined || error.message.includes(remedy)) return error;
  return new HuaweiApiError(`cci: ${error.message} — ${remedy}`, {
    status: error.status,
    code: error.code,
    operation: error.operation,
    ...(error.requestId === undefined ? {} : { requestId: error.requestId }),
  });
}
