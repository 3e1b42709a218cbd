/**
 * Turns a failed API answer into one line a CI user can act on. The API
 * server explains itself in a `Status` object (`{kind: 'Status', reason,
 * message, code}`); its message is kept, and a fix is added for the answers
 * that have an obvious one (missing RBAC, wrong name, stale credentials).
 */
import { http } from '../../http/node-http.js';
import { KubernetesError } from './transport.js';
import type { KubeResponse } from './transport.js';

export interface FailedCall {
  /** `patch deployment prod/web` */
  operation: string;
  /** The RBAC verb: `get`, `patch`. */
  verb: string;
  /** The plural resource: `deployments`. */
  resource: string;
  namespace: string;
}

interface StatusBody {
  reason?: string;
  message?: string;
}

/** The error for a non-2xx answer, message parsed from the body when it is a `Status`. */
export function statusError(call: FailedCall, response: KubeResponse): KubernetesError {
  const status = readStatus(response.body);
  const phrase = http.STATUS_CODES[response.status] ?? 'HTTP error';
  const tries = response.attempts > 1 ? ` after ${response.attempts} attempts` : '';
  const detail = status.message ?? status.reason ?? bodySnippet(response.body);
  const fix = fixFor(call, response.status);
  const message =
    `kubernetes: ${call.operation}: ${response.status} ${phrase}${tries}` +
    `${detail ? `: ${detail}` : ''}` +
    `${fix ? ` — ${fix}` : ''}`;
  return new KubernetesError(message, { operation: call.operation, attempts: response.attempts, status: response.status });
}

function fixFor(call: FailedCall, status: number): string | undefined {
  switch (status) {
    case 401:
      return "the API server did not accept the kubeconfig's credentials (expired token, or a client certificate from another cluster): download a fresh kubeconfig";
    case 403:
      return `grant the CI user ${call.verb} on ${call.resource} in ${call.namespace} (a Role with get and patch on ${call.resource}.apps, bound to that user)`;
    case 404:
      return `check the namespace and name in workloads: \`kubectl -n ${call.namespace} get ${call.resource}\` lists what exists (and check that the kubeconfig points at the right cluster)`;
    case 409:
      return 'the workload was changed by someone else at the same time: run again';
    case 422:
      return 'the API server refused the new pod template; the message says which field';
    case 429:
    case 502:
    case 503:
    case 504:
      return 'the API server is overloaded or restarting: try again later';
    default:
      return undefined;
  }
}

function readStatus(body: string): StatusBody {
  try {
    const parsed = JSON.parse(body) as unknown;
    if (typeof parsed !== 'object' || parsed === null) return {};
    const record = parsed as { kind?: unknown; reason?: unknown; message?: unknown };
    if (record.kind !== 'Status') return {};
    return {
      ...(typeof record.reason === 'string' && record.reason ? { reason: record.reason } : {}),
      ...(typeof record.message === 'string' && record.message ? { message: oneLine(record.message) } : {}),
    };
  } catch {
    return {};
  }
}

/** A proxy or load balancer in front of the API server answers in HTML or plain text: show its start. */
function bodySnippet(body: string): string | undefined {
  const text = oneLine(body.replace(/<[^>]*>/g, ' '));
  if (!text) return undefined;
  return text.length > 160 ? `${text.slice(0, 160)}…` : text;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
