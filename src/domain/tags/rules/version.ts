import { RuleSyntaxProblem } from '../errors.js';
import { isPep440Release, normalizePep440, parsePep440, releasePart } from '../pep440.js';
import type { RuleAttributes } from '../rule-syntax.js';
import { parseSemVer, versionOf } from '../semver.js';
import { expandTemplate, isSinglePlaceholder, SOURCE_TEMPLATE_NAMES, VERSION_TEMPLATE_NAMES } from '../templates.js';
import type { RuleCommon, RuleInputs, RuleResult, VersionRule } from './types.js';

export const VERSION_KEYS = ['pattern', 'value', 'match'] as const;
const PATTERN_NAMES = [...VERSION_TEMPLATE_NAMES, ...SOURCE_TEMPLATE_NAMES];

export function parseVersionRule(type: 'semver' | 'pep440') {
  return (common: RuleCommon, attributes: RuleAttributes): VersionRule => ({
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
export function versionValue(rule: VersionRule, inputs: RuleInputs): RuleResult {
  const text = versionText(rule, inputs);
  if (text === undefined) return { value: undefined };
  return rule.type === 'semver' ? semverValue(rule, inputs, text) : pep440Value(rule, inputs, text);
}

function semverValue(rule: VersionRule, inputs: RuleInputs, raw: string): RuleResult {
  const version = parseSemVer(raw);
  if (version === undefined) return { value: undefined, note: `\`${raw}\` is not a semantic version (semver.org), so it gives no tag` };
  const whole = versionOf(version);
  if (version.prerelease !== '') {
    return { value: isSinglePlaceholder(rule.pattern, 'raw') ? raw : whole, release: false };
  }
  const values = { ...inputs.context.values, version: whole, major: version.major, minor: version.minor, patch: version.patch, raw };
  return { value: expandTemplate(rule.pattern, { ...inputs.context, values }), release: true };
}

function pep440Value(rule: VersionRule, inputs: RuleInputs, raw: string): RuleResult {
  const version = parsePep440(raw);
  if (version === undefined) return { value: undefined, note: `\`${raw}\` does not conform to PEP 440, so it gives no tag` };
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
function versionText(rule: VersionRule, inputs: RuleInputs): string | undefined {
  let text: string;
  if (rule.value !== undefined && rule.value.text !== '') text = expandTemplate(rule.value, inputs.context);
  else if (inputs.source.event === 'tag') text = inputs.source.tag;
  else return undefined;
  if (rule.match !== undefined) {
    const found = rule.match.exec(text);
    if (found !== null) text = found[1] ?? '';
  }
  return text.replace(/\//g, '-');
}

function parseMatch(text: string | undefined): RegExp | undefined {
  if (text === undefined || text === '') return undefined;
  let pattern: RegExp;
  try {
    pattern = new RegExp(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new RuleSyntaxProblem(`match is not a valid regular expression (${reason}); fix it, and quote the attribute with "…" if it contains commas`);
  }
  if ((new RegExp(`${pattern.source}|`).exec('')?.length ?? 1) < 2) {
    throw new RuleSyntaxProblem('match needs a capture group for the version, e.g. `match=v(\\d+\\.\\d+\\.\\d+)$`');
  }
  return pattern;
}
