import type { SourceContext } from '../source-context.js';
import { ruleError, type TagRuleError } from './errors.js';
import { DEFAULT_FLAVOR, type Flavor } from './flavor.js';
import { DEFAULT_TAG_RULES, enableProblem, isBooleanText, parseRuleLines } from './parse-rules.js';
import { edgeValue } from './rules/edge.js';
import { fixedValue } from './rules/fixed.js';
import { matchValue } from './rules/match.js';
import { rawValue } from './rules/raw.js';
import { PR_DEFAULT_PREFIX, refValue } from './rules/ref.js';
import { scheduleValue } from './rules/schedule.js';
import { SHA_DEFAULT_PREFIX, shaValue } from './rules/sha.js';
import type { RuleInputs, RuleResult, TagRule } from './rules/types.js';
import { versionValue } from './rules/version.js';
import { sanitizeTag } from './sanitize.js';
import { DEFAULT_SHORT_SHA_LENGTH, sourceTemplateValues } from './source-values.js';
import { expandTemplate, type TemplateContext } from './templates.js';

export interface TagRulesInput {
  /**
   * The `tags` input, one rule per line, or the rules parseTagRules gave for it; empty (or only comments) means
   * metadata-action's defaults.
   */
  rules: string | readonly TagRule[];
  /** Full repository, lowercase, e.g. `swr.cn-north-4.myhuaweicloud.com/my-org/my-app`. */
  destination: string;
  /** The `flavor` input, parsed (parseFlavor); default `latest=auto`, no prefix or suffix. */
  flavor?: Flavor;
  /** DOCKER_METADATA_SHORT_SHA_LENGTH; default 7. */
  shortShaLength?: number;
}

/** The clock templates read: `{{date}}` the run's time, `{{commit_date}}` the commit's (the run's time when unknown). */
export interface TagClock {
  now: Date;
  commitDate?: Date;
}

export interface ComputedTags {
  /** Bare tags: the first tag by priority, the others de-duplicated, then `latest` when the flavor adds it. */
  tags: string[];
  /** metadata-action's `version`: the first tag by priority ('' when there is none). */
  version: string;
  /** The tags fixed lines (no `type=`) gave, in order. */
  fixed: string[];
  /** Why a rule that might have been expected to give a tag gave none (not a semver tag, …). */
  notes: string[];
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
 * Turns the rules into the tags for this build, as docker/metadata-action
 * does: rules sorted by priority (input order among equals), the first tag is
 * the version, and `latest` follows the flavor. Pure: the same rules, source
 * and clock always give the same tags, on any CI.
 */
export function computeTags(input: TagRulesInput, source: SourceContext, clock: Date | TagClock): ComputedTags {
  const parsed = typeof input.rules === 'string' ? parseRuleLines(input.rules) : { rules: [...input.rules], errors: [] };
  const { rules, errors } = parsed.rules.length === 0 && parsed.errors.length === 0 ? parseRuleLines(DEFAULT_TAG_RULES) : parsed;
  const firstError = errors[0] ?? rules.map((rule) => referenceError(rule, input.destination)).find(Boolean);
  if (firstError !== undefined) throw firstError;

  const flavor = input.flavor ?? DEFAULT_FLAVOR;
  const shortShaLength = input.shortShaLength ?? DEFAULT_SHORT_SHA_LENGTH;
  const now = clock instanceof Date ? clock : clock.now;
  const context: TemplateContext = {
    values: sourceTemplateValues(source, shortShaLength),
    now,
    commitDate: (clock instanceof Date ? undefined : clock.commitDate) ?? now,
  };
  const inputs: RuleInputs = { source, context, shortShaLength };

  const tags: string[] = [];
  const fixed: string[] = [];
  const notes: string[] = [];
  const rewritten: TagRewrite[] = [];
  let latest: boolean | undefined;
  for (const rule of byPriority(rules)) {
    if (!isEnabled(rule, context)) continue;
    const result = ruleValue(rule, inputs);
    if (result.value === undefined) {
      if (result.note) notes.push(`tags: rule \`${rule.line}\`: ${result.note}`);
      continue;
    }
    // An empty value means "does not apply": a prefix alone (`sha-`, `pr-`) is not a tag.
    if (result.value === '') continue;
    const written = `${prefixOf(rule, flavor, context)}${result.value}${suffixOf(rule, flavor, context)}`;
    const tag = sanitizeTag(written);
    if (tag === '') continue;
    if ((rule.type === 'fixed' || rule.type === 'raw') && written !== tag && !rewritten.some((r) => r.written === written)) rewritten.push({ written, pushed: tag });
    if (rule.type === 'fixed') fixed.push(tag);
    if (!tags.includes(tag)) tags.push(tag);
    // The first tag decides `latest` (metadata-action: the highest-priority one).
    latest ??= flavor.latest === 'auto' ? result.release : flavor.latest === 'true';
  }
  if (tags.length === 0) throw new Error(noTagMessage(source));
  if (latest === true) {
    const prefix = flavor.prefixOnLatest && flavor.prefix ? expandTemplate(flavor.prefix, context) : '';
    const suffix = flavor.suffixOnLatest && flavor.suffix ? expandTemplate(flavor.suffix, context) : '';
    const tag = sanitizeTag(`${prefix}latest${suffix}`);
    if (!tags.includes(tag)) tags.push(tag);
  }
  return { tags, version: tags[0] ?? '', fixed, notes, rewritten };
}

/** Highest priority first; Array.prototype.sort is stable, so equal priorities keep the input order. */
function byPriority(rules: readonly TagRule[]): TagRule[] {
  return [...rules].sort((a, b) => b.priority - a.priority);
}

function ruleValue(rule: TagRule, inputs: RuleInputs): RuleResult {
  switch (rule.type) {
    case 'fixed':
      return fixedValue(rule, inputs);
    case 'raw':
      return rawValue(rule, inputs);
    case 'sha':
      return shaValue(rule, inputs);
    case 'ref':
      return refValue(rule, inputs);
    case 'semver':
    case 'pep440':
      return versionValue(rule, inputs);
    case 'match':
      return matchValue(rule, inputs);
    case 'schedule':
      return scheduleValue(rule, inputs);
    case 'edge':
      return edgeValue(rule, inputs);
  }
}

/** The rule's own prefix, else its type's (`sha-`, `pr-`), else the flavor's. */
function prefixOf(rule: TagRule, flavor: Flavor, context: TemplateContext): string {
  if (rule.prefix !== undefined) return expandTemplate(rule.prefix, context);
  if (rule.type === 'sha') return SHA_DEFAULT_PREFIX;
  if (rule.type === 'ref' && rule.event === 'pr') return PR_DEFAULT_PREFIX;
  return flavor.prefix ? expandTemplate(flavor.prefix, context) : '';
}

function suffixOf(rule: TagRule, flavor: Flavor, context: TemplateContext): string {
  if (rule.suffix !== undefined) return expandTemplate(rule.suffix, context);
  return flavor.suffix ? expandTemplate(flavor.suffix, context) : '';
}

function isEnabled(rule: TagRule, context: TemplateContext): boolean {
  if (rule.enable === undefined) return true;
  const value = expandTemplate(rule.enable, context).trim();
  if (!isBooleanText(value)) throw ruleError(rule.line, enableProblem(value));
  return value === 'true';
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
