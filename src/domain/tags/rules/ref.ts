import type { RuleAttributes } from '../rule-syntax.js';
import type { RefRule, RuleCommon, RuleInputs, RuleResult } from './types.js';

export const REF_KEYS = ['event'] as const;
export const PR_DEFAULT_PREFIX = 'pr-';

export function parseRefRule(common: RuleCommon, attributes: RuleAttributes): RefRule {
  return { type: 'ref', ...common, event: attributes.choice('event', ['branch', 'tag', 'pr'], undefined) };
}

/**
 * The ref's name, but only when the build is of that kind (a PR's head
 * branch is not a branch build). A git tag counts as a release for
 * `latest=auto`, as in metadata-action.
 */
export function refValue(rule: RefRule, inputs: RuleInputs): RuleResult {
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
