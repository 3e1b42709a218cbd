/**
 * What the HTTP stand-ins (huawei-cloud.ts, swr-api.ts, alibaba-cr.ts) share:
 * JSON answers, per-route fault queues, and the way a fault changes an
 * answer (a status with Retry-After, a dropped connection before or after the
 * request is applied, an answer held back), and a loopback server that reads
 * each request's whole body before handling it. Each stand-in keeps its own
 * routes, fault type and error bodies.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Answer {
  status: number;
  /** Sent as JSON; undefined sends an empty body. */
  body: unknown;
  headers?: Record<string, string>;
}

/** Answer this status instead of applying the request (the body defaults per stand-in). */
export interface StatusFault {
  kind: 'status';
  status: number;
  retryAfter?: string;
  body?: object;
}

export type HttpFault =
  | StatusFault
  /** Drop the connection without an answer, before the request is applied or (afterProcessing) after. */
  | { kind: 'reset'; afterProcessing?: boolean }
  /** Apply the request, then hold the answer back this long (past the client's timeout). */
  | { kind: 'slow'; delayMs: number };

/** Per-route queues of faults, each used up by one request to its route. */
export class FaultQueues<Route extends string, Fault extends HttpFault> {
  private readonly queues = new Map<Route, Fault[]>();

  constructor(initial: Partial<Record<Route, Fault[]>> = {}) {
    for (const [route, list] of Object.entries(initial) as [Route, Fault[] | undefined][]) this.set(route, list ?? []);
  }

  set(route: Route, faults: Fault[]): void {
    this.queues.set(route, [...faults]);
  }

  next(route: Route): Fault | undefined {
    return this.queues.get(route)?.shift();
  }
}

/** A status fault's answer: its own body if it has one, else `defaultBody()`, with Retry-After when given. */
export function statusFaultAnswer(fault: StatusFault, defaultBody: () => unknown): Answer {
  const body = fault.body ?? defaultBody();
  return fault.retryAfter === undefined ? { status: fault.status, body } : { status: fault.status, body, headers: { 'Retry-After': fault.retryAfter } };
}

/** Writes `answer` as JSON after `headers` (content type, request id), with its length; returns the payload sent. */
export function writeJsonAnswer(res: ServerResponse, answer: Answer, headers: Record<string, string>): string {
  const payload = answer.body === undefined ? '' : JSON.stringify(answer.body);
  res.writeHead(answer.status, { ...headers, 'content-length': Buffer.byteLength(payload), ...answer.headers });
  res.end(payload);
  return payload;
}

export interface FaultedRequest {
  /** The answer to a status fault. */
  statusAnswer(fault: StatusFault): Answer;
  /** Applies the request and returns its answer; not called for a status fault or a reset before processing. */
  process(): Answer;
  send(answer: Answer): void;
}

/** Answers one request as `fault` (the route's next one, if any) has it. */
export function answerWithFault(req: IncomingMessage, res: ServerResponse, fault: HttpFault | undefined, request: FaultedRequest): void {
  if (fault?.kind === 'status') {
    request.send(request.statusAnswer(fault));
    return;
  }
  if (fault?.kind === 'reset' && !fault.afterProcessing) {
    req.socket.destroy();
    return;
  }
  const answer = request.process();
  if (fault?.kind === 'reset') {
    req.socket.destroy();
    return;
  }
  if (fault?.kind === 'slow') {
    const timer = setTimeout(() => request.send(answer), fault.delayMs);
    res.on('close', () => clearTimeout(timer));
    return;
  }
  request.send(answer);
}

export interface BufferedServer {
  /** `http://127.0.0.1:PORT` */
  url: string;
  close(): Promise<void>;
}

/** Listens on a free loopback port and hands `handle` each request once its whole body has arrived. */
export async function serveBuffered(handle: (req: IncomingMessage, res: ServerResponse, rawBody: Buffer) => void): Promise<BufferedServer> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => handle(req, res, Buffer.concat(chunks)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
