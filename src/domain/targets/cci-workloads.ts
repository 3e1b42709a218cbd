/** The `cci-workloads` lines: the `workloads` syntax, deployments only (CCI 2.0 rolls out nothing else). */
import { parseWorkloads, type WorkloadRef } from './kubernetes-workloads.js';

/** Every well-formed line, and one `cci-workloads: …` error per bad one (the `workloads` syntax, deployments only). */
export function parseCciWorkloads(text: string): { workloads: WorkloadRef[]; errors: string[] } {
  const parsed = parseWorkloads(text);
  const errors = parsed.errors.map((error) => error.replace(/^workloads:/, 'cci-workloads:'));
  const workloads: WorkloadRef[] = [];
  for (const workload of parsed.workloads) {
    if (workload.kind !== 'deployment') {
      errors.push(`cci-workloads: "${workload.text}" names a ${workload.kind}: CCI 2.0 rolls out deployments only, e.g. prod/deployment/web`);
      continue;
    }
    workloads.push(workload);
  }
  return { workloads, errors };
}

