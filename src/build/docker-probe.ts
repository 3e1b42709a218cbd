import type { Exec } from '../ports.js';

export interface DockerTools {
  /** The docker CLI answered. */
  cli: boolean;
  /** The daemon answered (server version known). */
  daemon: boolean;
  clientVersion: string;
  serverVersion: string;
  /** `docker buildx` is installed and works. */
  buildx: boolean;
  /** Why the daemon did not answer, when it did not. */
  problem: string;
}

/**
 * Asks docker what it can do, without side effects. Both probes start at
 * once: the action starts this before loading anything else so the docker
 * round-trip overlaps with module loading.
 */
export async function probeDocker(exec: Exec, env?: Readonly<Record<string, string | undefined>>): Promise<DockerTools> {
  const quiet = { silent: true, timeoutMs: 20_000, ...(env ? { env } : {}) } as const;
  const [version, buildx] = await Promise.all([
    exec({ command: 'docker', args: ['version', '--format', '{{json .}}'], ...quiet }).catch((error: unknown) => ({
      exitCode: -1,
      stdout: '',
      stderr: error instanceof Error ? error.message : String(error),
    })),
    exec({ command: 'docker', args: ['buildx', 'version'], ...quiet }).catch(() => ({ exitCode: -1, stdout: '', stderr: '' })),
  ]);
  const parsed = parseVersionJson(version.stdout);
  return {
    cli: version.exitCode !== -1 && parsed.client !== '',
    daemon: parsed.server !== '',
    clientVersion: parsed.client,
    serverVersion: parsed.server,
    buildx: buildx.exitCode === 0 && /buildx/i.test(buildx.stdout),
    problem: parsed.server !== '' ? '' : firstLine(version.stderr) || 'docker did not report a server version',
  };
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
