import type { RuleAttributes } from '../rule-syntax.js';
import { formatSemVer, parseSemVer } from '../semver.js';
import { expandTemplate, SEMVER_TEMPLATE_NAMES, SOURCE_TEMPLATE_NAMES, templateUses } from '../templates.js';
import type { RuleCommon, RuleInputs, SemverRule } from './types.js';

export const SEMVER_KEYS = ['pattern', 'value'] as const;
const PATTERN_NAMES = [...SEMVER_TEMPLATE_NAMES, ...SOURCE_TEMPLATE_NAMES];

export function parseSemverRule(common: RuleCommon, attributes: RuleAttributes): SemverRule {
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
export function semverValue(rule: SemverRule, inputs: RuleInputs): string {
  const text =
    rule.value !== undefined
      ? expandTemplate(rule.value, inputs.values, inputs.now)
      : inputs.source.event === 'tag'
        ? inputs.source.tag
        : '';
  const version = parseSemVer(text);
  if (version === undefined) return '';
  if (version.prerelease !== '' && !isPrereleasePattern(rule)) return '';
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
function isPrereleasePattern(rule: SemverRule): boolean {
  const { pattern } = rule;
  const partial = ['major', 'minor', 'patch'].some((name) => templateUses(pattern, name));
  const whole = templateUses(pattern, 'version') || templateUses(pattern, 'raw');
  return whole && !partial;
}
