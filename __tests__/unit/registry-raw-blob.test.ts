/**
 * RegistryClient's blob byte path on raw HTTP/1.1 (getBlobReadable,
 * uploadBlobReadable with the global fetch) where registry-copy.test.ts does
 * not reach: bytes that must never complete an upload (one byte more, one
 * less, one flipped; an empty blob), a source served chunked from storage,
 * the stall watchdog on a download and on an upload, the caller's abort,
 * a whole copy over TLS (trusted through NODE_EXTRA_CA_CERTS), and a copier
 * process that exits as soon as it is done. Real `docker-registry`
 * processes hold the blobs; small node:http servers play the misbehaving parts.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { RegistryClient } from '../../src/registry/client.js';
import { classifyFailure, HttpError } from '../../src/http/retry.js';
import { DigestMismatchError } from '../../src/domain/image/digest.js';
import { startCountingProxy } from '../helpers/counting-proxy.js';
import { pushRandomImage, type PushedImage } from '../helpers/image-fixtures.js';
import { REGISTRY_BINARY, startLocalRegistry, type LocalRegistry } from '../helpers/local-registry.js';
import { manifestDigest } from '../helpers/registry-api.js';
import { standInCerts } from '../standins/kube-apiserver.js';
import { tempDir } from '../helpers/temp-dir.js';

const sha256 = (bytes: Uint8Array): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
const STALL = { attempts: 1, baseDelayMs: 1, maxDelayMs: 2, timeoutMs: 300 };
/** The blob the front below starts to send and never finishes. */
const STALLING_DIGEST = `sha256:${'5'.repeat(64)}`;

let registry: LocalRegistry | undefined;
const host = (): string => registry?.host ?? assert.fail('registry not started');

async function listen(server: Server | ReturnType<typeof createHttpsServer>): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

async function closeServer(server: Server | ReturnType<typeof createHttpsServer>): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

async function blobStatus(repository: string, digest: string): Promise<number> {
  return (await fetch(`http://${host()}/v2/${repository}/blobs/${digest}`, { method: 'HEAD' })).status;
}

function flipped(bytes: Buffer, at: number): Buffer {
  const copy = Buffer.from(bytes);
  copy[at] = (copy[at] ?? 0) ^ 0xff;
  return copy;
}

/** `bytes` in chunks of `pieceBytes` (the last one shorter). */
function piecesOf(bytes: Buffer, pieceBytes = 64 * 1024): Buffer[] {
  const pieces: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += pieceBytes) pieces.push(bytes.subarray(at, at + pieceBytes));
  return pieces;
}

const streamOf = (bytes: Buffer, pieceBytes?: number): Readable => Readable.from(piecesOf(bytes, pieceBytes));

before(async () => {
  if (!existsSync(REGISTRY_BINARY)) throw new Error(`${REGISTRY_BINARY} is missing: apt-get install -y docker-registry`);
  registry = await startLocalRegistry();
});

after(async () => {
  await registry?.close();
});

describe('uploadBlobReadable on a raw connection never completes a bad blob', () => {
  const blob = randomBytes(300 * 1024 + 5);
  const digest = sha256(blob);
  const client = (): RegistryClient => new RegistryClient({ registry: host(), fetch });

  // The first: every byte of the blob, right, then one more in a chunk of its own. Only the
  // copier can refuse that one (the registry would find the digest right), by holding the
  // blob's last chunk back until the source has ended.
  const cases: [string, () => Readable, RegExp][] = [
    ['one byte more than its size (the first bytes right)', () => Readable.from([...piecesOf(blob), Buffer.from([1])]), /size mismatch.*at least/],
    ['one byte fewer', () => streamOf(blob.subarray(0, blob.length - 1)), /size mismatch/],
    ['one byte flipped', () => streamOf(flipped(blob, 1000)), /content digest mismatch/],
  ];
  for (const [label, sourceOf, message] of cases) {
    it(`refuses a source with ${label}: DigestMismatchError, the whole blob never sent, and the registry has no such blob`, async () => {
      const repository = `bad/${label.split(' ')[2] ?? 'x'}`;
      const proxy = await startCountingProxy(host());
      try {
        const client = new RegistryClient({ registry: proxy.host, fetch });
        await assert.rejects(client.uploadBlobReadable(repository, digest, blob.length, sourceOf()), (error: unknown) => {
          assert.ok(error instanceof DigestMismatchError, String(error));
          assert.match(error.message, message);
          return true;
        });
        // Let whatever was sent arrive before counting it.
        await new Promise((resolve) => setTimeout(resolve, 200));
        const put = proxy.requests.find((r) => r.method === 'PUT') ?? assert.fail('no PUT was sent');
        assert.ok(put.requestBytes < blob.length, `the registry received ${put.requestBytes} of ${blob.length} bytes`);
        assert.equal(await blobStatus(repository, digest), 404);
      } finally {
        await proxy.close();
      }
    });
  }

  it('uploads the same bytes when they are right, in any chunking', async () => {
    await client().uploadBlobReadable('good/blob', digest, blob.length, streamOf(blob, 1000));
    assert.equal(await blobStatus('good/blob', digest), 200);
  });

  it('uploads an empty blob, and refuses an empty source for a non-empty digest', async () => {
    const empty = Buffer.alloc(0);
    await client().uploadBlobReadable('good/empty', sha256(empty), 0, Readable.from([]));
    assert.equal(await blobStatus('good/empty', sha256(empty)), 200);
    await assert.rejects(client().uploadBlobReadable('bad/empty', sha256(Buffer.from('x')), 0, Readable.from([])), DigestMismatchError);
    assert.equal(await blobStatus('bad/empty', sha256(Buffer.from('x'))), 404);
  });
});

describe('uploadBlobBeforeDigest: the bytes go up while the digest is computed', () => {
  const blob = randomBytes(700 * 1024 + 3);
  const digest = sha256(blob);
  const later = <T>(value: T, ms = 30): Promise<T> => new Promise((resolve) => setTimeout(() => resolve(value), ms));

  it('one PATCH with every byte, then a PUT naming the digest (given after the bytes left) with no body: the registry holds the blob', async () => {
    const proxy = await startCountingProxy(host());
    try {
      const client = new RegistryClient({ registry: proxy.host, fetch });
      await client.uploadBlobBeforeDigest('early/good', blob.length, streamOf(blob, 4096), later(digest));
      const uploads = proxy.requests.filter((r) => r.url.includes('/blobs/uploads/'));
      assert.deepEqual(uploads.map((r) => [r.method, r.status]), [['POST', 202], ['PATCH', 202], ['PUT', 201]]);
      assert.equal(uploads[1]!.requestBytes, blob.length, 'the PATCH carried the whole blob');
      assert.equal(uploads[2]!.requestBytes, 0, 'the closing PUT carried none');
      assert.equal(new URL(uploads[2]!.url, 'http://x').searchParams.get('digest'), digest);
      const stored = Buffer.from(await (await fetch(`http://${host()}/v2/early/good/blobs/${digest}`)).arrayBuffer());
      assert.equal(stored.equals(blob), true, 'the registry serves the same bytes');
    } finally {
      await proxy.close();
    }
  });

  it('a digest that does not name the bytes: the registry refuses the close, the session is cancelled, no blob under either digest', async () => {
    const proxy = await startCountingProxy(host());
    try {
      const client = new RegistryClient({ registry: proxy.host, fetch });
      const wrong = sha256(flipped(blob, 10));
      await assert.rejects(client.uploadBlobBeforeDigest('early/wrong', blob.length, streamOf(blob), later(wrong)), (error: unknown) => {
        assert.match(String(error), /DIGEST_INVALID|digest/i);
        return true;
      });
      assert.equal(proxy.count('DELETE', (url) => url.includes('/blobs/uploads/')), 1, 'the session was cancelled');
      assert.equal(await blobStatus('early/wrong', wrong), 404);
      assert.equal(await blobStatus('early/wrong', digest), 404);
    } finally {
      await proxy.close();
    }
  });

  for (const [label, source, message] of [
    ['one byte more', () => Readable.from([...piecesOf(blob), Buffer.from([1])]), /size mismatch: expected 716803 bytes, got at least 716804/],
    ['one byte fewer', () => streamOf(blob.subarray(0, blob.length - 1)), /size mismatch: expected 716803 bytes, got 716802/],
  ] as const) {
    it(`a source with ${label} than its size: refused before the PATCH completes, the session cancelled`, async () => {
      const proxy = await startCountingProxy(host());
      try {
        const client = new RegistryClient({ registry: proxy.host, fetch });
        await assert.rejects(client.uploadBlobBeforeDigest('early/size', blob.length, source(), later(digest)), message);
        await new Promise((resolve) => setTimeout(resolve, 200));
        const patch = proxy.requests.find((r) => r.method === 'PATCH') ?? assert.fail('no PATCH was sent');
        assert.ok(patch.requestBytes < blob.length, `the registry received ${patch.requestBytes} of ${blob.length} bytes`);
        assert.equal(proxy.count('PUT'), 0, 'never closed');
        assert.equal(proxy.count('DELETE', (url) => url.includes('/blobs/uploads/')), 1);
        assert.equal(await blobStatus('early/size', digest), 404);
      } finally {
        await proxy.close();
      }
    });
  }

  it("the caller's signal drops the PATCH in flight (the destination turned out to have the blob) and cancels the session", async () => {
    const proxy = await startCountingProxy(host());
    proxy.throttleUploads(256 * 1024);
    try {
      const client = new RegistryClient({ registry: proxy.host, fetch });
      const there = new AbortController();
      setTimeout(() => there.abort(new Error('already there')), 300);
      const started = Date.now();
      await assert.rejects(client.uploadBlobBeforeDigest('early/dropped', blob.length, streamOf(blob), Promise.resolve(digest), { signal: there.signal }), /already there/);
      assert.ok(Date.now() - started < 2_500, 'dropped, not sent to the end (≈ 2.7 s at this rate)');
      assert.equal(proxy.count('PUT'), 0);
      assert.equal(proxy.count('DELETE', (url) => url.includes('/blobs/uploads/')), 1);
      assert.equal(await blobStatus('early/dropped', digest), 404);
    } finally {
      await proxy.close();
    }
  });
});

describe('openUpload: a session opened before the bytes are ready', () => {
  const blob = randomBytes(300 * 1024 + 7);
  const digest = sha256(blob);

  it('is taken by the upload that names it (no second POST), by the streamed and by the monolithic upload alike', async () => {
    const proxy = await startCountingProxy(host());
    try {
      const client = new RegistryClient({ registry: proxy.host, fetch });
      const early = client.openUpload('ahead/streamed');
      const small = client.openUpload('ahead/monolithic');
      await client.uploadBlobBeforeDigest('ahead/streamed', blob.length, streamOf(blob, 4096), Promise.resolve(digest), { session: early });
      await client.uploadBlobReadable('ahead/monolithic', digest, blob.length, streamOf(blob), { session: small });
      const uploads = proxy.requests.filter((r) => r.url.includes('/blobs/uploads/'));
      assert.equal(uploads.filter((r) => r.method === 'POST').length, 2, 'one POST per session, none from the uploads');
      assert.deepEqual(uploads.filter((r) => r.method !== 'POST').map((r) => r.method).sort(), ['PATCH', 'PUT', 'PUT']);
      assert.equal(await blobStatus('ahead/streamed', digest), 200);
      assert.equal(await blobStatus('ahead/monolithic', digest), 200);
      // Both sessions were used: cancelling them now deletes nothing.
      await early.cancel();
      await small.cancel();
      assert.equal(proxy.count('DELETE'), 0);
    } finally {
      await proxy.close();
    }
  });

  it('a session nobody takes is cancelled (DELETE), once; a taken one is not handed out again; one from another repository is refused', async () => {
    const proxy = await startCountingProxy(host());
    try {
      const client = new RegistryClient({ registry: proxy.host, fetch });
      const unused = client.openUpload('ahead/unused');
      await unused.cancel();
      await unused.cancel();
      assert.deepEqual(proxy.requests.filter((r) => r.url.includes('/blobs/uploads/')).map((r) => [r.method, r.status]), [['POST', 202], ['DELETE', 204]]);
      assert.equal(unused.take(), undefined, 'a cancelled session is not handed out');

      const once = client.openUpload('ahead/once');
      await client.uploadBlobReadable('ahead/once', digest, blob.length, streamOf(blob), { session: once });
      proxy.reset();
      // The same (now used) session again: the upload opens its own.
      await client.uploadBlobReadable('ahead/once', digest, blob.length, streamOf(blob), { session: once });
      assert.equal(proxy.count('POST', (url) => url.includes('/blobs/uploads/')), 1);

      const elsewhere = client.openUpload('ahead/elsewhere');
      await assert.rejects(client.uploadBlobReadable('ahead/other', digest, blob.length, streamOf(blob), { session: elsewhere }), /opened in ahead\/elsewhere, not ahead\/other/);
      await elsewhere.cancel();
      assert.equal(await blobStatus('ahead/other', digest), 404);
    } finally {
      await proxy.close();
    }
  });
});

describe('getBlobReadable on a raw connection', () => {
  let image: PushedImage | undefined;
  let front: Server | undefined;
  let frontHost = '';
  let stalls = 0;

  before(async () => {
    image = await pushRandomImage(host(), 'src/app', 'v1', { layers: 1, layerBytes: 2 * 1024 * 1024 });
    // A registry whose blobs live in "storage" that streams them chunked, and one blob that stalls halfway.
    front = createServer((req: IncomingMessage, res: ServerResponse) => {
      const url = req.url ?? '';
      if (url.startsWith('/storage/')) {
        const upstream = httpRequest(`http://${host()}/v2/src/app/blobs/${url.slice('/storage/'.length)}`, (answer) => {
          res.writeHead(answer.statusCode ?? 502, { 'content-type': 'application/octet-stream' });
          answer.on('data', (chunk: Buffer) => res.write(chunk));
          answer.on('end', () => res.end());
        });
        upstream.end();
        return;
      }
      if (url.endsWith(`/blobs/${STALLING_DIGEST}`)) {
        stalls++;
        res.writeHead(200, { 'content-length': 1000 });
        res.write(Buffer.alloc(100));
        return;
      }
      const digest = /\/blobs\/(sha256:[a-f0-9]{64})$/.exec(url)?.[1];
      res.writeHead(digest ? 307 : 404, digest ? { location: `/storage/${digest}` } : {}).end();
    });
    frontHost = `127.0.0.1:${await listen(front)}`;
  });

  after(async () => {
    if (front) await closeServer(front);
  });

  it('follows a redirect to storage that answers chunked, and the copy of its bytes passes the checks', async () => {
    const layer = image?.layers[0] ?? assert.fail('no layer');
    const source = new RegistryClient({ registry: frontHost, fetch });
    const blob = await source.getBlobReadable('src/app', layer.digest);
    assert.equal(blob.size, undefined, 'no Content-Length on a chunked answer');
    await new RegistryClient({ registry: host(), fetch }).uploadBlobReadable('dst/chunked', layer.digest, layer.size, blob.stream);
    assert.equal(await blobStatus('dst/chunked', layer.digest), 200);
  });

  it('fails a download that stops moving after the stall timeout, as a transient HttpError', async () => {
    stalls = 0;
    const client = new RegistryClient({ registry: frontHost, fetch, retry: STALL });
    const started = Date.now();
    const blob = await client.getBlobReadable('src/app', STALLING_DIGEST);
    assert.equal(blob.size, 1000);
    const error = await (async () => {
      for await (const chunk of blob.stream) void chunk;
    })().then(() => assert.fail('the stalled body ended'), (e: unknown) => e);
    const elapsed = Date.now() - started;
    assert.ok(error instanceof HttpError, String(error));
    assert.match(error.message, /^read blob .*: stalled: no byte moved for 0\.3 s \(the stall limit\) while reading the blob$/);
    assert.equal(classifyFailure(error.cause, undefined).transient, true);
    assert.ok(elapsed >= STALL.timeoutMs - 50 && elapsed < 5_000, `took ${elapsed} ms`);
    assert.equal(stalls, 1);
  });

  it("stops a download when the caller's signal aborts, with the caller's reason", async () => {
    const layer = image?.layers[0] ?? assert.fail('no layer');
    const controller = new AbortController();
    const blob = await new RegistryClient({ registry: host(), fetch }).getBlobReadable('src/app', layer.digest, { signal: controller.signal });
    let seen = 0;
    await assert.rejects(
      (async () => {
        for await (const chunk of blob.stream) {
          seen += (chunk as Buffer).length;
          controller.abort(new Error('the caller stopped'));
        }
      })(),
      /the caller stopped/,
    );
    assert.ok(seen > 0 && seen < layer.size);
  });
});

describe('uploadBlobReadable stalls and aborts', () => {
  let fake: Server | undefined;
  let fakeHost = '';
  const deletes: string[] = [];

  before(async () => {
    // Opens sessions, then takes the PUT's first bytes and stops reading, as a wedged registry would.
    fake = createServer((req, res) => {
      if (req.method === 'POST') res.writeHead(202, { location: '/v2/dst/blobs/uploads/session-1', 'content-length': 0 }).end();
      else if (req.method === 'DELETE') {
        deletes.push(req.url ?? '');
        res.writeHead(204).end();
      } else if (req.method === 'PUT') req.once('data', () => req.pause());
      else res.writeHead(404).end();
    });
    fakeHost = `127.0.0.1:${await listen(fake)}`;
  });

  after(async () => {
    if (fake) await closeServer(fake);
  });

  const bigSource = (): Readable =>
    Readable.from(
      (function* () {
        for (let i = 0; i < 64; i++) yield Buffer.alloc(1024 * 1024, i);
      })(),
    );

  it('fails an upload whose destination stops reading as stalled, and cancels the session', async () => {
    deletes.length = 0;
    const client = new RegistryClient({ registry: fakeHost, fetch, retry: STALL });
    const started = Date.now();
    const error = await client.uploadBlobReadable('dst', `sha256:${'2'.repeat(64)}`, 64 * 1024 * 1024, bigSource()).catch((e: unknown) => e);
    const elapsed = Date.now() - started;
    assert.ok(error instanceof HttpError, String(error));
    assert.match(error.message, /stalled: no byte moved for 0\.3 s \(the stall limit\)/);
    assert.ok(elapsed < 5_000, `took ${elapsed} ms`);
    assert.deepEqual(deletes, ['/v2/dst/blobs/uploads/session-1']);
  });

  it("stops an upload when the caller's signal aborts, with the caller's reason", async () => {
    const controller = new AbortController();
    const client = new RegistryClient({ registry: fakeHost, fetch });
    setTimeout(() => controller.abort(new Error('copy cancelled')), 100);
    await assert.rejects(
      client.uploadBlobReadable('dst', `sha256:${'3'.repeat(64)}`, 64 * 1024 * 1024, bigSource(), { signal: controller.signal }),
      /copy cancelled/,
    );
  });
});

describe('a copy on raw connections, end to end', () => {
  let target: LocalRegistry | undefined;
  let image: PushedImage | undefined;
  const proxies: ReturnType<typeof createHttpsServer>[] = [];
  let dir = '';

  /** A TLS front for a registry, as a registry behind a load balancer is; Locations come back https. */
  async function tlsFront(upstream: string): Promise<number> {
    const certs = await standInCerts();
    const server = createHttpsServer({ key: certs.serverKey, cert: certs.serverCert }, (req, res) => {
      const forward = httpRequest(`http://${upstream}${req.url}`, { method: req.method, headers: { ...req.headers, 'x-forwarded-proto': 'https' } }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      forward.on('error', () => res.destroy());
      req.pipe(forward);
    });
    proxies.push(server);
    return listen(server);
  }

  before(async () => {
    target = await startLocalRegistry();
    image = await pushRandomImage(host(), 'e2e/app', 'v1', { layers: 2, layerBytes: 1024 * 1024 });
    dir = tempDir('raw-blob-tls-');
    writeFileSync(join(dir, 'ca.pem'), (await standInCerts()).ca);
  });

  after(async () => {
    await Promise.all(proxies.map((server) => closeServer(server)));
    await target?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const COPY = `
    const { copyImage } = await import(process.env.COPY_MODULE);
    const { RegistryClient } = await import(process.env.CLIENT_MODULE);
    const scheme = process.env.SCHEME;
    const result = await copyImage({
      source: { client: new RegistryClient({ registry: process.env.SRC, fetch, scheme }), repository: 'e2e/app', reference: 'v1' },
      destination: { client: new RegistryClient({ registry: process.env.DST, fetch, scheme }), repository: 'e2e/copied-' + scheme },
      tags: ['v1'],
    });
    console.log(JSON.stringify({ digest: result.digest, blobsCopied: result.blobsCopied, doneAt: Date.now() }));
  `;
  const runCopy = async (env: Record<string, string>): Promise<{ digest: string; blobsCopied: number; doneAt: number; exitedAt: number }> => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', COPY], {
      env: {
        ...process.env,
        COPY_MODULE: new URL('../../src/registry/copy.js', import.meta.url).href,
        CLIENT_MODULE: new URL('../../src/registry/client.js', import.meta.url).href,
        ...env,
      },
      timeout: 30_000,
    });
    return { ...JSON.parse(stdout.trim().split('\n').pop() ?? '{}'), exitedAt: Date.now() };
  };

  it('copies over TLS (SNI for localhost, none for 127.0.0.1), trusting the CA from NODE_EXTRA_CA_CERTS', async () => {
    const [sourcePort, targetPort] = [await tlsFront(host()), await tlsFront(target?.host ?? '')];
    const result = await runCopy({ SRC: `localhost:${sourcePort}`, DST: `127.0.0.1:${targetPort}`, SCHEME: 'https', NODE_EXTRA_CA_CERTS: join(dir, 'ca.pem') });
    assert.equal(result.digest, image?.digest);
    assert.equal(result.blobsCopied, 3);
    assert.equal(await manifestDigest(target?.host ?? '', 'e2e/copied-https', 'v1'), image?.digest);
  });

  it('leaves nothing open: the copier process exits right after the copy', async () => {
    const result = await runCopy({ SRC: host(), DST: target?.host ?? '', SCHEME: 'http' });
    assert.equal(result.blobsCopied, 3);
    assert.ok(result.exitedAt - result.doneAt < 1_500, `the process lingered ${result.exitedAt - result.doneAt} ms after the copy`);
  });
});
