export const id = 962;
export const ids = [962];
export const modules = {

/***/ 9962:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   huaweiClientFor: () => (/* binding */ huaweiClientFor)
/* harmony export */ });
/* harmony import */ var _cloud_huawei_api_client_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8196);

/** A signed Huawei Cloud API client for `region` from the run's AK/SK, domain and endpoint overrides. */
function huaweiClientFor(config, ports, region) {
    if (!config.cloudCredentials)
        throw new Error('internal: Huawei Cloud API calls need access-key/secret-key, which the config checks');
    return new _cloud_huawei_api_client_js__WEBPACK_IMPORTED_MODULE_0__/* .HuaweiApiClient */ .Bt({
        credentials: config.cloudCredentials,
        region,
        domain: config.domain,
        endpoints: config.deploy.endpoints,
        fetch: ports.fetch,
        clock: ports.clock,
    });
}


/***/ }),

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


/***/ })

};
