/**
 * Keyless under act, a real runner implementation: a workflow with
 * `permissions: id-token: write` and no key anywhere; the runner's
 * ACTIONS_ID_TOKEN_REQUEST_URL/TOKEN point at the GitHub OIDC stand-in (act
 * has no token service of its own), the STS, SWR API and FunctionGraph
 * stand-ins verify the token and the temporary keys, the image goes to a
 * registry that knows only the temporary SWR login.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { ACT_REMOTE, actSkipReason, runActWorkflow, sampleAppFiles, SHIP_STEP, type ActRun } from '../helpers/act.js';
import { AGENCY_URN, PROJECT_ID, PROVIDER_URN, startGithubIssuer, startHuaweiSts } from '../helpers/keyless-bed.js';
import { startLocalRegistry, type LocalRegistry } from '../helpers/local-registry.js';
import { manifestDigest } from '../helpers/registry-api.js';
import { findSecrets } from '../helpers/secret-scan.js';
import { loadTestbed } from '../helpers/testbed.js';
import { uniqueNamespace } from '../helpers/workspace.js';
import { startHuaweiCloudStandIn, type HuaweiCloudStandIn } from '../standins/huawei-cloud.js';
import type { HuaweiStsStandIn } from '../standins/huawei-sts.js';
import type { OidcIssuer } from '../standins/oidc-issuer.js';
import { startSwrApiStandIn, type SwrApiStandIn } from '../standins/swr-api.js';

const bed = loadTestbed();
const skip = actSkipReason();

describe('act: keyless Huawei workflow (permissions: id-token: write), no AK/SK anywhere', () => {
  const namespace = uniqueNamespace('act-keyless');
  let issuer: OidcIssuer;
  let sts: HuaweiStsStandIn;
  let swrApi: SwrApiStandIn;
  let cloud: HuaweiCloudStandIn;
  let registry: LocalRegistry;
  let run: ActRun;
  const functionUrn = `urn:fss:${bed.region}:${PROJECT_ID}:function:default:api-fn`;

  before(async () => {
    if (skip) return;
    // act derives GITHUB_REPOSITORY from the origin remote; the token's sub says the same repository.
    issuer = await startGithubIssuer();
    sts = await startHuaweiSts(issuer);
    const keys = { ak: sts.issued.ak, sk: sts.issued.sk, securityToken: sts.issued.securityToken };
    registry = await startLocalRegistry({ users: [] });
    swrApi = await startSwrApiStandIn({ ...keys, region: bed.region, onLoginIssued: (login) => registry.setUsers([{ username: login.username, password: login.password }]) });
    cloud = await startHuaweiCloudStandIn({
      ...keys,
      projectId: PROJECT_ID,
      region: bed.region,
      functions: [{ func_name: 'api-fn', runtime: 'Custom Image', handler: '-', memory_size: 256, timeout: 30, code_type: 'Custom-Image-Swr', custom_image: { enabled: true, image: 'old/image:1' } }],
    });
    run = await runActWorkflow({
      remoteUrl: ACT_REMOTE,
      branch: 'main',
      env: { ACTIONS_ID_TOKEN_REQUEST_URL: issuer.requestUrl, ACTIONS_ID_TOKEN_REQUEST_TOKEN: issuer.requestToken },
      files: sampleAppFiles(),
      workflow: `on: push
permissions:
  id-token: write
  contents: read
jobs:
  ship:
    runs-on: ubuntu-latest
${SHIP_STEP}
          region: ${bed.region}
          registry: ${registry.host}
          namespace: ${namespace}
          image: app
          tags: latest
          build-args: BASE_IMAGE=${bed.baseImage}
          oidc-provider-urn: ${PROVIDER_URN}
          agency-urn: ${AGENCY_URN}
          function-urn: ${functionUrn}
          endpoints: |
            sts=${sts.url}
            swr-api=${swrApi.url}
            functiongraph=${cloud.url}
      - name: A later step gets the outputs but no credential (export-credentials is off)
        env:
          DIGEST: \${{ steps.ship.outputs.digest }}
        run: |
          printenv DIGEST > "$E2E_OUT/DIGEST"
          env | grep -c -E '^(HUAWEICLOUD_SDK_|ALIBABA_CLOUD_)' > "$E2E_OUT/CLOUD_VARS" || true
`,
    });
  });
  after(async () => {
    if (skip) return;
    spawnSync('docker', ['rmi', `${registry.host}/${namespace}/app:latest`], { stdio: 'ignore' });
    await Promise.all([issuer.close(), sts.close(), swrApi.close(), cloud.close(), registry.close()]);
  });

  test('the job succeeds: token → STS → temporary SWR login → push → FunctionGraph, every call verified', { skip }, async () => {
    assert.equal(run.exitCode, 0, run.log.split('\n').slice(-60).join('\n'));
    assert.equal(issuer.issued.length, 1);
    assert.equal(sts.successes, 1);
    assert.equal(swrApi.state.logins.length, 1);
    assert.ok(swrApi.calls.every((call) => call.signatureValid) && cloud.calls.every((call) => call.signatureValid));
    const login = swrApi.state.logins[0]!;
    const digest = (run.files['DIGEST'] ?? '').trim();
    assert.match(digest, /^sha256:[0-9a-f]{64}$/);
    assert.equal(await manifestDigest(registry.host, `${namespace}/app`, 'latest', { username: login.username, password: login.password }), digest);
    const fn = cloud.state.functions.get(functionUrn) as { custom_image: { image: string } };
    assert.equal(fn.custom_image.image, `${registry.host}/${namespace}/app:latest`);
    assert.equal((run.files['CLOUD_VARS'] ?? '').trim(), '0', 'no credential reached the later step');
  });

  test("act's whole log holds no ID token, request token, temporary key or SWR password", { skip }, () => {
    const login = swrApi.state.logins[0]!;
    const secrets = {
      'ID token': issuer.issued[0]!,
      'request token': issuer.requestToken,
      'temporary SK': sts.issued.sk,
      'security token': sts.issued.securityToken,
      'SWR password': login.password,
    };
    assert.deepEqual(findSecrets({ 'act log': run.log, ...run.files }, secrets), []);
  });
});
