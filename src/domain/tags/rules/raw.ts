import type { RuleAttributes } from '../rule-syntax.js';
import { expandTemplate, SOURCE_TEMPLATE_NAMES } from '../templates.js';
import type { RawRule, RuleCommon, RuleInputs, RuleResult } from './types.js';

export const RAW_KEYS = ['value'] as const;

export function parseRawRule(common: RuleCommon, attributes: RuleAttributes): RawRule {
  const value = attributes.requireTemplate('value', SOURCE_TEMPLATE_NAMES, 'type=raw,value=latest');
  return { type: 'raw', ...common, value };
}

/** Always applies; a value that expands to '' (e.g. `{{branch}}` on a tag build) gives no tag. */
export function rawValue(rule: RawRule, inputs: RuleInputs): RuleResult {
  return { value: expandTemplate(rule.value, inputs.context), release: false };
}
