import { RuleSyntaxProblem } from '../errors.js';
import type { RuleAttributes } from '../rule-syntax.js';
import { expandTemplate, SOURCE_TEMPLATE_NAMES } from '../templates.js';
import type { MatchRule, RuleCommon, RuleInputs, RuleResult } from './types.js';

export const MATCH_KEYS = ['pattern', 'group', 'source', 'value'] as const;

export function parseMatchRule(common: RuleCommon, attributes: RuleAttributes): MatchRule {
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
export function matchValue(rule: MatchRule, inputs: RuleInputs): RuleResult {
  const { source } = inputs;
  let text: string;
  if (rule.value !== undefined && rule.value.text !== '') text = expandTemplate(rule.value, inputs.context);
  else if (rule.source === 'branch') text = source.branch;
  else if (source.event === 'tag') text = source.tag;
  else return { value: undefined };
  if (text === '') return { value: undefined };
  // String.prototype.match, as metadata-action calls it (with a `g` flag it lists whole matches).
  const found = text.match(rule.pattern);
  const value = found?.[rule.group];
  const onBranch = rule.source === 'branch' && (rule.value === undefined || rule.value.text === '');
  return value === undefined ? { value: undefined } : { value, release: !onBranch };
}

/** `pattern=/regex/flags` or a bare regular expression. */
function compileRegExp(text: string): RegExp {
  const literal = /^\/(.+)\/([a-z]*)$/s.exec(text);
  try {
    return literal ? new RegExp(literal[1]!, literal[2]) : new RegExp(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new RuleSyntaxProblem(`pattern is not a valid regular expression (${reason}); fix it, and quote it with "…" if it contains commas`);
  }
}

/** Checks the group exists now, so a typo fails validation instead of silently giving no tag. */
function parseGroup(text: string | undefined, pattern: RegExp): number {
  if (text === undefined) return 0;
  // With the g flag, match() lists whole matches, so any index may exist.
  if (pattern.global && /^\d+$/.test(text)) return Number(text);
  // Matching the empty alternative always succeeds and reports every group of the pattern.
  const groups = (new RegExp(`${pattern.source}|`).exec('')?.length ?? 1) - 1;
  if (!/^\d+$/.test(text) || Number(text) > groups) {
    throw new RuleSyntaxProblem(`group \`${text}\` does not exist; the pattern has groups 0 to ${groups}`);
  }
  return Number(text);
}
