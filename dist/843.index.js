export const id = 843;
export const ids = [843];
export const modules = {

/***/ 1512:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  eu: () => (/* reexport */ addMask),
  I1: () => (/* reexport */ appendJobSummary),
  Yz: () => (/* reexport */ debug),
  z3: () => (/* reexport */ error),
  ZD: () => (/* reexport */ escapeHtml),
  dN: () => (/* reexport */ exportVariable),
  V4: () => (/* reexport */ getInput),
  pi: () => (/* reexport */ getRawInput),
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
/** An input's value exactly as given (a separator may be a space or a newline); '' when not given. */
function getRawInput(name, env = process.env) {
    return env[inputEnvName(name)] ?? '';
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
/** An environment variable for the later steps of the job. Visible to every later step: never a secret. */
function exportVariable(name, value) {
    appendFileCommand('GITHUB_ENV', name, value);
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

/***/ 4829:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   E: () => (/* binding */ CredentialHelper)
/* harmony export */ });
/* unused harmony export CredentialHelperError */
class CredentialHelperError extends Error {
    name = 'CredentialHelperError';
}
/** A name that can only ever run `docker-credential-<name>` found on PATH. */
const HELPER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
/** What helpers print when they hold nothing for the server (docker-credential-helpers' ErrCredentialsNotFound). */
const NOT_FOUND = /credentials not found/i;
const HELPER_TIMEOUT_MS = 30_000;
class CredentialHelper {
    origin;
    exec;
    env;
    program;
    constructor(name, 
    /** Where the helper was named, for messages: e.g. `/home/ci/.docker/config.json (credsStore)`. */
    origin, exec, env) {
        this.origin = origin;
        this.exec = exec;
        this.env = env;
        if (!HELPER_NAME.test(name)) {
            throw new CredentialHelperError(`${origin} names the credential helper ${JSON.stringify(name)}, which is not a helper name: fix that entry`);
        }
        this.program = `docker-credential-${name}`;
    }
    /** The login the helper holds for `serverUrl`; undefined when it holds none. */
    async get(serverUrl) {
        const result = await this.run('get', serverUrl);
        if (result.exitCode !== 0) {
            if (NOT_FOUND.test(result.stdout + result.stderr))
                return undefined;
            throw this.failure('read the login from', result);
        }
        let answer;
        try {
            answer = JSON.parse(result.stdout);
        }
        catch {
            throw new CredentialHelperError(`${this.program} get answered with something other than JSON`);
        }
        if (typeof answer.Secret !== 'string' || answer.Secret === '')
            return undefined;
        return { username: typeof answer.Username === 'string' ? answer.Username : '', secret: answer.Secret };
    }
    async store(serverUrl, credentials) {
        const result = await this.run('store', JSON.stringify({ ServerURL: serverUrl, Username: credentials.username, Secret: credentials.secret }));
        if (result.exitCode !== 0)
            throw this.failure('store the login in', result);
    }
    async erase(serverUrl) {
        const result = await this.run('erase', serverUrl);
        if (result.exitCode !== 0 && !NOT_FOUND.test(result.stdout + result.stderr))
            throw this.failure('erase the login from', result);
    }
    async run(action, stdin) {
        try {
            return await this.exec({ command: this.program, args: [action], stdin, env: this.env, silent: true, timeoutMs: HELPER_TIMEOUT_MS });
        }
        catch (error) {
            // exec rejects only when the program cannot be started: not on PATH.
            throw new CredentialHelperError(`${this.origin} sends logins to the credential helper ${this.program}, which cannot be run (${error instanceof Error ? error.message : String(error)}): ` +
                'install it, remove that setting from the config, or give the job a Docker config of its own (DOCKER_CONFIG)');
        }
    }
    failure(what, result) {
        const said = `${result.stdout}\n${result.stderr}`.split('\n').map((line) => line.trim()).filter(Boolean).pop() ?? `exit ${result.exitCode}`;
        return new CredentialHelperError(`could not ${what} the credential helper ${this.program} (named by ${this.origin}): ${said}`);
    }
}


/***/ }),

/***/ 467:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   TO: () => (/* binding */ readDockerConfig),
/* harmony export */   _D: () => (/* binding */ writeDockerConfig),
/* harmony export */   nM: () => (/* binding */ removeFile),
/* harmony export */   nu: () => (/* binding */ resolveDockerConfigFile),
/* harmony export */   wK: () => (/* binding */ writePrivateFileAtomically)
/* harmony export */ });
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1455);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6760);
/* harmony import */ var _docker_config_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(240);
/**
 * Reading and writing the Docker client config (`config.json`) as a whole:
 * every key imageship does not own is kept as it was, and a write replaces
 * the file atomically (a temp file in the same directory, then rename), so a
 * reader — docker, buildx, another imageship — sees the old file or the new
 * one, never half of one. Like the docker CLI, a config.json that is a
 * symlink is written through to its target.
 */




/** The file to read and write: `path`, or the target of the symlink it is. */
async function resolveDockerConfigFile(path) {
    try {
        return await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.realpath)(path);
    }
    catch {
        try {
            // No file yet: the directory may still be a symlink.
            return (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.realpath)((0,node_path__WEBPACK_IMPORTED_MODULE_2__.dirname)(path)), (0,node_path__WEBPACK_IMPORTED_MODULE_2__.basename)(path));
        }
        catch {
            return path;
        }
    }
}
async function readDockerConfig(path) {
    let text;
    try {
        text = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.readFile)(path, 'utf8');
    }
    catch (error) {
        if (error?.code === 'ENOENT')
            return { exists: false, data: {} };
        throw new _docker_config_js__WEBPACK_IMPORTED_MODULE_3__/* .DockerConfigError */ .Zh(`cannot read the Docker config ${path}: ${error instanceof Error ? error.message : String(error)}`, path);
    }
    // The docker CLI takes an empty file for an empty config.
    if (text.trim() === '')
        return { exists: true, data: {} };
    let data;
    try {
        data = JSON.parse(text);
    }
    catch {
        throw new _docker_config_js__WEBPACK_IMPORTED_MODULE_3__/* .DockerConfigError */ .Zh(`the Docker config ${path} is not valid JSON: fix it or remove it (imageship keeps every other setting in it, so it must parse)`, path);
    }
    if (data === null || typeof data !== 'object' || Array.isArray(data)) {
        throw new _docker_config_js__WEBPACK_IMPORTED_MODULE_3__/* .DockerConfigError */ .Zh(`the Docker config ${path} is not a JSON object: fix it or remove it`, path);
    }
    return { exists: true, data: data };
}
/** Replaces `path` with `data` (tab-indented, as the docker CLI writes it), readable by its owner only. */
async function writeDockerConfig(path, data) {
    await writePrivateFileAtomically(path, JSON.stringify(data, null, '\t'));
}
/** Deletes `path`; a file already gone is fine. */
async function removeFile(path) {
    try {
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.unlink)(path);
    }
    catch (error) {
        if (error?.code !== 'ENOENT')
            throw error;
    }
}
/**
 * Writes `text` to a fresh 0600 file beside `path` and renames it over
 * `path`: the file is never seen half written, and never readable by others
 * (the directory is created 0700 when missing).
 */
async function writePrivateFileAtomically(path, text) {
    const dir = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.dirname)(path);
    await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.mkdir)(dir, { recursive: true, mode: 0o700 });
    const temp = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(dir, `.${(0,node_path__WEBPACK_IMPORTED_MODULE_2__.basename)(path)}.${(0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.randomBytes)(6).toString('hex')}.tmp`);
    try {
        const handle = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.open)(temp, 'wx', 0o600);
        try {
            await handle.writeFile(text, 'utf8');
            await handle.datasync();
        }
        finally {
            await handle.close();
        }
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.rename)(temp, path);
    }
    catch (error) {
        await removeFile(temp).catch(() => undefined);
        throw new _docker_config_js__WEBPACK_IMPORTED_MODULE_3__/* .DockerConfigError */ .Zh(`cannot write ${path}: ${error instanceof Error ? error.message : String(error)}`, path);
    }
}


/***/ }),

/***/ 240:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   N3: () => (/* binding */ credentialsFromDockerConfig),
/* harmony export */   Q1: () => (/* binding */ dockerConfigPath),
/* harmony export */   Zh: () => (/* binding */ DockerConfigError),
/* harmony export */   f2: () => (/* binding */ normaliseHost)
/* harmony export */ });
/* harmony import */ var node_buffer__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4573);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6760);
/* harmony import */ var _reference_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(28);
/**
 * Registry credentials from a Docker client config file
 * (`$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`), as
 * `docker login` leaves them in `auths[host].auth` (base64 `user:password`).
 *
 * Credential helpers (`credsStore`, `credHelpers`) are NOT supported: they
 * keep the password in an OS keychain behind a `docker-credential-*`
 * program, which imageship does not run. When one holds the login for the
 * host, this module says so in a DockerConfigError instead of quietly
 * going on without credentials. Identity tokens (`identitytoken`, an OAuth
 * refresh token some registries hand out) are not supported either.
 */



class DockerConfigError extends Error {
    path;
    name = 'DockerConfigError';
    constructor(message, 
    /** The config file concerned. */
    path) {
        super(message);
        this.path = path;
    }
}
/** Names Docker has written for Docker Hub over the years; any of them is Docker Hub's login. */
const DOCKER_HUB_ALIASES = new Set([_reference_js__WEBPACK_IMPORTED_MODULE_2__/* .DOCKER_HUB */ .Xb, 'index.docker.io', 'registry-1.docker.io']);
/** Where the Docker client reads its config: `$DOCKER_CONFIG/config.json`, else `$HOME/.docker/config.json`. */
function dockerConfigPath(env) {
    if (env.DOCKER_CONFIG)
        return (0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(env.DOCKER_CONFIG, 'config.json');
    const home = env.HOME || env.USERPROFILE;
    return home ? (0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(home, '.docker', 'config.json') : undefined;
}
/**
 * The login stored for `host` (`host[:port]`, e.g. `swr.cn-north-4.myhuaweicloud.com`
 * or `docker.io`); undefined when there is no config file or it has no
 * login for that host. Throws DockerConfigError when the file is not
 * readable JSON, an entry is malformed, or the login sits in a credential
 * helper (not supported).
 */
async function credentialsFromDockerConfig(host, env, readFile) {
    const path = dockerConfigPath(env);
    if (path === undefined)
        return undefined;
    let text;
    try {
        text = await readFile(path);
    }
    catch (error) {
        if (error?.code === 'ENOENT')
            return undefined;
        throw new DockerConfigError(`cannot read the Docker config ${path}: ${error instanceof Error ? error.message : String(error)}`, path);
    }
    let config;
    try {
        config = JSON.parse(text);
    }
    catch {
        throw new DockerConfigError(`the Docker config ${path} is not valid JSON`, path);
    }
    if (config === null || typeof config !== 'object' || Array.isArray(config)) {
        throw new DockerConfigError(`the Docker config ${path} is not a JSON object`, path);
    }
    const record = config;
    const wanted = normaliseHost(host);
    // Docker asks a host's own helper first, whatever `auths` says.
    if (record.credHelpers !== null && typeof record.credHelpers === 'object') {
        for (const [key, helper] of Object.entries(record.credHelpers)) {
            if (normaliseHost(key) === wanted && typeof helper === 'string' && helper !== '') {
                throw new DockerConfigError(`${path} keeps the login for ${host} in the credential helper docker-credential-${helper} (credHelpers), ` +
                    'which imageship does not support: give the registry credentials explicitly instead', path);
            }
        }
    }
    const entry = findAuthEntry(record.auths, wanted);
    const store = typeof record.credsStore === 'string' && record.credsStore !== '' ? record.credsStore : undefined;
    const fromEntry = entry === undefined ? undefined : credentialsOf(entry.value, entry.key, path);
    if (fromEntry !== undefined)
        return fromEntry;
    if (store !== undefined) {
        // With a store, `docker login` leaves only an empty placeholder in `auths`; the password is in the store.
        throw new DockerConfigError(`${path} keeps logins in the credential store docker-credential-${store} (credsStore), which imageship does not ` +
            `support, and has no plain "auth" for ${host}: give the registry credentials explicitly instead`, path);
    }
    if (entry !== undefined && isRecord(entry.value) && typeof entry.value.identitytoken === 'string' && entry.value.identitytoken !== '') {
        throw new DockerConfigError(`${path} has only an identity token for ${host} (auths[${JSON.stringify(entry.key)}].identitytoken), which imageship does not support: give the registry credentials explicitly instead`, path);
    }
    return undefined;
}
function findAuthEntry(auths, wanted) {
    if (!isRecord(auths))
        return undefined;
    // An exact key first, then any spelling of the same host (`https://host/v1/`, `http://host`…).
    if (auths[wanted] !== undefined)
        return { key: wanted, value: auths[wanted] };
    for (const [key, value] of Object.entries(auths)) {
        if (normaliseHost(key) === wanted)
            return { key, value };
    }
    return undefined;
}
/** Credentials of one `auths` entry: `auth` (base64 `user:password`), else `username` + `password`; undefined when it has neither. */
function credentialsOf(entry, key, path) {
    if (!isRecord(entry))
        throw new DockerConfigError(`${path}: auths[${JSON.stringify(key)}] is not an object`, path);
    if (typeof entry.auth === 'string' && entry.auth !== '') {
        const decoded = node_buffer__WEBPACK_IMPORTED_MODULE_0__.Buffer.from(entry.auth, 'base64').toString('utf8');
        const colon = decoded.indexOf(':');
        if (!/^[A-Za-z0-9+/=\s_-]+$/.test(entry.auth) || colon <= 0) {
            throw new DockerConfigError(`${path}: auths[${JSON.stringify(key)}].auth is not base64 of "username:password"`, path);
        }
        return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
    }
    if (typeof entry.username === 'string' && entry.username !== '' && typeof entry.password === 'string') {
        return { username: entry.username, password: entry.password };
    }
    return undefined;
}
/** `https://Host:5000/v1/` → `host:5000`; Docker Hub's aliases → `docker.io`. */
function normaliseHost(value) {
    let host = value.trim().replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
    const slash = host.indexOf('/');
    if (slash !== -1)
        host = host.slice(0, slash);
    host = host.toLowerCase();
    return DOCKER_HUB_ALIASES.has(host) ? _reference_js__WEBPACK_IMPORTED_MODULE_2__/* .DOCKER_HUB */ .Xb : host;
}
function isRecord(value) {
    return value !== null && typeof value === 'object' && !Array.isArray(value);
}


/***/ }),

/***/ 7472:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   G4: () => (/* binding */ loginRecordPath),
/* harmony export */   GO: () => (/* binding */ writeLoginRecord),
/* harmony export */   Nz: () => (/* binding */ removeLoginRecord),
/* harmony export */   Rj: () => (/* binding */ fingerprint),
/* harmony export */   Te: () => (/* binding */ readLoginRecord),
/* harmony export */   tU: () => (/* binding */ sameFingerprint)
/* harmony export */ });
/* unused harmony export LOGIN_RECORD_DIR */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1455);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6760);
/* harmony import */ var _docker_config_file_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(467);
/**
 * What imageship keeps between its login and its logout, one file per
 * registry in `imageship-logins/` beside the Docker config (0700 directory,
 * 0600 files): the login that was there before (so logout puts it back) and
 * a salted hash of what imageship wrote (so logout touches the entry only
 * while it is still imageship's).
 *
 * Why beside the config rather than in RUNNER_TEMP: the saved login came
 * from that config, in the same directory, readable by the same user, so
 * keeping it there exposes it to no one new; and every process that uses
 * that config (the post step, `imageship post`, a library's dockerLogout,
 * another job on a runner sharing ~/.docker) finds it from the config path
 * alone, whatever its RUNNER_TEMP. Nothing of it goes to step state,
 * outputs or logs.
 */




const LOGIN_RECORD_DIR = 'imageship-logins';
/** `<config dir>/imageship-logins/<key>.json`, the key made safe as a file name. */
function loginRecordPath(configFile, key) {
    const name = key.replace(/[^A-Za-z0-9.-]/g, '_');
    return (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)((0,node_path__WEBPACK_IMPORTED_MODULE_2__.dirname)(configFile), LOGIN_RECORD_DIR, `${name}.json`);
}
/** The record, or undefined when there is none (or it is not one of ours: it is then ignored and replaced). */
async function readLoginRecord(path) {
    let text;
    try {
        text = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.readFile)(path, 'utf8');
    }
    catch {
        return undefined;
    }
    try {
        const record = JSON.parse(text);
        if (record.version !== 1 || typeof record.key !== 'string' || typeof record.store !== 'string')
            return undefined;
        if (record.previous === null || typeof record.previous !== 'object' || !('entry' in record.previous))
            return undefined;
        if (typeof record.wrote?.salt !== 'string' || typeof record.wrote.sha256 !== 'string')
            return undefined;
        return { ...record, createdConfig: record.createdConfig === true };
    }
    catch {
        return undefined;
    }
}
async function writeLoginRecord(path, record) {
    await (0,_docker_config_file_js__WEBPACK_IMPORTED_MODULE_3__/* .writePrivateFileAtomically */ .wK)(path, `${JSON.stringify(record, null, 2)}\n`);
}
/** Deletes the record, and its directory once it holds no other. */
async function removeLoginRecord(path) {
    await (0,_docker_config_file_js__WEBPACK_IMPORTED_MODULE_3__/* .removeFile */ .nM)(path);
    const dir = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.dirname)(path);
    try {
        if ((await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.readdir)(dir)).length === 0)
            await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.rmdir)(dir);
    }
    catch {
        // Another process wrote a record there meanwhile, or it is gone already.
    }
}
/** A salted fingerprint of a written value: enough to recognise it later, useless to recover it. */
function fingerprint(value, salt = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.randomBytes)(16).toString('hex')) {
    return { salt, sha256: (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256').update(salt).update('\0').update(value).digest('hex') };
}
function sameFingerprint(expected, value) {
    return value !== undefined && fingerprint(value, expected.salt).sha256 === expected.sha256;
}


/***/ }),

/***/ 103:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  vx: () => (/* binding */ authsOf),
  OY: () => (/* binding */ configFileOf),
  qW: () => (/* binding */ deleteAuth),
  u0: () => (/* binding */ entryText),
  ku: () => (/* binding */ hasPrevious),
  yW: () => (/* binding */ helperFor),
  cy: () => (/* binding */ helperText),
  Yr: () => (/* binding */ isEmptyConfig),
  Pd: () => (/* binding */ serverKey),
  TV: () => (/* binding */ setAuth),
  E1: () => (/* binding */ withConfigLock)
});

// UNUSED EXPORTS: isRecord

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
;// CONCATENATED MODULE: ./build/src/registry/config-lock.js
/**
 * A lock file beside the Docker config, so imageship processes that share one
 * config (parallel jobs on a self-hosted runner, CLI runs started side by
 * side) make their read-modify-write of config.json one at a time and none
 * loses another's entry.
 *
 * The lock is a file created with O_EXCL (`wx`) that names its holder. A
 * holder that died (same machine and pid namespace, pid gone) or that has
 * held the lock far longer than any update takes is stale, and the lock is
 * broken. The docker CLI takes no lock: a `docker login` running at the very
 * same moment can still win a race (its write is atomic too, so the file
 * stays valid JSON either way).
 */




class ConfigLockError extends Error {
    name = 'ConfigLockError';
}
/** Updates take milliseconds; a credential helper call is bounded at 30 s (three of them at most). */
const DEFAULT_STALE_MS = 120_000;
const DEFAULT_WAIT_MS = 150_000;
/** Runs `body` while holding the lock file `lockPath`; the lock is released however `body` ends. */
async function withFileLock(lockPath, body, options = {}) {
    const token = await acquire(lockPath, options);
    try {
        return await body();
    }
    finally {
        await release(lockPath, token);
    }
}
async function acquire(lockPath, options) {
    const staleMs = options.staleMs ?? DEFAULT_STALE_MS;
    const deadline = Date.now() + (options.waitMs ?? DEFAULT_WAIT_MS);
    const me = { pid: process.pid, machine: thisMachine(), token: (0,external_node_crypto_.randomBytes)(12).toString('hex'), since: new Date().toISOString() };
    let pause = 5;
    for (;;) {
        try {
            const handle = await (0,promises_.open)(lockPath, 'wx', 0o600);
            try {
                await handle.writeFile(JSON.stringify(me));
            }
            finally {
                await handle.close();
            }
            return me.token;
        }
        catch (error) {
            if (errorCode(error) !== 'EEXIST')
                throw new ConfigLockError(`cannot create the lock file ${lockPath}: ${errorMessage(error)}`);
        }
        const holder = await readHolder(lockPath);
        const age = await ageMs(lockPath);
        if (age === undefined)
            continue; // released in between: try again at once
        if (isStale(holder, age, staleMs)) {
            await breakStaleLock(lockPath, me.token, staleMs);
            continue;
        }
        if (Date.now() > deadline) {
            const who = holder ? `process ${holder.pid} (since ${holder.since})` : 'another process';
            throw new ConfigLockError(`the Docker config is locked by ${who} through ${lockPath} for ${Math.round(age / 1000)} s: if no imageship is running on this machine, remove that file`);
        }
        // Jitter, so processes that woke together do not collide again.
        await new Promise((resolve) => setTimeout(resolve, pause + Math.random() * pause));
        pause = Math.min(pause * 2, 100);
    }
}
/** Its holder died (checked only where its pid means something), or it was held far too long. */
function isStale(holder, age, staleMs) {
    return age > staleMs || (holder !== undefined && holder.machine === thisMachine() && !processAlive(holder.pid));
}
/**
 * Moves the stale lock aside (rename is atomic: of several processes breaking
 * it, one wins), judges again what was moved and deletes it. When that is a
 * live lock (the stale one was broken and taken anew in between), it is put
 * back, unless yet another lock exists by then.
 */
async function breakStaleLock(lockPath, myToken, staleMs) {
    const aside = `${lockPath}.stale-${myToken}`;
    try {
        await (0,promises_.rename)(lockPath, aside);
    }
    catch (error) {
        if (errorCode(error) === 'ENOENT')
            return;
        throw new ConfigLockError(`cannot remove the stale lock file ${lockPath}: ${errorMessage(error)}`);
    }
    const age = (await ageMs(aside)) ?? Number.POSITIVE_INFINITY;
    if (!isStale(await readHolder(aside), age, staleMs))
        await (0,promises_.link)(aside, lockPath).catch(() => undefined);
    await (0,promises_.unlink)(aside).catch(() => undefined);
}
async function release(lockPath, token) {
    // Held so long that another process broke it as stale: that lock is not ours to remove.
    if ((await readHolder(lockPath))?.token !== token)
        return;
    await (0,promises_.unlink)(lockPath).catch(() => undefined);
}
async function readHolder(path) {
    try {
        const holder = JSON.parse(await (0,promises_.readFile)(path, 'utf8'));
        if (typeof holder.pid === 'number' && typeof holder.machine === 'string' && typeof holder.token === 'string') {
            return { pid: holder.pid, machine: holder.machine, token: holder.token, since: String(holder.since ?? '') };
        }
    }
    catch {
        // Gone, or still being written by its creator: judged by its age alone.
    }
    return undefined;
}
async function ageMs(path) {
    try {
        return Date.now() - (await (0,promises_.stat)(path)).mtimeMs;
    }
    catch {
        return undefined;
    }
}
function processAlive(pid) {
    try {
        process.kill(pid, 0);
        return true;
    }
    catch (error) {
        return errorCode(error) === 'EPERM';
    }
}
let machine;
/** Containers may share a host name but not a pid namespace: both must match for a pid to be checked. */
function thisMachine() {
    if (machine === undefined) {
        let pidNamespace = '';
        try {
            pidNamespace = (0,external_node_fs_.readlinkSync)('/proc/self/ns/pid');
        }
        catch {
            // Not Linux: the host name alone.
        }
        machine = `${(0,external_node_os_.hostname)()}/${pidNamespace}`;
    }
    return machine;
}
function errorCode(error) {
    const code = error?.code;
    return typeof code === 'string' ? code : undefined;
}
function errorMessage(error) {
    return error instanceof Error ? error.message : String(error);
}

// EXTERNAL MODULE: ./build/src/registry/credential-helper.js
var credential_helper = __webpack_require__(4829);
// EXTERNAL MODULE: ./build/src/registry/docker-config.js
var docker_config = __webpack_require__(240);
// EXTERNAL MODULE: ./build/src/registry/docker-config-file.js
var docker_config_file = __webpack_require__(467);
// EXTERNAL MODULE: ./build/src/registry/reference.js
var reference = __webpack_require__(28);
;// CONCATENATED MODULE: ./build/src/registry/login-store.js
/**
 * Where logins live in the Docker config, shared by dockerLogin and
 * dockerLogout: the key docker uses for a registry, the `auths` entries,
 * the credential helper a key's login goes to, and the lock every
 * read-modify-write of config.json holds. Kept apart from the login so the
 * post step, which only logs out, loads none of the registry client.
 */







/** The key `docker login` stores a registry's login under. */
function serverKey(registry) {
    return (0,docker_config/* normaliseHost */.f2)(registry) === reference/* DOCKER_HUB */.Xb ? 'https://index.docker.io/v1/' : registry;
}
/** The config file (through a symlink, as docker writes it); throws when there is no location for one. */
async function configFileOf(env, operation) {
    const path = (0,docker_config/* dockerConfigPath */.Q1)(env);
    if (path === undefined)
        throw new Error(`${operation}: no Docker config location: set DOCKER_CONFIG (or HOME)`);
    return (0,docker_config_file/* resolveDockerConfigFile */.nu)(path);
}
/** Runs `body` holding the lock beside config.json; a failure is one error starting with `operation`. */
async function withConfigLock(configFile, operation, body) {
    try {
        // The lock file lives beside config.json: a first login creates the directory, private as docker makes it.
        await (0,promises_.mkdir)((0,external_node_path_.dirname)(configFile), { recursive: true, mode: 0o700 });
        return await withFileLock(`${configFile}.lock`, body);
    }
    catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        throw new Error(message.startsWith(`${operation}: `) ? message : `${operation}: ${message}`);
    }
}
/**
 * The credential helper the docker CLI would give this key's login to:
 * the host's credHelpers entry first (an empty one means config.json
 * itself), then credsStore.
 */
function helperFor(config, configFile, key, exec, env) {
    const { credHelpers, credsStore } = config.data;
    if (isRecord(credHelpers)) {
        const wanted = (0,docker_config/* normaliseHost */.f2)(key);
        const name = credHelpers[key] ?? Object.entries(credHelpers).find(([host]) => (0,docker_config/* normaliseHost */.f2)(host) === wanted)?.[1];
        if (typeof name === 'string')
            return name === '' ? undefined : new credential_helper/* CredentialHelper */.E(name, `${configFile} (credHelpers)`, exec, env);
    }
    if (typeof credsStore === 'string' && credsStore !== '')
        return new credential_helper/* CredentialHelper */.E(credsStore, `${configFile} (credsStore)`, exec, env);
    return undefined;
}
function authsOf(config) {
    const auths = config.data.auths;
    return isRecord(auths) ? auths : {};
}
function setAuth(config, key, entry) {
    if (!isRecord(config.data.auths))
        config.data.auths = {};
    config.data.auths[key] = entry;
}
function deleteAuth(config, key) {
    if (isRecord(config.data.auths))
        delete config.data.auths[key];
}
/** Nothing but an empty `auths`: what a config imageship created holds once its login is gone. */
function isEmptyConfig(config) {
    const keys = Object.keys(config.data);
    return keys.every((name) => name === 'auths') && Object.keys(authsOf(config)).length === 0;
}
/** The record saved a login that was there before imageship's. */
function hasPrevious(record) {
    return record.previous.entry !== null || (record.previous.helper ?? null) !== null;
}
/** What a written `auths` entry is recognised by. */
function entryText(entry) {
    return entry === undefined ? undefined : JSON.stringify(entry);
}
/** What a login held by a credential helper is recognised by. */
function helperText(credentials) {
    return credentials === undefined ? undefined : `${credentials.username}\0${credentials.secret}`;
}
function isRecord(value) {
    return value !== null && typeof value === 'object' && !Array.isArray(value);
}


/***/ }),

/***/ 6563:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   t: () => (/* binding */ dockerLogout)
/* harmony export */ });
/* harmony import */ var _credential_helper_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(4829);
/* harmony import */ var _docker_config_file_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(467);
/* harmony import */ var _login_record_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7472);
/* harmony import */ var _login_store_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(103);




/**
 * Undoes imageship's login to `registry`: puts back the login that was there
 * before, or removes the entry imageship wrote. An entry replaced since
 * (by `docker login` or another run) is left as it is, and so is a login
 * imageship did not write. Never throws: a failure is `ok: false`.
 */
async function dockerLogout(exec, registry, env) {
    try {
        return await undoLogin(exec, registry, env);
    }
    catch (error) {
        return { ok: false, outcome: 'failed', message: error instanceof Error ? error.message : String(error) };
    }
}
async function undoLogin(exec, registry, env) {
    const configFile = await (0,_login_store_js__WEBPACK_IMPORTED_MODULE_2__/* .configFileOf */ .OY)(env, `log out of ${registry}`);
    const key = (0,_login_store_js__WEBPACK_IMPORTED_MODULE_2__/* .serverKey */ .Pd)(registry);
    const recordFile = (0,_login_record_js__WEBPACK_IMPORTED_MODULE_1__/* .loginRecordPath */ .G4)(configFile, key);
    const none = { ok: true, outcome: 'none', message: `imageship holds no login for ${registry} in ${configFile}: nothing to undo` };
    // No record, no lock: a logout with nothing to undo leaves no trace (not even a directory for the lock).
    if ((await (0,_login_record_js__WEBPACK_IMPORTED_MODULE_1__/* .readLoginRecord */ .Te)(recordFile)) === undefined)
        return none;
    return (0,_login_store_js__WEBPACK_IMPORTED_MODULE_2__/* .withConfigLock */ .E1)(configFile, `log out of ${registry}`, async () => {
        const record = await (0,_login_record_js__WEBPACK_IMPORTED_MODULE_1__/* .readLoginRecord */ .Te)(recordFile);
        if (record === undefined)
            return none;
        const config = await (0,_docker_config_file_js__WEBPACK_IMPORTED_MODULE_0__/* .readDockerConfig */ .TO)(configFile);
        const current = (0,_login_store_js__WEBPACK_IMPORTED_MODULE_2__/* .authsOf */ .vx)(config)[key];
        const restoring = (0,_login_store_js__WEBPACK_IMPORTED_MODULE_2__/* .hasPrevious */ .ku)(record);
        if (record.store === 'file') {
            if (!(0,_login_record_js__WEBPACK_IMPORTED_MODULE_1__/* .sameFingerprint */ .tU)(record.wrote, (0,_login_store_js__WEBPACK_IMPORTED_MODULE_2__/* .entryText */ .u0)(current)))
                return leftAlone(record, recordFile, registry, configFile);
            if (record.previous.entry !== null)
                (0,_login_store_js__WEBPACK_IMPORTED_MODULE_2__/* .setAuth */ .TV)(config, key, record.previous.entry);
            else
                (0,_login_store_js__WEBPACK_IMPORTED_MODULE_2__/* .deleteAuth */ .qW)(config, key);
        }
        else {
            const helper = new _credential_helper_js__WEBPACK_IMPORTED_MODULE_3__/* .CredentialHelper */ .E(record.store.replace(/^docker-credential-/, ''), `${configFile} (${record.store})`, exec, env);
            if (!(0,_login_record_js__WEBPACK_IMPORTED_MODULE_1__/* .sameFingerprint */ .tU)(record.wrote, (0,_login_store_js__WEBPACK_IMPORTED_MODULE_2__/* .helperText */ .cy)(await helper.get(key))))
                return leftAlone(record, recordFile, registry, configFile);
            if (record.previous.helper)
                await helper.store(key, record.previous.helper);
            else
                await helper.erase(key);
            if (record.previous.entry !== null)
                (0,_login_store_js__WEBPACK_IMPORTED_MODULE_2__/* .setAuth */ .TV)(config, key, record.previous.entry);
            else
                (0,_login_store_js__WEBPACK_IMPORTED_MODULE_2__/* .deleteAuth */ .qW)(config, key);
        }
        if (record.createdConfig && (0,_login_store_js__WEBPACK_IMPORTED_MODULE_2__/* .isEmptyConfig */ .Yr)(config))
            await (0,_docker_config_file_js__WEBPACK_IMPORTED_MODULE_0__/* .removeFile */ .nM)(configFile);
        else
            await (0,_docker_config_file_js__WEBPACK_IMPORTED_MODULE_0__/* .writeDockerConfig */ ._D)(configFile, config.data);
        await (0,_login_record_js__WEBPACK_IMPORTED_MODULE_1__/* .removeLoginRecord */ .Nz)(recordFile);
        return restoring
            ? { ok: true, outcome: 'restored', message: `logged out of ${registry}: the login that was there before is back in ${record.store === 'file' ? configFile : record.store}` }
            : { ok: true, outcome: 'removed', message: `logged out of ${registry}` };
    });
}
async function leftAlone(record, recordFile, registry, configFile) {
    // What it saved no longer applies: whoever replaced the entry decides what stays.
    await (0,_login_record_js__WEBPACK_IMPORTED_MODULE_1__/* .removeLoginRecord */ .Nz)(recordFile);
    return {
        ok: true,
        outcome: 'changed',
        message: `the login for ${registry} in ${configFile} was replaced since imageship wrote it (by docker login or another run): left as it is${(0,_login_store_js__WEBPACK_IMPORTED_MODULE_2__/* .hasPrevious */ .ku)(record) ? ', and the login saved before it is dropped' : ''}`,
    };
}


/***/ }),

/***/ 28:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Bc: () => (/* binding */ isDigest),
/* harmony export */   DD: () => (/* binding */ digestError),
/* harmony export */   FH: () => (/* binding */ formatReference),
/* harmony export */   PN: () => (/* binding */ repositoryError),
/* harmony export */   Xb: () => (/* binding */ DOCKER_HUB),
/* harmony export */   o_: () => (/* binding */ parseImageReference),
/* harmony export */   r_: () => (/* binding */ isValidTag),
/* harmony export */   wv: () => (/* binding */ isValidRegistryHost)
/* harmony export */ });
/**
 * Image references as Docker reads them (`nginx`, `host:5000/org/app:tag`,
 * `org/app@sha256:…`), and the name grammar of the OCI distribution spec,
 * which the client also uses to keep user input out of URL paths unchecked.
 */
const DOCKER_HUB = 'docker.io';
/** Docker's older spelling of Docker Hub, normalised as Docker does. */
const DOCKER_HUB_LEGACY = 'index.docker.io';
/** Docker Hub's official images live under this namespace. */
const OFFICIAL_NAMESPACE = 'library';
/** The distribution spec caps a repository name; registries reject longer ones. */
const MAX_REPOSITORY_LENGTH = 255;
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const REPOSITORY = new RegExp(`^${PATH_COMPONENT}(?:/${PATH_COMPONENT})*$`);
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[A-Za-z0-9=_-]+$/;
/** Digests of the registered algorithms must be exactly their hex length. */
const REGISTERED_DIGESTS = {
    sha256: /^[a-f0-9]{64}$/,
    sha512: /^[a-f0-9]{128}$/,
};
const HOST_LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?';
const REGISTRY_HOST = new RegExp(`^(?:${HOST_LABEL}(?:\\.${HOST_LABEL})*|\\[[0-9A-Fa-f:.]+\\])(?::(\\d{1,5}))?$`);
/** Splits and validates a reference; throws an Error saying what is wrong. */
function parseImageReference(ref) {
    const fail = (why) => {
        throw new Error(`invalid image reference ${JSON.stringify(ref)}: ${why}`);
    };
    if (ref === '')
        fail('it is empty');
    if (/\s/.test(ref))
        fail('it contains whitespace');
    let name = ref;
    let digest;
    const at = ref.indexOf('@');
    if (at !== -1) {
        name = ref.slice(0, at);
        digest = ref.slice(at + 1);
        const digestProblem = digestError(digest);
        if (digestProblem)
            fail(digestProblem);
    }
    let registry = DOCKER_HUB;
    let remainder = name;
    const slash = name.indexOf('/');
    if (slash !== -1) {
        const first = name.slice(0, slash);
        if (first.includes('.') || first.includes(':') || first === 'localhost') {
            if (!isValidRegistryHost(first))
                fail(`${JSON.stringify(first)} is not a valid registry host[:port]`);
            registry = first === DOCKER_HUB_LEGACY ? DOCKER_HUB : first;
            remainder = name.slice(slash + 1);
        }
    }
    let repository = remainder;
    let tag;
    const colon = remainder.lastIndexOf(':');
    if (colon !== -1) {
        repository = remainder.slice(0, colon);
        tag = remainder.slice(colon + 1);
        if (tag === '')
            fail('the tag after ":" is empty');
        if (tag.includes('/'))
            fail(`${JSON.stringify(tag)} is not a valid tag`);
        if (!TAG.test(tag))
            fail(`tag ${JSON.stringify(tag)} is not valid (letters, digits, "_", "." and "-", at most 128, not starting with "." or "-")`);
    }
    const repositoryProblem = repositoryError(repository);
    if (repositoryProblem)
        fail(repositoryProblem);
    if (registry === DOCKER_HUB && !repository.includes('/'))
        repository = `${OFFICIAL_NAMESPACE}/${repository}`;
    const result = { registry, repository };
    if (tag !== undefined)
        result.tag = tag;
    if (digest !== undefined)
        result.digest = digest;
    return result;
}
/** Why `repository` is not a valid repository name, or undefined when it is. */
function repositoryError(repository) {
    if (repository === '')
        return 'the repository name is empty';
    if (repository.split('/').some((component) => component === '')) {
        return `repository ${JSON.stringify(repository)} has an empty path component`;
    }
    if (repository !== repository.toLowerCase())
        return `repository ${JSON.stringify(repository)} must be lowercase`;
    if (repository.length > MAX_REPOSITORY_LENGTH)
        return `repository name is longer than ${MAX_REPOSITORY_LENGTH} characters`;
    if (!REPOSITORY.test(repository)) {
        return `repository ${JSON.stringify(repository)} is not valid (lowercase letters and digits, separated by ".", "_", "__" or "-")`;
    }
    return undefined;
}
/** Why `digest` is not a valid `algorithm:hex` digest, or undefined when it is. */
function digestError(digest) {
    if (digest === '')
        return 'the digest after "@" is empty';
    if (!DIGEST.test(digest))
        return `${JSON.stringify(digest)} is not a valid digest (algorithm:hex)`;
    const colon = digest.indexOf(':');
    const pattern = REGISTERED_DIGESTS[digest.slice(0, colon)];
    if (pattern && !pattern.test(digest.slice(colon + 1))) {
        return `${JSON.stringify(digest)} does not have the length or lowercase hex its algorithm requires`;
    }
    return undefined;
}
function isValidTag(tag) {
    return TAG.test(tag);
}
function isDigest(reference) {
    return reference.includes(':') && digestError(reference) === undefined;
}
function isValidRegistryHost(host) {
    const match = REGISTRY_HOST.exec(host);
    if (!match)
        return false;
    const port = match[1];
    return port === undefined || (Number(port) > 0 && Number(port) <= 65_535);
}
/** `registry/repository:tag` or `registry/repository@digest`, for messages. */
function formatReference(registry, repository, reference) {
    return `${registry}/${repository}${isDigest(reference) ? '@' : ':'}${reference}`;
}


/***/ })

};
