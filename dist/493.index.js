export const id = 493;
export const ids = [493];
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

/** Hosts saved so far by this main step: each login adds one, and the whole list is saved again. */
const saved = [];
function markMainStarted() {
    (0,_runner_index_js__WEBPACK_IMPORTED_MODULE_0__/* .saveState */ .LZ)('isPost', 'true');
}
/**
 * Saved before each login (the step's own and every registry-auth entry's):
 * `registry` keeps the first; from the second on, `registries` lists them
 * all, one per line (a run with one login leaves the state as it always was).
 */
function saveLoggedInRegistry(registry, logout) {
    if (!saved.includes(registry))
        saved.push(registry);
    (0,_runner_index_js__WEBPACK_IMPORTED_MODULE_0__/* .saveState */ .LZ)('registry', saved[0] ?? registry);
    if (saved.length > 1)
        (0,_runner_index_js__WEBPACK_IMPORTED_MODULE_0__/* .saveState */ .LZ)('registries', saved.join('\n'));
    (0,_runner_index_js__WEBPACK_IMPORTED_MODULE_0__/* .saveState */ .LZ)('logout', String(logout));
}
function readPostState() {
    const listed = (0,_runner_index_js__WEBPACK_IMPORTED_MODULE_0__/* .getState */ .Gu)('registries').split('\n').map((line) => line.trim()).filter(Boolean);
    const single = (0,_runner_index_js__WEBPACK_IMPORTED_MODULE_0__/* .getState */ .Gu)('registry').trim();
    return { registries: listed.length > 0 ? listed : single === '' ? [] : [single], logout: (0,_runner_index_js__WEBPACK_IMPORTED_MODULE_0__/* .getState */ .Gu)('logout') !== 'false' };
}


/***/ }),

/***/ 4701:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  Qc: () => (/* binding */ configErrorLines),
  je: () => (/* binding */ logOut),
  Rs: () => (/* binding */ maskSecretOptions),
  tn: () => (/* binding */ parseRunConfig),
  pL: () => (/* binding */ readOptionalFile),
  yk: () => (/* binding */ userMessageOf)
});

// UNUSED EXPORTS: schemaFallbackVariables

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: ./build/src/domain/tags/index.js + 19 modules
var tags = __webpack_require__(9268);
// EXTERNAL MODULE: ./build/src/domain/input-syntax.js
var input_syntax = __webpack_require__(9260);
;// CONCATENATED MODULE: ./build/src/config/check-tag-rules.js
/**
 * The `tags` input's problems, in the user's syntax. The one mistake the tag
 * rules cannot explain on their own is several rules on one line
 * (`--tags 'latest,type=sha'`, `tags: latest,type=sha`): read as one rule,
 * `latest` looks like an attribute without a key, and the rule parser would
 * suggest `value=latest`. Such a line is named here instead, with the fix.
 */


/** Returns the parsed rules (the run computes its tags from them, so they are parsed once). */
function checkTagRules(raw, syntax, problems) {
    const singleRuleLines = [];
    for (const rawLine of raw.split(/\r?\n/)) {
        const rules = rulesOnOneLine(rawLine.trim());
        if (rules)
            problems.push(severalRulesProblem(rawLine.trim(), rules, syntax));
        else
            singleRuleLines.push(rawLine);
    }
    const parsed = (0,tags/* parseTagRules */.hh)(singleRuleLines.join('\n'));
    for (const problem of parsed.errors)
        problems.push(problem.startsWith('tags:') ? problem : `tags: ${problem}`);
    return parsed.rules;
}
/**
 * The rules a bad line holds when it is really several rules joined by
 * commas: each starts at a bare tag (`latest`) or at `type=`. Undefined when
 * the line is fine as it is, or is not valid when split either.
 */
function rulesOnOneLine(line) {
    if (line === '' || line.startsWith('#') || !line.includes(','))
        return undefined;
    if ((0,tags/* parseTagRules */.hh)(line).errors.length === 0)
        return undefined;
    const rules = [];
    for (const field of line.split(',').map((part) => part.trim())) {
        const startsRule = field.startsWith('type=') || /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(field);
        if (startsRule || rules.length === 0)
            rules.push(field);
        else
            rules[rules.length - 1] += `,${field}`;
    }
    if (rules.length < 2 || (0,tags/* parseTagRules */.hh)(rules.join('\n')).errors.length > 0)
        return undefined;
    return rules;
}
function severalRulesProblem(line, rules, syntax) {
    const fix = syntax === 'cli'
        ? rules.map((rule) => (0,input_syntax/* setting */.Pe)('cli', 'tags', rule)).join(' ')
        : `tags: | with ${rules.slice(0, -1).join(', ')} and ${rules.at(-1)} on lines of their own`;
    return `tags: "${line}" holds ${rules.length} rules on one line: give one rule per line: ${fix}`;
}

// EXTERNAL MODULE: ./build/src/config/closest-name.js
var closest_name = __webpack_require__(4907);
// EXTERNAL MODULE: ./build/src/domain/image/reference.js
var image_reference = __webpack_require__(1605);
;// CONCATENATED MODULE: ./build/src/config/image-as-reference.js
/**
 * `image` is only the repository name inside the namespace, but people paste
 * what `docker push` takes (`swr.cn-north-4.myhuaweicloud.com/my-org/app:1.0`)
 * or add a tag (`app:1.0`). The naming rules alone would say `contains ":"`;
 * this names the options each part belongs to.
 */


/**
 * A problem line when `image` holds a registry host, a tag or a digest;
 * undefined for a plain repository name (valid or not: the naming rules
 * judge that).
 */
function imageAsReferenceProblem(image, context, syntax) {
    const firstPart = image.split('/')[0] ?? '';
    const hasHost = image.includes('/') && (firstPart.includes('.') || firstPart.includes(':') || firstPart === 'localhost');
    if (!hasHost && !/[:@]/.test(image))
        return undefined;
    let reference;
    try {
        reference = (0,image_reference/* parseImageReference */.o_)(hasHost ? image : `localhost/${image}`);
    }
    catch {
        return undefined;
    }
    const parts = [];
    if (hasHost) {
        const swrRegion = context.provider === 'huaweicloud' ? swrRegionOf(reference.registry, context.domain) : undefined;
        parts.push(swrRegion ? ['region', swrRegion] : ['registry', reference.registry]);
    }
    let repository = reference.repository;
    // SWR's organization is the first path part; a namespace given next to a full reference yields to it.
    if (hasHost && repository.includes('/')) {
        const slash = repository.indexOf('/');
        parts.push(['namespace', repository.slice(0, slash)]);
        repository = repository.slice(slash + 1);
    }
    parts.push(['image', repository]);
    if (reference.tag)
        parts.push(['tags', reference.tag]);
    const what = hasHost ? 'a full image reference' : reference.digest ? 'a name with a digest' : 'a name with a tag';
    const roles = {
        region: 'region for the SWR host',
        registry: 'registry for the host',
        namespace: 'namespace for the organization',
        tags: 'tags for the tag',
    };
    const explained = parts.map(([name]) => roles[name]).filter((role) => role !== undefined);
    const digestHint = reference.digest ? '; to deploy an image that exists by digest, use deploy-image' : '';
    return (`image: "${image}" is ${what}, but image takes only the repository name` +
        `${explained.length > 0 ? `; the other parts have options of their own (${explained.join(', ')})` : ''}: use ${(0,input_syntax/* settings */.W0)(syntax, parts)}${digestHint}`);
}
/** `swr.cn-north-4.myhuaweicloud.com` → `cn-north-4`. */
function swrRegionOf(host, domain) {
    const suffix = `.${domain}`;
    if (!host.startsWith('swr.') || !host.endsWith(suffix))
        return undefined;
    const region = host.slice('swr.'.length, -suffix.length);
    return /^[a-z]{2}(-[a-z]+)+-\d{1,3}$/.test(region) ? region : undefined;
}

;// CONCATENATED MODULE: ./build/src/config/naming.js
/**
 * SWR naming rules, checked before anything is sent so a bad name fails with
 * a fix instead of a late `denied` or `invalid reference format` from docker.
 * Each function returns undefined when the value is valid, else a sentence
 * saying what is wrong and how to fix it.
 */
const SEPARATOR = /[._-]/;
/** A run of separators is allowed only as `_` or `__` (SWR and the OCI grammar agree on that much). */
function badSeparatorRun(value) {
    const runs = value.match(/[._-]{2,}/g) ?? [];
    return runs.find((run) => run !== '__');
}
function checkRegion(region) {
    if (/^[a-z]{2}(-[a-z]+)+-\d{1,3}$/.test(region))
        return undefined;
    if (/^[a-z]{2}(-[a-z]+)+-\d{1,3}$/.test(region.toLowerCase()))
        return `"${region}" must be lowercase: use "${region.toLowerCase()}"`;
    return `"${region}" is not a Huawei Cloud region id: use an id such as cn-north-4 or ap-southeast-1 (the console's region list shows them)`;
}
function checkOrganization(name) {
    if (name.length < 1 || name.length > 64)
        return `"${name}" must be 1 to 64 characters long`;
    if (name !== name.toLowerCase())
        return `"${name}" must be lowercase: use "${name.toLowerCase()}"`;
    if (!/^[a-z]/.test(name))
        return `"${name}" must start with a lowercase letter`;
    const bad = name.match(/[^a-z0-9._-]/);
    if (bad)
        return `"${name}" contains "${bad[0]}": use only a-z, 0-9, ".", "_" and "-"`;
    const run = badSeparatorRun(name);
    if (run)
        return `"${name}" has adjacent separators "${run}": separate words with a single ".", "_" or "-"`;
    if (SEPARATOR.test(name.at(-1) ?? ''))
        return `"${name}" must end with a letter or digit`;
    return undefined;
}
function checkRepository(name) {
    if (name.length < 1 || name.length > 128)
        return `"${name}" must be 1 to 128 characters long`;
    if (name !== name.toLowerCase())
        return `"${name}" must be lowercase: use "${name.toLowerCase()}"`;
    const bad = name.match(/[^a-z0-9./_-]/);
    if (bad)
        return `"${name}" contains "${bad[0]}": use only a-z, 0-9, ".", "/", "_" and "-"`;
    for (const part of name.split('/')) {
        if (part === '')
            return `"${name}" has an empty path component: remove the extra "/"`;
        if (SEPARATOR.test(part[0] ?? '') || SEPARATOR.test(part.at(-1) ?? '')) {
            return `"${name}": each "/"-separated part must start and end with a letter or digit`;
        }
        const run = badSeparatorRun(part);
        if (run)
            return `"${name}" has adjacent separators "${run}": use a single ".", "_" or "-"`;
    }
    return undefined;
}
function checkTag(tag) {
    if (/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(tag))
        return undefined;
    return `"${tag}" is not a valid tag: up to 128 of A-Z a-z 0-9 _ . -, not starting with . or -`;
}
function checkRegistryHost(host) {
    if (/^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*)(:\d{1,5})?$/.test(host)) {
        return undefined;
    }
    if (/^[a-z]+:\/\//i.test(host))
        return `"${host}" must be host[:port] without a scheme: use "${host.replace(/^[a-z]+:\/\//i, '').replace(/\/.*$/, '')}"`;
    return `"${host}" is not a registry host[:port], e.g. swr.cn-north-4.myhuaweicloud.com or 127.0.0.1:5000`;
}

// EXTERNAL MODULE: ./build/src/config/read-values.js
var read_values = __webpack_require__(7949);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
;// CONCATENATED MODULE: ./build/src/config/parse-build.js
/**
 * The build inputs: context, Dockerfile, arguments, platforms, caches, the
 * builder, build secrets and attestations. Pure: reads option values and the
 * environment map, touches no file (whether files exist is the plan's check).
 */


const BUILD_ARG_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const LABEL_NAME = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;
const PLATFORM = /^[a-z0-9]+\/[a-z0-9_]+(\/[a-z0-9]+)?$/;
/** BuildKit's secret ids: what `RUN --mount=type=secret,id=…` can name. */
const SECRET_ID = /^[A-Za-z0-9_.-]+$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** A buildx builder name (`docker buildx create --name`): letters, digits, `_ . -`. */
const BUILDER_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
function parseBuildSettings(get, environment, problems) {
    const { cwd } = environment;
    const context = (0,external_node_path_.resolve)(cwd, get('context'));
    const dockerfileInput = get('dockerfile');
    const dockerfile = dockerfileInput === '' ? (0,external_node_path_.join)(context, 'Dockerfile') : (0,external_node_path_.isAbsolute)(dockerfileInput) ? dockerfileInput : (0,external_node_path_.resolve)(cwd, dockerfileInput);
    const platforms = (0,read_values/* splitList */.ry)(get('platforms'));
    for (const platform of platforms) {
        if (!PLATFORM.test(platform))
            problems.push(`platforms: "${platform}" is not os/arch[/variant], e.g. linux/amd64 or linux/arm64/v8`);
    }
    const target = get('target');
    if (target !== '' && !/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(target)) {
        problems.push(`target: "${target}" is not a build stage name (letters, digits, _ . -)`);
    }
    const parseFlag = (name, fallback) => (0,read_values/* parseBooleanValue */.LH)(name, get(name), problems) ?? fallback;
    const builder = get('builder');
    if (builder !== '' && !BUILDER_NAME.test(builder)) {
        problems.push(`builder: "${builder}" is not a buildx builder name (letters, digits, _ . -): use the name \`docker buildx ls\` shows, or classic`);
    }
    return Object.freeze({
        context,
        dockerfile,
        dockerfileGiven: dockerfileInput !== '',
        buildArgs: (0,read_values/* parsePairs */.xg)('build-args', get('build-args'), BUILD_ARG_NAME, 'NAME', problems),
        labels: (0,read_values/* parsePairs */.xg)('labels', get('labels'), LABEL_NAME, 'name', problems),
        target,
        platforms,
        noCache: parseFlag('no-cache', false),
        pull: parseFlag('pull', false),
        cacheFrom: (0,read_values/* splitLines */.uz)(get('cache-from')),
        cacheTo: (0,read_values/* splitLines */.uz)(get('cache-to')),
        builder,
        secrets: parseBuildSecrets(get, environment, problems),
        provenance: parseAttestation('provenance', get('provenance'), /^mode=(min|max)$|^[a-z-]+=[^,]+(,[a-z-]+=[^,]+)*$/, 'true, false, mode=min or mode=max', problems),
        sbom: parseAttestation('sbom', get('sbom'), /^[a-z-]+=[^,]+(,[a-z-]+=[^,]+)*$/, 'true, false or generator=IMAGE', problems),
    });
}
/** `true`/`false` or buildx's `key=value` form; '' (and `false`) mean off. */
function parseAttestation(name, raw, form, allowed, problems) {
    const value = raw.trim();
    if (value === '' || /^false$/i.test(value))
        return '';
    if (/^true$/i.test(value))
        return 'true';
    if (!form.test(value)) {
        problems.push(`${name}: "${value}" is not a buildx --${name} value: use ${allowed}`);
        return '';
    }
    return value;
}
/**
 * `secrets` (id=value), `secret-files` (id=path) and `secret-envs`
 * (id=VARIABLE), as docker/build-push-action names them. One secret per line:
 * a value that spans lines belongs in `secret-files`.
 */
function parseBuildSecrets(get, { env, cwd }, problems) {
    const secrets = [];
    const seen = new Set();
    const each = (input, what, add) => {
        for (const line of (0,read_values/* splitLines */.uz)(get(input))) {
            const eq = line.indexOf('=');
            const id = eq < 0 ? '' : line.slice(0, eq).trim();
            const rest = eq < 0 ? '' : line.slice(eq + 1).trim();
            // Never echo the line of `secrets`: its value is the secret.
            const shown = input === 'secrets' ? (id === '' ? 'a line' : `"${id}=…"`) : `"${line}"`;
            if (!SECRET_ID.test(id) || rest === '') {
                problems.push(`${input}: ${shown} is not id=${what}: write one id=${what} per line (the id is what RUN --mount=type=secret,id=… names)`);
                continue;
            }
            if (seen.has(id)) {
                problems.push(`${input}: secret id "${id}" is given twice (across secrets, secret-files and secret-envs): give each secret its own id`);
                continue;
            }
            seen.add(id);
            const secret = add(id, rest);
            if (secret)
                secrets.push(Object.freeze(secret));
        }
    };
    each('secrets', 'value', (id, value) => ({ id, kind: 'value', value }));
    each('secret-files', 'path', (id, path) => ({ id, kind: 'file', path: (0,external_node_path_.isAbsolute)(path) ? path : (0,external_node_path_.resolve)(cwd, path) }));
    each('secret-envs', 'VARIABLE', (id, variable) => {
        if (!ENV_NAME.test(variable)) {
            problems.push(`secret-envs: "${id}=${variable}" does not name an environment variable: write id=VARIABLE`);
            return undefined;
        }
        if ((env[variable] ?? '') === '') {
            problems.push(`secret-envs: ${variable} (for secret ${id}) is not set in the step's environment: set it under env:, or use secrets: ${id}=…`);
            return undefined;
        }
        return { id, kind: 'env', variable };
    });
    return secrets;
}

// EXTERNAL MODULE: ./build/src/config/schema.js
var schema = __webpack_require__(9829);
;// CONCATENATED MODULE: ./build/src/config/parse-login.js

const ACCESS_KEY = /^[A-Z0-9]{16,64}$/;
const SECRET_KEY = /^[A-Za-z0-9]{16,128}$/;
/**
 * Decides how to log into the registry and which keys sign cloud API calls.
 * The AK/SK serve two purposes (the derived SWR login and API signing), so
 * they are accepted next to username/password or on a generic registry only
 * when a deploy target needs them; otherwise the mix is a mistake worth naming.
 */
function decideLogin(inputs, problems) {
    const { isHuawei, accessKey, secretKey, username, password } = inputs;
    const needsCloudApi = inputs.needsCloudApi || inputs.keysForRegistryAuth === true;
    const syntax = inputs.syntax ?? 'action';
    const hasAkSk = accessKey !== '' || secretKey !== '';
    const hasPassword = username !== '' || password !== '';
    if (hasAkSk)
        checkKeyPair(accessKey, secretKey, syntax, problems);
    if (hasPassword) {
        if (username === '')
            problems.push('username: missing while password is set: set username');
        if (password === '')
            problems.push('password: missing while username is set: set password (from a secret)');
    }
    if (hasAkSk && hasPassword && !needsCloudApi) {
        problems.push('username: give either access-key/secret-key (derived SWR login) or username/password, not both: remove one pair');
    }
    else if (hasAkSk && !isHuawei && !needsCloudApi) {
        problems.push(`access-key: an AK/SK login is only derived for provider huaweicloud: set ${(0,input_syntax/* setting */.Pe)(syntax, 'provider', 'huaweicloud')}, or use username/password for a generic registry`);
    }
    else if (!hasAkSk && !hasPassword && isHuawei) {
        problems.push(syntax === 'cli'
            ? 'access-key: required for provider huaweicloud: set env HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK (or IMAGESHIP_ACCESS_KEY and IMAGESHIP_SECRET_KEY; the SK may instead be piped to --secret-key-stdin), or use --username with env IMAGESHIP_PASSWORD'
            : 'access-key: required for provider huaweicloud: pass access-key and secret-key from secrets (or env HUAWEICLOUD_SDK_AK/HUAWEICLOUD_SDK_SK), or username/password');
    }
    if (inputs.needsCloudApi && !hasAkSk) {
        problems.push('access-key: FunctionGraph and CCE calls are signed with access-key/secret-key (so are CCI and SWR sharing calls): set both (from secrets)');
    }
    const securityToken = inputs.securityToken ?? '';
    if (securityToken !== '' && !hasAkSk) {
        problems.push('security-token: set, but no access-key/secret-key to go with it: pass the temporary AK, SK and security token from the same answer');
    }
    // Temporary keys cannot derive the long-term login (SWR refuses it): the temporary login is fetched with them instead.
    const login = hasPassword
        ? { kind: 'password', username, password }
        : hasAkSk && isHuawei
            ? securityToken !== ''
                ? { kind: 'swr-temporary', region: inputs.region }
                : { kind: 'swr-aksk', region: inputs.region, accessKey, secretKey }
            : { kind: 'anonymous' };
    return { login, cloudCredentials: hasAkSk ? { accessKey, secretKey, ...(securityToken === '' ? {} : { securityToken }) } : undefined };
}
function checkKeyPair(accessKey, secretKey, syntax, problems) {
    if (accessKey === '')
        problems.push(`access-key: missing while secret-key is set: ${(0,input_syntax/* howToSetSecret */.Ib)(syntax, 'access-key', ['HUAWEICLOUD_SDK_AK'])}`);
    if (secretKey === '')
        problems.push(`secret-key: missing while access-key is set: ${(0,input_syntax/* howToSetSecret */.Ib)(syntax, 'secret-key', ['HUAWEICLOUD_SDK_SK'])}`);
    if (accessKey !== '' && !ACCESS_KEY.test(accessKey)) {
        problems.push(/[a-z]/.test(accessKey) && ACCESS_KEY.test(secretKey)
            ? 'access-key: looks like a secret key: access-key and secret-key seem swapped'
            : 'access-key: not a Huawei Cloud access key id (16-64 uppercase letters and digits): copy the AK from "My Credentials > Access Keys", without spaces or quotes');
    }
    if (secretKey !== '' && !SECRET_KEY.test(secretKey)) {
        problems.push('secret-key: not a Huawei Cloud secret key (16-128 letters and digits): copy the SK from the credentials.csv of the access key, without spaces or quotes');
    }
}

// EXTERNAL MODULE: ./build/src/domain/retention/policy.js + 1 modules
var policy = __webpack_require__(4288);
;// CONCATENATED MODULE: ./build/src/config/parse-copy.js




/** Blobs a copy moves at once unless copy-concurrency says otherwise. */
const DEFAULT_COPY_CONCURRENCY = 6;
/** More connections than this to one registry look like abuse to most of them. */
const MAX_COPY_CONCURRENCY = 32;
/** Inputs that only make sense when imageship builds the image itself. */
const BUILD_ONLY_INPUTS = ['dockerfile', 'build-args', 'labels', 'target', 'platforms', 'no-cache', 'pull', 'cache-from', 'cache-to'];
const DIGEST = /^sha256:[0-9a-f]{64}$/;
/**
 * Copy, replicate, merge, namespace, login-mode and retention inputs. The
 * three ways to produce an image (build, source-image, merge-digests) and a
 * deploy-only run exclude each other; copying with build inputs set is a
 * mistake worth naming rather than silently ignoring them.
 */
function parseCopySettings(inputs, problems) {
    const { get } = inputs;
    const sourceImage = parseSource(get('source-image'), problems);
    const mergeDigests = (0,read_values/* splitLines */.uz)(get('merge-digests'));
    const seen = new Set();
    for (const digest of mergeDigests) {
        if (!DIGEST.test(digest))
            problems.push(`merge-digests: "${digest}" is not a digest: give one sha256:<64 hex> per line (each matrix job's digest output)`);
        else if (seen.has(digest))
            problems.push(`merge-digests: ${digest} is listed twice: give each platform's digest once`);
        seen.add(digest);
    }
    const modes = [sourceImage ? 'source-image' : '', mergeDigests.length > 0 ? 'merge-digests' : '', inputs.deployImage ? 'deploy-image' : ''].filter(Boolean);
    if (modes.length > 1)
        problems.push(`${modes[0]}: cannot be combined with ${modes.slice(1).join(' and ')}: each run either builds, copies, merges or deploys an existing image`);
    if (modes.length > 0 && modes[0] !== 'deploy-image') {
        for (const name of BUILD_ONLY_INPUTS) {
            if (inputs.get(name) !== '' && inputs.get(name) !== defaultOf(name)) {
                problems.push(`${name}: only applies to builds, but ${modes[0]} pushes an existing image unchanged: remove ${name}`);
            }
        }
        if (!inputs.push)
            problems.push(`push: false, but ${modes[0]} only pushes: remove push: false (or use dry-run to see the plan)`);
    }
    const pushByDigest = inputs.bool('push-by-digest');
    if (pushByDigest && modes.length > 0)
        problems.push(`push-by-digest: pushes a build, but ${modes[0]} builds nothing: remove push-by-digest`);
    if (pushByDigest && !inputs.push)
        problems.push('push-by-digest: set, but push is false: remove one of them');
    const sourceUsername = get('source-username');
    const sourcePassword = get('source-password');
    if (sourcePassword !== '' && sourceUsername === '')
        problems.push('source-username: missing while source-password is set: set source-username');
    if (sourceUsername !== '' && sourcePassword === '')
        problems.push('source-password: missing while source-username is set: set source-password (from a secret)');
    if ((sourceUsername !== '' || sourcePassword !== '') && !sourceImage)
        problems.push('source-username: set, but there is no source-image: remove source-username/source-password');
    const replicateTo = parseReplicas(get('replicate-to'), inputs.destination, problems);
    const replicateCredentials = parseReplicaLogins(get('replicate-credentials'), replicateTo, inputs.hasLogin, problems);
    const createNamespace = inputs.bool('create-namespace');
    const loginMode = get('login-mode');
    if (loginMode !== 'long-term' && loginMode !== 'temporary') {
        problems.push(`login-mode: "${loginMode}" is not supported: use long-term or temporary`);
    }
    const needsSwrApi = createNamespace || loginMode === 'temporary';
    if (needsSwrApi && inputs.provider !== 'huaweicloud') {
        problems.push(`${createNamespace ? 'create-namespace' : 'login-mode'}: uses the SWR API, so it needs provider: huaweicloud`);
    }
    else if (needsSwrApi && !inputs.hasAkSk) {
        problems.push(`${createNamespace ? 'create-namespace' : 'login-mode'}: the SWR API is signed with access-key/secret-key: set both`);
    }
    if (loginMode === 'temporary' && inputs.hasPassword) {
        problems.push('login-mode: temporary fetches its own login: remove username/password');
    }
    const concurrencyText = get('copy-concurrency');
    const concurrency = /^\d{1,2}$/.test(concurrencyText) ? Number(concurrencyText) : Number.NaN;
    if (!(concurrency >= 1 && concurrency <= MAX_COPY_CONCURRENCY)) {
        problems.push(`copy-concurrency: "${concurrencyText}" is not a whole number from 1 to ${MAX_COPY_CONCURRENCY}: e.g. 6 (blobs moved at once)`);
    }
    let retention;
    if (get('retention') !== '') {
        const parsed = (0,policy/* parseRetention */.A)(get('retention'));
        problems.push(...parsed.errors.map((error) => (error.startsWith('retention:') ? error : `retention: ${error}`)));
        retention = parsed.policy;
        if (!inputs.push)
            problems.push('retention: runs after a push, but push is false: remove retention or push');
    }
    return Object.freeze({
        sourceImage,
        sourceCredentials: sourceUsername !== '' && sourcePassword !== '' ? Object.freeze({ username: sourceUsername, password: sourcePassword }) : undefined,
        replicateTo,
        replicateCredentials,
        mergeDigests,
        pushByDigest,
        createNamespace,
        loginMode: loginMode === 'temporary' ? 'temporary' : 'long-term',
        retention,
        concurrency: concurrency >= 1 && concurrency <= MAX_COPY_CONCURRENCY ? concurrency : DEFAULT_COPY_CONCURRENCY,
    });
}
function parseSource(text, problems) {
    if (text === '')
        return undefined;
    try {
        return (0,image_reference/* parseImageReference */.o_)(text);
    }
    catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        problems.push(message.startsWith('source-image:') ? message : `source-image: ${message}`);
        return undefined;
    }
}
function parseReplicas(text, destination, problems) {
    const replicas = [];
    for (const line of (0,read_values/* splitLines */.uz)(text)) {
        try {
            const reference = (0,image_reference/* parseImageReference */.o_)(line);
            if (reference.tag || reference.digest) {
                problems.push(`replicate-to: "${line}" names a tag or digest: give host/namespace/image only (the pushed tags are replicated)`);
                continue;
            }
            const target = `${reference.registry}/${reference.repository}`;
            if (target === destination) {
                problems.push(`replicate-to: "${line}" is the destination itself: give another registry or repository`);
                continue;
            }
            if (replicas.some((replica) => `${replica.registry}/${replica.repository}` === target)) {
                problems.push(`replicate-to: "${line}" is listed twice`);
                continue;
            }
            replicas.push({ registry: reference.registry, repository: reference.repository });
        }
        catch (error) {
            problems.push(`replicate-to: ${error instanceof Error ? error.message : String(error)}`);
        }
    }
    return replicas;
}
/**
 * `replicate-credentials`: replica hosts allowed to receive the run's login.
 * Each must be the host of a replicate-to line, so a typo cannot quietly
 * widen where the login goes.
 */
function parseReplicaLogins(text, replicas, hasLogin, problems) {
    const hosts = [];
    const lines = (0,read_values/* splitLines */.uz)(text);
    if (lines.length > 0 && !hasLogin) {
        problems.push('replicate-credentials: set, but the run has no login to hand on (no username/password or access-key/secret-key): remove replicate-credentials');
        return hosts;
    }
    for (const line of lines) {
        const problem = checkRegistryHost(line);
        if (problem) {
            problems.push(`replicate-credentials: ${problem}`);
            continue;
        }
        const host = line.toLowerCase();
        if (!replicas.some((replica) => replica.registry === host)) {
            problems.push(`replicate-credentials: "${line}" is not the host of any replicate-to line: give the host[:port] of a replica, e.g. ${replicas[0]?.registry ?? 'the host of a replicate-to line'}`);
            continue;
        }
        if (hosts.includes(host)) {
            problems.push(`replicate-credentials: "${line}" is listed twice`);
            continue;
        }
        hosts.push(host);
    }
    return hosts;
}
function defaultOf(name) {
    return name === 'no-cache' || name === 'pull' ? 'false' : '';
}

;// CONCATENATED MODULE: ./build/src/config/parse-metadata.js


/** Annotation names as labels have them; a `level:` prefix belongs in DOCKER_METADATA_ANNOTATIONS_LEVELS. */
const ANNOTATION_NAME = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;
/** BuildKit's annotation levels, optionally for some platforms only: `manifest[linux/amd64]`. */
const ANNOTATION_LEVEL = /^(manifest|index|manifest-descriptor|index-descriptor)(\[[a-z0-9]+\/[a-z0-9_]+(\/[a-z0-9]+)?(,[a-z0-9]+\/[a-z0-9_]+(\/[a-z0-9]+)?)*\])?$/;
/**
 * The `flavor`, `annotations` and `sep-*` inputs and docker/metadata-action's
 * environment variables (DOCKER_METADATA_*), plus SOURCE_DATE_EPOCH. Every
 * bad value is one problem line naming the input or variable and the fix.
 * Template syntax in `labels` is checked here too, before any side effect.
 */
function parseMetadataSettings(get, env, problems) {
    const { flavor, errors } = (0,tags/* parseFlavor */.wp)(get('flavor'));
    problems.push(...errors);
    checkTemplates('labels', (0,read_values/* parsePairs */.xg)('labels', get('labels'), /^.+$/, 'name', []), problems);
    const annotations = (0,read_values/* parsePairs */.xg)('annotations', get('annotations'), ANNOTATION_NAME, 'name', problems);
    for (const [name] of annotations) {
        if (name.includes(':'))
            problems.push(`annotations: "${name}" has a level prefix: give the name only, and the levels in env DOCKER_METADATA_ANNOTATIONS_LEVELS`);
    }
    checkTemplates('annotations', annotations, problems);
    const levelsText = variable(env, 'DOCKER_METADATA_ANNOTATIONS_LEVELS');
    const annotationLevels = levelsText === '' ? ['manifest'] : levelsText.split(',').map((level) => level.trim());
    for (const level of annotationLevels) {
        if (!ANNOTATION_LEVEL.test(level)) {
            problems.push(`DOCKER_METADATA_ANNOTATIONS_LEVELS: "${level}" is not an annotation level: use manifest, index, manifest-descriptor or index-descriptor (comma-separated)`);
        }
    }
    return {
        flavor,
        annotations,
        separators: { tags: separator(get('sep-tags')), labels: separator(get('sep-labels')), annotations: separator(get('sep-annotations')) },
        shortShaLength: shortShaLength(variable(env, 'DOCKER_METADATA_SHORT_SHA_LENGTH'), problems),
        pullRequestHeadSha: envBoolean(env, 'DOCKER_METADATA_PR_HEAD_SHA', false, problems),
        annotationLevels,
        applyAnnotations: annotations.length > 0 || levelsText !== '',
        setOutputEnv: envBoolean(env, 'DOCKER_METADATA_SET_OUTPUT_ENV', true, problems),
        sourceDateEpoch: sourceDateEpoch(variable(env, 'SOURCE_DATE_EPOCH'), problems),
    };
}
function variable(env, name) {
    return (env[name] ?? '').trim();
}
/** An empty separator means the default newline, as in metadata-action. */
function separator(value) {
    return value === '' ? '\n' : value;
}
function checkTemplates(input, pairs, problems) {
    for (const [name, value] of pairs) {
        try {
            (0,tags/* compileTemplate */.Gq)(value, tags/* SOURCE_TEMPLATE_NAMES */.AN);
        }
        catch (error) {
            problems.push(`${input}: ${name}: ${error instanceof Error ? error.message : String(error)}`);
        }
    }
}
function shortShaLength(text, problems) {
    if (text === '')
        return 7;
    if (!/^[1-9][0-9]{0,2}$/.test(text)) {
        problems.push(`DOCKER_METADATA_SHORT_SHA_LENGTH: "${text}" is not a positive whole number: set the number of commit id characters, e.g. 12`);
        return 7;
    }
    return Number(text);
}
function envBoolean(env, name, fallback, problems) {
    const text = variable(env, name).toLowerCase();
    if (text === '')
        return fallback;
    if (text === 'true' || text === '1')
        return true;
    if (text === 'false' || text === '0')
        return false;
    problems.push(`${name}: "${variable(env, name)}" is not a boolean: use true or false`);
    return fallback;
}
/** Seconds since 1970 (reproducible-builds.org); the clock for `{{date}}` and the created label. */
function sourceDateEpoch(text, problems) {
    if (text === '')
        return undefined;
    if (!/^\d{1,12}$/.test(text)) {
        problems.push(`SOURCE_DATE_EPOCH: "${text}" is not a number of seconds since 1970: set it e.g. to $(git log -1 --pretty=%ct)`);
        return undefined;
    }
    return new Date(Number(text) * 1000);
}

// EXTERNAL MODULE: ./build/src/config/parse-deploy.js + 1 modules
var parse_deploy = __webpack_require__(570);
;// CONCATENATED MODULE: ./build/src/config/parse-keyless.js
/**
 * Keyless inputs: which documented exchange turns the CI's OIDC token into
 * temporary credentials, and where that token comes from. Everything that can
 * be known before a network call is checked here, so a missing
 * `permissions: id-token: write` or a mistyped URN fails in the config stage,
 * before anything is logged in or built.
 */


const HUAWEI_PROVIDER_URN = /^iam::[A-Za-z0-9]+:identity-provider:[A-Za-z0-9_.-]+$/;
const HUAWEI_AGENCY_URN = /^iam::[A-Za-z0-9]+:agency:[A-Za-z0-9_.+=,@-]+$/;
const HUAWEI_IDP_ID = /^[A-Za-z0-9_-]{1,64}$/;
const ALIBABA_ROLE_ARN = /^acs:ram::\d+:role\/[A-Za-z0-9_.@/-]+$/;
const ALIBABA_OIDC_PROVIDER_ARN = /^acs:ram::\d+:oidc-provider\/[A-Za-z0-9_.-]+$/;
const SESSION_NAME = /^[A-Za-z0-9_.@=,+-]{2,64}$/;
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
const parse_keyless_ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const MIN_SESSION_SECONDS = 900;
const MAX_SESSION_SECONDS = 43_200;
/** Documented defaults; see the README ("Keyless") for why each. */
const ALIBABA_DEFAULT_AUDIENCE = 'sts.aliyuncs.com';
function huaweiDefaultAudience(domain) {
    return `sts.${domain}`;
}
const HUAWEI_INPUTS = ['oidc-provider-urn', 'agency-urn', 'identity-provider'];
const ALIBABA_INPUTS = ['role-arn', 'oidc-provider-arn'];
/** Inputs that only mean something in a keyless run. */
const TOKEN_INPUTS = ['oidc-token', 'oidc-token-file', 'oidc-audience', 'role-session-name'];
/** Whether any keyless exchange input is set: the run then needs no stored key. */
function wantsKeyless(get) {
    return [...HUAWEI_INPUTS, ...ALIBABA_INPUTS].some((name) => get(name) !== '');
}
/**
 * The keyless settings, or undefined for a run with stored keys (then any
 * keyless-only input is a mistake worth naming). Problems are pushed, one
 * line each: the input, what is wrong, the fix.
 */
function parseKeyless(inputs, problems) {
    const { get, provider, syntax } = inputs;
    if (!wantsKeyless(get)) {
        for (const name of TOKEN_INPUTS) {
            if (get(name) !== '')
                problems.push(`${name}: only used for a keyless login: also set ${provider === 'alibabacloud' ? 'role-arn and oidc-provider-arn' : 'oidc-provider-urn and agency-urn (or identity-provider)'}, or remove ${name}`);
        }
        if (inputs.exportCredentials)
            problems.push('export-credentials: only exports temporary credentials of a keyless login: remove it, or set up the keyless login');
        return undefined;
    }
    const exchange = parseExchange(provider, get, syntax, problems);
    for (const name of ['access-key', 'secret-key', 'security-token', 'username', 'password']) {
        if (get(name) !== '')
            problems.push(`${name}: not used with a keyless login (the OIDC token replaces stored keys): remove ${name}`);
    }
    const audience = get('oidc-audience') || (provider === 'alibabacloud' ? ALIBABA_DEFAULT_AUDIENCE : huaweiDefaultAudience(inputs.domain));
    if (/\s/.test(audience))
        problems.push(`oidc-audience: "${audience}" holds whitespace: give one audience, e.g. ${ALIBABA_DEFAULT_AUDIENCE}`);
    const tokenSource = parseTokenSource(get, inputs.env, audience, syntax, problems, inputs.cwd);
    const sessionName = get('role-session-name') || defaultSessionName(inputs.env);
    if (!SESSION_NAME.test(sessionName)) {
        problems.push(`role-session-name: "${sessionName}" is not a session name: use 2 to 64 letters, digits and "_.@=,+-"`);
    }
    const durationSeconds = parseDuration(get('session-duration'), problems);
    if (inputs.exportCredentials && syntax === 'cli') {
        problems.push('export-credentials: only the GitHub Action can hand variables to later steps: remove it (on the command line, nothing outlives the run)');
    }
    if (exchange === undefined || tokenSource === undefined)
        return undefined;
    return { tokenSource, audience, exchange, sessionName, durationSeconds, exportCredentials: inputs.exportCredentials };
}
function parseExchange(provider, get, syntax, problems) {
    const setHuawei = HUAWEI_INPUTS.filter((name) => get(name) !== '');
    const setAlibaba = ALIBABA_INPUTS.filter((name) => get(name) !== '');
    if (provider === 'generic') {
        problems.push(`${[...setHuawei, ...setAlibaba][0]}: a keyless login exchanges the OIDC token with a cloud: set ${(0,input_syntax/* setting */.Pe)(syntax, 'provider', 'huaweicloud')} or alibabacloud`);
        return undefined;
    }
    if (provider === 'huaweicloud') {
        for (const name of setAlibaba)
            problems.push(`${name}: an Alibaba Cloud input: with provider huaweicloud use oidc-provider-urn and agency-urn (or identity-provider), or set ${(0,input_syntax/* setting */.Pe)(syntax, 'provider', 'alibabacloud')}`);
        if (setHuawei.length === 0)
            return undefined;
        const providerUrn = get('oidc-provider-urn');
        const agencyUrn = get('agency-urn');
        const identityProvider = get('identity-provider');
        if (identityProvider !== '' && (providerUrn !== '' || agencyUrn !== '')) {
            problems.push('identity-provider: choose one keyless path: identity-provider (IAM federation) or oidc-provider-urn with agency-urn (IAM 5.0 STS), not both');
            return undefined;
        }
        if (identityProvider !== '') {
            if (!HUAWEI_IDP_ID.test(identityProvider)) {
                problems.push(`identity-provider: "${identityProvider}" is not an identity provider id: copy the name shown under IAM > Identity Providers (letters, digits, "_" and "-")`);
                return undefined;
            }
            return { kind: 'huawei-federation', identityProvider };
        }
        let ok = true;
        if (providerUrn === '') {
            problems.push('oidc-provider-urn: missing while agency-urn is set: copy the OIDC provider\'s URN (iam::<account-id>:identity-provider:<name>) from IAM > Identity Providers');
            ok = false;
        }
        else if (!HUAWEI_PROVIDER_URN.test(providerUrn)) {
            problems.push(`oidc-provider-urn: "${providerUrn}" is not an identity provider URN: use iam::<account-id>:identity-provider:<name>`);
            ok = false;
        }
        if (agencyUrn === '') {
            problems.push('agency-urn: missing while oidc-provider-urn is set: copy the trust agency\'s URN (iam::<account-id>:agency:<name>) from IAM > Agencies');
            ok = false;
        }
        else if (!HUAWEI_AGENCY_URN.test(agencyUrn)) {
            problems.push(`agency-urn: "${agencyUrn}" is not an agency URN: use iam::<account-id>:agency:<name>`);
            ok = false;
        }
        return ok ? { kind: 'huawei-sts', providerUrn, agencyUrn } : undefined;
    }
    for (const name of setHuawei)
        problems.push(`${name}: a Huawei Cloud input: with provider alibabacloud use role-arn and oidc-provider-arn, or set ${(0,input_syntax/* setting */.Pe)(syntax, 'provider', 'huaweicloud')}`);
    if (setAlibaba.length === 0)
        return undefined;
    const roleArn = get('role-arn');
    const oidcProviderArn = get('oidc-provider-arn');
    let ok = true;
    if (roleArn === '') {
        problems.push('role-arn: missing while oidc-provider-arn is set: copy the RAM role\'s ARN (acs:ram::<account-id>:role/<name>) from the RAM console');
        ok = false;
    }
    else if (!ALIBABA_ROLE_ARN.test(roleArn)) {
        problems.push(`role-arn: "${roleArn}" is not a RAM role ARN: use acs:ram::<account-id>:role/<name>`);
        ok = false;
    }
    if (oidcProviderArn === '') {
        problems.push('oidc-provider-arn: missing while role-arn is set: copy the OIDC provider\'s ARN (acs:ram::<account-id>:oidc-provider/<name>) from RAM > SSO > OIDC');
        ok = false;
    }
    else if (!ALIBABA_OIDC_PROVIDER_ARN.test(oidcProviderArn)) {
        problems.push(`oidc-provider-arn: "${oidcProviderArn}" is not an OIDC provider ARN: use acs:ram::<account-id>:oidc-provider/<name>`);
        ok = false;
    }
    return ok ? { kind: 'alibaba-sts', roleArn, oidcProviderArn } : undefined;
}
/**
 * The first source that is there: the oidc-token input, a token file, the
 * variable oidc-token-env names, then GitHub's token request. On GitHub
 * without `permissions: id-token: write` the runner gives no request URL,
 * which is the most common keyless failure; it is named with its fix here.
 */
function parseTokenSource(get, env, audience, syntax, problems, cwd) {
    const token = get('oidc-token');
    if (token !== '') {
        if (!JWT_SHAPE.test(token)) {
            problems.push('oidc-token: not a JWT (three base64url parts joined by "."): pass the ID token itself, e.g. from a secret or an id_tokens: variable');
            return undefined;
        }
        return { kind: 'input', token };
    }
    const file = get('oidc-token-file');
    if (file !== '')
        return { kind: 'file', path: (0,external_node_path_.resolve)(cwd, file) };
    const variable = get('oidc-token-env');
    if (!parse_keyless_ENV_NAME.test(variable)) {
        problems.push(`oidc-token-env: "${variable}" is not an environment variable name: use letters, digits and "_", e.g. IMAGESHIP_ID_TOKEN`);
        return undefined;
    }
    if ((env[variable] ?? '').trim() !== '')
        return { kind: 'env', variable };
    if (env['GITHUB_ACTIONS'] === 'true') {
        const requestUrl = env['ACTIONS_ID_TOKEN_REQUEST_URL'] ?? '';
        const requestToken = env['ACTIONS_ID_TOKEN_REQUEST_TOKEN'] ?? '';
        if (requestUrl === '' || requestToken === '') {
            problems.push('oidc-token: GitHub gave this job no ID token (ACTIONS_ID_TOKEN_REQUEST_URL is not set): add "permissions: id-token: write" to the job (or workflow); ' +
                'a pull request from a fork never gets one, use a stored key or a workflow_run job there');
            return undefined;
        }
        return { kind: 'github', requestUrl, requestToken };
    }
    if (env['GITLAB_CI'] === 'true') {
        problems.push(`oidc-token: no ID token in $${variable}: add to the job "id_tokens: ${variable}: aud: ${audience}" (or set oidc-token-env to the id_tokens variable you declared)`);
    }
    else {
        problems.push(`oidc-token: no OIDC ID token found: ${syntax === 'cli' ? `put it in env ${variable} (GitLab: id_tokens: ${variable}: aud: ${audience}), or pass --oidc-token-file` : `set oidc-token or oidc-token-file, or env ${variable}`}`);
    }
    return undefined;
}
function parseDuration(text, problems) {
    const seconds = /^\d+$/.test(text) ? Number(text) : Number.NaN;
    if (!(seconds >= MIN_SESSION_SECONDS && seconds <= MAX_SESSION_SECONDS)) {
        problems.push(`session-duration: "${text}" is not a number of seconds from ${MIN_SESSION_SECONDS} (15 minutes) to ${MAX_SESSION_SECONDS} (12 hours): e.g. 3600`);
        return 3600;
    }
    return seconds;
}
/** `imageship-<run id>`: the audit log then leads back to the CI run. */
function defaultSessionName(env) {
    const run = env['GITHUB_RUN_ID'] || env['CI_JOB_ID'] || env['BUILD_BUILDID'] || env['BUILD_NUMBER'] || '';
    const cleaned = run.replace(/[^A-Za-z0-9_.@=,+-]/g, '').slice(0, 50);
    return cleaned === '' ? 'imageship' : `imageship-${cleaned}`;
}

;// CONCATENATED MODULE: ./build/src/config/parse-alibaba.js

const ACCESS_KEY_ID = /^(STS\.)?[A-Za-z0-9]{12,64}$/;
const ACCESS_KEY_SECRET = /^[A-Za-z0-9]{20,64}$/;
const INSTANCE_ID = /^cri-[a-z0-9]{8,32}$/;
const INSTANCE_NAME = /^[a-z0-9]([a-z0-9-]{1,28}[a-z0-9])$/;
/** Enterprise Edition hosts: `<instance>-registry[-vpc].<region>.cr.aliyuncs.com`. */
const ENTERPRISE_HOST = /-registry(-vpc)?\.[a-z0-9-]+\.cr\.aliyuncs\.com$/;
/** Alibaba Cloud regions: `cn-hangzhou`, `ap-southeast-1`, `cn-shanghai-finance-1`. */
function checkAlibabaRegion(region) {
    if (/^[a-z]{2}(-[a-z]+)+(-\d{1,2})?$/.test(region))
        return undefined;
    if (/^[a-z]{2}(-[a-z]+)+(-\d{1,2})?$/.test(region.toLowerCase()))
        return `"${region}" must be lowercase: use "${region.toLowerCase()}"`;
    return `"${region}" is not an Alibaba Cloud region id: use one such as cn-hangzhou or ap-southeast-1`;
}
/** ACR namespaces: 2-30 lowercase letters, digits and `.`, `_`, `-`, not at either end. */
function checkAcrNamespace(namespace) {
    if (namespace.length < 2 || namespace.length > 30)
        return `"${namespace}" must be 2 to 30 characters long`;
    if (namespace !== namespace.toLowerCase())
        return `"${namespace}" must be lowercase: use "${namespace.toLowerCase()}"`;
    if (!/^[a-z0-9][a-z0-9._-]*[a-z0-9]$/.test(namespace))
        return `"${namespace}" may hold only a-z, 0-9, ".", "_" and "-", not at either end`;
    return undefined;
}
/** Personal Edition `registry[-vpc].<region>.aliyuncs.com`, or the Enterprise instance's host. */
function alibabaRegistryHost(region, instanceName, vpc) {
    const network = vpc ? '-vpc' : '';
    return instanceName === '' ? `registry${network}.${region}.aliyuncs.com` : `${instanceName}-registry${network}.${region}.cr.aliyuncs.com`;
}
/**
 * ACR logins: a fixed username/password (Personal Edition's "fixed
 * password", or an Enterprise access credential), or a temporary login
 * exchanged for the AK/SK at run time. The top complaints about the official
 * login action are a missing instance id on Enterprise Edition and keys that
 * are silently wrong, so both are caught here, before any call.
 */
function decideAlibabaLogin(inputs, problems) {
    const hasKeys = inputs.accessKeyId !== '' || inputs.accessKeySecret !== '';
    const hasPassword = inputs.username !== '' || inputs.password !== '';
    if (inputs.region === '')
        problems.push('region: required for provider alibabacloud: set the region id, e.g. cn-hangzhou');
    if (inputs.instanceId !== '' && !INSTANCE_ID.test(inputs.instanceId)) {
        problems.push(`instance-id: "${inputs.instanceId}" is not an ACR Enterprise instance id (cri-…): copy it from the instance's overview page`);
    }
    if (inputs.instanceName !== '' && !INSTANCE_NAME.test(inputs.instanceName)) {
        problems.push(`instance-name: "${inputs.instanceName}" is not an instance name (3-30 lowercase letters, digits and "-")`);
    }
    if (inputs.keyless) {
        const enterprise = inputs.instanceName !== '' || ENTERPRISE_HOST.test(inputs.registryOverride);
        if (enterprise && inputs.instanceId === '') {
            problems.push('instance-id: required for a temporary login to an Enterprise Edition instance (GetAuthorizationToken takes the instance id): set instance-id (cri-…)');
        }
        // Filled in by the keyless exchange (credentials/keyless.ts) before the first call.
        return {
            kind: 'acr-temporary',
            edition: inputs.instanceId !== '' ? 'enterprise' : 'personal',
            region: inputs.region,
            instanceId: inputs.instanceId,
            accessKeyId: '',
            accessKeySecret: '',
            securityToken: '',
        };
    }
    if (inputs.securityToken !== '' && !hasKeys) {
        problems.push('security-token: set, but no access-key/secret-key to go with it: set both (from STS)');
    }
    if (hasKeys && hasPassword) {
        problems.push('username: give either username/password or access-key/secret-key (temporary login), not both: remove one pair');
        return { kind: 'anonymous' };
    }
    if (hasPassword) {
        if (inputs.username === '')
            problems.push('username: missing while password is set: set username (e.g. the Alibaba Cloud account name)');
        if (inputs.password === '')
            problems.push('password: missing while username is set: set password (the registry login password, from a secret)');
        return { kind: 'password', username: inputs.username, password: inputs.password };
    }
    if (!hasKeys) {
        problems.push('access-key: provider alibabacloud needs a login: set username/password, or access-key/secret-key (env ALIBABA_CLOUD_ACCESS_KEY_ID/SECRET) for a temporary login');
        return { kind: 'anonymous' };
    }
    const syntax = inputs.syntax ?? 'action';
    if (inputs.accessKeyId === '')
        problems.push(`access-key: missing while secret-key is set: ${(0,input_syntax/* howToSetSecret */.Ib)(syntax, 'access-key', ['ALIBABA_CLOUD_ACCESS_KEY_ID'])}`);
    if (inputs.accessKeySecret === '')
        problems.push(`secret-key: missing while access-key is set: ${(0,input_syntax/* howToSetSecret */.Ib)(syntax, 'secret-key', ['ALIBABA_CLOUD_ACCESS_KEY_SECRET'])}`);
    if (inputs.accessKeyId !== '' && !ACCESS_KEY_ID.test(inputs.accessKeyId)) {
        problems.push('access-key: not an Alibaba Cloud AccessKey ID (LTAI…, 12-64 letters and digits): copy it from the RAM console without spaces or quotes');
    }
    if (inputs.accessKeySecret !== '' && !ACCESS_KEY_SECRET.test(inputs.accessKeySecret)) {
        problems.push('secret-key: not an Alibaba Cloud AccessKey secret (20-64 letters and digits): copy it again without spaces or quotes');
    }
    if (inputs.accessKeyId.startsWith('STS.') && inputs.securityToken === '') {
        problems.push('security-token: an STS AccessKey ID (STS.…) needs its security token: set security-token (or env ALIBABA_CLOUD_SECURITY_TOKEN)');
    }
    const enterpriseHost = inputs.instanceName !== '' || ENTERPRISE_HOST.test(inputs.registryOverride);
    if (enterpriseHost && inputs.instanceId === '') {
        problems.push('instance-id: required for a temporary login to an Enterprise Edition instance (GetAuthorizationToken takes the instance id): set instance-id (cri-…), or use username/password');
    }
    return {
        kind: 'acr-temporary',
        edition: inputs.instanceId !== '' ? 'enterprise' : 'personal',
        region: inputs.region,
        instanceId: inputs.instanceId,
        accessKeyId: inputs.accessKeyId,
        accessKeySecret: inputs.accessKeySecret,
        securityToken: inputs.securityToken,
    };
}

// EXTERNAL MODULE: ./build/src/domain/targets/huawei-endpoints.js + 1 modules
var huawei_endpoints = __webpack_require__(1607);
;// CONCATENATED MODULE: ./build/src/config/parse-registry-auth.js
/**
 * The `registry-auth` input: more registry logins for one step, in the shape
 * docker/login-action takes (a YAML list of `registry`, `username`,
 * `password`), so a build can pull private bases from one registry and push
 * to others. A Huawei Cloud or Alibaba Cloud entry may instead name its
 * `provider` and `region` and use the step's cloud credentials (the derived
 * or temporary SWR login, the ACR temporary login).
 *
 * Every problem is one line naming the entry (counted from 1, as listed) and
 * the field, found before anything is logged in. No message ever quotes the
 * input's text: it holds passwords, and a YAML error near one would
 * otherwise print it.
 *
 * Pure: the YAML parser is handed in (it is loaded only when the input is
 * set, see yaml-loader.ts), nothing is read or sent.
 */




const INPUT = 'registry-auth';
/** What an entry may hold: login-action's keys (`ecr` only as false), and the provider keys. */
const KNOWN_KEYS = ['registry', 'username', 'password', 'provider', 'region', 'instance-id', 'instance-name', 'ecr', 'scope'];
/** Keys whose values are never secret; every other value (and any line that is not `key: value`) is masked. */
const PLAIN_KEYS = new Set(['registry', 'username', 'provider', 'region', 'instance-id', 'instance-name', 'ecr', 'scope']);
const PROVIDERS = ['huaweicloud', 'alibabacloud', 'generic'];
const PROVIDER_ALIASES = { huawei: 'huaweicloud', swr: 'huaweicloud', hwc: 'huaweicloud', alibaba: 'alibabacloud', aliyun: 'alibabacloud', acr: 'alibabacloud' };
const parse_registry_auth_INSTANCE_ID = /^cri-[a-z0-9]{8,32}$/;
const parse_registry_auth_INSTANCE_NAME = /^[a-z0-9]([a-z0-9-]{1,28}[a-z0-9])$/;
/** Amazon ECR private and public hosts, where login-action exchanges the keys for a token (`ecr: auto`). */
const ECR_HOST = /(^|\.)dkr[.-]ecr\.[a-z0-9-]+\.(amazonaws\.com(\.cn)?|on\.aws|amazonaws\.eu)$|^public\.ecr\.aws$|^ecr-public\.aws\.com$/;
/**
 * The values in `text` that may be secrets, found line by line so that they
 * are masked even when the YAML does not parse: the value of every key that
 * is not a plain one (`password`, and any misspelt key), and every line that
 * is not `key: value` at all.
 */
function registryAuthSecrets(text) {
    const found = [];
    for (const raw of text.split(/\r?\n/)) {
        const line = raw.trim();
        if (line === '' || line === '-' || line.startsWith('#'))
            continue;
        const match = /^(?:-\s+)?([A-Za-z][A-Za-z0-9_-]*)\s*:(?:\s+(.*))?$/.exec(line);
        if (match === null) {
            found.push(line, unquote(line.replace(/^-\s+/, '')));
            continue;
        }
        const value = unquote((match[2] ?? '').replace(/\s+#.*$/, '').trim());
        // An unclosed quote (the YAML error itself) leaves the bare value with a quote at one end.
        if (!PLAIN_KEYS.has((match[1] ?? '').toLowerCase()) && value !== '')
            found.push(value, value.replace(/^['"]|['"]$/g, ''), (match[2] ?? '').trim());
    }
    return [...new Set(found.filter((value) => value.length >= 4))];
}
function unquote(value) {
    return /^(['"]).*\1$/.test(value) && value.length >= 2 ? value.slice(1, -1) : value;
}
/** Parses and checks the input; every problem goes to `problems` as one line. Empty input: no entries. */
function parseRegistryAuth(text, yaml, context, problems) {
    const clouds = new Set();
    const none = { entries: [], clouds };
    if (text.trim() === '')
        return none;
    if (yaml === undefined) {
        problems.push(`${INPUT}: the YAML parser is not loaded: await loadRegistryAuthParser() and pass it as ParseEnvironment.yaml (the action and the CLI do this themselves)`);
        return none;
    }
    // failsafe: every scalar stays a string, so a password such as 0123 or `true` is not turned into a number or a boolean.
    const document = yaml.parseDocument(text, { schema: 'failsafe', prettyErrors: false, uniqueKeys: true });
    const error = document.errors[0];
    if (error !== undefined) {
        // Only the position: the parser's message may quote the text around it, which may be a password.
        const offset = error.pos?.[0];
        const lines = offset === undefined ? undefined : text.slice(0, offset).split('\n');
        const where = lines ? ` at line ${lines.length}, column ${(lines.at(-1)?.length ?? 0) + 1}` : '';
        const what = error.code === 'DUPLICATE_KEY' ? 'a key appears twice in one entry' : `not valid YAML (${(error.code ?? 'unreadable').toLowerCase().replace(/_/g, ' ')})`;
        problems.push(`${INPUT}: ${what}${where}: write a YAML list, one "- registry: …" entry per registry with its keys indented under it (the input's text is not shown: it holds passwords)`);
        return none;
    }
    const value = document.toJS();
    if (!Array.isArray(value)) {
        problems.push(`${INPUT}: not a YAML list: start each entry with "- ", e.g. "- registry: ghcr.io" with username and password indented under it`);
        return none;
    }
    const entries = [];
    value.forEach((item, position) => {
        const entry = parseEntry(item, position + 1, context, problems, clouds);
        if (entry !== undefined)
            entries.push(entry);
    });
    checkDuplicates(entries, problems);
    return { entries, clouds };
}
function parseEntry(item, index, context, problems, clouds) {
    const at = `${INPUT}: entry ${index}`;
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
        problems.push(`${at} is not a mapping: give it keys, e.g. "- registry: ghcr.io" with username and password indented under it`);
        return undefined;
    }
    const fields = item;
    const before = problems.length;
    const get = (key) => {
        const raw = fields[key];
        if (raw === undefined || raw === null)
            return '';
        if (typeof raw !== 'string') {
            problems.push(`${at}, ${key}: must be a single value, not a list or a mapping`);
            return '';
        }
        return raw.trim();
    };
    for (const key of Object.keys(fields)) {
        if (KNOWN_KEYS.includes(key))
            continue;
        problems.push(unknownKeyProblem(at, key));
    }
    // A misspelt key (`pasword`) already says what is wrong: "password: missing" would only repeat it.
    const misspelt = problems.length > before;
    const scope = get('scope');
    if (scope !== '') {
        problems.push(`${at}, scope: not supported: imageship writes each login to the Docker config, which buildx and docker both use; remove scope (a login limited to one repository is a registry-side token)`);
    }
    const providerRaw = get('provider');
    const provider = providerRaw === '' ? 'generic' : providerRaw;
    const meantProvider = PROVIDERS.includes(provider) ? provider : (PROVIDER_ALIASES[provider.toLowerCase()] ?? (0,closest_name/* closestName */.N)(provider, PROVIDERS));
    if (meantProvider === 'huaweicloud' || meantProvider === 'alibabacloud')
        clouds.add(meantProvider);
    if (!PROVIDERS.includes(provider)) {
        const meant = meantProvider;
        problems.push(`${at}, provider: "${provider}" is not supported: ${meant ? `use ${meant}` : `use one of ${PROVIDERS.join(', ')}`}`);
        return undefined;
    }
    const registryInput = get('registry');
    const username = get('username');
    const password = typeof fields['password'] === 'string' ? fields['password'] : get('password');
    const region = get('region');
    const instanceId = get('instance-id');
    const instanceName = get('instance-name');
    if (registryInput !== '') {
        const problem = checkRegistryHost(registryInput);
        if (problem)
            problems.push(`${at}, registry: ${problem}`);
    }
    let entry;
    if (provider === 'generic') {
        for (const key of ['region', 'instance-id', 'instance-name']) {
            if (get(key) !== '')
                problems.push(`${at}, ${key}: only used with provider huaweicloud or alibabacloud: set provider, or remove ${key}`);
        }
        const registry = normaliseRegistry(registryInput === '' ? 'docker.io' : registryInput);
        checkEcr(at, registry, get('ecr'), problems);
        if (username === '' && !misspelt)
            problems.push(`${at}, username: missing: set the user for ${registry}${password === '' ? ', and its password (from a secret)' : ''}`);
        if (password === '' && username !== '' && !misspelt)
            problems.push(`${at}, password: missing: set the password or token for ${registry} (from a secret)`);
        entry = { index, kind: 'password', registry, username, password };
    }
    else {
        checkEcr(at, registryInput.toLowerCase(), get('ecr'), problems);
        for (const key of ['username', 'password']) {
            if (fields[key] !== undefined)
                problems.push(`${at}, ${key}: provider ${provider} logs in with the step's credentials: remove ${key}, or remove provider for a username/password login`);
        }
        if (region === '' && !misspelt)
            problems.push(`${at}, region: required for provider ${provider}: set the registry's region, e.g. ${provider === 'huaweicloud' ? 'cn-north-4' : 'cn-hangzhou'}`);
        if (provider === 'huaweicloud') {
            for (const key of ['instance-id', 'instance-name']) {
                if (get(key) !== '')
                    problems.push(`${at}, ${key}: only used with provider alibabacloud: remove ${key}`);
            }
            const regionProblem = region === '' ? undefined : checkRegion(region);
            if (regionProblem)
                problems.push(`${at}, region: ${regionProblem}`);
            if (!context.hasHuaweiKeys) {
                problems.push(`${at}, provider: huaweicloud entries log in with the step's Huawei Cloud keys: set access-key and secret-key (or env HUAWEICLOUD_SDK_AK/HUAWEICLOUD_SDK_SK)`);
            }
            const registry = normaliseRegistry(registryInput === '' ? `swr.${region}.${(0,huawei_endpoints/* swrDomain */.fQ)(region, context.domain)}` : registryInput);
            entry = { index, kind: 'huaweicloud', registry, region };
        }
        else {
            const regionProblem = region === '' ? undefined : checkAlibabaRegion(region);
            if (regionProblem)
                problems.push(`${at}, region: ${regionProblem}`);
            if (instanceId !== '' && !parse_registry_auth_INSTANCE_ID.test(instanceId))
                problems.push(`${at}, instance-id: not an ACR Enterprise instance id (cri-…): copy it from the instance's overview page`);
            if (instanceName !== '' && !parse_registry_auth_INSTANCE_NAME.test(instanceName))
                problems.push(`${at}, instance-name: not an instance name (3-30 lowercase letters, digits and "-")`);
            if (instanceName !== '' && instanceId === '') {
                problems.push(`${at}, instance-id: required for an Enterprise Edition instance (GetAuthorizationToken takes the instance id): set instance-id (cri-…)`);
            }
            if (!context.hasAlibabaKeys) {
                problems.push(`${at}, provider: alibabacloud entries log in with the step's Alibaba Cloud keys: set access-key/secret-key with provider alibabacloud, or env ALIBABA_CLOUD_ACCESS_KEY_ID/ALIBABA_CLOUD_ACCESS_KEY_SECRET`);
            }
            const registry = normaliseRegistry(registryInput === '' ? alibabaRegistryHost(region, instanceName, false) : registryInput);
            entry = instanceId !== ''
                ? { index, kind: 'alibabacloud', registry, region, edition: 'enterprise', instanceId }
                : { index, kind: 'alibabacloud', registry, region, edition: 'personal', instanceId: '' };
        }
    }
    return problems.length === before ? entry : undefined;
}
/** An entry for the step's own registry would fight the step's login over one Docker config entry. */
function checkAgainstStepRegistry(entries, stepRegistry, problems) {
    for (const entry of entries) {
        if (entry.registry !== normaliseRegistry(stepRegistry))
            continue;
        problems.push(`${INPUT}: entry ${entry.index}, registry: ${entry.registry} is the step's own registry, whose login comes from the step's inputs (access-key/secret-key or username/password): remove this entry, or point the step at another registry`);
    }
}
/** `ecr` is login-action's: only `false` means what imageship does (a plain username/password login). */
function checkEcr(at, registry, ecr, problems) {
    const value = ecr.toLowerCase();
    if (value !== '' && !['auto', 'true', 'false'].includes(value)) {
        problems.push(`${at}, ecr: "${ecr}" is not auto, true or false: remove ecr`);
        return;
    }
    if (value === 'true' || (value !== 'false' && ECR_HOST.test(registry))) {
        problems.push(`${at}, ecr: imageship does not exchange AWS keys for an Amazon ECR login: set ecr: false with username AWS and the password from aws ecr get-login-password, or log in with aws-actions/amazon-ecr-login before this step (imageship keeps that login)`);
    }
}
function checkDuplicates(entries, problems) {
    const first = new Map();
    for (const entry of entries) {
        const earlier = first.get(entry.registry);
        if (earlier === undefined)
            first.set(entry.registry, entry.index);
        else
            problems.push(`${INPUT}: entry ${entry.index}, registry: ${entry.registry} is already logged in by entry ${earlier}: keep one entry per registry`);
    }
}
function unknownKeyProblem(at, key) {
    const known = [...KNOWN_KEYS];
    if (key === 'logout')
        return `${at}, logout: not an entry key: logout is the step's input and applies to every login`;
    // A key is named only when it looks like one: a pasted secret in key position must not be printed.
    const shown = /^[A-Za-z][A-Za-z0-9_-]{0,23}$/.test(key) ? key : undefined;
    const meant = shown === undefined ? undefined : (0,closest_name/* closestName */.N)(shown, known);
    return `${at}, ${shown ?? 'a key'}: not a registry-auth key${meant ? `: did you mean ${meant}?` : ''} (the keys are ${known.join(', ')})`;
}
/** Lowercase `host[:port]`; Docker Hub's spellings are one registry. */
function normaliseRegistry(host) {
    const lower = host.toLowerCase();
    return lower === 'index.docker.io' || lower === 'registry-1.docker.io' ? 'docker.io' : lower;
}

// EXTERNAL MODULE: ./build/src/config/types.js
var types = __webpack_require__(2721);
// EXTERNAL MODULE: ./build/src/domain/package-defaults.js
var package_defaults = __webpack_require__(7601);
;// CONCATENATED MODULE: ./build/src/config/parse-package.js
/**
 * The `package` inputs (package, package-type, base-image, entrypoint, cmd,
 * workdir, env, expose, user, package-sha256, package-max-size) turned into
 * PackageSettings, or one problem line per input: what is wrong and the fix.
 * Pure: nothing outside memory is touched (the plan checks the local file).
 */




/** Inputs that only mean something with `package`. */
const PACKAGE_ONLY_INPUTS = ['package-type', 'base-image', 'entrypoint', 'cmd', 'workdir', 'env', 'expose', 'user', 'package-sha256'];
/** Dockerfile-build inputs a package run has no use for. */
const BUILD_INPUTS = ['dockerfile', 'build-args', 'target', 'no-cache', 'pull', 'cache-from', 'cache-to', 'secrets', 'secret-files', 'secret-envs', 'provenance', 'sbom', 'builder', 'push-by-digest'];
const BUILD_DEFAULTS = { 'no-cache': 'false', pull: 'false', 'push-by-digest': 'false' };
const parse_package_ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SHA256 = /^(?:sha256:)?([0-9a-f]{64})$/i;
const SIZE = /^(\d+)\s*([KMG]i?B?|B)?$/i;
const OBS_BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
/** undefined when `package` is empty; otherwise the settings (problems pushed for every bad input). */
function parsePackageSettings(inputs, problems) {
    const { get, syntax } = inputs;
    const text = get('package');
    if (text === '') {
        for (const name of PACKAGE_ONLY_INPUTS) {
            if (get(name) !== '')
                problems.push(`${name}: only used with package: set ${(0,input_syntax/* setting */.Pe)(syntax, 'package', 'app.jar')}, or remove ${name}`);
        }
        return undefined;
    }
    for (const name of BUILD_INPUTS) {
        const value = get(name);
        if (value !== '' && value !== BUILD_DEFAULTS[name])
            problems.push(`${name}: only applies to a Dockerfile build, but package assembles the image without one: remove ${name}`);
    }
    for (const name of ['source-image', 'merge-digests', 'deploy-image']) {
        if (get(name) !== '')
            problems.push(`package: cannot be combined with ${name}: each run either builds, assembles from a package, copies, merges or deploys an existing image`);
    }
    const source = parse_package_parseSource(text, inputs, problems);
    const fileName = source ? fileNameOf(source) : '';
    // A source that is already refused has no file name worth judging.
    const type = source ? parseType(get('package-type'), fileName, syntax, problems) : undefined;
    const baseImageText = get('base-image') || (type ? package_defaults/* DEFAULT_BASE_IMAGES */.DP[type] : '');
    let baseImage;
    if (baseImageText === '') {
        if (type === 'files')
            problems.push(`base-image: required for package-type files (there is no default base for plain files): set ${(0,input_syntax/* setting */.Pe)(syntax, 'base-image', 'registry.example.com/org/base:1')}`);
    }
    else {
        try {
            baseImage = (0,image_reference/* parseImageReference */.o_)(baseImageText);
        }
        catch (error) {
            problems.push(`base-image: "${baseImageText}" is not an image reference (${error instanceof Error ? error.message : String(error)}): give host/namespace/image:tag`);
        }
    }
    const entrypoint = parseCommand('entrypoint', get('entrypoint'), problems);
    const cmd = parseCommand('cmd', get('cmd'), problems);
    if (type === 'python' && cmd === undefined && entrypoint === undefined) {
        problems.push(`cmd: required for package-type python (a Python package names no start command imageship could trust): set ${(0,input_syntax/* setting */.Pe)(syntax, 'cmd', 'python -m app')}`);
    }
    const workdir = get('workdir');
    if (workdir !== '' && (!workdir.startsWith('/') || workdir.split('/').includes('..'))) {
        problems.push(`workdir: "${workdir}" is not an absolute path inside the image: give one such as /app`);
    }
    const env = (0,read_values/* parsePairs */.xg)('env', get('env'), parse_package_ENV_NAME, 'NAME', problems);
    for (const [name, value] of env) {
        if (value !== '' && inputs.secretValues.some((secret) => secret.length >= 4 && value.includes(secret))) {
            problems.push(`env: ${name} holds one of this run's secrets: it would be baked into the image for anyone who can pull it; pass it to the container at run time instead`);
        }
    }
    const expose = [];
    for (const item of (0,read_values/* splitList */.ry)(get('expose'))) {
        const match = /^(\d{1,5})(?:\/(tcp|udp|sctp))?$/i.exec(item);
        const port = Number(match?.[1]);
        if (!match || port < 1 || port > 65535)
            problems.push(`expose: "${item}" is not a port: give 1-65535, optionally /tcp or /udp (8080, 53/udp)`);
        else
            expose.push(`${port}/${(match[2] ?? 'tcp').toLowerCase()}`);
    }
    const user = get('user');
    if (user !== '' && !/^[A-Za-z0-9_][A-Za-z0-9_.-]*(?::[A-Za-z0-9_][A-Za-z0-9_.-]*)?$/.test(user)) {
        problems.push(`user: "${user}" is not a user: give uid[:gid] (1000:1000) or a name`);
    }
    const shaText = get('package-sha256');
    const sha = SHA256.exec(shaText);
    if (shaText !== '' && !sha)
        problems.push(`package-sha256: "${shaText}" is not a SHA-256: give 64 hex digits (sha256sum's first column)`);
    const maxBytes = parseSize(get('package-max-size') || '512M');
    if (maxBytes === undefined)
        problems.push(`package-max-size: "${get('package-max-size')}" is not a size: give bytes or a number with K, M or G (512M)`);
    const { name, version } = nameAndVersion(fileName);
    for (const [what, value] of [['name', name], ['version', version]]) {
        // Both end up in labels and history and are the obvious tag a user reaches for: they must be what a tag may hold.
        if (value !== '' && !(0,image_reference/* isValidTag */.r_)(value)) {
            problems.push(`package: the ${what} "${value}" in the file name "${fileName}" holds characters an image tag does not allow: rename the file to letters, digits, "_", "." and "-"`);
        }
    }
    if (!source || !type || !baseImage || maxBytes === undefined)
        return undefined;
    return Object.freeze({
        source,
        type,
        baseImageText,
        baseImage,
        entrypoint,
        cmd,
        workdir,
        env,
        expose,
        user,
        sha256: sha?.[1]?.toLowerCase() ?? '',
        maxBytes,
        name,
        version,
    });
}
function parse_package_parseSource(text, inputs, problems) {
    if (/^https:\/\//i.test(text)) {
        try {
            const url = new URL(text);
            if (url.username !== '' || url.password !== '') {
                problems.push('package: the URL holds a user name or password: they would show in logs; use a URL with a token the server accepts in its query, or OBS');
                return undefined;
            }
            return { kind: 'https', url: url.href };
        }
        catch {
            problems.push(`package: "${text}" is not a valid URL: give https://host/path/app.jar`);
            return undefined;
        }
    }
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text) && !/^obs:\/\//i.test(text)) {
        problems.push(`package: "${text.replace(/\?.*$/, '')}" uses a scheme imageship does not fetch: give a local path, an https:// URL or obs://bucket/key`);
        return undefined;
    }
    if (/^obs:\/\//i.test(text))
        return parseObs(text, inputs, problems);
    return { kind: 'local', path: text };
}
function parseObs(text, inputs, problems) {
    const match = /^obs:\/\/([^/]+)\/(.+)$/i.exec(text);
    if (!match || !OBS_BUCKET.test(match[1]) || match[2].endsWith('/')) {
        problems.push(`package: "${text}" is not obs://bucket/key: give the bucket (3-63 lower-case letters, digits, "-" and ".") and the object key, e.g. obs://my-bucket/releases/app-1.2.0.jar`);
        return undefined;
    }
    const bucket = match[1];
    const key = match[2];
    const override = inputs.endpoints.get('obs');
    if (!override && inputs.region === '') {
        problems.push(`region: required for an obs:// package (the bucket is reached at https://{bucket}.obs.{region}.{domain}): set ${(0,input_syntax/* setting */.Pe)(inputs.syntax, 'region', 'cn-north-4')}`);
        return undefined;
    }
    const accessKey = inputs.get('access-key');
    const secretKey = inputs.get('secret-key');
    const securityToken = inputs.get('security-token');
    if ((accessKey === '') !== (secretKey === '')) {
        problems.push(`${accessKey === '' ? 'access-key' : 'secret-key'}: missing: an obs:// package is read with both access-key and secret-key (or neither, for a public object)`);
    }
    if (securityToken !== '' && accessKey === '')
        problems.push('security-token: set without access-key/secret-key: give the temporary AK/SK with it');
    return {
        kind: 'obs',
        bucket,
        key,
        endpoint: override ?? `https://${bucket}.obs.${inputs.region}.${inputs.domain}`,
        credentials: accessKey !== '' && secretKey !== '' ? { accessKey, secretKey, securityToken } : undefined,
    };
}
function parseType(text, fileName, syntax, problems) {
    if (text !== '') {
        const lower = text.toLowerCase();
        if (package_defaults/* PACKAGE_TYPES */.Zc.includes(lower))
            return lower;
        problems.push(`package-type: "${text}" is not supported: use one of ${package_defaults/* PACKAGE_TYPES */.Zc.join(', ')}`);
        return undefined;
    }
    const lower = fileName.toLowerCase();
    if (lower.endsWith('.jar'))
        return 'jar';
    if (lower.endsWith('.war'))
        return 'war';
    if (lower.endsWith('.whl'))
        return 'python';
    // npm pack writes .tgz; a zip or a tarball of another stack says nothing about itself by name.
    if (lower.endsWith('.tgz'))
        return 'node';
    problems.push(`package-type: cannot tell the type from the file name "${fileName}": set ${(0,input_syntax/* setting */.Pe)(syntax, 'package-type', 'node')} (one of ${package_defaults/* PACKAGE_TYPES */.Zc.join(', ')})`);
    return undefined;
}
/** JSON array, or words separated by white space; undefined when empty. */
function parseCommand(name, text, problems) {
    if (text === '')
        return undefined;
    if (text.startsWith('[')) {
        try {
            const parsed = JSON.parse(text);
            if (Array.isArray(parsed) && parsed.length > 0 && parsed.every((item) => typeof item === 'string'))
                return parsed;
        }
        catch {
            // Reported below.
        }
        problems.push(`${name}: "${text}" is not a JSON array of strings: write ["executable","arg"] or plain words`);
        return undefined;
    }
    return text.split(/\s+/).filter(Boolean);
}
function parseSize(text) {
    const match = SIZE.exec(text.trim());
    if (!match)
        return undefined;
    const unit = (match[2] ?? 'B').toUpperCase()[0];
    const factor = unit === 'K' ? 1024 : unit === 'M' ? 1024 ** 2 : unit === 'G' ? 1024 ** 3 : 1;
    const bytes = Number(match[1]) * factor;
    return Number.isSafeInteger(bytes) && bytes > 0 ? bytes : undefined;
}
/** The last path segment of the source, without query. */
function fileNameOf(source) {
    const path = source.kind === 'https' ? new URL(source.url).pathname : source.kind === 'obs' ? source.key : source.path;
    const segments = path.split(/[/\\]/).filter(Boolean);
    const last = segments.at(-1) ?? '';
    try {
        return source.kind === 'https' ? decodeURIComponent(last) : last;
    }
    catch {
        return last;
    }
}
/** `app-1.2.0.jar` → app, 1.2.0; `site.zip` → site, ''. */
function nameAndVersion(fileName) {
    const stem = fileName.replace(/\.(tar\.gz|tgz|zip|jar|war|whl)$/i, '');
    const match = /^(.+?)[-_]v?(\d[^/]*)$/.exec(stem);
    // A wheel's name is name-version-pytag-abitag-platform: keep the first two fields.
    const wheel = /\.whl$/i.test(fileName) ? /^([^-]+)-([^-]+)-/.exec(stem) : null;
    if (wheel)
        return { name: wheel[1], version: wheel[2] };
    return match ? { name: match[1], version: match[2] } : { name: stem, version: '' };
}

;// CONCATENATED MODULE: ./build/src/config/parse.js
/**
 * Inputs → Config: reads every option through the schema, hands each group to its parse-*.ts module and
 * collects every problem at once, so a bad run reports all of them before any side effect. About 400 lines:
 * the cross-group rules (which login goes with which provider, keyless against keys, package against build
 * inputs) live here because they need more than one group.
 */


















/**
 * Reads every option through the schema: value, else env fallback, else
 * default. Unknown names are a programming error, so they throw.
 */
function readOptions(read, environment) {
    const values = new Map();
    const provider = read('provider').trim() || (schema/* OPTIONS */.lw.find((o) => o.name === 'provider')?.default ?? '');
    for (const spec of schema/* OPTIONS */.lw) {
        let value = spec.keepWhitespace ? read(spec.name) : read(spec.name).trim();
        for (const variable of spec.envFallbackByProvider?.[provider] ?? spec.envFallback ?? []) {
            if (value !== '')
                break;
            value = (environment.env[variable] ?? '').trim();
        }
        if (value === '' && spec.default !== undefined)
            value = spec.default;
        values.set(spec.name, value);
    }
    return values;
}
/**
 * Turns raw option values into a validated, immutable Config, or throws a
 * ConfigError listing every problem at once (one line each: the input, what
 * is wrong, how to fix it). Touches nothing outside memory.
 */
function parseConfig(read, environment) {
    const values = readOptions(read, environment);
    const get = (name) => values.get(name) ?? '';
    const problems = [];
    const bool = (name) => (0,read_values/* parseBooleanValue */.LH)(name, get(name), problems) ?? (0,schema/* optionSpec */.HE)(name).default === 'true';
    const syntax = environment.syntax ?? 'action';
    const providerInput = get('provider');
    const allowedProviders = (0,schema/* optionSpec */.HE)('provider').values ?? [];
    if (!allowedProviders.includes(providerInput)) {
        // Every other check depends on the provider (which login, which registry, which
        // names): judged against a guess they would only add misleading lines.
        throw new types/* ConfigError */.x([unknownProviderProblem(providerInput, allowedProviders)]);
    }
    const provider = providerInput;
    const isHuawei = provider === 'huaweicloud';
    const isAlibaba = provider === 'alibabacloud';
    const region = get('region');
    const deploy = (0,parse_deploy/* parseDeploySettings */.c2)(get, problems);
    const deployImage = (0,parse_deploy/* parseDeployImage */.U1)(get('deploy-image'), problems);
    const registryInput = get('registry') !== '' ? get('registry') : (deployImage?.registry ?? '');
    const vpc = bool('vpc');
    checkAlibabaOnlyInputs(isAlibaba, get, vpc, syntax, problems);
    // On a generic registry a security token only signs an obs:// package download (temporary Huawei keys).
    if (provider === 'generic' && get('security-token') !== '' && !/^obs:\/\//i.test(get('package'))) {
        problems.push(`security-token: only used with provider huaweicloud or alibabacloud (temporary cloud keys): set ${(0,input_syntax/* setting */.Pe)(syntax, 'provider', 'huaweicloud')}, or remove security-token`);
    }
    const keyless = parseKeyless({ provider, domain: get('domain'), get, exportCredentials: bool('export-credentials'), env: environment.env, syntax, cwd: environment.cwd }, problems);
    // Asked for even when its inputs have problems: the login is then judged as keyless, not as a missing AK/SK.
    const keylessWanted = wantsKeyless(get);
    const domain = get('domain');
    const stepKeys = stepCloudKeys(provider, get, environment.env);
    const { entries: registryAuthEntries, clouds: registryAuthClouds } = parseRegistryAuth(get('registry-auth'), environment.yaml, 
    // A keyless run has no stored keys: its temporary ones (app/keyless.ts) log the entries of its own cloud in.
    {
        domain,
        hasHuaweiKeys: stepKeys.huawei !== undefined || (keylessWanted && isHuawei),
        hasAlibabaKeys: stepKeys.alibaba !== undefined || (keylessWanted && isAlibaba),
    }, problems);
    const needsHuaweiKeys = registryAuthClouds.has('huaweicloud');
    let login;
    let cloudCredentials;
    if (isAlibaba) {
        if (deploy.functionUrns.length > 0 || deploy.cceClusterId !== '') {
            problems.push('function-urn: FunctionGraph and CCE are Huawei Cloud targets; with provider alibabacloud use fc-function (Function Compute), sae-app-id (SAE) or deploy-trigger (ACK/Container Service redeploy triggers)');
        }
        if (deploy.cciWorkloads.length > 0)
            problems.push('cci-workloads: CCI is a Huawei Cloud target; with provider alibabacloud use deploy-trigger');
        if (deploy.shareWith.length > 0)
            problems.push('share-with: sharing is an SWR (Huawei Cloud) feature; with provider alibabacloud grant access in ACR instead');
        login = decideAlibabaLogin({
            region,
            accessKeyId: get('access-key'),
            accessKeySecret: get('secret-key'),
            securityToken: get('security-token'),
            syntax,
            username: get('username'),
            password: get('password'),
            instanceId: get('instance-id'),
            instanceName: get('instance-name'),
            vpc,
            registryOverride: registryInput,
            keyless: keylessWanted,
        }, problems);
        cloudCredentials = undefined;
        if ((0,parse_deploy/* hasAlibabaDeployTargets */.Q9)(deploy) && login.kind === 'password') {
            const input = deploy.fcFunctions.length > 0 ? 'fc-function' : 'sae-app-id';
            problems.push(`${input}: the ${input === 'fc-function' ? 'Function Compute' : 'SAE'} API is signed with an AccessKey: set access-key/secret-key (and security-token for STS) instead of username/password; the registry login is then exchanged for them`);
        }
    }
    else if (keylessWanted && isHuawei) {
        // The keys come from the OIDC exchange at run time; only the temporary SWR login works with them.
        login = { kind: 'swr-temporary', region };
        cloudCredentials = undefined;
        if (get('username') !== '' || get('password') !== '')
            login = { kind: 'anonymous' };
    }
    else {
        if ((0,parse_deploy/* hasAlibabaDeployTargets */.Q9)(deploy)) {
            const input = deploy.fcFunctions.length > 0 ? 'fc-function' : 'sae-app-id';
            problems.push(`${input}: Function Compute and SAE are Alibaba Cloud targets: set ${(0,input_syntax/* setting */.Pe)(syntax, 'provider', 'alibabacloud')} and push to Container Registry, or remove ${input}`);
        }
        ({ login, cloudCredentials } = decideLogin({
            isHuawei,
            region,
            accessKey: get('access-key'),
            secretKey: get('secret-key'),
            username: get('username'),
            password: get('password'),
            securityToken: get('security-token'),
            // An obs:// package is a signed cloud call too: the AK/SK may stand next to a username/password registry login.
            needsCloudApi: (0,parse_deploy/* needsHuaweiApi */.vT)(deploy) || (/^obs:\/\//i.test(get('package')) && (get('access-key') !== '' || get('secret-key') !== '')),
            keysForRegistryAuth: needsHuaweiKeys && get('access-key') !== '' && get('secret-key') !== '',
            syntax,
        }, problems));
    }
    if (region !== '' && (isHuawei || deploy.cceClusterId !== '')) {
        const problem = checkRegion(region);
        if (problem)
            problems.push(`region: ${problem}`);
    }
    else if (region !== '' && isAlibaba) {
        const problem = checkAlibabaRegion(region);
        if (problem)
            problems.push(`region: ${problem}`);
    }
    if (isHuawei && !/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(domain)) {
        problems.push(`domain: "${domain}" is not a domain name such as myhuaweicloud.com`);
    }
    if (isHuawei && region === '' && (login.kind === 'swr-aksk' || login.kind === 'swr-temporary' || registryInput === '')) {
        problems.push('region: required for SWR (the registry is swr.<region>.<domain>, the login user <region>@<AK>): set region, e.g. cn-north-4');
    }
    else if (region === '' && deploy.cceClusterId !== '') {
        problems.push('region: required for cce-cluster-id (the CCE API is cce.<region>.<domain>): set region, e.g. cn-north-4');
    }
    else if (region === '' && deploy.cciWorkloads.length > 0) {
        problems.push('region: required for cci-workloads (the CCI API is cci.<region>.<domain>): set region, e.g. cn-north-4');
    }
    if (deploy.shareWith.length > 0 && provider === 'generic') {
        problems.push('share-with: sharing is done by the SWR API, so the image must be in SWR: set provider huaweicloud (with region and namespace), or remove share-with');
    }
    if (deployImage && get('registry') !== '' && get('registry').toLowerCase() !== deployImage.registry) {
        problems.push(`registry: "${get('registry')}" differs from the deploy-image registry "${deployImage.registry}": remove registry, or fix deploy-image`);
    }
    let registry = registryInput;
    if (registry !== '') {
        const problem = checkRegistryHost(registry);
        if (problem)
            problems.push(`registry: ${problem}`);
        registry = registry.toLowerCase();
    }
    else if (isHuawei) {
        registry = `swr.${region}.${(0,huawei_endpoints/* swrDomain */.fQ)(region, domain)}`;
    }
    else if (isAlibaba) {
        registry = alibabaRegistryHost(region, get('instance-name'), vpc);
    }
    else {
        problems.push('registry: required for provider generic: set the registry host[:port], e.g. registry.example.com');
    }
    const repository = deployImage
        ? deployImage.repository
        : parseRepository({ namespace: get('namespace'), image: get('image'), provider, domain, syntax }, problems);
    if (deployImage && (get('image') !== '' || get('namespace') !== '')) {
        const named = get('namespace') === '' ? get('image') : `${get('namespace')}/${get('image')}`;
        if (named !== deployImage.repository) {
            problems.push(`deploy-image: names repository "${deployImage.repository}" but namespace/image say "${named}": remove namespace and image for a deploy-only run`);
        }
    }
    const tagRules = deployImage ? [] : checkTagRules(get('tags'), syntax, problems);
    const build = parseBuildSettings(get, environment, problems);
    const metadata = parseMetadataSettings(get, environment.env, problems);
    const secretKey = cloudCredentials?.secretKey ?? '';
    for (const [name, value] of build.buildArgs) {
        if (secretKey !== '' && value.includes(secretKey)) {
            problems.push(`build-args: ${name} holds the secret-key: build arguments stay in the image history; use a build secret instead`);
        }
    }
    const push = bool('push');
    const dryRun = bool('dry-run');
    const logout = bool('logout');
    if (!push && build.platforms.length > 1) {
        problems.push('platforms: several platforms need push: true (a multi-platform image cannot be loaded into the local image store)');
    }
    if (!push && !deployImage && (0,parse_deploy/* hasDeployTargets */.Kn)(deploy) && !get('source-image') && !get('merge-digests')) {
        problems.push(`push: false, but deploy targets are set: an image must be pushed before it is deployed; set ${(0,input_syntax/* setting */.Pe)(syntax, 'push', 'true')}, or use deploy-image`);
    }
    const copy = parseCopySettings({
        get,
        provider,
        hasAkSk: (get('access-key') !== '' && get('secret-key') !== '') || (keylessWanted && isHuawei),
        hasPassword: get('username') !== '' || get('password') !== '',
        push,
        deployImage,
        destination: `${registry}/${repository}`,
        bool,
        hasLogin: login.kind !== 'anonymous',
    }, problems);
    const packageSettings = parsePackageSettings({ get, syntax, region, domain, endpoints: deploy.endpoints, secretValues: secretValuesOf(get) }, problems);
    if (get('package') !== '' && !push)
        problems.push('push: false, but package only assembles images in the registry (there is no local image store without Docker): remove push: false (or use dry-run to see the plan)');
    if (deployImage && !(0,parse_deploy/* hasDeployTargets */.Kn)(deploy)) {
        problems.push('deploy-image: nothing to deploy it to: set function-urn, workloads, cci-workloads, deploy-trigger, fc-function or sae-app-id');
    }
    // The host the login belongs to: what the user named, else the provider's own registry; never just where deploy-image points.
    const loginRegistry = get('registry') !== ''
        ? get('registry').toLowerCase()
        : isHuawei
            ? `swr.${region}.${(0,huawei_endpoints/* swrDomain */.fQ)(region, domain)}`
            : isAlibaba
                ? alibabaRegistryHost(region, get('instance-name'), vpc)
                : registry;
    checkAgainstStepRegistry(registryAuthEntries, loginRegistry, problems);
    for (const entry of registryAuthEntries) {
        // Two logins offered for one replica host: which one goes there must not be a guess.
        if (copy.replicateCredentials.includes(entry.registry)) {
            problems.push(`registry-auth: entry ${entry.index}, registry: ${entry.registry} is also in replicate-credentials, which sends the step's login there: remove it from one of them`);
        }
    }
    const registryAuth = Object.freeze({
        entries: Object.freeze(registryAuthEntries.map((entry) => Object.freeze(entry))),
        huaweiKeys: needsHuaweiKeys ? stepKeys.huawei : undefined,
        alibabaKeys: registryAuthEntries.some((entry) => entry.kind === 'alibabacloud') ? stepKeys.alibaba : undefined,
    });
    if (problems.length > 0)
        throw new types/* ConfigError */.x(problems);
    return Object.freeze({
        provider,
        region,
        registry,
        loginRegistry,
        login: Object.freeze(login),
        repository,
        destination: `${registry}/${repository}`,
        tagRules,
        metadata: Object.freeze(metadata),
        build,
        push,
        dryRun,
        logout,
        domain,
        cloudCredentials: cloudCredentials ? Object.freeze(cloudCredentials) : undefined,
        keyless: keyless ? Object.freeze(keyless) : undefined,
        deployImage,
        deploy,
        copy,
        registryAuth,
        package: packageSettings,
    });
}
/**
 * The step's keys per cloud, for registry-auth provider entries: the step's
 * own access-key/secret-key for its provider's cloud (generic counts as
 * Huawei, as the env fallbacks do), else that cloud's SDK variables (set by
 * an earlier credentials step).
 */
function stepCloudKeys(provider, get, env) {
    const ak = get('access-key');
    const sk = get('secret-key');
    const fromEnv = (name) => (env[name] ?? '').trim();
    // The security token goes with its key pair: temporary keys log in only through the SWR API's CreateSecret.
    const withToken = (keys, token) => token === '' ? keys : { ...keys, securityToken: token };
    const huawei = provider !== 'alibabacloud' && ak !== '' && sk !== ''
        ? // The env token belongs to the env key pair (a generic step reads HUAWEICLOUD_SDK_AK/SK, not the token, by fallback).
            withToken({ accessKey: ak, secretKey: sk }, get('security-token') !== '' ? get('security-token') : ak === fromEnv('HUAWEICLOUD_SDK_AK') ? fromEnv('HUAWEICLOUD_SDK_SECURITY_TOKEN') : '')
        : fromEnv('HUAWEICLOUD_SDK_AK') !== '' && fromEnv('HUAWEICLOUD_SDK_SK') !== ''
            ? withToken({ accessKey: fromEnv('HUAWEICLOUD_SDK_AK'), secretKey: fromEnv('HUAWEICLOUD_SDK_SK') }, fromEnv('HUAWEICLOUD_SDK_SECURITY_TOKEN'))
            : undefined;
    const alibaba = provider === 'alibabacloud' && ak !== '' && sk !== ''
        ? { accessKeyId: ak, accessKeySecret: sk, securityToken: get('security-token') }
        : fromEnv('ALIBABA_CLOUD_ACCESS_KEY_ID') !== '' && fromEnv('ALIBABA_CLOUD_ACCESS_KEY_SECRET') !== ''
            ? { accessKeyId: fromEnv('ALIBABA_CLOUD_ACCESS_KEY_ID'), accessKeySecret: fromEnv('ALIBABA_CLOUD_ACCESS_KEY_SECRET'), securityToken: fromEnv('ALIBABA_CLOUD_SECURITY_TOKEN') }
            : undefined;
    return { huawei, alibaba };
}
/** Every secret value the options hold (each line, and each line's value after `=`), for the `env` check. */
function secretValuesOf(get) {
    const values = [];
    for (const spec of schema/* OPTIONS */.lw.filter((option) => option.secret)) {
        const value = get(spec.name);
        if (value === '')
            continue;
        values.push(value);
        for (const line of value.split(/\r?\n/)) {
            values.push(line.trim());
            const eq = line.indexOf('=');
            if (eq >= 0)
                values.push(line.slice(eq + 1).trim());
        }
    }
    return values.filter((value) => value.length >= 4);
}
/** Names the providers, and the one the user most likely meant (`huawei` → huaweicloud). */
function unknownProviderProblem(value, allowed) {
    const aliases = { swr: 'huaweicloud', hwc: 'huaweicloud', aliyun: 'alibabacloud', acr: 'alibabacloud' };
    const lower = value.toLowerCase();
    const meant = allowed.includes(lower)
        ? lower
        : (aliases[lower] ?? allowed.find((name) => lower.length >= 3 && (name.startsWith(lower) || lower.startsWith(name))) ?? (0,closest_name/* closestName */.N)(lower, allowed));
    return meant
        ? `provider: "${value}" is not supported: use ${meant} (the providers are ${allowed.join(', ')})`
        : `provider: "${value}" is not supported: use one of ${allowed.join(', ')}`;
}
/** `namespace/image` for a build, checked against SWR's naming rules. */
function parseRepository({ namespace, image, provider, domain, syntax }, problems) {
    const asReference = imageAsReferenceProblem(image, { provider, domain }, syntax);
    if (namespace === '') {
        // A pasted reference gets one line, which already says where the namespace goes.
        if (!asReference && provider === 'huaweicloud')
            problems.push('namespace: required for SWR: set the organization that holds the image, e.g. my-org');
        if (!asReference && provider === 'alibabacloud')
            problems.push('namespace: required for ACR: set the namespace that holds the repository, e.g. my-team');
    }
    else {
        const problem = provider === 'alibabacloud' ? checkAcrNamespace(namespace) : checkOrganization(namespace);
        if (problem)
            problems.push(`namespace: ${problem}`);
    }
    if (image === '') {
        problems.push('image: required: set the image name, e.g. my-app');
    }
    else if (asReference) {
        problems.push(asReference);
    }
    else {
        const problem = checkRepository(image);
        if (problem)
            problems.push(`image: ${problem}`);
    }
    const repository = namespace === '' ? image : `${namespace}/${image}`;
    if (!asReference && repository.length > 255)
        problems.push(`image: "${repository}" is longer than 255 characters with its namespace: shorten it`);
    return repository;
}
/** Alibaba-only inputs on another provider are a copy-paste slip worth naming. */
function checkAlibabaOnlyInputs(isAlibaba, get, vpc, syntax, problems) {
    if (isAlibaba)
        return;
    // security-token is not among them: Huawei temporary keys carry one too (API calls, obs:// packages).
    for (const name of ['instance-id', 'instance-name']) {
        if (get(name) !== '')
            problems.push(`${name}: only used with provider alibabacloud: set ${(0,input_syntax/* setting */.Pe)(syntax, 'provider', 'alibabacloud')}, or remove ${name}`);
    }
    if (vpc)
        problems.push('vpc: only used with provider alibabacloud (Huawei VPC endpoints go in registry/endpoints): remove vpc');
}

// EXTERNAL MODULE: ./build/src/domain/errors.js
var errors = __webpack_require__(3047);
// EXTERNAL MODULE: ./build/src/registry/logout.js
var logout = __webpack_require__(6563);
;// CONCATENATED MODULE: ./build/src/app/run-sequence.js
/**
 * What every host does around the pipeline, written once so the action and the CLI say and do the same: mask
 * the secret options before anything is parsed or printed, parse the config (a proxy or TLS setting that cannot
 * be used is an input error like any other), report a ConfigError, read the optional files a CI leaves, and
 * log out (saying so when it fails).
 */







/** The env variables a secret option falls back to (the cloud SDKs' names), for every provider. */
function schemaFallbackVariables(spec) {
    const byProvider = spec.envFallbackByProvider ?? {};
    return [...new Set([...(spec.envFallback ?? []), ...Object.values(byProvider).flat()])];
}
/** Masks every secret option's value and the env variables it falls back to, wherever the value came from. */
function maskSecretOptions(read, env, secrets) {
    for (const spec of schema/* OPTIONS */.lw.filter((option) => option.secret)) {
        secrets.add(read(spec.name));
        // Each password in the list too, found line by line: masked even when the YAML does not parse.
        if (spec.name === 'registry-auth')
            for (const secret of registryAuthSecrets(read(spec.name)))
                secrets.add(secret);
        for (const variable of schemaFallbackVariables(spec))
            secrets.add(env[variable] ?? '');
    }
}
/** parseConfig, with the transport's `networkProblem` (proxy, TLS) reported as an input problem. Throws ConfigError. */
function parseRunConfig(read, environment, networkProblem) {
    const config = parseConfig(read, environment);
    if (networkProblem !== undefined)
        throw new types/* ConfigError */.x([networkProblem]);
    return config;
}
/** A ConfigError as the hosts report it: one line per problem, then what was (not) done. */
function configErrorLines(error) {
    return {
        problems: error.problems,
        summary: `${error.problems.length} problem(s) found before any side effect: nothing was logged in, built or pushed`,
    };
}
/** What a failed run tells the user: an ImageshipError's message and hint, any other error's message. */
function userMessageOf(error) {
    if (error instanceof errors/* ImageshipError */.K)
        return error.userMessage;
    return error instanceof Error ? error.message : String(error);
}
/** A file a CI may or may not leave (the GitHub event payload, git metadata): its text, or undefined. */
function readOptionalFile(path) {
    try {
        return (0,external_node_fs_.readFileSync)(path, 'utf8');
    }
    catch {
        return undefined;
    }
}
/** Undoes the run's registry login; `message` is the line to show, a warning when `ok` is false. */
async function logOut(exec, registry, env) {
    const result = await (0,logout/* dockerLogout */.t)(exec, registry, env);
    if (result.ok)
        return { ok: true, message: result.message };
    // A failed logout must not go unnoticed: the login would stay in the Docker config.
    return { ok: false, message: `could not log out of ${registry}: ${result.message}; remove its entry from the Docker config by hand` };
}


/***/ }),

/***/ 4907:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   N: () => (/* binding */ closestName)
/* harmony export */ });
/**
 * "Did you mean …?" for names a user typed: flags, inputs, env variables,
 * enum values. Shared by the CLI (unknown flags) and the action (undeclared
 * inputs), so both suggest the same names for the same typo.
 */
/**
 * The known name nearest to `name` by edit distance, when it is near enough
 * to be a typo; with `partial`, also a prefix/containment match (`--secret`
 * → secret-key, `--dockerfile-path` → dockerfile).
 */
function closestName(name, known, options = {}) {
    const lower = name.toLowerCase();
    let best;
    let bestDistance = Infinity;
    for (const candidate of known) {
        const distance = candidate === lower ? 0 : editDistance(lower, candidate);
        if (distance < bestDistance) {
            best = candidate;
            bestDistance = distance;
        }
    }
    if (best !== undefined && bestDistance <= Math.max(2, Math.floor(best.length / 3)))
        return best;
    if (!options.partial)
        return undefined;
    return known.find((candidate) => lower.length >= 3 && (candidate.startsWith(lower) || lower.startsWith(candidate)));
}
function editDistance(a, b) {
    // Optimal string alignment: insertions, deletions, substitutions and adjacent swaps (`imgae`) cost 1.
    let before = [];
    let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        const current = [i];
        for (let j = 1; j <= b.length; j++) {
            const cost = a[i - 1] === b[j - 1] ? 0 : 1;
            let distance = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
                distance = Math.min(distance, before[j - 2] + 1);
            current.push(distance);
        }
        before = previous;
        previous = current;
    }
    return previous[b.length];
}


/***/ }),

/***/ 570:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  Q9: () => (/* binding */ hasAlibabaDeployTargets),
  Kn: () => (/* binding */ hasDeployTargets),
  vT: () => (/* binding */ needsHuaweiApi),
  U1: () => (/* binding */ parseDeployImage),
  c2: () => (/* binding */ parseDeploySettings)
});

;// CONCATENATED MODULE: ./build/src/domain/targets/alibaba-names.js
/** Names of Alibaba Cloud deploy targets, checked before anything runs (config/ reads them; cloud/alibaba acts on them). */
/** FC 3.0's rule (CreateFunctionInput.functionName): 1-64 letters, digits, `_` and `-`, not starting with a digit or `-`. */
const FUNCTION_NAME = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;
/** A function carried over from an FC 2.0 service is named `service$function` (service names: 1-128 of the same). */
const MIGRATED_FUNCTION_NAME = /^[A-Za-z_][A-Za-z0-9_-]{0,127}\$[A-Za-z_][A-Za-z0-9_-]{0,63}$/;
/** A problem with a `fc-function` name, or undefined when it is valid. */
function checkFcFunctionName(name) {
    if (FUNCTION_NAME.test(name) || MIGRATED_FUNCTION_NAME.test(name))
        return undefined;
    return `"${name}" is not a Function Compute function name: 1-64 letters, digits, "_" or "-", not starting with a digit or "-" (service$function for one carried over from FC 2.0; no qualifier or ARN)`;
}
const APP_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
function checkSaeAppId(appId) {
    if (APP_ID.test(appId))
        return undefined;
    return `"${appId}" is not an SAE application id (a UUID such as 7171a6ca-d1cd-4928-8642-7d5cfe69a2b1, on the application's Basic Information page)`;
}

// EXTERNAL MODULE: ./build/src/domain/targets/cci-workloads.js
var cci_workloads = __webpack_require__(3033);
// EXTERNAL MODULE: ./build/src/domain/targets/share-with.js
var share_with = __webpack_require__(5505);
// EXTERNAL MODULE: ./build/src/domain/targets/huawei-endpoints.js + 1 modules
var huawei_endpoints = __webpack_require__(1607);
// EXTERNAL MODULE: ./build/src/domain/targets/function-urn.js
var function_urn = __webpack_require__(4985);
// EXTERNAL MODULE: ./build/src/domain/targets/kubernetes-workloads.js
var kubernetes_workloads = __webpack_require__(7412);
// EXTERNAL MODULE: ./build/src/domain/targets/trigger-urls.js
var trigger_urls = __webpack_require__(54);
// EXTERNAL MODULE: ./build/src/domain/image/reference.js
var image_reference = __webpack_require__(1605);
// EXTERNAL MODULE: ./build/src/config/read-values.js
var read_values = __webpack_require__(7949);
;// CONCATENATED MODULE: ./build/src/config/parse-deploy.js









const MAX_ROLLOUT_SECONDS = 3600;
/** Prefixes a helper's message with the input name unless it already starts with it. */
function named(input, message) {
    return message.startsWith(`${input}:`) ? message : `${input}: ${message}`;
}
/** Reads the deploy inputs; syntax only (the kubeconfig is parsed in the async preflight). */
function parseDeploySettings(get, problems) {
    const functionUrns = (0,read_values/* splitLines */.uz)(get('function-urn'));
    for (const urn of functionUrns) {
        try {
            (0,function_urn/* parseFunctionUrn */.$)(urn);
        }
        catch (error) {
            problems.push(named('function-urn', error instanceof Error ? error.message : String(error)));
        }
    }
    const workloadsParsed = (0,kubernetes_workloads/* parseWorkloads */.K)(get('workloads'));
    problems.push(...workloadsParsed.errors.map((error) => named('workloads', error)));
    const triggers = (0,trigger_urls/* parseTriggerUrls */.s)(get('deploy-trigger'));
    problems.push(...triggers.errors.map((error) => named('deploy-trigger', error)));
    const cci = (0,cci_workloads/* parseCciWorkloads */.b)(get('cci-workloads'));
    problems.push(...cci.errors);
    const shares = (0,share_with/* parseShareWith */.L)(get('share-with'));
    problems.push(...shares.errors);
    const fcFunctions = uniqueLines(get('fc-function'), 'fc-function', checkFcFunctionName, problems);
    const saeAppIds = uniqueLines(get('sae-app-id'), 'sae-app-id', checkSaeAppId, problems);
    const endpoints = (0,huawei_endpoints/* parseEndpoints */.aL)(get('endpoints'));
    problems.push(...endpoints.errors.map((error) => named('endpoints', error)));
    const kubeconfig = get('kubeconfig');
    const cceClusterId = get('cce-cluster-id');
    const workloads = workloadsParsed.workloads;
    if (workloads.length > 0 && kubeconfig === '' && cceClusterId === '') {
        problems.push('workloads: needs cluster credentials: set kubeconfig (from a secret) or cce-cluster-id');
    }
    if (kubeconfig !== '' && cceClusterId !== '') {
        problems.push('kubeconfig: give either kubeconfig or cce-cluster-id, not both: remove one');
    }
    if ((kubeconfig !== '' || cceClusterId !== '') && workloads.length === 0 && get('workloads') === '') {
        problems.push(`${kubeconfig !== '' ? 'kubeconfig' : 'cce-cluster-id'}: set, but no workloads to roll out: add workloads (namespace/deployment/name) or remove it`);
    }
    if (cceClusterId !== '' && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(cceClusterId)) {
        problems.push(`cce-cluster-id: "${cceClusterId}" is not a CCE cluster id (a UUID such as 4e3f6f6a-1c2b-11ef-8a0c-0255ac100b07): copy it from the cluster's overview page`);
    }
    const projectId = get('project-id');
    if (projectId !== '' && !/^[0-9a-f]{32}$/.test(projectId)) {
        problems.push(`project-id: "${projectId}" is not a project id (32 hex characters): see "My Credentials > API Credentials"`);
    }
    const rolloutText = get('rollout-timeout');
    const rolloutSeconds = /^\d+$/.test(rolloutText) ? Number(rolloutText) : Number.NaN;
    if (!(rolloutSeconds >= 1 && rolloutSeconds <= MAX_ROLLOUT_SECONDS)) {
        problems.push(`rollout-timeout: "${rolloutText}" is not a number of seconds from 1 to ${MAX_ROLLOUT_SECONDS}: e.g. 300`);
    }
    return Object.freeze({
        functionUrns,
        functionTag: get('function-tag'),
        workloads,
        kubeconfig,
        cceClusterId,
        kubeContext: get('kube-context'),
        projectId,
        rolloutTimeoutMs: (Number.isFinite(rolloutSeconds) ? rolloutSeconds : 300) * 1000,
        triggers: triggers.urls,
        cciWorkloads: cci.workloads,
        shareWith: shares.shares,
        fcFunctions,
        saeAppIds,
        endpoints: endpoints.endpoints,
        warnings: [...endpoints.warnings, ...triggers.warnings],
    });
}
/** `deploy-image`: a full reference with a tag or a digest, or undefined when building. */
function parseDeployImage(text, problems) {
    if (text === '')
        return undefined;
    try {
        const reference = (0,image_reference/* parseImageReference */.o_)(text);
        if (!reference.tag && !reference.digest) {
            problems.push(`deploy-image: "${text}" names no tag or digest: use <registry>/<namespace>/<image>:<tag> or …@sha256:<digest>`);
            return undefined;
        }
        return reference;
    }
    catch (error) {
        problems.push(named('deploy-image', error instanceof Error ? error.message : String(error)));
        return undefined;
    }
}
function hasDeployTargets(deploy) {
    return deploy.functionUrns.length > 0 || deploy.workloads.length > 0 || deploy.triggers.length > 0 || needsHuaweiApi(deploy) || hasAlibabaDeployTargets(deploy);
}
/** Targets reached through signed Huawei Cloud API calls (FunctionGraph, CCE, CCI, SWR sharing). */
function needsHuaweiApi(deploy) {
    return deploy.functionUrns.length > 0 || deploy.cceClusterId !== '' || deploy.cciWorkloads.length > 0 || deploy.shareWith.length > 0;
}
/** Function Compute functions or SAE applications: targets signed with the Alibaba AccessKey. */
function hasAlibabaDeployTargets(deploy) {
    return deploy.fcFunctions.length > 0 || deploy.saeAppIds.length > 0;
}
/** One value per line, each checked, none twice (a second deploy of the same target would only repeat the first). */
function uniqueLines(text, input, check, problems) {
    const values = (0,read_values/* splitLines */.uz)(text);
    const seen = new Set();
    for (const value of values) {
        const problem = check(value);
        if (problem !== undefined)
            problems.push(`${input}: ${problem}`);
        else if (seen.has(value))
            problems.push(`${input}: "${value}" is listed twice: keep one line`);
        seen.add(value);
    }
    return values;
}


/***/ }),

/***/ 7949:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   LH: () => (/* binding */ parseBooleanValue),
/* harmony export */   ry: () => (/* binding */ splitList),
/* harmony export */   uz: () => (/* binding */ splitLines),
/* harmony export */   xg: () => (/* binding */ parsePairs)
/* harmony export */ });
/**
 * Strict readers for option values. A typo such as `push: ture` is an error,
 * not a silent `false` — the GitHub toolkit's lenient parsing is a common
 * source of "why did it push?" surprises.
 */
const TRUE = new Set(['true', 'True', 'TRUE']);
const FALSE = new Set(['false', 'False', 'FALSE']);
function parseBooleanValue(name, raw, problems) {
    if (TRUE.has(raw))
        return true;
    if (FALSE.has(raw))
        return false;
    problems.push(`${name}: "${raw}" is not a boolean: use true or false`);
    return undefined;
}
/** Non-empty, trimmed lines; `#` starts a comment line. */
function splitLines(raw) {
    return raw
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter((line) => line !== '' && !line.startsWith('#'));
}
/** Lines that may also be comma-separated (platforms, like docker's `--platform a,b`). */
function splitList(raw) {
    return splitLines(raw).flatMap((line) => line.split(',').map((item) => item.trim()).filter(Boolean));
}
/** `NAME=value` lines; the value may contain `=`. */
function parsePairs(name, raw, keyPattern, keyHint, problems) {
    const pairs = [];
    for (const line of splitLines(raw)) {
        const eq = line.indexOf('=');
        const key = eq < 0 ? line : line.slice(0, eq).trim();
        if (eq < 0 || !keyPattern.test(key)) {
            problems.push(`${name}: "${line.length > 40 ? `${line.slice(0, 40)}…` : line}" is not ${keyHint}=value: write one ${keyHint}=value per line`);
            continue;
        }
        pairs.push([key, line.slice(eq + 1)]);
    }
    return pairs;
}


/***/ }),

/***/ 9829:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   HE: () => (/* binding */ optionSpec),
/* harmony export */   lw: () => (/* binding */ OPTIONS)
/* harmony export */ });
/* unused harmony export OUTPUTS */
/**
 * Every option imageship understands, described once. The action inputs
 * (action.yml), the README tables and, later, the CLI flags (`--name`) and
 * env vars (`IMAGESHIP_NAME`) are all derived from this list; a test keeps
 * action.yml and the README in step with it.
 *
 * Over 400 lines because it is data: one entry per option (100+ of them), kept in one list so the
 * generated action.yml, README tables and CLI help cannot disagree about order or spelling.
 */
const OPTIONS = [
    {
        name: 'provider', type: 'enum', values: ['huaweicloud', 'alibabacloud', 'generic'], default: 'huaweicloud', group: 'registry',
        description: 'Registry provider: `huaweicloud` (SWR, login derived from access-key/secret-key), `alibabacloud` (ACR Personal or Enterprise Edition: username/password, or a temporary login from access-key/secret-key) or `generic` (any registry, `username`/`password` or anonymous).',
    },
    {
        name: 'region', type: 'string', group: 'registry',
        description: 'Region id: Huawei Cloud `cn-north-4` (selects `swr.<region>.<domain>` and the login user `<region>@<access-key>`), or Alibaba Cloud `cn-hangzhou` (selects `registry.<region>.aliyuncs.com` or the Enterprise instance host).',
    },
    {
        name: 'access-key', type: 'string', secret: true, group: 'registry',
        envFallbackByProvider: { huaweicloud: ['HUAWEICLOUD_SDK_AK'], alibabacloud: ['ALIBABA_CLOUD_ACCESS_KEY_ID'], generic: ['HUAWEICLOUD_SDK_AK'] },
        description: 'Access key id (AK). Falls back to env `HUAWEICLOUD_SDK_AK` (Huawei) or `ALIBABA_CLOUD_ACCESS_KEY_ID` (Alibaba). Masked; logs show its first 4 characters only.',
    },
    {
        name: 'secret-key', type: 'string', secret: true, group: 'registry',
        envFallbackByProvider: { huaweicloud: ['HUAWEICLOUD_SDK_SK'], alibabacloud: ['ALIBABA_CLOUD_ACCESS_KEY_SECRET'], generic: ['HUAWEICLOUD_SDK_SK'] },
        description: 'Secret access key (SK). Falls back to env `HUAWEICLOUD_SDK_SK` (Huawei) or `ALIBABA_CLOUD_ACCESS_KEY_SECRET` (Alibaba). Never sent anywhere: it only signs (SWR: the login password is derived from it locally).',
    },
    {
        name: 'security-token', type: 'string', secret: true, group: 'registry',
        envFallbackByProvider: { huaweicloud: ['HUAWEICLOUD_SDK_SECURITY_TOKEN'], alibabacloud: ['ALIBABA_CLOUD_SECURITY_TOKEN'] },
        description: 'Security token of a temporary access-key/secret-key pair (Huawei Cloud STS/IAM temporary keys; Alibaba Cloud STS `STS.…`). Huawei: every API call (and an `obs://` package download) carries it in the signed `X-Security-Token` header and the SWR login is the temporary one from the SWR API (the long-term login cannot be derived from temporary keys). Falls back to env `HUAWEICLOUD_SDK_SECURITY_TOKEN` (Huawei) or `ALIBABA_CLOUD_SECURITY_TOKEN` (Alibaba).',
    },
    {
        name: 'oidc-provider-urn', type: 'string', group: 'registry',
        description: 'Keyless, Huawei Cloud IAM 5.0 STS: URN of the OIDC identity provider (`iam::<account-id>:identity-provider:<name>`). With `agency-urn`, the CI\'s OIDC token is exchanged for temporary credentials (AssumeAgencyWithOIDC); no access-key/secret-key is stored anywhere.',
    },
    {
        name: 'agency-urn', type: 'string', group: 'registry',
        description: 'Keyless, Huawei Cloud IAM 5.0 STS: URN of the trust agency to assume (`iam::<account-id>:agency:<name>`); its trust policy names the OIDC provider and the `sub` it allows.',
    },
    {
        name: 'identity-provider', type: 'string', group: 'registry',
        description: 'Keyless, Huawei Cloud IAM federation: the id of an OpenID Connect identity provider (IAM > Identity Providers, access type "programmatic"). The OIDC token gets a federated token (`POST /v3.0/OS-AUTH/id-token/tokens`, header `X-Idp-Id`), which gets temporary credentials (`POST /v3.0/OS-CREDENTIAL/securitytokens`).',
    },
    {
        name: 'role-arn', type: 'string', group: 'registry', envFallbackByProvider: { alibabacloud: ['ALIBABA_CLOUD_ROLE_ARN'] },
        description: 'Keyless, Alibaba Cloud: ARN of the RAM role to assume (`acs:ram::<account-id>:role/<name>`) with STS AssumeRoleWithOIDC. Falls back to env `ALIBABA_CLOUD_ROLE_ARN`.',
    },
    {
        name: 'oidc-provider-arn', type: 'string', group: 'registry', envFallbackByProvider: { alibabacloud: ['ALIBABA_CLOUD_OIDC_PROVIDER_ARN'] },
        description: 'Keyless, Alibaba Cloud: ARN of the RAM OIDC identity provider (`acs:ram::<account-id>:oidc-provider/<name>`). Falls back to env `ALIBABA_CLOUD_OIDC_PROVIDER_ARN`.',
    },
    {
        name: 'oidc-audience', type: 'string', group: 'registry',
        description: 'Keyless: the audience (`aud`) of the OIDC token; it must be a client id of the cloud\'s identity provider. Default: `sts.aliyuncs.com` (Alibaba, as its GitHub guide and official action use) or `sts.<domain>` (Huawei, which documents no fixed value: enter the same one as the provider\'s client id).',
    },
    {
        name: 'oidc-token', type: 'string', secret: true, group: 'registry',
        description: 'Keyless: the OIDC ID token (a JWT) itself, from a secret or an earlier step. Default: `oidc-token-file`, else the variable named by `oidc-token-env`, else (GitHub Actions) a token requested for `oidc-audience`, which needs `permissions: id-token: write`.',
    },
    {
        name: 'oidc-token-file', type: 'string', group: 'registry', envFallbackByProvider: { alibabacloud: ['ALIBABA_CLOUD_OIDC_TOKEN_FILE'] },
        description: 'Keyless: a file holding the OIDC ID token (Kubernetes projected service-account tokens, RRSA). Falls back to env `ALIBABA_CLOUD_OIDC_TOKEN_FILE` (Alibaba).',
    },
    {
        name: 'oidc-token-env', type: 'string', default: 'IMAGESHIP_ID_TOKEN', group: 'registry',
        description: 'Keyless: the environment variable holding the OIDC ID token, e.g. GitLab CI\'s `id_tokens:` variable. Used when set and not empty.',
    },
    {
        name: 'role-session-name', type: 'string', group: 'registry',
        description: 'Keyless: the session name the cloud records in its audit logs (agency_session_name, RoleSessionName; 2-64 letters, digits and `_.@-`). Default: `imageship-<run id>`.',
    },
    {
        name: 'session-duration', type: 'string', default: '3600', group: 'registry',
        description: 'Keyless: how long the temporary credentials last, in seconds: 900 to 43200, and at most the agency\'s or role\'s maximum session duration.',
    },
    {
        name: 'export-credentials', type: 'boolean', default: 'false', group: 'registry',
        description: 'Keyless (GitHub Action only): also export the temporary credentials to the later steps of the job as masked env vars (`HUAWEICLOUD_SDK_AK`, `HUAWEICLOUD_SDK_SK`, `HUAWEICLOUD_SDK_SECURITY_TOKEN`, or `ALIBABA_CLOUD_ACCESS_KEY_ID`, `ALIBABA_CLOUD_ACCESS_KEY_SECRET`, `ALIBABA_CLOUD_SECURITY_TOKEN`). Off by default: every later step, including third-party actions, could then act as the agency/role until the credentials expire.',
    },
    {
        name: 'instance-id', type: 'string', group: 'registry',
        description: 'ACR Enterprise Edition instance id (`cri-…`): needed for the temporary login from access-key/secret-key (GetAuthorizationToken).',
    },
    {
        name: 'instance-name', type: 'string', group: 'registry',
        description: 'ACR Enterprise Edition instance name: the registry is `<instance-name>-registry.<region>.cr.aliyuncs.com`.',
    },
    {
        name: 'vpc', type: 'boolean', default: 'false', group: 'registry',
        description: 'Use the Alibaba Cloud VPC registry endpoint (`registry-vpc.<region>.aliyuncs.com`, `<instance-name>-registry-vpc.<region>.cr.aliyuncs.com`) from a runner inside the VPC.',
    },
    {
        name: 'domain', type: 'string', default: 'myhuaweicloud.com', group: 'registry',
        description: 'Huawei Cloud domain. With the default, each service\'s host per region comes from the official SDKs\' region tables (eu-west-101: SWR and IAM on `myhuaweicloud.eu`, FunctionGraph on `.com`; the registry is `swr.<region>.<domain of the SWR API>`); another domain (another partition) is used for every host (`<service>.<region>.<domain>`).',
    },
    {
        name: 'registry', type: 'string', group: 'registry',
        description: 'Registry `host[:port]` overriding the derived one: a private/VPC endpoint, another registry with `provider: generic`, or a local test registry.',
    },
    {
        name: 'username', type: 'string', group: 'registry',
        description: 'Registry user name for a login that is not derived from AK/SK (generic registries, or an SWR temporary login).',
    },
    {
        name: 'password', type: 'string', secret: true, group: 'registry',
        description: 'Registry password or token for `username`. Masked; passed to `docker login` on stdin only.',
    },
    {
        name: 'registry-auth', type: 'string', secret: true, keepWhitespace: true, group: 'registry',
        description: 'More registries to log in to, as docker/login-action\'s `registry-auth`: a YAML list of `registry`, `username`, `password` (e.g. a private base image\'s registry, a `replicate-to` target). A Huawei Cloud or Alibaba Cloud entry may instead give `provider: huaweicloud` or `alibabacloud` and `region` (Alibaba Enterprise: `instance-id`, `instance-name`; any: `registry` to override the host) and log in with the step\'s keys (a keyless step\'s temporary ones; temporary Huawei keys get a temporary SWR login from CreateSecret). Masked whole; every login is removed when the job (or the CLI run) ends, and logins that were there before are put back. See the README\'s "Several registries in one step".',
    },
    {
        name: 'namespace', type: 'string', group: 'image',
        description: 'SWR organization (namespace) that holds the image, e.g. `my-org`. Optional with `provider: generic`.',
    },
    {
        name: 'image', type: 'string', group: 'image',
        description: 'Image (repository) name inside the namespace, e.g. `my-app`.',
    },
    {
        name: 'tags', type: 'lines', default: 'type=schedule\ntype=ref,event=branch\ntype=ref,event=tag\ntype=ref,event=pr', group: 'image',
        description: 'One tag rule per line, as docker/metadata-action\'s `tags` input: a fixed tag (`latest`), or `type=schedule|semver|pep440|match|edge|ref|raw|sha` with `enable`, `priority`, `prefix`, `suffix` and the type\'s attributes. Empty: metadata-action\'s defaults (schedule, branch, tag, pull request). See the README\'s "Tags" section.',
    },
    {
        name: 'flavor', type: 'lines', group: 'image',
        description: 'docker/metadata-action\'s `flavor`: `latest=auto|true|false` (default `auto`: `latest` is added when the first tag comes from a release: a git tag, a semver or pep440 release, `type=match`), `prefix=…` and `suffix=…` for every tag without its own (add `,onlatest=true` to put them on `latest` too).',
    },
    {
        name: 'context', type: 'string', default: '.', group: 'build',
        description: 'Build context directory.',
    },
    {
        name: 'dockerfile', type: 'string', group: 'build',
        description: 'Path to the Dockerfile. Default: `<context>/Dockerfile` (the name is case-sensitive).',
    },
    {
        name: 'build-args', type: 'lines', group: 'build',
        description: 'Build arguments, one `NAME=value` per line. Do not pass secrets here: they stay in the image history.',
    },
    {
        name: 'labels', type: 'lines', group: 'build',
        description: 'Extra image labels, one `name=value` per line (templates such as `{{commit_date \'YYYY-MM-DDTHH:mm:ss.SSS[Z]\'}}` allowed); added to, or replacing, the OCI labels computed from the source.',
    },
    {
        name: 'annotations', type: 'lines', group: 'build',
        description: 'Extra OCI annotations, one `name=value` per line (templates allowed), as docker/metadata-action\'s `annotations`. Setting it (or env `DOCKER_METADATA_ANNOTATIONS_LEVELS`) applies the annotations: buildx `--annotation` at the levels of `DOCKER_METADATA_ANNOTATIONS_LEVELS` (default `manifest`; `index` for a multi-platform build), onto the copied manifest with `source-image` (only these lines; the digest then changes). A `merge-digests` index always carries the computed annotations.',
    },
    {
        name: 'target', type: 'string', group: 'build',
        description: 'Build stage to stop at (`--target`).',
    },
    {
        name: 'platforms', type: 'lines', group: 'build',
        description: 'Target platforms, comma- or newline-separated (e.g. `linux/amd64,linux/arm64`). Needs Docker buildx.',
    },
    {
        name: 'no-cache', type: 'boolean', default: 'false', group: 'build',
        description: 'Build without using the layer cache.',
    },
    {
        name: 'pull', type: 'boolean', default: 'false', group: 'build',
        description: 'Always pull newer versions of the base images.',
    },
    {
        name: 'push', type: 'boolean', default: 'true', group: 'behaviour',
        description: 'Push the tags and verify them in the registry. With `false` the image is only built and tagged locally.',
    },
    {
        name: 'cache-from', type: 'lines', group: 'build',
        description: 'Cache sources, one per line: an image reference for the classic builder, or a buildx `--cache-from` value (`type=registry,ref=…`).',
    },
    {
        name: 'cache-to', type: 'lines', group: 'build',
        description: 'Cache exports, one buildx `--cache-to` value per line (buildx only).',
    },
    {
        name: 'builder', type: 'string', group: 'build',
        description: 'Builder: the name of a buildx builder (as `docker buildx ls` lists it; e.g. the `name` output of docker/setup-buildx-action), or `classic` for the legacy builder (`DOCKER_BUILDKIT=0`). Default: env `BUILDX_BUILDER`, else the current buildx builder, else the classic builder when buildx is not installed. What the builder can do (its driver, platforms, the containerd image store) is checked before anything is logged in or built.',
    },
    {
        name: 'secrets', type: 'lines', secret: true, group: 'build',
        description: 'Build secrets, one `id=value` per line, as docker/build-push-action takes them: each is handed to BuildKit in a file readable only by the runner user (`--secret id=…,src=…`) and reaches the Dockerfile through `RUN --mount=type=secret,id=…`; never on a command line, never in the image. Needs buildx.',
    },
    {
        name: 'secret-files', type: 'lines', group: 'build',
        description: 'Build secrets from files, one `id=path` per line (`--secret id=…,src=path`). Needs buildx.',
    },
    {
        name: 'secret-envs', type: 'lines', group: 'build',
        description: 'Build secrets from environment variables, one `id=VARIABLE` per line (`--secret id=…,env=VARIABLE`). Needs buildx.',
    },
    {
        name: 'provenance', type: 'string', group: 'build',
        description: 'Provenance attestation, as buildx `--provenance` takes it: `true`, `mode=min`, `mode=max` or `false`. Default: off, because an attestation turns the pushed image into an index, which FunctionGraph refuses (it expects one image manifest). Needs buildx ≥ 0.10 with a BuildKit builder (docker-container, remote, kubernetes) or the containerd image store.',
    },
    {
        name: 'sbom', type: 'string', group: 'build',
        description: 'SBOM attestation, as buildx `--sbom` takes it: `true`, `false` or `generator=IMAGE`. Default: off (see `provenance` for why). Same builder needs as `provenance`.',
    },
    {
        name: 'sep-tags', type: 'string', keepWhitespace: true, group: 'behaviour',
        description: 'Separator of the `tags` and `tag-names` outputs (default: a newline), as docker/metadata-action\'s `sep-tags`.',
    },
    {
        name: 'sep-labels', type: 'string', keepWhitespace: true, group: 'behaviour',
        description: 'Separator of the `labels` output (default: a newline).',
    },
    {
        name: 'sep-annotations', type: 'string', keepWhitespace: true, group: 'behaviour',
        description: 'Separator of the `annotations` output (default: a newline).',
    },
    {
        name: 'dry-run', type: 'boolean', default: 'false', group: 'behaviour',
        description: 'Validate the inputs and print the plan (registry, login user, tags, build command, then every step the run would take, numbered in run order) without logging in, building or pushing. With `retention`, the repository\'s tags are read and the ones that would be deleted are listed (nothing is deleted).',
    },
    {
        name: 'package', type: 'string', group: 'package',
        description: 'Make the image from a software package instead of a Dockerfile, without a Docker daemon: a local path, an `https://` URL, or `obs://bucket/key` (Huawei OBS, signed with access-key/secret-key and security-token; `region` picks `https://{bucket}.obs.{region}.{domain}`, `endpoints: obs=…` overrides it). The base image is read through the registry API, the package becomes one reproducible layer, and its blobs are mounted or skipped rather than downloaded. See the README\'s "Images from a package" section.',
    },
    {
        name: 'package-type', type: 'string', group: 'package',
        description: 'What the package is: `jar`, `war`, `node`, `python`, `php` or `files`. Default: from the file name (`.jar`, `.war`, `.tgz` is `node`, `.whl` is `python`; a `.zip` or `.tar.gz` needs it). Decides the default base image, where the package goes and how the container starts (README table).',
    },
    {
        name: 'base-image', type: 'string', group: 'package',
        description: 'Base image for `package` (a full reference; a multi-platform index gives every platform, `platforms` narrows). Default per package-type: `eclipse-temurin:21-jre`, `tomcat:10.1-jre21`, `node:22-slim`, `python:3.12-slim`, `php:8.3-apache`; required for `files`.',
    },
    {
        name: 'entrypoint', type: 'string', group: 'package',
        description: 'Image entrypoint for `package`: a JSON array (`["java","-jar","/app/app.jar"]`) or words separated by spaces. Setting it clears the base image\'s `Cmd`, as a Dockerfile ENTRYPOINT does.',
    },
    {
        name: 'cmd', type: 'string', group: 'package',
        description: 'Image command (`Cmd`) for `package`: a JSON array or words separated by spaces. Required for `python`.',
    },
    {
        name: 'workdir', type: 'string', group: 'package',
        description: 'Working directory of the image for `package` (an absolute path); with `package-type: files` the package is unpacked here. Default `/app` (`jar`, `node`, `python`, `files`), else the base image\'s.',
    },
    {
        name: 'env', type: 'lines', group: 'package',
        description: 'Environment variables baked into the image for `package`, one `NAME=value` per line. A value that is one of the run\'s secrets is refused: the image would carry it.',
    },
    {
        name: 'expose', type: 'lines', group: 'package',
        description: 'Ports the image exposes for `package`, comma- or newline-separated: `8080`, `8080/tcp`, `53/udp`.',
    },
    {
        name: 'user', type: 'string', group: 'package',
        description: 'User the container runs as for `package` (`uid[:gid]` or a name). A numeric `uid[:gid]` also owns the package files; otherwise they belong to root (readable by everyone).',
    },
    {
        name: 'package-sha256', type: 'string', group: 'package',
        description: 'Expected SHA-256 of the package file (64 hex digits, optionally `sha256:`-prefixed): a download that does not match is refused before anything is pushed.',
    },
    {
        name: 'package-max-size', type: 'string', default: '512M', group: 'package',
        description: 'Largest package accepted (bytes, or with a `K`, `M` or `G` suffix); its unpacked content may be four times that. A larger download is stopped as soon as it passes the limit.',
    },
    {
        name: 'source-image', type: 'string', group: 'copy',
        description: 'Copy this image (a full reference; a multi-platform index is copied whole) to the destination under every computed tag, registry to registry, without a Docker daemon and without building. The digest stays the same (unless `annotations` are added to it). An image already in the destination repository is retagged (no blob bytes move).',
    },
    {
        name: 'source-username', type: 'string', group: 'copy',
        description: 'User for the source-image registry. Default: the Docker config\'s login for that host, else anonymous.',
    },
    {
        name: 'source-password', type: 'string', secret: true, group: 'copy',
        description: 'Password or token for source-username.',
    },
    {
        name: 'replicate-to', type: 'lines', group: 'copy',
        description: 'Extra destinations (`host/namespace/image`, one per line) that get the pushed image and tags after the push, registry to registry: another SWR region of the same `domain` (login derived from the same AK/SK; with temporary keys, a temporary login from that region\'s SWR API) or any registry known to the Docker config (else anonymous). The run\'s login goes nowhere else unless listed in `replicate-credentials`.',
    },
    {
        name: 'replicate-credentials', type: 'lines', group: 'copy',
        description: 'Registry hosts (`host[:port]`, one per line, each the host of a `replicate-to` line) allowed to receive this run\'s login: the SWR login derived for the host\'s region when the host is `swr.<region>.<any domain>` and the login is AK/SK, else the login given for `registry`. Without it, only `swr.<region>.<domain>` of the configured `domain` gets the login automatically; every other replica host uses the Docker config\'s login for it, or none.',
    },
    {
        name: 'merge-digests', type: 'lines', group: 'copy',
        description: 'Assemble a multi-platform index from per-platform image digests already in the destination repository (one `sha256:…` per line, e.g. the `digest` outputs of matrix jobs) and push it under the tags, with the OCI annotations on the index. Nothing is built.',
    },
    {
        name: 'push-by-digest', type: 'boolean', default: 'false', group: 'copy',
        description: 'Push the built image by digest only, without tags (buildx), for matrix jobs whose `digest` outputs a later step assembles with `merge-digests`.',
    },
    {
        name: 'copy-concurrency', type: 'string', default: '6', group: 'copy',
        description: 'How many blobs a registry-to-registry copy (`source-image`, `replicate-to`) moves at once, across the whole image tree: 1 to 32. More helps where each connection is capped (CDNs, cloud egress); fewer spares a slow registry.',
    },
    {
        name: 'create-namespace', type: 'boolean', default: 'false', group: 'registry',
        description: 'Create the SWR organization first if it does not exist (SWR API `POST /v2/manage/namespaces`; needs access-key/secret-key).',
    },
    {
        name: 'login-mode', type: 'enum', values: ['long-term', 'temporary'], default: 'long-term', group: 'registry',
        description: 'SWR login: `long-term` (derived from the AK/SK locally) or `temporary` (a 6-hour login from the SWR API `POST /v2/manage/utils/secret`; its expiry is logged).',
    },
    {
        name: 'retention', type: 'string', group: 'copy',
        description: 'After the push, delete old tags of the repository: `keep-last=N`, `max-age-days=D`, optional `tag-pattern=<regex>` (only matching tags may be deleted). Tags just pushed are never deleted; `dry-run` deletes nothing and lists what would be deleted.',
    },
    {
        name: 'endpoints', type: 'lines', group: 'deploy',
        description: 'Cloud API endpoint overrides, one `service=url` per line (Huawei: `functiongraph`, `cce`, `cci`, `iam`, `sts`, `swr-api`; Alibaba: `cr`, `sts`; e.g. `functiongraph=https://functiongraph.vpc.example`): private/VPC endpoints. Default: the official SDKs\' endpoint for the service and region, else `https://<service>.<region>.<domain>` (Alibaba: `https://<service>.<region>.aliyuncs.com`).',
    },
    {
        name: 'function-urn', type: 'lines', group: 'deploy',
        description: 'FunctionGraph container-image functions to point at the pushed image, one URN per line (`urn:fss:<region>:<project>:function:<package>:<name>`). Needs access-key/secret-key.',
    },
    {
        name: 'function-tag', type: 'string', group: 'deploy',
        description: 'Which pushed tag the functions get. Default: the first fixed tag (a line without `type=`), else the first tag.',
    },
    {
        name: 'workloads', type: 'lines', group: 'deploy',
        description: 'Kubernetes/CCE workloads to roll out, one `namespace/deployment/name[:container]` or `namespace/statefulset/name[:container]` per line. Without `:container`, every container whose image is the pushed repository is updated. The image is pinned by digest.',
    },
    {
        name: 'cci-workloads', type: 'lines', group: 'deploy',
        description: 'Huawei Cloud CCI 2.0 deployments to roll out, one `namespace/deployment/name[:container]` per line, through the CCI API (`https://cci.<region>.<domain>/apis/cci/v2/…`, signed with access-key/secret-key): the container image is pinned by digest (a JSON merge patch that keeps every other container field), the rollout is waited for (`rollout-timeout`) and read back. Without `:container`, every container whose image is the pushed repository.',
    },
    {
        name: 'share-with', type: 'lines', group: 'deploy',
        description: 'After the verified push, share the SWR repository with other Huawei Cloud accounts, one `account[:read][:until YYYY-MM-DD]` per line (SWR shares grant pull access only; without `until` the share has no end). Idempotent: an account that already has the same share is left alone, a different one is updated; each share is read back. Needs access-key/secret-key.',
    },
    {
        name: 'kubeconfig', type: 'string', secret: true, group: 'deploy',
        description: 'Kubeconfig (YAML or JSON, self-contained: certificate/key data or token) for `workloads`. Alternative: `cce-cluster-id`.',
    },
    {
        name: 'cce-cluster-id', type: 'string', group: 'deploy',
        description: 'CCE cluster id: imageship fetches a short-lived kubeconfig with the AK/SK (CCE clustercert API) instead of `kubeconfig`.',
    },
    {
        name: 'kube-context', type: 'string', group: 'deploy',
        description: 'Kubeconfig context to use. Default: `current-context`; for `cce-cluster-id`, the `external` context when the cluster has one.',
    },
    {
        name: 'project-id', type: 'string', group: 'deploy',
        description: 'Huawei Cloud project id for CCE calls. Default: looked up from the region with IAM.',
    },
    {
        name: 'rollout-timeout', type: 'string', default: '300', group: 'deploy',
        description: 'Seconds to wait for each workload rollout to finish before failing with its conditions.',
    },
    {
        name: 'deploy-trigger', type: 'lines', group: 'deploy',
        description: 'Redeploy trigger / webhook URLs, one per line: each gets a POST with the ACR webhook JSON payload (`push_data`, `repository`) for the pushed image. Tokens in the URL are masked.',
    },
    {
        name: 'fc-function', type: 'lines', group: 'deploy',
        description: 'Alibaba Cloud Function Compute 3.0 custom-container functions (in `region`) to point at the pushed image, one function name per line; read back until FC resolved the pushed digest (bounded by `rollout-timeout`). Provider alibabacloud with access-key/secret-key (and security-token for STS). Endpoint override: `fc=<url>` in `endpoints`.',
    },
    {
        name: 'sae-app-id', type: 'lines', group: 'deploy',
        description: 'Alibaba Cloud Serverless App Engine application ids (in `region`) to deploy the pushed image to, one per line: DeployApplication, then the change order is followed until done or failed (bounded by `rollout-timeout`). Provider alibabacloud with access-key/secret-key. Endpoint override: `sae=<url>` in `endpoints`.',
    },
    {
        name: 'deploy-image', type: 'string', group: 'deploy',
        description: 'Deploy an existing image instead of building: a full reference, e.g. `swr.cn-north-4.myhuaweicloud.com/my-org/app@sha256:…` (in a second job, pass the `image` and `digest` outputs of the build job through `needs`). Checked to exist in the registry, then deployed.',
    },
    {
        name: 'logout', type: 'boolean', default: 'true', group: 'behaviour',
        description: 'Log out of the registry in the post step: remove the login this step wrote to the Docker config, or put back the login that was there before it.',
    },
];
const OUTPUTS = [
    { name: 'registry', description: 'Registry host the image was pushed to, e.g. `swr.cn-north-4.myhuaweicloud.com`.' },
    { name: 'image', description: 'Image repository without a tag: `<registry>/<namespace>/<image>`.' },
    { name: 'tags', description: 'Full references that were pushed (`<image>:<tag>`), separated by `sep-tags` (a newline), as docker/metadata-action\'s `tags` output.' },
    { name: 'tag-names', description: 'The tags without the image, separated by `sep-tags`.' },
    { name: 'version', description: 'docker/metadata-action\'s `version`: the first tag by priority (the `org.opencontainers.image.version` label).' },
    { name: 'labels', description: 'The image labels, `name=value`, sorted, separated by `sep-labels`: the OCI labels (title, description, url, source, version, created, revision, licenses) and `labels`.' },
    { name: 'annotations', description: 'The annotations as docker/metadata-action gives them, `level:name=value` for each level of `DOCKER_METADATA_ANNOTATIONS_LEVELS` (default `manifest`), separated by `sep-annotations`.' },
    { name: 'json', description: 'JSON object `{tags, labels, annotations}` with the same values, as docker/metadata-action\'s `json` output.' },
    { name: 'digest', description: 'Manifest digest as the registry reports it (`sha256:…`); every tag was checked to point at it.' },
    { name: 'imageid', description: 'Image id from the build: what `docker image inspect` reports when the image is in the local image store (the classic builder, the buildx docker driver, `push: false`), else the config digest BuildKit reports.' },
    { name: 'metadata', description: 'JSON object with all of the above plus the login user (AK shortened) and the labels.' },
    { name: 'deployments', description: 'JSON list of `{target, id, previous, current, verified}`, one per function, workload, CCI deployment, trigger and SWR share (`target`: `functiongraph`, `kubernetes`, `cci`, `trigger`, `swr-share`).' },
    { name: 'logins', description: 'JSON list of the registry hosts this step logged in to (each `registry-auth` entry, then the step\'s own registry when a build logged in to it), e.g. `["swr.cn-north-4.myhuaweicloud.com","ghcr.io"]`. Never credentials.' },
];
function optionSpec(name) {
    const spec = OPTIONS.find((o) => o.name === name);
    if (!spec)
        throw new Error(`internal: unknown option ${name}`);
    return spec;
}


/***/ }),

/***/ 2721:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   x: () => (/* binding */ ConfigError)
/* harmony export */ });
/* harmony import */ var _domain_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3047);

/** One or more invalid inputs; each message names the input, what is wrong and the fix. */
class ConfigError extends _domain_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ImageshipError */ .K {
    problems;
    constructor(problems) {
        super(problems.join('\n'));
        this.problems = problems;
        this.name = 'ConfigError';
    }
}


/***/ }),

/***/ 3047:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   K: () => (/* binding */ ImageshipError)
/* harmony export */ });
/* unused harmony export causeChain */
/**
 * The one base of imageship's errors. Each layer throws its own kind (a registry, a cloud API, the config…) and
 * wraps what it catches with context, keeping the original as `cause` so a debug log can show the whole chain.
 * `hint` is what the user can do about it, when the message does not say so already.
 */
class ImageshipError extends Error {
    /** What the user can do about it; '' when the message says it already. */
    hint;
    constructor(message, options = {}) {
        super(message, options.cause === undefined ? undefined : { cause: options.cause });
        this.name = 'ImageshipError';
        this.hint = options.hint ?? '';
    }
    /** What a user reads: the message, then the hint when there is one. */
    get userMessage() {
        return this.hint === '' ? this.message : `${this.message}: ${this.hint}`;
    }
}
/** Every cause an error wraps, outermost first (the error itself included). */
function causeChain(error) {
    const chain = [];
    for (let current = error; current !== undefined && !chain.includes(current); current = current.cause) {
        chain.push(current);
        if (!(current instanceof Error))
            break;
    }
    return chain;
}


/***/ }),

/***/ 1605:
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


/***/ }),

/***/ 9260:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Ib: () => (/* binding */ howToSetSecret),
/* harmony export */   Pe: () => (/* binding */ setting),
/* harmony export */   W0: () => (/* binding */ settings)
/* harmony export */ });
/* unused harmony export envVariableName */
/** `access-key` → `IMAGESHIP_ACCESS_KEY`: the CLI's env fallback for every option. */
function envVariableName(optionName) {
    return `IMAGESHIP_${optionName.replace(/-/g, '_').toUpperCase()}`;
}
/** One setting as the user writes it: `context: app` or `--context app`. */
function setting(syntax, name, value) {
    return syntax === 'cli' ? `--${name} ${shellWord(value)}` : `${name}: ${value}`;
}
/** Several settings: `--context app --dockerfile app/Dockerfile`, or `context: app and dockerfile: app/Dockerfile`. */
function settings(syntax, pairs) {
    const each = pairs.map(([name, value]) => setting(syntax, name, value));
    if (syntax === 'cli')
        return each.join(' ');
    return each.length <= 1 ? each.join('') : `${each.slice(0, -1).join(', ')} and ${each.at(-1)}`;
}
/**
 * How to give a secret option: in a workflow, the input (from a secret) or
 * the cloud SDK's env variable; on the command line never a flag value, but
 * an env variable or `--NAME-stdin`.
 */
function howToSetSecret(syntax, name, sdkVariables) {
    if (syntax === 'cli') {
        return `set env ${[...sdkVariables, envVariableName(name)].join(' or ')}, or pipe it to --${name}-stdin`;
    }
    return sdkVariables.length > 0 ? `set ${name} (or env ${sdkVariables.join('/')})` : `set ${name} (from a secret)`;
}
/** Quotes a value for a shell command line only when it needs it. */
function shellWord(value) {
    return /^[A-Za-z0-9_./:@=,+-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}


/***/ }),

/***/ 7601:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $0: () => (/* binding */ placementFor),
/* harmony export */   DP: () => (/* binding */ DEFAULT_BASE_IMAGES),
/* harmony export */   QO: () => (/* binding */ defaultStart),
/* harmony export */   Zc: () => (/* binding */ PACKAGE_TYPES)
/* harmony export */ });
const PACKAGE_TYPES = ['jar', 'war', 'node', 'python', 'php', 'files'];
const DEFAULT_BASE_IMAGES = {
    jar: 'eclipse-temurin:21-jre',
    war: 'tomcat:10.1-jre21',
    node: 'node:22-slim',
    python: 'python:3.12-slim',
    php: 'php:8.3-apache',
    files: '',
};
function placementFor(type, workdir) {
    switch (type) {
        case 'jar':
            return { kind: 'file', path: '/app/app.jar', ownsDirectory: true, workdir: '/app' };
        case 'war':
            return { kind: 'file', path: '/usr/local/tomcat/webapps/ROOT.war', ownsDirectory: false, workdir: '' };
        case 'node':
        case 'python':
            return { kind: 'unpack', path: '/app', ownsDirectory: true, workdir: '/app' };
        case 'php':
            return { kind: 'unpack', path: '/var/www/html', ownsDirectory: false, workdir: '' };
        case 'files':
            return { kind: 'unpack', path: workdir || '/app', ownsDirectory: true, workdir: workdir || '/app' };
    }
}
/** The start command a type sets when the user gives none: entrypoint and cmd (undefined = the base's). */
function defaultStart(type, packageJson) {
    switch (type) {
        case 'jar':
            return { entrypoint: ['java', '-jar', '/app/app.jar'] };
        case 'node':
            if (packageJson && typeof packageJson.scripts?.start !== 'string' && typeof packageJson.main === 'string')
                return { cmd: ['node', packageJson.main] };
            return { cmd: ['npm', 'start'] };
        default:
            return {};
    }
}


/***/ }),

/***/ 4288:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  u: () => (/* binding */ describeRetention),
  A: () => (/* binding */ parseRetention)
});

;// CONCATENATED MODULE: ./build/src/domain/retention/regex-safety.js
/**
 * (Over 400 lines: one small parser of the pattern language and the checks that walk what it builds; they share
 * its node types and nothing else uses them.)
 *
 * Refuses regular expressions that can backtrack catastrophically, before
 * they are ever run. `tag-pattern` is matched against tags a registry sends,
 * and JavaScript's backtracking engine cannot be interrupted: one crafted tag
 * against `(a+)+$` can hold the runner for hours.
 *
 * Written here rather than taken from npm: safe-regex and safe-regex2 only
 * measure star height, so they accept `(a|a)*` and `(a|ab)*`, both
 * exponential; recheck is a megabyte of Scala.js. What this refuses:
 *
 * 1. a repeated group that holds a repeat of its own, `(a+)+`, `(\w+\s?)*`
 *    (nested quantifiers: exponential);
 * 2. a repeated group whose alternatives can start with the same character
 *    (or both match nothing), `(a|a)*`, `(a|ab)+`, `(\d|[0-5])*`
 *    (exponential);
 * 3. more than MAX_OVERLAPPING_RUN repeats in a row that can match the same
 *    characters, `.*.*.*.*.*` (polynomial of that degree; tags are at most 128
 *    characters, so a few are harmless).
 *
 * "Repeated" means unbounded (`*`, `+`, `{n,}`) or at least REPEAT_THRESHOLD
 * times: `(\d{1,3}\.){3}` stays allowed. The check is conservative (some
 * harmless patterns are refused); every refusal names the fragment and a
 * rewrite. The source must already compile with `new RegExp(source)`.
 */
/** A bounded repeat this large is treated like an unbounded one. */
const REPEAT_THRESHOLD = 4;
/** Repeats in a row over overlapping characters allowed: 128^4 steps at most per tag. */
const MAX_OVERLAPPING_RUN = 4;
const MAX_CODE_POINT = 0xffff;
/** Why `source` may backtrack catastrophically, with a rewrite; undefined when it is safe. */
function catastrophicBacktracking(source) {
    const root = new Parser(source).parse();
    const problems = [];
    const quote = (node) => JSON.stringify(source.slice(node.start, node.end));
    visitSequences(root, (sequence) => checkRun(sequence, quote, problems));
    visit(root, (node) => {
        if (node.kind !== 'repeat' || !repeatsMany(node))
            return;
        // Inside a repeated group only: `\1+` alone repeats one fixed capture.
        const inner = node.body.kind === 'group'
            ? findNode(node.body, (candidate) => candidate.kind === 'backref' || (candidate.kind === 'repeat' && candidate.min !== candidate.max))
            : undefined;
        if (inner !== undefined) {
            problems.push(`${quote(node)} repeats something that holds a repeat of its own, ${quote(inner)} (nested quantifiers): ` +
                'write one repeat, e.g. a+ instead of (a+)+, or [a-z0-9-]+ instead of ([a-z0-9]+-?)+');
            return;
        }
        const clash = overlappingAlternatives(node.body);
        if (clash !== undefined) {
            problems.push(`${quote(node)} repeats a choice whose alternatives ${quote(clash[0])} and ${quote(clash[1])} can match the same text: ` +
                'make every alternative start with a different character, e.g. (a|b)* instead of (a|ab)*, or a(b|c)* instead of (ab|ac)*');
        }
    });
    return problems[0];
}
function repeatsMany(node) {
    return node.max >= REPEAT_THRESHOLD;
}
// ---------------------------------------------------------------- the checks
/** The first two alternatives (of any choice inside `node`) that can start alike, or both match nothing. */
function overlappingAlternatives(node) {
    let found;
    visit(node, (candidate) => {
        if (found !== undefined || candidate.kind !== 'group' || candidate.lookaround || candidate.alternatives.length < 2)
            return;
        const spans = candidate.alternatives.map((sequence) => spanOf(sequence, candidate));
        for (let i = 0; i < candidate.alternatives.length && found === undefined; i++) {
            for (let j = i + 1; j < candidate.alternatives.length && found === undefined; j++) {
                const a = candidate.alternatives[i];
                const b = candidate.alternatives[j];
                if ((sequenceNullable(a) && sequenceNullable(b)) || overlaps(sequenceFirst(a), sequenceFirst(b))) {
                    found = [spans[i], spans[j]];
                }
            }
        }
    });
    return found;
}
/** Repeats in a row (with only optional items, or items they could also match, in between) over shared characters. */
function checkRun(sequence, quote, problems) {
    const quoteSpan = (from, to) => quote({ kind: 'assert', start: from.start, end: to.end });
    let run = [];
    let shared = [];
    for (const item of sequence) {
        if (item.kind === 'repeat' && item.max >= 2 && item.min !== item.max) {
            const set = charsOf(item);
            const together = run.length === 0 ? set : intersect(shared, set);
            if (run.length > 0 && together.length > 0) {
                run.push(item);
                shared = together;
            }
            else {
                run = [item];
                shared = set;
            }
            if (run.length > MAX_OVERLAPPING_RUN) {
                const first = run[0];
                problems.push(`${quoteSpan(first, item)} has ${run.length} repeats in a row that can match the same characters ` +
                    `(at most ${MAX_OVERLAPPING_RUN} are allowed): merge them, e.g. .* instead of .*.*`);
                return;
            }
        }
        else if (!nullable(item) && !overlaps(charsOf(item), shared)) {
            run = [];
            shared = [];
        }
    }
}
// ---------------------------------------------------------------- properties of nodes
function nullable(node) {
    switch (node.kind) {
        case 'atom':
            return false;
        case 'assert':
        case 'backref':
            return true;
        case 'group':
            return node.lookaround || node.alternatives.some(sequenceNullable);
        case 'repeat':
            return node.min === 0 || nullable(node.body);
    }
}
function sequenceNullable(sequence) {
    return sequence.every(nullable);
}
/** Characters a match of `node` can start with (a backreference: anything). */
function firstOf(node) {
    switch (node.kind) {
        case 'atom':
            return node.set;
        case 'assert':
            return [];
        case 'backref':
            return ALL;
        case 'group':
            return node.lookaround ? [] : node.alternatives.reduce((set, sequence) => union(set, sequenceFirst(sequence)), []);
        case 'repeat':
            return firstOf(node.body);
    }
}
function sequenceFirst(sequence) {
    let set = [];
    for (const item of sequence) {
        set = union(set, firstOf(item));
        if (!nullable(item))
            break;
    }
    return set;
}
/** Every character a match of `node` can hold. */
function charsOf(node) {
    switch (node.kind) {
        case 'atom':
            return node.set;
        case 'assert':
            return [];
        case 'backref':
            return ALL;
        case 'group':
            return node.lookaround ? [] : node.alternatives.flat().reduce((set, item) => union(set, charsOf(item)), []);
        case 'repeat':
            return charsOf(node.body);
    }
}
function visit(node, each) {
    each(node);
    if (node.kind === 'group')
        for (const sequence of node.alternatives)
            for (const item of sequence)
                visit(item, each);
    if (node.kind === 'repeat')
        visit(node.body, each);
}
function visitSequences(node, each) {
    visit(node, (candidate) => {
        if (candidate.kind === 'group')
            for (const sequence of candidate.alternatives)
                each(sequence);
    });
}
function findNode(node, test) {
    let found;
    visit(node, (candidate) => {
        if (found === undefined && test(candidate))
            found = candidate;
    });
    return found;
}
/** A sequence as a node spanning its source, for quoting (an empty alternative spans nothing). */
function spanOf(sequence, group) {
    const first = sequence[0];
    const last = sequence[sequence.length - 1];
    if (first === undefined || last === undefined)
        return { kind: 'assert', start: group.start, end: group.start };
    return { kind: 'assert', start: first.start, end: last.end };
}
// ---------------------------------------------------------------- character sets
const ALL = [[0, MAX_CODE_POINT]];
const DIGITS = [[0x30, 0x39]];
const WORD = [[0x30, 0x39], [0x41, 0x5a], [0x5f, 0x5f], [0x61, 0x7a]];
const SPACE = [[0x09, 0x0d], [0x20, 0x20], [0xa0, 0xa0], [0x1680, 0x1680], [0x2000, 0x200a], [0x2028, 0x2029], [0x202f, 0x202f], [0x205f, 0x205f], [0x3000, 0x3000], [0xfeff, 0xfeff]];
function union(a, b) {
    const all = [...a, ...b].sort((x, y) => x[0] - y[0]);
    const merged = [];
    for (const [lo, hi] of all) {
        const last = merged[merged.length - 1];
        if (last !== undefined && lo <= last[1] + 1)
            last[1] = Math.max(last[1], hi);
        else
            merged.push([lo, hi]);
    }
    return merged;
}
function intersect(a, b) {
    const out = [];
    for (const [alo, ahi] of a) {
        for (const [blo, bhi] of b) {
            const lo = Math.max(alo, blo);
            const hi = Math.min(ahi, bhi);
            if (lo <= hi)
                out.push([lo, hi]);
        }
    }
    return union(out, []);
}
function overlaps(a, b) {
    return intersect(a, b).length > 0;
}
function complement(set) {
    const out = [];
    let next = 0;
    for (const [lo, hi] of union(set, [])) {
        if (lo > next)
            out.push([next, lo - 1]);
        next = hi + 1;
    }
    if (next <= MAX_CODE_POINT)
        out.push([next, MAX_CODE_POINT]);
    return out;
}
// ---------------------------------------------------------------- a parser of JavaScript regex syntax (no flags)
class Parser {
    source;
    at = 0;
    constructor(source) {
        this.source = source;
    }
    parse() {
        const alternatives = this.alternatives();
        return { kind: 'group', alternatives, lookaround: false, start: 0, end: this.source.length };
    }
    alternatives() {
        const alternatives = [this.sequence()];
        while (this.peek() === '|') {
            this.at++;
            alternatives.push(this.sequence());
        }
        return alternatives;
    }
    sequence() {
        const items = [];
        while (this.at < this.source.length && this.peek() !== '|' && this.peek() !== ')') {
            const start = this.at;
            const atom = this.atom();
            const repeat = this.quantifier();
            items.push(repeat === undefined ? atom : { kind: 'repeat', body: atom, min: repeat.min, max: repeat.max, start, end: this.at });
        }
        return items;
    }
    quantifier() {
        const char = this.peek();
        let bounds;
        if (char === '*')
            bounds = { min: 0, max: Infinity };
        else if (char === '+')
            bounds = { min: 1, max: Infinity };
        else if (char === '?')
            bounds = { min: 0, max: 1 };
        if (bounds !== undefined)
            this.at++;
        else if (char === '{') {
            const braces = /^\{(\d+)(?:(,)(\d*))?\}/.exec(this.source.slice(this.at));
            if (braces === null)
                return undefined;
            const min = Number(braces[1]);
            bounds = { min, max: braces[2] === undefined ? min : braces[3] === '' || braces[3] === undefined ? Infinity : Number(braces[3]) };
            this.at += braces[0].length;
        }
        else
            return undefined;
        if (this.peek() === '?')
            this.at++; // lazy: the same search space
        return bounds;
    }
    atom() {
        const start = this.at;
        const char = this.source[this.at++];
        const node = (rest) => ({ ...rest, start, end: this.at });
        switch (char) {
            case '(': {
                let lookaround = false;
                if (this.source.startsWith('?:', this.at))
                    this.at += 2;
                else if (this.source.startsWith('?=', this.at) || this.source.startsWith('?!', this.at)) {
                    this.at += 2;
                    lookaround = true;
                }
                else if (this.source.startsWith('?<=', this.at) || this.source.startsWith('?<!', this.at)) {
                    this.at += 3;
                    lookaround = true;
                }
                else if (this.source.startsWith('?<', this.at))
                    this.at = this.source.indexOf('>', this.at) + 1;
                const alternatives = this.alternatives();
                this.at++; // ')'
                return node({ kind: 'group', alternatives, lookaround });
            }
            case '[':
                return node({ kind: 'atom', set: this.characterClass() });
            case '.':
                return node({ kind: 'atom', set: ALL });
            case '^':
            case '$':
                return node({ kind: 'assert' });
            case '\\':
                return this.escapeAtom(start);
            default:
                return node({ kind: 'atom', set: [[char.charCodeAt(0), char.charCodeAt(0)]] });
        }
    }
    escapeAtom(start) {
        const char = this.source[this.at];
        if (char === 'b' || char === 'B') {
            this.at++;
            return { kind: 'assert', start, end: this.at };
        }
        if (/[1-9]/.test(char)) {
            while (/\d/.test(this.peek()))
                this.at++;
            return { kind: 'backref', start, end: this.at };
        }
        if (char === 'k' && this.source[this.at + 1] === '<') {
            this.at = this.source.indexOf('>', this.at) + 1;
            return { kind: 'backref', start, end: this.at };
        }
        const set = this.escapeSet();
        return { kind: 'atom', set, start, end: this.at };
    }
    /** The set an escape (after its backslash) stands for, in or out of a class. */
    escapeSet() {
        const char = this.source[this.at++];
        const classes = { d: DIGITS, D: complement(DIGITS), w: WORD, W: complement(WORD), s: SPACE, S: complement(SPACE) };
        const known = classes[char];
        if (known !== undefined)
            return known;
        const controls = { t: 9, n: 10, v: 11, f: 12, r: 13, '0': 0 };
        if (controls[char] !== undefined)
            return [[controls[char], controls[char]]];
        const hex = char === 'x' ? /^[0-9a-fA-F]{2}/.exec(this.source.slice(this.at)) : char === 'u' ? /^[0-9a-fA-F]{4}/.exec(this.source.slice(this.at)) : null;
        if (hex !== null) {
            this.at += hex[0].length;
            const code = parseInt(hex[0], 16);
            return [[code, code]];
        }
        if (char === 'c' && /[A-Za-z]/.test(this.peek())) {
            const code = this.source.charCodeAt(this.at++) % 32;
            return [[code, code]];
        }
        return [[char.charCodeAt(0), char.charCodeAt(0)]];
    }
    characterClass() {
        const negated = this.peek() === '^';
        if (negated)
            this.at++;
        let set = [];
        while (this.at < this.source.length && this.peek() !== ']') {
            const low = this.classMember();
            const isRange = this.peek() === '-' && this.at + 1 < this.source.length && this.source[this.at + 1] !== ']';
            if (!isRange) {
                set = union(set, low);
                continue;
            }
            this.at++; // '-'
            const high = this.classMember();
            const single = (member) => (member.length === 1 && member[0]?.[0] === member[0]?.[1] ? member[0]?.[0] : undefined);
            const from = single(low);
            const to = single(high);
            // `[\d-z]` is \d, '-' and 'z' (a class escape cannot bound a range).
            set = from !== undefined && to !== undefined ? union(set, [[from, to]]) : union(union(set, low), union(high, [[0x2d, 0x2d]]));
        }
        this.at++; // ']'
        return negated ? complement(set) : set;
    }
    classMember() {
        const char = this.source[this.at++];
        if (char !== '\\')
            return [[char.charCodeAt(0), char.charCodeAt(0)]];
        if (this.peek() === 'b') {
            this.at++;
            return [[8, 8]];
        }
        return this.escapeSet();
    }
    peek() {
        return this.source[this.at] ?? '';
    }
}

;// CONCATENATED MODULE: ./build/src/domain/retention/policy.js
/**
 * The `retention` input: which old tags of the repository may be deleted
 * after a push. Settings are separated by commas, spaces or new lines:
 *
 *   keep-last=N        keep the N newest candidate tags (N ≥ 1)
 *   max-age-days=D     keep candidate tags at most D days old (D ≥ 1)
 *   tag-pattern=REGEX  only tags the pattern matches in full are candidates;
 *                      every other tag is always kept; a pattern that can
 *                      backtrack catastrophically is refused (regex-safety.ts)
 *
 * At least one of keep-last and max-age-days is required. Each is a deletion
 * rule in the way SWR's image-aging rules are (age: "images kept longer than
 * the time are deleted"; count: "when more images are kept than the number,
 * the old ones are deleted"): given both, a tag is deleted when either rule
 * deletes it, so it stays only when it is among the newest N and not older
 * than D days. Tags pushed by the run are never deleted (see select.ts).
 */

const KEYS = ['keep-last', 'max-age-days', 'tag-pattern'];
const EXAMPLE = 'keep-last=10, max-age-days=30, tag-pattern=^sha-.*';
/** A hundred years: past this a number is a typo, not a policy. */
const MAX_DAYS = 36_500;
const MAX_KEEP = 1_000_000;
function parseRetention(text) {
    const errors = [];
    const items = splitItems(text);
    if (items.length === 0)
        return { errors };
    const seen = new Map();
    for (const item of items) {
        const equals = item.indexOf('=');
        if (equals === -1) {
            errors.push(`retention: "${item}" has no "=": write key=value, e.g. ${EXAMPLE}`);
            continue;
        }
        const key = item.slice(0, equals).trim().toLowerCase();
        const value = item.slice(equals + 1).trim();
        if (!KEYS.includes(key)) {
            errors.push(`retention: unknown setting "${item.slice(0, equals)}": use keep-last=N, max-age-days=D or tag-pattern=REGEX`);
            continue;
        }
        if (seen.has(key)) {
            errors.push(`retention: ${key} is given twice ("${seen.get(key)}" and "${item}"): keep one`);
            continue;
        }
        seen.set(key, item);
        if (value === '')
            errors.push(`retention: ${key} has no value: write ${key}=${key === 'tag-pattern' ? 'REGEX' : 'N'}`);
    }
    const keepLast = readCount(seen.get('keep-last'), 'keep-last', MAX_KEEP, errors);
    const maxAgeDays = readCount(seen.get('max-age-days'), 'max-age-days', MAX_DAYS, errors);
    const pattern = readPattern(seen.get('tag-pattern'), errors);
    if (!seen.has('keep-last') && !seen.has('max-age-days')) {
        errors.push('retention: neither keep-last nor max-age-days is set, so the policy keeps nothing and every matching tag would be deleted: ' +
            'add keep-last=N and/or max-age-days=D');
    }
    if (errors.length > 0)
        return { errors };
    const policy = {
        ...(keepLast === undefined ? {} : { keepLast }),
        ...(maxAgeDays === undefined ? {} : { maxAgeDays }),
        ...(pattern === undefined ? {} : { tagPattern: pattern.regex, tagPatternSource: pattern.source }),
    };
    return { policy: Object.freeze(policy), errors };
}
/** `keep-last=10, max-age-days=30, tag-pattern=^sha-.*` — the policy as the input would write it. */
function describeRetention(policy) {
    const parts = [];
    if (policy.keepLast !== undefined)
        parts.push(`keep-last=${policy.keepLast}`);
    if (policy.maxAgeDays !== undefined)
        parts.push(`max-age-days=${policy.maxAgeDays}`);
    if (policy.tagPattern !== undefined)
        parts.push(`tag-pattern=${policy.tagPatternSource ?? policy.tagPattern.source}`);
    return parts.join(', ');
}
/**
 * Items are separated by new lines, whitespace, and commas that end an item
 * (a comma followed by another `key=`, or by nothing). A comma inside a
 * tag-pattern such as `v\d{1,3}` therefore stays part of the pattern.
 */
function splitItems(text) {
    return text
        .split(/\s+/)
        .flatMap((chunk) => chunk.split(/,(?=\s*$|[A-Za-z][A-Za-z-]*=)/))
        .map((item) => item.trim().replace(/^,+|,+$/g, ''))
        .filter((item) => item !== '');
}
function readCount(item, key, max, errors) {
    if (item === undefined)
        return undefined;
    const value = item.slice(item.indexOf('=') + 1).trim();
    if (value === '')
        return undefined; // already reported
    const unit = key === 'keep-last' ? 'tags' : 'days';
    if (!/^[+-]?\d+$/.test(value)) {
        errors.push(`retention: ${key}=${value} is not a whole number: write ${key}=N with N a number of ${unit}, 1 or more`);
        return undefined;
    }
    const number = Number(value);
    if (number === 0) {
        errors.push(`retention: ${key}=0 would delete everything: use ${key}=1 or more`);
        return undefined;
    }
    if (number < 0) {
        errors.push(`retention: ${key}=${value} is negative: use ${key}=1 or more`);
        return undefined;
    }
    if (number > max) {
        errors.push(`retention: ${key}=${value} is too large: use at most ${max}`);
        return undefined;
    }
    return number;
}
function readPattern(item, errors) {
    if (item === undefined)
        return undefined;
    const source = item.slice(item.indexOf('=') + 1).trim();
    if (source === '')
        return undefined; // already reported
    try {
        // Compiled alone first, so `a)|(b` cannot slip through the wrapping below.
        new RegExp(source);
    }
    catch (error) {
        const why = error instanceof Error ? error.message.replace(/^Invalid regular expression: (?:\/.*\/[a-z]*: )?/, '') : String(error);
        errors.push(`retention: tag-pattern "${source}" is not a valid regular expression (${why}): fix the pattern, e.g. tag-pattern=^sha-[0-9a-f]+$`);
        return undefined;
    }
    // The pattern runs on tags the registry sends: one that can backtrack for hours is refused before any request.
    const danger = catastrophicBacktracking(source);
    if (danger !== undefined) {
        errors.push(`retention: tag-pattern "${source}" could take hours on a crafted tag from the registry (catastrophic backtracking): ${danger}`);
        return undefined;
    }
    // Anchored: `sha-.*` means tags that are `sha-…`, not tags containing it somewhere.
    return { regex: new RegExp(`^(?:${source})$`), source };
}


/***/ }),

/***/ 9268:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  AN: () => (/* reexport */ SOURCE_TEMPLATE_NAMES),
  Gq: () => (/* reexport */ compileTemplate),
  $o: () => (/* reexport */ computeTags),
  Ly: () => (/* reexport */ expandTemplate),
  wp: () => (/* reexport */ parseFlavor),
  hh: () => (/* binding */ parseTagRules),
  UN: () => (/* reexport */ sourceTemplateValues)
});

// UNUSED EXPORTS: DEFAULT_FLAVOR, DEFAULT_SHORT_SHA_LENGTH, DEFAULT_TAG_RULES, TagRuleError

// EXTERNAL MODULE: ./build/src/domain/errors.js
var errors = __webpack_require__(3047);
;// CONCATENATED MODULE: ./build/src/domain/tags/errors.js

/**
 * A rule in the `tags` input that cannot be used. `line` is the rule exactly
 * as written (trimmed), so callers can point at it; the message is one line
 * that names the rule and says how to fix it.
 */
class TagRuleError extends errors/* ImageshipError */.K {
    line;
    constructor(line, message) {
        super(message);
        this.line = line;
        this.name = 'TagRuleError';
    }
}
/**
 * A problem found by a sub-parser (attributes, templates, date formats) that
 * does not know which rule line it is reading; the rule parser turns it into
 * a TagRuleError that names the line.
 */
class RuleSyntaxProblem extends errors/* ImageshipError */.K {
    constructor(problem) {
        super(problem);
        this.name = 'RuleSyntaxProblem';
    }
}
/** Builds the one-line message every rule error shares: `tags: rule `…`: problem`. */
function ruleError(line, problem) {
    return new TagRuleError(line, `tags: rule \`${line}\`: ${problem}`);
}

;// CONCATENATED MODULE: ./build/src/domain/tags/date-format.js

/** moment's localized formats, English: expanded before tokens are read. */
const LOCALIZED = {
    LTS: 'h:mm:ss A',
    LT: 'h:mm A',
    LLLL: 'dddd, MMMM D, YYYY h:mm A',
    LLL: 'MMMM D, YYYY h:mm A',
    LL: 'MMMM D, YYYY',
    L: 'MM/DD/YYYY',
    llll: 'ddd, MMM D, YYYY h:mm A',
    lll: 'MMM D, YYYY h:mm A',
    ll: 'MMM D, YYYY',
    l: 'M/D/YYYY',
};
const LOCALIZED_PATTERN = /(\[[^[]*\])|(\\)?(LTS|LT|LL?L?L?|l{1,4})/g;
/**
 * moment's tokens, longest spelling first where two share a start; the last
 * alternative takes one character, copied unless it is a token itself.
 */
const TOKEN_PATTERN = /(\[[^[]*\])|(\\)?([Hh]mm(?:ss)?|Mo|MM?M?M?|Do|DDDo|DD?D?D?|ddd?d?|do?|w[o|w]?|W[o|W]?|Qo?|N{1,5}|YYYYYY|YYYYY|YYYY|YY|y{2,4}|yo?|gg(?:ggg?)?|GG(?:GGG?)?|e|E|a|A|hh?|HH?|kk?|mm?|ss?|S{1,9}|x|X|zz?|ZZ?|[\s\S])/g;
const RENDERED = new Set([
    'M', 'Mo', 'MM', 'MMM', 'MMMM', 'Q', 'Qo', 'D', 'Do', 'DD', 'DDD', 'DDDo', 'DDDD', 'd', 'do', 'dd', 'ddd', 'dddd', 'e', 'E',
    'w', 'wo', 'ww', 'W', 'Wo', 'WW', 'Y', 'YY', 'YYYY', 'YYYYY', 'YYYYYY', 'gg', 'gggg', 'ggggg', 'GG', 'GGGG', 'GGGGG',
    'a', 'A', 'H', 'HH', 'h', 'hh', 'k', 'kk', 'm', 'mm', 's', 'ss', 'Z', 'ZZ', 'X', 'x', 'Hmm', 'Hmmss', 'hmm', 'hmmss',
    'S', 'SS', 'SSS', 'SSSS', 'SSSSS', 'SSSSSS', 'SSSSSSS', 'SSSSSSSS', 'SSSSSSSSS',
]);
/** Splits a moment format into tokens and literal text; throws RuleSyntaxProblem for what cannot be rendered faithfully. */
function compileDateFormat(format, expression) {
    if (format === '') {
        throw new RuleSyntaxProblem(`\`{{${expression}}}\` has an empty format; give moment.js tokens, e.g. {{date 'YYYYMMDD'}}`);
    }
    const expanded = format.replace(LOCALIZED_PATTERN, (whole, bracketed, escaped, name) => bracketed !== undefined || escaped !== undefined ? whole : (LOCALIZED[name] ?? whole));
    const parts = [];
    for (const match of expanded.matchAll(TOKEN_PATTERN)) {
        const [, bracketed, escaped, token = ''] = match;
        if (bracketed !== undefined) {
            parts.push({ kind: 'literal', text: bracketed.slice(1, -1) });
        }
        else if (escaped !== undefined) {
            parts.push({ kind: 'literal', text: token });
        }
        else if (RENDERED.has(token)) {
            parts.push({ kind: 'token', token });
        }
        else if (/^(N+|y+|yo|z+)$/.test(token)) {
            const what = token.startsWith('z') ? 'time zone abbreviations' : 'era tokens';
            throw new RuleSyntaxProblem(`\`{{${expression}}}\` uses \`${token}\`: ${what} are not supported; use Z (offset) or put literal text in [brackets]`);
        }
        else {
            parts.push({ kind: 'literal', text: token });
        }
    }
    return parts;
}
/** Throws RuleSyntaxProblem unless `zone` is a time zone the runtime knows. */
function checkTimeZone(zone, expression) {
    try {
        wallClockFormatter(zone);
    }
    catch {
        throw new RuleSyntaxProblem(`\`{{${expression}}}\` names time zone \`${zone}\`, which is unknown; use an IANA name such as tz='Asia/Shanghai' or tz='UTC'`);
    }
}
function formatDate(parts, instant, zone) {
    const clock = wallClock(instant, zone);
    return parts.map((part) => (part.kind === 'literal' ? part.text : renderToken(part.token, clock))).join('');
}
const formatters = new Map();
function wallClockFormatter(zone) {
    let formatter = formatters.get(zone);
    if (formatter === undefined) {
        formatter = new Intl.DateTimeFormat('en-US', {
            timeZone: zone,
            hourCycle: 'h23',
            era: 'short',
            year: 'numeric',
            month: 'numeric',
            day: 'numeric',
            hour: 'numeric',
            minute: 'numeric',
            second: 'numeric',
        });
        formatters.set(zone, formatter);
    }
    return formatter;
}
function wallClock(instant, zone) {
    const time = instant.getTime();
    const fields = {};
    for (const part of wallClockFormatter(zone).formatToParts(instant))
        fields[part.type] = part.value;
    const era = fields['era'] ?? 'AD';
    const yearOfEra = Number(fields['year']);
    const year = era === 'BC' || era === 'B' ? 1 - yearOfEra : yearOfEra;
    const month = Number(fields['month']) - 1;
    const day = Number(fields['day']);
    const hour = Number(fields['hour']);
    const minute = Number(fields['minute']);
    const second = Number(fields['second']);
    const millisecond = ((time % 1000) + 1000) % 1000;
    const local = utcTime(year, month, day, hour, minute, second, millisecond);
    return {
        year,
        month,
        day,
        hour,
        minute,
        second,
        millisecond,
        weekday: new Date(local).getUTCDay(),
        offset: Math.round((local - time) / 60_000),
        time,
    };
}
/** Date.UTC, also for years 0–99 (which Date.UTC would read as 1900–1999). */
function utcTime(year, month, day, hour = 0, minute = 0, second = 0, millisecond = 0) {
    const date = new Date(Date.UTC(2000, month, day, hour, minute, second, millisecond));
    date.setUTCFullYear(year);
    return date.getTime();
}
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
function renderToken(token, c) {
    switch (token) {
        case 'M': return String(c.month + 1);
        case 'Mo': return ordinal(c.month + 1);
        case 'MM': return pad(c.month + 1, 2);
        case 'MMM': return MONTHS[c.month].slice(0, 3);
        case 'MMMM': return MONTHS[c.month];
        case 'Q': return String(Math.floor(c.month / 3) + 1);
        case 'Qo': return ordinal(Math.floor(c.month / 3) + 1);
        case 'D': return String(c.day);
        case 'Do': return ordinal(c.day);
        case 'DD': return pad(c.day, 2);
        case 'DDD': return String(dayOfYear(c));
        case 'DDDo': return ordinal(dayOfYear(c));
        case 'DDDD': return pad(dayOfYear(c), 3);
        case 'd':
        case 'e': return String(c.weekday);
        case 'do': return ordinal(c.weekday);
        case 'dd': return WEEKDAYS[c.weekday].slice(0, 2);
        case 'ddd': return WEEKDAYS[c.weekday].slice(0, 3);
        case 'dddd': return WEEKDAYS[c.weekday];
        case 'E': return String(c.weekday === 0 ? 7 : c.weekday);
        case 'w': return String(week(c, LOCALE_WEEK).week);
        case 'wo': return ordinal(week(c, LOCALE_WEEK).week);
        case 'ww': return pad(week(c, LOCALE_WEEK).week, 2);
        case 'W': return String(week(c, ISO_WEEK).week);
        case 'Wo': return ordinal(week(c, ISO_WEEK).week);
        case 'WW': return pad(week(c, ISO_WEEK).week, 2);
        case 'Y': return c.year <= 9999 ? pad(c.year, 4) : `+${c.year}`;
        case 'YY': return pad(((c.year % 100) + 100) % 100, 2);
        case 'YYYY': return pad(c.year, 4);
        case 'YYYYY': return pad(c.year, 5);
        case 'YYYYYY': return pad(c.year, 6, true);
        case 'gg': return pad(((week(c, LOCALE_WEEK).year % 100) + 100) % 100, 2);
        case 'gggg': return pad(week(c, LOCALE_WEEK).year, 4);
        case 'ggggg': return pad(week(c, LOCALE_WEEK).year, 5);
        case 'GG': return pad(((week(c, ISO_WEEK).year % 100) + 100) % 100, 2);
        case 'GGGG': return pad(week(c, ISO_WEEK).year, 4);
        case 'GGGGG': return pad(week(c, ISO_WEEK).year, 5);
        case 'a': return c.hour < 12 ? 'am' : 'pm';
        case 'A': return c.hour < 12 ? 'AM' : 'PM';
        case 'H': return String(c.hour);
        case 'HH': return pad(c.hour, 2);
        case 'h': return String(c.hour % 12 || 12);
        case 'hh': return pad(c.hour % 12 || 12, 2);
        case 'k': return String(c.hour || 24);
        case 'kk': return pad(c.hour || 24, 2);
        case 'm': return String(c.minute);
        case 'mm': return pad(c.minute, 2);
        case 's': return String(c.second);
        case 'ss': return pad(c.second, 2);
        case 'Hmm': return `${c.hour}${pad(c.minute, 2)}`;
        case 'Hmmss': return `${c.hour}${pad(c.minute, 2)}${pad(c.second, 2)}`;
        case 'hmm': return `${c.hour % 12 || 12}${pad(c.minute, 2)}`;
        case 'hmmss': return `${c.hour % 12 || 12}${pad(c.minute, 2)}${pad(c.second, 2)}`;
        case 'Z': return offset(c.offset, ':');
        case 'ZZ': return offset(c.offset, '');
        case 'X': return String(Math.floor(c.time / 1000));
        case 'x': return String(c.time);
        default:
            // S…SSSSSSSSS: the fraction of the second, to that many digits (milliseconds, then zeros).
            return `${pad(c.millisecond, 3)}000000`.slice(0, token.length);
    }
}
function pad(value, width, forceSign = false) {
    const digits = String(Math.abs(value)).padStart(width, '0');
    return value < 0 ? `-${digits}` : forceSign ? `+${digits}` : digits;
}
/** English ordinals: 1st 2nd 3rd 4th … 11th 12th 13th … 21st. */
function ordinal(value) {
    const tens = Math.floor((value % 100) / 10);
    const ones = value % 10;
    const suffix = tens === 1 ? 'th' : ones === 1 ? 'st' : ones === 2 ? 'nd' : ones === 3 ? 'rd' : 'th';
    return `${value}${suffix}`;
}
function offset(minutes, separator) {
    const sign = minutes < 0 ? '-' : '+';
    const absolute = Math.abs(minutes);
    return `${sign}${pad(Math.floor(absolute / 60), 2)}${separator}${pad(absolute % 60, 2)}`;
}
function dayOfYear(c) {
    return Math.round((utcTime(c.year, c.month, c.day) - utcTime(c.year, 0, 1)) / 86_400_000) + 1;
}
/** moment's English locale: weeks start on Sunday, week 1 contains January 1st. */
const LOCALE_WEEK = { firstDay: 0, doy: 6 };
/** ISO 8601: weeks start on Monday, week 1 contains January 4th. */
const ISO_WEEK = { firstDay: 1, doy: 4 };
/** Days from January 1st to the start of week 1 of `year` (may be negative). */
function firstWeekOffset(year, rule) {
    const anchor = 7 + rule.firstDay - rule.doy;
    const anchorWeekday = new Date(utcTime(year, 0, anchor)).getUTCDay();
    return -((7 + anchorWeekday - rule.firstDay) % 7) + anchor - 1;
}
function weeksInYear(year, rule) {
    const daysInYear = (utcTime(year + 1, 0, 1) - utcTime(year, 0, 1)) / 86_400_000;
    return (daysInYear - firstWeekOffset(year, rule) + firstWeekOffset(year + 1, rule)) / 7;
}
function week(c, rule) {
    const number = Math.floor((dayOfYear(c) - firstWeekOffset(c.year, rule) - 1) / 7) + 1;
    if (number < 1)
        return { week: number + weeksInYear(c.year - 1, rule), year: c.year - 1 };
    if (number > weeksInYear(c.year, rule))
        return { week: number - weeksInYear(c.year, rule), year: c.year + 1 };
    return { week: number, year: c.year };
}

;// CONCATENATED MODULE: ./build/src/domain/tags/templates.js


/**
 * docker/metadata-action's "global expressions", usable in every value,
 * prefix, suffix and enable attribute, in the flavor, and in labels and
 * annotations; plus imageship's `{{short_sha}}` and `{{run_number}}`.
 */
const SOURCE_TEMPLATE_NAMES = [
    'branch',
    'tag',
    'sha',
    'base_ref',
    'is_default_branch',
    'is_not_default_branch',
    'short_sha',
    'run_number',
];
/** Extra placeholders only a `type=semver` or `type=pep440` pattern may use. */
const VERSION_TEMPLATE_NAMES = ['version', 'major', 'minor', 'patch', 'raw'];
/**
 * Compiles `text` (Handlebars syntax as metadata-action takes it): `{{name}}`
 * (also `{{{name}}}` and with spaces inside the braces) for the given names,
 * `{{date 'FORMAT'}}` and `{{commit_date 'FORMAT'}}` with an optional
 * `tz='Zone'`. Unlike Handlebars, an unknown name is an error rather than
 * nothing, and values are not HTML-escaped.
 */
function compileTemplate(text, names) {
    const parts = [];
    let index = 0;
    while (index < text.length) {
        const open = text.indexOf('{{', index);
        if (open === -1) {
            parts.push({ kind: 'text', text: text.slice(index) });
            break;
        }
        if (open > index)
            parts.push({ kind: 'text', text: text.slice(index, open) });
        const triple = text.startsWith('{{{', open);
        const closing = triple ? '}}}' : '}}';
        const close = text.indexOf(closing, open + closing.length);
        if (close === -1) {
            throw new RuleSyntaxProblem(`template \`${text.slice(open)}\` is not closed; end it with \`${closing}\``);
        }
        parts.push(compileExpression(text.slice(open + closing.length, close).trim(), names));
        index = close + closing.length;
    }
    return { text, parts };
}
function expandTemplate(template, context) {
    return template.parts
        .map((part) => {
        switch (part.kind) {
            case 'text':
                return part.text;
            case 'name':
                return context.values[part.name] ?? '';
            case 'date':
                return formatDate(part.format, part.source === 'date' ? context.now : context.commitDate, part.timeZone);
        }
    })
        .join('');
}
function templateUses(template, name) {
    return template.parts.some((part) => part.kind === 'name' && part.name === name);
}
/** True when the template is exactly one placeholder, e.g. `{{raw}}` (what metadata-action calls a raw statement). */
function isSinglePlaceholder(template, name) {
    const [only, ...rest] = template.parts;
    return rest.length === 0 && only?.kind === 'name' && only.name === name;
}
/** A template without any placeholder: its text is its value. */
function isLiteral(template) {
    return template.parts.every((part) => part.kind === 'text');
}
const DATE_EXPRESSION = /^(date|commit_date)(?:\s+(.*))?$/s;
const QUOTED = /^(?:'([^']*)'|"([^"]*)")/;
const HASH_ARGUMENT = /^([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(?:'([^']*)'|"([^"]*)")/;
function compileExpression(expression, names) {
    const date = DATE_EXPRESSION.exec(expression);
    if (date)
        return compileDateExpression(date[1], (date[2] ?? '').trim(), expression);
    if (names.includes(expression))
        return { kind: 'name', name: expression };
    const known = [...names.map((name) => `{{${name}}}`), "{{date 'YYYYMMDD'}}", "{{commit_date 'YYYYMMDD'}}"].join(', ');
    throw new RuleSyntaxProblem(`unknown template \`{{${expression}}}\`; known templates: ${known}`);
}
/** `date 'FORMAT' tz='Zone'`: one quoted format, then optional `key='value'` arguments (only tz). */
function compileDateExpression(source, rest, expression) {
    const format = QUOTED.exec(rest);
    if (format === null) {
        throw new RuleSyntaxProblem(`template \`{{${expression}}}\` needs a quoted format, e.g. {{${source} 'YYYYMMDD-HHmmss'}}`);
    }
    let timeZone = 'UTC';
    let remaining = rest.slice(format[0].length).trim();
    while (remaining !== '') {
        const argument = HASH_ARGUMENT.exec(remaining);
        if (argument === null) {
            throw new RuleSyntaxProblem(`template \`{{${expression}}}\` has \`${remaining}\` after the format; the only argument is tz='Zone', e.g. {{${source} 'YYYYMMDD' tz='Asia/Shanghai'}}`);
        }
        if (argument[1] !== 'tz') {
            throw new RuleSyntaxProblem(`template \`{{${expression}}}\` has unknown argument \`${argument[1]}\`; the only argument is tz='Zone'`);
        }
        timeZone = argument[2] ?? argument[3] ?? '';
        checkTimeZone(timeZone, expression);
        remaining = remaining.slice(argument[0].length).trim();
    }
    return { kind: 'date', source, format: compileDateFormat(format[1] ?? format[2] ?? '', expression), timeZone };
}

;// CONCATENATED MODULE: ./build/src/domain/tags/rules/fixed.js


/**
 * Reads a line without attributes (metadata-action's `type=raw` shorthand,
 * priority 200). A line with a `/` is a full image
 * reference, as docker/metadata-action's `tags` output lists them; only its
 * tag is kept, and the repository is checked against the destination when
 * tags are computed (parsing does not know the destination).
 */
function parseFixedRule(line, priority) {
    const common = { line, priority, prefix: undefined, suffix: undefined, enable: undefined };
    if (line.includes(',')) {
        const first = line.split(',')[0]?.trim() ?? line;
        throw new RuleSyntaxProblem(`write one tag per line (commas only separate key=value attributes), e.g. \`${first}\` alone on its line`);
    }
    const lastSlash = line.lastIndexOf('/');
    if (lastSlash === -1) {
        return { type: 'fixed', ...common, value: compileTemplate(line, SOURCE_TEMPLATE_NAMES), repository: undefined };
    }
    if (line.includes('@')) {
        throw new RuleSyntaxProblem('is a reference by digest; give a tag instead, e.g. `latest`');
    }
    const colon = line.lastIndexOf(':');
    if (colon < lastSlash) {
        throw new RuleSyntaxProblem(`is a full reference without a tag; write \`${line}:latest\`, or only the tag`);
    }
    const tag = line.slice(colon + 1);
    if (tag === '') {
        throw new RuleSyntaxProblem(`is a full reference with an empty tag; write \`${line}latest\`, or only the tag`);
    }
    return { type: 'fixed', ...common, value: compileTemplate(tag, SOURCE_TEMPLATE_NAMES), repository: line.slice(0, colon) };
}
function fixedValue(rule, inputs) {
    return { value: expandTemplate(rule.value, inputs.context), release: false };
}

;// CONCATENATED MODULE: ./build/src/domain/tags/rules/edge.js
const EDGE_KEYS = ['branch'];
function parseEdgeRule(common, attributes) {
    const branch = attributes.get('branch');
    return { type: 'edge', ...common, branch: branch === '' ? undefined : branch };
}
/** `edge` on a build of `branch=` (default: the repository's default branch). */
function edgeValue(rule, inputs) {
    const { source } = inputs;
    if (source.event !== 'branch')
        return { value: undefined };
    const branch = rule.branch ?? source.defaultBranch;
    if (branch === '') {
        return { value: undefined, note: `the default branch is unknown on this CI, so it cannot tell whether ${source.branch} gets edge: name it with branch=` };
    }
    return branch === source.branch ? { value: 'edge', release: false } : { value: undefined };
}

;// CONCATENATED MODULE: ./build/src/domain/tags/rules/match.js


const MATCH_KEYS = ['pattern', 'group', 'source', 'value'];
function parseMatchRule(common, attributes) {
    const patternText = attributes.require('pattern', 'type=match,pattern=v(\\d+\\.\\d+),group=1');
    const pattern = compileRegExp(patternText);
    return {
        type: 'match',
        ...common,
        pattern,
        group: parseGroup(attributes.get('group'), pattern),
        source: attributes.choice('source', ['tag', 'branch'], 'tag'),
        value: attributes.template('value', SOURCE_TEMPLATE_NAMES),
    };
}
/**
 * The chosen group of the match on the git tag (or `value=`, or with
 * imageship's `source=branch` the branch); no tag when the text does not
 * match or the group took no part. A match counts as a release for
 * `latest=auto`, as in metadata-action; a match on the branch does not
 * (`latest` must not follow every branch build).
 */
function matchValue(rule, inputs) {
    const { source } = inputs;
    let text;
    if (rule.value !== undefined && rule.value.text !== '')
        text = expandTemplate(rule.value, inputs.context);
    else if (rule.source === 'branch')
        text = source.branch;
    else if (source.event === 'tag')
        text = source.tag;
    else
        return { value: undefined };
    if (text === '')
        return { value: undefined };
    // String.prototype.match, as metadata-action calls it (with a `g` flag it lists whole matches).
    const found = text.match(rule.pattern);
    const value = found?.[rule.group];
    const onBranch = rule.source === 'branch' && (rule.value === undefined || rule.value.text === '');
    return value === undefined ? { value: undefined } : { value, release: !onBranch };
}
/** `pattern=/regex/flags` or a bare regular expression. */
function compileRegExp(text) {
    const literal = /^\/(.+)\/([a-z]*)$/s.exec(text);
    try {
        return literal ? new RegExp(literal[1], literal[2]) : new RegExp(text);
    }
    catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new RuleSyntaxProblem(`pattern is not a valid regular expression (${reason}); fix it, and quote it with "…" if it contains commas`);
    }
}
/** Checks the group exists now, so a typo fails validation instead of silently giving no tag. */
function parseGroup(text, pattern) {
    if (text === undefined)
        return 0;
    // With the g flag, match() lists whole matches, so any index may exist.
    if (pattern.global && /^\d+$/.test(text))
        return Number(text);
    // Matching the empty alternative always succeeds and reports every group of the pattern.
    const groups = (new RegExp(`${pattern.source}|`).exec('')?.length ?? 1) - 1;
    if (!/^\d+$/.test(text) || Number(text) > groups) {
        throw new RuleSyntaxProblem(`group \`${text}\` does not exist; the pattern has groups 0 to ${groups}`);
    }
    return Number(text);
}

;// CONCATENATED MODULE: ./build/src/domain/tags/rules/raw.js

const RAW_KEYS = ['value'];
function parseRawRule(common, attributes) {
    const value = attributes.requireTemplate('value', SOURCE_TEMPLATE_NAMES, 'type=raw,value=latest');
    return { type: 'raw', ...common, value };
}
/** Always applies; a value that expands to '' (e.g. `{{branch}}` on a tag build) gives no tag. */
function rawValue(rule, inputs) {
    return { value: expandTemplate(rule.value, inputs.context), release: false };
}

;// CONCATENATED MODULE: ./build/src/domain/tags/rules/ref.js
const REF_KEYS = ['event'];
const PR_DEFAULT_PREFIX = 'pr-';
function parseRefRule(common, attributes) {
    return { type: 'ref', ...common, event: attributes.choice('event', ['branch', 'tag', 'pr'], undefined) };
}
/**
 * The ref's name, but only when the build is of that kind (a PR's head
 * branch is not a branch build). A git tag counts as a release for
 * `latest=auto`, as in metadata-action.
 */
function refValue(rule, inputs) {
    const { source } = inputs;
    switch (rule.event) {
        case 'branch':
            return { value: source.event === 'branch' ? source.branch : '', release: false };
        case 'tag':
            return { value: source.event === 'tag' ? source.tag : '', release: true };
        case 'pr':
            return { value: source.event === 'pr' && source.pullRequest !== undefined ? String(source.pullRequest) : '', release: false };
    }
}

;// CONCATENATED MODULE: ./build/src/domain/tags/rules/schedule.js

const SCHEDULE_KEYS = ['pattern'];
function parseScheduleRule(common, attributes) {
    return { type: 'schedule', ...common, pattern: attributes.template('pattern', SOURCE_TEMPLATE_NAMES) ?? compileTemplate('nightly', []) };
}
/** Only on a scheduled run (GitHub `schedule`, GitLab/Azure/Jenkins equivalents): the pattern, `nightly` by default. */
function scheduleValue(rule, inputs) {
    return inputs.source.scheduled === true ? { value: expandTemplate(rule.pattern, inputs.context), release: false } : { value: undefined };
}

;// CONCATENATED MODULE: ./build/src/domain/tags/source-values.js
/** docker/metadata-action's default short commit length (`DOCKER_METADATA_SHORT_SHA_LENGTH`). */
const DEFAULT_SHORT_SHA_LENGTH = 7;
/**
 * Resolves the global expressions (`{{branch}}`, `{{sha}}`, …) for one build,
 * with metadata-action's meanings: `{{branch}}` only on a branch build (empty
 * for a pull request), `{{sha}}` the short commit id.
 */
function sourceTemplateValues(source, shortShaLength = DEFAULT_SHORT_SHA_LENGTH) {
    const onDefault = isDefaultBranch(source);
    const short = shortSha(source.sha, shortShaLength);
    return {
        branch: source.event === 'branch' ? source.branch : '',
        tag: source.event === 'tag' ? source.tag : '',
        sha: short,
        short_sha: short,
        base_ref: source.baseRef ?? '',
        run_number: source.runNumber,
        is_default_branch: String(onDefault),
        is_not_default_branch: String(!onDefault),
    };
}
function shortSha(sha, length) {
    return sha.slice(0, Math.max(0, length));
}
/**
 * A build of the default branch itself, or an event the CI runs only for the
 * default branch (GitHub's schedule). A pull request whose head branch happens
 * to be named like the default branch (e.g. a fork's `main`) does not count,
 * so `latest,enable={{is_default_branch}}` never follows a fork.
 */
function isDefaultBranch(source) {
    if (source.defaultBranchEvent === true)
        return true;
    return source.event === 'branch' && source.branch !== '' && source.branch === source.defaultBranch;
}

;// CONCATENATED MODULE: ./build/src/domain/tags/rules/sha.js

const SHA_KEYS = ['format'];
const SHA_DEFAULT_PREFIX = 'sha-';
function parseShaRule(common, attributes) {
    return { type: 'sha', ...common, format: attributes.choice('format', ['short', 'long'], 'short') };
}
/** The commit id (short: DOCKER_METADATA_SHORT_SHA_LENGTH digits, 7 by default); no tag when the CI did not say which commit this is. */
function shaValue(rule, inputs) {
    const sha = inputs.source.sha;
    return { value: rule.format === 'long' ? sha : shortSha(sha, inputs.shortShaLength), release: false };
}

;// CONCATENATED MODULE: ./build/src/domain/tags/pep440.js
const SEPARATOR = '[-_.]?';
const PEP440 = new RegExp('^\\s*v?' +
    '(?:(\\d+)!)?' + // epoch
    '(\\d+(?:\\.\\d+)*)' + // release
    `(?:${SEPARATOR}(a|b|c|rc|alpha|beta|pre|preview)${SEPARATOR}(\\d+)?)?` + // pre-release
    `(?:-(\\d+)|${SEPARATOR}(post|rev|r)${SEPARATOR}(\\d+)?)?` + // post-release
    `(?:${SEPARATOR}(dev)${SEPARATOR}(\\d+)?)?` + // development release
    '(?:\\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?' + // local version
    '\\s*$', 'i');
function parsePep440(text) {
    const match = PEP440.exec(text);
    if (match === null)
        return undefined;
    const [, epoch, release = '', preLabel, preNumber, postImplicit, postLabel, postNumber, devLabel, devNumber, local] = match;
    return {
        epoch: number(epoch ?? '0'),
        release: release.split('.').map(number),
        pre: preLabel === undefined ? undefined : { label: preKind(preLabel.toLowerCase()), number: number(preNumber ?? '0') },
        post: postImplicit !== undefined ? number(postImplicit) : postLabel !== undefined ? number(postNumber ?? '0') : undefined,
        dev: devLabel !== undefined ? number(devNumber ?? '0') : undefined,
        local: local?.toLowerCase().replace(/[-_]/g, '.'),
    };
}
/** The normalized form (PEP 440 "Normalization"), what `{{version}}` gives. */
function normalizePep440(version) {
    let text = version.epoch === '0' ? '' : `${version.epoch}!`;
    text += version.release.join('.');
    if (version.pre)
        text += `${version.pre.label}${version.pre.number}`;
    if (version.post !== undefined)
        text += `.post${version.post}`;
    if (version.dev !== undefined)
        text += `.dev${version.dev}`;
    if (version.local !== undefined)
        text += `+${version.local}`;
    return text;
}
/** Pre-, post- and development releases change often; only a final release feeds partial patterns and `latest`. */
function isPep440Release(version) {
    return version.pre === undefined && version.post === undefined && version.dev === undefined;
}
/** `{{major}}`, `{{minor}}`, `{{patch}}`: the release segment's parts, 0 when the segment is shorter. */
function releasePart(version, index) {
    return version.release[index] ?? '0';
}
function preKind(label) {
    if (label === 'a' || label === 'alpha')
        return 'a';
    if (label === 'b' || label === 'beta')
        return 'b';
    return 'rc';
}
/** Digits without leading zeros (`007` → `7`), any length. */
function number(digits) {
    return digits.replace(/^0+(?=\d)/, '');
}

;// CONCATENATED MODULE: ./build/src/domain/tags/semver.js
const NUMBER = '0|[1-9]\\d*';
const PRERELEASE_ID = `(?:${NUMBER}|\\d*[A-Za-z-][0-9A-Za-z-]*)`;
const BUILD_ID = '[0-9A-Za-z-]+';
const SEMVER = new RegExp(`^v?(${NUMBER})\\.(${NUMBER})\\.(${NUMBER})` +
    `(?:-(${PRERELEASE_ID}(?:\\.${PRERELEASE_ID})*))?` +
    `(?:\\+(${BUILD_ID}(?:\\.${BUILD_ID})*))?$`);
/** Longer texts are not versions (node-semver, which metadata-action uses, has the same limit). */
const MAX_LENGTH = 256;
/** Parses `1.2.3`, `v1.2.3-rc.1+build.5`, …; returns undefined for anything else. */
function parseSemVer(text) {
    if (text.length > MAX_LENGTH)
        return undefined;
    const match = SEMVER.exec(text);
    if (match === null)
        return undefined;
    const [, major = '', minor = '', patch = '', prerelease = '', build = ''] = match;
    // A number too large to count exactly is not a version number anyone can compare.
    if ([major, minor, patch].some((part) => !Number.isSafeInteger(Number(part))))
        return undefined;
    return { major, minor, patch, prerelease, build };
}
/**
 * What `{{version}}` gives: major.minor.patch and the pre-release, without
 * build metadata (as metadata-action documents it: "shorthand for
 * {{major}}.{{minor}}.{{patch}} (can include pre-release)").
 */
function versionOf(version) {
    const core = `${version.major}.${version.minor}.${version.patch}`;
    return version.prerelease === '' ? core : `${core}-${version.prerelease}`;
}
/** The full version without the leading `v`, build metadata included. */
function formatSemVer(version) {
    const core = `${version.major}.${version.minor}.${version.patch}`;
    const withPrerelease = version.prerelease === '' ? core : `${core}-${version.prerelease}`;
    return version.build === '' ? withPrerelease : `${withPrerelease}+${version.build}`;
}

;// CONCATENATED MODULE: ./build/src/domain/tags/rules/version.js




const VERSION_KEYS = ['pattern', 'value', 'match'];
const PATTERN_NAMES = [...VERSION_TEMPLATE_NAMES, ...SOURCE_TEMPLATE_NAMES];
function parseVersionRule(type) {
    return (common, attributes) => ({
        type,
        ...common,
        pattern: attributes.requireTemplate('pattern', PATTERN_NAMES, `type=${type},pattern={{major}}.{{minor}}`),
        value: attributes.template('value', SOURCE_TEMPLATE_NAMES),
        match: parseMatch(attributes.get('match')),
    });
}
/**
 * The version read from the git tag (or `value=`), expanded into the pattern.
 * A pre-release (semver `-rc.1`; pep440 pre, post and dev releases) gives its
 * whole version whatever the pattern asks (`{{raw}}` alone gives the raw
 * text): moving `1` or `1.2` to an unfinished release would hand it to
 * everyone who pinned the major or minor version. Only final releases count
 * for `latest=auto`.
 */
function versionValue(rule, inputs) {
    const text = versionText(rule, inputs);
    if (text === undefined)
        return { value: undefined };
    return rule.type === 'semver' ? semverValue(rule, inputs, text) : pep440Value(rule, inputs, text);
}
function semverValue(rule, inputs, raw) {
    const version = parseSemVer(raw);
    if (version === undefined)
        return { value: undefined, note: `\`${raw}\` is not a semantic version (semver.org), so it gives no tag` };
    const whole = versionOf(version);
    if (version.prerelease !== '') {
        return { value: isSinglePlaceholder(rule.pattern, 'raw') ? raw : whole, release: false };
    }
    const values = { ...inputs.context.values, version: whole, major: version.major, minor: version.minor, patch: version.patch, raw };
    return { value: expandTemplate(rule.pattern, { ...inputs.context, values }), release: true };
}
function pep440Value(rule, inputs, raw) {
    const version = parsePep440(raw);
    if (version === undefined)
        return { value: undefined, note: `\`${raw}\` does not conform to PEP 440, so it gives no tag` };
    const whole = normalizePep440(version);
    if (!isPep440Release(version)) {
        return { value: isSinglePlaceholder(rule.pattern, 'raw') ? raw : whole, release: false };
    }
    const values = {
        ...inputs.context.values,
        version: whole,
        major: releasePart(version, 0),
        minor: releasePart(version, 1),
        patch: releasePart(version, 2),
        raw,
    };
    return { value: expandTemplate(rule.pattern, { ...inputs.context, values }), release: true };
}
/** `value=` when given (on any build), else the git tag on a tag build; `match=` narrows it; `/` becomes `-`. */
function versionText(rule, inputs) {
    let text;
    if (rule.value !== undefined && rule.value.text !== '')
        text = expandTemplate(rule.value, inputs.context);
    else if (inputs.source.event === 'tag')
        text = inputs.source.tag;
    else
        return undefined;
    if (rule.match !== undefined) {
        const found = rule.match.exec(text);
        if (found !== null)
            text = found[1] ?? '';
    }
    return text.replace(/\//g, '-');
}
function parseMatch(text) {
    if (text === undefined || text === '')
        return undefined;
    let pattern;
    try {
        pattern = new RegExp(text);
    }
    catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new RuleSyntaxProblem(`match is not a valid regular expression (${reason}); fix it, and quote the attribute with "…" if it contains commas`);
    }
    if ((new RegExp(`${pattern.source}|`).exec('')?.length ?? 1) < 2) {
        throw new RuleSyntaxProblem('match needs a capture group for the version, e.g. `match=v(\\d+\\.\\d+\\.\\d+)$`');
    }
    return pattern;
}

;// CONCATENATED MODULE: ./build/src/domain/tags/rule-syntax.js


/**
 * Splits one rule line into its attributes. Commas separate fields; a field
 * wrapped in `"` may contain commas (`""` is a literal quote), and commas or
 * quotes inside `{{ … }}` never split, so `{{date "YYYY,MM"}}` works unquoted.
 * The key is everything before the first `=`, trimmed and lower-cased.
 */
function splitAttributes(line) {
    const attributes = new Map();
    const bare = [];
    for (const field of splitFields(line)) {
        const text = field.trim();
        if (text === '') {
            throw new RuleSyntaxProblem('has an empty attribute (a stray comma?); remove it');
        }
        const equals = text.indexOf('=');
        if (equals === -1) {
            bare.push(text);
            continue;
        }
        const key = text.slice(0, equals).trim().toLowerCase();
        if (key === '') {
            throw new RuleSyntaxProblem(`attribute \`${text}\` has no key before \`=\``);
        }
        if (attributes.has(key)) {
            throw new RuleSyntaxProblem(`attribute \`${key}\` is given twice; keep one`);
        }
        attributes.set(key, text.slice(equals + 1).trim());
    }
    return { attributes, bare };
}
function splitFields(line) {
    const fields = [];
    let current = '';
    let quoted = false;
    let index = 0;
    while (index < line.length) {
        if (line.startsWith('{{', index)) {
            const close = line.indexOf('}}', index + 2);
            const end = close === -1 ? line.length : close + 2;
            current += line.slice(index, end);
            index = end;
            continue;
        }
        const char = line.charAt(index);
        if (char === '"') {
            if (quoted && line.charAt(index + 1) === '"') {
                current += '"';
                index += 2;
                continue;
            }
            quoted = !quoted;
        }
        else if (char === ',' && !quoted) {
            fields.push(current);
            current = '';
        }
        else {
            current += char;
        }
        index += 1;
    }
    if (quoted) {
        throw new RuleSyntaxProblem('has a `"` that is never closed; close the quoted value');
    }
    fields.push(current);
    return fields;
}
/** Read access to a rule's attributes with the checks every rule type needs. */
class RuleAttributes {
    type;
    entries;
    constructor(type, entries) {
        this.type = type;
        this.entries = entries;
    }
    get(key) {
        return this.entries.get(key);
    }
    require(key, example) {
        const value = this.entries.get(key);
        if (value === undefined) {
            throw new RuleSyntaxProblem(`type=${this.type} needs \`${key}=\`, e.g. \`${example}\``);
        }
        return value;
    }
    /** One of a fixed set of values, `fallback` when the key is absent. */
    choice(key, allowed, fallback) {
        const value = this.entries.get(key);
        if (value === undefined && fallback !== undefined)
            return fallback;
        if (value !== undefined && allowed.includes(value))
            return value;
        const options = allowed.map((option) => `\`${key}=${option}\``).join(', ');
        const what = value === undefined ? `needs \`${key}=\`` : `has unknown ${key} \`${value}\``;
        throw new RuleSyntaxProblem(`type=${this.type} ${what}; use ${options}`);
    }
    template(key, names) {
        const value = this.entries.get(key);
        return value === undefined ? undefined : compileTemplate(value, names);
    }
    requireTemplate(key, names, example) {
        return compileTemplate(this.require(key, example), names);
    }
}

;// CONCATENATED MODULE: ./build/src/domain/tags/parse-rules.js











/** Attributes every rule type accepts. */
const COMMON_KEYS = ['type', 'prefix', 'suffix', 'enable', 'priority'];
/** docker/metadata-action's rules when `tags` is empty. */
const DEFAULT_TAG_RULES = ['type=schedule', 'type=ref,event=branch', 'type=ref,event=tag', 'type=ref,event=pr'].join('\n');
const RULE_KINDS = {
    schedule: { keys: SCHEDULE_KEYS, priority: 1000, parse: parseScheduleRule },
    semver: { keys: VERSION_KEYS, priority: 900, parse: parseVersionRule('semver') },
    pep440: { keys: VERSION_KEYS, priority: 900, parse: parseVersionRule('pep440') },
    match: { keys: MATCH_KEYS, priority: 800, parse: parseMatchRule },
    edge: { keys: EDGE_KEYS, priority: 700, parse: parseEdgeRule },
    ref: { keys: REF_KEYS, priority: 600, parse: parseRefRule },
    raw: { keys: RAW_KEYS, priority: 200, parse: parseRawRule },
    sha: { keys: SHA_KEYS, priority: 100, parse: parseShaRule },
};
/** A line without attributes is `type=raw`. */
const FIXED_PRIORITY = 200;
/**
 * Reads the `tags` input: one rule per line, blank lines and `#` comments
 * skipped. Every line is checked, so a user sees all mistakes at once.
 */
function parseRuleLines(text) {
    const rules = [];
    const errors = [];
    for (const rawLine of text.split(/\r?\n/)) {
        const line = rawLine.trim();
        if (line === '' || line.startsWith('#'))
            continue;
        try {
            rules.push(parseRuleLine(line));
        }
        catch (error) {
            if (!(error instanceof RuleSyntaxProblem))
                throw error;
            errors.push(ruleError(line, error.message));
        }
    }
    return { rules, errors };
}
function parseRuleLine(line) {
    // A tag never contains `=`, so `=` is what marks a line of attributes.
    if (!line.includes('='))
        return parseFixedRule(line, FIXED_PRIORITY);
    const { attributes: entries, bare } = splitAttributes(line);
    const type = entries.get('type') ?? 'raw';
    const knownTypes = Object.keys(RULE_KINDS).join(', ');
    const kind = RULE_KINDS[type];
    if (kind === undefined) {
        throw new RuleSyntaxProblem(`has unknown type \`${type}\`; use one of ${knownTypes}`);
    }
    // A field without `=` is the value (`type=raw,foo`), for the types that take one.
    for (const field of bare) {
        if (!kind.keys.includes('value')) {
            throw new RuleSyntaxProblem(`attribute \`${field}\` is not key=value; write it as e.g. \`value=${field}\``);
        }
        if (entries.has('value'))
            throw new RuleSyntaxProblem('attribute `value` is given twice; keep one');
        entries.set('value', field);
    }
    const allowed = [...COMMON_KEYS, ...kind.keys];
    for (const key of entries.keys()) {
        if (!allowed.includes(key)) {
            throw new RuleSyntaxProblem(`has unknown attribute \`${key}\` for type=${type}; allowed: ${allowed.join(', ')}`);
        }
    }
    const attributes = new RuleAttributes(type, entries);
    const common = {
        line,
        priority: parsePriority(attributes.get('priority'), kind.priority),
        prefix: attributes.template('prefix', SOURCE_TEMPLATE_NAMES),
        suffix: attributes.template('suffix', SOURCE_TEMPLATE_NAMES),
        enable: parseEnable(attributes),
    };
    return kind.parse(common, attributes);
}
function parsePriority(text, fallback) {
    if (text === undefined)
        return fallback;
    if (!/^-?\d{1,15}$/.test(text)) {
        throw new RuleSyntaxProblem(`priority must be a whole number but is \`${text}\`; higher comes first (defaults: schedule 1000, semver/pep440 900, match 800, edge 700, ref 600, raw 200, sha 100)`);
    }
    return Number(text);
}
/** A literal enable value is checked now; one with templates can only be checked per build. */
function parseEnable(attributes) {
    const enable = attributes.template('enable', SOURCE_TEMPLATE_NAMES);
    if (enable === undefined)
        return undefined;
    if (isLiteral(enable) && !isBooleanText(enable.text)) {
        throw new RuleSyntaxProblem(enableProblem(enable.text));
    }
    return enable;
}
function isBooleanText(text) {
    return text === 'true' || text === 'false';
}
function enableProblem(value) {
    return `enable must be \`true\` or \`false\` but is \`${value}\`; use enable=true, enable=false or a template such as enable={{is_default_branch}}`;
}

;// CONCATENATED MODULE: ./build/src/domain/tags/flavor.js



const DEFAULT_FLAVOR = Object.freeze({ latest: 'auto', prefix: undefined, prefixOnLatest: false, suffix: undefined, suffixOnLatest: false });
const FLAVOR_KEYS = ['latest', 'prefix', 'suffix', 'onlatest'];
/** Reads the `flavor` input (one or more lines of `key=value` attributes); errors are one line each, naming the line. */
function parseFlavor(text) {
    let flavor = DEFAULT_FLAVOR;
    const errors = [];
    for (const rawLine of text.split(/\r?\n/)) {
        const line = rawLine.trim();
        if (line === '' || line.startsWith('#'))
            continue;
        try {
            flavor = applyLine(flavor, line);
        }
        catch (error) {
            if (!(error instanceof RuleSyntaxProblem))
                throw error;
            errors.push(`flavor: \`${line}\`: ${error.message}`);
        }
    }
    return { flavor, errors };
}
function applyLine(flavor, line) {
    const { attributes, bare } = splitAttributes(line);
    if (bare.length > 0) {
        throw new RuleSyntaxProblem(`\`${bare[0]}\` is not key=value; write latest=auto|true|false, prefix=…, suffix=… (with onlatest=true|false)`);
    }
    const next = { ...flavor };
    // onlatest belongs to the prefix or suffix before it on the same line.
    let onLatestFor;
    for (const [key, value] of attributes) {
        switch (key) {
            case 'latest':
                if (value !== 'auto' && value !== 'true' && value !== 'false')
                    throw new RuleSyntaxProblem(`latest must be auto, true or false but is \`${value}\``);
                next.latest = value;
                break;
            case 'prefix':
            case 'suffix':
                next[key] = value === '' ? undefined : compileTemplate(value, SOURCE_TEMPLATE_NAMES);
                onLatestFor = key;
                break;
            case 'onlatest':
                if (value !== 'true' && value !== 'false')
                    throw new RuleSyntaxProblem(`onlatest must be true or false but is \`${value}\``);
                if (onLatestFor === undefined)
                    throw new RuleSyntaxProblem('onlatest= belongs after prefix= or suffix= on the same line, e.g. `suffix=-alpine,onlatest=true`');
                next[onLatestFor === 'prefix' ? 'prefixOnLatest' : 'suffixOnLatest'] = value === 'true';
                break;
            default:
                throw new RuleSyntaxProblem(`unknown key \`${key}\`; use ${FLAVOR_KEYS.join(', ')}`);
        }
    }
    return next;
}

;// CONCATENATED MODULE: ./build/src/domain/tags/sanitize.js
/** Docker allows at most 128 characters in a tag. */
const MAX_TAG_LENGTH = 128;
/**
 * Turns any text into a valid Docker tag (`[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`)
 * instead of failing the push later. As in docker/metadata-action, each run of
 * characters outside `[A-Za-z0-9_.-]` becomes one `-`: branch `feature/x`
 * becomes `feature-x`, and `+build` metadata becomes `-build`. Beyond
 * metadata-action (whose result docker would refuse), a leading `.` or `-`
 * becomes `_` and the tag is cut to 128 characters. Returns '' when nothing
 * is left, which callers treat as "no tag".
 */
function sanitizeTag(text) {
    let tag = text.replace(/[^A-Za-z0-9_.-]+/gu, '-');
    if (tag.startsWith('.') || tag.startsWith('-')) {
        tag = `_${tag.slice(1)}`;
    }
    return tag.slice(0, MAX_TAG_LENGTH);
}

;// CONCATENATED MODULE: ./build/src/domain/tags/compute.js














/**
 * Turns the rules into the tags for this build, as docker/metadata-action
 * does: rules sorted by priority (input order among equals), the first tag is
 * the version, and `latest` follows the flavor. Pure: the same rules, source
 * and clock always give the same tags, on any CI.
 */
function computeTags(input, source, clock) {
    const parsed = typeof input.rules === 'string' ? parseRuleLines(input.rules) : { rules: [...input.rules], errors: [] };
    const { rules, errors } = parsed.rules.length === 0 && parsed.errors.length === 0 ? parseRuleLines(DEFAULT_TAG_RULES) : parsed;
    const firstError = errors[0] ?? rules.map((rule) => referenceError(rule, input.destination)).find(Boolean);
    if (firstError !== undefined)
        throw firstError;
    const flavor = input.flavor ?? DEFAULT_FLAVOR;
    const shortShaLength = input.shortShaLength ?? DEFAULT_SHORT_SHA_LENGTH;
    const now = clock instanceof Date ? clock : clock.now;
    const context = {
        values: sourceTemplateValues(source, shortShaLength),
        now,
        commitDate: (clock instanceof Date ? undefined : clock.commitDate) ?? now,
    };
    const inputs = { source, context, shortShaLength };
    const tags = [];
    const fixed = [];
    const notes = [];
    const rewritten = [];
    let latest;
    for (const rule of byPriority(rules)) {
        if (!isEnabled(rule, context))
            continue;
        const result = ruleValue(rule, inputs);
        if (result.value === undefined) {
            if (result.note)
                notes.push(`tags: rule \`${rule.line}\`: ${result.note}`);
            continue;
        }
        // An empty value means "does not apply": a prefix alone (`sha-`, `pr-`) is not a tag.
        if (result.value === '')
            continue;
        const written = `${prefixOf(rule, flavor, context)}${result.value}${suffixOf(rule, flavor, context)}`;
        const tag = sanitizeTag(written);
        if (tag === '')
            continue;
        if ((rule.type === 'fixed' || rule.type === 'raw') && written !== tag && !rewritten.some((r) => r.written === written))
            rewritten.push({ written, pushed: tag });
        if (rule.type === 'fixed')
            fixed.push(tag);
        if (!tags.includes(tag))
            tags.push(tag);
        // The first tag decides `latest` (metadata-action: the highest-priority one).
        latest ??= flavor.latest === 'auto' ? result.release : flavor.latest === 'true';
    }
    if (tags.length === 0)
        throw new Error(noTagMessage(source));
    if (latest === true) {
        const prefix = flavor.prefixOnLatest && flavor.prefix ? expandTemplate(flavor.prefix, context) : '';
        const suffix = flavor.suffixOnLatest && flavor.suffix ? expandTemplate(flavor.suffix, context) : '';
        const tag = sanitizeTag(`${prefix}latest${suffix}`);
        if (!tags.includes(tag))
            tags.push(tag);
    }
    return { tags, version: tags[0] ?? '', fixed, notes, rewritten };
}
/** Highest priority first; Array.prototype.sort is stable, so equal priorities keep the input order. */
function byPriority(rules) {
    return [...rules].sort((a, b) => b.priority - a.priority);
}
function ruleValue(rule, inputs) {
    switch (rule.type) {
        case 'fixed':
            return fixedValue(rule, inputs);
        case 'raw':
            return rawValue(rule, inputs);
        case 'sha':
            return shaValue(rule, inputs);
        case 'ref':
            return refValue(rule, inputs);
        case 'semver':
        case 'pep440':
            return versionValue(rule, inputs);
        case 'match':
            return matchValue(rule, inputs);
        case 'schedule':
            return scheduleValue(rule, inputs);
        case 'edge':
            return edgeValue(rule, inputs);
    }
}
/** The rule's own prefix, else its type's (`sha-`, `pr-`), else the flavor's. */
function prefixOf(rule, flavor, context) {
    if (rule.prefix !== undefined)
        return expandTemplate(rule.prefix, context);
    if (rule.type === 'sha')
        return SHA_DEFAULT_PREFIX;
    if (rule.type === 'ref' && rule.event === 'pr')
        return PR_DEFAULT_PREFIX;
    return flavor.prefix ? expandTemplate(flavor.prefix, context) : '';
}
function suffixOf(rule, flavor, context) {
    if (rule.suffix !== undefined)
        return expandTemplate(rule.suffix, context);
    return flavor.suffix ? expandTemplate(flavor.suffix, context) : '';
}
function isEnabled(rule, context) {
    if (rule.enable === undefined)
        return true;
    const value = expandTemplate(rule.enable, context).trim();
    if (!isBooleanText(value))
        throw ruleError(rule.line, enableProblem(value));
    return value === 'true';
}
/** A full reference is only accepted for the repository being pushed, never silently re-targeted. */
function referenceError(rule, destination) {
    if (rule.type !== 'fixed' || rule.repository === undefined)
        return undefined;
    if (rule.repository.toLowerCase() === destination.toLowerCase())
        return undefined;
    return ruleError(rule.line, `names repository \`${rule.repository}\` but this action pushes to \`${destination}\`; give only the tag, or a reference to \`${destination}\``);
}
function noTagMessage(source) {
    const build = `event ${source.event}, ref ${source.ref || 'unknown'}`;
    const suggestion = {
        branch: 'branch builds, e.g. `type=ref,event=branch`',
        tag: 'tag builds, e.g. `type=ref,event=tag`',
        pr: 'pull requests, e.g. `type=ref,event=pr`',
        other: 'every build, e.g. `type=raw,value={{run_number}}`',
    };
    return `tags: no tag applies to this build (${build}): add a fixed tag such as \`latest\`, or a rule that applies to ${suggestion[source.event]}`;
}

;// CONCATENATED MODULE: ./build/src/domain/tags/index.js
/**
 * Tag rules: a pure function from the `tags` and `flavor` inputs, the
 * build's source context and a clock to the tags to push. The rule language
 * is docker/metadata-action's `tags` input (its README is the
 * specification), plus imageship's `{{short_sha}}`, `{{run_number}}`,
 * `type=match,source=branch` and full references in fixed lines.
 */







/**
 * Checks the syntax of every rule without needing a build context, so the
 * input can be validated before any side effect. `errors` holds one message
 * per bad line, each naming the line and the fix.
 */
function parseTagRules(text) {
    const { rules, errors } = parseRuleLines(text);
    return { rules, errors: errors.map((error) => error.message) };
}


/***/ }),

/***/ 3033:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   b: () => (/* binding */ parseCciWorkloads)
/* harmony export */ });
/* harmony import */ var _kubernetes_workloads_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7412);
/** The `cci-workloads` lines: the `workloads` syntax, deployments only (CCI 2.0 rolls out nothing else). */

/** Every well-formed line, and one `cci-workloads: …` error per bad one (the `workloads` syntax, deployments only). */
function parseCciWorkloads(text) {
    const parsed = (0,_kubernetes_workloads_js__WEBPACK_IMPORTED_MODULE_0__/* .parseWorkloads */ .K)(text);
    const errors = parsed.errors.map((error) => error.replace(/^workloads:/, 'cci-workloads:'));
    const workloads = [];
    for (const workload of parsed.workloads) {
        if (workload.kind !== 'deployment') {
            errors.push(`cci-workloads: "${workload.text}" names a ${workload.kind}: CCI 2.0 rolls out deployments only, e.g. prod/deployment/web`);
            continue;
        }
        workloads.push(workload);
    }
    return { workloads, errors };
}


/***/ }),

/***/ 4985:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $: () => (/* binding */ parseFunctionUrn)
/* harmony export */ });
/**
 * FunctionGraph function URNs (`urn:fss:{region}:{project_id}:function:{package}:{name}[:{version}]`), checked
 * while the config is parsed and split when a deploy calls the function's config API.
 */
const EXPECTED_FORM = 'urn:fss:{region}:{project_id}:function:{package}:{name}[:{version}]';
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const PROJECT_ID = /^[0-9a-f]{32}$/;
/** FunctionGraph's rule: 1–60 letters, digits, '_' or '-', starting with a letter, ending with a letter or digit. */
const FUNCTION_NAME = /^[A-Za-z](?:[A-Za-z0-9_-]{0,58}[A-Za-z0-9])?$/;
const PACKAGE = /^[A-Za-z0-9_-]{1,64}$/;
/** `latest`, a published version, or an alias (`!alias`). */
const VERSION = /^!?[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
/** Throws an Error naming the URN and the expected form when it is not a FunctionGraph function URN. */
function parseFunctionUrn(urn) {
    const fail = (why) => {
        throw new Error(`function-urn: "${urn}" ${why}; expected ${EXPECTED_FORM}, as shown on the function's page`);
    };
    const parts = urn.trim().split(':');
    if (parts.length !== 7 && parts.length !== 8)
        fail(`has ${parts.length} ':'-separated parts, not 7 or 8`);
    const [urnWord, fss, region, projectId, functionWord, pkg, name, version] = parts;
    if (urnWord !== 'urn' || fss !== 'fss' || functionWord !== 'function')
        fail('is not a FunctionGraph function URN');
    if (!REGION.test(region))
        fail(`has region "${region}", not a region id like cn-north-4`);
    if (!PROJECT_ID.test(projectId))
        fail(`has project id "${projectId}", not 32 lower-case hex characters`);
    if (!PACKAGE.test(pkg))
        fail(`has package "${pkg}", not 1-64 letters, digits, '_' or '-'`);
    if (!FUNCTION_NAME.test(name)) {
        fail(`has function name "${name}": a name is 1-60 letters, digits, '_' or '-', starts with a letter and ends with a letter or digit`);
    }
    if (version !== undefined && !VERSION.test(version))
        fail(`has version "${version}", not latest, a version or an !alias`);
    return {
        region,
        projectId,
        package: pkg,
        name,
        ...(version === undefined ? {} : { version }),
        unversioned: `urn:fss:${region}:${projectId}:function:${pkg}:${name}`,
    };
}


/***/ }),

/***/ 1607:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  $9: () => (/* binding */ huaweiEndpoint),
  aL: () => (/* binding */ parseEndpoints),
  fQ: () => (/* binding */ swrDomain)
});

// UNUSED EXPORTS: DEFAULT_DOMAIN

;// CONCATENATED MODULE: ./build/src/domain/targets/endpoint-table.js
// Generated by scripts/gen-huawei-endpoints.mjs from the region files of
//   @huaweicloud/huaweicloud-sdk-cce@3.0.57
//   @huaweicloud/huaweicloud-sdk-functiongraph@3.1.211
//   @huaweicloud/huaweicloud-sdk-iam@3.1.172
//   @huaweicloud/huaweicloud-sdk-swr@3.1.128
// Do not edit: change the pinned SDK versions and run the script again.
/** Service → region → endpoint, as the official SDKs call them. */
const SDK_ENDPOINTS = Object.freeze({
    'cce': Object.freeze({
        'af-south-1': 'https://cce.af-south-1.myhuaweicloud.com',
        'ap-southeast-1': 'https://cce.ap-southeast-1.myhuaweicloud.com',
        'ap-southeast-2': 'https://cce.ap-southeast-2.myhuaweicloud.com',
        'ap-southeast-3': 'https://cce.ap-southeast-3.myhuaweicloud.com',
        'cn-east-2': 'https://cce.cn-east-2.myhuaweicloud.com',
        'cn-east-3': 'https://cce.cn-east-3.myhuaweicloud.com',
        'cn-north-1': 'https://cce.cn-north-1.myhuaweicloud.com',
        'cn-north-2': 'https://cce.cn-north-2.myhuaweicloud.com',
        'cn-north-4': 'https://cce.cn-north-4.myhuaweicloud.com',
        'cn-north-9': 'https://cce.cn-north-9.myhuaweicloud.com',
        'cn-south-1': 'https://cce.cn-south-1.myhuaweicloud.com',
        'cn-south-2': 'https://cce.cn-south-2.myhuaweicloud.com',
        'cn-south-4': 'https://cce.cn-south-4.myhuaweicloud.com',
        'cn-southwest-2': 'https://cce.cn-southwest-2.myhuaweicloud.com',
        'la-north-2': 'https://cce.la-north-2.myhuaweicloud.com',
        'la-south-2': 'https://cce.la-south-2.myhuaweicloud.com',
        'na-mexico-1': 'https://cce.na-mexico-1.myhuaweicloud.com',
        'sa-brazil-1': 'https://cce.sa-brazil-1.myhuaweicloud.com',
    }),
    'functiongraph': Object.freeze({
        'ae-ad-1': 'https://functiongraph.ae-ad-1.myhuaweicloud.com',
        'af-south-1': 'https://functiongraph.af-south-1.myhuaweicloud.com',
        'ap-southeast-1': 'https://functiongraph.ap-southeast-1.myhuaweicloud.com',
        'ap-southeast-2': 'https://functiongraph.ap-southeast-2.myhuaweicloud.com',
        'ap-southeast-3': 'https://functiongraph.ap-southeast-3.myhuaweicloud.com',
        'ap-southeast-4': 'https://functiongraph.ap-southeast-4.myhuaweicloud.com',
        'ap-southeast-5': 'https://functiongraph.ap-southeast-5.myhuaweicloud.com',
        'cn-east-2': 'https://functiongraph.cn-east-2.myhuaweicloud.com',
        'cn-east-3': 'https://functiongraph.cn-east-3.myhuaweicloud.com',
        'cn-east-4': 'https://functiongraph.cn-east-4.myhuaweicloud.com',
        'cn-north-1': 'https://functiongraph.cn-north-1.myhuaweicloud.com',
        'cn-north-11': 'https://functiongraph.cn-north-11.myhuaweicloud.com',
        'cn-north-4': 'https://functiongraph.cn-north-4.myhuaweicloud.com',
        'cn-north-9': 'https://functiongraph.cn-north-9.myhuaweicloud.com',
        'cn-south-1': 'https://functiongraph.cn-south-1.myhuaweicloud.com',
        'cn-south-4': 'https://functiongraph.cn-south-4.myhuaweicloud.com',
        'cn-southwest-2': 'https://functiongraph.cn-southwest-2.myhuaweicloud.com',
        'cn-southwest-3': 'https://functiongraph.cn-southwest-3.myhuaweicloud.com',
        'eu-west-101': 'https://functiongraph.eu-west-101.myhuaweicloud.com',
        'la-north-2': 'https://functiongraph.la-north-2.myhuaweicloud.com',
        'la-south-2': 'https://functiongraph.la-south-2.myhuaweicloud.com',
        'me-east-1': 'https://functiongraph.me-east-1.myhuaweicloud.com',
        'my-kualalumpur-1': 'https://functiongraph.my-kualalumpur-1.myhuaweicloud.com',
        'na-mexico-1': 'https://functiongraph.na-mexico-1.myhuaweicloud.com',
        'ru-moscow-1': 'https://functiongraph.ru-moscow-1.myhuaweicloud.com',
        'sa-brazil-1': 'https://functiongraph.sa-brazil-1.myhuaweicloud.com',
        'tr-west-1': 'https://functiongraph.tr-west-1.myhuaweicloud.com',
    }),
    'iam': Object.freeze({
        'ae-ad-1': 'https://iam.ae-ad-1.myhuaweicloud.com',
        'af-south-1': 'https://iam.af-south-1.myhuaweicloud.com',
        'ap-southeast-1': 'https://iam.ap-southeast-1.myhuaweicloud.com',
        'ap-southeast-2': 'https://iam.ap-southeast-2.myhuaweicloud.com',
        'ap-southeast-3': 'https://iam.ap-southeast-3.myhuaweicloud.com',
        'ap-southeast-4': 'https://iam.ap-southeast-4.myhuaweicloud.com',
        'cn-east-2': 'https://iam.cn-east-2.myhuaweicloud.com',
        'cn-east-3': 'https://iam.cn-east-3.myhuaweicloud.com',
        'cn-east-4': 'https://iam.cn-east-4.myhuaweicloud.com',
        'cn-east-5': 'https://iam.cn-east-5.myhuaweicloud.com',
        'cn-north-1': 'https://iam.cn-north-1.myhuaweicloud.com',
        'cn-north-12': 'https://iam.cn-north-12.myhuaweicloud.com',
        'cn-north-2': 'https://iam.cn-north-2.myhuaweicloud.com',
        'cn-north-4': 'https://iam.cn-north-4.myhuaweicloud.com',
        'cn-north-9': 'https://iam.cn-north-9.myhuaweicloud.com',
        'cn-south-1': 'https://iam.cn-south-1.myhuaweicloud.com',
        'cn-south-2': 'https://iam.cn-south-2.myhuaweicloud.com',
        'cn-southwest-2': 'https://iam.cn-southwest-2.myhuaweicloud.com',
        'eu-west-0': 'https://iam.eu-west-0.myhuaweicloud.com',
        'eu-west-101': 'https://iam.eu-west-101.myhuaweicloud.eu',
        'la-north-2': 'https://iam.la-north-2.myhuaweicloud.com',
        'la-south-2': 'https://iam.la-south-2.myhuaweicloud.com',
        'me-east-1': 'https://iam.me-east-1.myhuaweicloud.com',
        'my-kualalumpur-1': 'https://iam.my-kualalumpur-1.myhuaweicloud.com',
        'na-mexico-1': 'https://iam.na-mexico-1.myhuaweicloud.com',
        'ru-moscow-1': 'https://iam.ru-moscow-1.myhuaweicloud.com',
        'sa-brazil-1': 'https://iam.sa-brazil-1.myhuaweicloud.com',
        'tr-west-1': 'https://iam.tr-west-1.myhuaweicloud.com',
    }),
    'swr-api': Object.freeze({
        'ae-ad-1': 'https://swr-api.ae-ad-1.myhuaweicloud.com',
        'af-south-1': 'https://swr-api.af-south-1.myhuaweicloud.com',
        'ap-southeast-1': 'https://swr-api.ap-southeast-1.myhuaweicloud.com',
        'ap-southeast-2': 'https://swr-api.ap-southeast-2.myhuaweicloud.com',
        'ap-southeast-3': 'https://swr-api.ap-southeast-3.myhuaweicloud.com',
        'ap-southeast-5': 'https://swr-api.ap-southeast-5.myhuaweicloud.com',
        'cn-east-2': 'https://swr-api.cn-east-2.myhuaweicloud.com',
        'cn-east-3': 'https://swr-api.cn-east-3.myhuaweicloud.com',
        'cn-north-1': 'https://swr-api.cn-north-1.myhuaweicloud.com',
        'cn-north-11': 'https://swr-api.cn-north-11.myhuaweicloud.com',
        'cn-north-2': 'https://swr-api.cn-north-2.myhuaweicloud.com',
        'cn-north-4': 'https://swr-api.cn-north-4.myhuaweicloud.com',
        'cn-north-9': 'https://swr-api.cn-north-9.myhuaweicloud.com',
        'cn-south-1': 'https://swr-api.cn-south-1.myhuaweicloud.com',
        'cn-south-2': 'https://swr-api.cn-south-2.myhuaweicloud.com',
        'cn-southwest-2': 'https://swr-api.cn-southwest-2.myhuaweicloud.com',
        'eu-west-0': 'https://swr-api.eu-west-0.myhuaweicloud.com',
        'eu-west-101': 'https://swr-api.eu-west-101.myhuaweicloud.eu',
        'la-north-2': 'https://swr-api.la-north-2.myhuaweicloud.com',
        'la-south-2': 'https://swr-api.la-south-2.myhuaweicloud.com',
        'me-east-1': 'https://swr-api.me-east-1.myhuaweicloud.com',
        'my-kualalumpur-1': 'https://swr-api.my-kualalumpur-1.myhuaweicloud.com',
        'na-mexico-1': 'https://swr-api.na-mexico-1.myhuaweicloud.com',
        'ru-moscow-1': 'https://swr-api.ru-moscow-1.myhuaweicloud.com',
        'ru-northwest-2': 'https://swr-api.ru-northwest-2.myhuaweicloud.com',
        'sa-brazil-1': 'https://swr-api.sa-brazil-1.myhuaweicloud.com',
        'tr-west-1': 'https://swr-api.tr-west-1.myhuaweicloud.com',
    }),
});

;// CONCATENATED MODULE: ./build/src/domain/targets/huawei-endpoints.js
/**
 * Where each Huawei Cloud service is reached. Some regions put services on
 * different domains (eu-west-101: swr-api and iam on myhuaweicloud.eu,
 * functiongraph and cce on .com), which one `domain` cannot say: with the
 * default domain the host comes from the official SDKs' region table
 * (endpoint-table.ts, generated), else the pattern
 * `https://{service}.{region}.{domain}`. A `domain` other than the default
 * (another partition) uses the pattern for every service, and the
 * `endpoints` input overrides both per service (a private cloud, a proxy, or
 * the local stand-ins the tests run).
 */

/** The public cloud's domain, the `domain` input's default. */
const DEFAULT_DOMAIN = 'myhuaweicloud.com';
const SERVICE_NAME = /^[a-z-]+$/;
const EXAMPLE = 'functiongraph=http://127.0.0.1:9000';
/** Reads `service=url` lines; blank lines and `#` comments are skipped. */
function parseEndpoints(text) {
    const endpoints = new Map();
    const errors = [];
    const warnings = [];
    for (const rawLine of text.split(/\r?\n/)) {
        const line = rawLine.trim();
        if (line === '' || line.startsWith('#'))
            continue;
        // A password written into a URL must not be printed back.
        const shown = line.replace(/\/\/[^/@\s]*@/, '//***@');
        const problem = (what, fix) => void errors.push(`endpoints: "${shown}" ${what}: ${fix}`);
        const equals = line.indexOf('=');
        if (equals === -1) {
            problem('has no "="', `write one service=url per line, e.g. ${EXAMPLE}`);
            continue;
        }
        const service = line.slice(0, equals).trim();
        const address = line.slice(equals + 1).trim();
        if (!SERVICE_NAME.test(service)) {
            problem(`names service "${service}"`, 'use the service name as in its endpoint host, lower-case letters and "-" only (functiongraph, cce, iam, swr-api)');
            continue;
        }
        if (endpoints.has(service)) {
            problem(`sets ${service} a second time`, 'keep one line per service');
            continue;
        }
        const url = parseEndpointUrl(address);
        if (typeof url !== 'string') {
            problem(url.what, url.fix);
            continue;
        }
        endpoints.set(service, url);
        if (url.startsWith('http:') && !isLoopbackUrl(url)) {
            warnings.push(`endpoints: "${shown}" uses plain http: the signed requests and their bodies (function settings, kubeconfigs, registry logins) travel unencrypted and can be read or changed on the way; use https unless ${service} is reached over a private network`);
        }
    }
    return { endpoints, errors, warnings };
}
/** The base URL of `service` in `region`: the override, else the SDKs' table (default domain only), else the pattern. */
function huaweiEndpoint(service, region, domain, overrides) {
    const override = overrides.get(service);
    if (override !== undefined)
        return override;
    const known = domain === DEFAULT_DOMAIN ? SDK_ENDPOINTS[service]?.[region] : undefined;
    return known ?? `https://${service}.${region}.${domain}`;
}
/**
 * The domain SWR lives on in `region`: the registry (`swr.{region}.…`) shares
 * the domain of the SWR API (`swr-api.{region}.…`) the SDKs list, so
 * eu-west-101 pushes to swr.eu-west-101.myhuaweicloud.eu with the default
 * `domain`. Another `domain` is taken as given.
 */
function swrDomain(region, domain) {
    if (domain !== DEFAULT_DOMAIN)
        return domain;
    const api = SDK_ENDPOINTS['swr-api']?.[region];
    const host = api === undefined ? undefined : new URL(api).hostname;
    const prefix = `swr-api.${region}.`;
    return host !== undefined && host.startsWith(prefix) ? host.slice(prefix.length) : domain;
}
/** Plain http that never leaves this machine (the local stand-ins tests and proxies run) is not worth a warning. */
function isLoopbackUrl(url) {
    const host = new URL(url).hostname;
    return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
/** The normalised URL (no trailing slash), or what is wrong with it. */
function parseEndpointUrl(address) {
    let url;
    try {
        url = new URL(address);
    }
    catch {
        return { what: 'has no valid URL', fix: `give an absolute http(s) URL, e.g. ${EXAMPLE}` };
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
        return { what: `uses ${url.protocol.replace(/:$/, '')}`, fix: 'use an http:// or https:// URL' };
    }
    // Requests are signed over their path and query; a fixed query or fragment would be silently mixed in.
    if (url.search !== '' || address.includes('?') || url.hash !== '' || address.includes('#')) {
        return { what: 'has a query or fragment', fix: 'give only scheme, host, port and optionally a base path' };
    }
    // Credentials in a URL end up in logs; the API is authenticated by AK/SK signing anyway.
    if (url.username !== '' || url.password !== '') {
        return { what: 'has a user name or password in the URL', fix: 'remove them: requests are signed with the AK/SK' };
    }
    return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}


/***/ }),

/***/ 7412:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   K: () => (/* binding */ parseWorkloads)
/* harmony export */ });
/**
 * The `workloads` input: which Deployments and StatefulSets get the new image.
 * One per line, `namespace/kind/name[:container]`; checked here, before any
 * build starts, so a typo costs seconds rather than a whole build.
 */
const KINDS = new Map([
    ['deployment', 'deployment'],
    ['deployments', 'deployment'],
    ['statefulset', 'statefulset'],
    ['statefulsets', 'statefulset'],
]);
/** Short names kubectl knows; named in the error rather than silently accepted, so the input reads the same everywhere. */
const SHORT_NAMES = new Map([
    ['deploy', 'deployment'],
    ['sts', 'statefulset'],
]);
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const EXAMPLE = 'e.g. prod/deployment/web or prod/statefulset/db:postgres';
/** Every well-formed line, and one `workloads: "<line>" …: <fix>` error per bad one. Blank and `#` lines are skipped. */
function parseWorkloads(text) {
    const workloads = [];
    const errors = [];
    const seen = new Set();
    for (const raw of text.split(/\r?\n/)) {
        const line = raw.trim();
        if (line === '' || line.startsWith('#'))
            continue;
        const parsed = parseLine(line);
        if (typeof parsed === 'string') {
            errors.push(`workloads: "${shorten(line)}" ${parsed}`);
            continue;
        }
        const key = `${parsed.namespace}/${parsed.kind}/${parsed.name}:${parsed.container ?? ''}`;
        if (seen.has(key)) {
            errors.push(`workloads: "${shorten(line)}" is listed twice: remove one`);
            continue;
        }
        seen.add(key);
        workloads.push(parsed);
    }
    return { workloads, errors };
}
/** The reference, or the rest of an error message (`<what is wrong>: <fix>`). */
function parseLine(line) {
    if (/\s/.test(line))
        return `contains spaces: write one namespace/kind/name[:container] per line, ${EXAMPLE}`;
    const parts = line.split('/');
    if (parts.length !== 3) {
        return `is not namespace/kind/name[:container]: ${EXAMPLE}`;
    }
    const [namespace = '', kindText = '', nameAndContainer = ''] = parts;
    const colon = nameAndContainer.indexOf(':');
    const name = colon < 0 ? nameAndContainer : nameAndContainer.slice(0, colon);
    const container = colon < 0 ? undefined : nameAndContainer.slice(colon + 1);
    const kind = KINDS.get(kindText.toLowerCase());
    if (!kind) {
        const full = SHORT_NAMES.get(kindText.toLowerCase());
        if (full)
            return `uses the short kind "${kindText}": write ${full}`;
        if (kindText === '')
            return `has no kind: use deployment or statefulset, ${EXAMPLE}`;
        return `has kind "${kindText}": imageship rolls out deployment or statefulset workloads only`;
    }
    const namespaceProblem = checkName(namespace, 'namespace', DNS_LABEL, 63);
    if (namespaceProblem)
        return namespaceProblem;
    const nameProblem = checkName(name, 'name', DNS_SUBDOMAIN, 253);
    if (nameProblem)
        return nameProblem;
    if (container !== undefined) {
        if (container === '')
            return `has an empty container after ":": name the container or drop the ":"`;
        const containerProblem = checkName(container, 'container', DNS_LABEL, 63);
        if (containerProblem)
            return containerProblem;
    }
    return { namespace, kind, name, ...(container !== undefined ? { container } : {}), text: line };
}
function checkName(value, what, pattern, maxLength) {
    if (value === '')
        return `has an empty ${what}: ${EXAMPLE}`;
    if (value.length > maxLength)
        return `has a ${what} longer than ${maxLength} characters: Kubernetes does not allow it, check the ${what}`;
    if (pattern.test(value))
        return undefined;
    if (pattern.test(value.toLowerCase()))
        return `has ${what} "${value}" with capital letters: Kubernetes names are lowercase, write "${value.toLowerCase()}"`;
    const allowed = pattern === DNS_LABEL ? 'lowercase letters, digits and "-"' : 'lowercase letters, digits, "-" and "."';
    return `has ${what} "${value}", which is not a valid Kubernetes name: use ${allowed}, starting and ending with a letter or digit`;
}
function shorten(line) {
    return line.length > 80 ? `${line.slice(0, 80)}…` : line;
}


/***/ }),

/***/ 5505:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   L: () => (/* binding */ parseShareWith),
/* harmony export */   V: () => (/* binding */ checkShareDeadlines)
/* harmony export */ });
/**
 * The `share-with` lines (`account[:read][:until YYYY-MM-DD]`), checked before
 * anything runs; the end date against the run's clock in checkShareDeadlines.
 * Pure: config/ parses with it, deploy/swr-share.ts acts on the result.
 */
/** Account (domain) names: letters, digits, `_`, `-` and `.`, up to 64; nothing that would change the API path. */
const ACCOUNT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const EXAMPLE = 'e.g. partner-account or partner-account:read:until 2026-12-31';
/** Every well-formed line, and one `share-with: "<line>" …: <fix>` error per bad one. Blank and `#` lines are skipped. */
function parseShareWith(text) {
    const shares = [];
    const errors = [];
    const seen = new Set();
    for (const raw of text.split(/\r?\n/)) {
        const line = raw.trim();
        if (line === '' || line.startsWith('#'))
            continue;
        const parsed = parseLine(line);
        if (typeof parsed === 'string') {
            errors.push(`share-with: "${line.length > 80 ? `${line.slice(0, 80)}…` : line}" ${parsed}`);
            continue;
        }
        if (seen.has(parsed.account)) {
            errors.push(`share-with: "${line}" names ${parsed.account} a second time: keep one line per account`);
            continue;
        }
        seen.add(parsed.account);
        shares.push(parsed);
    }
    return { shares, errors };
}
function parseLine(line) {
    const [account = '', ...options] = line.split(':').map((part) => part.trim());
    if (!ACCOUNT.test(account)) {
        return `has account "${account}": an account name is 1-64 letters, digits, "_", "-" or ".": ${EXAMPLE}`;
    }
    let until;
    let permitSeen = false;
    for (const option of options) {
        if (option === 'read' && !permitSeen) {
            permitSeen = true;
            continue;
        }
        if (option === 'write') {
            return 'asks for write: SWR shares grant pull (read) access only; to let another account push, give its users a permission on the organization in the SWR console instead';
        }
        const day = /^until\s+(\S+)$/.exec(option);
        if (day && until === undefined) {
            const problem = checkDay(day[1]);
            if (problem)
                return problem;
            until = day[1];
            continue;
        }
        return `has "${option}" after the account: write account[:read][:until YYYY-MM-DD], ${EXAMPLE}`;
    }
    return { account, permit: 'read', ...(until === undefined ? {} : { until }), text: line };
}
function checkDay(text) {
    const match = DAY.exec(text);
    const date = match ? new Date(`${text}T00:00:00Z`) : undefined;
    if (!match || date === undefined || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== text) {
        return `has until "${text}", not a date: write until YYYY-MM-DD (UTC), ${EXAMPLE}`;
    }
    return undefined;
}
/** One line per share whose last day is already over (UTC); checked before anything runs. */
function checkShareDeadlines(shares, now) {
    const today = now.toISOString().slice(0, 10);
    return shares
        .filter((share) => share.until !== undefined && share.until < today)
        .map((share) => `share-with: "${share.text}" ended on ${share.until} (today is ${today} UTC): give a later date, or drop ":until" for a share without end`);
}


/***/ }),

/***/ 54:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   r: () => (/* binding */ urlProblem),
/* harmony export */   s: () => (/* binding */ parseTriggerUrls)
/* harmony export */ });
/* harmony import */ var _url_secrets_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6378);
/**
 * The `deploy-trigger` input's grammar: one http(s) URL a line. Checked while the config is parsed, before any
 * side effect; the URLs are credentials, so every message shows them redacted.
 */

/** Longest form of a line shown in an error (after redaction). */
const SHOWN_LINE_LIMIT = 160;
/**
 * Parses the `deploy-trigger` input: one URL a line, blank lines ignored.
 * Each URL must be `http:` or `https:` followed by `//` and a host. `http:`
 * is accepted (an internal receiver may have no TLS) and reported in
 * `warnings`, because the token then travels in clear text.
 */
function parseTriggerUrls(text) {
    const urls = [];
    const errors = [];
    const warnings = [];
    const firstLineOf = new Map();
    text.split(/\r\n|\r|\n/).forEach((rawLine, index) => {
        const line = rawLine.trim();
        const lineNo = index + 1;
        if (line === '')
            return;
        const problem = urlProblem(line);
        if (problem !== undefined) {
            errors.push(`deploy-trigger: line ${lineNo} is not an http(s) URL: ${showLine(line)} — ${problem}`);
            return;
        }
        const earlier = firstLineOf.get(line);
        if (earlier !== undefined) {
            errors.push(`deploy-trigger: line ${lineNo} repeats line ${earlier} (${showLine(line)}) — list each trigger once; every call redeploys`);
            return;
        }
        firstLineOf.set(line, lineNo);
        urls.push(line);
        if (/^http:/i.test(line)) {
            warnings.push(`deploy-trigger: line ${lineNo} uses plain http (${showLine(line)}): the trigger token travels unencrypted; use https unless the receiver is on a private network`);
        }
    });
    return { urls, errors, warnings };
}
function showLine(line) {
    const shown = (0,_url_secrets_js__WEBPACK_IMPORTED_MODULE_0__/* .redactUrl */ .BO)(line);
    return shown.length > SHOWN_LINE_LIMIT ? `${shown.slice(0, SHOWN_LINE_LIMIT)}…` : shown;
}
const PASTE_HINT = 'paste the trigger link exactly as the console shows it (https://…)';
/** Why `line` is not a usable trigger URL, as "<problem>; <fix>", or undefined when it is fine. */
function urlProblem(line) {
    if (/^(["'`]).*\1$/.test(line) && line.length >= 2)
        return 'it is quoted; remove the quotes';
    if (/\s/.test(line)) {
        return /\s\S*:\/\//.test(line)
            ? 'it holds more than one URL; put one URL a line'
            : 'it contains a space; percent-encode it (%20) or remove it';
    }
    const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(line)?.[1];
    if (scheme === undefined)
        return `it is relative (no http:// or https://); ${PASTE_HINT}`;
    const lower = scheme.toLowerCase();
    if (lower !== 'http' && lower !== 'https')
        return `its scheme is "${lower}:", only http: and https: are supported; ${PASTE_HINT}`;
    const rest = line.slice(scheme.length + 1);
    if (!rest.startsWith('//'))
        return `"${lower}:" is not followed by "//host"; ${PASTE_HINT}`;
    const authority = rest.slice(2).split(/[/?#]/, 1)[0] ?? '';
    const hostAndPort = authority.slice(authority.lastIndexOf('@') + 1);
    const host = hostAndPort.startsWith('[') ? hostAndPort.slice(0, hostAndPort.indexOf(']') + 1) : hostAndPort.split(':', 1)[0] ?? '';
    if (host === '' || host === '[]') {
        return rest.slice(2) === '' ? `there is nothing after "${lower}://"; ${PASTE_HINT}` : `it has no host; ${PASTE_HINT}`;
    }
    try {
        new URL(line);
    }
    catch {
        return `it cannot be parsed (check the host and port); ${PASTE_HINT}`;
    }
    return undefined;
}


/***/ }),

/***/ 6378:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   BO: () => (/* binding */ redactUrl),
/* harmony export */   Fn: () => (/* binding */ urlSecrets),
/* harmony export */   Zg: () => (/* binding */ scrubSecrets)
/* harmony export */ });
/**
 * A redeploy trigger URL is a bearer credential: whoever has it can redeploy
 * the workload (Alibaba Cloud: "keep your triggers confidential; if a trigger
 * is leaked, delete it and create a new one"). The secret sits in different
 * places depending on who made the URL:
 *
 *  - ACK:               https://…/api/v1/triggers/<id>?token=<JWT>
 *  - Container Service: https://cs.console.aliyun.com/hook/trigger?triggerUrl=<base64>&secret=<hex>
 *  - self-hosted:       https://user:password@hooks.internal/redeploy/<random>
 *
 * This module finds those parts by position in the text (it never normalises
 * the URL), so the redacted form is the same URL with only the secret parts
 * replaced, and it also works on text that is not a valid URL at all (an
 * input line being rejected still has to be shown without its token).
 */
const MASK = '***';
/** Query (and fragment) values shorter than this protect nothing and would redact half the log. */
const MIN_VALUE_LENGTH = 4;
/**
 * A path segment this long, of the characters a URL carries unencoded (RFC
 * 3986 unreserved: letters, digits, `-`, `.`, `_`, `~`), is treated as a
 * credential: token generators use all of them (`.` and `~` included).
 */
const TOKEN_SEGMENT = /^[A-Za-z0-9._~-]{16,}$/;
/**
 * …unless it is plainly words (`redeploy-production-frontend`): masking those
 * would scrub ordinary words from every log line and protect nothing. A random
 * token of 16+ characters without a digit or capital is vanishingly unlikely.
 */
const WORDS_SEGMENT = /^[a-z]+(?:[-_.~][a-z]+)*$/;
/** A JWT (`eyJ<header>.<payload>.<signature>`) used as a path segment; its dots put it outside TOKEN_SEGMENT. */
const JWT_SEGMENT = /^eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
function tokenLike(segment) {
    return (TOKEN_SEGMENT.test(segment) && !WORDS_SEGMENT.test(segment)) || JWT_SEGMENT.test(segment);
}
/**
 * The values to register as secrets for `url`: every query (and fragment)
 * parameter value of 4+ characters, the userinfo password (or a lone username,
 * which in `https://<token>@host` form is the token), and token-like path
 * segments. Each value is given as written and, when different, decoded.
 */
function urlSecrets(url) {
    const found = new Set();
    for (const { word } of words(url)) {
        for (const span of secretSpans(word)) {
            const raw = word.slice(span.start, span.end);
            for (const value of [raw, decoded(raw, span.kind)]) {
                if (value !== undefined && value.length >= MIN_VALUE_LENGTH)
                    found.add(value);
            }
        }
    }
    return [...found];
}
/** `url` with every value `urlSecrets` would report replaced by `***`; anything else is kept as written. */
function redactUrl(url) {
    let result = '';
    let cursor = 0;
    for (const { word, offset } of words(url)) {
        result += url.slice(cursor, offset);
        let inner = 0;
        for (const span of secretSpans(word)) {
            result += word.slice(inner, span.start) + MASK;
            inner = span.end;
        }
        result += word.slice(inner);
        cursor = offset + word.length;
    }
    return result + url.slice(cursor);
}
/** Replaces every occurrence of `secrets` in `text` with `***`, longest first. */
function scrubSecrets(text, secrets) {
    let result = text;
    for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
        if (secret.length >= MIN_VALUE_LENGTH)
            result = result.split(secret).join(MASK);
    }
    return result;
}
/** Whitespace-separated words with their offsets: a pasted line may hold more than one URL. */
function words(text) {
    const list = [];
    for (const match of text.matchAll(/\S+/g))
        list.push({ word: match[0], offset: match.index ?? 0 });
    return list;
}
/**
 * Secret spans of one URL-like word, in order and never overlapping. Offsets
 * are relative to the word. The parse is
 * deliberately forgiving: `scheme:` is optional, `//authority` is optional, and
 * an `@` in the first segment is treated as userinfo even without `//`.
 */
function secretSpans(word) {
    const spans = [];
    const hashAt = word.indexOf('#');
    const beforeHash = hashAt >= 0 ? word.slice(0, hashAt) : word;
    const queryAt = beforeHash.indexOf('?');
    const head = queryAt >= 0 ? beforeHash.slice(0, queryAt) : beforeHash;
    const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:/.exec(head);
    let cursor = scheme ? scheme[0].length : 0;
    const hasAuthority = head.startsWith('//', cursor);
    const authorityStart = hasAuthority ? cursor + 2 : cursor;
    const slashAt = head.indexOf('/', authorityStart);
    const authorityEnd = slashAt >= 0 ? slashAt : head.length;
    const atSign = head.lastIndexOf('@', authorityEnd - 1);
    if (atSign >= authorityStart) {
        const colon = head.indexOf(':', authorityStart);
        if (colon >= 0 && colon < atSign) {
            if (atSign > colon + 1)
                spans.push({ start: colon + 1, end: atSign, kind: 'userinfo' });
        }
        else if (atSign > authorityStart) {
            spans.push({ start: authorityStart, end: atSign, kind: 'userinfo' });
        }
    }
    cursor = hasAuthority || atSign >= authorityStart ? authorityEnd : cursor;
    // Path segments, then the query and the fragment as `key=value&…` lists.
    let segmentStart = cursor;
    for (let i = cursor; i <= head.length; i++) {
        if (i === head.length || head[i] === '/') {
            const segment = head.slice(segmentStart, i);
            if (tokenLike(segment))
                spans.push({ start: segmentStart, end: i, kind: 'path' });
            segmentStart = i + 1;
        }
    }
    if (queryAt >= 0)
        spans.push(...paramSpans(beforeHash, queryAt + 1, beforeHash.length));
    // A fragment is never sent, but `#access_token=…` is a well-known way to carry one.
    if (hashAt >= 0)
        spans.push(...paramSpans(word, hashAt + 1, word.length));
    return spans;
}
function paramSpans(text, start, end) {
    const spans = [];
    let partStart = start;
    for (let i = start; i <= end; i++) {
        if (i !== end && text[i] !== '&')
            continue;
        const part = text.slice(partStart, i);
        const eq = part.indexOf('=');
        if (eq >= 0) {
            // The value runs to the next `&`: base64 padding (`…fHw=`) stays part of it.
            if (part.length - eq - 1 >= MIN_VALUE_LENGTH)
                spans.push({ start: partStart + eq + 1, end: i, kind: 'param' });
        }
        else if (tokenLike(part)) {
            // `?<token>` with no key at all.
            spans.push({ start: partStart, end: i, kind: 'param' });
        }
        partStart = i + 1;
    }
    return spans;
}
/** The value as a receiver (or a log line printing the parsed URL) would show it. */
function decoded(raw, kind) {
    if (kind === 'path' || !/[%+]/.test(raw))
        return undefined;
    try {
        const value = decodeURIComponent(kind === 'param' ? raw.replace(/\+/g, ' ') : raw);
        return value === raw ? undefined : value;
    }
    catch {
        return undefined;
    }
}


/***/ }),

/***/ 4829:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   E: () => (/* binding */ CredentialHelper)
/* harmony export */ });
/* unused harmony export CredentialHelperError */
/* harmony import */ var _domain_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3047);

class CredentialHelperError extends _domain_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ImageshipError */ .K {
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
        throw new _docker_config_js__WEBPACK_IMPORTED_MODULE_3__/* .DockerConfigError */ .Zh(`cannot read the Docker config ${path}: ${error instanceof Error ? error.message : String(error)}`, path, { cause: error });
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
        throw new _docker_config_js__WEBPACK_IMPORTED_MODULE_3__/* .DockerConfigError */ .Zh(`cannot write ${path}: ${error instanceof Error ? error.message : String(error)}`, path, { cause: error });
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
/* harmony import */ var _domain_image_reference_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1605);
/* harmony import */ var _domain_errors_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(3047);
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




class DockerConfigError extends _domain_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ImageshipError */ .K {
    path;
    name = 'DockerConfigError';
    constructor(message, 
    /** The config file concerned. */
    path, options = {}) {
        super(message, options);
        this.path = path;
    }
}
/** Names Docker has written for Docker Hub over the years; any of them is Docker Hub's login. */
const DOCKER_HUB_ALIASES = new Set([_domain_image_reference_js__WEBPACK_IMPORTED_MODULE_2__/* .DOCKER_HUB */ .Xb, 'index.docker.io', 'registry-1.docker.io']);
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
        throw new DockerConfigError(`cannot read the Docker config ${path}: ${error instanceof Error ? error.message : String(error)}`, path, { cause: error });
    }
    let config;
    try {
        config = JSON.parse(text);
    }
    catch {
        // No cause kept: JSON.parse quotes the text around the fault, and this file holds passwords.
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
    return DOCKER_HUB_ALIASES.has(host) ? _domain_image_reference_js__WEBPACK_IMPORTED_MODULE_2__/* .DOCKER_HUB */ .Xb : host;
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
// EXTERNAL MODULE: ./build/src/domain/errors.js
var errors = __webpack_require__(3047);
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





class ConfigLockError extends errors/* ImageshipError */.K {
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
// EXTERNAL MODULE: ./build/src/domain/image/reference.js
var reference = __webpack_require__(1605);
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
/* harmony import */ var _credential_helper_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4829);
/* harmony import */ var _docker_config_file_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(467);
/* harmony import */ var _login_record_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(7472);
/* harmony import */ var _login_store_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(103);




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
    const configFile = await (0,_login_store_js__WEBPACK_IMPORTED_MODULE_3__/* .configFileOf */ .OY)(env, `log out of ${registry}`);
    const key = (0,_login_store_js__WEBPACK_IMPORTED_MODULE_3__/* .serverKey */ .Pd)(registry);
    const recordFile = (0,_login_record_js__WEBPACK_IMPORTED_MODULE_2__/* .loginRecordPath */ .G4)(configFile, key);
    const none = { ok: true, outcome: 'none', message: `imageship holds no login for ${registry} in ${configFile}: nothing to undo` };
    // No record, no lock: a logout with nothing to undo leaves no trace (not even a directory for the lock).
    if ((await (0,_login_record_js__WEBPACK_IMPORTED_MODULE_2__/* .readLoginRecord */ .Te)(recordFile)) === undefined)
        return none;
    return (0,_login_store_js__WEBPACK_IMPORTED_MODULE_3__/* .withConfigLock */ .E1)(configFile, `log out of ${registry}`, async () => {
        const record = await (0,_login_record_js__WEBPACK_IMPORTED_MODULE_2__/* .readLoginRecord */ .Te)(recordFile);
        if (record === undefined)
            return none;
        const config = await (0,_docker_config_file_js__WEBPACK_IMPORTED_MODULE_1__/* .readDockerConfig */ .TO)(configFile);
        const current = (0,_login_store_js__WEBPACK_IMPORTED_MODULE_3__/* .authsOf */ .vx)(config)[key];
        const restoring = (0,_login_store_js__WEBPACK_IMPORTED_MODULE_3__/* .hasPrevious */ .ku)(record);
        if (record.store === 'file') {
            if (!(0,_login_record_js__WEBPACK_IMPORTED_MODULE_2__/* .sameFingerprint */ .tU)(record.wrote, (0,_login_store_js__WEBPACK_IMPORTED_MODULE_3__/* .entryText */ .u0)(current)))
                return leftAlone(record, recordFile, registry, configFile);
            if (record.previous.entry !== null)
                (0,_login_store_js__WEBPACK_IMPORTED_MODULE_3__/* .setAuth */ .TV)(config, key, record.previous.entry);
            else
                (0,_login_store_js__WEBPACK_IMPORTED_MODULE_3__/* .deleteAuth */ .qW)(config, key);
        }
        else {
            const helper = new _credential_helper_js__WEBPACK_IMPORTED_MODULE_0__/* .CredentialHelper */ .E(record.store.replace(/^docker-credential-/, ''), `${configFile} (${record.store})`, exec, env);
            if (!(0,_login_record_js__WEBPACK_IMPORTED_MODULE_2__/* .sameFingerprint */ .tU)(record.wrote, (0,_login_store_js__WEBPACK_IMPORTED_MODULE_3__/* .helperText */ .cy)(await helper.get(key))))
                return leftAlone(record, recordFile, registry, configFile);
            if (record.previous.helper)
                await helper.store(key, record.previous.helper);
            else
                await helper.erase(key);
            if (record.previous.entry !== null)
                (0,_login_store_js__WEBPACK_IMPORTED_MODULE_3__/* .setAuth */ .TV)(config, key, record.previous.entry);
            else
                (0,_login_store_js__WEBPACK_IMPORTED_MODULE_3__/* .deleteAuth */ .qW)(config, key);
        }
        if (record.createdConfig && (0,_login_store_js__WEBPACK_IMPORTED_MODULE_3__/* .isEmptyConfig */ .Yr)(config))
            await (0,_docker_config_file_js__WEBPACK_IMPORTED_MODULE_1__/* .removeFile */ .nM)(configFile);
        else
            await (0,_docker_config_file_js__WEBPACK_IMPORTED_MODULE_1__/* .writeDockerConfig */ ._D)(configFile, config.data);
        await (0,_login_record_js__WEBPACK_IMPORTED_MODULE_2__/* .removeLoginRecord */ .Nz)(recordFile);
        return restoring
            ? { ok: true, outcome: 'restored', message: `logged out of ${registry}: the login that was there before is back in ${record.store === 'file' ? configFile : record.store}` }
            : { ok: true, outcome: 'removed', message: `logged out of ${registry}` };
    });
}
async function leftAlone(record, recordFile, registry, configFile) {
    // What it saved no longer applies: whoever replaced the entry decides what stays.
    await (0,_login_record_js__WEBPACK_IMPORTED_MODULE_2__/* .removeLoginRecord */ .Nz)(recordFile);
    return {
        ok: true,
        outcome: 'changed',
        message: `the login for ${registry} in ${configFile} was replaced since imageship wrote it (by docker login or another run): left as it is${(0,_login_store_js__WEBPACK_IMPORTED_MODULE_3__/* .hasPrevious */ .ku)(record) ? ', and the login saved before it is dropped' : ''}`,
    };
}


/***/ })

};
