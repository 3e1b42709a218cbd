import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findChallenge, parseWwwAuthenticate } from '../../src/registry/auth-challenge.js';

describe('parseWwwAuthenticate', () => {
  it('reads a Basic challenge with only a realm', () => {
    assert.deepEqual(parseWwwAuthenticate('Basic realm="basic-realm"'), [
      { scheme: 'Basic', params: { realm: 'basic-realm' } },
    ]);
  });

  it('reads a Docker-style Bearer challenge with several parameters', () => {
    const header =
      'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull"';
    assert.deepEqual(parseWwwAuthenticate(header), [
      {
        scheme: 'Bearer',
        params: {
          realm: 'https://auth.docker.io/token',
          service: 'registry.docker.io',
          scope: 'repository:library/nginx:pull',
        },
      },
    ]);
  });

  it('keeps commas inside quoted values', () => {
    const [challenge] = parseWwwAuthenticate('Bearer realm="https://a.example/token",scope="repository:org/app:pull,push"');
    assert.equal(challenge?.params.scope, 'repository:org/app:pull,push');
    assert.equal(challenge?.params.realm, 'https://a.example/token');
  });

  it('accepts unquoted values, spaces around "=" and ",", and lowercases parameter names', () => {
    const [challenge] = parseWwwAuthenticate('Bearer  Realm = https://h/token , Service=reg ,scope="x"');
    assert.deepEqual(challenge, { scheme: 'Bearer', params: { realm: 'https://h/token', service: 'reg', scope: 'x' } });
  });

  it('unescapes backslashes in quoted strings', () => {
    const [challenge] = parseWwwAuthenticate('Basic realm="say \\"hi\\", \\\\ok"');
    assert.equal(challenge?.params.realm, 'say "hi", \\ok');
  });

  it('splits several challenges in one header', () => {
    const challenges = parseWwwAuthenticate('Basic realm="a, b", Bearer realm="https://t/token", service=s, Negotiate');
    assert.deepEqual(challenges, [
      { scheme: 'Basic', params: { realm: 'a, b' } },
      { scheme: 'Bearer', params: { realm: 'https://t/token', service: 's' } },
      { scheme: 'Negotiate', params: {} },
    ]);
  });

  it('reads token68 credentials', () => {
    assert.deepEqual(parseWwwAuthenticate('Negotiate YII=, Basic realm=r'), [
      { scheme: 'Negotiate', params: {}, token68: 'YII=' },
      { scheme: 'Basic', params: { realm: 'r' } },
    ]);
  });

  it('keeps what it could read from a malformed header', () => {
    assert.deepEqual(parseWwwAuthenticate('Bearer realm="https://t/token'), [
      { scheme: 'Bearer', params: { realm: 'https://t/token' } },
    ]);
    assert.deepEqual(parseWwwAuthenticate(''), []);
    assert.deepEqual(parseWwwAuthenticate(' , '), []);
  });

  it('finds a challenge by scheme, case-insensitively', () => {
    const challenges = parseWwwAuthenticate('basic realm="r", BEARER realm="https://t"');
    assert.equal(findChallenge(challenges, 'Bearer')?.params.realm, 'https://t');
    assert.equal(findChallenge(challenges, 'Basic')?.params.realm, 'r');
    assert.equal(findChallenge(challenges, 'Digest'), undefined);
  });
});
