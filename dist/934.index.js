export const id = 934;
export const ids = [934];
export const modules = {

/***/ 7934:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  resolveKeylessCredentials: () => (/* binding */ resolveKeylessCredentials)
});

// UNUSED EXPORTS: withTemporaryCredentials

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: ./build/src/util/body-cap.js
var body_cap = __webpack_require__(5893);
// EXTERNAL MODULE: ./build/src/http/read-body.js
var read_body = __webpack_require__(9681);
// EXTERNAL MODULE: ./build/src/http/retry.js
var retry = __webpack_require__(6092);
// EXTERNAL MODULE: ./build/src/cloud/alibaba/api-errors.js
var api_errors = __webpack_require__(7818);
// EXTERNAL MODULE: ./build/src/cloud/alibaba/signer.js
var signer = __webpack_require__(1992);
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
            Timestamp: (0,signer/* rpcTimestamp */._u)(options.clock.now()),
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
        const parsed = (0,api_errors/* parseAlibabaErrorBody */.oM)(text);
        const message = options.redact((0,api_errors/* oneLine */.TN)(parsed.message ?? text).slice(0, 300));
        const requestId = parsed.requestId ?? response.headers.get('x-acs-request-id') ?? undefined;
        throw new api_errors/* AlibabaApiError */.ff(`${operation}: HTTP ${response.status}${parsed.code ? ` ${parsed.code}` : ''}${message ? `: ${message}` : ''}`, {
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
        .map(([key, value]) => `${(0,signer/* percentEncode */.a)(key)}=${(0,signer/* percentEncode */.a)(value)}`)
        .join('&');
}

// EXTERNAL MODULE: ./build/src/domain/targets/huawei-endpoints.js + 1 modules
var huawei_endpoints = __webpack_require__(1607);
// EXTERNAL MODULE: ./build/src/cloud/huawei/api-client.js + 2 modules
var api_client = __webpack_require__(8196);
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
        const parsed = (0,api_client/* parseHuaweiErrorBody */.J_)(text);
        const message = call.redact((parsed.message ?? text).replace(/\s+/g, ' ').trim().slice(0, 300));
        throw new api_client/* HuaweiApiError */.KL(`${call.operation}: HTTP ${response.status}${parsed.code ? ` ${parsed.code}` : ''}${message ? `: ${message}` : ''}`, {
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
    if (error instanceof api_errors/* AlibabaApiError */.ff)
        return new Error(`${alibabaCause(error, context)} [${error.message}]`, { cause: error });
    if (error instanceof api_client/* HuaweiApiError */.KL && error.status >= 400 && error.status < 500) {
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

// EXTERNAL MODULE: ./build/src/domain/swr-login.js
var swr_login = __webpack_require__(8398);
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
