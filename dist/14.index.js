export const id = 14;
export const ids = [14];
export const modules = {

/***/ 6014:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   runPost: () => (/* binding */ runPost)
/* harmony export */ });
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2405);
/* harmony import */ var _registry_login_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7386);
/* harmony import */ var _util_node_exec_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(7068);
/* harmony import */ var _state_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(2579);




/** Logs out of the registry main logged into, removing the credentials it wrote. Says why when it skips. */
async function runPost() {
    const state = (0,_state_js__WEBPACK_IMPORTED_MODULE_3__/* .readPostState */ .cj)();
    if (state.registry === '') {
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq('post: no registry login to undo (main did not log in)');
        return;
    }
    if (!state.logout) {
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`post: logout: false, so the login to ${state.registry} stays in the Docker config`);
        return;
    }
    const exec = (0,_util_node_exec_js__WEBPACK_IMPORTED_MODULE_2__/* .createNodeExec */ .k)({ writeLine: (line) => _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(line) });
    const result = await (0,_registry_login_js__WEBPACK_IMPORTED_MODULE_1__/* .dockerLogout */ .tX)(exec, state.registry, process.env).catch((error) => ({
        ok: false,
        message: error instanceof Error ? error.message : String(error),
    }));
    if (result.ok)
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`post: logged out of ${state.registry}`);
    // A failed logout must not fail the job, but it must be visible.
    else
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e(`post: could not log out of ${state.registry}: ${result.message}; remove its entry from the Docker config by hand`);
}


/***/ }),

/***/ 2579:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   UM: () => (/* binding */ markMainStarted),
/* harmony export */   cj: () => (/* binding */ readPostState),
/* harmony export */   eh: () => (/* binding */ saveLoggedInRegistry)
/* harmony export */ });
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2405);

function markMainStarted() {
    _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .saveState */ .LZ('isPost', 'true');
}
function saveLoggedInRegistry(registry, logout) {
    _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .saveState */ .LZ('registry', registry);
    _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .saveState */ .LZ('logout', String(logout));
}
function readPostState() {
    return { registry: _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .getState */ .Gu('registry'), logout: _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .getState */ .Gu('logout') !== 'false' };
}


/***/ }),

/***/ 1691:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   z: () => (/* binding */ explainRegistryError)
/* harmony export */ });
/**
 * Turns docker's registry errors into one line that says what to do. The raw
 * messages (`unauthorized: authentication required`, `denied: you do not have
 * the permission`, `x509: …`) are what users paste into issues; each maps to a
 * known cause (seed 003's "common errors").
 */
function explainRegistryError(raw, context) {
    const text = raw.toLowerCase();
    const { registry } = context;
    if (text.includes('x509') || text.includes('certificate signed by unknown authority')) {
        return `${context.operation}: ${registry} presented a TLS certificate this machine does not trust: put the registry's CA certificate in /etc/docker/certs.d/${registry}/ca.crt (and the system trust store), or use the registry's public endpoint`;
    }
    if (text.includes('server gave http response to https client')) {
        return `${context.operation}: ${registry} speaks plain HTTP: add it to "insecure-registries" in the Docker daemon configuration, or use its HTTPS endpoint`;
    }
    if (text.includes('you do not have the permission') || text.includes('requested access to the resource is denied') || /\bdenied\b/.test(text)) {
        return `${context.operation}: ${registry} denied access: ${context.deniedHint ?? 'the user may lack push permission on this repository'}`;
    }
    if (text.includes('401') || text.includes('unauthorized') || text.includes('incorrect username or password') || text.includes('authentication required')) {
        return `${context.operation}: ${registry} rejected the credentials (401): ${context.loginHint ?? 'check username and password'}`;
    }
    if (text.includes('no such host') || text.includes('connection refused') || text.includes('i/o timeout') || text.includes('tls handshake timeout')) {
        return `${context.operation}: cannot reach ${registry}: check the region/registry inputs and that this runner can reach it (a VPC endpoint needs a runner inside the VPC)`;
    }
    if (text.includes('cannot connect to the docker daemon') || text.includes('is the docker daemon running')) {
        return `${context.operation}: the Docker daemon is not running: start it (or use a runner with Docker, e.g. ubuntu-latest)`;
    }
    const line = raw.split('\n').map((l) => l.trim()).filter(Boolean).pop() ?? 'no output';
    return `${context.operation}: ${registry}: ${line}`;
}


/***/ }),

/***/ 7386:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   a1: () => (/* binding */ dockerLogin),
/* harmony export */   tX: () => (/* binding */ dockerLogout)
/* harmony export */ });
/* unused harmony export RegistryLoginError */
/* harmony import */ var _docker_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1691);

class RegistryLoginError extends Error {
    constructor(message) {
        super(message);
        this.name = 'RegistryLoginError';
    }
}
/**
 * `docker login --password-stdin`: the password travels on stdin, never in
 * argv, so it cannot show up in `ps`, the process accounting or an argv log.
 * Output is captured silently; docker's warning about unencrypted storage
 * is expected on CI and not worth alarming anyone with.
 */
async function dockerLogin(exec, request) {
    const result = await exec({
        command: 'docker',
        args: ['login', '--username', request.username, '--password-stdin', request.registry],
        stdin: request.password,
        env: request.env,
        silent: true,
        timeoutMs: 120_000,
    });
    if (result.exitCode !== 0) {
        throw new RegistryLoginError((0,_docker_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .explainRegistryError */ .z)(`${result.stderr}\n${result.stdout}`, { operation: 'login', registry: request.registry, loginHint: request.loginHint }));
    }
}
/** Removes this registry's credentials from the Docker config (or its credential helper). */
async function dockerLogout(exec, registry, env) {
    const result = await exec({ command: 'docker', args: ['logout', registry], env, silent: true, timeoutMs: 60_000 });
    const message = (result.stdout + result.stderr).trim().split('\n').pop() ?? '';
    return { ok: result.exitCode === 0, message };
}


/***/ })

};
