import { RuleSyntaxProblem } from '../errors.js';
import type { RuleAttributes } from '../rule-syntax.js';
import { expandTemplate, SOURCE_TEMPLATE_NAMES } from '../templates.js';
import type { MatchRule, RuleCommon, RuleInputs } from './types.js';

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

/** The chosen group of the first match; '' when the text does not match or the group took no part. */
export function matchValue(rule: MatchRule, inputs: RuleInputs): string {
  const text =
    rule.value !== undefined
      ? expandTemplate(rule.value, inputs.values, inputs.now)
      : rule.source === 'tag'
        ? inputs.source.tag
        : inputs.source.branch;
  if (text === '') return '';
  const match = rule.pattern.exec(text);
  return match?.[rule.group] ?? '';
}

function compileRegExp(text: string): RegExp {
  try {
    return new RegExp(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new RuleSyntaxProblem(`pattern is not a valid regular expression (${reason}); fix it, and quote it with "…" if it contains commas`);
  }
}

/** Checks the group exists now, so a typo fails validation instead of silently giving no tag. */
function parseGroup(text: string | undefined, pattern: RegExp): number {
  if (text === undefined) return 0;
  // Matching the empty alternative always succeeds and reports every group of the pattern.
  const groups = (new RegExp(`${pattern.source}|`).exec('')?.length ?? 1) - 1;
  if (!/^\d+$/.test(text) || Number(text) > groups) {
    throw new RuleSyntaxProblem(`group \`${text}\` does not exist; the pattern has groups 0 to ${groups}`);
  }
  return Number(text);
}
