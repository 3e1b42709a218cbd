import type { RuleAttributes } from '../rule-syntax.js';
import type { EdgeRule, RuleCommon, RuleInputs, RuleResult } from './types.js';

export const EDGE_KEYS = ['branch'] as const;

export function parseEdgeRule(common: RuleCommon, attributes: RuleAttributes): EdgeRule {
  const branch = attributes.get('branch');
  return { type: 'edge', ...common, branch: branch === '' ? undefined : branch };
}

/** `edge` on a build of `branch=` (default: the repository's default branch). */
export function edgeValue(rule: EdgeRule, inputs: RuleInputs): RuleResult {
  const { source } = inputs;
  if (source.event !== 'branch') return { value: undefined };
  const branch = rule.branch ?? source.defaultBranch;
  if (branch === '') {
    return { value: undefined, note: `the default branch is unknown on this CI, so it cannot tell whether ${source.branch} gets edge: name it with branch=` };
  }
  return branch === source.branch ? { value: 'edge', release: false } : { value: undefined };
}
