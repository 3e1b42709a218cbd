/**
 * Whether `git` started in a folder could find a repository there, told from
 * the file system alone. Reading the build's commit from git costs a process
 * start (≈ 13 ms here, more on a busy runner) even where git can only answer
 * "not a git repository" — the usual case for an image made from a downloaded
 * package. This follows git's own discovery (gitrepository-layout(5),
 * git(1) GIT_DIR) loosely and always errs towards "maybe": a `true` only
 * means git is asked, as before; a `false` is given only where git would
 * find nothing.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Env } from './ci-env.js';

/**
 * True when GIT_DIR is set, or `cwd` or one of its parents holds `.git` (a
 * folder, or the file a worktree or submodule has), or is itself a git folder
 * (a bare repository: `HEAD`, `objects/` and `refs/`).
 */
export function gitMayFindRepository(cwd: string, env: Env): boolean {
  if ((env['GIT_DIR'] ?? '') !== '') return true;
  let dir = resolve(cwd);
  for (;;) {
    if (existsSync(join(dir, '.git')) || isGitFolder(dir)) return true;
    const parent = dirname(dir);
    if (parent === dir) return false;
    dir = parent;
  }
}

function isGitFolder(dir: string): boolean {
  return existsSync(join(dir, 'HEAD')) && isFolder(join(dir, 'objects')) && isFolder(join(dir, 'refs'));
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
