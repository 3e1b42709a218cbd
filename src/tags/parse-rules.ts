import { ruleError, RuleSyntaxProblem, TagRuleError } from './errors.js';
import { parseFixedRule } from './rules/fixed.js';
import { MATCH_KEYS, parseMatchRule } from './rules/match.js';
import { parseRawRule, RAW_KEYS } from './rules/raw.js';
import { parseRefRule, REF_KEYS } from './rules/ref.js';
import { parseSemverRule, SEMVER_KEYS } from './rules/semver.js';
import { parseShaRule, SHA_KEYS } from './rules/sha.js';
import type { RuleCommon, TagRule } from './rules/types.js';
import { RuleAttributes, splitAttributes } from './rule-syntax.js';
import { SOURCE_TEMPLATE_NAMES, type Template } from './templates.js';

/** Attributes every rule type accepts. */
const COMMON_KEYS = ['type', 'prefix', 'suffix', 'enable'] as const;

interface RuleKind {
  keys: readonly string[];
  parse(common: RuleCommon, attributes: RuleAttributes): TagRule;
}

const RULE_KINDS: Readonly<Record<string, RuleKind>> = {
  sha: { keys: SHA_KEYS, parse: parseShaRule },
  ref: { keys: REF_KEYS, parse: parseRefRule },
  semver: { keys: SEMVER_KEYS, parse: parseSemverRule },
  match: { keys: MATCH_KEYS, parse: parseMatchRule },
  raw: { keys: RAW_KEYS, parse: parseRawRule },
};

export interface ParsedRules {
  rules: TagRule[];
  /** One error per bad line, in line order. */
  errors: TagRuleError[];
}

/**
 * Reads the `tags` input: one rule per line, blank lines and `#` comments
 * skipped. Every line is checked, so a user sees all mistakes at once.
 */
export function parseRuleLines(text: string): ParsedRules {
  const rules: TagRule[] = [];
  const errors: TagRuleError[] = [];
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) continue;
    try {
      rules.push(parseRuleLine(line));
    } catch (error) {
      if (!(error instanceof RuleSyntaxProblem)) throw error;
      errors.push(ruleError(line, error.message));
    }
  }
  return { rules, errors };
}

function parseRuleLine(line: string): TagRule {
  // A fixed tag never contains `=`, so `=` is what marks a line of attributes.
  if (!line.includes('=')) return parseFixedRule(line);
  const entries = splitAttributes(line);
  const type = entries.get('type');
  const knownTypes = Object.keys(RULE_KINDS).join(', ');
  if (type === undefined) {
    throw new RuleSyntaxProblem(`has attributes but no \`type=\`; add one of type=${knownTypes}, e.g. \`type=raw,value=latest\``);
  }
  const kind = RULE_KINDS[type];
  if (kind === undefined) {
    throw new RuleSyntaxProblem(`has unknown type \`${type}\`; use one of ${knownTypes}`);
  }
  const allowed = [...COMMON_KEYS, ...kind.keys];
  for (const key of entries.keys()) {
    if (!allowed.includes(key)) {
      throw new RuleSyntaxProblem(`has unknown attribute \`${key}\` for type=${type}; allowed: ${allowed.join(', ')}`);
    }
  }
  const attributes = new RuleAttributes(type, entries);
  const common: RuleCommon = {
    line,
    prefix: attributes.template('prefix', SOURCE_TEMPLATE_NAMES),
    suffix: attributes.template('suffix', SOURCE_TEMPLATE_NAMES),
    enable: parseEnable(attributes),
  };
  return kind.parse(common, attributes);
}

/** A literal enable value is checked now; one with templates can only be checked per build. */
function parseEnable(attributes: RuleAttributes): Template | undefined {
  const enable = attributes.template('enable', SOURCE_TEMPLATE_NAMES);
  if (enable === undefined) return undefined;
  const literal = enable.parts.every((part) => part.kind === 'text');
  if (literal && !isBooleanText(enable.text)) {
    throw new RuleSyntaxProblem(enableProblem(enable.text));
  }
  return enable;
}

export function isBooleanText(text: string): boolean {
  return text === 'true' || text === 'false';
}

export function enableProblem(value: string): string {
  return `enable must be \`true\` or \`false\` but is \`${value}\`; use enable=true, enable=false or a template such as enable={{is_default_branch}}`;
}
