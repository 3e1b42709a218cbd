import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildCommand } from '../../src/build/build-command.js';
import type { BuildSettings } from '../../src/config/types.js';
import { plainBuildSettings } from '../helpers/build-settings.js';

const settings: BuildSettings = { ...plainBuildSettings, buildArgs: [['VERSION', '1.0 beta; rm -rf /']] };

test('classic builder: argv array with --iidfile and DOCKER_BUILDKIT=0; values are single argv entries, never shell text', () => {
  const command = buildCommand({ builder: 'classic', settings, references: ['r/o/a:1', 'r/o/a:latest'], labels: [['k', 'v w']], push: true, resultFile: '/tmp/id' });
  assert.deepEqual(command.args, [
    'build', '--file', '/ws/app/Dockerfile', '--tag', 'r/o/a:1', '--tag', 'r/o/a:latest', '--label', 'k=v w',
    '--build-arg', 'VERSION=1.0 beta; rm -rf /', '--force-rm', '--iidfile', '/tmp/id', '/ws/app',
  ]);
  assert.deepEqual(command.env, { DOCKER_BUILDKIT: '0' });
  assert.equal(command.pushesItself, false);
});

test('classic builder: target, no-cache, pull, cache-from', () => {
  const command = buildCommand({
    builder: 'classic',
    settings: { ...settings, buildArgs: [], target: 'runtime', noCache: true, pull: true, cacheFrom: ['r/o/a:latest'] },
    references: ['r/o/a:1'],
    labels: [],
    push: false,
    resultFile: '/tmp/id',
  });
  assert.deepEqual(command.args, ['build', '--file', '/ws/app/Dockerfile', '--tag', 'r/o/a:1', '--target', 'runtime', '--no-cache', '--pull', '--cache-from', 'r/o/a:latest', '--force-rm', '--iidfile', '/tmp/id', '/ws/app']);
});

test('buildx: platforms, cache-to, metadata file, and it pushes itself', () => {
  const command = buildCommand({
    builder: 'buildx',
    settings: { ...settings, buildArgs: [], platforms: ['linux/amd64', 'linux/arm64'], cacheTo: ['type=inline'] },
    references: ['r/o/a:1'],
    labels: [],
    push: true,
    resultFile: '/tmp/meta.json',
  });
  assert.deepEqual(command.args, [
    'buildx', 'build', '--file', '/ws/app/Dockerfile', '--tag', 'r/o/a:1', '--platform', 'linux/amd64,linux/arm64',
    '--cache-to', 'type=inline', '--metadata-file', '/tmp/meta.json', '--push', '--provenance=false', '/ws/app',
  ]);
  assert.equal(command.pushesItself, true);
  assert.deepEqual(command.env, {});
});

test('buildx without push loads the image locally', () => {
  const command = buildCommand({ builder: 'buildx', settings: { ...settings, buildArgs: [] }, references: ['r/o/a:1'], labels: [], push: false, resultFile: '/m' });
  assert.ok(command.args.includes('--load'));
  assert.ok(!command.args.includes('--push'));
  assert.equal(command.pushesItself, false);
});

test('buildx push by digest: no --tag, an image output with push-by-digest, no --push', () => {
  const command = buildCommand({
    builder: 'buildx',
    settings: { ...settings, buildArgs: [], platforms: ['linux/arm64'] },
    references: ['r/o/a:1'],
    labels: [],
    push: true,
    pushByDigest: true,
    destination: 'r/o/a',
    resultFile: '/m',
  });
  assert.ok(!command.args.includes('--tag'));
  assert.ok(!command.args.includes('--push'));
  const output = command.args[command.args.indexOf('--output') + 1];
  assert.equal(output, 'type=image,name=r/o/a,push-by-digest=true,name-canonical=true,push=true');
  assert.equal(command.pushesItself, true);
});
