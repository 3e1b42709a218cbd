/**
 * Retention: the `retention` input, tag selection, and applying a policy to
 * the SWR stand-in and to a real registry (Debian's docker-registry on
 * loopback, images uploaded over the plain distribution API).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { HuaweiApiClient } from '../../src/cloud/huawei/api-client.js';
import { applyRetention, registryRetentionBackend, swrRetentionBackend, type RetentionBackend } from '../../src/retention/apply.js';
import { describeRetention, parseRetention, type RetentionPolicy } from '../../src/domain/retention/policy.js';
import { selectForDeletion, type DatedTag } from '../../src/retention/select.js';
import { RegistryClient } from '../../src/registry/client.js';
import { MediaTypes } from '../../src/domain/image/media-types.js';
import { REGISTRY_BINARY, startLocalRegistry, type LocalRegistry } from '../helpers/local-registry.js';
import { listTags as listTagsRaw, manifestDigest } from '../helpers/registry-api.js';
import { startSwrApiStandIn, type SwrApiStandIn } from '../standins/swr-api.js';

const DAY = 86_400_000;
const NOW = new Date('2025-06-01T12:00:00Z');
const ago = (days: number, from: Date = NOW): Date => new Date(from.getTime() - days * DAY);

function policyOf(text: string): RetentionPolicy {
  const parsed = parseRetention(text);
  assert.deepEqual(parsed.errors, [], text);
  assert.ok(parsed.policy, text);
  return parsed.policy;
}

function recordingLog(): { info(m: string): void; warn(m: string): void; lines: string[]; warnings: string[] } {
  const lines: string[] = [];
  const warnings: string[] = [];
  return { lines, warnings, info: (m) => void lines.push(m), warn: (m) => void warnings.push(m) };
}

// ---------------------------------------------------------------- parseRetention

describe('parseRetention', () => {
  it('reads keep-last, max-age-days and tag-pattern separated by commas, spaces or new lines', () => {
    assert.deepEqual(policyOf('keep-last=5'), { keepLast: 5 });
    assert.deepEqual(policyOf('max-age-days=30'), { maxAgeDays: 30 });
    const both = policyOf('keep-last=10, max-age-days=30');
    assert.equal(both.keepLast, 10);
    assert.equal(both.maxAgeDays, 30);
    const lines = policyOf('keep-last=3\nmax-age-days=14\ntag-pattern=^sha-[0-9a-f]{7,40}$\n');
    assert.equal(lines.keepLast, 3);
    assert.equal(lines.maxAgeDays, 14);
    assert.equal(lines.tagPatternSource, '^sha-[0-9a-f]{7,40}$', 'the comma inside {7,40} belongs to the pattern');
    const commas = policyOf('tag-pattern=v\\d{1,3},keep-last=2,');
    assert.equal(commas.tagPatternSource, 'v\\d{1,3}');
    assert.equal(commas.keepLast, 2);
    assert.equal(policyOf('Keep-Last=4 ').keepLast, 4);
  });

  it('treats empty text as "no retention"', () => {
    assert.deepEqual(parseRetention(''), { errors: [] });
    assert.deepEqual(parseRetention('  \n , '), { errors: [] });
  });

  it('anchors tag-pattern: the whole tag must match', () => {
    const { tagPattern } = policyOf('keep-last=1 tag-pattern=sha-.*');
    assert.ok(tagPattern?.test('sha-abc123'));
    assert.ok(!tagPattern?.test('my-sha-abc123'));
    assert.ok(!tagPattern?.test('v1'));
  });

  it('describes a policy as the input writes it', () => {
    assert.equal(describeRetention(policyOf('tag-pattern=sha-.* max-age-days=7, keep-last=3')), 'keep-last=3, max-age-days=7, tag-pattern=sha-.*');
  });

  const invalid: [string, RegExp][] = [
    ['keep-last=0', /^retention: keep-last=0 would delete everything: use keep-last=1 or more$/],
    ['max-age-days=0', /^retention: max-age-days=0 would delete everything: use max-age-days=1 or more$/],
    ['keep-last=-2', /^retention: keep-last=-2 is negative: use keep-last=1 or more$/],
    ['keep-last=2.5', /^retention: keep-last=2\.5 is not a whole number: write keep-last=N/],
    ['max-age-days=a week', /^retention: max-age-days=a is not a whole number/],
    ['keep=3', /^retention: unknown setting "keep": use keep-last=N, max-age-days=D or tag-pattern=REGEX$/],
    ['tag-pattern=^v', /^retention: neither keep-last nor max-age-days is set, so the policy keeps nothing .*: add keep-last=N and\/or max-age-days=D$/],
    ['keep-last=3 tag-pattern=(', /^retention: tag-pattern "\(" is not a valid regular expression \(.*\): fix the pattern/],
    ['keep-last=3 tag-pattern=a)|(b', /^retention: tag-pattern "a\)\|\(b" is not a valid regular expression/],
    ['keep-last', /^retention: "keep-last" has no "=": write key=value/],
    ['keep-last=', /^retention: keep-last has no value: write keep-last=N$/],
    ['keep-last=3, keep-last=4', /^retention: keep-last is given twice \("keep-last=3" and "keep-last=4"\): keep one$/],
    ['max-age-days=99999999', /^retention: max-age-days=99999999 is too large: use at most 36500$/],
  ];
  for (const [text, expected] of invalid) {
    it(`rejects ${JSON.stringify(text)}`, () => {
      const parsed = parseRetention(text);
      assert.equal(parsed.policy, undefined);
      assert.ok(parsed.errors.length >= 1);
      assert.ok(parsed.errors.some((error) => expected.test(error)), `${parsed.errors.join('\n')}\n  !~ ${expected}`);
      for (const error of parsed.errors) {
        assert.ok(error.startsWith('retention: '), error);
        assert.ok(!error.includes('\n'), 'one line each');
        assert.match(error, /: [^:]+$|: .*(use|write|add|fix|keep)/, 'ends with what to do');
      }
    });
  }

  it('reports every problem at once', () => {
    const parsed = parseRetention('keep-last=0, max-age-days=x, colour=blue');
    assert.equal(parsed.errors.length, 3, parsed.errors.join('\n'));
  });
});

// ---------------------------------------------------------------- selectForDeletion

describe('selectForDeletion', () => {
  const tags: DatedTag[] = [
    { tag: 'v1', created: ago(60) },
    { tag: 'v2', created: ago(45) },
    { tag: 'v3', created: ago(35) },
    { tag: 'v4', created: ago(20) },
    { tag: 'v5', created: ago(10) },
  ];

  it('keep-last=N keeps the N newest', () => {
    const result = selectForDeletion(tags, policyOf('keep-last=2'), [], NOW);
    assert.deepEqual(result.keep, ['v5', 'v4']);
    assert.deepEqual(result.delete, ['v3', 'v2', 'v1']);
    assert.equal(result.reasons.get('v5'), '#1 of the 2 newest');
    assert.equal(result.reasons.get('v3'), 'not among the 2 newest');
  });

  it('max-age-days=D keeps tags at most D days old, to the millisecond', () => {
    const edge: DatedTag[] = [
      { tag: 'exactly', created: ago(30) },
      { tag: 'just-over', created: new Date(ago(30).getTime() - 1000) },
      { tag: 'young', created: ago(0.5) },
    ];
    const result = selectForDeletion(edge, policyOf('max-age-days=30'), [], NOW);
    assert.deepEqual(result.keep, ['young', 'exactly']);
    assert.deepEqual(result.delete, ['just-over']);
    assert.equal(result.reasons.get('young'), '12 hours old, within 30 days');
    assert.equal(result.reasons.get('just-over'), '30 days old, more than 30 days');
  });

  it('both rules: each deletes on its own (SWR aging), so a tag stays only when both keep it', () => {
    const result = selectForDeletion(tags, policyOf('keep-last=3 max-age-days=30'), [], NOW);
    // keep-last alone keeps v5 v4 v3; max-age alone keeps v5 v4; v3 is older than 30 days.
    assert.deepEqual(result.keep, ['v5', 'v4']);
    assert.deepEqual(result.delete, ['v3', 'v2', 'v1']);
    assert.equal(result.reasons.get('v3'), '35 days old, more than 30 days');
    assert.equal(result.reasons.get('v1'), 'not among the 3 newest; 60 days old, more than 30 days');
    assert.equal(result.reasons.get('v4'), '#2 of the 3 newest; 20 days old, within 30 days');
    const young = selectForDeletion(tags, policyOf('keep-last=1 max-age-days=30'), [], NOW);
    assert.deepEqual(young.keep, ['v5'], 'v4 is young but not among the newest 1');
  });

  it('tag-pattern: only matching tags are candidates; the rest are kept however old', () => {
    const mixed: DatedTag[] = [
      ...tags,
      { tag: 'latest', created: ago(90) },
      { tag: 'stable', created: ago(70) },
      { tag: 'v-rc', created: ago(80) },
    ];
    const result = selectForDeletion(mixed, policyOf('keep-last=1 tag-pattern=v\\d+'), [], NOW);
    assert.deepEqual(result.keep, ['v5', 'stable', 'v-rc', 'latest']);
    assert.deepEqual(result.delete, ['v4', 'v3', 'v2', 'v1']);
    assert.equal(result.reasons.get('latest'), 'does not match tag-pattern v\\d+');
  });

  it('tags pushed by this run are never deleted and do not count toward keep-last', () => {
    const result = selectForDeletion(tags, policyOf('keep-last=1 max-age-days=1'), ['v1', 'v3'], NOW);
    assert.deepEqual(result.keep, ['v3', 'v1']);
    assert.deepEqual(result.delete, ['v5', 'v4', 'v2']);
    assert.equal(result.reasons.get('v1'), 'pushed by this run');
    const counted = selectForDeletion(tags, policyOf('keep-last=2'), ['v5'], NOW);
    assert.deepEqual(counted.keep, ['v5', 'v4', 'v3'], 'v5 protected, then the 2 newest candidates');
  });

  it('ties: a tag as new as the N-th newest is kept too, in name order', () => {
    const same = ago(5);
    const tied: DatedTag[] = [
      { tag: 'c', created: same },
      { tag: 'newest', created: ago(1) },
      { tag: 'a', created: same },
      { tag: 'b', created: same },
      { tag: 'older', created: ago(9) },
    ];
    const result = selectForDeletion(tied, policyOf('keep-last=2'), [], NOW);
    assert.deepEqual(result.keep, ['newest', 'a', 'b', 'c']);
    assert.deepEqual(result.delete, ['older']);
    assert.equal(result.reasons.get('a'), '#2 of the 2 newest');
    assert.equal(result.reasons.get('c'), 'as new as #2 of the 2 newest');
    // Same input in another order, same answer.
    assert.deepEqual(selectForDeletion([...tied].reverse(), policyOf('keep-last=2'), [], NOW), result);
  });

  it('a tag without a readable time is kept; a repeated name counts once', () => {
    const odd: DatedTag[] = [
      { tag: 'mystery', created: new Date(Number.NaN) },
      { tag: 'v1', created: ago(60) },
      { tag: 'v1', created: ago(1) },
    ];
    const result = selectForDeletion(odd, policyOf('max-age-days=7'), [], NOW);
    assert.deepEqual(result.keep, ['mystery']);
    assert.deepEqual(result.delete, ['v1']);
    assert.equal(result.reasons.get('mystery'), 'creation time unknown');
  });

  it('gives every tag a reason and never a tag twice', () => {
    const result = selectForDeletion(tags, policyOf('keep-last=2 max-age-days=40'), ['v2'], NOW);
    const all = [...result.keep, ...result.delete];
    assert.equal(new Set(all).size, all.length);
    assert.deepEqual([...all].sort(), tags.map((t) => t.tag).sort());
    for (const tag of all) assert.ok((result.reasons.get(tag) ?? '') !== '', tag);
  });
});

// ---------------------------------------------------------------- applyRetention with the SWR stand-in

describe('applyRetention with SWR', () => {
  const AK = 'HPUATESTAK0000000001';
  const SK = 'TestSecretKey0000000000000000000000000000';
  const REGION = 'cn-north-4';
  let swr: SwrApiStandIn | undefined;
  afterEach(async () => {
    await swr?.close();
    swr = undefined;
  });
  const now = new Date(Math.floor(Date.now() / 1000) * 1000);
  const seed = (): Parameters<typeof startSwrApiStandIn>[0] => ({
    ak: AK,
    sk: SK,
    region: REGION,
    repositories: {
      'team/app': [
        { tag: 't1', created: ago(60, now) },
        { tag: 't2', created: ago(45, now) },
        { tag: 't3', created: ago(35, now) },
        { tag: 't4', created: ago(20, now) },
        { tag: 't5', created: ago(10, now) },
        { tag: 't6', created: ago(0.01, now) },
        { tag: 'latest', created: ago(0.01, now) },
      ],
    },
  });
  const client = (target: SwrApiStandIn): HuaweiApiClient =>
    new HuaweiApiClient({
      credentials: { accessKey: AK, secretKey: SK },
      region: REGION,
      domain: 'myhuaweicloud.com',
      endpoints: new Map([['swr-api', target.url]]),
      fetch,
      clock: { now: () => new Date() },
      retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 2, timeoutMs: 2_000 },
    });

  it('deletes exactly the selected tags and prints what was kept and deleted', async () => {
    swr = await startSwrApiStandIn(seed());
    const log = recordingLog();
    const result = await applyRetention(
      swrRetentionBackend(client(swr), 'team', 'app'),
      policyOf('keep-last=3, max-age-days=30'),
      ['t6', 'latest'],
      now,
      { dryRun: false, log },
    );
    assert.deepEqual(result.deleted, ['t3', 't2', 't1']);
    assert.deepEqual(result.planned, ['t3', 't2', 't1']);
    assert.deepEqual(result.kept, ['latest', 't6', 't5', 't4']);
    assert.deepEqual(swr.tagsOf('team/app'), ['latest', 't4', 't5', 't6']);
    assert.deepEqual(swr.state.deletedTags.sort(), ['team/app:t1', 'team/app:t2', 'team/app:t3']);
    assert.equal(swr.attempts('swr.deleteTag'), 3);
    assert.ok(swr.calls.every((call) => call.signatureValid));
    assert.match(log.lines[0] ?? '', /^retention SWR cn-north-4 team\/app: keep-last=3, max-age-days=30 — 7 tags: keep 4, delete 3$/);
    assert.ok(log.lines.includes('  keep   t6 (pushed by this run)'));
    assert.ok(log.lines.includes('  delete t3 (35 days old, more than 30 days)'));
    assert.equal(log.lines.at(-1), 'retention SWR cn-north-4 team/app: deleted 3 tags: t3, t2, t1');
  });

  it('dry run lists what would go and deletes nothing', async () => {
    swr = await startSwrApiStandIn(seed());
    const log = recordingLog();
    const result = await applyRetention(
      swrRetentionBackend(client(swr), 'team', 'app'),
      policyOf('keep-last=2'),
      ['t6', 'latest'],
      now,
      { dryRun: true, log },
    );
    assert.deepEqual(result.deleted, []);
    assert.deepEqual(result.planned, ['t3', 't2', 't1']);
    assert.equal(swr.attempts('swr.deleteTag'), 0);
    assert.equal(swr.tagsOf('team/app').length, 7);
    assert.match(log.lines[0] ?? '', /would delete 3 \(dry run: nothing is deleted\)$/);
    assert.ok(log.lines.includes('  would delete t1 (not among the 2 newest)'));
  });

  it('tag-pattern limits deletion to matching tags', async () => {
    swr = await startSwrApiStandIn(seed());
    await applyRetention(swrRetentionBackend(client(swr), 'team', 'app'), policyOf('max-age-days=1 tag-pattern=t[12]'), [], now, {
      dryRun: false,
      log: recordingLog(),
    });
    assert.deepEqual(swr.tagsOf('team/app'), ['latest', 't3', 't4', 't5', 't6']);
  });

  it('a failed delete stops the run and says what was and was not deleted', async () => {
    swr = await startSwrApiStandIn({
      ...seed(),
      faults: { 'swr.deleteTag': [{ kind: 'status', status: 403, body: { error_code: 'SVCSTG.SWR.4039002', error_msg: 'no permission' } }] },
    });
    await assert.rejects(
      applyRetention(swrRetentionBackend(client(swr), 'team', 'app'), policyOf('keep-last=3'), ['t6', 'latest'], now, { dryRun: false, log: recordingLog() }),
      /^Error: retention SWR cn-north-4 team\/app: could not delete t2: .*SVCSTG\.SWR\.4039002: no permission — this IAM user may not do this in SWR.*\(deleted before this: none; not attempted: t1\)$/,
    );
    assert.deepEqual(swr.tagsOf('team/app'), ['latest', 't1', 't2', 't3', 't4', 't5', 't6']);
  });
});

// ---------------------------------------------------------------- a real registry

const sha256 = (bytes: Uint8Array): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

interface Blob {
  bytes: Uint8Array;
  digest: string;
}

/** A small single-layer image whose config says when it was created. */
function buildImage(name: string, created: Date): { config: Blob; layer: Blob; manifest: Blob } {
  const layerText = new TextEncoder().encode(`layer of ${name}\n`);
  const layerBytes = new Uint8Array(gzipSync(layerText));
  const configBytes = new TextEncoder().encode(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      created: created.toISOString(),
      config: { Labels: { name } },
      rootfs: { type: 'layers', diff_ids: [sha256(layerText)] },
    }),
  );
  const manifestBytes = new TextEncoder().encode(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MediaTypes.dockerManifest,
      config: { mediaType: MediaTypes.dockerConfig, size: configBytes.length, digest: sha256(configBytes) },
      layers: [{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: layerBytes.length, digest: sha256(layerBytes) }],
    }),
  );
  return {
    config: { bytes: configBytes, digest: sha256(configBytes) },
    layer: { bytes: layerBytes, digest: sha256(layerBytes) },
    manifest: { bytes: manifestBytes, digest: sha256(manifestBytes) },
  };
}

/** Uploads over the raw distribution API, so the code under test does not test itself. */
async function pushImage(host: string, repository: string, image: ReturnType<typeof buildImage>, tags: string[]): Promise<void> {
  for (const blob of [image.config, image.layer]) {
    const start = await fetch(`http://${host}/v2/${repository}/blobs/uploads/`, { method: 'POST' });
    assert.equal(start.status, 202, await start.text());
    const location = new URL(start.headers.get('location') ?? '', `http://${host}`);
    location.searchParams.set('digest', blob.digest);
    const put = await fetch(location, { method: 'PUT', headers: { 'content-type': 'application/octet-stream' }, body: blob.bytes });
    assert.equal(put.status, 201, await put.text());
  }
  for (const tag of tags) {
    const put = await fetch(`http://${host}/v2/${repository}/manifests/${tag}`, {
      method: 'PUT',
      headers: { 'content-type': MediaTypes.dockerManifest },
      body: image.manifest.bytes,
    });
    assert.equal(put.status, 201, await put.text());
  }
}

/** A fetch that records DELETE requests on the way through. */
function countingFetch(): { fetch: typeof fetch; deletes: string[] } {
  const deletes: string[] = [];
  const wrapped: typeof fetch = (input, init) => {
    if ((init?.method ?? 'GET').toUpperCase() === 'DELETE') deletes.push(new URL(String(input)).pathname);
    return fetch(input, init);
  };
  return { fetch: wrapped, deletes };
}

describe('registryRetentionBackend against a real registry', () => {
  const REPO = 'team/app';
  const now = new Date();
  const images = {
    a: buildImage('a', ago(50, now)),
    b: buildImage('b', ago(40, now)),
    c: buildImage('c', ago(30, now)),
    d: buildImage('d', ago(0.01, now)),
  };
  let registry: LocalRegistry;

  before(async () => {
    registry = await startLocalRegistry();
    await pushImage(registry.host, REPO, images.a, ['v1']);
    await pushImage(registry.host, REPO, images.b, ['v2', 'stable']);
    await pushImage(registry.host, REPO, images.c, ['v3']);
    await pushImage(registry.host, REPO, images.d, ['v4', 'latest']);
  });
  after(async () => {
    await registry?.close();
  });

  it('reads tags, digests and config "created" times', async () => {
    const counting = countingFetch();
    const backend = registryRetentionBackend(new RegistryClient({ registry: registry.host, fetch: counting.fetch }), REPO);
    const listed = (await backend.listTags()).sort((x, y) => (x.tag < y.tag ? -1 : 1));
    assert.deepEqual(
      listed.map((t) => [t.tag, t.digest, t.created.toISOString()]),
      [
        ['latest', images.d.manifest.digest, ago(0.01, now).toISOString()],
        ['stable', images.b.manifest.digest, ago(40, now).toISOString()],
        ['v1', images.a.manifest.digest, ago(50, now).toISOString()],
        ['v2', images.b.manifest.digest, ago(40, now).toISOString()],
        ['v3', images.c.manifest.digest, ago(30, now).toISOString()],
        ['v4', images.d.manifest.digest, ago(0.01, now).toISOString()],
      ],
    );
    assert.equal(backend.deletesByDigest, true);
  });

  it('dry run deletes nothing', async () => {
    const counting = countingFetch();
    const client = new RegistryClient({ registry: registry.host, fetch: counting.fetch });
    const log = recordingLog();
    const result = await applyRetention(registryRetentionBackend(client, REPO), policyOf('keep-last=1'), ['v4', 'latest'], now, {
      dryRun: true,
      log,
    });
    assert.deepEqual(result.deleted, []);
    assert.deepEqual(result.planned, ['stable', 'v2', 'v1']);
    assert.deepEqual(counting.deletes, []);
    assert.deepEqual(await listTagsRaw(registry.host, REPO), ['latest', 'stable', 'v1', 'v2', 'v3', 'v4']);
  });

  it('keeps a tag whose digest is shared with a kept tag, says why, and deletes the rest by digest', async () => {
    const counting = countingFetch();
    const client = new RegistryClient({ registry: registry.host, fetch: counting.fetch });
    const log = recordingLog();
    // Candidates v1 v2 v3 (v4 was just pushed; stable and latest do not match); keep-last=1 keeps v3.
    const result = await applyRetention(
      registryRetentionBackend(client, REPO),
      policyOf('keep-last=1 tag-pattern=v\\d+'),
      ['v4', 'latest'],
      now,
      { dryRun: false, log },
    );
    assert.deepEqual(result.deleted, ['v1']);
    assert.ok(result.kept.includes('v2'));
    assert.equal(log.warnings.length, 1);
    assert.match(log.warnings[0] ?? '', /keeping v2: it shares manifest sha256:[0-9a-f]{12} with stable, which stay; deleting the manifest would delete every tag on it/);
    assert.ok(log.lines.some((line) => /^ {2}keep {3}v2 \(not among the 1 newest; kept: shares digest sha256:[0-9a-f]{12} with kept stable\)$/.test(line)), log.lines.join('\n'));
    assert.deepEqual(counting.deletes, [`/v2/${REPO}/manifests/${images.a.manifest.digest}`]);
    assert.deepEqual(await listTagsRaw(registry.host, REPO), ['latest', 'stable', 'v2', 'v3', 'v4']);
    assert.equal(await manifestDigest(registry.host, REPO, images.a.manifest.digest), undefined);
    assert.equal(await manifestDigest(registry.host, REPO, 'v2'), images.b.manifest.digest);
  });

  it('when every tag of a digest goes, deletes that digest once', async () => {
    const counting = countingFetch();
    const client = new RegistryClient({ registry: registry.host, fetch: counting.fetch });
    const result = await applyRetention(registryRetentionBackend(client, REPO), policyOf('keep-last=1'), ['v4', 'latest'], now, {
      dryRun: false,
      log: recordingLog(),
    });
    assert.deepEqual(result.deleted, ['stable', 'v2']);
    assert.deepEqual(counting.deletes, [`/v2/${REPO}/manifests/${images.b.manifest.digest}`]);
    assert.deepEqual(await listTagsRaw(registry.host, REPO), ['latest', 'v3', 'v4']);
  });
});

describe('registryRetentionBackend when the registry does not allow deleting', () => {
  let host = '';
  let stop: (() => Promise<void>) | undefined;

  before(async () => {
    // The same Debian docker-registry, without storage.delete.enabled.
    const dir = await mkdtemp(join(tmpdir(), 'imageship-nodelete-'));
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    host = `127.0.0.1:${port}`;
    await writeFile(
      join(dir, 'config.yml'),
      'version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\n' +
        `storage:\n  filesystem:\n    rootdirectory: ${join(dir, 'data')}\n` +
        `http:\n  addr: ${host}\n  secret: imageship-nodelete\n`,
    );
    const child = spawn(REGISTRY_BINARY, ['serve', join(dir, 'config.yml')], { stdio: 'ignore' });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    stop = async () => {
      child.kill('SIGTERM');
      await exited;
      await rm(dir, { recursive: true, force: true });
    };
    for (let i = 0; ; i++) {
      try {
        const ping = await fetch(`http://${host}/v2/`);
        await ping.body?.cancel();
        if (ping.ok) break;
      } catch {
        if (i > 150) throw new Error('docker-registry did not start');
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await pushImage(host, 'team/app', buildImage('old', ago(90)), ['old']);
    await pushImage(host, 'team/app', buildImage('new', ago(1)), ['new']);
  });
  after(async () => {
    await stop?.();
  });

  it('405 UNSUPPORTED becomes an error naming storage.delete.enabled; nothing is lost', async () => {
    const client = new RegistryClient({ registry: host, fetch });
    const backend: RetentionBackend = registryRetentionBackend(client, 'team/app');
    await assert.rejects(
      applyRetention(backend, policyOf('keep-last=1'), [], new Date(), { dryRun: false, log: recordingLog() }),
      /could not delete old: delete manifest 127\.0\.0\.1:\d+\/team\/app@sha256:[0-9a-f]{64} \(tag old\): HTTP 405 UNSUPPORTED.* — registry 127\.0\.0\.1:\d+ does not allow deleting manifests: .*storage\.delete\.enabled: true/,
    );
    assert.deepEqual(await listTagsRaw(host, 'team/app'), ['new', 'old']);
  });
});
