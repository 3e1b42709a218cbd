import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseImageReference } from '../../src/domain/image/reference.js';

const SHA = 'sha256:' + 'ab'.repeat(32);

describe('parseImageReference', () => {
  it('puts a single name on Docker Hub under library/', () => {
    assert.deepEqual(parseImageReference('nginx'), { registry: 'docker.io', repository: 'library/nginx' });
  });

  it('reads a tag', () => {
    assert.deepEqual(parseImageReference('nginx:1.2'), { registry: 'docker.io', repository: 'library/nginx', tag: '1.2' });
  });

  it('keeps a two-part Docker Hub name as it is', () => {
    assert.deepEqual(parseImageReference('bitnami/redis:7'), { registry: 'docker.io', repository: 'bitnami/redis', tag: '7' });
  });

  it('treats the first component as a registry when it has a port or is localhost', () => {
    assert.deepEqual(parseImageReference('localhost:5000/a/b:tag'), { registry: 'localhost:5000', repository: 'a/b', tag: 'tag' });
    assert.deepEqual(parseImageReference('localhost/app'), { registry: 'localhost', repository: 'app' });
  });

  it('treats a dotted first component as a registry and reads a digest', () => {
    assert.deepEqual(parseImageReference(`swr.cn-north-4.myhuaweicloud.com/org/app@${SHA}`), {
      registry: 'swr.cn-north-4.myhuaweicloud.com',
      repository: 'org/app',
      digest: SHA,
    });
  });

  it('reads a tag and a digest together', () => {
    assert.deepEqual(parseImageReference(`127.0.0.1:5101/org/app:tag@${SHA}`), {
      registry: '127.0.0.1:5101',
      repository: 'org/app',
      tag: 'tag',
      digest: SHA,
    });
  });

  it('normalises index.docker.io and accepts IPv6 registries', () => {
    assert.deepEqual(parseImageReference('index.docker.io/busybox'), { registry: 'docker.io', repository: 'library/busybox' });
    assert.deepEqual(parseImageReference('[::1]:5000/org/app:v1'), { registry: '[::1]:5000', repository: 'org/app', tag: 'v1' });
  });

  it('accepts the separators the spec allows in repository names', () => {
    assert.equal(parseImageReference('r.example/a.b/c_d/e__f/g--h:1').repository, 'a.b/c_d/e__f/g--h');
  });

  const invalid: Array<[string, RegExp]> = [
    ['', /is empty/],
    ['Nginx', /must be lowercase/],
    ['swr.example.com/My-Org/app:1', /must be lowercase/],
    ['nginx:', /tag after ":" is empty/],
    ['nginx@', /digest after "@" is empty/],
    [':latest', /repository name is empty/],
    ['localhost:5000/', /repository name is empty/],
    ['org//app', /empty path component/],
    ['/app', /empty path component/],
    ['org/app/', /empty path component/],
    ['nginx@sha256:abc', /length or lowercase hex/],
    [`nginx@sha256:${'AB'.repeat(32)}`, /length or lowercase hex/],
    ['nginx@md5', /not a valid digest/],
    ['nginx:.hidden', /tag ".hidden" is not valid/],
    ['org/-app', /is not valid/],
    ['bad_host.example:99999/app', /not a valid registry/],
    ['my app', /whitespace/],
  ];
  for (const [ref, why] of invalid) {
    it(`rejects ${JSON.stringify(ref)}`, () => {
      assert.throws(
        () => parseImageReference(ref),
        (error: unknown) => {
          assert.ok(error instanceof Error);
          assert.ok(error.message.startsWith(`invalid image reference ${JSON.stringify(ref)}: `), error.message);
          assert.match(error.message, why);
          return true;
        },
      );
    });
  }
});
