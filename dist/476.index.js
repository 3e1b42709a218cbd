export const id = 476;
export const ids = [476];
export const modules = {

/***/ 476:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   runPost: () => (/* binding */ runPost)
/* harmony export */ });
/* harmony import */ var _registry_login_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(9756);
/* harmony import */ var _util_node_exec_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(5398);
/* harmony import */ var _runner_index_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1512);
/* harmony import */ var _state_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(9049);




/** Logs out of the registry main logged into, removing the credentials it wrote. Says why when it skips. */
async function runPost() {
    const state = (0,_state_js__WEBPACK_IMPORTED_MODULE_3__/* .readPostState */ .cj)();
    if (state.registry === '') {
        (0,_runner_index_js__WEBPACK_IMPORTED_MODULE_2__/* .info */ .pq)('post: no registry login to undo (main did not log in)');
        return;
    }
    if (!state.logout) {
        (0,_runner_index_js__WEBPACK_IMPORTED_MODULE_2__/* .info */ .pq)(`post: logout: false, so the login to ${state.registry} stays in the Docker config`);
        return;
    }
    const exec = (0,_util_node_exec_js__WEBPACK_IMPORTED_MODULE_1__/* .createNodeExec */ .k)({ writeLine: (line) => (0,_runner_index_js__WEBPACK_IMPORTED_MODULE_2__/* .info */ .pq)(line) });
    const result = await (0,_registry_login_js__WEBPACK_IMPORTED_MODULE_0__/* .dockerLogout */ .tX)(exec, state.registry, process.env).catch((error) => ({
        ok: false,
        message: error instanceof Error ? error.message : String(error),
    }));
    if (result.ok)
        (0,_runner_index_js__WEBPACK_IMPORTED_MODULE_2__/* .info */ .pq)(`post: logged out of ${state.registry}`);
    // A failed logout must not fail the job, but it must be visible.
    else
        (0,_runner_index_js__WEBPACK_IMPORTED_MODULE_2__/* .warning */ .$e)(`post: could not log out of ${state.registry}: ${result.message}; remove its entry from the Docker config by hand`);
}


/***/ }),

/***/ 1512:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  eu: () => (/* reexport */ addMask),
  I1: () => (/* reexport */ appendJobSummary),
  Yz: () => (/* reexport */ debug),
  z3: () => (/* reexport */ error),
  ZD: () => (/* reexport */ escapeHtml),
  V4: () => (/* reexport */ getInput),
  Gu: () => (/* reexport */ getState),
  Os: () => (/* reexport */ group),
  qy: () => (/* reexport */ html),
  pq: () => (/* reexport */ info),
  LZ: () => (/* reexport */ saveState),
  C1: () => (/* reexport */ setFailed),
  uH: () => (/* reexport */ setOutput),
  Rt: () => (/* reexport */ summaryCodeBlock),
  hn: () => (/* reexport */ summaryHeading),
  jb: () => (/* reexport */ summaryTable),
  $e: () => (/* reexport */ warning)
});

// UNUSED EXPORTS: appendFileCommand, formatFileCommand, formatWorkflowCommand, inputEnvName, newHeredocDelimiter

;// CONCATENATED MODULE: ./build/src/action/runner/step-env.js
/**
 * What the runner passes into the step through its environment: the inputs
 * (from the workflow's `with:` and action.yml defaults) and the state main saved.
 */
/** The variable the runner sets for an input: upper case, spaces to `_`, hyphens kept. */
function inputEnvName(name) {
    return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}
/** An input's value with surrounding whitespace trimmed; '' when not given and without a default. */
function getInput(name, env = process.env) {
    return (env[inputEnvName(name)] ?? '').trim();
}
/** A value main saved with saveState, exactly as saved; '' in main or when never saved. */
function getState(name, env = process.env) {
    return env[`STATE_${name}`] ?? '';
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
;// CONCATENATED MODULE: ./build/src/action/runner/file-commands.js


function newHeredocDelimiter() {
    return `ghadelimiter_${(0,external_node_crypto_.randomUUID)()}`;
}
/**
 * One heredoc entry, ending with a newline. Throws for a name or value that
 * contains the delimiter, and for a name the runner would split differently
 * (empty, a line break, `=` or `<<`).
 */
function formatFileCommand(name, value, delimiter) {
    if (name === '' || /[\r\n=]|<</.test(name)) {
        throw new Error(`file command name ${JSON.stringify(name)} is empty or contains a line break, '=' or '<<'`);
    }
    if (name.includes(delimiter))
        throw new Error(`file command name '${name}' contains the delimiter ${delimiter}`);
    if (value.includes(delimiter))
        throw new Error(`the value of '${name}' contains the delimiter ${delimiter}`);
    return `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
}
/** Appends `name` = `value` to the file the runner named in `channel`. */
function appendFileCommand(channel, name, value, env = process.env) {
    const path = env[channel];
    if (!path) {
        throw new Error(`${channel} is not set, so '${name}' cannot be handed to the runner: run this action on a GitHub Actions runner (or one that provides file commands)`);
    }
    (0,external_node_fs_.appendFileSync)(path, formatFileCommand(name, value, newHeredocDelimiter()), 'utf8');
}
/** A step output (`steps.<id>.outputs.<name>`). */
function setOutput(name, value) {
    appendFileCommand('GITHUB_OUTPUT', name, value);
}
/** A value the post step reads back as STATE_<name>. Visible in the runner's files: never a secret. */
function saveState(name, value) {
    appendFileCommand('GITHUB_STATE', name, value);
}

;// CONCATENATED MODULE: ./build/src/util/runner-command-guard.js
/**
 * Makes log text inert for the CI runners that read commands out of a job's
 * log. Every line imageship prints passes through here (the GitHub host's
 * `info`, the CLI's stdout/stderr), because much of it comes from outside:
 * registry error bodies, manifest fields (media types, foreign-layer URLs),
 * API answers, Kubernetes objects, docker's own output.
 *
 * What the runners obey (their sources: actions/runner ActionCommand.cs,
 * azure-pipelines-agent Command.cs):
 *  - GitHub Actions: `::name props::data` when the line starts with `::`
 *    after leading whitespace, and the older `##[name props]data` ANYWHERE in
 *    a line. `::stop-commands::TOKEN` switches commands off until `::TOKEN::`,
 *    so a later `::add-mask::` would be ignored and that secret shown in clear.
 *  - Azure Pipelines: `##vso[area.event props]data` anywhere in a line, and
 *    `##[group]`, `##[error]`… formatting at a line start.
 *  - Both read lines as .NET's ReadLine does: `\n`, `\r\n` and a lone `\r`
 *    each end one.
 *
 * Both match these prefixes with culture-aware string comparison (ICU),
 * which skips "ignorable" characters: `:\u200B:` compares equal to `::`, so
 * a zero-width character slipped between the colons does NOT defuse a
 * command. A visible character does. The rule, applied per line:
 *  - a leading `::` (after whitespace or ignorable characters) becomes `:\:`;
 *  - `##[` and `##vso[` anywhere become `#\#[` and `#\#vso[` (case-insensitive,
 *    ignorable characters inside them included);
 *  - control characters other than tab (ESC starts terminal and GitLab section
 *    sequences; C0, DEL, C1) are shown as `\xNN`.
 * The text stays readable and says plainly that something was escaped.
 *
 * Secrets must be redacted BEFORE this runs: a backslash inserted into a
 * secret that holds `##[` would keep the runner's own mask from matching it.
 */
/** Control characters except tab; line breaks are removed by the split before this applies. */
const CONTROL = /[\u0000-\u0008\u000A-\u001F\u007F-\u009F]/g;
/** `::` at the start, after what .NET's TrimStart drops (whitespace) and what ICU ignores. */
const LEADING_COLONS = /^([\s\p{Default_Ignorable_Code_Point}]*):(\p{Default_Ignorable_Code_Point}*):/u;
/** The `##` of `##[` or `##vso[`, anywhere, with ignorable characters allowed between the parts. */
const HASH_PREFIX = /#(\p{Default_Ignorable_Code_Point}*)#(?=\p{Default_Ignorable_Code_Point}*(?:v\p{Default_Ignorable_Code_Point}*s\p{Default_Ignorable_Code_Point}*o\p{Default_Ignorable_Code_Point}*)?\[)/giu;
/** One line (no line breaks) made inert. Lines without any of the triggers come back unchanged. */
function neutraliseLine(line) {
    return line
        .replace(CONTROL, (char) => `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`)
        .replace(LEADING_COLONS, '$1:$2\\:')
        .replace(HASH_PREFIX, '#$1\\#');
}
/** The lines a runner would see in `text` (split at `\r\n`, `\n` and a lone `\r`), each made inert. */
function neutraliseLines(text) {
    return text.split(/\r\n|\r|\n/).map(neutraliseLine);
}
/** `text` made inert line by line, line ends normalised to `\n` (a trailing line end is kept). */
function neutraliseText(text) {
    return neutraliseLines(text).join('\n');
}
/**
 * JSON text that passes `neutraliseText` unchanged and parses to the same
 * value: `#` and the DEL/C1 characters JSON.stringify leaves raw are written
 * as `\u` escapes (inside strings, where they can only be), so no runner
 * trigger is left in it and no backslash is inserted that would break it.
 */
function inertJson(json) {
    return json.replace(/[#\u007F-\u009F]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

;// CONCATENATED MODULE: ./build/src/action/runner/command-escaping.js
/**
 * Escaping for workflow commands (`::name key=value,key=value::message`). The
 * runner reads one command per stdout line and splits properties on `,` and
 * `key=value` pairs from the message on `::`, so those characters must not
 * appear raw where they would change the parse. `%` is escaped first so the
 * runner's unescaping is unambiguous.
 */
/** For the message part: keeps a multi-line message on one stdout line. */
function escapeCommandMessage(text) {
    return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
/** For property values, which also end at `,` and must not contain the `::` separator. */
function escapeCommandProperty(text) {
    return escapeCommandMessage(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

;// CONCATENATED MODULE: ./build/src/action/runner/workflow-commands.js


/**
 * Workflow commands: lines on stdout that the runner interprets (masks, log
 * levels, groups) instead of showing. Commands and plain log lines all go
 * through process.stdout, so they reach the runner in the order of the calls.
 *
 * Only the functions here write to stdout, and they are the one place where
 * text from outside is made inert: a command's message is escaped onto its
 * own line (`%`, `\r`, `\n` encoded, so nothing in it can start a line), and
 * a plain line or a shown message goes through runner-command-guard.ts (a
 * leading `::` and `##[`/`##vso[` anywhere defused), so a registry or API
 * answer can never issue a command. `add-mask` alone takes its value as is.
 */
/** One command line, without its line end. Properties with an empty value are left out. */
function formatWorkflowCommand(command, message, properties = {}) {
    const pairs = Object.entries(properties)
        .filter(([, value]) => value !== '')
        .map(([key, value]) => `${key}=${escapeCommandProperty(value)}`);
    const head = pairs.length > 0 ? `${command} ${pairs.join(',')}` : command;
    return `::${head}::${escapeCommandMessage(message)}`;
}
function writeLine(line) {
    process.stdout.write(`${line}\n`);
}
function issue(command, message) {
    writeLine(formatWorkflowCommand(command, message));
}
/**
 * A command whose message is shown in the log (debug, warning, error, group):
 * the message is made inert line by line too, so that once the runner
 * decodes it, none of its lines reads as a command to the log viewer or to
 * whatever processes the job log next.
 */
function issueShown(command, message) {
    issue(command, neutraliseText(message));
}
/**
 * Plain log lines, one per line of `message` (split where the runner would
 * split: \n, \r\n, a lone \r), each made inert (see runner-command-guard.ts).
 */
function info(message) {
    for (const line of neutraliseLines(message))
        writeLine(line);
}
/** Shown only when the workflow enables step debug logging (ACTIONS_STEP_DEBUG). */
function debug(message) {
    issueShown('debug', message);
}
function warning(message) {
    issueShown('warning', message);
}
function error(message) {
    issueShown('error', message);
}
/** From here on the runner replaces `secret` with *** in the log. The command line itself is never shown. */
function addMask(secret) {
    issue('add-mask', secret);
}
/** Marks the step failed (exit code 1 once the process ends) and says why, without ending the process. */
function setFailed(message) {
    process.exitCode = 1;
    error(message);
}
/** Runs `body` inside a collapsible log group; the group is closed even when `body` throws. */
async function group(title, body) {
    issueShown('group', title);
    try {
        return await body();
    }
    finally {
        issue('endgroup', '');
    }
}

;// CONCATENATED MODULE: ./build/src/action/runner/job-summary.js

/** Marks `fragment` as HTML the caller built (and escaped) itself. */
function html(fragment) {
    return { html: fragment };
}
/** Escapes text for element content and for double- or single-quoted attribute values. */
function escapeHtml(text) {
    return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
function cellHtml(cell) {
    return typeof cell === 'string' ? escapeHtml(cell) : cell.html;
}
function summaryHeading(text, level) {
    return `<h${level}>${escapeHtml(text)}</h${level}>\n`;
}
/** A table with one header row of text and body rows of text or HTML cells. */
function summaryTable(header, rows) {
    const headerRow = `<tr>${header.map((text) => `<th>${escapeHtml(text)}</th>`).join('')}</tr>`;
    const bodyRows = rows.map((row) => `<tr>${row.map((cell) => `<td>${cellHtml(cell)}</td>`).join('')}</tr>`);
    return `<table>${headerRow}${bodyRows.join('')}</table>\n`;
}
function summaryCodeBlock(code, language) {
    return `<pre lang="${escapeHtml(language)}"><code>${escapeHtml(code)}</code></pre>\n`;
}
/** Appends to the step's summary file; does nothing outside a runner (GITHUB_STEP_SUMMARY unset). */
function appendJobSummary(content, env = process.env) {
    const path = env['GITHUB_STEP_SUMMARY'];
    if (!path)
        return;
    (0,external_node_fs_.appendFileSync)(path, content, 'utf8');
}

;// CONCATENATED MODULE: ./build/src/action/runner/index.js
/**
 * The GitHub runner protocol, as far as imageship uses it: inputs and state
 * from the environment, file commands for outputs and state, workflow commands
 * on stdout for logs and masks, and the job summary. Written for this action
 * instead of loading @actions/core, whose OIDC client pulls in undici (about
 * 1 MB of JavaScript parsed on every step; bench/RESULTS.md).
 */






/***/ }),

/***/ 9049:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   UM: () => (/* binding */ markMainStarted),
/* harmony export */   cj: () => (/* binding */ readPostState),
/* harmony export */   eh: () => (/* binding */ saveLoggedInRegistry)
/* harmony export */ });
/* harmony import */ var _runner_index_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1512);

function markMainStarted() {
    (0,_runner_index_js__WEBPACK_IMPORTED_MODULE_0__/* .saveState */ .LZ)('isPost', 'true');
}
function saveLoggedInRegistry(registry, logout) {
    (0,_runner_index_js__WEBPACK_IMPORTED_MODULE_0__/* .saveState */ .LZ)('registry', registry);
    (0,_runner_index_js__WEBPACK_IMPORTED_MODULE_0__/* .saveState */ .LZ)('logout', String(logout));
}
function readPostState() {
    return { registry: (0,_runner_index_js__WEBPACK_IMPORTED_MODULE_0__/* .getState */ .Gu)('registry'), logout: (0,_runner_index_js__WEBPACK_IMPORTED_MODULE_0__/* .getState */ .Gu)('logout') !== 'false' };
}


/***/ }),

/***/ 6461:
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

/***/ 9756:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   a1: () => (/* binding */ dockerLogin),
/* harmony export */   tX: () => (/* binding */ dockerLogout)
/* harmony export */ });
/* unused harmony export RegistryLoginError */
/* harmony import */ var _docker_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6461);

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
