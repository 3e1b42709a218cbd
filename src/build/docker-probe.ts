import type { Exec } from '../ports.js';

/** What `docker buildx inspect` says of the builder a build would use. */
export interface BuilderInfo {
  /** The builder's name ('default' for the daemon's own). */
  readonly name: string;
  /** docker, docker-container, remote, kubernetes, cloud… */
  readonly driver: string;
  /** Platforms the builder's nodes report, e.g. linux/amd64, linux/arm64. */
  readonly platforms: readonly string[];
}

export interface DockerTools {
  /** The docker CLI answered. */
  cli: boolean;
  /** The daemon answered (server version known). */
  daemon: boolean;
  clientVersion: string;
  serverVersion: string;
  /** `docker buildx` is installed and works. */
  buildx: boolean;
  /** buildx's version, e.g. 0.13.1 ('' when unknown). */
  buildxVersion: string;
  /** The builder buildx would use; undefined without buildx, for `builder: classic`, or when inspect failed. */
  builder: BuilderInfo | undefined;
  /** Why `docker buildx inspect` failed (e.g. no such builder); '' when it worked or did not run. */
  builderProblem: string;
  /** The daemon keeps images in containerd's store (its docker driver can then export caches and build several platforms). */
  containerdStore: boolean;
  /** Why the daemon did not answer, when it did not. */
  problem: string;
}

/**
 * Asks docker what it can do, without side effects. The probes start at
 * once: the action starts this before loading anything else so the docker
 * round-trips overlap with module loading. `builderName` is the `builder`
 * input ('' for BUILDX_BUILDER or buildx's current builder; `classic` skips
 * the builder probe).
 */
export async function probeDocker(exec: Exec, env?: Readonly<Record<string, string | undefined>>, builderName = ''): Promise<DockerTools> {
  const quiet = { silent: true, timeoutMs: 20_000, ...(env ? { env } : {}) } as const;
  const failed = (error: unknown): { exitCode: number; stdout: string; stderr: string } => ({
    exitCode: -1,
    stdout: '',
    stderr: error instanceof Error ? error.message : String(error),
  });
  const inspectArgs = ['buildx', 'inspect', ...(builderName === '' ? [] : [builderName])];
  const [version, buildx, inspect, info] = await Promise.all([
    exec({ command: 'docker', args: ['version', '--format', '{{json .}}'], ...quiet }).catch(failed),
    exec({ command: 'docker', args: ['buildx', 'version'], ...quiet }).catch(failed),
    builderName === 'classic' ? Promise.resolve(undefined) : exec({ command: 'docker', args: inspectArgs, ...quiet }).catch(failed),
    exec({ command: 'docker', args: ['info', '--format', '{{json .DriverStatus}}'], ...quiet }).catch(failed),
  ]);
  const parsed = parseVersionJson(version.stdout);
  const hasBuildx = buildx.exitCode === 0 && /buildx/i.test(buildx.stdout);
  const builder = hasBuildx && inspect && inspect.exitCode === 0 ? parseBuildxInspect(inspect.stdout) : undefined;
  return {
    cli: version.exitCode !== -1 && parsed.client !== '',
    daemon: parsed.server !== '',
    clientVersion: parsed.client,
    serverVersion: parsed.server,
    buildx: hasBuildx,
    buildxVersion: hasBuildx ? parseBuildxVersion(buildx.stdout) : '',
    builder,
    builderProblem: hasBuildx && inspect && !builder ? firstLine(inspect.stderr) || firstLine(inspect.stdout) || 'docker buildx inspect failed' : '',
    containerdStore: info.exitCode === 0 && info.stdout.includes('io.containerd.snapshotter'),
    problem: parsed.server !== '' ? '' : firstLine(version.stderr) || 'docker did not report a server version',
  };
}

/** `github.com/docker/buildx 0.13.1 …` or `… v0.13.1 …` → `0.13.1`. */
export function parseBuildxVersion(text: string): string {
  return /\bv?(\d+\.\d+\.\d+)/.exec(text)?.[1] ?? '';
}

/**
 * Reads the text `docker buildx inspect` prints (it has no JSON form in the
 * buildx versions runners ship): the first `Name:` and `Driver:` are the
 * builder's, every `Platforms:` line is one node's.
 */
export function parseBuildxInspect(text: string): BuilderInfo | undefined {
  const name = /^Name:\s*(\S+)/m.exec(text)?.[1];
  const driver = /^Driver:\s*(\S+)/m.exec(text)?.[1];
  if (!name || !driver) return undefined;
  const platforms = new Set<string>();
  for (const match of text.matchAll(/^Platforms:\s*(.+)$/gm)) {
    for (const item of match[1]!.split(',')) {
      const platform = item.trim().replace(/\*$/, '');
      if (platform !== '') platforms.add(platform);
    }
  }
  return { name, driver, platforms: [...platforms] };
}

function parseVersionJson(text: string): { client: string; server: string } {
  // `docker version` prints the client part even when the daemon is down, and
  // may print `null` for the server; read defensively.
  const line = text.split('\n').find((l) => l.trim().startsWith('{'));
  if (!line) return { client: '', server: '' };
  try {
    const json = JSON.parse(line) as { Client?: { Version?: string }; Server?: { Version?: string } | null };
    return { client: json.Client?.Version ?? '', server: json.Server?.Version ?? '' };
  } catch {
    return { client: '', server: '' };
  }
}

function firstLine(text: string): string {
  return text.split('\n').map((l) => l.trim()).find(Boolean) ?? '';
}
