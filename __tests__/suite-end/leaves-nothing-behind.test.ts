/**
 * The last file of every run of scripts/run-tests.mjs: sweeps what this run
 * made (see leftovers.ts) and fails, naming each one, when images, stopped
 * containers, registry repositories or temp dirs of the suite are still
 * there. Without the snapshot run-tests.mjs takes (a file run on its own) it
 * has nothing to compare with and skips.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { findLeftovers, sweepRun, type Snapshot } from './leftovers.js';

const snapshotPath = process.env['IMAGESHIP_TEST_SNAPSHOT'];

test('the suite leaves no images, containers, repositories or temp dirs behind', { skip: snapshotPath ? false : 'no snapshot: run through scripts/run-tests.mjs' }, async (t) => {
  const snapshot = JSON.parse(readFileSync(snapshotPath!, 'utf8')) as Snapshot;
  const failures = await sweepRun(snapshot);
  for (const failure of failures) t.diagnostic(`could not remove: ${failure}`);
  const { ours, unattributed, otherRuns } = await findLeftovers(snapshot, process.env['IMAGESHIP_TEST_TMPDIR']);
  // With another run on the machine, a temp dir or an untagged image may be its: named, not counted.
  const counted = otherRuns.length === 0 ? [...ours, ...unattributed] : ours;
  if (otherRuns.length > 0 && unattributed.length > 0) {
    t.diagnostic(`not counted, since other test runs (pid ${otherRuns.join(', ')}) were going on: ${unattributed.length} new item(s) with the suite's names, e.g.`);
    for (const line of unattributed.slice(0, 5)) t.diagnostic(`  ${line}`);
  }
  assert.deepEqual(counted, [], `left behind by this run (not there when it started):\n  ${counted.join('\n  ')}`);
});
