import assert from 'node:assert/strict';
import { test } from 'node:test';
import { problemsFor, VALID_SWR_INPUTS } from '../helpers/config-input.js';

/**
 * Each bad input gives exactly one line that names the input and says how
 * to fix it. [inputs, env, the input named, a phrase of the fix]
 */
const CASES: ReadonlyArray<readonly [string, Record<string, string>, string, RegExp]> = [
  ['unknown provider', { ...VALID_SWR_INPUTS, provider: 'aws' }, 'provider', /use one of huaweicloud, alibabacloud, generic/],
  ['uppercase region', { ...VALID_SWR_INPUTS, region: 'CN-North-4' }, 'region', /use "cn-north-4"/],
  ['region that is not an id', { ...VALID_SWR_INPUTS, region: 'beijing' }, 'region', /such as cn-north-4/],
  ['missing region', { ...VALID_SWR_INPUTS, region: '' }, 'region', /set region/],
  ['missing AK and SK', { ...VALID_SWR_INPUTS, 'access-key': '', 'secret-key': '' }, 'access-key', /from secrets/],
  ['AK without SK', { ...VALID_SWR_INPUTS, 'secret-key': '' }, 'secret-key', /set secret-key/],
  ['SK without AK', { ...VALID_SWR_INPUTS, 'access-key': '' }, 'access-key', /set access-key/],
  ['AK with a space', { ...VALID_SWR_INPUTS, 'access-key': 'HPUA TESTAK0000000001' }, 'access-key', /without spaces or quotes/],
  ['AK and SK swapped', { ...VALID_SWR_INPUTS, 'access-key': 'TestSecretKey0000000000000000000000000000', 'secret-key': 'HPUATESTAK0000000001' }, 'access-key', /swapped/],
  ['SK with a quote', { ...VALID_SWR_INPUTS, 'secret-key': '"TestSecretKey0000000000000000000000000000"' }, 'secret-key', /without spaces or quotes/],
  ['AK/SK and username/password', { ...VALID_SWR_INPUTS, username: 'u', password: 'p' }, 'username', /not both/],
  ['password without username', { provider: 'generic', registry: 'r.example.com', image: 'a', password: 'x' }, 'username', /set username/],
  ['username without password', { provider: 'generic', registry: 'r.example.com', image: 'a', username: 'x' }, 'password', /set password/],
  ['AK/SK with generic provider', { ...VALID_SWR_INPUTS, provider: 'generic', registry: 'r.example.com' }, 'access-key', /provider: huaweicloud/],
  ['generic without registry', { provider: 'generic', image: 'a' }, 'registry', /set the registry/],
  ['registry with a scheme', { ...VALID_SWR_INPUTS, registry: 'https://swr.cn-north-4.myhuaweicloud.com' }, 'registry', /without a scheme/],
  ['missing namespace on SWR', { ...VALID_SWR_INPUTS, namespace: '' }, 'namespace', /set the organization/],
  ['namespace starting with a digit', { ...VALID_SWR_INPUTS, namespace: '1org' }, 'namespace', /start with a lowercase letter/],
  ['uppercase namespace', { ...VALID_SWR_INPUTS, namespace: 'MyOrg' }, 'namespace', /use "myorg"/],
  ['namespace with adjacent separators', { ...VALID_SWR_INPUTS, namespace: 'my-.org' }, 'namespace', /adjacent separators/],
  ['namespace ending with a separator', { ...VALID_SWR_INPUTS, namespace: 'my-org-' }, 'namespace', /end with a letter or digit/],
  ['namespace of 65 characters', { ...VALID_SWR_INPUTS, namespace: `a${'b'.repeat(64)}` }, 'namespace', /1 to 64/],
  ['missing image', { ...VALID_SWR_INPUTS, image: '' }, 'image', /set the image name/],
  ['image with a tag', { ...VALID_SWR_INPUTS, image: 'app:1.0' }, 'image', /is a name with a tag, but image takes only the repository name.*: use image: app and tags: 1\.0$/],
  ['image with an empty path part', { ...VALID_SWR_INPUTS, image: 'team//app' }, 'image', /extra "\/"/],
  ['boolean typo', { ...VALID_SWR_INPUTS, push: 'ture' }, 'push', /use true or false/],
  ['dry-run typo', { ...VALID_SWR_INPUTS, 'dry-run': 'yes' }, 'dry-run', /use true or false/],
  ['build-arg without =', { ...VALID_SWR_INPUTS, 'build-args': 'VERSION' }, 'build-args', /NAME=value/],
  ['build-arg carrying the SK', { ...VALID_SWR_INPUTS, 'build-args': 'KEY=TestSecretKey0000000000000000000000000000' }, 'build-args', /build secret/],
  ['label without a name', { ...VALID_SWR_INPUTS, labels: '=x' }, 'labels', /name=value/],
  ['bad platform', { ...VALID_SWR_INPUTS, platforms: 'amd64' }, 'platforms', /os\/arch/],
  ['several platforms without push', { ...VALID_SWR_INPUTS, platforms: 'linux/amd64,linux/arm64', push: 'false' }, 'platforms', /push: true/],
  ['unknown tag rule type', { ...VALID_SWR_INPUTS, tags: 'type=branch' }, 'tags', /^tags: rule `type=branch`: has unknown type/],
  ['bad target', { ...VALID_SWR_INPUTS, target: 'my stage' }, 'target', /stage name/],
];

for (const [name, inputs, input, fix] of CASES) {
  test(`bad input: ${name}`, () => {
    const problems = problemsFor(inputs);
    const mine = problems.filter((problem) => problem.startsWith(`${input}:`));
    assert.equal(mine.length, 1, `expected one "${input}:" problem, got ${JSON.stringify(problems)}`);
    assert.match(mine[0] ?? '', fix);
    assert.ok(!(mine[0] ?? '').includes('\n'), 'one line');
  });
}

test('all problems are reported at once', () => {
  const problems = problemsFor({ region: 'X', namespace: '9', image: 'A', push: 'maybe' });
  for (const input of ['region', 'namespace', 'image', 'push', 'access-key']) {
    assert.ok(problems.some((problem) => problem.startsWith(`${input}:`)), `${input} in ${JSON.stringify(problems)}`);
  }
});

test('no problem message ever contains the secret key', () => {
  const sk = 'TestSecretKey0000000000000000000000000000';
  const problems = problemsFor({ ...VALID_SWR_INPUTS, 'build-args': `KEY=${sk}`, region: 'nowhere' });
  assert.ok(problems.length >= 2);
  for (const problem of problems) assert.ok(!problem.includes(sk), problem);
});
