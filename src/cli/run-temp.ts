import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RunTempDir {
  readonly path: string;
  /** Removes the directory and restores TMPDIR; safe to call twice, and synchronous (a signal handler calls it right before exiting). */
  remove: () => void;
}

/**
 * A directory of the run's own for the files the pipeline writes under
 * os.tmpdir() (the build's image id or metadata, build secret files).
 * os.tmpdir() follows TMPDIR, so pointing TMPDIR here for the run lets the CLI
 * remove those files itself when SIGINT/SIGTERM ends the process before the
 * pipeline's own clean-up runs: an interrupted run leaves no secret file and
 * no temp dir behind.
 */
export function useRunTempDir(env: NodeJS.ProcessEnv = process.env): RunTempDir {
  const previous = env['TMPDIR'];
  const path = mkdtempSync(join(tmpdir(), 'imageship-cli-run-'));
  env['TMPDIR'] = path;
  let removed = false;
  return {
    path,
    remove: () => {
      if (removed) return;
      removed = true;
      if (previous === undefined) delete env['TMPDIR'];
      else env['TMPDIR'] = previous;
      rmSync(path, { recursive: true, force: true });
    },
  };
}
