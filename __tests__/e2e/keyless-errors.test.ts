/**
 * Every keyless failure of issue 14 item 5, through the bundled action: a
 * missing `id-token: write`, an audience the provider does not list, a sub
 * the trust policy does not allow, an expired token, an identity provider
 * whose rules map the token to no user (and Alibaba's documented codes).
 * Each names the claim and the fix, shows sub/aud/iss but never the token,
 * and nothing is logged in, built or pushed.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AGENCY_URN, DEBUG, HUAWEI_AUDIENCE, idTokenPermission, OIDC_PROVIDER_ARN, PROVIDER_URN, ROLE_ARN, SHA, startAlibabaSts, startGithubIssuer, startHuaweiBed, type HuaweiBed } from '../helpers/keyless-bed.js';
import { stepTexts } from '../helpers/step-texts.js';
import { ghContextForBranch, runAction, type StepResult } from '../helpers/runner.js';
import { findSecrets } from '../helpers/secret-scan.js';
import { loadTestbed } from '../helpers/testbed.js';
import { sampleAppWorkspace, uniqueNamespace } from '../helpers/workspace.js';
import type { OidcIssuer } from '../standins/oidc-issuer.js';

const bed = loadTestbed();

let issuer: OidcIssuer;
before(async () => {
  issuer = await startGithubIssuer();
});
after(async () => {
  await issuer.close();
});

describe('keyless errors name the claim that failed and the fix; never the token; nothing is built or pushed', () => {
  const namespace = uniqueNamespace('keyless-err');
  let stand: HuaweiBed;
  before(async () => {
    stand = await startHuaweiBed(bed, issuer, 'placeholder', { identityProvider: 'github-idp', mappedSubjects: ['repo:octo-org/octo-app:ref:refs/heads/release*'] });
  });
  after(() => stand.close());

  const huaweiInputs = (extra: Record<string, string>): Record<string, string> => ({
    region: bed.region,
    registry: stand.registry.host,
    namespace,
    image: 'app',
    tags: 'latest',
    'build-args': `BASE_IMAGE=${bed.baseImage}`,
    endpoints: stand.endpoints,
    ...extra,
  });
  const sts = { 'oidc-provider-urn': PROVIDER_URN, 'agency-urn': AGENCY_URN };

  async function failing(inputs: Record<string, string>, env: Record<string, string>): Promise<{ run: StepResult; error: string }> {
    const run = await runAction({ inputs, workdir: sampleAppWorkspace(), github: ghContextForBranch('main', SHA, 'octo-org/octo-app'), env: { ...DEBUG, ...env } });
    assert.equal(run.exitCode, 1, run.stdout + run.stderr);
    // The first ::error:: line is the problem; a config-stage failure adds a closing one.
    const errors = run.commands.filter((command) => command.command === 'error').map((command) => command.message);
    assert.ok(errors.length >= 1, run.stdout);
    assert.deepEqual(run.argv.filter((argv) => argv[0] === 'build' || argv[0] === 'buildx' && argv[1] === 'build' || argv[0] === 'push' || argv[0] === 'login'), [], 'nothing built, pushed or logged in');
    assert.equal(stand.swrApi.state.logins.length, 0, 'no registry login issued');
    return { run, error: errors[0]! };
  }

  const noToken = (run: StepResult, token: string): void => {
    assert.deepEqual(findSecrets(stepTexts(run, 'main'), { 'ID token': token, 'ID token signature': token.split('.')[2]! }), []);
  };

  test('missing "permissions: id-token: write": GitHub gives no request URL; said in the config stage, nothing is called', async () => {
    const before = stand.sts.calls.length;
    const { error } = await failing(huaweiInputs(sts), {});
    assert.match(error, /^oidc-token: GitHub gave this job no ID token \(ACTIONS_ID_TOKEN_REQUEST_URL is not set\): add "permissions: id-token: write" to the job/);
    assert.equal(stand.sts.calls.length, before);
  });

  test('audience mismatch: the provider does not list the aud; the error shows sub, aud, iss', async () => {
    const issuedBefore = issuer.issued.length;
    const { run, error } = await failing(huaweiInputs({ ...sts, 'oidc-audience': 'api://not-a-client-id' }), idTokenPermission(issuer));
    assert.match(error, /^oidc-audience: the OIDC provider iam::\S+ does not accept the token's aud "api:\/\/not-a-client-id" \(sub "repo:octo-org\/octo-app:ref:refs\/heads\/main", aud "api:\/\/not-a-client-id", iss "https:\/\/token\.actions\.githubusercontent\.com"\): add "api:\/\/not-a-client-id" as a client id/);
    assert.equal(issuer.issued.length, issuedBefore + 1);
    noToken(run, issuer.issued.at(-1)!);
  });

  test('a sub the agency\'s trust policy does not allow: named with the condition to add', async () => {
    const token = issuer.mint({ aud: HUAWEI_AUDIENCE, sub: 'repo:octo-org/octo-app:pull_request' });
    const { run, error } = await failing(huaweiInputs({ ...sts, 'oidc-token': token }), {});
    assert.match(error, /^agency-urn: the trust policy of agency iam::\S+:agency:ci-deployer does not allow this token \(sub "repo:octo-org\/octo-app:pull_request", aud "sts\.myhuaweicloud\.com", iss "https:\/\/token\.actions\.githubusercontent\.com"\): add a condition on oidc:sub/);
    assert.match(error, /\[assume agency .*: HTTP 403 STS5\.0001: access denied/);
    noToken(run, token);
  });

  test('an expired token: said before any call, with when it expired', async () => {
    const before = stand.sts.calls.length;
    const token = issuer.mint({ aud: HUAWEI_AUDIENCE, exp: Math.floor(Date.now() / 1000) - 600, iat: Math.floor(Date.now() / 1000) - 900, nbf: Math.floor(Date.now() / 1000) - 900 });
    const { run, error } = await failing(huaweiInputs({ ...sts, 'oidc-token': token }), {});
    assert.match(error, /^oidc-token: the ID token expired at \d{4}-\d\d-\d\dT[\d:.]+Z \(sub "repo:octo-org\/octo-app:ref:refs\/heads\/main"/);
    assert.equal(stand.sts.calls.length, before, 'nothing sent');
    noToken(run, token);
  });

  test('an identity provider whose conversion rules map the token to no user', async () => {
    const token = issuer.mint({ aud: HUAWEI_AUDIENCE });
    const { run, error } = await failing(huaweiInputs({ 'identity-provider': 'github-idp', 'oidc-token': token }), {});
    assert.match(error, /^identity-provider: the identity conversion rules of github-idp map this token \(sub "repo:octo-org\/octo-app:ref:refs\/heads\/main", aud "sts\.myhuaweicloud\.com", iss "https:\/\/token\.actions\.githubusercontent\.com"\) to no user: add a rule/);
    noToken(run, token);
  });

  test('Alibaba: audience not a client id, and a sub the role does not trust, each by its documented code', async () => {
    const ali = await startAlibabaSts(issuer, ['repo:octo-org/octo-app:ref:refs/heads/release']);
    try {
      const inputs = (extra: Record<string, string>): Record<string, string> => ({
        provider: 'alibabacloud', region: 'cn-hangzhou', namespace: 'team', image: 'web', 'role-arn': ROLE_ARN, 'oidc-provider-arn': OIDC_PROVIDER_ARN, endpoints: `sts=${ali.url}\ncr=${ali.url}`, ...extra,
      });
      const audience = await failing(inputs({ 'oidc-audience': 'other-audience' }), idTokenPermission(issuer));
      assert.match(audience.error, /^oidc-audience: the OIDC provider acs:ram::\d+:oidc-provider\/github does not accept the token's aud "other-audience" .*\[.*HTTP 401 AuthenticationFail\.OIDCToken\.AudienceNotMatch/);
      const sub = await failing(inputs({}), idTokenPermission(issuer));
      assert.match(sub.error, /^role-arn: the trust policy of RAM role acs:ram::\d+:role\/ci-pusher does not allow this token \(sub "repo:octo-org\/octo-app:ref:refs\/heads\/main", aud "sts\.aliyuncs\.com", iss "https:\/\/token\.actions\.githubusercontent\.com"\)/);
      assert.deepEqual(ali.calls.map((call) => call.code), ['AuthenticationFail.OIDCToken.AudienceNotMatch', 'AuthenticationFail.NoPermission']);
      noToken(sub.run, issuer.issued.at(-1)!);
    } finally {
      await ali.close();
    }
  });
});
