/**
 * Tag rules: a pure function from the `tags` and `flavor` inputs, the
 * build's source context and a clock to the tags to push. The rule language
 * is docker/metadata-action's `tags` input (its README is the
 * specification), plus imageship's `{{short_sha}}`, `{{run_number}}`,
 * `type=match,source=branch` and full references in fixed lines.
 */
import { parseRuleLines } from './parse-rules.js';
import type { TagRule } from './rules/types.js';

export { computeTags, type ComputedTags, type TagClock, type TagRewrite, type TagRulesInput } from './compute.js';
export { TagRuleError } from './errors.js';
export { DEFAULT_FLAVOR, parseFlavor, type Flavor } from './flavor.js';
export { DEFAULT_TAG_RULES } from './parse-rules.js';
export { DEFAULT_SHORT_SHA_LENGTH, sourceTemplateValues } from './source-values.js';
export { compileTemplate, expandTemplate, SOURCE_TEMPLATE_NAMES, type Template, type TemplateContext } from './templates.js';
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
