export const id = 230;
export const ids = [230];
export const modules = {

/***/ 7230:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  acrApiEndpoint: () => (/* reexport */ acrApiEndpoint),
  applyConfiguredRetention: () => (/* reexport */ applyConfiguredRetention),
  createNamespace: () => (/* reexport */ createNamespace),
  createTemporaryLogin: () => (/* reexport */ createTemporaryLogin),
  deployAll: () => (/* reexport */ deployAll),
  getEnterpriseLogin: () => (/* reexport */ getEnterpriseLogin),
  getPersonalLogin: () => (/* reexport */ getPersonalLogin),
  huaweiClientFor: () => (/* reexport */ huaweiClientFor),
  logInToRegistryAuth: () => (/* reexport */ logInToRegistryAuth),
  parseKubeconfig: () => (/* reexport */ parseKubeconfig),
  resolveKeylessCredentials: () => (/* reexport */ resolveKeylessCredentials)
});

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: ./build/src/util/body-cap.js
var body_cap = __webpack_require__(5893);
// EXTERNAL MODULE: ./build/src/http/read-body.js
var read_body = __webpack_require__(9681);
// EXTERNAL MODULE: ./build/src/http/retry.js
var retry = __webpack_require__(6092);
;// CONCATENATED MODULE: ./build/src/cloud/alibaba/signer.js
/**
 * Alibaba Cloud's two request signatures, byte for byte as the reference
 * Node SDK (@alicloud/pop-core 1.8.0) computes them:
 *
 * - RPC ("POP", signature v1): every parameter travels in the query string;
 *   the sorted, percent-encoded parameters are signed with HMAC-SHA1 under
 *   the key `secret + '&'`. Used by Container Registry Enterprise Edition
 *   (API version 2018-12-01).
 * - ROA: a REST path plus `x-acs-*` headers; a newline-joined string of the
 *   method, content headers, `x-acs-*` headers and the resource is signed with
 *   HMAC-SHA1 under the plain secret and sent as `Authorization: acs AK:sig`.
 *   Used by the Personal Edition (API version 2016-06-07).
 *
 * Pure functions of their inputs: the caller passes the time and the nonce,
 * so tests can pin them and every retry can be signed afresh.
 */

/** encodeURIComponent plus the five characters it leaves alone but RFC 3986 reserves: `!'()*`. */
function percentEncode(text) {
    return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
/**
 * `key=value` pairs joined by `&`, keys sorted by UTF-16 code unit (plain
 * `Array.prototype.sort`, as the SDK does) before either side is encoded.
 */
function rpcCanonicalQuery(params) {
    return Object.keys(params)
        .sort()
        .map((key) => `${percentEncode(key)}=${percentEncode(params[key])}`)
        .join('&');
}
/** `METHOD&%2F&` + the canonical query, encoded once more as a whole. */
function rpcStringToSign(method, params) {
    return `${method.toUpperCase()}&${percentEncode('/')}&${percentEncode(rpcCanonicalQuery(params))}`;
}
/** Base64 HMAC-SHA1 of the string to sign; the key is the secret with a trailing `&` (an empty token secret). */
function signRpc(method, params, accessKeySecret) {
    return (0,external_node_crypto_.createHmac)('sha1', `${accessKeySecret}&`).update(rpcStringToSign(method, params), 'utf8').digest('base64');
}
/** `YYYY-MM-DDTHH:mm:ssZ` in UTC, milliseconds dropped: the only form the gateway accepts. */
function rpcTimestamp(date) {
    return `${date.toISOString().slice(0, 19)}Z`;
}
/** The common parameters every RPC call carries, merged with the API's own (which win, as in the SDK). */
function rpcParameters(request) {
    const common = {
        Action: request.action,
        Format: 'JSON',
        Version: request.version,
        AccessKeyId: request.accessKeyId,
        SignatureMethod: 'HMAC-SHA1',
        SignatureVersion: '1.0',
        SignatureNonce: request.nonce,
        Timestamp: rpcTimestamp(request.now),
    };
    if (request.securityToken !== undefined && request.securityToken !== '')
        common['SecurityToken'] = request.securityToken;
    return { ...common, ...request.params };
}
/**
 * The complete, signed query string (no leading `?`): the canonical query with
 * `Signature` appended last, which is where the SDK puts it. For POST the
 * same string is the form body.
 */
function rpcQuery(request) {
    const params = rpcParameters(request);
    const signature = signRpc(request.method ?? 'GET', params, request.accessKeySecret);
    return `${rpcCanonicalQuery(params)}&Signature=${percentEncode(signature)}`;
}
/** Header names are matched case-insensitively; the SDK lower-cases them before signing. */
function lowerKeys(headers) {
    return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}
/** Tabs and line breaks inside a header value become spaces, then the value is trimmed. */
function headerLine(name, value) {
    return `${name}:${value.replace(/[\t\n\r\f]/g, ' ').trim()}\n`;
}
/** The path, plus `?k=v&…` with query keys sorted and values as given (not encoded: the SDK signs them raw). */
function roaCanonicalResource(path, query = {}) {
    const keys = Object.keys(query).sort();
    if (keys.length === 0)
        return path;
    return `${path}?${keys.map((key) => `${key}=${query[key]}`).join('&')}`;
}
/**
 * METHOD, Accept, Content-MD5, Content-Type and Date, one per line (absent
 * ones as empty lines), then each `x-acs-*` header as `name:value` sorted by
 * name, then the canonical resource.
 */
function roaStringToSign(method, path, headers, query = {}) {
    const lower = lowerKeys(headers);
    const head = [method.toUpperCase(), lower['accept'] ?? '', lower['content-md5'] ?? '', lower['content-type'] ?? '', lower['date'] ?? '']
        .map((line) => `${line}\n`)
        .join('');
    const acsHeaders = Object.keys(lower)
        .filter((name) => name.startsWith('x-acs-'))
        .sort()
        .map((name) => headerLine(name, lower[name]))
        .join('');
    return `${head}${acsHeaders}${roaCanonicalResource(path, query)}`;
}
/** The `Authorization` header value: `acs {AccessKeyId}:{base64 HMAC-SHA1 under the plain secret}`. */
function signRoa(request) {
    const toSign = roaStringToSign(request.method, request.path, request.headers, request.query ?? {});
    const signature = (0,external_node_crypto_.createHmac)('sha1', request.accessKeySecret).update(toSign, 'utf8').digest('base64');
    return `acs ${request.accessKeyId}:${signature}`;
}
/**
 * The headers an ROA request is signed over, lower-case. Content-MD5 and
 * Content-Type are always present (the MD5 of an empty body for a GET), so
 * the signed string never depends on whether a proxy adds or drops them.
 */
function roaHeaders(options) {
    const headers = {
        accept: 'application/json',
        'content-type': options.contentType ?? 'application/json',
        'content-md5': (0,external_node_crypto_.createHash)('md5').update(options.body ?? '').digest('base64'),
        date: options.now.toUTCString(),
        'x-acs-signature-method': 'HMAC-SHA1',
        'x-acs-signature-nonce': options.nonce,
        'x-acs-signature-version': '1.0',
        'x-acs-version': options.version,
    };
    if (options.regionId !== undefined && options.regionId !== '')
        headers['x-acs-region-id'] = options.regionId;
    if (options.securityToken !== undefined && options.securityToken !== '') {
        // The SDK names the AK alongside an STS token so the gateway can match the two.
        headers['x-acs-accesskey-id'] = options.accessKeyId;
        headers['x-acs-security-token'] = options.securityToken;
    }
    return headers;
}

// EXTERNAL MODULE: ./build/src/domain/errors.js
var errors = __webpack_require__(3047);
;// CONCATENATED MODULE: ./build/src/cloud/alibaba/api-errors.js
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


/** A failed answer from an Alibaba Cloud API, with the cloud's code and what to do about it. */
class AlibabaApiError extends errors/* ImageshipError */.K {
    name = 'AlibabaApiError';
    status;
    /** The cloud's error code (`SignatureDoesNotMatch`, `INSTANCE_NOT_EXIST`…), '' when the answer had none. */
    code;
    operation;
    requestId;
    constructor(message, details) {
        super(message);
        this.status = details.status;
        this.code = details.code;
        this.operation = details.operation;
        if (details.requestId !== undefined)
            this.requestId = details.requestId;
    }
}
/** Reads either error shape; anything else yields an empty result and the caller shows the raw text. */
function parseAlibabaErrorBody(text) {
    let value;
    try {
        value = JSON.parse(text);
    }
    catch {
        return {};
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value))
        return {};
    const record = value;
    const pick = (...names) => {
        for (const name of names) {
            const candidate = record[name];
            if (typeof candidate === 'string' && candidate !== '')
                return candidate;
        }
        return undefined;
    };
    const result = {};
    // SAE may answer a numeric Code ("400") beside its real ErrorCode (and "success" there on success).
    const code = [pick('Code'), pick('code'), pick('ErrorCode'), pick('errorCode')].find((candidate) => candidate !== undefined && !/^\d+$/.test(candidate) && candidate.toLowerCase() !== 'success');
    const message = pick('Message', 'message', 'errorMsg', 'errorMessage');
    const requestId = pick('RequestId', 'requestId');
    const hostId = pick('HostId', 'hostId');
    const recommend = pick('Recommend', 'recommend');
    if (code !== undefined)
        result.code = code;
    if (message !== undefined)
        result.message = message;
    if (requestId !== undefined)
        result.requestId = requestId;
    if (hostId !== undefined)
        result.hostId = hostId;
    if (recommend !== undefined)
        result.recommend = recommend;
    return result;
}
const CHECK_ACCESS_KEY_ID = 'the AccessKey ID is wrong or was deleted: check access-key-id, and that it belongs to the Alibaba Cloud account that owns the registry';
const CLOCK = 'the runner clock is more than 15 minutes off Alibaba Cloud time (or a signed request was replayed): sync the runner clock with NTP and retry';
const GRANT = 'the RAM user may not get registry logins: grant it cr:GetAuthorizationToken on the instance (e.g. the AliyunContainerRegistryFullAccess policy, or a custom policy)';
const CHECK_INSTANCE = 'no Container Registry instance with this ID in this region: check instance-id (cri-…, on the instance overview page) and region';
const STS_PAIR = 'the security-token does not belong to this AccessKey: pass access-key-id, access-key-secret and security-token from the same STS answer';
const REMEDIES = new Map([
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
function alibabaRemedyFor(code) {
    return REMEDIES.get(code);
}
/**
 * Every Alibaba AccessKey ID starts with `LTAI` (or `STS.`), so the head alone
 * tells keys apart no better than nothing: the tail is shown as well.
 */
function shortAccessKeyId(accessKeyId) {
    if (accessKeyId.length < 12)
        return `${accessKeyId.slice(0, 4)}…`;
    return `${accessKeyId.slice(0, 4)}…${accessKeyId.slice(-4)}`;
}
/**
 * Cloud messages echo requests back: SignatureDoesNotMatch quotes the whole
 * string it signed, which holds the security token percent-encoded once or
 * twice. Each secret is removed in all three spellings; the AK is shortened.
 */
function scrubSecrets(text, secrets) {
    let result = text;
    for (const secret of [secrets.accessKeySecret, secrets.securityToken]) {
        if (secret === undefined || secret === '')
            continue;
        // Longest spelling first, so a shorter one never leaves a half-replaced remnant.
        for (const spelling of [percentEncode(percentEncode(secret)), percentEncode(secret), secret]) {
            result = result.split(spelling).join('***');
        }
    }
    if (secrets.accessKeyId !== '')
        result = result.split(secrets.accessKeyId).join(shortAccessKeyId(secrets.accessKeyId));
    return result;
}
/** Builds the error for a failed answer; secrets never reach the message. */
function alibabaApiError(input) {
    const parsed = parseAlibabaErrorBody(input.text);
    const requestId = parsed.requestId ?? input.requestIdHeader ?? undefined;
    const rawMessage = parsed.message ?? (parsed.code === undefined ? input.text : input.fallbackMessage ?? '');
    const cloudMessage = scrubSecrets(oneLine(rawMessage), input.secrets).slice(0, 300);
    const remedy = parsed.code === undefined ? undefined : (input.remedies?.get(parsed.code) ?? alibabaRemedyFor(parsed.code));
    let message = `${input.operation}: HTTP ${input.status}`;
    if (parsed.code !== undefined)
        message += ` ${parsed.code}`;
    if (cloudMessage !== '')
        message += `: ${cloudMessage}`;
    if (remedy !== undefined)
        message += ` — ${remedy}`;
    return new AlibabaApiError(message, {
        status: input.status,
        code: parsed.code ?? '',
        operation: input.operation,
        ...(requestId === undefined ? {} : { requestId }),
    });
}
function oneLine(text) {
    return text.replace(/\s+/g, ' ').trim();
}

;// CONCATENATED MODULE: ./build/src/cloud/alibaba/sts.js
/**
 * Alibaba Cloud STS AssumeRoleWithOIDC (RPC, version 2015-04-01): the CI's
 * OIDC token for temporary credentials of a RAM role, with no stored key.
 *
 * Facts relied on (STS API reference, "AssumeRoleWithOIDC", "Error codes"):
 * - anonymous: no AccessKeyId and no signature; parameters `RoleArn`,
 *   `OIDCProviderArn`, `OIDCToken` (4-20000 characters), `RoleSessionName`,
 *   `DurationSeconds` (900 to the role's MaxSessionDuration, 3600 by default);
 *   sent as a POST form so the token never appears in a URL (proxy logs);
 * - answer `{RequestId, Credentials: {AccessKeyId, AccessKeySecret, SecurityToken, Expiration},
 *   OIDCTokenInfo: {Subject, Issuer, ClientIds}, AssumedRoleUser}`;
 * - errors `{RequestId, HostId, Code, Message, Recommend}`, e.g. 401
 *   AuthenticationFail.OIDCToken.AudienceNotMatch / .Expired / .InvalidSignature,
 *   AuthenticationFail.NoPermission ("There is no permission": the trust
 *   policy's conditions; "No such OIDC Provider registered."), EntityNotExist.Role.
 */






const STS_API_VERSION = '2015-04-01';
/** The STS API of `region`; the `endpoints` input's `sts=` line overrides it. */
function alibabaStsEndpoint(region, overrides) {
    return overrides.get('sts') ?? `https://sts.${region}.aliyuncs.com`;
}
async function assumeRoleWithOidc(options) {
    const operation = `assume RAM role ${options.roleArn} with the OIDC token (STS AssumeRoleWithOIDC)`;
    const url = `${options.endpoint.replace(/\/+$/, '')}/`;
    // A fresh nonce and time per try: fetchWithRetry repeats the same fetch call.
    const formFetch = (input, init) => options.fetch(input, {
        ...init,
        body: formBody({
            Action: 'AssumeRoleWithOIDC',
            Version: STS_API_VERSION,
            Format: 'JSON',
            Timestamp: rpcTimestamp(options.clock.now()),
            SignatureNonce: (0,external_node_crypto_.randomUUID)(),
            RoleArn: options.roleArn,
            OIDCProviderArn: options.oidcProviderArn,
            OIDCToken: options.idToken,
            RoleSessionName: options.sessionName,
            DurationSeconds: String(options.durationSeconds),
        }),
    });
    const response = await (0,retry/* fetchWithRetry */.J5)(formFetch, {
        url,
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
        // Replaced per try by formFetch; set so the retry policy knows a body travels.
        body: '',
        operation,
        idempotent: true,
        refuseRedirects: true,
    }, options.retry);
    const text = new TextDecoder().decode(await (0,read_body/* readBodyBytes */.I)(response, operation, { what: `the answer to ${operation}`, from: new URL(url).host, cap: body_cap/* BODY_CAPS */.V9.cloudApi }));
    if (response.status < 200 || response.status > 299) {
        const parsed = parseAlibabaErrorBody(text);
        const message = options.redact(oneLine(parsed.message ?? text).slice(0, 300));
        const requestId = parsed.requestId ?? response.headers.get('x-acs-request-id') ?? undefined;
        throw new AlibabaApiError(`${operation}: HTTP ${response.status}${parsed.code ? ` ${parsed.code}` : ''}${message ? `: ${message}` : ''}`, {
            status: response.status,
            code: parsed.code ?? '',
            operation,
            ...(requestId === undefined ? {} : { requestId }),
        });
    }
    let body;
    try {
        body = JSON.parse(text);
    }
    catch {
        throw new Error(`${operation}: HTTP ${response.status} but the answer is not JSON`);
    }
    const credentials = body?.Credentials ?? {};
    const pick = (name) => (typeof credentials[name] === 'string' ? credentials[name] : '');
    const accessKeyId = pick('AccessKeyId');
    const secretAccessKey = pick('AccessKeySecret');
    const securityToken = pick('SecurityToken');
    if (accessKeyId === '' || secretAccessKey === '' || securityToken === '') {
        throw new Error(`${operation}: the answer has no complete "Credentials" (AccessKeyId, AccessKeySecret, SecurityToken)`);
    }
    const expiration = Date.parse(pick('Expiration'));
    return { accessKeyId, secretAccessKey, securityToken, expiresAt: Number.isNaN(expiration) ? undefined : new Date(expiration) };
}
function formBody(params) {
    return Object.entries(params)
        .map(([key, value]) => `${percentEncode(key)}=${percentEncode(value)}`)
        .join('&');
}

// EXTERNAL MODULE: ./build/src/domain/targets/huawei-endpoints.js + 1 modules
var huawei_endpoints = __webpack_require__(1607);
// EXTERNAL MODULE: ./build/src/domain/swr-login.js
var swr_login = __webpack_require__(8398);
;// CONCATENATED MODULE: ./build/src/cloud/huawei/error-remedies.js
/**
 * What a user can do about a Huawei Cloud error code. The cloud's own message
 * says what went wrong; these say what to change. Codes come from the API
 * Gateway ("APIGW.xxxx", older "APIG.xxxx"), FunctionGraph ("FSS.xxxx") and
 * CCE ("CCE.xxxxxxxx") error-code tables; an unknown code gets no remedy and
 * the cloud's message stands alone.
 */
const CHECK_REGION = 'check region and the endpoints input (service=url)';
/** Keyed by the number after "APIGW." / "APIG.": both prefixes are in use for the same gateway. */
const GATEWAY_REMEDIES = new Map([
    ['0101', `the API was not found at this endpoint: ${CHECK_REGION}`],
    [
        '0301',
        'the AK/SK signature was rejected: check that secret-key belongs to access-key (no stray spaces), ' +
            'and the runner clock: a request more than 15 minutes off is rejected; ' +
            'after 5 failures in a row the AK is locked for 5 minutes',
    ],
    ['0302', 'this IAM user may not call the API: grant it the service permission in IAM for this project'],
    ['0303', 'app authentication failed: check the app key/secret and the runner clock (more than 15 minutes off is rejected)'],
    ['0304', 'the app is not authorized to call this API: authorize it in API Gateway'],
    ['0305', 'the gateway rejected the authentication information: check access-key and secret-key'],
    ['0306', 'an access-control policy denies this request: check the API Gateway access control of this API'],
    ['0307', 'the token is no longer valid: sign in again'],
    ['0308', 'throttled by API Gateway: wait a few seconds and retry, or make fewer calls'],
]);
const CODE_REMEDIES = new Map([
    // FunctionGraph
    ['FSS.0401', 'the request was not authenticated: check access-key and secret-key'],
    [
        'FSS.0403',
        'no permission: grant the IAM user FunctionGraph FullAccess in this region, and check that the project in the URN is the AK\'s project',
    ],
    ['FSS.0404', "function not found: check the URN's region, project id, package and name (copy it from the function's page)"],
    ['FSS.1051', "function not found: check the URN's region, project id, package and name (copy it from the function's page)"],
    ['FSS.0409', 'conflict with the function\'s current state (another change may be in progress): retry later'],
    ['FSS.0429', 'too many requests to FunctionGraph: retry later'],
    ['FSS.0500', 'FunctionGraph had an internal error: retry later'],
    ['FSS.0503', 'FunctionGraph is unavailable: retry later'],
    // CCE
    ['CCE.01400001', 'CCE rejected the request: check the fields the message names'],
    ['CCE.01401001', 'CCE could not authenticate the request: check access-key and secret-key'],
    ['CCE.01403001', 'no permission on this cluster: grant the IAM user CCE permissions (e.g. CCE Administrator) in this project'],
    ['CCE.01404001', `cluster not found: check cluster-id, the project and ${CHECK_REGION}`],
    ['CCE.01409001', 'conflict with the cluster\'s current state: retry later'],
    ['CCE.01429002', 'the cluster is locked by another request: retry later'],
    ['CCE.01429003', 'too many concurrent CCE jobs: retry later'],
    ['CCE.02429001', 'throttled by CCE: retry later'],
]);
/** The remedy for `code`, or undefined when imageship knows none. */
function remedyFor(code) {
    const gateway = /^APIGW?\.(\d{4})$/.exec(code);
    if (gateway)
        return GATEWAY_REMEDIES.get(gateway[1]);
    const known = CODE_REMEDIES.get(code);
    if (known !== undefined)
        return known;
    // FSS.0400 and FSS.1xxx are all "this field of the request is invalid"; the message names the field.
    if (code === 'FSS.0400' || /^FSS\.1\d{3}$/.test(code))
        return 'FunctionGraph rejected a request field: correct the one the message names';
    return undefined;
}

;// CONCATENATED MODULE: ./build/src/cloud/huawei/signer.js
/**
 * Huawei Cloud API Gateway AK/SK signing (SDK-HMAC-SHA256), the scheme every
 * Huawei Cloud API (FunctionGraph, CCE, IAM, SWR…) checks. The gateway
 * rebuilds the same canonical request from what it received and compares
 * signatures, so every byte here must match what is actually sent.
 */

const SIGNING_ALGORITHM = 'SDK-HMAC-SHA256';
const SECURITY_TOKEN_HEADER = 'X-Security-Token';
/**
 * Returns the headers to send: the given ones, `X-Sdk-Date` (unless one was
 * given), `X-Security-Token` (temporary credentials) and `Authorization`. `host` is signed but not returned: the HTTP
 * client derives it from the URL, exactly as it is signed here.
 */
function signHuaweiRequest(request, credentials, now) {
    const headers = { ...request.headers };
    if (credentials.securityToken !== undefined && credentials.securityToken !== '') {
        for (const name of Object.keys(headers))
            if (name.toLowerCase() === 'x-security-token')
                delete headers[name];
        headers[SECURITY_TOKEN_HEADER] = credentials.securityToken;
    }
    const dateHeader = Object.keys(headers).find((name) => name.toLowerCase() === 'x-sdk-date');
    if (dateHeader === undefined)
        headers['X-Sdk-Date'] = formatSdkDate(now);
    const sdkDate = headers[dateHeader ?? 'X-Sdk-Date'];
    const parts = canonicalParts({ ...request, headers });
    const signature = (0,external_node_crypto_.createHmac)('sha256', credentials.secretKey)
        .update(stringToSign(sdkDate, canonicalRequest(parts)), 'utf8')
        .digest('hex');
    headers['Authorization'] =
        `${SIGNING_ALGORITHM} Access=${credentials.accessKey}, SignedHeaders=${parts.signedHeaders}, Signature=${signature}`;
    return headers;
}
function canonicalParts(request) {
    const url = new URL(request.url);
    const signed = new Map();
    for (const [name, value] of Object.entries(request.headers)) {
        // fetch strips surrounding whitespace before sending, so the gateway sees trimmed values.
        signed.set(name.toLowerCase(), value.trim());
    }
    // The host the gateway sees: URL.host already drops a default port (80/443) and keeps any other.
    if (!signed.has('host'))
        signed.set('host', url.host);
    const names = [...signed.keys()].sort();
    return {
        method: request.method.toUpperCase(),
        canonicalUri: canonicalUri(url.pathname),
        canonicalQuery: canonicalQuery(url.search),
        canonicalHeaders: names.map((name) => `${name}:${signed.get(name)}\n`).join(''),
        signedHeaders: names.join(';'),
        bodySha256: sha256Hex(request.body),
    };
}
function canonicalRequest(parts) {
    return [
        parts.method,
        parts.canonicalUri,
        parts.canonicalQuery,
        parts.canonicalHeaders,
        parts.signedHeaders,
        parts.bodySha256,
    ].join('\n');
}
function stringToSign(sdkDate, canonicalRequestText) {
    return [SIGNING_ALGORITHM, sdkDate, sha256Hex(canonicalRequestText)].join('\n');
}
/** `YYYYMMDDTHHMMSSZ` in UTC, the only form the gateway accepts. */
function formatSdkDate(date) {
    return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}
/**
 * Each path segment percent-encoded with only RFC 3986 unreserved characters
 * left as they are (so `:` in a FunctionGraph URN becomes `%3A`), then a
 * trailing `/`. Segments are decoded first so a path the URL parser already
 * escaped (a space as `%20`) is not escaped twice.
 */
function canonicalUri(pathname) {
    const encoded = pathname
        .split('/')
        .map((segment) => encodeUnreserved(safeDecode(segment)))
        .join('/');
    return encoded.endsWith('/') ? encoded : `${encoded}/`;
}
/** Pairs sorted by key, then value, each side encoded like a path segment. */
function canonicalQuery(search) {
    const raw = search.startsWith('?') ? search.slice(1) : search;
    if (raw === '')
        return '';
    const pairs = raw
        .split('&')
        .filter((pair) => pair !== '')
        .map((pair) => {
        const equals = pair.indexOf('=');
        const key = equals === -1 ? pair : pair.slice(0, equals);
        const value = equals === -1 ? '' : pair.slice(equals + 1);
        // A query string is form-encoded: the gateway reads '+' as a space.
        return [encodeUnreserved(safeDecode(key.replace(/\+/g, ' '))), encodeUnreserved(safeDecode(value.replace(/\+/g, ' ')))];
    });
    pairs.sort(([keyA, valueA], [keyB, valueB]) => compare(keyA, keyB) || compare(valueA, valueB));
    return pairs.map(([key, value]) => `${key}=${value}`).join('&');
}
function compare(a, b) {
    return a < b ? -1 : a > b ? 1 : 0;
}
function encodeUnreserved(text) {
    let out = '';
    for (const byte of Buffer.from(text, 'utf8')) {
        const isUnreserved = (byte >= 0x41 && byte <= 0x5a) || // A-Z
            (byte >= 0x61 && byte <= 0x7a) || // a-z
            (byte >= 0x30 && byte <= 0x39) || // 0-9
            byte === 0x2d || byte === 0x2e || byte === 0x5f || byte === 0x7e; // - . _ ~
        out += isUnreserved ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    }
    return out;
}
function safeDecode(text) {
    try {
        return decodeURIComponent(text);
    }
    catch {
        return text;
    }
}
function sha256Hex(data) {
    return (0,external_node_crypto_.createHash)('sha256').update(data).digest('hex');
}

;// CONCATENATED MODULE: ./build/src/cloud/huawei/api-client.js








/** A non-2xx answer from a Huawei Cloud API, with the cloud's code and what to do about it. */
class HuaweiApiError extends errors/* ImageshipError */.K {
    name = 'HuaweiApiError';
    status;
    /** The cloud's error code (`APIGW.0301`, `FSS.1051`…), '' when the answer had none. */
    code;
    operation;
    requestId;
    constructor(message, details) {
        super(message);
        this.status = details.status;
        this.code = details.code;
        this.operation = details.operation;
        if (details.requestId !== undefined)
            this.requestId = details.requestId;
    }
}
class HuaweiApiClient {
    region;
    domain;
    options;
    constructor(options) {
        this.options = options;
        this.region = options.region;
        this.domain = options.domain;
    }
    /** Resolves with a 2xx answer's parsed JSON; rejects with HuaweiApiError or HttpError. */
    async request(call) {
        const { credentials, clock } = this.options;
        if (call.method === 'GET' && call.body !== undefined) {
            throw new Error(`${call.operation}: a GET request cannot carry a body`);
        }
        const url = this.urlFor(call);
        // The bytes signed are the bytes sent: an absent body is signed as empty and sent as nothing.
        const body = call.body === undefined ? new Uint8Array() : new TextEncoder().encode(JSON.stringify(call.body));
        const headers = { 'Content-Type': call.contentType ?? 'application/json' };
        if (call.projectId !== undefined)
            headers['X-Project-Id'] = call.projectId;
        // fetchWithRetry repeats the same fetch call; signing inside it gives every
        // attempt a fresh X-Sdk-Date, so a retry after a long Retry-After is not
        // rejected as a stale (more than 15 minutes old) signature.
        const signingFetch = (input, init) => this.options.fetch(input, {
            ...init,
            headers: signHuaweiRequest({ method: call.method, url, headers, body }, credentials, clock.now()),
        });
        const response = await (0,retry/* fetchWithRetry */.J5)(signingFetch, {
            url,
            method: call.method,
            headers,
            ...(call.method === 'GET' ? {} : { body }),
            operation: call.operation,
            ...(call.idempotent === undefined ? {} : { idempotent: call.idempotent }),
            // A redirect would re-send the signed call (and a PUT's function config) elsewhere, or hand back another origin's answer.
            refuseRedirects: true,
        }, this.options.retry, this.options.sleep);
        const text = new TextDecoder().decode(await (0,read_body/* readBodyBytes */.I)(response, call.operation, { what: `the answer to ${call.operation}`, from: new URL(url).host, cap: body_cap/* BODY_CAPS */.V9.cloudApi }));
        if (response.status < 200 || response.status > 299) {
            throw this.apiError(call.operation, response, text);
        }
        let parsed;
        try {
            parsed = text.trim() === '' ? undefined : JSON.parse(text);
        }
        catch {
            throw new Error(`${call.operation}: HTTP ${response.status} but the answer is not JSON: ${this.scrub(api_client_oneLine(text).slice(0, 200))}`);
        }
        return { status: response.status, body: parsed, headers: response.headers };
    }
    urlFor(call) {
        const base = (0,huawei_endpoints/* huaweiEndpoint */.$9)(call.service, this.region, this.domain, this.options.endpoints).replace(/\/+$/, '');
        const query = Object.entries(call.query ?? {})
            .map(([key, value]) => `${encodeQueryPart(key)}=${encodeQueryPart(value)}`)
            .join('&');
        return `${base}${call.path}${query === '' ? '' : `?${query}`}`;
    }
    apiError(operation, response, text) {
        const parsed = parseHuaweiErrorBody(text);
        const requestId = parsed.requestId ?? response.headers.get('x-request-id') ?? undefined;
        const cloudMessage = this.scrub(api_client_oneLine(parsed.message ?? text).slice(0, 300));
        const remedy = parsed.code === undefined ? undefined : remedyFor(parsed.code);
        let message = `${operation}: HTTP ${response.status}`;
        if (parsed.code !== undefined)
            message += ` ${parsed.code}`;
        if (cloudMessage !== '')
            message += `: ${cloudMessage}`;
        if (remedy !== undefined)
            message += ` — ${remedy}`;
        return new HuaweiApiError(message, {
            status: response.status,
            code: parsed.code ?? '',
            operation,
            ...(requestId === undefined ? {} : { requestId }),
        });
    }
    /** The cloud may echo request details; the SK never leaves this process and the AK is printed short. */
    scrub(text) {
        const { accessKey, secretKey, securityToken } = this.options.credentials;
        let result = text;
        if (secretKey !== '')
            result = result.split(secretKey).join('***');
        if (securityToken !== undefined && securityToken !== '')
            result = result.split(securityToken).join('***');
        if (accessKey !== '')
            result = result.split(accessKey).join((0,swr_login/* shortAccessKey */.a)(accessKey));
        return result;
    }
}
/**
 * Reads the error shapes Huawei Cloud services answer with:
 * `{error_code, error_msg, request_id}` (API Gateway, FunctionGraph…),
 * `{errorCode, errorMessage}` (CCE), `{code, message}` and
 * `{error: {code, message}}` (IAM). Anything else yields an empty result and
 * the caller shows the raw text.
 */
function parseHuaweiErrorBody(text) {
    let value;
    try {
        value = JSON.parse(text);
    }
    catch {
        return {};
    }
    if (value === null || typeof value !== 'object')
        return {};
    const record = value;
    const nested = record['error'] !== null && typeof record['error'] === 'object' ? record['error'] : {};
    const pick = (...candidates) => candidates.find((candidate) => typeof candidate === 'string' && candidate !== '');
    const code = pick(record['error_code'], record['errorCode'], record['code'], nested['code'], nested['error_code']);
    const message = pick(record['error_msg'], record['errorMessage'], record['message'], nested['message'], nested['error_msg'], typeof record['error'] === 'string' ? record['error'] : undefined);
    const requestId = pick(record['request_id'], record['requestId'], nested['request_id']);
    return {
        ...(code === undefined ? {} : { code }),
        ...(message === undefined ? {} : { message }),
        ...(requestId === undefined ? {} : { requestId }),
    };
}
function api_client_oneLine(text) {
    return text.replace(/\s+/g, ' ').trim();
}
/** RFC 3986 unreserved characters only, the same set the signature encodes, so the two cannot disagree. */
function encodeQueryPart(text) {
    return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

;// CONCATENATED MODULE: ./build/src/cloud/huawei/unsigned-call.js




/** Resolves with a 2xx answer; rejects with HuaweiApiError (the cloud's code and message, scrubbed) or HttpError. */
async function postUnsigned(call) {
    const response = await (0,retry/* fetchWithRetry */.J5)(call.fetch, {
        url: call.url,
        method: 'POST',
        headers: { 'Content-Type': 'application/json;charset=utf8', ...call.headers },
        body: JSON.stringify(call.body),
        operation: call.operation,
        // Each call only issues a credential: repeating one after a lost answer changes nothing.
        idempotent: true,
        refuseRedirects: true,
    }, call.retry);
    const text = new TextDecoder().decode(await (0,read_body/* readBodyBytes */.I)(response, call.operation, { what: `the answer to ${call.operation}`, from: new URL(call.url).host, cap: body_cap/* BODY_CAPS */.V9.cloudApi }));
    if (response.status < 200 || response.status > 299) {
        const parsed = parseHuaweiErrorBody(text);
        const message = call.redact((parsed.message ?? text).replace(/\s+/g, ' ').trim().slice(0, 300));
        throw new HuaweiApiError(`${call.operation}: HTTP ${response.status}${parsed.code ? ` ${parsed.code}` : ''}${message ? `: ${message}` : ''}`, {
            status: response.status,
            code: parsed.code ?? '',
            operation: call.operation,
            ...(parsed.requestId === undefined ? {} : { requestId: parsed.requestId }),
        });
    }
    let body;
    try {
        body = text.trim() === '' ? undefined : JSON.parse(text);
    }
    catch {
        throw new Error(`${call.operation}: HTTP ${response.status} but the answer is not JSON`);
    }
    return { status: response.status, headers: response.headers, body };
}
/** A field of a JSON object, as a non-empty string, else undefined. */
function stringField(record, name) {
    if (record === null || typeof record !== 'object')
        return undefined;
    const value = record[name];
    return typeof value === 'string' && value !== '' ? value : undefined;
}
/** An ISO time, or undefined. */
function parseTime(text) {
    if (text === undefined)
        return undefined;
    const time = Date.parse(text);
    return Number.isNaN(time) ? undefined : new Date(time);
}

;// CONCATENATED MODULE: ./build/src/cloud/huawei/iam-federation.js

async function federatedTemporaryCredentials(options) {
    const base = options.endpoint.replace(/\/+$/, '');
    const common = { fetch: options.fetch, redact: options.redact, ...(options.retry ? { retry: options.retry } : {}) };
    const tokenOperation = `get a federated token from identity provider ${options.identityProvider} with the OIDC token (IAM id-token/tokens)`;
    const tokenAnswer = await postUnsigned({
        url: `${base}/v3.0/OS-AUTH/id-token/tokens`,
        headers: { 'X-Idp-Id': options.identityProvider },
        body: { auth: { id_token: { id: options.idToken } } },
        operation: tokenOperation,
        ...common,
    });
    const federatedToken = tokenAnswer.headers.get('x-subject-token') ?? '';
    if (federatedToken === '')
        throw new Error(`${tokenOperation}: the answer has no X-Subject-Token header`);
    options.addSecret(federatedToken);
    const keyOperation = 'get temporary credentials for the federated user (IAM OS-CREDENTIAL/securitytokens)';
    const keyAnswer = await postUnsigned({
        url: `${base}/v3.0/OS-CREDENTIAL/securitytokens`,
        headers: { 'X-Auth-Token': federatedToken },
        body: { auth: { identity: { methods: ['token'], token: { id: federatedToken, duration_seconds: options.durationSeconds } } } },
        operation: keyOperation,
        ...common,
    });
    const credential = keyAnswer.body?.credential;
    const accessKeyId = stringField(credential, 'access');
    const secretAccessKey = stringField(credential, 'secret');
    const securityToken = stringField(credential, 'securitytoken');
    if (!accessKeyId || !secretAccessKey || !securityToken) {
        throw new Error(`${keyOperation}: the answer has no complete "credential" (access, secret, securitytoken)`);
    }
    return { accessKeyId, secretAccessKey, securityToken, expiresAt: parseTime(stringField(credential, 'expires_at')) };
}

;// CONCATENATED MODULE: ./build/src/cloud/huawei/sts.js

async function assumeAgencyWithOidc(options) {
    const operation = `assume agency ${options.agencyUrn} with the OIDC token (STS AssumeAgencyWithOIDC)`;
    const answer = await postUnsigned({
        url: `${options.endpoint.replace(/\/+$/, '')}/v5/agencies/assume-with-oidc`,
        body: {
            provider_urn: options.providerUrn,
            agency_urn: options.agencyUrn,
            agency_session_name: options.sessionName,
            id_token: options.idToken,
            duration_seconds: options.durationSeconds,
        },
        operation,
        fetch: options.fetch,
        redact: options.redact,
        ...(options.retry ? { retry: options.retry } : {}),
    });
    const credentials = answer.body?.credentials;
    const accessKeyId = stringField(credentials, 'access_key_id');
    const secretAccessKey = stringField(credentials, 'secret_access_key');
    const securityToken = stringField(credentials, 'security_token');
    if (!accessKeyId || !secretAccessKey || !securityToken) {
        throw new Error(`${operation}: the answer has no complete "credentials" (access_key_id, secret_access_key, security_token)`);
    }
    return { accessKeyId, secretAccessKey, securityToken, expiresAt: parseTime(stringField(credentials, 'expiration')) };
}

// EXTERNAL MODULE: ./build/src/config/types.js
var types = __webpack_require__(2721);
;// CONCATENATED MODULE: ./build/src/domain/oidc/jwt-claims.js
/**
 * Reads the claims of an OIDC ID token without verifying it: the cloud
 * verifies the signature; imageship only needs the claims to say, when an
 * exchange fails, which of sub/aud/iss/exp did not match (the token itself is
 * never printed). A library would add a dependency for twenty lines of
 * base64url and JSON.
 */
/** The claims, or undefined when the text is not a JWT with a JSON payload. */
function readClaims(token) {
    const parts = token.split('.');
    if (parts.length !== 3)
        return undefined;
    let payload;
    try {
        payload = JSON.parse(Buffer.from(parts[1] ?? '', 'base64url').toString('utf8'));
    }
    catch {
        return undefined;
    }
    if (payload === null || typeof payload !== 'object' || Array.isArray(payload))
        return undefined;
    const record = payload;
    const text = (value) => (typeof value === 'string' ? value : '');
    const number = (value) => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);
    const aud = Array.isArray(record['aud'])
        ? record['aud'].filter((entry) => typeof entry === 'string')
        : typeof record['aud'] === 'string'
            ? [record['aud']]
            : [];
    return { iss: text(record['iss']), sub: text(record['sub']), aud, exp: number(record['exp']), nbf: number(record['nbf']) };
}
/** `sub "…", aud "…", iss "…"`: what a trust policy matches on, for error messages. */
function describeClaims(claims) {
    if (claims === undefined)
        return 'the token\'s claims could not be read';
    return `sub "${claims.sub}", aud "${claims.aud.join('", "')}", iss "${claims.iss}"`;
}

;// CONCATENATED MODULE: ./build/src/domain/oidc/claim-checks.js
/**
 * What can be said about an ID token before it is sent: expired, not yet
 * valid, or minted for another audience. These are the most common keyless
 * failures (as configure-aws-credentials' issues show); catching them here
 * names the claim and the fix instead of relaying a cloud's terse 401.
 */

/** Clock skew tolerated on exp/nbf, as the clouds' verifiers allow some. */
const SKEW_SECONDS = 60;
/** One line naming the claim that fails and the fix, or undefined when the token looks usable. */
function idTokenProblem(claims, audience, now) {
    if (claims === undefined) {
        return 'oidc-token: not a JWT with readable claims: pass the ID token itself (header.payload.signature), not an access token or its base64';
    }
    const nowSeconds = Math.floor(now.getTime() / 1000);
    if (claims.exp !== undefined && claims.exp + SKEW_SECONDS < nowSeconds) {
        return `oidc-token: the ID token expired at ${new Date(claims.exp * 1000).toISOString()} (${describeClaims(claims)}): ` +
            'get a fresh token in the same job right before this step (GitLab id_tokens last as long as the job; a token saved from an earlier job or step is stale)';
    }
    if (claims.nbf !== undefined && claims.nbf - SKEW_SECONDS > nowSeconds) {
        return `oidc-token: the ID token is not valid before ${new Date(claims.nbf * 1000).toISOString()} (${describeClaims(claims)}): check the runner's clock (NTP)`;
    }
    if (!claims.aud.includes(audience)) {
        return `oidc-audience: the ID token was issued for aud "${claims.aud.join('", "')}", not "${audience}" (${describeClaims(claims)}): ` +
            `set oidc-audience to the audience the token carries and list it as a client id of the cloud's identity provider, or request the token for "${audience}" (GitLab: id_tokens: …: aud: ${audience})`;
    }
    return undefined;
}

;// CONCATENATED MODULE: ./build/src/cloud/oidc/exchange-errors.js
/**
 * Turns a failed OIDC exchange into one line that names the claim that did
 * not match and the fix, with the token's sub/aud/iss (never the token).
 * Alibaba's STS documents a code per cause; Huawei's STS and IAM answer with
 * codes that are not documented per cause, so their message and status are
 * read instead, and the line lists what to check when they say too little.
 */



/** The error to report; other errors (network, HTTP) come back unchanged. */
function explainExchangeFailure(error, context) {
    if (error instanceof AlibabaApiError)
        return new Error(`${alibabaCause(error, context)} [${error.message}]`, { cause: error });
    if (error instanceof HuaweiApiError && error.status >= 400 && error.status < 500) {
        return new Error(`${huaweiCause(error, context)} [${error.message}]`, { cause: error });
    }
    return error;
}
function alibabaCause(error, { exchange, claims, audience }) {
    const seen = describeClaims(claims);
    const role = exchange.kind === 'alibaba-sts' ? exchange.roleArn : '';
    const provider = exchange.kind === 'alibaba-sts' ? exchange.oidcProviderArn : '';
    switch (error.code) {
        case 'AuthenticationFail.OIDCToken.AudienceNotMatch':
            return audienceLine(`the OIDC provider ${provider}`, 'RAM console > SSO > OIDC > the provider > Client IDs', claims, audience);
        case 'AuthenticationFail.OIDCToken.Expired':
            return expiredLine(claims);
        case 'AuthenticationFail.OIDCToken.InvalidSignature':
        case 'AuthenticationFail.OIDCToken.Invalid':
        case 'AuthenticationFail.OIDCToken.HttpsUrlInvalid':
            return `oidc-provider-arn: the OIDC provider ${provider} could not verify the token (${seen}): its issuer URL must be "${claims?.iss ?? ''}" exactly and its fingerprint current (RAM console > SSO > OIDC)`;
        case 'EntityNotExist.Role':
            return `role-arn: no RAM role ${role} in this account: copy the ARN from the RAM console > Roles`;
        case 'AuthenticationFail.NoPermission':
            if (/oidc provider/i.test(error.message)) {
                return `oidc-provider-arn: no OIDC provider ${provider} is registered in this account: copy its ARN from RAM console > SSO > OIDC (its issuer URL must be "${claims?.iss ?? ''}")`;
            }
            return subLine(`the trust policy of RAM role ${role}`, 'oidc:sub', claims, `its Principal must be the Federated provider ${provider}`);
        default:
            return `keyless login failed (${seen}): check role-arn, oidc-provider-arn, and that the role's trust policy allows this sub and aud`;
    }
}
function huaweiCause(error, { exchange, claims, audience }) {
    const text = error.message;
    const seen = describeClaims(claims);
    if (exchange.kind === 'huawei-sts') {
        const where = `the OIDC provider ${exchange.providerUrn}`;
        if (/\b(aud|audience|client[ _-]?id)/i.test(text))
            return audienceLine(where, 'IAM console > Identity Providers > the provider > Client IDs', claims, audience);
        if (/expire/i.test(text))
            return expiredLine(claims);
        if (/\b(sub|subject|condition|trust polic|not allowed|denied|not authorized|permission)/i.test(text) || error.status === 403) {
            return subLine(`the trust policy of agency ${exchange.agencyUrn}`, 'oidc:sub', claims, `its principal must be the identity provider ${exchange.providerUrn}`);
        }
        if (/provider|not (exist|found)|could not find/i.test(text) || error.status === 404) {
            return `oidc-provider-urn: ${exchange.providerUrn} or agency-urn ${exchange.agencyUrn} does not exist in this account (${seen}): copy both URNs from the IAM console`;
        }
        return `keyless login failed (${seen}): check that oidc-provider-urn's issuer URL is "${claims?.iss ?? ''}", that it lists "${audience}" as a client id, and that agency ${exchange.agencyUrn} trusts it for this sub`;
    }
    if (exchange.kind === 'huawei-federation') {
        const idp = exchange.identityProvider;
        if (/mapping|rule|no (matched )?user|local user|group/i.test(text)) {
            return `identity-provider: the identity conversion rules of ${idp} map this token (${seen}) to no user: add a rule whose "remote" conditions match these claims (e.g. sub), with a "local" user and a user group that holds the SWR/FunctionGraph permissions`;
        }
        if (/\b(aud|audience|client[ _-]?id)/i.test(text))
            return audienceLine(`identity provider ${idp}`, 'IAM console > Identity Providers > the provider > Client ID', claims, audience);
        if (/expire/i.test(text))
            return expiredLine(claims);
        if (/could not find|not (exist|found)/i.test(text) || error.status === 404) {
            return `identity-provider: no identity provider "${idp}" in this account: copy its name from the IAM console > Identity Providers (protocol OpenID Connect, access type programmatic)`;
        }
        return `identity-provider: ${idp} did not accept the token (${seen}): check its issuer URL is "${claims?.iss ?? ''}", its client id "${audience}", its signing key (the issuer's JWKS), and that its conversion rules match these claims`;
    }
    return `keyless login failed (${seen})`;
}
function audienceLine(where, console, claims, audience) {
    const aud = claims?.aud.join('", "') ?? audience;
    return `oidc-audience: ${where} does not accept the token's aud "${aud}" (${describeClaims(claims)}): add "${aud}" as a client id (${console}), or set oidc-audience to a client id it lists`;
}
function expiredLine(claims) {
    const when = claims?.exp === undefined ? '' : ` at ${new Date(claims.exp * 1000).toISOString()}`;
    return `oidc-token: the cloud says the ID token expired${when} (${describeClaims(claims)}): get a fresh token in the same job right before this step, and check the runner's clock`;
}
function subLine(policy, key, claims, principal) {
    return `${policy.startsWith('the trust policy of RAM') ? 'role-arn' : 'agency-urn'}: ${policy} does not allow this token (${describeClaims(claims)}): ` +
        `add a condition on ${key} that matches "${claims?.sub ?? ''}" (GitHub: repo:<owner>/<repo>:ref:refs/heads/<branch> or :environment:<name>; GitLab: project_path:<group>/<project>:ref_type:branch:ref:<branch>); ${principal}`;
}

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
;// CONCATENATED MODULE: ./build/src/cloud/oidc/id-token.js
/**
 * Gets the CI's OIDC ID token from where the config found it: an input, a
 * file, an environment variable (GitLab's `id_tokens:`), or GitHub's token
 * endpoint. Every token (and GitHub's request token) is masked the moment it
 * is known; errors never carry it.
 */




async function obtainIdToken(options) {
    const { source, secrets } = options;
    switch (source.kind) {
        case 'input':
            secrets.add(source.token);
            return source.token;
        case 'env': {
            const token = (options.env[source.variable] ?? '').trim();
            secrets.add(token);
            if (token === '')
                throw new Error(`oidc-token-env: $${source.variable} is empty: set it to the ID token (GitLab: id_tokens: ${source.variable}: aud: ${options.audience})`);
            return token;
        }
        case 'file': {
            let text;
            try {
                text = await (options.readText ?? ((path) => (0,promises_.readFile)(path, 'utf8')))(source.path);
            }
            catch (error) {
                const code = error.code ?? 'unreadable';
                throw new Error(`oidc-token-file: cannot read ${source.path} (${code}): check the path (a projected token file is mounted by the platform)`);
            }
            const token = text.trim();
            secrets.add(token);
            if (token === '')
                throw new Error(`oidc-token-file: ${source.path} is empty: it must hold the ID token`);
            return token;
        }
        case 'github':
            return requestGithubIdToken(options, source.requestUrl, source.requestToken);
    }
}
/**
 * GitHub Actions' token endpoint: GET the runner's request URL with
 * `&audience=…` and the request token as a bearer; the JWT is in `value`.
 */
async function requestGithubIdToken(options, requestUrl, requestToken) {
    options.secrets.add(requestToken);
    const separator = requestUrl.includes('?') ? '&' : '?';
    const url = `${requestUrl}${separator}audience=${encodeURIComponent(options.audience)}`;
    const operation = 'request the GitHub Actions OIDC token';
    const response = await (0,retry/* fetchWithRetry */.J5)(options.fetch, { url, method: 'GET', headers: { Authorization: `Bearer ${requestToken}`, Accept: 'application/json' }, operation, refuseRedirects: true }, options.retry);
    const text = new TextDecoder().decode(await (0,read_body/* readBodyBytes */.I)(response, operation, { what: 'the OIDC token answer', cap: body_cap/* BODY_CAPS */.V9.cloudApi }));
    if (response.status === 401 || response.status === 403) {
        throw new Error(`${operation}: HTTP ${response.status}: the runner's request token was refused: add "permissions: id-token: write" to the job, and run this step in the job that requested it`);
    }
    if (response.status < 200 || response.status > 299) {
        throw new Error(`${operation}: HTTP ${response.status}: ${options.secrets.redact(text.replace(/\s+/g, ' ').slice(0, 200))}`);
    }
    let value;
    try {
        value = JSON.parse(text).value;
    }
    catch {
        value = undefined;
    }
    if (typeof value !== 'string' || value === '')
        throw new Error(`${operation}: the answer has no token in "value"`);
    options.secrets.add(value);
    return value;
}

;// CONCATENATED MODULE: ./build/src/app/keyless.js
/**
 * The keyless step: the CI's OIDC token → the cloud's documented exchange →
 * temporary credentials, masked the moment they exist, and a Config that
 * carries them so every later call (SWR, FunctionGraph, CCE, IAM; ACR) is
 * signed with them. Runs after the plan and before the first other call.
 */










async function resolveKeylessCredentials(config, ports, env) {
    const keyless = config.keyless;
    if (keyless === undefined)
        return { config, exports: {} };
    const { logger, secrets } = ports;
    const idToken = await obtainIdToken({ source: keyless.tokenSource, audience: keyless.audience, env, fetch: ports.fetch, secrets });
    const claims = readClaims(idToken);
    const problem = idTokenProblem(claims, keyless.audience, ports.clock.now());
    if (problem !== undefined)
        throw new types/* ConfigError */.x([problem]);
    logger.info(`OIDC token (${sourceName(keyless)}): ${describeClaims(claims)}`);
    let credentials;
    try {
        credentials = await exchange(config, keyless, idToken, ports);
    }
    catch (error) {
        throw explainExchangeFailure(error, { exchange: keyless.exchange, claims, audience: keyless.audience });
    }
    for (const secret of [credentials.secretAccessKey, credentials.securityToken, credentials.accessKeyId])
        secrets.add(secret);
    logger.info(`temporary credentials (key ${(0,swr_login/* shortAccessKey */.a)(credentials.accessKeyId)})${credentials.expiresAt ? `, valid until ${credentials.expiresAt.toISOString()}` : ''}`);
    const exports = keyless.exportCredentials ? exportedVariables(config, credentials) : {};
    if (keyless.exportCredentials)
        logger.warn(`export-credentials: ${Object.keys(exports).join(', ')} are set (masked) for the later steps of this job, which can act with them until they expire`);
    return { config: withTemporaryCredentials(config, credentials), exports };
}
async function exchange(config, keyless, idToken, ports) {
    const redact = (text) => ports.secrets.redact(text);
    const common = { idToken, durationSeconds: keyless.durationSeconds, fetch: ports.fetch, redact };
    const { exchange: how } = keyless;
    switch (how.kind) {
        case 'huawei-sts':
            return assumeAgencyWithOidc({
                ...common,
                endpoint: (0,huawei_endpoints/* huaweiEndpoint */.$9)('sts', config.region, config.domain, config.deploy.endpoints),
                providerUrn: how.providerUrn,
                agencyUrn: how.agencyUrn,
                sessionName: keyless.sessionName,
            });
        case 'huawei-federation':
            return federatedTemporaryCredentials({
                ...common,
                endpoint: (0,huawei_endpoints/* huaweiEndpoint */.$9)('iam', config.region, config.domain, config.deploy.endpoints),
                identityProvider: how.identityProvider,
                addSecret: (secret) => ports.secrets.add(secret),
            });
        case 'alibaba-sts':
            return assumeRoleWithOidc({
                ...common,
                endpoint: alibabaStsEndpoint(config.region, config.deploy.endpoints),
                roleArn: how.roleArn,
                oidcProviderArn: how.oidcProviderArn,
                sessionName: keyless.sessionName,
                clock: ports.clock,
            });
    }
}
/**
 * Huawei: the cloud API keys; Alibaba: the ACR temporary login's keys. The
 * `registry-auth` entries of the same cloud get them too (a keyless run has
 * no other keys of that cloud; a huaweicloud entry then logs in through
 * CreateSecret, an alibabacloud entry through the ACR temporary login).
 */
function withTemporaryCredentials(config, credentials) {
    const wants = (kind) => config.registryAuth.entries.some((entry) => entry.kind === kind);
    if (config.login.kind === 'acr-temporary') {
        const keys = Object.freeze({
            accessKeyId: credentials.accessKeyId,
            accessKeySecret: credentials.secretAccessKey,
            securityToken: credentials.securityToken,
        });
        const login = Object.freeze({ ...config.login, ...keys });
        const registryAuth = wants('alibabacloud') ? Object.freeze({ ...config.registryAuth, alibabaKeys: keys }) : config.registryAuth;
        return Object.freeze({ ...config, login, registryAuth });
    }
    const cloudCredentials = Object.freeze({
        accessKey: credentials.accessKeyId,
        secretKey: credentials.secretAccessKey,
        securityToken: credentials.securityToken,
    });
    const registryAuth = wants('huaweicloud') ? Object.freeze({ ...config.registryAuth, huaweiKeys: cloudCredentials }) : config.registryAuth;
    return Object.freeze({ ...config, cloudCredentials, registryAuth });
}
/** The variable names each cloud's SDKs and CLIs read. */
function exportedVariables(config, credentials) {
    if (config.provider === 'alibabacloud') {
        return {
            ALIBABA_CLOUD_ACCESS_KEY_ID: credentials.accessKeyId,
            ALIBABA_CLOUD_ACCESS_KEY_SECRET: credentials.secretAccessKey,
            ALIBABA_CLOUD_SECURITY_TOKEN: credentials.securityToken,
        };
    }
    return {
        HUAWEICLOUD_SDK_AK: credentials.accessKeyId,
        HUAWEICLOUD_SDK_SK: credentials.secretAccessKey,
        HUAWEICLOUD_SDK_SECURITY_TOKEN: credentials.securityToken,
    };
}
function sourceName(keyless) {
    const source = keyless.tokenSource;
    switch (source.kind) {
        case 'input':
            return 'oidc-token';
        case 'file':
            return `file ${source.path}`;
        case 'env':
            return `$${source.variable}`;
        case 'github':
            return `GitHub Actions, audience ${keyless.audience}`;
    }
}

;// CONCATENATED MODULE: ./build/src/cloud/alibaba/acr-login.js
/**
 * Turns an Alibaba Cloud AccessKey into a temporary `docker login` for
 * Container Registry (ACR), as aliyun/acr-login does:
 *
 * - Enterprise Edition: RPC `GetAuthorizationToken` (version 2018-12-01) for
 *   one instance; answers `TempUsername`, `AuthorizationToken`, `ExpireTime`.
 * - Personal Edition: ROA `GET /tokens` (version 2016-06-07); answers
 *   `data.tempUserName`, `data.authorizationToken`, `data.expireDate`.
 *
 * The temporary password lasts an hour (or as long as the STS token used to
 * get it). Both calls are reads, so fetchWithRetry may repeat them; each try
 * is signed afresh (new nonce and time), as the gateway refuses a nonce seen
 * in the last 15 minutes and a time more than 15 minutes old.
 */






const ENTERPRISE_API_VERSION = '2018-12-01';
const PERSONAL_API_VERSION = '2016-06-07';
const PERSONAL_TOKENS_PATH = '/tokens';
/** The Container Registry API of `region`; the `endpoints` input's `cr=` line overrides it. */
function acrApiEndpoint(region, overrides) {
    return overrides.get('cr') ?? `https://cr.${region}.aliyuncs.com`;
}
/** A temporary login for one Enterprise Edition instance. */
async function getEnterpriseLogin(options) {
    const { credentials, clock } = options;
    const operation = `get Container Registry login for instance ${options.instanceId} in ${options.region}`;
    const base = trimBase(options.endpoint);
    const nextNonce = options.nonce ?? external_node_crypto_.randomUUID;
    // fetchWithRetry repeats the same fetch call; building the URL inside it signs every try anew.
    const signingFetch = (_input, init) => options.fetch(`${base}/?${rpcQuery({
        action: 'GetAuthorizationToken',
        version: ENTERPRISE_API_VERSION,
        params: { InstanceId: options.instanceId, RegionId: options.region },
        accessKeyId: credentials.accessKeyId,
        accessKeySecret: credentials.accessKeySecret,
        ...(credentials.securityToken === undefined ? {} : { securityToken: credentials.securityToken }),
        now: clock.now(),
        nonce: nextNonce(),
        method: 'GET',
    })}`, init);
    const answer = await getJson(signingFetch, { url: `${base}/`, operation, headers: { accept: 'application/json' } }, options);
    const body = answer.body;
    // A 200 can still be a refusal: the CR API reports `IsSuccess: false` with its code (e.g. INSTANCE_NOT_EXIST).
    if (body['IsSuccess'] === false) {
        throw alibabaApiError({
            operation,
            status: answer.status,
            text: answer.text,
            requestIdHeader: answer.requestId,
            secrets: credentials,
            fallbackMessage: 'the API answered IsSuccess=false',
        });
    }
    const username = body['TempUsername'];
    const password = body['AuthorizationToken'];
    if (typeof username !== 'string' || username === '' || typeof password !== 'string' || password === '') {
        throw new Error(`${operation}: HTTP ${answer.status} but the answer has no TempUsername/AuthorizationToken: ${shown(answer.text, credentials)}`);
    }
    return { username, password, expiresAt: millisecondsToDate(body['ExpireTime']) };
}
/** A temporary login for the Personal Edition registry of the AccessKey's account in `region`. */
async function getPersonalLogin(options) {
    const { credentials, clock } = options;
    const operation = `get Container Registry Personal Edition login in ${options.region}`;
    const base = trimBase(options.endpoint);
    const nextNonce = options.nonce ?? external_node_crypto_.randomUUID;
    const signedHeaders = () => {
        const headers = roaHeaders({
            version: PERSONAL_API_VERSION,
            now: clock.now(),
            nonce: nextNonce(),
            accessKeyId: credentials.accessKeyId,
            regionId: options.region,
            ...(credentials.securityToken === undefined ? {} : { securityToken: credentials.securityToken }),
        });
        headers['authorization'] = signRoa({
            method: 'GET',
            path: PERSONAL_TOKENS_PATH,
            headers,
            accessKeyId: credentials.accessKeyId,
            accessKeySecret: credentials.accessKeySecret,
        });
        return headers;
    };
    const signingFetch = (input, init) => options.fetch(input, { ...init, headers: signedHeaders() });
    const answer = await getJson(signingFetch, { url: `${base}${PERSONAL_TOKENS_PATH}`, operation }, options);
    const data = answer.body['data'];
    const record = data !== null && typeof data === 'object' ? data : {};
    const username = record['tempUserName'];
    const password = record['authorizationToken'];
    if (typeof username !== 'string' || username === '' || typeof password !== 'string' || password === '') {
        throw new Error(`${operation}: HTTP ${answer.status} but the answer has no data.tempUserName/data.authorizationToken: ${shown(answer.text, credentials)}`);
    }
    return { username, password, expiresAt: millisecondsToDate(record['expireDate']) };
}
/** One idempotent GET through fetchWithRetry; a non-2xx answer becomes an AlibabaApiError. */
async function getJson(signingFetch, request, options) {
    const response = await (0,retry/* fetchWithRetry */.J5)(signingFetch, 
    // Signed: a redirect would carry the AccessKey id and security token (x-acs-*) elsewhere.
    { url: request.url, method: 'GET', operation: request.operation, refuseRedirects: true, ...(request.headers ? { headers: request.headers } : {}) }, options.retry, options.sleep);
    const text = new TextDecoder().decode(await (0,read_body/* readBodyBytes */.I)(response, request.operation, { what: `the answer to ${request.operation}`, from: new URL(request.url).host, cap: body_cap/* BODY_CAPS */.V9.cloudApi }));
    const requestId = response.headers.get('x-acs-request-id');
    if (response.status < 200 || response.status > 299) {
        throw alibabaApiError({ operation: request.operation, status: response.status, text, requestIdHeader: requestId, secrets: options.credentials });
    }
    let parsed;
    try {
        parsed = JSON.parse(text);
    }
    catch {
        throw new Error(`${request.operation}: HTTP ${response.status} but the answer is not JSON: ${shown(text, options.credentials)}`);
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
        throw new Error(`${request.operation}: HTTP ${response.status} but the answer is not a JSON object: ${shown(text, options.credentials)}`);
    }
    return { status: response.status, text, body: parsed, requestId };
}
/** Both APIs give milliseconds since the epoch (the EE example even leaves it empty). */
function millisecondsToDate(value) {
    const ms = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms <= 0)
        return undefined;
    return new Date(ms);
}
function trimBase(endpoint) {
    return endpoint.replace(/\/+$/, '');
}
/** An unexpected answer, short and without secrets (it may well hold the temporary password itself). */
function shown(text, secrets) {
    const scrubbed = scrubSecrets(oneLine(text), secrets);
    // A half-parsed success answer carries a live registry password: never print the value of a token field.
    return scrubbed.replace(/("(?:AuthorizationToken|authorizationToken)"\s*:\s*)"[^"]*"/g, '$1"***"').slice(0, 200);
}

;// CONCATENATED MODULE: ./build/src/cloud/huawei/swr.js
/**
 * The SWR management API (`https://swr-api.{region}.{domain}`, overridable
 * with the `endpoints` line `swr-api=…`): create an organization (namespace),
 * issue a temporary docker login, list and delete a repository's tags.
 *
 * Facts relied on (SWR API reference, "API Reference (basic edition)"):
 * - CreateNamespace `POST /v2/manage/namespaces` `{"namespace"}` → 201; 409
 *   SVCSTG.SWR.4090060 "organization already exists" (names are unique per
 *   region across all accounts, so the name may be someone else's);
 *   SVCSTG.SWR.4000097 "maximum number of organizations exceeded".
 * - ShowNamespace `GET /v2/manage/namespaces/{namespace}` → `{id, name, creator_name, auth}`.
 * - CreateSecret `POST /v2/manage/utils/secret?projectname={region}[&duration_seconds=900…86400]`
 *   → `{"auths": {"<registry host>": {"auth": base64("user:password")}}}`,
 *   headers `X-Swr-Dockerlogin` (the docker login command) and `X-Swr-Expireat`.
 * - ListRepositoryTags `GET /v2/manage/namespaces/{ns}/repos/{repo}/tags?limit&offset&order_column&order_type`
 *   → an array of `{Tag, digest, created, updated, …}` (UTC times), header
 *   `Content-Range: offset-count/total`; limit at most 1000.
 * - DeleteRepoTag `DELETE /v2/manage/namespaces/{ns}/repos/{repo}/tags/{tag}` → 204, 404 when absent.
 * - A repository name containing `/` is sent with each `/` replaced by `$`.
 * - Errors: `{"errors":[{"errorCode","errorMessage"}],"error_code","error_msg"}`
 *   (older services answer the bare `[{"errorCode","errorMessage","detail"}]`).
 *
 * `swr=` is deliberately not read as an alias of `swr-api=`: `swr.{region}.{domain}`
 * is the registry itself (docker login/push), a different host from the API.
 */

const SERVICE = 'swr-api';
/** 1–64: starts with a lower-case letter, ends with a letter or digit; `.`, `_`, `__`, `-` between. */
const NAMESPACE = /^[a-z][a-z0-9]*(?:(?:[._-]|__)[a-z0-9]+)*$/;
const NAMESPACE_MAX = 64;
/** 1–128: lower-case letters and digits, separated by `.`, `/`, `_`, `__` or `-`. */
const REPOSITORY = /^[a-z0-9]+(?:(?:[./_-]|__)[a-z0-9]+)*$/;
const REPOSITORY_MAX = 128;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
/** CreateSecret's duration_seconds: 15 minutes to 24 hours. */
const TEMPORARY_LOGIN_MIN_SECONDS = 15 * 60;
const TEMPORARY_LOGIN_MAX_SECONDS = 24 * 60 * 60;
/** ListRepositoryTags answers at most this many per page. */
const MAX_PAGE_SIZE = 1000;
const DEFAULT_PAGE_SIZE = 100;
/** A service that pages forever must not keep a job busy forever. */
const MAX_PAGES = 10_000;
const ALREADY_EXISTS = 'SVCSTG.SWR.4090060';
const CROSS_ACCOUNT = new Set(['SVCSTG.SWR.4011064', 'SVCSTG.SWR.4039001']);
const NAMESPACE_RULE = 'an organization name is 1-64 characters: lower-case letters, digits, ".", "_" and "-", ' +
    'starting with a letter and ending with a letter or digit, no two separators in a row';
/** What to do about the SWR error codes imageship can meet here (SWR "Error Codes" appendix). */
const SWR_REMEDIES = new Map([
    [
        'SVCSTG.SWR.4000097',
        'the account has reached its SWR organization quota: use an existing organization, delete an unused one, or ask for a higher quota in a service ticket',
    ],
    ['SVCSTG.SWR.4001008', NAMESPACE_RULE],
    ['SVCSTG.SWR.4001028', NAMESPACE_RULE],
    ['SVCSTG.SWR.4009010', NAMESPACE_RULE],
    ['SVCSTG.SWR.4000014', 'SWR rejected a request parameter: check organization, repository and tag names'],
    ['SVCSTG.SWR.4001025', 'SWR rejected a query parameter: check region (the projectname) and the values the message names'],
    ['SVCSTG.SWR.4010000', 'SWR could not authenticate the request: check access-key and secret-key'],
    ['SVCSTG.SWR.4011064', 'the organization belongs to another account: choose an organization of this account'],
    ['SVCSTG.SWR.4039001', 'the organization or repository belongs to another account: choose one of this account'],
    [
        'SVCSTG.SWR.4039002',
        'this IAM user may not do this in SWR: grant it SWR Administrator (or SWR FullAccess) in IAM, or manage/edit permission on the organization',
    ],
    ['SVCSTG.SWR.4030170', 'this IAM user may not do this in SWR: grant it SWR Administrator (or SWR FullAccess) in IAM'],
    ['SVCSTG.SWR.4037017', 'this IAM user may not manage any organization: grant it manage permission on the organization, or SWR Administrator'],
    ['SVCSTG.SWR.4037020', 'this IAM user may not change this repository: grant it edit or manage permission on the organization'],
    ['SVCSTG.SWR.4040058', 'the organization does not exist in this region: check region and the organization (create-namespace can create it)'],
    ['SVCSTG.SWR.4041061', 'the organization does not exist in this region: check region and the organization (create-namespace can create it)'],
    ['SVCSTG.SWR.4040010', 'the repository does not exist in this organization: check the repository name (it appears with the first push)'],
    ['SVCSTG.SWR.4040113', 'the repository does not exist in this organization: check the repository name (it appears with the first push)'],
    ['SVCSTG.SWR.4000099', 'the repository has reached its tag quota: delete old tags (the retention input does this after each push)'],
    ['SVCSTG.SWR.4090023', 'SWR is busy: retry in a minute'],
    ['SVCSTG.SWR.4031032', 'throttled by SWR: wait and retry, or make fewer calls'],
    ['SVCSTG.SWR.4031042', 'throttled by SWR: wait and retry, or make fewer calls'],
]);
/**
 * Creates the SWR organization `namespace`. 'exists' when this account
 * already has it. A name held by another account (organization names are
 * unique per region) is an error saying so, not 'exists'.
 */
async function createNamespace(client, namespace) {
    checkNamespace(namespace);
    const operation = `create SWR organization ${namespace}`;
    try {
        await swrRequest(client, {
            method: 'POST',
            path: '/v2/manage/namespaces',
            body: { namespace },
            operation,
            // A repeat after a lost answer meets 409 "already exists", which is read back below: safe to retry.
            idempotent: true,
        });
        return 'created';
    }
    catch (error) {
        // 409 with another code (SVCSTG.SWR.4090023 "system busy") is not "exists".
        const exists = error instanceof HuaweiApiError && (error.code === ALREADY_EXISTS || (error.status === 409 && error.code === ''));
        if (!exists)
            throw error;
    }
    // 409 says the name is taken in this region, not by whom: only this account's organizations are visible.
    if (await namespaceVisible(client, namespace))
        return 'exists';
    throw new HuaweiApiError(`${operation}: HTTP 409 ${ALREADY_EXISTS}: the organization name is taken by another account in ${client.region} ` +
        '(or is one this IAM user may not see) — organization names are unique per region: choose another organization (namespace) name', { status: 409, code: ALREADY_EXISTS, operation });
}
/** Whether this account can see `namespace` (ShowNamespace answers 200). */
async function namespaceVisible(client, namespace) {
    try {
        await swrRequest(client, {
            method: 'GET',
            path: `/v2/manage/namespaces/${namespace}`,
            operation: `read SWR organization ${namespace}`,
        });
        return true;
    }
    catch (error) {
        // Not found, or "belongs to another account": either way not this account's.
        // A 403 for lack of permission (SVCSTG.SWR.4039002) is an error of its own, reported with its remedy.
        if (error instanceof HuaweiApiError && !isGatewayCode(error.code) && (error.status === 404 || CROSS_ACCOUNT.has(error.code))) {
            return false;
        }
        throw error;
    }
}
/**
 * A temporary docker login for the SWR registry of `region` (CreateSecret).
 * Each call issues a new credential, so the POST is never repeated once it
 * may have reached the server. `durationSeconds` (900–86400) asks for a
 * validity; without it SWR's default applies (6 hours).
 */
async function createTemporaryLogin(client, region, durationSeconds) {
    if (durationSeconds !== undefined &&
        (!Number.isInteger(durationSeconds) || durationSeconds < TEMPORARY_LOGIN_MIN_SECONDS || durationSeconds > TEMPORARY_LOGIN_MAX_SECONDS)) {
        throw new Error(`SWR temporary login: duration ${durationSeconds} is not a whole number of seconds from ` +
            `${TEMPORARY_LOGIN_MIN_SECONDS} (15 minutes) to ${TEMPORARY_LOGIN_MAX_SECONDS} (24 hours)`);
    }
    const operation = `get a temporary SWR login for ${region}`;
    const response = await swrRequest(client, {
        method: 'POST',
        path: '/v2/manage/utils/secret',
        query: {
            projectname: region,
            ...(durationSeconds === undefined ? {} : { duration_seconds: String(durationSeconds) }),
        },
        operation,
        idempotent: false,
    });
    const login = loginFromAuths(response.body, region) ?? loginFromCommand(response.headers.get('x-swr-dockerlogin'));
    if (login === undefined) {
        throw new Error(`${operation}: the answer carries no login (no "auths" entry with user:password, no X-Swr-Dockerlogin header)`);
    }
    const expiresAt = parseSwrTime(response.headers.get('x-swr-expireat') ?? '');
    return { ...login, ...(expiresAt === undefined ? {} : { expiresAt }) };
}
function loginFromAuths(body, region) {
    const auths = body?.auths;
    if (auths === null || typeof auths !== 'object' || Array.isArray(auths))
        return undefined;
    const entries = Object.entries(auths);
    // One entry is the rule; should there be more, the region's own registry is the one meant.
    entries.sort(([a], [b]) => Number(b.startsWith(`swr.${region}.`)) - Number(a.startsWith(`swr.${region}.`)));
    for (const [registry, value] of entries) {
        const encoded = value?.auth;
        if (typeof encoded !== 'string' || encoded === '')
            continue;
        const decoded = Buffer.from(encoded, 'base64').toString('utf8');
        const colon = decoded.indexOf(':');
        if (colon <= 0 || colon === decoded.length - 1)
            continue;
        return { registry, username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
    }
    return undefined;
}
/** `docker login -u USER -p PASSWORD HOST`, the X-Swr-Dockerlogin header. */
function loginFromCommand(command) {
    if (command === null)
        return undefined;
    const match = /(?:^|\s)-u\s+(\S+)\s+-p\s+(\S+)(?:\s+(\S+))?/.exec(command);
    if (match === null)
        return undefined;
    const [, username, password, registry] = match;
    return { username, password, ...(registry === undefined ? {} : { registry }) };
}
/** Every tag of `namespace/repository`, page by page (newest update first). */
async function listRepositoryTags(client, namespace, repository, options = {}) {
    checkNamespace(namespace);
    checkRepository(repository);
    const limit = options.pageSize ?? DEFAULT_PAGE_SIZE;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
        throw new Error(`list SWR tags: page size ${limit} is not a whole number from 1 to ${MAX_PAGE_SIZE}`);
    }
    const operation = `list the tags of SWR repository ${namespace}/${repository}`;
    const byName = new Map();
    for (let page = 0, offset = 0;; page++, offset += limit) {
        if (page >= MAX_PAGES)
            throw new Error(`${operation}: the tag pages do not end (${page} pages)`);
        const response = await swrRequest(client, {
            method: 'GET',
            path: `${repositoryPath(namespace, repository)}/tags`,
            // Both pairs must come together; the offset is a multiple of the limit, as older regions require.
            query: { limit: String(limit), offset: String(offset), order_column: 'updated_at', order_type: 'desc' },
            operation,
        });
        if (!Array.isArray(response.body))
            throw new Error(`${operation}: the answer is not a list of tags`);
        let added = 0;
        for (const item of response.body) {
            const tag = readTag(item, operation);
            // A push between two pages shifts the list; the first sighting of a tag stands.
            if (!byName.has(tag.tag)) {
                byName.set(tag.tag, tag);
                added++;
            }
        }
        const total = parseContentRangeTotal(response.headers.get('content-range'));
        const seen = offset + response.body.length;
        // A short page, the documented total reached, or a page with nothing new (a server ignoring offset) ends it.
        if (response.body.length < limit || (total !== undefined && seen >= total) || added === 0)
            break;
    }
    return [...byName.values()];
}
function readTag(item, operation) {
    const record = (item ?? {});
    // The v2 API spells the name "Tag"; the v3 one "tag".
    const name = typeof record['Tag'] === 'string' ? record['Tag'] : record['tag'];
    if (typeof name !== 'string' || name === '')
        throw new Error(`${operation}: an entry has no tag name`);
    const created = parseSwrTime(typeof record['created'] === 'string' ? record['created'] : '');
    const updated = parseSwrTime(typeof record['updated'] === 'string' ? record['updated'] : '');
    if (created === undefined && updated === undefined) {
        throw new Error(`${operation}: tag ${name} has no readable created/updated time (${JSON.stringify(record['created'])})`);
    }
    const digest = record['digest'];
    return {
        tag: name,
        created: (created ?? updated),
        updated: (updated ?? created),
        ...(typeof digest === 'string' && digest !== '' ? { digest } : {}),
    };
}
/** `offset-count/total` → total. */
function parseContentRangeTotal(header) {
    const match = /^\s*\d+\s*-\s*\d+\s*\/\s*(\d+)\s*$/.exec(header ?? '');
    return match ? Number(match[1]) : undefined;
}
/** Deletes one tag; 'absent' when SWR says it is not there (already gone is as good as deleted). */
async function deleteRepositoryTag(client, namespace, repository, tag) {
    checkNamespace(namespace);
    checkRepository(repository);
    if (!TAG.test(tag))
        throw new Error(`delete SWR tag: "${tag}" is not a valid tag`);
    try {
        await swrRequest(client, {
            method: 'DELETE',
            path: `${repositoryPath(namespace, repository)}/tags/${tag}`,
            operation: `delete SWR tag ${namespace}/${repository}:${tag}`,
        });
        return 'deleted';
    }
    catch (error) {
        // The gateway's own 404 (APIGW.0101) means a wrong endpoint, not a missing tag.
        if (error instanceof HuaweiApiError && error.status === 404 && !isGatewayCode(error.code))
            return 'absent';
        throw error;
    }
}
/** A UTC time as SWR writes it (`2018-07-06T06:18:55Z`, `2025-11-01T12:18:44.382000Z`, or without the `Z`). */
function parseSwrTime(text) {
    const trimmed = text.trim();
    const match = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/.exec(trimmed);
    if (match === null)
        return undefined;
    const [, day, time, fraction, zone] = match;
    // Millisecond precision is all Date keeps; the API documents its times as UTC.
    const millis = fraction === undefined ? '' : fraction.slice(0, 4);
    const offset = zone === undefined ? 'Z' : zone.replace(/^([+-]\d{2})(\d{2})$/, '$1:$2');
    const date = new Date(`${day}T${time}${millis}${offset}`);
    return Number.isNaN(date.getTime()) ? undefined : date;
}
/** One SWR call; a failure comes back as HuaweiApiError with SWR's code and, when known, what to do. */
async function swrRequest(client, call) {
    try {
        return await client.request({ service: SERVICE, ...call });
    }
    catch (error) {
        throw error instanceof HuaweiApiError ? withSwrDetails(error) : error;
    }
}
/**
 * Adds what the generic client cannot know: the code of SWR's older bare-list
 * error body, and the SWR remedy for the code.
 */
function withSwrDetails(error) {
    let code = error.code;
    let message = error.message;
    if (code === '') {
        // `[{"errorCode":"SVCSTG.SWR…","errorMessage":"…"}]` reaches the message verbatim; read it from there.
        const legacyCode = /"errorCode"\s*:\s*"([^"]+)"/.exec(message)?.[1];
        const legacyMessage = /"errorMessage"\s*:\s*"([^"]*)"/.exec(message)?.[1];
        if (legacyCode !== undefined) {
            code = legacyCode;
            message = `${error.operation}: HTTP ${error.status} ${legacyCode}${legacyMessage ? `: ${legacyMessage}` : ''}`;
        }
    }
    const remedy = SWR_REMEDIES.get(code);
    if (remedy !== undefined && !message.includes(remedy))
        message += ` — ${remedy}`;
    if (code === error.code && message === error.message)
        return error;
    return new HuaweiApiError(message, {
        status: error.status,
        code,
        operation: error.operation,
        ...(error.requestId === undefined ? {} : { requestId: error.requestId }),
    });
}
function isGatewayCode(code) {
    return /^APIGW?\./.test(code);
}
/** `/v2/manage/namespaces/{ns}/repos/{repo}` with the repository's `/` written as `$`, as SWR asks. */
function repositoryPath(namespace, repository) {
    return `/v2/manage/namespaces/${namespace}/repos/${repository.split('/').join('$')}`;
}
function checkNamespace(namespace) {
    if (namespace.length > NAMESPACE_MAX || !NAMESPACE.test(namespace)) {
        throw new Error(`SWR organization "${namespace}" is not valid: ${NAMESPACE_RULE}`);
    }
}
function checkRepository(repository) {
    if (repository.length > REPOSITORY_MAX || !REPOSITORY.test(repository)) {
        throw new Error(`SWR repository "${repository}" is not valid: 1-128 lower-case letters and digits, separated by ".", "/", "_", "__" or "-"`);
    }
}

// EXTERNAL MODULE: ./build/src/util/secrets.js + 1 modules
var util_secrets = __webpack_require__(2197);
;// CONCATENATED MODULE: ./build/src/app/registry-auth-logins.js
/**
 * The login of each `registry-auth` entry (config/parse-registry-auth.ts):
 * a given username/password as it is; a Huawei Cloud entry's SWR login
 * derived from the step's keys (or, with temporary keys or `login-mode:
 * temporary`, from the SWR API's CreateSecret, since the derived login
 * cannot use temporary keys); an Alibaba Cloud entry's ACR temporary login.
 *
 * The cloud keys come from credential providers (functions), not as raw
 * values: by default they return the keys the config holds (the step's, or
 * a keyless run's temporary ones, see app/keyless.ts); a library caller may
 * hand in its own. Every password is masked the moment it exists.
 */





/**
 * Providers returning the keys the config holds for the entries (only when an entry needs them): the step's
 * keys with their security token, or, once a keyless run has exchanged its OIDC token, its temporary keys.
 */
function staticCredentialProviders(settings) {
    const { huaweiKeys, alibabaKeys } = settings;
    return {
        ...(huaweiKeys
            ? {
                huawei: async () => ({
                    accessKey: huaweiKeys.accessKey,
                    secretKey: huaweiKeys.secretKey,
                    ...(huaweiKeys.securityToken ? { securityToken: huaweiKeys.securityToken } : {}),
                }),
            }
            : {}),
        ...(alibabaKeys
            ? {
                alibaba: async () => ({
                    accessKeyId: alibabaKeys.accessKeyId,
                    accessKeySecret: alibabaKeys.accessKeySecret,
                    ...(alibabaKeys.securityToken ? { securityToken: alibabaKeys.securityToken } : {}),
                }),
            }
            : {}),
    };
}
/** The login for one entry, masked; a cloud entry may make one API call (a temporary login). */
async function resolveRegistryAuthLogin(entry, options) {
    const { secrets } = options.ports;
    const at = `registry-auth entry ${entry.index} (${entry.registry})`;
    switch (entry.kind) {
        case 'password':
            (0,util_secrets/* registerLogin */.P)(secrets, entry.username, entry.password);
            return {
                registry: entry.registry,
                username: entry.username,
                password: entry.password,
                loginUser: entry.username,
                loginHint: `check username and password of ${at} (user ${entry.username})`,
            };
        case 'huaweicloud': {
            const keys = await keysFrom(options.providers.huawei, at, 'Huawei Cloud');
            maskKeys(secrets, [keys.accessKey, keys.secretKey, keys.securityToken]);
            const short = `${entry.region}@${(0,swr_login/* shortAccessKey */.a)(keys.accessKey)}`;
            if (keys.securityToken === undefined && options.swrLoginMode === 'long-term') {
                const derived = (0,swr_login/* deriveSwrLogin */.Z)({ region: entry.region, accessKey: keys.accessKey, secretKey: keys.secretKey, domain: options.domain });
                (0,util_secrets/* registerLogin */.P)(secrets, derived.username, derived.password);
                return {
                    registry: entry.registry,
                    username: derived.username,
                    password: derived.password,
                    loginUser: short,
                    loginHint: `check the step's access-key and secret-key for ${at}: the login user is ${short} and the password is derived from the secret key`,
                };
            }
            // Temporary keys cannot derive a login (SWR checks it against the long-term key): CreateSecret issues one.
            const client = new HuaweiApiClient({
                credentials: keys,
                region: entry.region,
                domain: options.domain,
                endpoints: options.endpoints,
                fetch: options.ports.fetch,
                clock: options.ports.clock,
            });
            const temporary = await createTemporaryLogin(client, entry.region);
            (0,util_secrets/* registerLogin */.P)(secrets, temporary.username, temporary.password);
            options.ports.logger.info(`${at}: temporary SWR login${temporary.expiresAt ? `, valid until ${temporary.expiresAt.toISOString()}` : ''}`);
            return {
                registry: entry.registry,
                username: temporary.username,
                password: temporary.password,
                loginUser: `temporary login (${short})`,
                loginHint: `the temporary SWR login for ${at} was refused: check that region names the registry and that the keys may log in to SWR`,
            };
        }
        case 'alibabacloud': {
            const keys = await keysFrom(options.providers.alibaba, at, 'Alibaba Cloud');
            maskKeys(secrets, [keys.accessKeyId, keys.accessKeySecret, keys.securityToken]);
            const common = {
                endpoint: acrApiEndpoint(entry.region, options.endpoints),
                region: entry.region,
                credentials: keys,
                fetch: options.ports.fetch,
                clock: options.ports.clock,
            };
            const temporary = entry.edition === 'enterprise' ? await getEnterpriseLogin({ ...common, instanceId: entry.instanceId }) : await getPersonalLogin(common);
            (0,util_secrets/* registerLogin */.P)(secrets, temporary.username, temporary.password);
            options.ports.logger.info(`${at}: temporary ACR login${temporary.expiresAt ? `, valid until ${temporary.expiresAt.toISOString()}` : ''}`);
            return {
                registry: entry.registry,
                username: temporary.username,
                password: temporary.password,
                loginUser: `temporary login (${entry.edition === 'enterprise' ? `instance ${entry.instanceId}` : 'Personal Edition'}, key ${(0,swr_login/* shortAccessKey */.a)(keys.accessKeyId)})`,
                loginHint: `the temporary ACR login for ${at} was refused: check that instance-id/region name the registry, and that the RAM user may log in (cr:GetAuthorizationToken)`,
            };
        }
    }
}
async function keysFrom(provider, at, cloud) {
    // The config refuses a provider entry without keys; a library caller may still pass no provider.
    if (provider === undefined)
        throw new Error(`${at}: no ${cloud} credentials to log in with: give the step its ${cloud} keys`);
    return provider();
}
function maskKeys(secrets, values) {
    for (const value of values)
        if (value)
            secrets.add(value);
}

// EXTERNAL MODULE: ./build/src/registry/login.js + 2 modules
var registry_login = __webpack_require__(2632);
;// CONCATENATED MODULE: ./build/src/app/registry-auth.js


/** Logs in to every entry, in order; returns each registry's credentials for the run's registry clients. */
async function logInToRegistryAuth(config, options) {
    const { ports, env } = options;
    const logins = new Map();
    const providers = options.providers ?? staticCredentialProviders(config.registryAuth);
    for (const entry of config.registryAuth.entries) {
        const login = await resolveRegistryAuthLogin(entry, {
            providers,
            ports,
            domain: config.domain,
            endpoints: config.deploy.endpoints,
            swrLoginMode: config.copy.loginMode,
        });
        await options.onLogin?.(login.registry);
        await ports.logger.group(`Log in to ${login.registry} as ${login.loginUser} (registry-auth entry ${entry.index})`, async () => {
            const result = await (0,registry_login/* dockerLogin */.a1)(ports.exec, {
                registry: login.registry,
                username: login.username,
                password: login.password,
                loginHint: login.loginHint,
                env,
                fetch: ports.fetch,
            });
            for (const line of options.describeLogin(login.registry, result))
                ports.logger.info(line);
        });
        logins.set(login.registry, { username: login.username, password: login.password });
    }
    return logins;
}

;// CONCATENATED MODULE: ./build/src/app/huawei-client.js

/** A signed Huawei Cloud API client for `region` from the run's AK/SK, domain and endpoint overrides. */
function huaweiClientFor(config, ports, region) {
    if (!config.cloudCredentials)
        throw new Error('internal: Huawei Cloud API calls need access-key/secret-key, which the config checks');
    return new HuaweiApiClient({
        credentials: config.cloudCredentials,
        region,
        domain: config.domain,
        endpoints: config.deploy.endpoints,
        fetch: ports.fetch,
        clock: ports.clock,
    });
}

// EXTERNAL MODULE: ./build/src/domain/image/reference.js
var reference = __webpack_require__(1605);
// EXTERNAL MODULE: ./build/src/registry/registry-error.js
var registry_error = __webpack_require__(5613);
// EXTERNAL MODULE: ./build/src/domain/retention/policy.js + 1 modules
var retention_policy = __webpack_require__(4288);
;// CONCATENATED MODULE: ./build/src/retention/select.js
const DAY_MS = 86_400_000;
function selectForDeletion(tags, policy, protectedTags, now) {
    const reasons = new Map();
    const keep = new Set();
    const remove = new Set();
    const protectedSet = new Set(protectedTags);
    const unique = new Map();
    for (const tag of tags)
        if (!unique.has(tag.tag))
            unique.set(tag.tag, tag);
    const ordered = [...unique.values()].sort(newestFirst);
    const candidates = [];
    for (const tag of ordered) {
        if (protectedSet.has(tag.tag)) {
            keep.add(tag.tag);
            reasons.set(tag.tag, 'pushed by this run');
        }
        else if (policy.tagPattern !== undefined && !policy.tagPattern.test(tag.tag)) {
            keep.add(tag.tag);
            reasons.set(tag.tag, `does not match tag-pattern ${policy.tagPatternSource ?? policy.tagPattern.source}`);
        }
        else if (Number.isNaN(tag.created.getTime())) {
            keep.add(tag.tag);
            reasons.set(tag.tag, 'creation time unknown');
        }
        else {
            candidates.push(tag);
        }
    }
    const boundary = policy.keepLast !== undefined && candidates.length > policy.keepLast
        ? candidates[policy.keepLast - 1].created.getTime()
        : undefined;
    candidates.forEach((candidate, index) => {
        const kept = [];
        const deleted = [];
        if (policy.keepLast !== undefined) {
            const n = policy.keepLast;
            if (index < n)
                kept.push(`#${index + 1} of the ${n} newest`);
            else if (candidate.created.getTime() === boundary)
                kept.push(`as new as #${n} of the ${n} newest`);
            else
                deleted.push(`not among the ${n} newest`);
        }
        if (policy.maxAgeDays !== undefined) {
            const ageMs = now.getTime() - candidate.created.getTime();
            const age = ageMs < 0 ? 'dated in the future (clock skew)' : `${describeAge(ageMs)} old`;
            if (ageMs <= policy.maxAgeDays * DAY_MS)
                kept.push(`${age}, within ${policy.maxAgeDays} days`);
            else
                deleted.push(`${age}, more than ${policy.maxAgeDays} days`);
        }
        if (deleted.length > 0) {
            remove.add(candidate.tag);
            reasons.set(candidate.tag, deleted.join('; '));
        }
        else {
            keep.add(candidate.tag);
            reasons.set(candidate.tag, kept.join('; '));
        }
    });
    const names = ordered.map((tag) => tag.tag);
    return {
        keep: names.filter((name) => keep.has(name)),
        delete: names.filter((name) => remove.has(name)),
        reasons,
    };
}
/** Newest first; equal times by tag name; unknown times last. */
function newestFirst(a, b) {
    const ta = a.created.getTime();
    const tb = b.created.getTime();
    const na = Number.isNaN(ta);
    const nb = Number.isNaN(tb);
    if (na !== nb)
        return na ? 1 : -1;
    if (!na && ta !== tb)
        return tb - ta;
    return a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0;
}
function describeAge(ms) {
    const days = Math.floor(ms / DAY_MS);
    if (days >= 1)
        return `${days} ${days === 1 ? 'day' : 'days'}`;
    const hours = Math.floor(ms / 3_600_000);
    return `${hours} ${hours === 1 ? 'hour' : 'hours'}`;
}

;// CONCATENATED MODULE: ./build/src/retention/apply.js





async function applyRetention(backend, policy, protectedTags, now, options) {
    const { log, dryRun } = options;
    const name = backend.name ?? 'repository';
    const tags = usableTags(await backend.listTags(), (tag) => tag.tag, name, log);
    const selection = selectForDeletion(tags, policy, protectedTags, now);
    const keep = new Set(selection.keep);
    const reasons = selection.reasons;
    // By digest: a manifest goes only when every tag on it goes.
    const groups = new Map();
    if (backend.deletesByDigest) {
        const digestOf = new Map(tags.map((tag) => [tag.tag, tag.digest]));
        for (const tag of tags) {
            if (tag.digest === undefined)
                continue;
            const group = groups.get(tag.digest) ?? [];
            if (!group.includes(tag.tag))
                group.push(tag.tag);
            groups.set(tag.digest, group);
        }
        for (const tag of selection.delete) {
            const digest = digestOf.get(tag);
            if (digest === undefined) {
                keep.add(tag);
                reasons.set(tag, `${reasons.get(tag) ?? ''}; kept: its digest is unknown, and this registry deletes by digest`);
                log.warn(`retention ${name}: keeping ${tag}: its manifest digest is unknown, and this registry can only delete by digest`);
                continue;
            }
            const keptSharers = (groups.get(digest) ?? []).filter((other) => other !== tag && keep.has(other));
            if (keptSharers.length > 0) {
                reasons.set(tag, `${reasons.get(tag) ?? ''}; kept: shares digest ${shortDigest(digest)} with kept ${keptSharers.join(', ')}`);
                keep.add(tag);
                log.warn(`retention ${name}: keeping ${tag}: it shares manifest ${shortDigest(digest)} with ${keptSharers.join(', ')}, ` +
                    'which stay; deleting the manifest would delete every tag on it');
            }
        }
    }
    const order = [...selection.keep, ...selection.delete];
    const kept = order.filter((tag) => keep.has(tag));
    const planned = selection.delete.filter((tag) => !keep.has(tag));
    log.info(`retention ${name}: ${(0,retention_policy/* describeRetention */.u)(policy)} — ${order.length} ${order.length === 1 ? 'tag' : 'tags'}: ` +
        `keep ${kept.length}, ${dryRun ? 'would delete' : 'delete'} ${planned.length}${dryRun ? ' (dry run: nothing is deleted)' : ''}`);
    for (const tag of kept)
        log.info(`  keep   ${tag} (${reasons.get(tag) ?? ''})`);
    for (const tag of planned)
        log.info(`  ${dryRun ? 'would delete' : 'delete'} ${tag} (${reasons.get(tag) ?? ''})`);
    if (dryRun || planned.length === 0)
        return { kept, deleted: [], planned };
    // One call per tag, or per digest when deleting one tag deletes its digest.
    const batches = [];
    const batched = new Set();
    const tagDigest = new Map(tags.map((tag) => [tag.tag, tag.digest]));
    for (const tag of planned) {
        if (batched.has(tag))
            continue;
        const digest = tagDigest.get(tag);
        const group = backend.deletesByDigest && digest !== undefined ? (groups.get(digest) ?? [tag]) : [tag];
        const batch = planned.filter((t) => group.includes(t));
        batch.forEach((t) => batched.add(t));
        batches.push(batch);
    }
    const deleted = [];
    for (const [index, batch] of batches.entries()) {
        const first = batch[0];
        try {
            await backend.deleteTag(first);
        }
        catch (error) {
            const notAttempted = batches.slice(index + 1).flat();
            const cause = error instanceof Error ? error.message : String(error);
            throw new Error(`retention ${name}: could not delete ${batch.join(', ')}: ${cause}` +
                ` (deleted before this: ${deleted.length > 0 ? deleted.join(', ') : 'none'}` +
                `${notAttempted.length > 0 ? `; not attempted: ${notAttempted.join(', ')}` : ''})`, { cause: error });
        }
        deleted.push(...batch);
    }
    log.info(`retention ${name}: deleted ${deleted.length} ${deleted.length === 1 ? 'tag' : 'tags'}: ${deleted.join(', ')}`);
    return { kept, deleted, planned };
}
/**
 * Tags as the distribution spec allows them (at most 128 characters of
 * [A-Za-z0-9_.-]); anything else a registry lists is left alone, with one
 * warning: tag-pattern never runs on it, and it is never deleted.
 */
function usableTags(tags, tagOf, name, log) {
    const usable = tags.filter((tag) => (0,reference/* isValidTag */.r_)(tagOf(tag)));
    const skipped = tags.length - usable.length;
    if (skipped > 0) {
        const example = tagOf(tags.find((tag) => !(0,reference/* isValidTag */.r_)(tagOf(tag))));
        const shown = example.length > 64 ? `${example.slice(0, 64)}… (${example.length} characters)` : example;
        log?.warn(`retention ${name}: the registry listed ${skipped} ${skipped === 1 ? 'tag' : 'tags'} that ${skipped === 1 ? 'is' : 'are'} not a valid tag ` +
            `(at most 128 characters of letters, digits, '_', '.' and '-'), e.g. ${JSON.stringify(shown)}: skipped (kept, never matched or deleted)`);
    }
    return usable;
}
// ---------------------------------------------------------------- SWR
/** Tags and their times from the SWR management API; each tag is deleted on its own. */
function swrRetentionBackend(client, namespace, repository) {
    return {
        name: `SWR ${client.region} ${namespace}/${repository}`,
        listTags: async () => (await listRepositoryTags(client, namespace, repository)).map((tag) => ({
            tag: tag.tag,
            created: tag.created,
            ...(tag.digest === undefined ? {} : { digest: tag.digest }),
        })),
        deleteTag: async (tag) => {
            await deleteRepositoryTag(client, namespace, repository, tag);
        },
    };
}
/** How many tags are looked up at once. */
const LOOKUP_CONCURRENCY = 4;
/**
 * Tags from `GET /v2/<repo>/tags/list`, each tag's digest from its manifest
 * and its creation time from the image config's `created`. Deleting is
 * `DELETE /v2/<repo>/manifests/<digest>`: it removes the manifest and every
 * tag on it, and needs deletion enabled on the registry (`storage.delete.enabled`).
 */
function registryRetentionBackend(registryClient, repository, access = {}) {
    const registry = registryClient.registry;
    const name = `${registry}/${repository}`;
    const digests = new Map();
    const listTags = async () => {
        const names = usableTags(await registryClient.listTags(repository), (tag) => tag, name, access.log);
        const createdByDigest = new Map();
        const createdOf = (digest) => {
            let pending = createdByDigest.get(digest);
            if (pending === undefined) {
                pending = registryClient.getImageConfig(repository, digest).then((config) => readCreated(config), (error) => {
                    access.log?.warn(`retention ${name}: cannot read the image config of ${shortDigest(digest)} (kept): ${messageOf(error)}`);
                    return new Date(Number.NaN);
                });
                createdByDigest.set(digest, pending);
            }
            return pending;
        };
        const found = await mapLimit(names, LOOKUP_CONCURRENCY, async (tag) => {
            const info = await registryClient.headManifest(repository, tag);
            if (info === undefined)
                return undefined; // deleted since the listing
            digests.set(tag, info.digest);
            const created = await createdOf(info.digest);
            if (Number.isNaN(created.getTime()))
                access.log?.warn(`retention ${name}: ${tag} has no readable "created" time (kept)`);
            return { tag, created, digest: info.digest };
        });
        return found.filter((tag) => tag !== undefined);
    };
    const deleteTag = async (tag) => {
        let digest = digests.get(tag);
        if (digest === undefined) {
            const info = await registryClient.headManifest(repository, tag);
            if (info === undefined)
                return; // already gone
            digest = info.digest;
        }
        await deleteManifest(digest, tag);
    };
    const deleteManifest = async (digest, tag) => {
        try {
            await registryClient.deleteManifest(repository, digest, `tag ${tag}`);
        }
        catch (error) {
            if (error instanceof registry_error/* RegistryError */.gl && error.status === 405) {
                throw new registry_error/* RegistryError */.gl(`${error.message}; where deletion cannot be enabled, remove the retention input`, {
                    status: 405,
                    operation: error.operation,
                    ...(error.code === undefined ? {} : { code: error.code }),
                });
            }
            throw error;
        }
    };
    return { name, listTags, deleteTag, deletesByDigest: true };
}
/** The OCI/Docker config's `created` (RFC 3339), or an invalid Date when there is none. */
function readCreated(config) {
    const created = config?.created;
    return typeof created === 'string' ? new Date(created) : new Date(Number.NaN);
}
async function mapLimit(items, limit, work) {
    const results = new Array(items.length);
    let next = 0;
    const worker = async () => {
        while (next < items.length) {
            const index = next++;
            results[index] = await work(items[index]);
        }
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
    return results;
}
function shortDigest(digest) {
    const colon = digest.indexOf(':');
    return `${digest.slice(0, colon + 1)}${digest.slice(colon + 1, colon + 13)}`;
}
function messageOf(error) {
    return error instanceof Error ? error.message : String(error);
}

;// CONCATENATED MODULE: ./build/src/app/retention.js


/**
 * Applies the `retention` input to the destination repository: through the
 * SWR management API when the registry is SWR and the AK/SK are at hand
 * (SWR deletes single tags), else through the registry API (which deletes
 * manifests, so a digest goes only when all its tags are due).
 */
async function applyConfiguredRetention(config, ports, 
/** The run's client for the destination registry; asked for only when the registry API is used. */
registryClient, protectedTags, dryRun) {
    const policy = config.copy.retention;
    if (!policy)
        return undefined;
    const log = { info: (line) => ports.logger.info(line), warn: (line) => ports.logger.warn(line) };
    const useSwrApi = config.provider === 'huaweicloud' && config.cloudCredentials !== undefined && config.repository.includes('/');
    const backend = useSwrApi
        ? swrRetentionBackend(huaweiClientFor(config, ports, config.region), namespaceOf(config.repository), imageOf(config.repository))
        : registryRetentionBackend(await registryClient(), config.repository, { log });
    return applyRetention(backend, policy, protectedTags, ports.clock.now(), { dryRun, log });
}
function namespaceOf(repository) {
    return repository.slice(0, repository.indexOf('/'));
}
function imageOf(repository) {
    return repository.slice(repository.indexOf('/') + 1);
}

;// CONCATENATED MODULE: ./build/src/cloud/huawei/cce.js
/** Days, as CCE documents them: 1–1827 (five years), or -1 for the maximum. */
const MIN_DAYS = 1;
const MAX_DAYS = 1827;
const CLUSTER_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/**
 * The kubeconfig (JSON) CCE issues: clusters `internalCluster` and, when the
 * cluster has a public address, `externalCluster` / `externalClusterTLSVerify`;
 * one user `user`; contexts `internal`, `external`, `externalTLSVerify`.
 * It carries a client key: the caller must treat the text as a secret.
 */
async function fetchClusterKubeconfig(client, request) {
    const duration = request.duration ?? MIN_DAYS;
    if (!Number.isInteger(duration) || (duration !== -1 && (duration < MIN_DAYS || duration > MAX_DAYS))) {
        throw new Error(`cce: certificate duration ${duration} is not a whole number of days from ${MIN_DAYS} to ${MAX_DAYS} (or -1 for the maximum)`);
    }
    if (!CLUSTER_ID.test(request.clusterId)) {
        throw new Error(`cce: cluster id "${request.clusterId}" is not a cluster id (a UUID, shown on the cluster's overview page)`);
    }
    const response = await client.request({
        service: 'cce',
        method: 'POST',
        path: `/api/v3/projects/${request.projectId}/clusters/${request.clusterId}/clustercert`,
        projectId: request.projectId,
        body: { duration },
        operation: `get a kubeconfig for CCE cluster ${request.clusterId}`,
        // Each call issues a new credential: never repeat it once the server may have seen it.
        idempotent: false,
    });
    const kubeconfig = response.body;
    if (kubeconfig === null || typeof kubeconfig !== 'object' || !Array.isArray(kubeconfig['clusters']) || !Array.isArray(kubeconfig['users'])) {
        throw new Error(`get a kubeconfig for CCE cluster ${request.clusterId}: the answer is not a kubeconfig (no clusters or users)`);
    }
    return JSON.stringify(kubeconfig);
}

;// CONCATENATED MODULE: ./build/src/cloud/huawei/function-config-shapes.js
/**
 * The shapes of a FunctionGraph function configuration, checked before
 * imageship writes it back. UpdateFunctionConfig is a read-modify-write of
 * the whole configuration: whatever the GET answered goes back in the PUT.
 * A value of the wrong kind would be written back mangled (a string spread
 * into an object becomes {"0":"n","1":"g",…}) or wipe a setting, so a
 * configuration that does not have the documented shape is refused, naming
 * the field, what was expected and what came, before anything is written.
 */
/**
 * UpdateFunctionConfig's request fields and their types: every field of the
 * documented model (UpdateFunctionConfigRequestBody, functiongraph SDK
 * 3.1.211), in its order. This is the one list the read-modify-write sends
 * back: the update resets what it is not sent, so each field the show answer
 * carries and the update accepts must be here (a unit test reads the SDK's
 * model classes and fails otherwise). The last five of the model's fields
 * (extend_config, log_config, domain_names, restore_hook_*) are not in
 * ShowFunctionConfigResponse; they are sent back only when an answer
 * happens to carry them.
 */
const WRITABLE_FIELD_KINDS = Object.freeze({
    func_name: 'string',
    runtime: 'string',
    timeout: 'integer',
    handler: 'string',
    memory_size: 'integer',
    gpu_memory: 'integer',
    gpu_type: 'string',
    user_data: 'string',
    encrypted_user_data: 'string',
    xrole: 'string',
    app_xrole: 'string',
    description: 'string',
    func_vpc: 'object',
    peering_cidr: 'string',
    mount_config: 'object',
    strategy_config: 'object',
    custom_image: 'object',
    extend_config: 'string',
    initializer_handler: 'string',
    initializer_timeout: 'integer',
    pre_stop_handler: 'string',
    pre_stop_timeout: 'integer',
    ephemeral_storage: 'integer',
    enterprise_project_id: 'string',
    log_config: 'object',
    network_controller: 'object',
    is_stateful_function: 'boolean',
    enable_dynamic_memory: 'boolean',
    enable_auth_in_header: 'boolean',
    domain_names: 'string',
    restore_hook_handler: 'string',
    restore_hook_timeout: 'integer',
    heartbeat_handler: 'string',
    enable_class_isolation: 'boolean',
    enable_lts_log: 'boolean',
    lts_custom_tag: 'object',
    user_data_encrypt_kms_key_id: 'string',
});
/** The writable fields, in the model's order. */
const WRITABLE_FIELDS = Object.freeze(Object.keys(WRITABLE_FIELD_KINDS));
/** custom_image's own fields (CustomImage in the API reference). */
const CUSTOM_IMAGE_FIELD_KINDS = Object.freeze({
    enabled: 'boolean',
    image: 'string',
    command: 'string',
    args: 'string',
    working_dir: 'string',
    uid: 'string',
    gid: 'string',
    is_public: 'boolean',
});
/** custom_image's fields, as the CustomImage model lists them. */
const CUSTOM_IMAGE_FIELDS = Object.freeze(Object.keys(CUSTOM_IMAGE_FIELD_KINDS));
/**
 * Throws one Error naming the first field whose value is not of its
 * documented kind (null and absent fields are not written back, so they
 * pass). `operation` names the call in the message.
 */
function checkWritableShapes(config, operation) {
    const refuse = (field, expected, value) => {
        throw new Error(`${operation}: the function configuration the API returned has ${field} as ${describeValue(value)}, not ${expected}; ` +
            'nothing was written (writing it back would corrupt the function): check the function in the FunctionGraph console, or re-create it from a container image');
    };
    for (const [field, kind] of Object.entries(WRITABLE_FIELD_KINDS)) {
        const value = config[field];
        if (value !== undefined && value !== null && !isKind(value, kind))
            refuse(JSON.stringify(field), article(kind), value);
    }
    const image = config['custom_image'];
    if (image === undefined || image === null)
        return;
    const record = image;
    for (const [field, kind] of Object.entries(CUSTOM_IMAGE_FIELD_KINDS)) {
        const value = record[field];
        if (value !== undefined && value !== null && !isKind(value, kind))
            refuse(`"custom_image.${field}"`, article(kind), value);
    }
    if (typeof record['image'] !== 'string' || record['image'] === '')
        refuse('"custom_image.image"', 'an image reference', record['image']);
}
function isKind(value, kind) {
    switch (kind) {
        case 'string':
            return typeof value === 'string';
        case 'integer':
            return typeof value === 'number' && Number.isSafeInteger(value);
        case 'boolean':
            return typeof value === 'boolean';
        case 'object':
            return typeof value === 'object' && value !== null && !Array.isArray(value);
    }
}
function article(kind) {
    return kind === 'integer' ? 'an integer' : kind === 'object' ? 'an object' : `a ${kind}`;
}
/** `a string ("nginx:1")`, `an array of 2`, `null`: what came, briefly (a value from the API, shown cut short). */
function describeValue(value) {
    if (value === null)
        return 'null';
    if (value === undefined)
        return 'missing';
    if (Array.isArray(value))
        return `an array of ${value.length}`;
    if (typeof value === 'string')
        return `a string (${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)})`;
    if (typeof value === 'object')
        return 'an object';
    return `a ${typeof value} (${String(value)})`;
}

// EXTERNAL MODULE: ./build/src/domain/targets/function-urn.js
var function_urn = __webpack_require__(4985);
;// CONCATENATED MODULE: ./build/src/cloud/huawei/functiongraph.js



const functiongraph_SERVICE = 'functiongraph';
/** How FunctionGraph marks a function deployed from a container image. */
const CUSTOM_IMAGE_RUNTIME = 'Custom Image';
const CUSTOM_IMAGE_CODE_TYPE = 'Custom-Image-Swr';
async function getFunctionConfig(client, urn) {
    const parsed = typeof urn === 'string' ? (0,function_urn/* parseFunctionUrn */.$)(urn) : urn;
    const response = await client.request({
        service: functiongraph_SERVICE,
        method: 'GET',
        path: configPath(parsed),
        projectId: parsed.projectId,
        operation: `read FunctionGraph function ${parsed.name}`,
    });
    const config = response.body;
    if (config === null || typeof config !== 'object' || typeof config.func_name !== 'string') {
        throw new Error(`read FunctionGraph function ${parsed.name}: the answer has no function configuration`);
    }
    return config;
}
/**
 * Points a container-image function at `image` and reads it back. The PUT
 * carries the function's whole current configuration with only the image
 * changed: UpdateFunctionConfig resets what it is not sent, so leaving fields
 * out would wipe environment variables, VPC or the image's command.
 */
async function updateFunctionImage(client, urn, image) {
    const parsed = (0,function_urn/* parseFunctionUrn */.$)(urn);
    if (parsed.version !== undefined && parsed.version !== 'latest') {
        throw new Error(`function-urn: "${urn}" names version "${parsed.version}"; published versions and aliases cannot be changed, ` +
            'use the URN without a version (or :latest)');
    }
    if (parsed.region !== client.region) {
        throw new Error(`function-urn: "${urn}" is in region ${parsed.region} but region is ${client.region}; make them agree`);
    }
    const current = await getFunctionConfig(client, parsed);
    // The PUT below writes this configuration back: a field of the wrong kind is refused before anything is written.
    checkWritableShapes(current, `update FunctionGraph function ${parsed.name}`);
    if (!isContainerImageFunction(current) || current.custom_image === undefined || current.custom_image === null) {
        throw new Error(`function-urn: ${urn} is not a container-image function (runtime ${current.runtime}): ` +
            `its code type is ${current.code_type}; imageship can only roll out images to functions created from a container image`);
    }
    const previous = current.custom_image.image;
    try {
        await client.request({
            service: functiongraph_SERVICE,
            method: 'PUT',
            path: configPath(parsed),
            projectId: parsed.projectId,
            body: updateBody(current, image),
            operation: `update FunctionGraph function ${parsed.name} to ${image}`,
            // Sending the same full configuration twice leaves the same state, so a lost answer may be retried.
            idempotent: true,
        });
    }
    catch (error) {
        // A retry that lands after the first try was applied may be answered "already exists": the read-back decides.
        if (!(error instanceof HuaweiApiError && error.code === 'FSS.0409'))
            throw error;
    }
    const after = await getFunctionConfig(client, parsed);
    const shown = after.custom_image?.image;
    if (shown !== image) {
        throw new Error(`update FunctionGraph function ${parsed.name}: the update was accepted but the function still shows image ${shown ?? '(none)'}, not ${image}`);
    }
    const consoleUrl = functionConsoleUrl(parsed, client.domain);
    return {
        target: 'functiongraph',
        id: parsed.unversioned,
        previous,
        current: image,
        verified: true,
        ...(consoleUrl === undefined ? {} : { consoleUrl }),
    };
}
function isContainerImageFunction(config) {
    return config.runtime === CUSTOM_IMAGE_RUNTIME || config.code_type === CUSTOM_IMAGE_CODE_TYPE;
}
/**
 * The PUT body: every writable field the function has now (one list,
 * function-config-shapes.ts), with only the image changed. custom_image keeps
 * command, args, working_dir, uid, gid and is_public as they are.
 */
function updateBody(current, image) {
    const body = {};
    for (const field of WRITABLE_FIELDS) {
        const value = current[field];
        if (value !== undefined && value !== null)
            body[field] = value;
    }
    body['custom_image'] = { ...current.custom_image, enabled: true, image };
    return body;
}
function configPath(urn) {
    return `/v2/${urn.projectId}/fgs/functions/${urn.unversioned}/config`;
}
/** Only the public cloud's console address is known. */
function functionConsoleUrl(urn, domain) {
    if (domain !== 'myhuaweicloud.com')
        return undefined;
    return (`https://console.huaweicloud.com/functiongraph/?region=${urn.region}` +
        `#/serverless/functionDetails/${encodeURIComponent(urn.package)}/${encodeURIComponent(urn.name)}?type=edit`);
}

;// CONCATENATED MODULE: ./build/src/cloud/huawei/iam.js
/** Calls IAM's regional endpoint `https://iam.{region}.{domain}` unless `endpoints` sets `iam=`. */
async function findProjectId(client, region) {
    const response = await client.request({
        service: 'iam',
        method: 'GET',
        path: '/v3/projects',
        query: { name: region },
        operation: `look up the project of region ${region}`,
    });
    const projects = Array.isArray(response.body?.projects) ? response.body.projects : [];
    // The name filter is exact on the server; checking again guards against a proxy or a sub-project (`cn-north-4_dev`).
    const match = projects.find((project) => project.name === region && typeof project.id === 'string' && project.id !== '');
    if (match === undefined) {
        throw new Error(`look up the project of region ${region}: this account has no project named ${region}; ` +
            'check region (e.g. cn-north-4), or that the AK belongs to an account that has used this region');
    }
    if (match.enabled === false) {
        throw new Error(`look up the project of region ${region}: the project ${String(match.id)} is disabled`);
    }
    return match.id;
}

;// CONCATENATED MODULE: ./build/src/cloud/alibaba/acs3-signer.js
/**
 * Alibaba Cloud signature V3 (ACS3-HMAC-SHA256), the scheme every current
 * official SDK uses for both RPC and ROA APIs (Function Compute 3.0, SAE…),
 * byte for byte as @alicloud/openapi-core 1.0.8 computes it (see
 * ../shared/vectors/alibaba-acs3-signing.json):
 *
 *   canonical request = METHOD \n path \n sorted RFC 3986 query \n
 *                       "name:value\n" for host, content-type and every x-acs-* header (sorted) \n
 *                       signed header names joined by ";" \n
 *                       hex SHA-256 of the body
 *   Authorization     = ACS3-HMAC-SHA256 Credential=AK,SignedHeaders=…,Signature=hex HMAC-SHA256(secret, "ACS3-HMAC-SHA256\n" + hex SHA-256(canonical request))
 *
 * Written here rather than taken from the SDK: the signer is ~100 lines of
 * node:crypto, while the SDK brings a dozen packages and its own HTTP stack,
 * which would bypass imageship's one network layer (proxies, CAs, retries).
 *
 * Pure functions: the caller passes the time and the nonce, so tests pin them
 * and every retry is signed afresh.
 */

const ACS3_ALGORITHM = 'ACS3-HMAC-SHA256';
const EMPTY_SHA256 = (0,external_node_crypto_.createHash)('sha256').update('').digest('hex');
/** RFC 3986: only A-Z a-z 0-9 - _ . ~ stay literal (encodeURIComponent also leaves !'()* alone). */
function acs3Encode(text) {
    return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
/** `name=value` pairs sorted by name, values encoded; '' without a query. */
function acs3CanonicalQuery(query) {
    return Object.keys(query)
        .sort()
        .map((name) => `${name}=${acs3Encode(query[name])}`)
        .join('&');
}
/** The SDK's path escaping: these paths need none beyond what it does to `+`, `*` and `%7E`. */
function acs3CanonicalUri(path) {
    return path.replace(/\+/g, '%20').replace(/\*/g, '%2A').replace(/%7E/g, '~');
}
/** host, content-type and x-acs-*: the headers V3 signs. */
function isSignedHeader(lowerName) {
    return lowerName === 'host' || lowerName === 'content-type' || lowerName.startsWith('x-acs-');
}
function acs3CanonicalRequest(method, path, query, headers) {
    const lower = new Map();
    for (const [name, value] of Object.entries(headers)) {
        const key = name.toLowerCase();
        if (isSignedHeader(key))
            lower.set(key, value.trim());
    }
    const names = [...lower.keys()].sort();
    const canonicalHeaders = names.map((name) => `${name}:${lower.get(name)}\n`).join('');
    const signedHeaders = names.join(';');
    const bodyHash = lower.get('x-acs-content-sha256') ?? EMPTY_SHA256;
    const canonicalRequest = [method.toUpperCase(), acs3CanonicalUri(path), acs3CanonicalQuery(query), canonicalHeaders, signedHeaders, bodyHash].join('\n');
    return { canonicalRequest, signedHeaders };
}
function acs3StringToSign(canonicalRequest) {
    return `${ACS3_ALGORITHM}\n${(0,external_node_crypto_.createHash)('sha256').update(canonicalRequest, 'utf8').digest('hex')}`;
}
/** The Authorization header for a request whose headers already hold every x-acs-* value. */
function acs3Authorization(request, credentials) {
    const { canonicalRequest, signedHeaders } = acs3CanonicalRequest(request.method, request.path, request.query, request.headers);
    const signature = (0,external_node_crypto_.createHmac)('sha256', credentials.accessKeySecret).update(acs3StringToSign(canonicalRequest), 'utf8').digest('hex');
    return `${ACS3_ALGORITHM} Credential=${credentials.accessKeyId},SignedHeaders=${signedHeaders},Signature=${signature}`;
}
/** `YYYY-MM-DDTHH:mm:ssZ` in UTC. */
function acs3Date(now) {
    return `${now.toISOString().slice(0, 19)}Z`;
}
/**
 * Every header the SDK sends, signed: host, x-acs-action/-version/-date/
 * -signature-nonce/-content-sha256/-credentials-provider, accept,
 * content-type (when given), and with STS x-acs-accesskey-id and
 * x-acs-security-token; plus authorization. Lower-case names.
 */
function signAcs3Request(input) {
    const sts = input.credentials.securityToken !== undefined && input.credentials.securityToken !== '';
    const headers = {
        host: input.host,
        'x-acs-version': input.version,
        'x-acs-action': input.action,
        'x-acs-date': acs3Date(input.now),
        'x-acs-signature-nonce': input.nonce,
        accept: 'application/json',
        'x-acs-content-sha256': input.body === undefined ? EMPTY_SHA256 : (0,external_node_crypto_.createHash)('sha256').update(input.body, 'utf8').digest('hex'),
        'x-acs-credentials-provider': sts ? 'static_sts' : 'static_ak',
    };
    if (input.contentType !== undefined)
        headers['content-type'] = input.contentType;
    if (sts) {
        headers['x-acs-accesskey-id'] = input.credentials.accessKeyId;
        headers['x-acs-security-token'] = input.credentials.securityToken;
    }
    headers['authorization'] = acs3Authorization({ method: input.method, path: input.path, query: input.query ?? {}, headers }, input.credentials);
    return headers;
}

;// CONCATENATED MODULE: ./build/src/cloud/alibaba/acs3-client.js
/**
 * One signed JSON call to an Alibaba Cloud API with signature V3, through the
 * one network layer (ports.fetch, fetchWithRetry). Function Compute 3.0 and
 * SAE go through here, so signing, retries and error reporting are the same
 * for both; each try is signed afresh (new x-acs-date and nonce): the gateway
 * refuses a nonce seen in the last 15 minutes.
 */






const JSON_TYPE = 'application/json; charset=utf-8';
const FORM_TYPE = 'application/x-www-form-urlencoded';
const randomNonce = () => (0,external_node_crypto_.randomBytes)(32).toString('hex');
/** Resolves with a 2xx JSON object answer; rejects with AlibabaApiError (non-2xx) or HttpError (network). */
async function callAcs3(options, call) {
    const base = call.endpoint.replace(/\/+$/, '');
    const query = acs3CanonicalQuery(call.query ?? {});
    const url = `${base}${call.path}${query === '' ? '' : `?${query}`}`;
    const host = new URL(url).host;
    const body = call.jsonBody === undefined ? undefined : JSON.stringify(call.jsonBody);
    const contentType = body !== undefined ? JSON_TYPE : call.form ? FORM_TYPE : undefined;
    const nextNonce = options.nonce ?? randomNonce;
    const signingFetch = (input, init) => {
        const signed = signAcs3Request({
            method: call.method,
            host,
            path: call.path,
            query: call.query ?? {},
            ...(body === undefined ? {} : { body }),
            ...(contentType === undefined ? {} : { contentType }),
            action: call.action,
            version: call.version,
            credentials: options.credentials,
            now: options.clock.now(),
            nonce: nextNonce(),
        });
        // The transport writes Host from the URL (the same value that was signed).
        delete signed['host'];
        return options.fetch(input, { ...init, headers: signed });
    };
    const response = await (0,retry/* fetchWithRetry */.J5)(signingFetch, {
        url,
        method: call.method,
        ...(body === undefined ? {} : { body }),
        operation: call.operation,
        ...(call.idempotent === undefined ? {} : { idempotent: call.idempotent }),
        // A redirect would carry the signed call (and the STS token) to another host.
        refuseRedirects: true,
    }, options.retry, options.sleep);
    const text = new TextDecoder().decode(await (0,read_body/* readBodyBytes */.I)(response, call.operation, { what: `the answer to ${call.operation}`, from: new URL(url).host, cap: body_cap/* BODY_CAPS */.V9.cloudApi }));
    const requestId = response.headers.get('x-acs-request-id');
    if (response.status < 200 || response.status > 299) {
        throw alibabaApiError({
            operation: call.operation,
            status: response.status,
            text,
            requestIdHeader: requestId,
            secrets: options.credentials,
            ...(call.remedies === undefined ? {} : { remedies: call.remedies }),
        });
    }
    let parsed;
    try {
        parsed = JSON.parse(text);
    }
    catch {
        parsed = undefined;
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
        throw new Error(`${call.operation}: HTTP ${response.status} but the answer is not a JSON object: ${scrubSecrets(oneLine(text), options.credentials).slice(0, 200)}`);
    }
    return { status: response.status, body: parsed, text, requestId };
}

;// CONCATENATED MODULE: ./build/src/cloud/alibaba/fc3-errors.js
/**
 * What to do about Function Compute 3.0's documented error codes (the
 * gateway's own codes, signature, AccessKey, clock, STS, come from
 * api-errors.ts).
 */
const FC_REMEDIES = new Map([
    ['FunctionNotFound', 'no function with this name in this region: check fc-function (the function name, not its ARN) and region; imageship updates functions, it does not create them'],
    ['InvalidArgument', 'Function Compute refused the new configuration: check that the image is in Container Registry in the same region and account, that instance-id is set for an Enterprise Edition registry, and the message above'],
    ['AccessDenied', 'the RAM user or role may not do this: grant it fc:GetFunction and fc:UpdateFunction on the function (e.g. the AliyunFCFullAccess policy)'],
    ['Forbidden.RAM', 'the RAM user or role may not do this: grant it fc:GetFunction and fc:UpdateFunction on the function (e.g. the AliyunFCFullAccess policy)'],
    ['SignatureNotMatch', 'the access-key-secret does not match the AccessKey ID: copy the secret again, without spaces or line breaks'],
    ['InvalidAccessKeyID', 'the AccessKey ID is wrong or was deleted: check access-key-id'],
    ['ConcurrentUpdateError', 'another update of this function is in progress: wait for it to finish and run again'],
    ['ResourceThrottled', 'throttled by Function Compute: wait a little and retry'],
]);

// EXTERNAL MODULE: ./build/src/http/timeouts.js
var timeouts = __webpack_require__(5664);
;// CONCATENATED MODULE: ./build/src/cloud/alibaba/wait-until.js
/**
 * The polling loop FC's update and SAE's change order share: read, decide
 * (done, failed or still going), wait, until the deadline.
 */

async function pollUntilSettled(read, settings) {
    const started = settings.now();
    let lastDetail = '';
    for (;;) {
        const verdict = await read();
        if (verdict.phase === 'done')
            return verdict.value;
        if (verdict.phase === 'failed')
            throw new Error(verdict.message);
        if (verdict.detail !== lastDetail)
            settings.log(`${settings.subject}: ${verdict.detail}`);
        lastDetail = verdict.detail;
        const elapsed = settings.now() - started;
        if (elapsed >= settings.timeoutMs) {
            throw new Error(`${settings.subject}: not finished within ${(0,timeouts/* formatSeconds */.Xo)(settings.timeoutMs)} (${verdict.detail}): ${settings.timeoutHint}`);
        }
        await settings.sleep(Math.min(settings.intervalMs, settings.timeoutMs - elapsed));
    }
}
const sleepFor = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

;// CONCATENATED MODULE: ./build/src/cloud/alibaba/fc3.js




const FC3_VERSION = '2023-03-30';
const CUSTOM_CONTAINER_RUNTIME = 'custom-container';
/** Set by FC on answers only; sending them back is refused or meaningless. */
const READ_ONLY_CONTAINER_FIELDS = ['resolvedImageUri', 'accelerationInfo'];
/** The `fc=` line of `endpoints`, else the public regional endpoint. */
function fcEndpoint(region, overrides) {
    return overrides.get('fc') ?? `https://fcv3.${region}.aliyuncs.com`;
}
function functionPath(name) {
    return `/${FC3_VERSION}/functions/${encodeURIComponent(name)}`;
}
async function getFcFunction(target, name) {
    const operation = `read Function Compute function ${name}`;
    const answer = await callAcs3(target.client, {
        endpoint: target.endpoint,
        action: 'GetFunction',
        version: FC3_VERSION,
        method: 'GET',
        path: functionPath(name),
        operation,
        remedies: FC_REMEDIES,
    });
    if (typeof answer.body['functionName'] !== 'string')
        throw new Error(`${operation}: HTTP ${answer.status} but the answer has no functionName`);
    return answer.body;
}
/**
 * Public ACR hosts and their VPC twins. A function inside a VPC pulls through
 * the registry's VPC endpoint: FC resolves an Enterprise Edition image's
 * domain to the instance's VPC access IPs (its default resolution or the
 * PrivateZone records), and a function's VPC must be the one those IPs live
 * in ("创建自定义镜像函数" and "配置网络", help.aliyun.com/zh/functioncompute/fc-3-0);
 * the API's own examples (CustomContainerConfig.image, resolvedImageUri) name
 * `registry-vpc.<region>.aliyuncs.com` and `<instance>-registry-vpc.<region>.cr.aliyuncs.com`.
 * So the image set on such a function names the VPC host; other hosts
 * (already `-vpc`, or not ACR) are left as they are.
 */
function vpcRegistryHost(host) {
    const personal = /^registry\.([a-z0-9-]+)\.aliyuncs\.com$/.exec(host);
    if (personal)
        return `registry-vpc.${personal[1]}.aliyuncs.com`;
    const enterprise = /^([a-z0-9-]+)-registry\.([a-z0-9-]+)\.cr\.aliyuncs\.com$/.exec(host);
    if (enterprise && !enterprise[1].endsWith('-vpc'))
        return `${enterprise[1]}-registry-vpc.${enterprise[2]}.cr.aliyuncs.com`;
    const personalInstance = /^(crpi-[a-z0-9]+)\.([a-z0-9-]+)\.personal\.cr\.aliyuncs\.com$/.exec(host);
    if (personalInstance)
        return `${personalInstance[1]}-vpc.${personalInstance[2]}.personal.cr.aliyuncs.com`;
    return host;
}
function isInVpc(fn) {
    return typeof fn.vpcConfig?.vpcId === 'string' && fn.vpcConfig.vpcId !== '';
}
/** Points a custom-container function at the pushed image and verifies what FC resolved. */
async function updateFcFunctionImage(target, update) {
    const { name } = update;
    const current = await getFcFunction(target, name);
    if (current.runtime !== CUSTOM_CONTAINER_RUNTIME || current.customContainerConfig === undefined || current.customContainerConfig === null) {
        throw new Error(`fc-function: ${name} is not a container function (runtime ${current.runtime ?? 'unknown'}): imageship can only roll images out to functions created with runtime custom-container`);
    }
    const previous = current.customContainerConfig.image ?? '';
    const host = isInVpc(current) ? vpcRegistryHost(update.repository.registry) : update.repository.registry;
    const image = `${host}/${update.repository.path}${update.tag === '' ? `@${update.digest}` : `:${update.tag}`}`;
    if (host !== update.repository.registry)
        update.log(`${name} is in VPC ${current.vpcConfig?.vpcId}: it pulls from ${host}`);
    const container = { ...current.customContainerConfig, image };
    for (const field of READ_ONLY_CONTAINER_FIELDS)
        delete container[field];
    if (update.acrInstanceId !== '')
        container.acrInstanceId = update.acrInstanceId;
    else
        delete container.acrInstanceId;
    await callAcs3(target.client, {
        endpoint: target.endpoint,
        action: 'UpdateFunction',
        version: FC3_VERSION,
        method: 'PUT',
        path: functionPath(name),
        jsonBody: { customContainerConfig: container },
        operation: `update Function Compute function ${name} to ${image}`,
        // The same image written twice leaves the same function: a lost answer may be retried.
        idempotent: true,
        remedies: FC_REMEDIES,
    });
    const settled = await pollUntilSettled(async () => {
        const fn = await getFcFunction(target, name);
        return updateVerdict(name, fn);
    }, {
        timeoutMs: update.timeoutMs,
        intervalMs: update.pollIntervalMs ?? 2000,
        now: update.now ?? Date.now,
        sleep: update.sleep ?? sleepFor,
        log: update.log,
        subject: `function ${name}`,
        timeoutHint: 'raise rollout-timeout if it is just slow (a large image is optimised for acceleration first)',
    });
    const shown = settled.customContainerConfig?.image;
    const resolved = settled.customContainerConfig?.resolvedImageUri ?? '';
    if (shown !== image) {
        throw new Error(`update Function Compute function ${name}: the update was accepted but the function shows image ${shown ?? '(none)'}, not ${image}`);
    }
    if (!resolved.endsWith(`@${update.digest}`)) {
        throw new Error(`update Function Compute function ${name}: FC resolved ${image} to ${resolved || '(nothing)'}, not the pushed digest ${update.digest}: ` +
            'was the tag pushed again meanwhile? Deploy by digest or a unique tag');
    }
    return {
        target: 'fc',
        id: `${target.region}/${name}`,
        previous,
        current: resolved,
        verified: true,
        consoleUrl: `https://fcnext.console.aliyun.com/${target.region}/functions/${encodeURIComponent(name)}`,
    };
}
function updateVerdict(name, fn) {
    const status = fn.lastUpdateStatus ?? 'Successful';
    if (status === 'Successful')
        return { phase: 'done', value: fn };
    if (status === 'Failed') {
        const code = fn.lastUpdateStatusReasonCode ? ` ${fn.lastUpdateStatusReasonCode}` : '';
        return {
            phase: 'failed',
            message: `update Function Compute function ${name}: the update failed${code}: ${fn.lastUpdateStatusReason ?? 'no reason given'} — check that the image exists, is linux/amd64, and that the function's role may pull it (AliyunContainerRegistryReadOnlyAccess)`,
        };
    }
    return { phase: 'waiting', detail: `update ${status}${fn.lastUpdateStatusReason ? `: ${fn.lastUpdateStatusReason}` : ''}` };
}

;// CONCATENATED MODULE: ./build/src/deploy/alibaba-context.js
function pollOptions(context) {
    return {
        now: () => context.clock.now().getTime(),
        ...(context.pollIntervalMs === undefined ? {} : { pollIntervalMs: context.pollIntervalMs }),
        ...(context.sleep === undefined ? {} : { sleep: context.sleep }),
    };
}

;// CONCATENATED MODULE: ./build/src/deploy/fc.js
/** Deploy target `fc-function`: a Function Compute 3.0 custom-container function takes the pushed image. */


/**
 * `acrInstanceId` is the Enterprise Edition instance the image lives in
 * ('' for Personal Edition or another registry): FC needs it to pull from
 * an Enterprise instance.
 */
function deployToFcFunction(context, name, image, acrInstanceId) {
    return updateFcFunctionImage({ endpoint: fcEndpoint(context.region, context.endpoints), region: context.region, client: { credentials: context.credentials, fetch: context.fetch, clock: context.clock } }, {
        name,
        repository: { registry: image.registry, path: image.repository },
        tag: image.tag,
        digest: image.digest,
        acrInstanceId,
        timeoutMs: context.timeoutMs,
        log: context.log,
        ...pollOptions(context),
    });
}

;// CONCATENATED MODULE: ./build/src/cloud/alibaba/sae-errors.js
/** What to do about SAE's documented error codes for DeployApplication and DescribeChangeOrder. */
const SAE_REMEDIES = new Map([
    ['InvalidApplication.NotFound', 'no SAE application with this id in this region: check sae-app-id (the application id on its Basic Information page) and region'],
    ['Application.ChangerOrderRunning', 'another change of this application is in progress: wait for it to finish (or abort it in the SAE console) and run again'],
    ['Application.InvalidStatus', 'the application is in an abnormal state: check it in the SAE console, then run again'],
    ['Application.NotDeployYet', 'the application has not been deployed once yet: deploy it once in the SAE console'],
    ['InvalidParameter.NotEmpty', 'a required parameter was empty: check sae-app-id'],
    ['Resouce.no.permission', 'the RAM user or role may not change this application: grant it sae:DeployApplication and sae:DescribeChangeOrder (e.g. the AliyunSAEFullAccess policy)'],
    ['InvalidChangeOrder.NotFound', 'the change order is unknown to SAE: it may belong to another region; check region'],
]);

;// CONCATENATED MODULE: ./build/src/cloud/alibaba/sae.js





const SAE_VERSION = '2019-05-06';
/** The `sae=` line of `endpoints`, else the public regional endpoint. */
function saeEndpoint(region, overrides) {
    return overrides.get('sae') ?? `https://sae.${region}.aliyuncs.com`;
}
/** DescribeChangeOrder's Status values, as its API reference lists them. */
const CHANGE_ORDER_STATUS = {
    0: 'being prepared',
    1: 'executing',
    2: 'done',
    3: 'failed',
    6: 'terminated',
    8: 'waiting for the next batch to be released by hand in the SAE console',
    9: 'waiting for the next batch (released automatically)',
    10: 'failed (system error)',
    11: 'waiting for approval',
    12: 'approved, waiting to run',
};
const FAILED_STATUSES = new Set([3, 6, 10]);
async function saeCall(target, call) {
    const answer = await callAcs3(target.client, {
        endpoint: target.endpoint,
        action: call.action,
        version: SAE_VERSION,
        method: call.method,
        path: call.path,
        query: call.query,
        ...(call.form ? { form: true } : {}),
        operation: call.operation,
        remedies: SAE_REMEDIES,
    });
    const body = answer.body;
    // SAE can refuse with HTTP 200 and Success false, its code in the body.
    if (body.Success === false) {
        throw alibabaApiError({ operation: call.operation, status: answer.status, text: answer.text, requestIdHeader: answer.requestId, secrets: target.client.credentials, remedies: SAE_REMEDIES, fallbackMessage: 'the API answered Success=false' });
    }
    const data = body.Data;
    if (data === null || typeof data !== 'object') {
        throw new Error(`${call.operation}: HTTP ${answer.status} but the answer has no Data: ${scrubSecrets(oneLine(answer.text), target.client.credentials).slice(0, 200)}`);
    }
    return data;
}
async function describeSaeAppImage(target, appId) {
    const data = await saeCall(target, {
        action: 'DescribeApplicationConfig',
        method: 'GET',
        path: '/pop/v1/sam/app/describeApplicationConfig',
        query: { AppId: appId },
        operation: `read SAE application ${appId}`,
    });
    return { imageUrl: typeof data['ImageUrl'] === 'string' ? data['ImageUrl'] : '', packageType: typeof data['PackageType'] === 'string' ? data['PackageType'] : '' };
}
async function deploySaeApplication(target, deploy) {
    const { appId, image } = deploy;
    const before = await describeSaeAppImage(target, appId);
    if (before.packageType !== 'Image') {
        throw new Error(`sae-app-id: application ${appId} is deployed from a ${before.packageType || 'non-image'} package: imageship can only roll images out to applications of package type Image`);
    }
    const data = await saeCall(target, {
        action: 'DeployApplication',
        method: 'POST',
        path: '/pop/v1/sam/app/deployApplication',
        query: { AppId: appId, PackageType: 'Image', ImageUrl: image },
        form: true,
        operation: `deploy ${image} to SAE application ${appId}`,
    });
    const changeOrderId = data['ChangeOrderId'];
    if (typeof changeOrderId !== 'string' || changeOrderId === '') {
        throw new Error(`deploy ${image} to SAE application ${appId}: the answer names no ChangeOrderId`);
    }
    deploy.log(`SAE application ${appId}: change order ${changeOrderId}${data['IsNeedApproval'] === true ? ' (needs approval before it runs)' : ''}`);
    await pollUntilSettled(async () => {
        const order = await saeCall(target, {
            action: 'DescribeChangeOrder',
            method: 'GET',
            path: '/pop/v1/sam/changeorder/DescribeChangeOrder',
            query: { ChangeOrderId: changeOrderId },
            operation: `read SAE change order ${changeOrderId}`,
        });
        return changeOrderVerdict(appId, changeOrderId, order);
    }, {
        timeoutMs: deploy.timeoutMs,
        intervalMs: deploy.pollIntervalMs ?? 3000,
        now: deploy.now ?? Date.now,
        sleep: deploy.sleep ?? sleepFor,
        log: deploy.log,
        subject: `SAE application ${appId}, change order ${changeOrderId}`,
        timeoutHint: 'the change order goes on in SAE; follow it in the SAE console, and raise rollout-timeout if it is just slow',
    });
    const after = await describeSaeAppImage(target, appId);
    if (after.imageUrl !== image) {
        throw new Error(`deploy to SAE application ${appId}: the change order finished but the application shows image ${after.imageUrl || '(none)'}, not ${image}`);
    }
    return {
        target: 'sae',
        id: appId,
        previous: before.imageUrl,
        current: image,
        verified: true,
        consoleUrl: `https://sae.console.aliyun.com/#/AppList/AppDetail?appId=${appId}&regionId=${target.region}`,
    };
}
function changeOrderVerdict(appId, changeOrderId, order) {
    const status = typeof order['Status'] === 'number' ? order['Status'] : Number.NaN;
    const described = CHANGE_ORDER_STATUS[status] ?? `status ${String(order['Status'])}`;
    if (status === 2)
        return { phase: 'done', value: true };
    const failedBatch = Array.isArray(order['Pipelines'])
        ? order['Pipelines'].find((pipeline) => FAILED_STATUSES.has(pipeline['Status']))
        : undefined;
    const errorMessage = typeof order['ErrorMessage'] === 'string' && order['ErrorMessage'] !== '' && order['ErrorMessage'] !== 'success' ? order['ErrorMessage'] : '';
    const why = [failedBatch ? `batch "${String(failedBatch['PipelineName'] ?? failedBatch['PipelineId'])}" failed` : '', errorMessage].filter((part) => part !== '').join(': ');
    if (FAILED_STATUSES.has(status)) {
        return {
            phase: 'failed',
            message: `SAE application ${appId}: change order ${changeOrderId} ${described}${why === '' ? '' : `: ${why}`} — see the change order in the SAE console; SAE keeps the previous version running`,
        };
    }
    // SubStatus 1: an exception while executing; the order stays "executing" until someone rolls back by hand.
    if (order['SubStatus'] === 1) {
        return {
            phase: 'failed',
            message: `SAE application ${appId}: change order ${changeOrderId} hit an exception while executing${why === '' ? '' : `: ${why}`} — roll the application back in the SAE console`,
        };
    }
    return { phase: 'waiting', detail: described };
}

;// CONCATENATED MODULE: ./build/src/deploy/sae.js
/** Deploy target `sae-app-id`: an SAE application is redeployed with the pushed image. */


/** SAE takes an image by tag (ImageUrl); a digest-only push is deployed as `repository@digest`. */
function deployToSaeApplication(context, appId, image) {
    return deploySaeApplication({ endpoint: saeEndpoint(context.region, context.endpoints), region: context.region, client: { credentials: context.credentials, fetch: context.fetch, clock: context.clock } }, { appId, image: image.reference, timeoutMs: context.timeoutMs, log: context.log, ...pollOptions(context) });
}

;// CONCATENATED MODULE: ./build/src/deploy/kubernetes/kubeconfig.js
/**
 * Reads the one context of a kubeconfig that imageship needs: where the API
 * server is, how to trust it and how to prove who we are. Only what a CI
 * secret can carry by itself is accepted (embedded `*-data` fields and
 * tokens); file paths and credential plugins point at things that do not
 * exist on a runner, so they are refused up front with the way out.
 *
 * Error messages name fields, contexts, clusters and users, never a value:
 * a kubeconfig is a secret and its key or token must not reach a log.
 */

const FIX_EMBED = 'embed it with `kubectl config view --raw --minify --flatten`, since a CI secret must be self-contained';
const FIX_CREDENTIALS = 'use a user with a client certificate (client-certificate-data + client-key-data) or a token';
class KubeconfigError extends errors/* ImageshipError */.K {
    constructor(message) {
        super(`kubeconfig: ${message}`);
        this.name = 'KubeconfigError';
    }
}
/**
 * Picks `contextName` (or `current-context`) out of a kubeconfig in YAML or
 * JSON (CCE's clustercert API answers in JSON) and returns everything needed
 * to connect. Rejects with a one-line `kubeconfig: …` error that says how to fix it.
 */
async function parseKubeconfig(text, contextName) {
    const root = await parseDocument(text);
    const contexts = namedEntries(root, 'contexts', 'context');
    const wanted = contextName?.trim() || kubeconfig_stringField(root, 'current-context', 'current-context');
    const available = contexts.map((entry) => entry.name);
    if (!wanted) {
        throw new KubeconfigError(`no current-context and no context given: set kube-context to one of ${listOrNone(available)}`);
    }
    const context = contexts.find((entry) => entry.name === wanted);
    if (!context) {
        throw new KubeconfigError(`context "${wanted}" not found: available contexts are ${listOrNone(available)}`);
    }
    const clusterName = kubeconfig_stringField(context.body, 'cluster', `context "${wanted}" cluster`);
    const userName = kubeconfig_stringField(context.body, 'user', `context "${wanted}" user`);
    if (!clusterName)
        throw new KubeconfigError(`context "${wanted}" names no cluster: add one of ${listOrNone(names(root, 'clusters', 'cluster'))}`);
    if (!userName)
        throw new KubeconfigError(`context "${wanted}" names no user: add one of ${listOrNone(names(root, 'users', 'user'))}`);
    const clusters = namedEntries(root, 'clusters', 'cluster');
    const cluster = clusters.find((entry) => entry.name === clusterName);
    if (!cluster) {
        throw new KubeconfigError(`context "${wanted}" uses cluster "${clusterName}", which is not in clusters (${listOrNone(clusters.map((c) => c.name))}): include it in the kubeconfig`);
    }
    const users = namedEntries(root, 'users', 'user');
    const user = users.find((entry) => entry.name === userName);
    if (!user) {
        throw new KubeconfigError(`context "${wanted}" uses user "${userName}", which is not in users (${listOrNone(users.map((u) => u.name))}): include it in the kubeconfig`);
    }
    const namespace = kubeconfig_stringField(context.body, 'namespace', `context "${wanted}" namespace`);
    return {
        ...readCluster(cluster.name, cluster.body),
        ...readUser(user.name, user.body),
        ...(namespace ? { namespace } : {}),
        context: wanted,
    };
}
function readCluster(name, cluster) {
    const where = `cluster "${name}"`;
    if (cluster['certificate-authority'] !== undefined) {
        throw new KubeconfigError(`${where} sets certificate-authority (a file path): ${FIX_EMBED} (certificate-authority-data)`);
    }
    if (cluster['proxy-url'] !== undefined) {
        throw new KubeconfigError(`${where} sets proxy-url, which imageship does not support: use an API server address the runner reaches directly`);
    }
    const server = readServer(where, kubeconfig_stringField(cluster, 'server', `${where} server`));
    const insecure = booleanField(cluster, 'insecure-skip-tls-verify', where);
    const caData = kubeconfig_stringField(cluster, 'certificate-authority-data', `${where} certificate-authority-data`);
    const tlsServerName = kubeconfig_stringField(cluster, 'tls-server-name', `${where} tls-server-name`);
    return {
        server,
        ...(caData ? { ca: decodePem(caData, `${where} certificate-authority-data`) } : {}),
        insecureSkipTlsVerify: insecure,
        ...(tlsServerName ? { tlsServerName } : {}),
    };
}
/** An https URL without credentials or query; a trailing slash is dropped so paths can be appended. */
function readServer(where, server) {
    if (!server)
        throw new KubeconfigError(`${where} has no server: add the API server address (https://host:port)`);
    let url;
    try {
        url = new URL(server);
    }
    catch {
        throw new KubeconfigError(`${where} server is not a URL: write it as https://host:port`);
    }
    if (url.protocol !== 'https:') {
        throw new KubeconfigError(`${where} server ${url.protocol}//${url.host} is not https: imageship only talks to an API server over TLS; use its https address`);
    }
    if (url.username || url.password || url.search || url.hash) {
        throw new KubeconfigError(`${where} server carries credentials, a query or a fragment: keep only https://host:port[/path]`);
    }
    return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}
function readUser(name, user) {
    const where = `user "${name}"`;
    if (user.exec !== undefined) {
        throw new KubeconfigError(`${where} uses an exec credential plugin, which imageship does not run: ${FIX_CREDENTIALS}`);
    }
    if (user['auth-provider'] !== undefined) {
        throw new KubeconfigError(`${where} uses an auth-provider plugin, which imageship does not run: ${FIX_CREDENTIALS}`);
    }
    for (const field of ['client-certificate', 'client-key', 'tokenFile']) {
        if (user[field] !== undefined) {
            const embedded = field === 'tokenFile' ? 'token' : `${field}-data`;
            throw new KubeconfigError(`${where} sets ${field} (a file path): ${FIX_EMBED} (${embedded})`);
        }
    }
    if (user.username !== undefined || user.password !== undefined) {
        throw new KubeconfigError(`${where} uses a username and password, which Kubernetes no longer accepts: ${FIX_CREDENTIALS}`);
    }
    const certData = kubeconfig_stringField(user, 'client-certificate-data', `${where} client-certificate-data`);
    const keyData = kubeconfig_stringField(user, 'client-key-data', `${where} client-key-data`);
    const token = kubeconfig_stringField(user, 'token', `${where} token`);
    if (Boolean(certData) !== Boolean(keyData)) {
        const missing = certData ? 'client-key-data' : 'client-certificate-data';
        throw new KubeconfigError(`${where} has ${certData ? 'client-certificate-data' : 'client-key-data'} but no ${missing}: a client certificate needs both`);
    }
    if (!certData && !token) {
        throw new KubeconfigError(`${where} has no credentials: ${FIX_CREDENTIALS}`);
    }
    if (token !== undefined && /[\s]/.test(token)) {
        throw new KubeconfigError(`${where} token contains whitespace: paste the token alone, without "Bearer " or line breaks`);
    }
    return {
        ...(certData && keyData
            ? {
                clientCert: decodePem(certData, `${where} client-certificate-data`),
                clientKey: decodePem(keyData, `${where} client-key-data`),
            }
            : {}),
        ...(token ? { token } : {}),
    };
}
async function parseDocument(text) {
    const trimmed = text.trim();
    if (trimmed === '')
        throw new KubeconfigError('empty: paste the whole kubeconfig file as the secret');
    let value;
    // CCE answers in JSON: skip loading the YAML parser when JSON is what we got.
    let parsedAsJson = false;
    if (trimmed.startsWith('{')) {
        try {
            value = JSON.parse(trimmed);
            parsedAsJson = true;
        }
        catch {
            // YAML's flow style looks like JSON too; let the YAML parser have a go and report the position.
        }
    }
    if (!parsedAsJson)
        value = await parseYaml(trimmed);
    if (typeof value === 'string' && looksLikeBase64Kubeconfig(value)) {
        throw new KubeconfigError('looks base64-encoded: store the kubeconfig text itself in the secret (decode it with base64 -d first)');
    }
    if (!isMapping(value)) {
        throw new KubeconfigError('not a kubeconfig (expected a mapping with clusters, users and contexts): paste the whole kubeconfig file as the secret');
    }
    return value;
}
async function parseYaml(text) {
    // Loaded only here: most runs never parse a kubeconfig and should not pay for the parser.
    const { parse } = await __webpack_require__.e(/* import() */ 815).then(__webpack_require__.t.bind(__webpack_require__, 8815, 19));
    try {
        return parse(text, { prettyErrors: false });
    }
    catch (error) {
        throw new KubeconfigError(`not valid YAML or JSON (${describeYamlError(error, text)}): paste the whole kubeconfig file as the secret, unchanged`);
    }
}
/**
 * Position and the parser's generic wording only. With `prettyErrors` off the
 * parser does not quote the offending source line (which may hold a key or a
 * token); anything after a colon is dropped too, in case a message names content.
 */
function describeYamlError(error, text) {
    const record = (typeof error === 'object' && error !== null ? error : {});
    const offset = Array.isArray(record.pos) && typeof record.pos[0] === 'number' ? record.pos[0] : undefined;
    let position = '';
    if (offset !== undefined) {
        const before = text.slice(0, offset).split('\n');
        position = `line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1}`;
    }
    const message = typeof record.message === 'string' ? record.message : '';
    const generic = (message.split('\n')[0] ?? '').split(':')[0]?.trim() ?? '';
    return [position, generic].filter(Boolean).join(': ') || 'unreadable';
}
function looksLikeBase64Kubeconfig(value) {
    const compact = value.replace(/\s+/g, '');
    if (compact.length < 16 || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact))
        return false;
    const decoded = Buffer.from(compact, 'base64').toString('utf8');
    return /clusters|contexts|apiVersion/.test(decoded);
}
/** `clusters: [{ name, cluster: {…} }]` and friends; entries without a name are skipped (kubectl ignores them too). */
function namedEntries(root, listKey, bodyKey) {
    const list = root[listKey];
    if (list === undefined || list === null)
        return [];
    if (!Array.isArray(list))
        throw new KubeconfigError(`${listKey} is not a list: paste the kubeconfig unchanged`);
    const entries = [];
    for (const item of list) {
        if (!isMapping(item) || typeof item.name !== 'string' || item.name === '')
            continue;
        const body = item[bodyKey];
        if (body !== undefined && body !== null && !isMapping(body)) {
            throw new KubeconfigError(`${listKey} entry "${item.name}" has a ${bodyKey} that is not a mapping: paste the kubeconfig unchanged`);
        }
        entries.push({ name: item.name, body: isMapping(body) ? body : {} });
    }
    return entries;
}
function names(root, listKey, bodyKey) {
    try {
        return namedEntries(root, listKey, bodyKey).map((entry) => entry.name);
    }
    catch {
        return [];
    }
}
/** A string field, undefined when absent or empty. Its value is never echoed back. */
function kubeconfig_stringField(body, key, label) {
    const value = body[key];
    if (value === undefined || value === null || value === '')
        return undefined;
    if (typeof value !== 'string')
        throw new KubeconfigError(`${label} is not a string: quote it`);
    return value;
}
function booleanField(body, key, where) {
    const value = body[key];
    if (value === undefined || value === null)
        return false;
    if (typeof value === 'boolean')
        return value;
    if (value === 'true' || value === 'false')
        return value === 'true';
    throw new KubeconfigError(`${where} ${key} is not a boolean: use true or false`);
}
/** base64 of PEM, as kubectl embeds it. Checked here so a mangled secret fails with its field's name, not a TLS stack trace. */
function decodePem(data, label) {
    const compact = data.replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact) || compact.length % 4 === 1) {
        throw new KubeconfigError(`${label} is not base64: copy the field unchanged from the kubeconfig (\`kubectl config view --raw\`)`);
    }
    const decoded = Buffer.from(compact, 'base64');
    if (!decoded.toString('latin1').includes('-----BEGIN ')) {
        throw new KubeconfigError(`${label} does not decode to a PEM block: it must be base64 of the PEM text (was it encoded twice, or is it DER?)`);
    }
    return decoded;
}
function isMapping(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
function listOrNone(items) {
    return items.length === 0 ? '(none)' : items.map((item) => `"${item}"`).join(', ');
}

;// CONCATENATED MODULE: ./build/src/deploy/kubernetes/resources.js
const PLURALS = Object.freeze({
    deployment: 'deployments',
    statefulset: 'statefulsets',
});
function workloadPath(id) {
    return `/apis/apps/v1/namespaces/${encodeURIComponent(id.namespace)}/${PLURALS[id.kind]}/${encodeURIComponent(id.name)}`;
}
/** `deployment prod/web` */
function describeWorkload(id) {
    return `${id.kind} ${id.namespace}/${id.name}`;
}
/** The pod template's containers that have a name (nameless ones cannot be patched by name anyway). */
function templateContainers(object, which = 'containers') {
    const list = object.spec?.template?.spec?.[which];
    if (!Array.isArray(list))
        return [];
    return list
        .filter((c) => typeof c?.name === 'string' && c.name !== '')
        .map((c) => ({ name: c.name, image: typeof c.image === 'string' ? c.image : '' }));
}

// EXTERNAL MODULE: ./build/src/http/node-http.js
var node_http = __webpack_require__(5409);
// EXTERNAL MODULE: external "node:tls"
var external_node_tls_ = __webpack_require__(1692);
// EXTERNAL MODULE: ./build/src/http/transport.js + 4 modules
var transport = __webpack_require__(8580);
// EXTERNAL MODULE: ./build/src/http/network-errors.js
var network_errors = __webpack_require__(434);
;// CONCATENATED MODULE: ./build/src/deploy/kubernetes/transport.js
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







/** Every Kubernetes failure: one line, `kubernetes: <operation>: <what> — <fix>`. */
class KubernetesError extends errors/* ImageshipError */.K {
    name = 'KubernetesError';
    operation;
    /** The HTTP status when the API server answered. */
    status;
    /** Tries made, 0 when nothing was sent. */
    attempts;
    constructor(message, details) {
        super(message, details.cause === undefined ? undefined : { cause: details.cause });
        this.operation = details.operation;
        this.attempts = details.attempts;
        if (details.status !== undefined)
            this.status = details.status;
    }
}
/**
 * Sends requests to one API server over a keep-alive agent that carries the
 * target's CA, client certificate and key. `close()` when done.
 */
class KubeTransport {
    target;
    transport;
    base;
    retry;
    sleep;
    constructor(target, options = {}) {
        this.target = target;
        this.base = new URL(target.server);
        this.retry = options.retry;
        this.sleep = options.sleep;
        const tls = {
            ...(target.ca && !target.insecureSkipTlsVerify ? { ca: target.ca } : {}),
            ...(target.clientCert ? { cert: target.clientCert } : {}),
            ...(target.clientKey ? { key: target.clientKey } : {}),
        };
        checkTlsMaterial(tls);
        this.transport = (0,transport/* createTransport */.o)({
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
    async request(req) {
        const prefix = this.base.pathname === '/' ? '' : this.base.pathname;
        const headers = { Accept: 'application/json', 'User-Agent': 'imageship' };
        if (this.target.token)
            headers.Authorization = `Bearer ${this.target.token}`;
        if (req.body !== undefined)
            headers['Content-Type'] = req.contentType ?? 'application/json';
        let attempts = 0;
        try {
            const sent = await (0,retry/* sendAndReadWithRetry */.q$)(this.transport.fetch, {
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
            async (response) => new TextDecoder().decode(await (0,read_body/* readBodyBytes */.I)(response, req.operation, { what: 'the answer', from: this.base.host, cap: body_cap/* BODY_CAPS */.V9.kubernetes })), this.retry, ...(this.sleep ? [this.sleep] : []));
            return { status: sent.response.status, body: sent.value ?? '', attempts: sent.attempts };
        }
        catch (error) {
            throw this.failure(req, error, attempts);
        }
    }
    close() {
        this.transport.close();
    }
    failure(req, error, attempts) {
        const details = { operation: req.operation, attempts: error instanceof retry/* HttpError */.j$ ? error.attempts : attempts, cause: error };
        // Not transient: the same server sends the same body again.
        if (error instanceof body_cap/* BodyTooLargeError */.Au)
            return new KubernetesError(`kubernetes: ${req.operation}: ${error.message}`, details);
        const network = (0,network_errors/* findNetworkError */.wo)(error);
        const tls = network ? describeTlsFailure(network, this.target) : undefined;
        if (tls)
            return new KubernetesError(`kubernetes: ${req.operation}: ${tls}`, details);
        const message = error instanceof retry/* HttpError */.j$ ? error.message : `${req.operation}: ${error instanceof Error ? error.message : String(error)}`;
        // A network failure's line names the host and the fix already; a timeout of the policy's own does not.
        const hint = network ? '' : ` — check that ${this.base.host} is the API server's address and is reachable from this runner`;
        return new KubernetesError(`kubernetes: ${message}${hint}`, details);
    }
}
/** Builds the TLS context once up front, so a key that does not match its certificate is reported by field, not mid-request. */
function checkTlsMaterial(tls) {
    try {
        (0,external_node_tls_.createSecureContext)(tls);
    }
    catch (error) {
        const code = error.code;
        const what = code === 'ERR_OSSL_X509_KEY_VALUES_MISMATCH'
            ? 'client-key-data does not belong to client-certificate-data'
            : 'its certificate-authority-data, client-certificate-data or client-key-data is not a usable PEM certificate or key';
        throw new KubernetesError(`kubernetes: load the kubeconfig's TLS credentials: ${what} — download the kubeconfig again and store it unchanged`, {
            operation: 'load TLS credentials',
            attempts: 0,
        });
    }
}
/** A one-line explanation and fix for a TLS failure, by the kubeconfig field to change; undefined when `network` is not one. */
function describeTlsFailure(network, target) {
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

;// CONCATENATED MODULE: ./build/src/deploy/kubernetes/status-error.js
/**
 * Turns a failed API answer into one line a CI user can act on. The API
 * server explains itself in a `Status` object (`{kind: 'Status', reason,
 * message, code}`); its message is kept, and a fix is added for the answers
 * that have an obvious one (missing RBAC, wrong name, stale credentials).
 */


/** The error for a non-2xx answer, message parsed from the body when it is a `Status`. */
function statusError(call, response) {
    const status = readStatus(response.body);
    const phrase = node_http/* http */.L.STATUS_CODES[response.status] ?? 'HTTP error';
    const tries = response.attempts > 1 ? ` after ${response.attempts} attempts` : '';
    const detail = status.message ?? status.reason ?? bodySnippet(response.body);
    const fix = fixFor(call, response.status);
    const message = `kubernetes: ${call.operation}: ${response.status} ${phrase}${tries}` +
        `${detail ? `: ${detail}` : ''}` +
        `${fix ? ` — ${fix}` : ''}`;
    return new KubernetesError(message, { operation: call.operation, attempts: response.attempts, status: response.status });
}
function fixFor(call, status) {
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
function readStatus(body) {
    try {
        const parsed = JSON.parse(body);
        if (typeof parsed !== 'object' || parsed === null)
            return {};
        const record = parsed;
        if (record.kind !== 'Status')
            return {};
        return {
            ...(typeof record.reason === 'string' && record.reason ? { reason: record.reason } : {}),
            ...(typeof record.message === 'string' && record.message ? { message: status_error_oneLine(record.message) } : {}),
        };
    }
    catch {
        return {};
    }
}
/** A proxy or load balancer in front of the API server answers in HTML or plain text: show its start. */
function bodySnippet(body) {
    const text = status_error_oneLine(body.replace(/<[^>]*>/g, ' '));
    if (!text)
        return undefined;
    return text.length > 160 ? `${text.slice(0, 160)}…` : text;
}
function status_error_oneLine(text) {
    return text.replace(/\s+/g, ' ').trim();
}

;// CONCATENATED MODULE: ./build/src/deploy/kubernetes/client.js



class KubeClient {
    transport;
    constructor(target, options = {}) {
        this.transport = new KubeTransport(target, options);
    }
    async getWorkload(id) {
        const call = callFor('get', id);
        const response = await this.transport.request({ method: 'GET', path: workloadPath(id), operation: call.operation, idempotent: true });
        return readObject(call, response);
    }
    /**
     * A strategic merge patch: containers are merged by `name`, so only the
     * named containers' `image` changes and every other field stays as it is.
     * Sending it twice leaves the same state as sending it once, which is why
     * it may be retried after a reset or a 5xx like a GET.
     */
    async setContainerImages(id, images) {
        const call = callFor('patch', id);
        const body = JSON.stringify({
            spec: { template: { spec: { containers: images.map(({ name, image }) => ({ name, image })) } } },
        });
        const response = await this.transport.request({
            method: 'PATCH',
            path: workloadPath(id),
            operation: call.operation,
            contentType: 'application/strategic-merge-patch+json',
            body,
            idempotent: true,
        });
        return readObject(call, response);
    }
    close() {
        this.transport.close();
    }
}
function callFor(verb, id) {
    return {
        operation: `${verb} ${describeWorkload(id)}`,
        verb,
        resource: PLURALS[id.kind],
        namespace: id.namespace,
    };
}
function readObject(call, response) {
    if (response.status < 200 || response.status >= 300)
        throw statusError(call, response);
    let parsed;
    try {
        parsed = JSON.parse(response.body);
    }
    catch {
        parsed = undefined;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        throw new KubernetesError(`kubernetes: ${call.operation}: the server answered ${response.status} with something that is not a Kubernetes object — check that the kubeconfig's server is the API server itself, not a dashboard or proxy page`, { operation: call.operation, attempts: response.attempts, status: response.status });
    }
    return parsed;
}

;// CONCATENATED MODULE: ./build/src/deploy/kubernetes/containers.js


/** `host/ns/app:tag@sha256:…` → `host/ns/app`: the tag is after the last `/`, so a registry port is not mistaken for one. */
function imageRepository(image) {
    const at = image.indexOf('@');
    const withoutDigest = at < 0 ? image : image.slice(0, at);
    const slash = withoutDigest.lastIndexOf('/');
    const colon = withoutDigest.lastIndexOf(':');
    return colon > slash ? withoutDigest.slice(0, colon) : withoutDigest;
}
/** The containers to update, or a KubernetesError that lists what the workload does run. */
function chooseContainers(workload, object, image, 
/** How errors name the target and the input to fix: CCI 2.0 workloads come from `cci-workloads`. */
naming = { label: 'kubernetes', input: 'workloads' }) {
    const subject = describeWorkload(workload);
    const containers = templateContainers(object);
    const operation = `choose containers of ${subject}`;
    const fail = (message) => new KubernetesError(`${naming.label}: ${message}`, { operation, attempts: 0 });
    if (containers.length === 0)
        throw fail(`${subject} has no containers in its pod template — is this the right workload?`);
    if (workload.container !== undefined) {
        const named = containers.find((c) => c.name === workload.container);
        if (named)
            return [named];
        const isInit = templateContainers(object, 'initContainers').some((c) => c.name === workload.container);
        throw fail(isInit
            ? `${subject}: "${workload.container}" is an init container; imageship updates only containers (${containers_names(containers)}) — name one of those after ":"`
            : `${subject} has no container "${workload.container}" — its containers are ${containers_names(containers)}: fix the name after ":" in ${naming.input}`);
    }
    const wanted = `${image.registry}/${image.repository}`;
    const matching = containers.filter((c) => imageRepository(c.image) === wanted);
    if (matching.length > 0)
        return matching;
    const running = containers.map((c) => `${c.name}=${c.image || '(no image)'}`).join(', ');
    const example = `${workload.namespace}/${workload.kind}/${workload.name}:${containers[0]?.name ?? 'container'}`;
    throw fail(`${subject} has no container running ${wanted} (containers: ${running}; init containers are not considered) — name the container to update in ${naming.input}, e.g. ${example}`);
}
function containers_names(containers) {
    return containers.map((c) => `"${c.name}"`).join(', ');
}

;// CONCATENATED MODULE: ./build/src/deploy/kubernetes/rollout-status.js
function rolloutState(kind, object) {
    const generation = object.metadata?.generation ?? 0;
    const observed = object.status?.observedGeneration ?? 0;
    // Until the controller has seen the new template, every other status field describes the old one.
    if (observed < generation)
        return { phase: 'waiting', detail: 'waiting for the controller to pick up the new pod template' };
    return kind === 'deployment' ? deploymentState(object) : statefulSetState(object);
}
function deploymentState(object) {
    const progressing = findCondition(object, 'Progressing');
    if (progressing?.reason === 'ProgressDeadlineExceeded') {
        return { phase: 'failed', detail: `progress deadline exceeded${progressing.message ? `: ${rollout_status_oneLine(progressing.message)}` : ''}` };
    }
    const want = object.spec?.replicas ?? 1;
    const status = object.status ?? {};
    const updated = status.updatedReplicas ?? 0;
    const total = status.replicas ?? 0;
    const available = status.availableReplicas ?? 0;
    if (updated < want)
        return { phase: 'waiting', detail: `${updated} of ${want} replicas updated` };
    if (total > updated)
        return { phase: 'waiting', detail: `${total - updated} old ${plural(total - updated, 'replica')} pending termination` };
    if (available < updated)
        return { phase: 'waiting', detail: `${available} of ${updated} updated replicas available` };
    return { phase: 'done', detail: `${updated} of ${want} replicas updated and available`, podsUpdated: true };
}
function statefulSetState(object) {
    const strategy = object.spec?.updateStrategy?.type ?? 'RollingUpdate';
    if (strategy === 'OnDelete') {
        return { phase: 'done', detail: 'pod template updated, but updateStrategy is OnDelete: pods get the new image only when they are deleted (not waited for)', podsUpdated: false };
    }
    const want = object.spec?.replicas ?? 1;
    const status = object.status ?? {};
    const updated = status.updatedReplicas ?? 0;
    const ready = status.readyReplicas ?? 0;
    const partition = object.spec?.updateStrategy?.rollingUpdate?.partition ?? 0;
    // A partition holds back the pods with lower ordinals on purpose; only the ones above it are expected to move.
    const expected = Math.max(0, want - partition);
    if (updated < expected)
        return { phase: 'waiting', detail: `${updated} of ${expected} replicas updated` };
    if (ready < want)
        return { phase: 'waiting', detail: `${ready} of ${want} replicas ready` };
    if (partition === 0 && status.currentRevision !== status.updateRevision) {
        return { phase: 'waiting', detail: `waiting for revision ${status.updateRevision ?? '?'} to become current` };
    }
    const held = partition > 0 ? `, ${Math.min(partition, want)} held back by partition` : '';
    return { phase: 'done', detail: `${updated} of ${want} replicas updated and ready${held}`, podsUpdated: true };
}
/** Replica counts and conditions, for the message of a rollout that did not finish. */
function describeWorkloadStatus(kind, object) {
    const status = object.status ?? {};
    const counts = [
        `${object.spec?.replicas ?? 1} desired`,
        `${status.updatedReplicas ?? 0} updated`,
        `${status.readyReplicas ?? 0} ready`,
        ...(kind === 'deployment' ? [`${status.availableReplicas ?? 0} available`] : []),
        `${status.replicas ?? 0} total`,
    ].join(', ');
    const generation = `observed generation ${status.observedGeneration ?? 0} of ${object.metadata?.generation ?? 0}`;
    const revisions = kind === 'statefulset' ? `; revision current ${status.currentRevision ?? '?'}, update ${status.updateRevision ?? '?'}` : '';
    const paused = object.spec?.paused ? '; spec.paused is true (kubectl rollout resume)' : '';
    const conditions = (object.status?.conditions ?? []).map(describeCondition).join('; ');
    return `replicas: ${counts}; ${generation}${revisions}${paused}; conditions: ${conditions || '(none)'}`;
}
function describeCondition(condition) {
    const why = [condition.reason, condition.message ? rollout_status_oneLine(condition.message) : undefined].filter(Boolean).join(': ');
    return `${condition.type ?? '?'}=${condition.status ?? '?'}${why ? ` (${why})` : ''}`;
}
function findCondition(object, type) {
    const conditions = object.status?.conditions;
    return Array.isArray(conditions) ? conditions.find((c) => c?.type === type) : undefined;
}
function plural(count, word) {
    return count === 1 ? word : `${word}s`;
}
function rollout_status_oneLine(text) {
    return text.replace(/\s+/g, ' ').trim();
}

;// CONCATENATED MODULE: ./build/src/deploy/kubernetes/rollout.js
/**
 * Rolls one pushed image out to one Deployment or StatefulSet: pick the
 * containers, pin them to the image's digest, wait until the controller has
 * replaced the pods (as `kubectl rollout status` would), and read the
 * workload back so the result says what is really running.
 *
 * The image is pinned by digest (`repo:tag@sha256:…`): setting a tag the
 * template already has would change nothing and roll nothing, while a new
 * digest always changes the template and starts a rollout.
 */






const DEFAULT_POLL_INTERVAL_MS = 2_000;
const rollout_sleepFor = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
async function rolloutImage(target, workload, image, options) {
    const sleep = options.sleep ?? rollout_sleepFor;
    const client = new KubeClient(target, { ...(options.retry ? { retry: options.retry } : {}), sleep });
    try {
        return await rolloutWith(client, workload, image, { ...options, sleep });
    }
    finally {
        client.close();
    }
}
/** The rollout over any WorkloadApi: pick the containers, pin them, wait, read back. */
async function rolloutWith(api, workload, image, options) {
    const sleep = options.sleep ?? rollout_sleepFor;
    const log = options.log ?? (() => undefined);
    const label = options.target ?? 'kubernetes';
    const subject = describeWorkload(workload);
    const before = await api.getWorkload(workload);
    const chosen = chooseContainers(workload, before, image, { label, input: label === 'cci' ? 'cci-workloads' : 'workloads' });
    const unchanged = chosen.every((c) => c.image === image.pinned);
    log(unchanged
        ? `${subject}: ${rollout_names(chosen)} already ${chosen.length === 1 ? 'runs' : 'run'} ${image.pinned}; checking the rollout`
        : `${subject}: setting ${chosen.map((c) => `${c.name} (${c.image || 'no image'})`).join(', ')} to ${image.pinned}`);
    const patched = await api.setContainerImages(workload, chosen.map((c) => ({ name: c.name, image: image.pinned })));
    expectPinned(label, subject, patched, chosen, image, 'the patch was accepted but');
    const finished = await waitForRollout(api, workload, image, chosen, patched, {
        timeoutMs: options.timeoutMs,
        pollIntervalMs: options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS,
        sleep,
        now: options.now ?? Date.now,
        log,
        label,
    });
    expectPinned(label, subject, finished.object, chosen, image, 'after the rollout');
    return {
        target: label,
        id: `${workload.namespace}/${workload.kind}/${workload.name}:${rollout_names(chosen)}`,
        previous: chosen.map((c) => c.image).join(','),
        current: image.pinned,
        verified: finished.podsUpdated,
    };
}
/** Polls until done, failed or out of time; the template is re-checked each time so a concurrent deploy is noticed. */
async function waitForRollout(client, workload, image, chosen, first, settings) {
    const subject = describeWorkload(workload);
    const started = settings.now();
    let object = first;
    let lastDetail = '';
    for (;;) {
        const state = rolloutState(workload.kind, object);
        if (state.phase === 'done') {
            settings.log(`${subject}: ${state.detail}`);
            return { object, podsUpdated: state.podsUpdated };
        }
        if (state.phase === 'failed') {
            const undo = `kubectl -n ${workload.namespace} rollout undo ${workload.kind}/${workload.name}`;
            throw rolloutError(settings.label, workload, `failed to roll out ${image.pinned}: ${state.detail}`, object, `roll back with ${undo} if needed`);
        }
        if (state.detail !== lastDetail)
            settings.log(`${subject}: ${state.detail}`);
        lastDetail = state.detail;
        const elapsed = settings.now() - started;
        if (elapsed >= settings.timeoutMs) {
            throw rolloutError(settings.label, workload, `did not finish rolling out ${image.pinned} within ${(0,retry/* formatSeconds */.Xo)(settings.timeoutMs)} (${state.detail})`, object, 'raise rollout-timeout if it is just slow');
        }
        await settings.sleep(Math.min(settings.pollIntervalMs, settings.timeoutMs - elapsed));
        object = await client.getWorkload(workload);
        expectPinned(settings.label, subject, object, chosen, image, 'during the rollout');
    }
}
/** The pod template must hold the pinned image in every chosen container; anything else means someone else changed it. */
function expectPinned(label, subject, object, chosen, image, when) {
    const now = new Map(templateContainers(object).map((c) => [c.name, c.image]));
    const wrong = chosen.filter((c) => now.get(c.name) !== image.pinned);
    if (wrong.length === 0)
        return;
    const found = wrong.map((c) => `${c.name}=${now.get(c.name) ?? '(missing)'}`).join(', ');
    throw new KubernetesError(`${label}: ${subject}: ${when} the pod template shows ${found} instead of ${image.pinned} — another deploy or an admission webhook changed it; check the workload and run again`, { operation: `read back ${subject}`, attempts: 1 });
}
function rolloutError(label, workload, what, object, hint) {
    const subject = describeWorkload(workload);
    const resource = `${workload.kind}/${workload.name}`;
    return new KubernetesError(`${label}: ${subject} ${what}; ${describeWorkloadStatus(workload.kind, object)} — ` +
        `see why with kubectl -n ${workload.namespace} describe ${resource} and its pods' events (image pull errors, crash loops, failing probes); ${hint}`, { operation: `roll out ${subject}`, attempts: 1 });
}
function rollout_names(chosen) {
    return chosen.map((c) => c.name).join(',');
}

// EXTERNAL MODULE: ./build/src/domain/targets/trigger-urls.js
var trigger_urls = __webpack_require__(54);
// EXTERNAL MODULE: ./build/src/domain/targets/url-secrets.js
var url_secrets = __webpack_require__(6378);
;// CONCATENATED MODULE: ./build/src/deploy/acr-webhook-payload.js
const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000;
/** `YYYY-MM-DD HH:mm:ss` in China Standard Time (UTC+8), as ACR writes its webhook times. */
function formatAcrTime(at) {
    const time = at.getTime();
    if (!Number.isFinite(time))
        throw new RangeError('deploy-trigger: the push time is not a valid date');
    const local = new Date(time + CHINA_OFFSET_MS);
    const pad = (n) => String(n).padStart(2, '0');
    return (`${String(local.getUTCFullYear()).padStart(4, '0')}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())} ` +
        `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}`);
}
/**
 * The ACR push webhook body for `image`. `namespace` is the first part of the
 * repository path and `name` the last (ACR repositories are `namespace/name`).
 */
function acrWebhookPayload(image, info) {
    const parts = image.repository.split('/').filter((part) => part !== '');
    const namespace = parts[0];
    const name = parts[parts.length - 1];
    if (namespace === undefined || name === undefined) {
        throw new Error(`deploy-trigger: image ${image.reference} has no repository path to report as namespace/name`);
    }
    return {
        push_data: {
            digest: image.digest,
            pushed_at: formatAcrTime(info.pushedAt),
            tag: image.tag,
        },
        repository: {
            date_created: formatAcrTime(info.createdAt ?? info.pushedAt),
            name,
            namespace,
            region: info.region,
            repo_authentication_type: 'NO_CERTIFIED',
            repo_full_name: `${namespace}/${name}`,
            repo_origin_type: 'NO_CERTIFIED',
            repo_type: info.repoType ?? 'PRIVATE',
        },
    };
}

;// CONCATENATED MODULE: ./build/src/deploy/trigger.js








/** A trigger call that failed; the message is one line with the URL redacted. */
class DeployTriggerError extends errors/* ImageshipError */.K {
    name = 'DeployTriggerError';
    /** The last HTTP status, when the receiver answered. */
    status;
    /** Requests made (including ones that never connected). */
    attempts;
    /** False only when the receiver cannot have acted on the call (nothing sent, 401/403/404/429…). */
    mayHaveRedeployed;
    constructor(message, details) {
        super(message);
        this.attempts = details.attempts;
        this.mayHaveRedeployed = details.mayHaveRedeployed;
        if (details.status !== undefined)
            this.status = details.status;
    }
}
/** Longest receiver message quoted in an error. */
const MESSAGE_LIMIT = 200;
const defaultSleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
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
async function callDeployTrigger(fetch, url, payload, options = {}) {
    const target = url.trim();
    const shown = (0,url_secrets/* redactUrl */.BO)(target);
    const where = `deploy-trigger: ${shown}`;
    const secrets = (0,url_secrets/* urlSecrets */.Fn)(target);
    const sleep = options.sleep ?? defaultSleep;
    let calls = 0;
    const fail = (message, details) => new DeployTriggerError((0,url_secrets/* scrubSecrets */.Zg)(message, secrets), { attempts: calls, ...details });
    const problem = (0,trigger_urls/* urlProblem */.r)(target);
    if (problem !== undefined)
        throw fail(`${where}: not an http(s) URL — ${problem}`, { mayHaveRedeployed: false });
    const body = JSON.stringify(payload);
    let response;
    try {
        response = await (0,retry/* fetchWithRetry */.J5)((input, init) => fetch(input, { ...init, redirect: 'manual' }), {
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
        }, options.retry, sleep);
    }
    catch (error) {
        const base = error instanceof retry/* HttpError */.j$ ? error.message : `${where}: request failed after ${calls} ${calls === 1 ? 'attempt' : 'attempts'}`;
        if (nothingWasSent(error, target)) {
            throw fail(`${base} — nothing reached the receiver, so nothing was redeployed; check the host and port of the trigger URL and that the receiver is up`, { mayHaveRedeployed: false });
        }
        throw fail(`${base} — the request may have reached the receiver, so the workload may or may not have been redeployed; check it before re-running (a trigger call is not repeated automatically: it is not idempotent)`, { mayHaveRedeployed: true });
    }
    return await interpret(response);
    async function interpret(response) {
        const status = response.status;
        const ok = status >= 200 && status < 300;
        let text;
        try {
            text = new TextDecoder().decode(await (0,read_body/* readBodyBytes */.I)(response, where, { what: `the answer to ${where}`, cap: body_cap/* BODY_CAPS */.V9.errorBody }));
        }
        catch {
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
            throw fail(`${where}: ${detail} — the trigger URL redirects${location ? ` to ${(0,url_secrets/* redactUrl */.BO)(location)}` : ''}; put the final URL in deploy-trigger (redirects are not followed: the POST could arrive as a GET without its payload)`, { mayHaveRedeployed: false, status });
        }
        if (status === 401 || status === 403) {
            throw fail(`${where}: ${detail} — the token was refused: it is wrong or the trigger was deleted; recreate the trigger in the console (workload details → Triggers → Create Trigger, action Redeploy) and store its new link in the deploy-trigger secret`, { mayHaveRedeployed: false, status });
        }
        if (status === 404) {
            throw fail(`${where}: ${detail} — trigger not found: it was deleted or the link is incomplete; copy the trigger link again from the console`, {
                mayHaveRedeployed: false,
                status,
            });
        }
        if (status === 429) {
            throw fail(`${where}: ${detail} after ${calls} ${calls === 1 ? 'attempt' : 'attempts'} — the receiver kept rate-limiting the call; a 429 is refused before it is acted on, so nothing was redeployed; re-run later`, { mayHaveRedeployed: false, status });
        }
        if (status >= 500) {
            throw fail(`${where}: ${detail} — the receiver failed and may or may not have redeployed; check the workload before re-running (a trigger call is not repeated automatically: it is not idempotent)`, { mayHaveRedeployed: true, status });
        }
        throw fail(`${where}: ${detail} — the receiver refused the request; check that the URL is a redeploy trigger link and that it accepts an ACR webhook body`, {
            mayHaveRedeployed: false,
            status,
        });
    }
}
/** `reference@digest` for the result: from `image` when given, else what an ACR-shaped payload tells. */
function describeCurrent(image, payload) {
    if (image !== undefined)
        return `${image.reference}@${image.digest}`;
    const { push_data: push, repository } = payload;
    if (typeof push?.digest !== 'string' || typeof push.tag !== 'string' || typeof repository?.repo_full_name !== 'string')
        return '';
    return `${repository.repo_full_name}:${push.tag}@${push.digest}`;
}
function parseAnswer(text) {
    const trimmed = text.trim();
    if (!trimmed.startsWith('{'))
        return {};
    let value;
    try {
        value = JSON.parse(trimmed);
    }
    catch {
        return {};
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value))
        return {};
    const record = value;
    const code = record.code ?? record.Code;
    const message = record.message ?? record.Message ?? record.msg;
    const answer = {};
    if (code !== undefined && code !== null)
        answer.code = trigger_oneLine(typeof code === 'string' ? code : JSON.stringify(code));
    if (typeof message === 'string' && message.trim() !== '')
        answer.message = trigger_oneLine(message);
    return answer;
}
function trigger_oneLine(text) {
    const line = text.replace(/\s+/g, ' ').trim();
    return line.length > MESSAGE_LIMIT ? `${line.slice(0, MESSAGE_LIMIT)}…` : line;
}
/** The one classification (src/http) says whether any byte of the request left this machine; a timeout never counts as nothing sent. */
function nothingWasSent(error, url) {
    return (0,retry/* classifyFailure */.XE)(error instanceof retry/* HttpError */.j$ ? error.cause : error, undefined, url).nothingSent;
}

// EXTERNAL MODULE: ./build/src/domain/targets/cci-workloads.js
var cci_workloads = __webpack_require__(3033);
;// CONCATENATED MODULE: ./build/src/deploy/cci-api.js

const cci_api_SERVICE = 'cci';
const MERGE_PATCH = 'application/merge-patch+json';
/** One CCI 2.0 namespace's Deployments, read and patched for a rollout (see rolloutWith). */
class CciWorkloadApi {
    client;
    projectId;
    /** The last object read per deployment: the patch is built from it (containers and resourceVersion). */
    lastRead = new Map();
    constructor(client, 
    /** Sent as X-Project-Id: CCI is a project-level service. */
    projectId) {
        this.client = client;
        this.projectId = projectId;
    }
    async getWorkload(id) {
        checkKind(id);
        const operation = `read CCI deployment ${id.namespace}/${id.name}`;
        const response = await this.call(id, { method: 'GET', operation });
        const object = readDeployment(response, operation);
        this.lastRead.set(keyOf(id), object);
        return object;
    }
    async setContainerImages(id, images) {
        checkKind(id);
        const operation = `patch CCI deployment ${id.namespace}/${id.name}`;
        const read = this.lastRead.get(keyOf(id)) ?? (await this.getWorkload(id));
        const body = imagePatch(read, images);
        try {
            const response = await this.call(id, { method: 'PATCH', operation, body, contentType: MERGE_PATCH });
            const object = readDeployment(response, operation);
            this.lastRead.set(keyOf(id), object);
            return object;
        }
        catch (error) {
            // A repeat of a patch whose answer was lost meets 409 (its resourceVersion is now old): the read decides.
            if (!(error instanceof HuaweiApiError && error.status === 409))
                throw error;
            const now = (await this.getWorkload(id));
            if (images.every(({ name, image }) => containersOf(now).some((c) => c['name'] === name && c['image'] === image)))
                return now;
            throw error;
        }
    }
    async call(id, call) {
        try {
            const response = await this.client.request({
                service: cci_api_SERVICE,
                method: call.method,
                path: `/apis/cci/v2/namespaces/${encodeURIComponent(id.namespace)}/deployments/${encodeURIComponent(id.name)}`,
                projectId: this.projectId,
                operation: call.operation,
                ...(call.body === undefined ? {} : { body: call.body }),
                ...(call.contentType === undefined ? {} : { contentType: call.contentType }),
                // The same merge patch (same resourceVersion) applied twice leaves one change; a lost answer is settled above.
                idempotent: true,
            });
            return response.body;
        }
        catch (error) {
            throw error instanceof HuaweiApiError ? withCciRemedy(error, id) : error;
        }
    }
}
/**
 * The merge patch: the containers list as read, each chosen container with
 * its new image and every other field kept, guarded by the read's
 * resourceVersion.
 */
function imagePatch(read, images) {
    const wanted = new Map(images.map(({ name, image }) => [name, image]));
    const containers = containersOf(read).map((container) => {
        const image = wanted.get(String(container['name']));
        return image === undefined ? container : { ...container, image };
    });
    const resourceVersion = read['metadata']?.['resourceVersion'];
    return {
        metadata: typeof resourceVersion === 'string' && resourceVersion !== '' ? { resourceVersion } : {},
        spec: { template: { spec: { containers } } },
    };
}
function containersOf(object) {
    const spec = object['spec']?.['template']?.['spec'];
    const list = spec?.['containers'];
    return Array.isArray(list) ? list.filter((c) => c !== null && typeof c === 'object') : [];
}
function readDeployment(body, operation) {
    if (body === null || typeof body !== 'object' || Array.isArray(body) || body['kind'] !== 'Deployment') {
        throw new Error(`cci: ${operation}: the answer is not a Deployment — check that the cci endpoint is the CCI 2.0 API`);
    }
    return body;
}
function checkKind(id) {
    if (id.kind !== 'deployment')
        throw new Error(`cci-workloads: CCI 2.0 rolls out deployments, not ${id.kind}s`);
}
function keyOf(id) {
    return `${id.namespace}/${id.name}`;
}
/** What to do about the answers a CCI rollout can meet. */
function withCciRemedy(error, id) {
    const remedy = error.status === 404 && !/^APIGW?\./.test(error.code)
        ? `check the namespace and name in cci-workloads (the CCI console lists the namespace's deployments; ${id.namespace} must be a CCI 2.0 namespace of this project and region)`
        : error.status === 409
            ? 'the deployment was changed by someone else at the same time: run again'
            : error.status === 403
                ? 'grant this IAM user CCI permissions (CCI FullAccess, or a custom policy with cci:deployment:get and cci:deployment:update)'
                : error.status === 422
                    ? 'CCI refused the new pod template; the message says which field'
                    : undefined;
    if (remedy === undefined || error.message.includes(remedy))
        return error;
    return new HuaweiApiError(`cci: ${error.message} — ${remedy}`, {
        status: error.status,
        code: error.code,
        operation: error.operation,
        ...(error.requestId === undefined ? {} : { requestId: error.requestId }),
    });
}

;// CONCATENATED MODULE: ./build/src/deploy/cci-workloads.js
/**
 * The `cci-workloads` target: CCI 2.0 Deployments, one
 * `namespace/deployment/name[:container]` per line, rolled out like a CCE
 * workload (pinned by digest, rollout waited for, read back) through CCI's
 * Kubernetes-shaped API signed with the AK/SK (cloud/huawei/cci.ts).
 */



/** Rolls `image` out to one CCI 2.0 deployment and reads it back. */
function rolloutCciWorkload(client, projectId, workload, image, options) {
    return rolloutWith(new CciWorkloadApi(client, projectId), workload, image, { ...options, target: 'cci' });
}

;// CONCATENATED MODULE: ./build/src/cloud/huawei/swr-sharing.js
/**
 * SWR image sharing: grant other Huawei Cloud accounts access to a private
 * repository (the console's "Sharing Private Images", seed 003) through the
 * SWR API's shared-account calls, each signed with the AK/SK.
 *
 * Facts relied on (SWR API reference, "Shared Account Management"):
 * - CreateRepoDomains `POST /v2/manage/namespaces/{ns}/repositories/{repo}/access-domains`
 *   `{access_domain, permit, deadline, description?}` → 201; 409 "The
 *   repository has been shared" (with that account already).
 * - ShowAccessDomain `GET …/access-domains/{access_domain}` → `{exist, …}`;
 *   when it exists also permit, deadline, description, creator_name,
 *   created, updated, status (false once expired).
 * - UpdateRepoDomains `PATCH …/access-domains/{access_domain}` `{permit, deadline, description?}`.
 * - `permit`: only `read` (pull) is supported. `deadline`: `forever`, or a
 *   UTC time; the share lasts until 00:00:00 of the following day.
 * - A repository name containing `/` is sent with each `/` replaced by `$`.
 */


/** 404s that mean the organization or repository is missing, not the share (SWR error codes appendix). */
const NOT_FOUND_ELSEWHERE = new Set(['SVCSTG.SWR.4040010', 'SVCSTG.SWR.4040113', 'SVCSTG.SWR.4040058', 'SVCSTG.SWR.4041061']);
/**
 * Makes `grant` hold, idempotently: no call when the account already has the
 * same permit and deadline, an update when they differ, a create when there
 * is no share; then reads the share back and checks it.
 */
async function shareRepository(client, namespace, repository, grant) {
    checkNamespace(namespace);
    checkRepository(repository);
    const subject = `${namespace}/${repository} with ${grant.account}`;
    const wanted = { permit: grant.permit, deadline: grant.until ?? 'forever' };
    const before = await readShare(client, namespace, repository, grant.account);
    if (before !== undefined && sameShare(before, wanted))
        return { outcome: 'unchanged', before, after: before };
    let outcome = before === undefined ? 'created' : 'updated';
    if (before === undefined) {
        try {
            await swrRequest(client, {
                method: 'POST',
                path: sharesPath(namespace, repository),
                body: { access_domain: grant.account, permit: wanted.permit, deadline: wireDeadline(wanted.deadline) },
                operation: `share SWR repository ${subject}`,
                // A repeat after a lost answer meets 409 "has been shared", settled below by an update and the read-back.
                idempotent: true,
            });
        }
        catch (error) {
            if (!(error instanceof HuaweiApiError && error.status === 409 && !isGatewayCode(error.code) && error.code !== 'SVCSTG.SWR.4090023'))
                throw error;
            outcome = 'updated';
        }
    }
    if (outcome === 'updated') {
        const current = before ?? (await readShare(client, namespace, repository, grant.account));
        if (current === undefined || !sameShare(current, wanted)) {
            await swrRequest(client, {
                method: 'PATCH',
                path: `${sharesPath(namespace, repository)}/${encodeURIComponent(grant.account)}`,
                // The update replaces the description too: the one the share has is sent back.
                body: { permit: wanted.permit, deadline: wireDeadline(wanted.deadline), ...(current?.description ? { description: current.description } : {}) },
                operation: `update the SWR share of ${subject}`,
                idempotent: true,
            });
        }
    }
    const after = await readShare(client, namespace, repository, grant.account);
    if (after === undefined || !sameShare(after, wanted)) {
        throw new Error(`share SWR repository ${subject}: SWR accepted the change but shows ${after === undefined ? 'no share' : `${after.permit} until ${after.deadline}`}, not ${wanted.permit} until ${wanted.deadline}`);
    }
    return { outcome, before, after };
}
/** The account's share of the repository, or undefined when there is none. */
async function readShare(client, namespace, repository, account) {
    let body;
    try {
        body = (await swrRequest(client, {
            method: 'GET',
            path: `${sharesPath(namespace, repository)}/${encodeURIComponent(account)}`,
            operation: `read the SWR share of ${namespace}/${repository} with ${account}`,
        })).body;
    }
    catch (error) {
        // "No such share" may come as 404 too; a missing organization or repository, or the gateway's own 404 (a wrong endpoint), may not.
        if (error instanceof HuaweiApiError && error.status === 404 && !isGatewayCode(error.code) && !NOT_FOUND_ELSEWHERE.has(error.code))
            return undefined;
        throw error;
    }
    const record = (body ?? {});
    if (record['exist'] !== true)
        return undefined;
    return {
        permit: typeof record['permit'] === 'string' ? record['permit'] : '',
        deadline: readDeadline(record['deadline']),
        description: typeof record['description'] === 'string' ? record['description'] : '',
        active: record['status'] !== false,
    };
}
/** `forever`, or the day a share ends: `YYYY-MM-DD` and beyond as SWR writes it. */
function readDeadline(value) {
    if (typeof value !== 'string' || value === '')
        return '';
    if (value === 'forever')
        return value;
    const day = /^(\d{4}-\d{2}-\d{2})/.exec(value);
    return day ? day[1] : value;
}
/** The share ends after `day` (UTC): SWR keeps it until 00:00:00 of the next day. */
function wireDeadline(deadline) {
    return deadline === 'forever' ? deadline : `${deadline}T00:00:00.000Z`;
}
function sameShare(state, wanted) {
    return state.permit === wanted.permit && state.deadline === wanted.deadline && state.active;
}
function sharesPath(namespace, repository) {
    return `/v2/manage/namespaces/${namespace}/repositories/${repository.split('/').join('$')}/access-domains`;
}
/** `read until 2026-12-31`, `read (no end)`: how a share reads in logs and the deployments output. */
function describeShare(state) {
    if (state === undefined)
        return '';
    return state.deadline === 'forever' ? `${state.permit} (no end)` : `${state.permit} until ${state.deadline}`;
}

;// CONCATENATED MODULE: ./build/src/deploy/swr-share.js


/** Shares `repository` (`namespace/name`) with one account and reads the share back. */
async function shareImage(client, repository, share) {
    const slash = repository.indexOf('/');
    if (slash <= 0)
        throw new Error(`share-with: the repository "${repository}" has no SWR organization: set namespace`);
    const result = await shareRepository(client, repository.slice(0, slash), repository.slice(slash + 1), share);
    return {
        target: 'swr-share',
        id: `${repository} → ${share.account}`,
        previous: describeShare(result.before),
        current: describeShare(result.after),
        verified: true,
    };
}

// EXTERNAL MODULE: ./build/src/deploy/deploy-error.js
var deploy_error = __webpack_require__(2381);
// EXTERNAL MODULE: ./build/src/deploy/kubernetes/mask-secrets.js + 1 modules
var mask_secrets = __webpack_require__(1353);
;// CONCATENATED MODULE: ./build/src/deploy/deploy-all.js













// DeployError lives in its own module, so a run loads it without the deploy layer; the package root exports it from here.

/**
 * Rolls the verified image out to every target, in a fixed order (functions,
 * workloads, CCI deployments, triggers, SWR shares), stopping at the first
 * failure: a half-applied release is easier to reason about when it stops
 * where it broke.
 */
async function deployToTargets(deploy, image, ports, kubeTarget) {
    const { logger } = ports;
    const results = [];
    const step = async (title, run) => {
        try {
            const result = await logger.group(title, run);
            logger.info(`${result.id}: ${result.previous || (result.target === 'swr-share' ? '(not shared)' : '(unknown)')} → ${result.current}${result.verified ? ' (verified)' : ''}`);
            results.push(result);
        }
        catch (error) {
            throw new deploy_error/* DeployError */.s(error instanceof Error ? error.message : String(error), results, { cause: error });
        }
    };
    for (const urn of deploy.functionUrns) {
        const client = deploy.huaweiClient((0,function_urn/* parseFunctionUrn */.$)(urn).region);
        await step(`Update function ${urn}`, () => updateFunctionImage(client, urn, image.reference));
    }
    const { alibaba } = deploy;
    for (const name of deploy.fcFunctions) {
        await step(`Update Function Compute function ${name}`, () => deployToFcFunction(need(alibaba, name), name, image, deploy.acrInstanceId));
    }
    if (deploy.workloads.length > 0) {
        let target = kubeTarget;
        if (!target) {
            try {
                target = await kubeTargetFromCce(deploy, ports);
            }
            catch (error) {
                throw new deploy_error/* DeployError */.s(error instanceof Error ? error.message : String(error), results, { cause: error });
            }
        }
        for (const workload of deploy.workloads) {
            const cluster = target;
            await step(`Roll out ${workload.text}`, () => rolloutImage(cluster, workload, image, { timeoutMs: deploy.rolloutTimeoutMs, log: (line) => logger.info(line) }));
        }
    }
    if (deploy.cciWorkloads.length > 0) {
        const client = deploy.huaweiClient(deploy.region);
        let projectId = deploy.projectId;
        for (const workload of deploy.cciWorkloads) {
            await step(`Roll out CCI ${workload.text}`, async () => {
                // CCI is project-scoped: the project of the region, looked up once when project-id is not given.
                projectId ||= await findProjectId(client, deploy.region);
                return rolloutCciWorkload(client, projectId, workload, image, { timeoutMs: deploy.rolloutTimeoutMs, log: (line) => logger.info(line) });
            });
        }
    }
    for (const appId of deploy.saeAppIds) {
        await step(`Deploy SAE application ${appId}`, () => deployToSaeApplication(need(alibaba, appId), appId, image));
    }
    if (deploy.triggers.length > 0) {
        const payload = acrWebhookPayload(image, { region: deploy.region, pushedAt: ports.clock.now() });
        for (const url of deploy.triggers) {
            await step('Call a deploy trigger', () => callDeployTrigger(ports.fetch, url, payload, { image }));
        }
    }
    if (deploy.shareWith.length > 0) {
        const client = deploy.huaweiClient(deploy.region);
        for (const share of deploy.shareWith) {
            await step(`Share ${deploy.repository} with ${share.account}`, () => shareImage(client, deploy.repository, share));
        }
    }
    return results;
}
function need(context, target) {
    if (!context)
        throw new Error(`internal: ${target} needs an Alibaba Cloud AccessKey, which config parsing requires`);
    return context;
}
/**
 * A short-lived kubeconfig from CCE's clustercert API. Its private key is
 * masked before anything can print it. CCE offers an `internal` (VPC) and,
 * with a public endpoint, an `external` context; CI runners are usually
 * outside the VPC, so `external` wins unless kube-context says otherwise.
 */
async function kubeTargetFromCce(deploy, ports) {
    const client = deploy.huaweiClient(deploy.region);
    const projectId = deploy.projectId || (await findProjectId(client, deploy.region));
    const kubeconfig = await fetchClusterKubeconfig(client, { projectId, clusterId: deploy.cceClusterId });
    (0,mask_secrets/* maskKubeconfigSecrets */.f)(kubeconfig, ports);
    const target = await parseKubeconfig(kubeconfig, deploy.kubeContext || preferredCceContext(kubeconfig));
    (0,mask_secrets/* maskKubeTargetSecrets */.m)(target, ports);
    return target;
}
function preferredCceContext(kubeconfig) {
    try {
        const parsed = JSON.parse(kubeconfig);
        return parsed.contexts?.some((context) => context.name === 'external') ? 'external' : undefined;
    }
    catch {
        return undefined;
    }
}

;// CONCATENATED MODULE: ./build/src/app/deploy.js


/** The deploy layer's options from the run's Config. */
function deployTargetsOf(config, ports) {
    const { deploy } = config;
    return {
        functionUrns: deploy.functionUrns,
        workloads: deploy.workloads,
        triggers: deploy.triggers,
        rolloutTimeoutMs: deploy.rolloutTimeoutMs,
        kubeContext: deploy.kubeContext,
        cceClusterId: deploy.cceClusterId,
        projectId: deploy.projectId,
        region: config.region,
        huaweiClient: (region) => huaweiClientFor(config, ports, region),
        cciWorkloads: deploy.cciWorkloads,
        shareWith: deploy.shareWith,
        repository: config.repository,
        fcFunctions: deploy.fcFunctions,
        saeAppIds: deploy.saeAppIds,
        alibaba: alibabaDeployContext(config, ports),
        acrInstanceId: acrInstanceIdFor(config),
    };
}
/** Rolls the verified image out to every deploy target the Config names (functions, workloads, triggers). */
function deployAll(config, image, ports, kubeTarget) {
    return deployToTargets(deployTargetsOf(config, ports), image, ports, kubeTarget);
}
/** The Alibaba targets sign with the AccessKey the registry login was exchanged for (config parsing insists on it). */
function alibabaDeployContext(config, ports) {
    const { login } = config;
    if (login.kind !== 'acr-temporary')
        return undefined;
    return {
        region: config.region,
        endpoints: config.deploy.endpoints,
        credentials: {
            accessKeyId: login.accessKeyId,
            accessKeySecret: login.accessKeySecret,
            ...(login.securityToken === '' ? {} : { securityToken: login.securityToken }),
        },
        fetch: ports.fetch,
        clock: ports.clock,
        timeoutMs: config.deploy.rolloutTimeoutMs,
        log: (line) => ports.logger.info(line),
    };
}
/** Function Compute pulls from an Enterprise Edition instance only when told which one. */
function acrInstanceIdFor(config) {
    return config.login.kind === 'acr-temporary' && config.login.edition === 'enterprise' ? config.login.instanceId : '';
}

;// CONCATENATED MODULE: ./build/src/app/cloud-steps.js
/**
 * What a run loads only when it calls a cloud API, deploys, or reads a
 * kubeconfig: keyless, registry-auth logins, retention, deploy, the SWR and
 * ACR logins, the kubeconfig parse. The steps import this one module
 * (`await import('./cloud-steps.js')`), so the bundles hold one lazily
 * loaded chunk with the cloud clients once; one dynamic import per layer gave
 * each its own copy of the Huawei and Alibaba clients they share. A build, a
 * package or a copy with a static login starts without any of it.
 */










/***/ })

};
