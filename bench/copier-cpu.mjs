// The copier's own CPU per full copy, A/B between checkouts: one network bed
// (two TLS registries with token auth behind shaping proxies, as
// bench/network.mjs builds it), the 200 MB / 5-layer image pushed once, then
// bench/lib/copy-once.mjs of each checkout in turn, the order reversed every
// other round (the machine's load drifts; a fixed order biases the second).
// CPU (user+sys of the copier process during the copy, all threads) holds up
// on a busy machine far better than wall time; it is the primary number here.
// A benchmark, not a test.
//
//   node bench/copier-cpu.mjs [--rounds 6] [--condition rtt0] [--layer-bytes 40000000] [CHECKOUT[=ENV:VALUE,...] ...]
//
// Each CHECKOUT is a directory with build/ (npx tsc -p tsconfig.json) and
// bench/lib/copy-once.mjs, e.g. `git worktree add --detach /tmp/base <rev>`;
// default: this checkout alone. `=IMAGESHIP_BENCH_HASH_WORKERS:0` runs that
// checkout with extra environment. --condition: rtt<ms>[-conn<Mbit/s>].
// Needs root (re-runs itself under `unshare -m` with the registries' names
// in a private /etc/hosts, for skopeo's push of the source image), skopeo,
// /usr/bin/docker-registry, GNU time and Node 24 in node_modules.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NODE24, REPO_ROOT, median, parseArgs, runWithBenchHostNames } from './lib/common.mjs';
import { buildImage, makeLayers, parseTimeV, writeDirLayout } from './lib/copy-image.mjs';

const NAMES = ['src.bench.test', 'dst.bench.test'];
runWithBenchHostNames(NAMES, 'bench/copier-cpu.mjs');

const positional = process.argv.slice(2).filter((arg, i, all) => !arg.startsWith('--') && !(all[i - 1] ?? '').startsWith('--'));
const opts = parseArgs(
  process.argv.slice(2).filter((arg) => !positional.includes(arg)),
  { rounds: 6, condition: 'rtt0', layers: 5, layerBytes: 40_000_000 },
);
const variants = (positional.length > 0 ? positional : [REPO_ROOT]).map((spec) => {
  const at = spec.indexOf('=');
  const dir = at < 0 ? spec : spec.slice(0, at);
  const env = at < 0 ? {} : Object.fromEntries(spec.slice(at + 1).split(',').map((pair) => pair.split(':')));
  return { label: spec, dir, env };
});
const shapeMatch = /^rtt(\d+)(?:-conn(\d+))?$/.exec(opts.condition);
if (!shapeMatch) throw new Error(`--condition: ${opts.condition} is not rtt<ms>[-conn<Mbit/s>]`);
const windowBytes = 4 * 1024 * 1024;
const shape = { rttMs: Number(shapeMatch[1]), windowBytes, handshake: true, ...(shapeMatch[2] ? { perConnectionBitsPerSecond: Number(shapeMatch[2]) * 1e6 } : {}) };
const USER = { username: 'bench', password: 'bench-password' };

function run(command, args, env) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const t0 = performance.now();
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: performance.now() - t0 }));
  });
}

const { startNetworkBed } = await import(join(REPO_ROOT, 'build', '__tests__', 'helpers', 'network-bed.js'));
const tmp = mkdtempSync(join(tmpdir(), 'imageship-bench-copier-cpu-'));
const storage = mkdtempSync('/dev/shm/imageship-bench-copier-cpu-');
const bed = await startNetworkBed({
  registries: [
    { name: 'src', tokenAuth: true },
    { name: 'dst', tokenAuth: true },
  ],
  users: { [USER.username]: USER.password },
  realmHost: 'name',
  shape: { rttMs: 0, windowBytes, handshake: true },
  parentDir: storage,
});
try {
  const { src, dst } = bed.registries;
  mkdirSync(join(tmp, 'layers'));
  const layers = await makeLayers(join(tmp, 'layers'), opts.layers, opts.layerBytes);
  const image = buildImage(layers);
  const dir = writeDirLayout(join(tmp, 'image-dir'), image, layers);
  const push = await run('skopeo', ['copy', '--dest-cert-dir', bed.certDir, '--dest-creds', `${USER.username}:${USER.password}`, `dir:${dir}`, `docker://${src.ipHost}/bench/src:v1`], process.env);
  if (push.code !== 0) throw new Error(`pushing the source image failed:\n${push.stderr}`);
  rmSync(join(tmp, 'layers'), { recursive: true, force: true });
  bed.setShape(shape);

  const samples = new Map(variants.map((v) => [v.label, []]));
  for (let round = 0; round < opts.rounds; round++) {
    const order = round % 2 === 0 ? variants : [...variants].reverse();
    for (const variant of order) {
      const env = { ...process.env, ...bed.nodeEnv, IMAGESHIP_BENCH_CREDENTIALS: JSON.stringify({ [dst.nodeHost]: USER }), ...variant.env };
      delete env.NODE_OPTIONS;
      const target = `${dst.nodeHost}/cpu-${round}-${variants.indexOf(variant)}-${Date.now().toString(36)}/app:v1`;
      const r = await run('/usr/bin/time', ['-v', NODE24, join(variant.dir, 'bench', 'lib', 'copy-once.mjs'), `${src.nodeHost}/bench/src:v1`, target], env);
      if (r.code !== 0) throw new Error(`${variant.label} exited ${r.code}:\n${r.stdout}\n${r.stderr}`);
      const inner = JSON.parse(r.stdout.trim().split('\n').pop());
      if (inner.digest !== image.digest) throw new Error(`${variant.label}: digest ${inner.digest}, expected ${image.digest}`);
      const tv = parseTimeV(r.stderr);
      const sample = { copyCpuMs: inner.cpuUserMs + inner.cpuSysMs, processCpuMs: (tv.userS + tv.sysS) * 1000, mainCpuMs: inner.mainCpuMs ?? Number.NaN, copyMs: inner.ms, wallMs: r.ms };
      samples.get(variant.label).push(sample);
      console.log(`round ${round} ${variant.label}: copy CPU ${sample.copyCpuMs.toFixed(0)} ms (main thread ${sample.mainCpuMs.toFixed(0)}), process CPU ${sample.processCpuMs.toFixed(0)} ms, copy ${sample.copyMs.toFixed(0)} ms, wall ${sample.wallMs.toFixed(0)} ms`);
    }
  }
  console.log(`\nmedians over ${opts.rounds} round(s), ${opts.condition}:`);
  for (const [label, list] of samples) {
    const m = (key) => median(list.map((s) => s[key])).toFixed(0);
    console.log(`${label}: copy CPU ${m('copyCpuMs')} ms, main thread ${m('mainCpuMs')} ms, process CPU ${m('processCpuMs')} ms, copy ${m('copyMs')} ms, wall ${m('wallMs')} ms`);
  }
} finally {
  await bed.close();
  rmSync(tmp, { recursive: true, force: true });
  rmSync(storage, { recursive: true, force: true });
}
