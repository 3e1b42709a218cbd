// Prints the size of each file in dist/ so a bundle that grows shows up in review.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

for (const name of readdirSync('dist').sort()) {
  const size = statSync(join('dist', name)).size;
  console.log(`dist/${name}: ${(size / 1024).toFixed(1)} KiB`);
}
