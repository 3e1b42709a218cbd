import type { SourceContext } from '../source/context.js';
import { ruleError, type TagRuleError } from './errors.js';
import { enableProblem, isBooleanText, parseRuleLines } from './parse-rules.js';
import { fixedValue } from './rules/fixed.js';
import { matchValue } from './rules/match.js';
import { rawValue } from './rules/raw.js';
import { PR_DEFAULT_PREFIX, refValue } from './rules/ref.js';
import { semverValue } from './rules/semver.js';
import { SHA_DEFAULT_PREFIX, shaValue } from './rules/sha.js';
import type { RuleInputs, TagRule } from './rules/types.js';
import { sanitizeTag } from './sanitize.js';
import { sourceTemplateValues } from './source-values.js';
import { expandTemplate, templateUses, type Template } from './templates.js';

export interface TagRulesInput {
  /** The `tags` input, one rule per line. */
  rules: string;
  /** Full repository, lowercase, e.g. `swr.cn-north-4.myhuaweicloud.com/my-org/my-app`. */
  destination: string;
}

export interface ComputedTags {
  /** Bare tags, de-duplicated, in rule order. */
  tags: string[];
  /** For the OCI version label: first semver `{{version}}` tag, else the first tag, else ''. */
  version: string;
  /**
   * Tags the user wrote out (fixed and `type=raw` rules) that had to be
   * rewritten to be valid Docker tags (`v1.0+build` → `v1.0-build`): what was
   * written and what is pushed, so the log can say so.
   */
  rewritten: TagRewrite[];
}

export interface TagRewrite {
  /** The tag as the rule gave it (templates expanded). */
  written: string;
  /** The tag pushed instead. */
  pushed: string;
}

/**
 * Turns the rules into the tags for this build. Pure: the same rules, source
 * and clock always give the same tags, on any CI.
 */
export function computeTags(input: TagRulesInput, source: SourceContext, now: Date): ComputedTags {
  const { rules, errors } = parseRuleLines(input.rules);
  const firstError = errors[0] ?? rules.map((rule) => referenceError(rule, input.destination)).find(Boolean);
  if (firstError !== undefined) throw firstError;

  const inputs: RuleInputs = { source, now, values: sourceTemplateValues(source) };
  const tags: string[] = [];
  const rewritten: TagRewrite[] = [];
  let semverVersion = '';
  for (const rule of rules) {
    const { tag, written } = tagFor(rule, inputs);
    if (tag === '') continue;
    if ((rule.type === 'fixed' || rule.type === 'raw') && written !== tag && !rewritten.some((r) => r.written === written)) {
      rewritten.push({ written, pushed: tag });
    }
    if (semverVersion === '' && rule.type === 'semver' && templateUses(rule.pattern, 'version')) {
      semverVersion = tag;
    }
    if (!tags.includes(tag)) tags.push(tag);
  }
  if (tags.length === 0) throw new Error(noTagMessage(source));
  return { tags, version: semverVersion || (tags[0] ?? ''), rewritten };
}

/** The rule's one tag for this build ('' when it does not apply) and the text it was made from. */
function tagFor(rule: TagRule, inputs: RuleInputs): { tag: string; written: string } {
  if (!isEnabled(rule, inputs)) return { tag: '', written: '' };
  const value = ruleValue(rule, inputs);
  // An empty value means "does not apply"; a prefix alone (`sha-`) is not a tag.
  if (value === '') return { tag: '', written: '' };
  const prefix = expandOr(rule.prefix, defaultPrefix(rule), inputs);
  const suffix = expandOr(rule.suffix, '', inputs);
  const written = `${prefix}${value}${suffix}`;
  return { tag: sanitizeTag(written), written };
}

function ruleValue(rule: TagRule, inputs: RuleInputs): string {
  switch (rule.type) {
    case 'fixed':
      return fixedValue(rule, inputs);
    case 'sha':
      return shaValue(rule, inputs);
    case 'ref':
      return refValue(rule, inputs);
    case 'semver':
      return semverValue(rule, inputs);
    case 'match':
      return matchValue(rule, inputs);
    case 'raw':
      return rawValue(rule, inputs);
  }
}

function defaultPrefix(rule: TagRule): string {
  if (rule.type === 'sha') return SHA_DEFAULT_PREFIX;
  if (rule.type === 'ref' && rule.event === 'pr') return PR_DEFAULT_PREFIX;
  return '';
}

function isEnabled(rule: TagRule, inputs: RuleInputs): boolean {
  if (rule.enable === undefined) return true;
  const value = expandTemplate(rule.enable, inputs.values, inputs.now).trim();
  if (!isBooleanText(value)) throw ruleError(rule.line, enableProblem(value));
  return value === 'true';
}

function expandOr(template: Template | undefined, fallback: string, inputs: RuleInputs): string {
  return template === undefined ? fallback : expandTemplate(template, inputs.values, inputs.now);
}

/** A full reference is only accepted for the repository being pushed, never silently re-targeted. */
function referenceError(rule: TagRule, destination: string): TagRuleError | undefined {
  if (rule.type !== 'fixed' || rule.repository === undefined) return undefined;
  if (rule.repository.toLowerCase() === destination.toLowerCase()) return undefined;
  return ruleError(
    rule.line,
    `names repository \`${rule.repository}\` but this action pushes to \`${destination}\`; give only the tag, or a reference to \`${destination}\``,
  );
}

function noTagMessage(source: SourceContext): string {
  const build = `event ${source.event}, ref ${source.ref || 'unknown'}`;
  const suggestion: Record<SourceContext['event'], string> = {
    branch: 'branch builds, e.g. `type=ref,event=branch`',
    tag: 'tag builds, e.g. `type=ref,event=tag`',
    pr: 'pull requests, e.g. `type=ref,event=pr`',
    other: 'every build, e.g. `type=raw,value={{run_number}}`',
  };
  return `tags: no tag applies to this build (${build}): add a fixed tag such as \`latest\`, or a rule that applies to ${suggestion[source.event]}`;
}
