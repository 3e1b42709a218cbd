/**
 * dist/ is what the runner executes: it must be exactly what the sources
 * bundle to today (CI rejects a stale dist/; check-dist does the same on GitHub).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../helpers/workspace.js';
import { tempDir } from '../helpers/temp-dir.js';

test('dist/ equals a fresh bundle of the sources (run `npm run bundle` and commit dist/)', () => {
  const out = tempDir('imageship-dist-');
  execFileSync(process.execPath, [join(repoRoot, 'scripts', 'bundle.mjs'), out], { cwd: repoRoot, stdio: 'pipe' });
  const committed = readdirSync(join(repoRoot, 'dist')).sort();
  assert.deepEqual(readdirSync(out).sort(), committed);
  for (const name of committed) {
    assert.ok(readFileSync(join(out, name)).equals(readFileSync(join(repoRoot, 'dist', name))), `dist/${name} differs from a fresh bundle`);
  }
});
