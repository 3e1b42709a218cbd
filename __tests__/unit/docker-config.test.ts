import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { credentialsFromDockerConfig, DockerConfigError, dockerConfigPath, normaliseHost } from '../../src/registry/docker-config.js';

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

/** A readFile over an in-memory file table, failing like fs does for a missing file. */
function files(table: Record<string, string>): { read: (path: string) => Promise<string>; reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    read: async (path) => {
      reads.push(path);
      const text = table[path];
      if (text === undefined) throw Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), { code: 'ENOENT' });
      return text;
    },
  };
}

const CONFIG = '/cfg/config.json';
const env = { DOCKER_CONFIG: '/cfg', HOME: '/home/ci' };
const withConfig = (config: unknown): ReturnType<typeof files> => files({ [CONFIG]: JSON.stringify(config) });

describe('dockerConfigPath', () => {
  it('prefers $DOCKER_CONFIG, then ~/.docker', () => {
    assert.equal(dockerConfigPath({ DOCKER_CONFIG: '/cfg', HOME: '/home/ci' }), '/cfg/config.json');
    assert.equal(dockerConfigPath({ HOME: '/home/ci' }), '/home/ci/.docker/config.json');
    assert.equal(dockerConfigPath({ DOCKER_CONFIG: '', HOME: '/home/ci' }), '/home/ci/.docker/config.json');
    assert.equal(dockerConfigPath({}), undefined);
  });
});

describe('normaliseHost', () => {
  it('strips scheme and path, lowercases, and folds Docker Hub aliases', () => {
    assert.equal(normaliseHost('https://Registry.Example.com:5000/v1/'), 'registry.example.com:5000');
    assert.equal(normaliseHost('http://127.0.0.1:5000'), '127.0.0.1:5000');
    assert.equal(normaliseHost('https://index.docker.io/v1/'), 'docker.io');
    assert.equal(normaliseHost('registry-1.docker.io'), 'docker.io');
  });
});

describe('credentialsFromDockerConfig', () => {
  it('decodes auths[host].auth (base64 user:password); the password may hold colons', async () => {
    const fs = withConfig({ auths: { 'swr.cn-north-4.myhuaweicloud.com': { auth: b64('cn-north-4@AK:p:a:ss') } } });
    assert.deepEqual(await credentialsFromDockerConfig('swr.cn-north-4.myhuaweicloud.com', env, fs.read), {
      username: 'cn-north-4@AK',
      password: 'p:a:ss',
    });
    assert.deepEqual(fs.reads, [CONFIG]);
  });

  it('reads ~/.docker/config.json without DOCKER_CONFIG', async () => {
    const fs = files({ '/home/ci/.docker/config.json': JSON.stringify({ auths: { 'ghcr.io': { auth: b64('me:tok') } } }) });
    assert.deepEqual(await credentialsFromDockerConfig('ghcr.io', { HOME: '/home/ci' }, fs.read), { username: 'me', password: 'tok' });
  });

  it('matches keys written with a scheme or path, and a port', async () => {
    const fs = withConfig({ auths: { 'http://127.0.0.1:5000/v2/': { auth: b64('u:p') } } });
    assert.deepEqual(await credentialsFromDockerConfig('127.0.0.1:5000', env, fs.read), { username: 'u', password: 'p' });
    assert.equal(await credentialsFromDockerConfig('127.0.0.1:5001', env, fs.read), undefined, 'another port is another registry');
  });

  it("finds Docker Hub's login under https://index.docker.io/v1/", async () => {
    const fs = withConfig({ auths: { 'https://index.docker.io/v1/': { auth: b64('hubuser:hubpass') } } });
    assert.deepEqual(await credentialsFromDockerConfig('docker.io', env, fs.read), { username: 'hubuser', password: 'hubpass' });
  });

  it('takes username/password fields when there is no auth', async () => {
    const fs = withConfig({ auths: { 'r.example.com': { username: 'u', password: 'p' } } });
    assert.deepEqual(await credentialsFromDockerConfig('r.example.com', env, fs.read), { username: 'u', password: 'p' });
  });

  it('answers undefined when there is no file or no login for the host', async () => {
    assert.equal(await credentialsFromDockerConfig('r.example.com', env, files({}).read), undefined);
    assert.equal(await credentialsFromDockerConfig('r.example.com', {}, files({}).read), undefined);
    assert.equal(await credentialsFromDockerConfig('r.example.com', env, withConfig({}).read), undefined);
    assert.equal(await credentialsFromDockerConfig('r.example.com', env, withConfig({ auths: { 'other.example.com': { auth: b64('a:b') } } }).read), undefined);
    assert.equal(await credentialsFromDockerConfig('r.example.com', env, withConfig({ auths: { 'r.example.com': {} } }).read), undefined);
  });

  it('says clearly that a credential helper for the host is not supported', async () => {
    const fs = withConfig({ auths: { 'r.example.com': { auth: b64('stale:entry') } }, credHelpers: { 'r.example.com': 'ecr-login' } });
    await assert.rejects(credentialsFromDockerConfig('r.example.com', env, fs.read), (error: unknown) => {
      assert.ok(error instanceof DockerConfigError);
      assert.match(error.message, /docker-credential-ecr-login \(credHelpers\), which imageship does not support/);
      assert.equal(error.path, CONFIG);
      return true;
    });
    // Another host's helper does not matter.
    const other = withConfig({ auths: { 'r.example.com': { auth: b64('u:p') } }, credHelpers: { 'gcr.io': 'gcloud' } });
    assert.deepEqual(await credentialsFromDockerConfig('r.example.com', env, other.read), { username: 'u', password: 'p' });
  });

  it('says clearly that a credential store is not supported when the file has no plain auth', async () => {
    const fs = withConfig({ auths: { 'r.example.com': {} }, credsStore: 'desktop' });
    await assert.rejects(credentialsFromDockerConfig('r.example.com', env, fs.read), /credential store docker-credential-desktop \(credsStore\), which imageship does not\s+support/);
    const plain = withConfig({ auths: { 'r.example.com': { auth: b64('u:p') } }, credsStore: 'desktop' });
    assert.deepEqual(await credentialsFromDockerConfig('r.example.com', env, plain.read), { username: 'u', password: 'p' });
  });

  it('refuses an identity token (not supported)', async () => {
    const fs = withConfig({ auths: { 'r.example.com': { identitytoken: 'refresh-me' } } });
    await assert.rejects(credentialsFromDockerConfig('r.example.com', env, fs.read), /only an identity token .* not support/);
  });

  it('reports malformed files and entries', async () => {
    await assert.rejects(credentialsFromDockerConfig('r.example.com', env, files({ [CONFIG]: '{not json' }).read), /\/cfg\/config\.json is not valid JSON/);
    await assert.rejects(credentialsFromDockerConfig('r.example.com', env, files({ [CONFIG]: '[]' }).read), /is not a JSON object/);
    await assert.rejects(
      credentialsFromDockerConfig('r.example.com', env, withConfig({ auths: { 'r.example.com': { auth: b64('no-colon') } } }).read),
      /auth is not base64 of "username:password"/,
    );
    await assert.rejects(
      credentialsFromDockerConfig('r.example.com', env, withConfig({ auths: { 'r.example.com': 'text' } }).read),
      /is not an object/,
    );
    const denied = async (): Promise<string> => {
      throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    };
    await assert.rejects(credentialsFromDockerConfig('r.example.com', env, denied), /cannot read the Docker config \/cfg\/config\.json: EACCES/);
  });
});

describe('credentialsFromDockerConfig with a real file', () => {
  let dir = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'imageship-docker-config-'));
    await mkdir(join(dir, 'docker'));
    await writeFile(join(dir, 'docker', 'config.json'), JSON.stringify({ auths: { 'localhost:5000': { auth: b64('file-user:file-pass') } } }));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads it through fs.readFile', async () => {
    const read = (path: string): Promise<string> => readFile(path, 'utf8');
    assert.deepEqual(await credentialsFromDockerConfig('localhost:5000', { DOCKER_CONFIG: join(dir, 'docker') }, read), {
      username: 'file-user',
      password: 'file-pass',
    });
    assert.equal(await credentialsFromDockerConfig('localhost:5000', { DOCKER_CONFIG: join(dir, 'missing') }, read), undefined);
  });
});
