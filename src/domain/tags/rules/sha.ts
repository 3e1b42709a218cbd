import type { RuleAttributes } from '../rule-syntax.js';
import { shortSha } from '../source-values.js';
import type { RuleCommon, RuleInputs, RuleResult, ShaRule } from './types.js';

export const SHA_KEYS = ['format'] as const;
export const SHA_DEFAULT_PREFIX = 'sha-';

export function parseShaRule(common: RuleCommon, attributes: RuleAttributes): ShaRule {
  return { type: 'sha', ...common, format: attributes.choice('format', ['short', 'long'], 'short') };
}

/** The commit id (short: DOCKER_METADATA_SHORT_SHA_LENGTH digits, 7 by default); no tag when the CI did not say which commit this is. */
export function shaValue(rule: ShaRule, inputs: RuleInputs): RuleResult {
  const sha = inputs.source.sha;
  return { value: rule.format === 'long' ? sha : shortSha(sha, inputs.shortShaLength), release: false };
}
