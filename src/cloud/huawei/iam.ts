/**
 * The project id of a region (KeystoneListProjects, `GET /v3/projects?name={region}`).
 * Every regional API path carries it; looking it up saves users from copying
 * a 32-character id next to the region they already gave.
 */
import type { HuaweiApiClient } from './api-client.js';

interface ProjectList {
  projects?: Array<{ id?: unknown; name?: unknown; enabled?: unknown }>;
}

/** Calls IAM's regional endpoint `https://iam.{region}.{domain}` unless `endpoints` sets `iam=`. */
export async function findProjectId(client: HuaweiApiClient, region: string): Promise<string> {
  const response = await client.request<ProjectList>({
    service: 'iam',
    method: 'GET',
    path: '/v3/projects',
    query: { name: region },
    operation: `look up the project of region ${region}`,
  });
  const projects = Array.isArray(response.body?.projects) ? response.body.projects : [];
  // The name filter is exact on the server; checking again guards against a proxy or a sub-project (`cn-north-4_dev`).
  const match = projects.find((project) => project.name === region && typeof project.id === 'string' && project.id !== '');
  if (match === undefined) {
    throw new Error(
      `look up the project of region ${region}: this account has no project named ${region}; ` +
        'check region (e.g. cn-north-4), or that the AK belongs to an account that has used this region',
    );
  }
  if (match.enabled === false) {
    throw new Error(`look up the project of region ${region}: the project ${String(match.id)} is disabled`);
  }
  return match.id as string;
}
