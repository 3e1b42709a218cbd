#!/usr/bin/env node
// Supplementary: what Node 24's built-in fetch costs a short-lived process,
// the way imageship's registry verification uses it (globalThis.fetch, see
// src/action/host.ts). Three HEAD requests to the test bed's anonymous registry
// with fetch vs node:http vs no request, interleaved; reports spawn -> exit and
// "last output line -> exit" (time the process stays alive after its work).
//
//   bash test-env/start.sh && node bench/fetch-exit.mjs [--runs 20]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NODE24, checkNode24, fmt, machineInfo, machineLine, markdownTable, median, p90, parseArgs, prng, shuffle, timedRun, writeResult } from './lib/common.mjs';

const opts = parseArgs(process.argv.slice(2), { runs: 20, warmup: 2, url: 'http://127.0.0.1:5102/v2/library/busybox/manifests/stable' });
checkNode24();
const machine = machineInfo();
const work = mkdtempSync(join(tmpdir(), 'imageship-bench-fetch-'));
const script = join(work, 'probe.mjs');
writeFileSync(
  script,
  `const [mode, url] = process.argv.slice(2);
const accept = 'application/vnd.docker.distribution.manifest.v2+json';
if (mode === 'fetch') for (let i = 0; i < 3; i++) { const r = await fetch(url, { method: 'HEAD', headers: { accept } }); await r.arrayBuffer(); }
if (mode === 'http') { const http = await import('node:http'); for (let i = 0; i < 3; i++) await new Promise((res, rej) => http.request(url, { method: 'HEAD', headers: { accept } }, (r) => { r.resume(); r.on('end', res); }).on('error', rej).end()); }
process.stdout.write('done\\n');
`,
);
const modes = ['none', 'http', 'fetch'];
const s = Object.fromEntries(modes.map((m) => [m, { exit: [], tail: [] }]));
const rand = prng(3);
for (let r = 0; r < opts.warmup + opts.runs; r++) {
  for (const m of shuffle(modes, rand)) {
    const res = await timedRun(NODE24, [script, m, opts.url], { timeoutMs: 30_000 });
    if (res.code !== 0) throw new Error(`${m}: exit ${res.code}\n${res.stderr}`);
    if (r >= opts.warmup) {
      s[m].exit.push(res.exitMs);
      s[m].tail.push(res.exitMs - res.lines.at(-1).at);
    }
  }
}
const label = { none: 'no request', http: '3 × HEAD with node:http', fetch: '3 × HEAD with global fetch' };
const table = markdownTable(
  ['Node 24 process', 'spawn → exit, median ms', 'p90 ms', 'last output → exit, median ms', 'p90 ms'],
  modes.map((m) => [label[m], fmt(median(s[m].exit)), fmt(p90(s[m].exit)), fmt(median(s[m].tail)), fmt(p90(s[m].tail))]),
);
const summary = [`fetch vs node:http in a short-lived process, ${opts.runs} runs each, interleaved (${machineLine(machine)})`, '', table].join('\n');
console.log(summary);
const file = writeResult('fetch-exit', { machine, options: opts, samples: s, table: summary });
process.stderr.write(`raw samples: ${file}\n`);
rmSync(work, { recursive: true, force: true });
