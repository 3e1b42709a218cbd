/**
 * HTTPS to a Kubernetes API server over the run's network layer
 * (src/http): the proxy from the environment (a CONNECT tunnel, so the
 * client certificate still authenticates end to end), with the cluster's CA,
 * client certificate and TLS server name as the transport's own TLS
 * settings. Every call goes through the one retry policy (src/http/retry.ts)
 * and the one classification of network failures; what is Kubernetes' own
 * here is the wording of TLS failures (which kubeconfig field to fix) and the
 * hint that names the API server's address.
 */
import { createSecureContext } from 'node:tls';
import { createTransport, type Transport } from '../../http/transport.js';
import { readBodyBytes } from '../../http/read-body.js';
import { HttpError, sendAndReadWithRetry, type RetryPolicy } from '../../http/retry.js';
import { BODY_CAPS, BodyTooLargeError } from '../../util/body-cap.js';
import type { KubeTarget } from './kubeconfig.js';
import { findNetworkError, type NetworkError } from '../../http/network-errors.js';
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

/**
 * Sends requests to one API server over a keep-alive agent that carries the
 * target's CA, client certificate and key. `close()` when done.
 */
export class KubeTransport {
  private readonly transport: Transport;
  private readonly base: URL;
  private readonly retry: Partial<RetryPolicy> | undefined;
  private readonly sleep: ((ms: number) => Promise<void>) | undefined;

  constructor(
    private readonly target: KubeTarget,
    options: TransportOptions = {},
  ) {
    this.base = new URL(target.server);
    this.retry = options.retry;
    this.sleep = options.sleep;
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
      // The retry policy's per-attempt timeout bounds the whole exchange; the transport's own are for connect and silence.
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
    const prefix = this.base.pathname === '/' ? '' : this.base.pathname;
    const headers: Record<string, string> = { Accept: 'application/json', 'User-Agent': 'imageship' };
    if (this.target.token) headers.Authorization = `Bearer ${this.target.token}`;
    if (req.body !== undefined) headers['Content-Type'] = req.contentType ?? 'application/json';
    let attempts = 0;
    try {
      const sent = await sendAndReadWithRetry(
        this.transport.fetch,
        {
          url: new URL(`${prefix}${req.path}`, this.base.origin).href,
          method: req.method,
          headers,
          ...(req.body === undefined ? {} : { body: req.body }),
          idempotent: req.idempotent,
          operation: req.operation,
          onLastTransientStatus: 'answer',
          // The bearer token and client certificate belong to this API server: a redirect is an error, never followed.
          refuseRedirects: true,
          onAttempt: (attempt) => (attempts = attempt),
        },
        // Read inside each try: a connection that drops mid-body is tried again like one that drops before the answer.
        async (response) => new TextDecoder().decode(await readBodyBytes(response, req.operation, { what: 'the answer', from: this.base.host, cap: BODY_CAPS.kubernetes })),
        this.retry,
        ...(this.sleep ? [this.sleep] : []),
      );
      return { status: sent.response.status, body: sent.value ?? '', attempts: sent.attempts };
    } catch (error) {
      throw this.failure(req, error, attempts);
    }
  }

  close(): void {
    this.transport.close();
  }

  private failure(req: KubeRequest, error: unknown, attempts: number): KubernetesError {
    const details = { operation: req.operation, attempts: error instanceof HttpError ? error.attempts : attempts, cause: error };
    // Not transient: the same server sends the same body again.
    if (error instanceof BodyTooLargeError) return new KubernetesError(`kubernetes: ${req.operation}: ${error.message}`, details);
    const network = findNetworkError(error);
    const tls = network ? describeTlsFailure(network, this.target) : undefined;
    if (tls) return new KubernetesError(`kubernetes: ${req.operation}: ${tls}`, details);
    const message = error instanceof HttpError ? error.message : `${req.operation}: ${error instanceof Error ? error.message : String(error)}`;
    // A network failure's line names the host and the fix already; a timeout of the policy's own does not.
    const hint = network ? '' : ` — check that ${this.base.host} is the API server's address and is reachable from this runner`;
    return new KubernetesError(`kubernetes: ${message}${hint}`, details);
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

/** A one-line explanation and fix for a TLS failure, by the kubeconfig field to change; undefined when `network` is not one. */
function describeTlsFailure(network: NetworkError, target: KubeTarget): string | undefined {
  const host = target.tlsServerName ?? new URL(target.server).hostname;
  switch (network.kind) {
    case 'tls-untrusted':
      return target.ca
        ? `TLS: the API server's certificate is not signed by the kubeconfig's certificate-authority-data — use the kubeconfig of this very cluster (the CA changes when a cluster is re-created)`
        : `TLS: the API server's certificate is not signed by a publicly trusted CA and the kubeconfig has no certificate-authority-data — add the cluster's CA as certificate-authority-data`;
    case 'tls-name':
      return `TLS: the API server's certificate is not valid for ${host} — use the server address the kubeconfig came with (for CCE, the context matching the endpoint you reach: internal or external), or set tls-server-name`;
    case 'tls-expired':
      return `TLS: the API server's certificate ${network.code === 'CERT_NOT_YET_VALID' ? 'is not valid yet' : 'has expired'} — renew the cluster's certificates, or check the runner's clock`;
    case 'tls-client-cert':
      return target.clientCert
        ? `TLS: the API server refused the client certificate — the kubeconfig user's client-certificate-data is not trusted by this cluster (expired or from another cluster): download a fresh kubeconfig`
        : `TLS: the API server requires a client certificate — use a kubeconfig user with client-certificate-data and client-key-data`;
    default:
      return undefined;
  }
}
