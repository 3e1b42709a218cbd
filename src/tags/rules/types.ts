import type { SourceContext } from '../../source/context.js';
import type { Template, TemplateValues } from '../templates.js';

/** What every rule carries, whatever its type. */
export interface RuleCommon {
  /** The rule exactly as written (trimmed), for error messages. */
  line: string;
  /** undefined means "the type's default prefix"; an explicit `prefix=` (even empty) overrides it. */
  prefix: Template | undefined;
  suffix: Template | undefined;
  /** Expands to `true` or `false`; undefined means always enabled. */
  enable: Template | undefined;
}

/** A line without `type=`: a tag such as `latest`, or a full reference `host/ns/repo:tag`. */
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

export interface SemverRule extends RuleCommon {
  type: 'semver';
  pattern: Template;
  /** Replaces the git tag as the text parsed as a version. */
  value: Template | undefined;
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

export type TagRule = FixedRule | ShaRule | RefRule | SemverRule | MatchRule | RawRule;

/** Everything a rule may read when it is evaluated for one build. */
export interface RuleInputs {
  source: SourceContext;
  now: Date;
  /** The source templates (`branch`, `sha`, …) already resolved for this build. */
  values: TemplateValues;
}
