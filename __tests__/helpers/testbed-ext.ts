/**
 * The parts of the test bed beyond Docker 20.10 and the registries: the buildx
 * plugin, two Docker 26 daemons (vfs, containerd image store), a BuildKit
 * daemon behind a buildx `remote` builder, and act. `test-env/start.sh` starts
 * them and writes their paths to its env file; a test that needs them skips
 * with the reason when they are missing, except in CI, where it fails.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnvFile, testbedStateDir } from './testbed.js';

export interface ExtendedTestbed {
  readonly buildxPlugin: string;
  readonly docker26Host: string;
  readonly docker26ContainerdHost: string;
  readonly docker26Bin: string;
  readonly buildxConfig: string;
  readonly buildkitBuilder: string;
}

export type ExtendedTestbedState = { ready: true; bed: ExtendedTestbed; reason: '' } | { ready: false; bed: undefined; reason: string };

export function extendedTestbed(stateDir: string = testbedStateDir()): ExtendedTestbedState {
  const envPath = join(stateDir, 'env');
  const vars = existsSync(envPath) ? parseEnvFile(readFileSync(envPath, 'utf8')) : {};
  const names = {
    buildxPlugin: 'TESTBED_BUILDX_PLUGIN',
    docker26Host: 'TESTBED_DOCKER26_HOST',
    docker26ContainerdHost: 'TESTBED_DOCKER26C_HOST',
    docker26Bin: 'TESTBED_DOCKER26_BIN',
    buildxConfig: 'TESTBED_BUILDX_CONFIG',
    buildkitBuilder: 'TESTBED_BUILDKIT_BUILDER',
  } as const;
  const missing = Object.values(names).filter((name) => !vars[name]);
  if (missing.length > 0) {
    return { ready: false, bed: undefined, reason: `the test bed lacks ${missing.join(', ')} (buildx, Docker 26, BuildKit): run bash test-env/start.sh` };
  }
  const bed = Object.fromEntries(Object.entries(names).map(([key, name]) => [key, vars[name]!])) as unknown as ExtendedTestbed;
  if (!existsSync(bed.buildxPlugin)) return { ready: false, bed: undefined, reason: `${bed.buildxPlugin} (buildx) is missing: run bash test-env/start.sh` };
  return { ready: true, bed, reason: '' };
}
