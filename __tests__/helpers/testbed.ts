/**
 * The local test bed that `bash test-env/start.sh` starts, read from the env
 * file it writes. Importing this module throws when the test bed is not up, so
 * an e2e file fails at once with the command to run instead of a refused socket.
 */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Testbed {
  /** host:port of the registry that checks the SWR-style derived login (htpasswd). */
  readonly swrRegistry: string;
  /** host:port of the registry without auth; holds the base image. */
  readonly anonRegistry: string;
  readonly region: string;
  readonly ak: string;
  readonly sk: string;
  /** hex(HMAC-SHA256(key = SK, message = AK)): the password the swr registry accepts. */
  readonly derivedPassword: string;
  /** `{region}@{AK}`: the user the swr registry accepts. */
  readonly username: string;
  /** The offline base image for builds, e.g. 127.0.0.1:5102/library/busybox:stable. */
  readonly baseImage: string;
  /** The state dir (logs, registry data). */
  readonly stateDir: string;
}

export function testbedStateDir(): string {
  return process.env['IMAGESHIP_TESTBED'] || '/tmp/imageship-testbed';
}

/** Parses the `export NAME=value` lines that start.sh writes (values quoted by bash's printf %q). */
export function parseEnvFile(text: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (!m) throw new Error(`cannot parse test bed env line: ${line}`);
    vars[m[1]!] = unquoteShell(m[2]!);
  }
  return vars;
}

function unquoteShell(value: string): string {
  if (value.startsWith("'") && value.endsWith("'") && value.length >= 2) return value.slice(1, -1);
  // printf %q escapes with backslashes; our values are plain, but undo escapes anyway.
  return value.replace(/\\(.)/g, '$1');
}

export function deriveTestPassword(ak: string, sk: string): string {
  return createHmac('sha256', sk).update(ak).digest('hex');
}

export function loadTestbed(stateDir: string = testbedStateDir()): Testbed {
  const envPath = join(stateDir, 'env');
  let text: string;
  try {
    text = readFileSync(envPath, 'utf8');
  } catch {
    throw new Error(
      `test bed is not running: ${envPath} is missing. Start it with: bash test-env/start.sh` +
        ` (or run the whole suite with: npm test)`,
    );
  }
  const vars = parseEnvFile(text);
  const need = (name: string): string => {
    const v = vars[name];
    if (!v) throw new Error(`${envPath} lacks ${name}; re-run: bash test-env/start.sh`);
    return v;
  };
  const region = need('TESTBED_REGION');
  const ak = need('TESTBED_AK');
  const sk = need('TESTBED_SK');
  return Object.freeze({
    swrRegistry: need('TESTBED_SWR_REGISTRY'),
    anonRegistry: need('TESTBED_ANON_REGISTRY'),
    region,
    ak,
    sk,
    derivedPassword: deriveTestPassword(ak, sk),
    username: `${region}@${ak}`,
    baseImage: need('TESTBED_BASE_IMAGE'),
    stateDir,
  });
}

export const testbed: Testbed = loadTestbed();
