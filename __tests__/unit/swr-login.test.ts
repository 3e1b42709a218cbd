import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { deriveSwrLogin, shortAccessKey } from '../../src/domain/swr-login.js';

interface LoginVector {
  region: string;
  ak: string;
  sk: string;
  registry: string;
  username: string;
  password: string;
}

const vectors = JSON.parse(readFileSync(new URL('../../../__tests__/fixtures/vectors/swr-long-term-login.json', import.meta.url), 'utf8')) as {
  cases: LoginVector[];
};

test('the vector file has cases to check', () => {
  assert.ok(vectors.cases.length >= 2);
});

for (const vector of vectors.cases) {
  test(`deriveSwrLogin reproduces the official login for ${vector.username}`, () => {
    const login = deriveSwrLogin({ region: vector.region, accessKey: vector.ak, secretKey: vector.sk });
    assert.deepEqual(login, { registry: vector.registry, username: vector.username, password: vector.password });
  });
}

test('deriveSwrLogin honours another cloud domain', () => {
  const login = deriveSwrLogin({ region: 'eu-west-101', accessKey: 'HPUATESTAK0000000001', secretKey: 'x'.repeat(40), domain: 'myhuaweicloud.eu' });
  assert.equal(login.registry, 'swr.eu-west-101.myhuaweicloud.eu');
  assert.equal(login.username, 'eu-west-101@HPUATESTAK0000000001');
  assert.match(login.password, /^[0-9a-f]{64}$/);
});

test('a different secret key gives a different password', () => {
  const a = deriveSwrLogin({ region: 'cn-north-4', accessKey: 'HPUATESTAK0000000001', secretKey: 'TestSecretKey0000000000000000000000000000' });
  const b = deriveSwrLogin({ region: 'cn-north-4', accessKey: 'HPUATESTAK0000000001', secretKey: 'TestSecretKey0000000000000000000000000001' });
  assert.notEqual(a.password, b.password);
});

test('shortAccessKey shows only the first four characters', () => {
  assert.equal(shortAccessKey('HPUATESTAK0000000001'), 'HPUA…');
});
