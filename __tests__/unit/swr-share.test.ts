/**
 * SWR image sharing (`share-with`): the line syntax, the deadline check, and
 * the idempotent create/update/read-back against the SWR stand-in, which
 * verifies every signature independently and answers with the documented
 * bodies and errors.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { HuaweiApiClient, HuaweiApiError } from '../../src/cloud/huawei/api-client.js';
import { readShare, shareRepository } from '../../src/cloud/huawei/swr-sharing.js';
import { checkShareDeadlines, parseShareWith, shareImage } from '../../src/deploy/swr-share.js';
import type { RetryPolicy } from '../../src/http/retry.js';
import { parseInputs, problemsFor, VALID_SWR_INPUTS } from '../helpers/config-input.js';
import { startSwrApiStandIn, type SwrApiStandIn, type SwrStandInOptions } from '../standins/swr-api.js';

const AK = 'HPUATESTAK0000000001';
const SK = 'TestSecretKey0000000000000000000000000000';
const REGION = 'cn-north-4';
const FAST: RetryPolicy = { attempts: 4, baseDelayMs: 1, maxDelayMs: 5, timeoutMs: 2_000 };
const NEXT_YEAR = `${new Date().getUTCFullYear() + 1}-06-30`;
const LATER = `${new Date().getUTCFullYear() + 2}-01-31`;

let standIn: SwrApiStandIn | undefined;
afterEach(async () => {
  await standIn?.close();
  standIn = undefined;
});

async function start(options: Partial<SwrStandInOptions> = {}): Promise<SwrApiStandIn> {
  standIn = await startSwrApiStandIn({ ak: AK, sk: SK, region: REGION, repositories: { 'team/app': [] }, ...options });
  return standIn;
}

function clientFor(target: SwrApiStandIn, sk = SK): HuaweiApiClient {
  return new HuaweiApiClient({
    credentials: { accessKey: AK, secretKey: sk },
    region: REGION,
    domain: 'myhuaweicloud.com',
    endpoints: new Map([['swr-api', target.url]]),
    fetch,
    clock: { now: () => new Date() },
    retry: FAST,
    sleep: async () => {},
  });
}

const writes = (swr: SwrApiStandIn): string[] => swr.calls.filter((call) => call.method === 'POST' || call.method === 'PATCH').map((call) => `${call.method} ${call.url}`);

describe('share-with lines', () => {
  it('account, :read and :until YYYY-MM-DD', () => {
    const { shares, errors } = parseShareWith(`partner-a\n# a comment\npartner-b:read:until ${NEXT_YEAR}\n\npartner.c:until ${NEXT_YEAR}`);
    assert.deepEqual(errors, []);
    assert.deepEqual(
      shares.map(({ account, permit, until }) => ({ account, permit, until })),
      [
        { account: 'partner-a', permit: 'read', until: undefined },
        { account: 'partner-b', permit: 'read', until: NEXT_YEAR },
        { account: 'partner.c', permit: 'read', until: NEXT_YEAR },
      ],
    );
  });

  it('refuses write (SWR shares are pull-only), bad dates, bad names, unknown options and repeats, one line each', () => {
    const { errors } = parseShareWith(['partner-a:write', 'partner-b:until 2026-02-30', 'bad/name', 'partner-c:read:forever', 'partner-d', 'partner-d:read'].join('\n'));
    assert.equal(errors.length, 5);
    assert.match(errors[0] ?? '', /^share-with: "partner-a:write" asks for write: SWR shares grant pull \(read\) access only/);
    assert.match(errors[1] ?? '', /^share-with: "partner-b:until 2026-02-30" has until "2026-02-30", not a date/);
    assert.match(errors[2] ?? '', /^share-with: "bad\/name" has account "bad\/name"/);
    assert.match(errors[3] ?? '', /^share-with: "partner-c:read:forever" has "forever" after the account/);
    assert.match(errors[4] ?? '', /^share-with: "partner-d:read" names partner-d a second time/);
  });

  it('a share whose last day is over is refused before the run (UTC days)', () => {
    const { shares } = parseShareWith('partner-a:until 2026-03-01\npartner-b:until 2026-03-02\npartner-c');
    assert.deepEqual(checkShareDeadlines(shares, new Date('2026-03-02T10:00:00Z')), [
      'share-with: "partner-a:until 2026-03-01" ended on 2026-03-01 (today is 2026-03-02 UTC): give a later date, or drop ":until" for a share without end',
    ]);
  });

  it('the config carries the shares; they need AK/SK and SWR', () => {
    const config = parseInputs({ ...VALID_SWR_INPUTS, 'share-with': `partner-a\npartner-b:until ${NEXT_YEAR}` });
    assert.deepEqual(config.deploy.shareWith.map((share) => share.account), ['partner-a', 'partner-b']);
    assert.ok(problemsFor({ ...VALID_SWR_INPUTS, 'share-with': 'partner-a:write' }).some((p) => p.startsWith('share-with: "partner-a:write" asks for write')));
    assert.ok(
      problemsFor({ provider: 'generic', registry: 'registry.example.com', image: 'app', 'share-with': 'partner-a' }).some((p) =>
        p.startsWith('share-with: sharing is done by the SWR API'),
      ),
    );
    assert.ok(
      problemsFor({ ...VALID_SWR_INPUTS, 'access-key': '', 'secret-key': '', username: 'cn-north-4@X', password: 'p', 'share-with': 'partner-a' }).some((p) =>
        p.startsWith('access-key: FunctionGraph and CCE calls are signed'),
      ),
    );
  });
});

describe('shareRepository against the SWR stand-in', () => {
  it('creates a share (one signed POST with the documented body), reads it back', async () => {
    const swr = await start();
    const result = await shareRepository(clientFor(swr), 'team', 'app', { account: 'partner-a', permit: 'read', until: NEXT_YEAR });
    assert.equal(result.outcome, 'created');
    assert.equal(result.before, undefined);
    assert.deepEqual({ permit: result.after.permit, deadline: result.after.deadline }, { permit: 'read', deadline: NEXT_YEAR });
    const post = swr.calls.find((call) => call.method === 'POST');
    assert.deepEqual(JSON.parse(post?.body ?? '{}'), { access_domain: 'partner-a', permit: 'read', deadline: `${NEXT_YEAR}T00:00:00.000Z` });
    assert.equal(post?.url, '/v2/manage/namespaces/team/repositories/app/access-domains');
    assert.deepEqual(swr.state.shareWrites, ['create team/app partner-a']);
    assert.ok(swr.calls.every((call) => call.signatureValid));
  });

  it('the same share again makes no write call; a different deadline is one update that keeps the description', async () => {
    const swr = await start({ shares: { 'team/app': [{ access_domain: 'partner-a', permit: 'read', deadline: 'forever', description: 'for the partner build' }] } });
    const client = clientFor(swr);
    const same = await shareRepository(client, 'team', 'app', { account: 'partner-a', permit: 'read' });
    assert.equal(same.outcome, 'unchanged');
    assert.deepEqual(writes(swr), [], 'no call for a share already in place');

    const changed = await shareRepository(client, 'team', 'app', { account: 'partner-a', permit: 'read', until: LATER });
    assert.equal(changed.outcome, 'updated');
    assert.equal(changed.before?.deadline, 'forever');
    assert.equal(changed.after.deadline, LATER);
    assert.deepEqual(writes(swr), ['PATCH /v2/manage/namespaces/team/repositories/app/access-domains/partner-a']);
    assert.equal(swr.state.shares.get('team/app')?.get('partner-a')?.description, 'for the partner build');
  });

  it('a repository name with "/" is sent with "$"', async () => {
    const swr = await start({ repositories: { 'team/tools/cli': [] } });
    const result = await shareImage(clientFor(swr), 'team/tools/cli', { account: 'partner-b', permit: 'read', text: 'partner-b' });
    assert.deepEqual(result, { target: 'swr-share', id: 'team/tools/cli → partner-b', previous: '', current: 'read (no end)', verified: true });
    assert.ok(swr.calls.some((call) => call.url === '/v2/manage/namespaces/team/repositories/tools$cli/access-domains'));
  });

  it('an account that does not exist: the SWR error, nothing shared', async () => {
    const swr = await start();
    await assert.rejects(shareRepository(clientFor(swr), 'team', 'app', { account: 'nobody-here', permit: 'read' }), (error: unknown) => {
      assert.ok(error instanceof HuaweiApiError);
      assert.equal(error.status, 400);
      assert.equal(error.code, 'SVCSTG.SWR.4000014');
      assert.match(error.message, /share SWR repository team\/app with nobody-here: HTTP 400 SVCSTG\.SWR\.4000014: Invalid param: the account nobody-here does not exist/);
      return true;
    });
    assert.equal(swr.state.shares.get('team/app')?.size ?? 0, 0);
  });

  it('a repository that is not in SWR: 404 with the SWR remedy, not "no share"', async () => {
    const swr = await start();
    await assert.rejects(readShare(clientFor(swr), 'team', 'missing', 'partner-a'), /HTTP 404 SVCSTG\.SWR\.4040113.*the repository does not exist in this organization/);
  });

  it('a create whose answer was lost: the repeat meets 409 "has been shared", the read-back settles it', async () => {
    const swr = await start({ faults: { 'swr.createShare': [{ kind: 'reset', afterProcessing: true }] } });
    const result = await shareRepository(clientFor(swr), 'team', 'app', { account: 'partner-a', permit: 'read' });
    assert.equal(result.after.permit, 'read');
    assert.deepEqual(swr.state.shareWrites, ['create team/app partner-a'], 'shared once');
    assert.deepEqual(
      swr.calls.filter((call) => call.route === 'swr.createShare').map((call) => call.status),
      [0, 409],
    );
  });

  it('a wrong secret key: the gateway refuses the signature', async () => {
    const swr = await start();
    await assert.rejects(shareRepository(clientFor(swr, 'WrongSecretKey000000000000000000000000000'), 'team', 'app', { account: 'partner-a', permit: 'read' }), /HTTP 401 APIGW\.0301/);
  });
});

describe('share-with with temporary credentials (STS keys and their security token)', () => {
  const TOKEN = 'temporary-security-token-0001';
  const temporaryClient = (target: SwrApiStandIn, securityToken: string | undefined): HuaweiApiClient =>
    new HuaweiApiClient({
      credentials: { accessKey: AK, secretKey: SK, ...(securityToken === undefined ? {} : { securityToken }) },
      region: REGION,
      domain: 'myhuaweicloud.com',
      endpoints: new Map([['swr-api', target.url]]),
      fetch,
      clock: { now: () => new Date() },
      retry: FAST,
      sleep: async () => {},
    });

  it('the share is made and read back with X-Security-Token signed; without it, or with another token, the gateway refuses', async () => {
    const swr = await start({ securityToken: TOKEN });
    await assert.rejects(shareRepository(temporaryClient(swr, undefined), 'team', 'app', { account: 'partner-a', permit: 'read' }), /HTTP 401 APIGW\.0301/);
    await assert.rejects(shareRepository(temporaryClient(swr, 'another-token-0002'), 'team', 'app', { account: 'partner-a', permit: 'read' }), /HTTP 401 APIGW\.0301/);
    assert.equal(swr.state.shareWrites.length, 0, 'nothing was written by a refused call');
    await shareRepository(temporaryClient(swr, TOKEN), 'team', 'app', { account: 'partner-a', permit: 'read' });
    assert.deepEqual(swr.state.shareWrites, ['create team/app partner-a']);
    assert.equal((await readShare(temporaryClient(swr, TOKEN), 'team', 'app', 'partner-a'))?.permit, 'read');
    const signed = swr.calls.filter((call) => call.signatureValid);
    assert.ok(signed.length >= 2 && signed.every((call) => call.status < 400), 'the calls with the token were accepted');
  });
});
