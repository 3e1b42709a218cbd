/**
 * A lock file beside the Docker config, so imageship processes that share one
 * config (parallel jobs on a self-hosted runner, CLI runs started side by
 * side) make their read-modify-write of config.json one at a time and none
 * loses another's entry.
 *
 * The lock is a file created with O_EXCL (`wx`) that names its holder. A
 * holder that died (same machine and pid namespace, pid gone) or that has
 * held the lock far longer than any update takes is stale, and the lock is
 * broken. The docker CLI takes no lock: a `docker login` running at the very
 * same moment can still win a race (its write is atomic too, so the file
 * stays valid JSON either way).
 */
import { randomBytes } from 'node:crypto';
import { readlinkSync } from 'node:fs';
import { link, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { ImageshipError } from '../domain/errors.js';

export class ConfigLockError extends ImageshipError {
  override readonly name = 'ConfigLockError';
}

export interface LockOptions {
  /** How long to wait for a live holder before giving up. */
  waitMs?: number;
  /** A lock held longer than this is stale, whoever holds it. */
  staleMs?: number;
}

interface Holder {
  pid: number;
  /** Host name and pid namespace: a pid means something only there. */
  machine: string;
  token: string;
  since: string;
}

/** Updates take milliseconds; a credential helper call is bounded at 30 s (three of them at most). */
const DEFAULT_STALE_MS = 120_000;
const DEFAULT_WAIT_MS = 150_000;

/** Runs `body` while holding the lock file `lockPath`; the lock is released however `body` ends. */
export async function withFileLock<T>(lockPath: string, body: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const token = await acquire(lockPath, options);
  try {
    return await body();
  } finally {
    await release(lockPath, token);
  }
}

async function acquire(lockPath: string, options: LockOptions): Promise<string> {
  const staleMs = options.staleMs ?? DEFAULT_STALE_MS;
  const deadline = Date.now() + (options.waitMs ?? DEFAULT_WAIT_MS);
  const me: Holder = { pid: process.pid, machine: thisMachine(), token: randomBytes(12).toString('hex'), since: new Date().toISOString() };
  let pause = 5;
  for (;;) {
    try {
      const handle = await open(lockPath, 'wx', 0o600);
      try {
        await handle.writeFile(JSON.stringify(me));
      } finally {
        await handle.close();
      }
      return me.token;
    } catch (error) {
      if (errorCode(error) !== 'EEXIST') throw new ConfigLockError(`cannot create the lock file ${lockPath}: ${errorMessage(error)}`);
    }

    const holder = await readHolder(lockPath);
    const age = await ageMs(lockPath);
    if (age === undefined) continue; // released in between: try again at once
    if (isStale(holder, age, staleMs)) {
      await breakStaleLock(lockPath, me.token, staleMs);
      continue;
    }
    if (Date.now() > deadline) {
      const who = holder ? `process ${holder.pid} (since ${holder.since})` : 'another process';
      throw new ConfigLockError(
        `the Docker config is locked by ${who} through ${lockPath} for ${Math.round(age / 1000)} s: if no imageship is running on this machine, remove that file`,
      );
    }
    // Jitter, so processes that woke together do not collide again.
    await new Promise((resolve) => setTimeout(resolve, pause + Math.random() * pause));
    pause = Math.min(pause * 2, 100);
  }
}

/** Its holder died (checked only where its pid means something), or it was held far too long. */
function isStale(holder: Holder | undefined, age: number, staleMs: number): boolean {
  return age > staleMs || (holder !== undefined && holder.machine === thisMachine() && !processAlive(holder.pid));
}

/**
 * Moves the stale lock aside (rename is atomic: of several processes breaking
 * it, one wins), judges again what was moved and deletes it. When that is a
 * live lock (the stale one was broken and taken anew in between), it is put
 * back, unless yet another lock exists by then.
 */
async function breakStaleLock(lockPath: string, myToken: string, staleMs: number): Promise<void> {
  const aside = `${lockPath}.stale-${myToken}`;
  try {
    await rename(lockPath, aside);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return;
    throw new ConfigLockError(`cannot remove the stale lock file ${lockPath}: ${errorMessage(error)}`);
  }
  const age = (await ageMs(aside)) ?? Number.POSITIVE_INFINITY;
  if (!isStale(await readHolder(aside), age, staleMs)) await link(aside, lockPath).catch(() => undefined);
  await unlink(aside).catch(() => undefined);
}

async function release(lockPath: string, token: string): Promise<void> {
  // Held so long that another process broke it as stale: that lock is not ours to remove.
  if ((await readHolder(lockPath))?.token !== token) return;
  await unlink(lockPath).catch(() => undefined);
}

async function readHolder(path: string): Promise<Holder | undefined> {
  try {
    const holder = JSON.parse(await readFile(path, 'utf8')) as Partial<Holder>;
    if (typeof holder.pid === 'number' && typeof holder.machine === 'string' && typeof holder.token === 'string') {
      return { pid: holder.pid, machine: holder.machine, token: holder.token, since: String(holder.since ?? '') };
    }
  } catch {
    // Gone, or still being written by its creator: judged by its age alone.
  }
  return undefined;
}

async function ageMs(path: string): Promise<number | undefined> {
  try {
    return Date.now() - (await stat(path)).mtimeMs;
  } catch {
    return undefined;
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errorCode(error) === 'EPERM';
  }
}

let machine: string | undefined;

/** Containers may share a host name but not a pid namespace: both must match for a pid to be checked. */
function thisMachine(): string {
  if (machine === undefined) {
    let pidNamespace = '';
    try {
      pidNamespace = readlinkSync('/proc/self/ns/pid');
    } catch {
      // Not Linux: the host name alone.
    }
    machine = `${hostname()}/${pidNamespace}`;
  }
  return machine;
}

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
