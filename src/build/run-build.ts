import { chmod, readFile, writeFile } from 'node:fs/promises';
import type { Exec } from '../ports.js';
import type { BuildCommand } from './build-command.js';
import { ImageshipError } from '../domain/errors.js';

export interface BuildOutcome {
  /** Image id: `docker image inspect`'s when the image is in the local store, else the config digest BuildKit reported; '' when neither is known. */
  imageId: string;
  /** Manifest digest when buildx pushed; '' otherwise (the registry is asked after the push). */
  pushedDigest: string;
  /** docker printed the classic builder's deprecation notice (kept out of the log; the caller warns once). */
  legacyBuilderNotice: boolean;
}

export class BuildError extends ImageshipError {
  constructor(message: string) {
    super(message);
    this.name = 'BuildError';
  }
}

/** Runs the build and reads what the builder wrote about its result. */
export async function runBuild(exec: Exec, command: BuildCommand, env: Readonly<Record<string, string | undefined>>, references: readonly string[] = []): Promise<BuildOutcome> {
  for (const file of command.secretFiles) {
    await writeFile(file.path, file.value, { mode: 0o600 });
    await chmod(file.path, 0o600);
  }
  const notice = legacyNoticeFilter();
  const result = await exec({ command: 'docker', args: command.args, env: { ...env, ...command.env }, hideLine: notice.hide });
  if (result.exitCode !== 0) {
    throw new BuildError(`build: docker ${command.args[0] === 'buildx' ? 'buildx build' : 'build'} failed (exit ${result.exitCode}): ${dockerErrorText(result.stderr || result.stdout)}`);
  }
  const written = await readFile(command.resultFile, 'utf8').catch(() => '');
  const local = command.builder === 'buildx' && command.loadsLocally && references[0] ? await inspectImageId(exec, references[0], env) : '';
  if (command.builder === 'classic') {
    return { imageId: written.trim(), pushedDigest: '', legacyBuilderNotice: notice.seen() };
  }
  let metadata: Record<string, unknown> = {};
  try {
    metadata = JSON.parse(written) as Record<string, unknown>;
  } catch {
    // An older buildx writes nothing for some exporters; the registry is asked instead.
  }
  const text = (key: string): string => (typeof metadata[key] === 'string' ? (metadata[key] as string) : '');
  // Docker 20.10's docker driver writes no config digest after --load: the local store is the truth then.
  return {
    imageId: local || text('containerimage.config.digest'),
    pushedDigest: command.pushesItself ? text('containerimage.digest') : '',
    legacyBuilderNotice: notice.seen(),
  };
}

async function inspectImageId(exec: Exec, reference: string, env: Readonly<Record<string, string | undefined>>): Promise<string> {
  const result = await exec({ command: 'docker', args: ['image', 'inspect', '--format', '{{.Id}}', reference], env, silent: true, timeoutMs: 20_000 }).catch(() => undefined);
  const id = result?.exitCode === 0 ? result.stdout.trim() : '';
  return /^sha256:[0-9a-f]{64}$/.test(id) ? id : '';
}

/**
 * The docker CLI (23+) prints a three-line deprecation notice on every classic
 * build: "DEPRECATED: The legacy builder is deprecated…" and indented
 * continuation lines. It is kept from the log and reported once, with the fix.
 */
function legacyNoticeFilter(): { hide: (line: string) => boolean; seen: () => boolean } {
  let seen = false;
  let inside = false;
  return {
    hide(line) {
      if (/^DEPRECATED: The legacy builder is deprecated/.test(line)) {
        seen = true;
        inside = true;
        return true;
      }
      if (inside && /^\s+\S/.test(line)) return true;
      inside = false;
      return false;
    },
    seen: () => seen,
  };
}

/**
 * What docker said went wrong, with its hint lines: buildx prints `ERROR: …`
 * and then the fix on the following lines ("Switch to a different driver, or
 * turn on the containerd image store…"); the classic builder prints one line.
 */
export function dockerErrorText(text: string): string {
  const lines = text.split('\n').map((line) => line.trimEnd());
  let start = -1;
  for (let i = lines.length - 1; i >= 0; i--) {
    if (/^(ERROR|error)(:| )/.test(lines[i]!.trim())) {
      start = i;
      break;
    }
  }
  if (start < 0) return lastMeaningfulLine(text);
  const kept = [lines[start]!.trim()];
  for (const line of lines.slice(start + 1)) {
    const trimmed = line.trim();
    if (trimmed === '') continue;
    // Progress and Dockerfile excerpts that follow an error are not hints.
    if (/^(#\d|-----|>|\d+ \||View build details|WARNING:)/.test(trimmed)) break;
    kept.push(trimmed);
    if (kept.length === 4) break;
  }
  return kept.join('\n');
}

export function lastMeaningfulLine(text: string): string {
  const lines = text.split('\n').map((line) => line.trim()).filter(Boolean);
  const errorLine = [...lines].reverse().find((line) => /error|denied|unauthorized|failed|x509/i.test(line));
  return errorLine ?? lines.at(-1) ?? 'no output';
}
