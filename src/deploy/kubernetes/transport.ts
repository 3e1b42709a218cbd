/**
 * HTTPS to a Kubernetes API server over the run's network layer
 * (src/http): the proxy from the environment (a CONNECT tunnel, so the
 * client certificate still authenticates end to end), with the cluster's CA,
 * client certificate and TLS server name as the transport's own TLS
 * settings. It follows the shared retry policy (same statuses, same backoff,
 * same Retry-After handling, same idea of which failures are transient) and
 * turns TLS failures into errors that say which kubeconfig field to fix.
 */
import type { IncomingMessage } from 'node:http';
import { createSecureContext } from 'node:tls';
import { createTransport, type Transport } from '../../http/transport.js';
import {
  backoffMs,
  classifyFailure,
  formatSeconds,
  parseRetryAfterMs,
  resolvePolicy,
  RETRYABLE_STATUSES,
  type RetryPolicy,
} from '../../http/fetch-with-retry.js';
import { BODY_CAPS, BodyCollector, BodyTooLargeError, checkDeclaredLength } from '../../util/body-cap.js';
import type { KubeTarget } from './kubeconfig.js';
import { CLIENT_CERT_ALERTS, UNTRUSTED_CODES } from '../../http/network-errors.js';
import { ImageshipError } from '../../domain/errors.js';

/** Every Kubernetes failure: one line, `kubernetes: <operation>: <what> — <fix>`. */
export class KubernetesError extends ImageshipError {
  override readonly name = 'KubernetesError';
  readonly operation: string;
  /** The HTTP status when the API server answered. */
  readonly status?: number;
  /** Tries made, 0 when nothing was sent. */
  readonly attempts: number;

  constructor(message: string, details: { operation: string; attempts: number; status?: number; cause?: unknown }) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.operation = details.operation;
    this.attempts = details.attempts;
    if (details.status !== undefined) this.status = details.status;
  }
}

export interface TransportOptions {
  /** Overrides of the shared retry policy; `timeoutMs` bounds each attempt, body included. */
  retry?: Partial<RetryPolicy>;
  /** Waits between tries; injectable so tests can see (and skip) the waits. */
  sleep?: (ms: number) => Promise<void>;
  /** Where the proxy variables are read; default process.env. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Receives proxy passwords to mask (the run's transport, reading the same variables, has masked them already). */
  onSecret?: (value: string) => void;
}

export interface KubeRequest {
  method: 'GET' | 'PATCH';
  /** Absolute API path, e.g. `/apis/apps/v1/namespaces/prod/deployments/web`. */
  path: string;
  /** Names the call in errors: `patch deployment prod/web`. */
  operation: string;
  contentType?: string;
  body?: string;
  /** Repeating it cannot change the outcome, so it may be retried after a reset or a 5xx. */
  idempotent: boolean;
}

export interface KubeResponse {
  status: number;
  body: string;
  /** Tries it took, the successful one included. */
  attempts: number;
}

const sleepFor = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));


/**
 * Sends requests to one API server over a keep-alive agent that carries the
 * target's CA, client certificate and key. `close()` when done.
 */
export class KubeTransport {
  private readonly transport: Transport;
  private readonly base: URL;
  private readonly policy: RetryPolicy;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly target: KubeTarget,
    options: TransportOptions = {},
  ) {
    this.base = new URL(target.server);
    this.policy = resolvePolicy(options.retry);
    this.sleep = options.sleep ?? sleepFor;
    const tls = {
      ...(target.ca && !target.insecureSkipTlsVerify ? { ca: target.ca } : {}),
      ...(target.clientCert ? { cert: target.clientCert } : {}),
      ...(target.clientKey ? { key: target.clientKey } : {}),
    };
    checkTlsMaterial(tls);
    this.transport = createTransport({
      ...(options.env ? { env: options.env } : {}),
      ...(options.onSecret ? { onSecret: options.onSecret } : {}),
      maxSocketsPerOrigin: 4,
      // The per-attempt timer below bounds the whole exchange; the transport's own are for connect and silence.
      timeouts: { overallMs: 0 },
      tls: {
        ...tls,
        ...(target.tlsServerName ? { servername: target.tlsServerName } : {}),
        ...(target.insecureSkipTlsVerify ? { rejectUnauthorized: false } : {}),
      },
    });
  }

  /**
   * Resolves with the first answer that is not worth another try (any status:
   * Kubernetes' `Status` body is the caller's to read), or with the last
   * 429/5xx once the tries are used up. Rejects with KubernetesError when the
   * connection kept failing or failed in a way another try cannot fix (TLS).
   */
  async request(req: KubeRequest): Promise<KubeResponse> {
    for (let attempt = 1; ; attempt++) {
      const isLastAttempt = attempt >= this.policy.attempts;
      let response: { status: number; retryAfter: string | undefined; body: string };
      try {
        response = await this.send(req);
      } catch (error) {
        // Not transient: the same server sends the same body again.
        if (error instanceof BodyTooLargeError) {
          throw new KubernetesError(`kubernetes: ${req.operation}: ${error.message}`, { operation: req.operation, attempts: attempt, cause: error });
        }
        const tls = describeTlsFailure(error, this.target);
        if (tls) {
          throw new KubernetesError(`kubernetes: ${req.operation}: ${tls}`, { operation: req.operation, attempts: attempt, cause: error });
        }
        const failure = classifyFailure(error, this.policy.timeoutMs);
        const mayRetry = failure.transient && (req.idempotent || failure.nothingSent);
        if (!mayRetry || isLastAttempt) {
          const tries = `${attempt} ${attempt === 1 ? 'attempt' : 'attempts'}`;
          throw new KubernetesError(
            `kubernetes: ${req.operation}: ${failure.what} after ${tries} — check that ${this.base.host} is the API server's address and is reachable from this runner`,
            { operation: req.operation, attempts: attempt, cause: error },
          );
        }
        await this.sleep(backoffMs(attempt, this.policy));
        continue;
      }

      const retryable = req.idempotent && RETRYABLE_STATUSES.has(response.status);
      if (!retryable || isLastAttempt) return { status: response.status, body: response.body, attempts: attempt };
      await this.sleep(parseRetryAfterMs(response.status, response.retryAfter) ?? backoffMs(attempt, this.policy));
    }
  }

  close(): void {
    this.transport.close();
  }

  /** One try, bounded by the per-attempt timeout from the first byte sent to the last byte read. */
  private send(req: KubeRequest): Promise<{ status: number; retryAfter: string | undefined; body: string }> {
    const prefix = this.base.pathname === '/' ? '' : this.base.pathname;
    const headers: Record<string, string> = {
      Accept: 'application/json',
      'User-Agent': 'imageship',
    };
    if (this.target.token) headers.Authorization = `Bearer ${this.target.token}`;
    if (req.body !== undefined) {
      headers['Content-Type'] = req.contentType ?? 'application/json';
      headers['Content-Length'] = String(Buffer.byteLength(req.body));
    }
    return new Promise((resolve, reject) => {
      const url = new URL(`${prefix}${req.path}`, this.base.origin);
      const exchange = this.transport.request(url, { method: req.method, headers });
      const outgoing = exchange.request;
      let settled = false;
      const finish = (outcome: () => void): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        outcome();
      };
      // Settles first, then tears the socket down: whatever error the teardown raises, the caller sees why it was torn down.
      const abandon = (error: Error): void => {
        finish(() => reject(error));
        outgoing.destroy();
      };
      const timer = setTimeout(() => {
        const error = new Error(`timed out after ${formatSeconds(this.policy.timeoutMs)}`);
        error.name = 'TimeoutError';
        abandon(error);
      }, this.policy.timeoutMs);
      const onResponse = (incoming: IncomingMessage): void => {
        const collector = new BodyCollector({ what: 'the answer', from: this.base.host, cap: BODY_CAPS.kubernetes });
        try {
          checkDeclaredLength(incoming.headers['content-length'], collector.read);
        } catch (error) {
          abandon(error as Error);
          return;
        }
        incoming.on('data', (chunk: Buffer) => {
          try {
            collector.push(chunk);
          } catch (error) {
            abandon(error as Error);
          }
        });
        incoming.on('error', (error) => finish(() => reject(error)));
        // The connection dropped mid-body: the same transient failure as a reset before the answer.
        incoming.on('close', () => {
          if (!incoming.complete) finish(() => reject(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })));
        });
        incoming.on('end', () => {
          const retryAfter = incoming.headers['retry-after'];
          finish(() =>
            resolve({
              status: incoming.statusCode ?? 0,
              retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter,
              body: new TextDecoder().decode(collector.bytes()),
            }),
          );
        });
      };
      exchange.response.then(onResponse, (error: unknown) => finish(() => reject(error)));
      outgoing.end(req.body);
    });
  }
}

/** Builds the TLS context once up front, so a key that does not match its certificate is reported by field, not mid-request. */
function checkTlsMaterial(tls: { ca?: Buffer; cert?: Buffer; key?: Buffer }): void {
  try {
    createSecureContext(tls);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const what =
      code === 'ERR_OSSL_X509_KEY_VALUES_MISMATCH'
        ? 'client-key-data does not belong to client-certificate-data'
        : 'its certificate-authority-data, client-certificate-data or client-key-data is not a usable PEM certificate or key';
    throw new KubernetesError(`kubernetes: load the kubeconfig's TLS credentials: ${what} — download the kubeconfig again and store it unchanged`, {
      operation: 'load TLS credentials',
      attempts: 0,
    });
  }
}

/** A one-line explanation and fix for a TLS failure, or undefined when `error` is not one. */
function describeTlsFailure(error: unknown, target: KubeTarget): string | undefined {
  const codes = collectCodes(error);
  const host = target.tlsServerName ?? new URL(target.server).hostname;
  if (codes.some((code) => UNTRUSTED_CODES.has(code))) {
    return target.ca
      ? `TLS: the API server's certificate is not signed by the kubeconfig's certificate-authority-data — use the kubeconfig of this very cluster (the CA changes when a cluster is re-created)`
      : `TLS: the API server's certificate is not signed by a publicly trusted CA and the kubeconfig has no certificate-authority-data — add the cluster's CA as certificate-authority-data`;
  }
  if (codes.includes('ERR_TLS_CERT_ALTNAME_INVALID')) {
    return `TLS: the API server's certificate is not valid for ${host} — use the server address the kubeconfig came with (for CCE, the context matching the endpoint you reach: internal or external), or set tls-server-name`;
  }
  if (codes.includes('CERT_HAS_EXPIRED') || codes.includes('CERT_NOT_YET_VALID')) {
    return `TLS: the API server's certificate ${codes.includes('CERT_HAS_EXPIRED') ? 'has expired' : 'is not valid yet'} — renew the cluster's certificates, or check the runner's clock`;
  }
  if (codes.some((code) => CLIENT_CERT_ALERTS.has(code))) {
    return target.clientCert
      ? `TLS: the API server refused the client certificate — the kubeconfig user's client-certificate-data is not trusted by this cluster (expired or from another cluster): download a fresh kubeconfig`
      : `TLS: the API server requires a client certificate — use a kubeconfig user with client-certificate-data and client-key-data`;
  }
  return undefined;
}

function collectCodes(error: unknown): string[] {
  const codes: string[] = [];
  for (let link: unknown = error, depth = 0; link && typeof link === 'object' && depth < 6; depth++) {
    const code = (link as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
    link = (link as { cause?: unknown }).cause;
  }
  return codes;
}
