/**
 * Bad registry-to-registry inputs through the bundled action: one clear
 * line, exit 1, nothing pushed, no SWR API call.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { catalog } from '../helpers/registry-api.js';
import { ghContextForBranch, runAction } from '../helpers/runner.js';
import { loadTestbed } from '../helpers/testbed.js';
import { sampleAppWorkspace } from '../helpers/workspace.js';
import { startSwrApiStandIn } from '../standins/swr-api.js';

const bed = loadTestbed();
const NAMESPACE = 'e2e-bad-copy-inputs';
const auth = { username: bed.username, password: bed.derivedPassword };
const DIGEST = `sha256:${'a'.repeat(64)}`;
let api: Awaited<ReturnType<typeof startSwrApiStandIn>>;

before(async () => {
  api = await startSwrApiStandIn({ ak: bed.ak, sk: bed.sk, region: bed.region });
});
after(() => api.close());

const good = (): Record<string, string> => ({
  region: bed.region,
  'access-key': bed.ak,
  'secret-key': bed.sk,
  registry: bed.swrRegistry,
  namespace: NAMESPACE,
  image: 'app',
  tags: 'latest',
  endpoints: `swr-api=${api.url}`,
  'source-image': `${bed.baseImage}`,
});

const CASES: ReadonlyArray<readonly [string, Record<string, string>, RegExp]> = [
  ['unparsable source-image', { 'source-image': 'Not A Reference!' }, /^source-image: /],
  ['source-image with a Dockerfile build input', { dockerfile: 'Dockerfile.prod' }, /^dockerfile: only applies to builds, but source-image pushes an existing image unchanged/],
  ['source-image with build-args', { 'build-args': 'A=1' }, /^build-args: only applies to builds/],
  ['source-image with labels', { labels: 'team=x' }, /^labels: only applies to builds/],
  ['source-image with merge-digests', { 'merge-digests': DIGEST }, /^source-image: cannot be combined with merge-digests/],
  ['source-image with push false', { push: 'false' }, /^push: false, but source-image only pushes/],
  ['source-password without source-username', { 'source-password': 'pw-123456' }, /^source-username: missing while source-password is set/],
  ['source credentials without a source image', { 'source-image': '', 'build-args': `BASE_IMAGE=${bed.baseImage}`, 'source-username': 'u', 'source-password': 'pw-123456' }, /^source-username: set, but there is no source-image/],
  ['merge-digests that is not a digest', { 'source-image': '', 'merge-digests': 'sha256:nothex' }, /^merge-digests: "sha256:nothex" is not a digest/],
  ['merge-digests listed twice', { 'source-image': '', 'merge-digests': `${DIGEST}\n${DIGEST}` }, /^merge-digests: .* is listed twice/],
  ['replicate-to with a tag', { 'replicate-to': `${bed.anonRegistry}/mirror/app:1` }, /^replicate-to: .* names a tag or digest/],
  ['replicate-to the destination itself', { 'replicate-to': `${bed.swrRegistry}/${NAMESPACE}/app` }, /^replicate-to: .* is the destination itself/],
  ['retention that keeps nothing', { retention: 'keep-last=0' }, /^retention: /],
  ['retention with an unknown key', { retention: 'keep=3' }, /^retention: /],
  ['retention with a bad regex', { retention: 'keep-last=3 tag-pattern=(' }, /^retention: /],
  ['unknown login-mode', { 'login-mode': 'forever' }, /^login-mode: "forever" is not supported/],
  ['temporary login on a generic registry', { provider: 'generic', 'access-key': '', 'secret-key': '', 'login-mode': 'temporary' }, /^login-mode: uses the SWR API, so it needs provider: huaweicloud/],
  ['push-by-digest without buildx', { 'source-image': '', 'build-args': `BASE_IMAGE=${bed.baseImage}`, 'push-by-digest': 'true' }, /^push-by-digest: needs docker buildx/],
  ['push-by-digest with source-image', { 'push-by-digest': 'true' }, /^push-by-digest: pushes a build, but source-image builds nothing/],
  ['create-namespace without AK/SK', { 'access-key': '', 'secret-key': '', username: bed.username, password: bed.derivedPassword, 'create-namespace': 'true' }, /^create-namespace: the SWR API is signed with access-key\/secret-key/],
];

for (const [name, override, expected] of CASES) {
  test(`bad copy input through the action: ${name}`, async () => {
    const result = await runAction({ inputs: { ...good(), ...override }, workdir: sampleAppWorkspace(), github: ghContextForBranch('main', 'd'.repeat(40)) });
    assert.equal(result.exitCode, 1, result.stdout);
    const errors = result.stdout.split('\n').filter((line) => line.startsWith('::error::')).map((line) => line.slice('::error::'.length));
    assert.ok(errors.some((line) => expected.test(line)), `expected ${expected} among ${JSON.stringify(errors)}`);
    assert.equal(api.calls.length, 0, 'no SWR API call');
    assert.deepEqual(result.argv.filter((argv) => ['login', 'build', 'push', 'pull', 'tag'].includes(argv[0] ?? '')), []);
  });
}

test('nothing was pushed by any of the bad copy inputs', async () => {
  assert.deepEqual((await catalog(bed.swrRegistry, auth)).filter((repo) => repo.startsWith(`${NAMESPACE}/`)), []);
});
