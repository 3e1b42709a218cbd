#!/usr/bin/env node
// The same JAR onto the same base, ending with the image in the registry:
// imageship's `package` (the CLI as the npm package ships it: the bundle of
// build/src/cli/main.js that scripts/bundle.mjs writes to build/bin/, `run`, Node 24)
// vs `docker build` + `docker push` of the equivalent Dockerfile
//   FROM <base>
//   COPY app.jar /app/app.jar
//   ENTRYPOINT ["java","-jar","/app/app.jar"]
// with buildx (the docker driver of the test bed's default daemon) and with the
// classic builder (DOCKER_BUILDKIT=0), interleaved (the order rotates per
// round). The base is built once here (the test bed's busybox + a --base-mib
// file, so it has real layers to move), pushed to a throwaway local registry and
// left in the daemon: already pulled for docker, already in the registry for
// both. Every round writes a fresh JAR of --jar-mib random MiB (incompressible,
// as a real JAR is) and every side pushes to a repository of its own, so each
// side uploads one new layer and finds the base layers in another repository of
// the same registry. The base-layer bytes imageship moves (target: 0) are
// counted from the registry's own access log (a GET of a base blob, or an
// upload that ends with a base blob's digest), so no side has a proxy in its
// path (an in-process counting proxy cost imageship ≈ 25 ms a run).
//
//   npx tsc -p tsconfig.json && node bench/package.mjs [--rounds 7] [--jar-mib 20] [--base-mib 40] [--results package]
//
// Needs the test bed (bash test-env/start.sh; ext.sh for buildx), Debian's
// docker-registry and Node 24 in node_modules.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { machineBusyMs } from './lib/copy-image.mjs';
import { DOCKER_WRAPPER_DIR, NODE24, REPO_ROOT, fmt, machineInfo, machineLine, markdownTable, max, median, min, parseArgs, timedRun, writeResult } from './lib/common.mjs';

const opts = parseArgs(process.argv.slice(2), { rounds: 7, jarMib: 20, baseMib: 40, results: 'package' });
const rounds = Number(opts.rounds);
const jarBytes = Number(opts.jarMib) * 1024 * 1024;
const baseBytes = Number(opts.baseMib) * 1024 * 1024;
// The npm package's bin is this bundle (prepack: lib/bin/); made here from build/ so it matches the sources.
const CLI = join(REPO_ROOT, 'build', 'bin', 'index.js');
execFileSync(process.execPath, [join(REPO_ROOT, 'scripts', 'bundle.mjs'), join(REPO_ROOT, 'build', 'bin'), '--entry', 'build/src/cli/main.js'], { cwd: REPO_ROOT, stdio: 'inherit' });
const HELPERS = join(REPO_ROOT, 'build', '__tests__', 'helpers');
const { startLocalRegistry } = await import(join(HELPERS, 'local-registry.js'));
const { loadTestbed } = await import(join(HELPERS, 'testbed.js'));
const bed = loadTestbed();
const BUILDX_DOCKER_CONFIG = join(bed.stateDir, 'buildx-docker-config');

const PATH_NO_WRAPPER = (process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin')
  .split(':')
  .filter((p) => p !== '' && resolve(p) !== DOCKER_WRAPPER_DIR)
  .join(':');
const baseEnv = { PATH: PATH_NO_WRAPPER, HOME: process.env.HOME ?? '/root', TMPDIR: process.env.TMPDIR ?? tmpdir() };

const machine = machineInfo();
const work = mkdtempSync(join(tmpdir(), 'imageship-bench-pkg-'));
const registry = await startLocalRegistry({ accessLog: true });
const made = [];
const docker = (args, env = {}) => execFileSync('docker', args, { env: { ...baseEnv, ...env }, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });

async function timed(steps) {
  const t0 = process.hrtime.bigint();
  for (const [command, args, env] of steps) {
    const run = await timedRun(command, args, { env: { ...baseEnv, ...env }, cwd: work });
    if (run.code !== 0) throw new Error(`${command} ${args.join(' ')} failed (${run.code}):\n${run.stdout}\n${run.stderr}`);
  }
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

try {
  // The base: busybox + one big layer, built by the classic builder and pushed; it stays in the daemon.
  const baseDir = join(work, 'base');
  execFileSync('mkdir', ['-p', baseDir]);
  writeFileSync(join(baseDir, 'base.bin'), randomBytes(baseBytes));
  writeFileSync(join(baseDir, 'Dockerfile'), `FROM ${bed.baseImage}\nCOPY base.bin /opt/base.bin\n`);
  const base = `${registry.host}/bench/base:1`;
  docker(['build', '-q', '-t', base, baseDir], { DOCKER_BUILDKIT: '0' });
  made.push(base);
  docker(['push', '-q', base]);
  const baseLayers = JSON.parse(execFileSync('curl', ['-s', '-H', 'Accept: application/vnd.docker.distribution.manifest.v2+json', `http://${registry.host}/v2/bench/base/manifests/1`], { encoding: 'utf8' })).layers;

  const ctx = join(work, 'ctx');
  execFileSync('mkdir', ['-p', ctx]);
  writeFileSync(join(ctx, 'Dockerfile'), `FROM ${base}\nCOPY app.jar /app/app.jar\nENTRYPOINT ["java","-jar","/app/app.jar"]\n`);
  const sides = {
    imageship: (r) => [[NODE24, [CLI, 'run', '--provider', 'generic', '--registry', registry.host, '--namespace', 'bench', '--image', `is-${r}`, '--tags', 'v1', '--package', join(ctx, 'app.jar'), '--base-image', `${registry.host}/bench/base:1`]]],
    'docker build + push (buildx)': (r) => {
      const ref = `${registry.host}/bench/bx-${r}:v1`;
      made.push(ref);
      const env = { DOCKER_CONFIG: BUILDX_DOCKER_CONFIG };
      return [['docker', ['buildx', 'build', '--builder', 'default', '--load', '-q', '-t', ref, ctx], env], ['docker', ['push', '-q', ref], env]];
    },
    'docker build + push (classic)': (r) => {
      const ref = `${registry.host}/bench/cl-${r}:v1`;
      made.push(ref);
      return [['docker', ['build', '-q', '-t', ref, ctx], { DOCKER_BUILDKIT: '0' }], ['docker', ['push', '-q', ref]]];
    },
  };
  const names = Object.keys(sides);
  // Other work on the box (share of all cores busy over 3 s of this script doing nothing): the runs are only as quiet as this.
  const backgroundLoad = async () => {
    const b0 = machineBusyMs();
    const t0 = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 3000));
    return (machineBusyMs() - b0) / (Number(machine.nproc) * (performance.now() - t0));
  };
  const loadBefore = await backgroundLoad();
  const samples = Object.fromEntries(names.map((name) => [name, []]));
  const baseBytesMoved = [];
  const uploaded = [];
  for (let r = 0; r < rounds; r++) {
    writeFileSync(join(ctx, 'app.jar'), randomBytes(jarBytes));
    const order = names.map((_, i) => names[(i + r) % names.length]);
    for (const name of order) {
      // The registry logs a request just after answering it: let the previous side's last lines land first.
      if (name === 'imageship') await registry.settle(300);
      const mark = registry.accessLog.length;
      const ms = await timed(sides[name](r));
      samples[name].push(ms);
      if (name === 'imageship') {
        await registry.settle(300);
        const requests = registry.accessLog.slice(mark);
        const sizeOf = new Map(baseLayers.map((layer) => [layer.digest, layer.size]));
        const named = (url) => [...sizeOf.keys()].find((d) => url.includes(d) || url.includes(encodeURIComponent(d)));
        const moved = requests.reduce((sum, q) => {
          const digest = named(q.url);
          if (digest === undefined || q.status >= 300) return sum;
          if (q.method === 'GET' && q.url.includes(`/blobs/${digest}`)) return sum + q.bytes;
          // An upload finished under a base digest: that layer's bytes went up (a mount is a POST, no bytes).
          if (q.method === 'PUT' && q.url.includes('/blobs/uploads/')) return sum + sizeOf.get(digest);
          return sum;
        }, 0);
        baseBytesMoved.push(moved);
        uploaded.push(requests.filter((q) => q.method === 'PUT' && q.url.includes('/blobs/uploads/') && q.status === 201).length);
      }
      process.stderr.write(`round ${r + 1}/${rounds} ${name}: ${fmt(ms, 0)} ms\n`);
    }
  }

  const loadAfter = await backgroundLoad();
  const stats = (v) => ({ median: median(v), min: min(v), max: max(v) });
  const summary = { machine, options: { rounds, jarBytes, baseBytes, baseLayers: baseLayers.length }, backgroundLoad: { before: loadBefore, after: loadAfter }, samples, baseBytesMoved, uploaded, ratios: {} };
  for (const name of names.slice(1)) {
    const perRound = samples.imageship.map((ms, i) => ms / samples[name][i]);
    summary.ratios[name] = { ofMedians: median(samples.imageship) / median(samples[name]), perRound: stats(perRound) };
  }
  writeResult(opts.results, summary);
  console.log(`\n${machineLine(machine)}; other work on the box while idle: ${fmt(100 * loadBefore, 0)} % before, ${fmt(100 * loadAfter, 0)} % after\n`);
  console.log(markdownTable(['side (wall, spawn → exit)', 'median ms', 'min ms', 'max ms'], names.map((name) => [name, fmt(median(samples[name]), 0), fmt(min(samples[name]), 0), fmt(max(samples[name]), 0)])));
  console.log();
  console.log(markdownTable(['imageship ÷', 'ratio of medians', 'median of per-round ratios', 'min', 'max'], Object.entries(summary.ratios).map(([name, r]) => [name, fmt(r.ofMedians, 3), fmt(r.perRound.median, 3), fmt(r.perRound.min, 3), fmt(r.perRound.max, 3)])));
  console.log();
  console.log(`imageship: base-layer bytes moved per run ${baseBytesMoved.join(', ')} (base: ${baseLayers.length} layers, ${fmt(baseBytes / 1024 / 1024, 0)} MiB added); blob uploads per run ${uploaded.join(', ')} (the package layer and the config)`);
} finally {
  for (const ref of made) {
    try {
      docker(['image', 'rm', '-f', ref]);
    } catch {
      // Already gone.
    }
  }
  await registry.close();
  rmSync(work, { recursive: true, force: true });
}
