/**
 * The `tags` input's problems, in the user's syntax. The one mistake the tag
 * rules cannot explain on their own is several rules on one line
 * (`--tags 'latest,type=sha'`, `tags: latest,type=sha`): read as one rule,
 * `latest` looks like an attribute without a key, and the rule parser would
 * suggest `value=latest`. Such a line is named here instead, with the fix.
 */
import { parseTagRules, type TagRule } from '../domain/tags/index.js';
import { setting, type InputSyntax } from '../domain/input-syntax.js';

/** Returns the parsed rules (the run computes its tags from them, so they are parsed once). */
export function checkTagRules(raw: string, syntax: InputSyntax, problems: string[]): TagRule[] {
  const singleRuleLines: string[] = [];
  for (const rawLine of raw.split(/\r?\n/)) {
    const rules = rulesOnOneLine(rawLine.trim());
    if (rules) problems.push(severalRulesProblem(rawLine.trim(), rules, syntax));
    else singleRuleLines.push(rawLine);
  }
  const parsed = parseTagRules(singleRuleLines.join('\n'));
  for (const problem of parsed.errors) problems.push(problem.startsWith('tags:') ? problem : `tags: ${problem}`);
  return parsed.rules;
}

/**
 * The rules a bad line holds when it is really several rules joined by
 * commas: each starts at a bare tag (`latest`) or at `type=`. Undefined when
 * the line is fine as it is, or is not valid when split either.
 */
function rulesOnOneLine(line: string): string[] | undefined {
  if (line === '' || line.startsWith('#') || !line.includes(',')) return undefined;
  if (parseTagRules(line).errors.length === 0) return undefined;
  const rules: string[] = [];
  for (const field of line.split(',').map((part) => part.trim())) {
    const startsRule = field.startsWith('type=') || /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(field);
    if (startsRule || rules.length === 0) rules.push(field);
    else rules[rules.length - 1] += `,${field}`;
  }
  if (rules.length < 2 || parseTagRules(rules.join('\n')).errors.length > 0) return undefined;
  return rules;
}

function severalRulesProblem(line: string, rules: readonly string[], syntax: InputSyntax): string {
  const fix =
    syntax === 'cli'
      ? rules.map((rule) => setting('cli', 'tags', rule)).join(' ')
      : `tags: | with ${rules.slice(0, -1).join(', ')} and ${rules.at(-1)} on lines of their own`;
  return `tags: "${line}" holds ${rules.length} rules on one line: give one rule per line: ${fix}`;
}
