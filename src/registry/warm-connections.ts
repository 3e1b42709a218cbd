/**
 * Blob connections opened ahead of need. A copy asks the destination whether
 * it has a blob before it GETs it from the source and PUTs it: each of those
 * raw HTTP/1.1 exchanges (raw-http1.ts) opened its own connection only when
 * its turn came, so TCP and TLS set-up (2 round trips each) sat in series
 * with the questions before them. Opening the connections while the question
 * is under way takes 4 round trips off every blob's start (≈ 0.6 s at 150 ms).
 *
 * A warm connection is taken by the next exchange to the same origin; so is
 * one kept alive after an exchange whose answer completed cleanly (the blob
 * connections' keep-alive: an image with more blobs than copy-concurrency
 * reuses them). One nobody takes is closed after IDLE_MS (and never keeps the
 * process alive); one that failed to open, or closed while idle, is passed
 * over for a fresh connect, so opening early never costs a transfer attempt.
 */
import type { Socket } from 'node:net';
import type { ConnectionReads, RawConnection, RawConnectOptions } from '../http/raw-connect.js';
import type { RawConnector } from '../http/raw-connector.js';
import { SlabReads } from './slab-reads.js';

/** Unused connections are closed after this long: within a copy the next blob takes one at once, and a registry may drop idle ones. */
const IDLE_MS = 10_000;
/** Before any `open` gave a limit: the default copy concurrency. */
const DEFAULT_MAX_IDLE = 6;

interface Warm {
  opening: Promise<RawConnection | undefined>;
  timer: NodeJS.Timeout;
}

/** Sockets given their idle error listener already (a kept-alive socket comes back many times). */
const quiet = new WeakSet<Socket>();

/** Idle: an error or a close from the peer now only means the connection is not used; nor does it keep the process alive. */
function idleQuietly(socket: Socket): void {
  if (!quiet.has(socket)) {
    quiet.add(socket);
    socket.on('error', () => undefined);
  }
  socket.unref();
}

export class WarmConnections {
  private readonly idle = new Map<string, Warm[]>();
  /** Exchanges announced by `open` and not yet started, per origin. */
  private readonly wanted = new Map<string, number>();
  /** Idle connections kept per origin at most: the latest `open` limit (the copy's concurrency). */
  private maxIdle = DEFAULT_MAX_IDLE;

  constructor(private readonly connect: RawConnector) {}

  /**
   * Says one exchange to `url`'s origin is coming: a connection is opened for
   * it unless an idle one (kept alive, or opened ahead for a caller that did
   * not need it) is there to take, or `limit` are idle or opening already.
   */
  open(url: URL, limit: number): void {
    const origin = url.origin;
    const list = this.idle.get(origin) ?? [];
    this.maxIdle = limit;
    const wanted = (this.wanted.get(origin) ?? 0) + 1;
    this.wanted.set(origin, wanted);
    if (list.length >= wanted || list.length >= limit) return;
    const reads = new SlabReads();
    const opening = this.connect(url, { socketOptions: { onread: reads.options } }).then(
      (connection): RawConnection => {
        connection.socket.on('data', (chunk: Buffer) => reads.push(chunk));
        idleQuietly(connection.socket);
        return { ...connection, reads };
      },
      () => undefined,
    );
    this.park(origin, opening);
  }

  /**
   * A kept-alive connection, after an exchange's answer completed cleanly
   * (raw-http1.ts): the next exchange to the origin takes it. Closed when
   * `limit` are idle there already.
   */
  release(origin: string, connection: RawConnection & { reads: ConnectionReads }): void {
    const list = this.idle.get(origin) ?? [];
    if (list.length >= this.maxIdle) {
      connection.socket.destroy();
      return;
    }
    idleQuietly(connection.socket);
    this.park(origin, Promise.resolve(connection));
  }

  /** Adds a connection (or one being opened) to the origin's idle list; it closes if nobody takes it in IDLE_MS. */
  private park(origin: string, opening: Promise<RawConnection | undefined>): void {
    const warm: Warm = {
      opening,
      timer: setTimeout(() => {
        this.remove(origin, warm);
        void opening.then((connection) => connection?.socket.destroy());
      }, IDLE_MS).unref(),
    };
    const list = this.idle.get(origin) ?? [];
    list.push(warm);
    this.idle.set(origin, list);
  }

  /** A connector that takes a warm connection to the origin when there is one, else connects as usual; either is kept alive after. */
  readonly connector: RawConnector = async (target: URL | string, options?: RawConnectOptions): Promise<RawConnection> => {
    const url = typeof target === 'string' ? new URL(target) : target;
    const keepAlive = (socket: Socket, reads: ConnectionReads): void => this.release(url.origin, { socket, forward: undefined, reads });
    for (let warm = this.take(url.origin); warm !== undefined; warm = this.take(url.origin)) {
      const connection = await warm.opening;
      if (connection === undefined) continue;
      const { socket } = connection;
      if (socket.destroyed || !socket.writable || socket.readableEnded || connection.reads?.hasUnread()) {
        socket.destroy();
        continue;
      }
      if (options?.signal?.aborted) {
        socket.destroy();
        throw options.signal.reason;
      }
      socket.ref();
      return { ...connection, keepAlive };
    }
    return { ...(await this.connect(url, options)), keepAlive };
  };

  /** Closes every warm connection not taken yet. */
  close(): void {
    this.wanted.clear();
    for (const [origin, list] of this.idle) {
      for (const warm of list) {
        clearTimeout(warm.timer);
        void warm.opening.then((connection) => connection?.socket.destroy());
      }
      this.idle.delete(origin);
    }
  }

  private take(origin: string): Warm | undefined {
    const wanted = this.wanted.get(origin) ?? 0;
    if (wanted > 0) this.wanted.set(origin, wanted - 1);
    const list = this.idle.get(origin);
    const warm = list?.shift();
    if (warm) clearTimeout(warm.timer);
    if (list?.length === 0) this.idle.delete(origin);
    return warm;
  }

  private remove(origin: string, warm: Warm): void {
    const list = this.idle.get(origin);
    const at = list?.indexOf(warm) ?? -1;
    if (list && at !== -1) list.splice(at, 1);
    if (list?.length === 0) this.idle.delete(origin);
  }
}
