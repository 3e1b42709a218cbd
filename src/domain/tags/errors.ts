import { ImageshipError } from '../errors.js';

/**
 * A rule in the `tags` input that cannot be used. `line` is the rule exactly
 * as written (trimmed), so callers can point at it; the message is one line
 * that names the rule and says how to fix it.
 */
export class TagRuleError extends ImageshipError {
  constructor(
    public readonly line: string,
    message: string,
  ) {
    super(message);
    this.name = 'TagRuleError';
  }
}

/**
 * A problem found by a sub-parser (attributes, templates, date formats) that
 * does not know which rule line it is reading; the rule parser turns it into
 * a TagRuleError that names the line.
 */
export class RuleSyntaxProblem extends ImageshipError {
  constructor(problem: string) {
    super(problem);
    this.name = 'RuleSyntaxProblem';
  }
}

/** Builds the one-line message every rule error shares: `tags: rule `…`: problem`. */
export function ruleError(line: string, problem: string): TagRuleError {
  return new TagRuleError(line, `tags: rule \`${line}\`: ${problem}`);
}
