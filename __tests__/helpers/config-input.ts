import { parseConfig } from '../../src/config/parse.js';
import type { Config } from '../../src/config/types.js';
import { ConfigError } from '../../src/config/types.js';

export const VALID_SWR_INPUTS: Readonly<Record<string, string>> = {
  region: 'cn-north-4',
  'access-key': 'HPUATESTAK0000000001',
  'secret-key': 'TestSecretKey0000000000000000000000000000',
  namespace: 'my-org',
  image: 'my-app',
  tags: 'latest',
};

/** Parses inputs the way the action does (missing = ''). */
export function parseInputs(inputs: Record<string, string>, env: Record<string, string> = {}, cwd = '/work'): Config {
  return parseConfig((name) => inputs[name] ?? '', { env, cwd });
}

/** The problems parseConfig reports for these inputs; fails loudly if it accepted them. */
export function problemsFor(inputs: Record<string, string>, env: Record<string, string> = {}): readonly string[] {
  try {
    parseInputs(inputs, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error(`expected a ConfigError for ${JSON.stringify(inputs)}`);
}
