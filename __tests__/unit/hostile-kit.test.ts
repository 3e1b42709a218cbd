import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { hostileEnv, startHostileServer, type HostileServer } from '../helpers/hostile/hostile-server.js';
import { makeTestCa, type TestCa } from '../helpers/hostile/test-ca.js';

// The kit the hostile-server suites stand on: a name that resolves to loopback only in the child, over TLS from a test CA.
let ca: TestCa;
let server: HostileServer;
before(async () => {
  ca = await makeTestCa(['hub.example.test']);
  server = await startHostileServer((_request, response) => void response.end('hello'), { tls: ca });
});
after(async () => {
  await server.close();
  await ca.remove();
});

test('a child with hostileEnv reaches hub.example.test on loopback over verified TLS; without it the name does not resolve', async () => {
  const script = `const r = await fetch(${JSON.stringify(`${server.origin('hub.example.test')}/v2/`)}); console.log(r.status, await r.text());`;
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, ...hostileEnv(['hub.example.test'], ca) } });
  assert.equal(stdout.trim(), '200 hello');
  assert.equal(server.requests.at(-1)?.host, `hub.example.test:${server.port}`);
  await assert.rejects(promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, NODE_OPTIONS: '' } }));
});
