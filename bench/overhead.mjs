#!/usr/bin/env node
// End-to-end overhead: login + build + push of examples/app with imageship
// (the bundled action run as the GitHub runner runs it) vs the same docker
// commands run directly from a bash step, interleaved in pairs. See bench/README.md.
//
//   bash test-env/start.sh && node bench/overhead.mjs [--pairs 9] [--warmup 1] [--no-unlabelled]
//
// Each side of each pair gets its own fresh repository (namespace
// bench-<run>-<pair>-<side>) and its own copy of examples/app whose
// index.html ends with a same-length nonce comment, so the COPY step misses
// the layer cache identically on both sides and both push one new layer. Both
// get a fresh DOCKER_CONFIG (as a fresh runner would). The order inside a
// pair alternates (imageship first on even pairs, direct first on odd ones).
//
// Timed: spawn -> exit of the main step (Node 24 running dist/index.js with
// the runner's INPUT_/GITHUB_ env, no argv-logging wrapper) vs spawn -> exit
// of `bash --noprofile --norc -eo pipefail` (what a `run:` step executes)
// running: docker login --password-stdin, DOCKER_BUILDKIT=0 docker build with
// the same tags, the same four OCI --label flags imageship adds, the same
// build-arg and --iidfile, then docker push per tag. The post step
// (imageship's logout) vs a `docker logout` step is timed separately.
// Phases come from the arrival time of stdout lines: imageship's ::group::
// markers, and `echo ::bench::<phase>` lines (bash builtins) in the direct step.
//
// Informational third side (--no-unlabelled to skip): the direct commands
// WITHOUT the four --label flags, i.e. what a hand-written step usually does;
// with the classic builder each --label is one more build step (a container
// created and committed), which is not imageship's process overhead but is a
// cost of its labels. Always run last in its pair; not part of the ratio.
import { createHmac } from 'node:crypto';
import { appendFileSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DEFAULT_REPOSITORY,
  DEFAULT_SHA,
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
  parseFileCommands,
  runnerStepEnv,
  timedRun,
  writeResult,
} from './lib/common.mjs';

const opts = parseArgs(process.argv.slice(2), { pairs: 9, warmup: 1, unlabelled: true, keepImages: false });
if (opts.pairs < 7) throw new Error('--pairs must be at least 7');
checkNode24();
if (!existsSync(join(REPO_ROOT, 'dist', 'index.js'))) throw new Error('dist/index.js is missing: run npm run bundle');

// ---------------------------------------------------------------- test bed
const stateDir = process.env.IMAGESHIP_TESTBED || '/tmp/imageship-testbed';
const envFile = join(stateDir, 'env');
if (!existsSync(envFile)) throw new Error(`test bed is not running (${envFile} missing): bash test-env/start.sh`);
const bed = {};
for (const line of readFileSync(envFile, 'utf8').split('\n')) {
  const m = /^export ([A-Z_]+)=(.*)$/.exec(line.trim());
  if (m) bed[m[1]] = m[2].replace(/^'(.*)'$/, '$1').replace(/\\(.)/g, '$1');
}
const registry = bed.TESTBED_SWR_REGISTRY;
// The derived login, as __tests__/helpers/testbed.ts computes it.
const username = `${bed.TESTBED_REGION}@${bed.TESTBED_AK}`;
const password = createHmac('sha256', bed.TESTBED_SK).update(bed.TESTBED_AK).digest('hex');
const baseImage = bed.TESTBED_BASE_IMAGE;
const tags = ['latest', `sha-${DEFAULT_SHA.slice(0, 7)}`];

const machine = machineInfo();
const runId = Date.now().toString(36);
const work = mkdtempSync(join(tmpdir(), 'imageship-bench-overhead-'));

// ---------------------------------------------------------------- the direct steps
function directScript(withLabels) {
  const labels = withLabels
    ? `  --label "org.opencontainers.image.source=$BENCH_SOURCE" \\
  --label "org.opencontainers.image.revision=$BENCH_SHA" \\
  --label "org.opencontainers.image.created=$BENCH_CREATED" \\
  --label "org.opencontainers.image.version=$BENCH_TAG1" \\
`
    : '';
  return `echo ::bench::login
printf '%s' "$BENCH_PASSWORD" | docker login --username "$BENCH_USERNAME" --password-stdin "$BENCH_REGISTRY"
echo ::bench::build
DOCKER_BUILDKIT=0 docker build --file Dockerfile \\
  --tag "$BENCH_IMAGE:$BENCH_TAG1" --tag "$BENCH_IMAGE:$BENCH_TAG2" \\
${labels}  --build-arg "BASE_IMAGE=$BENCH_BASE_IMAGE" \\
  --iidfile "$RUNNER_TEMP/iid" .
echo ::bench::push
docker push "$BENCH_IMAGE:$BENCH_TAG1"
docker push "$BENCH_IMAGE:$BENCH_TAG2"
echo ::bench::done
`;
}
const scripts = { d: join(work, 'direct.sh'), n: join(work, 'direct-unlabelled.sh'), logout: join(work, 'logout.sh') };
writeFileSync(scripts.d, directScript(true));
writeFileSync(scripts.n, directScript(false));
writeFileSync(scripts.logout, 'docker logout "$BENCH_REGISTRY"\n');
const bashStep = (script) => ['--noprofile', '--norc', '-eo', 'pipefail', script];

/** A fresh copy of examples/app whose index.html ends with a fixed-length nonce. */
function workspace(pair, side) {
  const dir = mkdtempSync(join(work, `ws-${pair}-${side}-`));
  cpSync(join(REPO_ROOT, 'examples', 'app'), dir, { recursive: true });
  appendFileSync(join(dir, 'index.html'), `<!-- cachebust ${runId}-${String(pair).padStart(3, '0')}-${side} -->\n`);
  return dir;
}

const namespaceFor = (pair, side) => `bench-${runId}-${pair}-${side}`;

/** ms at which the first stdout line matching re arrived (NaN if none). */
function lineAt(lines, re, last = false) {
  const hits = lines.filter((l) => re.test(l.text));
  const hit = last ? hits.at(-1) : hits[0];
  return hit ? hit.at : NaN;
}

async function runImageship(pair) {
  const ws = workspace(pair, 'i');
  const namespace = namespaceFor(pair, 'i');
  const inputs = {
    region: bed.TESTBED_REGION,
    'access-key': bed.TESTBED_AK,
    'secret-key': bed.TESTBED_SK,
    registry,
    namespace,
    image: 'app',
    tags: 'latest\ntype=sha',
    'build-args': `BASE_IMAGE=${baseImage}`,
  };
  const main = runnerStepEnv({ inputs, workdir: ws });
  const m = await timedRun(NODE24, [join(REPO_ROOT, 'dist', 'index.js')], { env: main.env, cwd: ws });
  const outputs = parseFileCommands(readFileSync(main.files.output, 'utf8'));
  const state = parseFileCommands(readFileSync(main.files.state, 'utf8'));
  if (m.code !== 0 || !/^sha256:[0-9a-f]{64}$/.test(outputs.digest ?? '')) {
    throw new Error(`imageship main failed (pair ${pair}, exit ${m.code}):\n${m.stdout}\n${m.stderr}`);
  }
  const post = runnerStepEnv({ inputs, workdir: ws, phase: 'post', state, dockerConfig: main.dockerConfig });
  const p = await timedRun(NODE24, [join(REPO_ROOT, 'dist', 'index.js')], { env: post.env, cwd: ws });
  if (p.code !== 0 || !/logged out/.test(p.stdout)) throw new Error(`imageship post failed (pair ${pair}):\n${p.stdout}\n${p.stderr}`);
  const t = {
    plan: lineAt(m.lines, /^::group::Plan/),
    login: lineAt(m.lines, /^::group::Log in/),
    build: lineAt(m.lines, /^::group::Build/),
    push: lineAt(m.lines, /^::group::Push/),
    verify: lineAt(m.lines, /^::group::Verify/),
    end: lineAt(m.lines, /^::endgroup::/, true),
  };
  const phases = {
    start: t.login, // spawn -> login starts: node start, probe, chunks, config, plan
    login: t.build - t.login,
    build: t.push - t.build,
    push: t.verify - t.push,
    verify: t.end - t.verify,
    finish: m.exitMs - t.end, // outputs, summary, exit
  };
  const plan = /build: +docker (.*)/.exec(m.stdout)?.[1] ?? '';
  cleanup([main.tmp, post.tmp, main.dockerConfig, ws]);
  return { mainMs: m.exitMs, postMs: p.exitMs, image: `${registry}/${namespace}/app`, digest: outputs.digest, plan, phases };
}

async function runDirect(pair, side) {
  const ws = workspace(pair, side);
  const namespace = namespaceFor(pair, side);
  const image = `${registry}/${namespace}/app`;
  const extraEnv = {
    BENCH_REGISTRY: registry,
    BENCH_USERNAME: username,
    BENCH_PASSWORD: password,
    BENCH_IMAGE: image,
    BENCH_TAG1: tags[0],
    BENCH_TAG2: tags[1],
    BENCH_SOURCE: `https://github.com/${DEFAULT_REPOSITORY}`,
    BENCH_SHA: DEFAULT_SHA,
    BENCH_CREATED: new Date().toISOString(),
    BENCH_BASE_IMAGE: baseImage,
  };
  const main = runnerStepEnv({ inputs: {}, workdir: ws, extraEnv });
  const m = await timedRun('bash', bashStep(scripts[side]), { env: main.env, cwd: ws });
  if (m.code !== 0) throw new Error(`direct docker commands failed (pair ${pair}, exit ${m.code}):\n${m.stdout}\n${m.stderr}`);
  const post = runnerStepEnv({ inputs: {}, workdir: ws, extraEnv: { BENCH_REGISTRY: registry }, dockerConfig: main.dockerConfig });
  const p = await timedRun('bash', bashStep(scripts.logout), { env: post.env, cwd: ws });
  if (p.code !== 0) throw new Error(`direct docker logout failed (pair ${pair}):\n${p.stdout}\n${p.stderr}`);
  const t = {
    login: lineAt(m.lines, /^::bench::login/),
    build: lineAt(m.lines, /^::bench::build/),
    push: lineAt(m.lines, /^::bench::push/),
    done: lineAt(m.lines, /^::bench::done/),
  };
  const phases = { start: t.login, login: t.build - t.login, build: t.push - t.build, push: t.done - t.push, verify: 0, finish: m.exitMs - t.done };
  cleanup([main.tmp, post.tmp, main.dockerConfig, ws]);
  return { mainMs: m.exitMs, postMs: p.exitMs, image, phases };
}

function cleanup(paths) {
  for (const p of paths) rmSync(p, { recursive: true, force: true });
}

async function removeLocalImages(images) {
  if (opts.keepImages) return;
  const refs = images.flatMap((image) => tags.map((t) => `${image}:${t}`));
  await timedRun('docker', ['rmi', '--force', ...refs], { timeoutMs: 120_000 });
}

// ---------------------------------------------------------------- interleaved pairs
const pairs = [];
const total = opts.warmup + opts.pairs;
process.stderr.write(`overhead: ${opts.pairs} pairs (+${opts.warmup} warm-up), registry ${registry}, run id ${runId}\n`);
let examplePlan = '';
for (let i = 0; i < total; i++) {
  const imageshipFirst = i % 2 === 0;
  let im;
  let di;
  if (imageshipFirst) {
    im = await runImageship(i);
    di = await runDirect(i, 'd');
  } else {
    di = await runDirect(i, 'd');
    im = await runImageship(i);
  }
  const un = opts.unlabelled ? await runDirect(i, 'n') : undefined;
  examplePlan ||= im.plan;
  await removeLocalImages([im.image, di.image, ...(un ? [un.image] : [])]);
  const warm = i < opts.warmup;
  process.stderr.write(
    `${warm ? 'warm-up' : 'pair'} ${i}: imageship ${fmt(im.mainMs, 0)} ms (+post ${fmt(im.postMs, 0)}), direct ${fmt(di.mainMs, 0)} ms (+logout ${fmt(di.postMs, 0)})${un ? `, unlabelled ${fmt(un.mainMs, 0)} ms` : ''}; first ${imageshipFirst ? 'imageship' : 'direct'}\n`,
  );
  if (!warm) {
    pairs.push({
      pair: i,
      imageshipFirst,
      imageship: im.mainMs,
      direct: di.mainMs,
      imageshipPost: im.postMs,
      directLogout: di.postMs,
      unlabelled: un?.mainMs,
      imageshipPhases: im.phases,
      directPhases: di.phases,
      unlabelledPhases: un?.phases,
    });
  }
}

// ---------------------------------------------------------------- report
const col = (k) => pairs.map((p) => p[k]);
const stats = (v) => [median(v), p90(v), Math.min(...v), Math.max(...v)];
const row = (label, v, digits = 1) => [label, ...stats(v).map((x) => fmt(x, digits))];
const ratios = pairs.map((p) => p.imageship / p.direct);
const diffs = pairs.map((p) => p.imageship - p.direct);
const ratiosWithPost = pairs.map((p) => (p.imageship + p.imageshipPost) / (p.direct + p.directLogout));
const medRatio = median(ratios);
const timeRows = [
  row('imageship main step (login, build, push 2 tags, verify)', col('imageship')),
  row('direct docker commands, same labels (bash step)', col('direct')),
  row('per-pair difference imageship − direct', diffs),
  row('imageship post step (docker logout)', col('imageshipPost')),
  row('direct `docker logout` step', col('directLogout')),
];
if (opts.unlabelled) timeRows.push(row('info: direct commands without the 4 --label flags', col('unlabelled')));
const table = markdownTable(['', 'median ms', 'p90 ms', 'min ms', 'max ms'], timeRows);
const ratioTable = markdownTable(
  ['ratio imageship / direct (per pair)', 'median', 'p90', 'min', 'max'],
  [row('main step vs direct commands', ratios, 3), row('main + post vs direct + logout', ratiosWithPost, 3)],
);
const phaseNames = [
  ['start', 'spawn → login starts (imageship: node, probe, chunks, config, plan; direct: bash)'],
  ['login', 'docker login'],
  ['build', 'docker build'],
  ['push', 'docker push × 2'],
  ['verify', 'registry verification (imageship\'s HTTP checks)'],
  ['finish', 'after the last command → exit (imageship: outputs, summary)'],
];
const phaseCols = ['imageshipPhases', 'directPhases', ...(opts.unlabelled ? ['unlabelledPhases'] : [])];
const phaseTable = markdownTable(
  ['phase (median ms, from stdout arrival times)', 'imageship', 'direct', ...(opts.unlabelled ? ['direct, no --label'] : []), 'imageship − direct'],
  phaseNames.map(([k, label]) => {
    const meds = phaseCols.map((c) => median(pairs.map((p) => p[c][k])));
    return [label, ...meds.map((x) => fmt(x)), fmt(median(pairs.map((p) => p.imageshipPhases[k] - p.directPhases[k])))];
  }),
);
const summary = [
  `overhead, ${opts.pairs} interleaved pairs after ${opts.warmup} warm-up (${machineLine(machine)})`,
  '',
  table,
  '',
  ratioTable,
  '',
  phaseTable,
  '',
  `Median ratio imageship/direct ${fmt(medRatio, 3)} (target ≤ 1.05): ${medRatio <= 1.05 ? 'met' : 'MISSED'}.`,
  `imageship's build command (from its printed plan): docker ${examplePlan}`,
].join('\n');
console.log(summary);
const file = writeResult('overhead', { machine, options: opts, runId, tags, pairs, table: summary });
process.stderr.write(`raw samples: ${file}\n`);
rmSync(work, { recursive: true, force: true });
