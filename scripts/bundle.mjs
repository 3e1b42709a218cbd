// Bundles the compiled action entry into OUTDIR (default dist/) with ncc:
// one ESM entry plus lazily loaded chunks. The dist-current test calls this
// same script with a temp OUTDIR and compares, so the flags live only here.
import { execFileSync } from 'node:child_process';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = resolve(process.argv[2] ?? join(root, 'dist'));
rmSync(outDir, { recursive: true, force: true });
execFileSync(
  join(root, 'node_modules', '.bin', 'ncc'),
  ['build', 'build/src/action/index.js', '-o', outDir, '--minify', '--target', 'es2022', '--no-source-map-register', '--license', 'licenses.txt', '--quiet'],
  { cwd: root, stdio: 'inherit' },
);
if (!process.argv[2]) {
  for (const name of readdirSync(outDir).sort()) console.log(`dist/${name}: ${(statSync(join(outDir, name)).size / 1024).toFixed(1)} KiB`);
}
