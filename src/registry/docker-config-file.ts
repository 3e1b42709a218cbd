/**
 * Reading and writing the Docker client config (`config.json`) as a whole:
 * every key imageship does not own is kept as it was, and a write replaces
 * the file atomically (a temp file in the same directory, then rename), so a
 * reader — docker, buildx, another imageship — sees the old file or the new
 * one, never half of one. Like the docker CLI, a config.json that is a
 * symlink is written through to its target.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, realpath, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { DockerConfigError } from './docker-config.js';

export interface DockerConfigDocument {
  /** False when there was no file: it is created on the first write. */
  exists: boolean;
  /** The parsed JSON object; mutate it and pass it to writeDockerConfig. */
  data: Record<string, unknown>;
}

/** The file to read and write: `path`, or the target of the symlink it is. */
export async function resolveDockerConfigFile(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch {
    try {
      // No file yet: the directory may still be a symlink.
      return join(await realpath(dirname(path)), basename(path));
    } catch {
      return path;
    }
  }
}

export async function readDockerConfig(path: string): Promise<DockerConfigDocument> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as { code?: unknown } | null)?.code === 'ENOENT') return { exists: false, data: {} };
    throw new DockerConfigError(`cannot read the Docker config ${path}: ${error instanceof Error ? error.message : String(error)}`, path, { cause: error });
  }
  // The docker CLI takes an empty file for an empty config.
  if (text.trim() === '') return { exists: true, data: {} };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new DockerConfigError(`the Docker config ${path} is not valid JSON: fix it or remove it (imageship keeps every other setting in it, so it must parse)`, path);
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new DockerConfigError(`the Docker config ${path} is not a JSON object: fix it or remove it`, path);
  }
  return { exists: true, data: data as Record<string, unknown> };
}

/** Replaces `path` with `data` (tab-indented, as the docker CLI writes it), readable by its owner only. */
export async function writeDockerConfig(path: string, data: Record<string, unknown>): Promise<void> {
  await writePrivateFileAtomically(path, JSON.stringify(data, null, '\t'));
}

/** Deletes `path`; a file already gone is fine. */
export async function removeFile(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch (error) {
    if ((error as { code?: unknown } | null)?.code !== 'ENOENT') throw error;
  }
}

/**
 * Writes `text` to a fresh 0600 file beside `path` and renames it over
 * `path`: the file is never seen half written, and never readable by others
 * (the directory is created 0700 when missing).
 */
export async function writePrivateFileAtomically(path: string, text: string): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const temp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(text, 'utf8');
      await handle.datasync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await removeFile(temp).catch(() => undefined);
    throw new DockerConfigError(`cannot write ${path}: ${error instanceof Error ? error.message : String(error)}`, path, { cause: error });
  }
}
