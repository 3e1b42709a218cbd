export const id = 878;
export const ids = [878];
export const modules = {

/***/ 1878:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   acrApiEndpoint: () => (/* binding */ acrApiEndpoint),
/* harmony export */   getEnterpriseLogin: () => (/* binding */ getEnterpriseLogin),
/* harmony export */   getPersonalLogin: () => (/* binding */ getPersonalLogin)
/* harmony export */ });
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var _http_retry_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6092);
/* harmony import */ var _http_read_body_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(9681);
/* harmony import */ var _util_body_cap_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(5893);
/* harmony import */ var _api_errors_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(7818);
/* harmony import */ var _signer_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(1992);
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
    const nextNonce = options.nonce ?? node_crypto__WEBPACK_IMPORTED_MODULE_0__.randomUUID;
    // fetchWithRetry repeats the same fetch call; building the URL inside it signs every try anew.
    const signingFetch = (_input, init) => options.fetch(`${base}/?${(0,_signer_js__WEBPACK_IMPORTED_MODULE_5__/* .rpcQuery */ .Gq)({
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
        throw (0,_api_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .alibabaApiError */ .$n)({
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
    const nextNonce = options.nonce ?? node_crypto__WEBPACK_IMPORTED_MODULE_0__.randomUUID;
    const signedHeaders = () => {
        const headers = (0,_signer_js__WEBPACK_IMPORTED_MODULE_5__/* .roaHeaders */ .fn)({
            version: PERSONAL_API_VERSION,
            now: clock.now(),
            nonce: nextNonce(),
            accessKeyId: credentials.accessKeyId,
            regionId: options.region,
            ...(credentials.securityToken === undefined ? {} : { securityToken: credentials.securityToken }),
        });
        headers['authorization'] = (0,_signer_js__WEBPACK_IMPORTED_MODULE_5__/* .signRoa */ .YM)({
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
    const response = await (0,_http_retry_js__WEBPACK_IMPORTED_MODULE_1__/* .fetchWithRetry */ .J5)(signingFetch, 
    // Signed: a redirect would carry the AccessKey id and security token (x-acs-*) elsewhere.
    { url: request.url, method: 'GET', operation: request.operation, refuseRedirects: true, ...(request.headers ? { headers: request.headers } : {}) }, options.retry, options.sleep);
    const text = new TextDecoder().decode(await (0,_http_read_body_js__WEBPACK_IMPORTED_MODULE_2__/* .readBodyBytes */ .I)(response, request.operation, { what: `the answer to ${request.operation}`, from: new URL(request.url).host, cap: _util_body_cap_js__WEBPACK_IMPORTED_MODULE_3__/* .BODY_CAPS */ .V9.cloudApi }));
    const requestId = response.headers.get('x-acs-request-id');
    if (response.status < 200 || response.status > 299) {
        throw (0,_api_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .alibabaApiError */ .$n)({ operation: request.operation, status: response.status, text, requestIdHeader: requestId, secrets: options.credentials });
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
    const scrubbed = (0,_api_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .scrubSecrets */ .Zg)((0,_api_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .oneLine */ .TN)(text), secrets);
    // A half-parsed success answer carries a live registry password: never print the value of a token field.
    return scrubbed.replace(/("(?:AuthorizationToken|authorizationToken)"\s*:\s*)"[^"]*"/g, '$1"***"').slice(0, 200);
}


/***/ }),

/***/ 7818:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $n: () => (/* binding */ alibabaApiError),
/* harmony export */   TN: () => (/* binding */ oneLine),
/* harmony export */   Zg: () => (/* binding */ scrubSecrets),
/* harmony export */   ff: () => (/* binding */ AlibabaApiError),
/* harmony export */   oM: () => (/* binding */ parseAlibabaErrorBody)
/* harmony export */ });
/* unused harmony exports alibabaRemedyFor, shortAccessKeyId */
/* harmony import */ var _signer_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1992);
/* harmony import */ var _domain_errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3047);
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
class AlibabaApiError extends _domain_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ImageshipError */ .K {
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
        for (const spelling of [(0,_signer_js__WEBPACK_IMPORTED_MODULE_0__/* .percentEncode */ .a)((0,_signer_js__WEBPACK_IMPORTED_MODULE_0__/* .percentEncode */ .a)(secret)), (0,_signer_js__WEBPACK_IMPORTED_MODULE_0__/* .percentEncode */ .a)(secret), secret]) {
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


/***/ }),

/***/ 1992:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Gq: () => (/* binding */ rpcQuery),
/* harmony export */   YM: () => (/* binding */ signRoa),
/* harmony export */   _u: () => (/* binding */ rpcTimestamp),
/* harmony export */   a: () => (/* binding */ percentEncode),
/* harmony export */   fn: () => (/* binding */ roaHeaders)
/* harmony export */ });
/* unused harmony exports rpcCanonicalQuery, rpcStringToSign, signRpc, rpcParameters, roaCanonicalResource, roaStringToSign */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
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
    return (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHmac)('sha1', `${accessKeySecret}&`).update(rpcStringToSign(method, params), 'utf8').digest('base64');
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
    const signature = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHmac)('sha1', request.accessKeySecret).update(toSign, 'utf8').digest('base64');
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
        'content-md5': (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('md5').update(options.body ?? '').digest('base64'),
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


/***/ })

};
