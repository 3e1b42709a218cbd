import type { RuleAttributes } from '../rule-syntax.js';
import type { RuleCommon, RuleInputs, ShaRule } from './types.js';

export const SHA_KEYS = ['format'] as const;
export const SHA_DEFAULT_PREFIX = 'sha-';
const SHORT_SHA_LENGTH = 7;

export function parseShaRule(common: RuleCommon, attributes: RuleAttributes): ShaRule {
  return { type: 'sha', ...common, format: attributes.choice('format', ['short', 'long'], 'short') };
}

/** The commit id, '' (no tag) when the CI did not tell us which commit this is. */
export function shaValue(rule: ShaRule, inputs: RuleInputs): string {
  const sha = inputs.source.sha;
  return rule.format === 'long' ? sha : sha.slice(0, SHORT_SHA_LENGTH);
}
