/**
 * `npm run demo`: the main job end to end on the local test bed. Runs the
 * committed dist/ exactly as the GitHub runner would (INPUT_* env, file
 * commands, then the post step) to build examples/app and push it to a local
 * registry that only accepts the SWR login derived from the test AK/SK.
 * Prints the step logs as the runner's log viewer shows them, a table of what
 * was pushed (read back from the registry), and the README's "Try it locally"
 * commands to do the same with the CLI. IMAGESHIP_DEMO_NAMESPACE picks the
 * organization (default demo-org).
 */
import { listTags, manifestDigest } from '../__tests__/helpers/registry-api.js';
import { readmeCommands } from '../__tests__/helpers/readme.js';
import { ghContextForTag, runMainThenPost } from '../__tests__/helpers/runner.js';
import { renderRunnerLog } from '../__tests__/helpers/runner-view.js';
import { loadTestbed } from '../__tests__/helpers/testbed.js';
import { sampleAppWorkspace } from '../__tests__/helpers/workspace.js';

const bed = loadTestbed();
const namespace = process.env['IMAGESHIP_DEMO_NAMESPACE'] || 'demo-org';
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
console.log(renderRunnerLog(run.main.maskedLog).trimEnd());
console.log('──── post step log (as the runner shows it) ────');
console.log(renderRunnerLog(run.post.maskedLog).trimEnd());
console.log('──── outputs ────');
for (const [name, value] of Object.entries(run.main.outputs)) console.log(`${name}: ${value.replace(/\n/g, '\n  ')}`);

if (run.main.exitCode !== 0 || run.post.exitCode !== 0) {
  console.error(`demo: the action failed (main exit ${run.main.exitCode}, post exit ${run.post.exitCode})`);
  process.exit(1);
}
const auth = { username: bed.username, password: bed.derivedPassword };
const repository = `${namespace}/sample-app`;
console.log(`──── pushed: ${bed.swrRegistry}/${repository} (read back from the registry API) ────`);
const rows: [string, string][] = [['tag', 'digest']];
for (const tag of await listTags(bed.swrRegistry, repository, auth)) rows.push([tag, (await manifestDigest(bed.swrRegistry, repository, tag, auth)) ?? '(none)']);
const width = Math.max(...rows.map(([tag]) => tag.length)) + 2;
for (const [tag, digest] of rows) console.log(`${tag.padEnd(width)}${digest}`);

console.log('──── try it yourself: the CLI against the same test bed (README "Try it locally") ────');
console.log(`The test bed's settings are in ${bed.stateDir}/env (test values: AK ${bed.ak}, SK ${bed.sk};`);
console.log(`registry user ${bed.username}, password ${bed.derivedPassword}). From the repository root:`);
console.log('');
console.log(readmeCommands('try-it-locally').trimEnd());
