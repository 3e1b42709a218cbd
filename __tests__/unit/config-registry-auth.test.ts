/**
 * The `registry-auth` input: docker/login-action's list, parsed through the
 * real config parser and the real YAML library, every problem one line
 * naming the entry and the field, and nothing of the input's text (it holds
 * passwords) in any message.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { parseConfig } from '../../src/config/parse.js';
import { registryAuthSecrets, type YamlParser } from '../../src/config/parse-registry-auth.js';
import { ConfigError, type Config } from '../../src/config/types.js';
import { loadRegistryAuthParser } from '../../src/config/yaml-loader.js';
import { VALID_SWR_INPUTS } from '../helpers/config-input.js';

let yaml: YamlParser;
before(async () => {
  yaml = await loadRegistryAuthParser();
});

const GENERIC = { provider: 'generic', registry: 'registry.example.com', username: 'bot', password: 'bot-password-1', image: 'app', tags: 'latest' };
const HUAWEI_KEYS = { HUAWEICLOUD_SDK_AK: 'HPUATESTAK0000000001', HUAWEICLOUD_SDK_SK: 'TestSecretKey0000000000000000000000000000' };

function parse(inputs: Record<string, string>, env: Record<string, string> = {}): Config {
  return parseConfig((name) => inputs[name] ?? '', { env, cwd: '/work', yaml });
}

function problems(inputs: Record<string, string>, env: Record<string, string> = {}): readonly string[] {
  try {
    parse(inputs, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('registry-auth: valid lists', () => {
  test("login-action's shape: registry, username, password; no registry means Docker Hub", () => {
    const config = parse({
      ...GENERIC,
      'registry-auth': '- username: hubuser\n  password: hub-token-0001\n- registry: GHCR.io\n  username: octocat\n  password: "0123"\n',
    });
    assert.deepEqual(config.registryAuth.entries, [
      { index: 1, kind: 'password', registry: 'docker.io', username: 'hubuser', password: 'hub-token-0001' },
      { index: 2, kind: 'password', registry: 'ghcr.io', username: 'octocat', password: '0123' },
    ]);
    assert.equal(config.registryAuth.huaweiKeys, undefined, 'no cloud keys are kept when no entry needs them');
  });

  test('every value stays text: a password of digits or "true" is not turned into a number or a boolean', () => {
    const config = parse({ ...GENERIC, 'registry-auth': '- registry: a.example\n  username: u\n  password: 0123\n- registry: b.example\n  username: u\n  password: true\n' });
    assert.deepEqual(
      config.registryAuth.entries.map((entry) => entry.kind === 'password' && entry.password),
      ['0123', 'true'],
    );
  });

  test('a huaweicloud entry names its region and uses the step keys: swr.<region>.<domain>, or the registry given', () => {
    const config = parse({
      ...VALID_SWR_INPUTS,
      'registry-auth': '- provider: huaweicloud\n  region: cn-east-3\n- provider: huaweicloud\n  region: cn-north-4\n  registry: 127.0.0.1:5101\n',
    });
    assert.deepEqual(config.registryAuth.entries, [
      { index: 1, kind: 'huaweicloud', registry: 'swr.cn-east-3.myhuaweicloud.com', region: 'cn-east-3' },
      { index: 2, kind: 'huaweicloud', registry: '127.0.0.1:5101', region: 'cn-north-4' },
    ]);
    assert.deepEqual(config.registryAuth.huaweiKeys, { accessKey: VALID_SWR_INPUTS['access-key'], secretKey: VALID_SWR_INPUTS['secret-key'] });
  });

  test('a generic step with username/password may carry AK/SK for a huaweicloud entry (a private SWR base)', () => {
    const config = parse({
      ...GENERIC,
      'access-key': HUAWEI_KEYS.HUAWEICLOUD_SDK_AK,
      'secret-key': HUAWEI_KEYS.HUAWEICLOUD_SDK_SK,
      'registry-auth': '- provider: huaweicloud\n  region: cn-north-4\n  registry: 127.0.0.1:5101\n',
    });
    assert.equal(config.login.kind, 'password');
    assert.equal(config.registryAuth.huaweiKeys?.accessKey, HUAWEI_KEYS.HUAWEICLOUD_SDK_AK);
  });

  test('a huaweicloud entry on an Alibaba step takes env HUAWEICLOUD_SDK_AK/SK; an alibabacloud entry on a Huawei step takes env ALIBABA_CLOUD_*', () => {
    const alibabaStep = parse(
      { provider: 'alibabacloud', region: 'cn-hangzhou', username: 'u', password: 'acr-password-1', namespace: 'team', image: 'web', tags: 'latest', 'registry-auth': '- provider: huaweicloud\n  region: cn-north-4\n' },
      HUAWEI_KEYS,
    );
    assert.equal(alibabaStep.registryAuth.huaweiKeys?.secretKey, HUAWEI_KEYS.HUAWEICLOUD_SDK_SK);
    const huaweiStep = parse(
      { ...VALID_SWR_INPUTS, 'registry-auth': '- provider: alibabacloud\n  region: cn-hangzhou\n  instance-name: acme\n  instance-id: cri-abcdefgh12345678\n' },
      { ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAI5tTestKeyId00001', ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'TestAlibabaSecret000000000000' },
    );
    assert.deepEqual(huaweiStep.registryAuth.entries, [
      { index: 1, kind: 'alibabacloud', registry: 'acme-registry.cn-hangzhou.cr.aliyuncs.com', region: 'cn-hangzhou', edition: 'enterprise', instanceId: 'cri-abcdefgh12345678' },
    ]);
    assert.equal(huaweiStep.registryAuth.alibabaKeys?.accessKeyId, 'LTAI5tTestKeyId00001');
  });

  test('ecr: false is accepted (a plain login); an empty input means no entries and loads no parser', () => {
    assert.equal(parse({ ...GENERIC, 'registry-auth': '- registry: a.example\n  username: u\n  password: p-000001\n  ecr: false\n' }).registryAuth.entries.length, 1);
    const config = parseConfig((name) => ({ ...GENERIC } as Record<string, string>)[name] ?? '', { env: {}, cwd: '/work' });
    assert.deepEqual(config.registryAuth.entries, []);
  });
});

describe('registry-auth: every mistake is one line naming the entry and the field, before anything is done', () => {
  const cases: [string, string, RegExp][] = [
    ['an unknown key, with the key it resembles', '- registry: a.example\n  username: u\n  pasword: p-000001\n', /^registry-auth: entry 1, pasword: not a registry-auth key: did you mean password\?/],
    ['a missing password', '- registry: a.example\n  username: u\n', /^registry-auth: entry 1, password: missing: set the password or token for a\.example/],
    ['a missing username', '- registry: a.example\n  password: p-000001\n', /^registry-auth: entry 1, username: missing: set the user for a\.example$/],
    ['a duplicate registry', '- registry: a.example\n  username: u\n  password: p-000001\n- registry: A.example\n  username: v\n  password: p-000002\n', /^registry-auth: entry 2, registry: a\.example is already logged in by entry 1: keep one entry per registry$/],
    ['Docker Hub twice under two spellings', '- username: u\n  password: p-000001\n- registry: index.docker.io\n  username: v\n  password: p-000002\n', /^registry-auth: entry 2, registry: docker\.io is already logged in by entry 1/],
    ["the step's own registry", '- registry: Registry.Example.com\n  username: u\n  password: p-000001\n', /^registry-auth: entry 1, registry: registry\.example\.com is the step's own registry/],
    ['a registry with a scheme', '- registry: https://ghcr.io\n  username: u\n  password: p-000001\n', /^registry-auth: entry 1, registry: "https:\/\/ghcr\.io" must be host\[:port\] without a scheme: use "ghcr\.io"$/],
    ['scope (buildx-only logins)', '- registry: a.example\n  username: u\n  password: p-000001\n  scope: org/app@push\n', /^registry-auth: entry 1, scope: not supported/],
    ['an ECR host without ecr: false', '- registry: 012345678901.dkr.ecr.eu-west-3.amazonaws.com\n  username: AKIA\n  password: p-000001\n', /^registry-auth: entry 1, ecr: imageship does not exchange AWS keys/],
    ['logout inside an entry', '- registry: a.example\n  username: u\n  password: p-000001\n  logout: false\n', /^registry-auth: entry 1, logout: not an entry key: logout is the step's input/],
    ['a provider alias', '- provider: huawei\n  region: cn-north-4\n', /^registry-auth: entry 1, provider: "huawei" is not supported: use huaweicloud$/],
    ['a provider entry with a password', '- provider: huaweicloud\n  region: cn-north-4\n  password: p-000001\n', /^registry-auth: entry 1, password: provider huaweicloud logs in with the step's credentials: remove password/],
    ['a provider entry without region', '- provider: huaweicloud\n', /^registry-auth: entry 1, region: required for provider huaweicloud/],
    ['a scalar entry', '- just-a-string\n', /^registry-auth: entry 1 is not a mapping/],
    ['a mapping instead of a list', 'registry: a.example\nusername: u\npassword: p-000001\n', /^registry-auth: not a YAML list: start each entry with "- "/],
    ['a list as a value', '- registry: [a.example, b.example]\n  username: u\n  password: p-000001\n', /^registry-auth: entry 1, registry: must be a single value/],
  ];
  for (const [what, text, expected] of cases) {
    test(what, () => {
      // Provider entries get Huawei keys in the env, so they are judged on their own fields.
      const found = problems({ ...GENERIC, 'registry-auth': text }, text.includes('provider:') ? HUAWEI_KEYS : {});
      assert.equal(found.length, 1, found.join('\n'));
      assert.match(found[0] ?? '', expected);
    });
  }

  test('an entry for a host that replicate-credentials also names: one line, which login goes there is not guessed', () => {
    const found = problems({
      ...GENERIC,
      'replicate-to': 'c.example/team/app',
      'replicate-credentials': 'c.example',
      'registry-auth': '- registry: c.example\n  username: u\n  password: p-000001\n',
    });
    assert.deepEqual(found, ["registry-auth: entry 1, registry: c.example is also in replicate-credentials, which sends the step's login there: remove it from one of them"]);
  });

  test('an alibabacloud Enterprise entry without instance-id, and a huaweicloud entry without keys anywhere', () => {
    assert.match(
      problems({ ...VALID_SWR_INPUTS, 'registry-auth': '- provider: alibabacloud\n  region: cn-hangzhou\n  instance-name: acme\n' }, { ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAI5tTestKeyId00001', ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'TestAlibabaSecret000000000000' })[0] ?? '',
      /^registry-auth: entry 1, instance-id: required for an Enterprise Edition instance/,
    );
    assert.deepEqual(problems({ ...GENERIC, 'registry-auth': '- provider: huaweicloud\n  region: cn-north-4\n' }), [
      "registry-auth: entry 1, provider: huaweicloud entries log in with the step's Huawei Cloud keys: set access-key and secret-key (or env HUAWEICLOUD_SDK_AK/HUAWEICLOUD_SDK_SK)",
    ]);
  });

  test('malformed YAML: one line with the position, none of the text (a password near the error is not printed)', () => {
    const secret = 'Sup3r-Secret-Token-9f8e7d';
    for (const text of [
      `- registry: a.example\n  username: u\n  password: ${secret}\n bad: indent\n`,
      `- registry: a.example\n  password: "${secret}\n`,
      `- registry: a.example\n  password: ${secret}\n  password: ${secret}x\n`,
      `- {registry: a.example, password: ${secret}\n`,
    ]) {
      const found = problems({ ...GENERIC, 'registry-auth': text });
      assert.equal(found.length, 1, found.join('\n'));
      assert.match(found[0] ?? '', /^registry-auth: (not valid YAML \([a-z ]+\)|a key appears twice in one entry) at line \d, column \d+: /);
      assert.ok(!found[0]?.includes(secret.slice(0, 8)), found[0]);
      assert.ok(!found[0]?.includes('a.example'), 'no text of the input at all');
    }
  });

  test('problems of several entries are all reported at once, with the other inputs\' problems', () => {
    const found = problems({ ...GENERIC, image: '', 'registry-auth': '- registry: a.example\n  username: u\n- registry: b.example\n  password: p-000001\n' });
    assert.deepEqual(found.filter((line) => line.startsWith('registry-auth')).map((line) => line.slice(0, 33)), ['registry-auth: entry 1, password:', 'registry-auth: entry 2, username:']);
    assert.ok(found.some((line) => line.startsWith('image:')));
  });

  test('a library caller who sets registry-auth without the parser is told how to pass it', () => {
    assert.throws(
      () => parseConfig((name) => ({ ...GENERIC, 'registry-auth': '- registry: a.example\n' } as Record<string, string>)[name] ?? '', { env: {}, cwd: '/work' }),
      (error: unknown) => error instanceof ConfigError && /^registry-auth: the YAML parser is not loaded: await loadRegistryAuthParser\(\)/.test(error.problems[0] ?? ''),
    );
  });
});

describe('registry-auth: the values to mask, found without parsing', () => {
  test('passwords and unknown keys\' values, quoted or not; plain keys are not masked', () => {
    const text = '- registry: ghcr.io\n  username: octocat\n  password: "ghp_0123456789abcdef"\n- registry: b.example\n  username: bob\n  passwd: hunter2-hunter2\n';
    const found = registryAuthSecrets(text);
    assert.ok(found.includes('ghp_0123456789abcdef'));
    assert.ok(found.includes('hunter2-hunter2'));
    assert.ok(!found.includes('ghcr.io') && !found.includes('octocat'));
  });

  test('malformed input: a line that is not key: value is masked whole', () => {
    const found = registryAuthSecrets('- registry: ghcr.io\n  password:\n    tok-0123456789-continued\n  {broken: s3cr3t-value-1}\n');
    assert.ok(found.includes('tok-0123456789-continued'));
    assert.ok(found.includes('{broken: s3cr3t-value-1}'));
    assert.ok(registryAuthSecrets('- registry: a\n  password: "unclosed-Quote-Pass\n').includes('unclosed-Quote-Pass'));
  });
});
