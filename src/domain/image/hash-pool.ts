/**
 * SHA-256/512 of blob bytes on worker threads, so a copy's main thread only
 * moves bytes (issue 11 item 4): hashing is most of the per-byte CPU a copy
 * costs, and on the main thread it caps a copy at one core.
 *
 * A blob's bytes go to a worker in batches: each chunk is copied into a
 * 1 MiB buffer (a memcpy is several times cheaper than the hash), a full
 * buffer is transferred (not cloned) to the worker, and the worker transfers
 * it back once hashed, so buffers are reused rather than allocated and
 * faulted in per batch. The chunks themselves cannot be transferred: they
 * still go to the upload's socket, and they may share one ArrayBuffer with
 * other chunks. Chunks in shared memory (a SharedArrayBuffer: the raw
 * connections' read slabs, slab-reads.ts) whose caller says when it may
 * reuse them are not copied at all: the worker reads them where they lie
 * (1 MiB of them per message), and the caller hears when it is done with
 * each. A blob stays on one worker (a hash is sequential); blobs are
 * spread over the workers, least busy first.
 *
 * The worker is inline source run with `eval: true`, so the bundled action
 * (ncc, dist/) needs no extra file. Small blobs (configs, manifests) are
 * hashed in place: a message round trip costs more than their hash. Should a
 * worker die, every hash it held fails (and with it that blob's copy); the
 * next hash starts a new worker.
 */
import { createHash, type Hash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/** Blobs smaller than this are hashed on the calling thread. */
export const WORKER_HASH_MIN_BYTES = 1024 * 1024;
const BATCH_BYTES = 1024 * 1024;
/** Spare batch buffers kept for reuse (beyond them, returned buffers are dropped). */
const SPARE_BUFFERS = 8;
/** Batches of one blob sent and not yet hashed before update asks its caller to wait: memory stays bounded when bytes come faster than a worker hashes. */
const MAX_BATCHES_IN_FLIGHT = 4;

// CommonJS or ES module alike: an embedder's flags (--input-type=module) can make eval'd code a module.
const WORKER_SOURCE = `
const load = typeof require === 'function' ? require : process.getBuiltinModule;
const { parentPort } = load('node:worker_threads');
const { createHash } = load('node:crypto');
const hashes = new Map();
parentPort.on('message', (m) => {
  if (m.op === 'update') {
    const hash = hashes.get(m.id);
    if (hash !== undefined) hash.update(new Uint8Array(m.bytes, 0, m.length));
    parentPort.postMessage({ op: 'spare', id: m.id, bytes: m.bytes }, [m.bytes]);
  } else if (m.op === 'shared') {
    const hash = hashes.get(m.id);
    if (hash !== undefined) for (const [memory, offset, length] of m.parts) hash.update(new Uint8Array(memory, offset, length));
    parentPort.postMessage({ op: 'sharedDone', id: m.id });
  } else if (m.op === 'start') {
    hashes.set(m.id, createHash(m.algorithm));
  } else if (m.op === 'end') {
    const hash = hashes.get(m.id);
    hashes.delete(m.id);
    parentPort.postMessage({ op: 'digest', id: m.id, hex: hash === undefined ? '' : hash.digest('hex') });
  } else if (m.op === 'drop') {
    hashes.delete(m.id);
  }
});
`;

/** A hash whose result may come later (from a worker). */
export interface BlobHash {
  /**
   * Adds bytes. Without `released` the chunk is copied (or hashed in place)
   * and is the caller's again at once. With it, the hash may read a chunk in
   * shared memory later, on a worker: `released` is called once it no longer
   * needs the chunk's memory (at once when copied or hashed in place); not
   * at all when the hash was dropped or its worker failed, so the caller
   * must then leave that memory alone for good. A promise when the worker
   * is behind: feed no more until it resolves.
   */
  update(chunk: Uint8Array, released?: () => void): Promise<void> | undefined;
  /** The hex digest of everything given to update. Call once. */
  digest(): Promise<string>;
  /** Gives up the hash (a failed transfer); digest must not be called after. */
  drop(): void;
}

interface PendingDigest {
  resolve: (hex: string) => void;
  reject: (error: Error) => void;
}

class HashWorker {
  readonly worker: Worker;
  /** Blobs hashing here right now (opened, not yet digested or dropped). */
  active = 0;
  readonly pending = new Map<number, PendingDigest>();
  /** Per open hash: called as each of its batches comes back hashed. */
  readonly hashed = new Map<number, () => void>();
  /** Per hash: called as each of its batches of shared chunks has been hashed (kept until its digest came). */
  readonly sharedHashed = new Map<number, () => void>();
  failed: Error | undefined;

  constructor(private readonly pool: HashPool) {
    // No execArgv of the embedding process (--input-type, --import preloads): the worker needs none of them.
    this.worker = new Worker(WORKER_SOURCE, { eval: true, name: 'imageship-hash', execArgv: [] });
    this.worker.on('message', (m: { op: string; id?: number; hex?: string; bytes?: ArrayBuffer }) => {
      if (m.op === 'spare' && m.bytes !== undefined) {
        pool.spare(m.bytes);
        if (m.id !== undefined) this.hashed.get(m.id)?.();
      } else if (m.op === 'sharedDone' && m.id !== undefined) {
        this.sharedHashed.get(m.id)?.();
      } else if (m.op === 'digest' && m.id !== undefined) {
        this.sharedHashed.delete(m.id);
        const waiting = this.pending.get(m.id);
        this.pending.delete(m.id);
        waiting?.resolve(m.hex ?? '');
      }
    });
    const die = (error: Error): void => {
      if (this.failed !== undefined) return;
      this.failed = error;
      this.pool.forget(this);
      for (const waiting of this.pending.values()) waiting.reject(error);
      this.pending.clear();
      for (const release of this.hashed.values()) release();
    };
    this.worker.on('error', (error) => die(new Error(`the hashing worker thread failed: ${error.message}`)));
    this.worker.on('exit', (code) => die(new Error(`the hashing worker thread exited (code ${code})`)));
    // After the listeners: adding a 'message' listener refs the worker again.
    this.worker.unref();
  }

  private awaited = 0;

  /** The worker keeps the process alive only while a digest from it, or its catching up, is awaited. */
  awaiting(change: 1 | -1): void {
    this.awaited += change;
    if (this.awaited === 1 && change === 1) this.worker.ref();
    else if (this.awaited === 0) this.worker.unref();
  }
}

class HashPool {
  private readonly workers: HashWorker[] = [];
  private readonly spares: ArrayBuffer[] = [];
  private nextId = 1;

  constructor(readonly size: number) {}

  spare(buffer: ArrayBuffer): void {
    if (this.spares.length < SPARE_BUFFERS) this.spares.push(buffer);
  }

  buffer(): Uint8Array {
    return new Uint8Array(this.spares.pop() ?? new ArrayBuffer(BATCH_BYTES));
  }

  threadIds(): number[] {
    return this.workers.map((worker) => worker.worker.threadId);
  }

  forget(worker: HashWorker): void {
    const at = this.workers.indexOf(worker);
    if (at >= 0) this.workers.splice(at, 1);
  }

  /** The least busy worker, starting one while the pool is not full and every worker is busy. */
  private pick(): HashWorker {
    let best: HashWorker | undefined;
    for (const worker of this.workers) if (best === undefined || worker.active < best.active) best = worker;
    if (best === undefined || (best.active > 0 && this.workers.length < this.size)) {
      best = new HashWorker(this);
      this.workers.push(best);
    }
    return best;
  }

  open(algorithm: string): BlobHash {
    const worker = this.pick();
    const id = this.nextId++;
    worker.active++;
    worker.worker.postMessage({ op: 'start', id, algorithm });
    let batch: Uint8Array | undefined;
    let filled = 0;
    /** Shared chunks not yet sent: their memory, offset and length, and whom to tell once hashed. */
    let shared: { parts: [SharedArrayBuffer, number, number][]; released: (() => void)[]; bytes: number } | undefined;
    /** Per batch of shared chunks sent, in order: whom to tell when the worker is done with it. */
    const sharedSent: (() => void)[][] = [];
    let closed = false;
    let inFlight = 0;
    let caughtUp: { promise: Promise<void>; resolve: () => void } | undefined;
    const release = (): void => {
      inFlight = Math.max(0, inFlight - 1);
      if (inFlight < MAX_BATCHES_IN_FLIGHT || worker.failed !== undefined) wake();
    };
    const wake = (): void => {
      if (caughtUp === undefined) return;
      caughtUp.resolve();
      caughtUp = undefined;
      worker.awaiting(-1);
    };
    worker.hashed.set(id, release);
    worker.sharedHashed.set(id, () => {
      for (const done of sharedSent.shift() ?? []) done();
      release();
    });
    const flushShared = (): void => {
      if (shared === undefined) return;
      worker.worker.postMessage({ op: 'shared', id, parts: shared.parts });
      sharedSent.push(shared.released);
      inFlight++;
      shared = undefined;
    };
    const flushCopied = (): void => {
      if (batch === undefined || filled === 0) return;
      const bytes = batch.buffer as ArrayBuffer;
      worker.worker.postMessage({ op: 'update', id, bytes, length: filled }, [bytes]);
      inFlight++;
      batch = undefined;
      filled = 0;
    };
    // Only one of the two holds bytes at a time (each is sent before the other takes any): the order stays.
    const flush = (): void => {
      flushCopied();
      flushShared();
    };
    const backpressure = (): Promise<void> | undefined => {
      if (inFlight < MAX_BATCHES_IN_FLIGHT) return undefined;
      if (caughtUp === undefined) {
        let resolve = (): void => undefined;
        const promise = new Promise<void>((done) => (resolve = done));
        caughtUp = { promise, resolve };
        // A caller waiting for the worker to catch up keeps the process alive, as one awaiting a digest does.
        worker.awaiting(+1);
      }
      return caughtUp.promise;
    };
    const close = (): void => {
      if (closed) return;
      closed = true;
      worker.active--;
      worker.hashed.delete(id);
      wake();
    };
    return {
      update: (chunk, released) => {
        if (worker.failed !== undefined || closed) return undefined;
        if (released !== undefined && chunk.buffer instanceof SharedArrayBuffer) {
          flushCopied();
          shared ??= { parts: [], released: [], bytes: 0 };
          shared.parts.push([chunk.buffer, chunk.byteOffset, chunk.byteLength]);
          shared.released.push(released);
          shared.bytes += chunk.byteLength;
          if (shared.bytes >= BATCH_BYTES) flushShared();
          return backpressure();
        }
        flushShared();
        for (let offset = 0; offset < chunk.byteLength; ) {
          batch ??= this.buffer();
          const take = Math.min(batch.byteLength - filled, chunk.byteLength - offset);
          batch.set(chunk.subarray(offset, offset + take), filled);
          filled += take;
          offset += take;
          if (filled === batch.byteLength) flushCopied();
        }
        released?.();
        return backpressure();
      },
      digest: () => {
        if (worker.failed !== undefined) {
          close();
          return Promise.reject(worker.failed);
        }
        flush();
        close();
        const answer = new Promise<string>((resolve, reject) => worker.pending.set(id, { resolve, reject }));
        // Only a digest being awaited keeps the process alive: a hash abandoned without drop holds nothing.
        worker.awaiting(+1);
        worker.worker.postMessage({ op: 'end', id });
        return answer.finally(() => worker.awaiting(-1));
      },
      drop: () => {
        if (closed) return;
        if (batch !== undefined) this.spare(batch.buffer as ArrayBuffer);
        batch = undefined;
        // Shared chunks not sent, or sent and perhaps not hashed yet, are never reported released.
        shared = undefined;
        worker.sharedHashed.delete(id);
        if (worker.failed === undefined) worker.worker.postMessage({ op: 'drop', id });
        close();
      },
    };
  }
}

/** Workers for hashing: one core left to the main thread (which moves the bytes), at most 4. */
let poolSize = Math.max(1, Math.min(4, availableParallelism() - 1));
let pool: HashPool | undefined;

/** 0 hashes everything on the calling thread (a benchmark's baseline). Applies to hashes opened later. */
export function setHashWorkers(count: number): void {
  if (!Number.isInteger(count) || count < 0) throw new Error(`setHashWorkers: expected a whole number >= 0, got ${count}`);
  poolSize = count;
  pool = undefined;
}

/** Thread ids of the hashing workers running now (for tests and benchmarks). */
export function hashWorkerThreadIds(): number[] {
  return pool?.threadIds() ?? [];
}

function inlineHash(hash: Hash): BlobHash {
  return {
    update: (chunk, released) => {
      hash.update(chunk);
      released?.();
      return undefined;
    },
    digest: () => Promise.resolve(hash.digest('hex')),
    drop: () => undefined,
  };
}

/** A hash of a blob of `size` bytes: on a worker thread when it is large enough and workers are enabled. */
export function openBlobHash(algorithm: string, size: number): BlobHash {
  if (size < WORKER_HASH_MIN_BYTES || poolSize === 0) return inlineHash(createHash(algorithm));
  pool ??= new HashPool(poolSize);
  return pool.open(algorithm);
}
