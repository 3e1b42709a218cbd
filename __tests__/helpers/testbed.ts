/**
 * The local test bed that `bash test-env/start.sh` starts, read from the env
 * file it writes. Importing this module throws when the test bed is not up, so
 * an e2e file fails at once with the command to run instead of a refused socket.
 *
 * The extended parts (test-env/ext.sh: buildx plugin, Docker 26 daemons,
 * buildkitd, act) may each be missing: `requireTool` skips a test that needs a
 * missing one, or fails it when CI=true.
 */
import { createHmac } from 'node:crypto';
import { accessSync, constants, mkdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
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

function envFilePath(stateDir: string): string {
  return join(stateDir, 'env');
}

export function loadTestbed(stateDir: string = testbedStateDir()): Testbed {
  const envPath = envFilePath(stateDir);
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

// ---------------------------------------------------------------- extended parts

/** A Docker 26.1.5 daemon of the test bed. */
export interface Docker26 {
  /** `unix://…/docker.sock`: the DOCKER_HOST to use. */
  readonly host: string;
  /** The folder holding the Docker 26 CLI (put it first on PATH). */
  readonly bin: string;
  /** The Docker 26 CLI. */
  readonly docker: string;
}

/** buildkitd and the buildx remote builder that points at it. */
export interface BuildkitBuilder {
  /** `unix://…/buildkitd.sock`. */
  readonly addr: string;
  /** The BUILDX_CONFIG dir holding the builder. */
  readonly buildxConfig: string;
  /** The builder's name, for `builder:` / BUILDX_BUILDER. */
  readonly builder: string;
}

export interface ExtendedTestbed {
  /** The docker-buildx 0.13.1 plugin binary; link it with dockerConfigWithBuildx. */
  readonly buildx: string | undefined;
  /** Docker 26 with the vfs storage driver. */
  readonly docker26: Docker26 | undefined;
  /** Docker 26 with the containerd image store. */
  readonly docker26c: Docker26 | undefined;
  readonly buildkit: BuildkitBuilder | undefined;
  /** nektos/act. */
  readonly act: string | undefined;
  /** Why a tool is undefined, per tool. */
  readonly missing: Readonly<Partial<Record<TestbedTool, string>>>;
}

export type TestbedTool = 'buildx' | 'docker26' | 'docker26c' | 'buildkit' | 'act';

/** Undefined when `path` is an executable file, else why not. */
function executableProblem(name: string, path: string): string | undefined {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile() ? undefined : `${name}=${path} is not a file`;
  } catch {
    return `${name}=${path} is not an executable file`;
  }
}

/** Undefined when `addr` (unix://PATH) names an existing socket, else why not. */
function socketProblem(name: string, addr: string): string | undefined {
  if (!addr.startsWith('unix://')) return `${name}=${addr} is not a unix:// address`;
  const path = addr.slice('unix://'.length);
  try {
    return statSync(path).isSocket() ? undefined : `${name}: ${path} is not a socket`;
  } catch {
    return `${name}: no socket at ${path} (the daemon is not running)`;
  }
}

/**
 * The extended parts named in the env file, each checked on disk (binary
 * executable, socket present); a tool that fails a check is undefined, with
 * the reason in `missing`. Never throws.
 */
export function loadExtendedTestbed(stateDir: string = testbedStateDir()): ExtendedTestbed {
  const envPath = envFilePath(stateDir);
  let vars: Record<string, string> = {};
  let unreadable: string | undefined;
  try {
    vars = parseEnvFile(readFileSync(envPath, 'utf8'));
  } catch (err) {
    unreadable = `${envPath} is unreadable (${(err as Error).message})`;
  }
  const missing: Partial<Record<TestbedTool, string>> = {};
  // Each check: the variable is set, then what it names is there.
  const check = (tool: TestbedTool, names: readonly string[], problem: (name: string, value: string) => string | undefined): boolean => {
    if (missing[tool]) return false;
    for (const name of names) {
      const value = vars[name];
      const why = unreadable ?? (value ? problem(name, value) : `${envPath} has no ${name}`);
      if (why) {
        missing[tool] = why;
        return false;
      }
    }
    return true;
  };
  const buildx = check('buildx', ['TESTBED_BUILDX_PLUGIN'], executableProblem) ? vars['TESTBED_BUILDX_PLUGIN'] : undefined;
  const docker26Of = (tool: 'docker26' | 'docker26c', hostVar: string): Docker26 | undefined => {
    const ok =
      check(tool, ['TESTBED_DOCKER26_BIN'], (name, dir) => executableProblem(name, join(dir, 'docker'))) &&
      check(tool, [hostVar], socketProblem);
    if (!ok) return undefined;
    const bin = vars['TESTBED_DOCKER26_BIN']!;
    return Object.freeze({ host: vars[hostVar]!, bin, docker: join(bin, 'docker') });
  };
  const docker26 = docker26Of('docker26', 'TESTBED_DOCKER26_HOST');
  const docker26c = docker26Of('docker26c', 'TESTBED_DOCKER26C_HOST');
  const buildkitOk =
    check('buildkit', ['TESTBED_BUILDKIT_ADDR'], socketProblem) &&
    check('buildkit', ['TESTBED_BUILDX_CONFIG', 'TESTBED_BUILDKIT_BUILDER'], () => undefined);
  const buildkit = buildkitOk
    ? Object.freeze({
        addr: vars['TESTBED_BUILDKIT_ADDR']!,
        buildxConfig: vars['TESTBED_BUILDX_CONFIG']!,
        builder: vars['TESTBED_BUILDKIT_BUILDER']!,
      })
    : undefined;
  const act = check('act', ['TESTBED_ACT'], executableProblem) ? vars['TESTBED_ACT'] : undefined;
  return Object.freeze({ buildx, docker26, docker26c, buildkit, act, missing: Object.freeze(missing) });
}

export const extendedTestbed: ExtendedTestbed = loadExtendedTestbed();

function isCi(): boolean {
  return process.env['CI'] === 'true';
}

function missingMessage(tool: TestbedTool, why: string): string {
  return `test bed tool ${tool} is missing: ${why}; start it with: bash test-env/start.sh`;
}

/**
 * Options for node:test's test()/describe(): `{ skip: reason }` when one of
 * `tools` is missing, naming it and `bash test-env/start.sh`. With CI=true it
 * never skips (CI runs every test): the test runs and `tool()` fails it with
 * the same reason.
 *
 *   test('builds on Docker 26', requireTool('buildx', 'docker26'), async () => {
 *     const daemon = tool('docker26'); ...
 */
export function requireTool(...tools: TestbedTool[]): { skip?: string } {
  if (isCi()) return {};
  for (const name of tools) {
    const why = extendedTestbed.missing[name];
    if (why) return { skip: missingMessage(name, why) };
  }
  return {};
}

/** The tool's paths; throws (naming the tool and the command to start it) when it is missing. */
export function tool<T extends TestbedTool>(name: T, bed: ExtendedTestbed = extendedTestbed): NonNullable<ExtendedTestbed[T]> {
  const value = bed[name];
  if (value === undefined) {
    throw new Error(missingMessage(name, bed.missing[name] ?? 'unknown reason') + (isCi() ? ' (CI=true: a missing tool fails)' : ''));
  }
  return value as NonNullable<ExtendedTestbed[T]>;
}

/**
 * Makes `dir` a Docker config dir whose CLI has buildx: links the test bed's
 * plugin as `dir/cli-plugins/docker-buildx`. Returns `dir` (for DOCKER_CONFIG).
 * The system-wide docker has no buildx, so a config without it gets the
 * classic builder.
 */
export function dockerConfigWithBuildx(dir: string, plugin: string = tool('buildx')): string {
  const plugins = join(dir, 'cli-plugins');
  mkdirSync(plugins, { recursive: true });
  const link = join(plugins, 'docker-buildx');
  rmSync(link, { force: true });
  symlinkSync(plugin, link);
  return dir;
}

/** An environment for the Docker 26 CLI against `daemon`: DOCKER_HOST set, its CLI first on PATH. */
export function docker26Env(daemon: Docker26, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...base, DOCKER_HOST: daemon.host, PATH: `${daemon.bin}:${base['PATH'] ?? '/usr/bin:/bin'}` };
}

/** An environment whose buildx uses the test bed's remote builder (needs a DOCKER_CONFIG with buildx). */
export function buildkitEnv(builder: BuildkitBuilder, dockerConfig: string, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...base, DOCKER_CONFIG: dockerConfig, BUILDX_CONFIG: builder.buildxConfig, BUILDX_BUILDER: builder.builder };
}

/**
 * The action inputs that log in to the test bed's SWR-like registry with the
 * derived login and push to `namespace/image`: what most end-to-end steps start from.
 */
export function swrStepInputs(bed: Testbed, namespace: string, extra: Record<string, string> = {}, image = 'app'): Record<string, string> {
  return { region: bed.region, 'access-key': bed.ak, 'secret-key': bed.sk, registry: bed.swrRegistry, namespace, image, ...extra };
}
