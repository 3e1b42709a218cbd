/**
 * CCE cluster access: issue a kubeconfig for a cluster (CreateKubernetesClusterCert,
 * `POST /api/v3/projects/{project_id}/clusters/{cluster_id}/clustercert`).
 */
import type { HuaweiApiClient } from './api-client.js';

/** Days, as CCE documents them: 1–1827 (five years), or -1 for the maximum. */
const MIN_DAYS = 1;
const MAX_DAYS = 1827;
const CLUSTER_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface ClusterKubeconfigRequest {
  projectId: string;
  clusterId: string;
  /** How long the client certificate stays valid, in days; 1 by default, since a CI job needs it for minutes. */
  duration?: number;
}

/**
 * The kubeconfig (JSON) CCE issues: clusters `internalCluster` and, when the
 * cluster has a public address, `externalCluster` / `externalClusterTLSVerify`;
 * one user `user`; contexts `internal`, `external`, `externalTLSVerify`.
 * It carries a client key: the caller must treat the text as a secret.
 */
export async function fetchClusterKubeconfig(client: HuaweiApiClient, request: ClusterKubeconfigRequest): Promise<string> {
  const duration = request.duration ?? MIN_DAYS;
  if (!Number.isInteger(duration) || (duration !== -1 && (duration < MIN_DAYS || duration > MAX_DAYS))) {
    throw new Error(`cce: certificate duration ${duration} is not a whole number of days from ${MIN_DAYS} to ${MAX_DAYS} (or -1 for the maximum)`);
  }
  if (!CLUSTER_ID.test(request.clusterId)) {
    throw new Error(`cce: cluster id "${request.clusterId}" is not a cluster id (a UUID, shown on the cluster's overview page)`);
  }
  const response = await client.request<Record<string, unknown>>({
    service: 'cce',
    method: 'POST',
    path: `/api/v3/projects/${request.projectId}/clusters/${request.clusterId}/clustercert`,
    projectId: request.projectId,
    body: { duration },
    operation: `get a kubeconfig for CCE cluster ${request.clusterId}`,
    // Each call issues a new credential: never repeat it once the server may have seen it.
    idempotent: false,
  });
  const kubeconfig = response.body;
  if (kubeconfig === null || typeof kubeconfig !== 'object' || !Array.isArray(kubeconfig['clusters']) || !Array.isArray(kubeconfig['users'])) {
    throw new Error(`get a kubeconfig for CCE cluster ${request.clusterId}: the answer is not a kubeconfig (no clusters or users)`);
  }
  return JSON.stringify(kubeconfig);
}
