/**
 * The `trigger` deploy target: after a push, POST an ACR-style webhook body to
 * one or more redeploy trigger URLs (ACK "Triggers", the older Container
 * Service `/hook/trigger`, or any self-hosted receiver built for ACR webhooks).
 *
 * A trigger call redeploys the workload, so it is NOT idempotent: once a
 * request may have reached the receiver it is never sent again (see
 * `callDeployTrigger`). The URL itself is the credential; every message here
 * shows it redacted (`redactUrl`), and callers register `urlSecrets(url)` with
 * the SecretRegistry before anything is logged.
 */
import type { Fetch } from '../ports.js';
import { classifyFailure, fetchWithRetry, HttpError, type RetryPolicy } from '../http/retry.js';
import { readBodyBytes } from '../http/read-body.js';
import { BODY_CAPS } from '../util/body-cap.js';
import type { DeployedImage, DeployResult } from '../domain/targets/deploy-result.js';
import { urlProblem } from '../domain/targets/trigger-urls.js';
import { redactUrl, scrubSecrets, urlSecrets } from '../domain/targets/url-secrets.js';
import { ImageshipError } from '../domain/errors.js';

export { acrWebhookPayload, formatAcrTime, type AcrWebhookInfo, type AcrWebhookPayload } from './acr-webhook-payload.js';
export { redactUrl, urlSecrets } from '../domain/targets/url-secrets.js';

export interface TriggerCallOptions {
  /** Only `attempts` (shared by connection-refused and 429 retries), the backoff and the per-try timeout apply. */
  retry?: Partial<RetryPolicy>;
  /** Replaces the real wait between tries (tests). */
  sleep?: (ms: number) => Promise<void>;
  /**
   * The image being rolled out, for the result's `current`
   * (`reference@digest`). Without it `current` is taken from an ACR-shaped
   * payload (`namespace/name:tag@digest`, no registry host), else ''.
   */
  image?: DeployedImage;
}

/** A trigger call that failed; the message is one line with the URL redacted. */
export class DeployTriggerError extends ImageshipError {
  override readonly name = 'DeployTriggerError';
  /** The last HTTP status, when the receiver answered. */
  readonly status?: number;
  /** Requests made (including ones that never connected). */
  readonly attempts: number;
  /** False only when the receiver cannot have acted on the call (nothing sent, 401/403/404/429…). */
  readonly mayHaveRedeployed: boolean;

  constructor(message: string, details: { attempts: number; mayHaveRedeployed: boolean; status?: number }) {
    super(message);
    this.attempts = details.attempts;
    this.mayHaveRedeployed = details.mayHaveRedeployed;
    if (details.status !== undefined) this.status = details.status;
  }
}

/** Longest receiver message quoted in an error. */
const MESSAGE_LIMIT = 200;

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * POSTs `payload` (JSON) to the trigger `url` and checks the answer.
 *
 * Retries — a trigger call redeploys, so it is not idempotent:
 *  - connection refused / connect timeout / DNS failure: nothing was sent,
 *    so it is tried again (up to `retry.attempts` requests in all);
 *  - 429: the receiver refused the call without acting on it (rate limit),
 *    so it is tried again after `Retry-After` (capped at 60 s; the usual
 *    backoff when the header is missing), within the same attempt budget;
 *  - 5xx, a reset connection, a timeout: the receiver may already have
 *    started the redeploy, so the call is NOT repeated; the error says so.
 * Redirects are not followed: a 301/302 would turn the POST into a GET
 * without the payload (still a redeploy on ACK) behind the caller's back.
 *
 * Success is a 2xx whose body, when it is JSON with a `code` field, has code
 * 200 (string or number), the ACK/Container Service acknowledgement
 * `{"code":"200","message":"","requestId":"…"}`. Anything else throws a
 * DeployTriggerError: `deploy-trigger: <redacted url>: HTTP <status>[ code <code>: <message>] — <fix>`.
 */
export async function callDeployTrigger(
  fetch: Fetch,
  url: string,
  payload: object,
  options: TriggerCallOptions = {},
): Promise<DeployResult> {
  const target = url.trim();
  const shown = redactUrl(target);
  const where = `deploy-trigger: ${shown}`;
  const secrets = urlSecrets(target);
  const sleep = options.sleep ?? defaultSleep;
  let calls = 0;
  const fail = (message: string, details: { mayHaveRedeployed: boolean; status?: number }): DeployTriggerError =>
    new DeployTriggerError(scrubSecrets(message, secrets), { attempts: calls, ...details });

  const problem = urlProblem(target);
  if (problem !== undefined) throw fail(`${where}: not an http(s) URL — ${problem}`, { mayHaveRedeployed: false });

  const body = JSON.stringify(payload);
  let response: Response;
  try {
    response = await fetchWithRetry(
      (input, init) => fetch(input, { ...init, redirect: 'manual' }),
      {
        url: target,
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'User-Agent': 'imageship', Accept: 'application/json, */*;q=0.5' },
        body,
        idempotent: false,
        // A 429 is refused before it is acted on: the one answer after which a redeploy may be asked again.
        retryRateLimited: true,
        onLastTransientStatus: 'answer',
        onAttempt: (attempt) => (calls = attempt),
        operation: where,
      },
      options.retry,
      sleep,
    );
  } catch (error) {
    const base = error instanceof HttpError ? error.message : `${where}: request failed after ${calls} ${calls === 1 ? 'attempt' : 'attempts'}`;
    if (nothingWasSent(error, target)) {
      throw fail(
        `${base} — nothing reached the receiver, so nothing was redeployed; check the host and port of the trigger URL and that the receiver is up`,
        { mayHaveRedeployed: false },
      );
    }
    throw fail(
      `${base} — the request may have reached the receiver, so the workload may or may not have been redeployed; check it before re-running (a trigger call is not repeated automatically: it is not idempotent)`,
      { mayHaveRedeployed: true },
    );
  }
  return await interpret(response);

  async function interpret(response: Response): Promise<DeployResult> {
    const status = response.status;
    const ok = status >= 200 && status < 300;
    let text: string | undefined;
    try {
      text = new TextDecoder().decode(await readBodyBytes(response, where, { what: `the answer to ${where}`, cap: BODY_CAPS.errorBody }));
    } catch {
      text = undefined;
    }
    const answer = text === undefined ? {} : parseAnswer(text);
    const detail = `HTTP ${status}${answer.code === undefined ? '' : ` code ${answer.code}${answer.message ? `: ${answer.message}` : ''}`}`;

    if (ok && (answer.code === undefined || answer.code === '200')) {
      return {
        target: 'trigger',
        id: shown,
        previous: '',
        current: describeCurrent(options.image, payload),
        // A redeploy cannot be read back through a trigger URL: "verified" only
        // means the receiver's 2xx answer was read and accepted the call (code
        // 200 when it sends one). A 2xx whose body broke off stays unverified.
        verified: text !== undefined,
      };
    }
    if (ok) {
      throw fail(`${where}: ${detail} — the receiver answered but did not accept the redeploy; check the trigger in the console`, {
        mayHaveRedeployed: false,
        status,
      });
    }
    if (status >= 300 && status < 400) {
      const location = response.headers.get('location');
      throw fail(
        `${where}: ${detail} — the trigger URL redirects${location ? ` to ${redactUrl(location)}` : ''}; put the final URL in deploy-trigger (redirects are not followed: the POST could arrive as a GET without its payload)`,
        { mayHaveRedeployed: false, status },
      );
    }
    if (status === 401 || status === 403) {
      throw fail(
        `${where}: ${detail} — the token was refused: it is wrong or the trigger was deleted; recreate the trigger in the console (workload details → Triggers → Create Trigger, action Redeploy) and store its new link in the deploy-trigger secret`,
        { mayHaveRedeployed: false, status },
      );
    }
    if (status === 404) {
      throw fail(`${where}: ${detail} — trigger not found: it was deleted or the link is incomplete; copy the trigger link again from the console`, {
        mayHaveRedeployed: false,
        status,
      });
    }
    if (status === 429) {
      throw fail(
        `${where}: ${detail} after ${calls} ${calls === 1 ? 'attempt' : 'attempts'} — the receiver kept rate-limiting the call; a 429 is refused before it is acted on, so nothing was redeployed; re-run later`,
        { mayHaveRedeployed: false, status },
      );
    }
    if (status >= 500) {
      throw fail(
        `${where}: ${detail} — the receiver failed and may or may not have redeployed; check the workload before re-running (a trigger call is not repeated automatically: it is not idempotent)`,
        { mayHaveRedeployed: true, status },
      );
    }
    throw fail(`${where}: ${detail} — the receiver refused the request; check that the URL is a redeploy trigger link and that it accepts an ACR webhook body`, {
      mayHaveRedeployed: false,
      status,
    });
  }

}

/** `reference@digest` for the result: from `image` when given, else what an ACR-shaped payload tells. */
function describeCurrent(image: DeployedImage | undefined, payload: object): string {
  if (image !== undefined) return `${image.reference}@${image.digest}`;
  const { push_data: push, repository } = payload as {
    push_data?: { digest?: unknown; tag?: unknown };
    repository?: { repo_full_name?: unknown };
  };
  if (typeof push?.digest !== 'string' || typeof push.tag !== 'string' || typeof repository?.repo_full_name !== 'string') return '';
  return `${repository.repo_full_name}:${push.tag}@${push.digest}`;
}

interface Answer {
  /** The `code` field as a string, when the body is a JSON object that has one. */
  code?: string;
  message?: string;
}

function parseAnswer(text: string): Answer {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{')) return {};
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch {
    return {};
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return {};
  const record = value as Record<string, unknown>;
  const code = record.code ?? record.Code;
  const message = record.message ?? record.Message ?? record.msg;
  const answer: Answer = {};
  if (code !== undefined && code !== null) answer.code = oneLine(typeof code === 'string' ? code : JSON.stringify(code));
  if (typeof message === 'string' && message.trim() !== '') answer.message = oneLine(message);
  return answer;
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > MESSAGE_LIMIT ? `${line.slice(0, MESSAGE_LIMIT)}…` : line;
}


/** The one classification (src/http) says whether any byte of the request left this machine; a timeout never counts as nothing sent. */
function nothingWasSent(error: unknown, url: string): boolean {
  return classifyFailure(error instanceof HttpError ? error.cause : error, undefined, url).nothingSent;
}
