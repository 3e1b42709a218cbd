/**
 * The new image config: the base's, with the package layer's diff id and a
 * history entry appended, and the start settings, environment, ports, user
 * and labels changed as a Dockerfile's ENTRYPOINT/CMD/ENV/WORKDIR/EXPOSE/
 * USER/LABEL lines would change them (an ENTRYPOINT clears an inherited CMD).
 * `created` is fixed (SOURCE_DATE_EPOCH or the epoch), so the digest depends
 * on the inputs only.
 */

export interface ImageChanges {
  /** ISO time for `created` and the history entry. */
  created: string;
  /** undefined = keep the base's. */
  entrypoint: readonly string[] | undefined;
  cmd: readonly string[] | undefined;
  /** '' = keep the base's. */
  workdir: string;
  env: readonly (readonly [string, string])[];
  /** `port/proto`. */
  expose: readonly string[];
  user: string;
  labels: readonly (readonly [string, string])[];
  /** The history entry's created_by. */
  createdBy: string;
  /** `org.opencontainers.image.base.name`. */
  baseName: string;
  /** `org.opencontainers.image.base.digest`. */
  baseDigest: string;
}

type Json = Record<string, unknown>;

const DEFAULT_PATH = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export function imageConfigFor(base: Json, changes: ImageChanges, diffId: string): Json {
  const config: Json = structuredClone(base);
  config['created'] = changes.created;
  const settings: Json = isRecord(config['config']) ? config['config'] : {};
  config['config'] = settings;

  if (changes.env.length > 0) {
    const env = Array.isArray(settings['Env']) ? (settings['Env'] as unknown[]).filter((item): item is string => typeof item === 'string') : [];
    for (const [name, value] of changes.env) {
      const at = env.findIndex((item) => item.split('=')[0] === name);
      if (at >= 0) env[at] = `${name}=${value}`;
      else env.push(`${name}=${value}`);
    }
    settings['Env'] = env;
  }
  const env = Array.isArray(settings['Env']) ? (settings['Env'] as unknown[]) : [];
  if (!env.some((item) => typeof item === 'string' && item.startsWith('PATH='))) {
    // As BuildKit does for every image it writes: a config without PATH gets the default, else a runtime that sees
    // any Env (ours) may start the entrypoint with no PATH at all ("sh": executable file not found).
    settings['Env'] = [DEFAULT_PATH, ...env];
  }
  if (changes.entrypoint !== undefined) {
    settings['Entrypoint'] = [...changes.entrypoint];
    // Docker's rule: a new ENTRYPOINT does not inherit the base's CMD.
    if (changes.cmd === undefined) settings['Cmd'] = null;
  }
  if (changes.cmd !== undefined) settings['Cmd'] = [...changes.cmd];
  if (changes.workdir !== '') settings['WorkingDir'] = changes.workdir;
  if (changes.expose.length > 0) {
    const ports: Json = isRecord(settings['ExposedPorts']) ? { ...settings['ExposedPorts'] } : {};
    for (const port of changes.expose) ports[port] = {};
    settings['ExposedPorts'] = sortedRecord(ports);
  }
  if (changes.user !== '') settings['User'] = changes.user;
  const labels: Json = isRecord(settings['Labels']) ? { ...settings['Labels'] } : {};
  for (const [name, value] of changes.labels) labels[name] = value;
  labels['org.opencontainers.image.base.name'] = changes.baseName;
  labels['org.opencontainers.image.base.digest'] = changes.baseDigest;
  settings['Labels'] = sortedRecord(labels);

  const rootfs: Json = isRecord(config['rootfs']) ? { ...config['rootfs'] } : { type: 'layers' };
  rootfs['diff_ids'] = [...(Array.isArray(rootfs['diff_ids']) ? rootfs['diff_ids'] : []), diffId];
  config['rootfs'] = rootfs;
  const history = Array.isArray(config['history']) ? [...(config['history'] as unknown[])] : [];
  history.push({ created: changes.created, created_by: changes.createdBy, comment: 'imageship package' });
  config['history'] = history;
  return config;
}

function isRecord(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function sortedRecord(record: Json): Json {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
