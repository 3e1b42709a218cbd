export const id = 635;
export const ids = [635];
export const modules = {

/***/ 5635:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  runMain: () => (/* binding */ runMain)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 14 modules
var core = __webpack_require__(6421);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
;// CONCATENATED MODULE: ./build/src/tags/errors.js
/**
 * A rule in the `tags` input that cannot be used. `line` is the rule exactly
 * as written (trimmed), so callers can point at it; the message is one line
 * that names the rule and says how to fix it.
 */
class TagRuleError extends Error {
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
class RuleSyntaxProblem extends Error {
    constructor(problem) {
        super(problem);
        this.name = 'RuleSyntaxProblem';
    }
}
/** Builds the one-line message every rule error shares: `tags: rule `…`: problem`. */
function ruleError(line, problem) {
    return new TagRuleError(line, `tags: rule \`${line}\`: ${problem}`);
}

;// CONCATENATED MODULE: ./build/src/tags/date-format.js

/** The tokens `{{date 'FORMAT'}}` understands; every one is rendered in UTC. */
const DATE_TOKENS = ['YYYY', 'MM', 'DD', 'HH', 'mm', 'ss'];
/**
 * Splits a format such as `YYYYMMDD-HHmmss` into tokens and literal text.
 * Letters that are not a token are rejected rather than copied, so a typo
 * like `YYMMDD` fails the build instead of silently producing `YYMMDD` text.
 */
function compileDateFormat(format) {
    if (format === '') {
        throw new RuleSyntaxProblem(`{{date ''}} has an empty format; use tokens ${DATE_TOKENS.join(' ')}, e.g. {{date 'YYYYMMDD'}}`);
    }
    const parts = [];
    let index = 0;
    while (index < format.length) {
        const token = DATE_TOKENS.find((candidate) => format.startsWith(candidate, index));
        if (token !== undefined) {
            parts.push({ kind: 'token', token });
            index += token.length;
            continue;
        }
        const char = format.charAt(index);
        if (/[A-Za-z]/.test(char)) {
            throw new RuleSyntaxProblem(`{{date '${format}'}} has an unknown token at \`${format.slice(index)}\`; use tokens ${DATE_TOKENS.join(' ')} (UTC)`);
        }
        parts.push({ kind: 'literal', text: char });
        index += 1;
    }
    return parts;
}
function formatDate(parts, now) {
    return parts.map((part) => (part.kind === 'literal' ? part.text : renderToken(part.token, now))).join('');
}
function renderToken(token, now) {
    switch (token) {
        case 'YYYY':
            return String(now.getUTCFullYear()).padStart(4, '0');
        case 'MM':
            return twoDigits(now.getUTCMonth() + 1);
        case 'DD':
            return twoDigits(now.getUTCDate());
        case 'HH':
            return twoDigits(now.getUTCHours());
        case 'mm':
            return twoDigits(now.getUTCMinutes());
        case 'ss':
            return twoDigits(now.getUTCSeconds());
    }
}
function twoDigits(value) {
    return String(value).padStart(2, '0');
}

;// CONCATENATED MODULE: ./build/src/tags/templates.js


/** Placeholders every value, prefix, suffix and enable attribute may use. */
const SOURCE_TEMPLATE_NAMES = ['branch', 'tag', 'sha', 'short_sha', 'run_number', 'is_default_branch'];
/** Extra placeholders only a `type=semver` pattern may use. */
const SEMVER_TEMPLATE_NAMES = ['version', 'major', 'minor', 'patch', 'raw'];
/** Compiles `text`, allowing `{{name}}` for the given names and `{{date '…'}}`. */
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
        const close = text.indexOf('}}', open + 2);
        if (close === -1) {
            throw new RuleSyntaxProblem(`template \`${text.slice(open)}\` is not closed; end it with \`}}\``);
        }
        parts.push(compileExpression(text.slice(open + 2, close).trim(), names));
        index = close + 2;
    }
    return { text, parts };
}
function expandTemplate(template, values, now) {
    return template.parts
        .map((part) => {
        switch (part.kind) {
            case 'text':
                return part.text;
            case 'name':
                return values[part.name] ?? '';
            case 'date':
                return formatDate(part.format, now);
        }
    })
        .join('');
}
function templateUses(template, name) {
    return template.parts.some((part) => part.kind === 'name' && part.name === name);
}
function compileExpression(expression, names) {
    if (expression === 'date' || expression.startsWith('date ')) {
        const quoted = /^date\s+(?:'([^']*)'|"([^"]*)")$/.exec(expression);
        if (quoted === null) {
            throw new RuleSyntaxProblem(`template \`{{${expression}}}\` needs a quoted format, e.g. {{date 'YYYYMMDD-HHmmss'}}`);
        }
        return { kind: 'date', format: compileDateFormat(quoted[1] ?? quoted[2] ?? '') };
    }
    if (names.includes(expression))
        return { kind: 'name', name: expression };
    const known = [...names.map((name) => `{{${name}}}`), "{{date 'YYYYMMDD'}}"].join(', ');
    throw new RuleSyntaxProblem(`unknown template \`{{${expression}}}\`; known templates: ${known}`);
}

;// CONCATENATED MODULE: ./build/src/tags/rules/fixed.js


/**
 * Reads a line without attributes. A line with a `/` is a full image
 * reference, as docker/metadata-action's `tags` output lists them; only its
 * tag is kept, and the repository is checked against the destination when
 * tags are computed (parsing does not know the destination).
 */
function parseFixedRule(line) {
    const common = { line, prefix: undefined, suffix: undefined, enable: undefined };
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
    return expandTemplate(rule.value, inputs.values, inputs.now);
}

;// CONCATENATED MODULE: ./build/src/tags/rules/match.js


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
/** The chosen group of the first match; '' when the text does not match or the group took no part. */
function matchValue(rule, inputs) {
    const text = rule.value !== undefined
        ? expandTemplate(rule.value, inputs.values, inputs.now)
        : rule.source === 'tag'
            ? inputs.source.tag
            : inputs.source.branch;
    if (text === '')
        return '';
    const match = rule.pattern.exec(text);
    return match?.[rule.group] ?? '';
}
function compileRegExp(text) {
    try {
        return new RegExp(text);
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
    // Matching the empty alternative always succeeds and reports every group of the pattern.
    const groups = (new RegExp(`${pattern.source}|`).exec('')?.length ?? 1) - 1;
    if (!/^\d+$/.test(text) || Number(text) > groups) {
        throw new RuleSyntaxProblem(`group \`${text}\` does not exist; the pattern has groups 0 to ${groups}`);
    }
    return Number(text);
}

;// CONCATENATED MODULE: ./build/src/tags/rules/raw.js

const RAW_KEYS = ['value'];
function parseRawRule(common, attributes) {
    const value = attributes.requireTemplate('value', SOURCE_TEMPLATE_NAMES, 'type=raw,value=latest');
    return { type: 'raw', ...common, value };
}
/** Always applies; a value that expands to '' (e.g. `{{branch}}` on a tag build) gives no tag. */
function rawValue(rule, inputs) {
    return expandTemplate(rule.value, inputs.values, inputs.now);
}

;// CONCATENATED MODULE: ./build/src/tags/rules/ref.js
const REF_KEYS = ['event'];
const PR_DEFAULT_PREFIX = 'pr-';
function parseRefRule(common, attributes) {
    return { type: 'ref', ...common, event: attributes.choice('event', ['branch', 'tag', 'pr'], undefined) };
}
/** The ref's name, but only when the build is of that kind (a PR's head branch is not a branch build). */
function refValue(rule, inputs) {
    const { source } = inputs;
    switch (rule.event) {
        case 'branch':
            return source.event === 'branch' ? source.branch : '';
        case 'tag':
            return source.event === 'tag' ? source.tag : '';
        case 'pr':
            return source.event === 'pr' && source.pullRequest !== undefined ? String(source.pullRequest) : '';
    }
}

;// CONCATENATED MODULE: ./build/src/tags/semver.js
const NUMBER = '0|[1-9]\\d*';
const PRERELEASE_ID = `(?:${NUMBER}|\\d*[A-Za-z-][0-9A-Za-z-]*)`;
const BUILD_ID = '[0-9A-Za-z-]+';
const SEMVER = new RegExp(`^v?(${NUMBER})\\.(${NUMBER})\\.(${NUMBER})` +
    `(?:-(${PRERELEASE_ID}(?:\\.${PRERELEASE_ID})*))?` +
    `(?:\\+(${BUILD_ID}(?:\\.${BUILD_ID})*))?$`);
/** Parses `1.2.3`, `v1.2.3-rc.1+build.5`, …; returns undefined for anything else. */
function parseSemVer(text) {
    const match = SEMVER.exec(text);
    if (match === null)
        return undefined;
    const [, major = '', minor = '', patch = '', prerelease = '', build = ''] = match;
    return { major, minor, patch, prerelease, build };
}
/** The full version without the leading `v`, build metadata included. */
function formatSemVer(version) {
    const core = `${version.major}.${version.minor}.${version.patch}`;
    const withPrerelease = version.prerelease === '' ? core : `${core}-${version.prerelease}`;
    return version.build === '' ? withPrerelease : `${withPrerelease}+${version.build}`;
}

;// CONCATENATED MODULE: ./build/src/tags/rules/semver.js


const SEMVER_KEYS = ['pattern', 'value'];
const PATTERN_NAMES = [...SEMVER_TEMPLATE_NAMES, ...SOURCE_TEMPLATE_NAMES];
function parseSemverRule(common, attributes) {
    return {
        type: 'semver',
        ...common,
        pattern: attributes.requireTemplate('pattern', PATTERN_NAMES, 'type=semver,pattern={{major}}.{{minor}}'),
        value: attributes.template('value', SOURCE_TEMPLATE_NAMES),
    };
}
/**
 * Expands the pattern with the version parsed from the git tag (or `value=`).
 * A pre-release only feeds patterns built from `{{version}}`/`{{raw}}`: moving
 * `1` or `1.2` to `1.2.3-rc.1` would hand an unfinished release to everyone
 * who pinned the major or minor version.
 */
function semverValue(rule, inputs) {
    const text = rule.value !== undefined
        ? expandTemplate(rule.value, inputs.values, inputs.now)
        : inputs.source.event === 'tag'
            ? inputs.source.tag
            : '';
    const version = parseSemVer(text);
    if (version === undefined)
        return '';
    if (version.prerelease !== '' && !isPrereleasePattern(rule))
        return '';
    const values = {
        ...inputs.values,
        version: formatSemVer(version),
        major: version.major,
        minor: version.minor,
        patch: version.patch,
        raw: text,
    };
    return expandTemplate(rule.pattern, values, inputs.now);
}
/** True when the pattern spells out the whole version and no single part of it. */
function isPrereleasePattern(rule) {
    const { pattern } = rule;
    const partial = ['major', 'minor', 'patch'].some((name) => templateUses(pattern, name));
    const whole = templateUses(pattern, 'version') || templateUses(pattern, 'raw');
    return whole && !partial;
}

;// CONCATENATED MODULE: ./build/src/tags/rules/sha.js
const SHA_KEYS = ['format'];
const SHA_DEFAULT_PREFIX = 'sha-';
const SHORT_SHA_LENGTH = 7;
function parseShaRule(common, attributes) {
    return { type: 'sha', ...common, format: attributes.choice('format', ['short', 'long'], 'short') };
}
/** The commit id, '' (no tag) when the CI did not tell us which commit this is. */
function shaValue(rule, inputs) {
    const sha = inputs.source.sha;
    return rule.format === 'long' ? sha : sha.slice(0, SHORT_SHA_LENGTH);
}

;// CONCATENATED MODULE: ./build/src/tags/rule-syntax.js


/**
 * Splits one rule line into its `key=value` attributes. Commas separate
 * attributes; a value wrapped in `"` may contain commas (`""` is a literal
 * quote), and commas or quotes inside `{{ … }}` never split, so
 * `{{date "YYYY,MM"}}` works unquoted. Keys are case-sensitive.
 */
function splitAttributes(line) {
    const attributes = new Map();
    for (const field of splitFields(line)) {
        const text = field.trim();
        if (text === '') {
            throw new RuleSyntaxProblem('has an empty attribute (a stray comma?); remove it');
        }
        const equals = text.indexOf('=');
        if (equals === -1) {
            throw new RuleSyntaxProblem(`attribute \`${text}\` is not key=value; write it as e.g. \`value=${text}\``);
        }
        const key = text.slice(0, equals).trim();
        if (key === '') {
            throw new RuleSyntaxProblem(`attribute \`${text}\` has no key before \`=\``);
        }
        if (attributes.has(key)) {
            throw new RuleSyntaxProblem(`attribute \`${key}\` is given twice; keep one`);
        }
        attributes.set(key, text.slice(equals + 1).trim());
    }
    return attributes;
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

;// CONCATENATED MODULE: ./build/src/tags/parse-rules.js









/** Attributes every rule type accepts. */
const COMMON_KEYS = ['type', 'prefix', 'suffix', 'enable'];
const RULE_KINDS = {
    sha: { keys: SHA_KEYS, parse: parseShaRule },
    ref: { keys: REF_KEYS, parse: parseRefRule },
    semver: { keys: SEMVER_KEYS, parse: parseSemverRule },
    match: { keys: MATCH_KEYS, parse: parseMatchRule },
    raw: { keys: RAW_KEYS, parse: parseRawRule },
};
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
    // A fixed tag never contains `=`, so `=` is what marks a line of attributes.
    if (!line.includes('='))
        return parseFixedRule(line);
    const entries = splitAttributes(line);
    const type = entries.get('type');
    const knownTypes = Object.keys(RULE_KINDS).join(', ');
    if (type === undefined) {
        throw new RuleSyntaxProblem(`has attributes but no \`type=\`; add one of type=${knownTypes}, e.g. \`type=raw,value=latest\``);
    }
    const kind = RULE_KINDS[type];
    if (kind === undefined) {
        throw new RuleSyntaxProblem(`has unknown type \`${type}\`; use one of ${knownTypes}`);
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
        prefix: attributes.template('prefix', SOURCE_TEMPLATE_NAMES),
        suffix: attributes.template('suffix', SOURCE_TEMPLATE_NAMES),
        enable: parseEnable(attributes),
    };
    return kind.parse(common, attributes);
}
/** A literal enable value is checked now; one with templates can only be checked per build. */
function parseEnable(attributes) {
    const enable = attributes.template('enable', SOURCE_TEMPLATE_NAMES);
    if (enable === undefined)
        return undefined;
    const literal = enable.parts.every((part) => part.kind === 'text');
    if (literal && !isBooleanText(enable.text)) {
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

;// CONCATENATED MODULE: ./build/src/tags/sanitize.js
/** Docker allows at most 128 characters in a tag. */
const MAX_TAG_LENGTH = 128;
/**
 * Turns any text into a valid Docker tag (`[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`)
 * instead of failing the push later: branch `feature/x` becomes `feature-x`,
 * and `+build` metadata from a semver tag becomes `-build` because `+` is not
 * allowed in a tag. Returns '' when nothing is left, which callers treat as
 * "no tag".
 */
function sanitizeTag(text) {
    // The `u` flag makes a non-BMP character (e.g. an emoji) one `-`, not two.
    let tag = text.replace(/[^A-Za-z0-9_.-]/gu, '-');
    if (tag.startsWith('.') || tag.startsWith('-')) {
        tag = `_${tag.slice(1)}`;
    }
    return tag.slice(0, MAX_TAG_LENGTH);
}

;// CONCATENATED MODULE: ./build/src/tags/source-values.js
/** Resolves the source templates (`{{branch}}`, `{{sha}}`, …) for one build. */
function sourceTemplateValues(source) {
    return {
        branch: source.branch,
        tag: source.tag,
        sha: source.sha,
        short_sha: source.sha.slice(0, 7),
        run_number: source.runNumber,
        is_default_branch: String(isDefaultBranch(source)),
    };
}
/**
 * Only a build of the default branch itself counts: a pull request whose head
 * branch happens to be named like the default branch (e.g. a fork's `main`)
 * must not get tags such as `latest,enable={{is_default_branch}}`.
 */
function isDefaultBranch(source) {
    return source.event === 'branch' && source.branch !== '' && source.branch === source.defaultBranch;
}

;// CONCATENATED MODULE: ./build/src/tags/compute.js











/**
 * Turns the rules into the tags for this build. Pure: the same rules, source
 * and clock always give the same tags, on any CI.
 */
function computeTags(input, source, now) {
    const { rules, errors } = parseRuleLines(input.rules);
    const firstError = errors[0] ?? rules.map((rule) => referenceError(rule, input.destination)).find(Boolean);
    if (firstError !== undefined)
        throw firstError;
    const inputs = { source, now, values: sourceTemplateValues(source) };
    const tags = [];
    let semverVersion = '';
    for (const rule of rules) {
        const tag = tagFor(rule, inputs);
        if (tag === '')
            continue;
        if (semverVersion === '' && rule.type === 'semver' && templateUses(rule.pattern, 'version')) {
            semverVersion = tag;
        }
        if (!tags.includes(tag))
            tags.push(tag);
    }
    if (tags.length === 0)
        throw new Error(noTagMessage(source));
    return { tags, version: semverVersion || (tags[0] ?? '') };
}
/** The rule's one tag for this build, '' when it does not apply. */
function tagFor(rule, inputs) {
    if (!isEnabled(rule, inputs))
        return '';
    const value = ruleValue(rule, inputs);
    // An empty value means "does not apply"; a prefix alone (`sha-`) is not a tag.
    if (value === '')
        return '';
    const prefix = expandOr(rule.prefix, defaultPrefix(rule), inputs);
    const suffix = expandOr(rule.suffix, '', inputs);
    return sanitizeTag(`${prefix}${value}${suffix}`);
}
function ruleValue(rule, inputs) {
    switch (rule.type) {
        case 'fixed':
            return fixedValue(rule, inputs);
        case 'sha':
            return shaValue(rule, inputs);
        case 'ref':
            return refValue(rule, inputs);
        case 'semver':
            return semverValue(rule, inputs);
        case 'match':
            return matchValue(rule, inputs);
        case 'raw':
            return rawValue(rule, inputs);
    }
}
function defaultPrefix(rule) {
    if (rule.type === 'sha')
        return SHA_DEFAULT_PREFIX;
    if (rule.type === 'ref' && rule.event === 'pr')
        return PR_DEFAULT_PREFIX;
    return '';
}
function isEnabled(rule, inputs) {
    if (rule.enable === undefined)
        return true;
    const value = expandTemplate(rule.enable, inputs.values, inputs.now).trim();
    if (!isBooleanText(value))
        throw ruleError(rule.line, enableProblem(value));
    return value === 'true';
}
function expandOr(template, fallback, inputs) {
    return template === undefined ? fallback : expandTemplate(template, inputs.values, inputs.now);
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

;// CONCATENATED MODULE: ./build/src/tags/index.js
/**
 * Tag rules: a pure function from the `tags` input, the build's source
 * context and a clock to the list of tags to push. The rule language follows
 * docker/metadata-action's `tags` input where the two overlap.
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

;// CONCATENATED MODULE: ./build/src/config/read-values.js
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

;// CONCATENATED MODULE: ./build/src/config/schema.js
/**
 * Every option imageship understands, described once. The action inputs
 * (action.yml), the README tables and, later, the CLI flags (`--name`) and
 * env vars (`IMAGESHIP_NAME`) are all derived from this list; a test keeps
 * action.yml and the README in step with it.
 */
const OPTIONS = [
    {
        name: 'provider', type: 'enum', values: ['huaweicloud', 'generic'], default: 'huaweicloud', group: 'registry',
        description: 'Registry provider: `huaweicloud` (SWR, login derived from access-key/secret-key) or `generic` (any registry, `username`/`password` or anonymous).',
    },
    {
        name: 'region', type: 'string', group: 'registry',
        description: 'Huawei Cloud region id, e.g. `cn-north-4`. Selects `swr.<region>.<domain>` and the login user `<region>@<access-key>`.',
    },
    {
        name: 'access-key', type: 'string', secret: true, envFallback: ['HUAWEICLOUD_SDK_AK'], group: 'registry',
        description: 'Huawei Cloud access key id (AK). Falls back to env `HUAWEICLOUD_SDK_AK`. Masked; logs show its first 4 characters only.',
    },
    {
        name: 'secret-key', type: 'string', secret: true, envFallback: ['HUAWEICLOUD_SDK_SK'], group: 'registry',
        description: 'Huawei Cloud secret access key (SK). Falls back to env `HUAWEICLOUD_SDK_SK`. Never sent anywhere: the login password is derived from it locally.',
    },
    {
        name: 'domain', type: 'string', default: 'myhuaweicloud.com', group: 'registry',
        description: 'Cloud domain used to build the SWR host (`swr.<region>.<domain>`); change it for other Huawei Cloud partitions.',
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
        name: 'namespace', type: 'string', group: 'image',
        description: 'SWR organization (namespace) that holds the image, e.g. `my-org`. Optional with `provider: generic`.',
    },
    {
        name: 'image', type: 'string', group: 'image',
        description: 'Image (repository) name inside the namespace, e.g. `my-app`.',
    },
    {
        name: 'tags', type: 'lines', default: 'type=ref,event=branch\ntype=ref,event=tag\ntype=ref,event=pr\ntype=sha', group: 'image',
        description: 'One tag rule per line: a fixed tag (`latest`), or a computed rule (`type=sha`, `type=ref,event=branch|tag|pr`, `type=semver,pattern={{version}}`, `type=match,pattern=…,group=1`, `type=raw,value=…`). See "Tags" below.',
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
        description: 'Extra image labels, one `name=value` per line; added to the OCI labels computed from the source.',
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
        name: 'dry-run', type: 'boolean', default: 'false', group: 'behaviour',
        description: 'Validate the inputs and print the plan (registry, login user, tags, build command) without logging in, building or pushing.',
    },
    {
        name: 'logout', type: 'boolean', default: 'true', group: 'behaviour',
        description: 'Log out of the registry in the post step, removing the credentials this step wrote to the Docker config.',
    },
];
const OUTPUTS = [
    { name: 'registry', description: 'Registry host the image was pushed to, e.g. `swr.cn-north-4.myhuaweicloud.com`.' },
    { name: 'image', description: 'Image repository without a tag: `<registry>/<namespace>/<image>`.' },
    { name: 'tags', description: 'Newline-separated full references that were pushed (`<image>:<tag>`).' },
    { name: 'digest', description: 'Manifest digest as the registry reports it (`sha256:…`); every tag was checked to point at it.' },
    { name: 'imageid', description: 'Local image id (config digest) from the build.' },
    { name: 'metadata', description: 'JSON object with all of the above plus the login user (AK shortened) and the labels.' },
];
function optionSpec(name) {
    const spec = OPTIONS.find((o) => o.name === name);
    if (!spec)
        throw new Error(`internal: unknown option ${name}`);
    return spec;
}

;// CONCATENATED MODULE: ./build/src/config/types.js
/** One or more invalid inputs; each message names the input, what is wrong and the fix. */
class ConfigError extends Error {
    problems;
    constructor(problems) {
        super(problems.join('\n'));
        this.problems = problems;
        this.name = 'ConfigError';
    }
}

;// CONCATENATED MODULE: ./build/src/config/parse.js






/**
 * Reads every option through the schema: value, else env fallback, else
 * default. Unknown names are a programming error, so they throw.
 */
function readOptions(read, environment) {
    const values = new Map();
    for (const spec of OPTIONS) {
        let value = read(spec.name).trim();
        for (const variable of spec.envFallback ?? []) {
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
const ACCESS_KEY = /^[A-Z0-9]{16,64}$/;
const SECRET_KEY = /^[A-Za-z0-9]{16,128}$/;
const BUILD_ARG_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const LABEL_NAME = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;
const PLATFORM = /^[a-z0-9]+\/[a-z0-9_]+(\/[a-z0-9]+)?$/;
/**
 * Turns raw option values into a validated, immutable Config, or throws a
 * ConfigError listing every problem at once (one line each: the input, what
 * is wrong, how to fix it). Touches nothing outside memory.
 */
function parseConfig(read, environment) {
    const values = readOptions(read, environment);
    const get = (name) => values.get(name) ?? '';
    const problems = [];
    const bool = (name) => parseBooleanValue(name, get(name), problems) ?? optionSpec(name).default === 'true';
    const provider = get('provider');
    const allowedProviders = optionSpec('provider').values ?? [];
    if (!allowedProviders.includes(provider)) {
        problems.push(`provider: "${provider}" is not supported: use one of ${allowedProviders.join(', ')}`);
    }
    const isHuawei = provider !== 'generic';
    const region = get('region');
    const accessKey = get('access-key');
    const secretKey = get('secret-key');
    const username = get('username');
    const password = get('password');
    const hasAkSk = accessKey !== '' || secretKey !== '';
    const hasPassword = username !== '' || password !== '';
    let login = { kind: 'anonymous' };
    if (hasAkSk && hasPassword) {
        problems.push('username: give either access-key/secret-key (derived SWR login) or username/password, not both: remove one pair');
    }
    else if (hasAkSk) {
        if (!isHuawei) {
            problems.push('access-key: an AK/SK login is only derived for provider huaweicloud: set provider: huaweicloud, or use username/password for a generic registry');
        }
        if (accessKey === '')
            problems.push('access-key: missing while secret-key is set: set access-key (or env HUAWEICLOUD_SDK_AK)');
        if (secretKey === '')
            problems.push('secret-key: missing while access-key is set: set secret-key (or env HUAWEICLOUD_SDK_SK)');
        if (accessKey !== '' && !ACCESS_KEY.test(accessKey)) {
            problems.push(/[a-z]/.test(accessKey) && ACCESS_KEY.test(secretKey)
                ? 'access-key: looks like a secret key: access-key and secret-key seem swapped'
                : 'access-key: not a Huawei Cloud access key id (16-64 uppercase letters and digits): copy the AK from "My Credentials > Access Keys", without spaces or quotes');
        }
        if (secretKey !== '' && !SECRET_KEY.test(secretKey)) {
            problems.push('secret-key: not a Huawei Cloud secret key (16-128 letters and digits): copy the SK from the credentials.csv of the access key, without spaces or quotes');
        }
        login = { kind: 'swr-aksk', region, accessKey, secretKey };
    }
    else if (hasPassword) {
        if (username === '')
            problems.push('username: missing while password is set: set username');
        if (password === '')
            problems.push('password: missing while username is set: set password (from a secret)');
        login = { kind: 'password', username, password };
    }
    else if (isHuawei) {
        problems.push('access-key: required for provider huaweicloud: pass access-key and secret-key from secrets (or env HUAWEICLOUD_SDK_AK/HUAWEICLOUD_SDK_SK), or username/password');
    }
    if (region !== '') {
        const problem = isHuawei ? checkRegion(region) : undefined;
        if (problem)
            problems.push(`region: ${problem}`);
    }
    const domain = get('domain');
    if (isHuawei && !/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(domain)) {
        problems.push(`domain: "${domain}" is not a domain name such as myhuaweicloud.com`);
    }
    if (isHuawei && region === '' && (login.kind === 'swr-aksk' || get('registry') === '')) {
        problems.push('region: required for SWR (the registry is swr.<region>.<domain>, the login user <region>@<AK>): set region, e.g. cn-north-4');
    }
    let registry = get('registry');
    if (registry !== '') {
        const problem = checkRegistryHost(registry);
        if (problem)
            problems.push(`registry: ${problem}`);
        registry = registry.toLowerCase();
    }
    else if (isHuawei) {
        registry = `swr.${region}.${domain}`;
    }
    else {
        problems.push('registry: required for provider generic: set the registry host[:port], e.g. registry.example.com');
    }
    const namespace = get('namespace');
    const image = get('image');
    if (namespace === '') {
        if (isHuawei)
            problems.push('namespace: required for SWR: set the organization that holds the image, e.g. my-org');
    }
    else {
        const problem = checkOrganization(namespace);
        if (problem)
            problems.push(`namespace: ${problem}`);
    }
    if (image === '') {
        problems.push('image: required: set the image name, e.g. my-app');
    }
    else {
        const problem = checkRepository(image);
        if (problem)
            problems.push(`image: ${problem}`);
    }
    const repository = namespace === '' ? image : `${namespace}/${image}`;
    if (repository.length > 255)
        problems.push(`image: "${repository}" is longer than 255 characters with its namespace: shorten it`);
    const tagRules = get('tags');
    for (const problem of parseTagRules(tagRules).errors)
        problems.push(problem.startsWith('tags:') ? problem : `tags: ${problem}`);
    const build = parseBuildSettings(get, environment.cwd, problems);
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
    if (problems.length > 0)
        throw new ConfigError(problems);
    return Object.freeze({
        provider: isHuawei ? 'huaweicloud' : 'generic',
        region,
        registry,
        login: Object.freeze(login),
        repository,
        destination: `${registry}/${repository}`,
        tagRules,
        build,
        push,
        dryRun,
        logout,
    });
}
function parseBuildSettings(get, cwd, problems) {
    const context = (0,external_node_path_.resolve)(cwd, get('context'));
    const dockerfileInput = get('dockerfile');
    const dockerfile = dockerfileInput === '' ? (0,external_node_path_.join)(context, 'Dockerfile') : (0,external_node_path_.isAbsolute)(dockerfileInput) ? dockerfileInput : (0,external_node_path_.resolve)(cwd, dockerfileInput);
    const platforms = splitList(get('platforms'));
    for (const platform of platforms) {
        if (!PLATFORM.test(platform))
            problems.push(`platforms: "${platform}" is not os/arch[/variant], e.g. linux/amd64 or linux/arm64/v8`);
    }
    const target = get('target');
    if (target !== '' && !/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(target)) {
        problems.push(`target: "${target}" is not a build stage name (letters, digits, _ . -)`);
    }
    const parseFlag = (name, fallback) => parseBooleanValue(name, get(name), problems) ?? fallback;
    return Object.freeze({
        context,
        dockerfile,
        dockerfileGiven: dockerfileInput !== '',
        buildArgs: parsePairs('build-args', get('build-args'), BUILD_ARG_NAME, 'NAME', problems),
        labels: parsePairs('labels', get('labels'), LABEL_NAME, 'name', problems),
        target,
        platforms,
        noCache: parseFlag('no-cache', false),
        pull: parseFlag('pull', false),
        cacheFrom: splitLines(get('cache-from')),
        cacheTo: splitLines(get('cache-to')),
    });
}

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
// EXTERNAL MODULE: ./build/src/build/docker-probe.js
var docker_probe = __webpack_require__(9799);
;// CONCATENATED MODULE: ./build/src/build/run-build.js

class BuildError extends Error {
    constructor(message) {
        super(message);
        this.name = 'BuildError';
    }
}
/** Runs the build and reads what the builder wrote about its result. */
async function runBuild(exec, command, env) {
    const result = await exec({ command: 'docker', args: command.args, env: { ...env, ...command.env } });
    if (result.exitCode !== 0) {
        throw new BuildError(`build: docker ${command.args[0] === 'buildx' ? 'buildx build' : 'build'} failed (exit ${result.exitCode}): ${lastMeaningfulLine(result.stderr || result.stdout)}`);
    }
    const written = await (0,promises_.readFile)(command.resultFile, 'utf8').catch(() => '');
    if (command.builder === 'classic') {
        return { imageId: written.trim(), pushedDigest: '' };
    }
    let metadata = {};
    try {
        metadata = JSON.parse(written);
    }
    catch {
        // An older buildx writes nothing for some exporters; the registry is asked instead.
    }
    const text = (key) => (typeof metadata[key] === 'string' ? metadata[key] : '');
    return { imageId: text('containerimage.config.digest'), pushedDigest: command.pushesItself ? text('containerimage.digest') : '' };
}
function lastMeaningfulLine(text) {
    const lines = text.split('\n').map((line) => line.trim()).filter(Boolean);
    const errorLine = [...lines].reverse().find((line) => /error|denied|unauthorized|failed|x509/i.test(line));
    return errorLine ?? lines.at(-1) ?? 'no output';
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
;// CONCATENATED MODULE: ./build/src/credentials/swr-login.js

/**
 * The long-term SWR login derived from an AK/SK pair, exactly what the SWR
 * console's "long-term login command" gives: user `{region}@{AK}`, password
 * hex(HMAC-SHA256(key = SK, message = AK)). Nothing is sent anywhere.
 */
function deriveSwrLogin(input) {
    const domain = input.domain ?? 'myhuaweicloud.com';
    const password = (0,external_node_crypto_.createHmac)('sha256', input.secretKey).update(input.accessKey, 'utf8').digest('hex');
    return {
        registry: `swr.${input.region}.${domain}`,
        username: `${input.region}@${input.accessKey}`,
        password,
    };
}
/** `HPUA…` — the only part of an access key imageship ever prints. */
function shortAccessKey(accessKey) {
    return `${accessKey.slice(0, 4)}…`;
}

;// CONCATENATED MODULE: ./build/src/build/build-command.js
/** Pure: the docker argv for a build. Kept separate so it can be printed in a dry run and unit-tested. */
function buildCommand(input) {
    const { settings } = input;
    const args = input.builder === 'buildx' ? ['buildx', 'build'] : ['build'];
    args.push('--file', settings.dockerfile);
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
    if (input.builder === 'buildx') {
        if (settings.platforms.length > 0)
            args.push('--platform', settings.platforms.join(','));
        for (const destination of settings.cacheTo)
            args.push('--cache-to', destination);
        args.push('--metadata-file', input.resultFile);
        // A multi-platform build cannot be loaded into the classic image store, so
        // pushing happens in the build; a single-platform one is also loaded so
        // later steps can `docker run` it.
        args.push(input.push ? '--push' : '--load');
        args.push('--provenance=false');
    }
    else {
        args.push('--iidfile', input.resultFile);
    }
    args.push(settings.context);
    return {
        builder: input.builder,
        args,
        env: input.builder === 'classic' ? { DOCKER_BUILDKIT: '0' } : {},
        resultFile: input.resultFile,
        pushesItself: input.builder === 'buildx' && input.push,
    };
}

;// CONCATENATED MODULE: ./build/src/build/dockerfile.js


/**
 * Checks the build context and Dockerfile exist. Docker's own error for a
 * missing Dockerfile is cryptic, and `dockerfile` vs `Dockerfile` trips people
 * up on case-sensitive runners after working on macOS/Windows (seed 000), so a
 * file differing only in case is named in the hint.
 * Returns problems in the `input: what is wrong: fix` form; empty when fine.
 */
function checkBuildFiles(context, dockerfile, dockerfileGiven, cwd) {
    const shown = (path) => (0,external_node_path_.relative)(cwd, path) || '.';
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
            `dockerfile: "${shown(dockerfile)}" not found, but "${shown(`${folder}/${sameButCase}`)}" exists: file names are case-sensitive; rename it to ${wanted} or set dockerfile: ${shown(`${folder}/${sameButCase}`)}`,
        ];
    }
    return [
        dockerfileGiven
            ? `dockerfile: "${shown(dockerfile)}" not found: check the path (relative to the workspace)`
            : `dockerfile: no Dockerfile in context "${shown((0,external_node_path_.dirname)(dockerfile))}": add one, or set dockerfile to its path`,
    ];
}
function isDirectory(path) {
    try {
        return (0,external_node_fs_.statSync)(path).isDirectory();
    }
    catch {
        return false;
    }
}

;// CONCATENATED MODULE: ./build/src/labels.js
/**
 * OCI annotations describing where an image came from, so a registry UI or
 * `docker inspect` leads back to the commit. User labels override them.
 */
function ociLabels(source, version, created, userLabels) {
    const computed = [];
    if (source.repositoryUrl !== '')
        computed.push(['org.opencontainers.image.source', source.repositoryUrl]);
    if (source.sha !== '')
        computed.push(['org.opencontainers.image.revision', source.sha]);
    computed.push(['org.opencontainers.image.created', created.toISOString()]);
    if (version !== '')
        computed.push(['org.opencontainers.image.version', version]);
    const merged = new Map(computed);
    for (const [name, value] of userLabels)
        merged.set(name, value);
    return [...merged];
}

;// CONCATENATED MODULE: ./build/src/plan.js







/**
 * Derives the plan and checks everything that needs the source context, the
 * file system or the docker tools. Throws ConfigError with every problem.
 */
function makePlan(input) {
    const { config, docker } = input;
    const problems = [];
    let tags = [];
    let version = '';
    try {
        ({ tags, version } = computeTags({ rules: config.tagRules, destination: config.destination }, input.source, input.now));
    }
    catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        problems.push(message.startsWith('tags:') ? message : `tags: ${message}`);
    }
    problems.push(...checkBuildFiles(config.build.context, config.build.dockerfile, config.build.dockerfileGiven, input.cwd));
    if (!config.dryRun) {
        if (!docker.cli)
            problems.push('docker: the docker CLI was not found on PATH: install Docker, or run on a runner that has it (ubuntu-latest does)');
        else if (!docker.daemon)
            problems.push(`docker: the Docker daemon did not answer (${docker.problem}): start it, or run on a runner with Docker`);
    }
    const { build } = config;
    if (!docker.buildx) {
        if (build.platforms.length > 0) {
            problems.push('platforms: needs docker buildx, which this runner lacks: install it (e.g. docker/setup-buildx-action) or remove platforms');
        }
        if (build.cacheTo.length > 0)
            problems.push('cache-to: needs docker buildx, which this runner lacks: install buildx or remove cache-to');
        const buildxOnly = build.cacheFrom.find((source) => source.includes('type='));
        if (buildxOnly)
            problems.push(`cache-from: "${buildxOnly}" is a buildx cache source; without buildx give an image reference, e.g. ${config.destination}:latest`);
    }
    if (problems.length > 0)
        throw new ConfigError(problems);
    const references = tags.map((tag) => `${config.destination}:${tag}`);
    const labels = ociLabels(input.source, version, input.now, build.labels);
    const builder = docker.buildx ? 'buildx' : 'classic';
    const command = buildCommand({
        builder,
        settings: build,
        references,
        labels,
        push: config.push,
        resultFile: (0,external_node_path_.join)(input.tempDir, builder === 'buildx' ? 'build-metadata.json' : 'image-id.txt'),
    });
    const { login } = config;
    const loginUser = login.kind === 'swr-aksk' ? `${login.region}@${shortAccessKey(login.accessKey)}` : login.kind === 'password' ? login.username : '';
    const loginHint = login.kind === 'swr-aksk'
        ? `check access-key, secret-key and region: the login user is ${loginUser} and the password is derived from the secret key; both keys must belong to the account that owns the organization`
        : login.kind === 'password'
            ? `check username and password for ${config.registry} (user ${login.username})`
            : `${config.registry} needs a login: set username/password (or access-key/secret-key for SWR)`;
    return Object.freeze({ config, loginUser, loginHint, tags, references, version, labels, build: command });
}
/** Human-readable plan, printed in a dry run and at the start of a real one. */
function describePlan(plan) {
    const { config } = plan;
    return [
        `registry:  ${config.registry} (${config.provider})`,
        `login:     ${plan.loginUser === '' ? 'none (anonymous)' : plan.loginUser}`,
        `image:     ${config.destination}`,
        `tags:      ${plan.tags.join(', ')}`,
        `build:     docker ${plan.build.args.join(' ')}${plan.build.builder === 'classic' ? ' (classic builder, DOCKER_BUILDKIT=0)' : ''}`,
        `push:      ${config.push ? (plan.build.pushesItself ? 'by buildx, then verify digests' : 'docker push each tag, then verify digests') : 'no (local build only)'}`,
    ];
}

// EXTERNAL MODULE: ./build/src/registry/login.js
var login = __webpack_require__(9756);
// EXTERNAL MODULE: ./build/src/registry/docker-errors.js
var docker_errors = __webpack_require__(6461);
;// CONCATENATED MODULE: ./build/src/registry/push.js

class PushError extends Error {
    constructor(message) {
        super(message);
        this.name = 'PushError';
    }
}
/**
 * Pushes each reference with `docker push`. The first push uploads the
 * layers; the others only add a tag, so they are cheap. Returns the digest
 * docker printed for each reference (the registry is asked again afterwards:
 * that is the digest imageship reports).
 */
async function pushReferences(exec, logger, references, registry, loginHint, env) {
    const digests = new Map();
    for (const reference of references) {
        const result = await exec({ command: 'docker', args: ['push', reference], env });
        if (result.exitCode !== 0) {
            throw new PushError((0,docker_errors/* explainRegistryError */.z)(`${result.stderr}\n${result.stdout}`, { operation: 'push', registry, loginHint }));
        }
        const digest = /digest: (sha256:[0-9a-f]{64})/.exec(result.stdout)?.[1] ?? '';
        digests.set(reference, digest);
        logger.debug(`pushed ${reference} ${digest}`);
    }
    return digests;
}

;// CONCATENATED MODULE: ./build/src/util/http.js
const DEFAULT_RETRY_POLICY = Object.freeze({
    attempts: 4,
    baseDelayMs: 500,
    maxDelayMs: 8_000,
    timeoutMs: 30_000,
});
/** Thrown when a request could not get a usable answer; statuses the caller can act on are returned instead. */
class HttpError extends Error {
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
/** A server may ask for a pause; a misconfigured one must not stall a CI job for hours. */
const RETRY_AFTER_CAP_MS = 60_000;
const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);
const sleepFor = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
/**
 * Sends `req`, retrying transient failures as `policy` allows.
 *
 * Resolves with the first response that is not a transient failure, whatever
 * its status (404, 401, 500… are the caller's to interpret, body included).
 * Rejects with HttpError when the network kept failing, a transient status
 * persisted past the last attempt, or the failure was not worth retrying.
 */
async function fetchWithRetry(fetch, req, policy, sleep = sleepFor) {
    const settings = resolvePolicy(policy);
    const method = (req.method ?? 'GET').toUpperCase();
    const idempotent = req.idempotent ?? IDEMPOTENT_METHODS.has(method);
    for (let attempt = 1;; attempt++) {
        const isLastAttempt = attempt >= settings.attempts;
        let response;
        try {
            response = await fetch(req.url, {
                method,
                ...(req.headers === undefined ? {} : { headers: req.headers }),
                ...(req.body === undefined ? {} : { body: req.body }),
                signal: AbortSignal.timeout(settings.timeoutMs),
            });
        }
        catch (error) {
            const failure = classifyFailure(error, settings.timeoutMs);
            // A request that never left this machine can be sent again whatever its method.
            const mayRetry = failure.transient && (idempotent || failure.nothingSent);
            if (!mayRetry || isLastAttempt) {
                throw new HttpError(giveUpMessage(req.operation, failure.what, attempt), {
                    operation: req.operation,
                    attempts: attempt,
                    cause: error,
                });
            }
            await sleep(backoffMs(attempt, settings));
            continue;
        }
        if (!idempotent || !RETRYABLE_STATUSES.has(response.status))
            return response;
        await discardBody(response);
        if (isLastAttempt) {
            throw new HttpError(giveUpMessage(req.operation, `HTTP ${response.status}`, attempt), {
                operation: req.operation,
                attempts: attempt,
                status: response.status,
            });
        }
        await sleep(retryAfterMs(response) ?? backoffMs(attempt, settings));
    }
}
/**
 * Reads a whole response body. A body that stalls past the request's timeout,
 * or a connection that drops mid-body, becomes an HttpError naming the
 * operation instead of a bare DOMException.
 */
async function readBodyBytes(response, operation) {
    try {
        return new Uint8Array(await response.arrayBuffer());
    }
    catch (error) {
        const failure = classifyFailure(error, undefined);
        throw new HttpError(`${operation}: ${failure.what} while reading the response body`, {
            operation,
            attempts: 1,
            status: response.status,
            cause: error,
        });
    }
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
        if (response.body && Number.isFinite(length) && length <= 64 * 1024)
            await response.arrayBuffer();
        else
            await response.body?.cancel();
    }
    catch {
        // Nothing useful to do: the connection is being dropped either way.
    }
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
        timeoutMs: Math.max(1, pick('timeoutMs')),
    };
}
/** Exponential backoff with full jitter, so many clients hit by the same outage do not retry in lockstep. */
function backoffMs(failedAttempt, policy) {
    const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (failedAttempt - 1));
    return Math.floor(Math.random() * ceiling);
}
/** Retry-After as delta-seconds or an HTTP date, capped; undefined when absent or unreadable. */
function retryAfterMs(response) {
    if (!STATUSES_WITH_RETRY_AFTER.has(response.status))
        return undefined;
    const value = response.headers.get('retry-after')?.trim();
    if (!value)
        return undefined;
    let ms;
    if (/^\d+$/.test(value)) {
        ms = Number(value) * 1000;
    }
    else {
        const at = Date.parse(value);
        if (Number.isNaN(at))
            return undefined;
        ms = Math.max(0, at - Date.now());
    }
    return Math.min(ms, RETRY_AFTER_CAP_MS);
}
function giveUpMessage(operation, what, attempts) {
    return `${operation}: ${what} after ${attempts} ${attempts === 1 ? 'attempt' : 'attempts'}`;
}
/** Connection failed before the request was written. */
const NOT_SENT_CODES = new Map([
    ['ECONNREFUSED', 'connection refused'],
    ['UND_ERR_CONNECT_TIMEOUT', 'connect timed out'],
    ['EAI_AGAIN', 'temporary DNS failure'],
]);
/** Connection dropped while the request or response was under way. */
const DROPPED_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'ECONNABORTED']);
const DROPPED_MESSAGES = ['socket hang up', 'other side closed'];
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);
/**
 * Sorts a thrown fetch error. undici wraps the real reason: `TypeError('fetch
 * failed')` whose `cause` (sometimes an AggregateError, one per address tried)
 * carries the system error code, so the whole chain is inspected.
 */
function classifyFailure(error, timeoutMs) {
    const chain = errorChain(error);
    if (chain.some((e) => e.name === 'TimeoutError')) {
        return { transient: true, nothingSent: false, what: timeoutMs === undefined ? 'timed out' : `timed out after ${formatSeconds(timeoutMs)}` };
    }
    const codes = chain.map((e) => e.code).filter((code) => code !== undefined);
    const messages = chain.map((e) => e.message.toLowerCase());
    if (codes.some((code) => DROPPED_CODES.has(code)) || messages.some((m) => DROPPED_MESSAGES.some((d) => m.includes(d)))) {
        return { transient: true, nothingSent: false, what: 'connection reset' };
    }
    if (codes.some((code) => TIMEOUT_CODES.has(code))) {
        return { transient: true, nothingSent: false, what: 'timed out' };
    }
    const notSent = codes.find((code) => NOT_SENT_CODES.has(code));
    if (notSent !== undefined) {
        return { transient: true, nothingSent: true, what: NOT_SENT_CODES.get(notSent) ?? notSent };
    }
    return { transient: false, nothingSent: false, what: describeDeepest(chain) };
}
function errorChain(error) {
    const links = [];
    const seen = new Set();
    const visit = (value, depth) => {
        if (depth > 6 || value === null || typeof value !== 'object' || seen.has(value))
            return;
        seen.add(value);
        const record = value;
        links.push({
            name: typeof record.name === 'string' ? record.name : '',
            message: typeof record.message === 'string' ? record.message : '',
            code: typeof record.code === 'string' ? record.code : undefined,
            reason: typeof record.reason === 'string' ? record.reason : undefined,
        });
        visit(record.cause, depth + 1);
        if (Array.isArray(record.errors))
            for (const inner of record.errors)
                visit(inner, depth + 1);
    };
    visit(error, 0);
    return links;
}
/** The innermost message is the informative one ('getaddrinfo ENOTFOUND host', not 'fetch failed'). */
function describeDeepest(chain) {
    for (let i = chain.length - 1; i >= 0; i--) {
        const link = chain[i];
        if (link.reason)
            return `TLS error: ${link.reason}${link.code ? ` (${link.code})` : ''}`;
        const message = link.message.split('\n')[0]?.trim();
        if (message)
            return link.code && !message.includes(link.code) ? `${message} (${link.code})` : message;
    }
    return 'request failed';
}
function formatSeconds(ms) {
    return `${Number((ms / 1000).toFixed(ms < 1000 ? 2 : 1))} s`;
}

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

;// CONCATENATED MODULE: ./build/src/registry/reference.js
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
    if (!isValidRegistryHost(registry)) {
        throw new Error(`invalid registry ${JSON.stringify(registry)}: expected host[:port] without a scheme or path`);
    }
    const host = registry === DOCKER_HUB || registry === 'index.docker.io' ? DOCKER_HUB_API_HOST : registry;
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

;// CONCATENATED MODULE: ./build/src/registry/registry-error.js
/**
 * Registry answers other than success, turned into one error type that keeps
 * the status and the distribution spec's error code (UNAUTHORIZED, DENIED,
 * MANIFEST_UNKNOWN, NAME_UNKNOWN…) for callers to branch on.
 */

class RegistryError extends Error {
    name = 'RegistryError';
    status;
    /** The first `errors[].code` of the registry's JSON error body, when it sent one. */
    code;
    operation;
    constructor(message, details) {
        super(message);
        this.status = details.status;
        this.operation = details.operation;
        if (details.code !== undefined)
            this.code = details.code;
    }
}
/** Longest piece of a non-JSON error body worth quoting in a one-line message. */
const MAX_QUOTED_BODY = 200;
/**
 * Reads a failed response's body and builds the error, e.g.
 * `read manifest host/org/app:1: HTTP 404 MANIFEST_UNKNOWN: manifest unknown`.
 * `hint` is appended to explain what imageship expected.
 */
async function registryErrorFromResponse(response, operation, hint) {
    const body = await readErrorBody(response, operation);
    const parts = [`HTTP ${response.status}`];
    if (body.code)
        parts.push(` ${body.code}`);
    if (body.message)
        parts.push(`: ${body.message}`);
    if (hint)
        parts.push(` (${hint})`);
    return new RegistryError(`${operation}: ${parts.join('')}`, {
        status: response.status,
        operation,
        ...(body.code === undefined ? {} : { code: body.code }),
    });
}
/** Error code and message from any of the body shapes registries and token services use; never throws. */
async function readErrorBody(response, operation) {
    let text;
    try {
        text = new TextDecoder().decode(await readBodyBytes(response, operation)).trim();
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

;// CONCATENATED MODULE: ./build/src/registry/authenticator.js
/**
 * Answers a registry's 401 challenge the way the Docker client does: Basic
 * credentials for htpasswd-style registries, or a Bearer token fetched from
 * the realm the registry names (Docker Hub, SWR, GHCR, Harbor…). Tokens are
 * cached per scope so a session of calls asks the token service once.
 */





/** The pull scope of a repository, as the token spec spells it. */
function pullScope(repository) {
    return `repository:${repository}:pull`;
}
class RegistryAuthenticator {
    options;
    basicAuthorization;
    /** Set once the registry has asked for Basic; from then on it is sent up front. */
    registryWantsBasic = false;
    /** Scope → `Bearer …` header value. */
    tokens = new Map();
    /** Token requests under way, so parallel calls hit by the same 401 share one. */
    pendingTokens = new Map();
    constructor(options) {
        this.options = options;
        const credentials = options.credentials;
        this.basicAuthorization = credentials
            ? `Basic ${external_node_buffer_.Buffer.from(`${credentials.username}:${credentials.password}`, 'utf8').toString('base64')}`
            : undefined;
    }
    /** The Authorization header to send up front for `scope`, when one is known already. */
    authorizationFor(scope) {
        if (this.registryWantsBasic)
            return this.basicAuthorization;
        return this.tokens.get(scope);
    }
    /**
     * The Authorization header that answers the 401 `response`, fetching a new
     * token when the registry asks for Bearer. undefined when the challenge is
     * absent or of a scheme imageship does not speak (the caller reports the 401).
     * Throws RegistryError when the challenge cannot be met.
     */
    async answerChallenge(response, scope, operation) {
        const header = response.headers.get('www-authenticate');
        const challenges = header ? parseWwwAuthenticate(header) : [];
        const bearer = findChallenge(challenges, 'bearer');
        if (bearer)
            return this.sharedTokenRequest(bearer, scope, operation);
        if (findChallenge(challenges, 'basic')) {
            if (this.basicAuthorization === undefined) {
                throw await registryErrorFromResponse(response, operation, `registry ${this.options.registry} asks for a username and password (Basic auth) and none were given`);
            }
            this.registryWantsBasic = true;
            return this.basicAuthorization;
        }
        return undefined;
    }
    sharedTokenRequest(challenge, scope, operation) {
        const pending = this.pendingTokens.get(scope);
        if (pending)
            return pending;
        const request = this.fetchToken(challenge, scope, operation).finally(() => this.pendingTokens.delete(scope));
        this.pendingTokens.set(scope, request);
        return request;
    }
    async fetchToken(challenge, scope, operation) {
        const realm = this.realmUrl(challenge, operation);
        const url = new URL(realm);
        const service = challenge.params.service;
        if (service)
            url.searchParams.set('service', service);
        // The registry knows best which scope it wants; ours is the fallback.
        for (const wanted of (challenge.params.scope ?? scope).split(' ').filter(Boolean)) {
            url.searchParams.append('scope', wanted);
        }
        const response = await fetchWithRetry(this.options.fetch, {
            url: url.href,
            headers: this.basicAuthorization === undefined ? {} : { authorization: this.basicAuthorization },
            operation: `${operation}: get a token from ${realm}`,
        }, this.options.retry);
        const hint = `while getting a token from ${realm}`;
        if (!response.ok)
            throw await registryErrorFromResponse(response, operation, hint);
        const token = extractToken(await readBodyBytes(response, operation));
        if (token === undefined) {
            throw new RegistryError(`${operation}: the token service answered without a token (${hint})`, {
                status: response.status,
                operation,
            });
        }
        const authorization = `Bearer ${token}`;
        this.tokens.set(scope, authorization);
        return authorization;
    }
    /** The realm as a URL without query, checked before any credential is sent there. */
    realmUrl(challenge, operation) {
        const realm = challenge.params.realm;
        const refuse = (why) => {
            throw new RegistryError(`${operation}: HTTP 401: ${why}`, { status: 401, operation });
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

;// CONCATENATED MODULE: ./build/src/registry/digest.js
/**
 * Content digests. Everything fetched by digest is checked against it, so a
 * broken proxy or a lying registry cannot slip other bytes in.
 */

/** Algorithms node:crypto computes under the same name the OCI spec uses. */
const SUPPORTED_ALGORITHMS = new Set(['sha256', 'sha512']);
class DigestMismatchError extends Error {
    operation;
    expected;
    actual;
    name = 'DigestMismatchError';
    constructor(operation, expected, actual) {
        super(`${operation}: content digest mismatch: expected ${expected}, got ${actual}`);
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

;// CONCATENATED MODULE: ./build/src/registry/media-types.js
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

;// CONCATENATED MODULE: ./build/src/registry/manifest-shapes.js
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
    if (isIndexMediaType(mediaType))
        return 'index';
    if (isImageManifestMediaType(mediaType))
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
    if (typeof record.digest !== 'string' || digestError(record.digest) !== undefined) {
        throw new Error(`${where} has no valid digest`);
    }
    if (typeof record.size !== 'number' || !Number.isSafeInteger(record.size) || record.size < 0) {
        throw new Error(`${where} has no valid size`);
    }
    return value;
}

;// CONCATENATED MODULE: ./build/src/registry/platform.js
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

;// CONCATENATED MODULE: ./build/src/registry/client.js












/** A registry that pages forever must not keep a build busy forever. */
const MAX_TAG_PAGES = 10_000;
class RegistryClient {
    registry;
    baseUrl;
    fetch;
    retry;
    username;
    auth;
    constructor(opts) {
        this.registry = opts.registry;
        const scheme = opts.scheme ?? defaultScheme(opts.registry);
        this.baseUrl = registryBaseUrl(opts.registry, scheme);
        this.fetch = opts.fetch;
        this.retry = opts.retry;
        this.username = opts.credentials?.username;
        this.auth = new RegistryAuthenticator({
            registry: opts.registry,
            fetch: opts.fetch,
            allowPlainHttpRealm: scheme === 'http',
            ...(opts.credentials === undefined ? {} : { credentials: opts.credentials }),
            ...(opts.retry === undefined ? {} : { retry: opts.retry }),
        });
    }
    /** Digest, media type and size of a manifest; undefined when the registry has no such manifest (404). */
    async headManifest(repository, reference) {
        this.checkNames(repository, reference);
        const operation = `check manifest ${formatReference(this.registry, repository, reference)}`;
        const response = await this.send(repository, {
            url: this.manifestUrl(repository, reference),
            method: 'HEAD',
            headers: { accept: MANIFEST_ACCEPT },
            operation,
        });
        if (response.status === 404) {
            await discardBody(response);
            return undefined;
        }
        if (!response.ok)
            throw await this.failure(response, operation);
        await discardBody(response);
        const digest = response.headers.get('docker-content-digest');
        const size = Number(response.headers.get('content-length') ?? Number.NaN);
        const mediaType = bareMediaType(response.headers.get('content-type'));
        if (!digest || digestError(digest) !== undefined || !Number.isSafeInteger(size) || mediaType === '') {
            // The spec lets HEAD leave these out; the manifest itself tells all three.
            return (await this.getManifest(repository, reference)).info;
        }
        if (isDigest(reference) && digest !== reference)
            throw new DigestMismatchError(operation, reference, digest);
        return { digest, mediaType, size };
    }
    /**
     * The manifest, its exact bytes and info. The bytes are checked against the
     * digest when `reference` is one, and against Docker-Content-Digest when
     * the registry sends it.
     */
    async getManifest(repository, reference) {
        this.checkNames(repository, reference);
        const operation = `read manifest ${formatReference(this.registry, repository, reference)}`;
        const response = await this.send(repository, {
            url: this.manifestUrl(repository, reference),
            method: 'GET',
            headers: { accept: MANIFEST_ACCEPT },
            operation,
        });
        if (!response.ok)
            throw await this.failure(response, operation);
        const raw = await readBodyBytes(response, operation);
        const headerDigest = response.headers.get('docker-content-digest');
        if (isDigest(reference))
            verifyDigest(raw, reference, operation);
        if (headerDigest)
            verifyDigest(raw, headerDigest, operation);
        const digest = isDigest(reference) ? reference : (headerDigest ?? digestOf(raw));
        const body = parseJson(raw, `${operation}: the manifest`);
        const declared = body?.mediaType;
        const mediaType = typeof declared === 'string' ? declared : bareMediaType(response.headers.get('content-type'));
        return { info: { digest, mediaType, size: raw.byteLength }, body, raw };
    }
    /**
     * The image config JSON (labels, env, entrypoint…). An index is followed to
     * `platform`'s manifest; without `platform`, to its only image or else
     * linux/amd64. The config blob is digest-verified.
     */
    async getImageConfig(repository, reference, platform) {
        const operation = `read image config ${formatReference(this.registry, repository, reference)}`;
        let manifest = await this.getManifest(repository, reference);
        const pickedFromIndex = manifestKind(manifest.info.mediaType, manifest.body) === 'index';
        if (pickedFromIndex) {
            const entry = selectPlatformManifest(indexEntries(manifest.body, operation), platform, operation);
            manifest = await this.getManifest(repository, entry.digest);
        }
        if (manifestKind(manifest.info.mediaType, manifest.body) !== 'image') {
            throw new Error(`${operation}: manifest ${manifest.info.digest} is ${JSON.stringify(manifest.info.mediaType)}, not an image manifest`);
        }
        const descriptor = configDescriptor(manifest.body, operation);
        const bytes = await this.getBlob(repository, descriptor, `${operation}: config blob ${descriptor.digest}`);
        const config = parseJson(bytes, `${operation}: the config blob`);
        // A single-platform image says its platform only in the config; refuse a silent mismatch.
        if (platform && !pickedFromIndex)
            checkConfigPlatform(config, platform, operation);
        return config;
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
            const page = parseJson(await readBodyBytes(response, operation), `${operation}: the tag list`);
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
    /** GET a blob, checking its size and digest against the descriptor that named it. */
    async getBlob(repository, descriptor, operation) {
        const response = await this.send(repository, {
            url: `${this.baseUrl}/v2/${repository}/blobs/${descriptor.digest}`,
            method: 'GET',
            headers: {},
            operation,
        });
        if (!response.ok)
            throw await this.failure(response, operation);
        const bytes = await readBodyBytes(response, operation);
        if (bytes.byteLength !== descriptor.size) {
            throw new Error(`${operation}: expected ${descriptor.size} bytes, got ${bytes.byteLength}`);
        }
        verifyDigest(bytes, descriptor.digest, operation);
        return bytes;
    }
    /**
     * One request with authentication: send the credentials already known for
     * the repository's scope; on 401 answer the challenge once and resend. A
     * 401 that remains is returned for the caller to report.
     */
    async send(repository, request) {
        const scope = pullScope(repository);
        const exchange = (authorization) => fetchWithRetry(this.fetch, {
            url: request.url,
            method: request.method,
            headers: authorization === undefined ? request.headers : { ...request.headers, authorization },
            idempotent: true,
            operation: request.operation,
        }, this.retry);
        const sent = this.auth.authorizationFor(scope);
        const first = await exchange(sent);
        if (first.status !== 401)
            return first;
        let answer;
        try {
            answer = await this.auth.answerChallenge(first, scope, request.operation);
        }
        catch (error) {
            await discardBody(first);
            throw error;
        }
        // Nothing new to offer (unknown scheme, or Basic credentials already refused): report this 401.
        if (answer === undefined || answer === sent)
            return first;
        await discardBody(first);
        return exchange(answer);
    }
    /** A RegistryError for a failed response, with a hint on what to check when access was refused. */
    failure(response, operation) {
        let hint;
        if (response.status === 401) {
            hint =
                this.username === undefined
                    ? `registry ${this.registry} requires authentication and no credentials were given`
                    : `registry ${this.registry} did not accept the credentials of ${JSON.stringify(this.username)}`;
        }
        return registryErrorFromResponse(response, operation, hint);
    }
    manifestUrl(repository, reference) {
        return `${this.baseUrl}/v2/${repository}/manifests/${reference}`;
    }
    /** Names go into URL paths: only grammar-valid ones get there. */
    checkNames(repository, reference) {
        const problem = repositoryError(repository);
        if (problem)
            throw new Error(`invalid repository for ${this.registry}: ${problem}`);
        if (reference !== undefined && !isValidTag(reference) && !isDigest(reference)) {
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
        throw new Error(`${operation}: the image is ${formatPlatform({ os: record.os, architecture: record.architecture })}, not ${formatPlatform(wanted)}`);
    }
}

;// CONCATENATED MODULE: ./build/src/registry/verify.js


class VerifyError extends Error {
    constructor(message) {
        super(message);
        this.name = 'VerifyError';
    }
}
/**
 * Asks the registry itself (not docker's output) which manifest each tag
 * points at, and requires one digest for all of them. This catches a push
 * that half-failed, a tag overwritten by a concurrent job, or a proxy that
 * rewrote the manifest.
 */
async function verifyPushedTags(request) {
    const client = new RegistryClient({
        registry: request.registry,
        fetch: request.fetch,
        ...(request.credentials ? { credentials: request.credentials } : {}),
    });
    const digests = new Map();
    for (const tag of request.tags) {
        let info;
        try {
            info = await client.headManifest(request.repository, tag);
        }
        catch (error) {
            if (error instanceof RegistryError) {
                throw new VerifyError((0,docker_errors/* explainRegistryError */.z)(`${error.status} ${error.code ?? ''} ${error.message}`, { operation: 'verify', registry: request.registry, loginHint: request.loginHint }));
            }
            throw error;
        }
        if (!info)
            throw new VerifyError(`verify: ${request.registry}/${request.repository}:${tag} is missing from the registry after the push: re-run; if it persists the registry may be dropping pushes`);
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

;// CONCATENATED MODULE: ./build/src/pipeline.js










/**
 * credentials → login → build → push → verify. Everything is validated (the
 * config by parseConfig, the rest by makePlan) before the first side effect.
 */
async function runPipeline(config, options) {
    const { logger, exec, clock, secrets } = options.ports;
    const env = options.env ?? process.env;
    // Masked before anything else can print them.
    if (config.login.kind === 'swr-aksk') {
        secrets.add(config.login.secretKey);
        secrets.add(config.login.accessKey);
    }
    else if (config.login.kind === 'password') {
        secrets.add(config.login.password);
    }
    const credentials = loginCredentials(config, secrets.add.bind(secrets));
    const docker = await (options.docker ?? (0,docker_probe/* probeDocker */.D)(exec, env));
    const tempDir = await (0,promises_.mkdtemp)((0,external_node_path_.join)((0,external_node_os_.tmpdir)(), 'imageship-'));
    try {
        const plan = makePlan({ config, source: options.source, now: clock.now(), docker, tempDir, cwd: options.cwd });
        const planLines = describePlan(plan).map((line) => secrets.redact(line));
        const result = baseResult(config, plan, planLines);
        if (config.dryRun) {
            await logger.group('Plan (dry run: nothing is logged in, built or pushed)', async () => planLines.forEach((line) => logger.info(line)));
            return result;
        }
        await logger.group('Plan', async () => planLines.forEach((line) => logger.info(line)));
        // Logged in even without push: the Dockerfile may pull a private base image from the same registry.
        if (credentials) {
            await options.onLogin?.(config.registry);
            await logger.group(`Log in to ${config.registry} as ${plan.loginUser}`, async () => {
                await (0,login/* dockerLogin */.a1)(exec, { registry: config.registry, ...credentials, loginHint: plan.loginHint, env });
                logger.info(`logged in (password on stdin; the post step or dockerLogout removes it)`);
            });
        }
        const built = await logger.group(`Build ${config.destination} (${plan.build.builder})`, () => runBuild(exec, plan.build, env));
        result.imageId = built.imageId;
        if (config.push) {
            if (!plan.build.pushesItself) {
                await logger.group(`Push ${plan.references.length} tag(s)`, () => pushReferences(exec, logger, plan.references, config.registry, plan.loginHint, env));
            }
            result.digest = await logger.group('Verify the tags in the registry', async () => {
                const digest = await verifyPushedTags({
                    registry: config.registry,
                    repository: config.repository,
                    tags: plan.tags,
                    credentials,
                    fetch: options.ports.fetch,
                    loginHint: plan.loginHint,
                    ...(built.pushedDigest ? { expectedDigest: built.pushedDigest } : {}),
                });
                logger.info(`${plan.tags.length} tag(s) → ${digest}`);
                return digest;
            });
        }
        return result;
    }
    finally {
        await (0,promises_.rm)(tempDir, { recursive: true, force: true });
    }
}
function loginCredentials(config, mask) {
    const { login } = config;
    if (login.kind === 'swr-aksk') {
        const derived = deriveSwrLogin({ region: login.region, accessKey: login.accessKey, secretKey: login.secretKey });
        mask(derived.password);
        mask(`${derived.username}:${derived.password}`);
        return { username: derived.username, password: derived.password };
    }
    if (login.kind === 'password') {
        mask(`${login.username}:${login.password}`);
        return { username: login.username, password: login.password };
    }
    return undefined;
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
        builder: plan.build.builder,
        labels: Object.fromEntries(plan.labels),
        plan: planLines,
    };
}

;// CONCATENATED MODULE: ./build/src/source/github.js
/** Events whose build is about a pull request even when GITHUB_REF names a branch. */
const PULL_REQUEST_EVENTS = new Set(['pull_request', 'pull_request_target']);
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
    const payload = readEventPayload(value(env, 'GITHUB_EVENT_PATH'), readFile);
    const headBranch = value(env, 'GITHUB_HEAD_REF') || payload.headRef;
    const base = {
        sha: commitId(value(env, 'GITHUB_SHA')),
        ref,
        defaultBranch: payload.defaultBranch,
        runNumber: value(env, 'GITHUB_RUN_NUMBER'),
        repositoryUrl: repositoryUrl(env),
    };
    const none = { branch: '', tag: '', pullRequest: undefined };
    const pull = /^refs\/pull\/(\d+)\/(?:merge|head)$/.exec(ref);
    if (pull !== null) {
        return { ...base, event: 'pr', branch: headBranch, tag: '', pullRequest: Number(pull[1]) };
    }
    // pull_request_target runs with GITHUB_REF = the base branch; it still builds for the PR,
    // so it must not be tagged like a push to that branch.
    if (PULL_REQUEST_EVENTS.has(value(env, 'GITHUB_EVENT_NAME')) && payload.pullRequestNumber !== undefined) {
        return { ...base, event: 'pr', branch: headBranch, tag: '', pullRequest: payload.pullRequestNumber };
    }
    if (ref.startsWith('refs/heads/')) {
        return { ...base, ...none, event: 'branch', branch: ref.slice('refs/heads/'.length) };
    }
    if (ref.startsWith('refs/tags/')) {
        return { ...base, ...none, event: 'tag', tag: ref.slice('refs/tags/'.length) };
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
    const empty = { defaultBranch: '', pullRequestNumber: undefined, headRef: '' };
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
    };
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
;// CONCATENATED MODULE: ./build/src/util/secrets.js
/**
 * Keeps every secret value seen and scrubs them out of text. `onAdd` lets a
 * host also register the value with its own log masking (GitHub's
 * `::add-mask::`) at the moment it becomes known.
 */
function createSecretRegistry(onAdd) {
    const secrets = new Set();
    return {
        add(secret) {
            // Very short values would redact half the log and protect nothing.
            if (secret.length < 4 || secrets.has(secret))
                return;
            secrets.add(secret);
            onAdd?.(secret);
            const encoded = Buffer.from(secret, 'utf8').toString('base64');
            if (!secrets.has(encoded)) {
                secrets.add(encoded);
                onAdd?.(encoded);
            }
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

;// CONCATENATED MODULE: ./build/src/action/host.js



/** The ports implemented on top of the GitHub runner protocol. */
function githubPorts() {
    const secrets = createSecretRegistry((secret) => core/* setSecret */.Pq(secret));
    const logger = githubLogger(secrets);
    return {
        logger,
        secrets,
        exec: (0,node_exec/* createNodeExec */.k)({ writeLine: (line) => logger.info(line) }),
        fetch: globalThis.fetch,
        clock: { now: () => new Date() },
    };
}
function githubLogger(secrets) {
    return {
        info: (message) => core/* info */.pq(secrets.redact(message)),
        warn: (message) => core/* warning */.$e(secrets.redact(message)),
        debug: (message) => core/* debug */.Yz(secrets.redact(message)),
        group: (title, body) => core/* group */.Os(secrets.redact(title), body),
    };
}

;// CONCATENATED MODULE: ./build/src/action/outputs.js

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
    };
}
function writeOutputs(result) {
    core/* setOutput */.uH('registry', result.registry);
    core/* setOutput */.uH('image', result.image);
    core/* setOutput */.uH('tags', result.references.join('\n'));
    core/* setOutput */.uH('digest', result.digest);
    core/* setOutput */.uH('imageid', result.imageId);
    core/* setOutput */.uH('metadata', JSON.stringify(metadataOf(result)));
}

// EXTERNAL MODULE: ./build/src/action/state.js
var state = __webpack_require__(9049);
;// CONCATENATED MODULE: ./build/src/action/summary.js

/** A short job summary: what was pushed where, and the digest every tag was checked against. */
async function writeSummary(result, redact) {
    if (!process.env['GITHUB_STEP_SUMMARY'])
        return;
    const code = (text) => `<code>${escapeHtml(redact(text))}</code>`;
    const rows = [
        ['Registry', code(result.registry)],
        ['Image', code(result.image)],
        ['Tags', result.references.map(code).join('<br>')],
        ['Digest', result.digest ? code(result.digest) : result.dryRun ? 'dry run: not pushed' : 'not pushed'],
        ['Login', result.loginUser ? code(result.loginUser) : 'anonymous'],
        ['Builder', result.builder],
    ];
    const summary = core/* summary */.z
        .addHeading(result.dryRun ? 'imageship: plan (dry run)' : 'imageship: image pushed', 3)
        .addTable([[{ data: 'What', header: true }, { data: 'Value', header: true }], ...rows]);
    if (result.dryRun)
        summary.addCodeBlock(result.plan.join('\n'), 'text');
    await summary.write();
}
function escapeHtml(text) {
    return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

;// CONCATENATED MODULE: ./build/src/action/main.js











async function runMain(docker) {
    (0,state/* markMainStarted */.UM)();
    const ports = githubPorts();
    // Mask secret inputs before anything is parsed or printed, even if the
    // workflow passed them from plain variables rather than secrets.
    for (const spec of OPTIONS.filter((option) => option.secret)) {
        ports.secrets.add(core/* getInput */.V4(spec.name));
        for (const variable of spec.envFallback ?? [])
            ports.secrets.add(process.env[variable] ?? '');
    }
    const cwd = process.env['GITHUB_WORKSPACE'] || process.cwd();
    let config;
    try {
        config = parseConfig((name) => core/* getInput */.V4(name), { env: process.env, cwd });
    }
    catch (error) {
        fail(error, ports.secrets.redact);
        return;
    }
    try {
        const source = sourceContextFromGitHub(process.env, readOptionalFile);
        const result = await runPipeline(config, {
            ports,
            source,
            cwd,
            docker,
            onLogin: (registry) => (0,state/* saveLoggedInRegistry */.eh)(registry, config.logout),
        });
        writeOutputs(result);
        await writeSummary(result, ports.secrets.redact);
    }
    catch (error) {
        fail(error, ports.secrets.redact);
    }
}
/** One `::error::` line per problem; the step fails. Anything unexpected shows its stack in debug logs only. */
function fail(error, redact) {
    if (error instanceof ConfigError) {
        for (const problem of error.problems)
            core/* error */.z3(redact(problem));
        core/* setFailed */.C1(redact(`${error.problems.length} problem(s) found before any side effect: nothing was logged in, built or pushed`));
        return;
    }
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof Error && error.stack)
        core/* debug */.Yz(redact(error.stack));
    core/* setFailed */.C1(redact(message));
}
function readOptionalFile(path) {
    try {
        return (0,external_node_fs_.readFileSync)(path, 'utf8');
    }
    catch {
        return undefined;
    }
}


/***/ }),

/***/ 9049:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   UM: () => (/* binding */ markMainStarted),
/* harmony export */   cj: () => (/* binding */ readPostState),
/* harmony export */   eh: () => (/* binding */ saveLoggedInRegistry)
/* harmony export */ });
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6421);

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
        return `${context.operation}: ${registry} denied access: the organization may belong to another account or the organization quota may be exhausted; create the organization in the SWR console under this account, or check the IAM user's SWR permissions`;
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
