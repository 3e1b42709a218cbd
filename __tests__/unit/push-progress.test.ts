/**
 * PushProgress reading docker push's pipe output (the lines Docker 20.10 and
 * 26 write without a terminal; the e2e test runs the real daemons).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PushProgress } from '../../src/registry/push-progress.js';

function watch(): { progress: PushProgress; lines: string[]; clock: { at: number } } {
  const lines: string[] = [];
  const clock = { at: 0 };
  const progress = new PushProgress({ log: (line) => void lines.push(line), reference: 'r.example/ns/app:v1', intervalMs: 60_000, now: () => clock.at });
  return { progress, lines, clock };
}

test('docker\'s per-layer status lines become one line per settled layer; the rest passes through', () => {
  const { progress, lines, clock } = watch();
  const hidden = [
    'The push refers to repository [r.example/ns/app]',
    '489f4f598064: Preparing',
    '0f75adbad39b: Preparing',
    'a1b2c3d4e5f6: Preparing',
    '489f4f598064: Waiting',
  ].map((line) => progress.observe(line));
  assert.deepEqual(hidden, [true, true, true, true, true]);
  clock.at = 1_500;
  assert.equal(progress.observe('0f75adbad39b: Layer already exists'), true);
  clock.at = 2_000;
  assert.equal(progress.observe('a1b2c3d4e5f6: Mounted from ns/base'), true);
  assert.equal(progress.observe('489f4f598064: Retrying in 5 seconds'), false, 'a retry is docker\'s to tell');
  clock.at = 9_250;
  assert.equal(progress.observe('489f4f598064: Pushed'), true);
  assert.equal(progress.observe('489f4f598064: Pushed'), true, 'a repeated status adds no line');
  assert.equal(progress.observe('v1: digest: sha256:191babb9391ded50bc8d544577c1ef35fa40ef8c9782226f2d071ef7c00f7303 size: 739'), false);
  assert.equal(progress.observe('denied: requested access to the resource is denied'), false);
  progress.stop();
  assert.deepEqual(lines, [
    'layer 0f75adbad39b already in the registry (1 of 3, 1.5 s)',
    'layer a1b2c3d4e5f6 mounted from ns/base (2 of 3, 2.0 s)',
    'layer 489f4f598064 pushed (3 of 3, 9.3 s)',
  ]);
  assert.deepEqual(progress.counts, { waiting: 0, pushed: 1, exists: 1, mounted: 1 });
});

test('the alive line names the layers under way, and stops once every layer is settled', async () => {
  const lines: string[] = [];
  let at = 0;
  const progress = new PushProgress({ log: (line) => void lines.push(line), reference: 'r.example/ns/app:v1', intervalMs: 20, now: () => at });
  for (const id of ['111111111111', '222222222222', '333333333333', '444444444444', '555555555555']) progress.observe(`${id}: Preparing`);
  progress.observe('111111111111: Pushed');
  at = 4_000;
  await new Promise((resolve) => setTimeout(resolve, 70));
  const alive = lines.filter((line) => line.startsWith('pushing '));
  assert.ok(alive.length >= 1, lines.join('\n'));
  assert.equal(alive[0], 'pushing r.example/ns/app:v1: 1 of 5 layer(s) done, 4.0 s so far; under way: 222222222222, 333333333333, 444444444444 and 1 more');
  for (const id of ['222222222222', '333333333333', '444444444444', '555555555555']) progress.observe(`${id}: Layer already exists`);
  const before = lines.length;
  await new Promise((resolve) => setTimeout(resolve, 70));
  progress.stop();
  assert.equal(lines.length, before, 'no alive line once nothing is under way');
});
