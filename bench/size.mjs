#!/usr/bin/env node
// Sizes of the bundled action: dist/index.js (the entry the runner starts)
// and the chunks it loads lazily, raw and gzip (zlib level 9, i.e. gzip -9),
// which chunks each step loads, and what the chunks are made of.
//
//   node bench/size.mjs            # after npm run bundle
//
// Target (from the issue): main bundle dist/index.js ≤ 600 KB (KB = 1000 bytes;
// KiB shown too).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { REPO_ROOT, fmt, machineInfo, machineLine, markdownTable, writeResult } from './lib/common.mjs';

const TARGET_MAIN_BYTES = 600 * 1000;
const dist = join(REPO_ROOT, 'dist');
const files = readdirSync(dist)
  .filter((f) => f.endsWith('.js'))
  .sort((a, b) => (a === 'index.js' ? -1 : b === 'index.js' ? 1 : a.localeCompare(b, 'en', { numeric: true })));
const info = files.map((name) => {
  const buf = readFileSync(join(dist, name));
  return { name, bytes: buf.length, gzip: gzipSync(buf, { level: 9 }).length, text: buf.toString('utf8') };
});
const byName = new Map(info.map((f) => [f.name, f]));

// Which chunks each step loads before importing main/post: the entry's
// `Promise.all([t.e(421),t.e(635)]).then(t.bind(t,N))`, or `t.e(798).then(t.bind(t,N))` for a single chunk.
const main = byName.get('index.js');
const chunkLoads = [
  ...(main?.text.matchAll(/(?:Promise\.all\(\[((?:\w+\.e\(\d+\),?)+)\]\)|(\w+\.e\(\d+\)))\.then\(\w+\.bind\(\w+,(\d+)\)\)/g) ?? []),
].map((m) => ({
  chunks: [...(m[1] ?? m[2]).matchAll(/\.e\((\d+)\)/g)].map((c) => `${c[1]}.index.js`),
  module: m[3],
}));
// The entry checks STATE_isPost first: the first import is the post step's, the second main's.
const paths = chunkLoads.length === 2 ? { post: chunkLoads[0].chunks, main: chunkLoads[1].chunks } : undefined;

const kb = (n) => `${fmt(n / 1000)} KB (${fmt(n / 1024)} KiB)`;
const isMinified = (text) => text.split('\n').length < Math.max(20, text.length / 2000);
const rows = info.map((f) => [
  `dist/${f.name}${f.name === 'index.js' ? ' (entry, main bundle)' : ''}`,
  kb(f.bytes),
  kb(f.gzip),
  isMinified(f.text) ? 'yes' : 'no',
  f.name === 'index.js' ? 'main + post' : paths ? [paths.main.includes(f.name) ? 'main' : '', paths.post.includes(f.name) ? 'post' : ''].filter(Boolean).join(' + ') || '—' : '?',
]);
const sum = (list, key) => list.reduce((n, f) => n + f[key], 0);
rows.push(['total dist/*.js', kb(sum(info, 'bytes')), kb(sum(info, 'gzip')), '', '']);
if (paths) {
  for (const [step, chunks] of Object.entries(paths)) {
    const loaded = [main, ...chunks.map((c) => byName.get(c)).filter(Boolean)];
    rows.push([`loaded by the ${step} step (index.js + ${chunks.join(' + ')})`, kb(sum(loaded, 'bytes')), kb(sum(loaded, 'gzip')), '', step]);
  }
}
const table = markdownTable(['file', 'bytes', 'gzip -9', 'minified', 'loaded by'], rows);

// ---------------------------------------------------------------- what the chunks are made of
// Chunks list modules as `/***/ <id>:`. Named roots come from webpack's
// `// EXTERNAL MODULE: ./path` comments; every module is attributed to the
// first named root that reaches it through __webpack_require__ (a root's
// own text to itself). A concatenated module ("+ N modules") cannot be split.
const modules = new Map();
for (const f of info.filter((x) => x.name !== 'index.js')) {
  const re = /\n\/\*\*\*\/ (\d+):\n/g;
  const starts = [...f.text.matchAll(re)].map((m) => ({ id: m[1], at: m.index }));
  starts.forEach((s, i) => {
    const body = f.text.slice(s.at, starts[i + 1]?.at ?? f.text.length);
    // A module shared by two chunks is copied into both: key by chunk and id.
    modules.set(`${f.name}#${s.id}`, { id: s.id, chunk: f.name, bytes: Buffer.byteLength(body), deps: [...body.matchAll(/__webpack_require__\((\d+)\)/g)].map((m) => m[1]) });
  });
}
const names = new Map();
for (const f of info) {
  for (const m of f.text.matchAll(/\/\/ EXTERNAL MODULE: (\.\/[^\n]+)\n(?:var|const|let) \w+ = __webpack_require__\((\d+)\)/g)) names.set(m[2], m[1]);
}
// The modules the entry imports lazily: imageship's own step code (with what webpack concatenated into it).
if (chunkLoads.length === 2) {
  names.set(chunkLoads[0].module, 'imageship post step (build/src/action/post.js + concatenated modules)');
  names.set(chunkLoads[1].module, 'imageship main step (build/src/action/main.js + concatenated modules)');
}
const owner = new Map();
for (const [root, name] of [...names].sort((a, b) => a[1].localeCompare(b[1], 'en'))) {
  for (const chunk of info.map((f) => f.name)) {
    const queue = [root];
    while (queue.length) {
      const id = queue.shift();
      const key = `${chunk}#${id}`;
      if (!modules.has(key) || (owner.has(key) && id !== root)) continue;
      owner.set(key, name);
      for (const d of modules.get(key).deps) if (!owner.has(`${chunk}#${d}`) && !names.has(d)) queue.push(d);
    }
  }
}
const groups = new Map();
for (const [key0, m] of modules) {
  const key = `${m.chunk}: ${owner.get(key0) ?? '(other, unnamed)'}`;
  const g = groups.get(key) ?? { bytes: 0, count: 0 };
  g.bytes += m.bytes;
  g.count += 1;
  groups.set(key, g);
}
const compTable = markdownTable(
  ['chunk: module group (by reachability from a named root)', 'modules', 'bytes'],
  [...groups].sort((a, b) => b[1].bytes - a[1].bytes).map(([k, g]) => [k.replace(/\+ (\d+) modules/, '+ $1 concatenated modules'), String(g.count), kb(g.bytes)]),
);

const machine = machineInfo();
const mainOk = main && main.bytes <= TARGET_MAIN_BYTES;
const summary = [
  `bundle sizes (${machineLine(machine)})`,
  '',
  table,
  '',
  compTable,
  '',
  `Main bundle dist/index.js: ${main ? kb(main.bytes) : 'missing'} (target ≤ 600 KB): ${mainOk ? 'met' : 'MISSED'}.`,
].join('\n');
console.log(summary);
const file = writeResult('size', { machine, files: info.map(({ name, bytes, gzip }) => ({ name, bytes, gzip })), paths, groups: Object.fromEntries(groups), table: summary });
process.stderr.write(`raw: ${file}\n`);
