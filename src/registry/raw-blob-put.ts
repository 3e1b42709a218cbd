/**
 * The single PUT of a monolithic blob upload on a raw HTTP/1.1 connection
 * (raw-http1.ts), or the single PATCH of an upload whose digest is named
 * only when it closes: the request head with Content-Length, then every chunk of
 * the source (straight from the GET's socket when it can: body-feed.ts)
 * handed to the hash and to the socket, pausing the source while the
 * socket's buffer is full or the hash (on a worker thread) is behind. No Transform, no stream.pipeline: per run of
 * adjacent chunks (chunk-runs.ts), one hash update and one socket write.
 *
 * The chunk that completes the blob is held back until the source has ended
 * and the digest and size checked out, so a registry never receives the
 * complete bytes of a bad blob (it would store them); on a mismatch the
 * connection is dropped with the body short of its Content-Length.
 */
import type { Readable } from 'node:stream';
import { chunkFeed } from './body-feed.js';
import { ChunkRuns } from './chunk-runs.js';
import type { BlobCheck } from '../domain/image/digest.js';
import { serializeRequestHead, type ResponseHead } from './http1-head.js';
import { openHttp1 } from './raw-http1.js';
import { releaseRead } from './slab-reads.js';
import type { RawConnector } from '../http/raw-connector.js';

/** What the body is checked against on the way: its digest and size (BlobCheck), or its size alone (SizeCheck). */
export type BodyCheck = Pick<BlobCheck, 'size' | 'take' | 'backlog' | 'end' | 'drop'>;

export interface VerifiedPut {
  url: URL;
  /** Default PUT; PATCH for the one chunk of an upload closed later. */
  method?: 'PUT' | 'PATCH';
  /** Request fields besides Host and Content-Length (content type, authorization). */
  fields: Record<string, string>;
  /** The blob's bytes; read once. Left for the caller to destroy when the PUT failed or was answered early. */
  source: Readable;
  /** Its digest and size: the size is the request's Content-Length. */
  check: BodyCheck;
  /** Drops the connection; the promise rejects with its reason. */
  signal: AbortSignal;
  /** A chunk moved. */
  onProgress: () => void;
  /** The last byte was handed to the socket: what remains is the registry's answer. */
  onSent: () => void;
  /** The request's head is on its way and the body follows. */
  onStarted?: () => void;
  /** The run's transport (proxy route, certs.d trust); default a direct connection. */
  connect?: RawConnector | undefined;
}

/**
 * Sends the PUT and resolves with the answer (head and whole body) once it
 * came: after the last byte, or earlier when the registry answers before
 * the body ended (a refusal), in which case sending stops. Rejects with the
 * check's DigestMismatchError, the source's error, or the connection's.
 */
export async function putVerified(put: VerifiedPut): Promise<{ head: ResponseHead; body: Buffer }> {
  const { source, check } = put;
  const exchange = await openHttp1(put.url, put.signal, put.connect);
  const requestHead = serializeRequestHead(put.method ?? 'PUT', put.url, { ...put.fields, 'content-length': String(check.size) }, exchange.forward, exchange.keepAlive);

  return new Promise((resolve, reject) => {
    let settled = false;
    let held: Buffer | undefined;
    let heldDone: (() => void) | undefined;
    // The source is paused while the socket's buffer is full or the hashing worker is behind; resumed when neither.
    let socketFull = false;
    let hashBehind = false;
    const fail = (error: unknown): void => {
      if (settled) return;
      settled = true;
      runs.clear();
      feed.stop();
      check.drop();
      exchange.close();
      reject(error);
    };

    // Each run of adjacent chunks is checked and written as one (chunk-runs.ts).
    // A run whose chunks no one else saw gives its read slab's memory back (slab-reads.ts) once both the hash
    // (which may read it later, on a worker) and the socket are done with it.
    const releaseAfterTwo = (run: Buffer): (() => void) | undefined => {
      if (!feed.exclusive) return undefined;
      let uses = 2;
      return () => {
        if (--uses === 0) releaseRead(run);
      };
    };
    const send = (run: Buffer): void => {
      if (settled) return;
      const done = releaseAfterTwo(run);
      try {
        if (check.take(run, done)) {
          held = run;
          heldDone = done;
          return;
        }
      } catch (error) {
        fail(error);
        return;
      }
      if (!exchange.write(run, done)) socketFull = true;
      const behind = check.backlog();
      if (behind !== undefined) {
        hashBehind = true;
        void behind.then(() => {
          hashBehind = false;
          if (!settled && !socketFull) feed.resume();
        });
      }
      if (socketFull || hashBehind) feed.pause();
    };
    const runs = new ChunkRuns(send);

    const feed = chunkFeed(source, {
      chunk: (chunk) => {
        if (settled) return;
        put.onProgress();
        runs.add(chunk);
      },
      end: () => {
        if (settled) return;
        runs.flush();
        if (settled) return;
        check.end().then(() => {
          if (settled) return;
          // An empty blob's request is complete with its head: it too waits for the check.
          if (check.size === 0) exchange.write(requestHead);
          if (held !== undefined) exchange.write(held, heldDone);
          held = undefined;
          put.onSent();
        }, fail);
      },
      error: (error) => fail(error),
    });

    exchange.onDrain(() => {
      socketFull = false;
      if (!settled && !hashBehind) feed.resume();
    });
    exchange.response().then(async (head) => {
      if (settled) return;
      // Answered (early, or after the last byte): nothing more is sent.
      settled = true;
      runs.clear();
      feed.stop();
      resolve({ head, body: await exchange.readAll() });
    }, fail);

    if (check.size > 0) exchange.write(requestHead);
    feed.start();
    put.onStarted?.();
  });
}
