export const id = 993;
export const ids = [993];
export const modules = {

/***/ 8196:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  Bt: () => (/* binding */ HuaweiApiClient),
  KL: () => (/* binding */ HuaweiApiError),
  J_: () => (/* binding */ parseHuaweiErrorBody)
});

// EXTERNAL MODULE: ./build/src/http/retry.js
var retry = __webpack_require__(6092);
// EXTERNAL MODULE: ./build/src/http/read-body.js
var read_body = __webpack_require__(9681);
// EXTERNAL MODULE: ./build/src/util/body-cap.js
var body_cap = __webpack_require__(5893);
// EXTERNAL MODULE: ./build/src/domain/swr-login.js
var swr_login = __webpack_require__(8398);
// EXTERNAL MODULE: ./build/src/domain/targets/huawei-endpoints.js + 1 modules
var huawei_endpoints = __webpack_require__(1607);
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

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
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

// EXTERNAL MODULE: ./build/src/domain/errors.js
var errors = __webpack_require__(3047);
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
            throw new Error(`${call.operation}: HTTP ${response.status} but the answer is not JSON: ${this.scrub(oneLine(text).slice(0, 200))}`);
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
        const cloudMessage = this.scrub(oneLine(parsed.message ?? text).slice(0, 300));
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
function oneLine(text) {
    return text.replace(/\s+/g, ' ').trim();
}
/** RFC 3986 unreserved characters only, the same set the signature encodes, so the two cannot disagree. */
function encodeQueryPart(text) {
    return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}


/***/ }),

/***/ 6993:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   TEMPORARY_LOGIN_MAX_SECONDS: () => (/* binding */ TEMPORARY_LOGIN_MAX_SECONDS),
/* harmony export */   TEMPORARY_LOGIN_MIN_SECONDS: () => (/* binding */ TEMPORARY_LOGIN_MIN_SECONDS),
/* harmony export */   checkNamespace: () => (/* binding */ checkNamespace),
/* harmony export */   checkRepository: () => (/* binding */ checkRepository),
/* harmony export */   createNamespace: () => (/* binding */ createNamespace),
/* harmony export */   createTemporaryLogin: () => (/* binding */ createTemporaryLogin),
/* harmony export */   deleteRepositoryTag: () => (/* binding */ deleteRepositoryTag),
/* harmony export */   isGatewayCode: () => (/* binding */ isGatewayCode),
/* harmony export */   listRepositoryTags: () => (/* binding */ listRepositoryTags),
/* harmony export */   parseSwrTime: () => (/* binding */ parseSwrTime),
/* harmony export */   swrRequest: () => (/* binding */ swrRequest)
/* harmony export */ });
/* harmony import */ var _api_client_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8196);
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
        const exists = error instanceof _api_client_js__WEBPACK_IMPORTED_MODULE_0__/* .HuaweiApiError */ .KL && (error.code === ALREADY_EXISTS || (error.status === 409 && error.code === ''));
        if (!exists)
            throw error;
    }
    // 409 says the name is taken in this region, not by whom: only this account's organizations are visible.
    if (await namespaceVisible(client, namespace))
        return 'exists';
    throw new _api_client_js__WEBPACK_IMPORTED_MODULE_0__/* .HuaweiApiError */ .KL(`${operation}: HTTP 409 ${ALREADY_EXISTS}: the organization name is taken by another account in ${client.region} ` +
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
        if (error instanceof _api_client_js__WEBPACK_IMPORTED_MODULE_0__/* .HuaweiApiError */ .KL && !isGatewayCode(error.code) && (error.status === 404 || CROSS_ACCOUNT.has(error.code))) {
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
        if (error instanceof _api_client_js__WEBPACK_IMPORTED_MODULE_0__/* .HuaweiApiError */ .KL && error.status === 404 && !isGatewayCode(error.code))
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
        throw error instanceof _api_client_js__WEBPACK_IMPORTED_MODULE_0__/* .HuaweiApiError */ .KL ? withSwrDetails(error) : error;
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
    return new _api_client_js__WEBPACK_IMPORTED_MODULE_0__/* .HuaweiApiError */ .KL(message, {
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


/***/ })

};
