/**
 * Proves the test bed itself, so a failing e2e test points at the action and
 * not at the registry: the swr registry checks the AK/SK-derived login for
 * real, the docker CLI can log in to it, and the offline base image is there.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { catalog, imageConfig, listTags, manifestDigest, pingStatus } from '../helpers/registry-api.js';
import { deriveTestPassword, testbed } from '../helpers/testbed.js';
import { tempDir } from '../helpers/temp-dir.js';

function run(cmd: string, args: string[], opts: { stdin?: string; env?: NodeJS.ProcessEnv } = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(cmd, args, { env: opts.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(opts.stdin ?? '');
  });
}

describe('test bed: swr registry (derived login)', () => {
  const auth = { username: testbed.username, password: testbed.derivedPassword };

  test('the default AK/SK derive the documented password', () => {
    if (testbed.ak === 'HPUATESTAK0000000001' && testbed.sk === 'TestSecretKey0000000000000000000000000000') {
      assert.equal(testbed.derivedPassword, 'a93997e52b53d3ddcb54abdff10d4458b7bf22dd86dae68b8b03e5c018c49622');
    }
    assert.equal(testbed.username, `${testbed.region}@${testbed.ak}`);
  });

  test('rejects an anonymous GET /v2/ with 401 and a Basic challenge', async () => {
    const res = await fetch(`http://${testbed.swrRegistry}/v2/`);
    await res.body?.cancel();
    assert.equal(res.status, 401);
    assert.match(res.headers.get('www-authenticate') ?? '', /^Basic realm="imageship-test"/);
  });

  test('accepts the derived login', async () => {
    assert.equal(await pingStatus(testbed.swrRegistry, auth), 200);
    assert.ok(Array.isArray(await catalog(testbed.swrRegistry, auth)));
  });

  test('rejects a password derived from a wrong SK, and a right password for another region', async () => {
    const wrong = deriveTestPassword(testbed.ak, `${testbed.sk}x`);
    assert.notEqual(wrong, testbed.derivedPassword);
    assert.equal(await pingStatus(testbed.swrRegistry, { username: testbed.username, password: wrong }), 401);
    assert.equal(
      await pingStatus(testbed.swrRegistry, { username: `ap-southeast-1@${testbed.ak}`, password: testbed.derivedPassword }),
      401,
    );
  });

  test('docker login --password-stdin with the derived password succeeds, logout removes it', async () => {
    const dockerConfig = tempDir('imageship-testbed-login-');
    try {
      const env = { ...process.env, DOCKER_CONFIG: dockerConfig };
      const login = await run('docker', ['login', '--username', testbed.username, '--password-stdin', testbed.swrRegistry], {
        env,
        stdin: testbed.derivedPassword,
      });
      assert.equal(login.code, 0, `docker login failed: ${login.stderr}`);
      assert.match(login.stdout, /Login Succeeded/);
      const config = JSON.parse(readFileSync(join(dockerConfig, 'config.json'), 'utf8')) as {
        auths: Record<string, { auth?: string }>;
      };
      const entry = config.auths[testbed.swrRegistry];
      assert.ok(entry?.auth, 'config.json has an auth entry for the registry');
      assert.equal(Buffer.from(entry.auth, 'base64').toString(), `${testbed.username}:${testbed.derivedPassword}`);

      const logout = await run('docker', ['logout', testbed.swrRegistry], { env });
      assert.equal(logout.code, 0, logout.stderr);
      const after = JSON.parse(readFileSync(join(dockerConfig, 'config.json'), 'utf8')) as { auths?: Record<string, unknown> };
      assert.equal(after.auths?.[testbed.swrRegistry], undefined);

      const bad = await run('docker', ['login', '--username', testbed.username, '--password-stdin', testbed.swrRegistry], {
        env,
        stdin: deriveTestPassword(testbed.ak, 'not-the-secret-key'),
      });
      assert.notEqual(bad.code, 0, 'a login with a wrong password must fail');
    } finally {
      rmSync(dockerConfig, { recursive: true, force: true });
    }
  });
});

describe('test bed: anon registry and base image', () => {
  const [, repoAndTag = ''] = testbed.baseImage.split(`${testbed.anonRegistry}/`);
  const [repo = '', tag = ''] = repoAndTag.split(':');

  test('answers GET /v2/ without auth', async () => {
    assert.equal(await pingStatus(testbed.anonRegistry), 200);
  });

  test('holds the base image, a linux/amd64 image with busybox httpd', async () => {
    assert.equal(testbed.baseImage, `${testbed.anonRegistry}/${repo}:${tag}`);
    assert.ok((await catalog(testbed.anonRegistry)).includes(repo));
    assert.ok((await listTags(testbed.anonRegistry, repo)).includes(tag));
    const digest = await manifestDigest(testbed.anonRegistry, repo, tag);
    assert.match(digest ?? '', /^sha256:[0-9a-f]{64}$/);
    const config = await imageConfig(testbed.anonRegistry, repo, tag);
    assert.equal(config.os, 'linux');
    assert.equal(config.architecture, 'amd64');
  });

  test('reports a missing repository as no tags and a missing tag as no digest', async () => {
    assert.deepEqual(await listTags(testbed.anonRegistry, 'no/such-repo'), []);
    assert.equal(await manifestDigest(testbed.anonRegistry, repo, 'no-such-tag'), undefined);
  });
});
