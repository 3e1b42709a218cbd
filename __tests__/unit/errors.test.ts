/**
 * One error base: every error class in src/ extends ImageshipError (directly or through another), and a layer
 * that wraps an error keeps it as `cause`.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { deployToTargets, DeployError } from '../../src/deploy/deploy-all.js';
import { causeChain, ImageshipError } from '../../src/domain/errors.js';
import { credentialsFromDockerConfig, DockerConfigError } from '../../src/registry/docker-config.js';
import { createSecretRegistry } from '../../src/util/secrets.js';
import type { Ports } from '../../src/ports.js';

const src = fileURLToPath(new URL('../../../src', import.meta.url));

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? tsFiles(path) : name.endsWith('.ts') ? [path] : [];
  });
}

test('every error class in src/ extends ImageshipError, directly or through another error class', () => {
  const parents = new Map<string, { parent: string; file: string }>();
  for (const file of tsFiles(src)) {
    for (const match of readFileSync(file, 'utf8').matchAll(/class (\w+) extends (\w+)/g)) {
      if (/Error$|Problem$/.test(match[1]!) || /Error$/.test(match[2]!)) parents.set(match[1]!, { parent: match[2]!, file: relative(src, file) });
    }
  }
  assert.ok(parents.size >= 18, `found ${parents.size} error classes`);
  for (const [name, { file }] of parents) {
    let current = name;
    const seen = new Set<string>();
    while (current !== 'ImageshipError' && parents.has(current) && !seen.has(current)) {
      seen.add(current);
      current = parents.get(current)!.parent;
    }
    assert.equal(current, 'ImageshipError', `${name} (${file}) does not extend ImageshipError`);
  }
});

test('ImageshipError keeps its cause and shows its hint after the message', () => {
  const cause = new Error('ECONNRESET');
  const error = new ImageshipError('could not read the manifest', { cause, hint: 'check the network' });
  assert.equal(error.cause, cause);
  assert.equal(error.userMessage, 'could not read the manifest: check the network');
  assert.deepEqual(causeChain(error), [error, cause]);
  assert.equal(new ImageshipError('plain').userMessage, 'plain');
});

test('a Docker config that cannot be read is a DockerConfigError that keeps the read error as its cause', async () => {
  const readError = Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
  const failure = await credentialsFromDockerConfig('registry.example', { DOCKER_CONFIG: '/nowhere' }, () => Promise.reject(readError)).then(
    () => undefined,
    (error: unknown) => error,
  );
  assert.ok(failure instanceof DockerConfigError);
  assert.ok(failure instanceof ImageshipError);
  assert.equal(failure.cause, readError);
});

test('a deploy step that fails is a DeployError that keeps the failure as its cause', async () => {
  const refused = new Error('CCE said no');
  const secrets = createSecretRegistry();
  const ports = {
    secrets,
    logger: { info: () => undefined, warn: () => undefined, debug: () => undefined, group: async <T>(_: string, body: () => Promise<T>) => body() },
    clock: { now: () => new Date() },
  } as unknown as Ports;
  const failure = await deployToTargets(
    {
      functionUrns: [],
      workloads: [{ namespace: 'web', kind: 'deployment', name: 'app', text: 'web/deployment/app' }],
      triggers: [],
      rolloutTimeoutMs: 1000,
      kubeContext: '',
      cceClusterId: 'c1',
      projectId: 'p1',
      region: 'cn-north-4',
      cciWorkloads: [],
      shareWith: [],
      repository: 'team/app',
      fcFunctions: [],
      saeAppIds: [],
      alibaba: undefined,
      acrInstanceId: '',
      huaweiClient: () => {
        throw refused;
      },
    },
    { registry: 'r.example', repository: 'o/app', tag: '1', digest: `sha256:${'a'.repeat(64)}`, reference: 'r.example/o/app:1', pinned: 'r.example/o/app:1' },
    ports,
    undefined,
  ).then(
    () => undefined,
    (error: unknown) => error,
  );
  assert.ok(failure instanceof DeployError);
  assert.equal(failure.message, 'CCE said no');
  assert.equal(failure.cause, refused);
  assert.deepEqual(failure.results, []);
});
