/**
 * The verify step after a registry-API write (copy, re-copy, retag, merge, package; and replicate-to's read-back) sends no request of its own when the
 * registry confirmed every tag as it was written, and falls back to a HEAD per tag when the registry's manifest PUT
 * answers carry no Docker-Content-Digest. Runs the compiled CLI (the pipeline the action runs) against the test
 * bed's anonymous registry through a counting proxy that records every request (and, for the fallback, strips the
 * header from manifest PUT answers); digests are read back from the registry directly, not through the code under
 * test.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startCountingProxy, type CountingProxy, type ProxiedRequest } from '../helpers/counting-proxy.js';
import { pushRandomImage } from '../helpers/image-fixtures.js';
import { anonTarget, bed, output, runCli, type CliRun } from '../helpers/package-run.js';
import { manifestDigest } from '../helpers/registry-api.js';
import { tempDir } from '../helpers/temp-dir.js';
import { uniqueNamespace } from '../helpers/workspace.js';

const CONFIRMED_LINE = 'the registry confirmed each tag when it was written';

let proxy: CountingProxy;
let work: string;

before(async () => {
  proxy = await startCountingProxy(bed.anonRegistry);
  work = tempDir('imageship-verify-confirmed-');
});
after(async () => proxy.close());

/** `imageship run` to `<proxy>/<namespace>/app` under `tags`, with --output json; the run's requests at the proxy. */
async function run(namespace: string, tags: string[], flags: string[]): Promise<{ cli: CliRun; digest: string; requests: ProxiedRequest[] }> {
  proxy.reset();
  const [first = 'v1', ...rest] = tags;
  const cli = await runCli([...anonTarget(namespace, proxy.host, first), ...rest.flatMap((tag) => ['--tags', tag]), '--output', 'json', ...flags], { cwd: work });
  assert.equal(cli.exitCode, 0, output(cli));
  const digest = (JSON.parse(cli.stdout) as { digest: string }).digest;
  return { cli, digest, requests: [...proxy.requests] };
}

const isManifest = (request: ProxiedRequest, method: string, tag?: string): boolean =>
  request.method === method && (tag === undefined ? /\/manifests\/[^/]+$/.test(request.url) : request.url.endsWith(`/manifests/${tag}`));

/** The requests sent after the run's last manifest PUT (the verify step's, if it sends any). */
function afterLastManifestPut(requests: ProxiedRequest[]): ProxiedRequest[] {
  const last = requests.findLastIndex((request) => isManifest(request, 'PUT'));
  assert.ok(last >= 0, `no manifest PUT at all:\n${listing(requests)}`);
  return requests.slice(last + 1);
}

const tagHeads = (requests: ProxiedRequest[], tags: string[]): ProxiedRequest[] => requests.filter((request) => tags.some((tag) => isManifest(request, 'HEAD', tag)));
const listing = (requests: ProxiedRequest[]): string => requests.map((request) => `${request.method} ${request.url} → ${request.status}`).join('\n');

describe('verify takes the registry\'s answers to the writes: no HEAD per tag after the last manifest PUT', () => {
  test('copy, then a re-copy: same digest both times, the verify step asks nothing', async () => {
    const sourceRepo = `${uniqueNamespace('vc-src')}/app`;
    const image = await pushRandomImage(bed.anonRegistry, sourceRepo, 'v1', { layers: 2, layerBytes: 8192 });
    const namespace = uniqueNamespace('vc-copy');
    const tags = ['v1', 'stable'];
    const source = ['--source-image', `${bed.anonRegistry}/${sourceRepo}:v1`];

    const copy = await run(namespace, tags, source);
    assert.equal(copy.digest, image.digest, 'the digest output is the source digest');
    for (const tag of tags) assert.equal(await manifestDigest(bed.anonRegistry, `${namespace}/app`, tag), image.digest, tag);
    assert.deepEqual(tagHeads(afterLastManifestPut(copy.requests), tags), [], listing(copy.requests));
    assert.match(copy.cli.stderr, new RegExp(CONFIRMED_LINE));
    assert.match(copy.cli.stderr, new RegExp(`2 tag\\(s\\) → ${image.digest}`));

    const recopy = await run(namespace, tags, source);
    assert.equal(recopy.digest, image.digest);
    assert.equal(recopy.requests.filter((request) => isManifest(request, 'PUT', 'v1')).length, 0, 'v1 holds the digest already: not written');
    assert.equal(tagHeads(recopy.requests, ['v1']).length, 1, `one HEAD of v1 (the copy's own, before anything is written):\n${listing(recopy.requests)}`);
    assert.deepEqual(tagHeads(afterLastManifestPut(recopy.requests), tags), [], listing(recopy.requests));
    assert.match(recopy.cli.stderr, new RegExp(CONFIRMED_LINE));
  });

  test('retag within the repository: one GET, a PUT per tag, nothing after', async () => {
    const namespace = uniqueNamespace('vc-retag');
    const image = await pushRandomImage(bed.anonRegistry, `${namespace}/app`, 'rc1', { layers: 1, layerBytes: 4096 });
    const tags = ['1.0.0', 'stable'];
    const retag = await run(namespace, tags, ['--source-image', `${proxy.host}/${namespace}/app:rc1`]);
    assert.equal(retag.digest, image.digest);
    assert.match(retag.cli.stderr, /no blob moved/);
    for (const tag of tags) assert.equal(await manifestDigest(bed.anonRegistry, `${namespace}/app`, tag), image.digest, tag);
    assert.equal(retag.requests.filter((request) => isManifest(request, 'GET', 'rc1')).length, 1);
    assert.equal(retag.requests.filter((request) => isManifest(request, 'PUT')).length, 2);
    assert.deepEqual(tagHeads(retag.requests, tags), [], `no HEAD of a tag at all:\n${listing(retag.requests)}`);
    assert.match(retag.cli.stderr, new RegExp(CONFIRMED_LINE));
  });

  test('merge-digests: the index under each tag, nothing asked after', async () => {
    const namespace = uniqueNamespace('vc-merge');
    const amd = await pushRandomImage(bed.anonRegistry, `${namespace}/app`, undefined, { layers: 1, layerBytes: 2048 });
    const arm = await pushRandomImage(bed.anonRegistry, `${namespace}/app`, undefined, { layers: 1, layerBytes: 2048, platform: { os: 'linux', architecture: 'arm64' } });
    const tags = ['latest', '1.4'];
    const merge = await run(namespace, tags, ['--merge-digests', amd.digest, '--merge-digests', arm.digest]);
    for (const tag of tags) assert.equal(await manifestDigest(bed.anonRegistry, `${namespace}/app`, tag), merge.digest, tag);
    assert.deepEqual(tagHeads(afterLastManifestPut(merge.requests), tags), [], listing(merge.requests));
    assert.match(merge.cli.stderr, new RegExp(CONFIRMED_LINE));
  });

  test('package: the assembled image under each tag, nothing asked after', async () => {
    const namespace = uniqueNamespace('vc-package');
    const jar = join(work, 'app.jar');
    writeFileSync(jar, randomBytes(4096));
    const tags = ['v1', 'stable'];
    const assembled = await run(namespace, tags, ['--package', jar, '--base-image', bed.baseImage]);
    for (const tag of tags) assert.equal(await manifestDigest(bed.anonRegistry, `${namespace}/app`, tag), assembled.digest, tag);
    assert.deepEqual(tagHeads(afterLastManifestPut(assembled.requests), tags), [], listing(assembled.requests));
    assert.match(assembled.cli.stderr, new RegExp(CONFIRMED_LINE));
  });
});

describe('replicate-to reads the replica back the same way', () => {
  test('copy, then replicate through the proxy: the replica\'s tags are confirmed by its PUT answers, not asked for again', async () => {
    const sourceRepo = `${uniqueNamespace('vc-src')}/app`;
    const image = await pushRandomImage(bed.anonRegistry, sourceRepo, 'v1', { layers: 1, layerBytes: 4096 });
    const namespace = uniqueNamespace('vc-dest');
    const replica = `${uniqueNamespace('vc-repl')}/app`;
    proxy.reset();
    const cli = await runCli(
      [...anonTarget(namespace, bed.anonRegistry, 'v1'), '--tags', 'stable', '--output', 'json', '--source-image', `${bed.anonRegistry}/${sourceRepo}:v1`, '--replicate-to', `${proxy.host}/${replica}`],
      { cwd: work },
    );
    assert.equal(cli.exitCode, 0, output(cli));
    const requests = [...proxy.requests];
    for (const tag of ['v1', 'stable']) assert.equal(await manifestDigest(bed.anonRegistry, replica, tag), image.digest, tag);
    assert.deepEqual(tagHeads(afterLastManifestPut(requests), ['v1', 'stable']), [], listing(requests));
    assert.match(cli.stderr, new RegExp(`${proxy.host}/${replica}: 2 tag\\(s\\) → ${image.digest}`));
  });
});

describe('a registry whose manifest PUT answers carry no Docker-Content-Digest', () => {
  test('copy: the verify step asks for each tag with a HEAD after the last PUT; same digest', async () => {
    const sourceRepo = `${uniqueNamespace('vc-src')}/app`;
    const image = await pushRandomImage(bed.anonRegistry, sourceRepo, 'v1', { layers: 1, layerBytes: 4096 });
    const namespace = uniqueNamespace('vc-silent');
    const tags = ['v1', 'stable'];
    proxy.reset();
    proxy.stripManifestPutDigest(true);
    const cli = await runCli([...anonTarget(namespace, proxy.host, 'v1'), '--tags', 'stable', '--output', 'json', '--source-image', `${bed.anonRegistry}/${sourceRepo}:v1`], { cwd: work });
    const requests = [...proxy.requests];
    proxy.stripManifestPutDigest(false);
    assert.equal(cli.exitCode, 0, output(cli));
    assert.equal((JSON.parse(cli.stdout) as { digest: string }).digest, image.digest);
    const stripped = requests.filter((request) => request.fault === 'digest-stripped');
    assert.equal(stripped.length, 2, `both tag PUTs answered without the header:\n${listing(requests)}`);
    const verifyHeads = tagHeads(afterLastManifestPut(requests), tags);
    assert.deepEqual(verifyHeads.map((request) => request.url.split('/manifests/')[1]).sort(), ['stable', 'v1'], listing(requests));
    assert.ok(verifyHeads.every((request) => request.status === 200));
    assert.doesNotMatch(cli.stderr, new RegExp(CONFIRMED_LINE));
    assert.match(cli.stderr, new RegExp(`2 tag\\(s\\) → ${image.digest}`));
  });
});
