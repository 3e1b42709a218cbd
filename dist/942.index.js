export const id = 942;
export const ids = [942];
export const modules = {

/***/ 1942:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   runBuild: () => (/* binding */ runBuild)
/* harmony export */ });
/* unused harmony exports BuildError, dockerErrorText, lastMeaningfulLine */
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1455);
/* harmony import */ var _domain_errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3047);


class BuildError extends _domain_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ImageshipError */ .K {
    constructor(message) {
        super(message);
        this.name = 'BuildError';
    }
}
/** Runs the build and reads what the builder wrote about its result. */
async function runBuild(exec, command, env, references = []) {
    for (const file of command.secretFiles) {
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.writeFile)(file.path, file.value, { mode: 0o600 });
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.chmod)(file.path, 0o600);
    }
    const notice = legacyNoticeFilter();
    const result = await exec({ command: 'docker', args: command.args, env: { ...env, ...command.env }, hideLine: notice.hide });
    if (result.exitCode !== 0) {
        throw new BuildError(`build: docker ${command.args[0] === 'buildx' ? 'buildx build' : 'build'} failed (exit ${result.exitCode}): ${dockerErrorText(result.stderr || result.stdout)}`);
    }
    const written = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.readFile)(command.resultFile, 'utf8').catch(() => '');
    const local = command.builder === 'buildx' && command.loadsLocally && references[0] ? await inspectImageId(exec, references[0], env) : '';
    if (command.builder === 'classic') {
        return { imageId: written.trim(), pushedDigest: '', legacyBuilderNotice: notice.seen() };
    }
    let metadata = {};
    try {
        metadata = JSON.parse(written);
    }
    catch {
        // An older buildx writes nothing for some exporters; the registry is asked instead.
    }
    const text = (key) => (typeof metadata[key] === 'string' ? metadata[key] : '');
    // Docker 20.10's docker driver writes no config digest after --load: the local store is the truth then.
    return {
        imageId: local || text('containerimage.config.digest'),
        pushedDigest: command.pushesItself ? text('containerimage.digest') : '',
        legacyBuilderNotice: notice.seen(),
    };
}
async function inspectImageId(exec, reference, env) {
    const result = await exec({ command: 'docker', args: ['image', 'inspect', '--format', '{{.Id}}', reference], env, silent: true, timeoutMs: 20_000 }).catch(() => undefined);
    const id = result?.exitCode === 0 ? result.stdout.trim() : '';
    return /^sha256:[0-9a-f]{64}$/.test(id) ? id : '';
}
/**
 * The docker CLI (23+) prints a three-line deprecation notice on every classic
 * build: "DEPRECATED: The legacy builder is deprecated…" and indented
 * continuation lines. It is kept from the log and reported once, with the fix.
 */
function legacyNoticeFilter() {
    let seen = false;
    let inside = false;
    return {
        hide(line) {
            if (/^DEPRECATED: The legacy builder is deprecated/.test(line)) {
                seen = true;
                inside = true;
                return true;
            }
            if (inside && /^\s+\S/.test(line))
                return true;
            inside = false;
            return false;
        },
        seen: () => seen,
    };
}
/**
 * What docker said went wrong, with its hint lines: buildx prints `ERROR: …`
 * and then the fix on the following lines ("Switch to a different driver, or
 * turn on the containerd image store…"); the classic builder prints one line.
 */
function dockerErrorText(text) {
    const lines = text.split('\n').map((line) => line.trimEnd());
    let start = -1;
    for (let i = lines.length - 1; i >= 0; i--) {
        if (/^(ERROR|error)(:| )/.test(lines[i].trim())) {
            start = i;
            break;
        }
    }
    if (start < 0)
        return lastMeaningfulLine(text);
    const kept = [lines[start].trim()];
    for (const line of lines.slice(start + 1)) {
        const trimmed = line.trim();
        if (trimmed === '')
            continue;
        // Progress and Dockerfile excerpts that follow an error are not hints.
        if (/^(#\d|-----|>|\d+ \||View build details|WARNING:)/.test(trimmed))
            break;
        kept.push(trimmed);
        if (kept.length === 4)
            break;
    }
    return kept.join('\n');
}
function lastMeaningfulLine(text) {
    const lines = text.split('\n').map((line) => line.trim()).filter(Boolean);
    const errorLine = [...lines].reverse().find((line) => /error|denied|unauthorized|failed|x509/i.test(line));
    return errorLine ?? lines.at(-1) ?? 'no output';
}


/***/ })

};
