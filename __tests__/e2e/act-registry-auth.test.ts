/**
 * `registry-auth` under nektos/act (a real runner implementation): the list
 * is a `with:` block whose passwords come from `${{ secrets.… }}`, the
 * private base lives in the test bed's SWR-like registry (a huaweicloud
 * entry derives its login from the step's AK/SK), the step pushes to B and
 * replicates to C (a username/password entry). A later step sees every login
 * and reads the `logins` output with fromJSON; the post step leaves the
 * job's Docker config empty. act's whole log is scanned with debug on.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import { ACT_DEBUG, ACT_REMOTE, actSkipReason, actTest, dockerConfigAuths, gh, runActWorkflow, sampleAppFiles, SHIP_STEP, type ActRun } from '../helpers/act.js';
import { startLocalRegistry, type LocalRegistry } from '../helpers/local-registry.js';
import { manifestDigest } from '../helpers/registry-api.js';
import { findSecrets } from '../helpers/secret-scan.js';
import { tempDir } from '../helpers/temp-dir.js';
import { loadTestbed } from '../helpers/testbed.js';
import { uniqueNamespace } from '../helpers/workspace.js';

const bed = loadTestbed();
const skip = actSkipReason();

const B_USER = { username: 'b-pusher', password: 'act-B-Password-0f3e9a71' };
const C_USER = { username: 'c-pusher', password: 'act-C-Password-62d4b8c5' };

describe('act: registry-auth logs in to a private base registry and a second push target; post removes every login', () => {
  const namespace = uniqueNamespace('act-regauth');
  let registryB: LocalRegistry;
  let registryC: LocalRegistry;
  let run: ActRun;
  let builtImage = '';

  before(async () => {
    if (skip) return;
    registryB = await startLocalRegistry({ users: [B_USER] });
    registryC = await startLocalRegistry({ users: [C_USER] });
    const base = `${bed.swrRegistry}/${namespace}/base:1`;
    const authDir = tempDir('imageship-act-regauth-');
    const authFile = join(authDir, 'auth.json');
    const basic = Buffer.from(`${bed.username}:${bed.derivedPassword}`).toString('base64');
    writeFileSync(authFile, JSON.stringify({ auths: { [bed.swrRegistry]: { auth: basic } } }), { mode: 0o600 });
    execFileSync('skopeo', ['copy', '--src-tls-verify=false', '--dest-tls-verify=false', '--dest-authfile', authFile, `docker://${bed.baseImage}`, `docker://${base}`], { stdio: 'pipe' });
    builtImage = `${registryB.host}/${namespace}/app:latest`;
    run = await runActWorkflow({
      remoteUrl: ACT_REMOTE,
      secrets: { HUAWEICLOUD_AK: bed.ak, HUAWEICLOUD_SK: bed.sk, B_PASSWORD: B_USER.password, C_PASSWORD: C_USER.password },
      ...ACT_DEBUG,
      files: sampleAppFiles(),
      workflow: `on: push
jobs:
  build:
    runs-on: ubuntu-latest
${SHIP_STEP}
          provider: generic
          registry: ${registryB.host}
          username: ${B_USER.username}
          password: ${gh('secrets.B_PASSWORD')}
          access-key: ${gh('secrets.HUAWEICLOUD_AK')}
          secret-key: ${gh('secrets.HUAWEICLOUD_SK')}
          namespace: ${namespace}
          image: app
          tags: latest
          build-args: BASE_IMAGE=${base}
          replicate-to: ${registryC.host}/${namespace}/app
          registry-auth: |
            - provider: huaweicloud
              region: ${bed.region}
              registry: ${bed.swrRegistry}
            - registry: ${registryC.host}
              username: ${C_USER.username}
              password: ${gh('secrets.C_PASSWORD')}
      - name: A later step sees the logins and the output
        env:
          LOGINS: ${gh('steps.ship.outputs.logins')}
          FIRST_LOGIN: ${gh('fromJSON(steps.ship.outputs.logins)[0]')}
          DIGEST: ${gh('steps.ship.outputs.digest')}
        run: |
          printenv LOGINS > "$E2E_OUT/LOGINS"
          printenv FIRST_LOGIN > "$E2E_OUT/FIRST_LOGIN"
          printenv DIGEST > "$E2E_OUT/DIGEST"
          cp "$DOCKER_CONFIG/config.json" "$E2E_OUT/docker-config-before-post.json"
`,
    });
  });

  after(async () => {
    if (builtImage !== '') spawnSync('docker', ['rmi', builtImage], { stdio: 'ignore' });
    await registryB?.close();
    await registryC?.close();
  });

  actTest('the job succeeds; the image is in B and in C under the digest output', async () => {
    assert.equal(run.exitCode, 0, run.log.split('\n').slice(-60).join('\n'));
    const digest = (run.files['DIGEST'] ?? '').trim();
    assert.match(digest, /^sha256:[0-9a-f]{64}$/);
    assert.equal(await manifestDigest(registryB.host, `${namespace}/app`, 'latest', B_USER), digest);
    assert.equal(await manifestDigest(registryC.host, `${namespace}/app`, 'latest', C_USER), digest);
  });

  actTest('a later step reads the logins output with fromJSON and finds every login in the Docker config', () => {
    assert.deepEqual(JSON.parse(run.files['LOGINS'] ?? '[]'), [bed.swrRegistry, registryC.host, registryB.host]);
    assert.equal(run.files['FIRST_LOGIN']?.trim(), bed.swrRegistry);
    assert.deepEqual(Object.keys(dockerConfigAuths(run.files['docker-config-before-post.json'])).sort(), [bed.swrRegistry, registryB.host, registryC.host].sort());
  });

  actTest('after the post step the job has no login left, and no docker login or logout process ran', () => {
    assert.deepEqual(dockerConfigAuths(run.dockerConfig), {});
    assert.deepEqual(run.dockerCalls.filter((call) => call.argv[0] === 'login' || call.argv[0] === 'logout'), []);
  });

  actTest("with debug on, act's log and the step files hold no secret, plain or base64", () => {
    const { ['docker-config-before-post.json']: _config, ...stepFiles } = run.files;
    const texts = { 'act log': run.log, ...Object.fromEntries(Object.entries(stepFiles).map(([name, text]) => [`step file ${name}`, text])) };
    const secrets = { SK: bed.sk, 'derived password': bed.derivedPassword, 'B password': B_USER.password, 'C password': C_USER.password };
    assert.deepEqual(findSecrets(texts, secrets), []);
    assert.ok(run.log.includes('::debug::'), 'debug lines were shown, so they were scanned too');
  });
});
