// Registry-to-registry copy of a 200 MB, 5-layer image of random data between
// two local registries: imageship's daemonless copyImage (a fresh Node process
// per copy) vs `skopeo copy` vs docker pull + tag + push, interleaved, with
// re-copy, retag, peak memory, CPU per process and loopback references.
// A benchmark, not a test: nothing here asserts on time.
//
//   npx tsc -p tsconfig.json && bash test-env/start.sh && node bench/copy.mjs [--rounds 7] [--storage tmpfs]
//
// Sides: the library in a fresh process (bench/lib/copy-once.mjs) under the
// machine's node and Node 24; the bundled action itself (dist/index.js under
// Node 24 with the runner's INPUT_*/GITHUB_* environment, main step only —
// what a workflow step costs); skopeo; a curl pipe; docker.
// --storage tmpfs puts both registries' storage on /dev/shm, so the disk
// (the registries fsync every blob they commit) drops out of the comparison.
//
// Needs: build/ (compiled src + __tests__ helpers), /usr/bin/docker-registry,
// skopeo, /usr/bin/time, curl, and the test bed's Docker daemon (only for the
// docker side: --no-docker leaves it out).
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DOCKER_WRAPPER_DIR, REPO_ROOT, NODE24, fmt, machineInfo, machineLine, markdownTable, max, median, min, p90, parseArgs, parseFileCommands, runnerStepEnv, timedRun, writeResult } from './lib/common.mjs';
import { cpuMsOf, machineBusyMs, makeLayers, manifestDigest, parseTimeV, pushImage, registryDataDir, registryPid } from './lib/copy-image.mjs';

const opts = parseArgs(process.argv.slice(2), {
  rounds: 7,
  layers: 5,
  layerBytes: 40_000_000,
  docker: true,
  node24: true,
  references: 5,
  memoryScaling: true,
  storage: 'disk',
  action: true,
  // Stop docker rounds once one takes longer than this (vfs can be slow).
  dockerRoundLimitMs: 60_000,
});

const TIME = '/usr/bin/time';
const COPY_ONCE = join(REPO_ROOT, 'bench', 'lib', 'copy-once.mjs');
const LOOPBACK = join(REPO_ROOT, 'bench', 'lib', 'loopback.mjs');
const BUILD_HELPER = join(REPO_ROOT, 'build', '__tests__', 'helpers', 'local-registry.js');
const BUILD_COPY = join(REPO_ROOT, 'build', 'src', 'registry', 'copy.js');
const DIST_INDEX = join(REPO_ROOT, 'dist', 'index.js');
const MB = 1e6;

for (const [what, path] of [
  ['build/ (run npx tsc -p tsconfig.json)', BUILD_COPY],
  ['build/ test helpers (run npx tsc -p tsconfig.json)', BUILD_HELPER],
  ['dist/ (run npm run bundle)', DIST_INDEX],
  ['GNU time (apt-get install -y time)', TIME],
  ['skopeo', '/usr/bin/skopeo'],
  ['docker-registry', '/usr/bin/docker-registry'],
  ['curl', '/usr/bin/curl'],
]) {
  if (!existsSync(path)) throw new Error(`bench/copy.mjs needs ${what}: ${path} is missing`);
}
if ((opts.node24 || opts.action) && !existsSync(NODE24)) throw new Error(`${NODE24} is missing (npm ci), or pass --no-node24 --no-action`);
if (opts.storage !== 'disk' && opts.storage !== 'tmpfs') throw new Error(`--storage must be disk or tmpfs, got ${opts.storage}`);

const { startLocalRegistry } = await import(BUILD_HELPER);

// docker without the test bed's argv-logging wrapper, as bench/overhead.mjs does.
const PATH_NO_WRAPPER = (process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin')
  .split(':')
  .filter((p) => p !== '' && resolve(p) !== DOCKER_WRAPPER_DIR)
  .join(':');

const log = (line) => process.stderr.write(`[copy] ${line}\n`);
const tool = (cmd, args) => {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 20_000 }).trim();
  } catch {
    return 'n/a';
  }
};
const sha12 = (path) => createHash('sha256').update(readFileSync(path)).digest('hex').slice(0, 12);

const machine = {
  ...machineInfo(),
  skopeo: tool('skopeo', ['--version']),
  registry: tool('/usr/bin/docker-registry', ['--version']),
  curl: tool('curl', ['--version']).split('\n')[0],
  build: ['copy.js', 'client.js', 'digest.js']
    .map((f) => `${f}=${sha12(join(REPO_ROOT, 'build', 'src', 'registry', f))}`)
    .join(' '),
};
log(machineLine(machine));

const runId = Date.now().toString(36);
const tmp = mkdtempSync(join(tmpdir(), 'imageship-bench-copy-'));
mkdirSync(join(tmp, 'docker-config'));
const baseEnv = { ...process.env, PATH: PATH_NO_WRAPPER, DOCKER_CONFIG: join(tmp, 'docker-config') };
delete baseEnv.NODE_OPTIONS;

const registries = [];
const servers = [];
const dockerImages = new Set();
const startedAt = Date.now();

async function cleanup() {
  for (const image of dockerImages) await timedRun('docker', ['rmi', '-f', image], { env: baseEnv, timeoutMs: 60_000 }).catch(() => undefined);
  for (const child of servers) {
    if (child.exitCode === null) child.kill('SIGTERM');
  }
  for (const r of registries.splice(0)) await r.close().catch(() => undefined);
  rmSync(tmp, { recursive: true, force: true });
  if (storageDir) rmSync(storageDir, { recursive: true, force: true });
}

// ---------------------------------------------------------------- measured operations

/** CPU (ms) of the registries and dockerd, and of the whole machine, around `fn`. */
async function withCpu(pids, fn) {
  const before = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, cpuMsOf(pid)]));
  const busy0 = machineBusyMs();
  const out = await fn();
  const cpu = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, cpuMsOf(pid) - before[k]]));
  cpu.machineBusy = machineBusyMs() - busy0;
  return { ...out, cpu };
}

function lastJsonLine(stdout) {
  const line = stdout.trim().split('\n').filter((l) => l.startsWith('{')).pop();
  if (!line) throw new Error(`no JSON in output:\n${stdout}`);
  return JSON.parse(line);
}

/** One imageship copy (or retag) in a fresh process under /usr/bin/time -v. */
async function imageship(nodeBin, src, dst, repeat = 0) {
  const env = repeat > 0 ? { ...baseEnv, IMAGESHIP_BENCH_REPEAT: String(repeat) } : baseEnv;
  const r = await timedRun(TIME, ['-v', nodeBin, COPY_ONCE, src, dst], { env, timeoutMs: 180_000 });
  if (r.code !== 0) throw new Error(`imageship copy ${src} → ${dst} exited ${r.code}:\n${r.stderr}`);
  const inner = lastJsonLine(r.stdout);
  const tv = parseTimeV(r.stderr);
  return { wallMs: r.exitMs, ms: inner.ms, setupMs: inner.setupMs, bytes: inner.bytes, blobsCopied: inner.blobsCopied, blobsSkipped: inner.blobsSkipped, digest: inner.digest, rssPeakKiB: tv.maxRssKiB, rssInProcessKiB: inner.rssPeakKiB, cpuUserS: tv.userS, cpuSysS: tv.sysS, node: inner.node, ...(repeat > 0 ? { repeatMs: inner.repeatMs, repeatBytes: inner.repeatBytes, rssPeakAfterRepeatsKiB: inner.rssPeakAfterRepeatsKiB } : {}) };
}

/**
 * The bundled action's main step under Node 24 and /usr/bin/time -v, with the
 * runner's environment (runnerStepEnv): `source-image` copied to
 * `dstHost/repo` under `tag` (provider generic, anonymous). Within one
 * repository this is the retag path. What moved comes from the action's own
 * log line; the digest from its `digest` output.
 */
async function imageshipAction(src, dstHost, repo, tag) {
  const slash = repo.indexOf('/');
  const step = runnerStepEnv({
    inputs: { provider: 'generic', registry: dstHost, namespace: repo.slice(0, slash), image: repo.slice(slash + 1), tags: tag, 'source-image': src },
    workdir: tmp,
    dockerConfig: join(tmp, 'docker-config'),
  });
  try {
    const r = await timedRun(TIME, ['-v', NODE24, DIST_INDEX], { env: step.env, cwd: tmp, timeoutMs: 180_000 });
    if (r.code !== 0) throw new Error(`action ${src} → ${dstHost}/${repo}:${tag} exited ${r.code}:\n${r.stdout}\n${r.stderr}`);
    const outputs = parseFileCommands(readFileSync(step.files.output, 'utf8'));
    const moved = /(\d+) blob\(s\) copied \(([^)]*)\), (\d+) mounted, (\d+) already there/.exec(r.stdout);
    const retagged = /no blob moved/.test(r.stdout);
    if (!moved && !retagged) throw new Error(`action ${src}: no copy or retag line in its log:\n${r.stdout}`);
    const tv = parseTimeV(r.stderr);
    return {
      wallMs: r.exitMs,
      digest: outputs.digest,
      blobsCopied: moved ? Number(moved[1]) : 0,
      blobsSkipped: moved ? Number(moved[4]) : 0,
      movedText: moved ? moved[2] : '0 B',
      rssPeakKiB: tv.maxRssKiB,
      cpuUserS: tv.userS,
      cpuSysS: tv.sysS,
    };
  } finally {
    rmSync(step.tmp, { recursive: true, force: true });
  }
}

/**
 * One `skopeo copy` under /usr/bin/time -v, starting from an empty blob-info
 * cache of its own. As root, skopeo keeps that cache in
 * /var/lib/containers/cache/blob-info-cache-v1.boltdb; with
 * _CONTAINERS_ROOTLESS_UID set it takes the rootless path,
 * $XDG_DATA_HOME/containers/cache/, which here is a fresh directory per call.
 * Without this a second copy to a fresh repository of B mounts every blob
 * from the previous round's repository (its cache remembers where they are)
 * and moves no bytes.
 */
async function skopeo(src, dst) {
  const dataHome = mkdtempSync(join(tmp, 'skopeo-'));
  const env = { ...baseEnv, _CONTAINERS_ROOTLESS_UID: '65534', XDG_DATA_HOME: dataHome, TMPDIR: dataHome };
  const args = ['copy', '--src-tls-verify=false', '--dest-tls-verify=false', `docker://${src}`, `docker://${dst}`];
  const r = await timedRun(TIME, ['-v', 'skopeo', ...args], { env, timeoutMs: 180_000 });
  if (r.code !== 0) throw new Error(`skopeo ${args.join(' ')} exited ${r.code}:\n${r.stderr}`);
  const tv = parseTimeV(r.stderr);
  const cacheIsolated = existsSync(join(dataHome, 'containers', 'cache', 'blob-info-cache-v1.boltdb'));
  rmSync(dataHome, { recursive: true, force: true });
  return { wallMs: r.exitMs, rssPeakKiB: tv.maxRssKiB, cpuUserS: tv.userS, cpuSysS: tv.sysS, cacheIsolated };
}

/**
 * Reference copier with nothing but the transfer: per blob, `curl GET` from A
 * piped into `curl PUT` to B (chunked, no checking in the copier), 4 blobs at
 * once like copyImage's default, then the manifest PUT.
 */
async function curlPipe(srcHost, srcRepo, dstHost, dstRepo, digests, manifestPath) {
  const script = `
set -euo pipefail
one() {
  loc=$(curl -sS -X POST -o /dev/null -w '%header{location}' "http://${dstHost}/v2/${dstRepo}/blobs/uploads/")
  case "$loc" in http*) ;; *) loc="http://${dstHost}$loc" ;; esac
  code=$(curl -sS "http://${srcHost}/v2/${srcRepo}/blobs/$1" |
    curl -sS -o /dev/null -w '%{http_code}' -X PUT -H 'Content-Type: application/octet-stream' -T - "$loc&digest=$1")
  [ "$code" = 201 ] || { echo "PUT $1: HTTP $code" >&2; exit 1; }
}
export -f one
printf '%s\\n' "$@" | xargs -P 4 -n 1 bash -c 'one "$0"'
code=$(curl -sS -o /dev/null -w '%{http_code}' -X PUT -H 'Content-Type: application/vnd.docker.distribution.manifest.v2+json' --data-binary @${manifestPath} "http://${dstHost}/v2/${dstRepo}/manifests/v1")
[ "$code" = 201 ] || { echo "manifest PUT: HTTP $code" >&2; exit 1; }
`;
  // time -v counts the curls too: bash waits for every one of them.
  const r = await timedRun(TIME, ['-v', 'bash', '-c', script, 'curl-pipe', ...digests], { env: baseEnv, timeoutMs: 180_000 });
  if (r.code !== 0) throw new Error(`curl pipe exited ${r.code}:\n${r.stderr}`);
  const tv = parseTimeV(r.stderr);
  return { wallMs: r.exitMs, cpuUserS: tv.userS, cpuSysS: tv.sysS, rssPeakKiB: tv.maxRssKiB };
}

/** Registry B's ingest alone: the layer files (page cache) PUT with curl, 4 at once, into a fresh repository. */
function curlPutFilesCommand(dstHost, dstRepo, layers) {
  const script = `
set -euo pipefail
one() {
  loc=$(curl -sS -X POST -o /dev/null -w '%header{location}' "http://${dstHost}/v2/${dstRepo}/blobs/uploads/")
  case "$loc" in http*) ;; *) loc="http://${dstHost}$loc" ;; esac
  code=$(curl -sS -o /dev/null -w '%{http_code}' -X PUT -H 'Content-Type: application/octet-stream' -T "$2" "$loc&digest=$1")
  [ "$code" = 201 ] || { echo "PUT $1: HTTP $code" >&2; exit 1; }
}
export -f one
printf '%s %s\\n' "$@" | xargs -P 4 -n 2 bash -c 'one "$0" "$1"'
`;
  return ['bash', ['-c', script, 'curl-put', ...layers.flatMap((l) => [l.digest, l.path])]];
}

/** Share of the machine's CPU that is busy while this benchmark does nothing (other work on the box). */
async function backgroundLoad(ms) {
  const b0 = machineBusyMs();
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, ms));
  return (machineBusyMs() - b0) / (Number(machine.nproc) * (performance.now() - t0));
}

async function dockerCmd(args) {
  const r = await timedRun('docker', args, { env: baseEnv, timeoutMs: 300_000 });
  if (r.code !== 0) throw new Error(`docker ${args.join(' ')} exited ${r.code}:\n${r.stderr}`);
  return r.exitMs;
}

function dockerdPid() {
  try {
    return Number(readFileSync('/var/run/docker.pid', 'utf8').trim());
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------- run

const data = { name: 'copy', machine, options: opts, runId, notes: [] };

let storageDir;
if (opts.storage === 'tmpfs') {
  storageDir = mkdtempSync('/dev/shm/imageship-bench-registries-');
  // startLocalRegistry keeps its storage under os.tmpdir(), which reads TMPDIR.
  process.env.TMPDIR = storageDir;
}

try {
  const A = await startLocalRegistry();
  registries.push(A);
  const B = await startLocalRegistry();
  registries.push(B);
  const pidA = registryPid(A.host);
  const pidB = registryPid(B.host);
  log(`registries: A (source) ${A.host} pid ${pidA}, B (destination) ${B.host} pid ${pidB}; both anonymous, filesystem storage under ${tmpdir()} (${opts.storage})`);

  mkdirSync(join(tmp, 'layers'));
  let t = performance.now();
  const layers = await makeLayers(join(tmp, 'layers'), opts.layers, opts.layerBytes);
  const makeMs = performance.now() - t;
  t = performance.now();
  const SRC_REPO = 'bench/src';
  const image = await pushImage(A.host, SRC_REPO, 'v1', layers);
  const pushMs = performance.now() - t;
  const manifestPath = join(tmp, 'manifest.json');
  execFileSync('curl', ['-sS', '-o', manifestPath, '-H', 'Accept: application/vnd.docker.distribution.manifest.v2+json', `http://${A.host}/v2/${SRC_REPO}/manifests/v1`]);
  const digests = [image.config.digest, ...layers.map((l) => l.digest)];
  data.image = { digest: image.digest, blobBytes: image.blobBytes, layerBytes: image.layerBytes, layers: layers.map((l) => ({ digest: l.digest, size: l.size })), makeMs, pushMs };
  log(`image ${A.host}/${SRC_REPO}:v1 ${image.digest}: ${opts.layers} layers, ${image.blobBytes} blob bytes (made in ${fmt(makeMs, 0)} ms, pushed in ${fmt(pushMs, 0)} ms)`);
  const SRC = `${A.host}/${SRC_REPO}:v1`;

  data.backgroundLoadBefore = await backgroundLoad(3000);
  log(`background load before the rounds: ${fmt(100 * data.backgroundLoadBefore)} % of ${machine.nproc} cores`);

  // ------------------------------------------------------------ interleaved rounds
  const fullVariants = ['imageship', ...(opts.node24 ? ['imageship-node24'] : []), ...(opts.action ? ['imageship-action'] : []), 'skopeo', 'curl-pipe', ...(opts.docker ? ['docker'] : [])];
  const smallVariants = ['imageship', ...(opts.node24 ? ['imageship-node24'] : []), ...(opts.action ? ['imageship-action'] : []), 'skopeo'];
  const rounds = [];
  let dockerEnabled = opts.docker;
  for (let round = 0; round < opts.rounds; round++) {
    const rot = (list) => [...list.slice(round % list.length), ...list.slice(0, round % list.length)];
    const order = rot(fullVariants).filter((v) => v !== 'docker' || dockerEnabled);
    const rec = { round, order, full: {}, recopy: {}, retag: {} };
    const repos = {};
    for (const variant of order) {
      const repo = `bench-${runId}-r${round}-${variant}/app`;
      repos[variant] = repo;
      const dst = `${B.host}/${repo}:v1`;
      if (variant === 'imageship' || variant === 'imageship-node24') {
        const nodeBin = variant === 'imageship' ? process.execPath : NODE24;
        const r = await withCpu({ registryA: pidA, registryB: pidB }, () => imageship(nodeBin, SRC, dst));
        if (r.bytes !== image.blobBytes || r.digest !== image.digest) throw new Error(`${variant} round ${round}: moved ${r.bytes} bytes (${r.digest}), expected ${image.blobBytes} (${image.digest})`);
        rec.full[variant] = r;
      } else if (variant === 'imageship-action') {
        const r = await withCpu({ registryA: pidA, registryB: pidB }, () => imageshipAction(SRC, B.host, repo, 'v1'));
        const got = await manifestDigest(B.host, repo, 'v1');
        if (r.digest !== image.digest || got !== image.digest || r.blobsCopied !== 1 + opts.layers) throw new Error(`action round ${round}: output ${r.digest}, B has ${got}, ${r.blobsCopied} blobs copied; expected ${image.digest} and ${1 + opts.layers}`);
        rec.full[variant] = r;
      } else if (variant === 'skopeo') {
        const r = await withCpu({ registryA: pidA, registryB: pidB }, () => skopeo(SRC, dst));
        const got = await manifestDigest(B.host, repo, 'v1');
        if (got !== image.digest) throw new Error(`skopeo round ${round}: B has ${got}, expected ${image.digest}`);
        rec.full[variant] = { ...r, digest: got };
      } else if (variant === 'curl-pipe') {
        const r = await withCpu({ registryA: pidA, registryB: pidB }, () => curlPipe(A.host, SRC_REPO, B.host, repo, digests, manifestPath));
        const got = await manifestDigest(B.host, repo, 'v1');
        if (got !== image.digest) throw new Error(`curl pipe round ${round}: B has ${got}, expected ${image.digest}`);
        rec.full[variant] = { ...r, digest: got };
      } else if (variant === 'docker') {
        // A fresh destination registry per docker round (started and stopped outside
        // the timed window): dockerd remembers, even after `docker rmi`, which
        // repositories of a registry it pushed a layer to, and mounts from them
        // instead of uploading; on a new host:port it has nothing to mount from.
        const D = await startLocalRegistry();
        registries.push(D);
        const pidD = registryPid(D.host);
        const pulled = SRC;
        const pushed = `${D.host}/${repo}:v1`;
        dockerImages.add(pulled);
        dockerImages.add(pushed);
        for (const img of [pulled, pushed]) await timedRun('docker', ['rmi', '-f', img], { env: baseEnv, timeoutMs: 120_000 });
        const r = await withCpu({ registryA: pidA, registryB: pidD, dockerd: dockerdPid() }, async () => {
          const pullMs = await dockerCmd(['pull', pulled]);
          const tagMs = await dockerCmd(['tag', pulled, pushed]);
          const pushMs = await dockerCmd(['push', pushed]);
          return { pullMs, tagMs, pushMs, wallMs: pullMs + tagMs + pushMs };
        });
        const got = await manifestDigest(D.host, repo, 'v1');
        if (!got) throw new Error(`docker round ${round}: nothing at ${pushed}`);
        // What landed in D: docker re-tars and re-gzips on push, so this is its own layers' size, not A's.
        const du = tool('du', ['-sb', '--', registryDataDir(D.host) ?? '/nonexistent']);
        rec.full.docker = { ...r, digest: got, destinationRegistryBytes: Number(du.split('\t')[0]) };
        const rmi = await timedRun('docker', ['rmi', pulled, pushed], { env: baseEnv, timeoutMs: 120_000 });
        rec.full.docker.rmiMs = rmi.exitMs;
        dockerImages.delete(pulled);
        dockerImages.delete(pushed);
        await D.close();
        registries.splice(registries.indexOf(D), 1);
        if (r.wallMs > opts.dockerRoundLimitMs) {
          dockerEnabled = false;
          data.notes.push(`docker round ${round} took ${fmt(r.wallMs / 1000)} s (> ${opts.dockerRoundLimitMs / 1000} s): no further docker rounds`);
        }
      }
      const f = rec.full[variant];
      log(`round ${round} ${variant}: ${fmt(f.wallMs, 0)} ms wall${f.ms !== undefined ? `, ${fmt(f.ms, 0)} ms in-process` : ''}${f.pullMs !== undefined ? ` (pull ${fmt(f.pullMs, 0)}, push ${fmt(f.pushMs, 0)})` : ''}`);
    }
    // Re-copy (same destination again: nothing to move) and retag (new tag in B), each tool on its own destination.
    for (const variant of rot(smallVariants)) {
      const repo = repos[variant];
      const dst = `${B.host}/${repo}:v1`;
      if (variant === 'skopeo') {
        rec.recopy[variant] = await skopeo(SRC, dst);
        rec.retag[variant] = await skopeo(dst, `${B.host}/${repo}:v2`);
      } else if (variant === 'imageship-action') {
        rec.recopy[variant] = await imageshipAction(SRC, B.host, repo, 'v1');
        if (rec.recopy[variant].blobsCopied !== 0) throw new Error(`action re-copy copied ${rec.recopy[variant].blobsCopied} blobs`);
        rec.recopy[variant].bytes = 0;
        rec.retag[variant] = await imageshipAction(dst, B.host, repo, 'v2');
        rec.retag[variant].bytes = 0;
      } else {
        const nodeBin = variant === 'imageship' ? process.execPath : NODE24;
        rec.recopy[variant] = await imageship(nodeBin, SRC, dst);
        if (rec.recopy[variant].bytes !== 0) throw new Error(`${variant} re-copy moved ${rec.recopy[variant].bytes} bytes`);
        rec.retag[variant] = await imageship(nodeBin, dst, `${B.host}/${repo}:v2`);
      }
      if ((await manifestDigest(B.host, repo, 'v2')) !== image.digest) throw new Error(`${variant} retag: ${repo}:v2 is not ${image.digest}`);
    }
    rounds.push(rec);
  }
  data.rounds = rounds;

  // ------------------------------------------------------------ loopback references
  const startServer = async () => {
    const child = spawn(process.execPath, [LOOPBACK, 'server'], { stdio: ['ignore', 'pipe', 'inherit'] });
    servers.push(child);
    const port = await new Promise((res, rej) => {
      let buf = '';
      child.stdout.on('data', (c) => {
        buf += c;
        if (buf.includes('\n')) res(JSON.parse(buf).port);
      });
      child.once('exit', (code) => rej(new Error(`loopback server exited ${code}`)));
    });
    return port;
  };
  const p1 = await startServer();
  const p2 = await startServer();
  const total = opts.layers * opts.layerBytes;
  data.referenceBytes = total;
  const refVariants = {
    'node:http GET, node server → node client': () => [process.execPath, [LOOPBACK, 'get-http', p1, total]],
    'curl GET from the node server': () => ['curl', ['-sS', '-o', '/dev/null', '-w', '{"curlMs":%{time_total}}\\n', `http://127.0.0.1:${p1}/${total}`]],
    'fetch GET, node server → fetch client': () => [process.execPath, [LOOPBACK, 'get-fetch', p1, total]],
    [`fetch GET → fetch PUT, node server → node sink, ${opts.layers} × ${fmt(opts.layerBytes / MB, 0)} MB, 4 at once`]: () => [process.execPath, [LOOPBACK, 'pipe-fetch', p1, p2, opts.layerBytes, opts.layers, 4]],
    '… the same + sha256 TransformStream': () => [process.execPath, [LOOPBACK, 'pipe-fetch', p1, p2, opts.layerBytes, opts.layers, 4, 'sha256']],
    'node:crypto sha256 of the bytes (no I/O)': () => [process.execPath, [LOOPBACK, 'sha256', total]],
    'curl GET of the image blobs from registry A (one process, sequential)': () => ['curl', ['-sS', ...digests.flatMap((d) => ['-o', '/dev/null', `http://${A.host}/v2/${SRC_REPO}/blobs/${d}`])]],
    'curl PUT of the layer files to registry B, 4 at once (B ingest alone)': (rep) => curlPutFilesCommand(B.host, `bench-${runId}-ingest${rep}/app`, layers),
  };
  const refNames = Object.keys(refVariants);
  const refs = Object.fromEntries(refNames.map((n) => [n, []]));
  for (let rep = 0; rep < opts.references; rep++) {
    const order = [...refNames.slice(rep % refNames.length), ...refNames.slice(0, rep % refNames.length)];
    for (const name of order) {
      const [cmd, args] = refVariants[name](rep);
      const r = await timedRun(cmd, args.map(String), { env: baseEnv, timeoutMs: 120_000 });
      if (r.code !== 0) throw new Error(`reference ${name} exited ${r.code}: ${r.stderr}`);
      let inner = {};
      try {
        inner = lastJsonLine(r.stdout);
      } catch {
        // curl without JSON
      }
      const bytes = name.startsWith('curl GET of the image') ? image.blobBytes : name.startsWith('curl PUT of the layer') ? image.layerBytes : total;
      const ms = inner.ms ?? (inner.curlMs !== undefined ? inner.curlMs * 1000 : r.exitMs);
      refs[name].push({ ms, wallMs: r.exitMs, bytes, cpuUserMs: inner.cpuUserMs, cpuSysMs: inner.cpuSysMs });
    }
  }
  data.references = refs;
  for (const s of servers) s.kill('SIGTERM');
  data.backgroundLoadAfter = await backgroundLoad(3000);

  // ------------------------------------------------------------ peak memory vs image size
  if (opts.memoryScaling) {
    const extra = await makeLayers(join(tmp, 'layers'), opts.layers, opts.layerBytes, 'extra');
    const sizes = {
      [`1 layer`]: await pushImage(A.host, 'bench/one', 'v1', [layers[0]]),
      [`${opts.layers} layers (the image above)`]: image,
      [`${2 * opts.layers} layers`]: await pushImage(A.host, 'bench/ten', 'v1', [...layers, ...extra]),
    };
    const repoOf = { '1 layer': 'bench/one', [`${opts.layers} layers (the image above)`]: SRC_REPO, [`${2 * opts.layers} layers`]: 'bench/ten' };
    const scaling = Object.fromEntries(Object.keys(sizes).map((k) => [k, { blobBytes: sizes[k].blobBytes, runs: [] }]));
    for (let rep = 0; rep < 2; rep++) {
      for (const name of Object.keys(sizes)) {
        const r = await imageship(process.execPath, `${A.host}/${repoOf[name]}:v1`, `${B.host}/bench-${runId}-mem${rep}-${repoOf[name].replace('/', '-')}/app:v1`);
        if (r.bytes !== sizes[name].blobBytes) throw new Error(`memory run ${name}: moved ${r.bytes}, expected ${sizes[name].blobBytes}`);
        scaling[name].runs.push(r);
      }
    }
    data.memoryScaling = scaling;

    // One process doing the same thing several times: does the peak keep growing with bytes moved, and
    // how much of a cold retag / copy is first use of fetch and cold JIT rather than registry round trips?
    const warmDst = `${B.host}/bench-${runId}-warm/app`;
    data.warm = {
      copy: await imageship(process.execPath, SRC, `${warmDst}:v1`, 4),
      retag: await imageship(process.execPath, `${warmDst}:v1`, `${warmDst}:v2`, 5),
    };
    if (data.warm.copy.repeatBytes.some((b) => b !== image.blobBytes)) throw new Error(`warm copies moved ${data.warm.copy.repeatBytes}`);
  }
  data.registries = { A: A.host, B: B.host, auth: 'none (both anonymous)', storage: opts.storage };
} finally {
  data.durationMs = Date.now() - startedAt;
  await cleanup();
}

// ---------------------------------------------------------------- summary

const st = (values) => {
  const v = values.filter((x) => Number.isFinite(x));
  return { n: v.length, median: median(v), p90: p90(v), min: v.length ? min(v) : NaN, max: v.length ? max(v) : NaN };
};
const rounds = data.rounds;
const pick = (section, variant, key) => rounds.map((r) => r[section][variant]?.[key]).filter((x) => x !== undefined);
const perRound = (section, a, ka, b, kb) =>
  rounds.filter((r) => r[section][a] && r[section][b]).map((r) => r[section][a][ka] / r[section][b][kb]);
const bytes = data.image.blobBytes;
const mbps = (ms) => (bytes / MB / (ms / 1000));
const is20 = 'imageship';
const is24 = 'imageship-node24';
const node20 = rounds[0]?.full[is20]?.node ?? process.version;
const node24v = rounds[0]?.full[is24]?.node ?? 'v24';

const summary = { full: {}, ratios: {}, small: {}, memory: {}, cpu: {}, references: {} };
const fullRows = [
  [`imageship (node ${node20}): copyImage in-process`, st(pick('full', is20, 'ms'))],
  [`imageship (node ${node20}): process, spawn → exit`, st(pick('full', is20, 'wallMs'))],
  ...(opts.node24
    ? [
        [`imageship (node ${node24v}): copyImage in-process`, st(pick('full', is24, 'ms'))],
        [`imageship (node ${node24v}): process, spawn → exit`, st(pick('full', is24, 'wallMs'))],
      ]
    : []),
  ...(opts.action ? [[`imageship action (dist/index.js, node ${node24v}, main step): process, spawn → exit`, st(pick('full', 'imageship-action', 'wallMs'))]] : []),
  ['skopeo copy: process, spawn → exit', st(pick('full', 'skopeo', 'wallMs'))],
  ...(pick('full', 'docker', 'wallMs').length
    ? [
        ['docker pull + tag + push', st(pick('full', 'docker', 'wallMs'))],
        ['… docker pull', st(pick('full', 'docker', 'pullMs'))],
        ['… docker tag', st(pick('full', 'docker', 'tagMs'))],
        ['… docker push', st(pick('full', 'docker', 'pushMs'))],
      ]
    : []),
  ['reference: curl GET | curl PUT per blob, 4 at once, + manifest PUT', st(pick('full', 'curl-pipe', 'wallMs'))],
];
for (const [name, s] of fullRows) summary.full[name] = s;

const ratioRows = [
  [`imageship node ${node20} process / skopeo`, is20, 'wallMs', 'skopeo', 'wallMs'],
  [`imageship node ${node20} in-process / skopeo process`, is20, 'ms', 'skopeo', 'wallMs'],
  ...(opts.node24
    ? [
        [`imageship node ${node24v} process / skopeo`, is24, 'wallMs', 'skopeo', 'wallMs'],
        [`imageship node ${node24v} in-process / skopeo process`, is24, 'ms', 'skopeo', 'wallMs'],
      ]
    : []),
  ...(opts.action ? [[`imageship action (node ${node24v}) process / skopeo`, 'imageship-action', 'wallMs', 'skopeo', 'wallMs']] : []),
  [`imageship node ${node20} process / docker pull+tag+push`, is20, 'wallMs', 'docker', 'wallMs'],
  [`skopeo / docker pull+tag+push`, 'skopeo', 'wallMs', 'docker', 'wallMs'],
  [`imageship node ${node20} process / curl pipe`, is20, 'wallMs', 'curl-pipe', 'wallMs'],
  [`skopeo / curl pipe`, 'skopeo', 'wallMs', 'curl-pipe', 'wallMs'],
];
for (const [name, a, ka, b, kb] of ratioRows) {
  const per = perRound('full', a, ka, b, kb);
  if (per.length === 0) continue;
  summary.ratios[name] = { ofMedians: median(pick('full', a, ka)) / median(pick('full', b, kb)), perRound: st(per), values: per };
}

const smallSides = ['imageship', ...(opts.node24 ? ['imageship-node24'] : []), ...(opts.action ? ['imageship-action'] : []), 'skopeo'];
for (const op of ['recopy', 'retag']) {
  for (const side of smallSides) {
    summary.small[`${op} ${side}`] = {
      inProcess: st(pick(op, side, 'ms')),
      wall: st(pick(op, side, 'wallMs')),
      bytes: st(pick(op, side, 'bytes')),
      setup: st(pick(op, side, 'setupMs')),
      // spawn → exit minus node's own start → copy call minus the copy: the exit tail (and node's pre-main start-up)
      tail: st(rounds.map((r) => r[op][side]).filter((x) => x?.ms !== undefined).map((x) => x.wallMs - x.setupMs - x.ms)),
      rss: st(pick(op, side, 'rssPeakKiB')),
    };
  }
}

const mib = (kib) => kib / 1024;
summary.memory = {
  [`imageship node ${node20}, full copy`]: st(pick('full', is20, 'rssPeakKiB')),
  ...(opts.node24 ? { [`imageship node ${node24v}, full copy`]: st(pick('full', is24, 'rssPeakKiB')) } : {}),
  'skopeo copy, full copy': st(pick('full', 'skopeo', 'rssPeakKiB')),
  [`imageship node ${node20}, re-copy (nothing to move)`]: st(pick('recopy', is20, 'rssPeakKiB')),
};
if (data.memoryScaling) {
  for (const [name, s] of Object.entries(data.memoryScaling)) {
    summary.memory[`imageship node ${node20}, image of ${name}, ${fmt(s.blobBytes / MB, 0)} MB`] = { ...st(s.runs.map((r) => r.rssPeakKiB)), blobBytes: s.blobBytes };
  }
}

const cpuOf = (variant) => {
  const get = (f) => st(rounds.map((r) => (r.full[variant] ? f(r.full[variant]) : undefined)).filter((x) => x !== undefined));
  return {
    copier: get((x) => (x.cpuUserS !== undefined ? (x.cpuUserS + x.cpuSysS) * 1000 : undefined)),
    registryA: get((x) => x.cpu?.registryA),
    registryB: get((x) => x.cpu?.registryB),
    dockerd: get((x) => x.cpu?.dockerd),
    machineBusy: get((x) => x.cpu?.machineBusy),
    wall: get((x) => x.wallMs),
    utilisation: get((x) => (x.cpu ? x.cpu.machineBusy / (Number(machine.nproc) * x.wallMs) : undefined)),
  };
};
for (const v of ['imageship', ...(opts.node24 ? ['imageship-node24'] : []), ...(opts.action ? ['imageship-action'] : []), 'skopeo', 'curl-pipe', ...(opts.docker ? ['docker'] : [])]) summary.cpu[v] = cpuOf(v);

for (const [name, runs] of Object.entries(data.references)) {
  const ms = st(runs.map((r) => r.ms));
  summary.references[name] = { ms, mbps: runs[0].bytes / MB / (ms.median / 1000), cpuMs: st(runs.map((r) => (r.cpuUserMs ?? NaN) + (r.cpuSysMs ?? NaN))) };
}
const loopbackName = 'node:http GET, node server → node client';
const loopbackMBps = summary.references[loopbackName].mbps;
const isMs = summary.full[fullRows[0][0]].median;
const isWall = summary.full[fullRows[1][0]].median;
summary.limit = {
  loopbackMBps,
  limitMs: (bytes / MB / loopbackMBps) * 1000,
  imageshipInProcessMBps: mbps(isMs),
  imageshipWallMBps: mbps(isWall),
  fractionInProcess: mbps(isMs) / loopbackMBps,
  fractionWall: mbps(isWall) / loopbackMBps,
};
data.summary = summary;
const file = writeResult('copy', data);

// ---------------------------------------------------------------- markdown

const f0 = (x) => fmt(x, 0);
const out = [];
out.push(`Machine: ${machineLine(machine)}; skopeo ${machine.skopeo}; registry ${machine.registry}; build ${machine.build}`);
out.push(`Image: ${data.image.digest}, ${opts.layers} layers (gzip'd tar of one random file each) + config, ${bytes} blob bytes (${fmt(bytes / MB)} MB). Registries: A ${data.registries.A} → B ${data.registries.B}, anonymous, storage on ${opts.storage === 'tmpfs' ? 'tmpfs (/dev/shm)' : 'disk (under TMPDIR)'}. Rounds: ${rounds.length} (order rotated per round), docker in ${pick('full', 'docker', 'wallMs').length}. Run took ${fmt(data.durationMs / 1000)} s.`);
for (const n of data.notes) out.push(`Note: ${n}`);
out.push(`Other work on the machine (CPU busy while this benchmark idles 3 s): ${fmt(100 * data.backgroundLoadBefore)} % of ${machine.nproc} cores before the rounds, ${fmt(100 * data.backgroundLoadAfter)} % after the references.`);
const skopeoRuns = rounds.flatMap((r) => [r.full.skopeo, r.recopy.skopeo, r.retag.skopeo]).filter(Boolean);
out.push(`skopeo started from an empty blob-info cache of its own in ${skopeoRuns.filter((x) => x.cacheIsolated).length} of ${skopeoRuns.length} runs (the cache file appeared in the per-run directory).`);
out.push('');
out.push(
  markdownTable(
    ['full copy, cold, fresh destination repository', 'median ms', 'min ms', 'max ms', 'p90 ms', 'MB/s at the median'],
    fullRows.map(([name, s]) => [name, f0(s.median), f0(s.min), f0(s.max), f0(s.p90), name.startsWith('…') ? '' : fmt(mbps(s.median))]),
  ),
);
out.push('');
out.push(
  markdownTable(
    ['ratio (full copy)', 'ratio of medians', 'median of per-round ratios', 'min', 'max'],
    Object.entries(summary.ratios).map(([name, r]) => [name, fmt(r.ofMedians, 3), fmt(r.perRound.median, 3), fmt(r.perRound.min, 3), fmt(r.perRound.max, 3)]),
  ),
);
out.push('');
out.push(
  markdownTable(
    ['re-copy / retag', 'in-process median ms (min–max)', 'process median ms (min–max)', 'process: start → copy call (median ms)', 'copy returned → exit (median ms)', 'bytes moved', 'peak RSS MiB'],
    Object.entries(summary.small).map(([name, s]) => [
      name.replace('recopy', 're-copy'),
      s.inProcess.n ? `${fmt(s.inProcess.median)} (${fmt(s.inProcess.min)}–${fmt(s.inProcess.max)})` : '—',
      `${fmt(s.wall.median)} (${fmt(s.wall.min)}–${fmt(s.wall.max)})`,
      s.setup.n ? fmt(s.setup.median) : '—',
      s.tail.n ? fmt(s.tail.median) : '—',
      s.bytes.n ? f0(s.bytes.max) : '— (not reported)',
      fmt(mib(s.rss.median)),
    ]),
  ),
);
out.push('');
out.push(
  markdownTable(
    ['peak RSS (/usr/bin/time -v)', 'median MiB', 'min MiB', 'max MiB', 'median ÷ image bytes'],
    Object.entries(summary.memory).map(([name, s]) => [name, fmt(mib(s.median)), fmt(mib(s.min)), fmt(mib(s.max)), fmt((s.median * 1024) / (s.blobBytes ?? bytes), 3)]),
  ),
);
out.push('');
out.push(
  markdownTable(
    ['CPU per full copy (median ms)', 'copier process (user+sys)', 'registry A', 'registry B (docker: its fresh one)', 'dockerd', 'whole machine busy', 'wall', `machine busy ÷ (${machine.nproc} × wall)`],
    Object.entries(summary.cpu).map(([v, c]) => [v, f0(c.copier.median), f0(c.registryA.median), f0(c.registryB.median), f0(c.dockerd.median), f0(c.machineBusy.median), f0(c.wall.median), fmt(c.utilisation.median, 2)]),
  ),
);
out.push('');
out.push(
  markdownTable(
    [`loopback reference (${fmt(data.referenceBytes / MB, 0)} MB)`, 'median ms', 'min', 'max', 'MB/s', 'client CPU ms', `imageship in-process (${fmt(mbps(isMs))} MB/s) as a fraction`],
    Object.entries(summary.references).map(([name, r]) => [name, f0(r.ms.median), f0(r.ms.min), f0(r.ms.max), fmt(r.mbps), f0(r.cpuMs.median), fmt(mbps(isMs) / r.mbps, 3)]),
  ),
);
out.push('');
const skRatio = summary.ratios[ratioRows[0][0]];
const skRatioIn = summary.ratios[ratioRows[1][0]];
out.push(`Target imageship ≤ 0.8 × skopeo: process/skopeo median per-round ${fmt(skRatio?.perRound.median, 3)}, in-process/skopeo ${fmt(skRatioIn?.perRound.median, 3)}: ${skRatio && skRatio.perRound.median <= 0.8 ? 'met' : 'missed'}${skRatioIn && skRatioIn.perRound.median <= 0.8 ? ' (in-process: met)' : ' (in-process: missed)'}.`);
for (const op of ['recopy', 'retag']) {
  const s = summary.small[`${op} imageship`];
  out.push(`Target ${op === 'recopy' ? 're-copy' : 'retag'} ≤ 0.1 s (imageship node ${node20}): in-process ${fmt(s.inProcess.median)} ms ${s.inProcess.median <= 100 ? 'met' : 'missed'}; whole process ${fmt(s.wall.median)} ms ${s.wall.median <= 100 ? 'met' : 'missed'}.`);
  const a = summary.small[`${op} imageship-action`];
  if (a) out.push(`Target ${op === 'recopy' ? 're-copy' : 'retag'} ≤ 0.1 s (the action, dist/index.js main step, node ${node24v}): whole process ${fmt(a.wall.median)} ms ${a.wall.median <= 100 ? 'met' : 'missed'}.`);
}
const actionRatio = summary.ratios[`imageship action (node ${node24v}) process / skopeo`];
if (actionRatio) out.push(`Target imageship ≤ 0.8 × skopeo (the action as a process): median per-round ${fmt(actionRatio.perRound.median, 3)}: ${actionRatio.perRound.median <= 0.8 ? 'met' : 'missed'}.`);
const mem = summary.memory[`imageship node ${node20}, full copy`];
if (data.warm) {
  const w = data.warm;
  out.push(
    `One process, ${1 + w.copy.repeatMs.length} full copies in a row (node ${node20}): ${[w.copy.ms, ...w.copy.repeatMs].map(f0).join(', ')} ms; peak RSS ${fmt(mib(w.copy.rssInProcessKiB))} MiB after the first, ${fmt(mib(w.copy.rssPeakAfterRepeatsKiB))} MiB after all (${fmt(((1 + w.copy.repeatMs.length) * bytes) / MB, 0)} MB moved).`,
  );
  out.push(`One process, ${1 + w.retag.repeatMs.length} retags in a row (node ${node20}): ${[w.retag.ms, ...w.retag.repeatMs].map((x) => fmt(x)).join(', ')} ms.`);
}
out.push(`Peak memory: imageship ${fmt(mib(mem.median))} MiB for a ${fmt(bytes / MB)} MB image (${fmt((mem.median * 1024) / bytes, 2)} × the image).`);
out.push(`Limit: node:http loopback ${fmt(loopbackMBps)} MB/s → ${f0(summary.limit.limitMs)} ms for ${fmt(bytes / MB)} MB; imageship in-process ${fmt(summary.limit.imageshipInProcessMBps)} MB/s = ${fmt(100 * summary.limit.fractionInProcess)} % of it (process: ${fmt(100 * summary.limit.fractionWall)} %).`);
out.push(`Raw samples: ${file}`);
process.stdout.write(`${out.join('\n')}\n`);
