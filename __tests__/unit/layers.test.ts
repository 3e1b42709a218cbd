import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { folderCycles, layerViolations, readImportGraph, type ImportGraph } from '../../scripts/layers/import-graph.js';

const src = fileURLToPath(new URL('../../../src', import.meta.url));
const graphOf = (edges: Record<string, string[]>): ImportGraph => new Map(Object.entries(edges));

test('the import graph of src/ reads relative imports, exports and dynamic imports', () => {
  const graph = readImportGraph(src);
  assert.ok(graph.size > 100);
  assert.ok(graph.get('cli/main.ts')!.length > 0);
  for (const targets of graph.values()) for (const target of targets) assert.ok(graph.has(target), `${target} exists`);
});

test('a cycle between folders is found, also through a third folder', () => {
  assert.deepEqual(folderCycles(graphOf({ 'a/x.ts': ['b/y.ts'], 'b/y.ts': ['a/z.ts'], 'a/z.ts': [] })), ['a ⇄ b']);
  assert.deepEqual(
    folderCycles(graphOf({ 'a/x.ts': ['b/y.ts'], 'b/y.ts': ['c/z.ts'], 'c/z.ts': ['a/w.ts'], 'a/w.ts': [] })),
    ['a ⇄ b', 'a ⇄ c', 'b ⇄ c'],
  );
  assert.deepEqual(folderCycles(graphOf({ 'a/x.ts': ['b/y.ts', 'a/z.ts'], 'a/z.ts': ['a/x.ts'], 'b/y.ts': [] })), []);
});

test('a lower layer importing config/ or a host, or config/ importing past domain/, is a violation', () => {
  const problems = layerViolations(graphOf({
    'registry/copy.ts': ['config/types.ts'],
    'deploy/all.ts': ['cli/io.ts'],
    'build/x.ts': ['action/state.ts'],
    'config/parse.ts': ['registry/client.ts', 'domain/reference.ts'],
    'domain/reference.ts': ['http/transport.ts'],
    'registry/plan-user.ts': ['app/plan.ts'],
    'app/plan.ts': ['config/types.ts', 'registry/client.ts'],
    'cli/main.ts': ['app/plan.ts', 'config/parse.ts', 'action/state.ts'],
  }));
  assert.deepEqual(problems.map((line) => line.slice(0, line.indexOf(':'))), [
    'registry/copy.ts → config/types.ts',
    'deploy/all.ts → cli/io.ts',
    'build/x.ts → action/state.ts',
    'config/parse.ts → registry/client.ts',
    'domain/reference.ts → http/transport.ts',
    'registry/plan-user.ts → app/plan.ts',
  ]);
});

test('src/ has no cycle between folders', () => {
  assert.deepEqual(folderCycles(readImportGraph(src)), []);
});

test('src/ keeps its layers: no lower layer imports config/, app/ or a host; config/ imports only domain/; domain/ nothing', () => {
  assert.deepEqual(layerViolations(readImportGraph(src)), []);
});
