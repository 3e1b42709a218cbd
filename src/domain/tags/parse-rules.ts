import { ruleError, RuleSyntaxProblem, TagRuleError } from './errors.js';
import { parseFixedRule } from './rules/fixed.js';
import { EDGE_KEYS, parseEdgeRule } from './rules/edge.js';
import { MATCH_KEYS, parseMatchRule } from './rules/match.js';
import { parseRawRule, RAW_KEYS } from './rules/raw.js';
import { parseRefRule, REF_KEYS } from './rules/ref.js';
import { parseScheduleRule, SCHEDULE_KEYS } from './rules/schedule.js';
import { parseShaRule, SHA_KEYS } from './rules/sha.js';
import type { RuleCommon, TagRule } from './rules/types.js';
import { parseVersionRule, VERSION_KEYS } from './rules/version.js';
import { RuleAttributes, splitAttributes } from './rule-syntax.js';
import { isLiteral, SOURCE_TEMPLATE_NAMES, type Template } from './templates.js';

/** Attributes every rule type accepts. */
const COMMON_KEYS = ['type', 'prefix', 'suffix', 'enable', 'priority'] as const;

/** docker/metadata-action's rules when `tags` is empty. */
export const DEFAULT_TAG_RULES = ['type=schedule', 'type=ref,event=branch', 'type=ref,event=tag', 'type=ref,event=pr'].join('\n');

interface RuleKind {
  keys: readonly string[];
  /** metadata-action's default priority for the type. */
  priority: number;
  parse(common: RuleCommon, attributes: RuleAttributes): TagRule;
}

const RULE_KINDS: Readonly<Record<string, RuleKind>> = {
  schedule: { keys: SCHEDULE_KEYS, priority: 1000, parse: parseScheduleRule },
  semver: { keys: VERSION_KEYS, priority: 900, parse: parseVersionRule('semver') },
  pep440: { keys: VERSION_KEYS, priority: 900, parse: parseVersionRule('pep440') },
  match: { keys: MATCH_KEYS, priority: 800, parse: parseMatchRule },
  edge: { keys: EDGE_KEYS, priority: 700, parse: parseEdgeRule },
  ref: { keys: REF_KEYS, priority: 600, parse: parseRefRule },
  raw: { keys: RAW_KEYS, priority: 200, parse: parseRawRule },
  sha: { keys: SHA_KEYS, priority: 100, parse: parseShaRule },
};
/** A line without attributes is `type=raw`. */
const FIXED_PRIORITY = 200;

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
  // A tag never contains `=`, so `=` is what marks a line of attributes.
  if (!line.includes('=')) return parseFixedRule(line, FIXED_PRIORITY);
  const { attributes: entries, bare } = splitAttributes(line);
  const type = entries.get('type') ?? 'raw';
  const knownTypes = Object.keys(RULE_KINDS).join(', ');
  const kind = RULE_KINDS[type];
  if (kind === undefined) {
    throw new RuleSyntaxProblem(`has unknown type \`${type}\`; use one of ${knownTypes}`);
  }
  // A field without `=` is the value (`type=raw,foo`), for the types that take one.
  for (const field of bare) {
    if (!kind.keys.includes('value')) {
      throw new RuleSyntaxProblem(`attribute \`${field}\` is not key=value; write it as e.g. \`value=${field}\``);
    }
    if (entries.has('value')) throw new RuleSyntaxProblem('attribute `value` is given twice; keep one');
    entries.set('value', field);
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
    priority: parsePriority(attributes.get('priority'), kind.priority),
    prefix: attributes.template('prefix', SOURCE_TEMPLATE_NAMES),
    suffix: attributes.template('suffix', SOURCE_TEMPLATE_NAMES),
    enable: parseEnable(attributes),
  };
  return kind.parse(common, attributes);
}

function parsePriority(text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  if (!/^-?\d{1,15}$/.test(text)) {
    throw new RuleSyntaxProblem(`priority must be a whole number but is \`${text}\`; higher comes first (defaults: schedule 1000, semver/pep440 900, match 800, edge 700, ref 600, raw 200, sha 100)`);
  }
  return Number(text);
}

/** A literal enable value is checked now; one with templates can only be checked per build. */
function parseEnable(attributes: RuleAttributes): Template | undefined {
  const enable = attributes.template('enable', SOURCE_TEMPLATE_NAMES);
  if (enable === undefined) return undefined;
  if (isLiteral(enable) && !isBooleanText(enable.text)) {
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
