/**
 * A TCP proxy on loopback that makes a local server look far away: every byte
 * waits half the round-trip time in each direction, and a direction can be
 * held to a bandwidth per connection and/or to a link shared with other
 * connections (and other proxies). It works below TLS, so a TLS registry
 * behind it keeps its certificate and the client still verifies it.
 *
 * The model, per direction of each connection, is a link that serialises
 * bytes at its rate and delivers them `rttMs / 2` later, in order:
 *   departs = max(arrival, link free) + bytes / rate;  delivered = departs + rttMs / 2.
 * Directions and connections do not wait for each other (no head-of-line
 * blocking beyond the in-order delivery a TCP stream has). A direction holds
 * at most `windowBytes` that are not yet acknowledged — delivered plus the
 * acknowledgement's half RTT back — and stops reading its source beyond that,
 * as a TCP sender stops at its window: one connection moves at most
 * windowBytes per RTT. TCP slow start and loss are not modelled.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

export interface LinkShape {
  /** Round-trip time added, ms; each direction waits half of it. */
  rttMs: number;
  /** Bandwidth of each connection, each direction, bits per second; undefined: no cap. */
  perConnectionBitsPerSecond?: number | undefined;
  /** Bytes in flight per direction of a connection (the TCP window stand-in). Default 4 MiB. */
  windowBytes?: number | undefined;
  /**
   * Whether a new connection first pays the TCP handshake, one RTT before the
   * client's first byte leaves (default true). The proxy accepts locally at
   * once, so without this a connection would cost nothing to open.
   */
  handshake?: boolean | undefined;
}

/** Where bytes are serialised one after another: a connection's own link, or a shared one. */
export class LinkPacer {
  private freeAt = 0;
  constructor(public bitsPerSecond: number) {}

  /** When `bytes` handed over at `now` (ms) have left the link. */
  reserve(bytes: number, now: number): number {
    const start = Math.max(now, this.freeAt);
    this.freeAt = start + (bytes * 8 * 1000) / this.bitsPerSecond;
    return this.freeAt;
  }

  /** The link is idle from now on (between benchmark conditions). */
  reset(): void {
    this.freeAt = 0;
  }
}

/**
 * A capacity several proxies (and all their connections) share, per
 * direction: `toTarget` carries uploads to the servers, `toClient` downloads,
 * as a full-duplex access link would.
 */
export interface SharedLink {
  readonly toTarget: LinkPacer;
  readonly toClient: LinkPacer;
}

export function createSharedLink(bitsPerSecond: number): SharedLink {
  return { toTarget: new LinkPacer(bitsPerSecond), toClient: new LinkPacer(bitsPerSecond) };
}

export interface ShapingStats {
  /** Connections accepted since the last reset. */
  connections: number;
  /** Connections open now. */
  open: number;
  /** Bytes from clients to the target, and back. */
  bytesToTarget: number;
  bytesToClient: number;
}

export interface ShapingProxy {
  /** `127.0.0.1:PORT`. */
  readonly host: string;
  readonly port: number;
  /** The shape in force; `setShape` changes it for bytes that arrive from then on. */
  readonly shape: Readonly<LinkShape>;
  setShape(shape: LinkShape): void;
  /** The shared link this proxy's connections also pass through, or none. */
  setSharedLink(link: SharedLink | undefined): void;
  stats(): ShapingStats;
  resetStats(): void;
  close(): Promise<void>;
}

export interface ShapingProxyOptions {
  /** Where to forward: `host:port` (default host 127.0.0.1). */
  target: string;
  shape?: LinkShape;
  sharedLink?: SharedLink;
}

export const DEFAULT_WINDOW_BYTES = 4 * 1024 * 1024;
/** Capped links are paced in pieces this size, so a 1 MB chunk does not leave in one burst. */
const PACING_SLICE = 16 * 1024;

interface Pending {
  chunk: Buffer | null; // null: the source ended here
  dueAt: number;
}

/** One direction of one connection: from `source` to `sink` through the modelled link. */
class DelayedDirection {
  private readonly queue: Pending[] = [];
  private head = 0;
  private unacked = 0;
  private lastDue = 0;
  private timer: NodeJS.Timeout | undefined;
  private sinkBlocked = false;
  private readonly ownLink: LinkPacer | undefined;

  constructor(
    private readonly source: Socket,
    private readonly sink: Socket,
    private readonly shape: () => LinkShape,
    private readonly shared: () => LinkPacer | undefined,
    private readonly count: (bytes: number) => void,
    /** Nothing leaves before this time (ms, performance.now()): the handshake. */
    private readonly notBefore = 0,
  ) {
    const cap = shape().perConnectionBitsPerSecond;
    this.ownLink = cap === undefined ? undefined : new LinkPacer(cap);
    source.on('data', (chunk: Buffer) => this.arrive(chunk));
    source.on('end', () => this.arrive(null));
    sink.on('drain', () => {
      this.sinkBlocked = false;
      this.pump();
      if (!this.sinkBlocked && this.source.isPaused() && this.unacked < this.windowBytes()) this.source.resume();
    });
  }

  private arrive(chunk: Buffer | null): void {
    const now = performance.now();
    const { rttMs, perConnectionBitsPerSecond } = this.shape();
    const oneWay = rttMs / 2;
    const shared = this.shared();
    if (this.ownLink !== undefined && perConnectionBitsPerSecond !== undefined) this.ownLink.bitsPerSecond = perConnectionBitsPerSecond;
    const paced = (this.ownLink !== undefined && perConnectionBitsPerSecond !== undefined) || shared !== undefined;
    if (chunk === null) {
      this.queue.push({ chunk: null, dueAt: Math.max(Math.max(now, this.notBefore) + oneWay, this.lastDue) });
      this.pump();
      return;
    }
    this.count(chunk.length);
    // Nothing to model: forward at once, as plain piping would.
    if (!paced && oneWay === 0 && this.head === this.queue.length && now >= this.notBefore) {
      this.unacked += chunk.length;
      if (!this.sink.write(chunk)) this.sinkBlocked = true;
      this.acknowledge(chunk.length, 0);
      return;
    }
    const slice = paced ? PACING_SLICE : chunk.length;
    for (let offset = 0; offset < chunk.length; offset += slice) {
      const piece = chunk.subarray(offset, Math.min(chunk.length, offset + slice));
      let departs = Math.max(now, this.notBefore);
      if (this.ownLink !== undefined && perConnectionBitsPerSecond !== undefined) departs = this.ownLink.reserve(piece.length, departs);
      if (shared !== undefined) departs = shared.reserve(piece.length, departs);
      const dueAt = Math.max(departs + oneWay, this.lastDue);
      this.lastDue = dueAt;
      this.queue.push({ chunk: piece, dueAt });
      this.unacked += piece.length;
    }
    if (this.unacked >= this.windowBytes()) this.source.pause();
    this.pump();
  }

  private windowBytes(): number {
    return this.shape().windowBytes ?? DEFAULT_WINDOW_BYTES;
  }

  private pump(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const now = performance.now();
    const oneWay = this.shape().rttMs / 2;
    let written = 0;
    while (this.head < this.queue.length && !this.sinkBlocked) {
      const next = this.queue[this.head] as Pending;
      // Timers fire on whole milliseconds: take what is due within half of one.
      if (next.dueAt > now + 0.5) break;
      this.head++;
      if (next.chunk === null) {
        this.sink.end();
        continue;
      }
      written += next.chunk.length;
      if (!this.sink.write(next.chunk)) this.sinkBlocked = true;
    }
    if (written > 0) this.acknowledge(written, oneWay);
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
    const next = this.queue[this.head];
    if (next !== undefined && !this.sinkBlocked) {
      this.timer = setTimeout(() => this.pump(), Math.max(0, next.dueAt - now));
    }
  }

  /** Bytes delivered now are acknowledged half an RTT later: only then does the window open again. */
  private acknowledge(bytes: number, oneWay: number): void {
    const release = (): void => {
      this.unacked -= bytes;
      if (this.unacked < this.windowBytes() && this.source.isPaused() && !this.sinkBlocked) this.source.resume();
    };
    if (oneWay === 0) {
      // Plain piping: the sink's own backpressure is the window.
      this.unacked -= bytes;
      if (this.sinkBlocked) this.source.pause();
      else if (this.source.isPaused() && this.unacked < this.windowBytes()) this.source.resume();
      return;
    }
    setTimeout(release, oneWay);
  }

  stop(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}

export async function startShapingProxy(options: ShapingProxyOptions): Promise<ShapingProxy> {
  const colon = options.target.lastIndexOf(':');
  const targetHost = colon > 0 ? options.target.slice(0, colon) : '127.0.0.1';
  const targetPort = Number(options.target.slice(colon + 1));
  if (!Number.isInteger(targetPort) || targetPort <= 0) throw new Error(`startShapingProxy: target must be host:port, got ${JSON.stringify(options.target)}`);
  let shape: LinkShape = { ...(options.shape ?? { rttMs: 0 }) };
  let sharedLink = options.sharedLink;
  const stats: ShapingStats = { connections: 0, open: 0, bytesToTarget: 0, bytesToClient: 0 };
  const sockets = new Set<Socket>();

  const server: Server = createServer({ allowHalfOpen: true, noDelay: true }, (client) => {
    stats.connections++;
    stats.open++;
    const upstream = connect({ host: targetHost, port: targetPort, allowHalfOpen: true, noDelay: true });
    sockets.add(client);
    sockets.add(upstream);
    // The shape is read per connection for its own cap (fixed at accept) and per chunk for the delay.
    const connectionShape = { ...shape };
    const current = (): LinkShape => ({ ...connectionShape, rttMs: shape.rttMs, windowBytes: shape.windowBytes });
    // SYN out and SYN-ACK back before the client's first byte may leave.
    const handshakeUntil = shape.handshake === false ? 0 : performance.now() + shape.rttMs;
    const toTarget = new DelayedDirection(client, upstream, current, () => sharedLink?.toTarget, (n) => (stats.bytesToTarget += n), handshakeUntil);
    const toClient = new DelayedDirection(upstream, client, current, () => sharedLink?.toClient, (n) => (stats.bytesToClient += n));
    let closed = false;
    const close = (): void => {
      if (closed) return;
      closed = true;
      stats.open--;
      toTarget.stop();
      toClient.stop();
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    // A reset or error on either side ends both at once, as a dropped connection would.
    client.on('error', close);
    upstream.on('error', close);
    let ended = 0;
    const oneSideClosed = (): void => {
      if (++ended === 2) close();
    };
    client.on('close', oneSideClosed);
    upstream.on('close', oneSideClosed);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    host: `127.0.0.1:${port}`,
    port,
    get shape() {
      return shape;
    },
    setShape: (next) => {
      shape = { ...next };
    },
    setSharedLink: (link) => {
      sharedLink = link;
    },
    stats: () => ({ ...stats }),
    resetStats: () => {
      stats.connections = 0;
      stats.bytesToTarget = 0;
      stats.bytesToClient = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
