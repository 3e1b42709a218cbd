/**
 * Blob connections opened ahead of need. A copy asks the destination whether
 * it has a blob before it GETs it from the source and PUTs it: each of those
 * raw HTTP/1.1 exchanges (raw-http1.ts) opened its own connection only when
 * its turn came, so TCP and TLS set-up (2 round trips each) sat in series
 * with the questions before them. Opening the connections while the question
 * is under way takes 4 round trips off every blob's start (≈ 0.6 s at 150 ms).
 *
 * A warm connection is taken by the next exchange to the same origin. One
 * nobody takes is closed after IDLE_MS (and never keeps the process alive);
 * one that failed to open, or closed while idle, is passed over for a fresh
 * connect, so opening early never costs a transfer attempt.
 */
import type { Socket } from 'node:net';
import type { RawConnection, RawConnectOptions } from '../http/raw-connect.js';
import type { RawConnector } from '../http/raw-connector.js';
import { SlabReads } from './slab-reads.js';

/** Unused warm connections are closed after this long: a registry may drop idle ones sooner, and they hold a socket. */
const IDLE_MS = 30_000;

interface Warm {
  opening: Promise<RawConnection | undefined>;
  timer: NodeJS.Timeout;
}

export class WarmConnections {
  private readonly idle = new Map<string, Warm[]>();

  constructor(private readonly connect: RawConnector) {}

  /** Starts one connection to `url`'s origin unless `limit` are idle (or opening) there already. */
  open(url: URL, limit: number): void {
    const origin = url.origin;
    const list = this.idle.get(origin) ?? [];
    if (list.length >= limit) return;
    const reads = new SlabReads();
    let socket: Socket | undefined;
    const opening = this.connect(url, { socketOptions: { onread: reads.options } }).then(
      (connection): RawConnection | undefined => {
        socket = connection.socket;
        // Idle: an error or a close the peer sends now only means the connection is not used.
        socket.on('error', () => undefined);
        socket.on('data', (chunk: Buffer) => reads.push(chunk));
        socket.unref();
        return { ...connection, reads };
      },
      () => undefined,
    );
    const warm: Warm = {
      opening,
      timer: setTimeout(() => {
        this.remove(origin, warm);
        socket?.destroy();
      }, IDLE_MS).unref(),
    };
    list.push(warm);
    this.idle.set(origin, list);
  }

  /** A connector that takes a warm connection to the origin when there is one, else connects as usual. */
  readonly connector: RawConnector = async (target: URL | string, options?: RawConnectOptions): Promise<RawConnection> => {
    const url = typeof target === 'string' ? new URL(target) : target;
    for (let warm = this.take(url.origin); warm !== undefined; warm = this.take(url.origin)) {
      const connection = await warm.opening;
      if (connection === undefined) continue;
      const { socket } = connection;
      if (socket.destroyed || !socket.writable || socket.readableEnded) {
        socket.destroy();
        continue;
      }
      if (options?.signal?.aborted) {
        socket.destroy();
        throw options.signal.reason;
      }
      socket.ref();
      return connection;
    }
    return this.connect(url, options);
  };

  /** Closes every warm connection not taken yet. */
  close(): void {
    for (const [origin, list] of this.idle) {
      for (const warm of list) {
        clearTimeout(warm.timer);
        void warm.opening.then((connection) => connection?.socket.destroy());
      }
      this.idle.delete(origin);
    }
  }

  private take(origin: string): Warm | undefined {
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
