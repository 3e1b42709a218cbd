/**
 * What the post step reads back: every registry main logged in to. One login
 * leaves only `registry` (the state as it always was); several add
 * `registries`, one per line, which wins.
 */
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { readPostState } from '../../src/action/state.js';

const NAMES = ['STATE_registry', 'STATE_registries', 'STATE_logout'];
afterEach(() => {
  for (const name of NAMES) delete process.env[name];
});

test('one login: the registry alone', () => {
  process.env['STATE_registry'] = 'swr.cn-north-4.myhuaweicloud.com';
  assert.deepEqual(readPostState(), { registries: ['swr.cn-north-4.myhuaweicloud.com'], logout: true });
});

test('several logins: the list, in order; logout false is kept', () => {
  Object.assign(process.env, { STATE_registry: 'a.example', STATE_registries: 'a.example\nghcr.io\n127.0.0.1:5000', STATE_logout: 'false' });
  assert.deepEqual(readPostState(), { registries: ['a.example', 'ghcr.io', '127.0.0.1:5000'], logout: false });
});

test('main never logged in: nothing to undo', () => {
  assert.deepEqual(readPostState(), { registries: [], logout: true });
});
