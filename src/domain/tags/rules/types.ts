import type { SourceContext } from '../../source-context.js';
import type { Template, TemplateContext } from '../templates.js';

/** What every rule carries, whatever its type. */
export interface RuleCommon {
  /** The rule exactly as written (trimmed), for error messages. */
  line: string;
  /** Higher first; equal priorities keep the input order. Each type has metadata-action's default. */
  priority: number;
  /** The rule's own prefix; undefined means "the type's default prefix, else the flavor's". An explicit `prefix=` (even empty) overrides both. */
  prefix: Template | undefined;
  suffix: Template | undefined;
  /** Expands to `true` or `false`; undefined means always enabled. */
  enable: Template | undefined;
}

/** A line without `type=`: a tag such as `latest`, or a full reference `host/ns/repo:tag`. Behaves as `type=raw`. */
export interface FixedRule extends RuleCommon {
  type: 'fixed';
  value: Template;
  /** Set when the line was a full reference: it must name the destination repository. */
  repository: string | undefined;
}

export interface ShaRule extends RuleCommon {
  type: 'sha';
  format: 'short' | 'long';
}

export interface RefRule extends RuleCommon {
  type: 'ref';
  event: 'branch' | 'tag' | 'pr';
}

/** `type=semver` and `type=pep440` share their shape; only the version grammar differs. */
export interface VersionRule extends RuleCommon {
  type: 'semver' | 'pep440';
  pattern: Template;
  /** Replaces the git tag as the text parsed as a version. */
  value: Template | undefined;
  /** Applied to the text first: its group 1 is the version (`match=v(\d.\d.\d)$`). */
  match: RegExp | undefined;
}

export interface MatchRule extends RuleCommon {
  type: 'match';
  pattern: RegExp;
  group: number;
  source: 'tag' | 'branch';
  /** Replaces the tag or branch as the text the pattern runs on. */
  value: Template | undefined;
}

export interface RawRule extends RuleCommon {
  type: 'raw';
  value: Template;
}

export interface ScheduleRule extends RuleCommon {
  type: 'schedule';
  pattern: Template;
}

export interface EdgeRule extends RuleCommon {
  type: 'edge';
  /** The branch that gets `edge`; undefined = the default branch. */
  branch: string | undefined;
}

export type TagRule = FixedRule | ShaRule | RefRule | VersionRule | MatchRule | RawRule | ScheduleRule | EdgeRule;

/** Everything a rule may read when it is evaluated for one build. */
export interface RuleInputs {
  source: SourceContext;
  /** The global expressions already resolved for this build, and the clocks. */
  context: TemplateContext;
  shortShaLength: number;
}

/**
 * What a rule gives for one build, before prefix and suffix: the value, and
 * whether it comes from a release (what `latest=auto` follows). undefined:
 * the rule does not apply; `note` says why when that may surprise the user.
 */
export type RuleResult = { value: string; release: boolean } | { value: undefined; note?: string };

export const NO_TAG: RuleResult = Object.freeze({ value: undefined });
