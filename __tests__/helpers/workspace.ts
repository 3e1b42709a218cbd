import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const repoRoot = new URL('../../../', import.meta.url).pathname;

/** A fresh copy of examples/app as a GitHub workspace (the build context is `.`). */
export function sampleAppWorkspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'imageship-ws-'));
  cpSync(join(repoRoot, 'examples', 'app'), dir, { recursive: true });
  return dir;
}

/** A unique, valid SWR organization name so each test sees only its own pushes. */
export function uniqueNamespace(label: string): string {
  return `e2e-${label}-${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
}

export { repoRoot };
