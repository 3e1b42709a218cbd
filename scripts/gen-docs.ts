import { readFileSync, writeFileSync } from 'node:fs';
import { renderActionYml, updateReadme } from './docs/render.js';

// Run from the repository root (npm run gen).
writeFileSync('action.yml', renderActionYml());
writeFileSync('README.md', updateReadme(readFileSync('README.md', 'utf8')));
console.log('wrote action.yml and the README tables');
