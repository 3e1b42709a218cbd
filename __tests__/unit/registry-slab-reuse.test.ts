/**
 * Read slabs reused (src/registry/slab-reads.ts) and chunk runs
 * (src/registry/chunk-runs.ts): a slab goes back to the free list only once
 * the connection moved on and every byte read into it was given back; and
 * end to end, a blob moved from a GET socket to a slow PUT socket arrives
 * byte for byte, while slabs are being reused, which it would not if a slab
 * were reused while a view of it still waited in the PUT socket's queue.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { createServer as createNetServer, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { BlobCheck } from '../../src/domain/image/digest.js';
import { Http1BodyStream } from '../../src/registry/body-feed.js';
import { ChunkRuns } from '../../src/registry/chunk-runs.js';
import { http1Get } from '../../src/registry/raw-http1.js';
import { putVerified } from '../../src/registry/raw-blob-put.js';
import { releaseRead, SlabReads, slabStats } from '../../src/registry/slab-reads.js';

const sha256 = (bytes: Uint8Array): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

/** One read of `bytes` bytes into `reads`, as the socket would do it; returns the chunk it delivered. */
function read(reads: SlabReads, bytes: number): Buffer {
  let delivered: Buffer | undefined;
  reads.deliverTo((chunk) => (delivered = chunk));
  const region = (reads.options.buffer as () => Buffer)();
  region.fill(0xab, 0, bytes);
  reads.options.callback(bytes, region);
  reads.detach();
  return delivered ?? assert.fail('no chunk delivered');
}

/** Reads of 64 KiB until the connection starts a new slab; the chunks of the slab left behind. */
function fillSlab(reads: SlabReads): Buffer[] {
  const chunks = [read(reads, 64 * 1024)];
  for (;;) {
    const chunk = read(reads, 64 * 1024);
    if (chunk.buffer !== chunks[0]?.buffer) return chunks;
    chunks.push(chunk);
  }
}

describe('read slabs', () => {
  it('are reused only after the connection moved on and every chunk read into them was released', () => {
    const reads = new SlabReads();
    const chunks = fillSlab(reads);
    const memory = chunks[0]?.buffer;
    // All but one chunk released: the slab is still lent out, the next new slab is fresh memory.
    for (const chunk of chunks.slice(1)) releaseRead(chunk);
    const other = new SlabReads();
    assert.notEqual(read(other, 1024).buffer, memory, 'a slab with a chunk still lent out was reused');
    releaseRead(chunks[0] as Buffer);
    const reused = slabStats().reused;
    const third = new SlabReads();
    assert.equal(read(third, 1024).buffer, memory, 'the fully released slab is the next one taken');
    assert.equal(slabStats().reused, reused + 1);
  });

  it('are not reused while the connection still reads into them, released or not', () => {
    const reads = new SlabReads();
    const first = read(reads, 1024);
    releaseRead(first);
    const other = new SlabReads();
    assert.notEqual(read(other, 1024).buffer, first.buffer);
  });

  it('are never reused once more was released than read (a double release), nor for views of other memory', () => {
    const reads = new SlabReads();
    const chunks = fillSlab(reads);
    const memory = chunks[0]?.buffer;
    for (const chunk of chunks) releaseRead(chunk);
    releaseRead(chunks[0] as Buffer);
    // Drain the free list: the twice-released slab must not be in it.
    const seen = new Set<ArrayBufferLike>();
    for (let i = 0; i < 40; i++) seen.add(read(new SlabReads(), 1024).buffer);
    assert.equal(seen.has(memory as ArrayBufferLike), false, 'a slab released twice came back');
    releaseRead(Buffer.alloc(10));
  });
});

describe('chunk runs', () => {
  it('join adjacent views of the same memory, up to the limit, and pass on the rest on flush or after the I/O phase', async () => {
    const memory = Buffer.alloc(100);
    const passed: [number, number][] = [];
    const runs = new ChunkRuns((run) => passed.push([run.byteOffset - memory.byteOffset, run.byteLength]), 40);
    runs.add(memory.subarray(0, 10));
    runs.add(memory.subarray(10, 30));
    runs.add(memory.subarray(30, 40)); // reaches the limit: passed on at once
    runs.add(memory.subarray(50, 60)); // not adjacent to anything held
    runs.add(memory.subarray(70, 80)); // a gap: the run before goes
    runs.add(Buffer.alloc(5)); // other memory
    assert.deepEqual(passed, [
      [0, 40],
      [50, 10],
      [70, 10],
    ]);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(passed.length, 4, 'what was held is passed on after the I/O phase');
    runs.add(memory.subarray(80, 90));
    runs.clear();
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(passed.length, 4, 'nothing after clear');
  });
});

describe('a blob from a GET socket to a slow PUT socket, slabs reused', () => {
  const blob = randomBytes(24 * 1024 * 1024);
  const digest = sha256(blob);
  let source: NetServer;
  let sink: NetServer;
  let sourceHost = '';
  let sinkHost = '';
  /** What the sink received as the PUT's body, per request. */
  const received: Buffer[] = [];

  before(async () => {
    // Serves the blob fast, in pieces of varied size, so reads keep filling new slabs.
    source = createNetServer((socket) => {
      socket.once('data', () => {
        socket.write(`HTTP/1.1 200 OK\r\nContent-Length: ${blob.length}\r\nConnection: close\r\n\r\n`);
        let at = 0;
        const more = (): void => {
          while (at < blob.length) {
            const piece = 7_000 + ((at / 7_000) % 13) * 9_000;
            const ok = socket.write(blob.subarray(at, at + piece));
            at += piece;
            if (!ok) {
              socket.once('drain', more);
              return;
            }
          }
          socket.end();
        };
        more();
      });
    });
    // Reads the PUT slowly (a pause every 256 KiB), so the copier's writes queue up behind it.
    sink = createNetServer((socket: Socket) => {
      let head = Buffer.alloc(0);
      let body: Buffer[] | undefined;
      let bodyBytes = 0;
      let sincePause = 0;
      socket.on('data', (data: Buffer) => {
        if (body === undefined) {
          head = Buffer.concat([head, data]);
          const end = head.indexOf('\r\n\r\n');
          if (end < 0) return;
          body = [];
          data = head.subarray(end + 4);
        }
        body.push(Buffer.from(data));
        bodyBytes += data.length;
        sincePause += data.length;
        if (bodyBytes >= blob.length) {
          received.push(Buffer.concat(body));
          socket.end('HTTP/1.1 201 Created\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
        } else if (sincePause >= 256 * 1024) {
          sincePause = 0;
          socket.pause();
          setTimeout(() => socket.resume(), 2);
        }
      });
    });
    await new Promise<void>((resolve) => source.listen(0, '127.0.0.1', resolve));
    await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
    sourceHost = `127.0.0.1:${(source.address() as AddressInfo).port}`;
    sinkHost = `127.0.0.1:${(sink.address() as AddressInfo).port}`;
  });

  after(async () => {
    await new Promise<void>((resolve) => source.close(() => resolve()));
    await new Promise<void>((resolve) => sink.close(() => resolve()));
  });

  it('arrives byte for byte at the sink, three copies at once, with slabs reused along the way', async () => {
    const signal = new AbortController().signal;
    const before = slabStats();
    // Copies at once share the free list: a slab one upload gave back too early would take another connection's reads.
    const copy = async (): Promise<void> => {
      const get = await http1Get(new URL(`http://${sourceHost}/blob`), {}, undefined, signal);
      const stream = new Http1BodyStream(get.exchange, { progress: () => undefined, end: () => undefined, mapError: (error) => error });
      const answer = await putVerified({
        url: new URL(`http://${sinkHost}/upload?digest=${digest}`),
        fields: {},
        source: stream,
        check: new BlobCheck(digest, blob.length, 'test copy'),
        signal,
        onProgress: () => undefined,
        onSent: () => undefined,
      });
      stream.destroy();
      assert.equal(answer.head.status, 201);
    };
    await Promise.all([copy(), copy(), copy()]);
    assert.equal(received.length, 3);
    for (const wire of received) {
      assert.equal(wire.length, blob.length);
      // The bytes on the wire, not only the copier's own check: a slab reused too early corrupts them after hashing.
      assert.equal(sha256(wire), digest, 'the bytes on the wire differ from the blob');
    }
    const stats = slabStats();
    assert.ok(stats.reused - before.reused >= 20, `slabs reused during the copies: ${stats.reused - before.reused} (allocated ${stats.allocated - before.allocated})`);
  });
});
