/**
 * Bad input through the bundled action: one `::error::` line naming the input
 * and the fix, exit code 1, and nothing logged in, built or pushed — checked
 * in the docker argv log and in the registry's catalog.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { catalog } from '../helpers/registry-api.js';
import { ghContextForBranch, runAction } from '../helpers/runner.js';
import { findSecrets } from '../helpers/secret-scan.js';
import { loadTestbed, type Testbed } from '../helpers/testbed.js';
import { sampleAppWorkspace } from '../helpers/workspace.js';
import { tempDir } from '../helpers/temp-dir.js';

let bed: Testbed;
let catalogBefore: string[];
let auth: { username: string; password: string };
const NAMESPACE = 'e2e-bad-inputs';

before(async () => {
  bed = loadTestbed();
  auth = { username: bed.username, password: bed.derivedPassword };
  catalogBefore = await catalog(bed.swrRegistry, auth);
});


const good = (): Record<string, string> => ({
  region: bed.region,
  'access-key': bed.ak,
  'secret-key': bed.sk,
  registry: bed.swrRegistry,
  namespace: NAMESPACE,
  image: 'app',
  tags: 'latest',
  'build-args': `BASE_IMAGE=${bed.baseImage}`,
});

function lowercaseDockerfileWorkspace(): string {
  const dir = tempDir('imageship-ws-');
  writeFileSync(join(dir, 'dockerfile'), 'FROM scratch\n');
  return dir;
}

/** [name, inputs overriding the good ones, expected error line (regex on the text after ::error::)] */
const CASES: ReadonlyArray<readonly [string, () => Record<string, string>, RegExp, (() => string)?]> = [
  ['unknown provider', () => ({ provider: 'aliyun' }), /^provider: "aliyun" is not supported: use alibabacloud \(the providers are huaweicloud, alibabacloud, generic\)$/],
  ['uppercase region', () => ({ region: 'CN-NORTH-4' }), /^region: "CN-NORTH-4" must be lowercase: use "cn-north-4"$/],
  ['missing secret key', () => ({ 'secret-key': '' }), /^secret-key: missing while access-key is set/],
  ['AK and SK swapped', () => ({ 'access-key': bed.sk, 'secret-key': bed.ak }), /^access-key: looks like a secret key: access-key and secret-key seem swapped$/],
  ['namespace starting with a digit', () => ({ namespace: '9lives' }), /^namespace: "9lives" must start with a lowercase letter$/],
  ['uppercase image', () => ({ image: 'MyApp' }), /^image: "MyApp" must be lowercase: use "myapp"$/],
  ['unknown tag rule type', () => ({ tags: 'type=bogus' }), /^tags: rule `type=bogus`: .*type/],
  ['unknown template', () => ({ tags: 'type=raw,value={{nope}}' }), /^tags: rule `type=raw,value=\{\{nope\}\}`: .*\{\{nope\}\}/],
  ['boolean typo', () => ({ push: 'ture' }), /^push: "ture" is not a boolean: use true or false$/],
  ['platforms without buildx', () => ({ platforms: 'linux/amd64,linux/arm64' }), /^platforms: needs docker buildx/],
  ['cache-to without buildx', () => ({ 'cache-to': 'type=inline' }), /^cache-to: needs docker buildx/],
  ['buildx cache-from without buildx', () => ({ 'cache-from': 'type=registry,ref=x/y:cache' }), /^cache-from: "type=registry,ref=x\/y:cache" is a buildx cache source/],
  ['missing dockerfile path', () => ({ dockerfile: 'docker/Dockerfile.prod' }), /^dockerfile: "docker\/Dockerfile.prod" not found/],
  ['dockerfile differing only in case', () => ({}), /^dockerfile: "Dockerfile" not found, but "dockerfile" exists: file names are case-sensitive/, lowercaseDockerfileWorkspace],
  ['missing context', () => ({ context: 'services/api' }), /^context: directory "services\/api" does not exist/],
  ['build-arg without a value', () => ({ 'build-args': 'NOVALUE' }), /^build-args: "NOVALUE" is not NAME=value/],
  ['registry with a scheme', () => ({ registry: `http://${bed.swrRegistry}` }), /^registry: .* must be host\[:port\] without a scheme/],
  ['generic provider without registry', () => ({ provider: 'generic', registry: '', 'access-key': '', 'secret-key': '' }), /^registry: required for provider generic/],
  ['username without password', () => ({ provider: 'generic', 'access-key': '', 'secret-key': '', username: 'bot' }), /^password: missing while username is set/],
  ['both login kinds', () => ({ username: 'bot', password: 'secret-pw-1' }), /^username: give either access-key\/secret-key .* not both/],
  ['full reference to another repository', () => ({ tags: 'docker.io/other/app:1.0' }), /^tags: .*docker\.io\/other\/app/],
  ['no tag applies to the build', () => ({ tags: 'type=ref,event=tag' }), /^tags: no tag applies to this build/],
  ['label without a name', () => ({ labels: '=oops' }), /^labels: "=oops" is not name=value/],
  ['dry-run typo', () => ({ 'dry-run': 'yes please' }), /^dry-run: "yes please" is not a boolean/],
  ['SK inside a build arg', () => ({ 'build-args': `TOKEN=${bed.sk}` }), /^build-args: TOKEN holds the secret-key/],
];

for (const [name, override, expected, workspace] of CASES) {
  test(`bad input through the action: ${name}`, async () => {
    const result = await runAction({
      inputs: { ...good(), ...override() },
      workdir: (workspace ?? sampleAppWorkspace)(),
      github: ghContextForBranch('main', '0123abcd4567ef890123abcd4567ef890123abcd'),
    });
    assert.equal(result.exitCode, 1, result.stdout);
    const errors = result.stdout.split('\n').filter((line) => line.startsWith('::error::')).map((line) => line.slice('::error::'.length));
    assert.ok(errors.some((line) => expected.test(line)), `expected ${expected} among ${JSON.stringify(errors)}`);
    const sideEffects = result.argv.filter((argv) => ['login', 'build', 'push', 'tag'].includes(argv[0] ?? '') || argv[1] === 'build');
    assert.deepEqual(sideEffects, [], 'nothing logged in, built or pushed');
    assert.deepEqual(findSecrets({ stdout: result.stdout, stderr: result.stderr }, [bed.sk]), [], 'the SK is never echoed');
    assert.deepEqual(result.state['registry'] ?? '', '', 'no login recorded for the post step');
  });
}

// Runs last (tests in a file run in order). Other files may push their own
// repositories meanwhile, so the check is on this file's namespace.
test('the registry never received anything from the bad-input runs', async () => {
  const now = await catalog(bed.swrRegistry, auth);
  assert.deepEqual(now.filter((repo) => repo.startsWith(`${NAMESPACE}/`)), []);
  assert.deepEqual(catalogBefore.filter((repo) => repo.startsWith(`${NAMESPACE}/`)), []);
});
