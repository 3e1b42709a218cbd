import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { readOptions } from '../../src/config/parse.js';
import { OPTIONS } from '../../src/config/schema.js';
import { parseInputs, problemsFor, VALID_SWR_INPUTS } from '../helpers/config-input.js';

describe('parseConfig: valid inputs', () => {
  test('SWR inputs give the derived registry, repository and AK/SK login', () => {
    const config = parseInputs({ ...VALID_SWR_INPUTS });
    assert.equal(config.provider, 'huaweicloud');
    assert.equal(config.registry, 'swr.cn-north-4.myhuaweicloud.com');
    assert.equal(config.repository, 'my-org/my-app');
    assert.equal(config.destination, 'swr.cn-north-4.myhuaweicloud.com/my-org/my-app');
    assert.deepEqual(config.login, {
      kind: 'swr-aksk',
      region: 'cn-north-4',
      accessKey: 'HPUATESTAK0000000001',
      secretKey: 'TestSecretKey0000000000000000000000000000',
    });
    assert.equal(config.push, true);
    assert.equal(config.dryRun, false);
    assert.equal(config.logout, true);
    assert.equal(config.build.context, '/work');
    assert.equal(config.build.dockerfile, '/work/Dockerfile');
    assert.equal(config.build.dockerfileGiven, false);
  });

  test('the registry input overrides the derived host; domain changes it', () => {
    assert.equal(parseInputs({ ...VALID_SWR_INPUTS, registry: '127.0.0.1:5101' }).registry, '127.0.0.1:5101');
    assert.equal(parseInputs({ ...VALID_SWR_INPUTS, domain: 'myhuaweicloud.eu' }).registry, 'swr.cn-north-4.myhuaweicloud.eu');
  });

  test('AK/SK fall back to HUAWEICLOUD_SDK_AK / HUAWEICLOUD_SDK_SK', () => {
    const { 'access-key': ak, 'secret-key': sk, ...rest } = VALID_SWR_INPUTS;
    const config = parseInputs(rest, { HUAWEICLOUD_SDK_AK: ak ?? '', HUAWEICLOUD_SDK_SK: sk ?? '' });
    assert.equal(config.login.kind, 'swr-aksk');
  });

  test('an explicit input wins over the env fallback', () => {
    const config = parseInputs({ ...VALID_SWR_INPUTS }, { HUAWEICLOUD_SDK_AK: 'OTHERAKOTHERAK000000' });
    assert.equal(config.login.kind === 'swr-aksk' && config.login.accessKey, 'HPUATESTAK0000000001');
  });

  test('generic provider with username/password and no namespace', () => {
    const config = parseInputs({ provider: 'generic', registry: 'Registry.Example.com:5000', username: 'bot', password: 'pw-123456', image: 'team/app' });
    assert.equal(config.registry, 'registry.example.com:5000');
    assert.equal(config.repository, 'team/app');
    assert.deepEqual(config.login, { kind: 'password', username: 'bot', password: 'pw-123456' });
  });

  test('generic provider without credentials is an anonymous login', () => {
    assert.equal(parseInputs({ provider: 'generic', registry: '127.0.0.1:5102', image: 'app' }).login.kind, 'anonymous');
  });

  test('build settings: paths, args, labels, platforms, flags', () => {
    const config = parseInputs(
      {
        ...VALID_SWR_INPUTS,
        context: 'app',
        dockerfile: 'docker/Dockerfile.prod',
        'build-args': 'A=1\nURL=http://x/?a=b=c\n# comment\n',
        labels: 'team=web\norg.example.owner=ops',
        platforms: 'linux/amd64, linux/arm64\nlinux/arm/v7',
        'no-cache': 'true',
        pull: 'TRUE',
        'cache-from': 'type=registry,ref=x/y:cache',
        target: 'runtime',
      },
      {},
      '/ws',
    );
    assert.equal(config.build.context, '/ws/app');
    assert.equal(config.build.dockerfile, '/ws/docker/Dockerfile.prod');
    assert.deepEqual(config.build.buildArgs, [['A', '1'], ['URL', 'http://x/?a=b=c']]);
    assert.deepEqual(config.build.labels, [['team', 'web'], ['org.example.owner', 'ops']]);
    assert.deepEqual(config.build.platforms, ['linux/amd64', 'linux/arm64', 'linux/arm/v7']);
    assert.equal(config.build.noCache, true);
    assert.equal(config.build.pull, true);
    assert.equal(config.build.target, 'runtime');
    assert.deepEqual(config.build.cacheFrom, ['type=registry,ref=x/y:cache']);
    assert.equal(config.build.dockerfileGiven, true);
  });
});

describe('parseConfig: the schema drives defaults', () => {
  test('every option with a default gets it when the input is empty', () => {
    const values = readOptions(() => '', { env: {}, cwd: '/' });
    for (const option of OPTIONS) assert.equal(values.get(option.name), option.default ?? '', option.name);
  });
});
