import assert from 'node:assert/strict';
import { test } from 'node:test';
import { explainRegistryError } from '../../src/registry/docker-errors.js';

const context = {
  operation: 'push',
  registry: 'swr.cn-north-4.myhuaweicloud.com',
  loginHint: 'the user is cn-north-4@HPUA…',
  deniedHint: 'the organization may belong to another account or the organization quota may be exhausted',
} as const;

test('a denial without a provider hint still says what to check', () => {
  assert.equal(explainRegistryError('denied: requested access to the resource is denied', { operation: 'push', registry: 'r.example.com' }), 'push: r.example.com denied access: the user may lack push permission on this repository');
});

test('SWR permission denial points at organization ownership and quota', () => {
  const message = explainRegistryError('denied: you do not have the permission', context);
  assert.match(message, /organization may belong to another account/);
  assert.match(message, /quota/);
});

test('401 carries the login hint', () => {
  const message = explainRegistryError('Error response from daemon: Get "https://x/v2/": unauthorized: authentication required', { ...context, operation: 'login' });
  assert.match(message, /^login: .* rejected the credentials \(401\): the user is cn-north-4@HPUA…$/);
});

test('x509 says how to trust the CA', () => {
  const message = explainRegistryError('x509: certificate signed by unknown authority', context);
  assert.match(message, /\/etc\/docker\/certs.d\/swr.cn-north-4.myhuaweicloud.com\/ca.crt/);
});

test('unreachable registry and stopped daemon', () => {
  assert.match(explainRegistryError('dial tcp: lookup swr.x: no such host', context), /cannot reach/);
  assert.match(explainRegistryError('Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?', context), /daemon is not running/);
});

test('anything else keeps docker\'s last line', () => {
  assert.equal(explainRegistryError('first\nsomething odd happened\n', context), 'push: swr.cn-north-4.myhuaweicloud.com: something odd happened');
});
