export const id = 395;
export const ids = [395,363];
export const modules = {

/***/ 7395:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  deployAll: () => (/* binding */ deployAll)
});

// UNUSED EXPORTS: deployTargetsOf

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

// EXTERNAL MODULE: ./build/src/cloud/huawei/api-client.js + 2 modules
var api_client = __webpack_require__(8196);
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



const SERVICE = 'functiongraph';
/** How FunctionGraph marks a function deployed from a container image. */
const CUSTOM_IMAGE_RUNTIME = 'Custom Image';
const CUSTOM_IMAGE_CODE_TYPE = 'Custom-Image-Swr';
async function getFunctionConfig(client, urn) {
    const parsed = typeof urn === 'string' ? (0,function_urn/* parseFunctionUrn */.$)(urn) : urn;
    const response = await client.request({
        service: SERVICE,
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
            service: SERVICE,
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
        if (!(error instanceof api_client/* HuaweiApiError */.KL && error.code === 'FSS.0409'))
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

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: ./build/src/http/retry.js
var retry = __webpack_require__(6092);
// EXTERNAL MODULE: ./build/src/http/read-body.js
var read_body = __webpack_require__(9681);
// EXTERNAL MODULE: ./build/src/util/body-cap.js
var body_cap = __webpack_require__(5893);
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

// EXTERNAL MODULE: ./build/src/cloud/alibaba/api-errors.js
var api_errors = __webpack_require__(7818);
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
        throw (0,api_errors/* alibabaApiError */.$n)({
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
        throw new Error(`${call.operation}: HTTP ${response.status} but the answer is not a JSON object: ${(0,api_errors/* scrubSecrets */.Zg)((0,api_errors/* oneLine */.TN)(text), options.credentials).slice(0, 200)}`);
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
        throw (0,api_errors/* alibabaApiError */.$n)({ operation: call.operation, status: answer.status, text: answer.text, requestIdHeader: answer.requestId, secrets: target.client.credentials, remedies: SAE_REMEDIES, fallbackMessage: 'the API answered Success=false' });
    }
    const data = body.Data;
    if (data === null || typeof data !== 'object') {
        throw new Error(`${call.operation}: HTTP ${answer.status} but the answer has no Data: ${(0,api_errors/* scrubSecrets */.Zg)((0,api_errors/* oneLine */.TN)(answer.text), target.client.credentials).slice(0, 200)}`);
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

// EXTERNAL MODULE: ./build/src/deploy/kubernetes/kubeconfig.js
var kubernetes_kubeconfig = __webpack_require__(7363);
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
// EXTERNAL MODULE: ./build/src/domain/errors.js
var errors = __webpack_require__(3047);
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
            ...(typeof record.message === 'string' && record.message ? { message: oneLine(record.message) } : {}),
        };
    }
    catch {
        return {};
    }
}
/** A proxy or load balancer in front of the API server answers in HTML or plain text: show its start. */
function bodySnippet(body) {
    const text = oneLine(body.replace(/<[^>]*>/g, ' '));
    if (!text)
        return undefined;
    return text.length > 160 ? `${text.slice(0, 160)}…` : text;
}
function oneLine(text) {
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
            ? `${subject}: "${workload.container}" is an init container; imageship updates only containers (${names(containers)}) — name one of those after ":"`
            : `${subject} has no container "${workload.container}" — its containers are ${names(containers)}: fix the name after ":" in ${naming.input}`);
    }
    const wanted = `${image.registry}/${image.repository}`;
    const matching = containers.filter((c) => imageRepository(c.image) === wanted);
    if (matching.length > 0)
        return matching;
    const running = containers.map((c) => `${c.name}=${c.image || '(no image)'}`).join(', ');
    const example = `${workload.namespace}/${workload.kind}/${workload.name}:${containers[0]?.name ?? 'container'}`;
    throw fail(`${subject} has no container running ${wanted} (containers: ${running}; init containers are not considered) — name the container to update in ${naming.input}, e.g. ${example}`);
}
function names(containers) {
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
            if (!(error instanceof api_client/* HuaweiApiError */.KL && error.status === 409))
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
            throw error instanceof api_client/* HuaweiApiError */.KL ? withCciRemedy(error, id) : error;
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
    return new api_client/* HuaweiApiError */.KL(`cci: ${error.message} — ${remedy}`, {
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

// EXTERNAL MODULE: ./build/src/cloud/huawei/swr.js
var swr = __webpack_require__(6993);
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
    (0,swr.checkNamespace)(namespace);
    (0,swr.checkRepository)(repository);
    const subject = `${namespace}/${repository} with ${grant.account}`;
    const wanted = { permit: grant.permit, deadline: grant.until ?? 'forever' };
    const before = await readShare(client, namespace, repository, grant.account);
    if (before !== undefined && sameShare(before, wanted))
        return { outcome: 'unchanged', before, after: before };
    let outcome = before === undefined ? 'created' : 'updated';
    if (before === undefined) {
        try {
            await (0,swr.swrRequest)(client, {
                method: 'POST',
                path: sharesPath(namespace, repository),
                body: { access_domain: grant.account, permit: wanted.permit, deadline: wireDeadline(wanted.deadline) },
                operation: `share SWR repository ${subject}`,
                // A repeat after a lost answer meets 409 "has been shared", settled below by an update and the read-back.
                idempotent: true,
            });
        }
        catch (error) {
            if (!(error instanceof api_client/* HuaweiApiError */.KL && error.status === 409 && !(0,swr.isGatewayCode)(error.code) && error.code !== 'SVCSTG.SWR.4090023'))
                throw error;
            outcome = 'updated';
        }
    }
    if (outcome === 'updated') {
        const current = before ?? (await readShare(client, namespace, repository, grant.account));
        if (current === undefined || !sameShare(current, wanted)) {
            await (0,swr.swrRequest)(client, {
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
        body = (await (0,swr.swrRequest)(client, {
            method: 'GET',
            path: `${sharesPath(namespace, repository)}/${encodeURIComponent(account)}`,
            operation: `read the SWR share of ${namespace}/${repository} with ${account}`,
        })).body;
    }
    catch (error) {
        // "No such share" may come as 404 too; a missing organization or repository, or the gateway's own 404 (a wrong endpoint), may not.
        if (error instanceof api_client/* HuaweiApiError */.KL && error.status === 404 && !(0,swr.isGatewayCode)(error.code) && !NOT_FOUND_ELSEWHERE.has(error.code))
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













/** A deploy step failed; `results` holds what was deployed before it, for the `deployments` output. */


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
    const target = await (0,kubernetes_kubeconfig.parseKubeconfig)(kubeconfig, deploy.kubeContext || preferredCceContext(kubeconfig));
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

// EXTERNAL MODULE: ./build/src/app/huawei-client.js
var huawei_client = __webpack_require__(9962);
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
        huaweiClient: (region) => (0,huawei_client.huaweiClientFor)(config, ports, region),
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


/***/ }),

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


/***/ }),

/***/ 7363:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   parseKubeconfig: () => (/* binding */ parseKubeconfig)
/* harmony export */ });
/* harmony import */ var _domain_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3047);
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
class KubeconfigError extends _domain_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ImageshipError */ .K {
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
    const wanted = contextName?.trim() || stringField(root, 'current-context', 'current-context');
    const available = contexts.map((entry) => entry.name);
    if (!wanted) {
        throw new KubeconfigError(`no current-context and no context given: set kube-context to one of ${listOrNone(available)}`);
    }
    const context = contexts.find((entry) => entry.name === wanted);
    if (!context) {
        throw new KubeconfigError(`context "${wanted}" not found: available contexts are ${listOrNone(available)}`);
    }
    const clusterName = stringField(context.body, 'cluster', `context "${wanted}" cluster`);
    const userName = stringField(context.body, 'user', `context "${wanted}" user`);
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
    const namespace = stringField(context.body, 'namespace', `context "${wanted}" namespace`);
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
    const server = readServer(where, stringField(cluster, 'server', `${where} server`));
    const insecure = booleanField(cluster, 'insecure-skip-tls-verify', where);
    const caData = stringField(cluster, 'certificate-authority-data', `${where} certificate-authority-data`);
    const tlsServerName = stringField(cluster, 'tls-server-name', `${where} tls-server-name`);
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
    const certData = stringField(user, 'client-certificate-data', `${where} client-certificate-data`);
    const keyData = stringField(user, 'client-key-data', `${where} client-key-data`);
    const token = stringField(user, 'token', `${where} token`);
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
function stringField(body, key, label) {
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


/***/ })

};
