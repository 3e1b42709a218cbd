/**
 * Tag rules: a pure function from the `tags` input, the build's source
 * context and a clock to the list of tags to push. The rule language follows
 * docker/metadata-action's `tags` input where the two overlap.
 */
import { parseRuleLines } from './parse-rules.js';
import type { TagRule } from './rules/types.js';

export { computeTags, type ComputedTags, type TagRewrite, type TagRulesInput } from './compute.js';
export { TagRuleError } from './errors.js';
export type { TagRule } from './rules/types.js';

/**
 * Checks the syntax of every rule without needing a build context, so the
 * input can be validated before any side effect. `errors` holds one message
 * per bad line, each naming the line and the fix.
 */
export function parseTagRules(text: string): { rules: TagRule[]; errors: string[] } {
  const { rules, errors } = parseRuleLines(text);
  return { rules, errors: errors.map((error) => error.message) };
}
