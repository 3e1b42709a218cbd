/**
 * `imageship run --source-image` to a destination registry that resets every connection: the run gives up after
 * the one retry policy's round (4 tries by default, src/http/retry.ts), not two, and says so in one line. Counted as
 * connection attempts at the resetting port, not as wall time. Runs the compiled CLI (the action's pipeline); the
 * source is the test bed's anonymous registry.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DEFAULT_RETRY_POLICY } from '../../src/http/retry.js';
import { anonTarget, bed, output, runCli } from '../helpers/package-run.js';
import { startResettingServer, type ResettingServer } from '../helpers/resetting-server.js';
import { tempDir } from '../helpers/temp-dir.js';
import { uniqueNamespace } from '../helpers/workspace.js';

let down: ResettingServer;

before(async () => {
  down = await startResettingServer();
});
after(async () => down.close());

describe('a copy to an unreachable destination', () => {
  test(`one retry round: ${DEFAULT_RETRY_POLICY.attempts} connection attempts, then one error line naming the registry; exit 1`, async () => {
    const run = await runCli([...anonTarget(uniqueNamespace('unreach'), down.host, 'v1'), '--tags', 'stable', '--source-image', bed.baseImage], { cwd: tempDir('imageship-unreach-') });
    assert.equal(run.exitCode, 1, output(run));
    assert.equal(down.connections(), DEFAULT_RETRY_POLICY.attempts, output(run));
    const errors = output(run).split('\n').filter((line) => line.startsWith('imageship: error:'));
    assert.equal(errors.length, 1, output(run));
    assert.match(errors[0] ?? '', new RegExp(`${down.host}.*after ${DEFAULT_RETRY_POLICY.attempts} attempts`));
  });
});
