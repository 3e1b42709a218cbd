import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { renderActionYml, updateReadme } from '../../scripts/docs/render.js';
import { OPTIONS, OUTPUTS } from '../../src/config/schema.js';

const root = new URL('../../../', import.meta.url);
const read = (name: string): string => readFileSync(new URL(name, root), 'utf8');

test('action.yml is what the config schema renders (run `npm run gen` after changing the schema)', () => {
  assert.equal(read('action.yml'), renderActionYml());
});

test('the README input/output tables are what the schema renders (run `npm run gen`)', () => {
  const readme = read('README.md');
  assert.equal(readme, updateReadme(readme));
});

test('action.yml declares every input and output of the schema and runs on node24 with a post step', () => {
  const yml = read('action.yml');
  for (const option of OPTIONS) assert.match(yml, new RegExp(`^  ${option.name}:$`, 'm'), option.name);
  for (const output of OUTPUTS) assert.match(yml, new RegExp(`^  ${output.name}:$`, 'm'), output.name);
  assert.match(yml, /^  using: node24$/m);
  assert.match(yml, /^  post: dist\/index.js$/m);
});

test('option names are kebab-case and unique; secrets have no default', () => {
  const names = OPTIONS.map((option) => option.name);
  assert.equal(new Set(names).size, names.length);
  for (const option of OPTIONS) {
    assert.match(option.name, /^[a-z]+(-[a-z0-9]+)*$/);
    if (option.secret) assert.equal(option.default, undefined, option.name);
  }
});
