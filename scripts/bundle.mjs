// Bundles a compiled entry into OUTDIR with ncc: one ESM entry plus lazily
// loaded chunks. Two bundles are made from the same sources:
//   node scripts/bundle.mjs [OUTDIR]                        the action: build/src/action/index.js → dist/
//   node scripts/bundle.mjs OUTDIR --entry lib/cli/main.js  the CLI: the npm package's bin (prepack → lib/bin/)
// The CLI is bundled because a cold `npx imageship` otherwise loads ~250
// modules one by one (≈ 70 ms of ~100 before the first request); one file loads
// in ≈ 30. The dist-current test calls this same script with a temp OUTDIR and
// compares, so the flags live only here.
import { execFileSync } from 'node:child_process';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const entryFlag = args.indexOf('--entry');
const entry = entryFlag === -1 ? 'build/src/action/index.js' : args[entryFlag + 1];
const positional = entryFlag === -1 ? args : args.filter((_, i) => i !== entryFlag && i !== entryFlag + 1);
if (!entry) throw new Error('--entry needs the compiled entry file');
const outDir = resolve(positional[0] ?? join(root, 'dist'));
rmSync(outDir, { recursive: true, force: true });
execFileSync(
  join(root, 'node_modules', '.bin', 'ncc'),
  ['build', entry, '-o', outDir, '--minify', '--target', 'es2022', '--no-source-map-register', '--license', 'licenses.txt', '--quiet'],
  { cwd: root, stdio: 'inherit' },
);
if (positional[0] === undefined) {
  for (const name of readdirSync(outDir).sort()) console.log(`dist/${name}: ${(statSync(join(outDir, name)).size / 1024).toFixed(1)} KiB`);
}
