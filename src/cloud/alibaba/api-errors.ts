/**
 * How a failed Alibaba Cloud call is reported: the cloud's code and message,
 * then what the user can change. Wording follows the Huawei client:
 * `<operation>: HTTP <status> <code>: <message> — <remedy>`.
 *
 * Two body shapes arrive. The API gateway (signature, AccessKey, clock, STS,
 * RAM problems, for RPC and ROA alike) answers
 * `{RequestId, HostId, Code, Message, Recommend}`; a ROA service's own errors
 * come lower-case, `{code, message, requestId}` (Container Registry Personal
 * Edition: `{"code":"USER_NOT_EXIST","message":"user is not exist."}`).
 */
import { percentEncode } from './signer.js';
import { ImageshipError } from '../../domain/errors.js';

/** A failed answer from an Alibaba Cloud API, with the cloud's code and what to do about it. */
export class AlibabaApiError extends ImageshipError {
  override readonly name = 'AlibabaApiError';
  readonly status: number;
  /** The cloud's error code (`SignatureDoesNotMatch`, `INSTANCE_NOT_EXIST`…), '' when the answer had none. */
  readonly code: string;
  readonly operation: string;
  readonly requestId?: string;

  constructor(message: string, details: { status: number; code: string; operation: string; requestId?: string }) {
    super(message);
    this.status = details.status;
    this.code = details.code;
    this.operation = details.operation;
    if (details.requestId !== undefined) this.requestId = details.requestId;
  }
}

export interface AlibabaErrorBody {
  code?: string;
  message?: string;
  requestId?: string;
  hostId?: string;
  /** The gateway's diagnosis link for this request. */
  recommend?: string;
}

/** Reads either error shape; anything else yields an empty result and the caller shows the raw text. */
export function parseAlibabaErrorBody(text: string): AlibabaErrorBody {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return {};
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return {};
  const record = value as Record<string, unknown>;
  const pick = (...names: string[]): string | undefined => {
    for (const name of names) {
      const candidate = record[name];
      if (typeof candidate === 'string' && candidate !== '') return candidate;
    }
    return undefined;
  };
  const result: AlibabaErrorBody = {};
  // SAE may answer a numeric Code ("400") beside its real ErrorCode (and "success" there on success).
  const code = [pick('Code'), pick('code'), pick('ErrorCode'), pick('errorCode')].find(
    (candidate) => candidate !== undefined && !/^\d+$/.test(candidate) && candidate.toLowerCase() !== 'success',
  );
  const message = pick('Message', 'message', 'errorMsg', 'errorMessage');
  const requestId = pick('RequestId', 'requestId');
  const hostId = pick('HostId', 'hostId');
  const recommend = pick('Recommend', 'recommend');
  if (code !== undefined) result.code = code;
  if (message !== undefined) result.message = message;
  if (requestId !== undefined) result.requestId = requestId;
  if (hostId !== undefined) result.hostId = hostId;
  if (recommend !== undefined) result.recommend = recommend;
  return result;
}

const CHECK_ACCESS_KEY_ID =
  'the AccessKey ID is wrong or was deleted: check access-key-id, and that it belongs to the Alibaba Cloud account that owns the registry';
const CLOCK =
  'the runner clock is more than 15 minutes off Alibaba Cloud time (or a signed request was replayed): sync the runner clock with NTP and retry';
const GRANT =
  'the RAM user may not get registry logins: grant it cr:GetAuthorizationToken on the instance (e.g. the AliyunContainerRegistryFullAccess policy, or a custom policy)';
const CHECK_INSTANCE =
  'no Container Registry instance with this ID in this region: check instance-id (cri-…, on the instance overview page) and region';
const STS_PAIR = 'the security-token does not belong to this AccessKey: pass access-key-id, access-key-secret and security-token from the same STS answer';

const REMEDIES: ReadonlyMap<string, string> = new Map([
  ['InvalidAccessKeyId.NotFound', CHECK_ACCESS_KEY_ID],
  ['InvalidAccessKeyId', CHECK_ACCESS_KEY_ID],
  ['InvalidAccessKeyId.Inactive', 'the AccessKey is disabled: enable it in the RAM console, or create a new one'],
  ['SignatureDoesNotMatch', 'the access-key-secret does not match the AccessKey ID: copy the secret again, without spaces or line breaks'],
  ['IncompleteSignature', 'the request signature was incomplete: check access-key-secret, and any proxy set in endpoints that may rewrite requests'],
  ['InvalidTimeStamp.Expired', CLOCK],
  ['IllegalTimestamp', CLOCK],
  ['SignatureNonceUsed', CLOCK],
  ['Forbidden.RAM', GRANT],
  ['NoPermission', GRANT],
  ['Forbidden.NoPermission', GRANT],
  ['INSTANCE_NOT_EXIST', CHECK_INSTANCE],
  ['InstanceNotExist', CHECK_INSTANCE],
  ['Forbidden.InstanceNotFound', CHECK_INSTANCE],
  ['InvalidSecurityToken.Expired', 'the STS security token has expired: get a fresh one (assume the role again) right before this step'],
  ['InvalidSecurityToken.Malformed', STS_PAIR],
  ['InvalidSecurityToken.MismatchWithAccessKey', STS_PAIR],
  ['MissingSecurityToken', 'this is a temporary STS AccessKey (STS.…): pass its security-token as well'],
  [
    'USER_NOT_EXIST',
    'this account or RAM user has not set up Container Registry Personal Edition in this region: sign in to the Container Registry console with it once and set the registry login password, or use an Enterprise Edition instance (instance-id)',
  ],
  ['MissingParameter', 'a required parameter was not sent: check that instance-id and region are set'],
  ['Throttling', 'throttled by Alibaba Cloud: wait a little and retry, or make fewer calls'],
  ['Throttling.User', 'throttled by Alibaba Cloud: wait a little and retry, or make fewer calls'],
  ['InvalidAction.NotFound', 'this endpoint does not serve the Container Registry API: check region and the endpoints input (cr=url)'],
]);

/** What the user can do about `code`, or undefined when imageship knows nothing better than the cloud's message. */
export function alibabaRemedyFor(code: string): string | undefined {
  return REMEDIES.get(code);
}

/**
 * Every Alibaba AccessKey ID starts with `LTAI` (or `STS.`), so the head alone
 * tells keys apart no better than nothing: the tail is shown as well.
 */
export function shortAccessKeyId(accessKeyId: string): string {
  if (accessKeyId.length < 12) return `${accessKeyId.slice(0, 4)}…`;
  return `${accessKeyId.slice(0, 4)}…${accessKeyId.slice(-4)}`;
}

export interface ScrubSecrets {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
}

/**
 * Cloud messages echo requests back: SignatureDoesNotMatch quotes the whole
 * string it signed, which holds the security token percent-encoded once or
 * twice. Each secret is removed in all three spellings; the AK is shortened.
 */
export function scrubSecrets(text: string, secrets: ScrubSecrets): string {
  let result = text;
  for (const secret of [secrets.accessKeySecret, secrets.securityToken]) {
    if (secret === undefined || secret === '') continue;
    // Longest spelling first, so a shorter one never leaves a half-replaced remnant.
    for (const spelling of [percentEncode(percentEncode(secret)), percentEncode(secret), secret]) {
      result = result.split(spelling).join('***');
    }
  }
  if (secrets.accessKeyId !== '') result = result.split(secrets.accessKeyId).join(shortAccessKeyId(secrets.accessKeyId));
  return result;
}

export interface ApiErrorInput {
  operation: string;
  status: number;
  /** The raw answer body. */
  text: string;
  /** The `x-acs-request-id` header, used when the body names no request. */
  requestIdHeader?: string | null;
  secrets: ScrubSecrets;
  /** Said when the body carries no message of its own (e.g. a 200 with IsSuccess false). */
  fallbackMessage?: string;
  /** The calling service's own remedies, consulted before the shared (gateway and registry) ones. */
  remedies?: ReadonlyMap<string, string>;
}

/** Builds the error for a failed answer; secrets never reach the message. */
export function alibabaApiError(input: ApiErrorInput): AlibabaApiError {
  const parsed = parseAlibabaErrorBody(input.text);
  const requestId = parsed.requestId ?? input.requestIdHeader ?? undefined;
  const rawMessage = parsed.message ?? (parsed.code === undefined ? input.text : input.fallbackMessage ?? '');
  const cloudMessage = scrubSecrets(oneLine(rawMessage), input.secrets).slice(0, 300);
  const remedy = parsed.code === undefined ? undefined : (input.remedies?.get(parsed.code) ?? alibabaRemedyFor(parsed.code));
  let message = `${input.operation}: HTTP ${input.status}`;
  if (parsed.code !== undefined) message += ` ${parsed.code}`;
  if (cloudMessage !== '') message += `: ${cloudMessage}`;
  if (remedy !== undefined) message += ` — ${remedy}`;
  return new AlibabaApiError(message, {
    status: input.status,
    code: parsed.code ?? '',
    operation: input.operation,
    ...(requestId === undefined ? {} : { requestId }),
  });
}

export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
