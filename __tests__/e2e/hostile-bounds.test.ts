/**
 * Hostile input is bounded (security issue items 5, 6, 12, 13, 14, 15):
 * registries and API servers on loopback that send endless or huge bodies,
 * indexes of thousands of children, lying sizes and digests, blobs that
 * trickle, uploads that are never answered, extreme Retry-After values and
 * 401s for ever; catastrophic tag patterns and tags longer than the spec
 * allows; a FunctionGraph configuration of the wrong shape. Each case checks
 * what the hostile server received, what the run printed and how it ended;
 * memory and file descriptors are measured in a child process.
 *
 * The action cases run dist/: `npm run bundle` first.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, test } from 'node:test';
import { HuaweiApiClient } from '../../src/cloud/huawei/api-client.js';
import { updateFunctionImage } from '../../src/cloud/huawei/functiongraph.js';
import { copyImage, nodeFetch, parseRetention, RegistryClient } from '../../src/index.js';
import { KubeTransport } from '../../src/deploy/kubernetes/transport.js';
import { applyRetention, registryRetentionBackend } from '../../src/retention/apply.js';
import { fetchWithRetry } from '../../src/http/retry.js';
import { startHostileRegistry, sha256, writeEndlessly, type HostileRegistry } from '../helpers/hostile/hostile-registry.js';
import { startHostileServer } from '../helpers/hostile/hostile-server.js';
import { makeTestCa } from '../helpers/hostile/test-ca.js';
import { OCI_INDEX, OCI_MANIFEST, pushRandomImage, type PushedImage } from '../helpers/image-fixtures.js';
import { REPO_ROOT, runAction } from '../helpers/runner.js';
import { startHuaweiCloudStandIn, type FunctionState } from '../standins/huawei-cloud.js';
import { tempDir } from '../helpers/temp-dir.js';

const LIBRARY = join(REPO_ROOT, 'build', 'src', 'index.js');
const CLI = join(REPO_ROOT, 'build', 'src', 'cli', 'main.js');
const MiB = 1024 * 1024;

// ---------------------------------------------------------------- helpers

const registries: HostileRegistry[] = [];
async function registry(): Promise<HostileRegistry> {
  const started = await startHostileRegistry();
  registries.push(started);
  return started;
}
afterEach(async () => {
  await Promise.all(registries.splice(0).map((r) => r.close()));
});

/** A source registry holding one small image as `src/app:v1` (pushed over HTTP by the fixtures), and an empty destination. */
async function sourceAndDestination(layerBytes = 2048): Promise<{ src: HostileRegistry; dst: HostileRegistry; image: PushedImage }> {
  const src = await registry();
  const dst = await registry();
  const image = await pushRandomImage(src.host, 'src/app', 'v1', { layers: 1, layerBytes, oci: true });
  src.server.requests.length = 0;
  return { src, dst, image };
}

function clients(src: HostileRegistry, dst: HostileRegistry, options: { src?: object; dst?: object } = {}): { source: RegistryClient; destination: RegistryClient } {
  return {
    source: new RegistryClient({ registry: src.host, fetch: nodeFetch, ...options.src }),
    destination: new RegistryClient({ registry: dst.host, fetch: nodeFetch, ...options.dst }),
  };
}

async function copyError(request: Parameters<typeof copyImage>[0]): Promise<Error> {
  return copyImage(request).then(
    () => assert.fail('the copy succeeded'),
    (error: unknown) => error as Error,
  );
}

const requestsTo = (r: HostileRegistry, method: string, path: RegExp): number =>
  r.server.requests.filter((request) => request.method === method && path.test(new URL(request.url, 'http://x').pathname)).length;

/** Runs `script` (an ES module body with LIBRARY imported as `lib`) in a child node, optionally under `ulimit -n`; its last stdout line is JSON. */
async function libraryChild(script: string, options: { openFiles?: number } = {}): Promise<{ result: any; stdout: string; stderr: string; code: number | null }> {
  const code = `const lib = await import(${JSON.stringify(LIBRARY)});\n${script}`;
  const command = options.openFiles === undefined ? process.execPath : 'bash';
  const args =
    options.openFiles === undefined
      ? ['--input-type=module', '-e', code]
      : ['-c', `ulimit -n ${options.openFiles} && exec "$0" --input-type=module -e "$IMAGESHIP_CHILD_SCRIPT"`, process.execPath];
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { ...process.env, IMAGESHIP_CHILD_SCRIPT: code }, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (exit) => {
      clearTimeout(timer);
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8');
      const last = stdout.trim().split('\n').at(-1) ?? '';
      let result: unknown;
      try {
        result = JSON.parse(last);
      } catch {
        result = undefined;
      }
      resolve({ result, stdout, stderr, code: exit });
    });
  });
}

/** Action inputs for copying `source` into `dst` (a generic registry, anonymous). */
function copyInputs(dst: HostileRegistry, source: string, extra: Record<string, string> = {}): Record<string, string> {
  return { provider: 'generic', registry: dst.host, namespace: 'team', image: 'app', 'source-image': source, tags: 'v1', ...extra };
}

// ---------------------------------------------------------------- item 5: bodies are capped

describe('bodies read whole are capped', () => {
  test('an endless manifest body stops at 4 MiB: the error names the limit and the host, memory stays bounded, nothing is pushed', async () => {
    const { src, dst } = await sourceAndDestination();
    let written: Promise<number> | undefined;
    src.intercept = (request, response, path) => {
      if (request.method !== 'GET' || !path.endsWith('/manifests/v1')) return false;
      response.writeHead(200, { 'content-type': OCI_MANIFEST });
      written = writeEndlessly(response, Buffer.alloc(256 * 1024, 0x20));
      return true;
    };
    const child = await libraryChild(`
      const source = new lib.RegistryClient({ registry: ${JSON.stringify(src.host)}, fetch: lib.nodeFetch });
      const destination = new lib.RegistryClient({ registry: ${JSON.stringify(dst.host)}, fetch: lib.nodeFetch });
      let message = 'no error';
      try {
        await lib.copyImage({ source: { client: source, repository: 'src/app', reference: 'v1' }, destination: { client: destination, repository: 'team/app' }, tags: ['v1'] });
      } catch (error) { message = error.message; }
      console.log(JSON.stringify({ message, maxRssMiB: process.resourceUsage().maxRSS / 1024 }));
    `);
    assert.ok(child.result, child.stdout + child.stderr);
    assert.match(child.result.message, new RegExp(`^the manifest of src/app:v1 from ${src.host} is larger than 4 MiB \\(the distribution spec's limit\\): more than 4194304 bytes arrived`));
    assert.ok(child.result.maxRssMiB < 300, `peak RSS ${child.result.maxRssMiB} MiB`);
    const sent = await written;
    assert.ok(sent !== undefined && sent < 64 * MiB, `the server got to write ${sent} bytes before the client hung up`);
    assert.equal(requestsTo(dst, 'PUT', /./), 0, 'nothing written at the destination');
  });

  test('a manifest declaring Content-Length 1 GiB is refused before reading (the action fails with the limit in its error)', async () => {
    const { src, dst } = await sourceAndDestination();
    let written: Promise<number> | undefined;
    src.intercept = (request, response, path) => {
      if (request.method !== 'GET' || !path.endsWith('/manifests/v1')) return false;
      response.writeHead(200, { 'content-type': OCI_MANIFEST, 'content-length': String(1024 * MiB) });
      written = writeEndlessly(response, Buffer.alloc(MiB, 0x20), 1024 * MiB);
      return true;
    };
    const run = await runAction({ inputs: copyInputs(dst, `${src.host}/src/app:v1`) });
    assert.equal(run.exitCode, 1, run.stdout + run.stderr);
    assert.match(run.maskedLog, /::error::.*the manifest of src\/app:v1 from 127\.0\.0\.1:\d+ is larger than 4 MiB \(the distribution spec's limit\): it declares Content-Length 1073741824; nothing of it was read/);
    const sent = await written;
    assert.ok(sent !== undefined && sent < 32 * MiB, `the server got to write ${sent} bytes`);
    assert.equal(requestsTo(dst, 'PUT', /./), 0);
  });

  test('an endless token answer stops at 1 MiB with the token service named', async () => {
    const { src, dst } = await sourceAndDestination();
    let written: Promise<number> | undefined;
    src.intercept = (request, response, path) => {
      if (path === '/token') {
        response.writeHead(200, { 'content-type': 'application/json' });
        written = writeEndlessly(response, Buffer.from(`{"token":"${'t'.repeat(64 * 1024)}`));
        return true;
      }
      response.writeHead(401, { 'www-authenticate': `Bearer realm="http://${src.host}/token",service="hostile"`, 'content-length': 0 });
      response.end();
      return true;
    };
    const { source, destination } = clients(src, dst);
    const error = await copyError({ source: { client: source, repository: 'src/app', reference: 'v1' }, destination: { client: destination, repository: 'team/app' }, tags: ['v1'] });
    assert.match(error.message, new RegExp(`^the token answer from ${src.host} is larger than 1 MiB \\(far more than any token service sends\\)`));
    const sent = await written;
    assert.ok(sent !== undefined && sent < 32 * MiB, `the token service wrote ${sent} bytes`);
    assert.equal(requestsTo(src, 'GET', /^\/token$/), 1, 'not asked again: the same service sends the same answer');
  });

  test('an endless error body is not read whole: the registry error is still reported, at once', async () => {
    const { src, dst } = await sourceAndDestination();
    let written: Promise<number> | undefined;
    src.intercept = (request, response, path) => {
      if (!path.endsWith('/manifests/v1')) return false;
      response.writeHead(404, { 'content-type': 'text/plain' });
      written = request.method === 'HEAD' ? Promise.resolve(0) : writeEndlessly(response, Buffer.alloc(64 * 1024, 0x41));
      if (request.method === 'HEAD') response.end();
      return true;
    };
    const { source, destination } = clients(src, dst);
    const started = Date.now();
    const error = await copyError({ source: { client: source, repository: 'src/app', reference: 'v1' }, destination: { client: destination, repository: 'team/app' }, tags: ['v1'] });
    assert.match(error.message, /^read manifest 127\.0\.0\.1:\d+\/src\/app:v1: HTTP 404$/);
    assert.ok(Date.now() - started < 5_000);
    assert.ok(((await written) ?? 0) < 32 * MiB);
  });

  test('an endless FunctionGraph answer stops at 8 MiB, and nothing is PUT', async () => {
    let written: Promise<number> | undefined;
    const api = await registry();
    api.intercept = (request, response) => {
      if (request.method !== 'GET') return false;
      response.writeHead(200, { 'content-type': 'application/json' });
      written = writeEndlessly(response, Buffer.from(`{"func_name":"fn","user_data":"${'x'.repeat(64 * 1024)}`));
      return true;
    };
    const client = new HuaweiApiClient({
      credentials: { accessKey: 'HPUATESTAK0000000001', secretKey: 'TestSecretKey0000000000000000000000000000' },
      region: 'cn-north-4',
      domain: 'myhuaweicloud.com',
      endpoints: new Map([['functiongraph', `http://${api.host}`]]),
      fetch: nodeFetch,
      clock: { now: () => new Date() },
    });
    const urn = 'urn:fss:cn-north-4:0123456789abcdef0123456789abcdef:function:default:fn';
    const error = await updateFunctionImage(client, urn, 'swr.cn-north-4.myhuaweicloud.com/team/app:2').then(
      () => assert.fail('updated'),
      (e: unknown) => e as Error,
    );
    assert.match(error.message, new RegExp(`^the answer to read FunctionGraph function fn from ${api.host} is larger than 8 MiB \\(far more than any answer of these APIs\\)`));
    assert.ok(((await written) ?? 0) < 64 * MiB);
    assert.equal(api.server.requests.filter((r) => r.method === 'PUT').length, 0, 'no configuration written back');
  });
});

test('an endless Kubernetes answer (over verified TLS) stops at 8 MiB, and a huge declared one is not read at all', async () => {
  const ca = await makeTestCa(['kube.example.test']);
  let written: Promise<number> | undefined;
  let declared = false;
  const server = await startHostileServer(
    (_request, response) => {
      if (declared) {
        response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(1024 * MiB) });
        written = writeEndlessly(response, Buffer.alloc(MiB, 0x20), 1024 * MiB);
      } else {
        response.writeHead(200, { 'content-type': 'application/json' });
        written = writeEndlessly(response, Buffer.from(`{"kind":"Deployment","x":"${'y'.repeat(64 * 1024)}`));
      }
    },
    { tls: ca },
  );
  const transport = new KubeTransport(
    { server: `https://127.0.0.1:${server.port}`, ca: Buffer.from(ca.caPem), token: 'static-token', insecureSkipTlsVerify: false, context: 'test' },
    { retry: { attempts: 3, timeoutMs: 20_000 } },
  );
  try {
    const request = { method: 'GET' as const, path: '/apis/apps/v1/namespaces/prod/deployments/web', operation: 'read deployment prod/web', idempotent: true };
    await assert.rejects(transport.request(request), (error: Error) => {
      assert.match(error.message, new RegExp(`^kubernetes: read deployment prod/web: the answer from 127\\.0\\.0\\.1:${server.port} is larger than 8 MiB \\(far more than any Kubernetes object\\): more than 8388608 bytes arrived`));
      return true;
    });
    assert.ok(((await written) ?? 0) < 64 * MiB);
    assert.equal(server.requests.length, 1, 'not asked again: the same server sends the same body');
    declared = true;
    await assert.rejects(transport.request(request), /it declares Content-Length 1073741824; nothing of it was read/);
    assert.ok(((await written) ?? 0) < 64 * MiB);
  } finally {
    transport.close();
    await server.close();
    await ca.remove();
  }
});

// ---------------------------------------------------------------- item 6: concurrency and index size

/** An index of `count` distinct image manifests sharing one config and one layer (stored by digest in `r`). */
function bigIndex(r: HostileRegistry, image: PushedImage, count: number, label: string): { bytes: Buffer; digest: string } {
  const entries = [];
  for (let i = 0; i < count; i++) {
    const bytes = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config: image.config, layers: image.layers, annotations: { n: `${label}-${i}` } }));
    const digest = r.putManifest('src/app', sha256(bytes), bytes, OCI_MANIFEST);
    entries.push({ mediaType: OCI_MANIFEST, digest, size: bytes.length, platform: { os: 'linux', architecture: 'amd64' } });
  }
  const bytes = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: entries }));
  return { bytes, digest: r.putManifest('src/app', sha256(bytes), bytes, OCI_INDEX) };
}

describe('an index of thousands of children', () => {
  test('10 000 children are refused by the cap before any child is asked for', async () => {
    const { src, dst, image } = await sourceAndDestination();
    const index = bigIndex(src, image, 10_000, 'wide');
    src.putManifest('src/app', 'wide', index.bytes, OCI_INDEX);
    src.server.requests.length = 0;
    const { source, destination } = clients(src, dst);
    const error = await copyError({ source: { client: source, repository: 'src/app', reference: 'wide' }, destination: { client: destination, repository: 'team/app' }, tags: ['v1'] });
    assert.match(error.message, /the index lists 10000 manifests; imageship copies indexes of at most 1000 .*copy the platforms you need one by one/);
    assert.deepEqual(src.server.requests.map((r) => `${r.method} ${r.url}`), ['GET /v2/src/app/manifests/wide'], 'no child manifest read');
    assert.equal(requestsTo(dst, 'PUT', /./), 0);
  });

  test('2 000 children (two nested indexes of 1 000) copy under ulimit -n 1024 with a handful of requests in flight, no EMFILE', async () => {
    const { src, dst, image } = await sourceAndDestination(512);
    const left = bigIndex(src, image, 1_000, 'left');
    const right = bigIndex(src, image, 1_000, 'right');
    const top = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI_INDEX,
        manifests: [left, right].map((child) => ({ mediaType: OCI_INDEX, digest: child.digest, size: child.bytes.length })),
      }),
    );
    const topDigest = src.putManifest('src/app', 'nested', top, OCI_INDEX);
    src.resetPeak();
    dst.resetPeak();
    const child = await libraryChild(
      `
      const source = new lib.RegistryClient({ registry: ${JSON.stringify(src.host)}, fetch: lib.nodeFetch });
      const destination = new lib.RegistryClient({ registry: ${JSON.stringify(dst.host)}, fetch: lib.nodeFetch });
      let out;
      try {
        const result = await lib.copyImage({ source: { client: source, repository: 'src/app', reference: 'nested' }, destination: { client: destination, repository: 'team/app' }, tags: ['v1'] });
        out = { manifests: result.manifests, digest: result.digest };
      } catch (error) { out = { message: error.message, code: error.cause?.code ?? error.code }; }
      console.log(JSON.stringify(out));
    `,
      { openFiles: 1024 },
    );
    assert.doesNotMatch(child.stdout + child.stderr, /EMFILE/);
    assert.deepEqual(child.result, { manifests: 2_003, digest: topDigest }, child.stdout + child.stderr);
    assert.equal(dst.manifest('team/app', 'v1')?.digest, topDigest);
    assert.ok(dst.manifest('team/app', left.digest) && dst.manifest('team/app', right.digest));
    assert.equal([...dst.manifests.keys()].filter((k) => k.startsWith('team/app|sha256:')).length, 2_003);
    // One limiter of 4 for the whole copy; a blob transfer holds a GET here and a PUT there.
    assert.ok(src.peakInFlight <= 8 && dst.peakInFlight <= 8, `in flight at once: source ${src.peakInFlight}, destination ${dst.peakInFlight}`);
  });
});

// ---------------------------------------------------------------- lying sizes and digests

describe('a source that lies about its blobs', () => {
  test('a layer served with another size than its manifest gives is refused before the destination is written', async () => {
    const { src, dst, image } = await sourceAndDestination();
    const layer = image.layers[0]!;
    src.intercept = (request, response, path) => {
      if (request.method !== 'GET' || path !== `/v2/src/app/blobs/${layer.digest}`) return false;
      const bytes = Buffer.concat([src.blobs.get(layer.digest)!, randomBytes(100)]);
      response.writeHead(200, { 'content-length': bytes.length });
      response.end(bytes);
      return true;
    };
    const { source, destination } = clients(src, dst);
    const error = await copyError({ source: { client: source, repository: 'src/app', reference: 'v1' }, destination: { client: destination, repository: 'team/app' }, tags: ['v1'] });
    assert.match(error.message, new RegExp(`size mismatch for blob ${layer.digest}: the manifest says ${layer.size} bytes, the source serves ${layer.size + 100}`));
    assert.equal(dst.blobs.has(layer.digest), false);
    assert.equal(requestsTo(dst, 'PUT', /\/manifests\//), 0, 'no manifest, so no tag');
  });

  test('a layer whose bytes do not match its digest never completes an upload, and no tag is written', async () => {
    const { src, dst, image } = await sourceAndDestination(64 * 1024);
    const layer = image.layers[0]!;
    src.intercept = (request, response, path) => {
      if (request.method !== 'GET' || path !== `/v2/src/app/blobs/${layer.digest}`) return false;
      response.writeHead(200, { 'content-length': layer.size });
      response.end(randomBytes(layer.size));
      return true;
    };
    const { source, destination } = clients(src, dst);
    const error = await copyError({ source: { client: source, repository: 'src/app', reference: 'v1' }, destination: { client: destination, repository: 'team/app' }, tags: ['v1'] });
    assert.match(error.message, new RegExp(`the source served corrupted bytes for blob ${layer.digest}; nothing was published`));
    assert.equal(dst.blobs.has(layer.digest), false);
    const layerPuts = dst.server.requests.filter((r) => r.method === 'PUT' && new URL(r.url, 'http://x').searchParams.get('digest') === layer.digest);
    assert.equal(layerPuts.length, 0, 'no upload of the layer was completed (its last bytes are held back until the digest checks out)');
    assert.equal(requestsTo(dst, 'PUT', /\/manifests\//), 0);
  });
});

// ---------------------------------------------------------------- items 12 and 13: slow blobs, silent registries

describe('slow and silent registries', () => {
  /** Serves the layer a byte at a time, every `everyMs`, after `first` bytes at once (then, with stopAfter, goes quiet). */
  function trickle(src: HostileRegistry, layer: { digest: string; size: number }, everyMs: number, first = 0, stopAfter = Infinity): void {
    src.intercept = (request, response, path) => {
      if (request.method !== 'GET' || path !== `/v2/src/app/blobs/${layer.digest}`) return false;
      const bytes = src.blobs.get(layer.digest)!;
      response.writeHead(200, { 'content-length': bytes.length });
      response.write(bytes.subarray(0, first));
      let at = first;
      const timer = setInterval(() => {
        if (at >= bytes.length || at >= stopAfter) return;
        response.write(bytes.subarray(at, at + 1));
        at++;
      }, everyMs);
      response.on('close', () => clearInterval(timer));
      return true;
    };
  }

  test('a blob trickling a byte every 300 ms never stalls but hits its overall deadline; the error says which limit and its numbers', async () => {
    const { src, dst, image } = await sourceAndDestination(64);
    const layer = image.layers[0]!;
    trickle(src, layer, 300);
    const { source, destination } = clients(src, dst, { src: { retry: { timeoutMs: 2_000 }, blobTimeouts: { deadlineBaseMs: 1_500 } } });
    const started = Date.now();
    const error = await copyError({ source: { client: source, repository: 'src/app', reference: 'v1' }, destination: { client: destination, repository: 'team/app' }, tags: ['v1'] });
    const took = Date.now() - started;
    assert.match(error.message, /not done within the overall deadline of 1\.5 s \(1\.5 s \+ 1 s per 100 KiB of its 64 bytes\): the transfer is too slow/);
    assert.doesNotMatch(error.message, /stall/);
    assert.ok(took >= 1_400 && took < 6_000, `failed after ${took} ms`);
    assert.equal(requestsTo(src, 'GET', new RegExp(`/blobs/${layer.digest}$`)), 1, 'a blob too slow for its deadline is not started over');
    assert.equal(requestsTo(dst, 'PUT', /\/manifests\//), 0);
  });

  test('a blob that stops moving trips the stall limit instead, and the error says so', async () => {
    const { src, dst, image } = await sourceAndDestination(64);
    const layer = image.layers[0]!;
    trickle(src, layer, 50, 10, 20);
    const { source, destination } = clients(src, dst, { src: { retry: { timeoutMs: 800 } } });
    const error = await copyError({
      source: { client: source, repository: 'src/app', reference: 'v1' },
      destination: { client: destination, repository: 'team/app' },
      tags: ['v1'],
      retry: { attempts: 2, baseDelayMs: 10 },
    });
    assert.match(error.message, /stalled: no byte moved for 0\.8 s \(the stall limit\)/);
    assert.doesNotMatch(error.message, /deadline/);
    assert.equal(requestsTo(src, 'GET', new RegExp(`/blobs/${layer.digest}$`)), 2, 'a stall is transient: started over once, as the policy allows');
  });

  test('a blob upload the registry takes in full and never answers fails after the answer wait, sent twice at most', async () => {
    const { src, dst, image } = await sourceAndDestination(4096);
    dst.intercept = (request, _response, path) => request.method === 'PUT' && path.includes('/blobs/uploads/'); // swallowed: no answer
    const { source, destination } = clients(src, dst, { dst: { retry: { timeoutMs: 1_000 }, blobTimeouts: { answerBaseMs: 1_000 } } });
    const started = Date.now();
    const error = await copyError({ source: { client: source, repository: 'src/app', reference: 'v1' }, destination: { client: destination, repository: 'team/app' }, tags: ['v1'], retry: { baseDelayMs: 10 } });
    const took = Date.now() - started;
    assert.match(error.message, /^upload blob sha256:[0-9a-f]{64} to 127\.0\.0\.1:\d+\/team\/app: all \d+ bytes were sent and the registry gave no answer within 1 s \(the answer wait\)$/);
    assert.ok(took < 8_000, `failed after ${took} ms`);
    const puts = dst.server.requests.filter((r) => r.method === 'PUT' && r.url.includes('/blobs/uploads/'));
    const perBlob = new Map<string, number>();
    for (const put of puts) {
      const digest = new URL(put.url, 'http://x').searchParams.get('digest') ?? '';
      perBlob.set(digest, (perBlob.get(digest) ?? 0) + 1);
    }
    assert.ok(puts.length > 0 && [...perBlob.values()].every((n) => n <= 2), `PUTs per blob: ${JSON.stringify([...perBlob])}`);
    assert.equal(image.layers.length, 1);
  });

  test('a manifest PUT that is never answered is sent twice, then fails saying it may or may not have been applied', async () => {
    const { src, dst } = await sourceAndDestination();
    dst.intercept = (request, _response, path) => request.method === 'PUT' && path.includes('/manifests/');
    const { source, destination } = clients(src, dst, { dst: { retry: { timeoutMs: 1_000, baseDelayMs: 10 } } });
    const started = Date.now();
    const error = await copyError({ source: { client: source, repository: 'src/app', reference: 'v1' }, destination: { client: destination, repository: 'team/app' }, tags: ['v1'] });
    assert.match(error.message, /^write manifest 127\.0\.0\.1:\d+\/team\/app:v1: no answer within 1 s of sending the request with its body, 2 times in a row; not sent again: the server may or may not have applied it$/);
    assert.equal(requestsTo(dst, 'PUT', /\/manifests\/v1$/), 2);
    assert.ok(Date.now() - started < 8_000);
  });

  test('SIGTERM during a copy: the CLI exits at once, non-zero, and no tag is written', async () => {
    const { src, dst, image } = await sourceAndDestination(256);
    trickle(src, image.layers[0]!, 1_000);
    const home = tempDir('imageship-sigterm-');
    const child = spawn(
      process.execPath,
      [CLI, 'run', '--provider', 'generic', '--registry', dst.host, '--namespace', 'team', '--image', 'app', '--source-image', `${src.host}/src/app:v1`, '--tags', 'v1'],
      { cwd: home, env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: home, DOCKER_CONFIG: home }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const output: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
    // Wait until the blob is on its way, then stop the run.
    for (let i = 0; i < 200 && requestsTo(src, 'GET', /\/blobs\/sha256:/) === 0; i++) await new Promise((r) => setTimeout(r, 50));
    assert.ok(requestsTo(src, 'GET', /\/blobs\/sha256:/) > 0, Buffer.concat(output).toString());
    const killedAt = Date.now();
    child.kill('SIGTERM');
    const end = await Promise.race([exited, new Promise<'hung'>((r) => setTimeout(() => r('hung'), 10_000))]);
    if (end === 'hung') child.kill('SIGKILL');
    assert.notEqual(end, 'hung', 'still running 10 s after SIGTERM');
    assert.ok(Date.now() - killedAt < 5_000, `took ${Date.now() - killedAt} ms to exit`);
    assert.ok((end as { code: number | null }).code !== 0, `exit ${JSON.stringify(end)}`);
    assert.equal(requestsTo(dst, 'PUT', /\/manifests\//), 0, 'no tag or manifest written');
  });
});

// ---------------------------------------------------------------- Retry-After and 401 loops

describe('servers that ask for endless patience', () => {
  test('Retry-After: a huge value is capped at 60 s; negative, fractional and garbage values fall back to the backoff', async () => {
    const api = await registry();
    // '9999-12-31' is no HTTP-date, though Date.parse reads it (as the year 9999): it must not become a minute's wait;
    // '-5' and '1.5' Date.parse reads as dates in 2001.
    const answers = ['99999999999999999999', '-5', '1.5', 'soon', '9999-12-31', 'Fri, 31 Dec 9999 23:59:59 GMT'];
    let call = 0;
    api.intercept = (_request, response) => {
      const value = answers[call++];
      if (value === undefined) {
        response.writeHead(200, { 'content-length': 2 });
        response.end('ok');
      } else {
        response.writeHead(503, { 'retry-after': value, 'content-length': 0 });
        response.end();
      }
      return true;
    };
    const waits: number[] = [];
    const response = await fetchWithRetry(
      nodeFetch,
      { url: `http://${api.host}/v2/`, operation: 'probe' },
      { attempts: 7, baseDelayMs: 100, maxDelayMs: 100 },
      async (ms) => void waits.push(ms),
    );
    assert.equal(response.status, 200);
    assert.equal(api.server.requests.length, 7);
    assert.equal(waits.length, 6);
    assert.equal(waits[0], 60_000, 'capped');
    for (const [i, wait] of waits.slice(1, 5).entries()) assert.ok(wait >= 0 && wait <= 100, `${answers[i + 1]} → ${wait} ms: the backoff, not the header`);
    assert.equal(waits[5], 60_000, 'a far-future HTTP-date is capped too');
  });

  test('a registry answering 401 for ever, even to the token it issued, fails after a bounded number of requests with a clear error', async () => {
    const { src, dst } = await sourceAndDestination();
    src.intercept = (_request, response, path) => {
      if (path === '/token') {
        const body = JSON.stringify({ token: `t-${randomBytes(4).toString('hex')}` });
        response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
        response.end(body);
        return true;
      }
      response.writeHead(401, { 'www-authenticate': `Bearer realm="http://${src.host}/token",service="loop",scope="repository:src/app:pull"`, 'content-length': 0 });
      response.end();
      return true;
    };
    const { source, destination } = clients(src, dst);
    const error = await copyError({ source: { client: source, repository: 'src/app', reference: 'v1' }, destination: { client: destination, repository: 'team/app' }, tags: ['v1'] });
    assert.match(error.message, /^read manifest 127\.0\.0\.1:\d+\/src\/app:v1: HTTP 401 \(registry 127\.0\.0\.1:\d+ requires authentication and no credentials were given\)$/);
    assert.equal(requestsTo(src, 'GET', /\/manifests\//), 2, 'the request, and once more with the token');
    assert.equal(requestsTo(src, 'GET', /^\/token$/), 1);
  });

  test('a destination that answers every blob upload with 401, whatever token it issued, is given up on after a bounded number of tries', async () => {
    const { src, dst } = await sourceAndDestination();
    let issued = 0;
    dst.intercept = (request, response, path) => {
      if (path === '/token') {
        const body = JSON.stringify({ token: `t-${++issued}` });
        response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
        response.end(body);
        return true;
      }
      const challenge = { 'www-authenticate': `Bearer realm="http://${dst.host}/token",service="loop"`, 'content-length': 0 };
      if (request.headers.authorization === undefined || (request.method === 'PUT' && path.includes('/blobs/uploads/'))) {
        response.writeHead(401, challenge);
        response.end();
        return true;
      }
      return false;
    };
    const { source, destination } = clients(src, dst);
    const error = await copyError({ source: { client: source, repository: 'src/app', reference: 'v1' }, destination: { client: destination, repository: 'team/app' }, tags: ['v1'], retry: { baseDelayMs: 1 } });
    assert.match(error.message, /HTTP 401 \(registry 127\.0\.0\.1:\d+ refused the token during a streamed upload; a fresh token was fetched\)/);
    const puts = requestsTo(dst, 'PUT', /\/blobs\/uploads\//);
    assert.ok(puts >= 1 && puts <= 8, `${puts} upload PUTs`);
    assert.ok(issued <= 12, `${issued} tokens issued`);
    assert.equal(requestsTo(dst, 'PUT', /\/manifests\//), 0);
  });
});

// ---------------------------------------------------------------- item 14: retention patterns and tags

describe('retention against registry-supplied tags', () => {
  test('a catastrophic tag-pattern is refused when the inputs are read, before any request', async () => {
    const { src, dst } = await sourceAndDestination();
    const run = await runAction({ inputs: copyInputs(dst, `${src.host}/src/app:v1`, { retention: 'keep-last=1, tag-pattern=^(a+)+$' }) });
    assert.equal(run.exitCode, 1, run.stdout + run.stderr);
    assert.match(
      run.maskedLog,
      /::error::.*retention: tag-pattern "\^\(a\+\)\+\$" could take hours on a crafted tag from the registry \(catastrophic backtracking\): "\(a\+\)\+" repeats something that holds a repeat of its own, "a\+" \(nested quantifiers\): write one repeat, e\.g\. a\+ instead of \(a\+\)\+/,
    );
    assert.equal(src.server.requests.length, 0, 'the source registry was never contacted');
    assert.equal(dst.server.requests.length, 0, 'the destination registry was never contacted');

    for (const pattern of ['(a|a)*', '(a|ab)+x', '(\\w+\\s?)*$', '.*.*.*.*.*z']) {
      const parsed = parseRetention(`keep-last=1, tag-pattern=${pattern}`);
      assert.equal(parsed.policy, undefined, pattern);
      assert.match(parsed.errors[0] ?? '', /catastrophic backtracking/, pattern);
    }
    for (const pattern of ['^sha-[0-9a-f]{7}$', '^v\\d+\\.\\d+\\.\\d+(-rc\\d+)?$', '^(dev|staging)-.*', '(\\d{1,3}\\.){3}\\d{1,3}']) {
      assert.deepEqual(parseRetention(`keep-last=1, tag-pattern=${pattern}`).errors, [], pattern);
    }
  });

  test('tags longer than 128 characters from the registry are skipped with one warning, never matched or deleted', async () => {
    const { src } = await sourceAndDestination();
    const manifest = src.manifest('src/app', 'v1')!;
    for (const tag of ['v2', 'v3']) src.putManifest('src/app', tag, manifest.bytes, manifest.mediaType);
    const long = `v${'1'.repeat(300)}`;
    const hostile = `${'a'.repeat(5_000)}!`;
    const original = src.intercept;
    src.intercept = (request, response, path) => {
      if (path !== '/v2/src/app/tags/list') return original?.(request, response, path) ?? false;
      const body = JSON.stringify({ name: 'src/app', tags: ['v1', 'v2', 'v3', long, hostile] });
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      response.end(body);
      return true;
    };
    const warnings: string[] = [];
    const client = new RegistryClient({ registry: src.host, fetch: nodeFetch });
    const policy = parseRetention('keep-last=10, tag-pattern=v\\d+').policy!;
    const result = await applyRetention(
      registryRetentionBackend(client, 'src/app', { log: { warn: (line) => warnings.push(line) } }),
      policy,
      [],
      new Date(),
      { dryRun: true, log: { info: () => undefined, warn: (line) => warnings.push(line) } },
    );
    assert.deepEqual(result.kept.sort(), ['v1', 'v2', 'v3']);
    assert.equal(warnings.filter((w) => w.includes('not a valid tag')).length, 1, warnings.join('\n'));
    assert.match(warnings.find((w) => w.includes('not a valid tag')) ?? '', /the registry listed 2 tags that are not a valid tag \(at most 128 characters .*\(301 characters\)": skipped \(kept, never matched or deleted\)$/);
    const asked = src.server.requests.map((r) => r.url);
    assert.ok(!asked.some((url) => url.includes(long.slice(0, 50)) || url.includes('aaaaaaaaaa')), 'the invalid tags were never looked up');
  });
});

// ---------------------------------------------------------------- item 15: FunctionGraph configuration shapes

describe('a FunctionGraph configuration of the wrong shape', () => {
  const AK = 'HPUATESTAK0000000001';
  const SK = 'TestSecretKey0000000000000000000000000000';
  const PROJECT = '0123456789abcdef0123456789abcdef';
  const base: FunctionState = { func_name: 'fn', runtime: 'Custom Image', handler: '-', memory_size: 512, timeout: 30, code_type: 'Custom-Image-Swr' };

  for (const [label, value, came] of [
    ['a string', 'nginx:1.27', /"custom_image" as a string \("nginx:1\.27"\), not an object/],
    ['an array', ['nginx:1.27'], /"custom_image" as an array of 1, not an object/],
  ] as const) {
    test(`custom_image as ${label} is refused and nothing is PUT`, async () => {
      const standIn = await startHuaweiCloudStandIn({ ak: AK, sk: SK, projectId: PROJECT, region: 'cn-north-4', functions: [{ ...base, custom_image: value as never }] });
      try {
        const client = new HuaweiApiClient({
          credentials: { accessKey: AK, secretKey: SK },
          region: 'cn-north-4',
          domain: 'myhuaweicloud.com',
          endpoints: new Map([['functiongraph', standIn.url]]),
          fetch: nodeFetch,
          clock: { now: () => new Date() },
        });
        const error = await updateFunctionImage(client, `urn:fss:cn-north-4:${PROJECT}:function:default:fn`, 'swr.cn-north-4.myhuaweicloud.com/team/app:2').then(
          () => assert.fail('updated'),
          (e: unknown) => e as Error,
        );
        assert.match(error.message, /^update FunctionGraph function fn: the function configuration the API returned has /);
        assert.match(error.message, came);
        assert.match(error.message, /nothing was written/);
        assert.equal(standIn.attempts('functiongraph.updateConfig'), 0, 'no PUT');
        assert.equal(standIn.state.updates.length, 0);
      } finally {
        await standIn.close();
      }
    });
  }
});
