/**
 * Blob hashing on worker threads (src/domain/image/hash-pool.ts) and the digest
 * checks built on it (src/domain/image/digest.ts): the same digests as hashing in
 * place, whatever the chunking; work really on other threads; a wrong byte
 * still fails; and an abandoned hash never keeps a process alive.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, it } from 'node:test';
import { availableParallelism } from 'node:os';
import { BlobCheck, DigestMismatchError, verifyingStream, verifyingTransform } from '../../src/domain/image/digest.js';
import { hashWorkerThreadIds, openBlobHash, setHashWorkers, WORKER_HASH_MIN_BYTES } from '../../src/domain/image/hash-pool.js';

const run = promisify(execFile);
const DEFAULT_WORKERS = Math.max(1, Math.min(4, availableParallelism() - 1));

/** `bytes` cut into pieces of uneven sizes (1 byte up to ~300 KiB), so chunks straddle the 1 MiB batches. */
function unevenChunks(bytes: Buffer): Buffer[] {
  const chunks: Buffer[] = [];
  const sizes = [1, 65_536, 300_001, 7, 131_072, 262_139];
  for (let offset = 0, i = 0; offset < bytes.byteLength; i++) {
    const size = sizes[i % sizes.length] as number;
    chunks.push(bytes.subarray(offset, offset + size));
    offset += size;
  }
  return chunks;
}

const sha = (algorithm: string, bytes: Buffer): string => `${algorithm}:${createHash(algorithm).update(bytes).digest('hex')}`;

afterEach(() => setHashWorkers(DEFAULT_WORKERS));

describe('openBlobHash', () => {
  it('gives the digest node:crypto gives, for several blobs at once on worker threads, sha256 and sha512', async () => {
    const blobs = [randomBytes(3 * 1024 * 1024 + 17), randomBytes(WORKER_HASH_MIN_BYTES), randomBytes(5 * 1024 * 1024)];
    const algorithms = ['sha256', 'sha512', 'sha256'];
    const hashes = blobs.map((blob, i) => openBlobHash(algorithms[i] as string, blob.byteLength));
    const pieces = blobs.map(unevenChunks);
    // Interleaved, as a copy of several blobs at a time feeds them.
    for (let round = 0; pieces.some((p) => round < p.length); round++) {
      pieces.forEach((p, i) => {
        if (round < p.length) hashes[i]?.update(p[round] as Buffer);
      });
    }
    // The main thread is not one of them.
    const ids = hashWorkerThreadIds();
    assert.ok(ids.length >= 1 && ids.length <= DEFAULT_WORKERS, `worker threads: ${ids.join(', ')}`);
    assert.ok(!ids.includes(0));
    const digests = await Promise.all(hashes.map((hash) => hash.digest()));
    assert.deepEqual(
      digests.map((hex, i) => `${algorithms[i]}:${hex}`),
      blobs.map((blob, i) => sha(algorithms[i] as string, blob)),
    );
  });

  it('hashes small blobs, and every blob once workers are set to 0, on the calling thread', async () => {
    setHashWorkers(0);
    const big = randomBytes(2 * 1024 * 1024);
    const hash = openBlobHash('sha256', big.byteLength);
    for (const chunk of unevenChunks(big)) hash.update(chunk);
    assert.equal(`sha256:${await hash.digest()}`, sha('sha256', big));
    assert.deepEqual(hashWorkerThreadIds(), []);
    setHashWorkers(1);
    const small = randomBytes(1000);
    const smallHash = openBlobHash('sha256', small.byteLength);
    smallHash.update(small);
    assert.equal(`sha256:${await smallHash.digest()}`, sha('sha256', small));
    assert.deepEqual(hashWorkerThreadIds(), [], 'no worker started for a blob under the threshold');
  });

  it('asks its caller to wait while 4 MiB of a blob are queued at the worker, so memory stays bounded', async () => {
    const blob = randomBytes(12 * 1024 * 1024);
    const hash = openBlobHash('sha256', blob.byteLength);
    const MiB = 1024 * 1024;
    const answers: boolean[] = [];
    for (let offset = 0; offset < blob.byteLength; offset += MiB) {
      const wait = hash.update(blob.subarray(offset, offset + MiB));
      answers.push(wait !== undefined);
      // Fed synchronously up to the fifth MiB: the worker cannot have caught up yet.
      if (offset + MiB === 5 * MiB) assert.deepEqual(answers, [false, false, false, true, true]);
      if (offset + MiB > 5 * MiB && wait !== undefined) await wait;
    }
    assert.equal(`sha256:${await hash.digest()}`, sha('sha256', blob));
  });

  it('lets a process exit whose hashes were abandoned (never digested, or dropped)', async () => {
    const module = fileURLToPath(new URL('../../src/domain/image/hash-pool.js', import.meta.url));
    const script = `
      const { openBlobHash, hashWorkerThreadIds } = await import(${JSON.stringify(module)});
      const a = openBlobHash('sha256', 4 << 20);
      a.update(new Uint8Array(3 << 20));
      const b = openBlobHash('sha256', 4 << 20);
      b.update(new Uint8Array(2 << 20));
      b.drop();
      console.log('workers', hashWorkerThreadIds().length);`;
    const started = performance.now();
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { timeout: 20_000 });
    assert.match(stdout, /^workers [1-4]$/m);
    assert.ok(performance.now() - started < 15_000);
  });
});

describe('digest checks with worker hashing', () => {
  const blob = randomBytes(3 * 1024 * 1024 + 5);
  const digest = sha('sha256', blob);
  const corrupted = Buffer.from(blob);
  corrupted[2 * 1024 * 1024] = (corrupted[2 * 1024 * 1024] as number) ^ 0xff;

  async function throughTransform(bytes: Buffer): Promise<Buffer> {
    const out: Buffer[] = [];
    const verifier = verifyingTransform(digest, blob.byteLength, 'test copy');
    await pipeline(
      Readable.from(unevenChunks(bytes)),
      verifier.transform,
      new Writable({
        write(chunk: Buffer, _encoding, callback) {
          out.push(chunk);
          callback();
        },
      }),
    );
    return Buffer.concat(out);
  }

  it('verifyingTransform passes the right bytes through unchanged and fails on one flipped byte, holding the last chunk back', async () => {
    assert.deepEqual(await throughTransform(blob), blob);
    const out: Buffer[] = [];
    const verifier = verifyingTransform(digest, blob.byteLength, 'test copy');
    await assert.rejects(
      pipeline(
        Readable.from(unevenChunks(corrupted)),
        verifier.transform,
        new Writable({
          write(chunk: Buffer, _encoding, callback) {
            out.push(chunk);
            callback();
          },
        }),
      ),
      (error: unknown) => error instanceof DigestMismatchError && /content digest mismatch/.test(error.message),
    );
    assert.ok(Buffer.concat(out).byteLength < blob.byteLength, 'the complete bytes of a bad blob never came out');
    assert.ok(verifier.failure() instanceof DigestMismatchError);
  });

  it('verifyingStream (web streams) and BlobCheck agree: right bytes pass, a flipped byte or a short blob fails', async () => {
    const web = async (bytes: Buffer): Promise<number> => {
      const verifier = verifyingStream(digest, blob.byteLength, 'test copy');
      let seen = 0;
      await Readable.toWeb(Readable.from(unevenChunks(bytes)))
        .pipeThrough(verifier.transform as unknown as TransformStream<unknown, Uint8Array>)
        .pipeTo(new WritableStream({ write: (chunk) => void (seen += chunk.byteLength) }));
      return seen;
    };
    assert.equal(await web(blob), blob.byteLength);
    await assert.rejects(web(corrupted), DigestMismatchError);

    const check = async (bytes: Buffer): Promise<void> => {
      const blobCheck = new BlobCheck(digest, blob.byteLength, 'test copy');
      for (const chunk of unevenChunks(bytes)) blobCheck.take(chunk);
      await blobCheck.end();
    };
    await check(blob);
    await assert.rejects(check(corrupted), DigestMismatchError);
    await assert.rejects(check(blob.subarray(0, blob.byteLength - 1)), /size mismatch/);
  });
});

describe('chunks in shared memory, read where they lie', () => {
  it('give the right digest among copied chunks, and are reported released only once hashed: memory scribbled over on release changes nothing', async () => {
    const blob = randomBytes(6 * 1024 * 1024 + 333);
    const hash = openBlobHash('sha256', blob.byteLength);
    let released = 0;
    let sharedChunks = 0;
    unevenChunks(blob).forEach((piece, i) => {
      if (i % 3 === 2) {
        // Plain memory: copied.
        void hash.update(piece, () => released++);
        return;
      }
      const shared = Buffer.from(new SharedArrayBuffer(piece.byteLength));
      shared.set(piece);
      sharedChunks++;
      void hash.update(shared, () => {
        released++;
        // The caller may reuse the memory now: a hash still reading it would see these bytes.
        shared.fill(0x5a);
      });
    });
    assert.ok(sharedChunks > 5);
    assert.equal(await hash.digest(), createHash('sha256').update(blob).digest('hex'));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(released, unevenChunks(blob).length, 'every chunk reported released once the digest came');
  });

  it('are never reported released after the hash was dropped', async () => {
    const hash = openBlobHash('sha256', 4 * 1024 * 1024);
    let released = 0;
    void hash.update(Buffer.from(new SharedArrayBuffer(1024 * 1024 + 1)), () => released++);
    void hash.update(Buffer.from(new SharedArrayBuffer(10)), () => released++);
    hash.drop();
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(released, 0);
  });

  it('in place (no workers) are released at once', async () => {
    setHashWorkers(0);
    const hash = openBlobHash('sha256', 2 * 1024 * 1024);
    let released = 0;
    void hash.update(Buffer.from(new SharedArrayBuffer(2 * 1024 * 1024)), () => released++);
    assert.equal(released, 1);
    assert.equal(await hash.digest(), createHash('sha256').update(Buffer.alloc(2 * 1024 * 1024)).digest('hex'));
  });
});
