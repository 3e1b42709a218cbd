import { RuleSyntaxProblem } from '../errors.js';
import { compileTemplate, expandTemplate, SOURCE_TEMPLATE_NAMES } from '../templates.js';
import type { FixedRule, RuleInputs, RuleResult } from './types.js';

/**
 * Reads a line without attributes (metadata-action's `type=raw` shorthand,
 * priority 200). A line with a `/` is a full image
 * reference, as docker/metadata-action's `tags` output lists them; only its
 * tag is kept, and the repository is checked against the destination when
 * tags are computed (parsing does not know the destination).
 */
export function parseFixedRule(line: string, priority: number): FixedRule {
  const common = { line, priority, prefix: undefined, suffix: undefined, enable: undefined };
  if (line.includes(',')) {
    const first = line.split(',')[0]?.trim() ?? line;
    throw new RuleSyntaxProblem(`write one tag per line (commas only separate key=value attributes), e.g. \`${first}\` alone on its line`);
  }
  const lastSlash = line.lastIndexOf('/');
  if (lastSlash === -1) {
    return { type: 'fixed', ...common, value: compileTemplate(line, SOURCE_TEMPLATE_NAMES), repository: undefined };
  }
  if (line.includes('@')) {
    throw new RuleSyntaxProblem('is a reference by digest; give a tag instead, e.g. `latest`');
  }
  const colon = line.lastIndexOf(':');
  if (colon < lastSlash) {
    throw new RuleSyntaxProblem(`is a full reference without a tag; write \`${line}:latest\`, or only the tag`);
  }
  const tag = line.slice(colon + 1);
  if (tag === '') {
    throw new RuleSyntaxProblem(`is a full reference with an empty tag; write \`${line}latest\`, or only the tag`);
  }
  return { type: 'fixed', ...common, value: compileTemplate(tag, SOURCE_TEMPLATE_NAMES), repository: line.slice(0, colon) };
}

export function fixedValue(rule: FixedRule, inputs: RuleInputs): RuleResult {
  return { value: expandTemplate(rule.value, inputs.context), release: false };
}
