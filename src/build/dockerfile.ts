import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, relative } from 'node:path';
import { setting, settings, type InputSyntax } from '../domain/input-syntax.js';

/**
 * Checks the build context and Dockerfile exist. Docker's own error for a
 * missing Dockerfile is cryptic, and `dockerfile` vs `Dockerfile` trips people
 * up on case-sensitive runners after working on macOS/Windows, so a
 * file differing only in case is named in the hint.
 * A context that names a file is usually the Dockerfile itself: the fix then
 * names both options.
 * Returns problems in the `input: what is wrong: fix` form, the fix in the
 * user's syntax (`syntax`); empty when fine.
 */
export function checkBuildFiles(context: string, dockerfile: string, dockerfileGiven: boolean, cwd: string, syntax: InputSyntax = 'action'): string[] {
  // Relative to the workspace as the user typed it; a path outside it in full.
  const shown = (path: string): string => {
    const inside = relative(cwd, path);
    return inside.startsWith('..') ? path : inside || '.';
  };
  if (isFile(context)) {
    const file = dockerfileGiven ? dockerfile : context;
    return [
      `context: "${shown(context)}" is a file, but context is the folder sent to the build: ` +
        `use ${settings(syntax, [['context', shown(dirname(context))], ['dockerfile', shown(file)]])}`,
    ];
  }
  if (!isDirectory(context)) {
    return [`context: directory "${shown(context)}" does not exist: set context to the folder holding your sources`];
  }
  if (existsSync(dockerfile) && statSync(dockerfile).isFile()) return [];

  const folder = dirname(dockerfile);
  const wanted = basename(dockerfile);
  const sameButCase = isDirectory(folder)
    ? readdirSync(folder).find((name) => name !== wanted && name.toLowerCase() === wanted.toLowerCase())
    : undefined;
  if (sameButCase) {
    return [
      `dockerfile: "${shown(dockerfile)}" not found, but "${shown(`${folder}/${sameButCase}`)}" exists: file names are case-sensitive; rename it to ${wanted} or set ${setting(syntax, 'dockerfile', shown(`${folder}/${sameButCase}`))}`,
    ];
  }
  return [
    dockerfileGiven
      ? `dockerfile: "${shown(dockerfile)}" not found: check the path (relative to the workspace)`
      : `dockerfile: no Dockerfile in context "${shown(dirname(dockerfile))}": add one, or set dockerfile to its path`,
  ];
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
