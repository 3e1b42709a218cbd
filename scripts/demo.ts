/**
 * `npm run demo`: the main job end to end on the local test bed. Runs the
 * committed dist/ exactly as the GitHub runner would (INPUT_* env, file
 * commands, then the post step) to build examples/app and push it to a local
 * registry that only accepts the SWR login derived from the test AK/SK.
 */
import { listTags, manifestDigest } from '../__tests__/helpers/registry-api.js';
import { ghContextForTag, runMainThenPost } from '../__tests__/helpers/runner.js';
import { loadTestbed } from '../__tests__/helpers/testbed.js';
import { sampleAppWorkspace } from '../__tests__/helpers/workspace.js';

const bed = loadTestbed();
const namespace = 'demo-org';
const sha = '8d5f1c0b2a7e4f3d9c6b1a0e2f4d6c8b0a1e3f5d';

const run = await runMainThenPost({
  inputs: {
    region: bed.region,
    'access-key': bed.ak,
    'secret-key': bed.sk,
    registry: bed.swrRegistry,
    namespace,
    image: 'sample-app',
    tags: 'latest\ntype=sha\ntype=semver,pattern={{version}}\ntype=semver,pattern={{major}}.{{minor}}',
    'build-args': `BASE_IMAGE=${bed.baseImage}`,
  },
  workdir: sampleAppWorkspace(),
  github: ghContextForTag('v1.4.2', sha),
});

console.log('──── main step log (as the runner shows it) ────');
console.log(run.main.maskedLog.trimEnd());
console.log('──── post step log ────');
console.log(run.post.maskedLog.trimEnd());
console.log('──── outputs ────');
for (const [name, value] of Object.entries(run.main.outputs)) console.log(`${name}: ${value.replace(/\n/g, '\n  ')}`);

if (run.main.exitCode !== 0 || run.post.exitCode !== 0) {
  console.error(`demo: the action failed (main exit ${run.main.exitCode}, post exit ${run.post.exitCode})`);
  process.exit(1);
}
const auth = { username: bed.username, password: bed.derivedPassword };
const repository = `${namespace}/sample-app`;
console.log('──── read back from the registry API ────');
for (const tag of await listTags(bed.swrRegistry, repository, auth)) {
  console.log(`${bed.swrRegistry}/${repository}:${tag} → ${await manifestDigest(bed.swrRegistry, repository, tag, auth)}`);
}
console.log(`demo: done. The image runs with: docker run --rm -p 127.0.0.1:8080:8080 ${bed.swrRegistry}/${repository}:latest (after docker login)`);
