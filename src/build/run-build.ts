import { readFile } from 'node:fs/promises';
import type { Exec } from '../ports.js';
import type { BuildCommand } from './build-command.js';

export interface BuildOutcome {
  /** Local image id (config digest), '' when the builder did not report it. */
  imageId: string;
  /** Manifest digest when buildx pushed; '' otherwise (the registry is asked after the push). */
  pushedDigest: string;
}

export class BuildError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BuildError';
  }
}

/** Runs the build and reads what the builder wrote about its result. */
export async function runBuild(exec: Exec, command: BuildCommand, env: Readonly<Record<string, string | undefined>>): Promise<BuildOutcome> {
  const result = await exec({ command: 'docker', args: command.args, env: { ...env, ...command.env } });
  if (result.exitCode !== 0) {
    throw new BuildError(`build: docker ${command.args[0] === 'buildx' ? 'buildx build' : 'build'} failed (exit ${result.exitCode}): ${lastMeaningfulLine(result.stderr || result.stdout)}`);
  }
  const written = await readFile(command.resultFile, 'utf8').catch(() => '');
  if (command.builder === 'classic') {
    return { imageId: written.trim(), pushedDigest: '' };
  }
  let metadata: Record<string, unknown> = {};
  try {
    metadata = JSON.parse(written) as Record<string, unknown>;
  } catch {
    // An older buildx writes nothing for some exporters; the registry is asked instead.
  }
  const text = (key: string): string => (typeof metadata[key] === 'string' ? (metadata[key] as string) : '');
  return { imageId: text('containerimage.config.digest'), pushedDigest: command.pushesItself ? text('containerimage.digest') : '' };
}

export function lastMeaningfulLine(text: string): string {
  const lines = text.split('\n').map((line) => line.trim()).filter(Boolean);
  const errorLine = [...lines].reverse().find((line) => /error|denied|unauthorized|failed|x509/i.test(line));
  return errorLine ?? lines.at(-1) ?? 'no output';
}
