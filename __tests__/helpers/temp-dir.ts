/**
 * Temporary directories for tests that are removed when the test process
 * exits, whatever the test did with them. A step's RUNNER_TEMP, a Docker
 * config or a workspace is often read after the call that made it returns
 * (the test inspects it), so removal waits for the end of the file's process
 * instead of the end of the call. The suite's last check
 * (__tests__/suite-end/) names any directory a test leaves.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const made: string[] = [];
let hooked = false;

/** `mkdtemp(<tmpdir>/<prefix>XXXXXX)`, removed (recursively) when this process exits. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  if (!hooked) {
    hooked = true;
    // 'exit' handlers must be synchronous; rmSync is. A killed process leaves its
    // directories, and the suite's own TMPDIR (scripts/run-tests.mjs) catches those.
    process.once('exit', removeTempDirs);
  }
  return dir;
}

/** Removes every directory tempDir made so far (also usable from an after() hook). */
export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}
