import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { checkBuildFiles } from '../../src/build/dockerfile.js';
import { tempDir } from '../helpers/temp-dir.js';

function workspace(files: Record<string, string>): string {
  const dir = tempDir('imageship-df-');
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

test('an existing Dockerfile passes', () => {
  const ws = workspace({ 'Dockerfile': 'FROM scratch\n' });
  assert.deepEqual(checkBuildFiles(ws, join(ws, 'Dockerfile'), false, ws), []);
});

test('a lowercase dockerfile is named in the hint (file names are case-sensitive)', () => {
  const ws = workspace({ 'app/dockerfile': 'FROM scratch\n' });
  const [problem] = checkBuildFiles(join(ws, 'app'), join(ws, 'app', 'Dockerfile'), false, ws);
  assert.equal(problem, 'dockerfile: "app/Dockerfile" not found, but "app/dockerfile" exists: file names are case-sensitive; rename it to Dockerfile or set dockerfile: app/dockerfile');
});

test('no Dockerfile at all', () => {
  const ws = workspace({ 'README.md': 'x' });
  assert.deepEqual(checkBuildFiles(ws, join(ws, 'Dockerfile'), false, ws), ['dockerfile: no Dockerfile in context ".": add one, or set dockerfile to its path']);
});

test('a given dockerfile path that does not exist', () => {
  const ws = workspace({ 'Dockerfile': 'x' });
  assert.deepEqual(checkBuildFiles(ws, join(ws, 'build/Dockerfile.prod'), true, ws), ['dockerfile: "build/Dockerfile.prod" not found: check the path (relative to the workspace)']);
});

test('a missing context directory', () => {
  const ws = workspace({});
  assert.deepEqual(checkBuildFiles(join(ws, 'nope'), join(ws, 'nope/Dockerfile'), false, ws), ['context: directory "nope" does not exist: set context to the folder holding your sources']);
});
