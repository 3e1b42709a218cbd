#!/usr/bin/env node
// Cold start of the bundled action: time from spawning `node dist/index.js`
// (the Node 24 binary, runner-like env, dry-run inputs) until its FIRST
// `docker` process is exec'd, beside bare Node doing nothing but spawning
// docker, interleaved. See bench/README.md.
//
//   node bench/cold-start.mjs [--runs 30] [--warmup 2] [--seed 1] [--no-refs] [--baseline DIR]
//
// --baseline DIR adds the same main and post variants for another bundle of the
// action (e.g. an older dist/ from `git archive <rev> dist | tar -x -C /tmp/old`,
// then --baseline /tmp/old/dist), interleaved with the current one, for a
// before/after comparison that shares one machine state.
//
// The reference rows (ncc bundles of @actions/core, + @actions/exec) run only
// when those packages are in node_modules; the project does not depend on them.
//
// How the first docker call is detected: a fake `docker` (bench/lib/fake-docker.c,
// compiled static into a temp dir that is put first on PATH) reads
// CLOCK_MONOTONIC as its first instruction and appends it to a stamp file.
// The parent reads process.hrtime (the same clock) just before spawn(). So
// "first docker" = spawn -> exec of docker, measured the same way for every
// variant; the fake's own exec cost is identical for all and cancels in the
// differences. The fake answers `docker version` with plausible JSON and
// `docker buildx version` with exit 1, so the action proceeds on its normal
// main path (dry run: it prints the plan and exits 0, no further docker calls).
// The post-step variants run with the state main saves after a login
// (isPost, registry, logout), so their first docker call is `docker logout`.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  NODE24,
  REPO_ROOT,
  checkNode24,
  fmt,
  machineInfo,
  machineLine,
  markdownTable,
  median,
  p90,
  parseArgs,
  prng,
  runnerStepEnv,
  shuffle,
  timedRun,
  writeResult,
} from './lib/common.mjs';

const opts = parseArgs(process.argv.slice(2), { runs: 30, warmup: 2, seed: 1, refs: true, keep: false, baseline: '' });
if (opts.runs < 15) throw new Error('--runs must be at least 15');
checkNode24();
const machine = machineInfo();
const work = mkdtempSync(join(tmpdir(), 'imageship-bench-cold-'));

// ---------------------------------------------------------------- the fake docker
const fakeDir = join(work, 'fake-bin');
execFileSync('mkdir', ['-p', fakeDir]);
execFileSync('gcc', ['-O2', '-static', '-o', join(fakeDir, 'docker'), join(REPO_ROOT, 'bench', 'lib', 'fake-docker.c')], { stdio: 'inherit' });

// ---------------------------------------------------------------- the variants' entry files
const DOCKER_ARGS = JSON.stringify(['version', '--format', '{{json .}}']);
writeFileSync(join(work, 'empty.mjs'), '');
// Bare Node doing exactly what the action's probe does first: spawn docker with piped stdio.
writeFileSync(
  join(work, 'bare-spawn.mjs'),
  `import { spawn } from 'node:child_process';\nspawn('docker', ${DOCKER_ARGS}, { stdio: ['pipe', 'pipe', 'pipe'] }).stdin.end();\n`,
);

/** Bundles `source` with the project's own ncc flags into work/<name>/index.js (ESM). */
function nccBundle(name, source) {
  const dir = join(work, `${name}-src`);
  execFileSync('mkdir', ['-p', dir]);
  // Resolve @actions/* from the repo's node_modules (only when installed there; see installedVersion).
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(dir, 'node_modules'));
  writeFileSync(join(dir, 'index.mjs'), source);
  const out = join(work, name);
  execFileSync(
    process.execPath,
    [join(REPO_ROOT, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js'), 'build', join(dir, 'index.mjs'), '-o', out, '--minify', '--target', 'es2022', '--no-source-map-register', '--quiet'],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  // ncc keeps the entry's extension: index.mjs (ESM, like dist/index.js under dist/package.json's "type": "module").
  const entry = ['index.mjs', 'index.js'].map((f) => join(out, f)).find((f) => existsSync(f));
  if (!entry) throw new Error(`ncc wrote no index.(m)js into ${out}`);
  return entry;
}

/**
 * The version of an optional comparison package in the repo's node_modules, or
 * undefined. The action no longer depends on @actions/core (it speaks the runner
 * protocol itself), so these rows run only where someone installed the packages,
 * e.g. `npm install --no-save @actions/core @actions/exec`; the recorded numbers
 * stay in bench/RESULTS.md.
 */
function installedVersion(name) {
  const manifest = join(REPO_ROOT, 'node_modules', name, 'package.json');
  return existsSync(manifest) ? JSON.parse(readFileSync(manifest, 'utf8')).version : undefined;
}
const DRY_RUN = /dry run/i;
const LOGGED_OUT = /post: logged out of/;
const coreVersion = installedVersion('@actions/core');
const execVersion = installedVersion('@actions/exec');

const variants = [
  { id: 'bare-empty', label: 'bare node, empty .mjs', entry: join(work, 'empty.mjs'), expectDocker: false },
  { id: 'bare-spawn', label: 'bare node, spawn(docker) only', entry: join(work, 'bare-spawn.mjs'), expectDocker: true },
  { id: 'imageship', label: 'imageship dist/index.js (dry run)', entry: join(REPO_ROOT, 'dist', 'index.js'), expectDocker: true, expectStdout: DRY_RUN },
  { id: 'imageship-post', label: 'imageship dist/index.js, post step (docker logout)', entry: join(REPO_ROOT, 'dist', 'index.js'), expectDocker: true, expectStdout: LOGGED_OUT, post: true },
];
if (opts.baseline) {
  const entry = join(opts.baseline, 'index.js');
  if (!existsSync(entry)) throw new Error(`--baseline ${opts.baseline}: no index.js there`);
  variants.push(
    { id: 'baseline', label: `baseline ${opts.baseline}/index.js (dry run)`, entry, expectDocker: true, expectStdout: DRY_RUN },
    { id: 'baseline-post', label: `baseline ${opts.baseline}/index.js, post step (docker logout)`, entry, expectDocker: true, expectStdout: LOGGED_OUT, post: true },
  );
}
if (opts.refs && !coreVersion) {
  process.stderr.write('cold-start: @actions/core is not installed, so the reference bundles that load it are skipped (see bench/RESULTS.md for recorded numbers)\n');
}
if (opts.refs && coreVersion) {
  variants.push({
    id: 'ref-core',
    label: `ncc bundle: import @actions/core ${coreVersion} + spawn(docker)`,
    entry: nccBundle(
      'ref-core',
      `import * as core from '@actions/core';\nimport { spawn } from 'node:child_process';\ncore.getInput('image');\nspawn('docker', ${DOCKER_ARGS}, { stdio: ['pipe', 'pipe', 'pipe'] }).stdin.end();\n`,
    ),
    expectDocker: true,
  });
}
if (opts.refs && coreVersion && !execVersion) {
  process.stderr.write('cold-start: @actions/exec is not installed, so the core + exec reference bundle is skipped\n');
}
if (opts.refs && coreVersion && execVersion) {
  variants.push({
    id: 'ref-core-exec',
    label: `ncc bundle: @actions/core ${coreVersion} + @actions/exec ${execVersion} getExecOutput(docker)`,
    entry: nccBundle(
      'ref-core-exec',
      `import * as core from '@actions/core';\nimport { getExecOutput } from '@actions/exec';\ncore.getInput('image');\nawait getExecOutput('docker', ${DOCKER_ARGS}, { silent: true });\n`,
    ),
    expectDocker: true,
  });
}

// ---------------------------------------------------------------- one run
const inputs = {
  region: 'cn-north-4',
  'access-key': 'HPUATESTAK0000000001',
  'secret-key': 'TestSecretKey0000000000000000000000000000',
  registry: '127.0.0.1:5101',
  namespace: 'bench',
  image: 'cold-start',
  context: 'examples/app',
  tags: 'latest\ntype=sha',
  'dry-run': 'true',
};

/** What main saves once it has logged in: the post step then runs `docker logout` (the fake answers exit 0). */
const POST_STATE = { isPost: 'true', registry: inputs.registry, logout: 'true' };

async function runOnce(variant, index) {
  // Same env for every variant (its size affects spawn a little): the runner-like env of the action.
  const step = variant.post ? { phase: 'post', state: POST_STATE } : {};
  const { env, tmp, dockerConfig } = runnerStepEnv({ inputs, workdir: REPO_ROOT, pathPrefix: [fakeDir], ...step });
  const stampFile = join(tmp, 'docker-stamps');
  env.BENCH_STAMP_FILE = stampFile;
  const r = await timedRun(NODE24, [variant.entry], { env, cwd: REPO_ROOT, timeoutMs: 60_000 });
  let stamps = [];
  if (existsSync(stampFile)) {
    stamps = readFileSync(stampFile, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => {
        const [ns, arg] = l.split(' ');
        return { ns: BigInt(ns), arg };
      });
  }
  rmSync(tmp, { recursive: true, force: true });
  rmSync(dockerConfig, { recursive: true, force: true });
  if (r.code !== 0) throw new Error(`${variant.id} run ${index} exited ${r.code} ${r.signal ?? ''}\n${r.stdout}\n${r.stderr}`);
  if (variant.expectDocker && stamps.length === 0) throw new Error(`${variant.id} run ${index}: no docker call seen\n${r.stdout}\n${r.stderr}`);
  if (variant.expectStdout && !variant.expectStdout.test(r.stdout)) {
    throw new Error(`${variant.id} run ${index}: stdout does not match ${variant.expectStdout}:\n${r.stdout}\n${r.stderr}`);
  }
  const first = stamps.length ? stamps.reduce((a, b) => (b.ns < a.ns ? b : a)) : undefined;
  return {
    firstDockerMs: first ? Number(first.ns - r.t0) / 1e6 : NaN,
    firstDockerArg: first?.arg ?? '',
    dockerCalls: stamps.length,
    exitMs: r.exitMs,
  };
}

// ---------------------------------------------------------------- interleaved rounds
const rand = prng(opts.seed);
const samples = Object.fromEntries(variants.map((v) => [v.id, []]));
const rounds = opts.warmup + opts.runs;
process.stderr.write(`cold-start: ${variants.length} variants x ${opts.runs} runs (+${opts.warmup} warm-up rounds), random order per round (seed ${opts.seed})\n`);
for (let round = 0; round < rounds; round++) {
  for (const v of shuffle(variants, rand)) {
    const s = await runOnce(v, round);
    if (round >= opts.warmup) samples[v.id].push(s);
  }
  process.stderr.write(round < opts.warmup ? 'w' : '.');
}
process.stderr.write('\n');

// The window the lazy loading can hide work in: the real probe's round trip
// (`docker version` against the test bed's daemon), spawned from here.
const realProbe = [];
for (let i = 0; i < 15; i++) {
  const r = await timedRun('docker', ['version', '--format', '{{json .}}'], { timeoutMs: 30_000 });
  if (r.code === 0) realProbe.push(r.exitMs);
}

// ---------------------------------------------------------------- report
const col = (id, key) => samples[id].map((s) => s[key]);
const base = col('bare-spawn', 'firstDockerMs');
const baseExit = col('bare-empty', 'exitMs');
const pairedDelta = (id) => median(col(id, 'firstDockerMs').map((x, i) => x - base[i]));
const rows = variants.map((v) => {
  const first = col(v.id, 'firstDockerMs');
  const exit = col(v.id, 'exitMs');
  const hasDocker = v.expectDocker;
  return [
    v.label,
    hasDocker ? fmt(median(first)) : '—',
    hasDocker ? fmt(p90(first)) : '—',
    hasDocker ? `${fmt(median(first) - median(base))}` : '—',
    hasDocker ? fmt(pairedDelta(v.id)) : '—',
    fmt(median(exit)),
    fmt(p90(exit)),
    fmt(median(exit) - median(baseExit)),
    hasDocker ? String(Math.round(median(col(v.id, 'dockerCalls')))) : '0',
  ];
});
const table = markdownTable(
  [
    'variant',
    'first docker exec, median ms',
    'p90 ms',
    'Δ vs bare spawn (diff of medians) ms',
    'Δ vs bare spawn (median of per-round diffs) ms',
    'process exit, median ms',
    'p90 ms',
    'exit Δ vs bare empty ms',
    'docker calls',
  ],
  rows,
);
const imageshipDelta = median(col('imageship', 'firstDockerMs')) - median(base);
const firstArgs = [...new Set(col('imageship', 'firstDockerArg'))].join(', ');
const summary = [
  `cold start, ${opts.runs} runs per variant, interleaved (${machineLine(machine)})`,
  '',
  table,
  '',
  `imageship first docker call (${firstArgs}) ${fmt(imageshipDelta)} ms after bare node's (target: < 60 ms above bare node): ${imageshipDelta < 60 ? 'met' : 'MISSED'}.`,
  `imageship spawn -> exit (dry run, fake docker) is ${fmt(median(col('imageship', 'exitMs')) - median(col('imageship', 'firstDockerMs')))} ms after its first docker call (lazy chunks + config + plan).`,
  `imageship post step: spawn -> docker logout ${fmt(median(col('imageship-post', 'firstDockerMs')))} ms, -> exit ${fmt(median(col('imageship-post', 'exitMs')))} ms (median).`,
  realProbe.length
    ? `For scale: the real \`docker version --format {{json .}}\` round trip against this daemon (what the lazy loading overlaps with) is median ${fmt(median(realProbe))} ms, p90 ${fmt(p90(realProbe))} ms (${realProbe.length} runs).`
    : 'The real docker daemon did not answer `docker version`; no round-trip figure.',
].join('\n');
console.log(summary);
const file = writeResult('cold-start', { machine, options: opts, variants: variants.map(({ id, label }) => ({ id, label })), samples, realProbeMs: realProbe, table: summary });
process.stderr.write(`raw samples: ${file}\n`);
if (!opts.keep) rmSync(work, { recursive: true, force: true });
else process.stderr.write(`kept ${work}\n`);
