import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './temp-dir.js';

const repoRoot = new URL('../../../', import.meta.url).pathname;

/** A fresh copy of examples/app as a GitHub workspace (the build context is `.`). */
export function sampleAppWorkspace(): string {
  const dir = tempDir('imageship-ws-');
  cpSync(join(repoRoot, 'examples', 'app'), dir, { recursive: true });
  return dir;
}

/**
 * The test run's id (scripts/run-tests.mjs sets it; a file run on its own gets
 * one of its own): the suite's last check removes every namespace that
 * carries it from the registries and the daemons.
 */
const RUN_ID = /^r[a-z0-9]{4}$/.test(process.env['IMAGESHIP_TEST_RUN'] ?? '')
  ? process.env['IMAGESHIP_TEST_RUN']!
  : `r${Math.floor(Math.random() * 36 ** 4).toString(36).padStart(4, '0')}`;

/**
 * A unique, valid SWR organization (and ACR namespace: at most 30 characters
 * for a label of up to 13) so each test sees only its own pushes:
 * `e2e-<label>-<run id>-<random>`.
 */
export function uniqueNamespace(label: string): string {
  return `e2e-${label}-${RUN_ID}-${Math.floor(Math.random() * 36 ** 5).toString(36).padStart(5, '0')}`;
}

export { repoRoot };
