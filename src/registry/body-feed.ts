/**
 * How a blob's bytes travel from the GET's connection to the upload's.
 *
 * getBlobReadable hands out a node:stream Readable (its public shape), an
 * Http1BodyStream over the raw connection. When the consumer is the raw
 * upload and nothing has read the stream yet, `chunkFeed` bypasses the
 * Readable: chunks go from the socket's 'data' event straight to the
 * upload's handler, with pause and resume acting on the socket. That skips
 * the Readable's buffering and a nextTick per chunk, which on a 200 MB copy
 * is a measurable share of the CPU. Any other Readable is read through its
 * events, with the same handler.
 */
import { Readable } from 'node:stream';
import type { ByteCounting } from './copy-progress.js';
import type { ChunkConsumer, Http1Exchange } from './raw-http1.js';

/** A body being fed to a ChunkConsumer: nothing moves before `start`, nothing reaches the consumer after `stop`. */
export interface ChunkFeed {
  start(): void;
  pause(): void;
  resume(): void;
  /** The consumer is done with the source (it stays for its owner to destroy). */
  stop(): void;
  /**
   * The chunks go to the consumer alone (straight from the connection, seen by no one else): the consumer may
   * give their memory back (slab-reads.ts releaseRead) once done. False for a Readable read through its events,
   * whose chunks other listeners may keep.
   */
  readonly exclusive: boolean;
}

export interface BodyHooks {
  /** A chunk arrived. */
  progress: () => void;
  /** The body ended, failed or was dropped. */
  end: () => void;
  /** What a failed connection is reported as. */
  mapError: (error: Error) => Error;
}

/** An answer's body as a Readable; destroying it drops the connection. Counts its bytes for a progress reporter (copy-progress.ts) without a stream stage. */
export class Http1BodyStream extends Readable implements ByteCounting {
  /** Set once a ChunkFeed took the body over: chunks go there instead of into this stream. */
  private direct: ChunkConsumer | undefined;
  private endedInto = false;
  private counter: ((bytes: number) => void) | undefined;

  constructor(
    private readonly exchange: Http1Exchange,
    private readonly hooks: BodyHooks,
  ) {
    super();
    exchange.receive({
      chunk: (data) => {
        hooks.progress();
        this.counter?.(data.length);
        if (this.direct !== undefined) this.direct.chunk(data);
        else if (!this.push(data)) exchange.pause();
      },
      end: () => {
        hooks.end();
        if (this.direct !== undefined) this.direct.end();
        else {
          this.endedInto = true;
          this.push(null);
        }
      },
      error: (error) => {
        const mapped = hooks.mapError(error);
        if (this.direct !== undefined) this.direct.error(mapped);
        else this.destroy(mapped);
      },
    });
  }

  /** `listener` hears the size of every body chunk from now on (one listener). */
  countBytes(listener: (bytes: number) => void): void {
    this.counter = listener;
  }

  override _read(): void {
    this.exchange.resume();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.hooks.end();
    this.exchange.close();
    callback(error);
  }

  /** A feed of the rest of the body to `consumer`, or undefined once the stream has been read or has failed. */
  takeOver(consumer: ChunkConsumer): ChunkFeed | undefined {
    if (this.readableDidRead || this.readableFlowing === true || this.destroyed || this.direct !== undefined) return undefined;
    const dropped: ChunkConsumer = { chunk: () => undefined, end: () => undefined, error: () => undefined };
    return {
      start: () => {
        // What arrived while nobody read sits in this stream's buffer: it goes first.
        const buffered = this.readableLength > 0 ? (this.read() as Buffer | null) : null;
        this.direct = consumer;
        if (buffered !== null) consumer.chunk(buffered);
        if (this.endedInto) consumer.end();
        else this.exchange.resume();
      },
      pause: () => this.exchange.pause(),
      resume: () => this.exchange.resume(),
      stop: () => {
        this.direct = dropped;
        this.exchange.pause();
      },
      exclusive: true,
    };
  }
}

/** `source`'s chunks, end and failure, for `consumer`: directly from the connection when it is an untouched Http1BodyStream. */
export function chunkFeed(source: Readable, consumer: ChunkConsumer): ChunkFeed {
  return (source instanceof Http1BodyStream ? source.takeOver(consumer) : undefined) ?? readableFeed(source, consumer);
}

function readableFeed(source: Readable, consumer: ChunkConsumer): ChunkFeed {
  const onData = (chunk: Buffer): void => consumer.chunk(chunk);
  const onEnd = (): void => {
    source.off('close', onClose);
    consumer.end();
  };
  const onError = (error: Error): void => consumer.error(error);
  const onClose = (): void => consumer.error(new Error('the blob stream closed before its end'));
  let stopped = false;
  return {
    start: () => {
      if (source.errored) {
        consumer.error(source.errored);
        return;
      }
      if (source.destroyed || source.readableEnded) {
        consumer.error(new Error('the blob stream was consumed already'));
        return;
      }
      source.on('data', onData);
      source.once('end', onEnd);
      // Stays after stop: a source failing later must not become an uncaught error.
      source.on('error', (error) => {
        if (!stopped) onError(error);
      });
      source.once('close', onClose);
    },
    pause: () => source.pause(),
    resume: () => source.resume(),
    stop: () => {
      stopped = true;
      source.off('data', onData);
      source.off('end', onEnd);
      source.off('close', onClose);
      source.pause();
    },
    exclusive: false,
  };
}
