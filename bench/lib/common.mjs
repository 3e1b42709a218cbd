// Shared helpers for the benchmarks in bench/: paths, statistics, the
// GitHub-runner-like environment for the bundled action, small process utils.
// Benchmarks only: nothing here asserts on timings.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const NODE24 = join(REPO_ROOT, 'node_modules', 'node', 'bin', 'node');
export const DOCKER_WRAPPER_DIR = join(REPO_ROOT, 'test-env', 'bin');
export const RESULTS_DIR = join(REPO_ROOT, 'bench', 'results');

// ---------------------------------------------------------------- statistics

/** Quantile with linear interpolation between closest ranks (R type 7, numpy's default). */
export function quantile(values, q) {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}
export const median = (v) => quantile(v, 0.5);
export const p90 = (v) => quantile(v, 0.9);
export const min = (v) => Math.min(...v);
export const max = (v) => Math.max(...v);

export function fmt(n, digits = 1) {
  return Number.isFinite(n) ? n.toFixed(digits) : 'n/a';
}

/** Deterministic PRNG (mulberry32) so an interleaving order can be reproduced from the seed. */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffle(items, rand) {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

export function markdownTable(header, rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

// ---------------------------------------------------------------- arguments

/** `--name value` / `--name=value` / `--flag`; returns a lookup with defaults. */
export function parseArgs(argv, defaults) {
  const out = { ...defaults };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) throw new Error(`unexpected argument ${a}`);
    const eq = a.indexOf('=');
    let key = (eq < 0 ? a.slice(2) : a.slice(2, eq)).replace(/-([a-z])/g, (_m, c) => c.toUpperCase());
    // --no-foo turns a boolean foo off.
    const negated = eq < 0 && /^no[A-Z]/.test(key) && !(key in defaults);
    if (negated) key = key[2].toLowerCase() + key.slice(3);
    if (!(key in defaults)) throw new Error(`unknown option ${a}; known: ${Object.keys(defaults).join(', ')}`);
    let value;
    if (negated) value = 'false';
    else if (eq >= 0) value = a.slice(eq + 1);
    else if (typeof defaults[key] === 'boolean') value = 'true';
    else value = argv[++i];
    out[key] = typeof defaults[key] === 'number' ? Number(value) : typeof defaults[key] === 'boolean' ? value !== 'false' : value;
  }
  return out;
}

// ---------------------------------------------------------------- machine

function tryRun(cmd, args) {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 20_000 }).trim();
  } catch {
    return 'n/a';
  }
}

/** What RESULTS.md needs to say about where a number came from. */
export function machineInfo() {
  const dockerVersions = tryRun('docker', ['version', '--format', '{{.Client.Version}} / {{.Server.Version}}']);
  return {
    date: new Date().toISOString(),
    nproc: tryRun('nproc', []),
    cpu: cpus()[0]?.model ?? 'n/a',
    kernel: tryRun('uname', ['-r']),
    benchNode: process.version,
    actionNode: existsSync(NODE24) ? tryRun(NODE24, ['--version']) : 'missing',
    docker: dockerVersions,
    commit: tryRun('git', ['-C', REPO_ROOT, 'rev-parse', '--short', 'HEAD']),
    loadavg: tryRun('cat', ['/proc/loadavg']),
    dist: distFingerprint(),
  };
}

/** Which bundle was measured: sha256 (12 hex) of every dist/*.js, so a result can be tied to a build. */
export function distFingerprint() {
  const dir = join(REPO_ROOT, 'dist');
  if (!existsSync(dir)) return 'no dist/';
  return readdirSync(dir)
    .filter((f) => f.endsWith('.js'))
    .sort()
    .map((f) => `${f}=${createHash('sha256').update(readFileSync(join(dir, f))).digest('hex').slice(0, 12)}`)
    .join(' ');
}

export function machineLine(m) {
  return `date ${m.date}; nproc ${m.nproc} (${m.cpu}); kernel ${m.kernel}; bench node ${m.benchNode}, action node ${m.actionNode}; docker client/daemon ${m.docker}; HEAD ${m.commit}; dist ${m.dist}; loadavg at start ${m.loadavg}`;
}

export function writeResult(name, data) {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `${name}.json`);
  writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
  return file;
}

// ---------------------------------------------------------------- the runner's environment

export function checkNode24() {
  if (!existsSync(NODE24)) throw new Error(`${NODE24} is missing: run npm ci (the node@24 devDependency)`);
  const v = execFileSync(NODE24, ['--version'], { encoding: 'utf8' }).trim();
  if (!v.startsWith('v24')) throw new Error(`${NODE24} is ${v}, expected v24`);
  return v;
}

export function readActionYml() {
  return parseYaml(readFileSync(join(REPO_ROOT, 'action.yml'), 'utf8'));
}

const inputEnvName = (name) => `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;

export const DEFAULT_SHA = '3f786850e387550fdab836ed7e6dc881de23001b';
export const DEFAULT_REPOSITORY = 'octo-org/octo-app';

/**
 * The environment the GitHub runner gives a `node24` action step, as
 * __tests__/helpers/runner.ts builds it (inherited env without INPUT_/STATE_/
 * GITHUB_/RUNNER_/ACTIONS_ and NODE_OPTIONS; the GITHUB_* context; fresh
 * file-command files; INPUT_* from the given inputs over action.yml's
 * defaults) but WITHOUT the argv-logging docker wrapper on PATH, so the
 * action's docker calls cost what they cost on a runner. NODE_COMPILE_CACHE
 * is dropped too: the runner does not set it.
 */
export function runnerStepEnv({ inputs, workdir, pathPrefix = [], phase = 'main', state = {}, dockerConfig, sha = DEFAULT_SHA, extraEnv = {} }) {
  const meta = readActionYml();
  const tmp = mkdtempSync(join(tmpdir(), `imageship-bench-${phase}-`));
  const runnerTemp = join(tmp, 'runner-temp');
  mkdirSync(runnerTemp);
  const files = {
    output: join(tmp, 'github_output'),
    state: join(tmp, 'github_state'),
    summary: join(tmp, 'step_summary.md'),
    env: join(tmp, 'github_env'),
    path: join(tmp, 'github_path'),
    event: join(tmp, 'event.json'),
  };
  for (const f of Object.values(files)) writeFileSync(f, f === files.event ? '{}' : '');
  const inherited = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined) continue;
    if (/^(INPUT_|STATE_|GITHUB_|RUNNER_|ACTIONS_|IMAGESHIP_)/i.test(k)) continue;
    if (['DOCKER_CONFIG', 'CI', 'NODE_OPTIONS', 'NODE_TEST_CONTEXT', 'NODE_COMPILE_CACHE', 'NODE_DISABLE_COMPILE_CACHE'].includes(k)) continue;
    inherited[k] = v;
  }
  const ref = 'refs/heads/main';
  const gh = {
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_ACTION: '__imageship',
    GITHUB_ACTOR: 'bench',
    GITHUB_API_URL: 'https://api.github.com',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_BASE_REF: '',
    GITHUB_HEAD_REF: '',
    GITHUB_EVENT_NAME: 'push',
    GITHUB_EVENT_PATH: files.event,
    GITHUB_JOB: 'build',
    GITHUB_REF: ref,
    GITHUB_REF_NAME: 'main',
    GITHUB_REF_TYPE: 'branch',
    GITHUB_REPOSITORY: DEFAULT_REPOSITORY,
    GITHUB_REPOSITORY_OWNER: 'octo-org',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_RUN_ID: '4200000001',
    GITHUB_RUN_NUMBER: '1',
    GITHUB_SHA: sha,
    GITHUB_WORKFLOW: 'ci',
    GITHUB_WORKSPACE: workdir,
    GITHUB_OUTPUT: files.output,
    GITHUB_STATE: files.state,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_ENV: files.env,
    GITHUB_PATH: files.path,
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: 'X64',
    RUNNER_NAME: 'imageship-bench',
    RUNNER_ENVIRONMENT: 'self-hosted',
    RUNNER_TEMP: runnerTemp,
    RUNNER_TOOL_CACHE: join(tmp, 'toolcache'),
    DOCKER_CONFIG: dockerConfig ?? mkdtempSync(join(tmpdir(), 'imageship-bench-docker-config-')),
  };
  const inputVars = {};
  for (const [name, spec] of Object.entries(meta.inputs ?? {})) {
    // No default of this action.yml uses an expression; refuse rather than guess if one appears.
    if (spec && spec.default !== undefined) {
      const d = String(spec.default);
      if (d.includes('${{')) throw new Error(`bench: input ${name} has an expression default (${d}); extend runnerStepEnv`);
      inputVars[inputEnvName(name)] = d;
    }
  }
  for (const [name, value] of Object.entries(inputs)) {
    if (!(name in (meta.inputs ?? {}))) throw new Error(`bench: unknown input ${name}`);
    inputVars[inputEnvName(name)] = value;
  }
  const stateVars = {};
  if (phase === 'post') for (const [k, v] of Object.entries(state)) stateVars[`STATE_${k}`] = v;
  const basePath = (process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin').split(':').filter((p) => p !== '' && resolve(p) !== DOCKER_WRAPPER_DIR);
  const env = { ...inherited, ...gh, ...extraEnv, ...inputVars, ...stateVars, PATH: [...pathPrefix, ...basePath].join(':') };
  return { env, files, tmp, dockerConfig: gh.DOCKER_CONFIG };
}

/** Parses a GITHUB_OUTPUT / GITHUB_STATE file (NAME=value and NAME<<DELIM heredocs). */
export function parseFileCommands(text) {
  const values = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].replace(/\r$/, '');
    if (line === '') continue;
    const h = line.indexOf('<<');
    const e = line.indexOf('=');
    if (e >= 0 && (h < 0 || e < h)) {
      values[line.slice(0, e)] = line.slice(e + 1);
    } else if (h >= 0) {
      const name = line.slice(0, h);
      const delim = line.slice(h + 2);
      const body = [];
      for (i++; i < lines.length && lines[i].replace(/\r$/, '') !== delim; i++) body.push(lines[i].replace(/\r$/, ''));
      values[name] = body.join('\n');
    }
  }
  return values;
}

// ---------------------------------------------------------------- processes

/**
 * Spawns a command and resolves on 'close' with timings in ms relative to
 * just before spawn (process.hrtime, i.e. CLOCK_MONOTONIC).
 */
export function timedRun(command, args, { env, cwd, stdin, timeoutMs = 300_000 } = {}) {
  return new Promise((resolvePromise, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(command, args, { env, cwd, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    const out = [];
    const err = [];
    // Arrival time of every stdout line (ms after t0), for phase breakdowns from ::group:: markers.
    const lines = [];
    let partial = '';
    child.stdout.on('data', (b) => {
      out.push(b);
      const at = Number(process.hrtime.bigint() - t0) / 1e6;
      const parts = (partial + b.toString('utf8')).split('\n');
      partial = parts.pop() ?? '';
      for (const text of parts) lines.push({ at, text });
    });
    child.stderr.on('data', (b) => err.push(b));
    child.stdin.on('error', () => undefined);
    child.stdin.end(stdin ?? '');
    let exitNs;
    child.on('exit', () => {
      exitNs = process.hrtime.bigint();
    });
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const closeNs = process.hrtime.bigint();
      resolvePromise({
        t0,
        exitMs: Number((exitNs ?? closeNs) - t0) / 1e6,
        code,
        signal,
        stdout: Buffer.concat(out).toString('utf8'),
        lines: partial === '' ? lines : [...lines, { at: Number(closeNs - t0) / 1e6, text: partial }],
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
  });
}

export function ensureDir(path) {
  mkdirSync(path, { recursive: true });
  return path;
}

/**
 * Re-runs this script once in a mount namespace of its own where /etc/hosts is a copy with `names` mapped to
 * 127.0.0.1 (root and util-linux `unshare`; the machine's /etc/hosts is not touched), so clients that read
 * /etc/hosts (skopeo) resolve the bench's registry names. Returns in the namespace; exits with the child's status
 * outside it.
 */
export function runWithBenchHostNames(names, script) {
  if (process.env.IMAGESHIP_BENCH_HOSTS_NS === '1') return;
  const hostsDir = mkdtempSync(join(tmpdir(), 'imageship-bench-hosts-'));
  const hostsFile = join(hostsDir, 'hosts');
  writeFileSync(hostsFile, `${readFileSync('/etc/hosts', 'utf8').replace(/\n?$/, '\n')}127.0.0.1 ${names.join(' ')}\n`);
  const r = spawnSync('unshare', ['-m', 'sh', '-c', 'mount --bind "$0" /etc/hosts && exec "$@"', hostsFile, process.execPath, ...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, IMAGESHIP_BENCH_HOSTS_NS: '1' },
  });
  rmSync(hostsDir, { recursive: true, force: true });
  if (r.error) throw new Error(`${script}: could not start itself in a mount namespace (unshare -m, needs root): ${r.error.message}`);
  process.exit(r.status ?? 1);
}
