import type { RuleAttributes } from '../rule-syntax.js';
import { compileTemplate, expandTemplate, SOURCE_TEMPLATE_NAMES } from '../templates.js';
import type { RuleCommon, RuleInputs, RuleResult, ScheduleRule } from './types.js';

export const SCHEDULE_KEYS = ['pattern'] as const;

export function parseScheduleRule(common: RuleCommon, attributes: RuleAttributes): ScheduleRule {
  return { type: 'schedule', ...common, pattern: attributes.template('pattern', SOURCE_TEMPLATE_NAMES) ?? compileTemplate('nightly', []) };
}

/** Only on a scheduled run (GitHub `schedule`, GitLab/Azure/Jenkins equivalents): the pattern, `nightly` by default. */
export function scheduleValue(rule: ScheduleRule, inputs: RuleInputs): RuleResult {
  return inputs.source.scheduled === true ? { value: expandTemplate(rule.pattern, inputs.context), release: false } : { value: undefined };
}
