import type { RuleAttributes } from '../rule-syntax.js';
import type { RefRule, RuleCommon, RuleInputs } from './types.js';

export const REF_KEYS = ['event'] as const;
export const PR_DEFAULT_PREFIX = 'pr-';

export function parseRefRule(common: RuleCommon, attributes: RuleAttributes): RefRule {
  return { type: 'ref', ...common, event: attributes.choice('event', ['branch', 'tag', 'pr'], undefined) };
}

/** The ref's name, but only when the build is of that kind (a PR's head branch is not a branch build). */
export function refValue(rule: RefRule, inputs: RuleInputs): string {
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
