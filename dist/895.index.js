export const id = 895;
export const ids = [895];
export const modules = {

/***/ 895:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  runMain: () => (/* binding */ runMain)
});

// EXTERNAL MODULE: ./build/src/app/run-sequence.js + 12 modules
var run_sequence = __webpack_require__(4701);
;// CONCATENATED MODULE: ./build/src/config/yaml-loader.js
async function loadRegistryAuthParser() {
    return (await __webpack_require__.e(/* import() */ 815).then(__webpack_require__.t.bind(__webpack_require__, 8815, 19)));
}
/** The parser when `registryAuthText` is set, else undefined (nothing is loaded). */
async function registryAuthParserFor(registryAuthText) {
    return registryAuthText.trim() === '' ? undefined : loadRegistryAuthParser();
}

// EXTERNAL MODULE: ./build/src/config/types.js
var types = __webpack_require__(2721);
// EXTERNAL MODULE: ./build/src/config/closest-name.js
var closest_name = __webpack_require__(4907);
// EXTERNAL MODULE: ./build/src/config/schema.js
var schema = __webpack_require__(9829);
;// CONCATENATED MODULE: ./build/src/config/unknown-names.js
/**
 * Settings that imageship would silently ignore: a workflow's `with:` key it
 * does not declare (`tag:` for `tags:` — GitHub's runner warns, act and other
 * runners do not) and, on the command line, an `IMAGESHIP_*` variable one typo
 * away from an option (`IMAGESHIP_TAG`). Each gets one warning line naming it
 * and the option it was probably meant to be; the run goes on, as the runner's
 * own check does.
 */



/**
 * The runner passes every `with:` key as `INPUT_<KEY>` (upper case, spaces as
 * `_`, hyphens kept), declared or not; a name that is no option was a typo or
 * belongs to another action.
 */
function undeclaredInputWarnings(env, optionNames = schema/* OPTIONS */.lw.map((option) => option.name)) {
    const declared = new Set(optionNames.map((name) => name.toUpperCase()));
    const warnings = [];
    for (const variable of Object.keys(env).sort()) {
        if (!variable.startsWith('INPUT_') || env[variable] === undefined)
            continue;
        const key = variable.slice('INPUT_'.length);
        if (key === '' || declared.has(key))
            continue;
        const name = key.toLowerCase();
        const meant = (0,closest_name/* closestName */.N)(name.replace(/_/g, '-'), optionNames, { partial: true });
        warnings.push(`${name}: not an input of imageship, so it is ignored: ${meant ? `did you mean ${meant}?` : 'remove it (the README lists the inputs)'}`);
    }
    return warnings;
}
/**
 * `IMAGESHIP_<NAME>` variables that are no option but close to one. Others
 * (`IMAGESHIP_TESTBED`, a wrapper's own settings) are left alone: the prefix
 * is not reserved for options.
 */
const OIDC_TOKEN_VARIABLE = schema/* OPTIONS */.lw.find((option) => option.name === 'oidc-token-env')?.default ?? 'IMAGESHIP_ID_TOKEN';
function nearMissEnvWarnings(env, optionNames = OPTIONS.map((option) => option.name)) {
    const known = new Set(optionNames.map(envVariableName));
    const warnings = [];
    for (const variable of Object.keys(env).sort()) {
        if (!variable.startsWith('IMAGESHIP_') || known.has(variable) || env[variable] === undefined)
            continue;
        // The default of oidc-token-env (GitLab's id_tokens: variable) holds a token, not an option.
        if (variable === OIDC_TOKEN_VARIABLE || variable === env['IMAGESHIP_OIDC_TOKEN_ENV'])
            continue;
        const name = variable.slice('IMAGESHIP_'.length).toLowerCase().replace(/_/g, '-');
        // Two letters are one or two edits from too many options to be a typo of any.
        const meant = name.length >= 3 ? closestName(name, optionNames) : undefined;
        if (meant)
            warnings.push(`env ${variable} is not an imageship option, so it is ignored: did you mean ${envVariableName(meant)}?`);
    }
    return warnings;
}

// EXTERNAL MODULE: ./build/src/deploy/deploy-error.js
var deploy_error = __webpack_require__(2381);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./build/src/domain/targets/share-with.js
var share_with = __webpack_require__(5505);
// EXTERNAL MODULE: ./build/src/build/docker-probe.js
var docker_probe = __webpack_require__(9799);
// EXTERNAL MODULE: ./build/src/registry/docker-config.js
var docker_config = __webpack_require__(240);
;// CONCATENATED MODULE: ./build/src/domain/credential-scope.js
/**
 * Which registry hosts may receive the run's login. A login is configured
 * for one registry and goes to that registry only, as Docker's credential
 * store keys logins by host:
 *
 * - the host it was given for (`loginRegistry`: the `registry` input, else
 *   the provider's registry `swr.<region>.<domain>` or the ACR host);
 * - with an AK/SK (derived SWR) login, any `swr.<region>.<domain>` of the
 *   configured domain, with the login derived for that region;
 * - a host the user listed in `replicate-credentials` (replicas only).
 *
 * Every other host (a public image to deploy, a mirror, a look-alike such as
 * `swr.cn-north-4.evil.example`) gets the Docker config's login for it, or
 * none. Pure: the pipeline and the plan ask, nothing is sent from here.
 */
const SWR_HOST = /^swr\.([a-z]{2}(?:-[a-z]+)+-\d{1,3})\.([a-z0-9-]+(?:\.[a-z0-9-]+)+)$/;
/**
 * The SWR region of `host` (`swr.<region>.<domain>[:port]`), when its domain
 * is `domain` (any domain when undefined); undefined for any other host.
 * The port is ignored: the host name is what a certificate vouches for.
 */
function swrRegionOf(host, domain) {
    const match = SWR_HOST.exec(hostName(host));
    if (match === null)
        return undefined;
    if (domain !== undefined && match[2] !== domain.toLowerCase())
        return undefined;
    return match[1];
}
/** Which login `host` gets under `scope`. */
function chooseLogin(host, scope) {
    const wanted = host.toLowerCase();
    if (wanted === scope.loginRegistry.toLowerCase())
        return { kind: 'configured' };
    if (scope.swrDomain !== undefined) {
        const region = swrRegionOf(wanted, scope.swrDomain);
        if (region !== undefined)
            return { kind: 'swr-region', region };
    }
    if (scope.optedIn.some((allowed) => allowed.toLowerCase() === wanted)) {
        const region = scope.swrDomain === undefined ? undefined : swrRegionOf(wanted, undefined);
        return region === undefined ? { kind: 'configured' } : { kind: 'swr-region', region };
    }
    const why = scope.swrDomain !== undefined
        ? `${host} is not swr.<region>.${scope.swrDomain} (the configured domain), so the SWR login is not sent there`
        : `${host} is not ${scope.loginRegistry}, the registry the login was given for, so the login is not sent there`;
    return { kind: 'elsewhere', why };
}
/** `host:port` → `host`, `[::1]:5000` → `[::1]`, lowercase. */
function hostName(host) {
    const lower = host.toLowerCase();
    if (lower.startsWith('['))
        return lower.slice(0, lower.indexOf(']') + 1);
    const colon = lower.lastIndexOf(':');
    return colon === -1 ? lower : lower.slice(0, colon);
}

// EXTERNAL MODULE: ./build/src/util/secrets.js + 1 modules
var util_secrets = __webpack_require__(2197);
// EXTERNAL MODULE: ./build/src/domain/swr-login.js
var swr_login = __webpack_require__(8398);
;// CONCATENATED MODULE: ./build/src/app/run-credentials.js





/** Where the run's login may go (credential-scope.ts); `optedIn` only counts for replicate-to. */
function loginScopeOf(config, forReplicas) {
    return {
        loginRegistry: config.loginRegistry,
        swrDomain: config.login.kind === 'swr-aksk' || config.login.kind === 'swr-temporary' ? config.domain : undefined,
        optedIn: forReplicas ? config.copy.replicateCredentials : [],
    };
}
/**
 * The login for the run's registry (`config.registry`): the configured one
 * where it belongs, the SWR login derived for another region of the same
 * domain, else the Docker config's login for that host, or none.
 */
async function resolveRunCredentials(config, ports, env) {
    const choice = config.login.kind === 'anonymous' ? { kind: 'configured' } : chooseLogin(config.registry, loginScopeOf(config, false));
    switch (choice.kind) {
        case 'configured':
            return resolveRegistryCredentials(config, ports);
        case 'swr-region':
            return derivedSwrCredentials(config, ports, choice.region);
        case 'elsewhere': {
            // Said as a warning when nothing replaces it: a run that used to send its login there now reads anonymously.
            const found = await dockerConfigCredentials(config.registry, ports, env);
            if (found)
                ports.logger.info(`${choice.why}: using the Docker config's login for ${config.registry}`);
            else
                ports.logger.warn(`${choice.why}: reading it anonymously (set registry: ${config.registry} if the login is meant for it)`);
            return found;
        }
    }
}
/**
 * The SWR login of another region of the same account, masked: derived from
 * the AK/SK, or, with temporary keys (which cannot derive one), a temporary
 * login from that region's SWR API signed with them.
 */
async function derivedSwrCredentials(config, ports, region) {
    if (config.login.kind === 'swr-temporary') {
        const temporary = await swrTemporaryLogin(config, ports, region);
        (0,util_secrets/* registerLogin */.P)(ports.secrets, temporary.username, temporary.password);
        ports.logger.info(`temporary SWR login for ${region}${temporary.expiresAt ? `, valid until ${temporary.expiresAt.toISOString()}` : ''}`);
        return { username: temporary.username, password: temporary.password };
    }
    if (config.login.kind !== 'swr-aksk')
        return undefined;
    const derived = (0,swr_login/* deriveSwrLogin */.Z)({ region, accessKey: config.login.accessKey, secretKey: config.login.secretKey, domain: config.domain });
    (0,util_secrets/* registerLogin */.P)(ports.secrets, derived.username, derived.password);
    return { username: derived.username, password: derived.password };
}
/** The login the Docker config holds for `host`, masked; undefined when it has none. */
async function dockerConfigCredentials(host, ports, env) {
    const found = await (0,docker_config/* credentialsFromDockerConfig */.N3)(host, env, (path) => (0,promises_.readFile)(path, 'utf8'));
    if (found)
        (0,util_secrets/* registerLogin */.P)(ports.secrets, found.username, found.password);
    return found;
}
/**
 * The configured login (it belongs to `config.loginRegistry`): the user
 * name and password for `docker login` and the registry API, by login
 * method. Every password is masked the moment it exists. Only the ACR
 * temporary login makes a network call, so this runs after validation and
 * never in a dry run.
 */
async function resolveRegistryCredentials(config, ports) {
    const { login } = config;
    const mask = (username, password) => {
        (0,util_secrets/* registerLogin */.P)(ports.secrets, username, password);
        return { username, password };
    };
    switch (login.kind) {
        case 'swr-aksk': {
            if (config.copy.loginMode === 'temporary') {
                const temporary = await swrTemporaryLogin(config, ports, login.region);
                const result = mask(temporary.username, temporary.password);
                ports.logger.info(`temporary SWR login${temporary.expiresAt ? `, valid until ${temporary.expiresAt.toISOString()}` : ''}`);
                return result;
            }
            const derived = (0,swr_login/* deriveSwrLogin */.Z)({ region: login.region, accessKey: login.accessKey, secretKey: login.secretKey, domain: config.domain });
            return mask(derived.username, derived.password);
        }
        case 'swr-temporary': {
            // Temporary keys (a security token, or keyless): only the SWR API's temporary login works with them.
            const temporary = await swrTemporaryLogin(config, ports, login.region);
            const result = mask(temporary.username, temporary.password);
            ports.logger.info(`temporary SWR login${temporary.expiresAt ? `, valid until ${temporary.expiresAt.toISOString()}` : ''}`);
            return result;
        }
        case 'password':
            return mask(login.username, login.password);
        case 'acr-temporary': {
            const credentials = {
                accessKeyId: login.accessKeyId,
                accessKeySecret: login.accessKeySecret,
                ...(login.securityToken ? { securityToken: login.securityToken } : {}),
            };
            const { acrApiEndpoint, getEnterpriseLogin, getPersonalLogin } = await __webpack_require__.e(/* import() */ 230).then(__webpack_require__.bind(__webpack_require__, 7230));
            const endpoint = acrApiEndpoint(login.region, config.deploy.endpoints);
            const common = { endpoint, region: login.region, credentials, fetch: ports.fetch, clock: ports.clock };
            const temporary = login.edition === 'enterprise'
                ? await getEnterpriseLogin({ ...common, instanceId: login.instanceId })
                : await getPersonalLogin(common);
            const result = mask(temporary.username, temporary.password);
            ports.logger.info(`temporary ACR login for ${temporary.username}${temporary.expiresAt ? `, valid until ${temporary.expiresAt.toISOString()}` : ''}`);
            return result;
        }
        case 'anonymous':
            return undefined;
    }
}
/** The SWR API's temporary login for `region` (the cloud clients load with cloud-steps.ts). */
async function swrTemporaryLogin(config, ports, region) {
    const { createTemporaryLogin, huaweiClientFor } = await __webpack_require__.e(/* import() */ 230).then(__webpack_require__.bind(__webpack_require__, 7230));
    return createTemporaryLogin(huaweiClientFor(config, ports, region), region);
}

// EXTERNAL MODULE: ./build/src/deploy/kubernetes/mask-secrets.js + 1 modules
var mask_secrets = __webpack_require__(1353);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
;// CONCATENATED MODULE: ./build/src/build/build-command.js

/** Pure: the docker argv for a build. Kept separate so it can be printed in a dry run and unit-tested. */
function buildCommand(input) {
    const { settings } = input;
    const args = input.builder === 'buildx' ? ['buildx', 'build'] : ['build'];
    if (input.builder === 'buildx' && settings.builder !== '' && settings.builder !== 'classic')
        args.push('--builder', settings.builder);
    args.push('--file', settings.dockerfile);
    if (!input.pushByDigest)
        for (const reference of input.references)
            args.push('--tag', reference);
    for (const [name, value] of input.labels)
        args.push('--label', `${name}=${value}`);
    for (const [name, value] of settings.buildArgs)
        args.push('--build-arg', `${name}=${value}`);
    if (settings.target !== '')
        args.push('--target', settings.target);
    if (settings.noCache)
        args.push('--no-cache');
    if (settings.pull)
        args.push('--pull');
    for (const source of settings.cacheFrom)
        args.push('--cache-from', source);
    const secretFiles = [];
    let loadsLocally = true;
    if (input.builder === 'buildx') {
        if (settings.platforms.length > 0)
            args.push('--platform', settings.platforms.join(','));
        for (const annotation of input.annotations ?? [])
            args.push('--annotation', annotation);
        for (const destination of settings.cacheTo)
            args.push('--cache-to', destination);
        for (const secret of settings.secrets) {
            if (secret.kind === 'value') {
                const path = (0,external_node_path_.join)(input.secretDir ?? '.', `secret-${secretFiles.length + 1}`);
                secretFiles.push({ path, value: secret.value });
                args.push('--secret', `id=${secret.id},src=${path}`);
            }
            else if (secret.kind === 'file') {
                args.push('--secret', `id=${secret.id},src=${secret.path}`);
            }
            else {
                args.push('--secret', `id=${secret.id},env=${secret.variable}`);
            }
        }
        args.push('--metadata-file', input.resultFile);
        // A multi-platform build cannot be loaded into the classic image store, so
        // pushing happens in the build; a single-platform one is also loaded so
        // later steps can `docker run` it.
        if (input.pushByDigest) {
            args.push('--output', `type=image,name=${input.destination ?? ''},push-by-digest=true,name-canonical=true,push=true`);
        }
        else {
            args.push(input.push ? '--push' : '--load');
        }
        // buildx ≥ 0.10 adds a provenance attestation by default, which turns the
        // image into an index; FunctionGraph wants one image manifest, so it is off
        // unless asked for.
        if (input.attestationFlags ?? true)
            args.push(`--provenance=${settings.provenance || 'false'}`);
        if (settings.sbom !== '')
            args.push(`--sbom=${settings.sbom}`);
        loadsLocally = !input.pushByDigest && (!input.push || input.driver === 'docker');
    }
    else {
        // A failed RUN would leave its stopped container behind on the runner; BuildKit never does.
        args.push('--force-rm', '--iidfile', input.resultFile);
    }
    args.push(settings.context);
    return {
        builder: input.builder,
        args,
        env: input.builder === 'classic' ? { DOCKER_BUILDKIT: '0' } : {},
        resultFile: input.resultFile,
        pushesItself: input.builder === 'buildx' && input.push,
        loadsLocally,
        secretFiles,
    };
}

;// CONCATENATED MODULE: ./build/src/build/builder-capabilities.js
const SETUP_BUILDX = 'add docker/setup-buildx-action before this step (its builder is used automatically), or name a BuildKit builder in builder';
function decideBuilder({ settings, pushByDigest, dryRun, annotations = false }, docker) {
    const problems = [];
    const warnings = [];
    const wantsClassic = settings.builder === 'classic';
    if (!docker.buildx || wantsClassic) {
        if (!docker.buildx && !wantsClassic && settings.builder !== '' && !dryRun) {
            problems.push(`builder: "${settings.builder}" is a buildx builder, but docker buildx is not installed: add docker/setup-buildx-action (or install the docker-buildx plugin), or remove builder`);
        }
        problems.push(...classicLimits(settings, pushByDigest, wantsClassic, annotations));
        return { builder: 'classic', driver: '', problems, warnings };
    }
    const info = docker.builder;
    if (!info) {
        const named = settings.builder === '' ? 'the current buildx builder' : `buildx builder "${settings.builder}"`;
        problems.push(`builder: ${named} cannot be used (${docker.builderProblem || 'docker buildx inspect failed'}): check \`docker buildx ls\`, create it (docker/setup-buildx-action), or set builder to one that exists`);
        return { builder: 'buildx', driver: '', problems, warnings };
    }
    // buildx refuses push-by-digest on the docker driver even with the containerd image store (seen with buildx 0.13).
    if (pushByDigest && info.driver === 'docker') {
        problems.push(`push-by-digest: the buildx builder "${info.name}" uses the docker driver, which cannot push an image by digest without a tag: ${SETUP_BUILDX}, or push per-platform tags (e.g. type=sha,suffix=-arm64) and merge their digests`);
    }
    const plainDockerDriver = info.driver === 'docker' && !docker.containerdStore;
    if (plainDockerDriver) {
        const limit = (input, what) => `${input}: the buildx builder "${info.name}" uses the docker driver, which cannot ${what}: ${SETUP_BUILDX}, or turn on the containerd image store in the Docker daemon`;
        const exported = settings.cacheTo.filter((destination) => !/(^|,)type=inline(,|$)/.test(destination));
        if (exported.length > 0)
            problems.push(limit('cache-to', `export a build cache (${exported[0]})`));
        if (settings.platforms.length > 1)
            problems.push(limit('platforms', `build several platforms at once (${settings.platforms.join(', ')})`));
        if (settings.provenance !== '')
            problems.push(limit('provenance', 'attach attestations'));
        if (settings.sbom !== '')
            problems.push(limit('sbom', 'attach attestations'));
        // Seen with dockerd 20.10: the build succeeds and the pushed manifest simply has no annotations.
        if (annotations)
            problems.push(limit('annotations', 'add annotations (it pushes the image without them)'));
    }
    if (annotations && docker.buildxVersion !== '' && olderThan(docker.buildxVersion, '0.12.0')) {
        problems.push(`annotations: buildx --annotation needs buildx 0.12 or newer, and this runner has ${docker.buildxVersion}: update buildx (docker/setup-buildx-action installs a current one), or remove annotations`);
    }
    if ((settings.provenance !== '' || settings.sbom !== '') && docker.buildxVersion !== '' && olderThan(docker.buildxVersion, '0.10.0')) {
        problems.push(`${settings.provenance !== '' ? 'provenance' : 'sbom'}: attestations need buildx 0.10 or newer, and this runner has ${docker.buildxVersion}: update buildx (docker/setup-buildx-action installs a current one)`);
    }
    const known = new Set(info.platforms.map(baseOf));
    const foreign = settings.platforms.filter((platform) => known.size > 0 && !known.has(baseOf(platform)));
    if (foreign.length > 0 && !plainDockerDriver) {
        // Not an error: a Dockerfile without RUN (FROM scratch + COPY) builds for any platform.
        warnings.push(`platforms: builder "${info.name}" does not list ${foreign.join(', ')} (it lists ${info.platforms.join(', ')}): RUN steps for those platforms need emulation (docker/setup-qemu-action) or a native node`);
    }
    return { builder: 'buildx', driver: info.driver, problems, warnings };
}
/** What only BuildKit (buildx) can do. */
function classicLimits(settings, pushByDigest, chosen, annotations) {
    const problems = [];
    const needs = (input, extra = '') => chosen
        ? `${input}: needs docker buildx, but builder: classic selects the classic builder${extra}: remove builder: classic, or remove ${input}`
        : `${input}: needs docker buildx, which this runner lacks${extra}: add docker/setup-buildx-action before this step (or install the docker-buildx plugin), or remove ${input}`;
    if (settings.platforms.length > 0)
        problems.push(needs('platforms'));
    if (settings.cacheTo.length > 0)
        problems.push(needs('cache-to'));
    const buildxCache = settings.cacheFrom.find((source) => source.includes('type='));
    if (buildxCache)
        problems.push(`cache-from: "${buildxCache}" is a buildx cache source; ${needs('cache-from').replace(/^cache-from: /, '')} (or give an image reference)`);
    const secret = settings.secrets[0];
    if (secret)
        problems.push(needs(secret.kind === 'value' ? 'secrets' : secret.kind === 'file' ? 'secret-files' : 'secret-envs', ' (build secrets are a BuildKit feature)'));
    if (settings.provenance !== '')
        problems.push(needs('provenance'));
    if (settings.sbom !== '')
        problems.push(needs('sbom'));
    if (pushByDigest)
        problems.push(needs('push-by-digest', ' (the classic builder cannot push without a tag)'));
    if (annotations)
        problems.push(needs('annotations', ' (the classic builder cannot add annotations; also unset DOCKER_METADATA_ANNOTATIONS_LEVELS)'));
    return problems;
}
/** linux/arm64/v8 and linux/arm64 are the same machine for this check. */
function baseOf(platform) {
    return platform.split('/').slice(0, 2).join('/');
}
function olderThan(version, than) {
    const a = version.split('.').map(Number);
    const b = than.split('.').map(Number);
    for (let i = 0; i < 3; i++)
        if ((a[i] ?? 0) !== (b[i] ?? 0))
            return (a[i] ?? 0) < (b[i] ?? 0);
    return false;
}

// EXTERNAL MODULE: ./build/src/domain/input-syntax.js
var input_syntax = __webpack_require__(9260);
;// CONCATENATED MODULE: ./build/src/build/dockerfile.js



/**
 * Checks the build context and Dockerfile exist. Docker's own error for a
 * missing Dockerfile is cryptic, and `dockerfile` vs `Dockerfile` trips people
 * up on case-sensitive runners after working on macOS/Windows, so a
 * file differing only in case is named in the hint.
 * A context that names a file is usually the Dockerfile itself: the fix then
 * names both options.
 * Returns problems in the `input: what is wrong: fix` form, the fix in the
 * user's syntax (`syntax`); empty when fine.
 */
function checkBuildFiles(context, dockerfile, dockerfileGiven, cwd, syntax = 'action') {
    // Relative to the workspace as the user typed it; a path outside it in full.
    const shown = (path) => {
        const inside = (0,external_node_path_.relative)(cwd, path);
        return inside.startsWith('..') ? path : inside || '.';
    };
    if (isFile(context)) {
        const file = dockerfileGiven ? dockerfile : context;
        return [
            `context: "${shown(context)}" is a file, but context is the folder sent to the build: ` +
                `use ${(0,input_syntax/* settings */.W0)(syntax, [['context', shown((0,external_node_path_.dirname)(context))], ['dockerfile', shown(file)]])}`,
        ];
    }
    if (!isDirectory(context)) {
        return [`context: directory "${shown(context)}" does not exist: set context to the folder holding your sources`];
    }
    if ((0,external_node_fs_.existsSync)(dockerfile) && (0,external_node_fs_.statSync)(dockerfile).isFile())
        return [];
    const folder = (0,external_node_path_.dirname)(dockerfile);
    const wanted = (0,external_node_path_.basename)(dockerfile);
    const sameButCase = isDirectory(folder)
        ? (0,external_node_fs_.readdirSync)(folder).find((name) => name !== wanted && name.toLowerCase() === wanted.toLowerCase())
        : undefined;
    if (sameButCase) {
        return [
            `dockerfile: "${shown(dockerfile)}" not found, but "${shown(`${folder}/${sameButCase}`)}" exists: file names are case-sensitive; rename it to ${wanted} or set ${(0,input_syntax/* setting */.Pe)(syntax, 'dockerfile', shown(`${folder}/${sameButCase}`))}`,
        ];
    }
    return [
        dockerfileGiven
            ? `dockerfile: "${shown(dockerfile)}" not found: check the path (relative to the workspace)`
            : `dockerfile: no Dockerfile in context "${shown((0,external_node_path_.dirname)(dockerfile))}": add one, or set dockerfile to its path`,
    ];
}
function isFile(path) {
    try {
        return (0,external_node_fs_.statSync)(path).isFile();
    }
    catch {
        return false;
    }
}
function isDirectory(path) {
    try {
        return (0,external_node_fs_.statSync)(path).isDirectory();
    }
    catch {
        return false;
    }
}

// EXTERNAL MODULE: ./build/src/domain/targets/url-secrets.js
var url_secrets = __webpack_require__(6378);
// EXTERNAL MODULE: ./build/src/domain/retention/policy.js + 1 modules
var policy = __webpack_require__(4288);
// EXTERNAL MODULE: ./build/src/domain/tags/index.js + 19 modules
var tags = __webpack_require__(9268);
;// CONCATENATED MODULE: ./build/src/domain/labels.js

/**
 * The OCI annotations docker/metadata-action computes for both its `labels`
 * and `annotations` outputs: title, description, url, source, version,
 * created, revision and licenses, each present even when empty. imageship
 * reads the repository's name, description and license from what the CI
 * tells (the GitHub event payload; GitLab's CI_PROJECT_DESCRIPTION) instead
 * of calling the GitHub API.
 */
function ociAnnotations(source, version, created) {
    return [
        ['org.opencontainers.image.title', repositoryName(source.repositoryUrl)],
        ['org.opencontainers.image.description', source.repositoryDescription ?? ''],
        ['org.opencontainers.image.url', source.repositoryUrl],
        ['org.opencontainers.image.source', source.repositoryUrl],
        ['org.opencontainers.image.version', version],
        ['org.opencontainers.image.created', created.toISOString()],
        ['org.opencontainers.image.revision', source.sha],
        ['org.opencontainers.image.licenses', source.repositoryLicense ?? ''],
    ];
}
/** Compiles `name=value` pairs whose values may hold templates; throws RuleSyntaxProblem for an unknown one. */
function compileEntries(pairs) {
    return pairs.map(([name, value]) => [name, (0,tags/* compileTemplate */.Gq)(value, tags/* SOURCE_TEMPLATE_NAMES */.AN)]);
}
/**
 * The computed set with the user's entries over it (a user entry replaces the
 * computed one of the same name), sorted by name as metadata-action sorts
 * them. Used for the image labels and, with the `annotations` input, for the
 * annotations.
 */
function withUserEntries(computed, user, context) {
    const merged = new Map(computed);
    for (const [name, value] of user)
        merged.set(name, (0,tags/* expandTemplate */.Ly)(value, context));
    return [...merged].sort(([a], [b]) => compareNames(a, b));
}
/**
 * ICU's en-US order (String#localeCompare, as metadata-action sorts), without
 * loading ICU's collation data (≈ 8 ms at start-up) for the names nearly
 * every label has: lowercase letters, digits, `.`, `_` and `-`. There every
 * character has a primary weight of its own (punctuation before digits
 * before letters; `_` < `-` < `.`), so comparing those weights in order is
 * the whole comparison. Any other character falls back to localeCompare.
 */
const PRIMARY_ORDER = new Map([...'_-.0123456789abcdefghijklmnopqrstuvwxyz'].map((character, weight) => [character, weight]));
const SIMPLE_NAME = /^[a-z0-9._-]*$/;
function compareNames(a, b) {
    if (!SIMPLE_NAME.test(a) || !SIMPLE_NAME.test(b))
        return a.localeCompare(b, 'en-US');
    const shorter = Math.min(a.length, b.length);
    for (let i = 0; i < shorter; i++) {
        const difference = PRIMARY_ORDER.get(a[i]) - PRIMARY_ORDER.get(b[i]);
        if (difference !== 0)
            return difference;
    }
    return a.length - b.length;
}
/** The last path segment of the repository's web URL (`https://github.com/octocat/Hello-World` → `Hello-World`). */
function repositoryName(url) {
    return url.replace(/\/+$/, '').split('/').pop() ?? '';
}

;// CONCATENATED MODULE: ./build/src/app/metadata.js


/** The source as metadata-action sees it: with DOCKER_METADATA_PR_HEAD_SHA, a pull request is its head commit. */
function metadataSource(source, settings) {
    if (!settings.pullRequestHeadSha || source.event !== 'pr' || !source.pullRequestHeadSha)
        return source;
    return { ...source, sha: source.pullRequestHeadSha };
}
/** Throws what computeTags throws (a TagRuleError, or the "no tag applies" Error). */
function computeRunMetadata(input) {
    const { settings } = input;
    const source = metadataSource(input.source, settings);
    const now = settings.sourceDateEpoch ?? input.now;
    const commitDate = source.commitDate ? new Date(source.commitDate) : now;
    const computed = (0,tags/* computeTags */.$o)({ rules: input.rules, destination: input.destination, flavor: settings.flavor, shortShaLength: settings.shortShaLength }, source, { now, commitDate });
    const context = { values: (0,tags/* sourceTemplateValues */.UN)(source, settings.shortShaLength), now, commitDate };
    const oci = ociAnnotations(source, computed.version, now);
    const annotations = withUserEntries(oci, compileEntries(settings.annotations), context);
    return {
        tags: computed.tags,
        fixedTags: computed.fixed,
        version: computed.version,
        labels: withUserEntries(oci, compileEntries(input.userLabels), context),
        annotations,
        leveledAnnotations: settings.annotationLevels.flatMap((level) => annotations.map(([name, value]) => `${level}:${name}=${value}`)),
        userAnnotations: withUserEntries([], compileEntries(settings.annotations), context),
        notes: computed.notes,
        rewritten: computed.rewritten,
    };
}

// EXTERNAL MODULE: ./build/src/app/mode.js
var mode = __webpack_require__(906);
// EXTERNAL MODULE: ./build/src/domain/package-defaults.js
var package_defaults = __webpack_require__(7601);
// EXTERNAL MODULE: ./build/src/package/source-name.js
var source_name = __webpack_require__(6385);
;// CONCATENATED MODULE: ./build/src/package/describe.js


function describePackage(settings, platforms) {
    const placement = (0,package_defaults/* placementFor */.$0)(settings.type, settings.workdir);
    const lines = [
        `package:   ${(0,source_name/* describeSource */.B)(settings.source)} (${settings.type}${settings.version !== '' ? `, version ${settings.version}` : ''}) → ${placement.path}${placement.kind === 'unpack' ? ' (unpacked)' : ''}; no Dockerfile, no docker`,
        `base:      ${settings.baseImageText}${platforms.length > 0 ? ` (platforms ${platforms.join(', ')})` : ' (every platform it has)'}; its layers are mounted or skipped, never downloaded when on the destination registry`,
    ];
    if (settings.entrypoint)
        lines.push(`entrypoint: ${JSON.stringify(settings.entrypoint)}`);
    if (settings.cmd)
        lines.push(`cmd:       ${JSON.stringify(settings.cmd)}`);
    if (settings.sha256 !== '')
        lines.push(`checksum:  sha256 ${settings.sha256}`);
    return lines;
}

;// CONCATENATED MODULE: ./build/src/package/plan-checks.js
/** What a package run checks at plan time, before anything is logged in, fetched or pushed. */


function packagePlanProblems(settings, cwd) {
    if (settings.source.kind !== 'local')
        return [];
    const path = settings.source.path;
    const full = (0,external_node_path_.isAbsolute)(path) ? path : (0,external_node_path_.resolve)(cwd, path);
    if (!(0,external_node_fs_.existsSync)(full))
        return [`package: ${path} does not exist (relative to the workspace ${cwd}): check the path, or build the package in an earlier step`];
    const info = (0,external_node_fs_.statSync)(full);
    if (!info.isFile())
        return [`package: ${path} is not a file: give the package file (a .jar, .war, .tgz or .zip)`];
    if (info.size > settings.maxBytes)
        return [`package: ${path} is ${info.size} bytes, more than package-max-size (${settings.maxBytes} bytes): raise package-max-size if the package really is that large`];
    return [];
}

// EXTERNAL MODULE: ./build/src/config/parse-deploy.js + 1 modules
var parse_deploy = __webpack_require__(570);
;// CONCATENATED MODULE: ./build/src/app/plan-steps.js


/** Everything the run does, in the order it does it. */
function planSteps({ config, mode, pushesItself, builder, references }) {
    const steps = [];
    if (config.keyless)
        steps.push({ kind: 'keyless' });
    if (config.copy.createNamespace)
        steps.push({ kind: 'create-namespace', namespace: config.repository.split('/')[0] ?? '' });
    const { entries } = config.registryAuth;
    if (entries.length > 0)
        steps.push({ kind: 'registry-auth', registries: entries.map((entry) => entry.registry) });
    steps.push({ kind: 'credentials', registry: config.registry });
    switch (mode) {
        case 'deploy-only':
            steps.push({ kind: 'find-image', reference: config.destination });
            break;
        case 'copy': {
            const source = config.copy.sourceImage;
            steps.push({ kind: 'copy', source: source ? `${source.registry}/${source.repository}` : '' });
            break;
        }
        case 'merge':
            steps.push({ kind: 'merge', digests: config.copy.mergeDigests.length });
            break;
        case 'package':
            steps.push({ kind: 'package', packageType: config.package?.type ?? '' });
            break;
        case 'build':
            // An anonymous run has nothing to log in with; any other login is used when its credentials resolve.
            if (config.login.kind !== 'anonymous')
                steps.push({ kind: 'login', registry: config.registry });
            steps.push({ kind: 'build', builder: builder ?? 'buildx' });
            if (config.push && !pushesItself)
                steps.push({ kind: 'push', references: [...references] });
            break;
    }
    // A build without push leaves the image local: nothing to verify, replicate, prune or deploy.
    const pushed = mode !== 'deploy-only' && (mode !== 'build' || config.push);
    if (pushed) {
        steps.push({ kind: 'verify', check: mode === 'build' && config.copy.pushByDigest ? 'pushed-digest' : 'tags' });
        for (const replica of config.copy.replicateTo)
            steps.push({ kind: 'replicate', registry: replica.registry, repository: replica.repository });
        if (config.copy.retention)
            steps.push({ kind: 'retention', policy: (0,policy/* describeRetention */.u)(config.copy.retention) });
    }
    if ((pushed || mode === 'deploy-only') && (0,parse_deploy/* hasDeployTargets */.Kn)(config.deploy))
        steps.push({ kind: 'deploy' });
    return steps;
}
/** One plan line per step, numbered in run order (no secrets: steps hold only names and counts). */
function describeSteps(steps) {
    return steps.map((step, index) => `step ${String(index + 1).padStart(2)}:   ${describeStep(step)}`);
}
function describeStep(step) {
    switch (step.kind) {
        case 'keyless':
            return 'keyless: exchange the OIDC token for temporary credentials';
        case 'create-namespace':
            return `create-namespace: ${step.namespace} (if missing)`;
        case 'registry-auth':
            return `registry-auth: log in to ${step.registries.join(', ')}`;
        case 'credentials':
            return `credentials: resolve the login for ${step.registry}`;
        case 'find-image':
            return `find-image: look up ${step.reference} in the registry`;
        case 'login':
            return `login: docker login to ${step.registry}`;
        case 'build':
            return `build: ${step.builder}`;
        case 'push':
            return `push: docker push ${step.references.length} tag(s)`;
        case 'copy':
            return `copy: ${step.source} → destination`;
        case 'merge':
            return `merge: ${step.digests} digest(s) → one index`;
        case 'package':
            return `package: assemble the image from the ${step.packageType} package`;
        case 'verify':
            return step.check === 'tags' ? "verify: every tag at one digest (the registry's answers to the writes, else a HEAD per tag)" : 'verify: the digest buildx pushed is in the registry';
        case 'replicate':
            return `replicate: → ${step.registry}/${step.repository}`;
        case 'retention':
            return `retention: ${step.policy}`;
        case 'deploy':
            return 'deploy: the targets listed above';
    }
}

;// CONCATENATED MODULE: ./build/src/app/plan.js
















const NO_METADATA = Object.freeze({ version: '', labels: [], annotations: [] });
/**
 * Derives the plan and checks everything that needs the source context, the
 * file system or the docker tools. Throws ConfigError with every problem.
 */
function makePlan(input) {
    const decided = decidePlan(input);
    const steps = planSteps({ config: input.config, mode: decided.mode, pushesItself: decided.build?.pushesItself, builder: decided.build?.builder, references: decided.references });
    return Object.freeze({ ...decided, steps: Object.freeze(steps) });
}
function decidePlan(input) {
    const { config } = input;
    const problems = [];
    const { loginUser, loginHint, deniedHint } = describeLogin(config);
    const mode = modeOf(config);
    if (mode === 'deploy-only' && config.deployImage) {
        // Deploy-only: no docker, no build; the image is checked in the registry instead.
        const tag = config.deployImage.tag ?? config.deploy.functionTag;
        const login = deployImageLogin(config, { loginUser, loginHint });
        return Object.freeze({
            config,
            ...login,
            deniedHint,
            mode: 'deploy-only',
            tags: tag === '' ? [] : [tag],
            references: tag === '' ? [] : [`${config.destination}:${tag}`],
            version: '',
            labels: [],
            metadata: NO_METADATA,
            manifestAnnotations: {},
            build: undefined,
            deployTag: tag,
            warnings: [],
        });
    }
    let meta;
    try {
        meta = computeRunMetadata({
            rules: config.tagRules,
            destination: config.destination,
            userLabels: config.build.labels,
            settings: config.metadata,
            source: input.source,
            now: input.now,
        });
    }
    catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        problems.push(message.startsWith('tags:') ? message : `tags: ${message}`);
    }
    const tags = meta?.tags ?? [];
    const version = meta?.version ?? '';
    const metadata = meta ? { version, labels: meta.labels, annotations: meta.leveledAnnotations } : NO_METADATA;
    const deployTag = chooseDeployTag(config, tags, meta?.fixedTags ?? [], problems);
    const references = tags.map((tag) => `${config.destination}:${tag}`);
    const notes = meta?.notes ?? [];
    if (mode === 'package' && config.package) {
        // Assembled through the registry API from a software package: no Dockerfile, no docker daemon (src/package/).
        problems.push(...packagePlanProblems(config.package, input.cwd));
        if (problems.length > 0)
            throw new types/* ConfigError */.x(problems);
        return Object.freeze({ config, loginUser, loginHint, deniedHint, mode: 'package', tags, references, version, labels: meta?.labels ?? [], metadata, manifestAnnotations: {}, build: undefined, deployTag, warnings: notes, tagRewrites: meta?.rewritten ?? [] });
    }
    if (mode !== 'build') {
        // Registry to registry: no Dockerfile, no docker daemon.
        if (problems.length > 0)
            throw new types/* ConfigError */.x(problems);
        // A merged index is new, so it always carries the annotations; a copy keeps its digest unless annotations are asked for.
        const manifestAnnotations = Object.fromEntries(mode === 'merge' ? (meta?.annotations ?? []) : (meta?.userAnnotations ?? []));
        return Object.freeze({ config, loginUser, loginHint, deniedHint, mode, tags, references, version, labels: [], metadata, manifestAnnotations, build: undefined, deployTag, warnings: notes, tagRewrites: meta?.rewritten ?? [] });
    }
    problems.push(...checkBuildFiles(config.build.context, config.build.dockerfile, config.build.dockerfileGiven, input.cwd));
    problems.push(...checkDocker(input));
    const annotate = config.metadata.applyAnnotations;
    const decision = decideBuilder({ settings: config.build, pushByDigest: config.copy.pushByDigest, dryRun: config.dryRun, annotations: annotate }, input.docker);
    problems.push(...decision.problems);
    const indexLevel = config.metadata.annotationLevels.find((level) => level.startsWith('index'));
    if (annotate && indexLevel !== undefined && config.build.platforms.length < 2) {
        problems.push(`DOCKER_METADATA_ANNOTATIONS_LEVELS: "${indexLevel}" annotations need an index, which only a multi-platform build makes (BuildKit refuses index annotations for a single platform): use manifest, or build two or more platforms`);
    }
    for (const secret of config.build.secrets) {
        if (secret.kind === 'file' && !(0,external_node_fs_.existsSync)(secret.path))
            problems.push(`secret-files: ${secret.path} (secret ${secret.id}) does not exist: check the path (relative to the workspace)`);
    }
    if ((config.build.provenance !== '' || config.build.sbom !== '') && config.deploy.functionUrns.length > 0) {
        problems.push(`${config.build.provenance !== '' ? 'provenance' : 'sbom'}: an attestation turns the pushed image into an index, and FunctionGraph (function-urn) takes only a single image manifest: remove ${config.build.provenance !== '' ? 'provenance' : 'sbom'}, or deploy the function from another step`);
    }
    if (problems.length > 0)
        throw new types/* ConfigError */.x(problems);
    const labels = meta?.labels ?? [];
    const builder = decision.builder;
    const capabilities = {
        builder,
        driver: decision.driver,
        attestationFlags: input.docker.buildxVersion === '' || !/^0\.[0-9]\./.test(input.docker.buildxVersion),
    };
    const command = buildCommand({
        builder,
        settings: config.build,
        references,
        labels,
        annotations: annotate ? (meta?.leveledAnnotations ?? []) : [],
        push: config.push,
        pushByDigest: config.copy.pushByDigest,
        destination: config.destination,
        resultFile: (0,external_node_path_.join)(input.tempDir, builder === 'buildx' ? 'build-metadata.json' : 'image-id.txt'),
        driver: capabilities.driver,
        attestationFlags: capabilities.attestationFlags,
        secretDir: input.tempDir,
    });
    const warnings = [...notes, ...decision.warnings];
    const built = { config, loginUser, loginHint, deniedHint, mode: 'build', version, labels, metadata, manifestAnnotations: {}, build: command, builder: capabilities, warnings, tagRewrites: meta?.rewritten ?? [] };
    if (config.copy.pushByDigest) {
        // No tag at all: the digest output is the handle a merge-digests step takes.
        return Object.freeze({ ...built, tags: [], references: [], deployTag: '' });
    }
    return Object.freeze({ ...built, tags, references, deployTag });
}
/** The run's mode, from the inputs that choose it. */
function modeOf(config) {
    return (0,mode/* runModeOf */.k)({ deployImage: config.deployImage !== undefined, package: config.package !== undefined, sourceImage: config.copy.sourceImage !== undefined, mergeDigests: config.copy.mergeDigests.length > 0 });
}
function checkDocker({ config, docker }) {
    const problems = [];
    if (!config.dryRun) {
        if (!docker.cli)
            problems.push('docker: the docker CLI was not found on PATH: install Docker, or run on a runner that has it (ubuntu-latest does)');
        else if (!docker.daemon)
            problems.push(`docker: the Docker daemon did not answer (${docker.problem}): start it, or run on a runner with Docker`);
    }
    return problems;
}
/**
 * `function-tag`, or the first fixed tag (a stable name such as `latest` is
 * what a function is usually meant to follow), or the first tag.
 */
function chooseDeployTag(config, tags, fixedTags, problems) {
    const wanted = config.deploy.functionTag;
    if (wanted !== '') {
        if (tags.length > 0 && !tags.includes(wanted))
            problems.push(`function-tag: "${wanted}" is not among the pushed tags (${tags.join(', ')}): pick one of them`);
        return wanted;
    }
    return fixedTags[0] ?? tags[0] ?? '';
}
/**
 * The login a deploy-only run reads its image with: the deploy-image host
 * may be anything (a public image elsewhere), and the configured login goes
 * only where it belongs (credential-scope.ts).
 */
function deployImageLogin(config, configured) {
    if (config.login.kind === 'anonymous')
        return configured;
    const choice = chooseLogin(config.registry, loginScopeOf(config, false));
    if (choice.kind === 'configured')
        return configured;
    if (choice.kind === 'swr-region' && config.login.kind === 'swr-aksk') {
        const loginUser = `${choice.region}@${(0,swr_login/* shortAccessKey */.a)(config.login.accessKey)}`;
        return { loginUser, loginHint: swrLoginHint(loginUser) };
    }
    if (choice.kind !== 'elsewhere')
        return configured;
    return {
        loginUser: '',
        loginHint: `${choice.why}: put a login for ${config.registry} in the Docker config, or set registry: ${config.registry} if the configured login is meant for it`,
    };
}
function describeLogin(config) {
    const { login } = config;
    switch (login.kind) {
        case 'swr-aksk': {
            const loginUser = `${login.region}@${(0,swr_login/* shortAccessKey */.a)(login.accessKey)}`;
            return { loginUser, loginHint: swrLoginHint(loginUser), deniedHint: SWR_DENIED };
        }
        case 'swr-temporary':
            return {
                loginUser: `temporary SWR login (${temporaryKeysOrigin(config)})`,
                loginHint: `the temporary SWR login was refused: check region, and that the ${config.keyless ? 'agency the OIDC token assumes' : 'temporary keys\' identity'} may use SWR (SWR Admin or a custom policy with swr:*:*)`,
                deniedHint: SWR_DENIED,
            };
        case 'acr-temporary':
            return {
                loginUser: `temporary login (${login.edition === 'enterprise' ? `instance ${login.instanceId}` : 'Personal Edition'}, ${config.keyless ? temporaryKeysOrigin(config) : `key ${(0,swr_login/* shortAccessKey */.a)(login.accessKeyId)}`})`,
                loginHint: `the temporary ACR login was refused: check that instance-id/region name the registry you push to, and that the RAM user may log in (cr:GetAuthorizationToken)`,
                deniedHint: ACR_DENIED,
            };
        case 'password':
            return {
                loginUser: login.username,
                loginHint: `check username and password for ${config.registry} (user ${login.username})`,
                deniedHint: config.provider === 'alibabacloud' ? ACR_DENIED : GENERIC_DENIED,
            };
        case 'anonymous':
            return {
                loginUser: '',
                loginHint: `${config.registry} needs a login: set username/password (or access-key/secret-key for SWR/ACR)`,
                deniedHint: GENERIC_DENIED,
            };
    }
}
/** Where a temporary login's keys come from, in the plan's words (no key material). */
function temporaryKeysOrigin(config) {
    const exchange = config.keyless?.exchange;
    if (exchange === undefined)
        return config.cloudCredentials ? `temporary key ${(0,swr_login/* shortAccessKey */.a)(config.cloudCredentials.accessKey)} with security token` : 'temporary keys';
    switch (exchange.kind) {
        case 'huawei-sts':
            return `keyless: OIDC token → STS AssumeAgencyWithOIDC, agency ${exchange.agencyUrn}`;
        case 'huawei-federation':
            return `keyless: OIDC token → IAM identity provider ${exchange.identityProvider} → temporary keys`;
        case 'alibaba-sts':
            return `keyless: OIDC token → STS AssumeRoleWithOIDC, role ${exchange.roleArn}`;
    }
}
function swrLoginHint(loginUser) {
    return `check access-key, secret-key and region: the login user is ${loginUser} and the password is derived from the secret key; both keys must belong to the account that owns the organization`;
}
const SWR_DENIED = 'the organization may belong to another account or the organization quota may be exhausted; create the organization in the SWR console under this account, or check the IAM user\'s SWR permissions';
const ACR_DENIED = 'the namespace may not exist (create it, or enable automatic repository creation for the namespace) or the RAM user lacks cr:PushRepository on it';
const GENERIC_DENIED = 'the user may lack push permission on this repository, or the repository must be created first';
/** Human-readable plan, printed in a dry run and at the start of a real one. */
function describePlan(plan) {
    const { config } = plan;
    const lines = [
        `registry:  ${config.registry} (${config.provider})`,
        `login:     ${plan.loginUser !== '' ? plan.loginUser : config.login.kind === 'anonymous' ? 'none (anonymous)' : `not sent to ${config.registry} (it is for ${config.loginRegistry}): the Docker config's login for it, else anonymous`}`,
        `image:     ${config.destination}`,
    ];
    if (plan.build) {
        lines.push(`tags:      ${plan.tags.join(', ')}`, `build:     docker ${plan.build.args.join(' ')}${plan.build.builder === 'classic' ? ' (classic builder, DOCKER_BUILDKIT=0)' : ''}`, `push:      ${config.push ? (plan.build.pushesItself ? 'by buildx, then verify digests' : 'docker push each tag, then verify digests') : 'no (local build only)'}`);
    }
    else if (plan.mode === 'copy') {
        const source = config.copy.sourceImage;
        lines.push(`tags:      ${plan.tags.join(', ')}`, `copy:      ${source ? `${source.registry}/${source.repository}${source.tag ? `:${source.tag}` : ''}${source.digest ? `@${source.digest}` : ''}` : ''} → registry to registry, no docker; blobs the destination has are skipped`);
    }
    else if (plan.mode === 'package' && config.package) {
        lines.push(`tags:      ${plan.tags.join(', ')}`, ...describePackage(config.package, config.build.platforms));
    }
    else if (plan.mode === 'merge') {
        lines.push(`tags:      ${plan.tags.join(', ')}`, `merge:     ${config.copy.mergeDigests.length} platform digest(s) → one index`);
    }
    else {
        lines.push(`deploy-only: ${config.deployImage?.tag ? `:${config.deployImage.tag}` : ''}${config.deployImage?.digest ? `@${config.deployImage.digest}` : ''} (checked in the registry, not built)`);
    }
    for (const { written, pushed } of plan.tagRewrites ?? []) {
        lines.push(`tag:       "${written}" is pushed as "${pushed}" (a Docker tag holds only letters, digits, "_", "." and "-", 128 at most)`);
    }
    const annotationCount = Object.keys(plan.manifestAnnotations).length;
    if (plan.mode === 'merge' && annotationCount > 0)
        lines.push(`annotations: ${annotationCount} on the new index`);
    if (plan.mode === 'copy' && annotationCount > 0)
        lines.push(`annotations: ${annotationCount} added to the copied manifest (so its digest changes)`);
    const { copy } = config;
    if (copy.createNamespace)
        lines.push(`namespace: create ${config.repository.split('/')[0]} if missing (SWR API)`);
    if (copy.loginMode === 'temporary')
        lines.push('login-mode: temporary (SWR API, 6 h)');
    for (const replica of copy.replicateTo)
        lines.push(`replicate: → ${replica.registry}/${replica.repository}`);
    for (const entry of config.registryAuth.entries)
        lines.push(`login+:    ${entry.registry} (registry-auth entry ${entry.index}: ${describeRegistryAuthEntry(entry)})`);
    if (copy.retention)
        lines.push(`retention: ${(0,policy/* describeRetention */.u)(copy.retention)} (tags just pushed are kept)`);
    const { deploy } = config;
    // What the function will run: the deploy tag, else the digest (deploy-only by digest, or a push by digest).
    const functionImage = plan.deployTag !== ''
        ? `${config.destination}:${plan.deployTag}`
        : `${config.destination}@${config.deployImage?.digest ?? '<digest of the push>'}`;
    for (const urn of deploy.functionUrns)
        lines.push(`function:  ${urn} ← ${functionImage}`);
    for (const workload of deploy.workloads)
        lines.push(`workload:  ${workload.text} ← pinned by digest (rollout-timeout ${deploy.rolloutTimeoutMs / 1000} s)`);
    for (const workload of deploy.cciWorkloads)
        lines.push(`cci:       ${workload.text} ← pinned by digest (rollout-timeout ${deploy.rolloutTimeoutMs / 1000} s)`);
    for (const name of deploy.fcFunctions)
        lines.push(`fc:        ${config.region}/${name} ← ${functionImage} (read back until FC resolves the pushed digest)`);
    for (const appId of deploy.saeAppIds)
        lines.push(`sae:       ${config.region}/${appId} ← ${functionImage} (change order followed, rollout-timeout ${deploy.rolloutTimeoutMs / 1000} s)`);
    for (const url of deploy.triggers)
        lines.push(`trigger:   POST ${(0,url_secrets/* redactUrl */.BO)(url)}`);
    for (const share of deploy.shareWith)
        lines.push(`share:     ${config.repository} with ${share.account} (${share.permit}${share.until ? ` until ${share.until}` : ', no end'})`);
    lines.push(...describeSteps(plan.steps));
    return lines;
}
/** A registry-auth entry in the plan: who logs in, never a secret. */
function describeRegistryAuthEntry(entry) {
    switch (entry.kind) {
        case 'password':
            return `user ${entry.username}`;
        case 'huaweicloud':
            return `SWR ${entry.region}, login from the step's Huawei Cloud keys`;
        case 'alibabacloud':
            return `ACR ${entry.region}${entry.edition === 'enterprise' ? ` instance ${entry.instanceId}` : ''}, temporary login from the step's Alibaba Cloud keys`;
    }
}

// EXTERNAL MODULE: ./build/src/registry/client.js + 14 modules
var registry_client = __webpack_require__(4496);
;// CONCATENATED MODULE: ./build/src/registry/clients.js

class RegistryClients {
    options;
    clients = new Map();
    constructor(options) {
        this.options = options;
    }
    /** The run's client for `registry` (host[:port]). */
    clientFor(registry) {
        const key = registry.toLowerCase();
        let client = this.clients.get(key);
        if (client === undefined) {
            client = Promise.resolve(this.options.credentialsFor(registry)).then((credentials) => this.make(registry, credentials));
            // A failed credential lookup is not remembered: the next step asks again and reports it.
            client.catch(() => this.clients.delete(key));
            this.clients.set(key, client);
        }
        return client;
    }
    /**
     * A client outside the shared set, for a login that differs from the
     * host's (source-credentials on the destination registry).
     */
    separate(registry, credentials) {
        return this.make(registry, credentials);
    }
    make(registry, credentials) {
        const { fetch, warn, onSecret } = this.options;
        return new registry_client/* RegistryClient */.bP({
            registry,
            fetch,
            ...(credentials ? { credentials } : {}),
            ...(warn ? { warn } : {}),
            ...(onSecret ? { onSecret } : {}),
        });
    }
}

;// CONCATENATED MODULE: ./build/src/app/run-clients.js



/**
 * The run's registry clients: the destination gets the run's login, the
 * source host its own (source-credentials or the Docker config), a package's
 * base image host the Docker config's login, any other host (a replica) what the credential-scoping rule gives it.
 */
function runClients(context) {
    const { config, ports } = context;
    return new RegistryClients({
        fetch: ports.fetch,
        warn: context.warn,
        onSecret: maskWith(ports),
        credentialsFor: (registry) => {
            if (registry === config.registry)
                return context.credentials;
            // A registry-auth entry is a login the user gave for that host: it serves a source, a base or a replica there.
            const entryLogin = context.registryAuthLogins?.get(registry.toLowerCase());
            if (registry === config.copy.sourceImage?.registry)
                return config.copy.sourceCredentials || !entryLogin ? sourceCredentials(context) : entryLogin;
            // A package's base image elsewhere is read as docker would pull it: with the Docker config's login for its host.
            if (registry === config.package?.baseImage.registry)
                return entryLogin ?? dockerConfigCredentials(registry, ports, context.env);
            return entryLogin ?? replicaCredentials(context, registry);
        },
    });
}
/** For RegistryClient's onSecret: every credential and token it holds is masked at once. */
function maskWith(ports) {
    return (secret) => ports.secrets.add(secret);
}
async function sourceCredentials(context) {
    const given = context.config.copy.sourceCredentials;
    if (given)
        return { username: given.username, password: given.password };
    const source = context.config.copy.sourceImage;
    return source ? dockerConfigCredentials(source.registry, context.ports, context.env) : undefined;
}
/**
 * A replica's login, by the credential-scoping rule (domain/credential-scope.ts):
 * another SWR region of the configured domain gets the SWR login derived for
 * it; a host listed in replicate-credentials gets the run's login; any other
 * host gets the Docker config's login for it, or none, and a warning says
 * the run's login was kept back.
 */
async function replicaCredentials(context, registry) {
    const { config, ports } = context;
    if (registry === config.registry)
        return context.credentials;
    const hasLogin = config.login.kind !== 'anonymous';
    const choice = chooseLogin(registry, loginScopeOf(config, true));
    if (hasLogin && choice.kind === 'swr-region')
        return derivedSwrCredentials(config, ports, choice.region);
    if (hasLogin && choice.kind === 'configured') {
        ports.logger.info(`replicate-to: ${registry} is listed in replicate-credentials: it gets this run's login`);
        return context.credentials;
    }
    const found = await dockerConfigCredentials(registry, ports, context.env);
    if (hasLogin && choice.kind === 'elsewhere') {
        if (found)
            ports.logger.info(`replicate-to: ${choice.why}; using the Docker config's login for ${registry}`);
        else
            ports.logger.warn(`replicate-to: ${choice.why}, and the Docker config has no login for it: copying without a login (list ${registry} in replicate-credentials to send this run's login)`);
    }
    return found;
}

// EXTERNAL MODULE: ./build/src/registry/docker-errors.js
var docker_errors = __webpack_require__(6461);
// EXTERNAL MODULE: ./build/src/domain/errors.js
var errors = __webpack_require__(3047);
;// CONCATENATED MODULE: ./build/src/registry/find-image.js



/**
 * Deploy-only runs: the image must exist before anything is deployed. A
 * digest is checked as given (a tag may have moved since the build job); a
 * bare tag is resolved to the digest it points at now, and that is what gets
 * pinned.
 */
async function findDeployImage(request) {
    const { reference } = request;
    const { client } = request;
    const lookup = reference.digest ?? reference.tag ?? '';
    const shown = `${reference.registry}/${reference.repository}${reference.tag ? `:${reference.tag}` : ''}${reference.digest ? `@${reference.digest}` : ''}`;
    let info;
    try {
        info = await client.headManifest(reference.repository, lookup);
    }
    catch (error) {
        if (error instanceof registry_client/* RegistryError */.gl) {
            throw new errors/* ImageshipError */.K((0,docker_errors/* explainRegistryError */.z)(`${error.status} ${error.code ?? ''} ${error.message}`, { operation: 'verify', registry: reference.registry, loginHint: request.loginHint }), { cause: error });
        }
        throw error;
    }
    if (!info) {
        throw new Error(`deploy-image: ${shown} is not in the registry: check that the build job pushed it (and its image/digest outputs were passed on)`);
    }
    const base = `${reference.registry}/${reference.repository}`;
    const named = request.tag !== '' ? `${base}:${request.tag}` : `${base}@${info.digest}`;
    return {
        registry: reference.registry,
        repository: reference.repository,
        tag: request.tag,
        digest: info.digest,
        reference: named,
        pinned: request.tag !== '' ? `${named}@${info.digest}` : named,
    };
}

// EXTERNAL MODULE: ./build/src/registry/login.js + 2 modules
var registry_login = __webpack_require__(2632);
;// CONCATENATED MODULE: ./build/src/registry/push-progress.js
/**
 * Progress of a `docker push`, in the shape a copy's progress has
 * (copy-progress.ts): one line per layer as it is settled (pushed, already in
 * the registry, mounted from another repository) and an alive line every few
 * seconds while layers are still under way, so a push of a 2 GB layer shows
 * it is alive instead of sitting silent after "Preparing".
 *
 * Docker writes progress bars only to a terminal. Into a pipe (a CI log),
 * Docker 20.10 and 26 write one line per status change and nothing in
 * between, checked on both:
 *
 *     The push refers to repository [registry/ns/app]
 *     489f4f598064: Preparing
 *     489f4f598064: Waiting
 *     489f4f598064: Pushed              (or "Layer already exists", "Mounted from ns/other")
 *     v1: digest: sha256:… size: 739
 *
 * Those per-layer status lines are replaced by ours (they carry the layer's
 * place in the count and its time); anything else docker says (the digest
 * line, retries, warnings, errors) passes through unchanged. Without a
 * terminal docker reports no byte counts, so the alive line counts layers
 * and time, not bytes.
 */
/** `<12 hex>: <status>`: docker's per-layer status line. */
const LAYER_LINE = /^([0-9a-f]{12}): (.+)$/;
const IN_FLIGHT = new Set(['Preparing', 'Waiting', 'Pushing']);
class PushProgress {
    options;
    layers = new Map();
    started;
    now;
    timer;
    constructor(options) {
        this.options = options;
        this.now = options.now ?? (() => performance.now());
        this.started = this.now();
        this.timer = setInterval(() => this.aliveLine(), options.intervalMs ?? 3_000);
        // The push itself keeps the process alive; the ticker must not.
        this.timer.unref();
    }
    /** Reads one line of docker's output; true when the line is replaced by ours (kept from the log). */
    observe(line) {
        const trimmed = line.trim();
        if (trimmed.startsWith('The push refers to repository'))
            return true;
        const match = LAYER_LINE.exec(trimmed);
        if (match === null)
            return false;
        const [, id = '', status = ''] = match;
        if (IN_FLIGHT.has(status)) {
            if (!this.layers.has(id))
                this.layers.set(id, 'waiting');
            return true;
        }
        const settled = settledState(status);
        if (settled === undefined)
            return false;
        const first = this.layers.get(id) !== settled;
        this.layers.set(id, settled);
        if (first)
            this.options.log(`layer ${id} ${describe(settled, status)} (${this.done()} of ${this.layers.size}, ${this.elapsed()})`);
        return true;
    }
    /** Layers settled so far, by how. */
    get counts() {
        const counts = { waiting: 0, pushed: 0, exists: 0, mounted: 0 };
        for (const state of this.layers.values())
            counts[state]++;
        return counts;
    }
    stop() {
        clearInterval(this.timer);
    }
    aliveLine() {
        const waiting = [...this.layers].filter(([, state]) => state === 'waiting').map(([id]) => id);
        if (waiting.length === 0)
            return;
        const shown = waiting.slice(0, 3).join(', ') + (waiting.length > 3 ? ` and ${waiting.length - 3} more` : '');
        this.options.log(`pushing ${this.options.reference}: ${this.done()} of ${this.layers.size} layer(s) done, ${this.elapsed()} so far; under way: ${shown}`);
    }
    done() {
        let done = 0;
        for (const state of this.layers.values())
            if (state !== 'waiting')
                done++;
        return done;
    }
    elapsed() {
        return `${((this.now() - this.started) / 1000).toFixed(1)} s`;
    }
}
function settledState(status) {
    if (status === 'Pushed')
        return 'pushed';
    if (status === 'Layer already exists')
        return 'exists';
    if (status.startsWith('Mounted from '))
        return 'mounted';
    return undefined;
}
function describe(state, status) {
    if (state === 'pushed')
        return 'pushed';
    if (state === 'exists')
        return 'already in the registry';
    return `mounted from ${status.slice('Mounted from '.length)}`;
}

;// CONCATENATED MODULE: ./build/src/registry/push.js



class PushError extends errors/* ImageshipError */.K {
    constructor(message) {
        super(message);
        this.name = 'PushError';
    }
}
/**
 * Pushes each reference with `docker push`. The first push uploads the
 * layers; the others only add a tag, so they are cheap. Returns the digest
 * docker printed for each reference (the registry is asked again afterwards:
 * that is the digest imageship reports). Docker's per-layer status lines
 * become progress lines (push-progress.ts): one per layer settled and an
 * alive line every few seconds while layers are under way.
 */
async function pushReferences(exec, logger, references, registry, hints, env, progress = {}) {
    const digests = new Map();
    for (const reference of references) {
        const watch = new PushProgress({ log: (line) => logger.info(line), reference, ...progress });
        let result;
        try {
            result = await exec({ command: 'docker', args: ['push', reference], env, hideLine: (line) => watch.observe(line) });
        }
        finally {
            watch.stop();
        }
        if (result.exitCode !== 0) {
            throw new PushError((0,docker_errors/* explainRegistryError */.z)(`${result.stderr}\n${result.stdout}`, { operation: 'push', registry, ...hints }));
        }
        const digest = /digest: (sha256:[0-9a-f]{64})/.exec(result.stdout)?.[1] ?? '';
        digests.set(reference, digest);
        logger.debug(`pushed ${reference} ${digest}`);
    }
    return digests;
}

// EXTERNAL MODULE: ./build/src/registry/copy.js + 3 modules
var copy = __webpack_require__(8055);
// EXTERNAL MODULE: ./build/src/domain/image/media-types.js
var media_types = __webpack_require__(8408);
;// CONCATENATED MODULE: ./build/src/registry/verify.js



class VerifyError extends errors/* ImageshipError */.K {
    constructor(message, options = {}) {
        super(message, options);
        this.name = 'VerifyError';
    }
}
/**
 * Asks the registry itself (not docker's output) which manifest each tag
 * points at, and requires one digest for all of them. This catches a push
 * that half-failed, a tag overwritten by a concurrent job, or a proxy that
 * rewrote the manifest. A tag in `confirmed` is not asked for again: the
 * registry's own answer to this run's write of it is the same evidence, one
 * round trip earlier.
 */
async function verifyPushedTags(request) {
    const { client } = request;
    const registry = client.registry;
    const digests = new Map();
    for (const tag of request.tags) {
        const confirmed = request.confirmed?.get(tag);
        if (confirmed !== undefined) {
            digests.set(tag, confirmed);
            continue;
        }
        let info;
        try {
            info = await client.headManifest(request.repository, tag);
        }
        catch (error) {
            if (error instanceof registry_client/* RegistryError */.gl) {
                throw new VerifyError((0,docker_errors/* explainRegistryError */.z)(`${error.status} ${error.code ?? ''} ${error.message}`, { operation: 'verify', registry, loginHint: request.loginHint }), { cause: error });
            }
            throw error;
        }
        if (!info)
            throw new VerifyError(`verify: ${registry}/${request.repository}:${tag} is missing from the registry after the push: re-run; if it persists the registry may be dropping pushes`);
        digests.set(tag, info.digest);
    }
    const distinct = new Set(digests.values());
    if (distinct.size !== 1) {
        const listing = [...digests].map(([tag, digest]) => `${tag}=${digest}`).join(', ');
        throw new VerifyError(`verify: the pushed tags point at different manifests (${listing}): another job may have pushed the same tags at once`);
    }
    const [digest] = distinct;
    if (request.expectedDigest && request.expectedDigest !== digest) {
        throw new VerifyError(`verify: the builder reported ${request.expectedDigest} but the registry serves ${digest}`);
    }
    return digest;
}

// EXTERNAL MODULE: ./build/src/domain/image/digest.js + 1 modules
var image_digest = __webpack_require__(3112);
// EXTERNAL MODULE: ./build/src/registry/tag-confirmations.js
var tag_confirmations = __webpack_require__(6017);
;// CONCATENATED MODULE: ./build/src/registry/transfer.js





/**
 * `source-image` → the destination under `tags`. Within one repository this
 * is a retag (manifest PUTs only); otherwise the daemonless copy, which skips
 * blobs the destination has and mounts those living in another repository of
 * the same registry. Returns the digest, identical on both sides unless
 * `annotations` are added to the top manifest, and the tags the registry
 * confirmed at it.
 */
async function copySourceToDestination(context, tags, annotations = {}) {
    const { ports } = context;
    const source = context.source?.image;
    if (!source)
        throw new Error('internal: copy mode needs a source-image');
    const reference = source.digest ?? source.tag ?? 'latest';
    const destination = await destinationClient(context);
    if (source.registry === context.registry && source.repository === context.repository) {
        const retagged = await (0,copy/* retagImage */.jn)(destination, context.repository, reference, tags, annotations);
        ports.logger.info(`retagged ${context.repository}@${retagged.digest} as ${tags.join(', ')} (no blob moved)`);
        return { digest: retagged.digest, confirmed: retagged.confirmed };
    }
    const sourceLogin = context.source?.credentials;
    const sameRegistry = source.registry === context.registry && !sourceLogin;
    const sourceClient = sameRegistry
        ? destination
        : source.registry === context.registry
            ? context.clients.separate(source.registry, sourceLogin)
            : await context.clients.clientFor(source.registry);
    const result = await (0,copy/* copyImage */.L1)({
        source: { client: sourceClient, repository: source.repository, reference },
        destination: { client: destination, repository: context.repository },
        tags,
        annotations,
        log: (line) => ports.logger.info(line),
        ...concurrencyOption(context),
    });
    ports.logger.info(`${result.digest}: ${result.blobsCopied} blob(s) copied (${formatBytes(result.bytesCopied)}), ${result.blobsMounted} mounted, ${result.blobsSkipped} already there; ${result.manifests} manifest(s)`);
    return { digest: result.digest, confirmed: result.confirmed };
}
/**
 * `replicate-to`: the verified image (by digest) copied to another registry
 * or repository under the same tags, then read back there.
 */
async function replicateTo(context, replica, tags, digest) {
    const { ports } = context;
    const target = await context.clients.clientFor(replica.registry);
    const result = await (0,copy/* copyImage */.L1)({
        source: { client: await destinationClient(context), repository: context.repository, reference: digest },
        destination: { client: target, repository: replica.repository },
        tags,
        log: (line) => ports.logger.info(line),
        ...concurrencyOption(context),
    });
    const verified = await verifyPushedTags({
        client: target,
        repository: replica.repository,
        tags,
        loginHint: `check the login for ${replica.registry} (the Docker config, the same AK/SK for another SWR region of the configured domain, or replicate-credentials)`,
        expectedDigest: digest,
        confirmed: result.confirmed,
    });
    ports.logger.info(`${replica.registry}/${replica.repository}: ${tags.length} tag(s) → ${verified} (${result.blobsCopied} blob(s) copied, ${formatBytes(result.bytesCopied)})`);
    return { image: `${replica.registry}/${replica.repository}`, digest: verified };
}
/**
 * `merge-digests`: per-platform images pushed by matrix jobs become one
 * index. Each digest must be a single-platform manifest in the destination
 * repository; its platform is read from its image config. The index is an
 * OCI index unless every child is a Docker schema 2 manifest (then a Docker
 * manifest list, which older tools understand). The index carries
 * `annotations` (as BuildKit puts annotations into Docker manifests too).
 * Returns the index's digest and the tags the registry confirmed at it.
 */
async function mergeIntoIndex(context, digests, tags, annotations = {}) {
    const { ports, repository } = context;
    const client = await destinationClient(context);
    client.willPush(repository);
    const entries = [];
    for (const digest of digests) {
        const manifest = await client.getManifest(repository, digest);
        if ((0,media_types/* isIndexMediaType */.$$)(manifest.info.mediaType)) {
            throw new Error(`merge-digests: ${digest} is already a multi-platform index: give the per-platform image digests`);
        }
        const imageConfig = (await client.getImageConfig(repository, digest));
        if (!imageConfig.os || !imageConfig.architecture)
            throw new Error(`merge-digests: ${digest} has no os/architecture in its image config`);
        const platform = { architecture: imageConfig.architecture, os: imageConfig.os, ...(imageConfig.variant ? { variant: imageConfig.variant } : {}) };
        const key = `${platform['os']}/${platform['architecture']}${platform['variant'] ? `/${platform['variant']}` : ''}`;
        if (entries.some((entry) => `${entry.platform['os']}/${entry.platform['architecture']}${entry.platform['variant'] ? `/${entry.platform['variant']}` : ''}` === key)) {
            throw new Error(`merge-digests: two digests are both ${key}: give one image per platform`);
        }
        entries.push({ mediaType: manifest.info.mediaType, digest: manifest.info.digest, size: manifest.info.size, platform });
        ports.logger.info(`${key}: ${digest}`);
    }
    const mediaType = entries.every((entry) => entry.mediaType === media_types/* MediaTypes */.mI.dockerManifest) ? media_types/* MediaTypes */.mI.dockerManifestList : media_types/* MediaTypes */.mI.ociIndex;
    const index = { schemaVersion: 2, mediaType, manifests: entries, ...(Object.keys(annotations).length > 0 ? { annotations } : {}) };
    const raw = new TextEncoder().encode(JSON.stringify(index, null, 2));
    const digest = (0,image_digest/* digestOf */.ol)(raw);
    const confirmed = await (0,tag_confirmations/* putUnderTags */.JG)(client, repository, tags, { raw, mediaType });
    ports.logger.info(`index ${digest} (${entries.length} platform(s)) pushed as ${tags.join(', ')}`);
    return { digest, confirmed };
}
function destinationClient(context) {
    return context.clients.clientFor(context.registry);
}
function concurrencyOption(context) {
    return context.copyConcurrency === undefined ? {} : { concurrency: context.copyConcurrency };
}
function formatBytes(bytes) {
    return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : `${(bytes / 1024).toFixed(1)} KiB`;
}

;// CONCATENATED MODULE: ./build/src/app/package.js
async function runPackageFor(config, plan, context) {
    const settings = config.package;
    if (!settings)
        throw new Error('internal: a package plan has package settings');
    const { runPackage } = await __webpack_require__.e(/* import() */ 173).then(__webpack_require__.bind(__webpack_require__, 3173));
    return runPackage({
        settings,
        destination: { registry: config.registry, repository: config.repository },
        platforms: config.build.platforms,
        tags: plan.tags,
        labels: plan.labels,
        sourceDateEpoch: config.metadata.sourceDateEpoch,
        clients: context.clients,
        ports: context.ports,
        cwd: context.cwd,
        concurrency: config.copy.concurrency,
    });
}

;// CONCATENATED MODULE: ./build/src/app/steps/describe-login.js
// Host-neutral: the action logs out when its job ends, the CLI when its run ends, a library caller with dockerLogout.
const LOGOUTS = 'when the job or run ends, or with imageship post or dockerLogout';
/** Where the login went and what becomes of a login that was there already. */
function describe_login_describeLogin(registry, login) {
    const lines = login.store === 'config.json'
        ? [`logged in to ${registry} in ${login.configFile} (written by imageship after the registry accepted the credentials: no docker login process, so neither user nor password is in any command line)`]
        : [`logged in to ${registry} through the credential helper ${login.store}, which ${login.configFile} names (user and password on its stdin)`];
    if (login.keptPrevious) {
        lines.push(`an existing login for ${registry} was kept (saved in ${login.recordFile}, readable by this user only) and will be restored when imageship logs out (${LOGOUTS})`);
    }
    else {
        lines.push(`imageship's logout removes it (${LOGOUTS})`);
    }
    return lines;
}

;// CONCATENATED MODULE: ./build/src/app/steps/prepare.js




/** `warn`, saying each distinct message once: every registry client of a run meets the same token realm. */
function warnOncePerText(warn) {
    const said = new Set();
    return (message) => {
        if (said.has(message))
            return;
        said.add(message);
        warn(message);
    };
}
/** A deploy-only run never talks to docker. */
const NO_DOCKER = {
    cli: false,
    daemon: false,
    clientVersion: '',
    serverVersion: '',
    buildx: false,
    buildxVersion: '',
    builder: undefined,
    builderProblem: '',
    containerdStore: false,
    problem: 'not needed',
};
function maskConfigSecrets(config, ports, env) {
    const { secrets } = ports;
    // Masked before anything else can print them.
    if (config.cloudCredentials) {
        secrets.add(config.cloudCredentials.secretKey);
        secrets.add(config.cloudCredentials.accessKey);
        secrets.add(config.cloudCredentials.securityToken ?? '');
    }
    const tokenSource = config.keyless?.tokenSource;
    if (tokenSource?.kind === 'input')
        secrets.add(tokenSource.token);
    if (tokenSource?.kind === 'github')
        secrets.add(tokenSource.requestToken);
    if (tokenSource?.kind === 'env')
        secrets.add((env[tokenSource.variable] ?? '').trim());
    if (config.login.kind === 'password')
        (0,util_secrets/* registerLogin */.P)(secrets, config.login.username, config.login.password);
    if (config.copy.sourceCredentials)
        (0,util_secrets/* registerLogin */.P)(secrets, config.copy.sourceCredentials.username, config.copy.sourceCredentials.password);
    for (const entry of config.registryAuth.entries)
        if (entry.kind === 'password')
            (0,util_secrets/* registerLogin */.P)(secrets, entry.username, entry.password);
    const { huaweiKeys, alibabaKeys } = config.registryAuth;
    for (const key of [huaweiKeys?.secretKey, huaweiKeys?.accessKey, huaweiKeys?.securityToken, alibabaKeys?.accessKeySecret, alibabaKeys?.accessKeyId, alibabaKeys?.securityToken]) {
        if (key)
            secrets.add(key);
    }
    if (config.login.kind === 'acr-temporary') {
        secrets.add(config.login.accessKeySecret);
        secrets.add(config.login.accessKeyId);
        secrets.add(config.login.securityToken);
    }
    for (const secret of config.build.secrets) {
        if (secret.kind === 'value')
            secrets.add(secret.value);
        if (secret.kind === 'env')
            secrets.add(env[secret.variable] ?? '');
    }
    if (config.deploy.kubeconfig !== '')
        (0,mask_secrets/* maskKubeconfigSecrets */.f)(config.deploy.kubeconfig, ports);
    for (const url of config.deploy.triggers)
        for (const secret of (0,url_secrets/* urlSecrets */.Fn)(url))
            secrets.add(secret);
}
/** The kubeconfig is checked before any side effect, like every other input. */
async function preflightKubeconfig(config) {
    const { kubeconfig, kubeContext } = config.deploy;
    if (kubeconfig === '')
        return undefined;
    // Loaded only by a run with a kubeconfig.
    const { parseKubeconfig } = await __webpack_require__.e(/* import() */ 230).then(__webpack_require__.bind(__webpack_require__, 7230));
    try {
        return await parseKubeconfig(kubeconfig, kubeContext || undefined);
    }
    catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        throw new types/* ConfigError */.x([message.startsWith('kubeconfig:') ? message : `kubeconfig: ${message}`]);
    }
}

;// CONCATENATED MODULE: ./build/src/app/steps/run-step.js










async function runStep(step, state) {
    const { plan, options, env, result } = state;
    const { ports } = options;
    const { logger, exec } = ports;
    const config = state.config;
    switch (step.kind) {
        case 'keyless': {
            const { resolveKeylessCredentials } = await __webpack_require__.e(/* import() */ 230).then(__webpack_require__.bind(__webpack_require__, 7230));
            const keyless = await logger.group('Keyless: OIDC token → temporary credentials', () => resolveKeylessCredentials(config, ports, env));
            state.config = keyless.config;
            if (Object.keys(keyless.exports).length > 0)
                await options.onExportCredentials?.(keyless.exports);
            return;
        }
        case 'create-namespace':
            return logger.group(`Organization ${step.namespace}`, async () => {
                const { createNamespace, huaweiClientFor } = await __webpack_require__.e(/* import() */ 230).then(__webpack_require__.bind(__webpack_require__, 7230));
                const outcome = await createNamespace(huaweiClientFor(config, ports, config.region), step.namespace);
                logger.info(outcome === 'created' ? `created organization ${step.namespace}` : `organization ${step.namespace} already exists`);
            });
        case 'registry-auth': {
            const { logInToRegistryAuth } = await __webpack_require__.e(/* import() */ 230).then(__webpack_require__.bind(__webpack_require__, 7230));
            state.registryAuthLogins = await logInToRegistryAuth(config, {
                ports,
                env,
                onLogin: async (registry) => {
                    await options.onLogin?.(registry);
                    (result.logins ??= []).push(registry);
                },
                ...(options.credentialProviders ? { providers: options.credentialProviders } : {}),
                describeLogin: describe_login_describeLogin,
            });
            return;
        }
        case 'credentials': {
            state.credentials = await resolveRunCredentials(config, ports, env);
            const warn = warnOncePerText((message) => logger.warn(ports.secrets.redact(message)));
            state.clients = runClients({ config, ports, credentials: state.credentials, env, warn, registryAuthLogins: state.registryAuthLogins });
            return;
        }
        case 'find-image': {
            const clients = clientsOf(state);
            const reference = config.deployImage;
            if (!reference)
                throw new Error('internal: a find-image step needs deploy-image');
            const found = await logger.group(`Find ${step.reference} in the registry`, async () => findDeployImage({ reference, client: await clients.clientFor(reference.registry), loginHint: plan.loginHint, tag: plan.deployTag }));
            state.image = found;
            result.digest = found.digest;
            return;
        }
        case 'copy':
            return wrote(state, await logger.group(`Copy ${config.copy.sourceImage?.registry}/${config.copy.sourceImage?.repository} → ${config.destination}`, () => copySourceToDestination(transferOf(state), plan.tags, plan.manifestAnnotations)));
        case 'merge':
            return wrote(state, await logger.group(`Merge ${step.digests} platform image(s) into one index`, () => mergeIntoIndex(transferOf(state), config.copy.mergeDigests, plan.tags, plan.manifestAnnotations)));
        case 'package':
            return wrote(state, await logger.group(`Assemble ${config.destination} from ${step.packageType} package`, () => runPackageFor(config, plan, { ports, clients: clientsOf(state), cwd: options.cwd })));
        case 'login': {
            // An 'elsewhere' login with nothing in the Docker config resolves to no credentials: nothing to log in with.
            const credentials = state.credentials;
            if (!credentials)
                return;
            await options.onLogin?.(step.registry);
            (result.logins ??= []).push(step.registry);
            return logger.group(`Log in to ${step.registry} as ${plan.loginUser}`, async () => {
                const client = await clientsOf(state).clientFor(step.registry);
                const login = await (0,registry_login/* dockerLogin */.a1)(exec, { registry: step.registry, ...credentials, loginHint: plan.loginHint, env, fetch: ports.fetch, client });
                for (const line of describe_login_describeLogin(step.registry, login))
                    logger.info(line);
            });
        }
        case 'build': {
            const build = plan.build;
            if (!build)
                throw new Error('internal: a build step needs the plan\'s build command');
            const { runBuild } = await __webpack_require__.e(/* import() */ 942).then(__webpack_require__.bind(__webpack_require__, 1942));
            const built = await logger.group(`Build ${config.destination} (${build.builder})`, () => runBuild(exec, build, env, plan.references));
            if (built.legacyBuilderNotice) {
                logger.warn('the classic builder (DOCKER_BUILDKIT=0) is deprecated since Docker 23 and will be removed: add docker/setup-buildx-action before this step (or install the docker-buildx plugin) to build with BuildKit');
            }
            state.built = built;
            state.pushed = built.pushedDigest;
            result.imageId = built.imageId;
            return;
        }
        case 'push':
            await logger.group(`Push ${step.references.length} tag(s)`, () => pushReferences(exec, logger, step.references, config.registry, { loginHint: plan.loginHint, deniedHint: plan.deniedHint }, env));
            return;
        case 'verify':
            result.digest = step.check === 'pushed-digest' ? await verifyPushedDigest(state) : await verifyTags(plan, state, clientsOf(state), ports);
            state.image = deployedImage(config, plan.deployTag, result.digest);
            return;
        case 'replicate': {
            const copied = await logger.group(`Replicate to ${step.registry}/${step.repository}`, () => replicateTo(transferOf(state), { registry: step.registry, repository: step.repository }, plan.tags, result.digest));
            result.replicas.push(copied);
            return;
        }
        case 'retention': {
            const clients = clientsOf(state);
            const { applyConfiguredRetention } = await __webpack_require__.e(/* import() */ 230).then(__webpack_require__.bind(__webpack_require__, 7230));
            const retention = await logger.group('Retention', () => applyConfiguredRetention(config, ports, () => clients.clientFor(config.registry), plan.tags, false));
            if (retention)
                result.retention = { kept: retention.kept, deleted: retention.deleted };
            return;
        }
        case 'deploy': {
            if (!state.image)
                throw new Error('internal: the deploy step runs after the image was found or verified');
            const { deployAll } = await __webpack_require__.e(/* import() */ 230).then(__webpack_require__.bind(__webpack_require__, 7230));
            result.deployments = await deployAll(config, state.image, ports, state.kubeTarget);
            return;
        }
    }
}
/** A step wrote the image through the registry API: its digest, and what the registry confirmed, for the verify step. */
function wrote(state, written) {
    state.pushed = written.digest;
    state.confirmed = written.confirmed;
    state.result.digest = written.digest;
}
function clientsOf(state) {
    if (!state.clients)
        throw new Error('internal: the credentials step comes before any registry step');
    return state.clients;
}
function transferOf(state) {
    const { config } = state;
    return {
        registry: config.registry,
        repository: config.repository,
        ...(config.copy.sourceImage ? { source: { image: config.copy.sourceImage, credentials: config.copy.sourceCredentials } } : {}),
        ports: state.options.ports,
        clients: clientsOf(state),
        copyConcurrency: config.copy.concurrency,
    };
}
/** push-by-digest: the manifest buildx reported must be in the repository (there is no tag to verify). */
async function verifyPushedDigest(state) {
    const { config } = state;
    const pushed = state.built?.pushedDigest ?? '';
    const found = await (await clientsOf(state).clientFor(config.registry)).headManifest(config.repository, pushed);
    if (!pushed || !found)
        throw new Error(`push-by-digest: buildx reported ${pushed || 'no digest'}, but the registry has no such manifest in ${config.repository}`);
    state.options.ports.logger.info(`pushed by digest: ${config.destination}@${found.digest}`);
    return found.digest;
}
/**
 * Every tag must point at one manifest in the registry (and at the digest the pushing step reported, when known).
 * A tag the registry confirmed when this run wrote it is not asked for again.
 */
function verifyTags(plan, state, clients, ports) {
    return ports.logger.group('Verify the tags in the registry', async () => {
        const confirmed = state.confirmed;
        const digest = await verifyPushedTags({
            client: await clients.clientFor(plan.config.registry),
            repository: plan.config.repository,
            tags: plan.tags,
            loginHint: plan.loginHint,
            ...(state.pushed ? { expectedDigest: state.pushed } : {}),
            ...(confirmed ? { confirmed } : {}),
        });
        const asked = plan.tags.filter((tag) => !confirmed?.has(tag)).length;
        if (asked === 0) {
            ports.logger.info('the registry confirmed each tag when it was written (or found it there already): no request sent');
        }
        else if (asked < plan.tags.length) {
            ports.logger.info(`the registry confirmed ${plan.tags.length - asked} tag(s) when they were written; asked it for the other ${asked}`);
        }
        ports.logger.info(`${plan.tags.length} tag(s) → ${digest}`);
        return digest;
    });
}
function deployedImage(config, tag, digest) {
    // An image pushed by digest only has no tag to name it by.
    const reference = tag === '' ? `${config.destination}@${digest}` : `${config.destination}:${tag}`;
    return { registry: config.registry, repository: config.repository, tag, digest, reference, pinned: tag === '' ? reference : `${reference}@${digest}` };
}

;// CONCATENATED MODULE: ./build/src/app/pipeline.js













/**
 * Walks the plan's steps (plan-steps.ts), in order. Everything is validated
 * (the config by parseConfig, the rest by makePlan and the deploy preflight)
 * before the first side effect; deploy runs only on a verified image.
 */
async function runPipeline(config, options) {
    const { logger, exec, clock, secrets } = options.ports;
    const env = options.env ?? process.env;
    maskConfigSecrets(config, options.ports, env);
    // The plan needs the docker tools, so whether to probe docker is asked before it, with the mode rule it uses (mode.ts):
    // only a build talks to docker; package, copy, merge and deploy-only runs go registry to registry.
    const needsDocker = modeOf(config) === 'build';
    const docker = needsDocker ? await (options.docker ?? (0,docker_probe/* probeDocker */.D5)(exec, env, config.build.builder)) : NO_DOCKER;
    // Only a build writes files (its image id or metadata); the other runs skip the directory.
    const tempDir = needsDocker ? await (0,promises_.mkdtemp)((0,external_node_path_.join)((0,external_node_os_.tmpdir)(), 'imageship-')) : '';
    try {
        const plan = makePlan({ config, source: options.source, now: clock.now(), docker, tempDir, cwd: options.cwd });
        const kubeTarget = await preflightKubeconfig(config);
        // A share whose end date has passed is a bad input, found before anything is pushed.
        const shareProblems = (0,share_with/* checkShareDeadlines */.V)(config.deploy.shareWith, clock.now());
        if (shareProblems.length > 0)
            throw new types/* ConfigError */.x(shareProblems);
        if (kubeTarget)
            (0,mask_secrets/* maskKubeTargetSecrets */.m)(kubeTarget, options.ports);
        const planLines = describePlan(plan).map((line) => secrets.redact(line));
        const result = baseResult(config, plan, planLines);
        const stepsRun = (result.stepsRun = []);
        if (config.dryRun) {
            await logger.group('Plan (dry run: nothing is logged in, built, pushed or deployed)', async () => planLines.forEach((line) => logger.info(line)));
            for (const warning of config.deploy.warnings)
                logger.warn(secrets.redact(warning));
            // Of the steps, only retention has a preview (it reads the tags and deletes nothing); the others are shown above.
            for (const step of plan.steps) {
                if (step.kind !== 'retention')
                    continue;
                result.retention = await previewRetention(plan, options.ports, env);
                stepsRun.push(step.kind);
            }
            return result;
        }
        await logger.group('Plan', async () => planLines.forEach((line) => logger.info(line)));
        for (const warning of [...config.deploy.warnings, ...plan.warnings])
            logger.warn(secrets.redact(warning));
        const state = { config, plan, options, env, result, kubeTarget, registryAuthLogins: new Map(), pushed: '' };
        for (const step of plan.steps) {
            await runStep(step, state);
            stepsRun.push(step.kind);
        }
        return result;
    }
    finally {
        if (tempDir !== '')
            await (0,promises_.rm)(tempDir, { recursive: true, force: true });
    }
}
/**
 * A dry run lists the repository's tags and says what retention would delete, deleting nothing (the tags the run
 * would push are kept, as in a real run). Reading needs the run's login, resolved as in a real run; a repository
 * that cannot be read yet (a first push) is a warning, not a failure.
 */
async function previewRetention(plan, ports, env) {
    const { config } = plan;
    return ports.logger.group('Retention (dry run: nothing is deleted)', async () => {
        try {
            const registryClient = async () => {
                const credentials = await resolveRunCredentials(config, ports, env);
                const warn = warnOncePerText((message) => ports.logger.warn(ports.secrets.redact(message)));
                return runClients({ config, ports, credentials, env, warn }).clientFor(config.registry);
            };
            const { applyConfiguredRetention } = await __webpack_require__.e(/* import() */ 230).then(__webpack_require__.bind(__webpack_require__, 7230));
            const preview = await applyConfiguredRetention(config, ports, registryClient, plan.tags, true);
            return preview && { kept: preview.kept, deleted: [], planned: preview.planned };
        }
        catch (error) {
            ports.logger.warn(ports.secrets.redact(`retention: no preview, the tags of ${config.destination} could not be listed: ${error instanceof Error ? error.message : String(error)}`));
            return undefined;
        }
    });
}
function baseResult(config, plan, planLines) {
    return {
        dryRun: config.dryRun,
        registry: config.registry,
        image: config.destination,
        tags: [...plan.tags],
        references: [...plan.references],
        digest: '',
        imageId: '',
        loginUser: plan.loginUser,
        builder: plan.build?.builder ?? 'none',
        mode: plan.mode,
        labels: Object.fromEntries(plan.labels),
        deployments: [],
        replicas: [],
        retention: undefined,
        plan: planLines,
        logins: [],
        metadataAction: {
            version: plan.metadata.version,
            labels: plan.metadata.labels.map(([name, value]) => `${name}=${value}`),
            annotations: [...plan.metadata.annotations],
            separators: { ...config.metadata.separators },
            setOutputEnv: config.metadata.setOutputEnv,
        },
    };
}
/** What a finished run did, in the words the summaries use. */
function describeOutcome(result) {
    switch (result.mode) {
        case 'deploy-only':
            return 'image deployed';
        case 'copy':
            return result.deployments.length > 0 ? 'image copied and deployed' : 'image copied';
        case 'merge':
            return result.deployments.length > 0 ? 'index merged and deployed' : 'index merged';
        case 'package':
            return result.deployments.length > 0 ? 'image assembled from the package and deployed' : 'image assembled from the package';
        case 'build':
            if (result.digest === '')
                return 'image built (not pushed)';
            return result.deployments.length > 0 ? 'image pushed and deployed' : 'image pushed';
    }
}

;// CONCATENATED MODULE: ./build/src/domain/source-context.js
/** Only the facts that are known: empty strings and `false` are left out, so a context lists what its CI told. */
function knownFacts(facts) {
    const known = {};
    for (const [key, value] of Object.entries(facts)) {
        if (value !== undefined && value !== '' && value !== false)
            known[key] = value;
    }
    return known;
}

;// CONCATENATED MODULE: ./build/src/source/github.js

/** Events whose build is about a pull request even when GITHUB_REF names a branch. */
const PULL_REQUEST_EVENTS = new Set(['pull_request', 'pull_request_target']);
/**
 * Events GitHub runs only for the last commit of the default branch; like
 * docker/metadata-action, `{{is_default_branch}}` is true for them (a
 * scheduled run's payload does not even name the default branch).
 */
const DEFAULT_BRANCH_EVENTS = /create|discussion|issues|schedule/;
/**
 * Builds the SourceContext from a GitHub Actions environment. `env` and
 * `readFile` are passed in (never process.env / fs) so the tags computed for a
 * run can be reproduced in tests from a recorded environment.
 *
 * The commit is GITHUB_SHA, also for pull requests (the merge commit that was
 * checked out and built), as docker/metadata-action does.
 */
function sourceContextFromGitHub(env, readFile) {
    const ref = value(env, 'GITHUB_REF');
    const eventName = value(env, 'GITHUB_EVENT_NAME');
    const payload = readEventPayload(value(env, 'GITHUB_EVENT_PATH'), readFile);
    const headBranch = value(env, 'GITHUB_HEAD_REF') || payload.headRef;
    const sha = commitId(value(env, 'GITHUB_SHA'));
    const base = {
        sha,
        ref,
        defaultBranch: payload.defaultBranch,
        runNumber: value(env, 'GITHUB_RUN_NUMBER'),
        repositoryUrl: repositoryUrl(env),
        ...knownFacts({
            scheduled: eventName === 'schedule',
            defaultBranchEvent: ref !== '' && DEFAULT_BRANCH_EVENTS.test(eventName),
            commitDate: payload.commitTimes.get(sha) ?? '',
            repositoryDescription: payload.description,
            repositoryLicense: payload.license,
        }),
    };
    const none = { branch: '', tag: '', pullRequest: undefined };
    const pullRequestFacts = knownFacts({
        baseRef: value(env, 'GITHUB_BASE_REF') || payload.baseRef,
        pullRequestHeadSha: commitId(payload.headSha),
    });
    const pull = /^refs\/pull\/(\d+)\/(?:merge|head)$/.exec(ref);
    if (pull !== null) {
        return { ...base, ...pullRequestFacts, event: 'pr', branch: headBranch, tag: '', pullRequest: Number(pull[1]) };
    }
    // pull_request_target runs with GITHUB_REF = the base branch; it still builds for the PR,
    // so it must not be tagged like a push to that branch.
    if (PULL_REQUEST_EVENTS.has(eventName) && payload.pullRequestNumber !== undefined) {
        return { ...base, ...pullRequestFacts, event: 'pr', branch: headBranch, tag: '', pullRequest: payload.pullRequestNumber };
    }
    if (ref.startsWith('refs/heads/')) {
        return { ...base, ...none, event: 'branch', branch: ref.slice('refs/heads/'.length) };
    }
    if (ref.startsWith('refs/tags/')) {
        return { ...base, ...none, ...knownFacts({ baseRef: payload.pushBaseRef }), event: 'tag', tag: ref.slice('refs/tags/'.length) };
    }
    return { ...base, ...none, event: 'other' };
}
/** An unset and an empty variable mean the same: unknown. */
function value(env, name) {
    return env[name]?.trim() ?? '';
}
/** Only a full commit id is trusted; anything else would give a misleading `sha-…` tag. */
function commitId(sha) {
    return /^[0-9a-f]{40}$/i.test(sha) ? sha.toLowerCase() : '';
}
function repositoryUrl(env) {
    const repository = value(env, 'GITHUB_REPOSITORY');
    if (repository === '')
        return '';
    const server = (value(env, 'GITHUB_SERVER_URL') || 'https://github.com').replace(/\/+$/, '');
    return `${server}/${repository}`;
}
/**
 * Reads the few payload fields needed. A missing, unreadable or malformed
 * payload is not an error: those fields then stay unknown, and only rules
 * that need them (e.g. `{{is_default_branch}}`) are affected.
 */
function readEventPayload(path, readFile) {
    const empty = {
        defaultBranch: '',
        pullRequestNumber: undefined,
        headRef: '',
        baseRef: '',
        headSha: '',
        pushBaseRef: '',
        commitTimes: new Map(),
        description: '',
        license: '',
    };
    if (path === '')
        return empty;
    let parsed;
    try {
        const text = readFile(path);
        if (text === undefined)
            return empty;
        parsed = JSON.parse(text);
    }
    catch {
        return empty;
    }
    const repository = field(parsed, 'repository');
    const pullRequest = field(parsed, 'pull_request');
    return {
        defaultBranch: stringField(repository, 'default_branch'),
        pullRequestNumber: positiveInteger(field(pullRequest, 'number')) ?? positiveInteger(field(parsed, 'number')),
        headRef: stringField(field(pullRequest, 'head'), 'ref'),
        baseRef: stringField(field(pullRequest, 'base'), 'ref'),
        headSha: stringField(field(pullRequest, 'head'), 'sha'),
        pushBaseRef: stringField(parsed, 'base_ref').replace(/^refs\/heads\//, ''),
        commitTimes: commitTimes(parsed),
        description: stringField(repository, 'description'),
        license: stringField(field(repository, 'license'), 'spdx_id'),
    };
}
/** A push lists its commits (`commits[]`, `head_commit`) with their timestamps. */
function commitTimes(payload) {
    const times = new Map();
    const add = (commit) => {
        const id = stringField(commit, 'id').toLowerCase();
        const timestamp = stringField(commit, 'timestamp');
        if (id !== '' && timestamp !== '' && !Number.isNaN(Date.parse(timestamp)) && !times.has(id))
            times.set(id, new Date(timestamp).toISOString());
    };
    const commits = field(payload, 'commits');
    if (Array.isArray(commits))
        commits.forEach(add);
    add(field(payload, 'head_commit'));
    return times;
}
function field(object, key) {
    return typeof object === 'object' && object !== null ? object[key] : undefined;
}
function stringField(object, key) {
    const found = field(object, key);
    return typeof found === 'string' ? found : '';
}
function positiveInteger(found) {
    return typeof found === 'number' && Number.isInteger(found) && found > 0 ? found : undefined;
}

// EXTERNAL MODULE: ./build/src/util/node-exec.js + 1 modules
var node_exec = __webpack_require__(5398);
// EXTERNAL MODULE: ./build/src/http/proxy-env.js + 1 modules
var proxy_env = __webpack_require__(5916);
// EXTERNAL MODULE: ./build/src/http/tls-trust.js
var tls_trust = __webpack_require__(2980);
// EXTERNAL MODULE: ./build/src/http/transport.js + 4 modules
var transport = __webpack_require__(8580);
;// CONCATENATED MODULE: ./build/src/http/run-transport.js



function runTransport(env, onSecret) {
    try {
        return { fetch: (0,transport/* createTransport */.o)({ env, onSecret }).fetch, problem: undefined };
    }
    catch (error) {
        if (!(error instanceof proxy_env/* ProxyConfigError */.Xb || error instanceof tls_trust/* TlsConfigError */.AI))
            throw error;
        const failing = (() => Promise.reject(error));
        return { fetch: failing, problem: error.message };
    }
}

// EXTERNAL MODULE: ./build/src/action/runner/index.js + 6 modules
var runner = __webpack_require__(1512);
;// CONCATENATED MODULE: ./build/src/action/host.js




/**
 * The ports implemented on top of the GitHub runner protocol. `networkProblem`:
 * a proxy or TLS setting that cannot be used, for main to report as an input error.
 */
function githubPorts() {
    const secrets = (0,util_secrets/* createSecretRegistry */.G)((secret) => runner/* addMask */.eu(secret));
    const logger = githubLogger(secrets);
    const network = runTransport(process.env, (secret) => secrets.add(secret));
    return {
        networkProblem: network.problem,
        logger,
        secrets,
        exec: (0,node_exec/* createNodeExec */.k)({ writeLine: (line) => logger.info(line) }),
        // The run's one transport (src/http): proxies, certs.d trust, keep-alive; no undici (35–45 ms to load).
        fetch: network.fetch,
        clock: { now: () => new Date() },
    };
}
function githubLogger(secrets) {
    return {
        info: (message) => runner/* info */.pq(secrets.redact(message)),
        warn: (message) => runner/* warning */.$e(secrets.redact(message)),
        debug: (message) => runner/* debug */.Yz(secrets.redact(message)),
        group: (title, body) => runner/* group */.Os(secrets.redact(title), body),
    };
}

;// CONCATENATED MODULE: ./build/src/app/outputs.js
const outputs_NO_METADATA = { version: '', labels: [], annotations: [], separators: { tags: '\n', labels: '\n', annotations: '\n' }, setOutputEnv: false };
/** The metadata output: one JSON object with every other output, for later steps that prefer one value. */
function metadataOf(result) {
    return {
        registry: result.registry,
        image: result.image,
        tags: result.references,
        digest: result.digest,
        imageid: result.imageId,
        user: result.loginUser,
        builder: result.builder,
        labels: result.labels,
        'dry-run': result.dryRun,
        deployments: result.deployments,
        replicas: result.replicas,
        logins: result.logins,
        ...(result.retention ? { retention: result.retention } : {}),
    };
}
/** The public fields of each deployment (console URLs and the like stay out of the output). */
function deploymentsOf(deployments) {
    return deployments.map(({ target, id, previous, current, verified }) => ({ target, id, previous, current, verified }));
}
/** docker/metadata-action's `json` output: `{tags, labels, annotations}`. */
function jsonOutputOf(result) {
    const labels = {};
    const meta = result.metadataAction ?? outputs_NO_METADATA;
    for (const line of meta.labels) {
        const equals = line.indexOf('=');
        labels[line.slice(0, equals)] = line.slice(equals + 1);
    }
    return { tags: result.references, labels, annotations: meta.annotations };
}
function outputsOf(result) {
    const meta = result.metadataAction ?? outputs_NO_METADATA;
    return {
        registry: result.registry,
        image: result.image,
        tags: result.references.join(meta.separators.tags),
        'tag-names': result.tags.join(meta.separators.tags),
        version: meta.version,
        labels: meta.labels.join(meta.separators.labels),
        annotations: meta.annotations.join(meta.separators.annotations),
        json: JSON.stringify(jsonOutputOf(result)),
        digest: result.digest,
        imageid: result.imageId,
        metadata: JSON.stringify(metadataOf(result)),
        deployments: JSON.stringify(deploymentsOf(result.deployments)),
        logins: JSON.stringify(result.logins ?? []),
    };
}

;// CONCATENATED MODULE: ./build/src/action/outputs.js


/** docker/metadata-action's outputs, which it also exports as DOCKER_METADATA_OUTPUT_<NAME> (DOCKER_METADATA_SET_OUTPUT_ENV, default true). */
const METADATA_ACTION_OUTPUTS = ['version', 'tags', 'tag-names', 'labels', 'annotations', 'json'];
function writeOutputs(result) {
    const outputs = outputsOf(result);
    for (const [name, value] of Object.entries(outputs))
        (0,runner/* setOutput */.uH)(name, value);
    if (result.metadataAction?.setOutputEnv) {
        for (const name of METADATA_ACTION_OUTPUTS)
            (0,runner/* exportVariable */.dN)(`DOCKER_METADATA_OUTPUT_${name.replace(/\W/g, '_').toUpperCase()}`, outputs[name]);
    }
}
/** Also written when a deploy step fails, so later steps see what was already rolled out. */
function writeDeploymentsOutput(deployments) {
    (0,runner/* setOutput */.uH)('deployments', JSON.stringify(deploymentsOf(deployments)));
}

// EXTERNAL MODULE: ./build/src/action/state.js
var state = __webpack_require__(9049);
;// CONCATENATED MODULE: ./build/src/action/summary.js


/** A short job summary: what was pushed where, and the digest every tag was checked against. */
function writeSummary(result, redact) {
    if (!process.env['GITHUB_STEP_SUMMARY'])
        return;
    const codeHtml = (text) => `<code>${(0,runner/* escapeHtml */.ZD)(redact(text))}</code>`;
    const code = (text) => (0,runner/* html */.qy)(codeHtml(text));
    const rows = [
        ['Registry', code(result.registry)],
        ['Image', code(result.image)],
        ['Tags', (0,runner/* html */.qy)(result.references.map(codeHtml).join('<br>'))],
        ['Digest', result.digest ? code(result.digest) : result.dryRun ? 'dry run: not pushed' : 'not pushed'],
        ['Login', result.loginUser ? code(result.loginUser) : 'anonymous'],
        ...((result.logins ?? []).length > 0 ? [['Logged in to', (0,runner/* html */.qy)((result.logins ?? []).map(codeHtml).join('<br>'))]] : []),
        ['Builder', result.builder === 'none' ? `none (${result.mode})` : result.builder],
    ];
    const title = result.dryRun ? 'imageship: plan (dry run)' : `imageship: ${describeOutcome(result)}`;
    const parts = [(0,runner/* summaryHeading */.hn)(title, 3), (0,runner/* summaryTable */.jb)(['What', 'Value'], rows)];
    if (result.deployments.length > 0) {
        parts.push((0,runner/* summaryHeading */.hn)('Deployments', 4), (0,runner/* summaryTable */.jb)(['Target', 'What', 'Before', 'After', 'Verified'], result.deployments.map((deployment) => [
            deployment.target,
            deployment.consoleUrl ? (0,runner/* html */.qy)(`<a href="${(0,runner/* escapeHtml */.ZD)(deployment.consoleUrl)}">${codeHtml(deployment.id)}</a>`) : code(deployment.id),
            deployment.previous ? code(deployment.previous) : '',
            code(deployment.current),
            deployment.verified ? 'yes' : 'no',
        ])));
    }
    // The plan is built from redacted values already; redacting again costs nothing and keeps the summary safe on its own.
    if (result.dryRun)
        parts.push((0,runner/* summaryCodeBlock */.Rt)(redact(result.plan.join('\n')), 'text'));
    // One append, so a failure leaves no half-written summary.
    (0,runner/* appendJobSummary */.I1)(parts.join(''));
}

;// CONCATENATED MODULE: ./build/src/action/main.js












/** `docker`: a probe already under way, or undefined when the run needs none (the pipeline probes if it does). */
async function runMain(docker) {
    const ports = githubPorts();
    try {
        (0,state/* markMainStarted */.UM)();
    }
    catch (error) {
        // No GITHUB_STATE: not a runner this action can report to; say so rather than crash.
        fail(error, ports.secrets.redact);
        return;
    }
    // Mask secret inputs before anything is parsed or printed, even if the
    // workflow passed them from plain variables rather than secrets.
    (0,run_sequence/* maskSecretOptions */.Rs)((name) => runner/* getInput */.V4(name), process.env, ports.secrets);
    // A misspelt input (`tag:` for `tags:`) would otherwise be ignored without a word under act and other runners.
    for (const warning of undeclaredInputWarnings(process.env))
        ports.logger.warn(warning);
    const cwd = process.env['GITHUB_WORKSPACE'] || process.cwd();
    let config;
    try {
        // Raw values: parseConfig trims every input except the separators, whose whitespace matters.
        // The YAML parser is loaded only when registry-auth is set (parseConfig itself stays synchronous).
        const yaml = await registryAuthParserFor(runner/* getRawInput */.pi('registry-auth'));
        config = (0,run_sequence/* parseRunConfig */.tn)((name) => runner/* getRawInput */.pi(name), { env: process.env, cwd, ...(yaml ? { yaml } : {}) }, ports.networkProblem);
    }
    catch (error) {
        fail(error, ports.secrets.redact);
        return;
    }
    try {
        const source = sourceContextFromGitHub(process.env, run_sequence/* readOptionalFile */.pL);
        const result = await runPipeline(config, {
            ports,
            source,
            cwd,
            ...(docker ? { docker } : {}),
            onLogin: (registry) => (0,state/* saveLoggedInRegistry */.eh)(registry, config.logout),
            // Masked already (the pipeline added each value to the secrets the moment it existed).
            onExportCredentials: (variables) => {
                for (const [name, value] of Object.entries(variables))
                    runner/* exportVariable */.dN(name, value);
            },
        });
        writeOutputs(result);
        writeSummary(result, ports.secrets.redact);
    }
    catch (error) {
        fail(error, ports.secrets.redact);
    }
}
/** One `::error::` line per problem; the step fails. Anything unexpected shows its stack in debug logs only. */
function fail(error, redact) {
    if (error instanceof deploy_error/* DeployError */.s)
        writeDeploymentsOutput(error.results);
    if (error instanceof types/* ConfigError */.x) {
        const { problems, summary } = (0,run_sequence/* configErrorLines */.Qc)(error);
        for (const problem of problems)
            runner/* error */.z3(redact(problem));
        runner/* setFailed */.C1(redact(summary));
        return;
    }
    const message = (0,run_sequence/* userMessageOf */.yk)(error);
    if (error instanceof Error && error.stack)
        runner/* debug */.Yz(redact(error.stack));
    runner/* setFailed */.C1(redact(message));
}


/***/ }),

/***/ 2381:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   s: () => (/* binding */ DeployError)
/* harmony export */ });
/* harmony import */ var _domain_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3047);

class DeployError extends _domain_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ImageshipError */ .K {
    results;
    constructor(message, results, options = {}) {
        super(message, options);
        this.results = results;
        this.name = 'DeployError';
    }
}


/***/ }),

/***/ 1353:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  m: () => (/* binding */ maskKubeTargetSecrets),
  f: () => (/* binding */ maskKubeconfigSecrets)
});

;// CONCATENATED MODULE: ./build/src/deploy/kubernetes/kubeconfig-secrets.js
/** Fields whose values are credentials (auth-provider configs included). */
const SECRET_KEYS = ['token', 'client-key-data', 'password', 'id-token', 'refresh-token', 'access-token', 'client-secret'];
/** A secret part shorter than this would mask ordinary words. */
const MIN_PART_LENGTH = 8;
const KEY_PATTERN = SECRET_KEYS.map((key) => key.replace(/-/g, '\\-')).join('|');
/** `key: value` in YAML block style (key optionally quoted); group 3 is the rest of the line. */
const YAML_ENTRY = new RegExp(`^(\\s*(?:-\\s+)?)["']?(${KEY_PATTERN})["']?\\s*:[ \\t]*(.*)$`);
/** `"key": "value"` anywhere (JSON, YAML flow style); group 2 is the JSON string body. */
const JSON_ENTRY = new RegExp(`"(${KEY_PATTERN})"\\s*:\\s*"((?:[^"\\\\]|\\\\.)*)"`, 'g');
/** Every secret value in `text`, and the parts of tokens worth masking alone. */
function kubeconfigSecrets(text) {
    const found = new Set();
    const add = (key, value) => {
        if (value === '')
            return;
        found.add(value);
        if (key === 'client-key-data')
            for (const line of decodedPemLines(value))
                found.add(line);
        else
            for (const part of tokenParts(value))
                found.add(part);
    };
    const lines = text.split(/\r?\n/);
    lines.forEach((line, index) => {
        const match = YAML_ENTRY.exec(line);
        if (!match)
            return;
        const [, indent = '', key = '', rest = ''] = match;
        const value = rest.replace(/\s+#.*$/, '').trim();
        if (/^[|>][-+0-9]*$/.test(value)) {
            for (const form of blockScalar(lines, index + 1, indent.length))
                add(key, form);
        }
        else {
            add(key, unquote(value));
        }
    });
    for (const match of text.matchAll(JSON_ENTRY)) {
        try {
            add(match[1] ?? '', JSON.parse(`"${match[2] ?? ''}"`));
        }
        catch {
            add(match[1] ?? '', match[2] ?? '');
        }
    }
    return [...found];
}
/** The token of a parsed kubeconfig target and its parts (the parse is the final word on what is sent). */
function kubeTargetSecrets(target) {
    return target.token ? [target.token, ...tokenParts(target.token)] : [];
}
/**
 * The lines of a block scalar starting at `from` (those more indented than
 * its key), as the value may be read: each line alone, joined by newlines
 * (literal `|`), by spaces (folded `>`) and with nothing between (a token
 * wrapped to fit the page).
 */
function blockScalar(lines, from, keyIndent) {
    const content = [];
    for (let i = from; i < lines.length; i++) {
        const line = lines[i] ?? '';
        if (line.trim() === '') {
            content.push('');
            continue;
        }
        if ((/^\s*/.exec(line)?.[0].length ?? 0) <= keyIndent)
            break;
        content.push(line.trim());
    }
    while (content.at(-1) === '')
        content.pop();
    const nonEmpty = content.filter((line) => line !== '');
    return [...nonEmpty, content.join('\n'), nonEmpty.join(' '), nonEmpty.join('')];
}
/** The secret part of `id:secret` (static tokens) and of `id.secret` (bootstrap tokens; a JWT's signature). */
function tokenParts(token) {
    const parts = [token.slice(token.indexOf(':') + 1), token.slice(token.lastIndexOf('.') + 1)];
    return [...new Set(parts)].filter((part) => part.length >= MIN_PART_LENGTH && part !== token);
}
function unquote(value) {
    if (value.length >= 2 && value.startsWith("'") && value.endsWith("'"))
        return value.slice(1, -1).replace(/''/g, "'");
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
        try {
            return JSON.parse(value);
        }
        catch {
            return value.slice(1, -1);
        }
    }
    return value;
}
/** The key lines of a PEM given as base64 (client-key-data), without the BEGIN/END markers. */
function decodedPemLines(base64) {
    const pem = Buffer.from(base64, 'base64').toString('utf8');
    return pem
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line.length >= 16 && !line.startsWith('-----'));
}

;// CONCATENATED MODULE: ./build/src/deploy/kubernetes/mask-secrets.js

/**
 * Masks key material and tokens of a kubeconfig, found in its text before it
 * is parsed: whole values, block-scalar values, the secret part of
 * `id:secret`-style tokens, each line of decoded PEM (kubeconfig-secrets.ts).
 */
function maskKubeconfigSecrets(kubeconfig, ports) {
    for (const secret of kubeconfigSecrets(kubeconfig))
        ports.secrets.add(secret);
}
/** Masks the token the parse settled on (and its secret part): the parse is the final word on what is sent. */
function maskKubeTargetSecrets(target, ports) {
    for (const secret of kubeTargetSecrets(target))
        ports.secrets.add(secret);
}


/***/ }),

/***/ 3112:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  ir: () => (/* binding */ BlobCheck),
  h: () => (/* binding */ DigestMismatchError),
  ol: () => (/* binding */ digestOf),
  Ub: () => (/* binding */ verifyDigest),
  oP: () => (/* binding */ verifyingStream),
  kj: () => (/* binding */ verifyingTransform)
});

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(7075);
// EXTERNAL MODULE: ./build/src/domain/errors.js
var errors = __webpack_require__(3047);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
// EXTERNAL MODULE: external "node:worker_threads"
var external_node_worker_threads_ = __webpack_require__(5919);
;// CONCATENATED MODULE: ./build/src/domain/image/hash-pool.js
/**
 * SHA-256/512 of blob bytes on worker threads, so a copy's main thread only
 * moves bytes (issue 11 item 4): hashing is most of the per-byte CPU a copy
 * costs, and on the main thread it caps a copy at one core.
 *
 * A blob's bytes go to a worker in batches: each chunk is copied into a
 * 1 MiB buffer (a memcpy is several times cheaper than the hash), a full
 * buffer is transferred (not cloned) to the worker, and the worker transfers
 * it back once hashed, so buffers are reused rather than allocated and
 * faulted in per batch. The chunks themselves cannot be transferred: they
 * still go to the upload's socket, and they may share one ArrayBuffer with
 * other chunks. Chunks in shared memory (a SharedArrayBuffer: the raw
 * connections' read slabs, slab-reads.ts) whose caller says when it may
 * reuse them are not copied at all: the worker reads them where they lie
 * (1 MiB of them per message), and the caller hears when it is done with
 * each. A blob stays on one worker (a hash is sequential); blobs are
 * spread over the workers, least busy first.
 *
 * The worker is inline source run with `eval: true`, so the bundled action
 * (ncc, dist/) needs no extra file. Small blobs (configs, manifests) are
 * hashed in place: a message round trip costs more than their hash. Should a
 * worker die, every hash it held fails (and with it that blob's copy); the
 * next hash starts a new worker.
 */



/** Blobs smaller than this are hashed on the calling thread. */
const WORKER_HASH_MIN_BYTES = 1024 * 1024;
const BATCH_BYTES = 1024 * 1024;
/** Spare batch buffers kept for reuse (beyond them, returned buffers are dropped). */
const SPARE_BUFFERS = 8;
/** Batches of one blob sent and not yet hashed before update asks its caller to wait: memory stays bounded when bytes come faster than a worker hashes. */
const MAX_BATCHES_IN_FLIGHT = 4;
// CommonJS or ES module alike: an embedder's flags (--input-type=module) can make eval'd code a module.
const WORKER_SOURCE = `
const load = typeof require === 'function' ? require : process.getBuiltinModule;
const { parentPort } = load('node:worker_threads');
const { createHash } = load('node:crypto');
const hashes = new Map();
parentPort.on('message', (m) => {
  if (m.op === 'update') {
    const hash = hashes.get(m.id);
    if (hash !== undefined) hash.update(new Uint8Array(m.bytes, 0, m.length));
    parentPort.postMessage({ op: 'spare', id: m.id, bytes: m.bytes }, [m.bytes]);
  } else if (m.op === 'shared') {
    const hash = hashes.get(m.id);
    if (hash !== undefined) for (const [memory, offset, length] of m.parts) hash.update(new Uint8Array(memory, offset, length));
    parentPort.postMessage({ op: 'sharedDone', id: m.id });
  } else if (m.op === 'start') {
    hashes.set(m.id, createHash(m.algorithm));
  } else if (m.op === 'end') {
    const hash = hashes.get(m.id);
    hashes.delete(m.id);
    parentPort.postMessage({ op: 'digest', id: m.id, hex: hash === undefined ? '' : hash.digest('hex') });
  } else if (m.op === 'drop') {
    hashes.delete(m.id);
  }
});
`;
class HashWorker {
    pool;
    worker;
    /** Blobs hashing here right now (opened, not yet digested or dropped). */
    active = 0;
    pending = new Map();
    /** Per open hash: called as each of its batches comes back hashed. */
    hashed = new Map();
    /** Per hash: called as each of its batches of shared chunks has been hashed (kept until its digest came). */
    sharedHashed = new Map();
    failed;
    constructor(pool) {
        this.pool = pool;
        // No execArgv of the embedding process (--input-type, --import preloads): the worker needs none of them.
        this.worker = new external_node_worker_threads_.Worker(WORKER_SOURCE, { eval: true, name: 'imageship-hash', execArgv: [] });
        this.worker.on('message', (m) => {
            if (m.op === 'spare' && m.bytes !== undefined) {
                pool.spare(m.bytes);
                if (m.id !== undefined)
                    this.hashed.get(m.id)?.();
            }
            else if (m.op === 'sharedDone' && m.id !== undefined) {
                this.sharedHashed.get(m.id)?.();
            }
            else if (m.op === 'digest' && m.id !== undefined) {
                this.sharedHashed.delete(m.id);
                const waiting = this.pending.get(m.id);
                this.pending.delete(m.id);
                waiting?.resolve(m.hex ?? '');
            }
        });
        const die = (error) => {
            if (this.failed !== undefined)
                return;
            this.failed = error;
            this.pool.forget(this);
            for (const waiting of this.pending.values())
                waiting.reject(error);
            this.pending.clear();
            for (const release of this.hashed.values())
                release();
        };
        this.worker.on('error', (error) => die(new Error(`the hashing worker thread failed: ${error.message}`)));
        this.worker.on('exit', (code) => die(new Error(`the hashing worker thread exited (code ${code})`)));
        // After the listeners: adding a 'message' listener refs the worker again.
        this.worker.unref();
    }
    awaited = 0;
    /** The worker keeps the process alive only while a digest from it, or its catching up, is awaited. */
    awaiting(change) {
        this.awaited += change;
        if (this.awaited === 1 && change === 1)
            this.worker.ref();
        else if (this.awaited === 0)
            this.worker.unref();
    }
}
class HashPool {
    size;
    workers = [];
    spares = [];
    nextId = 1;
    constructor(size) {
        this.size = size;
    }
    spare(buffer) {
        if (this.spares.length < SPARE_BUFFERS)
            this.spares.push(buffer);
    }
    buffer() {
        return new Uint8Array(this.spares.pop() ?? new ArrayBuffer(BATCH_BYTES));
    }
    threadIds() {
        return this.workers.map((worker) => worker.worker.threadId);
    }
    forget(worker) {
        const at = this.workers.indexOf(worker);
        if (at >= 0)
            this.workers.splice(at, 1);
    }
    /** The least busy worker, starting one while the pool is not full and every worker is busy. */
    pick() {
        let best;
        for (const worker of this.workers)
            if (best === undefined || worker.active < best.active)
                best = worker;
        if (best === undefined || (best.active > 0 && this.workers.length < this.size)) {
            best = new HashWorker(this);
            this.workers.push(best);
        }
        return best;
    }
    open(algorithm) {
        const worker = this.pick();
        const id = this.nextId++;
        worker.active++;
        worker.worker.postMessage({ op: 'start', id, algorithm });
        let batch;
        let filled = 0;
        /** Shared chunks not yet sent: their memory, offset and length, and whom to tell once hashed. */
        let shared;
        /** Per batch of shared chunks sent, in order: whom to tell when the worker is done with it. */
        const sharedSent = [];
        let closed = false;
        let inFlight = 0;
        let caughtUp;
        const release = () => {
            inFlight = Math.max(0, inFlight - 1);
            if (inFlight < MAX_BATCHES_IN_FLIGHT || worker.failed !== undefined)
                wake();
        };
        const wake = () => {
            if (caughtUp === undefined)
                return;
            caughtUp.resolve();
            caughtUp = undefined;
            worker.awaiting(-1);
        };
        worker.hashed.set(id, release);
        worker.sharedHashed.set(id, () => {
            for (const done of sharedSent.shift() ?? [])
                done();
            release();
        });
        const flushShared = () => {
            if (shared === undefined)
                return;
            worker.worker.postMessage({ op: 'shared', id, parts: shared.parts });
            sharedSent.push(shared.released);
            inFlight++;
            shared = undefined;
        };
        const flushCopied = () => {
            if (batch === undefined || filled === 0)
                return;
            const bytes = batch.buffer;
            worker.worker.postMessage({ op: 'update', id, bytes, length: filled }, [bytes]);
            inFlight++;
            batch = undefined;
            filled = 0;
        };
        // Only one of the two holds bytes at a time (each is sent before the other takes any): the order stays.
        const flush = () => {
            flushCopied();
            flushShared();
        };
        const backpressure = () => {
            if (inFlight < MAX_BATCHES_IN_FLIGHT)
                return undefined;
            if (caughtUp === undefined) {
                let resolve = () => undefined;
                const promise = new Promise((done) => (resolve = done));
                caughtUp = { promise, resolve };
                // A caller waiting for the worker to catch up keeps the process alive, as one awaiting a digest does.
                worker.awaiting(+1);
            }
            return caughtUp.promise;
        };
        const close = () => {
            if (closed)
                return;
            closed = true;
            worker.active--;
            worker.hashed.delete(id);
            wake();
        };
        return {
            update: (chunk, released) => {
                if (worker.failed !== undefined || closed)
                    return undefined;
                if (released !== undefined && chunk.buffer instanceof SharedArrayBuffer) {
                    flushCopied();
                    shared ??= { parts: [], released: [], bytes: 0 };
                    shared.parts.push([chunk.buffer, chunk.byteOffset, chunk.byteLength]);
                    shared.released.push(released);
                    shared.bytes += chunk.byteLength;
                    if (shared.bytes >= BATCH_BYTES)
                        flushShared();
                    return backpressure();
                }
                flushShared();
                for (let offset = 0; offset < chunk.byteLength;) {
                    batch ??= this.buffer();
                    const take = Math.min(batch.byteLength - filled, chunk.byteLength - offset);
                    batch.set(chunk.subarray(offset, offset + take), filled);
                    filled += take;
                    offset += take;
                    if (filled === batch.byteLength)
                        flushCopied();
                }
                released?.();
                return backpressure();
            },
            digest: () => {
                if (worker.failed !== undefined) {
                    close();
                    return Promise.reject(worker.failed);
                }
                flush();
                close();
                const answer = new Promise((resolve, reject) => worker.pending.set(id, { resolve, reject }));
                // Only a digest being awaited keeps the process alive: a hash abandoned without drop holds nothing.
                worker.awaiting(+1);
                worker.worker.postMessage({ op: 'end', id });
                return answer.finally(() => worker.awaiting(-1));
            },
            drop: () => {
                if (closed)
                    return;
                if (batch !== undefined)
                    this.spare(batch.buffer);
                batch = undefined;
                // Shared chunks not sent, or sent and perhaps not hashed yet, are never reported released.
                shared = undefined;
                worker.sharedHashed.delete(id);
                if (worker.failed === undefined)
                    worker.worker.postMessage({ op: 'drop', id });
                close();
            },
        };
    }
}
/** Workers for hashing: one core left to the main thread (which moves the bytes), at most 4. */
let poolSize = Math.max(1, Math.min(4, (0,external_node_os_.availableParallelism)() - 1));
let pool;
/** 0 hashes everything on the calling thread (a benchmark's baseline). Applies to hashes opened later. */
function setHashWorkers(count) {
    if (!Number.isInteger(count) || count < 0)
        throw new Error(`setHashWorkers: expected a whole number >= 0, got ${count}`);
    poolSize = count;
    pool = undefined;
}
/** Thread ids of the hashing workers running now (for tests and benchmarks). */
function hashWorkerThreadIds() {
    return pool?.threadIds() ?? [];
}
function inlineHash(hash) {
    return {
        update: (chunk, released) => {
            hash.update(chunk);
            released?.();
            return undefined;
        },
        digest: () => Promise.resolve(hash.digest('hex')),
        drop: () => undefined,
    };
}
/** A hash of a blob of `size` bytes: on a worker thread when it is large enough and workers are enabled. */
function openBlobHash(algorithm, size) {
    if (size < WORKER_HASH_MIN_BYTES || poolSize === 0)
        return inlineHash((0,external_node_crypto_.createHash)(algorithm));
    pool ??= new HashPool(poolSize);
    return pool.open(algorithm);
}

;// CONCATENATED MODULE: ./build/src/domain/image/digest.js
/**
 * Content digests. Everything fetched by digest is checked against it, so a
 * broken proxy or a lying registry cannot slip other bytes in.
 */




/** Algorithms node:crypto computes under the same name the OCI spec uses. */
const SUPPORTED_ALGORITHMS = new Set(['sha256', 'sha512']);
class DigestMismatchError extends errors/* ImageshipError */.K {
    operation;
    expected;
    actual;
    name = 'DigestMismatchError';
    /** `detail` replaces the standard wording after the operation (used for a size mismatch). */
    constructor(operation, expected, actual, detail) {
        super(`${operation}: ${detail ?? `content digest mismatch: expected ${expected}, got ${actual}`}`);
        this.operation = operation;
        this.expected = expected;
        this.actual = actual;
    }
}
/** `sha256:<hex>` of `bytes` (or another supported algorithm). */
function digestOf(bytes, algorithm = 'sha256') {
    if (!SUPPORTED_ALGORITHMS.has(algorithm))
        throw new Error(`unsupported digest algorithm ${JSON.stringify(algorithm)}`);
    return `${algorithm}:${(0,external_node_crypto_.createHash)(algorithm).update(bytes).digest('hex')}`;
}
/** Throws DigestMismatchError unless `bytes` hash to `expected`, in `expected`'s own algorithm. */
function verifyDigest(bytes, expected, operation) {
    const algorithm = expected.slice(0, expected.indexOf(':'));
    if (!SUPPORTED_ALGORITHMS.has(algorithm)) {
        throw new Error(`${operation}: cannot verify digest ${expected}: unsupported algorithm ${JSON.stringify(algorithm)}`);
    }
    const actual = digestOf(bytes, algorithm);
    if (actual !== expected)
        throw new DigestMismatchError(operation, expected, actual);
}
/**
 * A pass-through that hashes the bytes and counts them, and fails with
 * DigestMismatchError when they are more than `size`, fewer, or hash to
 * anything but `digest`. The most recent chunk is held back until the next
 * one arrives, and the last one until the check at the end passed, so a
 * consumer (an upload) never receives the complete bytes of a bad blob.
 */
function verifyingStream(digest, size, operation) {
    const algorithm = digest.slice(0, digest.indexOf(':'));
    if (!SUPPORTED_ALGORITHMS.has(algorithm)) {
        throw new Error(`${operation}: cannot verify digest ${digest}: unsupported algorithm ${JSON.stringify(algorithm)}`);
    }
    const hash = openBlobHash(algorithm, size);
    let seen = 0;
    let held;
    let failure;
    const fail = (error) => {
        failure = error;
        throw error;
    };
    const sizeError = (actual) => new DigestMismatchError(operation, digest, actual, `size mismatch for blob ${digest}: expected ${size} bytes, got ${actual}`);
    const transform = new TransformStream({
        transform(chunk, controller) {
            seen += chunk.byteLength;
            if (seen > size) {
                hash.drop();
                fail(sizeError(`at least ${seen}`));
            }
            const behind = hash.update(chunk);
            if (held !== undefined)
                controller.enqueue(held);
            held = chunk;
            return behind;
        },
        async flush(controller) {
            if (seen !== size) {
                hash.drop();
                fail(sizeError(String(seen)));
            }
            const actual = `${algorithm}:${await hash.digest()}`;
            if (actual !== digest)
                fail(new DigestMismatchError(operation, digest, actual));
            if (held !== undefined)
                controller.enqueue(held);
            held = undefined;
        },
    });
    return { transform, failure: () => failure, bytesSeen: () => seen };
}
/** verifyingStream as a node:stream Transform, with the same hold-back of the last chunk. */
function verifyingTransform(digest, size, operation) {
    const algorithm = digest.slice(0, digest.indexOf(':'));
    if (!SUPPORTED_ALGORITHMS.has(algorithm)) {
        throw new Error(`${operation}: cannot verify digest ${digest}: unsupported algorithm ${JSON.stringify(algorithm)}`);
    }
    const hash = openBlobHash(algorithm, size);
    let seen = 0;
    let held;
    let failure;
    const fail = (error) => (failure = error);
    const sizeError = (actual) => new DigestMismatchError(operation, digest, actual, `size mismatch for blob ${digest}: expected ${size} bytes, got ${actual}`);
    const transform = new external_node_stream_.Transform({
        transform(chunk, _encoding, callback) {
            seen += chunk.byteLength;
            if (seen > size) {
                hash.drop();
                callback(fail(sizeError(`at least ${seen}`)));
                return;
            }
            const behind = hash.update(chunk);
            const out = held;
            held = chunk;
            if (behind === undefined)
                callback(null, out);
            else
                behind.then(() => callback(null, out), callback);
        },
        flush(callback) {
            if (seen !== size) {
                hash.drop();
                callback(fail(sizeError(String(seen))));
                return;
            }
            hash.digest().then((hex) => {
                const actual = `${algorithm}:${hex}`;
                if (actual !== digest) {
                    callback(fail(new DigestMismatchError(operation, digest, actual)));
                    return;
                }
                const out = held;
                held = undefined;
                callback(null, out);
            }, (error) => callback(error));
        },
        destroy(error, callback) {
            // A no-op once the digest was asked for.
            hash.drop();
            callback(error);
        },
    });
    return { transform, failure: () => failure };
}
/**
 * The digest and size check of a blob for a consumer that forwards the bytes
 * itself (the raw upload, raw-blob-put.ts): `take` every chunk before
 * sending it, `end` once the source ended. Both throw DigestMismatchError
 * (also kept as `failure`) when the bytes are more than `size`, fewer, or
 * hash to anything but `digest`. `take` answers true for the chunk that
 * completes `size`: the consumer holds that one back until `end` passed, so
 * the receiver never gets the complete bytes of a bad blob.
 */
class BlobCheck {
    digest;
    size;
    operation;
    failure;
    /** undefined: the bytes are counted, not hashed (see the constructor). */
    hash;
    behind;
    algorithm;
    seen = 0;
    /**
     * `hashed: false` is for bytes the caller hashed itself a moment ago, in
     * memory (a layer it just wrote): hashing them again would only cost a
     * second pass. The size is still checked.
     */
    constructor(digest, size, operation, hashed = true) {
        this.digest = digest;
        this.size = size;
        this.operation = operation;
        this.algorithm = digest.slice(0, digest.indexOf(':'));
        if (!SUPPORTED_ALGORITHMS.has(this.algorithm)) {
            throw new Error(`${operation}: cannot verify digest ${digest}: unsupported algorithm ${JSON.stringify(this.algorithm)}`);
        }
        this.hash = hashed ? openBlobHash(this.algorithm, size) : undefined;
    }
    /**
     * `released`: see BlobHash.update (called once the check no longer needs
     * the chunk's memory; never when it failed, or was dropped first).
     */
    take(chunk, released) {
        this.seen += chunk.byteLength;
        if (this.seen > this.size) {
            this.hash?.drop();
            throw this.fail(this.sizeError(`at least ${this.seen}`));
        }
        if (this.hash === undefined) {
            this.behind = undefined;
            released?.();
        }
        else
            this.behind = this.hash.update(chunk, released);
        return this.seen === this.size;
    }
    /** After `take`: a promise when the hashing worker is behind (take no more until it resolves), else undefined. */
    backlog() {
        return this.behind;
    }
    /** Rejects as `take` throws; the hash may finish on a worker thread. */
    async end() {
        if (this.seen !== this.size) {
            this.hash?.drop();
            throw this.fail(this.sizeError(String(this.seen)));
        }
        if (!this.hash)
            return;
        const actual = `${this.algorithm}:${await this.hash.digest()}`;
        if (actual !== this.digest)
            throw this.fail(new DigestMismatchError(this.operation, this.digest, actual));
    }
    /** The transfer failed before `end`: the hash is not needed any more. */
    drop() {
        this.hash?.drop();
    }
    sizeError(actual) {
        return new DigestMismatchError(this.operation, this.digest, actual, `size mismatch for blob ${this.digest}: expected ${this.size} bytes, got ${actual}`);
    }
    fail(error) {
        this.failure = error;
        return error;
    }
}


/***/ }),

/***/ 8950:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   QS: () => (/* binding */ manifestKind),
/* harmony export */   c4: () => (/* binding */ configDescriptor),
/* harmony export */   nL: () => (/* binding */ indexEntries)
/* harmony export */ });
/* harmony import */ var _reference_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1605);
/* harmony import */ var _media_types_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8408);
/**
 * The parts of image manifests and indexes the client reads, with checks
 * that turn a malformed document into a clear error instead of a TypeError
 * deep inside the caller.
 */


/**
 * Index or image manifest. The mediaType field is optional in OCI documents,
 * so the document's shape decides when neither it nor Content-Type says.
 */
function manifestKind(mediaType, body) {
    if ((0,_media_types_js__WEBPACK_IMPORTED_MODULE_1__/* .isIndexMediaType */ .$$)(mediaType))
        return 'index';
    if ((0,_media_types_js__WEBPACK_IMPORTED_MODULE_1__/* .isImageManifestMediaType */ .d6)(mediaType))
        return 'image';
    if (mediaType === '' || mediaType === 'application/json') {
        const record = (body ?? {});
        if (Array.isArray(record.manifests))
            return 'index';
        if (record.config !== undefined && Array.isArray(record.layers))
            return 'image';
    }
    return 'unknown';
}
/** `body.config` of an image manifest, validated. */
function configDescriptor(body, operation) {
    const config = body?.config;
    return asDescriptor(config, `${operation}: the manifest's config descriptor`);
}
/** `body.manifests` of an index, validated. */
function indexEntries(body, operation) {
    const manifests = body?.manifests;
    if (!Array.isArray(manifests))
        throw new Error(`${operation}: the index has no "manifests" array`);
    return manifests.map((entry, i) => asDescriptor(entry, `${operation}: index entry ${i}`));
}
function asDescriptor(value, where) {
    if (value === null || typeof value !== 'object')
        throw new Error(`${where} is missing`);
    const record = value;
    if (typeof record.digest !== 'string' || (0,_reference_js__WEBPACK_IMPORTED_MODULE_0__/* .digestError */ .DD)(record.digest) !== undefined) {
        throw new Error(`${where} has no valid digest`);
    }
    if (typeof record.size !== 'number' || !Number.isSafeInteger(record.size) || record.size < 0) {
        throw new Error(`${where} has no valid size`);
    }
    return value;
}


/***/ }),

/***/ 8408:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $$: () => (/* binding */ isIndexMediaType),
/* harmony export */   ZX: () => (/* binding */ bareMediaType),
/* harmony export */   d6: () => (/* binding */ isImageManifestMediaType),
/* harmony export */   dY: () => (/* binding */ MANIFEST_ACCEPT),
/* harmony export */   mI: () => (/* binding */ MediaTypes)
/* harmony export */ });
/**
 * The manifest and config media types imageship understands: Docker's
 * schema 2 family and their OCI equivalents. Schema 1 is deliberately not
 * accepted; registries convert or refuse it, and it carries no config blob.
 */
const MediaTypes = {
    dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
    dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
    ociManifest: 'application/vnd.oci.image.manifest.v1+json',
    ociIndex: 'application/vnd.oci.image.index.v1+json',
    dockerConfig: 'application/vnd.docker.container.image.v1+json',
    ociConfig: 'application/vnd.oci.image.config.v1+json',
};
/** Sent as Accept on manifest requests; without it many registries answer with (or refuse to convert to) schema 1. */
const MANIFEST_ACCEPT = [
    MediaTypes.dockerManifest,
    MediaTypes.dockerManifestList,
    MediaTypes.ociManifest,
    MediaTypes.ociIndex,
].join(', ');
/** Index-like manifests point at other manifests, one per platform. */
function isIndexMediaType(mediaType) {
    return mediaType === MediaTypes.dockerManifestList || mediaType === MediaTypes.ociIndex;
}
/** Image manifests point at one config blob and its layers. */
function isImageManifestMediaType(mediaType) {
    return mediaType === MediaTypes.dockerManifest || mediaType === MediaTypes.ociManifest;
}
/** `application/json; charset=utf-8` → `application/json`. */
function bareMediaType(contentType) {
    return (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}


/***/ }),

/***/ 9133:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Bq: () => (/* binding */ formatPlatform),
/* harmony export */   HO: () => (/* binding */ selectPlatformManifest)
/* harmony export */ });
/* unused harmony export DEFAULT_PLATFORM */
/** What a CI runner builds for unless told otherwise. */
const DEFAULT_PLATFORM = Object.freeze({ os: 'linux', architecture: 'amd64' });
/**
 * The entry for `wanted`; without `wanted`, the only runnable entry, else
 * linux/amd64. Throws an Error listing what the index offers when nothing fits.
 */
function selectPlatformManifest(entries, wanted, operation) {
    const runnable = entries.filter(isRunnableEntry);
    if (wanted === undefined && runnable.length === 1)
        return runnable[0];
    const target = wanted ?? DEFAULT_PLATFORM;
    const match = runnable.find((entry) => entry.platform?.os === target.os && entry.platform.architecture === target.architecture);
    if (match)
        return match;
    const offered = runnable.map((entry) => (entry.platform ? formatPlatform(entry.platform) : 'unspecified')).join(', ');
    throw new Error(`${operation}: no ${formatPlatform(target)} image in the index (it has: ${offered || 'nothing runnable'})`);
}
function formatPlatform(platform) {
    return `${platform.os}/${platform.architecture}${platform.variant ? `/${platform.variant}` : ''}`;
}
/**
 * BuildKit adds provenance/SBOM "attestation manifests" to indexes as
 * `unknown/unknown` entries; they are not images anyone can run.
 */
function isRunnableEntry(entry) {
    if (entry.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest')
        return false;
    const platform = entry.platform;
    return !(platform?.os === 'unknown' && platform.architecture === 'unknown');
}


/***/ }),

/***/ 8398:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Z: () => (/* binding */ deriveSwrLogin),
/* harmony export */   a: () => (/* binding */ shortAccessKey)
/* harmony export */ });
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var _targets_huawei_endpoints_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1607);


/**
 * The long-term SWR login derived from an AK/SK pair, exactly what the SWR
 * console's "long-term login command" gives: user `{region}@{AK}`, password
 * hex(HMAC-SHA256(key = SK, message = AK)). Nothing is sent anywhere.
 */
function deriveSwrLogin(input) {
    const domain = input.domain ?? 'myhuaweicloud.com';
    const password = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHmac)('sha256', input.secretKey).update(input.accessKey, 'utf8').digest('hex');
    return {
        registry: `swr.${input.region}.${(0,_targets_huawei_endpoints_js__WEBPACK_IMPORTED_MODULE_1__/* .swrDomain */ .fQ)(input.region, domain)}`,
        username: `${input.region}@${input.accessKey}`,
        password,
    };
}
/** `HPUA…` — the only part of an access key imageship ever prints. */
function shortAccessKey(accessKey) {
    return `${accessKey.slice(0, 4)}…`;
}


/***/ }),

/***/ 5502:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   X: () => (/* binding */ endpointOf),
/* harmony export */   m: () => (/* binding */ AgentPool)
/* harmony export */ });
/* harmony import */ var node_https__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4708);
/* harmony import */ var node_net__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7030);
/* harmony import */ var _network_errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(434);
/* harmony import */ var _node_http_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(5409);
/* harmony import */ var _proxy_env_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(5916);
/* harmony import */ var _proxy_tunnel_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(5241);
/* harmony import */ var _timeouts_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(5664);
/* harmony import */ var _tls_trust_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(2980);








/** Destroys whatever is still connecting once `ms` have passed; `done()` when the connection is ready. */
function connectWatch(ms, where) {
    const sockets = [];
    let finished = false;
    const timer = ms > 0
        ? setTimeout(() => {
            finished = true;
            const error = (0,_timeouts_js__WEBPACK_IMPORTED_MODULE_6__/* .connectTimeout */ ._e)(where, ms);
            for (const socket of sockets)
                socket.destroy(error);
        }, ms)
        : undefined;
    timer?.unref();
    return {
        track(socket) {
            if (finished)
                return;
            sockets.push(socket);
            socket.once('close', () => this.done());
        },
        done() {
            finished = true;
            if (timer)
                clearTimeout(timer);
        },
    };
}
/** A bare address for sockets: URL keeps IPv6 literals in brackets. */
function endpointOf(url) {
    const secure = url.protocol === 'https:';
    return { host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port: Number(url.port || (secure ? 443 : 80)), secure };
}
class PlainAgent extends _node_http_js__WEBPACK_IMPORTED_MODULE_3__/* .http */ .L.Agent {
    connectMs;
    where;
    constructor(options, connectMs, where) {
        super(options);
        this.connectMs = connectMs;
        this.where = where;
    }
    // The base class's createConnection is net.createConnection.
    createConnection(options) {
        const socket = _node_http_js__WEBPACK_IMPORTED_MODULE_3__/* .http */ .L.Agent.prototype.createConnection.call(this, options);
        const watch = connectWatch(this.connectMs, this.where);
        watch.track(socket);
        socket.once('connect', () => watch.done());
        return socket;
    }
}
class TlsAgent extends node_https__WEBPACK_IMPORTED_MODULE_0__.Agent {
    connectMs;
    target;
    proxy;
    certsDir;
    constructor(options, connectMs, target, proxy, certsDir) {
        super(options);
        this.connectMs = connectMs;
        this.target = target;
        this.proxy = proxy;
        this.certsDir = certsDir;
    }
    createConnection(options, callback) {
        const base = node_https__WEBPACK_IMPORTED_MODULE_0__.Agent.prototype;
        const watch = connectWatch(this.connectMs, this.proxy ? `${(0,_network_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .hostPort */ .QL)(this.target)} through the proxy ${this.proxy.display}` : (0,_network_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .hostPort */ .QL)(this.target));
        if (this.proxy === undefined) {
            const socket = base.createConnection.call(this, options);
            watch.track(socket);
            socket.once('secureConnect', () => watch.done());
            return socket;
        }
        (0,_proxy_tunnel_js__WEBPACK_IMPORTED_MODULE_5__/* .openTunnel */ .X)(this.proxy, this.target, { track: (s) => watch.track(s), certsDir: this.certsDir }).then((tunnel) => {
            // The base class resumes a cached TLS session for this origin and caches the new one.
            const socket = base.createConnection.call(this, { ...options, socket: tunnel });
            watch.track(socket);
            socket.once('secureConnect', () => watch.done());
            callback?.(null, socket);
        }, (error) => {
            watch.done();
            callback?.(error, undefined);
        });
        return undefined;
    }
}
class AgentPool {
    config;
    agents = new Map();
    constructor(config) {
        this.config = config;
    }
    /** The route and agent for `url` (http: or https:). Throws TlsConfigError when the host's certs.d folder is unusable. */
    route(url) {
        const target = endpointOf(url);
        const proxy = (0,_proxy_env_js__WEBPACK_IMPORTED_MODULE_4__/* .proxyFor */ .iJ)(this.config.proxies, url);
        const kind = proxy === undefined ? 'direct' : target.secure ? 'tunnel' : 'forward';
        const key = kind === 'forward' ? `forward ${proxy?.display}` : `${url.protocol}//${(0,_network_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .hostPort */ .QL)(target)} ${proxy?.display ?? 'direct'}`;
        let agent = this.agents.get(key);
        if (agent === undefined) {
            agent = this.makeAgent(kind, target, proxy);
            this.agents.set(key, agent);
        }
        return { kind, target, proxy, agent };
    }
    makeAgent(kind, target, proxy) {
        const pooling = { keepAlive: true, maxSockets: this.config.maxSocketsPerOrigin, scheduling: 'lifo' };
        const connectMs = this.config.connectTimeoutMs;
        if (kind === 'forward' && proxy) {
            const proxyEnd = endpointOf(proxy.url);
            if (proxyEnd.secure)
                return new TlsAgent({ ...pooling, ...((0,node_net__WEBPACK_IMPORTED_MODULE_1__.isIP)(proxyEnd.host) ? {} : { servername: proxyEnd.host }) }, connectMs, proxyEnd, undefined, this.config.certsDir);
            return new PlainAgent(pooling, connectMs, `the proxy ${proxy.display}`);
        }
        if (!target.secure)
            return new PlainAgent(pooling, connectMs, (0,_network_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .hostPort */ .QL)(target));
        const tls = (0,_tls_trust_js__WEBPACK_IMPORTED_MODULE_7__/* .tlsOptionsFor */ .v6)(target, this.config.tls, this.config.certsDir);
        return new TlsAgent({ ...pooling, ...tls }, connectMs, target, proxy, this.config.certsDir);
    }
    /** TLS options for a raw connection to `target` (the same trust as the agents use). */
    tlsOptions(target) {
        return (0,_tls_trust_js__WEBPACK_IMPORTED_MODULE_7__/* .tlsOptionsFor */ .v6)(target, this.config.tls, this.config.certsDir);
    }
    /** Closes every pooled connection. */
    destroy() {
        for (const agent of this.agents.values())
            agent.destroy();
        this.agents.clear();
    }
}


/***/ }),

/***/ 434:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Dr: () => (/* binding */ NetworkError),
/* harmony export */   G5: () => (/* binding */ certsDirFor),
/* harmony export */   LW: () => (/* binding */ classifyNetworkError),
/* harmony export */   QL: () => (/* binding */ hostPort),
/* harmony export */   eB: () => (/* binding */ errorChain),
/* harmony export */   wo: () => (/* binding */ findNetworkError)
/* harmony export */ });
/* unused harmony exports UNTRUSTED_CODES, CLIENT_CERT_ALERTS */
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6760);
/* harmony import */ var _domain_errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3047);
/**
 * One classification of network failures, so every caller (registry, cloud
 * APIs, Kubernetes, triggers) says the same thing for the same failure: which
 * host, what happened (DNS, refused, reset, TLS trust, proxy, which
 * timeout), what to do about it, and, for the retry policy, whether another
 * try may help and whether the request can have reached the server.
 */


/** A failure with its one-line message; `cause` keeps Node's own error. */
class NetworkError extends _domain_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ImageshipError */ .K {
    name = 'NetworkError';
    kind;
    /** Another try may well succeed. */
    transient;
    /** No byte of the request reached the server (the connection failed first): safe to send again whatever the method. */
    nothingSent;
    /** Node's or OpenSSL's code, when there was one. */
    code;
    constructor(message, details) {
        super(message, details.cause === undefined ? undefined : { cause: details.cause });
        this.kind = details.kind;
        this.transient = details.transient;
        this.nothingSent = details.nothingSent;
        this.code = details.code;
    }
}
const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'EAI_NODATA']);
const UNREACHABLE_CODES = new Set(['EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN', 'EADDRNOTAVAIL']);
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'ERR_STREAM_PREMATURE_CLOSE', 'UND_ERR_SOCKET']);
const RESET_MESSAGES = ['socket hang up', 'other side closed', 'aborted'];
/** The server's certificate does not chain to a trusted CA. */
const UNTRUSTED_CODES = new Set([
    'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    'SELF_SIGNED_CERT_IN_CHAIN',
    'DEPTH_ZERO_SELF_SIGNED_CERT',
    'UNABLE_TO_GET_ISSUER_CERT',
    'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
    'CERT_SIGNATURE_FAILURE',
    'CERT_UNTRUSTED',
]);
/** TLS alerts a server sends when it will not accept our client certificate. */
const CLIENT_CERT_ALERTS = new Set([
    'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED',
    'ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE',
    'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA',
    'ERR_SSL_SSLV3_ALERT_CERTIFICATE_UNKNOWN',
    'ERR_SSL_TLSV1_ALERT_ACCESS_DENIED',
    'ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED',
    'ERR_SSL_TLSV1_ALERT_DECRYPT_ERROR',
]);
/** The error and everything it wraps (`cause`, AggregateError's `errors`), outermost first. */
function errorChain(error) {
    const links = [];
    const seen = new Set();
    const visit = (value, depth) => {
        if (depth > 8 || value === null || typeof value !== 'object' || seen.has(value))
            return;
        seen.add(value);
        const record = value;
        links.push({
            name: typeof record.name === 'string' ? record.name : '',
            message: typeof record.message === 'string' ? record.message : '',
            code: typeof record.code === 'string' ? record.code : undefined,
            reason: typeof record.reason === 'string' ? record.reason : undefined,
            value,
        });
        visit(record.cause, depth + 1);
        if (Array.isArray(record.errors))
            for (const inner of record.errors)
                visit(inner, depth + 1);
    };
    visit(error, 0);
    return links;
}
/** The NetworkError somewhere in `error`'s chain, if any. */
function findNetworkError(error) {
    return errorChain(error).find((link) => link.value instanceof NetworkError)?.value;
}
function hostPort(endpoint) {
    // Port 0: the caller could not say where the request went (an error from another Fetch, no URL).
    if (endpoint.port === 0)
        return endpoint.host;
    return `${endpoint.host.includes(':') ? `[${endpoint.host}]` : endpoint.host}:${endpoint.port}`;
}
/** The certs.d folder docker reads for a registry: `host` on 443, `host:port` otherwise. */
function certsDirFor(certsDir, endpoint) {
    return (0,node_path__WEBPACK_IMPORTED_MODULE_0__.join)(certsDir, endpoint.port === 443 ? endpoint.host : hostPort(endpoint));
}
/** Turns whatever a connection threw into a NetworkError naming the host and the fix. A NetworkError passes through. */
function classifyNetworkError(error, context) {
    const existing = findNetworkError(error);
    if (existing)
        return existing;
    const chain = errorChain(error);
    const codes = chain.map((link) => link.code).filter((code) => code !== undefined);
    const has = (set) => codes.find((code) => set.has(code));
    const target = context.target;
    const where = context.atProxy && context.proxy ? context.proxy.display : hostPort(target);
    const viaProxy = context.atProxy && context.proxy ? `the proxy ${context.proxy.display} (from ${context.proxy.variable})` : undefined;
    const make = (kind, message, transient, nothingSent, code) => new NetworkError(message, { kind, transient, nothingSent, code, cause: error });
    const notSent = !context.connected;
    const dns = has(DNS_CODES);
    if (dns) {
        const name = context.atProxy && context.proxy ? context.proxy.url.hostname : target.host;
        const what = dns === 'EAI_AGAIN' ? 'temporary DNS failure' : 'no such host';
        const fix = viaProxy ? ` — check ${context.proxy?.variable}` : ' — check the name, and this machine\'s DNS (or set HTTPS_PROXY if only a proxy can resolve it)';
        return make('dns', `cannot resolve ${name}${viaProxy ? ` (${viaProxy})` : ''}: ${what} (${dns})${fix}`, dns === 'EAI_AGAIN', true, dns);
    }
    if (codes.includes('ECONNREFUSED')) {
        const message = viaProxy
            ? `connection refused by ${viaProxy} (ECONNREFUSED) — is the proxy running? check ${context.proxy?.variable}`
            : `connection refused by ${where} (ECONNREFUSED) — nothing listens there: check the address and port`;
        return make('refused', message, true, true, 'ECONNREFUSED');
    }
    const unreachable = has(UNREACHABLE_CODES);
    if (unreachable) {
        return make('unreachable', `${viaProxy ?? where} is unreachable from this machine (${unreachable}) — check the network route, or the proxy settings`, true, true, unreachable);
    }
    const untrusted = has(UNTRUSTED_CODES);
    if (untrusted) {
        return make('tls-untrusted', `TLS: the certificate of ${where} is not signed by a trusted CA (${untrusted}) — trust its CA with NODE_EXTRA_CA_CERTS=/path/to/ca.pem, or put it in ${certsDirFor(context.certsDir, target)}/ca.crt`, false, true, untrusted);
    }
    if (codes.includes('ERR_TLS_CERT_ALTNAME_INVALID')) {
        const names = altNames(chain);
        return make('tls-name', `TLS: the certificate of ${where} is not valid for the name ${target.host}${names ? ` (it is for ${names})` : ''} (ERR_TLS_CERT_ALTNAME_INVALID) — use a name the certificate was issued for`, false, true, 'ERR_TLS_CERT_ALTNAME_INVALID');
    }
    if (codes.includes('CERT_HAS_EXPIRED') || codes.includes('CERT_NOT_YET_VALID')) {
        const expired = codes.includes('CERT_HAS_EXPIRED');
        return make('tls-expired', `TLS: the certificate of ${where} ${expired ? 'has expired' : 'is not valid yet'} (${expired ? 'CERT_HAS_EXPIRED' : 'CERT_NOT_YET_VALID'}) — renew the certificate, or check this machine's clock`, false, true, expired ? 'CERT_HAS_EXPIRED' : 'CERT_NOT_YET_VALID');
    }
    const alert = has(CLIENT_CERT_ALERTS);
    if (alert) {
        return make('tls-client-cert', `TLS: ${where} refused the connection's client certificate, or wants one (${alert}) — put the client certificate and key the server trusts in ${certsDirFor(context.certsDir, target)}/client.cert and client.key`, false, true, alert);
    }
    const tls = tlsReason(chain);
    if (tls) {
        const plain = /wrong version number|packet length too long|http request/i.test(tls.reason) ? ` — does ${where} speak https? (use http:// for a plain-HTTP server)` : '';
        return make('tls', `TLS handshake with ${where} failed: ${tls.reason}${tls.code ? ` (${tls.code})` : ''}${plain}`, false, notSent, tls.code);
    }
    const reset = has(RESET_CODES) ?? (chain.some((link) => RESET_MESSAGES.some((m) => link.message.toLowerCase().includes(m))) ? 'ECONNRESET' : undefined);
    if (reset) {
        const message = viaProxy
            ? `the connection to ${viaProxy} was closed before it answered (${reset})`
            : `the connection to ${where} was reset (${reset})${notSent ? ' before the request was sent' : ''}`;
        return make('reset', message, true, notSent, reset);
    }
    if (codes.includes('ETIMEDOUT')) {
        return make('connect-timeout', `connecting to ${viaProxy ?? where} timed out (ETIMEDOUT) — check the network route, or the proxy settings`, true, notSent, 'ETIMEDOUT');
    }
    const deepest = deepestMessage(chain);
    return make('other', `request to ${where} failed: ${deepest}`, false, notSent, codes[codes.length - 1]);
}
/** The certificate's subjectAltName, when Node attached the peer certificate to the error. */
function altNames(chain) {
    for (const link of chain) {
        const cert = link.value.cert;
        if (typeof cert?.subjectaltname === 'string')
            return cert.subjectaltname;
    }
    return undefined;
}
/** OpenSSL's short reason: `error.reason`, or the reason inside a long `…:error:0A00010B:SSL routines::wrong version number` line. */
function tlsReason(chain) {
    for (const link of chain) {
        if (link.code?.startsWith('ERR_SSL_') || link.code?.startsWith('ERR_TLS_') || (link.reason && link.message.includes('SSL'))) {
            return { reason: link.reason ?? link.message.split('\n')[0] ?? link.message, code: link.code };
        }
        const openSsl = /:error:[0-9A-F]+:[^:]*:[^:]*:([^:\n]+)/.exec(link.message);
        if (openSsl)
            return { reason: openSsl[1].trim(), code: link.code };
    }
    return undefined;
}
function deepestMessage(chain) {
    for (let i = chain.length - 1; i >= 0; i--) {
        const link = chain[i];
        const message = link.message.split('\n')[0]?.trim();
        if (message)
            return link.code && !message.includes(link.code) ? `${message} (${link.code})` : message;
    }
    return 'unknown error';
}


/***/ }),

/***/ 5409:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   L: () => (/* binding */ http)
/* harmony export */ });
/* harmony import */ var node_module__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8995);
/**
 * node:http through require, not an ES import: on Node 24 an ES import of
 * node:http builds the module's namespace, which reads every export,
 * including the lazy ones (WebSocket, MessageEvent) that load undici (≈ 40 ms
 * of start-up, the cost this layer exists to avoid). require() reads only
 * what is used. node:https, node:net and node:tls have no such exports.
 */

const http = (0,node_module__WEBPACK_IMPORTED_MODULE_0__.createRequire)(import.meta.url)('node:http');


/***/ }),

/***/ 5916:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  Xb: () => (/* binding */ ProxyConfigError),
  iJ: () => (/* binding */ proxyFor),
  zH: () => (/* binding */ proxySettingsFromEnv)
});

// UNUSED EXPORTS: parseProxyUrl

// EXTERNAL MODULE: external "node:net"
var external_node_net_ = __webpack_require__(7030);
;// CONCATENATED MODULE: ./build/src/http/no-proxy.js
/**
 * NO_PROXY, read the way curl (lib/noproxy.c, 7.86+) and Go
 * (golang.org/x/net/http/httpproxy) read it, so a runner's existing proxy
 * settings mean the same thing to imageship as to the tools beside it:
 *
 * - entries are separated by commas and/or blanks (curl); each is trimmed and
 *   lower-cased (both);
 * - `*` alone bypasses the proxy for every host (both);
 * - `example.com` matches example.com and any subdomain, never
 *   notexample.com (both);
 * - `.example.com` matches example.com too (curl strips the dot; Go would
 *   match subdomains only: we follow curl, which Node's and undici's own
 *   proxy support follow as well); `*.example.com` is read as `.example.com`;
 *   trailing dots are ignored (curl);
 * - `host:port` (and `[v6]:port`) applies to that port only (Go; curl has no
 *   port rule); the request's port is its explicit one or the scheme's default;
 * - IP literals and CIDR ranges, IPv4 and IPv6, match IP-literal hosts only,
 *   by address, not by spelling (both);
 * - `localhost` and loopback addresses (127.0.0.0/8, ::1) never go through a
 *   proxy (Go; curl would send them to the proxy unless listed): a remote
 *   proxy cannot reach this machine's loopback, so proxying it is never what a
 *   user means.
 *
 * Names are not resolved: a host name never matches an IP rule (both).
 */

/** Parses a NO_PROXY value; entries it cannot read are skipped, as curl and Go skip them. */
function parseNoProxy(value) {
    const source = value ?? '';
    const rules = [];
    for (const raw of source.split(/[\s,]+/)) {
        const entry = raw.trim().toLowerCase();
        if (entry === '')
            continue;
        if (entry === '*') {
            rules.push({ kind: 'all' });
            continue;
        }
        const rule = parseEntry(entry);
        if (rule !== undefined)
            rules.push(rule);
    }
    return { rules, source };
}
function parseEntry(entry) {
    // CIDR: 10.0.0.0/8, fd00::/8 (no port: neither curl nor Go reads one there).
    const slash = entry.indexOf('/');
    if (slash >= 0) {
        const bytes = ipBytes(entry.slice(0, slash));
        const bits = Number(entry.slice(slash + 1));
        if (bytes === undefined || !Number.isInteger(bits) || bits < 0 || bits > bytes.length * 8)
            return undefined;
        return { kind: 'ip', bytes, bits, port: undefined };
    }
    const { host, port } = splitHostPort(entry);
    if (host === '')
        return undefined;
    const bytes = ipBytes(host);
    if (bytes !== undefined)
        return { kind: 'ip', bytes, bits: bytes.length * 8, port };
    let domain = host.replace(/\.+$/, '');
    if (domain.startsWith('*.'))
        domain = domain.slice(1);
    domain = domain.replace(/^\.+/, '');
    if (domain === '' || domain.includes('*'))
        return undefined;
    return { kind: 'domain', domain, port };
}
/** `host`, `host:port`, `[v6]`, `[v6]:port`, or a bare IPv6 address (which has colons but no port). */
function splitHostPort(entry) {
    if (entry.startsWith('[')) {
        const close = entry.indexOf(']');
        if (close < 0)
            return { host: '', port: undefined };
        const rest = entry.slice(close + 1);
        const port = /^:(\d+)$/.exec(rest)?.[1];
        if (rest !== '' && port === undefined)
            return { host: '', port: undefined };
        return { host: entry.slice(1, close), port };
    }
    const colons = entry.split(':').length - 1;
    if (colons === 1) {
        const [host = '', port = ''] = entry.split(':');
        return /^\d+$/.test(port) ? { host, port } : { host: '', port: undefined };
    }
    return { host: entry, port: undefined };
}
/**
 * True when a request to `hostname` (as URL.hostname gives it: IPv6 in
 * brackets) on `port` must go direct.
 */
function bypassesProxy(rules, hostname, port) {
    const host = hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/\.+$/, '');
    const bytes = ipBytes(host);
    if (host === 'localhost' || (bytes !== undefined && isLoopback(bytes)))
        return true;
    for (const rule of rules.rules) {
        if (rule.kind === 'all')
            return true;
        if (rule.port !== undefined && rule.port !== port)
            continue;
        if (rule.kind === 'ip') {
            if (bytes !== undefined && inRange(bytes, rule.bytes, rule.bits))
                return true;
        }
        else if (bytes === undefined && (host === rule.domain || host.endsWith(`.${rule.domain}`))) {
            return true;
        }
    }
    return false;
}
/** An IPv4 address as 4 bytes, IPv6 as 16 (an IPv4-mapped IPv6 address as its IPv4 bytes); undefined for a name. */
function ipBytes(text) {
    const family = (0,external_node_net_.isIP)(text);
    if (family === 4)
        return Uint8Array.from(text.split('.').map(Number));
    if (family !== 6)
        return undefined;
    let address = text.split('%')[0] ?? text;
    // A trailing dotted IPv4 part (::ffff:1.2.3.4) becomes two hex groups.
    const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(address);
    if (dotted) {
        const [a = 0, b = 0, c = 0, d = 0] = dotted[1].split('.').map(Number);
        address = `${address.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
    }
    const [head = '', tail] = address.split('::');
    const left = head === '' ? [] : head.split(':');
    const right = tail === undefined || tail === '' ? [] : tail.split(':');
    const groups = [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
    const bytes = new Uint8Array(16);
    groups.forEach((group, i) => {
        const value = parseInt(group, 16);
        bytes[i * 2] = value >> 8;
        bytes[i * 2 + 1] = value & 0xff;
    });
    const mapped = bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
    return mapped ? bytes.slice(12) : bytes;
}
function inRange(address, network, bits) {
    if (address.length !== network.length)
        return false;
    const whole = Math.floor(bits / 8);
    for (let i = 0; i < whole; i++)
        if (address[i] !== network[i])
            return false;
    const rest = bits % 8;
    if (rest === 0)
        return true;
    const mask = (0xff << (8 - rest)) & 0xff;
    return (address[whole] & mask) === (network[whole] & mask);
}
function isLoopback(bytes) {
    if (bytes.length === 4)
        return bytes[0] === 127;
    return bytes.slice(0, 15).every((b) => b === 0) && bytes[15] === 1;
}

// EXTERNAL MODULE: ./build/src/domain/errors.js
var errors = __webpack_require__(3047);
;// CONCATENATED MODULE: ./build/src/http/proxy-env.js
/**
 * Which proxy, if any, a request goes through, from the environment as curl
 * and Go read it:
 *
 * - https:// targets use `https_proxy`/`HTTPS_PROXY`, http:// targets
 *   `http_proxy`/`HTTP_PROXY`; neither falls back to the other (curl, Go).
 *   When both spellings are set the lower-case one wins (curl, wget, Python,
 *   Node and undici; Go prefers upper case): an empty value counts as unset.
 * - Like Go, `HTTP_PROXY` is ignored when `REQUEST_METHOD` is set (a CGI
 *   request could have set it through a `Proxy:` header: "httpoxy").
 * - A proxy URL without a scheme is http:// (curl, Go); its port defaults to
 *   the scheme's (80/443: Go, Node; curl would say 1080). http:// and https://
 *   proxies are supported (TLS to the proxy, then CONNECT inside it); socks is
 *   refused with a message rather than silently ignored.
 * - Credentials in the URL (`http://user:p%40ss@proxy:3128`) are URL-decoded
 *   and sent as `Proxy-Authorization: Basic`; the password and the header
 *   value go to `onSecret` before anything else happens, and never appear in
 *   a message (`describe` prints the proxy without them).
 */


/** A proxy setting that cannot be used: thrown before any connection, naming the variable and the fix. */
class ProxyConfigError extends errors/* ImageshipError */.K {
    name = 'ProxyConfigError';
}
/** Reads the proxy variables; throws ProxyConfigError for one that is set but unusable. */
function proxySettingsFromEnv(env, onSecret = () => undefined) {
    const cgi = (env.REQUEST_METHOD ?? '') !== '';
    const https = pick(env, ['https_proxy', 'HTTPS_PROXY']);
    const http = pick(env, cgi ? ['http_proxy'] : ['http_proxy', 'HTTP_PROXY']);
    const noProxy = pick(env, ['no_proxy', 'NO_PROXY']);
    return {
        https: https && parseProxyUrl(https.value, https.name, onSecret),
        http: http && parseProxyUrl(http.value, http.name, onSecret),
        noProxy: parseNoProxy(noProxy?.value),
    };
}
/** The proxy for `url`, or undefined to go direct. */
function proxyFor(settings, url) {
    const server = url.protocol === 'https:' ? settings.https : url.protocol === 'http:' ? settings.http : undefined;
    if (server === undefined)
        return undefined;
    const port = url.port || (url.protocol === 'https:' ? '443' : '80');
    return bypassesProxy(settings.noProxy, url.hostname, port) ? undefined : server;
}
function pick(env, names) {
    for (const name of names) {
        const value = env[name]?.trim();
        if (value)
            return { name, value };
    }
    return undefined;
}
/** Parses one proxy URL; exported for tests and for callers that take a proxy from an input. */
function parseProxyUrl(value, variable, onSecret = () => undefined) {
    const text = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`;
    let url;
    try {
        url = new URL(text);
    }
    catch {
        throw new ProxyConfigError(`${variable} is not a proxy URL (${redactUserinfo(value)}): set it to http://host:port, or http://user:password@host:port`);
    }
    // Registered first: whatever goes wrong next must not print them in clear.
    const username = safeDecode(url.username);
    const password = safeDecode(url.password);
    if (password)
        onSecret(password);
    if (url.password)
        onSecret(url.password);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        throw new ProxyConfigError(`${variable} uses ${url.protocol.slice(0, -1)}://, which imageship does not speak: give an http:// (or https://) proxy`);
    }
    if (url.hostname === '')
        throw new ProxyConfigError(`${variable} has no host name: set it to http://host:port`);
    let authorization;
    if (username || password) {
        authorization = `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
        onSecret(authorization);
        onSecret(authorization.slice('Basic '.length));
    }
    const dial = new URL(`${url.protocol}//${url.host}`);
    return { url: dial, display: dial.origin, variable, authorization };
}
function safeDecode(text) {
    try {
        return decodeURIComponent(text);
    }
    catch {
        return text;
    }
}
/** A proxy value with any `user:password@` replaced, for an error about the value itself. */
function redactUserinfo(value) {
    return value.replace(/\/\/[^/@]*@/, '//***@');
}


/***/ }),

/***/ 5241:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   X: () => (/* binding */ openTunnel)
/* harmony export */ });
/* harmony import */ var node_net__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7030);
/* harmony import */ var node_tls__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1692);
/* harmony import */ var _network_errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(434);
/**
 * An HTTP CONNECT tunnel through a proxy: the way TLS to a registry or a
 * cloud API crosses a corporate proxy while staying end-to-end encrypted (the
 * proxy sees only host:port). The proxy itself may be http:// or https://
 * (TLS to the proxy, then the target's TLS inside it). A proxy that says no
 * gives one line naming the proxy, the destination, its answer and the fix;
 * its credentials are never part of a message.
 */



/** A proxy's answer to CONNECT is a few hundred bytes; anything past this is not one. */
const MAX_ANSWER_HEAD = 64 * 1024;
/** Opens a connection to `proxy` and asks it for a tunnel to `target`; resolves with the tunnel's socket. */
function openTunnel(proxy, target, options) {
    const host = proxy.url.hostname.replace(/^\[(.*)\]$/, '$1');
    const secure = proxy.url.protocol === 'https:';
    const port = Number(proxy.url.port || (secure ? 443 : 80));
    const authority = (0,_network_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .hostPort */ .QL)(target);
    const context = { target, proxy, atProxy: true, certsDir: options.certsDir, connected: false };
    return new Promise((resolve, reject) => {
        const socket = secure ? (0,node_tls__WEBPACK_IMPORTED_MODULE_1__.connect)({ host, port, ...((0,node_net__WEBPACK_IMPORTED_MODULE_0__.isIP)(host) === 0 ? { servername: host } : {}) }) : (0,node_net__WEBPACK_IMPORTED_MODULE_0__.connect)({ host, port });
        options.track(socket);
        let head = Buffer.alloc(0);
        let settled = false;
        const fail = (error) => {
            if (settled)
                return;
            settled = true;
            socket.destroy();
            reject(error instanceof _network_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .NetworkError */ .Dr ? error : (0,_network_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .classifyNetworkError */ .LW)(error, context));
        };
        const onData = (chunk) => {
            head = Buffer.concat([head, chunk]);
            const end = head.indexOf('\r\n\r\n');
            if (end < 0) {
                if (head.length > MAX_ANSWER_HEAD)
                    fail(refused(proxy, authority, 'an answer that is not HTTP', false));
                return;
            }
            socket.off('data', onData);
            socket.off('end', onEnd);
            socket.off('error', fail);
            const statusLine = head.subarray(0, head.indexOf('\r\n')).toString('latin1');
            const match = /^HTTP\/1\.[01] (\d{3})(?: (.*))?$/.exec(statusLine);
            const status = Number(match?.[1] ?? 0);
            if (status < 200 || status > 299) {
                fail(refused(proxy, authority, match ? `${status}${match[2] ? ` ${match[2]}` : ''}` : `"${statusLine.slice(0, 80)}"`, status === 502 || status === 503 || status === 504, status));
                return;
            }
            settled = true;
            socket.pause();
            const rest = head.subarray(end + 4);
            if (rest.length > 0)
                socket.unshift(rest);
            resolve(socket);
        };
        const onEnd = () => fail(Object.assign(new Error('the proxy closed the connection before answering CONNECT'), { code: 'ECONNRESET' }));
        socket.once(secure ? 'secureConnect' : 'connect', () => {
            const lines = [`CONNECT ${authority} HTTP/1.1`, `Host: ${authority}`];
            if (proxy.authorization)
                lines.push(`Proxy-Authorization: ${proxy.authorization}`);
            socket.write(`${lines.join('\r\n')}\r\n\r\n`);
        });
        socket.on('data', onData);
        socket.on('end', onEnd);
        socket.on('error', fail);
    });
}
/** The one line for a proxy that would not open the tunnel. */
function refused(proxy, authority, answer, transient, status) {
    let fix;
    if (status === 407) {
        fix = proxy.authorization
            ? `check the credentials in ${proxy.variable}`
            : `the proxy wants credentials: put them in ${proxy.variable} as ${proxy.url.protocol}//user:password@${proxy.url.host}`;
    }
    else if (transient) {
        fix = `the proxy could not reach ${authority}: check the name and port, or try again`;
    }
    else {
        fix = `the proxy does not allow this destination: ask its administrator, or list the host in NO_PROXY if it is reachable without the proxy`;
    }
    return new _network_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .NetworkError */ .Dr(`the proxy ${proxy.display} refused CONNECT to ${authority} (${answer}): ${fix}`, {
        kind: status === 407 ? 'proxy-auth' : 'proxy-refused',
        transient,
        nothingSent: true,
        code: status === undefined ? undefined : `HTTP_${status}`,
    });
}


/***/ }),

/***/ 5442:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   R: () => (/* binding */ registerRawConnector),
/* harmony export */   h: () => (/* binding */ rawConnectorOf)
/* harmony export */ });
const connectors = new WeakMap();
function registerRawConnector(fetch, connect) {
    connectors.set(fetch, connect);
}
/** The connect of the transport `fetch` belongs to; undefined for any other fetch. */
function rawConnectorOf(fetch) {
    return connectors.get(fetch);
}


/***/ }),

/***/ 9681:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   I: () => (/* binding */ readBodyBytes),
/* harmony export */   z: () => (/* binding */ settledResponse)
/* harmony export */ });
/* harmony import */ var _util_body_cap_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(5893);
/* harmony import */ var _util_buffered_response_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2339);
/* harmony import */ var _util_lite_response_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(4154);
/* harmony import */ var _retry_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(6092);
/**
 * Reading a whole answer body under a cap, for every caller that buffers one
 * (manifests, token answers, cloud and Kubernetes API answers, error bodies).
 * A failure while the body arrives is named by the one classification
 * (network-errors.ts, through the retry policy's classifyFailure).
 */




/**
 * Reads a whole response body, never more than `read.cap` of it: a declared
 * Content-Length over the cap fails before anything is read, and a body that
 * passes the cap while it arrives fails at once, its connection dropped
 * (BodyTooLargeError, naming what was read, the limit and the host). A body
 * that stalls past the request's timeout, or a connection that drops
 * mid-body, becomes an HttpError naming the operation instead of a bare
 * DOMException.
 */
async function readBodyBytes(response, operation, read) {
    const bounded = read.from === undefined && (0,_util_body_cap_js__WEBPACK_IMPORTED_MODULE_0__/* .hostOf */ .w4)(response.url) !== undefined ? { ...read, from: (0,_util_body_cap_js__WEBPACK_IMPORTED_MODULE_0__/* .hostOf */ .w4)(response.url) } : read;
    try {
        (0,_util_body_cap_js__WEBPACK_IMPORTED_MODULE_0__/* .checkDeclaredLength */ .VO)(response.headers.get('content-length'), bounded);
    }
    catch (error) {
        await response.body?.cancel().catch(() => undefined);
        throw error;
    }
    const collector = new _util_body_cap_js__WEBPACK_IMPORTED_MODULE_0__/* .BodyCollector */ .Yr(bounded);
    try {
        // Not `instanceof Response`: touching the global Response loads undici (≈ 40 ms), which the transport's fetch spares.
        if (response instanceof _util_lite_response_js__WEBPACK_IMPORTED_MODULE_2__/* .LiteResponseBase */ .$)
            return await response.bytesWithin(collector);
        return await readStreamWithin(response.body, collector);
    }
    catch (error) {
        if (error instanceof _util_body_cap_js__WEBPACK_IMPORTED_MODULE_0__/* .BodyTooLargeError */ .Au)
            throw error;
        const failure = (0,_retry_js__WEBPACK_IMPORTED_MODULE_3__/* .classifyFailure */ .XE)(error, undefined, response.url || undefined);
        throw new _retry_js__WEBPACK_IMPORTED_MODULE_3__/* .HttpError */ .j$(`${operation}: ${failure.what} while reading the response body`, {
            operation,
            attempts: 1,
            status: response.status,
            cause: error,
        });
    }
}
/** Any fetch's body through the collector; cancelled the moment it passes the cap. */
async function readStreamWithin(body, collector) {
    if (body === null)
        return new Uint8Array(0);
    const reader = body.getReader();
    try {
        for (;;) {
            const { done, value } = await reader.read();
            if (done)
                return collector.bytes();
            collector.push(value);
        }
    }
    catch (error) {
        await reader.cancel(error).catch(() => undefined);
        throw error;
    }
}
/**
 * A refused answer (a 401) read whole before its challenge is answered, as a
 * Response whose body can still be read for the error: its connection is back
 * in the pool when the token request goes out, so a token realm on the
 * registry's own origin (SWR, GHCR, Harbor…) is asked over that kept-alive
 * connection instead of a new one (TCP + TLS: 2 round trips); it waits for
 * the connection to be back in the pool (a HEAD's 401 has no body to read,
 * and the socket goes back a tick after the end). At most the
 * error-body cap is kept; a body past it, or one that fails to arrive, leaves
 * an empty body (its connection is dropped either way).
 */
async function settledResponse(response, operation) {
    let body;
    try {
        body = await readBodyBytes(response, operation, { what: `the answer to ${operation}`, cap: _util_body_cap_js__WEBPACK_IMPORTED_MODULE_0__/* .BODY_CAPS */ .V9.errorBody });
    }
    catch {
        body = new Uint8Array(0);
    }
    if (response instanceof _util_lite_response_js__WEBPACK_IMPORTED_MODULE_2__/* .LiteResponseBase */ .$)
        await response.released();
    return (0,_util_buffered_response_js__WEBPACK_IMPORTED_MODULE_1__/* .bufferedResponse */ .N)(response.status, response.statusText, response.headers, Buffer.from(body.buffer, body.byteOffset, body.byteLength), response.url);
}


/***/ }),

/***/ 6092:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   J5: () => (/* binding */ fetchWithRetry),
/* harmony export */   LL: () => (/* binding */ discardBody),
/* harmony export */   U3: () => (/* binding */ RETRYABLE_STATUSES),
/* harmony export */   Uq: () => (/* binding */ retryOperation),
/* harmony export */   XE: () => (/* binding */ classifyFailure),
/* harmony export */   Xo: () => (/* reexport safe */ _timeouts_js__WEBPACK_IMPORTED_MODULE_4__.Xo),
/* harmony export */   j$: () => (/* binding */ HttpError),
/* harmony export */   nZ: () => (/* binding */ resolvePolicy),
/* harmony export */   oR: () => (/* binding */ parseRetryAfterMs),
/* harmony export */   q$: () => (/* binding */ sendAndReadWithRetry)
/* harmony export */ });
/* unused harmony exports DEFAULT_RETRY_POLICY, isIdempotent, backoffMs, sendWithRetry */
/* harmony import */ var _util_body_cap_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(5893);
/* harmony import */ var _util_fetch_rules_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(9452);
/* harmony import */ var _network_errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(434);
/* harmony import */ var _agents_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(5502);
/* harmony import */ var _timeouts_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(5664);
/* harmony import */ var _tls_trust_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(2980);
/* harmony import */ var _domain_errors_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(3047);








const DEFAULT_RETRY_POLICY = Object.freeze({
    attempts: 4,
    baseDelayMs: 500,
    maxDelayMs: 8_000,
    retryAfterCapMs: 60_000,
    timeoutMs: 30_000,
});
/** Thrown when a request could not get a usable answer; statuses the caller can act on are returned instead. */
class HttpError extends _domain_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .ImageshipError */ .K {
    name = 'HttpError';
    /** The last HTTP status seen, when the give-up reason was a status. */
    status;
    operation;
    /** How many tries were made before giving up. */
    attempts;
    constructor(message, details) {
        super(message, details.cause === undefined ? undefined : { cause: details.cause });
        this.operation = details.operation;
        this.attempts = details.attempts;
        if (details.status !== undefined)
            this.status = details.status;
    }
}
/** Statuses that say "try again later" rather than "this request is wrong". */
const RETRYABLE_STATUSES = new Set([429, 502, 503, 504]);
/** Only these statuses carry a Retry-After we honour (RFC 9110 §10.2.3). */
const STATUSES_WITH_RETRY_AFTER = new Set([429, 503]);
/** RFC 9110 §9.2.2. PUT with a body included: see the file header. */
const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE']);
/** The HTTP-date forms (IMF-fixdate, RFC 850, asctime) start with a day name; anything else (`-1`, `1.5`, `soon`) is not a date. */
const HTTP_DATE = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,? /;
/** A request with a body that went unanswered is sent at most this often in all. */
const MAX_UNANSWERED_SENDS = 2;
/** RFC 9110 §9.2.2: GET, HEAD, OPTIONS, TRACE, PUT and DELETE are idempotent; POST and PATCH are not. */
function isIdempotent(method) {
    return IDEMPOTENT_METHODS.has(method.toUpperCase());
}
function resolvePolicy(policy) {
    const pick = (key) => {
        const value = policy?.[key];
        return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : DEFAULT_RETRY_POLICY[key];
    };
    return {
        attempts: Math.max(1, Math.floor(pick('attempts'))),
        baseDelayMs: pick('baseDelayMs'),
        maxDelayMs: pick('maxDelayMs'),
        retryAfterCapMs: pick('retryAfterCapMs'),
        timeoutMs: Math.max(1, pick('timeoutMs')),
    };
}
/** Full jitter: a random wait in [0, min(max, base × 2^(attempt−1))). */
function backoffMs(failedAttempt, policy, random = Math.random) {
    const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (failedAttempt - 1));
    return Math.floor(random() * ceiling);
}
/** Retry-After as delta-seconds or an HTTP date, capped; undefined when absent, unreadable or not meaningful for `status`. */
function parseRetryAfterMs(status, header, capMs = DEFAULT_RETRY_POLICY.retryAfterCapMs, now = Date.now()) {
    if (!STATUSES_WITH_RETRY_AFTER.has(status))
        return undefined;
    const value = header?.trim();
    if (!value)
        return undefined;
    let ms;
    if (/^\d+$/.test(value)) {
        // A huge number of seconds becomes Infinity here, and the cap below.
        ms = Number(value) * 1000;
    }
    else {
        // RFC 9110 §5.6.7's three HTTP-date forms all start with a day name; Date.parse alone would accept "-1" or "9999-12-31".
        if (!HTTP_DATE.test(value))
            return undefined;
        const at = Date.parse(value);
        if (Number.isNaN(at))
            return undefined;
        ms = Math.max(0, at - now);
    }
    return Math.min(ms, capMs);
}
/** Sorts a thrown fetch error: the transport's NetworkError knows; anything else (another Fetch) is read by the same classification. */
function classifyFailure(error, timeoutMs, url) {
    if ((0,_network_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .errorChain */ .eB)(error).some((link) => link.name === 'TimeoutError')) {
        return { transient: true, nothingSent: false, what: timeoutMs === undefined ? 'timed out' : `timed out after ${(0,_timeouts_js__WEBPACK_IMPORTED_MODULE_4__/* .formatSeconds */ .Xo)(timeoutMs)}` };
    }
    let network = (0,_network_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .findNetworkError */ .wo)(error);
    if (network === undefined) {
        let target = { host: 'the server', port: 0, secure: false };
        try {
            if (url)
                target = (0,_agents_js__WEBPACK_IMPORTED_MODULE_3__/* .endpointOf */ .X)(new URL(url));
        }
        catch {
            // Keep the generic name.
        }
        // Unknown whether the connection was up: assume the request may have gone out, unless the code says otherwise.
        network = (0,_network_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .classifyNetworkError */ .LW)(error, { target, certsDir: _tls_trust_js__WEBPACK_IMPORTED_MODULE_5__/* .DEFAULT_CERTS_DIR */ .iL, connected: true });
    }
    return { transient: network.transient, nothingSent: network.nothingSent, what: network.message };
}
const sleepFor = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
/**
 * Sends `req`, retrying transient failures as `policy` allows. Resolves with
 * the first answer that is not a transient failure, whatever its status
 * (404, 401, 500… are the caller's to read, body included); rejects with
 * HttpError when the network kept failing, a transient status persisted past
 * the last try (unless `onLastTransientStatus: 'answer'`), or the failure was
 * not worth retrying.
 */
async function fetchWithRetry(fetch, req, policy, sleep = sleepFor) {
    return (await sendWithRetry(fetch, req, policy, sleep)).response;
}
/** fetchWithRetry, also telling how many tries the answer took. */
async function sendWithRetry(fetch, req, policy, sleep = sleepFor) {
    const { response, attempts } = await sendAndReadWithRetry(fetch, req, undefined, policy, sleep);
    return { response, attempts };
}
/**
 * sendWithRetry that also reads the answer inside each try: when `read`
 * fails because the body broke off (a reset, the idle or per-attempt
 * timeout) and the request may be repeated, a fresh request is sent within
 * the same budget of tries. For small answers read whole (a Kubernetes
 * object); a body over its cap is not transient and is not tried again.
 */
async function sendAndReadWithRetry(fetch, req, read, policy, sleep = sleepFor) {
    const settings = resolvePolicy(policy);
    const method = (req.method ?? 'GET').toUpperCase();
    const idempotent = req.idempotent ?? isIdempotent(method);
    // Tries whose request (body included) went out and got no answer in time.
    let unanswered = 0;
    for (let attempt = 1;; attempt++) {
        const isLastAttempt = attempt >= settings.attempts;
        req.onAttempt?.(attempt);
        let response;
        try {
            response = await fetch(req.url, {
                method,
                ...(req.headers === undefined ? {} : { headers: req.headers }),
                ...(req.body === undefined ? {} : { body: req.body }),
                ...(req.refuseRedirects ? { redirect: 'manual' } : {}),
                signal: AbortSignal.timeout(settings.timeoutMs),
            });
        }
        catch (error) {
            const failure = classifyFailure(error, settings.timeoutMs, req.url);
            // A request that never left this machine can be sent again whatever its method.
            const mayRetry = failure.transient && (idempotent || failure.nothingSent);
            // A body the server took without answering may have been applied: send it once more, not again and again.
            if (req.body !== undefined && isTimeout(error) && ++unanswered >= MAX_UNANSWERED_SENDS) {
                throw new HttpError(`${req.operation}: no answer within ${(0,_timeouts_js__WEBPACK_IMPORTED_MODULE_4__/* .formatSeconds */ .Xo)(settings.timeoutMs)} of sending the request with its body, ${unanswered} times in a row; ` +
                    'not sent again: the server may or may not have applied it', { operation: req.operation, attempts: attempt, cause: error });
            }
            if (!mayRetry || isLastAttempt) {
                throw new HttpError(giveUpMessage(req.operation, failure.what, attempt), { operation: req.operation, attempts: attempt, cause: error });
            }
            await sleep(backoffMs(attempt, settings));
            continue;
        }
        if (req.refuseRedirects && _util_fetch_rules_js__WEBPACK_IMPORTED_MODULE_1__/* .REDIRECT_STATUSES */ .aq.has(response.status)) {
            await discardBody(response);
            throw new HttpError(refusedRedirectMessage(req, response), { operation: req.operation, attempts: attempt, status: response.status });
        }
        const retryable = RETRYABLE_STATUSES.has(response.status) && (idempotent || (response.status === 429 && req.retryRateLimited === true));
        if (retryable && isLastAttempt && req.onLastTransientStatus !== 'answer') {
            await discardBody(response);
            throw new HttpError(giveUpMessage(req.operation, `HTTP ${response.status}`, attempt), { operation: req.operation, attempts: attempt, status: response.status });
        }
        if (!retryable || isLastAttempt) {
            if (read === undefined)
                return { response, attempts: attempt, value: undefined };
            try {
                return { response, attempts: attempt, value: await read(response) };
            }
            catch (error) {
                // A body over its cap comes the same way again.
                if (error instanceof _util_body_cap_js__WEBPACK_IMPORTED_MODULE_0__/* .BodyTooLargeError */ .Au)
                    throw error;
                // A reader's HttpError (readBodyBytes) wraps the network failure.
                const failure = classifyFailure(error instanceof HttpError && error.cause !== undefined ? error.cause : error, settings.timeoutMs, req.url);
                if (!failure.transient || !idempotent || isLastAttempt)
                    throw error;
                await sleep(backoffMs(attempt, settings));
                continue;
            }
        }
        const wait = parseRetryAfterMs(response.status, response.headers.get('retry-after'), settings.retryAfterCapMs) ?? backoffMs(attempt, settings);
        await discardBody(response);
        await sleep(wait);
    }
}
/**
 * The same policy for a whole operation that cannot be replayed request by
 * request (a blob copy: a streamed body cannot be sent again, so a reset in
 * the middle of an upload needs a fresh GET and a fresh upload session).
 * `delayFor` says whether a failure is worth another try of the whole, and
 * may name the pause (a Retry-After the failure carried); undefined → give up.
 */
async function retryOperation(run, options) {
    const settings = resolvePolicy(options.policy);
    const sleep = options.sleep ?? sleepFor;
    for (let tries = 1;; tries++) {
        try {
            return await run();
        }
        catch (error) {
            if (options.signal?.aborted)
                throw error;
            const verdict = options.delayFor(error, tries);
            if (verdict === undefined || tries >= settings.attempts)
                throw error;
            const delay = verdict === 'backoff' ? backoffMs(tries, settings) : verdict;
            options.onRetry?.(error, delay, tries + 1, settings.attempts);
            await sleep(delay, options.signal);
        }
    }
}
function refusedRedirectMessage(req, response) {
    const location = response.headers.get('location');
    let where = 'no Location';
    if (location !== null) {
        try {
            where = new URL(location, req.url).host;
        }
        catch {
            where = 'an unreadable Location';
        }
    }
    return `${req.operation}: the API answered HTTP ${response.status}, a redirect to ${where}; imageship does not follow redirects of signed calls (nothing was sent there): check the endpoint`;
}
function isTimeout(error) {
    return (0,_network_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .errorChain */ .eB)(error).some((link) => link.name === 'TimeoutError');
}
function giveUpMessage(operation, what, attempts) {
    return `${operation}: ${what} after ${attempts} ${attempts === 1 ? 'attempt' : 'attempts'}`;
}
/**
 * Frees the connection of a response whose body nobody will read. A small
 * body is read to its end so the keep-alive connection is reused (cancelling
 * closes it, and against a remote registry each new connection costs a TLS
 * handshake); a large or unsized one is cancelled.
 */
async function discardBody(response) {
    const length = Number(response.headers.get('content-length') ?? Number.NaN);
    try {
        // arrayBuffer() of a null body is empty; not touching `body` spares the transport's fetch a Web stream.
        if (Number.isFinite(length) && length <= _util_fetch_rules_js__WEBPACK_IMPORTED_MODULE_1__/* .DRAIN_LIMIT_BYTES */ .Ju)
            await response.arrayBuffer();
        else
            await response.body?.cancel();
    }
    catch {
        // Nothing useful to do: the connection is being dropped either way.
    }
}


/***/ }),

/***/ 5664:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   QG: () => (/* binding */ idleTimeout),
/* harmony export */   Xo: () => (/* binding */ formatSeconds),
/* harmony export */   _e: () => (/* binding */ connectTimeout),
/* harmony export */   bP: () => (/* binding */ overallTimeout),
/* harmony export */   xD: () => (/* binding */ resolveTimeouts)
/* harmony export */ });
/* unused harmony export DEFAULT_TIMEOUTS */
/* harmony import */ var _network_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(434);
/**
 * Three timeouts, because a request can stall in three different ways and
 * each needs its own message: the connection never comes up (connect: DNS,
 * TCP, the proxy's CONNECT and the TLS handshake), the peer goes silent
 * mid-exchange (idle: no byte either way for N s, which is what a dead
 * connection looks like during a 2 GB blob), or the whole request takes too
 * long (overall: from sending to the body's last byte). Idle and overall
 * count while the caller reads the body too.
 */

const DEFAULT_TIMEOUTS = Object.freeze({ connectMs: 15_000, idleMs: 60_000, overallMs: 0 });
function resolveTimeouts(overrides, base = DEFAULT_TIMEOUTS) {
    const pick = (key) => {
        const value = overrides?.[key];
        return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : base[key];
    };
    return { connectMs: pick('connectMs'), idleMs: pick('idleMs'), overallMs: pick('overallMs') };
}
function formatSeconds(ms) {
    return `${Number((ms / 1000).toFixed(ms < 1000 ? 2 : 1))} s`;
}
function connectTimeout(where, ms) {
    return new _network_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .NetworkError */ .Dr(`connecting to ${where} timed out after ${formatSeconds(ms)} (connect timeout)`, {
        kind: 'connect-timeout',
        transient: true,
        nothingSent: true,
        code: 'ETIMEDOUT',
    });
}
function idleTimeout(where, ms, nothingSent) {
    return new _network_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .NetworkError */ .Dr(`no data from ${where} for ${formatSeconds(ms)} (idle timeout)`, {
        kind: 'idle-timeout',
        transient: true,
        nothingSent,
        code: 'ETIMEDOUT',
    });
}
function overallTimeout(what, ms, nothingSent) {
    return new _network_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .NetworkError */ .Dr(`${what} did not finish within ${formatSeconds(ms)} (overall timeout)`, {
        kind: 'overall-timeout',
        transient: true,
        nothingSent,
        code: 'ETIMEDOUT',
    });
}


/***/ }),

/***/ 2980:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   AI: () => (/* binding */ TlsConfigError),
/* harmony export */   iL: () => (/* binding */ DEFAULT_CERTS_DIR),
/* harmony export */   v6: () => (/* binding */ tlsOptionsFor)
/* harmony export */ });
/* unused harmony exports readCertsDir, defaultCaCertificates */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6760);
/* harmony import */ var node_tls__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1692);
/* harmony import */ var _network_errors_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(434);
/* harmony import */ var _domain_errors_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(3047);
/**
 * Whom a TLS connection trusts, and which client certificate it shows.
 *
 * By default Node's own store: its bundled roots plus `NODE_EXTRA_CA_CERTS`
 * (and the system store when Node runs with --use-system-ca). Node adds
 * NODE_EXTRA_CA_CERTS to every context that does not set `ca`, including
 * one wrapped around a CONNECT tunnel, so nothing needs doing for it.
 *
 * On top of that, per registry host, what docker itself trusts for it:
 * `/etc/docker/certs.d/<host[:port]>/` (the root overridable for tests and
 * rootless setups with the `certsDir` option or IMAGESHIP_DOCKER_CERTS_D),
 * read by docker's rules: every `*.crt` is a CA added to the default trust
 * (not replacing it), every `X.cert` is a client certificate whose key is
 * `X.key`. Setting `ca` in Node replaces the default store, so the defaults
 * are handed in again alongside (tls.getCACertificates('default') on Node
 * ≥ 22.15, the bundled roots plus the NODE_EXTRA_CA_CERTS file before).
 */





const DEFAULT_CERTS_DIR = '/etc/docker/certs.d';
/** A certs.d folder that docker itself would refuse; thrown before any connection. */
class TlsConfigError extends _domain_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ImageshipError */ .K {
    name = 'TlsConfigError';
}
/** Reads `<certsDir>/<host[:port]>`; undefined when there is no such folder. */
function readCertsDir(certsDir, endpoint) {
    const candidates = [(0,_network_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .certsDirFor */ .G5)(certsDir, endpoint)];
    // docker names the folder as the registry is written: "host" for 443, but a user may have written host:443.
    if (endpoint.port === 443)
        candidates.push((0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(certsDir, `${endpoint.host}:443`));
    for (const dir of candidates) {
        let names;
        try {
            names = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readdirSync)(dir).sort();
        }
        catch (error) {
            const code = error.code;
            if (code === 'ENOENT' || code === 'ENOTDIR')
                continue;
            throw new TlsConfigError(`cannot read ${dir} (${String(code ?? error)}): make it readable by this user, or set IMAGESHIP_DOCKER_CERTS_D to another folder`);
        }
        const contents = { dir, cas: [], certs: [], keys: [] };
        for (const name of names) {
            const file = (0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(dir, name);
            if (name.endsWith('.crt'))
                contents.cas.push((0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readFileSync)(file));
            else if (name.endsWith('.cert')) {
                const key = `${name.slice(0, -'.cert'.length)}.key`;
                if (!names.includes(key))
                    throw new TlsConfigError(`${file} has no ${key} beside it: a client certificate needs its key (a CA certificate goes in a .crt file)`);
                contents.certs.push((0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readFileSync)(file));
                contents.keys.push((0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readFileSync)((0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(dir, key)));
            }
            else if (name.endsWith('.key')) {
                const cert = `${name.slice(0, -'.key'.length)}.cert`;
                if (!names.includes(cert))
                    throw new TlsConfigError(`${file} has no ${cert} beside it: a client key needs its certificate`);
            }
        }
        return contents;
    }
    return undefined;
}
let defaultCas;
/** The CAs a context without `ca` trusts: what must be handed in again when `ca` is set. */
function defaultCaCertificates() {
    if (defaultCas !== undefined)
        return defaultCas;
    const modern = node_tls__WEBPACK_IMPORTED_MODULE_2__.getCACertificates;
    if (typeof modern === 'function') {
        defaultCas = modern('default');
    }
    else {
        defaultCas = [...node_tls__WEBPACK_IMPORTED_MODULE_2__.rootCertificates];
        const extra = process.env.NODE_EXTRA_CA_CERTS;
        if (extra) {
            try {
                defaultCas.push(...splitPem((0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readFileSync)(extra, 'utf8')));
            }
            catch {
                // Node itself warned about an unreadable NODE_EXTRA_CA_CERTS at start-up.
            }
        }
    }
    return defaultCas;
}
function splitPem(text) {
    return text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}
const list = (value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
/** The node:tls options for connections to `endpoint`. */
function tlsOptionsFor(endpoint, settings, certsDir) {
    const options = {};
    const folder = settings.ca === undefined ? readCertsDir(certsDir, endpoint) : undefined;
    const extra = [...list(settings.extraCa), ...(folder?.cas ?? [])];
    if (settings.ca !== undefined)
        options.ca = [...list(settings.ca), ...extra];
    else if (extra.length > 0)
        options.ca = [...defaultCaCertificates(), ...extra];
    if (settings.cert !== undefined && settings.key !== undefined) {
        options.cert = settings.cert;
        options.key = settings.key;
    }
    else if (folder && folder.certs.length > 0) {
        options.cert = folder.certs;
        options.key = folder.keys;
    }
    if (settings.servername !== undefined)
        options.servername = settings.servername;
    if (settings.rejectUnauthorized === false)
        options.rejectUnauthorized = false;
    checkTlsMaterial(options, folder?.dir);
    return options;
}
/** Builds the context once up front, so a bad PEM or a key that does not fit its certificate is reported by file, not mid-request. */
function checkTlsMaterial(options, folder) {
    if (options.ca === undefined && options.cert === undefined)
        return;
    try {
        node_tls__WEBPACK_IMPORTED_MODULE_2__.createSecureContext(options);
    }
    catch (error) {
        const code = error.code;
        const where = folder ?? 'the TLS settings given';
        const what = code === 'ERR_OSSL_X509_KEY_VALUES_MISMATCH' ? 'a client key does not belong to its certificate' : 'a certificate or key is not usable PEM';
        throw new TlsConfigError(`${where}: ${what} (${String(code ?? error.message)}) — replace the files with PEM certificates (.crt, .cert) and the matching key (.key)`);
    }
}


/***/ }),

/***/ 8580:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  o: () => (/* binding */ createTransport)
});

// EXTERNAL MODULE: ./build/src/http/agents.js
var agents = __webpack_require__(5502);
// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(7075);
// EXTERNAL MODULE: ./build/src/util/body-cap.js
var body_cap = __webpack_require__(5893);
// EXTERNAL MODULE: ./build/src/util/fetch-rules.js
var fetch_rules = __webpack_require__(9452);
// EXTERNAL MODULE: ./build/src/util/lite-headers.js
var lite_headers = __webpack_require__(2715);
// EXTERNAL MODULE: ./build/src/util/lite-response.js
var lite_response = __webpack_require__(4154);
// EXTERNAL MODULE: ./build/src/http/network-errors.js
var network_errors = __webpack_require__(434);
// EXTERNAL MODULE: ./build/src/util/credential-headers.js
var credential_headers = __webpack_require__(6890);
;// CONCATENATED MODULE: ./build/src/http/redirects.js
/**
 * Redirects, by the fetch standard's rules (which statuses, 303 and
 * POST-after-301/302 become a GET without body, at most 20 hops), with one
 * difference that matters here: every header that carries a credential stays
 * behind when a redirect leaves the origin. fetch drops only Authorization
 * (and the browser's cookies); imageship also signs calls with Huawei's
 * X-Auth-Token/X-Security-Token and Alibaba's x-acs-* headers, and a
 * registry may send a blob GET to a storage host that must not see any of
 * them.
 */



/** Lower-case names of the headers that never cross to another origin. */
const CREDENTIAL_HEADERS = (/* unused pure expression or super */ null && ([
    'authorization',
    'cookie',
    'proxy-authorization',
    'x-acs-security-token',
    'x-acs-accesskey-id',
    'x-auth-token',
    'x-security-token',
]));
/** The next hop for a redirect answer, or undefined when `status`/`location` is not one to follow. */
function nextHop(hop, status, location) {
    if (!fetch_rules/* REDIRECT_STATUSES */.aq.has(status) || location === undefined)
        return undefined;
    const url = new URL(location, hop.url);
    // The one rule of util/credential-headers.ts: credentials and every signer header (x-acs-*, x-sdk-*) stay with their origin.
    const headers = url.origin === hop.url.origin ? { ...hop.headers } : (0,credential_headers/* withoutCredentialHeaders */.W)(hop.headers);
    if (status === 303 ? hop.method !== 'HEAD' : (status === 301 || status === 302) && hop.method === 'POST') {
        for (const name of Object.keys(headers))
            if (name.startsWith('content-'))
                delete headers[name];
        return { url, method: 'GET', headers, body: null };
    }
    return { ...hop, url, headers };
}

// EXTERNAL MODULE: ./build/src/http/timeouts.js
var http_timeouts = __webpack_require__(5664);
;// CONCATENATED MODULE: ./build/src/http/fetch.js








/** fetch's own answer for a failed network: TypeError('fetch failed') with the reason as its cause. */
function fetchFailed(cause) {
    return new TypeError('fetch failed', { cause });
}
/** The request body as bytes or a stream; undefined → a shape only the global fetch handles. */
async function readBody(body, headers) {
    if (body === undefined || body === null)
        return null;
    if (typeof body === 'string') {
        headers['content-type'] ??= 'text/plain;charset=UTF-8';
        return Buffer.from(body, 'utf8');
    }
    if (body instanceof Uint8Array)
        return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
    if (body instanceof ArrayBuffer)
        return Buffer.from(body);
    if (body instanceof URLSearchParams) {
        headers['content-type'] ??= 'application/x-www-form-urlencoded;charset=UTF-8';
        return Buffer.from(body.toString(), 'utf8');
    }
    if (typeof Blob !== 'undefined' && body instanceof Blob) {
        if (body.type)
            headers['content-type'] ??= body.type;
        return Buffer.from(await body.arrayBuffer());
    }
    if (typeof body.getReader === 'function' || typeof body[Symbol.asyncIterator] === 'function') {
        return { stream: body };
    }
    return undefined;
}
/** The longest wait for an answered request to give its connection back (released()); it takes a tick. */
const RELEASE_WAIT_MS = 50;
const METHODS = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH'];
function makeFetch(start, defaults) {
    async function transportFetch(input, init = {}) {
        const headers = (0,lite_headers/* headerRecord */.jP)(init.headers);
        const target = typeof input === 'string' ? input : input instanceof URL ? input.href : undefined;
        const body = headers === undefined ? undefined : await readBody(init.body, headers);
        if (body === undefined || target === undefined || headers === undefined)
            return globalThis.fetch(input, init);
        const signal = init.signal ?? undefined;
        if (signal?.aborted)
            throw signal.reason;
        let url;
        try {
            url = new URL(target);
        }
        catch (error) {
            throw new TypeError(`Failed to parse URL from ${target}`, { cause: error });
        }
        if (url.protocol !== 'http:' && url.protocol !== 'https:')
            throw fetchFailed(new Error(`unsupported protocol ${url.protocol}`));
        const upper = (init.method ?? 'GET').toUpperCase();
        const method = METHODS.includes(upper) ? upper : (init.method ?? 'GET');
        const timeouts = (0,http_timeouts/* resolveTimeouts */.xD)(init.timeouts, defaults.timeouts);
        // 'refuse' never follows; a caller asking for 'manual' still gets the redirect answer to read.
        const redirect = defaults.redirects === 'refuse' && init.redirect !== 'manual' ? 'error' : (init.redirect ?? 'follow');
        let hop = { url, method, headers, body };
        for (let hops = 0;; hops++) {
            const exchange = start(hop.url, { method: hop.method, headers: hop.headers, signal, timeouts });
            writeBody(exchange, hop.body);
            let answer;
            try {
                answer = await exchange.response;
            }
            catch (error) {
                throw signal?.aborted && error === signal.reason ? error : fetchFailed(error);
            }
            const status = answer.statusCode ?? 0;
            const location = answer.headers.location;
            const next = redirect === 'manual' ? undefined : nextHop(hop, status, location);
            if (next === undefined)
                return new LiteResponse(answer, exchange, hop, hops > 0, signal);
            answer.resume();
            const where = `${next.url.origin}${next.url.pathname}`;
            if (redirect === 'error') {
                const why = defaults.redirects === 'refuse' ? 'this transport refuses redirects (a signed API call is never sent elsewhere)' : "redirect: 'error'";
                throw fetchFailed(new network_errors/* NetworkError */.Dr(`${hop.method} ${hop.url.origin}${hop.url.pathname} answered ${status}, a redirect to ${where}, which was refused: ${why}`, { kind: 'redirect', transient: false, nothingSent: false }));
            }
            if (hops >= fetch_rules/* MAX_REDIRECTS */.NX)
                throw fetchFailed(new network_errors/* NetworkError */.Dr(`redirect count exceeded (${fetch_rules/* MAX_REDIRECTS */.NX}) at ${where}`, { kind: 'redirect', transient: false, nothingSent: false }));
            if (next.body !== null && !Buffer.isBuffer(next.body)) {
                throw fetchFailed(new network_errors/* NetworkError */.Dr(`${hop.method} ${hop.url.origin}${hop.url.pathname} answered ${status}, a redirect to ${where}, but a streamed body cannot be sent twice`, { kind: 'redirect', transient: false, nothingSent: false }));
            }
            hop = next;
        }
    }
    return transportFetch;
}
function writeBody(exchange, body) {
    const { request } = exchange;
    if (body === null) {
        request.end();
        return;
    }
    if (Buffer.isBuffer(body)) {
        request.setHeader('content-length', String(body.length));
        request.end(body);
        return;
    }
    const source = typeof body.stream.getReader === 'function' ? external_node_stream_.Readable.fromWeb(body.stream) : external_node_stream_.Readable.from(body.stream);
    source.on('error', (error) => request.destroy(error));
    source.pipe(request);
}
/** A Response over a live IncomingMessage. */
class LiteResponse extends lite_response/* LiteResponseBase */.$ {
    #answer;
    #exchange;
    #signal;
    constructor(answer, exchange, hop, redirected, signal) {
        const status = answer.statusCode ?? 0;
        const hasBody = hop.method !== 'HEAD' && !fetch_rules/* NULL_BODY_STATUSES */.ID.has(status);
        super({ status, statusText: answer.statusMessage ?? '', fields: (0,lite_headers/* rawHeaderPairs */.jp)(answer.rawHeaders), url: hop.url.href, redirected, hasBody });
        this.#answer = answer;
        this.#exchange = exchange;
        this.#signal = signal;
        answer.on('error', () => undefined);
        if (!hasBody)
            answer.resume();
    }
    openStream() {
        return external_node_stream_.Readable.toWeb(this.#answer);
    }
    // The request's 'close' comes in the tick that hands its socket back to the agent, after the answer's end.
    released() {
        const request = this.#exchange.request;
        // Still sending its body (an upload refused early): the connection is not coming back soon; nothing to wait for.
        if (request.closed || !request.writableFinished)
            return Promise.resolve();
        return new Promise((resolve) => {
            // Should 'close' never come, the next request opens a connection of its own, as it would without the wait.
            const guard = setTimeout(resolve, RELEASE_WAIT_MS);
            guard.unref();
            request.once('close', () => {
                clearTimeout(guard);
                resolve();
            });
        });
    }
    async readAll(stream, collector) {
        const chunks = [];
        try {
            const source = stream ?? this.#answer;
            for await (const chunk of source) {
                if (collector === undefined)
                    chunks.push(chunk);
                else
                    collector.push(chunk);
            }
        }
        catch (error) {
            if (error instanceof body_cap/* BodyTooLargeError */.Au) {
                // Past the cap: the rest is never read, and the connection is not reused.
                this.#answer.destroy();
                throw error;
            }
            throw this.#signal?.aborted ? this.#signal.reason : fetchFailed(this.#exchange.classify(error));
        }
        if (this.#signal?.aborted)
            throw this.#signal.reason;
        if (!this.#answer.complete)
            throw fetchFailed(this.#exchange.classify(Object.assign(new Error('the connection closed before the body ended'), { code: 'ECONNRESET' })));
        return collector === undefined ? new Uint8Array(Buffer.concat(chunks)) : collector.bytes();
    }
}

// EXTERNAL MODULE: ./build/src/http/proxy-env.js + 1 modules
var proxy_env = __webpack_require__(5916);
// EXTERNAL MODULE: external "node:net"
var external_node_net_ = __webpack_require__(7030);
// EXTERNAL MODULE: external "node:tls"
var external_node_tls_ = __webpack_require__(1692);
// EXTERNAL MODULE: ./build/src/http/proxy-tunnel.js
var proxy_tunnel = __webpack_require__(5241);
;// CONCATENATED MODULE: ./build/src/http/raw-connect.js
/**
 * A ready connection for code that speaks HTTP/1.1 on a socket itself (the
 * hand-written blob client, registry/raw-http1.ts): the same route as the
 * agents (direct, or a CONNECT tunnel through the proxy for https://), the
 * same TLS trust (certs.d, client certificates, SNI for names only), the
 * same connect timeout, and TLS sessions resumed per host. For an http://
 * target behind a proxy the socket goes to the proxy and `forward` says how
 * to write the request: its absolute URI as the target, plus these headers.
 */







async function connectRaw(context, url, options = {}) {
    const target = (0,agents/* endpointOf */.X)(url);
    const proxy = (0,proxy_env/* proxyFor */.iJ)(context.proxies, url);
    const signal = options.signal;
    if (signal?.aborted)
        throw signal.reason;
    const tracked = [];
    const track = (socket) => void tracked.push(socket);
    const where = proxy ? `${(0,network_errors/* hostPort */.QL)(target)} through the proxy ${proxy.display}` : (0,network_errors/* hostPort */.QL)(target);
    let timedOut;
    const timer = context.connectTimeoutMs > 0
        ? setTimeout(() => {
            timedOut = (0,http_timeouts/* connectTimeout */._e)(where, context.connectTimeoutMs);
            for (const socket of tracked)
                socket.destroy(timedOut);
        }, context.connectTimeoutMs)
        : undefined;
    const onAbort = () => {
        for (const socket of tracked)
            socket.destroy(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const failure = { target, proxy, certsDir: context.certsDir, connected: false };
    try {
        if (proxy && !target.secure) {
            const proxyEnd = (0,agents/* endpointOf */.X)(proxy.url);
            const socket = await raw_connect_open(proxyEnd, proxyEnd.secure ? {} : undefined, track, options.socketOptions, undefined);
            return { socket, forward: { headers: proxy.authorization ? { 'proxy-authorization': proxy.authorization } : {} } };
        }
        const tunnel = proxy ? await (0,proxy_tunnel/* openTunnel */.X)(proxy, target, { track, certsDir: context.certsDir }) : undefined;
        const tls = target.secure ? context.pool.tlsOptions(target) : undefined;
        const socket = await raw_connect_open(target, tls, track, options.socketOptions, tunnel, context.sessions);
        return { socket, forward: undefined };
    }
    catch (error) {
        if (signal?.aborted)
            throw signal.reason;
        throw (0,network_errors/* classifyNetworkError */.LW)(timedOut ?? error, { ...failure, atProxy: proxy !== undefined && !target.secure });
    }
    finally {
        if (timer)
            clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
    }
}
/** TCP (or TLS when `tls` is given) to `endpoint`, or TLS inside `through`; resolves once ready for a request. */
function raw_connect_open(endpoint, tls, track, extra, through, sessions) {
    return new Promise((resolve, reject) => {
        let socket;
        if (tls) {
            const key = (0,network_errors/* hostPort */.QL)(endpoint);
            const session = sessions?.get(key);
            const secure = (0,external_node_tls_.connect)({
                ...(through ? { socket: through } : { host: endpoint.host, port: endpoint.port }),
                ...((0,external_node_net_.isIP)(endpoint.host) === 0 ? { servername: endpoint.host } : {}),
                ...tls,
                ...(session ? { session } : {}),
                ...extra,
            });
            secure.on('session', (data) => sessions?.set(key, data));
            socket = secure;
        }
        else {
            socket = through ?? (0,external_node_net_.connect)({ host: endpoint.host, port: endpoint.port, ...extra });
        }
        track(socket);
        const onError = (error) => {
            socket.destroy();
            reject(error);
        };
        socket.once('error', onError);
        const ready = () => {
            socket.off('error', onError);
            resolve(socket);
        };
        if (tls)
            socket.once('secureConnect', ready);
        else if (through)
            ready();
        else
            socket.once('connect', ready);
    });
}

// EXTERNAL MODULE: ./build/src/http/raw-connector.js
var raw_connector = __webpack_require__(5442);
// EXTERNAL MODULE: external "node:https"
var external_node_https_ = __webpack_require__(4708);
// EXTERNAL MODULE: ./build/src/http/node-http.js
var node_http = __webpack_require__(5409);
;// CONCATENATED MODULE: ./build/src/http/send.js




/** Starts a request to `url`; the caller writes the body and ends `request`. */
function startExchange(pool, certsDir, url, options) {
    const route = pool.route(url);
    const headers = { ...options.headers };
    const secureHop = route.kind === 'forward' ? route.proxy?.url.protocol === 'https:' : route.target.secure;
    let request;
    if (route.kind === 'forward' && route.proxy) {
        const proxyUrl = route.proxy.url;
        if (route.proxy.authorization)
            headers['proxy-authorization'] = route.proxy.authorization;
        headers.host = url.host;
        request = (secureHop ? external_node_https_.request : node_http/* http */.L.request)({
            hostname: proxyUrl.hostname.replace(/^\[(.*)\]$/, '$1'),
            port: Number(proxyUrl.port || (secureHop ? 443 : 80)),
            path: url.href.replace(/#.*$/, ''),
            method: options.method,
            headers,
            agent: route.agent,
        });
    }
    else {
        request = (secureHop ? external_node_https_.request : node_http/* http */.L.request)({
            hostname: route.target.host,
            port: route.target.port,
            path: `${url.pathname}${url.search}`,
            method: options.method,
            headers,
            agent: route.agent,
        });
    }
    const what = `${options.method} ${url.origin}${url.pathname}`;
    let connected = false;
    let settled = false;
    /** The answer's last byte arrived: the socket may already serve another request, so nothing here may touch it. */
    let complete = false;
    let answer;
    let overallTimer;
    const signal = options.signal;
    const response = new Promise((resolve, reject) => {
        const finishTimers = () => {
            if (overallTimer)
                clearTimeout(overallTimer);
            overallTimer = undefined;
            signal?.removeEventListener('abort', onAbort);
        };
        /** Ends the exchange with `error`: the pending head rejects, a body being read errors. */
        const fail = (error, alreadyClassified = false) => {
            if (complete)
                return;
            const failure = alreadyClassified || (signal?.aborted && error === signal.reason)
                ? error
                : (0,network_errors/* classifyNetworkError */.LW)(error, { target: route.target, proxy: route.proxy, atProxy: route.kind === 'forward' && !connected, certsDir, connected });
            finishTimers();
            if (!settled) {
                settled = true;
                reject(failure);
            }
            if (answer && !answer.complete)
                answer.destroy(failure);
            request.destroy();
        };
        const onAbort = () => fail(signal?.reason, true);
        if (signal?.aborted) {
            queueMicrotask(onAbort);
            return;
        }
        signal?.addEventListener('abort', onAbort, { once: true });
        if (options.timeouts.overallMs > 0) {
            overallTimer = setTimeout(() => fail((0,http_timeouts/* overallTimeout */.bP)(what, options.timeouts.overallMs, !connected), true), options.timeouts.overallMs);
            overallTimer.unref();
        }
        if (options.timeouts.idleMs > 0) {
            // Node arms it once the socket is connected: the connect timeout covers the time before.
            request.setTimeout(options.timeouts.idleMs, () => fail((0,http_timeouts/* idleTimeout */.QG)((0,network_errors/* hostPort */.QL)(route.target), options.timeouts.idleMs, !connected), true));
        }
        request.on('socket', (socket) => {
            if (request.reusedSocket)
                connected = true;
            else
                socket.once(secureHop ? 'secureConnect' : 'connect', () => (connected = true));
        });
        request.on('error', (error) => fail(error));
        request.on('response', (incoming) => {
            answer = incoming;
            // A forward proxy answers 407 itself; CONNECT's 407 is caught in the tunnel.
            if (route.kind === 'forward' && incoming.statusCode === 407 && route.proxy) {
                incoming.resume();
                const proxy = route.proxy;
                const fix = proxy.authorization ? `check the credentials in ${proxy.variable}` : `the proxy wants credentials: put them in ${proxy.variable} as ${proxy.url.protocol}//user:password@${proxy.url.host}`;
                fail(new network_errors/* NetworkError */.Dr(`the proxy ${proxy.display} refused ${options.method} ${url.origin} (407 ${incoming.statusMessage ?? 'Proxy Authentication Required'}): ${fix}`, { kind: 'proxy-auth', transient: false, nothingSent: true, code: 'HTTP_407' }), true);
                return;
            }
            settled = true;
            incoming.on('end', () => {
                complete = true;
                finishTimers();
            });
            incoming.on('close', () => {
                finishTimers();
                if (!incoming.complete && !incoming.destroyed)
                    incoming.destroy((0,network_errors/* classifyNetworkError */.LW)(Object.assign(new Error('the connection closed before the body ended'), { code: 'ECONNRESET' }), { target: route.target, proxy: route.proxy, certsDir, connected: true }));
            });
            resolve(incoming);
        });
    });
    // Whoever awaits it sees the failure; nobody awaiting it is not an unhandled rejection.
    response.catch(() => undefined);
    const classify = (error) => signal?.aborted && error === signal.reason ? error : (0,network_errors/* classifyNetworkError */.LW)(error, { target: route.target, proxy: route.proxy, certsDir, connected });
    return { request, response, route, classify };
}

// EXTERNAL MODULE: ./build/src/http/tls-trust.js
var tls_trust = __webpack_require__(2980);
;// CONCATENATED MODULE: ./build/src/http/transport.js








const DIRECT = Object.freeze({ http: undefined, https: undefined, noProxy: { rules: [], source: '' } });
/** Builds a transport. Throws ProxyConfigError for a proxy variable that is set but unusable (before any connection). */
function createTransport(options = {}) {
    const env = options.env ?? process.env;
    const onSecret = options.onSecret ?? (() => undefined);
    const proxies = options.proxy === 'none' ? DIRECT : (options.proxy ?? (0,proxy_env/* proxySettingsFromEnv */.zH)(env, onSecret));
    const certsDir = options.certsDir ?? (env.IMAGESHIP_DOCKER_CERTS_D?.trim() || tls_trust/* DEFAULT_CERTS_DIR */.iL);
    const timeouts = (0,http_timeouts/* resolveTimeouts */.xD)(options.timeouts);
    const pool = new agents/* AgentPool */.m({
        proxies,
        tls: options.tls ?? {},
        certsDir,
        connectTimeoutMs: timeouts.connectMs,
        maxSocketsPerOrigin: Math.max(1, Math.floor(options.maxSocketsPerOrigin ?? 16)),
    });
    const sessions = new Map();
    const toUrl = (url) => (typeof url === 'string' ? new URL(url) : url);
    const start = (url, send) => startExchange(pool, certsDir, url, send);
    const fetch = makeFetch(start, { timeouts, redirects: options.redirects ?? 'follow' });
    const connect = (url, connectOptions) => connectRaw({ pool, proxies, certsDir, connectTimeoutMs: timeouts.connectMs, sessions }, toUrl(url), connectOptions);
    (0,raw_connector/* registerRawConnector */.R)(fetch, connect);
    return {
        fetch,
        request: (url, request = {}) => start(toUrl(url), {
            method: request.method ?? 'GET',
            ...(request.headers ? { headers: request.headers } : {}),
            signal: request.signal,
            timeouts: (0,http_timeouts/* resolveTimeouts */.xD)(request.timeouts, timeouts),
        }),
        connect,
        proxyFor: (url) => (0,proxy_env/* proxyFor */.iJ)(proxies, toUrl(url)),
        close: () => pool.destroy(),
    };
}


/***/ }),

/***/ 6385:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   B: () => (/* binding */ describeSource)
/* harmony export */ });
function describeSource(source) {
    if (source.kind === 'local')
        return source.path;
    if (source.kind === 'obs')
        return `obs://${source.bucket}/${source.key}`;
    const url = new URL(source.url);
    return `${url.origin}${url.pathname}`;
}


/***/ }),

/***/ 4496:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  bP: () => (/* binding */ RegistryClient),
  gl: () => (/* reexport */ registry_error/* RegistryError */.gl)
});

// UNUSED EXPORTS: DEFAULT_UPLOAD_CHUNK_BYTES, parseImageReference

// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(7075);
// EXTERNAL MODULE: ./build/src/util/body-cap.js
var body_cap = __webpack_require__(5893);
// EXTERNAL MODULE: ./build/src/http/raw-connector.js
var raw_connector = __webpack_require__(5442);
;// CONCATENATED MODULE: ./build/src/registry/slab-reads.js
const SLAB_BYTES = 256 * 1024;
/** Below this much room a read would be needlessly small: start a new slab. */
const MIN_READ_BYTES = 64 * 1024;
/** Free slabs kept for reuse (4 MiB); beyond them a free slab is left to the collector. */
const FREE_SLABS_KEPT = 16;
/** Every slab by its memory, so a view can be traced to its slab (views of other memory are not ours). */
const slabOfMemory = new WeakMap();
const freeSlabs = [];
const stats = { allocated: 0, reused: 0 };
function takeSlab() {
    let slab = freeSlabs.pop();
    // A slab given back more than it lent (released twice after it was freed) is dropped, never reused.
    while (slab !== undefined && slab.lent !== 0)
        slab = freeSlabs.pop();
    if (slab !== undefined)
        stats.reused++;
    else {
        // Shared memory, so a hashing worker can read body bytes where they lie (hash-pool.ts) instead of a copy.
        slab = { bytes: Buffer.from(new SharedArrayBuffer(SLAB_BYTES)), lent: 0, current: true };
        slabOfMemory.set(slab.bytes.buffer, slab);
        stats.allocated++;
    }
    slab.current = true;
    return slab;
}
function freeIfUnused(slab) {
    if (!slab.current && slab.lent === 0 && freeSlabs.length < FREE_SLABS_KEPT)
        freeSlabs.push(slab);
}
/**
 * The consumer of `view` (body bytes a raw connection read, or a run of
 * adjacent ones: chunk-runs.ts) is done with it for good: its slab may be
 * reused once all of it is given back. Views of any other memory are
 * ignored. Call once per view, after its last use (for a socket write: in
 * the write's callback, never before).
 */
function releaseRead(view) {
    const slab = slabOfMemory.get(view.buffer);
    if (slab === undefined)
        return;
    slab.lent -= view.byteLength;
    // More given back than was lent: a consumer released twice. Never reuse this slab again.
    if (slab.lent < 0)
        slab.lent = Number.POSITIVE_INFINITY;
    freeIfUnused(slab);
}
/** Slabs allocated and reused in this process so far (for tests and benchmarks). */
function slabStats() {
    return { ...stats, free: freeSlabs.length };
}
class SlabReads {
    slab = takeSlab();
    used = 0;
    target;
    /** Bytes read before anyone listened (a peer should not speak first, but may). */
    early = [];
    /** For the socket's `onread` option. */
    options = {
        buffer: () => this.nextRegion(),
        callback: (bytes, buffer) => {
            const chunk = buffer.subarray(0, bytes);
            this.used += bytes;
            this.slab.lent += bytes;
            if (this.target === undefined)
                this.early.push(chunk);
            else
                this.target(chunk);
            return true;
        },
    };
    /** A read that came through the socket's 'data' event (a TLS socket inside a proxy tunnel ignores `onread`). */
    push(chunk) {
        if (this.target === undefined)
            this.early.push(chunk);
        else
            this.target(chunk);
    }
    /** The exchange reading this connection is over: reads wait for the next one (a kept-alive connection). */
    detach() {
        this.target = undefined;
    }
    hasUnread() {
        return this.target === undefined && this.early.length > 0;
    }
    /** From now on each read goes to `target`, those that came before first. */
    deliverTo(target) {
        this.target = target;
        const early = this.early;
        this.early = [];
        for (const chunk of early)
            target(chunk);
    }
    /** Called before each read for the region it goes to (the socket keeps only the latest region). */
    nextRegion() {
        if (SLAB_BYTES - this.used < MIN_READ_BYTES) {
            const done = this.slab;
            this.slab = takeSlab();
            this.used = 0;
            done.current = false;
            freeIfUnused(done);
        }
        return this.slab.bytes.subarray(this.used);
    }
}

;// CONCATENATED MODULE: ./build/src/registry/warm-connections.js

/** Unused connections are closed after this long: within a copy the next blob takes one at once, and a registry may drop idle ones. */
const IDLE_MS = 10_000;
/** Before any `open` gave a limit: the default copy concurrency. */
const DEFAULT_MAX_IDLE = 6;
/** Sockets given their idle error listener already (a kept-alive socket comes back many times). */
const quiet = new WeakSet();
/** Idle: an error or a close from the peer now only means the connection is not used; nor does it keep the process alive. */
function idleQuietly(socket) {
    if (!quiet.has(socket)) {
        quiet.add(socket);
        socket.on('error', () => undefined);
    }
    socket.unref();
}
class WarmConnections {
    connect;
    idle = new Map();
    /** Exchanges announced by `open` and not yet started, per origin. */
    wanted = new Map();
    /** Idle connections kept per origin at most: the latest `open` limit (the copy's concurrency). */
    maxIdle = DEFAULT_MAX_IDLE;
    constructor(connect) {
        this.connect = connect;
    }
    /**
     * Says one exchange to `url`'s origin is coming: a connection is opened for
     * it unless an idle one (kept alive, or opened ahead for a caller that did
     * not need it) is there to take, or `limit` are idle or opening already.
     */
    open(url, limit) {
        const origin = url.origin;
        const list = this.idle.get(origin) ?? [];
        this.maxIdle = limit;
        const wanted = (this.wanted.get(origin) ?? 0) + 1;
        this.wanted.set(origin, wanted);
        if (list.length >= wanted || list.length >= limit)
            return;
        const reads = new SlabReads();
        const opening = this.connect(url, { socketOptions: { onread: reads.options } }).then((connection) => {
            connection.socket.on('data', (chunk) => reads.push(chunk));
            idleQuietly(connection.socket);
            return { ...connection, reads };
        }, () => undefined);
        this.park(origin, opening);
    }
    /**
     * A kept-alive connection, after an exchange's answer completed cleanly
     * (raw-http1.ts): the next exchange to the origin takes it. Closed when
     * `limit` are idle there already.
     */
    release(origin, connection) {
        const list = this.idle.get(origin) ?? [];
        if (list.length >= this.maxIdle) {
            connection.socket.destroy();
            return;
        }
        idleQuietly(connection.socket);
        this.park(origin, Promise.resolve(connection));
    }
    /** Adds a connection (or one being opened) to the origin's idle list; it closes if nobody takes it in IDLE_MS. */
    park(origin, opening) {
        const warm = {
            opening,
            timer: setTimeout(() => {
                this.remove(origin, warm);
                void opening.then((connection) => connection?.socket.destroy());
            }, IDLE_MS).unref(),
        };
        const list = this.idle.get(origin) ?? [];
        list.push(warm);
        this.idle.set(origin, list);
    }
    /** A connector that takes a warm connection to the origin when there is one, else connects as usual; either is kept alive after. */
    connector = async (target, options) => {
        const url = typeof target === 'string' ? new URL(target) : target;
        const keepAlive = (socket, reads) => this.release(url.origin, { socket, forward: undefined, reads });
        for (let warm = this.take(url.origin); warm !== undefined; warm = this.take(url.origin)) {
            const connection = await warm.opening;
            if (connection === undefined)
                continue;
            const { socket } = connection;
            if (socket.destroyed || !socket.writable || socket.readableEnded || connection.reads?.hasUnread()) {
                socket.destroy();
                continue;
            }
            if (options?.signal?.aborted) {
                socket.destroy();
                throw options.signal.reason;
            }
            socket.ref();
            return { ...connection, keepAlive };
        }
        return { ...(await this.connect(url, options)), keepAlive };
    };
    /** Closes every warm connection not taken yet. */
    close() {
        this.wanted.clear();
        for (const [origin, list] of this.idle) {
            for (const warm of list) {
                clearTimeout(warm.timer);
                void warm.opening.then((connection) => connection?.socket.destroy());
            }
            this.idle.delete(origin);
        }
    }
    take(origin) {
        const wanted = this.wanted.get(origin) ?? 0;
        if (wanted > 0)
            this.wanted.set(origin, wanted - 1);
        const list = this.idle.get(origin);
        const warm = list?.shift();
        if (warm)
            clearTimeout(warm.timer);
        if (list?.length === 0)
            this.idle.delete(origin);
        return warm;
    }
    remove(origin, warm) {
        const list = this.idle.get(origin);
        const at = list?.indexOf(warm) ?? -1;
        if (list && at !== -1)
            list.splice(at, 1);
        if (list?.length === 0)
            this.idle.delete(origin);
    }
}

// EXTERNAL MODULE: ./build/src/http/retry.js
var retry = __webpack_require__(6092);
// EXTERNAL MODULE: ./build/src/http/read-body.js
var read_body = __webpack_require__(9681);
// EXTERNAL MODULE: external "node:buffer"
var external_node_buffer_ = __webpack_require__(4573);
;// CONCATENATED MODULE: ./build/src/registry/auth-challenge.js
/**
 * Parser for the WWW-Authenticate header (RFC 9110 §11.6.1): one or more
 * challenges, each `Scheme token68` or `Scheme k="v", k2=v2`. Registries put
 * commas inside quoted values (`scope="repository:a:pull,push"`), so a
 * split on "," is not enough.
 */
const TCHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/;
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*/;
/** Every challenge found; malformed trailing text is skipped rather than thrown on, since a header is server input. */
function parseWwwAuthenticate(header) {
    return new ChallengeReader(header).readAll();
}
/** The first challenge whose scheme matches, case-insensitively. */
function findChallenge(challenges, scheme) {
    const wanted = scheme.toLowerCase();
    return challenges.find((challenge) => challenge.scheme.toLowerCase() === wanted);
}
class ChallengeReader {
    text;
    pos = 0;
    constructor(text) {
        this.text = text;
    }
    readAll() {
        const challenges = [];
        for (;;) {
            this.skipSeparators();
            if (this.atEnd())
                return challenges;
            const scheme = this.readToken();
            if (scheme === '') {
                // Not a challenge start: skip to the next comma and try again.
                this.skipUntilComma();
                continue;
            }
            challenges.push(this.readChallengeBody(scheme));
        }
    }
    readChallengeBody(scheme) {
        const challenge = { scheme, params: {} };
        this.skipSpaces();
        const token68 = this.tryReadToken68();
        if (token68 !== undefined) {
            challenge.token68 = token68;
            return challenge;
        }
        while (!this.atEnd()) {
            const save = this.pos;
            const name = this.readToken();
            this.skipSpaces();
            if (name === '' || this.peek() !== '=') {
                // Not `name=`: this is where the next challenge (or junk) starts.
                this.pos = save;
                return challenge;
            }
            this.pos++; // '='
            this.skipSpaces();
            challenge.params[name.toLowerCase()] = this.peek() === '"' ? this.readQuotedString() : this.readBareValue();
            this.skipSpaces();
            if (this.peek() !== ',')
                return challenge;
            this.skipSeparators();
        }
        return challenge;
    }
    /** token68 only counts when it is all that follows the scheme, up to a comma or the end. */
    tryReadToken68() {
        const match = TOKEN68.exec(this.text.slice(this.pos));
        if (!match)
            return undefined;
        const after = this.pos + match[0].length;
        const rest = this.text.slice(after).trimStart();
        if (rest !== '' && !rest.startsWith(','))
            return undefined;
        this.pos = after;
        return match[0];
    }
    readQuotedString() {
        this.pos++; // opening quote
        let value = '';
        while (!this.atEnd()) {
            const char = this.text[this.pos++];
            if (char === '"')
                return value;
            if (char === '\\' && !this.atEnd()) {
                value += this.text[this.pos++];
            }
            else {
                value += char;
            }
        }
        return value; // unterminated: keep what was there
    }
    /**
     * An unquoted value. The RFC allows only token characters, but servers do
     * send bare URLs (`realm=https://…`); reading up to the next comma or space
     * takes them as meant.
     */
    readBareValue() {
        const start = this.pos;
        while (!this.atEnd() && !/[\s,]/.test(this.text[this.pos]))
            this.pos++;
        return this.text.slice(start, this.pos);
    }
    readToken() {
        const start = this.pos;
        while (!this.atEnd() && TCHAR.test(this.text[this.pos]))
            this.pos++;
        return this.text.slice(start, this.pos);
    }
    skipSpaces() {
        while (this.peek() === ' ' || this.peek() === '\t')
            this.pos++;
    }
    skipSeparators() {
        while (this.peek() === ' ' || this.peek() === '\t' || this.peek() === ',')
            this.pos++;
    }
    skipUntilComma() {
        while (!this.atEnd() && this.peek() !== ',')
            this.pos++;
    }
    peek() {
        return this.text[this.pos];
    }
    atEnd() {
        return this.pos >= this.text.length;
    }
}

// EXTERNAL MODULE: ./build/src/domain/image/reference.js
var image_reference = __webpack_require__(1605);
;// CONCATENATED MODULE: ./build/src/registry/endpoint.js
/**
 * Where a registry's API lives. Docker speaks plain HTTP to loopback
 * registries without being told to (they never leave the machine) and HTTPS
 * to everything else; imageship does the same.
 */

/** Docker Hub's API is not served under the name images are referenced by. */
const DOCKER_HUB_API_HOST = 'registry-1.docker.io';
/** `https://host[:port]` (no trailing slash) for a `host[:port]` registry name. */
function registryBaseUrl(registry, scheme) {
    if (!(0,image_reference/* isValidRegistryHost */.wv)(registry)) {
        throw new Error(`invalid registry ${JSON.stringify(registry)}: expected host[:port] without a scheme or path`);
    }
    const host = registry === image_reference/* DOCKER_HUB */.Xb || registry === 'index.docker.io' ? DOCKER_HUB_API_HOST : registry;
    return `${scheme ?? defaultScheme(registry)}://${host}`;
}
function defaultScheme(registry) {
    return isLoopbackHost(hostOf(registry)) ? 'http' : 'https';
}
/** localhost, 127.0.0.0/8 and [::1]; `host` may carry IPv6 brackets. */
function isLoopbackHost(host) {
    const bare = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
    if (bare === 'localhost' || bare === '::1' || bare === '0:0:0:0:0:0:0:1')
        return true;
    const octets = bare.split('.');
    return octets.length === 4 && octets[0] === '127' && octets.every((octet) => /^\d{1,3}$/.test(octet) && Number(octet) <= 255);
}
/** `host:port` → `host`, `[::1]:5000` → `[::1]`. */
function hostOf(registry) {
    if (registry.startsWith('['))
        return registry.slice(0, registry.indexOf(']') + 1);
    const colon = registry.lastIndexOf(':');
    return colon === -1 ? registry : registry.slice(0, colon);
}

// EXTERNAL MODULE: ./build/src/registry/registry-error.js
var registry_error = __webpack_require__(5613);
;// CONCATENATED MODULE: ./build/src/registry/token-services.js
/**
 * Where a registry's login may go besides the registry itself: the token
 * services the clouds document for their registries, whose realm lives on
 * another host. Every other registry (SWR, ACR Enterprise, GHCR, Harbor,
 * Quay, GCR/Artifact Registry, Azure CR…) names a realm on its own host,
 * and a realm anywhere else gets no credentials (see authenticator.ts).
 *
 * Keep this list short and sourced: each entry widens where a password goes.
 */
const RULES = [
    {
        registry: /^(?:registry-1|index)\.docker\.io$/,
        realm: 'auth.docker.io',
        source: 'Docker Hub: docs.docker.com/registry/spec/auth/token (realm https://auth.docker.io/token)',
    },
    {
        // ACR Personal Edition: registry.<region>.aliyuncs.com → dockerauth.<region>.aliyuncs.com (and the -vpc pair).
        registry: /^registry(-vpc)?\.([a-z0-9-]+)\.aliyuncs\.com$/,
        realm: 'dockerauth$1.$2.aliyuncs.com',
        source: 'Alibaba Cloud Container Registry Personal Edition (realm https://dockerauth.<region>.aliyuncs.com/auth)',
    },
    {
        registry: /^registry\.gitlab\.com$/,
        realm: 'gitlab.com',
        source: 'GitLab.com container registry (realm https://gitlab.com/jwt/auth)',
    },
];
/** Whether `realmHost` is the documented token service of the registry whose API host is `registryHost` (host names, no ports). */
function isDocumentedTokenService(registryHost, realmHost) {
    const registry = registryHost.toLowerCase();
    const realm = realmHost.toLowerCase();
    return RULES.some((rule) => {
        const match = rule.registry.exec(registry);
        if (match === null)
            return false;
        const expected = rule.realm.replace(/\$(\d)/g, (_, index) => match[Number(index)] ?? '');
        return realm === expected;
    });
}

;// CONCATENATED MODULE: ./build/src/registry/authenticator.js
/**
 * Answers a registry's 401 challenge the way the Docker client does: Basic
 * credentials for htpasswd-style registries, or a Bearer token fetched from
 * the realm the registry names (Docker Hub, SWR, GHCR, Harbor…). Tokens are
 * cached per scope set (`repository:dst:pull,push repository:src:pull` for a
 * cross-repository mount) so a session of calls asks the token service once.
 */








/** The pull scope of a repository, as the token spec spells it. */
function pullScope(repository) {
    return repositoryScope(repository, ['pull']);
}
/** `repository:<name>:<action,action>`, e.g. `repository:org/app:pull,push`. */
function repositoryScope(repository, actions) {
    return `repository:${repository}:${actions.join(',')}`;
}
/**
 * A scope set (`type:name:actions` items separated by spaces) as resource →
 * actions. A name may itself hold colons in other resource types, so the
 * last colon separates the actions.
 */
function parseScopes(scopes) {
    const resources = new Map();
    for (const item of scopes.split(/\s+/).filter(Boolean)) {
        const colon = item.lastIndexOf(':');
        if (colon <= 0)
            continue;
        const resource = item.slice(0, colon);
        const actions = resources.get(resource) ?? new Set();
        for (const action of item.slice(colon + 1).split(',').filter(Boolean))
            actions.add(action);
        resources.set(resource, actions);
    }
    return resources;
}
/**
 * The union of scope sets, normalised: one item per resource, resources and
 * actions sorted. Equal sets spell the same, so the result is a cache key.
 */
function mergeScopes(...scopeSets) {
    const merged = new Map();
    for (const scopes of scopeSets) {
        if (scopes === undefined)
            continue;
        for (const [resource, actions] of parseScopes(scopes)) {
            const into = merged.get(resource) ?? new Set();
            for (const action of actions)
                into.add(action);
            merged.set(resource, into);
        }
    }
    return [...merged.keys()]
        .sort()
        .map((resource) => `${resource}:${[...(merged.get(resource) ?? [])].sort().join(',')}`)
        .join(' ');
}
/** Whether `granted` asks for every action of every resource in `wanted`. */
function scopesCover(granted, wanted) {
    const have = parseScopes(granted);
    for (const [resource, actions] of parseScopes(wanted)) {
        const held = have.get(resource);
        if (held === undefined)
            return false;
        for (const action of actions)
            if (!held.has(action) && !held.has('*'))
                return false;
    }
    return true;
}
class RegistryAuthenticator {
    options;
    basicAuthorization;
    /** Set once the registry has asked for Basic; from then on it is sent up front. */
    registryWantsBasic = false;
    /** Normalised scope set (see mergeScopes) → `Bearer …` header value. */
    tokens = new Map();
    /** Token requests under way, so parallel calls hit by the same 401 share one. */
    pendingTokens = new Map();
    /** The host name the registry's API is served from (`registry-1.docker.io` for `docker.io`). */
    apiHost;
    /** The registry's last Bearer challenge (without its scope), once it has sent one. */
    bearerChallenge;
    /** Realm hosts already warned about. */
    warnedRealms = new Set();
    constructor(options) {
        this.options = options;
        const credentials = options.credentials;
        if (credentials) {
            options.onSecret?.(credentials.password);
            options.onSecret?.(`${credentials.username}:${credentials.password}`);
        }
        this.basicAuthorization = credentials
            ? `Basic ${external_node_buffer_.Buffer.from(`${credentials.username}:${credentials.password}`, 'utf8').toString('base64')}`
            : undefined;
        this.apiHost = new URL(registryBaseUrl(options.registry, 'https')).hostname.toLowerCase();
    }
    /**
     * The Authorization header to send up front for `scope` (one scope or a
     * space-separated set), when one is known already: the token asked for
     * exactly that set, else one asked for a wider set (a push token serves
     * the reads of the same repository).
     */
    authorizationFor(scope) {
        if (this.registryWantsBasic)
            return this.basicAuthorization;
        const key = mergeScopes(scope);
        const exact = this.tokens.get(key);
        if (exact !== undefined)
            return exact;
        for (const [granted, authorization] of this.tokens) {
            if (scopesCover(granted, key))
                return authorization;
        }
        return undefined;
    }
    /**
     * As authorizationFor, but when the registry has already asked for a
     * Bearer token (an earlier 401 named its realm) and no token held covers
     * `scope`, the token is fetched now — widened to what is held on the same
     * repositories — instead of after one more 401: a later step of the run
     * costs a token request, not a refused request and a token request.
     */
    async authorizationAhead(scope, operation) {
        const known = this.authorizationFor(scope);
        if (known !== undefined || this.bearerChallenge === undefined || scope.trim() === '')
            return known;
        return this.sharedTokenRequest(this.bearerChallenge, this.widened(scope), operation);
    }
    /**
     * The Authorization header that answers the 401 `response`, fetching a new
     * token when the registry asks for Bearer. undefined when the challenge is
     * absent or of a scheme imageship does not speak, and when the only answer
     * is the Authorization the refused request carried already (`sent`):
     * nothing new to offer, the caller reports the 401. When a parallel call
     * has cached another token for the same scope since, that one is returned
     * instead of asking the token service again.
     * Throws RegistryError when the challenge cannot be met.
     */
    async answerChallenge(response, scope, operation, sent) {
        const answer = await this.challengeAnswer(response, scope, operation, sent);
        return answer === sent ? undefined : answer;
    }
    async challengeAnswer(response, scope, operation, sent) {
        const header = response.headers.get('www-authenticate');
        const challenges = header ? parseWwwAuthenticate(header) : [];
        const bearer = findChallenge(challenges, 'bearer');
        if (bearer) {
            // Remembered without its scope: the realm and service serve every later scope of this registry.
            const { scope: _challenged, ...params } = bearer.params;
            this.bearerChallenge = { ...bearer, params };
            // A parallel call got a token for exactly this scope since this request went out: use it rather than ask again.
            const fresh = this.tokens.get(mergeScopes(scope));
            if (fresh !== undefined && fresh !== sent)
                return fresh;
            // Or one held since that covers it (a parallel call widened the scope).
            for (const [granted, authorization] of this.tokens) {
                if (authorization !== sent && scopesCover(granted, scope))
                    return authorization;
            }
            return this.sharedTokenRequest(bearer, this.widened(scope), operation);
        }
        if (findChallenge(challenges, 'basic')) {
            if (this.basicAuthorization === undefined) {
                throw await (0,registry_error/* registryErrorFromResponse */.vW)(response, operation, `registry ${this.options.registry} asks for a username and password (Basic auth) and none were given`);
            }
            this.registryWantsBasic = true;
            return this.basicAuthorization;
        }
        return undefined;
    }
    /**
     * `scope` plus what the tokens held already grant on the same resources:
     * a step that needs push where a pull token is held asks once for
     * pull+push, and that token then serves both (one token request per
     * registry and scope per run, not one per step).
     */
    widened(scope) {
        const wanted = parseScopes(scope);
        const overlapping = [...this.tokens.keys()].filter((granted) => [...parseScopes(granted).keys()].some((resource) => wanted.has(resource)));
        return mergeScopes(scope, ...overlapping);
    }
    sharedTokenRequest(challenge, scope, operation) {
        const key = mergeScopes(scope);
        const pending = this.pendingTokens.get(key);
        if (pending)
            return pending;
        const request = this.fetchToken(challenge, key, operation).finally(() => this.pendingTokens.delete(key));
        this.pendingTokens.set(key, request);
        return request;
    }
    async fetchToken(challenge, scope, operation) {
        const realm = this.realmUrl(challenge, operation);
        const url = new URL(realm);
        const service = challenge.params.service;
        if (service)
            url.searchParams.set('service', service);
        // What the registry challenged for plus what the call needs (a push or a
        // mount needs more than the registry may name in its first challenge).
        for (const wanted of mergeScopes(scope, challenge.params.scope).split(' ').filter(Boolean)) {
            url.searchParams.append('scope', wanted);
        }
        const authorization = this.mayReceiveLogin(url) ? this.basicAuthorization : undefined;
        const response = await (0,retry/* fetchWithRetry */.J5)(this.options.fetch, {
            url: url.href,
            headers: authorization === undefined ? {} : { authorization },
            operation: `${operation}: get a token from ${realm}`,
        }, this.options.retry);
        const hint = `while getting a token from ${realm}`;
        if (!response.ok)
            throw await (0,registry_error/* registryErrorFromResponse */.vW)(response, operation, hint);
        const answer = await (0,read_body/* readBodyBytes */.I)(response, operation, { what: 'the token answer', from: url.host, cap: body_cap/* BODY_CAPS */.V9.token });
        // Masked before anything else is done with the answer: a token is a password for its lifetime.
        for (const secret of tokenSecrets(answer))
            this.options.onSecret?.(secret);
        const token = extractToken(answer);
        if (token === undefined) {
            throw new registry_error/* RegistryError */.gl(`${operation}: the token service answered without a token (${hint})`, {
                status: response.status,
                operation,
            });
        }
        const bearer = `Bearer ${token}`;
        this.tokens.set(scope, bearer);
        return bearer;
    }
    /**
     * The login is bound to the registry it was given for: a token realm gets
     * it only on the registry's own host, or at the token service the cloud
     * documents for that registry (token-services.ts). Any other realm is asked
     * anonymously (a public image still works), with one warning naming it.
     */
    mayReceiveLogin(realm) {
        if (this.basicAuthorization === undefined)
            return false;
        const realmHost = realm.hostname.toLowerCase();
        if (realmHost === this.apiHost || isDocumentedTokenService(this.apiHost, realmHost))
            return true;
        if (!this.warnedRealms.has(realmHost)) {
            this.warnedRealms.add(realmHost);
            this.options.warn?.(`registry ${this.options.registry} names the token service ${realm.host}, which is neither ${this.apiHost} nor a token ` +
                `service documented for it: the login for ${this.options.registry} is not sent there; asking ${realm.host} for an anonymous token`);
        }
        return false;
    }
    /** The realm as a URL without query, checked before any credential is sent there. */
    realmUrl(challenge, operation) {
        const realm = challenge.params.realm;
        const refuse = (why) => {
            throw new registry_error/* RegistryError */.gl(`${operation}: HTTP 401: ${why}`, { status: 401, operation });
        };
        if (!realm)
            return refuse(`registry ${this.options.registry} sent a Bearer challenge without a realm`);
        let url;
        try {
            url = new URL(realm);
        }
        catch {
            return refuse(`registry ${this.options.registry} sent a Bearer realm that is not a URL: ${JSON.stringify(realm)}`);
        }
        if (url.protocol !== 'https:' && url.protocol !== 'http:')
            return refuse(`unsupported token realm scheme ${url.protocol}`);
        if (url.protocol === 'http:' &&
            this.basicAuthorization !== undefined &&
            !this.options.allowPlainHttpRealm &&
            !isLoopbackHost(url.hostname)) {
            return refuse(`refusing to send credentials to the plain-HTTP token realm ${url.origin}${url.pathname}`);
        }
        return url.href;
    }
}
/** Every credential-looking string field of a token answer (`token`, `access_token`, `refresh_token`…). */
function tokenSecrets(body) {
    try {
        const json = JSON.parse(new TextDecoder().decode(body));
        return Object.entries(json)
            .filter(([key, value]) => /token|secret|password/i.test(key) && typeof value === 'string')
            .map(([, value]) => value);
    }
    catch {
        return [];
    }
}
/** `token` per the Docker token spec, `access_token` per OAuth2; services send one or both. */
function extractToken(body) {
    try {
        const json = JSON.parse(new TextDecoder().decode(body));
        if (typeof json.token === 'string' && json.token !== '')
            return json.token;
        if (typeof json.access_token === 'string' && json.access_token !== '')
            return json.access_token;
    }
    catch {
        // Not JSON: reported as "without a token" by the caller.
    }
    return undefined;
}

;// CONCATENATED MODULE: ./build/src/registry/body-feed.js
/**
 * How a blob's bytes travel from the GET's connection to the upload's.
 *
 * getBlobReadable hands out a node:stream Readable (its public shape), an
 * Http1BodyStream over the raw connection. When the consumer is the raw
 * upload and nothing has read the stream yet, `chunkFeed` bypasses the
 * Readable: chunks go from the socket's 'data' event straight to the
 * upload's handler, with pause and resume acting on the socket. That skips
 * the Readable's buffering and a nextTick per chunk, which on a 200 MB copy
 * is a measurable share of the CPU. Any other Readable is read through its
 * events, with the same handler.
 */

/** An answer's body as a Readable; destroying it drops the connection. Counts its bytes for a progress reporter (copy-progress.ts) without a stream stage. */
class Http1BodyStream extends external_node_stream_.Readable {
    exchange;
    hooks;
    /** Set once a ChunkFeed took the body over: chunks go there instead of into this stream. */
    direct;
    endedInto = false;
    counter;
    constructor(exchange, hooks) {
        super();
        this.exchange = exchange;
        this.hooks = hooks;
        exchange.receive({
            chunk: (data) => {
                hooks.progress();
                this.counter?.(data.length);
                if (this.direct !== undefined)
                    this.direct.chunk(data);
                else if (!this.push(data))
                    exchange.pause();
            },
            end: () => {
                hooks.end();
                if (this.direct !== undefined)
                    this.direct.end();
                else {
                    this.endedInto = true;
                    this.push(null);
                }
            },
            error: (error) => {
                const mapped = hooks.mapError(error);
                if (this.direct !== undefined)
                    this.direct.error(mapped);
                else
                    this.destroy(mapped);
            },
        });
    }
    /** `listener` hears the size of every body chunk from now on (one listener). */
    countBytes(listener) {
        this.counter = listener;
    }
    _read() {
        this.exchange.resume();
    }
    _destroy(error, callback) {
        this.hooks.end();
        this.exchange.close();
        callback(error);
    }
    /** A feed of the rest of the body to `consumer`, or undefined once the stream has been read or has failed. */
    takeOver(consumer) {
        if (this.readableDidRead || this.readableFlowing === true || this.destroyed || this.direct !== undefined)
            return undefined;
        const dropped = { chunk: () => undefined, end: () => undefined, error: () => undefined };
        return {
            start: () => {
                // What arrived while nobody read sits in this stream's buffer: it goes first.
                const buffered = this.readableLength > 0 ? this.read() : null;
                this.direct = consumer;
                if (buffered !== null)
                    consumer.chunk(buffered);
                if (this.endedInto)
                    consumer.end();
                else
                    this.exchange.resume();
            },
            pause: () => this.exchange.pause(),
            resume: () => this.exchange.resume(),
            stop: () => {
                this.direct = dropped;
                this.exchange.pause();
            },
            exclusive: true,
        };
    }
}
/** `source`'s chunks, end and failure, for `consumer`: directly from the connection when it is an untouched Http1BodyStream. */
function chunkFeed(source, consumer) {
    return (source instanceof Http1BodyStream ? source.takeOver(consumer) : undefined) ?? readableFeed(source, consumer);
}
function readableFeed(source, consumer) {
    const onData = (chunk) => consumer.chunk(chunk);
    const onEnd = () => {
        source.off('close', onClose);
        consumer.end();
    };
    const onError = (error) => consumer.error(error);
    const onClose = () => consumer.error(new Error('the blob stream closed before its end'));
    let stopped = false;
    return {
        start: () => {
            if (source.errored) {
                consumer.error(source.errored);
                return;
            }
            if (source.destroyed || source.readableEnded) {
                consumer.error(new Error('the blob stream was consumed already'));
                return;
            }
            source.on('data', onData);
            source.once('end', onEnd);
            // Stays after stop: a source failing later must not become an uncaught error.
            source.on('error', (error) => {
                if (!stopped)
                    onError(error);
            });
            source.once('close', onClose);
        },
        pause: () => source.pause(),
        resume: () => source.resume(),
        stop: () => {
            stopped = true;
            source.off('data', onData);
            source.off('end', onEnd);
            source.off('close', onClose);
            source.pause();
        },
        exclusive: false,
    };
}

// EXTERNAL MODULE: ./build/src/domain/image/digest.js + 1 modules
var image_digest = __webpack_require__(3112);
;// CONCATENATED MODULE: ./build/src/registry/link-header.js
/**
 * The `Link: <url>; rel="next"` header registries use to page through tag
 * lists (RFC 8288; distribution spec "Listing Tags").
 */
/** The absolute URL of the `rel="next"` link, resolved against `currentUrl`; undefined when there is none. */
function nextPageUrl(linkHeader, currentUrl) {
    if (!linkHeader)
        return undefined;
    // Each link value is `<target>` followed by `;param` pairs; the target may contain commas, params rarely do.
    const linkValue = /<([^>]*)>((?:\s*;\s*[^;,]*)*)/g;
    for (const match of linkHeader.matchAll(linkValue)) {
        const target = match[1] ?? '';
        const params = match[2] ?? '';
        const rel = /;\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,]+))/i.exec(params);
        const relations = (rel?.[1] ?? rel?.[2] ?? '').toLowerCase().split(/\s+/);
        if (relations.includes('next'))
            return new URL(target, currentUrl).href;
    }
    return undefined;
}

// EXTERNAL MODULE: ./build/src/domain/image/manifest-shapes.js
var manifest_shapes = __webpack_require__(8950);
// EXTERNAL MODULE: ./build/src/domain/image/media-types.js
var media_types = __webpack_require__(8408);
// EXTERNAL MODULE: ./build/src/domain/image/platform.js
var image_platform = __webpack_require__(9133);
;// CONCATENATED MODULE: ./build/src/registry/chunk-runs.js
/**
 * Adjacent chunks joined into one view before they are hashed and written.
 *
 * A TLS connection hands its reads on one record at a time (≤ 16 KiB), so a
 * 200 MB blob arrives as ~12 000 chunks, and every chunk costs a socket
 * write (a node:stream write, a TLS record, a write request) and a hash
 * update. The chunks of one connection lie back to back in its read slab
 * (slab-reads.ts), so consecutive ones are one longer view of the same
 * memory: joining them costs no copy. A run is passed on when the next chunk
 * does not continue it (a new slab), when it reaches `maxBytes`, on `flush`,
 * or once the reads that arrived together have all been seen (setImmediate:
 * after the event loop's I/O phase), so bytes never wait for more to come.
 */
class ChunkRuns {
    pass;
    maxBytes;
    run;
    scheduled;
    flushLater = () => {
        this.scheduled = undefined;
        this.flush();
    };
    constructor(pass, maxBytes = 256 * 1024) {
        this.pass = pass;
        this.maxBytes = maxBytes;
    }
    add(chunk) {
        const run = this.run;
        if (run !== undefined && run.buffer === chunk.buffer && run.byteOffset + run.byteLength === chunk.byteOffset && run.byteLength + chunk.byteLength <= this.maxBytes) {
            this.run = Buffer.from(run.buffer, run.byteOffset, run.byteLength + chunk.byteLength);
        }
        else {
            if (run !== undefined)
                this.flush();
            this.run = chunk;
        }
        if (this.run !== undefined && this.run.byteLength >= this.maxBytes)
            this.flush();
        else
            this.scheduled ??= setImmediate(this.flushLater);
    }
    /** Passes on what is held now. */
    flush() {
        const run = this.run;
        this.run = undefined;
        if (run !== undefined)
            this.pass(run);
    }
    /** Drops what is held; nothing more is passed on until the next `add`. */
    clear() {
        this.run = undefined;
        if (this.scheduled !== undefined)
            clearImmediate(this.scheduled);
        this.scheduled = undefined;
    }
}

// EXTERNAL MODULE: ./build/src/domain/errors.js
var errors = __webpack_require__(3047);
;// CONCATENATED MODULE: ./build/src/registry/http1-head.js
/**
 * The text parts of an HTTP/1.1 exchange, for the blob byte path that speaks
 * HTTP on its own sockets (raw-http1.ts): the request head we send, the
 * response head we read (status line and fields, however the bytes are split
 * across reads, with a size limit), and how the response body is delimited
 * (RFC 9112 §6.3). Pure functions and one small accumulator: no I/O here.
 */

/** Longer answers heads are refused, as node:http refuses past its own (16 KiB) limit. */
const MAX_RESPONSE_HEAD_BYTES = 64 * 1024;
/** A response the client cannot read: the connection is dropped and the request reported as failed. */
class Http1ProtocolError extends errors/* ImageshipError */.K {
    name = 'Http1ProtocolError';
}
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const STATUS_LINE = /^HTTP\/1\.[01] ([1-9]\d{2})(?: ([^\r\n]*))?$/;
/** CR, LF and NUL would end a line early, or smuggle another field in. */
const UNSAFE_IN_FIELD = /[\r\n\0]/;
/**
 * `METHOD /path?query HTTP/1.1` and its fields. `Host` comes from the URL;
 * `Connection: close` unless the connection may serve another request after
 * this one (`keepAlive`: HTTP/1.1's default, so no field at all).
 * Throws on a field that would break the head (a line break in a token).
 */
function serializeRequestHead(method, url, fields, forward, keepAlive = false) {
    // Through a forward proxy (an http:// target): the absolute URI, and the proxy's own credentials.
    const target = forward ? `${url.origin}${url.pathname}${url.search}` : `${url.pathname}${url.search}`;
    let head = `${method} ${target} HTTP/1.1\r\nHost: ${url.host}\r\n${keepAlive ? '' : 'Connection: close\r\n'}`;
    if (forward)
        fields = { ...fields, ...forward.headers };
    for (const [name, value] of Object.entries(fields)) {
        if (!TOKEN.test(name))
            throw new Error(`invalid HTTP header name ${JSON.stringify(name)}`);
        if (UNSAFE_IN_FIELD.test(value))
            throw new Error(`invalid value for HTTP header ${name}: it holds a line break or NUL`);
        const lower = name.toLowerCase();
        if (lower === 'host' || lower === 'connection')
            continue;
        head += `${name}: ${value}\r\n`;
    }
    return `${head}\r\n`;
}
/**
 * Collects the bytes of one response head as they arrive. `push` returns
 * undefined until the blank line that ends the head has come, then the
 * parsed head and whatever body bytes arrived in the same read.
 */
class ResponseHeadReader {
    buffered;
    push(chunk) {
        const previous = this.buffered?.length ?? 0;
        const bytes = this.buffered === undefined ? chunk : Buffer.concat([this.buffered, chunk]);
        // The blank line may straddle reads: look again from up to 3 bytes back.
        const end = bytes.indexOf('\r\n\r\n', Math.max(0, previous - 3), 'latin1');
        if (end === -1) {
            if (bytes.length > MAX_RESPONSE_HEAD_BYTES)
                throw new Http1ProtocolError(`the answer's head is larger than ${MAX_RESPONSE_HEAD_BYTES} bytes`);
            this.buffered = bytes;
            return undefined;
        }
        if (end + 4 > MAX_RESPONSE_HEAD_BYTES)
            throw new Http1ProtocolError(`the answer's head is larger than ${MAX_RESPONSE_HEAD_BYTES} bytes`);
        this.buffered = undefined;
        return { head: parseResponseHead(bytes.toString('latin1', 0, end)), rest: bytes.subarray(end + 4) };
    }
}
/** A status line and its field lines (CRLF-separated, without the blank line). */
function parseResponseHead(text) {
    const lines = text.split('\r\n');
    const statusLine = lines[0] ?? '';
    const match = STATUS_LINE.exec(statusLine);
    if (match === null)
        throw new Http1ProtocolError(`not an HTTP/1.x status line: ${JSON.stringify(statusLine.slice(0, 80))}`);
    const fields = [];
    for (let i = 1; i < lines.length; i++) {
        const line = lines[i];
        const colon = line.indexOf(':');
        // Obsolete line folding (a line starting with whitespace) and names with spaces are refused, as RFC 9112 §5 asks.
        const name = colon > 0 ? line.slice(0, colon) : '';
        if (!TOKEN.test(name))
            throw new Http1ProtocolError(`malformed header line in the answer: ${JSON.stringify(line.slice(0, 80))}`);
        const value = line.slice(colon + 1).trim();
        if (value.includes('\n') || value.includes('\r') || value.includes('\0'))
            throw new Http1ProtocolError(`malformed value for header ${name}`);
        fields.push([name.toLowerCase(), value]);
    }
    return { status: Number(match[1]), reason: match[2] ?? '', fields };
}
/** The field's value, repeated fields joined with ", " as RFC 9110 §5.3 allows; undefined when absent. */
function headerValue(head, name) {
    let value;
    for (const [field, fieldValue] of head.fields) {
        if (field === name)
            value = value === undefined ? fieldValue : `${value}, ${fieldValue}`;
    }
    return value;
}
/**
 * How the body of `head`, the answer to a request that is not HEAD, is
 * delimited (RFC 9112 §6.3): none for 1xx, 204 and 304; chunked when
 * Transfer-Encoding says so (Content-Length is then ignored); else
 * Content-Length; else until the connection closes. Repeated Content-Length
 * values must agree; any transfer coding but chunked alone is refused (we
 * cannot undo it, and the digest check would then blame the registry's bytes).
 */
function bodyFraming(head) {
    if (head.status < 200 || head.status === 204 || head.status === 304)
        return { kind: 'none' };
    const transferEncoding = headerValue(head, 'transfer-encoding');
    if (transferEncoding !== undefined) {
        const codings = transferEncoding.split(',').map((coding) => coding.trim().toLowerCase()).filter(Boolean);
        if (codings.length === 1 && codings[0] === 'chunked')
            return { kind: 'chunked' };
        throw new Http1ProtocolError(`unsupported Transfer-Encoding ${JSON.stringify(transferEncoding)}`);
    }
    const contentLength = headerValue(head, 'content-length');
    if (contentLength === undefined)
        return { kind: 'close' };
    return { kind: 'length', length: parseContentLength(contentLength) };
}
/** `1234`, or `1234, 1234` from repeated fields; anything else is refused. */
function parseContentLength(value) {
    let length;
    for (const item of value.split(',')) {
        const text = item.trim();
        const parsed = /^\d{1,16}$/.test(text) ? Number(text) : Number.NaN;
        if (!Number.isSafeInteger(parsed))
            throw new Http1ProtocolError(`invalid Content-Length ${JSON.stringify(value)}`);
        if (length !== undefined && parsed !== length)
            throw new Http1ProtocolError(`conflicting Content-Length values ${JSON.stringify(value)}`);
        length = parsed;
    }
    if (length === undefined)
        throw new Http1ProtocolError(`invalid Content-Length ${JSON.stringify(value)}`);
    return length;
}

// EXTERNAL MODULE: external "node:net"
var external_node_net_ = __webpack_require__(7030);
// EXTERNAL MODULE: external "node:tls"
var external_node_tls_ = __webpack_require__(1692);
;// CONCATENATED MODULE: ./build/src/registry/http1-chunked.js
/**
 * Undoes `Transfer-Encoding: chunked` (RFC 9112 §7.1) as bytes arrive, for
 * the raw HTTP/1.1 path: registries answer blobs with a Content-Length, but
 * a proxy or storage backend in front of one may stream them chunked.
 * Chunk extensions and trailer fields are read past and ignored.
 */

/** A chunk-size line or trailer line longer than this is not a reasonable peer. */
const MAX_LINE_BYTES = 8 * 1024;
const HEX_SIZE = /^[0-9A-Fa-f]{1,13}$/;
class ChunkedDecoder {
    state = 'size';
    /** Data bytes left in the current chunk. */
    remaining = 0;
    /** The part of a size or trailer line received so far. */
    line = '';
    /** Whether the last chunk and the trailer section have been read. */
    get done() {
        return this.state === 'done';
    }
    /**
     * Decodes `chunk`, handing each piece of body data to `emit`. Returns the
     * number of bytes of `chunk` used: less than its length only once done
     * (what follows is not part of this message). Throws Http1ProtocolError on
     * malformed framing.
     */
    push(chunk, emit) {
        let at = 0;
        while (at < chunk.length && this.state !== 'done') {
            if (this.state === 'data') {
                const take = Math.min(this.remaining, chunk.length - at);
                emit(at === 0 && take === chunk.length ? chunk : chunk.subarray(at, at + take));
                at += take;
                this.remaining -= take;
                if (this.remaining === 0)
                    this.state = 'data-end';
                continue;
            }
            const newline = chunk.indexOf(10, at);
            const end = newline === -1 ? chunk.length : newline + 1;
            this.line += chunk.toString('latin1', at, end);
            at = end;
            if (this.line.length > MAX_LINE_BYTES)
                throw new Http1ProtocolError('a chunked body has an over-long size or trailer line');
            if (newline === -1)
                continue;
            if (!this.line.endsWith('\r\n'))
                throw new Http1ProtocolError('a chunked body has a line not ended by CRLF');
            const line = this.line.slice(0, -2);
            this.line = '';
            this.takeLine(line);
        }
        return at;
    }
    takeLine(line) {
        if (this.state === 'data-end') {
            if (line !== '')
                throw new Http1ProtocolError('a chunk is longer than its size says');
            this.state = 'size';
            return;
        }
        if (this.state === 'trailer') {
            if (line === '')
                this.state = 'done';
            return;
        }
        const semicolon = line.indexOf(';');
        const sizeText = (semicolon === -1 ? line : line.slice(0, semicolon)).trimEnd();
        if (!HEX_SIZE.test(sizeText))
            throw new Http1ProtocolError(`invalid chunk size ${JSON.stringify(line.slice(0, 40))}`);
        const size = Number.parseInt(sizeText, 16);
        if (!Number.isSafeInteger(size))
            throw new Http1ProtocolError(`invalid chunk size ${JSON.stringify(sizeText)}`);
        if (size === 0)
            this.state = 'trailer';
        else {
            this.remaining = size;
            this.state = 'data';
        }
    }
}

// EXTERNAL MODULE: ./build/src/util/buffered-response.js
var buffered_response = __webpack_require__(2339);
// EXTERNAL MODULE: ./build/src/util/credential-headers.js
var credential_headers = __webpack_require__(6890);
// EXTERNAL MODULE: ./build/src/util/fetch-rules.js
var fetch_rules = __webpack_require__(9452);
;// CONCATENATED MODULE: ./build/src/registry/raw-http1.js
/**
 * A minimal HTTP/1.1 client on plain node:net / node:tls sockets, for the two
 * requests that carry blob bytes (the GET of a blob, the single PUT of an
 * upload). node:http's parser, agents and stream layers cost more CPU per
 * chunk than hashing the bytes; here a body chunk goes from the socket's
 * read (slab-reads.ts) to its consumer with one length check in between.
 *
 * Each exchange has a socket of its own, opened for it and closed once the
 * answer has been read (`Connection: close`), so nothing lingers to keep the
 * process alive. TLS uses Node's default verification (NODE_EXTRA_CA_CERTS
 * keeps working), with SNI for host names, not for IP literals. Answer
 * bodies may be framed by Content-Length, chunked, or the connection's end
 * (http1-head.ts says which).
 */









/**
 * Answers read whole (errors, challenges, the closing answer of an upload)
 * are cut off once past this: the helper that reads them (util/http.ts
 * readBodyBytes, with the same cap) then reports the body as too large.
 */
const SMALL_BODY_LIMIT = body_cap/* BODY_CAPS */.V9.errorBody.bytes;
/** A dropped connection, coded as node:http codes it so the retry policy sees a transient failure. */
function connectionDropped(message) {
    return Object.assign(new Error(message), { code: 'ECONNRESET' });
}
/**
 * One request and its answer on a socket of its own. The request head and
 * body are written by the caller (`write`); the answer's head is `response()`,
 * its body goes to one consumer (`readAll`, or `receive`: see body-feed.ts). Aborting
 * `signal` drops the connection and fails whatever is pending with its reason.
 */
class Http1Exchange {
    socket;
    signal;
    // The reason itself, so the caller can tell its own abort (see transferError) from a failure.
    onAbort = () => this.fail(this.signal.reason);
    headReader = new ResponseHeadReader();
    framing;
    /** Body bytes still to come under Content-Length framing. */
    remaining = 0;
    decoder;
    sink;
    /** Body bytes that arrived before a consumer was attached. */
    pending = [];
    bodyDone = false;
    answeredHead;
    failure;
    /** Closed by us: nothing more is reported to anyone. */
    closed = false;
    head;
    resolveHead;
    rejectHead;
    /** Set when the socket goes to a forward proxy: requests name the absolute URI (see serializeRequestHead). */
    forward;
    /** Where a cleanly completed answer hands the connection on (a connector that keeps connections alive). */
    handOn;
    reads;
    onEnd = () => this.connectionEnded();
    onError = (error) => this.fail(error);
    /** Bytes came past the end of the answer: the connection cannot carry another one. */
    overrun = false;
    drainListeners = [];
    /** The connection went back to the pool after a clean answer: it is not this exchange's to close. */
    handedOn = false;
    constructor(socket, reads, signal, forward, handOn) {
        this.socket = socket;
        this.forward = forward;
        this.signal = signal;
        this.reads = reads;
        // A forward proxy's connection is not handed on: the next request may be for another origin.
        this.handOn = forward === undefined ? handOn : undefined;
        this.head = new Promise((resolve, reject) => {
            this.resolveHead = resolve;
            this.rejectHead = reject;
        });
        // Whoever needs the answer awaits it; a failure nobody waits for is not an unhandled rejection.
        this.head.catch(() => undefined);
        // As node:http does: a request head goes out at once, not after the peer's ACK of something else.
        socket.setNoDelay(true);
        reads.deliverTo((chunk) => {
            if (this.framing === undefined)
                this.readHead(chunk);
            else
                this.readBody(chunk);
        });
        socket.on('end', this.onEnd);
        socket.on('close', this.onEnd);
        socket.on('error', this.onError);
        signal.addEventListener('abort', this.onAbort, { once: true });
    }
    /** The request may leave the connection open (no `Connection: close`): a clean answer hands it on. */
    get keepAlive() {
        return this.handOn !== undefined;
    }
    /** The answer's head (1xx interim answers skipped). Rejects when the connection fails first. */
    response() {
        return this.head;
    }
    /**
     * Writes request bytes; false asks the caller to wait for `onDrain`. Ignored once the exchange is over.
     * `written` is called once the socket is done with `data` (handed to the kernel, or encrypted by TLS); not
     * when the write failed or was ignored.
     */
    write(data, written) {
        if (this.closed || this.failure !== undefined || this.bodyDone)
            return true;
        if (written === undefined)
            return this.socket.write(data);
        return this.socket.write(data, (error) => {
            if (error === null || error === undefined)
                written();
        });
    }
    onDrain(listener) {
        this.drainListeners.push(listener);
        this.socket.on('drain', listener);
    }
    /** Body bytes stop arriving until `resume` (backpressure from the consumer). */
    pause() {
        if (!this.handedOn)
            this.socket.pause();
    }
    resume() {
        if (!this.bodyDone && !this.closed)
            this.socket.resume();
    }
    /** Content-Length of the answer, when it is framed by one. */
    contentLength() {
        return this.framing?.kind === 'length' ? this.framing.length : undefined;
    }
    /** Drops the connection; nothing more is reported. */
    close() {
        if (this.closed)
            return;
        this.closed = true;
        this.sink = undefined;
        this.pending = [];
        this.release();
    }
    /** The whole (small) body. A body cut short, or one past the limit, yields what arrived: its status says the rest. */
    readAll(limit = SMALL_BODY_LIMIT) {
        return new Promise((resolve) => {
            const chunks = [];
            let size = 0;
            const done = () => resolve(Buffer.concat(chunks));
            this.receive({
                chunk: (data) => {
                    chunks.push(data);
                    size += data.length;
                    if (size > limit) {
                        this.close();
                        done();
                    }
                },
                end: done,
                error: done,
            });
        });
    }
    /**
     * Hands the body to `sink` (one consumer per answer): first what arrived
     * already, then each chunk as it comes, then its end or the connection's
     * failure. Nothing more after `close`.
     */
    receive(sink) {
        if (this.sink !== undefined)
            throw new Error('internal: an answer body has one consumer');
        this.sink = sink;
        const pending = this.pending;
        this.pending = [];
        for (const data of pending) {
            if (this.closed)
                return;
            sink.chunk(data);
        }
        if (this.closed)
            return;
        if (this.bodyDone)
            sink.end();
        else if (this.failure !== undefined)
            sink.error(this.failure);
        else
            this.socket.resume();
    }
    readHead(chunk) {
        let parsed;
        let framing;
        try {
            parsed = this.headReader.push(chunk);
            if (parsed === undefined)
                return;
            if (parsed.head.status < 200) {
                // An interim answer (100 Continue…): the real one follows.
                this.headReader = new ResponseHeadReader();
                if (parsed.rest.length > 0)
                    this.readHead(parsed.rest);
                return;
            }
            framing = bodyFraming(parsed.head);
        }
        catch (error) {
            this.fail(error);
            return;
        }
        this.framing = framing;
        this.answeredHead = parsed.head;
        if (framing.kind === 'length')
            this.remaining = framing.length;
        else if (framing.kind === 'chunked')
            this.decoder = new ChunkedDecoder();
        // Until someone takes the body, leave it in the socket.
        if (this.sink === undefined)
            this.socket.pause();
        this.resolveHead(parsed.head);
        if (framing.kind === 'none' || (framing.kind === 'length' && framing.length === 0))
            this.endBody();
        else if (parsed.rest.length > 0)
            this.readBody(parsed.rest);
    }
    /** The hot path: every chunk of a blob passes here once. */
    readBody(chunk) {
        if (this.bodyDone || this.closed)
            return;
        const framing = this.framing;
        if (framing.kind === 'length') {
            if (chunk.length < this.remaining) {
                this.remaining -= chunk.length;
                this.deliver(chunk);
                return;
            }
            // Bytes past the length are not part of this answer (we asked for the connection to close, or nothing more).
            if (chunk.length > this.remaining)
                this.overrun = true;
            const last = chunk.length === this.remaining ? chunk : chunk.subarray(0, this.remaining);
            this.remaining = 0;
            this.deliver(last);
            this.endBody();
            return;
        }
        if (framing.kind === 'chunked') {
            const decoder = this.decoder;
            try {
                if (decoder.push(chunk, (data) => this.deliver(data)) < chunk.length)
                    this.overrun = true;
            }
            catch (error) {
                this.fail(error);
                return;
            }
            if (decoder.done)
                this.endBody();
            return;
        }
        this.deliver(chunk);
    }
    deliver(data) {
        if (this.closed)
            return;
        if (this.sink === undefined)
            this.pending.push(data);
        else
            this.sink.chunk(data);
    }
    endBody() {
        if (this.bodyDone || this.closed || this.failure !== undefined)
            return;
        this.bodyDone = true;
        const sink = this.sink;
        if (this.reusable())
            this.handOnConnection();
        else
            this.release();
        sink?.end();
    }
    /**
     * A connection carries another request only after a 2xx answer framed by
     * length or chunks, read to its last byte and no further, to a request
     * sent whole (a 2xx to a PUT comes after its body), with no `Connection:
     * close` from the server.
     */
    reusable() {
        const head = this.answeredHead;
        if (this.handOn === undefined || head === undefined || this.overrun)
            return false;
        if (head.status < 200 || head.status > 299)
            return false;
        if (this.framing?.kind !== 'length' && this.framing?.kind !== 'chunked')
            return false;
        const connection = (headerValue(head, 'connection') ?? '').toLowerCase();
        return !connection.split(',').some((token) => token.trim() === 'close') && !this.socket.destroyed && this.socket.writable;
    }
    handOnConnection() {
        // Nothing of this exchange stays on the socket; a later close() of this exchange leaves it alone.
        this.handedOn = true;
        this.signal.removeEventListener('abort', this.onAbort);
        this.socket.off('end', this.onEnd);
        this.socket.off('close', this.onEnd);
        this.socket.off('error', this.onError);
        for (const listener of this.drainListeners)
            this.socket.off('drain', listener);
        this.reads.detach();
        // Still reading while idle: a peer that closes is noticed, and anything it sends makes the connection unusable.
        this.socket.resume();
        this.handOn?.(this.socket, this.reads);
    }
    connectionEnded() {
        if (this.bodyDone || this.closed || this.failure !== undefined)
            return;
        if (this.framing === undefined)
            this.fail(connectionDropped('socket hang up: the connection closed before an answer came'));
        else if (this.framing.kind === 'close')
            this.endBody();
        else
            this.fail(connectionDropped('the connection closed before the end of the answer body'));
    }
    fail(error) {
        if (this.bodyDone || this.closed || this.failure !== undefined)
            return;
        this.failure = error;
        this.release();
        if (this.framing === undefined)
            this.rejectHead(error);
        else
            this.sink?.error(error);
    }
    /** The socket is done with: nothing more is read or written (by this exchange, when it was handed on). */
    release() {
        this.signal.removeEventListener('abort', this.onAbort);
        if (!this.handedOn)
            this.socket.destroy();
    }
}
/**
 * Connects to `url`'s origin (TLS for https:) and sends nothing yet. With
 * `connect` (the run's transport) the socket takes the transport's route and
 * trust: a proxy's CONNECT tunnel, certs.d CAs and client certificates.
 */
function openHttp1(url, signal, connect) {
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
        return Promise.reject(new Error(`not an HTTP(S) URL: ${url.href}`));
    if (signal.aborted)
        return Promise.reject(signal.reason);
    if (connect)
        return openThrough(connect, url, signal);
    const secure = url.protocol === 'https:';
    const port = Number(url.port || (secure ? 443 : 80));
    // URL keeps IPv6 literals in brackets; sockets want the bare address.
    const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
    return new Promise((resolve, reject) => {
        const reads = new SlabReads();
        // tls.connect takes `onread` too (documented; missing from @types/node's ConnectionOptions).
        const socket = secure
            ? (0,external_node_tls_.connect)({ host, port, ...((0,external_node_net_.isIP)(host) === 0 ? { servername: host } : {}), onread: reads.options })
            : (0,external_node_net_.connect)({ host, port, onread: reads.options });
        const cleanup = () => {
            socket.off('error', onError);
            signal.removeEventListener('abort', onAbort);
        };
        const onError = (error) => {
            cleanup();
            socket.destroy();
            reject(error);
        };
        const onAbort = () => {
            cleanup();
            socket.destroy();
            reject(signal.reason);
        };
        socket.once(secure ? 'secureConnect' : 'connect', () => {
            cleanup();
            resolve(new Http1Exchange(socket, reads, signal));
        });
        socket.on('error', onError);
        signal.addEventListener('abort', onAbort, { once: true });
    });
}
async function openThrough(connect, url, signal) {
    const reads = new SlabReads();
    const connection = await connect(url, { signal, socketOptions: { onread: reads.options } });
    // A connection opened ahead of need, or kept alive, reads into reads of its own (and feeds them from 'data' itself).
    if (connection.reads)
        return new Http1Exchange(connection.socket, connection.reads, signal, connection.forward, connection.keepAlive);
    // A socket that honours onread emits no 'data'; one that ignores it (TLS inside a tunnel) feeds the same reads.
    connection.socket.on('data', (chunk) => reads.push(chunk));
    return new Http1Exchange(connection.socket, reads, signal, connection.forward, connection.keepAlive);
}
/** A bodiless request on a fresh connection; resolves with the exchange once the answer's head arrived. */
async function bodilessRequest(url, method, fields, signal, connect) {
    const exchange = await openHttp1(url, signal, connect);
    try {
        exchange.write(serializeRequestHead(method, url, fields, exchange.forward, exchange.keepAlive));
        return { exchange, head: await exchange.response() };
    }
    catch (error) {
        exchange.close();
        throw error;
    }
}
/**
 * A GET that follows redirects the way fetch does: `authorization` (and any
 * other credential header in `fields`) goes only to `url`'s origin, and stops
 * for good once a redirect leaves it: a registry that sends a blob GET to its
 * storage or CDN hands out a signed URL, not a reason to get the login.
 * Resolves with the final answer's head; its body is for the caller to read or close.
 */
async function http1Get(url, fields, authorization, signal, connect) {
    let target = url;
    let credentialed = true;
    const withCredentials = authorization === undefined ? fields : { ...fields, authorization };
    const withoutCredentials = (0,credential_headers/* withoutCredentialHeaders */.W)(fields);
    for (let hops = 0;; hops++) {
        credentialed &&= target.origin === url.origin;
        const answer = await bodilessRequest(target, 'GET', credentialed ? withCredentials : withoutCredentials, signal, connect);
        const location = headerValue(answer.head, 'location');
        if (!fetch_rules/* REDIRECT_STATUSES */.aq.has(answer.head.status) || location === undefined)
            return { ...answer, url: target };
        answer.exchange.close();
        if (hops >= fetch_rules/* MAX_REDIRECTS */.NX)
            throw new Error(`redirect count exceeded (${fetch_rules/* MAX_REDIRECTS */.NX})`);
        target = new URL(location, target);
    }
}
/** An answer read whole, as a Response for the parts of the client that read those (errors, challenges, upload answers). */
function toWebResponse(head, body) {
    return (0,buffered_response/* bufferedResponse */.N)(head.status, head.reason, head.fields, body);
}
/** The answer as a Web Response, its body read whole (see readAll). */
async function readWebResponse(exchange, head) {
    return toWebResponse(head, await exchange.readAll());
}

;// CONCATENATED MODULE: ./build/src/registry/raw-blob-put.js





/**
 * Sends the PUT and resolves with the answer (head and whole body) once it
 * came: after the last byte, or earlier when the registry answers before
 * the body ended (a refusal), in which case sending stops. Rejects with the
 * check's DigestMismatchError, the source's error, or the connection's.
 */
async function putVerified(put) {
    const { source, check } = put;
    const exchange = await openHttp1(put.url, put.signal, put.connect);
    const requestHead = serializeRequestHead(put.method ?? 'PUT', put.url, { ...put.fields, 'content-length': String(check.size) }, exchange.forward, exchange.keepAlive);
    return new Promise((resolve, reject) => {
        let settled = false;
        let held;
        let heldDone;
        // The source is paused while the socket's buffer is full or the hashing worker is behind; resumed when neither.
        let socketFull = false;
        let hashBehind = false;
        const fail = (error) => {
            if (settled)
                return;
            settled = true;
            runs.clear();
            feed.stop();
            check.drop();
            exchange.close();
            reject(error);
        };
        // Each run of adjacent chunks is checked and written as one (chunk-runs.ts).
        // A run whose chunks no one else saw gives its read slab's memory back (slab-reads.ts) once both the hash
        // (which may read it later, on a worker) and the socket are done with it.
        const releaseAfterTwo = (run) => {
            if (!feed.exclusive)
                return undefined;
            let uses = 2;
            return () => {
                if (--uses === 0)
                    releaseRead(run);
            };
        };
        const send = (run) => {
            if (settled)
                return;
            const done = releaseAfterTwo(run);
            try {
                if (check.take(run, done)) {
                    held = run;
                    heldDone = done;
                    return;
                }
            }
            catch (error) {
                fail(error);
                return;
            }
            if (!exchange.write(run, done))
                socketFull = true;
            const behind = check.backlog();
            if (behind !== undefined) {
                hashBehind = true;
                void behind.then(() => {
                    hashBehind = false;
                    if (!settled && !socketFull)
                        feed.resume();
                });
            }
            if (socketFull || hashBehind)
                feed.pause();
        };
        const runs = new ChunkRuns(send);
        const feed = chunkFeed(source, {
            chunk: (chunk) => {
                if (settled)
                    return;
                put.onProgress();
                runs.add(chunk);
            },
            end: () => {
                if (settled)
                    return;
                runs.flush();
                if (settled)
                    return;
                check.end().then(() => {
                    if (settled)
                        return;
                    // An empty blob's request is complete with its head: it too waits for the check.
                    if (check.size === 0)
                        exchange.write(requestHead);
                    if (held !== undefined)
                        exchange.write(held, heldDone);
                    held = undefined;
                    put.onSent();
                }, fail);
            },
            error: (error) => fail(error),
        });
        exchange.onDrain(() => {
            socketFull = false;
            if (!settled && !hashBehind)
                feed.resume();
        });
        exchange.response().then(async (head) => {
            if (settled)
                return;
            // Answered (early, or after the last byte): nothing more is sent.
            settled = true;
            runs.clear();
            feed.stop();
            resolve({ head, body: await exchange.readAll() });
        }, fail);
        if (check.size > 0)
            exchange.write(requestHead);
        feed.start();
        put.onStarted?.();
    });
}

;// CONCATENATED MODULE: ./build/src/registry/size-check.js
/**
 * The body check of an upload whose digest is not known while its bytes
 * leave (uploadBlobBeforeDigest): only the byte count is checked on the way,
 * as BlobCheck checks it, so a source that runs short or long never reaches
 * the registry as a complete chunk. The digest is checked by the registry
 * when the upload is closed under it.
 */

class SizeCheck {
    size;
    operation;
    failure;
    seen = 0;
    constructor(size, operation) {
        this.size = size;
        this.operation = operation;
    }
    /**
     * Counts a chunk; true when it completes the body (hold it back until
     * `end`). Nothing keeps the chunk here, so `released` (BlobCheck's hook for
     * giving a read slab back) is called at once.
     */
    take(chunk, released) {
        this.seen += chunk.byteLength;
        if (this.seen > this.size)
            throw this.fail(`at least ${this.seen}`);
        released?.();
        return this.seen === this.size;
    }
    /** Nothing is hashed here: never behind. */
    backlog() {
        return undefined;
    }
    async end() {
        if (this.seen !== this.size)
            throw this.fail(String(this.seen));
    }
    drop() {
        // Nothing held.
    }
    fail(actual) {
        this.failure = new errors/* ImageshipError */.K(`${this.operation}: size mismatch: expected ${this.size} bytes, got ${actual}`);
        return this.failure;
    }
}

// EXTERNAL MODULE: ./build/src/registry/stall-watchdog.js
var stall_watchdog = __webpack_require__(495);
;// CONCATENATED MODULE: ./build/src/registry/client.js
/**
 * A small client for the OCI distribution API: look manifests up, read them
 * (digest-verified), resolve an image's config for a platform, list tags,
 * and the blob and manifest calls a registry-to-registry copy needs (HEAD,
 * cross-repository mount, streamed GET and upload, manifest PUT).
 * Authentication (Basic or Bearer token) is answered transparently on 401.
 * Small requests go through fetchWithRetry so network policy lives in one
 * place; streamed blob bodies cannot be resent, so those requests are made
 * once, with a stall timeout instead of a total one, and the caller (the
 * copier) restarts the whole blob transfer when one fails.
 *
 * Over 400 lines, knowingly: the blob calls (streamed GET, upload, the raw HTTP/1.1 path and their stall
 * watchdog) are half of it and belong in a file of their own. They share the class's authenticator, scopes and
 * retry policy through private members, so the split is a change of shape (a blob client the manifest client
 * hands its session to), not a move; it is the next step of the layering work, not done in the same change.
 */






















/** A registry that pages forever must not keep a build busy forever. */
const MAX_TAG_PAGES = 10_000;
/**
 * Chunk size of a chunked upload, unless the registry's OCI-Chunk-Min-Length
 * asks for more. Chunks are streamed, not buffered, so this costs no memory.
 */
const DEFAULT_UPLOAD_CHUNK_BYTES = 8 * 1024 * 1024;
class RegistryClient {
    registry;
    baseUrl;
    fetch;
    retry;
    username;
    auth;
    /** No progress for this long fails a streamed transfer (the retry policy's per-attempt timeout). */
    stallMs;
    blobTimeouts;
    /** Repositories whose reads ask for push access too (see willPush). */
    pushRepositories = new Set();
    /** Set once the registry refused a monolithic upload (416): later uploads go in chunks of this size. */
    chunkedUploadBytes;
    /**
     * Blob bytes go over our own HTTP/1.1 (raw-http1.ts) on sockets from the
     * transport behind `fetch` (its proxy route and TLS trust) rather than
     * through fetch: only when `fetch` is a transport's (the run's, or the
     * library's default) or the global fetch (direct sockets, as before), so
     * an injected fetch still sees every request.
     */
    rawPath;
    get rawTransport() {
        return this.rawPath !== undefined;
    }
    get rawConnect() {
        return this.rawPath?.connect;
    }
    /** Blob connections opened ahead of need (preconnect); only with the transport's connect. */
    warm;
    /**
     * Opens a blob connection to the registry now, for a blob GET or PUT that
     * is about to come (a copy calls it while it asks whether the destination
     * has the blob): its TCP and TLS set-up then overlap that question. At most
     * `limit` are kept open ahead; an unused one closes by itself.
     */
    preconnect(limit) {
        this.warm?.open(new URL(this.baseUrl), limit);
    }
    /** Closes blob connections opened ahead and not used (they would close by themselves after a while). */
    closeIdle() {
        this.warm?.close();
    }
    constructor(opts) {
        this.registry = opts.registry;
        const scheme = opts.scheme ?? defaultScheme(opts.registry);
        this.baseUrl = registryBaseUrl(opts.registry, scheme);
        this.fetch = opts.fetch;
        const connect = (0,raw_connector/* rawConnectorOf */.h)(opts.fetch);
        this.warm = connect !== undefined ? new WarmConnections(connect) : undefined;
        // The transport first: reading globalThis.fetch loads undici (≈ 40 ms).
        this.rawPath = this.warm !== undefined ? { connect: this.warm.connector } : opts.fetch === globalThis.fetch ? { connect: undefined } : undefined;
        this.retry = opts.retry;
        this.stallMs = (0,retry/* resolvePolicy */.nZ)(opts.retry).timeoutMs;
        this.blobTimeouts = (0,stall_watchdog/* resolveBlobTimeouts */.UH)(opts.blobTimeouts);
        this.username = opts.credentials?.username;
        this.auth = new RegistryAuthenticator({
            registry: opts.registry,
            fetch: opts.fetch,
            allowPlainHttpRealm: scheme === 'http',
            ...(opts.credentials === undefined ? {} : { credentials: opts.credentials }),
            ...(opts.retry === undefined ? {} : { retry: opts.retry }),
            ...(opts.warn === undefined ? {} : { warn: opts.warn }),
            ...(opts.onSecret === undefined ? {} : { onSecret: opts.onSecret }),
        });
    }
    /**
     * What `docker login` asks of a registry before it stores a login: GET
     * /v2/ with the credentials (through a token for no particular repository
     * when the registry wants Bearer). Resolves when they are accepted; throws
     * a RegistryError otherwise (status 401 when they are refused).
     */
    async checkLogin() {
        const operation = `log in to ${this.registry}`;
        const response = await this.send('', { url: `${this.baseUrl}/v2/`, method: 'GET', headers: {}, operation, scope: '' });
        if (!response.ok)
            throw await this.failure(response, operation);
        await (0,retry/* discardBody */.LL)(response);
    }
    /** Digest, media type and size of a manifest; undefined when the registry has no such manifest (404). */
    async headManifest(repository, reference) {
        this.checkNames(repository, reference);
        const operation = `check manifest ${(0,image_reference/* formatReference */.FH)(this.registry, repository, reference)}`;
        const response = await this.send(repository, {
            url: this.manifestUrl(repository, reference),
            method: 'HEAD',
            headers: { accept: media_types/* MANIFEST_ACCEPT */.dY },
            operation,
        });
        if (response.status === 404) {
            await (0,retry/* discardBody */.LL)(response);
            return undefined;
        }
        if (!response.ok)
            throw await this.failure(response, operation);
        await (0,retry/* discardBody */.LL)(response);
        const digest = response.headers.get('docker-content-digest');
        const size = Number(response.headers.get('content-length') ?? Number.NaN);
        const mediaType = (0,media_types/* bareMediaType */.ZX)(response.headers.get('content-type'));
        if (!digest || (0,image_reference/* digestError */.DD)(digest) !== undefined || !Number.isSafeInteger(size) || mediaType === '') {
            // The spec lets HEAD leave these out; the manifest itself tells all three.
            return (await this.getManifest(repository, reference)).info;
        }
        if ((0,image_reference/* isDigest */.Bc)(reference) && digest !== reference)
            throw new image_digest/* DigestMismatchError */.h(operation, reference, digest);
        return { digest, mediaType, size };
    }
    /**
     * The manifest, its exact bytes and info. The bytes are checked against the
     * digest when `reference` is one, and against Docker-Content-Digest when
     * the registry sends it.
     */
    async getManifest(repository, reference) {
        this.checkNames(repository, reference);
        const operation = `read manifest ${(0,image_reference/* formatReference */.FH)(this.registry, repository, reference)}`;
        const response = await this.send(repository, {
            url: this.manifestUrl(repository, reference),
            method: 'GET',
            headers: { accept: media_types/* MANIFEST_ACCEPT */.dY },
            operation,
        });
        if (!response.ok)
            throw await this.failure(response, operation);
        const raw = await (0,read_body/* readBodyBytes */.I)(response, operation, {
            what: `the manifest of ${repository}${(0,image_reference/* isDigest */.Bc)(reference) ? '@' : ':'}${reference}`,
            from: this.registry,
            cap: body_cap/* BODY_CAPS */.V9.manifest,
        });
        const headerDigest = response.headers.get('docker-content-digest');
        if ((0,image_reference/* isDigest */.Bc)(reference))
            (0,image_digest/* verifyDigest */.Ub)(raw, reference, operation);
        if (headerDigest)
            (0,image_digest/* verifyDigest */.Ub)(raw, headerDigest, operation);
        const digest = (0,image_reference/* isDigest */.Bc)(reference) ? reference : (headerDigest ?? (0,image_digest/* digestOf */.ol)(raw));
        const body = parseJson(raw, `${operation}: the manifest`);
        const declared = body?.mediaType;
        const mediaType = typeof declared === 'string' ? declared : (0,media_types/* bareMediaType */.ZX)(response.headers.get('content-type'));
        return { info: { digest, mediaType, size: raw.byteLength }, body, raw };
    }
    /**
     * The image config JSON (labels, env, entrypoint…). An index is followed to
     * `platform`'s manifest; without `platform`, to its only image or else
     * linux/amd64. The config blob is digest-verified.
     */
    async getImageConfig(repository, reference, platform) {
        const operation = `read image config ${(0,image_reference/* formatReference */.FH)(this.registry, repository, reference)}`;
        let manifest = await this.getManifest(repository, reference);
        const pickedFromIndex = (0,manifest_shapes/* manifestKind */.QS)(manifest.info.mediaType, manifest.body) === 'index';
        if (pickedFromIndex) {
            const entry = (0,image_platform/* selectPlatformManifest */.HO)((0,manifest_shapes/* indexEntries */.nL)(manifest.body, operation), platform, operation);
            manifest = await this.getManifest(repository, entry.digest);
        }
        if ((0,manifest_shapes/* manifestKind */.QS)(manifest.info.mediaType, manifest.body) !== 'image') {
            throw new Error(`${operation}: manifest ${manifest.info.digest} is ${JSON.stringify(manifest.info.mediaType)}, not an image manifest`);
        }
        const config = await this.readConfigBlob(repository, manifest, operation);
        // A single-platform image says its platform only in the config; refuse a silent mismatch.
        if (platform && !pickedFromIndex)
            checkConfigPlatform(config, platform, operation);
        return config;
    }
    /** The parsed config blob of an image manifest the caller fetched already (no second manifest GET). */
    async getConfigOf(repository, manifest) {
        const operation = `read image config ${(0,image_reference/* formatReference */.FH)(this.registry, repository, manifest.info.digest)}`;
        if ((0,manifest_shapes/* manifestKind */.QS)(manifest.info.mediaType, manifest.body) !== 'image') {
            throw new Error(`${operation}: manifest ${manifest.info.digest} is ${JSON.stringify(manifest.info.mediaType)}, not an image manifest`);
        }
        return this.readConfigBlob(repository, manifest, operation);
    }
    async readConfigBlob(repository, manifest, operation) {
        const descriptor = (0,manifest_shapes/* configDescriptor */.c4)(manifest.body, operation);
        const bytes = await this.getBlob(repository, descriptor, `${operation}: config blob ${descriptor.digest}`);
        return parseJson(bytes, `${operation}: the config blob`);
    }
    /**
     * All tags, following `Link: <…>; rel="next"` pages. `pageSize` asks the
     * registry for pages of that many (`?n=`); without it the registry decides.
     */
    async listTags(repository, pageSize) {
        this.checkNames(repository);
        if (pageSize !== undefined && (!Number.isSafeInteger(pageSize) || pageSize < 1)) {
            throw new Error(`listTags: pageSize must be a positive integer, got ${pageSize}`);
        }
        const operation = `list tags of ${this.registry}/${repository}`;
        const tags = [];
        let url = `${this.baseUrl}/v2/${repository}/tags/list${pageSize ? `?n=${pageSize}` : ''}`;
        const visited = new Set();
        while (url !== undefined) {
            if (visited.has(url) || visited.size >= MAX_TAG_PAGES) {
                throw new Error(`${operation}: the registry's tag pages do not end (at ${url})`);
            }
            visited.add(url);
            const response = await this.send(repository, { url, method: 'GET', headers: { accept: 'application/json' }, operation });
            if (!response.ok)
                throw await this.failure(response, operation);
            const bytes = await (0,read_body/* readBodyBytes */.I)(response, operation, { what: `the tag list of ${repository}`, from: this.registry, cap: body_cap/* BODY_CAPS */.V9.tagList });
            const page = parseJson(bytes, `${operation}: the tag list`);
            // Registries send `"tags": null` for a repository whose tags were all deleted.
            if (page.tags !== null && page.tags !== undefined && !Array.isArray(page.tags)) {
                throw new Error(`${operation}: "tags" is not a list`);
            }
            for (const tag of page.tags ?? [])
                if (typeof tag === 'string')
                    tags.push(tag);
            url = this.sameOriginOrThrow(nextPageUrl(response.headers.get('link'), url), operation);
        }
        return tags;
    }
    /**
     * Ask for push access up front on the reads of `repository` too (HEADs
     * before an upload), so a Bearer registry hands out one token for a copy's
     * destination instead of a pull token first and a push token after.
     */
    willPush(repository) {
        this.checkNames(repository);
        this.pushRepositories.add(repository);
    }
    /**
     * Opens an upload session in `repository` now, for an upload whose bytes
     * are not ready yet (a layer still being laid out, a config waiting for
     * its layer's digest): pass it as TransferOptions.session, or cancel it.
     */
    openUpload(repository) {
        this.checkNames(repository);
        const scope = this.scopeFor(repository, 'push');
        const opened = this.startUpload(repository, scope, `upload to ${this.registry}/${repository}`);
        opened.catch(() => undefined);
        let taken = false;
        return {
            repository,
            take: () => {
                if (taken)
                    return undefined;
                taken = true;
                return opened;
            },
            cancel: async () => {
                if (taken)
                    return;
                taken = true;
                const session = await opened.catch(() => undefined);
                if (session !== undefined)
                    await this.cancelUpload(session.location, scope);
            },
        };
    }
    /** An upload's session: the one opened ahead when the caller passes it, else a new one. */
    sessionFor(repository, scope, operation, options) {
        if (options.session !== undefined && options.session.repository !== repository) {
            throw new Error(`${operation}: the upload session was opened in ${options.session.repository}, not ${repository}`);
        }
        return options.session?.take() ?? this.startUpload(repository, scope, operation);
    }
    /** Whether the repository has the blob; undefined when it has not (404). */
    async headBlob(repository, digest) {
        this.checkNames(repository);
        this.checkDigest(digest);
        const operation = `check blob ${this.registry}/${repository}@${digest}`;
        const response = await this.send(repository, { url: this.blobUrl(repository, digest), method: 'HEAD', headers: {}, operation });
        if (response.status === 404) {
            await (0,retry/* discardBody */.LL)(response);
            return undefined;
        }
        if (!response.ok)
            throw await this.failure(response, operation);
        await (0,retry/* discardBody */.LL)(response);
        return { digest, size: contentLength(response) };
    }
    /**
     * Cross-repository mount: asks the registry to link `fromRepository`'s
     * blob into `repository` without moving a byte. true when mounted (201).
     * false when the registry did not (202: it opened an upload session
     * instead, which is cancelled here): the caller then uploads the blob.
     */
    async mountBlob(repository, digest, fromRepository) {
        this.checkNames(repository);
        this.checkNames(fromRepository);
        this.checkDigest(digest);
        const operation = `mount blob ${digest} from ${this.registry}/${fromRepository} into ${this.registry}/${repository}`;
        const query = `mount=${encodeURIComponent(digest)}&from=${encodeURIComponent(fromRepository)}`;
        const scope = mergeScopes(this.scopeFor(repository, 'push'), pullScope(fromRepository));
        const response = await this.send(repository, {
            url: `${this.baseUrl}/v2/${repository}/blobs/uploads/?${query}`,
            method: 'POST',
            headers: {},
            operation,
            scope,
            idempotent: false,
        });
        if (response.status === 201) {
            await (0,retry/* discardBody */.LL)(response);
            return true;
        }
        if (response.status === 202) {
            const location = response.headers.get('location');
            await (0,retry/* discardBody */.LL)(response);
            if (location)
                await this.cancelUpload(this.resolveLocation(location, operation), scope);
            return false;
        }
        throw await this.failure(response, operation);
    }
    /** The GET of a blob's bytes, the same for the fetch and the raw transport. */
    blobGetRequest(repository, digest, operation, signal) {
        return {
            url: this.blobUrl(repository, digest),
            method: 'GET',
            // A storage backend that gzips on the fly would change the bytes the digest names.
            headers: { 'accept-encoding': 'identity' },
            operation,
            scope: this.scopeFor(repository, 'pull'),
            signal,
        };
    }
    /**
     * A blob's bytes as a stream, following redirects to storage (credentials
     * are not sent to another origin). The stream fails when no byte arrives
     * for the policy's timeoutMs.
     */
    async getBlobStream(repository, digest, options = {}) {
        this.checkNames(repository);
        this.checkDigest(digest);
        const operation = `read blob ${this.registry}/${repository}@${digest}`;
        const watchdog = new stall_watchdog/* StallWatchdog */.Ye(this.stallMs, options.signal);
        let response;
        try {
            response = await this.streamExchange(this.blobGetRequest(repository, digest, operation, options.signal), watchdog);
        }
        catch (error) {
            watchdog.stop();
            throw error;
        }
        if (!response.ok || response.body === null) {
            watchdog.stop();
            throw await this.failure(response, operation);
        }
        const size = contentLength(response);
        this.limitBlobTotal(watchdog, size ?? options.expectedBytes);
        return { size, stream: watchedBody(response.body, watchdog, operation) };
    }
    /**
     * Uploads a blob from a stream, never holding more than one network chunk
     * of it: POST opens a session, then one PUT carries the whole stream
     * (`Content-Length: size`), or, when the registry asks for chunks
     * (OCI-Chunk-Min-Length on the POST answer, or a 416 to an earlier
     * monolithic PUT), PATCHes of streamed chunks and a closing PUT. The bytes
     * are checked against `digest` and `size` on the way; a mismatch cancels
     * the session before the last bytes leave and throws DigestMismatchError.
     * A failed transfer cannot be resent from a consumed stream: the caller
     * restarts from a fresh source stream (RegistryError.retryable and the
     * retryable statuses say when that is worth it).
     */
    async uploadBlob(repository, digest, size, stream, options = {}) {
        this.checkNames(repository);
        this.checkDigest(digest);
        if (!Number.isSafeInteger(size) || size < 0)
            throw new Error(`uploadBlob: size must be a non-negative integer, got ${size}`);
        const operation = `upload blob ${digest} to ${this.registry}/${repository}`;
        const scope = this.scopeFor(repository, 'push');
        const verifier = (0,image_digest/* verifyingStream */.oP)(digest, size, operation);
        const pipeAbort = new AbortController();
        const verified = stream.pipeThrough(verifier.transform, { signal: pipeAbort.signal });
        let location;
        let done = false;
        try {
            const session = await this.sessionFor(repository, scope, operation, options);
            location = session.location;
            const chunkBytes = session.minChunkLength ?? this.chunkedUploadBytes;
            const transfer = { repository, digest, size, body: verified, scope, operation, signal: options.signal };
            if (chunkBytes === undefined)
                await this.putMonolithic(location, transfer);
            else
                await this.putChunked(location, Math.max(chunkBytes, DEFAULT_UPLOAD_CHUNK_BYTES), transfer);
            done = true;
        }
        catch (error) {
            throw verifier.failure() ?? error;
        }
        finally {
            if (!done) {
                pipeAbort.abort(new Error(`${operation}: upload abandoned`));
                if (location !== undefined)
                    await this.cancelUpload(location, scope);
            }
        }
    }
    /**
     * getBlobStream as a node:stream Readable. With the global fetch the bytes
     * come over a raw HTTP/1.1 connection (raw-http1.ts; redirects followed
     * with credentials kept to the registry's origin), with the same stall
     * timeout and errors.
     */
    async getBlobReadable(repository, digest, options = {}) {
        if (!this.rawTransport) {
            const blob = await this.getBlobStream(repository, digest, options);
            return { size: blob.size, stream: external_node_stream_.Readable.fromWeb(blob.stream) };
        }
        this.checkNames(repository);
        this.checkDigest(digest);
        const operation = `read blob ${this.registry}/${repository}@${digest}`;
        const watchdog = new stall_watchdog/* StallWatchdog */.Ye(this.stallMs, options.signal);
        let answer;
        try {
            answer = await this.rawBlobGet(this.blobGetRequest(repository, digest, operation, options.signal), watchdog);
            // Not `instanceof Response`: touching the global Response loads undici (≈ 40 ms), which nodeFetch spares.
            if (!isRawAnswer(answer) || answer.head.status < 200 || answer.head.status > 299) {
                throw await this.failure(isRawAnswer(answer) ? await readWebResponse(answer.exchange, answer.head) : answer, operation);
            }
        }
        catch (error) {
            watchdog.stop();
            throw error;
        }
        this.limitBlobTotal(watchdog, answer.exchange.contentLength() ?? options.expectedBytes);
        const stream = new Http1BodyStream(answer.exchange, {
            progress: () => watchdog.touch(),
            end: () => watchdog.stop(),
            mapError: (error) => transferError(watchdog.signal.aborted ? (watchdog.signal.reason ?? error) : error, operation, undefined, undefined, 'while reading the blob'),
        });
        return { size: answer.exchange.contentLength(), stream };
    }
    /**
     * uploadBlob from a node:stream Readable. With the global fetch a
     * monolithic upload hands each chunk to the hash and to a raw HTTP/1.1
     * PUT with Content-Length (raw-blob-put.ts); the chunked fallback and
     * everything else work as in uploadBlob.
     */
    async uploadBlobReadable(repository, digest, size, source, options = {}) {
        if (!this.rawTransport) {
            return this.uploadBlob(repository, digest, size, external_node_stream_.Readable.toWeb(source), options);
        }
        this.checkNames(repository);
        this.checkDigest(digest);
        if (!Number.isSafeInteger(size) || size < 0)
            throw new Error(`uploadBlob: size must be a non-negative integer, got ${size}`);
        const operation = `upload blob ${digest} to ${this.registry}/${repository}`;
        const scope = this.scopeFor(repository, 'push');
        // From here on the source is ours to read: an error it meets before the PUT reads it stays in source.errored.
        source.on('error', () => undefined);
        let location;
        let done = false;
        let verifier;
        try {
            const session = await this.sessionFor(repository, scope, operation, options);
            location = session.location;
            const chunkBytes = session.minChunkLength ?? this.chunkedUploadBytes;
            const transfer = { repository, digest, size, scope, operation, signal: options.signal };
            if (chunkBytes === undefined)
                await this.putMonolithicRaw(location, transfer, source, options.digestComputedFromBytes !== true);
            else {
                verifier = (0,image_digest/* verifyingTransform */.kj)(digest, size, operation);
                // Errors reach the consumer through the transform; destroying it destroys the source too.
                const verified = (0,external_node_stream_.pipeline)(source, verifier.transform, () => undefined);
                const body = external_node_stream_.Readable.toWeb(verified);
                await this.putChunked(location, Math.max(chunkBytes, DEFAULT_UPLOAD_CHUNK_BYTES), { ...transfer, body });
            }
            done = true;
        }
        catch (error) {
            throw verifier?.failure() ?? error;
        }
        finally {
            if (!done) {
                source.destroy();
                if (location !== undefined)
                    await this.cancelUpload(location, scope);
            }
        }
    }
    /**
     * Uploads a blob whose digest is still being computed while its bytes
     * leave (a layer written a moment ago, hashed beside its upload): POST
     * opens a session, one PATCH carries all `size` bytes, and once `digest`
     * resolves a PUT closes the session under it, where the registry checks the
     * bytes against it (the distribution spec's chunked upload, in one chunk).
     * Saves the hash pass a monolithic PUT needs before its first byte. The
     * size is checked on the way; `signal` abandons the upload (the session is
     * cancelled). Without the raw transport: the digest first, then
     * uploadBlobReadable.
     */
    async uploadBlobBeforeDigest(repository, size, source, digest, options = {}) {
        if (!this.rawTransport) {
            options.onBodyStarted?.();
            return this.uploadBlobReadable(repository, await digest, size, source, options);
        }
        this.checkNames(repository);
        if (!Number.isSafeInteger(size) || size < 0)
            throw new Error(`uploadBlob: size must be a non-negative integer, got ${size}`);
        const operation = `upload a ${size}-byte blob to ${this.registry}/${repository}`;
        const scope = this.scopeFor(repository, 'push');
        source.on('error', () => undefined);
        let location;
        let done = false;
        // The PATCH's connection (TCP, TLS) is set up while the POST opens the session.
        if (size > 0)
            this.preconnect(1);
        try {
            const session = await this.sessionFor(repository, scope, operation, options);
            location = session.location;
            if (size > 0)
                location = await this.patchWholeRaw(location, { size, scope, operation, signal: options.signal, onStarted: options.onBodyStarted }, source);
            const named = await digest;
            this.checkDigest(named);
            options.signal?.throwIfAborted();
            await this.closeUpload({ repository, digest: named, scope, operation }, location);
            done = true;
        }
        finally {
            if (!done) {
                source.destroy();
                if (location !== undefined)
                    await this.cancelUpload(location, scope);
            }
        }
    }
    /**
     * PUTs a manifest's exact bytes under a tag or digest and returns the
     * digest, checked against the registry's Docker-Content-Digest answer (and
     * against `reference` when it is a digest), and whether that answer named
     * the digest (then nobody needs to ask the registry for the tag again). The
     * blobs and child manifests it names must be in the repository already.
     */
    async putManifest(repository, reference, raw, mediaType) {
        this.checkNames(repository, reference);
        const operation = `write manifest ${(0,image_reference/* formatReference */.FH)(this.registry, repository, reference)}`;
        if (mediaType === '')
            throw new Error(`${operation}: the manifest has no media type`);
        if ((0,image_reference/* isDigest */.Bc)(reference))
            (0,image_digest/* verifyDigest */.Ub)(raw, reference, operation);
        const digest = (0,image_reference/* isDigest */.Bc)(reference) ? reference : (0,image_digest/* digestOf */.ol)(raw);
        const response = await this.send(repository, {
            url: this.manifestUrl(repository, reference),
            method: 'PUT',
            headers: { 'content-type': mediaType },
            body: raw,
            operation,
            scope: this.scopeFor(repository, 'push'),
            idempotent: true,
        });
        if (!response.ok)
            throw await this.failure(response, operation);
        await (0,retry/* discardBody */.LL)(response);
        const answered = response.headers.get('docker-content-digest');
        if (answered && answered !== digest) {
            // Another algorithm is fine as long as it names the same bytes.
            if (answered.slice(0, answered.indexOf(':')) === digest.slice(0, digest.indexOf(':'))) {
                throw new image_digest/* DigestMismatchError */.h(operation, digest, answered, `the registry stored the manifest as ${answered}, not ${digest}`);
            }
            (0,image_digest/* verifyDigest */.Ub)(raw, answered, operation);
        }
        return { digest, confirmed: answered === digest };
    }
    /**
     * `DELETE /v2/<repo>/manifests/<digest>`: removes the manifest and every
     * tag on it. false when it was gone already (404). Needs deletion enabled
     * on the registry; a 405 says how. `why` is added to the operation's name
     * in messages (e.g. the tag being deleted).
     */
    async deleteManifest(repository, digest, why) {
        this.checkNames(repository, digest);
        if (!(0,image_reference/* isDigest */.Bc)(digest))
            throw new Error(`deleteManifest: ${JSON.stringify(digest)} is not a digest (a registry deletes manifests by digest)`);
        const operation = `delete manifest ${(0,image_reference/* formatReference */.FH)(this.registry, repository, digest)}${why ? ` (${why})` : ''}`;
        const response = await this.send(repository, {
            url: this.manifestUrl(repository, digest),
            method: 'DELETE',
            headers: {},
            operation,
            scope: mergeScopes(this.scopeFor(repository, 'pull'), repositoryScope(repository, ['delete'])),
            idempotent: true,
        });
        if (response.status === 202 || response.status === 200 || response.status === 204 || response.status === 404) {
            await (0,retry/* discardBody */.LL)(response);
            return response.status !== 404;
        }
        if (response.status === 405) {
            const error = await (0,registry_error/* registryErrorFromResponse */.vW)(response, operation);
            throw new registry_error/* RegistryError */.gl(`${error.message} — registry ${this.registry} does not allow deleting manifests: on a self-hosted registry (distribution) ` +
                'set storage.delete.enabled: true (REGISTRY_STORAGE_DELETE_ENABLED=true)', { status: 405, operation, ...(error.code === undefined ? {} : { code: error.code }) });
        }
        if (response.status === 401 || response.status === 403) {
            throw await (0,registry_error/* registryErrorFromResponse */.vW)(response, operation, `the credentials for ${this.registry} may read but not delete: use an account allowed to delete in ${repository}`);
        }
        throw await this.failure(response, operation);
    }
    /** POST that opens an upload session: its absolute location, and the registry's minimum chunk size when it says one. */
    async startUpload(repository, scope, operation) {
        const response = await this.send(repository, {
            url: `${this.baseUrl}/v2/${repository}/blobs/uploads/`,
            method: 'POST',
            headers: {},
            operation: `${operation}: start the upload`,
            scope,
            idempotent: false,
        });
        if (response.status !== 202)
            throw await this.failure(response, `${operation}: start the upload`);
        const location = response.headers.get('location');
        const minimum = Number(response.headers.get('oci-chunk-min-length') ?? Number.NaN);
        await (0,retry/* discardBody */.LL)(response);
        if (!location)
            throw new registry_error/* RegistryError */.gl(`${operation}: the registry opened an upload without a Location`, { status: 202, operation });
        return {
            location: this.resolveLocation(location, operation),
            minChunkLength: Number.isSafeInteger(minimum) && minimum > 0 ? minimum : undefined,
        };
    }
    async putMonolithic(location, transfer) {
        const { operation } = transfer;
        const watchdog = new stall_watchdog/* StallWatchdog */.Ye(this.stallMs, transfer.signal);
        this.limitBlobTotal(watchdog, transfer.size);
        let response;
        try {
            response = await this.streamExchange({
                url: withQuery(location, 'digest', transfer.digest),
                method: 'PUT',
                headers: { 'content-type': 'application/octet-stream', 'content-length': String(transfer.size) },
                body: transfer.body,
                bodyBytes: transfer.size,
                operation,
                scope: transfer.scope,
                signal: transfer.signal,
            }, watchdog);
        }
        finally {
            watchdog.stop();
        }
        if (response.status === 416) {
            // This registry takes blobs in chunks only: remember it, and have the caller start over.
            this.chunkedUploadBytes = DEFAULT_UPLOAD_CHUNK_BYTES;
            throw await (0,registry_error/* registryErrorFromResponse */.vW)(response, operation, 'the registry refused a single-request upload; later uploads are sent in chunks', {
                retryable: true,
            });
        }
        await this.finishUpload(response, transfer);
    }
    /**
     * The monolithic PUT on a raw connection. A 401 refreshes the token and
     * throws a retryable RegistryError (the consumed source cannot be resent:
     * the copier starts the blob over); a 416 switches later uploads to chunks.
     */
    async putMonolithicRaw(location, transfer, source, hashed) {
        const { operation } = transfer;
        const check = new image_digest/* BlobCheck */.ir(transfer.digest, transfer.size, operation, hashed);
        const response = await this.sendRawBody({ url: withQuery(location, 'digest', transfer.digest), method: 'PUT', fields: {} }, transfer, source, check);
        if (response.status === 416) {
            this.chunkedUploadBytes = DEFAULT_UPLOAD_CHUNK_BYTES;
            throw await (0,registry_error/* registryErrorFromResponse */.vW)(response, operation, 'the registry refused a single-request upload; later uploads are sent in chunks', {
                retryable: true,
            });
        }
        await this.finishUpload(response, transfer);
    }
    /**
     * The one PATCH of uploadBlobBeforeDigest on a raw connection (bytes
     * counted, not hashed); the session's next location.
     */
    async patchWholeRaw(location, transfer, source) {
        const { operation, size } = transfer;
        const request = { url: location, method: 'PATCH', fields: { 'content-range': `0-${size - 1}` }, onStarted: transfer.onStarted };
        const response = await this.sendRawBody(request, transfer, source, new SizeCheck(size, operation));
        if (response.status !== 202)
            throw await (0,registry_error/* registryErrorFromResponse */.vW)(response, operation);
        const next = response.headers.get('location');
        await (0,retry/* discardBody */.LL)(response);
        return next ? this.resolveLocation(next, operation) : location;
    }
    /**
     * A request whose body is `source`, checked on the way by `check`, on a
     * raw connection (putVerified), under the stall watchdog and the blob
     * deadline. A 401 refreshes the token and throws a retryable RegistryError
     * (a consumed source cannot be resent); every other answer is the caller's.
     */
    async sendRawBody(request, transfer, source, check) {
        const { operation, size } = transfer;
        const credentialed = this.sameOrigin(request.url);
        const sent = credentialed ? this.auth.authorizationFor(transfer.scope) : undefined;
        const watchdog = new stall_watchdog/* StallWatchdog */.Ye(this.stallMs, transfer.signal);
        this.limitBlobTotal(watchdog, size);
        let response;
        try {
            const answer = await putVerified({
                url: new URL(request.url),
                method: request.method,
                fields: { 'content-type': 'application/octet-stream', ...request.fields, ...(sent === undefined ? {} : { authorization: sent }) },
                source,
                check,
                signal: watchdog.signal,
                onProgress: () => watchdog.touch(),
                onSent: () => watchdog.awaitAnswer((0,stall_watchdog/* answerWait */.sO)(size, this.blobTimeouts, this.stallMs), size),
                onStarted: request.onStarted,
                connect: this.rawConnect,
            });
            response = toWebResponse(answer.head, answer.body);
        }
        catch (error) {
            if (check.failure !== undefined)
                throw check.failure;
            const stalled = watchdog.signal.aborted && transfer.signal?.aborted !== true;
            throw transferError(stalled ? (watchdog.signal.reason ?? error) : error, operation, this.stallMs, transfer.signal);
        }
        finally {
            watchdog.stop();
        }
        if (response.status === 401 && credentialed) {
            const answer = await this.auth.answerChallenge(response, transfer.scope, operation, sent);
            if (answer !== undefined)
                throw await this.failure(response, operation, true);
        }
        return response;
    }
    async putChunked(location, chunkBytes, transfer) {
        const { operation, size } = transfer;
        const reader = new ByteReader(transfer.body.getReader());
        let url = location;
        for (let offset = 0; offset < size;) {
            const length = Math.min(chunkBytes, size - offset);
            const chunkOperation = `${operation}: bytes ${offset}-${offset + length - 1} of ${size}`;
            const watchdog = new stall_watchdog/* StallWatchdog */.Ye(this.stallMs, transfer.signal);
            this.limitBlobTotal(watchdog, length);
            let response;
            try {
                response = await this.streamExchange({
                    url,
                    method: 'PATCH',
                    headers: {
                        'content-type': 'application/octet-stream',
                        'content-length': String(length),
                        'content-range': `${offset}-${offset + length - 1}`,
                    },
                    body: reader.take(length, chunkOperation),
                    bodyBytes: length,
                    operation: chunkOperation,
                    scope: transfer.scope,
                    signal: transfer.signal,
                }, watchdog);
            }
            finally {
                watchdog.stop();
            }
            if (response.status !== 202) {
                throw await (0,registry_error/* registryErrorFromResponse */.vW)(response, chunkOperation, undefined, { retryable: response.status === 416 });
            }
            const next = response.headers.get('location');
            await (0,retry/* discardBody */.LL)(response);
            if (next)
                url = this.resolveLocation(next, chunkOperation);
            offset += length;
        }
        // The verifier's last check runs when the stream ends; an empty blob has not been read at all yet.
        await reader.expectEnd(operation);
        await this.closeUpload(transfer, url);
    }
    /** The bodiless PUT that closes an upload session under the blob's digest, where the registry checks the bytes. */
    async closeUpload(transfer, location) {
        const response = await this.send(transfer.repository, {
            url: withQuery(location, 'digest', transfer.digest),
            method: 'PUT',
            headers: { 'content-type': 'application/octet-stream' },
            body: new Uint8Array(0),
            operation: `${transfer.operation}: close the upload`,
            scope: transfer.scope,
            idempotent: true,
        });
        await this.finishUpload(response, transfer);
    }
    /** The closing answer of an upload: 201 and, when the registry says one, the digest we sent. */
    async finishUpload(response, transfer) {
        const { operation } = transfer;
        if (response.status !== 201 && response.status !== 204) {
            throw await this.failure(response, operation, response.status === 401);
        }
        const answered = response.headers.get('docker-content-digest');
        await (0,retry/* discardBody */.LL)(response);
        // Not a DigestMismatchError: those from uploadBlob always mean the bytes given were not the blob.
        if (answered && answered !== transfer.digest) {
            throw new registry_error/* RegistryError */.gl(`${operation}: the registry says it stored the blob as ${answered}, not ${transfer.digest}`, {
                status: response.status,
                operation,
            });
        }
    }
    /** Best effort: an abandoned session would otherwise linger until the registry's upload purge. */
    async cancelUpload(location, scope) {
        try {
            const authorization = this.sameOrigin(location) ? this.auth.authorizationFor(scope) : undefined;
            const response = await this.fetch(location, {
                method: 'DELETE',
                headers: authorization === undefined ? {} : { authorization },
                signal: AbortSignal.timeout(Math.min(this.stallMs, 10_000)),
            });
            await (0,retry/* discardBody */.LL)(response);
        }
        catch {
            // Nothing to do: the registry purges stale uploads itself.
        }
    }
    /**
     * One request whose body, or whose answer's body, is a stream: sent once
     * (a consumed stream cannot be resent), with the stall watchdog as its
     * signal. A bodiless request (GET) answered 401 is resent once with the
     * challenge answered. A streamed upload answered 401 cannot be: the token
     * is refreshed and a retryable RegistryError thrown, so the caller's fresh
     * attempt finds it. Network failures become HttpError.
     */
    async streamExchange(request, watchdog) {
        const body = request.body === undefined
            ? undefined
            : touchingStream(request.body, watchdog, (0,stall_watchdog/* answerWait */.sO)(request.bodyBytes ?? 0, this.blobTimeouts, this.stallMs), request.bodyBytes ?? 0);
        const exchange = async (authorization) => {
            try {
                return await this.fetch(request.url, {
                    method: request.method,
                    headers: authorization === undefined ? request.headers : { ...request.headers, authorization },
                    // With a body, `redirect: 'error'`: fetch otherwise keeps a tee'd copy of
                    // the stream for a redirect it could never replay, buffering the whole blob.
                    ...(body === undefined ? {} : { body, duplex: 'half', redirect: 'error' }),
                    signal: watchdog.signal,
                });
            }
            catch (error) {
                throw transferError(error, request.operation, this.stallMs, request.signal);
            }
        };
        const credentialed = this.sameOrigin(request.url);
        const sent = credentialed ? this.auth.authorizationFor(request.scope) : undefined;
        const first = await exchange(sent);
        if (first.status !== 401 || !credentialed)
            return first;
        // Read before the token request, whose connection it frees (settledResponse).
        const refused = await (0,read_body/* settledResponse */.z)(first, request.operation);
        const answer = await this.auth.answerChallenge(refused, request.scope, request.operation, sent);
        if (answer === undefined)
            return refused;
        if (request.body !== undefined) {
            throw await this.failure(refused, request.operation, true);
        }
        return exchange(answer);
    }
    /**
     * The GET of a blob on a raw HTTP/1.1 connection (raw-http1.ts): redirects
     * followed, resent once with a 401 challenge answered. A 401 that remains
     * comes back as a Response (body read); any other answer with its body
     * still to read. Connection failures become HttpError.
     */
    async rawBlobGet(request, watchdog) {
        const exchange = async (authorization) => {
            try {
                return await http1Get(new URL(request.url), request.headers, authorization, watchdog.signal, this.rawConnect);
            }
            catch (error) {
                const stalled = watchdog.signal.aborted && request.signal?.aborted !== true;
                throw transferError(stalled ? (watchdog.signal.reason ?? error) : error, request.operation, this.stallMs, request.signal);
            }
        };
        const credentialed = this.sameOrigin(request.url);
        const sent = credentialed ? this.auth.authorizationFor(request.scope) : undefined;
        const first = await exchange(sent);
        if (first.head.status !== 401 || !credentialed)
            return first;
        const refused = await readWebResponse(first.exchange, first.head);
        const answer = await this.auth.answerChallenge(refused, request.scope, request.operation, sent);
        if (answer === undefined)
            return refused;
        return exchange(answer);
    }
    /** Arms the overall deadline of a blob request of `size` bytes (none when the size is unknown: the stall limit still holds). */
    limitBlobTotal(watchdog, size) {
        if (size !== undefined && Number.isSafeInteger(size) && size >= 0)
            watchdog.limitTotal((0,stall_watchdog/* blobDeadline */.yr)(size, this.blobTimeouts));
    }
    /** Read scope, or read+write when the repository was named in willPush. */
    scopeFor(repository, access) {
        return access === 'push' || this.pushRepositories.has(repository)
            ? repositoryScope(repository, ['pull', 'push'])
            : pullScope(repository);
    }
    blobUrl(repository, digest) {
        return `${this.baseUrl}/v2/${repository}/blobs/${digest}`;
    }
    /** Upload locations may be relative (OCI) or absolute (distribution); only http(s) is followed. */
    resolveLocation(location, operation) {
        let url;
        try {
            url = new URL(location, `${this.baseUrl}/`);
        }
        catch {
            throw new Error(`${operation}: the registry answered with an unusable Location ${JSON.stringify(location)}`);
        }
        if (url.protocol !== 'http:' && url.protocol !== 'https:') {
            throw new Error(`${operation}: the registry answered with a Location that is not HTTP(S): ${JSON.stringify(location)}`);
        }
        return url.href;
    }
    sameOrigin(url) {
        return new URL(url).origin === new URL(this.baseUrl).origin;
    }
    checkDigest(digest) {
        const problem = (0,image_reference/* digestError */.DD)(digest);
        if (problem)
            throw new Error(`invalid blob digest for ${this.registry}: ${problem}`);
    }
    /** GET a (config) blob whole, checking its size and digest against the descriptor that named it. */
    async getBlob(repository, descriptor, operation) {
        const what = `the config blob ${descriptor.digest} of ${repository}`;
        if (descriptor.size > body_cap/* BODY_CAPS */.V9.imageConfig.bytes) {
            throw new body_cap/* BodyTooLargeError */.Au({ what, from: this.registry, cap: body_cap/* BODY_CAPS */.V9.imageConfig }, `its manifest gives its size as ${descriptor.size} bytes; nothing was read`);
        }
        const response = await this.send(repository, {
            url: `${this.baseUrl}/v2/${repository}/blobs/${descriptor.digest}`,
            method: 'GET',
            headers: {},
            operation,
        });
        if (!response.ok)
            throw await this.failure(response, operation);
        const sizeCap = { bytes: descriptor.size, why: 'the size its manifest gives' };
        const bytes = await (0,read_body/* readBodyBytes */.I)(response, operation, { what, from: this.registry, cap: sizeCap });
        if (bytes.byteLength !== descriptor.size) {
            throw new Error(`${operation}: expected ${descriptor.size} bytes, got ${bytes.byteLength}`);
        }
        (0,image_digest/* verifyDigest */.Ub)(bytes, descriptor.digest, operation);
        return bytes;
    }
    /**
     * One request with authentication: send the credentials already known for
     * the repository's scope; on 401 answer the challenge once and resend. A
     * 401 that remains is returned for the caller to report.
     */
    async send(repository, request) {
        const scope = request.scope ?? this.scopeFor(repository, 'pull');
        const exchange = (authorization) => (0,retry/* fetchWithRetry */.J5)(this.fetch, {
            url: request.url,
            method: request.method,
            headers: authorization === undefined ? request.headers : { ...request.headers, authorization },
            ...(request.body === undefined ? {} : { body: request.body }),
            idempotent: request.idempotent ?? true,
            operation: request.operation,
        }, this.retry);
        // Credentials stay with the registry's own origin (an upload Location may point elsewhere).
        const credentialed = this.sameOrigin(request.url);
        const sent = credentialed ? await this.auth.authorizationAhead(scope, request.operation) : undefined;
        const first = await exchange(sent);
        if (first.status !== 401 || !credentialed)
            return first;
        // Read before the token request, whose connection it frees (settledResponse).
        const refused = await (0,read_body/* settledResponse */.z)(first, request.operation);
        const answer = await this.auth.answerChallenge(refused, scope, request.operation, sent);
        // Nothing new to offer (unknown scheme, or Basic credentials already refused): report this 401.
        if (answer === undefined)
            return refused;
        return exchange(answer);
    }
    /**
     * A RegistryError for a failed response, with a hint on what to check when
     * access was refused. `retryable` marks a 401 met by a streamed upload
     * after the token was refreshed: a fresh attempt may well pass.
     */
    failure(response, operation, retryable = false) {
        let hint;
        if (retryable && response.status === 401) {
            hint = `registry ${this.registry} refused the token during a streamed upload; a fresh token was fetched`;
        }
        else if (response.status === 401) {
            hint =
                this.username === undefined
                    ? `registry ${this.registry} requires authentication and no credentials were given`
                    : `registry ${this.registry} did not accept the credentials of ${JSON.stringify(this.username)}`;
        }
        return (0,registry_error/* registryErrorFromResponse */.vW)(response, operation, hint, retryable ? { retryable } : {});
    }
    manifestUrl(repository, reference) {
        return `${this.baseUrl}/v2/${repository}/manifests/${reference}`;
    }
    /** Names go into URL paths: only grammar-valid ones get there. */
    checkNames(repository, reference) {
        const problem = (0,image_reference/* repositoryError */.PN)(repository);
        if (problem)
            throw new Error(`invalid repository for ${this.registry}: ${problem}`);
        if (reference !== undefined && !(0,image_reference/* isValidTag */.r_)(reference) && !(0,image_reference/* isDigest */.Bc)(reference)) {
            throw new Error(`invalid tag or digest ${JSON.stringify(reference)} for ${this.registry}/${repository}`);
        }
    }
    /** Credentials go with every page request, so a page link may not lead to another host. */
    sameOriginOrThrow(url, operation) {
        if (url !== undefined && new URL(url).origin !== new URL(this.baseUrl).origin) {
            throw new Error(`${operation}: refusing to follow a tag page link to another host: ${url}`);
        }
        return url;
    }
}
function isRawAnswer(answer) {
    return 'exchange' in answer;
}
/** `body` unchanged, telling the watchdog of every chunk that moves. */
function touchingStream(body, watchdog, answerMs, bodyBytes) {
    return body.pipeThrough(new TransformStream({
        transform(chunk, controller) {
            watchdog.touch();
            controller.enqueue(chunk);
        },
        flush() {
            watchdog.awaitAnswer(answerMs, bodyBytes);
        },
    }));
}
/**
 * A response body that keeps the watchdog alive while bytes arrive, stops it
 * at the end or on cancel, and turns a dropped or stalled connection into an
 * HttpError naming the operation.
 */
function watchedBody(body, watchdog, operation) {
    const reader = body.getReader();
    return new ReadableStream({
        async pull(controller) {
            try {
                const { done, value } = await reader.read();
                if (done) {
                    watchdog.stop();
                    controller.close();
                    return;
                }
                watchdog.touch();
                controller.enqueue(value);
            }
            catch (error) {
                watchdog.stop();
                controller.error(transferError(error, operation, undefined, undefined, 'while reading the blob'));
            }
        },
        async cancel(reason) {
            watchdog.stop();
            await reader.cancel(reason).catch(() => undefined);
        },
    }, { highWaterMark: 0 });
}
/** A thrown fetch or body error as HttpError (one attempt made), unless it is the caller's own abort or already ours. */
function transferError(error, operation, stallMs, callerSignal, where = '') {
    if (callerSignal?.aborted)
        return callerSignal.reason ?? error;
    if (error instanceof retry/* HttpError */.j$ || error instanceof image_digest/* DigestMismatchError */.h || error instanceof registry_error/* RegistryError */.gl)
        return error;
    const nested = errorCause(error);
    if (nested instanceof image_digest/* DigestMismatchError */.h || nested instanceof retry/* HttpError */.j$)
        return nested;
    // A watchdog fired: its message says which limit (stall, overall deadline, answer wait) and the numbers.
    const timeout = (0,stall_watchdog/* transferTimeoutIn */.Em)(error);
    if (timeout !== undefined)
        return new retry/* HttpError */.j$(`${operation}: ${timeout.message}${where ? ` ${where}` : ''}`, { operation, attempts: 1, cause: timeout });
    const failure = (0,retry/* classifyFailure */.XE)(error, stallMs);
    const what = failure.what.startsWith('timed out') && stallMs !== undefined ? `stalled (no progress for ${(0,retry/* formatSeconds */.Xo)(stallMs)})` : failure.what;
    return new retry/* HttpError */.j$(`${operation}: ${what}${where ? ` ${where}` : ''}`, { operation, attempts: 1, cause: error });
}
/** undici reports a failed request body as `TypeError('fetch failed')` with the body's error as its cause. */
function errorCause(error) {
    return error !== null && typeof error === 'object' && 'cause' in error ? error.cause : undefined;
}
/**
 * Hands out exact byte counts from a stream, for chunked uploads: each
 * `take(n)` is a stream of the next n bytes, splitting chunks that straddle.
 */
class ByteReader {
    reader;
    leftover;
    constructor(reader) {
        this.reader = reader;
    }
    take(length, operation) {
        let remaining = length;
        return new ReadableStream({
            pull: async (controller) => {
                if (remaining === 0) {
                    controller.close();
                    return;
                }
                const chunk = await this.next(remaining);
                if (chunk === undefined) {
                    controller.error(new Error(`${operation}: the blob stream ended early`));
                    return;
                }
                remaining -= chunk.byteLength;
                controller.enqueue(chunk);
                if (remaining === 0)
                    controller.close();
            },
        }, { highWaterMark: 0 });
    }
    /** Reads to the end; anything left is an error (the verifier reports a too-long blob first). */
    async expectEnd(operation) {
        const extra = await this.next(Number.MAX_SAFE_INTEGER);
        if (extra !== undefined)
            throw new Error(`${operation}: the blob stream has more bytes than its size`);
    }
    async next(max) {
        let chunk = this.leftover;
        this.leftover = undefined;
        while (chunk === undefined || chunk.byteLength === 0) {
            const { done, value } = await this.reader.read();
            if (done)
                return undefined;
            chunk = value;
        }
        if (chunk.byteLength <= max)
            return chunk;
        this.leftover = chunk.subarray(max);
        return chunk.subarray(0, max);
    }
}
function contentLength(response) {
    const value = Number(response.headers.get('content-length') ?? Number.NaN);
    return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}
/** `url` with one more query parameter, leaving the registry's own (`_state=…`) byte for byte. */
function withQuery(url, name, value) {
    const hash = url.indexOf('#');
    const base = hash === -1 ? url : url.slice(0, hash);
    return `${base}${base.includes('?') ? '&' : '?'}${name}=${encodeURIComponent(value)}`;
}
function parseJson(bytes, what) {
    try {
        return JSON.parse(new TextDecoder().decode(bytes));
    }
    catch {
        throw new Error(`${what} is not valid JSON`);
    }
}
function checkConfigPlatform(config, wanted, operation) {
    const record = (config ?? {});
    if (typeof record.os !== 'string' || typeof record.architecture !== 'string')
        return;
    if (record.os !== wanted.os || record.architecture !== wanted.architecture) {
        throw new Error(`${operation}: the image is ${(0,image_platform/* formatPlatform */.Bq)({ os: record.os, architecture: record.architecture })}, not ${(0,image_platform/* formatPlatform */.Bq)(wanted)}`);
    }
}


/***/ }),

/***/ 8055:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  L1: () => (/* binding */ copyImage),
  jn: () => (/* binding */ retagImage)
});

// UNUSED EXPORTS: MAX_INDEX_CHILDREN, MAX_TREE_MANIFESTS

// EXTERNAL MODULE: ./build/src/util/body-cap.js
var body_cap = __webpack_require__(5893);
// EXTERNAL MODULE: ./build/src/http/retry.js
var retry = __webpack_require__(6092);
// EXTERNAL MODULE: ./build/src/domain/image/digest.js + 1 modules
var image_digest = __webpack_require__(3112);
;// CONCATENATED MODULE: ./build/src/registry/annotate.js

/**
 * A manifest (or index) with `annotations` added, every other field kept:
 * what a copy writes when the user asks for annotations, so the copied image
 * gets a new digest while its blobs and child manifests stay the same.
 * Existing annotations of the same name are replaced. A schema 1 manifest
 * is signed over its bytes and cannot be changed.
 */
function annotatedManifest(manifest, annotations) {
    const body = manifest.body;
    if (typeof body !== 'object' || body === null || body['schemaVersion'] !== 2) {
        throw new Error(`annotations: ${manifest.info.digest} is not a schema 2 / OCI manifest, so annotations cannot be added: copy it without annotations`);
    }
    const existing = typeof body['annotations'] === 'object' && body['annotations'] !== null ? body['annotations'] : {};
    const raw = new TextEncoder().encode(JSON.stringify({ ...body, annotations: { ...existing, ...annotations } }));
    return { raw, digest: (0,image_digest/* digestOf */.ol)(raw) };
}

// EXTERNAL MODULE: ./build/src/domain/image/manifest-shapes.js
var manifest_shapes = __webpack_require__(8950);
;// CONCATENATED MODULE: ./build/src/registry/limiter.js
/**
 * At most `max` tasks at once, the rest queued in order. One limiter is
 * shared by every level of a copy's image tree (manifest reads, HEADs, blob
 * transfers, manifest writes), so an index of thousands of children opens a
 * handful of connections, not thousands (each task holds at most a couple).
 *
 * A task holds its slot only while it runs: a parent never waits for its
 * children inside a slot, so nested use cannot deadlock.
 */
class Limiter {
    max;
    running = 0;
    waiting = [];
    constructor(max) {
        this.max = max;
        if (!Number.isSafeInteger(max) || max < 1)
            throw new Error(`Limiter: max must be a positive integer, got ${max}`);
    }
    async run(task) {
        if (this.running >= this.max)
            await new Promise((resolve) => this.waiting.push(resolve));
        else
            this.running++;
        try {
            return await task();
        }
        finally {
            // The slot passes straight to the next task in line (running stays the same), or is freed.
            const next = this.waiting.shift();
            if (next === undefined)
                this.running--;
            else
                next();
        }
    }
}
/**
 * Every promise settled; the first rejection (in settling order) is thrown
 * once all have settled, so no work is left running behind the caller's back.
 * `onFirstFailure` runs as soon as one fails (to abort the others).
 */
async function settleAll(promises, onFirstFailure) {
    let failed = false;
    let firstError;
    const watched = promises.map((promise) => promise.catch((error) => {
        if (!failed) {
            failed = true;
            firstError = error;
            onFirstFailure?.(error);
        }
        return undefined;
    }));
    const values = await Promise.all(watched);
    if (failed)
        throw firstError;
    return values;
}

// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(7075);
;// CONCATENATED MODULE: ./build/src/registry/copy-progress.js
/**
 * Progress of a long copy: one line per blob done (short digest, size, time)
 * and a throughput line every few seconds, so a 2 GB copy shows it is alive.
 * A small, fast copy stays quiet: lines start only once a blob is big
 * (> 8 MiB) or the copy has run for a while (> 5 s). Bytes are counted as
 * they pass, never per chunk in the log.
 */

function isByteCounting(stream) {
    return typeof stream.countBytes === 'function';
}
/** Blobs at least this big are counted as their bytes pass; smaller ones count when done. */
const COUNTED_BLOB_BYTES = 1024 * 1024;
class CopyProgress {
    options;
    started;
    now;
    bigBlobBytes;
    longCopyMs;
    moved = 0;
    movedAtLastLine = 0;
    lastLineAt;
    blobsDone = 0;
    timer;
    constructor(options) {
        this.options = options;
        this.now = options.now ?? (() => performance.now());
        this.started = this.now();
        this.lastLineAt = this.started;
        this.bigBlobBytes = options.bigBlobBytes ?? 8 * 1024 * 1024;
        this.longCopyMs = options.longCopyMs ?? 5_000;
        this.timer = setInterval(() => this.throughputLine(), options.intervalMs ?? 3_000);
        // The copy's own work keeps the process alive; the ticker must not.
        this.timer.unref();
    }
    /**
     * `stream`, its bytes counted as they pass (blobs of 1 MiB and more;
     * smaller ones count when done; `counting` says which). A stream that
     * counts its own bytes (the raw blob GET's: body-feed.ts) is handed back
     * as it is, so the upload can still take its chunks straight from the
     * socket; any other is piped through a counting Transform (errors and
     * destruction pass both ways).
     */
    counted(stream, size) {
        if (size < COUNTED_BLOB_BYTES)
            return { stream, counting: false };
        if (isByteCounting(stream)) {
            stream.countBytes((bytes) => (this.moved += bytes));
            return { stream, counting: true };
        }
        const counter = new external_node_stream_.Transform({
            transform: (chunk, _encoding, done) => {
                this.moved += chunk.length;
                done(null, chunk);
            },
        });
        return { stream: (0,external_node_stream_.pipeline)(stream, counter, () => undefined), counting: true };
    }
    /** A blob has been copied: a line when it is big or the copy is long. */
    blobDone(digest, size, startedAt, counted) {
        if (!counted || size < COUNTED_BLOB_BYTES)
            this.moved += size;
        this.blobsDone++;
        const at = this.now();
        if (size > this.bigBlobBytes || at - this.started > this.longCopyMs) {
            this.options.log(`blob ${shortDigest(digest)} done: ${formatBytes(size)} in ${formatSeconds(at - startedAt)}`);
        }
    }
    /** Bytes moved so far. */
    get bytesMoved() {
        return this.moved;
    }
    stop() {
        clearInterval(this.timer);
    }
    throughputLine() {
        const at = this.now();
        const sinceLast = at - this.lastLineAt;
        const bytes = this.moved - this.movedAtLastLine;
        this.lastLineAt = at;
        this.movedAtLastLine = this.moved;
        if (bytes === 0 || sinceLast <= 0)
            return;
        if (this.options.largestBlobBytes <= this.bigBlobBytes && at - this.started <= this.longCopyMs)
            return;
        const total = this.options.totalBytes;
        this.options.log(`copying: ${formatBytes(this.moved)} of ${formatBytes(total)} moved (${this.blobsDone} blob(s) done), ` +
            `${formatBytes((bytes * 1000) / sinceLast)}/s, ${formatSeconds(at - this.started)} so far`);
    }
}
/** `sha256:` and the first 12 hex digits, as docker shows them. */
function shortDigest(digest) {
    const colon = digest.indexOf(':');
    return `${digest.slice(0, colon + 1)}${digest.slice(colon + 1, colon + 13)}`;
}
function formatBytes(bytes) {
    if (bytes >= 1024 * 1024 * 1024)
        return `${(bytes / 1024 / 1024 / 1024).toFixed(2)} GiB`;
    if (bytes >= 1024 * 1024)
        return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
    return `${(bytes / 1024).toFixed(1)} KiB`;
}
function formatSeconds(ms) {
    return `${(ms / 1000).toFixed(1)} s`;
}

// EXTERNAL MODULE: ./build/src/domain/image/reference.js
var image_reference = __webpack_require__(1605);
// EXTERNAL MODULE: ./build/src/registry/registry-error.js
var registry_error = __webpack_require__(5613);
// EXTERNAL MODULE: ./build/src/registry/stall-watchdog.js
var stall_watchdog = __webpack_require__(495);
// EXTERNAL MODULE: ./build/src/registry/tag-confirmations.js
var tag_confirmations = __webpack_require__(6017);
;// CONCATENATED MODULE: ./build/src/registry/copy.js
/**
 * (Over 400 lines, knowingly: the image-tree walk and the blob copy share one limiter, one progress reporter and
 * one per-copy state of what the destination already has; splitting them means passing that state between two
 * files, which is the next step once the blob client leaves client.ts.)
 *
 * Registry-to-registry image copy over the distribution API, with no Docker
 * daemon and no layer ever held in memory: manifests are copied as their
 * exact bytes (so the digest stays the same), blobs are skipped when the
 * destination has them, mounted when source and destination share a
 * registry, and otherwise streamed from the source GET straight into the
 * destination upload, hashed on the way.
 *
 * Order matters to registries, which refuse a manifest whose blobs or child
 * manifests are missing: blobs first, then child manifests by digest, then
 * the top manifest under each tag.
 *
 * Hostile or broken sources are bounded: one limiter for the whole copy
 * (every manifest read, HEAD, blob transfer and manifest write of every level
 * of the tree shares it), at most MAX_INDEX_CHILDREN manifests per index and
 * MAX_TREE_MANIFESTS in all, and each blob's size and digest checked against
 * its manifest before the destination keeps it.
 */











const DEFAULT_CONCURRENCY = 6;
/** Indexes of indexes exist (rarely); a loop of them must not recurse forever. */
const MAX_INDEX_DEPTH = 4;
/**
 * Manifests one index may list. Real multi-platform indexes list a few dozen
 * (platforms, and an attestation manifest each); thousands mean a broken or
 * hostile registry.
 */
const MAX_INDEX_CHILDREN = 1_000;
/** Manifests under one image in all, every level of nested indexes counted. */
const MAX_TREE_MANIFESTS = 4_000;
/**
 * Copies `source` to `destination` under every tag in `tags`. The
 * destination receives the source's exact manifest bytes, so the digest is
 * the same on both sides. Resolves with what moved; rejects on the first
 * blob that cannot be copied (no manifest is written then), with a
 * DigestMismatchError naming the blob when the source served bytes that are
 * not what its manifest promises.
 */
async function copyImage(request) {
    const { source, destination } = request;
    const log = request.log ?? (() => undefined);
    const concurrency = request.concurrency ?? DEFAULT_CONCURRENCY;
    if (!Number.isSafeInteger(concurrency) || concurrency < 1)
        throw new Error(`copyImage: concurrency must be a positive integer, got ${concurrency}`);
    for (const tag of request.tags) {
        if (!(0,image_reference/* isValidTag */.r_)(tag))
            throw new Error(`copyImage: invalid destination tag ${JSON.stringify(tag)}`);
    }
    const retry = request.retry;
    const from = (reference) => (0,image_reference/* formatReference */.FH)(source.client.registry, source.repository, reference);
    const to = (reference) => (0,image_reference/* formatReference */.FH)(destination.client.registry, destination.repository, reference);
    // One failure stops the other transfers at once instead of letting them run to their end.
    const stop = new AbortController();
    const signal = request.signal === undefined ? stop.signal : AbortSignal.any([stop.signal, request.signal]);
    const context = { request, signal, stop, limiter: new Limiter(concurrency), manifestsListed: 0 };
    // A request under the shared bound, not started once the copy has failed.
    const limited = (task) => context.limiter.run(() => {
        checkAborted(signal);
        return task();
    });
    checkAborted(signal);
    destination.client.willPush(destination.repository);
    // The destination's first tag is asked for beside the source's manifest, not after it: the destination's
    // challenge, token and connection are then ready when the copy needs them (serial round trips saved on
    // every copy), and a re-copy learns that the tag holds this manifest already. Only a hint: a registry's
    // refusal here is left to the requests that need the answer, in their words. But an HttpError means the
    // transport already spent its retry round on the destination (unreachable, or failing every try): the next
    // request would only wait through another round, so the copy fails now.
    const firstTag = request.tags[0];
    const [top, tagged] = await Promise.all([
        request.sourceManifest ?? source.client.getManifest(source.repository, source.reference),
        firstTag === undefined ? undefined : destination.client.headManifest(destination.repository, firstTag).catch(unlessTransportGaveUp),
    ]);
    log(`copy ${from(source.reference)} (${top.info.digest}, ${top.info.mediaType}) to ${destination.client.registry}/${destination.repository}`);
    // The tag points at this digest, so the destination has the manifest and everything under it.
    const tree = tagged?.digest === top.info.digest ? presentNode(top, request) : await readTree(context, top, 0);
    const blobs = collectBlobs(tree, log);
    const confirmed = new Map();
    const result = {
        digest: top.info.digest,
        mediaType: top.info.mediaType,
        blobsCopied: 0,
        blobsMounted: 0,
        blobsSkipped: 0,
        bytesCopied: 0,
        manifests: 0,
        confirmed,
    };
    const sameRegistry = source.client.registry === destination.client.registry && source.repository !== destination.repository;
    const mountState = { refused: false };
    const abortAll = (error) => stop.abort(error);
    const sizes = [...blobs.values()].map((descriptor) => descriptor.size);
    const progress = new CopyProgress({
        log,
        totalBytes: sizes.reduce((sum, size) => sum + size, 0),
        largestBlobBytes: Math.max(0, ...sizes),
        ...request.progress,
    });
    try {
        await settleAll([...blobs.values()].map((descriptor) => limited(async () => {
            const outcome = await withBlobRetries(descriptor, retry, signal, log, () => copyBlob(request, descriptor, sameRegistry, mountState, signal, log, progress));
            if (outcome === 'copied') {
                result.blobsCopied++;
                result.bytesCopied += descriptor.size;
            }
            else if (outcome === 'mounted') {
                result.blobsMounted++;
            }
            else {
                result.blobsSkipped++;
            }
        })), abortAll);
    }
    finally {
        progress.stop();
        // Connections opened ahead for blobs that turned out to be there already.
        source.client.closeIdle();
        destination.client.closeIdle();
    }
    if (request.blobsOnly) {
        log(`${result.blobsCopied} blobs copied (${result.bytesCopied} bytes), ${result.blobsMounted} mounted, ${result.blobsSkipped} already there; no manifest written`);
        return result;
    }
    // Children before parents, each by digest (siblings at once, under the shared bound); then the top under its tags.
    const putChildren = async (node) => {
        await settleAll(node.children.map(async (child) => {
            if (child.present)
                return;
            await putChildren(child);
            const { info, raw } = child.manifest;
            await limited(() => destination.client.putManifest(destination.repository, info.digest, raw, info.mediaType));
            result.manifests++;
            log(`wrote ${to(info.digest)}`);
        }), abortAll);
    };
    await putChildren(tree);
    const annotated = hasAnnotations(request.annotations) ? annotatedManifest(top, request.annotations) : undefined;
    if (annotated) {
        result.digest = annotated.digest;
        log(`added ${Object.keys(request.annotations ?? {}).length} annotation(s): ${top.info.digest} → ${annotated.digest}`);
    }
    const references = request.tags.length > 0 ? request.tags : [result.digest];
    for (const reference of references) {
        checkAborted(signal);
        if (reference === firstTag && tagged?.digest === result.digest) {
            confirmed.set(reference, result.digest);
            log(`${to(reference)} is ${result.digest} already`);
            continue;
        }
        (0,tag_confirmations/* recordWrite */.bi)(confirmed, reference, await destination.client.putManifest(destination.repository, reference, annotated?.raw ?? top.raw, top.info.mediaType));
        log(`wrote ${to(reference)}`);
    }
    if (!tree.present || annotated)
        result.manifests++;
    log(`copied ${from(source.reference)} → ${destination.client.registry}/${destination.repository} ${top.info.digest}: ` +
        `${result.blobsCopied} blobs copied (${result.bytesCopied} bytes), ${result.blobsMounted} mounted, ${result.blobsSkipped} already there`);
    return result;
}
/** A hint's failure is dropped, unless the transport retried it and gave up (see the first tag's HEAD above). */
function unlessTransportGaveUp(error) {
    if (error instanceof retry/* HttpError */.j$)
        throw error;
    return undefined;
}
function hasAnnotations(annotations) {
    return annotations !== undefined && Object.keys(annotations).length > 0;
}
/**
 * Writes the manifest `fromReference` points at under each of `tags` in the
 * same repository: one manifest GET and one PUT per tag, no blob byte moved.
 * With `annotations`, the manifest written carries them (a new digest).
 */
async function retagImage(client, repository, fromReference, tags, annotations) {
    if (tags.length === 0)
        throw new Error('retagImage: no tags given');
    for (const tag of tags)
        if (!(0,image_reference/* isValidTag */.r_)(tag))
            throw new Error(`retagImage: invalid tag ${JSON.stringify(tag)}`);
    client.willPush(repository);
    const manifest = await client.getManifest(repository, fromReference);
    const annotated = hasAnnotations(annotations) ? annotatedManifest(manifest, annotations) : undefined;
    const confirmed = await (0,tag_confirmations/* putUnderTags */.JG)(client, repository, tags, { raw: annotated?.raw ?? manifest.raw, mediaType: manifest.info.mediaType });
    return { digest: annotated?.digest ?? manifest.info.digest, mediaType: manifest.info.mediaType, confirmed };
}
function presentNode(manifest, request) {
    request.log?.(`${request.destination.client.registry}/${request.destination.repository} has ${manifest.info.digest} already: nothing under it is copied`);
    return { manifest, children: [], present: true };
}
async function readTree(context, manifest, depth) {
    const { request, signal, limiter } = context;
    checkAborted(signal);
    const { source, destination } = request;
    // Blobs only (a package's base): the caller writes a manifest of its own, so the base's is seldom in the
    // destination; asking would put a round trip before every blob's own question.
    const present = request.blobsOnly
        ? false
        : await limiter.run(() => {
            checkAborted(signal);
            return destinationHas(destination, manifest.info.digest);
        });
    if (present)
        return presentNode(manifest, request);
    const operation = `copy ${(0,image_reference/* formatReference */.FH)(source.client.registry, source.repository, manifest.info.digest)}`;
    const kind = (0,manifest_shapes/* manifestKind */.QS)(manifest.info.mediaType, manifest.body);
    if (kind === 'unknown') {
        throw new Error(`${operation}: cannot copy a manifest of media type ${JSON.stringify(manifest.info.mediaType)}`);
    }
    if (kind === 'image')
        return { manifest, children: [], present };
    if (depth >= MAX_INDEX_DEPTH)
        throw new Error(`${operation}: indexes nest deeper than ${MAX_INDEX_DEPTH} levels`);
    const entries = (0,manifest_shapes/* indexEntries */.nL)(manifest.body, operation);
    const digests = [...new Set(entries.map((entry) => entry.digest))];
    if (digests.length > MAX_INDEX_CHILDREN) {
        throw new Error(`${operation}: the index lists ${digests.length} manifests; imageship copies indexes of at most ${MAX_INDEX_CHILDREN} ` +
            '(a bound against broken or hostile registries: real multi-platform indexes list a few dozen); copy the platforms you need one by one');
    }
    context.manifestsListed += digests.length;
    if (context.manifestsListed > MAX_TREE_MANIFESTS) {
        throw new Error(`${operation}: the image's nested indexes list more than ${MAX_TREE_MANIFESTS} manifests in all; imageship copies at most that many ` +
            '(a bound against broken or hostile registries); copy the platforms you need one by one');
    }
    // A child the index says is larger than a manifest may be is refused before it is asked for.
    for (const entry of entries) {
        if (entry.size > body_cap/* BODY_CAPS */.V9.manifest.bytes) {
            throw new body_cap/* BodyTooLargeError */.Au({ what: `the manifest of ${source.repository}@${entry.digest}`, from: source.client.registry, cap: body_cap/* BODY_CAPS */.V9.manifest }, `its index gives its size as ${entry.size} bytes; it was not read`);
        }
    }
    const children = await settleAll(digests.map(async (digest) => {
        const child = await limiter.run(() => {
            checkAborted(signal);
            return source.client.getManifest(source.repository, digest);
        });
        return readTree(context, child, depth + 1);
    }), (error) => context.stop.abort(error));
    return { manifest, children, present };
}
async function destinationHas(destination, digest) {
    const info = await destination.client.headManifest(destination.repository, digest);
    return info?.digest === digest;
}
/** Every blob of every image manifest that is not at the destination yet, once each; foreign layers left out. */
function collectBlobs(tree, log) {
    const blobs = new Map();
    const visit = (node) => {
        if (node.present)
            return;
        for (const child of node.children)
            visit(child);
        const { info, body } = node.manifest;
        if ((0,manifest_shapes/* manifestKind */.QS)(info.mediaType, body) !== 'image')
            return;
        const operation = `copy manifest ${info.digest}`;
        const config = (0,manifest_shapes/* configDescriptor */.c4)(body, operation);
        blobs.set(config.digest, config);
        const layers = body.layers;
        if (!Array.isArray(layers))
            throw new Error(`${operation}: the manifest has no "layers" array`);
        for (const [i, layer] of layers.entries()) {
            const descriptor = checkedLayer(layer, `${operation}: layer ${i}`);
            if (Array.isArray(descriptor.urls) && descriptor.urls.length > 0) {
                // Non-distributable ("foreign") layers live at their URLs, not in the registry.
                log(`skip foreign layer ${descriptor.digest} (${descriptor.mediaType}): it is not copied; the manifest points at ${descriptor.urls.join(', ')}`);
                continue;
            }
            blobs.set(descriptor.digest, descriptor);
        }
    };
    visit(tree);
    return blobs;
}
function checkedLayer(value, where) {
    if (value === null || typeof value !== 'object')
        throw new Error(`${where} is not a descriptor`);
    const record = value;
    if (typeof record.digest !== 'string' || (0,image_reference/* digestError */.DD)(record.digest) !== undefined)
        throw new Error(`${where} has no valid digest`);
    if (typeof record.size !== 'number' || !Number.isSafeInteger(record.size) || record.size < 0)
        throw new Error(`${where} has no valid size`);
    return value;
}
// ---------------------------------------------------------------- one blob
async function copyBlob(request, descriptor, sameRegistry, mountState, signal, log, progress) {
    const { source, destination } = request;
    const { digest, size } = descriptor;
    checkAborted(signal);
    // The blob's GET and PUT connections open while the destination is asked whether it has the blob (a mount
    // within one registry needs no byte connection). Unused ones serve the next blob or close by themselves.
    if (!sameRegistry || mountState.refused) {
        const connections = request.concurrency ?? DEFAULT_CONCURRENCY;
        source.client.preconnect(connections);
        destination.client.preconnect(connections);
    }
    if ((await destination.client.headBlob(destination.repository, digest)) !== undefined)
        return 'skipped';
    if (sameRegistry && !mountState.refused) {
        try {
            if (await destination.client.mountBlob(destination.repository, digest, source.repository)) {
                log(`mounted ${digest} from ${source.repository}`);
                return 'mounted';
            }
        }
        catch (error) {
            // No read access to the source repository under the destination's login: copy the bytes instead.
            if (!(error instanceof registry_error/* RegistryError */.gl) || (error.status !== 401 && error.status !== 403))
                throw error;
            mountState.refused = true;
            log(`cross-repository mount refused (${error.message}); copying bytes instead`);
        }
    }
    checkAborted(signal);
    const operation = `copy blob ${digest} from ${(0,image_reference/* formatReference */.FH)(source.client.registry, source.repository, digest)}`;
    // node:stream all the way (raw HTTP/1.1 sockets with the global fetch): Web Streams cost more CPU per chunk than the hashing.
    const startedAt = performance.now();
    // The upload session opens while the source answers the GET: under load either answer can take tens of ms, and
    // one after the other they held each blob's PUT back by both (a full copy's last PUT started ≈ 60 ms later).
    const session = destination.client.openUpload(destination.repository);
    try {
        return await copyBlobBytes(request, descriptor, session, signal, progress, operation, startedAt);
    }
    finally {
        // Taken by the upload, or cancelled: a failed GET leaves no session behind.
        await session.cancel();
    }
}
/** A blob's bytes, streamed from the source's GET into the destination's upload (in `session`). */
async function copyBlobBytes(request, descriptor, session, signal, progress, operation, startedAt) {
    const { source, destination } = request;
    const { digest, size } = descriptor;
    const blob = await source.client.getBlobReadable(source.repository, digest, { signal, expectedBytes: size });
    if (blob.size !== undefined && blob.size !== size) {
        blob.stream.destroy();
        throw new image_digest/* DigestMismatchError */.h(operation, digest, `${blob.size} bytes`, `size mismatch for blob ${digest}: the manifest says ${size} bytes, the source serves ${blob.size}`);
    }
    const counted = progress.counted(blob.stream, size);
    try {
        await destination.client.uploadBlobReadable(destination.repository, digest, size, counted.stream, { signal, session });
    }
    catch (error) {
        counted.stream.destroy();
        blob.stream.destroy();
        if (error instanceof image_digest/* DigestMismatchError */.h) {
            throw new image_digest/* DigestMismatchError */.h(operation, error.expected, error.actual, `the source served corrupted bytes for blob ${digest}; nothing was published (${error.message})`);
        }
        throw error;
    }
    progress.blobDone(digest, size, startedAt, counted.counting);
    return 'copied';
}
/**
 * Runs `attempt` until it succeeds, restarting the whole blob transfer
 * (fresh GET, fresh upload session) after a transient failure: a streamed
 * body cannot be resent, so per-request retries cannot cover a reset in the
 * middle of an upload. The one retry policy's loop (retryOperation);
 * Retry-After is honoured; digest mismatches never retry.
 */
function withBlobRetries(descriptor, policy, signal, log, attempt) {
    return (0,retry/* retryOperation */.Uq)(attempt, {
        policy,
        signal,
        sleep: (ms) => sleep(ms, signal),
        delayFor: (error, failedAttempt) => retryDelay(error, failedAttempt),
        onRetry: (error, delay, next, attempts) => log(`blob ${descriptor.digest}: ${error instanceof Error ? error.message : String(error)}; starting it over in ${delay} ms (attempt ${next} of ${attempts})`),
    });
}
/** The pause before another try of a blob ('backoff': the policy's jittered one), or undefined when the failure is not transient. */
function retryDelay(error, failedAttempt) {
    const backoff = 'backoff';
    if (error instanceof image_digest/* DigestMismatchError */.h)
        return undefined;
    if (error instanceof registry_error/* RegistryError */.gl) {
        if (retry/* RETRYABLE_STATUSES */.U3.has(error.status))
            return error.retryAfterMs ?? backoff;
        return error.retryable ? backoff : undefined;
    }
    if (error instanceof retry/* HttpError */.j$) {
        // fetchWithRetry gave up after its own tries: trying the whole blob again would multiply them.
        if (error.attempts > 1)
            return undefined;
        const timeout = (0,stall_watchdog/* transferTimeoutIn */.Em)(error);
        // A blob too slow for its overall deadline would be as slow again.
        if (timeout?.limit === 'deadline')
            return undefined;
        // The registry took every byte and never answered: it may have stored the blob; one more try, not more.
        if (timeout?.limit === 'answer' && failedAttempt >= 2)
            return undefined;
        if (error.status !== undefined)
            return retry/* RETRYABLE_STATUSES */.U3.has(error.status) ? backoff : undefined;
        return (0,retry/* classifyFailure */.XE)(error.cause, undefined).transient ? backoff : undefined;
    }
    return undefined;
}
// ---------------------------------------------------------------- plumbing
function checkAborted(signal) {
    if (signal.aborted)
        throw signal.reason ?? new Error('the copy was aborted');
}
function sleep(ms, signal) {
    return new Promise((resolve, reject) => {
        if (signal.aborted) {
            reject(signal.reason);
            return;
        }
        const onAbort = () => {
            clearTimeout(timer);
            reject(signal.reason);
        };
        const timer = setTimeout(() => {
            signal.removeEventListener('abort', onAbort);
            resolve();
        }, ms);
        signal.addEventListener('abort', onAbort, { once: true });
    });
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
 * known cause and the usual fix.
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

/***/ 2632:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  a1: () => (/* binding */ dockerLogin)
});

// UNUSED EXPORTS: RegistryLoginError, dockerLogout

// EXTERNAL MODULE: external "node:buffer"
var external_node_buffer_ = __webpack_require__(4573);
// EXTERNAL MODULE: ./build/src/http/raw-connector.js
var raw_connector = __webpack_require__(5442);
// EXTERNAL MODULE: ./build/src/http/transport.js + 4 modules
var transport = __webpack_require__(8580);
;// CONCATENATED MODULE: ./build/src/http/default-transport.js


let shared;
function defaultTransport() {
    return (shared ??= (0,transport/* createTransport */.o)());
}
/** fetch() over the default transport (a bad proxy variable rejects the first call with ProxyConfigError). */
const defaultFetch = ((input, init) => {
    try {
        return defaultTransport().fetch(input, init);
    }
    catch (error) {
        return Promise.reject(error);
    }
});
(0,raw_connector/* registerRawConnector */.R)(defaultFetch, (url, options) => defaultTransport().connect(url, options));

;// CONCATENATED MODULE: ./build/src/http/node-fetch.js
/**
 * `nodeFetch`, kept for the library's public API: it is now the default
 * transport's fetch (src/http/default-transport.ts): node:http(s) without
 * undici, with proxies from the environment and docker's certs.d trust.
 */


// EXTERNAL MODULE: ./build/src/registry/client.js + 14 modules
var registry_client = __webpack_require__(4496);
// EXTERNAL MODULE: ./build/src/registry/docker-config-file.js
var docker_config_file = __webpack_require__(467);
// EXTERNAL MODULE: ./build/src/registry/docker-errors.js
var docker_errors = __webpack_require__(6461);
// EXTERNAL MODULE: ./build/src/registry/login-record.js
var login_record = __webpack_require__(7472);
// EXTERNAL MODULE: ./build/src/registry/login-store.js + 1 modules
var login_store = __webpack_require__(103);
// EXTERNAL MODULE: ./build/src/registry/registry-error.js
var registry_error = __webpack_require__(5613);
// EXTERNAL MODULE: ./build/src/domain/errors.js
var errors = __webpack_require__(3047);
// EXTERNAL MODULE: ./build/src/registry/logout.js
var logout = __webpack_require__(6563);
;// CONCATENATED MODULE: ./build/src/registry/login.js
/**
 * Logging in to a registry for docker (build, push, and later steps of the
 * job) without a `docker login` process: the credentials are checked against
 * the registry with imageship's own client (GET /v2/, as `docker login`
 * does), then written into the Docker config, so neither the user (for SWR
 * `<region>@<AK>`) nor the password is ever in a command line that `ps`
 * shows. Where the config sends logins to a credential helper, the helper
 * gets them on its stdin.
 *
 * A login already in the config for the same registry (a robot account from
 * an earlier step, say) is kept: saved beside the config (login-record.ts)
 * and put back by dockerLogout, which otherwise removes only the entry
 * imageship wrote. Every read-modify-write of config.json holds a lock
 * (config-lock.ts) and replaces the file atomically, so runs sharing one
 * config never lose each other's entries.
 */










class RegistryLoginError extends errors/* ImageshipError */.K {
    constructor(message, options = {}) {
        super(message, options);
        this.name = 'RegistryLoginError';
    }
}
/**
 * Checks the credentials against the registry, then stores them in the
 * Docker config (or the credential helper it names), keeping any login that
 * was there for dockerLogout to restore. A 401 throws RegistryLoginError
 * with the login hint; nothing is written then.
 */
async function dockerLogin(exec, request) {
    await checkCredentials(request);
    try {
        return await storeLogin(exec, request);
    }
    catch (error) {
        throw error instanceof RegistryLoginError ? error : new RegistryLoginError(error instanceof Error ? error.message : String(error));
    }
}
async function storeLogin(exec, request) {
    const { registry, env } = request;
    const configFile = await (0,login_store/* configFileOf */.OY)(env, `log in to ${registry}`);
    const key = (0,login_store/* serverKey */.Pd)(registry);
    const recordFile = (0,login_record/* loginRecordPath */.G4)(configFile, key);
    return (0,login_store/* withConfigLock */.E1)(configFile, `log in to ${registry}`, async () => {
        const config = await (0,docker_config_file/* readDockerConfig */.TO)(configFile);
        const earlier = await (0,login_record/* readLoginRecord */.Te)(recordFile);
        const helper = (0,login_store/* helperFor */.yW)(config, configFile, key, exec, env);
        const secret = { username: request.username, secret: request.password };
        if (helper === undefined) {
            const entry = { auth: external_node_buffer_.Buffer.from(`${request.username}:${request.password}`, 'utf8').toString('base64') };
            const current = (0,login_store/* authsOf */.vx)(config)[key];
            // An earlier imageship login that was never undone: what it saved is still the login to restore.
            const pending = earlier !== undefined && earlier.store === 'file' && (0,login_record/* sameFingerprint */.tU)(earlier.wrote, (0,login_store/* entryText */.u0)(current));
            const record = {
                version: 1,
                key,
                store: 'file',
                previous: pending ? earlier.previous : { entry: current ?? null },
                wrote: (0,login_record/* fingerprint */.Rj)((0,login_store/* entryText */.u0)(entry)),
                createdConfig: pending ? earlier.createdConfig : !config.exists,
            };
            // The record first: a run stopped between the two leaves the config as it was, which logout then sees.
            await (0,login_record/* writeLoginRecord */.GO)(recordFile, record);
            (0,login_store/* setAuth */.TV)(config, key, entry);
            await undoRecordOnFailure(recordFile, pending ? earlier : undefined, () => (0,docker_config_file/* writeDockerConfig */._D)(configFile, config.data));
            return { configFile, store: 'config.json', keptPrevious: (0,login_store/* hasPrevious */.ku)(record), recordFile };
        }
        const held = await helper.get(key);
        const pending = earlier !== undefined && earlier.store === helper.program && (0,login_record/* sameFingerprint */.tU)(earlier.wrote, (0,login_store/* helperText */.cy)(held));
        const current = (0,login_store/* authsOf */.vx)(config)[key];
        const record = {
            version: 1,
            key,
            store: helper.program,
            previous: pending ? earlier.previous : { entry: current ?? null, helper: held ?? null },
            wrote: (0,login_record/* fingerprint */.Rj)((0,login_store/* helperText */.cy)(secret)),
            createdConfig: pending ? earlier.createdConfig : !config.exists,
        };
        await (0,login_record/* writeLoginRecord */.GO)(recordFile, record);
        await undoRecordOnFailure(recordFile, pending ? earlier : undefined, () => helper.store(key, secret));
        // As `docker login` does with a helper: an empty entry in auths says the registry has a login.
        if (current === undefined) {
            (0,login_store/* setAuth */.TV)(config, key, {});
            await (0,docker_config_file/* writeDockerConfig */._D)(configFile, config.data);
        }
        return { configFile, store: helper.program, keptPrevious: (0,login_store/* hasPrevious */.ku)(record), recordFile };
    });
}
/** A login that failed to land leaves the record as it was before: logout must not mistake it for a replaced entry. */
async function undoRecordOnFailure(recordFile, earlier, write) {
    try {
        await write();
    }
    catch (error) {
        await (earlier === undefined ? (0,login_record/* removeLoginRecord */.Nz)(recordFile) : (0,login_record/* writeLoginRecord */.GO)(recordFile, earlier)).catch(() => undefined);
        throw error;
    }
}
/** GET /v2/ with the credentials: a refusal fails the login as `docker login` would, before anything is written. */
async function checkCredentials(request) {
    const client = request.client ??
        new registry_client/* RegistryClient */.bP({
            registry: request.registry,
            fetch: request.fetch ?? defaultFetch,
            credentials: { username: request.username, password: request.password },
        });
    const context = { operation: 'login', registry: request.registry, loginHint: request.loginHint };
    try {
        await client.checkLogin();
    }
    catch (error) {
        if (error instanceof registry_error/* RegistryError */.gl && error.status === 401)
            throw new RegistryLoginError((0,docker_errors/* explainRegistryError */.z)('401 unauthorized', context), { cause: error });
        throw new RegistryLoginError((0,docker_errors/* explainRegistryError */.z)(error instanceof Error ? error.message : String(error), context), { cause: error });
    }
}


/***/ }),

/***/ 5613:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   gl: () => (/* binding */ RegistryError),
/* harmony export */   vW: () => (/* binding */ registryErrorFromResponse)
/* harmony export */ });
/* unused harmony export readErrorBody */
/* harmony import */ var _util_body_cap_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(5893);
/* harmony import */ var _http_retry_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6092);
/* harmony import */ var _http_read_body_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(9681);
/* harmony import */ var _domain_errors_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(3047);
/**
 * Registry answers other than success, turned into one error type that keeps
 * the status and the distribution spec's error code (UNAUTHORIZED, DENIED,
 * MANIFEST_UNKNOWN, NAME_UNKNOWN…) for callers to branch on.
 */




class RegistryError extends _domain_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ImageshipError */ .K {
    name = 'RegistryError';
    status;
    /** The first `errors[].code` of the registry's JSON error body, when it sent one. */
    code;
    operation;
    /** The pause a 429/503 answer asked for with Retry-After, when it did. */
    retryAfterMs;
    /**
     * Set when the request failed for a reason a fresh attempt of the whole
     * operation may not meet (e.g. a token that expired while a streamed upload
     * could not be resent). Retryable statuses (429, 503…) are told by `status`.
     */
    retryable;
    constructor(message, details) {
        super(message);
        this.status = details.status;
        this.operation = details.operation;
        if (details.code !== undefined)
            this.code = details.code;
        if (details.retryAfterMs !== undefined)
            this.retryAfterMs = details.retryAfterMs;
        if (details.retryable !== undefined)
            this.retryable = details.retryable;
    }
}
/** Longest piece of a non-JSON error body worth quoting in a one-line message. */
const MAX_QUOTED_BODY = 200;
/**
 * Reads a failed response's body and builds the error, e.g.
 * `read manifest host/org/app:1: HTTP 404 MANIFEST_UNKNOWN: manifest unknown`.
 * `hint` is appended to explain what imageship expected.
 */
async function registryErrorFromResponse(response, operation, hint, extra = {}) {
    const body = await readErrorBody(response, operation);
    const parts = [`HTTP ${response.status}`];
    if (body.code)
        parts.push(` ${body.code}`);
    if (body.message)
        parts.push(`: ${body.message}`);
    if (hint)
        parts.push(` (${hint})`);
    const retryAfterMs = (0,_http_retry_js__WEBPACK_IMPORTED_MODULE_1__/* .parseRetryAfterMs */ .oR)(response.status, response.headers.get('retry-after'));
    return new RegistryError(`${operation}: ${parts.join('')}`, {
        status: response.status,
        operation,
        ...(body.code === undefined ? {} : { code: body.code }),
        ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
        ...(extra.retryable === undefined ? {} : { retryable: extra.retryable }),
    });
}
/** Error code and message from any of the body shapes registries and token services use; never throws. */
async function readErrorBody(response, operation) {
    let text;
    try {
        text = new TextDecoder().decode(await (0,_http_read_body_js__WEBPACK_IMPORTED_MODULE_2__/* .readBodyBytes */ .I)(response, operation, { what: `the error answer to ${operation}`, cap: _util_body_cap_js__WEBPACK_IMPORTED_MODULE_0__/* .BODY_CAPS */ .V9.errorBody })).trim();
    }
    catch {
        return {};
    }
    if (text === '')
        return {};
    try {
        return errorFromJson(JSON.parse(text));
    }
    catch {
        // HTML from a proxy says nothing useful in one line; short plain text might.
        if (text.startsWith('<'))
            return {};
        const line = text.split('\n')[0] ?? '';
        return { message: line.length > MAX_QUOTED_BODY ? `${line.slice(0, MAX_QUOTED_BODY)}…` : line };
    }
}
function errorFromJson(json) {
    if (json === null || typeof json !== 'object')
        return {};
    const record = json;
    // The distribution spec's shape: {"errors":[{"code","message","detail"}]}.
    if (Array.isArray(record.errors) && record.errors.length > 0) {
        const first = record.errors[0];
        return {
            ...(typeof first?.code === 'string' ? { code: first.code } : {}),
            ...(typeof first?.message === 'string' ? { message: first.message } : {}),
        };
    }
    // Token services (Docker Hub's, OAuth2-style ones) answer with a flat object.
    for (const key of ['details', 'message', 'error_description', 'error']) {
        if (typeof record[key] === 'string')
            return { message: record[key] };
    }
    return {};
}


/***/ }),

/***/ 495:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Em: () => (/* binding */ transferTimeoutIn),
/* harmony export */   UH: () => (/* binding */ resolveBlobTimeouts),
/* harmony export */   Ye: () => (/* binding */ StallWatchdog),
/* harmony export */   sO: () => (/* binding */ answerWait),
/* harmony export */   yr: () => (/* binding */ blobDeadline)
/* harmony export */ });
/* unused harmony exports DEFAULT_BLOB_TIMEOUTS, TransferTimeoutError */
/* harmony import */ var _util_body_cap_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(5893);
/* harmony import */ var _http_retry_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6092);
/* harmony import */ var _domain_errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(3047);
/**
 * The time limits of one streamed blob request, and the watchdog that
 * enforces them:
 *
 * - the stall limit: no byte moved for `ms` (the retry policy's timeoutMs).
 *   A total timeout would cut a large layer off however healthy its transfer;
 * - the overall deadline, from the blob's size and a floor throughput
 *   (60 s + 1 s per 100 KiB by default): a server that trickles a byte every
 *   few seconds never trips the stall limit, but cannot hold a run for ever;
 * - the answer wait: once the last byte of an upload is sent, how long the
 *   registry may take to answer (committing a blob may mean a copy inside
 *   object storage): 2 min + 1 s per 50 MiB by default.
 *
 * The abort reason is a TransferTimeoutError that says which limit fired and
 * its numbers, so the error a user reads tells stall from deadline.
 *
 * `touch` runs for every chunk of a blob (thousands per layer), so it only
 * counts; reading a clock or re-arming a timer there showed up in CPU
 * profiles. A timer looks at the count four times per period instead, and
 * aborts after four looks in a row saw it unchanged: a stall is reported
 * between `ms` and 1.25 × `ms` after the last byte moved.
 */



/** Looks per stall period. */
const LOOKS = 4;
const DEFAULT_BLOB_TIMEOUTS = Object.freeze({
    deadlineBaseMs: 60_000,
    deadlineBytesPerSecond: 100 * 1024,
    answerBaseMs: 120_000,
    answerBytesPerSecond: 50 * 1024 * 1024,
});
function resolveBlobTimeouts(given) {
    const pick = (key, minimum) => {
        const value = given?.[key];
        return typeof value === 'number' && Number.isFinite(value) && value >= minimum ? value : DEFAULT_BLOB_TIMEOUTS[key];
    };
    return {
        deadlineBaseMs: pick('deadlineBaseMs', 0),
        deadlineBytesPerSecond: pick('deadlineBytesPerSecond', 1),
        answerBaseMs: pick('answerBaseMs', 0),
        answerBytesPerSecond: pick('answerBytesPerSecond', 1),
    };
}
function blobDeadline(size, timeouts) {
    const ms = Math.ceil(timeouts.deadlineBaseMs + (size / timeouts.deadlineBytesPerSecond) * 1000);
    return {
        ms,
        description: `the overall deadline of ${(0,_http_retry_js__WEBPACK_IMPORTED_MODULE_1__/* .formatSeconds */ .Xo)(ms)} (${(0,_http_retry_js__WEBPACK_IMPORTED_MODULE_1__/* .formatSeconds */ .Xo)(timeouts.deadlineBaseMs)} + 1 s per ${(0,_util_body_cap_js__WEBPACK_IMPORTED_MODULE_0__/* .formatSize */ .Xq)(timeouts.deadlineBytesPerSecond)} of its ${size} bytes)`,
    };
}
function answerWait(size, timeouts, stallMs) {
    return Math.max(stallMs, Math.ceil(timeouts.answerBaseMs + (size / timeouts.answerBytesPerSecond) * 1000));
}
/** Why a watchdog aborted a transfer. Named TimeoutError, so the retry policy sees a timeout. */
class TransferTimeoutError extends _domain_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .ImageshipError */ .K {
    limit;
    name = 'TimeoutError';
    constructor(limit, message) {
        super(message);
        this.limit = limit;
    }
}
/** The TransferTimeoutError somewhere in `error`'s cause chain (fetch wraps abort reasons). */
function transferTimeoutIn(error) {
    let current = error;
    for (let depth = 0; depth < 6 && current !== null && typeof current === 'object'; depth++) {
        if (current instanceof TransferTimeoutError)
            return current;
        current = current.cause;
    }
    return undefined;
}
class StallWatchdog {
    ms;
    signal;
    controller = new AbortController();
    startedAt = performance.now();
    timer;
    deadlineTimer;
    stopped = false;
    moves = 0;
    movesAtLastLook = 0;
    quietLooks = 0;
    constructor(ms, outer) {
        this.ms = ms;
        this.signal = outer === undefined ? this.controller.signal : AbortSignal.any([this.controller.signal, outer]);
        this.timer = this.arm(ms / LOOKS, () => this.look());
    }
    touch() {
        this.moves++;
    }
    /** The whole request must be done within `limit`, counted from when the watchdog was made. */
    limitTotal(limit) {
        if (this.stopped)
            return;
        if (this.deadlineTimer !== undefined)
            clearTimeout(this.deadlineTimer);
        const left = Math.max(0, limit.ms - (performance.now() - this.startedAt));
        this.deadlineTimer = this.arm(left, () => this.abort('deadline', `not done within ${limit.description}: the transfer is too slow`));
    }
    /**
     * The request body (`sentBytes` bytes) has been sent: the registry may now
     * take a while to commit the blob, so the wait for its answer gets `ms`
     * instead of the stall limit. The overall deadline still runs.
     */
    awaitAnswer(ms, sentBytes) {
        if (this.stopped)
            return;
        if (this.timer !== undefined)
            clearTimeout(this.timer);
        this.timer = this.arm(ms, () => this.abort('answer', `all ${sentBytes} bytes were sent and the registry gave no answer within ${(0,_http_retry_js__WEBPACK_IMPORTED_MODULE_1__/* .formatSeconds */ .Xo)(ms)} (the answer wait)`));
    }
    stop() {
        this.stopped = true;
        if (this.timer !== undefined)
            clearTimeout(this.timer);
        if (this.deadlineTimer !== undefined)
            clearTimeout(this.deadlineTimer);
        this.timer = undefined;
        this.deadlineTimer = undefined;
    }
    look() {
        if (this.moves !== this.movesAtLastLook) {
            this.movesAtLastLook = this.moves;
            this.quietLooks = 0;
        }
        else if (++this.quietLooks >= LOOKS) {
            this.abort('stall', `stalled: no byte moved for ${(0,_http_retry_js__WEBPACK_IMPORTED_MODULE_1__/* .formatSeconds */ .Xo)(this.ms)} (the stall limit)`);
            return;
        }
        this.timer = this.arm(this.ms / LOOKS, () => this.look());
    }
    arm(ms, then) {
        const timer = setTimeout(then, ms);
        timer.unref?.();
        return timer;
    }
    abort(limit, message) {
        this.stop();
        this.controller.abort(new TransferTimeoutError(limit, message));
    }
}


/***/ }),

/***/ 6017:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   JG: () => (/* binding */ putUnderTags),
/* harmony export */   bi: () => (/* binding */ recordWrite)
/* harmony export */ });
/* unused harmony export NO_CONFIRMATIONS */
const NO_CONFIRMATIONS = new Map();
/** Adds the tag when the registry's answer to its PUT named the digest written. */
function recordWrite(confirmed, tag, write) {
    if (write.confirmed)
        confirmed.set(tag, write.digest);
}
/**
 * Writes the same manifest bytes under each tag, one after another (a registry keeps the last PUT of a tag, so
 * the order is the tags' order), and returns what the registry confirmed.
 */
async function putUnderTags(client, repository, tags, manifest, onWritten) {
    const confirmed = new Map();
    for (const tag of tags) {
        recordWrite(confirmed, tag, await client.putManifest(repository, tag, manifest.raw, manifest.mediaType));
        onWritten?.(tag);
    }
    return confirmed;
}


/***/ }),

/***/ 5893:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Au: () => (/* binding */ BodyTooLargeError),
/* harmony export */   V9: () => (/* binding */ BODY_CAPS),
/* harmony export */   VO: () => (/* binding */ checkDeclaredLength),
/* harmony export */   Xq: () => (/* binding */ formatSize),
/* harmony export */   Yr: () => (/* binding */ BodyCollector),
/* harmony export */   w4: () => (/* binding */ hostOf)
/* harmony export */ });
/* harmony import */ var _domain_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3047);
/**
 * Bounds on every answer imageship reads whole (manifests, token answers,
 * cloud and Kubernetes API answers, error bodies). A server decides how much
 * it sends; without a bound an endless body is buffered until the runner runs
 * out of memory. A declared Content-Length over the cap fails before a byte
 * is read; an unsized or lying body is counted as it arrives and the
 * connection dropped the moment the count passes the cap.
 *
 * The caps live here, in one table, so the numbers and the reasons given for
 * them stay the same in every message and in the README.
 */

const KiB = 1024;
const MiB = 1024 * KiB;
const BODY_CAPS = Object.freeze({
    /** OCI distribution spec: registries should accept manifests of at least 4 MiB, and may refuse larger ones. */
    manifest: { bytes: 4 * MiB, why: "the distribution spec's limit" },
    /** An image config is a few KiB (its history makes the biggest ones a few hundred). */
    imageConfig: { bytes: 8 * MiB, why: 'far more than any image config' },
    /** One page of `GET /v2/<repo>/tags/list`: 100 000 tags of 128 characters fit. */
    tagList: { bytes: 16 * MiB, why: 'far more than one page of tags' },
    /** A token answer is a JWT or an opaque token of a few KiB. */
    token: { bytes: 1 * MiB, why: 'far more than any token service sends' },
    /** Huawei Cloud and Alibaba Cloud API answers (a function's configuration, a temporary login, a tag list). */
    cloudApi: { bytes: 8 * MiB, why: 'far more than any answer of these APIs' },
    /** A Kubernetes object (a Deployment, a Status) is kilobytes. */
    kubernetes: { bytes: 8 * MiB, why: 'far more than any Kubernetes object' },
    /** Error bodies and other answers of which only a line is shown. */
    errorBody: { bytes: 64 * KiB, why: 'only its first line is shown' },
});
/** An answer larger than its cap: nothing past the cap was read. Not transient: the same server sends the same body. */
class BodyTooLargeError extends _domain_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ImageshipError */ .K {
    name = 'BodyTooLargeError';
    limit;
    host;
    constructor(read, detail) {
        super(`${read.what}${read.from ? ` from ${read.from}` : ''} is larger than ${formatSize(read.cap.bytes)} (${read.cap.why}): ${detail}`);
        this.limit = read.cap.bytes;
        this.host = read.from;
    }
}
/** Throws before anything is read when the declared Content-Length is over the cap. */
function checkDeclaredLength(contentLength, read) {
    const value = Array.isArray(contentLength) ? contentLength[0] : contentLength;
    if (value === null || value === undefined || !/^\s*\d+\s*$/.test(value))
        return;
    const declared = Number(value);
    if (declared > read.cap.bytes) {
        throw new BodyTooLargeError(read, `it declares Content-Length ${declared}; nothing of it was read`);
    }
}
/**
 * Collects an answer's chunks, counting them: `push` throws BodyTooLargeError
 * the moment the total passes the cap (the caller then drops the connection),
 * so at most one chunk past the cap is ever held.
 */
class BodyCollector {
    read;
    chunks = [];
    size = 0;
    constructor(read) {
        this.read = read;
    }
    push(chunk) {
        this.size += chunk.byteLength;
        if (this.size > this.read.cap.bytes) {
            this.chunks.length = 0;
            throw new BodyTooLargeError(this.read, `more than ${this.read.cap.bytes} bytes arrived; the connection was closed without reading the rest`);
        }
        this.chunks.push(chunk);
    }
    bytes() {
        const joined = Buffer.concat(this.chunks, this.size);
        return new Uint8Array(joined.buffer, joined.byteOffset, joined.byteLength);
    }
}
/** `4 MiB`, `64 KiB`, `1.5 MiB`, `900 bytes`. */
function formatSize(bytes) {
    if (bytes >= MiB)
        return `${Number((bytes / MiB).toFixed(1))} MiB`;
    if (bytes >= KiB)
        return `${Number((bytes / KiB).toFixed(1))} KiB`;
    return `${bytes} bytes`;
}
/** The host[:port] of an answer's URL, when it has one. */
function hostOf(url) {
    if (!url)
        return undefined;
    try {
        return new URL(url).host || undefined;
    }
    catch {
        return undefined;
    }
}


/***/ }),

/***/ 2339:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   N: () => (/* binding */ bufferedResponse)
/* harmony export */ });
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7075);
/* harmony import */ var _fetch_rules_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(9452);
/* harmony import */ var _lite_response_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(4154);
/**
 * A Response, already read whole, without the global Response class: what the
 * raw blob path hands to the parts of the registry client that read answers
 * (errors, auth challenges, the closing answer of an upload).
 */



class BufferedResponse extends _lite_response_js__WEBPACK_IMPORTED_MODULE_2__/* .LiteResponseBase */ .$ {
    #bytes;
    constructor(status, statusText, fields, body, url) {
        // Outside 200–599 a Response cannot exist; say "bad gateway" as a proxy would.
        const hasBody = status >= 200 && !_fetch_rules_js__WEBPACK_IMPORTED_MODULE_1__/* .NULL_BODY_STATUSES */ .ID.has(status);
        super({ status: status < 200 || status > 599 ? 502 : status, statusText, fields, url, redirected: false, hasBody });
        this.#bytes = body;
    }
    async readAll(stream, collector) {
        if (stream === undefined) {
            if (collector === undefined)
                return new Uint8Array(this.#bytes);
            collector.push(this.#bytes);
            return collector.bytes();
        }
        const chunks = [];
        for await (const chunk of stream) {
            if (collector === undefined)
                chunks.push(chunk);
            else
                collector.push(chunk);
        }
        return collector === undefined ? new Uint8Array(Buffer.concat(chunks)) : collector.bytes();
    }
    openStream() {
        return node_stream__WEBPACK_IMPORTED_MODULE_0__.Readable.toWeb(node_stream__WEBPACK_IMPORTED_MODULE_0__.Readable.from([this.#bytes]));
    }
}
/** An answer read whole, as a Response (`url`: where it came from, when known). */
function bufferedResponse(status, statusText, fields, body, url = '') {
    return new BufferedResponse(status, statusText, fields, body, url);
}


/***/ }),

/***/ 6890:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   W: () => (/* binding */ withoutCredentialHeaders)
/* harmony export */ });
/* unused harmony export isCredentialHeader */
/**
 * Request headers that carry a credential or a signature. None of them may
 * follow a redirect to another origin: every redirect imageship follows
 * (the transport's fetch, src/http/redirects.ts, and the raw blob GET) drops them when the origin changes, so a
 * registry sending a blob GET to its CDN reaches the CDN without the login.
 * Signed cloud API calls do not follow redirects at all (src/http/retry.ts,
 * `refuseRedirects`); this list is the second line for them.
 */
/** Generic credential headers, and the ones the cloud clients send by name. */
const CREDENTIAL_HEADERS = new Set([
    'authorization',
    'cookie',
    'proxy-authorization',
    // OpenStack / Huawei Cloud IAM tokens and temporary-credential tokens.
    'x-auth-token',
    'x-security-token',
    'x-subject-token',
]);
/**
 * Every header the signers add: Alibaba's `x-acs-*` (accesskey id, security
 * token, nonce, signature parameters) and Huawei's `x-sdk-*` (the signed
 * date). A signed header is worthless elsewhere but says whose key signed it.
 */
const SIGNER_PREFIXES = ['x-acs-', 'x-sdk-'];
function isCredentialHeader(name) {
    const lower = name.toLowerCase();
    return CREDENTIAL_HEADERS.has(lower) || SIGNER_PREFIXES.some((prefix) => lower.startsWith(prefix));
}
/** `headers` without any credential header (names compared case-insensitively). */
function withoutCredentialHeaders(headers) {
    const kept = {};
    for (const [name, value] of Object.entries(headers))
        if (!isCredentialHeader(name))
            kept[name] = value;
    return kept;
}


/***/ }),

/***/ 9452:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   ID: () => (/* binding */ NULL_BODY_STATUSES),
/* harmony export */   Ju: () => (/* binding */ DRAIN_LIMIT_BYTES),
/* harmony export */   NX: () => (/* binding */ MAX_REDIRECTS),
/* harmony export */   aq: () => (/* binding */ REDIRECT_STATUSES)
/* harmony export */ });
/** The fetch standard's numbers, shared by the transport's fetch (src/http) and the raw blob path so both follow the same rules. */
/** Statuses that redirect (with a Location). */
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** How many redirects a request follows before giving up, as fetch does. */
const MAX_REDIRECTS = 20;
/** Statuses whose answer never has a body. */
const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);
/** An unwanted answer this small is read to its end, so its keep-alive connection is reused; a larger one is dropped. */
const DRAIN_LIMIT_BYTES = 64 * 1024;


/***/ }),

/***/ 2715:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   N4: () => (/* binding */ LiteHeaders),
/* harmony export */   jP: () => (/* binding */ headerRecord),
/* harmony export */   jp: () => (/* binding */ rawHeaderPairs)
/* harmony export */ });
/**
 * Response and request headers without the global Headers class, whose first
 * use loads undici (≈ 40 ms, the cost the transport's fetch and the raw blob path avoid).
 */
/** Read-only response headers with the Headers lookups: case-insensitive, repeated fields joined by ", ". */
class LiteHeaders {
    #fields = new Map();
    /** `fields`: name/value pairs in the order received. */
    constructor(fields) {
        for (const [field, value] of fields) {
            const name = field.toLowerCase();
            const values = this.#fields.get(name);
            if (values === undefined)
                this.#fields.set(name, [value]);
            else
                values.push(value);
        }
    }
    get(name) {
        return this.#fields.get(name.toLowerCase())?.join(', ') ?? null;
    }
    has(name) {
        return this.#fields.has(name.toLowerCase());
    }
    getSetCookie() {
        return [...(this.#fields.get('set-cookie') ?? [])];
    }
    /** Sorted by name, as Headers iterates. */
    *entries() {
        for (const name of [...this.#fields.keys()].sort())
            yield [name, this.get(name)];
    }
    *keys() {
        for (const [name] of this.entries())
            yield name;
    }
    *values() {
        for (const [, value] of this.entries())
            yield value;
    }
    [Symbol.iterator]() {
        return this.entries();
    }
    forEach(callback) {
        for (const [name, value] of this.entries())
            callback(value, name, this);
    }
}
/**
 * Request headers (a record, a list of pairs, or anything Headers-like) as a
 * record with lower-case names; undefined for a shape it does not know.
 */
function headerRecord(init) {
    const record = {};
    const add = (name, value) => {
        const key = name.toLowerCase();
        record[key] = record[key] === undefined ? value : `${record[key]}, ${value}`;
    };
    if (init === undefined || init === null)
        return record;
    if (Array.isArray(init)) {
        for (const pair of init) {
            if (!Array.isArray(pair) || pair.length !== 2)
                return undefined;
            add(String(pair[0]), String(pair[1]));
        }
        return record;
    }
    if (typeof init !== 'object')
        return undefined;
    const like = init;
    if (typeof like.forEach === 'function' && typeof like.get === 'function') {
        init.forEach((value, name) => add(name, value));
        return record;
    }
    for (const [name, value] of Object.entries(init)) {
        if (value !== undefined)
            add(name, String(value));
    }
    return record;
}
/** node:http's flat rawHeaders list as name/value pairs. */
function rawHeaderPairs(rawHeaders) {
    const pairs = [];
    for (let i = 0; i + 1 < rawHeaders.length; i += 2)
        pairs.push([rawHeaders[i], rawHeaders[i + 1]]);
    return pairs;
}


/***/ }),

/***/ 4154:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $: () => (/* binding */ LiteResponseBase)
/* harmony export */ });
/* harmony import */ var _lite_headers_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2715);

class LiteResponseBase {
    status;
    statusText;
    ok;
    headers;
    url;
    redirected;
    type = 'basic';
    #stream;
    #used = false;
    /** `hasBody` false: a HEAD answer or a null-body status; body is null and reads give nothing. */
    constructor(init) {
        this.status = init.status;
        this.statusText = init.statusText;
        this.ok = init.status >= 200 && init.status <= 299;
        this.headers = new _lite_headers_js__WEBPACK_IMPORTED_MODULE_0__/* .LiteHeaders */ .N4(init.fields);
        this.url = init.url;
        this.redirected = init.redirected;
        if (!init.hasBody)
            this.#stream = null;
    }
    /**
     * Resolves once the connection this answer came on can carry the next
     * request (back in its pool, or closed): a body read to its end, or a HEAD
     * answer, is not enough, node hands the socket back a tick later. An
     * answer read whole already (no connection behind it): at once.
     */
    released() {
        return Promise.resolve();
    }
    get bodyUsed() {
        return this.#used;
    }
    /** Made on first use: reading through text()/arrayBuffer() skips Web Streams. */
    get body() {
        if (this.#stream === undefined)
            this.#stream = this.openStream();
        return this.#stream;
    }
    async bytes() {
        if (this.#used)
            throw new TypeError('Body is unusable: Body has already been read');
        this.#used = true;
        if (this.#stream === null)
            return new Uint8Array(0);
        return this.readAll(this.#stream);
    }
    /** bytes(), bounded: see http/read-body.ts readBodyBytes. */
    async bytesWithin(collector) {
        if (this.#used)
            throw new TypeError('Body is unusable: Body has already been read');
        this.#used = true;
        if (this.#stream === null)
            return new Uint8Array(0);
        return this.readAll(this.#stream, collector);
    }
    async arrayBuffer() {
        const bytes = await this.bytes();
        return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    }
    async text() {
        return new TextDecoder().decode(await this.bytes());
    }
    async json() {
        return JSON.parse(await this.text());
    }
}


/***/ }),

/***/ 2197:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  G: () => (/* binding */ createSecretRegistry),
  P: () => (/* binding */ registerLogin)
});

;// CONCATENATED MODULE: ./build/src/util/secret-forms.js
/**
 * The forms in which a secret comes back from a server or a tool: a registry
 * that echoes the Authorization header (`Basic base64(user:password)`), a JSON
 * error body that quotes a password with its `"` escaped, a URL with the
 * token percent-encoded. A log mask matches exact substrings only, so each
 * form is a value of its own.
 *
 * base64 needs care: inside a longer encoded string (`base64(user:password)`,
 * a Docker config `auth`, a JSON document encoded whole) the secret starts at
 * one of three byte alignments, and its first and last characters mix bits
 * of its unknown neighbours. For each alignment the characters that encode
 * the secret's bits alone are a fixed string: that fragment is registered, so
 * whatever surrounds the secret, all but at most two characters at each end
 * of its encoding are masked.
 */
/** A base64 fragment shorter than this could match ordinary text by chance. */
const MIN_FRAGMENT_LENGTH = 6;
/** `secret` itself first, then every derived form that differs from it, each once. */
function secretForms(secret) {
    const forms = new Set([secret]);
    const bytes = Buffer.from(secret, 'utf8');
    // Whole, as a Docker config's `auth` and a Basic header carry it.
    forms.add(bytes.toString('base64'));
    for (const fragment of base64Fragments(bytes)) {
        forms.add(fragment);
        forms.add(fragment.replace(/\+/g, '-').replace(/\//g, '_'));
    }
    const percent = encodeURIComponent(secret);
    forms.add(percent);
    // RFC 3986 unreserved only (.NET's EscapeDataString, Go's url.PathEscape for most), and form encoding.
    forms.add(percent.replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`));
    forms.add(percent.replace(/%20/g, '+'));
    const json = JSON.stringify(secret).slice(1, -1);
    forms.add(json);
    // Go's encoding/json escapes <, > and & (and U+2028/9); Python's json.dumps every non-ASCII character.
    forms.add(json.replace(/[<>&\u2028\u2029]/g, unicodeEscape));
    forms.add(json.replace(/[^\x00-\x7f]/g, unicodeEscape));
    return [...forms];
}
/**
 * For each of the three byte alignments, the base64 characters that encode
 * only bits of `bytes` (no padding, no character shared with a neighbour).
 * Fragments shorter than MIN_FRAGMENT_LENGTH are left out.
 */
function base64Fragments(bytes) {
    const fragments = [];
    for (let offset = 0; offset < 3; offset++) {
        const shifted = Buffer.concat([Buffer.alloc(offset), bytes]);
        const encoded = shifted.toString('base64').replace(/=+$/, '');
        const start = Math.ceil((offset * 8) / 6);
        const end = Math.floor((shifted.length * 8) / 6);
        const fragment = encoded.slice(start, end);
        if (fragment.length >= MIN_FRAGMENT_LENGTH)
            fragments.push(fragment);
    }
    return fragments;
}
function unicodeEscape(char) {
    return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

;// CONCATENATED MODULE: ./build/src/util/secrets.js

/**
 * Keeps every secret value seen and scrubs them out of text. `onAdd` lets a
 * host also register the value with its own log masking (GitHub's
 * `::add-mask::`) at the moment it becomes known.
 *
 * A value is registered with every form in which a server or a tool may echo
 * it back (secretForms): base64 at each byte alignment, URL-encoded,
 * JSON-escaped. Register a login as the pair too (`registerLogin`), so that
 * `Basic base64(user:password)` is caught as a whole.
 */
function createSecretRegistry(onAdd) {
    const secrets = new Set();
    /** Values whose forms were registered (a value may also be known as a form of another). */
    const registered = new Set();
    const remember = (value) => {
        if (secrets.has(value))
            return;
        secrets.add(value);
        onAdd?.(value);
    };
    return {
        add(secret) {
            // Very short values would redact half the log and protect nothing.
            if (secret.length < 4 || registered.has(secret))
                return;
            registered.add(secret);
            // A multi-line value (a kubeconfig) is registered whole here, but the
            // host masks its long lines: masking short structural lines such as
            // `kind: Config` everywhere would only garble the log.
            if (secret.includes('\n')) {
                secrets.add(secret);
                for (const line of secret.split('\n').map((l) => l.trim()))
                    if (line.length >= 24)
                        onAdd?.(line);
                return;
            }
            for (const form of secretForms(secret))
                remember(form);
        },
        redact(text) {
            let result = text;
            // Longest first, so a secret containing another is replaced whole.
            for (const secret of [...secrets].sort((a, b) => b.length - a.length))
                result = result.split(secret).join('***');
            return result;
        },
    };
}
/**
 * Registers a login: the password, and `user:password` (what Basic auth and a
 * Docker config's `auth` field encode), each with all their forms.
 */
function registerLogin(secrets, username, password) {
    secrets.add(password);
    if (username !== '')
        secrets.add(`${username}:${password}`);
}


/***/ })

};
