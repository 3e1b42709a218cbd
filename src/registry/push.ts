import type { Exec, Logger } from '../ports.js';
import { explainRegistryError, type RegistryHints } from './docker-errors.js';
import { PushProgress } from './push-progress.js';
import { ImageshipError } from '../domain/errors.js';

export class PushError extends ImageshipError {
  constructor(message: string) {
    super(message);
    this.name = 'PushError';
  }
}

/**
 * Pushes each reference with `docker push`. The first push uploads the
 * layers; the others only add a tag, so they are cheap. Returns the digest
 * docker printed for each reference (the registry is asked again afterwards:
 * that is the digest imageship reports). Docker's per-layer status lines
 * become progress lines (push-progress.ts): one per layer settled and an
 * alive line every few seconds while layers are under way.
 */
export async function pushReferences(
  exec: Exec,
  logger: Logger,
  references: readonly string[],
  registry: string,
  hints: RegistryHints,
  env: Readonly<Record<string, string | undefined>>,
  progress: { intervalMs?: number } = {},
): Promise<Map<string, string>> {
  const digests = new Map<string, string>();
  for (const reference of references) {
    const watch = new PushProgress({ log: (line) => logger.info(line), reference, ...progress });
    let result;
    try {
      result = await exec({ command: 'docker', args: ['push', reference], env, hideLine: (line) => watch.observe(line) });
    } finally {
      watch.stop();
    }
    if (result.exitCode !== 0) {
      throw new PushError(explainRegistryError(`${result.stderr}\n${result.stdout}`, { operation: 'push', registry, ...hints }));
    }
    const digest = /digest: (sha256:[0-9a-f]{64})/.exec(result.stdout)?.[1] ?? '';
    digests.set(reference, digest);
    logger.debug(`pushed ${reference} ${digest}`);
  }
  return digests;
}
