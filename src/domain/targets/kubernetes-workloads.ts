/**
 * The `workloads` input: which Deployments and StatefulSets get the new image.
 * One per line, `namespace/kind/name[:container]`; checked here, before any
 * build starts, so a typo costs seconds rather than a whole build.
 */

export type WorkloadKind = 'deployment' | 'statefulset';

export interface WorkloadRef {
  namespace: string;
  kind: WorkloadKind;
  name: string;
  /** Only this container; when absent, every container running the pushed repository. */
  container?: string;
  /** The line as written (trimmed), for logs and errors. */
  text: string;
}

const KINDS: ReadonlyMap<string, WorkloadKind> = new Map([
  ['deployment', 'deployment'],
  ['deployments', 'deployment'],
  ['statefulset', 'statefulset'],
  ['statefulsets', 'statefulset'],
]);

/** Short names kubectl knows; named in the error rather than silently accepted, so the input reads the same everywhere. */
const SHORT_NAMES: ReadonlyMap<string, string> = new Map([
  ['deploy', 'deployment'],
  ['sts', 'statefulset'],
]);

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const EXAMPLE = 'e.g. prod/deployment/web or prod/statefulset/db:postgres';

/** Every well-formed line, and one `workloads: "<line>" …: <fix>` error per bad one. Blank and `#` lines are skipped. */
export function parseWorkloads(text: string): { workloads: WorkloadRef[]; errors: string[] } {
  const workloads: WorkloadRef[] = [];
  const errors: string[] = [];
  const seen = new Set<string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const parsed = parseLine(line);
    if (typeof parsed === 'string') {
      errors.push(`workloads: "${shorten(line)}" ${parsed}`);
      continue;
    }
    const key = `${parsed.namespace}/${parsed.kind}/${parsed.name}:${parsed.container ?? ''}`;
    if (seen.has(key)) {
      errors.push(`workloads: "${shorten(line)}" is listed twice: remove one`);
      continue;
    }
    seen.add(key);
    workloads.push(parsed);
  }
  return { workloads, errors };
}

/** The reference, or the rest of an error message (`<what is wrong>: <fix>`). */
function parseLine(line: string): WorkloadRef | string {
  if (/\s/.test(line)) return `contains spaces: write one namespace/kind/name[:container] per line, ${EXAMPLE}`;
  const parts = line.split('/');
  if (parts.length !== 3) {
    return `is not namespace/kind/name[:container]: ${EXAMPLE}`;
  }
  const [namespace = '', kindText = '', nameAndContainer = ''] = parts;
  const colon = nameAndContainer.indexOf(':');
  const name = colon < 0 ? nameAndContainer : nameAndContainer.slice(0, colon);
  const container = colon < 0 ? undefined : nameAndContainer.slice(colon + 1);

  const kind = KINDS.get(kindText.toLowerCase());
  if (!kind) {
    const full = SHORT_NAMES.get(kindText.toLowerCase());
    if (full) return `uses the short kind "${kindText}": write ${full}`;
    if (kindText === '') return `has no kind: use deployment or statefulset, ${EXAMPLE}`;
    return `has kind "${kindText}": imageship rolls out deployment or statefulset workloads only`;
  }
  const namespaceProblem = checkName(namespace, 'namespace', DNS_LABEL, 63);
  if (namespaceProblem) return namespaceProblem;
  const nameProblem = checkName(name, 'name', DNS_SUBDOMAIN, 253);
  if (nameProblem) return nameProblem;
  if (container !== undefined) {
    if (container === '') return `has an empty container after ":": name the container or drop the ":"`;
    const containerProblem = checkName(container, 'container', DNS_LABEL, 63);
    if (containerProblem) return containerProblem;
  }
  return { namespace, kind, name, ...(container !== undefined ? { container } : {}), text: line };
}

function checkName(value: string, what: string, pattern: RegExp, maxLength: number): string | undefined {
  if (value === '') return `has an empty ${what}: ${EXAMPLE}`;
  if (value.length > maxLength) return `has a ${what} longer than ${maxLength} characters: Kubernetes does not allow it, check the ${what}`;
  if (pattern.test(value)) return undefined;
  if (pattern.test(value.toLowerCase())) return `has ${what} "${value}" with capital letters: Kubernetes names are lowercase, write "${value.toLowerCase()}"`;
  const allowed = pattern === DNS_LABEL ? 'lowercase letters, digits and "-"' : 'lowercase letters, digits, "-" and "."';
  return `has ${what} "${value}", which is not a valid Kubernetes name: use ${allowed}, starting and ending with a letter or digit`;
}

function shorten(line: string): string {
  return line.length > 80 ? `${line.slice(0, 80)}…` : line;
}
