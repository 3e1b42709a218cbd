// Registry-to-registry copy over a realistic network: two TLS registries
// (test CA, Bearer token auth from a token service) behind shaping TCP
// proxies that add latency and cap bandwidth; imageship's library, the
// bundled action as a workflow step, and skopeo, interleaved; full copy,
// re-copy (the digest is already there) and retag (a new tag on it).
// A benchmark, not a test: nothing here asserts on time.
//
//   npx tsc -p tsconfig.json && npm run bundle && node bench/network.mjs [--rounds 5] [--quick]
//
// The network model (__tests__/helpers/shaping-proxy.ts): each direction of a
// connection waits RTT/2, a new connection pays one RTT of TCP handshake
// before its first byte, a connection holds at most --window-mib unacknowledged
// bytes per direction (so it moves at most window ÷ RTT), and a cap is either
// per connection or one link shared by every connection to every registry and
// the token service (each direction separately, as a full-duplex access link).
// No slow start, no loss.
//
// Conditions (--conditions, comma-separated): rtt<ms>[-conn<Mbit/s>][-shared<Mbit/s>],
// e.g. rtt150-conn100 or rtt150-shared200. --quick: 1 round, 5 × 8 MB.
//
// --realm other-origin (default): each registry's token realm is https://<name>.bench.test:<token proxy port>/token,
// the registry's host name on another port (another origin, as Docker Hub's auth.docker.io or ACR Personal's
// dockerauth.<region>): a cold client opens a second connection for its token. --realm same-origin: the realm is
// the registry's own origin (https://<name>.bench.test:<registry proxy port>/token, as SWR, GHCR, Harbor, Quay),
// served by a front before each registry (__tests__/helpers/registry-front.ts); skopeo then also addresses the
// registries by name (as a user would), so its token request may ride its registry connection as well.
// --ops full,recopy,retag (default all three): which operations are timed; without `full`, each run's repository
// gets the image untimed at RTT 0 (the library mounts it from a seed repository in dst) before its re-copy and retag.
//
// Needs: build/ (compiled src + __tests__ helpers), dist/ (npm run bundle),
// /usr/bin/docker-registry, skopeo, /usr/bin/time, openssl, Node 24 in node_modules.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NODE24, REPO_ROOT, fmt, machineInfo, machineLine, markdownTable, median, parseArgs, parseFileCommands, runnerStepEnv, runWithBenchHostNames, timedRun, writeResult } from './lib/common.mjs';
import { buildImage, cpuMsOf, machineBusyMs, makeLayers, parseTimeV, writeDirLayout } from './lib/copy-image.mjs';

// The registries' token realms are on the registries' own host names (src.bench.test, dst.bench.test): imageship
// sends a login only to a realm on the registry's own host (src/registry/authenticator.ts), so a realm on
// 127.0.0.1 would get anonymous, pull-only token requests and every upload a 401. Node children resolve the
// names through the hosts preload; skopeo (Go) reads /etc/hosts, so this script re-runs itself once in a mount
// namespace of its own where /etc/hosts is a copy with those names added (root and util-linux `unshare`; the
// machine's /etc/hosts is not touched).
const BENCH_NAMES = ['src.bench.test', 'dst.bench.test'];
if (!process.argv.includes('--from-json')) runWithBenchHostNames(BENCH_NAMES, 'bench/network.mjs');

const opts = parseArgs(process.argv.slice(2), {
  rounds: 5,
  quick: false,
  layers: 5,
  layerBytes: 40_000_000,
  conditions: 'rtt0,rtt50,rtt150,rtt150-nohandshake,rtt0-conn100,rtt50-conn100,rtt150-conn100,rtt150-shared200',
  sides: 'library,action,skopeo',
  storage: 'tmpfs',
  windowMib: 4,
  handshake: true,
  // Re-copy and retag do not depend on bandwidth: by default only under the uncapped conditions.
  smallOps: 'uncapped',
  // Start no round that would end past this many minutes (judged by the longest round so far); 0: no limit.
  budgetMin: 25,
  results: '',
  fromJson: '',
  realm: 'other-origin',
  ops: 'full,recopy,retag',
  // Another build's dist/ (e.g. from `git archive <rev> dist`), run as side "baseline-action" beside the others.
  baselineDist: '',
});
// --from-json: no run, the tables of a saved one (its options and machine apply).
const saved = opts.fromJson ? JSON.parse(readFileSync(opts.fromJson, 'utf8')) : undefined;
if (saved) Object.assign(opts, saved.options, { fromJson: opts.fromJson, quick: false });
if (opts.quick) {
  opts.rounds = 1;
  opts.layerBytes = 8_000_000;
}
const resultName = opts.results || (opts.quick ? 'network-quick' : 'network');

const TIME = '/usr/bin/time';
const COPY_ONCE = join(REPO_ROOT, 'bench', 'lib', 'copy-once.mjs');
const BED = join(REPO_ROOT, 'build', '__tests__', 'helpers', 'network-bed.js');
const DIST_INDEX = join(REPO_ROOT, 'dist', 'index.js');
const MB = 1e6;
const USER = { username: 'bench', password: 'bench-password' };
const SIDES = opts.sides.split(',').map((s) => s.trim());
// library-transport: the library with every blob byte through the transport's fetch (keep-alive agents, proxy)
// instead of the hand-written HTTP/1.1 blob client (issue 11 item 3), while that client exists.
// library-mainhash: the library with every blob hashed on the main thread (no hashing worker threads; issue 11 item 4).
const LIBRARY_SIDES = { library: {}, 'library-transport': { blobPath: 'transport' }, 'library-mainhash': { hashWorkers: 0 } };
for (const side of SIDES) if (!(side in LIBRARY_SIDES) && !['action', 'skopeo', 'baseline-action'].includes(side)) throw new Error(`--sides: unknown side ${side} (${Object.keys(LIBRARY_SIDES).join(', ')}, action, skopeo, baseline-action)`);
if (opts.baselineDist && !SIDES.includes('baseline-action')) SIDES.splice(SIDES.indexOf('skopeo') < 0 ? SIDES.length : SIDES.indexOf('skopeo'), 0, 'baseline-action');
if (SIDES.includes('baseline-action') && !opts.fromJson && !existsSync(join(opts.baselineDist, 'index.js'))) throw new Error(`--baseline-dist ${opts.baselineDist || '(unset)'} has no index.js`);

for (const [what, path] of [
  ['build/ with the network bed (run npx tsc -p tsconfig.json)', BED],
  ['build/src (run npx tsc -p tsconfig.json)', join(REPO_ROOT, 'build', 'src', 'registry', 'copy.js')],
  ['dist/ (run npm run bundle)', DIST_INDEX],
  ['Node 24 (npm ci)', NODE24],
  ['GNU time (apt-get install -y time)', TIME],
  ['skopeo', '/usr/bin/skopeo'],
  ['docker-registry', '/usr/bin/docker-registry'],
]) {
  if (!existsSync(path)) throw new Error(`bench/network.mjs needs ${what}: ${path} is missing`);
}
if (opts.smallOps !== 'uncapped' && opts.smallOps !== 'all') throw new Error(`--small-ops must be uncapped or all, got ${opts.smallOps}`);
if (opts.storage !== 'disk' && opts.storage !== 'tmpfs') throw new Error(`--storage must be disk or tmpfs, got ${opts.storage}`);
if (opts.realm !== 'other-origin' && opts.realm !== 'same-origin') throw new Error(`--realm must be other-origin or same-origin, got ${opts.realm}`);
const OPS = new Set(opts.ops.split(',').map((s) => s.trim()));
for (const op of OPS) if (!['full', 'recopy', 'retag'].includes(op)) throw new Error(`--ops: unknown operation ${op} (full, recopy, retag)`);
const REALM_NOTE = opts.realm === 'same-origin' ? "token realm on the registry's own origin" : "token realm on another origin (the registry's name, the token service's port)";

/** `rtt150-conn100` → { name, rttMs: 150, perConnectionBitsPerSecond: 100e6, handshake: true }. */
function parseCondition(name) {
  const m = /^rtt(\d+)(?:-conn(\d+))?(?:-shared(\d+))?(-nohandshake)?$/.exec(name);
  if (!m) throw new Error(`--conditions: ${name} is not rtt<ms>[-conn<Mbit/s>][-shared<Mbit/s>][-nohandshake]`);
  return {
    name,
    rttMs: Number(m[1]),
    perConnectionBitsPerSecond: m[2] ? Number(m[2]) * 1e6 : undefined,
    sharedBitsPerSecond: m[3] ? Number(m[3]) * 1e6 : undefined,
    handshake: opts.handshake && !m[4],
  };
}
const conditions = opts.conditions.split(',').map((c) => parseCondition(c.trim()));
const windowBytes = opts.windowMib * 1024 * 1024;

const log = (line) => process.stderr.write(`[network] ${line}\n`);
const machine = saved?.machine ?? { ...machineInfo(), skopeo: (await timedRun('skopeo', ['--version'])).stdout.trim() };
log(machineLine(machine));

const { startNetworkBed } = await import(BED);

/** Share of the machine's CPU busy while this benchmark does nothing (other work on the box). */
async function backgroundLoad(ms) {
  const b0 = machineBusyMs();
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, ms));
  return (machineBusyMs() - b0) / (Number(machine.nproc) * (performance.now() - t0));
}
const runId = Date.now().toString(36);
const tmp = saved ? '' : mkdtempSync(join(tmpdir(), 'imageship-bench-network-'));
const storageDir = !saved && opts.storage === 'tmpfs' ? mkdtempSync('/dev/shm/imageship-bench-network-') : undefined;
const baseEnv = { ...process.env };
delete baseEnv.NODE_OPTIONS;
const startedAt = Date.now();
const data = { name: 'network', machine, options: opts, runId, conditions, windowBytes, notes: [] };

// ---------------------------------------------------------------- sides

function lastJsonLine(stdout) {
  const line = stdout.trim().split('\n').filter((l) => l.startsWith('{')).pop();
  if (!line) throw new Error(`no JSON in output:\n${stdout}`);
  return JSON.parse(line);
}

function timeV(stderr) {
  const tv = parseTimeV(stderr);
  return { rssPeakKiB: tv.maxRssKiB, cpuUserS: tv.userS, cpuSysS: tv.sysS };
}

/** The library: copyImage / retagImage in a fresh Node 24 process (bench/lib/copy-once.mjs). */
async function library(bed, src, dst, { blobPath, hashWorkers } = {}) {
  const dstHost = bed.registries.dst.nodeHost;
  const env = {
    ...baseEnv,
    ...bed.nodeEnv,
    IMAGESHIP_BENCH_CREDENTIALS: JSON.stringify({ [dstHost]: USER }),
    ...(blobPath ? { IMAGESHIP_BENCH_BLOB_PATH: blobPath } : {}),
    ...(hashWorkers !== undefined ? { IMAGESHIP_BENCH_HASH_WORKERS: String(hashWorkers) } : {}),
  };
  const r = await timedRun(TIME, ['-v', NODE24, COPY_ONCE, src, dst], { env, timeoutMs: 300_000 });
  if (r.code !== 0) throw new Error(`library ${src} → ${dst} exited ${r.code}:\n${r.stdout}\n${r.stderr}`);
  const inner = lastJsonLine(r.stdout);
  return {
    wallMs: r.exitMs,
    inProcessMs: inner.ms,
    digest: inner.digest,
    bytes: inner.bytes,
    blobsCopied: inner.blobsCopied,
    // During the copy alone (after imports and set-up): the main thread's busy time and every thread's CPU.
    mainBusyMs: inner.mainBusyMs,
    mainBusyShare: inner.mainBusyShare,
    mainCpuMs: inner.mainCpuMs,
    copyCpuMs: inner.cpuUserMs + inner.cpuSysMs,
    ...timeV(r.stderr),
  };
}

/** The bundled action's main step under Node 24 with the runner's environment: `source` to dst/`repo`:`tag`. */
async function action(bed, source, repo, tag, distIndex = DIST_INDEX) {
  const slash = repo.indexOf('/');
  const step = runnerStepEnv({
    inputs: {
      provider: 'generic',
      registry: bed.registries.dst.nodeHost,
      username: USER.username,
      password: USER.password,
      namespace: repo.slice(0, slash),
      image: repo.slice(slash + 1),
      tags: tag,
      'source-image': source,
    },
    workdir: tmp,
    dockerConfig: mkdtempSync(join(tmp, 'docker-config-')),
    extraEnv: bed.nodeEnv,
  });
  try {
    const r = await timedRun(TIME, ['-v', NODE24, distIndex], { env: step.env, cwd: tmp, timeoutMs: 300_000 });
    if (r.code !== 0) throw new Error(`action ${source} → ${repo}:${tag} exited ${r.code}:\n${r.stdout}\n${r.stderr}`);
    const outputs = parseFileCommands(readFileSync(step.files.output, 'utf8'));
    const moved = /(\d+) blob\(s\) copied \(([^)]*)\), (\d+) mounted, (\d+) already there/.exec(r.stdout);
    return { wallMs: r.exitMs, digest: outputs.digest, blobsCopied: moved ? Number(moved[1]) : 0, log: r.stdout.split('\n').filter((l) => /blob|retag|copied|digest/i.test(l)).slice(0, 6), ...timeV(r.stderr) };
  } finally {
    rmSync(step.tmp, { recursive: true, force: true });
    rmSync(step.dockerConfig, { recursive: true, force: true });
  }
}

/** skopeo copy with a blob-info cache of its own (empty), trusting the test CA; logins given per side. */
async function skopeo(bed, src, dst, { srcCreds = false } = {}) {
  const dataHome = mkdtempSync(join(tmp, 'skopeo-'));
  const env = { ...baseEnv, _CONTAINERS_ROOTLESS_UID: '65534', XDG_DATA_HOME: dataHome, TMPDIR: dataHome };
  const creds = `${USER.username}:${USER.password}`;
  const args = ['copy', '--src-cert-dir', bed.certDir, '--dest-cert-dir', bed.certDir, ...(srcCreds ? ['--src-creds', creds] : []), '--dest-creds', creds, `docker://${src}`, `docker://${dst}`];
  const r = await timedRun(TIME, ['-v', 'skopeo', ...args], { env, timeoutMs: 300_000 });
  rmSync(dataHome, { recursive: true, force: true });
  if (r.code !== 0) throw new Error(`skopeo ${src} → ${dst} exited ${r.code}:\n${r.stderr}`);
  return { wallMs: r.exitMs, ...timeV(r.stderr) };
}

/** What one run did at the registries, the proxies and the token service. */
function summariseActivity(activity) {
  const out = { requests: {}, unauthorized: {}, connections: {}, tokenRequests: {}, tokenScopes: [], tokenConnections: activity.tokenConnections, bytesToDst: activity.registries.dst.bytesToRegistry, bytesFromSrc: activity.registries.src.bytesToClient };
  for (const [name, r] of Object.entries(activity.registries)) {
    out.requests[name] = r.requests.length;
    out.unauthorized[name] = r.requests.filter((q) => q.status === 401).length;
    out.connections[name] = r.connections;
    out.tokenRequests[name] = activity.tokenRequests.filter((t) => t.service === name).length;
  }
  out.tokenScopes = activity.tokenRequests.map((t) => `${t.service} ${t.username ?? 'anonymous'} ${t.scopes.join(' ')}`);
  out.requestLines = Object.fromEntries(Object.entries(activity.registries).map(([name, r]) => [name, r.requests.map((q) => `${q.method} ${q.url.replace(/\?.*/, '?…').replace(/sha256:[0-9a-f]{64}/g, 'sha256:…').replace(/uploads\/[0-9a-f-]{36}/, 'uploads/…')} ${q.status}`)]));
  return out;
}

/**
 * A run's request lines, token scopes and action log lines barely change from round to round
 * of a condition: the raw file keeps them for round 0 only (the counts stay in every run).
 */
function compactRounds(saved) {
  return {
    ...saved,
    rounds: saved.rounds.map((r) =>
      r.round === 0
        ? r
        : { ...r, ...Object.fromEntries(['full', 'recopy', 'retag'].map((op) => [op, Object.fromEntries(Object.entries(r[op]).map(([side, run]) => [side, { ...run, requestLines: undefined, tokenScopes: undefined, log: undefined }]))])) },
    ),
  };
}

/** A run with what it did (summariseActivity) and the CPU it cost the registries and this process (the proxies). */
async function measured(bed, fn) {
  const mark = bed.mark();
  const pids = { src: bed.registries.src.registry.pid, dst: bed.registries.dst.registry.pid };
  const cpu0 = { src: cpuMsOf(pids.src), dst: cpuMsOf(pids.dst), bench: process.cpuUsage(), machine: machineBusyMs() };
  const t0 = performance.now();
  const result = await fn();
  const benchCpu = process.cpuUsage(cpu0.bench);
  const cpu = {
    registrySrcMs: cpuMsOf(pids.src) - cpu0.src,
    registryDstMs: cpuMsOf(pids.dst) - cpu0.dst,
    proxiesMs: (benchCpu.user + benchCpu.system) / 1000,
    // Share of all cores busy during the run, whoever used them (other work on the box included).
    machineBusyShare: (machineBusyMs() - cpu0.machine) / (Number(machine.nproc) * (performance.now() - t0)),
  };
  const activity = summariseActivity(await bed.since(mark));
  return { ...result, cpu, ...activity };
}

// ---------------------------------------------------------------- verification (outside the timed runs)

function httpsJson(url, { method = 'GET', headers = {}, ca }) {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { method, headers, ca, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The digest `repo:tag` has in dst, asked with a token of our own straight from the token service (no proxy). */
async function dstDigest(bed, repo, tag) {
  const dst = bed.registries.dst;
  const basic = Buffer.from(`${USER.username}:${USER.password}`).toString('base64');
  const token = await httpsJson(`https://127.0.0.1:${bed.tokenService.port}/token?service=dst&scope=repository:${repo}:pull`, { headers: { authorization: `Basic ${basic}` }, ca: bed.ca.caPem });
  const bearer = JSON.parse(token.body).token;
  const head = await httpsJson(`https://${dst.registry.host}/v2/${repo}/manifests/${tag}`, {
    method: 'HEAD',
    headers: { authorization: `Bearer ${bearer}`, accept: 'application/vnd.docker.distribution.manifest.v2+json' },
    ca: bed.ca.caPem,
  });
  return head.status === 200 ? head.headers['docker-content-digest'] : `HTTP ${head.status}`;
}

// ---------------------------------------------------------------- run

if (opts.fromJson) {
  // Re-render the tables from a saved run (e.g. a -partial.json of a stopped one).
  Object.assign(data, saved, { options: opts });
  if (saved.conditions) conditions.splice(0, conditions.length, ...saved.conditions.filter((c) => saved.rounds.some((r) => r.condition === c.name)));
} else {
  let bed;
  try {
    bed = await startNetworkBed({
      registries: [
        { name: 'src', tokenAuth: true },
        { name: 'dst', tokenAuth: true },
      ],
      users: { [USER.username]: USER.password },
      realmHost: opts.realm === 'same-origin' ? 'same-origin' : 'name',
      shape: { rttMs: 0, windowBytes, handshake: opts.handshake },
      ...(storageDir ? { parentDir: storageDir } : {}),
    });
    const { src, dst } = bed.registries;
    log(`registries (TLS, token auth): src ${src.nodeHost} / ${src.ipHost} → ${src.registry.host}; dst ${dst.nodeHost} / ${dst.ipHost} → ${dst.registry.host}; token service ${bed.tokenProxy.host} → 127.0.0.1:${bed.tokenService.port}; ${REALM_NOTE}${opts.realm === 'same-origin' ? ` (fronts ${src.front.host}, ${dst.front.host})` : ''}; storage ${opts.storage}`);
    // skopeo addresses a registry by 127.0.0.1:PORT; with the realm on the registry's origin, by its name, as the realm
    // names it (the names are in this namespace's /etc/hosts), so a Go client may reuse its connection for the token.
    const skopeoHost = (r) => (opts.realm === 'same-origin' ? r.nodeHost : r.ipHost);

    // The source image, pushed once at RTT 0 with skopeo from a `dir:` layout.
    mkdirSync(join(tmp, 'layers'));
    const layers = await makeLayers(join(tmp, 'layers'), opts.layers, opts.layerBytes);
    const image = buildImage(layers);
    const dirLayout = writeDirLayout(join(tmp, 'image-dir'), image, layers);
    const SRC_REPO = 'bench/src';
    const push = await timedRun('skopeo', ['copy', '--dest-cert-dir', bed.certDir, '--dest-creds', `${USER.username}:${USER.password}`, `dir:${dirLayout}`, `docker://${src.ipHost}/${SRC_REPO}:v1`], { env: baseEnv });
    if (push.code !== 0) throw new Error(`pushing the source image failed:\n${push.stderr}`);
    rmSync(dirLayout, { recursive: true, force: true });
    const largestBlob = Math.max(...layers.map((l) => l.size));
    data.image = { digest: image.digest, blobBytes: image.blobBytes, largestBlob, layers: layers.map((l) => ({ digest: l.digest, size: l.size })) };
    log(`source image ${src.nodeHost}/${SRC_REPO}:v1 ${image.digest}: ${opts.layers} layers, ${image.blobBytes} blob bytes`);

    data.backgroundLoadBefore = await backgroundLoad(3000);
    log(`background load before the rounds: ${fmt(100 * data.backgroundLoadBefore)} % of ${machine.nproc} cores`);
    const sourceFor = { library: `${src.nodeHost}/${SRC_REPO}:v1`, action: `${src.nodeHost}/${SRC_REPO}:v1`, skopeo: `${skopeoHost(src)}/${SRC_REPO}:v1` };
    // --ops without `full`: each run's repository gets the image untimed at RTT 0, mounted from a seed repository in dst.
    const SEED = `${dst.nodeHost}/bench/seed:v1`;
    let seeded = false;
    const seedRepo = async (repo) => {
      if (!seeded) await library(bed, sourceFor.library, SEED);
      seeded = true;
      const r = await library(bed, SEED, `${dst.nodeHost}/${repo}:v1`);
      if (r.digest !== image.digest) throw new Error(`seeding ${repo}: digest ${r.digest}, expected ${image.digest}`);
    };
    const expectTags = [];
    const rounds = [];
    let longestRoundMs = 0;
    for (let round = 0; round < opts.rounds; round++) {
      const roundStart = Date.now();
      if (opts.budgetMin > 0 && round > 0 && roundStart - startedAt + longestRoundMs > opts.budgetMin * 60_000) {
        data.notes.push(`stopped after ${round} round(s): another would pass --budget-min ${opts.budgetMin}`);
        log(data.notes.at(-1));
        break;
      }
      const rot = (list, k) => [...list.slice(k % list.length), ...list.slice(0, k % list.length)];
      for (const [ci, condition] of rot(conditions, round).entries()) {
        const capped = condition.perConnectionBitsPerSecond !== undefined || condition.sharedBitsPerSecond !== undefined;
        const rec = { round, condition: condition.name, order: rot(SIDES, round + ci), full: {}, recopy: {}, retag: {} };
        const repos = Object.fromEntries(rec.order.map((side) => [side, `r${round}-${condition.name}-${side}/app`]));
        if (!OPS.has('full')) {
          bed.setShape({ rttMs: 0, windowBytes });
          for (const side of rec.order) {
            await seedRepo(repos[side]);
            expectTags.push([repos[side], 'v1']);
          }
        }
        bed.setShape({ rttMs: condition.rttMs, perConnectionBitsPerSecond: condition.perConnectionBitsPerSecond, windowBytes, handshake: condition.handshake }, condition.sharedBitsPerSecond);
        for (const side of OPS.has('full') ? rec.order : []) {
          const repo = repos[side];
          let r;
          if (side in LIBRARY_SIDES) r = await measured(bed, () => library(bed, sourceFor.library, `${dst.nodeHost}/${repo}:v1`, LIBRARY_SIDES[side]));
          else if (side === 'action') r = await measured(bed, () => action(bed, sourceFor.action, repo, 'v1'));
        else if (side === 'baseline-action') r = await measured(bed, () => action(bed, sourceFor.action, repo, 'v1', join(opts.baselineDist, 'index.js')));
          else r = await measured(bed, () => skopeo(bed, sourceFor.skopeo, `${skopeoHost(dst)}/${repo}:v1`));
          if (r.bytesToDst < image.blobBytes) throw new Error(`${condition.name} ${side}: only ${r.bytesToDst} bytes reached dst, the image has ${image.blobBytes}`);
          if (r.digest !== undefined && r.digest !== image.digest) throw new Error(`${condition.name} ${side}: digest ${r.digest}, expected ${image.digest}`);
          expectTags.push([repo, 'v1']);
          rec.full[side] = r;
          log(`round ${round} ${condition.name} full ${side}: ${fmt(r.wallMs, 0)} ms; requests src ${r.requests.src} dst ${r.requests.dst}; connections src ${r.connections.src} dst ${r.connections.dst}; tokens src ${r.tokenRequests.src} dst ${r.tokenRequests.dst}`);
        }
        const smallOps = ['recopy', 'retag'].filter((op) => OPS.has(op));
        for (const side of (capped && opts.smallOps === 'uncapped') || smallOps.length === 0 ? [] : rot(SIDES, round + ci + 1)) {
          const repo = repos[side];
          const skopeoDst = `${skopeoHost(dst)}/${repo}`;
          if (side in LIBRARY_SIDES) {
            const how = LIBRARY_SIDES[side];
            if (OPS.has('recopy')) rec.recopy[side] = await measured(bed, () => library(bed, sourceFor.library, `${dst.nodeHost}/${repo}:v1`, how));
            if (OPS.has('retag')) rec.retag[side] = await measured(bed, () => library(bed, `${dst.nodeHost}/${repo}:v1`, `${dst.nodeHost}/${repo}:v2`, how));
          } else if (side === 'action' || side === 'baseline-action') {
            const dist = side === 'baseline-action' ? join(opts.baselineDist, 'index.js') : DIST_INDEX;
            if (OPS.has('recopy')) rec.recopy[side] = await measured(bed, () => action(bed, sourceFor.action, repo, 'v1', dist));
            if (OPS.has('retag')) rec.retag[side] = await measured(bed, () => action(bed, `${dst.nodeHost}/${repo}:v1`, repo, 'v2', dist));
          } else {
            if (OPS.has('recopy')) rec.recopy[side] = await measured(bed, () => skopeo(bed, sourceFor.skopeo, `${skopeoDst}:v1`));
            if (OPS.has('retag')) rec.retag[side] = await measured(bed, () => skopeo(bed, `${skopeoDst}:v1`, `${skopeoDst}:v2`, { srcCreds: true }));
          }
          for (const op of smallOps) {
            if (rec[op][side].bytesToDst > 1e6) throw new Error(`${condition.name} ${side} ${op}: ${rec[op][side].bytesToDst} bytes went to dst`);
          }
          if (OPS.has('retag')) expectTags.push([repo, 'v2']);
          log(`round ${round} ${condition.name} ${side}: ${smallOps.map((op) => `${op === 'recopy' ? 're-copy' : op} ${fmt(rec[op][side].wallMs, 0)} ms (${rec[op][side].requests.dst} requests to dst, ${rec[op][side].connections.dst} connections, ${rec[op][side].tokenRequests.dst} tokens)`).join(', ')}`);
        }
        rounds.push(rec);
      }
      longestRoundMs = Math.max(longestRoundMs, Date.now() - roundStart);
      log(`round ${round} took ${fmt((Date.now() - roundStart) / 1000, 0)} s`);
      // What is measured so far survives a stopped run.
      writeResult(`${resultName}-partial`, compactRounds({ ...data, rounds }));
    }
    data.rounds = rounds;
    rmSync(join(REPO_ROOT, 'bench', 'results', `${resultName}-partial.json`), { force: true });

    data.backgroundLoadAfter = await backgroundLoad(3000);
    // Every tag written holds the image.
    bed.setShape({ rttMs: 0, windowBytes });
    const wrong = [];
    for (const [repo, tag] of expectTags) {
      const got = await dstDigest(bed, repo, tag);
      if (got !== image.digest) wrong.push(`${repo}:${tag} = ${got}`);
    }
    if (wrong.length > 0) throw new Error(`tags without the image:\n${wrong.join('\n')}`);
    data.verifiedTags = expectTags.length;
    log(`verified ${expectTags.length} tags in dst hold ${image.digest}`);
  } finally {
    data.durationMs = Date.now() - startedAt;
    await bed?.close();
    rmSync(tmp, { recursive: true, force: true });
    if (storageDir) rmSync(storageDir, { recursive: true, force: true });
  }

}

// ---------------------------------------------------------------- summary

const rounds = data.rounds;
const of = (condition, op, side, key) => rounds.filter((r) => r.condition === condition && r[op][side]).map((r) => r[op][side][key]);
const nested = (condition, op, side, key, sub) => rounds.filter((r) => r.condition === condition && r[op][side]).map((r) => r[op][side][key][sub]);
const ratio = (condition, op, a, b) => median(rounds.filter((r) => r.condition === condition && r[op][a] && r[op][b]).map((r) => r[op][a].wallMs / r[op][b].wallMs));
const has = (side) => SIDES.includes(side);

/** The bandwidth floor of a full copy: the largest blob over one connection, or everything over the shared link. */
function floorMs(c) {
  const perConnection = Math.min(c.perConnectionBitsPerSecond ?? Infinity, c.rttMs > 0 ? (windowBytes * 8 * 1000) / c.rttMs : Infinity);
  const blobFloor = (data.image.largestBlob * 8 * 1000) / perConnection;
  const sharedFloor = c.sharedBitsPerSecond ? (data.image.blobBytes * 8 * 1000) / c.sharedBitsPerSecond : 0;
  const ms = Math.max(blobFloor, sharedFloor);
  const why = !Number.isFinite(ms) || ms === 0 ? 'none (CPU / loopback)' : sharedFloor >= blobFloor ? 'all bytes ÷ shared cap' : c.perConnectionBitsPerSecond !== undefined && c.perConnectionBitsPerSecond <= perConnection ? 'largest blob ÷ connection cap' : 'largest blob ÷ (window ÷ RTT)';
  return { ms: Number.isFinite(ms) ? ms : 0, why };
}

const summary = { full: [], small: [], serialRoundTrips: {}, requests: [] };
// A cold copier's fewest serial round trips: TCP + TLS to the source, the 401, a token over a new
// connection (TCP + TLS + GET), the manifest, the first blob GET with the upload's POST beside it,
// the upload's end, the manifest PUT: 10 with the TCP handshake modelled, 8 without. With the realm on the
// registry's origin the token rides the registry's connection (1 instead of TCP + TLS + GET): 8, and 7 without.
const minRtts = (c) => (opts.realm === 'same-origin' ? (c.handshake ? 8 : 7) : c.handshake ? 10 : 8);
const ALL_OPS = ['full', 'recopy', 'retag'].filter((op) => OPS.has(op));
const realmHeading = ` — ${REALM_NOTE}`;
const fullHeader = ['condition', ...SIDES.map((s) => `${s} ms`), ...(has('skopeo') ? SIDES.filter((s) => s !== 'skopeo').map((s) => `${s} ÷ skopeo`) : []), 'bandwidth floor ms (why)', 'floor + fewest RTTs ms', ...SIDES.map((s) => `(floor + RTTs) ÷ ${s}`)];
const fullRows = (OPS.has('full') ? conditions : []).map((c) => {
  const floor = floorMs(c);
  const med = Object.fromEntries(SIDES.map((s) => [s, median(of(c.name, 'full', s, 'wallMs'))]));
  const row = { condition: c.name, medians: med, ratios: {}, floor };
  if (has('skopeo')) for (const s of SIDES.filter((x) => x !== 'skopeo')) row.ratios[s] = ratio(c.name, 'full', s, 'skopeo');
  summary.full.push(row);
  const limit = floor.ms + minRtts(c) * c.rttMs;
  row.limitMs = limit;
  return [c.name, ...SIDES.map((s) => fmt(med[s], 0)), ...Object.values(row.ratios).map((x) => fmt(x, 2)), floor.ms > 0 ? `${fmt(floor.ms, 0)} (${floor.why})` : floor.why, limit > 0 ? `${fmt(limit, 0)} (+ ${minRtts(c)} × ${c.rttMs})` : '—', ...SIDES.map((s) => (limit > 0 ? fmt(limit / med[s], 2) : '—'))];
});

const smallHeader = ['condition', 'op', ...SIDES.map((s) => `${s} ms`), ...(has('skopeo') ? SIDES.filter((s) => s !== 'skopeo').map((s) => `${s} ÷ skopeo`) : [])];
const smallRows = [];
for (const c of conditions.filter((x) => x.perConnectionBitsPerSecond === undefined && x.sharedBitsPerSecond === undefined)) {
  for (const op of ['recopy', 'retag'].filter((x) => OPS.has(x))) {
    const med = Object.fromEntries(SIDES.map((s) => [s, median(of(c.name, op, s, 'wallMs'))]));
    const ratios = has('skopeo') ? Object.fromEntries(SIDES.filter((x) => x !== 'skopeo').map((s) => [s, ratio(c.name, op, s, 'skopeo')])) : {};
    summary.small.push({ condition: c.name, op, medians: med, ratios });
    smallRows.push([c.name, op, ...SIDES.map((s) => fmt(med[s], 0)), ...Object.values(ratios).map((x) => fmt(x, 2))]);
  }
}

// Serial round trips: (t at the longest uncapped RTT − t at RTT 0) ÷ that RTT, with the TCP handshake modelled and without.
const uncapped = conditions.filter((x) => x.perConnectionBitsPerSecond === undefined && x.sharedBitsPerSecond === undefined);
const zero = uncapped.find((x) => x.rttMs === 0);
const farthest = (handshake) => uncapped.filter((x) => x.rttMs > 0 && x.handshake === handshake).sort((a, b) => b.rttMs - a.rttMs)[0];
const far = farthest(opts.handshake) ?? farthest(!opts.handshake);
const rttHeader = ['op', 'model', ...SIDES];
const rttRows = [];
for (const farCondition of [farthest(true), farthest(false)].filter(Boolean)) {
  if (!zero) break;
  for (const op of ['recopy', 'retag', 'full'].filter((x) => OPS.has(x))) {
    const model = `${farCondition.name} vs ${zero.name}${farCondition.handshake ? '' : ' (no TCP handshake)'}`;
    const row = [op, model];
    for (const s of SIDES) {
      const n = (median(of(farCondition.name, op, s, 'wallMs')) - median(of(zero.name, op, s, 'wallMs'))) / farCondition.rttMs;
      summary.serialRoundTrips[`${op} ${s} ${farCondition.name}`] = n;
      row.push(fmt(n, 1));
    }
    rttRows.push(row);
  }
}

// Requests, connections and tokens per run, at the longest uncapped RTT (they do not depend on the shape).
const countCondition = far ?? conditions[0];
const countHeader = ['op', 'side', 'requests src', 'requests dst', '401s src / dst', 'connections src / dst / token', 'token requests src / dst'];
const countRows = [];
for (const op of ALL_OPS) {
  for (const s of SIDES) {
    const m = (key, sub) => median(nested(countCondition.name, op, s, key, sub));
    const tokenConnections = median(of(countCondition.name, op, s, 'tokenConnections'));
    const row = { op, side: s, requests: { src: m('requests', 'src'), dst: m('requests', 'dst') }, unauthorized: { src: m('unauthorized', 'src'), dst: m('unauthorized', 'dst') }, connections: { src: m('connections', 'src'), dst: m('connections', 'dst'), token: tokenConnections }, tokenRequests: { src: m('tokenRequests', 'src'), dst: m('tokenRequests', 'dst') } };
    summary.requests.push(row);
    countRows.push([op, s, fmt(row.requests.src, 0), fmt(row.requests.dst, 0), `${fmt(row.unauthorized.src, 0)} / ${fmt(row.unauthorized.dst, 0)}`, `${fmt(row.connections.src, 0)} / ${fmt(row.connections.dst, 0)} / ${fmt(tokenConnections, 0)}`, `${fmt(row.tokenRequests.src, 0)} / ${fmt(row.tokenRequests.dst, 0)}`]);
  }
}
// CPU per full copy (median ms): the copier process, the registries, and this process (the shaping proxies).
const cpuHeader = ['condition', 'side', 'copier user+sys', 'registry src', 'registry dst', 'proxies (bench process)'];
const cpuRows = [];
summary.cpu = [];
for (const c of OPS.has('full') ? conditions.filter((x) => x.rttMs === 0 || x === far) : []) {
  for (const s of SIDES) {
    const runs = rounds.filter((r) => r.condition === c.name && r.full[s]).map((r) => r.full[s]);
    const row = { condition: c.name, side: s, copierMs: median(runs.map((r) => 1000 * (r.cpuUserS + r.cpuSysS))), registrySrcMs: median(runs.map((r) => r.cpu.registrySrcMs)), registryDstMs: median(runs.map((r) => r.cpu.registryDstMs)), proxiesMs: median(runs.map((r) => r.cpu.proxiesMs)) };
    summary.cpu.push(row);
    cpuRows.push([c.name, s, fmt(row.copierMs, 0), fmt(row.registrySrcMs, 0), fmt(row.registryDstMs, 0), fmt(row.proxiesMs, 0)]);
  }
}
// The library's main thread during a full copy (issue 11 item 4: busy ≤ 30 % of the copy's wall time).
const mainHeader = ['condition', 'side', 'copy ms (in process)', 'main thread busy ms (ELU)', 'busy ÷ copy', 'main thread CPU ms', 'main CPU ÷ copy', 'process CPU ms (all threads)', 'CPU ÷ copy (cores)'];
const mainRows = [];
summary.mainThread = [];
for (const c of conditions) {
  for (const s of SIDES.filter((x) => x in LIBRARY_SIDES)) {
    const runs = rounds.filter((r) => r.condition === c.name && r.full[s]?.mainBusyMs !== undefined).map((r) => r.full[s]);
    if (runs.length === 0) continue;
    const row = { condition: c.name, side: s, copyMs: median(runs.map((r) => r.inProcessMs)), mainBusyMs: median(runs.map((r) => r.mainBusyMs)), mainBusyShare: median(runs.map((r) => r.mainBusyShare)), mainCpuMs: median(runs.map((r) => r.mainCpuMs ?? Number.NaN)), mainCpuShare: median(runs.map((r) => (r.mainCpuMs ?? Number.NaN) / r.inProcessMs)), cpuMs: median(runs.map((r) => r.copyCpuMs)), cores: median(runs.map((r) => r.copyCpuMs / r.inProcessMs)) };
    summary.mainThread.push(row);
    mainRows.push([c.name, s, fmt(row.copyMs, 0), fmt(row.mainBusyMs, 0), `${fmt(100 * row.mainBusyShare, 0)} %`, fmt(row.mainCpuMs, 0), `${fmt(100 * row.mainCpuShare, 0)} %`, fmt(row.cpuMs, 0), fmt(row.cores, 2)]);
  }
}
data.summary = summary;
const file = opts.fromJson ? opts.fromJson : writeResult(resultName, compactRounds(data));

const out = [
  `machine: ${machineLine(machine)}`,
  `image: ${opts.layers} layers, ${fmt(data.image.blobBytes / MB, 1)} MB of blobs (largest ${fmt(data.image.largestBlob / MB, 1)} MB); ${new Set(rounds.map((r) => r.round)).size} round(s)${data.notes.length ? ` (${data.notes.join('; ')})` : ''}, median wall ms spawn → exit; window ${opts.windowMib} MiB; TCP handshake ${opts.handshake ? 'modelled (1 RTT per new connection)' : 'free'}; ${REALM_NOTE} (--realm ${opts.realm}); operations ${ALL_OPS.join(', ')}; storage ${opts.storage}; ${fmt(data.durationMs / 60000, 1)} min; other work on the box while idle: ${fmt(100 * data.backgroundLoadBefore, 0)} % before, ${fmt(100 * data.backgroundLoadAfter, 0)} % after; machine busy during the timed runs (median): ${fmt(100 * median(rounds.flatMap((r) => ['full', 'recopy', 'retag'].flatMap((op) => Object.values(r[op]).map((x) => x.cpu.machineBusyShare)))), 0)} %`,
  '',
  ...(OPS.has('full') ? [`### Full copy${realmHeading}`, '', markdownTable(fullHeader, fullRows), ''] : []),
  ...(smallRows.length ? [`### Re-copy and retag${realmHeading}`, '', markdownTable(smallHeader, smallRows), ''] : []),
  ...(rttRows.length ? [`### Serial round trips ((t at RTT − t at 0 ms) ÷ RTT; for a full copy this includes the window-bound transfer)${realmHeading}`, '', markdownTable(rttHeader, rttRows), ''] : []),
  `### Requests, connections and token requests per run (median, ${countCondition.name})${realmHeading}`,
  '',
  markdownTable(countHeader, countRows),
  '',
  ...(OPS.has('full') ? ['### CPU per full copy (median ms)', '', markdownTable(cpuHeader, cpuRows), ''] : []),
  ...(mainRows.length ? ["### The library's main thread during a full copy (performance.eventLoopUtilization; median)", '', markdownTable(mainHeader, mainRows), ''] : []),
  `raw: ${file}`,
];
process.stdout.write(`${out.join('\n')}\n`);
