/**
 * A copy to a destination that cannot be reached tries it for one retry round only: the transport's (the one
 * retry policy, src/http/retry.ts), not that round again for the copy's next request. Counted as connection
 * attempts at a port that resets every connection, not as wall time. The source is a real Debian
 * `docker-registry`; requests go through the project's transport (createTransport), as in a run.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTransport, type Transport } from '../../src/http/index.js';
import { HttpError } from '../../src/http/retry.js';
import { RegistryClient } from '../../src/registry/client.js';
import { copyImage } from '../../src/registry/copy.js';
import { pushRandomImage } from '../helpers/image-fixtures.js';
import { startLocalRegistry, type LocalRegistry } from '../helpers/local-registry.js';
import { startResettingServer, type ResettingServer } from '../helpers/resetting-server.js';

const ATTEMPTS = 3;
const RETRY = { attempts: ATTEMPTS, baseDelayMs: 5, maxDelayMs: 20 };

let source: LocalRegistry | undefined;
let down: ResettingServer | undefined;
let transport: Transport | undefined;

before(async () => {
  [source, down] = await Promise.all([startLocalRegistry(), startResettingServer()]);
  transport = createTransport({ proxy: 'none' });
  await pushRandomImage(source.host, 'src/app', 'v1', { layers: 1, layerBytes: 4096 });
});

after(async () => {
  transport?.close();
  await Promise.all([source?.close(), down?.close()]);
});

describe('copyImage to an unreachable destination', () => {
  for (const tags of [['v1', 'latest'], []]) {
    it(`gives up after one retry round (${ATTEMPTS} connection attempts), not two${tags.length === 0 ? ' (by digest, no tag to ask for first)' : ''}`, async () => {
      const from = source ?? assert.fail('no source registry');
      const to = down ?? assert.fail('no resetting server');
      const fetch = (transport ?? assert.fail('no transport')).fetch;
      const before = to.connections();
      await assert.rejects(
        copyImage({
          source: { client: new RegistryClient({ registry: from.host, fetch, retry: RETRY }), repository: 'src/app', reference: 'v1' },
          destination: { client: new RegistryClient({ registry: to.host, fetch, retry: RETRY }), repository: 'dst/app' },
          tags,
          retry: RETRY,
        }),
        (error: unknown) => {
          assert.ok(error instanceof HttpError, String(error));
          assert.match(error.message, new RegExp(`${to.host}.*after ${ATTEMPTS} attempts`));
          return true;
        },
      );
      assert.equal(to.connections() - before, ATTEMPTS);
    });
  }
});
