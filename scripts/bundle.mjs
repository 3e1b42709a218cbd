// Bundles a compiled entry into OUTDIR with ncc: one ESM entry plus lazily
// loaded chunks. Two bundles are made from the same sources:
//   node scripts/bundle.mjs [OUTDIR]                        the action: build/src/action/index.js → dist/
//   node scripts/bundle.mjs OUTDIR --entry lib/cli/main.js  the CLI: the npm package's bin (prepack → lib/bin/)
// The CLI is bundled because a cold `npx imageship` otherwise loads ~250
// modules one by one (≈ 70 ms of ~100 before the first request); one file loads
// in ≈ 30. The dist-current test calls this same script with a temp OUTDIR and
// compares, so the flags live only here.
// The CLI's index.js is then a launcher that turns on Node's compile cache
// (module.enableCompileCache, Node ≥ 22.1; in os.tmpdir() unless
// NODE_COMPILE_CACHE says where) before it imports the bundle, now cli.js: a
// later run on the same machine skips parsing and compiling ≈ 500 KB of code
// (≈ 10 ms of a ≈ 60 ms start). The action's dist/ keeps no such launcher: a
// hosted runner starts from a fresh disk every job, where the cache would
// only cost the time to write it.
import { execFileSync } from 'node:child_process';
import { readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
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
if (entryFlag !== -1) {
  const bin = join(outDir, 'index.js');
  const mode = statSync(bin).mode & 0o777;
  renameSync(bin, join(outDir, 'cli.js'));
  writeFileSync(
    bin,
    [
      '#!/usr/bin/env node',
      '// imageship CLI launcher: caches the compiled bundle across runs (Node >= 22.1), then runs it (cli.js).',
      "import module from 'node:module';",
      'module.enableCompileCache?.();',
      "await import('./cli.js');",
      '',
    ].join('\n'),
    { mode },
  );
}
if (positional[0] === undefined) {
  for (const name of readdirSync(outDir).sort()) console.log(`dist/${name}: ${(statSync(join(outDir, name)).size / 1024).toFixed(1)} KiB`);
}
