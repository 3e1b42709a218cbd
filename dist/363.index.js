export const id = 363;
export const ids = [363];
export const modules = {

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
