/**
 * A stand-in for a redeploy trigger (ACK "Triggers", Container Service
 * `/hook/trigger`, or a self-hosted ACR webhook receiver) on loopback.
 *
 * Like the real thing it checks the token first (missing → 401, wrong → 403,
 * answered as `{"code":"401"|"403","message":…}`), wants a JSON POST, and
 * answers `{"code":"200","message":"success","requestId":…}`. Unlike the real
 * thing it is strict about the body: every field of the ACR push webhook shape
 * must be there, typed and well-formed, and nothing else may be, so a payload
 * regression fails here with a 400 naming the field.
 *
 * Faults are queued with `setFaults`: each incoming request consumes the next
 * one, and once the queue is empty the receiver behaves normally.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type TriggerFault =
  /** 429 with `Retry-After` (default "1"): refused before anything was done. */
  | { kind: '429'; retryAfter?: string }
  /** 503 after the body was read: a receiver that may have started the redeploy. */
  | { kind: '503' }
  /** The socket is destroyed after the request was read, without an answer. */
  | { kind: 'reset' }
  /** Processed (and recorded) normally, but the answer is held back `ms` milliseconds. */
  | { kind: 'slow'; ms: number }
  /** HTTP 200 whose JSON `code` says the redeploy failed. */
  | { kind: 'code'; code: string | number; message: string };

export interface ReceivedTrigger {
  headers: IncomingHttpHeaders;
  body: any;
  raw: string;
}

export interface TriggerReceiver {
  /**
   * The trigger URL. Default: the token in the query (`ack` style:
   * `/api/v1/triggers/<id>?token=…`; `plain`: `/hook/trigger?token=…`).
   * `pathToken`: the token as the last path segment, `/hook/<token>`.
   */
  url(pathToken?: boolean): string;
  /** Accepted (200-answered, or `slow`) bodies, in order. */
  readonly received: ReceivedTrigger[];
  /** Every request that reached the server, faults and rejections included. */
  readonly attempts: number;
  readonly port: number;
  /** Queues faults for the next requests (replacing any still queued). */
  setFaults(faults: TriggerFault[]): void;
  close(): Promise<void>;
}

export interface TriggerReceiverOptions {
  token: string;
  /** `ack` (default): answers with the ACK JSON acknowledgement. `plain`: answers 200 `text/plain` "ok", no `code`. */
  style?: 'ack' | 'plain';
  /** Listen on this port (0 / unset: any free one). */
  port?: number;
}

export async function startTriggerReceiver(opts: TriggerReceiverOptions): Promise<TriggerReceiver> {
  const style = opts.style ?? 'ack';
  const triggerId = `c${randomBytes(16).toString('hex')}`;
  const queryPath = style === 'ack' ? `/api/v1/triggers/${triggerId}` : '/hook/trigger';
  const received: ReceivedTrigger[] = [];
  let faults: TriggerFault[] = [];
  let attempts = 0;
  const timers = new Set<NodeJS.Timeout>();

  const reply = (res: ServerResponse, status: number, body: object, headers: Record<string, string> = {}): void => {
    if (res.destroyed || res.writableEnded) return;
    const text = JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), ...headers });
    res.end(text);
  };
  const refuse = (res: ServerResponse, status: number, message: string): void =>
    reply(res, status, { code: String(status), message, requestId: randomUUID() });

  const handle = (req: IncomingMessage, res: ServerResponse, raw: string): void => {
    const fault = faults.shift();
    if (fault?.kind === '429') {
      return reply(res, 429, { code: '429', message: 'too many requests, retry later', requestId: randomUUID() }, { 'Retry-After': fault.retryAfter ?? '1' });
    }
    if (fault?.kind === '503') return refuse(res, 503, 'service unavailable');
    if (fault?.kind === 'reset') return void req.socket.destroy();

    const target = new URL(req.url ?? '/', 'http://receiver.invalid');
    let given: string | null;
    if (target.pathname.startsWith('/hook/') && target.pathname !== '/hook/trigger') {
      given = decodeURIComponent(target.pathname.slice('/hook/'.length));
    } else if (target.pathname === queryPath) {
      given = target.searchParams.get('token');
    } else {
      return refuse(res, 404, 'trigger not found');
    }
    if (given === null || given === '') return refuse(res, 401, 'token is required');
    if (given !== opts.token) return refuse(res, 403, 'token is invalid or the trigger was deleted');

    if (req.method !== 'POST') return refuse(res, 405, `method ${req.method ?? ''} not allowed, use POST`);
    const contentType = (req.headers['content-type'] ?? '').split(';', 1)[0]?.trim().toLowerCase();
    if (contentType !== 'application/json') return refuse(res, 415, `Content-Type must be application/json, got "${req.headers['content-type'] ?? ''}"`);
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      return refuse(res, 400, 'body is not JSON');
    }
    const problem = payloadProblem(body);
    if (problem !== undefined) return refuse(res, 400, `invalid ACR webhook payload: ${problem}`);

    received.push({ headers: req.headers, body, raw });
    const answer = (): void => {
      if (fault?.kind === 'code') {
        reply(res, 200, { code: fault.code, message: fault.message, requestId: randomUUID() });
      } else if (style === 'plain') {
        if (res.destroyed || res.writableEnded) return;
        res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': 2 });
        res.end('ok');
      } else {
        reply(res, 200, { code: '200', message: 'success', requestId: randomUUID() });
      }
    };
    if (fault?.kind === 'slow') {
      const timer = setTimeout(() => {
        timers.delete(timer);
        answer();
      }, fault.ms);
      timers.add(timer);
    } else {
      answer();
    }
  };

  const server = createServer((req, res) => {
    attempts++;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      handle(req, res, Buffer.concat(chunks).toString('utf8'));
    });
    res.on('error', () => undefined);
  });
  server.on('clientError', (_error, socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const base = `http://127.0.0.1:${port}`;

  return {
    url(pathToken = false) {
      return pathToken ? `${base}/hook/${encodeURIComponent(opts.token)}` : `${base}${queryPath}?token=${encodeURIComponent(opts.token)}`;
    },
    received,
    get attempts() {
      return attempts;
    },
    port,
    setFaults(next) {
      faults = [...next];
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const TIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;
const REGION = /^[a-z]{2,}(?:-[a-z0-9]+)+$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const PATH_PART = /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

/** What is wrong with `body` as an ACR push webhook payload, or undefined. */
export function payloadProblem(body: unknown): string | undefined {
  if (!isRecord(body)) return 'the body is not a JSON object';
  const extra = exactKeys(body, ['push_data', 'repository']);
  if (extra) return extra;
  const push = body.push_data;
  const repo = body.repository;
  if (!isRecord(push)) return 'push_data is not an object';
  if (!isRecord(repo)) return 'repository is not an object';
  const pushKeys = exactKeys(push, ['digest', 'pushed_at', 'tag'], 'push_data.');
  if (pushKeys) return pushKeys;
  const repoKeys = exactKeys(
    repo,
    ['date_created', 'name', 'namespace', 'region', 'repo_authentication_type', 'repo_full_name', 'repo_origin_type', 'repo_type'],
    'repository.',
  );
  if (repoKeys) return repoKeys;
  for (const [where, record] of [['push_data', push], ['repository', repo]] as const) {
    for (const [key, value] of Object.entries(record)) {
      if (typeof value !== 'string') return `${where}.${key} is ${value === null ? 'null' : typeof value}, not a string`;
    }
  }
  const s = (value: unknown): string => value as string;
  if (!/^sha256:[0-9a-f]{64}$/.test(s(push.digest))) return `push_data.digest "${s(push.digest)}" is not sha256:<64 hex>`;
  if (!validTime(s(push.pushed_at))) return `push_data.pushed_at "${s(push.pushed_at)}" is not "YYYY-MM-DD HH:mm:ss"`;
  if (!TAG.test(s(push.tag))) return `push_data.tag "${s(push.tag)}" is not a valid tag`;
  if (!validTime(s(repo.date_created))) return `repository.date_created "${s(repo.date_created)}" is not "YYYY-MM-DD HH:mm:ss"`;
  if (!PATH_PART.test(s(repo.name))) return `repository.name "${s(repo.name)}" is not a repository name`;
  if (!PATH_PART.test(s(repo.namespace))) return `repository.namespace "${s(repo.namespace)}" is not a namespace`;
  if (!REGION.test(s(repo.region))) return `repository.region "${s(repo.region)}" is not a region id`;
  if (s(repo.repo_full_name) !== `${s(repo.namespace)}/${s(repo.name)}`) {
    return `repository.repo_full_name "${s(repo.repo_full_name)}" is not namespace/name`;
  }
  for (const key of ['repo_authentication_type', 'repo_origin_type'] as const) {
    if (!['NO_CERTIFIED', 'CERTIFIED'].includes(s(repo[key]))) return `repository.${key} "${s(repo[key])}" is unknown`;
  }
  if (!['PUBLIC', 'PRIVATE'].includes(s(repo.repo_type))) return `repository.repo_type "${s(repo.repo_type)}" is not PUBLIC or PRIVATE`;
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function exactKeys(record: Record<string, unknown>, keys: readonly string[], prefix = ''): string | undefined {
  const missing = keys.filter((key) => !(key in record));
  if (missing.length > 0) return `missing ${missing.map((key) => prefix + key).join(', ')}`;
  const unknown = Object.keys(record).filter((key) => !keys.includes(key));
  if (unknown.length > 0) return `unexpected ${unknown.map((key) => prefix + key).join(', ')}`;
  return undefined;
}

function validTime(text: string): boolean {
  const match = TIME.exec(text);
  if (!match) return false;
  const [, y, mo, d, h, mi, se] = match.map(Number) as [number, number, number, number, number, number, number];
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, se));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d && h < 24 && mi < 60 && se < 60;
}
