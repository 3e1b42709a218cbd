// One imageship registry-to-registry copy in a fresh process, for bench/copy.mjs.
//
//   node bench/lib/copy-once.mjs <source host/repo:tag> <destination host/repo:tag>
//
// Uses the compiled library (build/, from `npx tsc -p tsconfig.json`) the way
// src/registry/transfer.ts does: the same repository on both sides is a
// retag (retagImage: manifest GET + PUT), anything else is copyImage with one
// RegistryClient per registry (one shared client when both are on the same
// registry). Anonymous registries, nodeFetch (what the action and the CLI
// use), default concurrency (4).
// IMAGESHIP_BENCH_CREDENTIALS='{"host:port":{"username":"u","password":"p"}}'
// gives a registry's client a login (bench/network.mjs: a token-auth
// destination); registries not named there are anonymous.
// Prints one JSON line: the in-process time of the copy alone (after the
// imports and client set-up), what moved, and this process's peak RSS.
// IMAGESHIP_BENCH_REPEAT=N then does the same operation N more times in this
// (now warm) process, each to a new destination repository (copy) or a new
// tag (retag), and reports those times and the peak RSS after them.
import { performance } from 'node:perf_hooks';

const tStart = performance.now();
const [sourceArg, destinationArg] = process.argv.slice(2);
if (!sourceArg || !destinationArg) {
  console.error('usage: node bench/lib/copy-once.mjs <source host/repo:tag> <destination host/repo:tag>');
  process.exit(2);
}

const { copyImage, retagImage } = await import('../../build/src/registry/copy.js');
const { RegistryClient, parseImageReference } = await import('../../build/src/registry/client.js');
const { nodeFetch } = await import('../../build/src/http/node-fetch.js');
const tImported = performance.now();

const source = parseImageReference(sourceArg);
const destination = parseImageReference(destinationArg);
if (!destination.tag) throw new Error(`copy-once: the destination ${destinationArg} needs a tag`);
const reference = source.digest ?? source.tag ?? 'latest';

const logins = JSON.parse(process.env.IMAGESHIP_BENCH_CREDENTIALS ?? '{}');
// IMAGESHIP_BENCH_BLOB_PATH=transport: a fetch the client does not recognise as a transport's, so blob bytes
// go through it (keep-alive agents) rather than over the hand-written HTTP/1.1 blob client.
const fetch = process.env.IMAGESHIP_BENCH_BLOB_PATH === 'transport' ? (input, init) => nodeFetch(input, init) : nodeFetch;
const clientFor = (registry) => new RegistryClient({ registry, fetch, ...(logins[registry] ? { credentials: logins[registry] } : {}) });
const destinationClient = clientFor(destination.registry);
const sameRepository = source.registry === destination.registry && source.repository === destination.repository;
const sourceClient = source.registry === destination.registry ? destinationClient : clientFor(source.registry);

// IMAGESHIP_BENCH_HASH_WORKERS=N: that many hashing worker threads (0: hash on the main thread); default the library's.
if (process.env.IMAGESHIP_BENCH_HASH_WORKERS !== undefined) {
  const { setHashWorkers } = await import('../../build/src/domain/image/hash-pool.js');
  setHashWorkers(Number(process.env.IMAGESHIP_BENCH_HASH_WORKERS));
}

const cpu0 = process.cpuUsage();
// The main thread's own CPU (Node 24: process.threadCpuUsage). Unlike the event loop's busy time it leaves out
// time the thread was runnable but had no core, which a loaded machine adds.
const threadCpu = typeof process.threadCpuUsage === 'function' ? () => process.threadCpuUsage() : undefined;
const mainCpu0 = threadCpu?.();
const elu0 = performance.eventLoopUtilization();
const t0 = performance.now();
let out;
if (sameRepository) {
  const r = await retagImage(destinationClient, destination.repository, reference, [destination.tag]);
  out = { op: 'retag', digest: r.digest, bytes: 0, blobsCopied: 0, blobsMounted: 0, blobsSkipped: 0 };
} else {
  const r = await copyImage({
    source: { client: sourceClient, repository: source.repository, reference },
    destination: { client: destinationClient, repository: destination.repository },
    tags: [destination.tag],
    // IMAGESHIP_BENCH_LOG=1: the copy's log lines on stderr, with ms since the copy started (where the time goes).
    ...(process.env.IMAGESHIP_BENCH_LOG === '1'
      ? { log: (line) => process.stderr.write(`${(performance.now() - t0).toFixed(0).padStart(6)} ${line}\n`), progress: { intervalMs: 500, longCopyMs: 0 } }
      : {}),
  });
  out = { op: 'copy', digest: r.digest, bytes: r.bytesCopied, blobsCopied: r.blobsCopied, blobsMounted: r.blobsMounted, blobsSkipped: r.blobsSkipped };
}
const ms = performance.now() - t0;
// The main thread's event loop during the copy: busy ms (JS, I/O callbacks, hashing when it is done there).
const elu = performance.eventLoopUtilization(elu0);
const cpu = process.cpuUsage(cpu0);
const mainCpu = threadCpu?.();
const mainCpuMs = mainCpu && mainCpu0 ? (mainCpu.user - mainCpu0.user + mainCpu.system - mainCpu0.system) / 1000 : undefined;
const usage = process.resourceUsage();

const repeat = Number(process.env.IMAGESHIP_BENCH_REPEAT ?? 0);
const repeatMs = [];
const repeatBytes = [];
for (let i = 1; i <= repeat; i++) {
  const t = performance.now();
  if (sameRepository) {
    await retagImage(destinationClient, destination.repository, reference, [`${destination.tag}-again${i}`]);
    repeatBytes.push(0);
  } else {
    const r = await copyImage({
      source: { client: sourceClient, repository: source.repository, reference },
      destination: { client: destinationClient, repository: `${destination.repository}-again${i}` },
      tags: [destination.tag],
    });
    repeatBytes.push(r.bytesCopied);
  }
  repeatMs.push(performance.now() - t);
}

process.stdout.write(
  `${JSON.stringify({
    ...out,
    ms,
    // process start (as node sees it) → just before the copy: imports, argument parsing, clients
    setupMs: t0,
    importMs: tImported - tStart,
    // every thread of the process, during the copy
    cpuUserMs: cpu.user / 1000,
    cpuSysMs: cpu.system / 1000,
    mainBusyMs: elu.active,
    mainBusyShare: elu.utilization,
    mainCpuMs,
    // getrusage(RUSAGE_SELF).ru_maxrss, KiB, at the end of the copy
    rssPeakKiB: usage.maxRSS,
    node: process.version,
    ...(repeat > 0 ? { repeatMs, repeatBytes, rssPeakAfterRepeatsKiB: process.resourceUsage().maxRSS } : {}),
  })}\n`,
);
