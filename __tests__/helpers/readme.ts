/**
 * Commands the README shows, read from the README itself so that what a test
 * runs (and what the demo prints) is what a reader copies: the fenced code
 * between `<!-- NAME:start -->` and `<!-- NAME:end -->`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './workspace.js';

export function readmeCommands(name: string, readme: string = readFileSync(join(repoRoot, 'README.md'), 'utf8')): string {
  const start = readme.indexOf(`<!-- ${name}:start -->`);
  const end = readme.indexOf(`<!-- ${name}:end -->`);
  if (start < 0 || end < start) throw new Error(`README.md has no <!-- ${name}:start --> … <!-- ${name}:end --> block`);
  const fenced = [...readme.slice(start, end).matchAll(/^```[a-z]*\n([\s\S]*?)^```$/gm)].map((match) => match[1]!);
  if (fenced.length === 0) throw new Error(`README.md: the ${name} block holds no fenced code`);
  return fenced.join('\n');
}
