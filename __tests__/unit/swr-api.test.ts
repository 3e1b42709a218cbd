/**
 * The SWR management API client (src/cloud/huawei/swr.ts) against the SWR
 * stand-in, which checks every signature independently and answers with the
 * documented shapes.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { HuaweiApiClient, HuaweiApiError } from '../../src/cloud/huawei/api-client.js';
import {
  createNamespace,
  createTemporaryLogin,
  deleteRepositoryTag,
  listRepositoryTags,
  parseSwrTime,
} from '../../src/cloud/huawei/swr.js';
import type { RetryPolicy } from '../../src/http/retry.js';
import { startSwrApiStandIn, type SwrApiStandIn, type SwrStandInOptions } from '../standins/swr-api.js';

const AK = 'HPUATESTAK0000000001';
const SK = 'TestSecretKey0000000000000000000000000000';
const REGION = 'cn-north-4';
const FAST: RetryPolicy = { attempts: 4, baseDelayMs: 1, maxDelayMs: 5, timeoutMs: 2_000 };
const DAY = 86_400_000;

let standIn: SwrApiStandIn | undefined;
afterEach(async () => {
  await standIn?.close();
  standIn = undefined;
});

async function start(options: Partial<SwrStandInOptions> = {}): Promise<SwrApiStandIn> {
  standIn = await startSwrApiStandIn({ ak: AK, sk: SK, region: REGION, ...options });
  return standIn;
}

function clientFor(target: SwrApiStandIn, options: { sk?: string } = {}): HuaweiApiClient {
  return new HuaweiApiClient({
    credentials: { accessKey: AK, secretKey: options.sk ?? SK },
    region: REGION,
    domain: 'myhuaweicloud.com',
    endpoints: new Map([['swr-api', target.url]]),
    fetch,
    clock: { now: () => new Date() },
    retry: FAST,
    sleep: async () => {},
  });
}

/** Whole seconds: the API writes times without fractions. */
const daysAgo = (days: number): Date => new Date(Math.floor((Date.now() - days * DAY) / 1000) * 1000);

describe('createNamespace', () => {
  it('creates an organization: one signed POST with {"namespace"} and 201', async () => {
    const swr = await start();
    assert.equal(await createNamespace(clientFor(swr), 'team-a'), 'created');
    assert.ok(swr.state.namespaces.has('team-a'));
    const call = swr.calls.find((c) => c.route === 'swr.createNamespace');
    assert.ok(call?.signatureValid);
    assert.deepEqual(JSON.parse(call.body), { namespace: 'team-a' });
    assert.equal(call.status, 201);
  });

  it('409 for an organization of this account is "exists" (read back with ShowNamespace)', async () => {
    const swr = await start({ namespaces: ['team-a'] });
    assert.equal(await createNamespace(clientFor(swr), 'team-a'), 'exists');
    assert.equal(swr.calls.find((c) => c.route === 'swr.createNamespace')?.status, 409);
    assert.equal(swr.attempts('swr.showNamespace'), 1);
  });

  it('409 for a name held by another account is an error saying so', async () => {
    const swr = await start({ foreignNamespaces: ['taken'] });
    await assert.rejects(createNamespace(clientFor(swr), 'taken'), (error: unknown) => {
      assert.ok(error instanceof HuaweiApiError);
      assert.equal(error.status, 409);
      assert.equal(error.code, 'SVCSTG.SWR.4090060');
      assert.match(error.message, /taken by another account in cn-north-4/);
      assert.match(error.message, /choose another organization/);
      return true;
    });
    assert.ok(!swr.state.namespaces.has('taken'));
  });

  it('quota exhausted: SVCSTG.SWR.4000097 with the remedy', async () => {
    const swr = await start({ namespaces: ['a1', 'a2'], namespaceQuota: 2 });
    await assert.rejects(createNamespace(clientFor(swr), 'a3'), (error: unknown) => {
      assert.ok(error instanceof HuaweiApiError);
      assert.equal(error.status, 400);
      assert.equal(error.code, 'SVCSTG.SWR.4000097');
      assert.match(error.message, /create SWR organization a3: HTTP 400 SVCSTG\.SWR\.4000097: The maximum number of organizations/);
      assert.match(error.message, /organization quota: use an existing organization.*service ticket/);
      return true;
    });
    assert.equal(swr.attempts('swr.createNamespace'), 1, 'a 400 is not retried');
  });

  it('reads the older bare-list error body too', async () => {
    const swr = await start({ namespaces: ['a1'], namespaceQuota: 1, errorStyle: 'legacy' });
    await assert.rejects(createNamespace(clientFor(swr), 'a2'), (error: unknown) => {
      assert.ok(error instanceof HuaweiApiError);
      assert.equal(error.code, 'SVCSTG.SWR.4000097');
      assert.match(error.message, /^create SWR organization a2: HTTP 400 SVCSTG\.SWR\.4000097: The maximum number.* — the account has reached/);
      return true;
    });
    const again = await createNamespace(clientFor(swr), 'a1');
    assert.equal(again, 'exists', 'legacy 409 is recognised as "exists"');
  });

  it('an invalid name is refused before any call', async () => {
    const swr = await start();
    for (const bad of ['Team', '-a', 'a-', 'a..b', 'a___b', '1abc', '', 'x'.repeat(65)]) {
      await assert.rejects(createNamespace(clientFor(swr), bad), /is not valid: an organization name is 1-64 characters/, bad);
    }
    assert.equal(swr.calls.length, 0);
  });

  it('a wrong SK is rejected by the gateway as APIGW.0301, with the signature remedy', async () => {
    const swr = await start();
    await assert.rejects(createNamespace(clientFor(swr, { sk: 'WrongSecretKey00000000000000000000000000' }), 'team-a'), (error: unknown) => {
      assert.ok(error instanceof HuaweiApiError);
      assert.equal(error.status, 401);
      assert.equal(error.code, 'APIGW.0301');
      assert.match(error.message, /signature was rejected: check that secret-key belongs to access-key/);
      assert.doesNotMatch(error.message, /WrongSecretKey/);
      return true;
    });
    assert.equal(swr.calls[0]?.signatureValid, false);
    assert.ok(!swr.state.namespaces.has('team-a'));
  });

  it('goes to https://swr-api.{region}.{domain}; `swr=` (the registry host) is not read as the API endpoint', async () => {
    const swr = await start();
    const requested: string[] = [];
    const offline = new HuaweiApiClient({
      credentials: { accessKey: AK, secretKey: SK },
      region: REGION,
      domain: 'myhuaweicloud.com',
      endpoints: new Map([['swr', swr.url]]),
      fetch: async (input) => {
        requested.push(String(input));
        throw Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
      },
      clock: { now: () => new Date() },
      retry: { ...FAST, attempts: 1 },
    });
    await assert.rejects(createNamespace(offline, 'team-a'), /connection refused/);
    assert.deepEqual(requested, ['https://swr-api.cn-north-4.myhuaweicloud.com/v2/manage/namespaces']);
    assert.equal(swr.calls.length, 0);
  });
});

describe('createTemporaryLogin', () => {
  it('decodes the auths entry and reads the expiry from X-Swr-Expireat', async () => {
    const swr = await start();
    const before = Date.now();
    const login = await createTemporaryLogin(clientFor(swr), REGION, 3600);
    const issued = swr.state.logins[0];
    assert.ok(issued);
    assert.equal(login.username, issued.username);
    assert.equal(login.password, issued.password);
    assert.equal(login.registry, 'swr.cn-north-4.myhuaweicloud.com');
    assert.ok(login.expiresAt instanceof Date);
    assert.equal(login.expiresAt.getTime(), issued.expiresAt.getTime());
    assert.ok(Math.abs(login.expiresAt.getTime() - (before + 3600_000)) < 5_000);
    const call = swr.calls.find((c) => c.route === 'swr.createSecret');
    assert.ok(call?.signatureValid);
    assert.equal(call.url, '/v2/manage/utils/secret?projectname=cn-north-4&duration_seconds=3600');
    assert.equal(issued.projectname, REGION);
    assert.equal(issued.durationSeconds, 3600);
  });

  it('without a duration sends none; without X-Swr-Expireat there is no expiry', async () => {
    const swr = await start({ sendExpiry: false });
    const login = await createTemporaryLogin(clientFor(swr), REGION);
    assert.equal(login.expiresAt, undefined);
    assert.equal(swr.state.logins[0]?.durationSeconds, undefined);
    assert.equal(swr.calls[0]?.url, '/v2/manage/utils/secret?projectname=cn-north-4');
  });

  it('is not retried after a 503: one attempt, one error', async () => {
    const swr = await start({ faults: { 'swr.createSecret': [{ kind: 'status', status: 503 }] } });
    await assert.rejects(createTemporaryLogin(clientFor(swr), REGION), (error: unknown) => {
      assert.ok(error instanceof HuaweiApiError);
      assert.equal(error.status, 503);
      return true;
    });
    assert.equal(swr.attempts('swr.createSecret'), 1);
    assert.equal(swr.state.logins.length, 0);
  });

  it('is not retried after the connection dropped once the request was sent', async () => {
    const swr = await start({ faults: { 'swr.createSecret': [{ kind: 'reset', afterProcessing: true }] } });
    await assert.rejects(createTemporaryLogin(clientFor(swr), REGION), /: the connection to 127\.0\.0\.1:\d+ was reset \(\w+\) after 1 attempt$/);
    assert.equal(swr.attempts('swr.createSecret'), 1);
    assert.equal(swr.state.logins.length, 1, 'the server issued one login the client never saw');
  });

  it('refuses a duration outside 15 minutes to 24 hours before any call', async () => {
    const swr = await start();
    for (const bad of [899, 86_401, 1.5, -1]) {
      await assert.rejects(createTemporaryLogin(clientFor(swr), REGION, bad), /from 900 \(15 minutes\) to 86400 \(24 hours\)/);
    }
    assert.equal(swr.calls.length, 0);
  });

  it('a wrong SK is APIGW.0301', async () => {
    const swr = await start();
    await assert.rejects(createTemporaryLogin(clientFor(swr, { sk: 'nope' }), REGION), (error: unknown) => {
      assert.ok(error instanceof HuaweiApiError);
      assert.equal(error.code, 'APIGW.0301');
      return true;
    });
  });
});

describe('listRepositoryTags', () => {
  const tags = Array.from({ length: 23 }, (_, i) => ({
    tag: `v1.${i}`,
    created: daysAgo(30 - i),
    updated: daysAgo(29 - i),
    digest: `sha256:${String(i).padStart(64, '0')}`,
  }));

  it('follows limit/offset pages to the end, and reads Tag, created, updated, digest', async () => {
    const swr = await start({ repositories: { 'team/app': tags } });
    const listed = await listRepositoryTags(clientFor(swr), 'team', 'app', { pageSize: 10 });
    assert.equal(listed.length, 23);
    assert.deepEqual(
      listed.map((t) => t.tag).sort(),
      tags.map((t) => t.tag).sort(),
    );
    const v5 = listed.find((t) => t.tag === 'v1.5');
    assert.equal(v5?.created.getTime(), tags[5]?.created.getTime());
    assert.equal(v5?.updated.getTime(), tags[5]?.updated.getTime());
    assert.equal(v5?.digest, tags[5]?.digest);
    const pages = swr.calls.filter((c) => c.route === 'swr.listTags');
    assert.deepEqual(
      pages.map((c) => new URLSearchParams(c.url.split('?')[1]).get('offset')),
      ['0', '10', '20'],
    );
    assert.ok(pages.every((c) => c.signatureValid && new URLSearchParams(c.url.split('?')[1]).get('limit') === '10'));
  });

  it('stops after an exactly full last page when Content-Range says so', async () => {
    const swr = await start({ repositories: { 'team/app': tags.slice(0, 20) } });
    const listed = await listRepositoryTags(clientFor(swr), 'team', 'app', { pageSize: 10 });
    assert.equal(listed.length, 20);
    assert.equal(swr.attempts('swr.listTags'), 2);
  });

  it('sends a repository with "/" as "$"', async () => {
    const swr = await start({ repositories: { 'team/web/frontend': tags.slice(0, 2) } });
    const listed = await listRepositoryTags(clientFor(swr), 'team', 'web/frontend');
    assert.equal(listed.length, 2);
    assert.match(swr.calls[0]?.url ?? '', /^\/v2\/manage\/namespaces\/team\/repos\/web\$frontend\/tags\?/);
  });

  it('retries a GET after a 503', async () => {
    const swr = await start({ repositories: { 'team/app': tags.slice(0, 3) }, faults: { 'swr.listTags': [{ kind: 'status', status: 503 }] } });
    assert.equal((await listRepositoryTags(clientFor(swr), 'team', 'app')).length, 3);
    assert.equal(swr.attempts('swr.listTags'), 2);
  });

  it('a missing repository is an error with the remedy', async () => {
    const swr = await start({ namespaces: ['team'] });
    await assert.rejects(listRepositoryTags(clientFor(swr), 'team', 'nothing'), (error: unknown) => {
      assert.ok(error instanceof HuaweiApiError);
      assert.equal(error.status, 404);
      assert.equal(error.code, 'SVCSTG.SWR.4040113');
      assert.match(error.message, /repository does not exist in this organization/);
      return true;
    });
  });
});

describe('deleteRepositoryTag', () => {
  it('deletes one tag with a signed DELETE (204); a second delete finds it absent (404)', async () => {
    const swr = await start({ repositories: { 'team/app': [{ tag: 'old', created: daysAgo(9) }, { tag: 'new', created: daysAgo(1) }] } });
    const client = clientFor(swr);
    assert.equal(await deleteRepositoryTag(client, 'team', 'app', 'old'), 'deleted');
    assert.deepEqual(swr.tagsOf('team/app'), ['new']);
    assert.equal(await deleteRepositoryTag(client, 'team', 'app', 'old'), 'absent');
    const deletes = swr.calls.filter((c) => c.route === 'swr.deleteTag');
    assert.deepEqual(deletes.map((c) => [c.method, c.url, c.status, c.signatureValid]), [
      ['DELETE', '/v2/manage/namespaces/team/repos/app/tags/old', 204, true],
      ['DELETE', '/v2/manage/namespaces/team/repos/app/tags/old', 404, true],
    ]);
  });

  it('a gateway 404 (wrong endpoint) is an error, not "absent"', async () => {
    const swr = await start();
    const wrongBase = new HuaweiApiClient({
      credentials: { accessKey: AK, secretKey: SK },
      region: REGION,
      domain: 'myhuaweicloud.com',
      endpoints: new Map([['swr-api', `${swr.url}/prefix`]]),
      fetch,
      clock: { now: () => new Date() },
      retry: FAST,
    });
    await assert.rejects(deleteRepositoryTag(wrongBase, 'team', 'app', 'old'), (error: unknown) => {
      assert.ok(error instanceof HuaweiApiError);
      assert.equal(error.code, 'APIGW.0101');
      return true;
    });
  });

  it('a wrong SK is APIGW.0301 and deletes nothing', async () => {
    const swr = await start({ repositories: { 'team/app': [{ tag: 'old', created: daysAgo(9) }] } });
    await assert.rejects(deleteRepositoryTag(clientFor(swr, { sk: 'nope' }), 'team', 'app', 'old'), /APIGW\.0301/);
    assert.deepEqual(swr.tagsOf('team/app'), ['old']);
  });
});

describe('parseSwrTime', () => {
  it('reads the forms the API writes, as UTC', () => {
    assert.equal(parseSwrTime('2018-07-06T06:18:55Z')?.toISOString(), '2018-07-06T06:18:55.000Z');
    assert.equal(parseSwrTime('2025-11-01T12:18:44.382000Z')?.toISOString(), '2025-11-01T12:18:44.382Z');
    assert.equal(parseSwrTime('2018-07-06 06:18:55')?.toISOString(), '2018-07-06T06:18:55.000Z');
    assert.equal(parseSwrTime('2018-07-06T14:18:55+0800')?.toISOString(), '2018-07-06T06:18:55.000Z');
    assert.equal(parseSwrTime('yesterday'), undefined);
    assert.equal(parseSwrTime(''), undefined);
  });
});
