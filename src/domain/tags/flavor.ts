import { RuleSyntaxProblem } from './errors.js';
import { splitAttributes } from './rule-syntax.js';
import { compileTemplate, SOURCE_TEMPLATE_NAMES, type Template } from './templates.js';

/**
 * docker/metadata-action's `flavor` input: the global behaviour of the tags.
 *
 * - `latest=auto|true|false`: `auto` adds `latest` when the first tag (by
 *   priority) comes from a release (`type=ref,event=tag`, a semver or pep440
 *   release, `type=match`); `true` whenever there is a tag; `false` never.
 * - `prefix=…` / `suffix=…`: added to every tag whose rule sets no prefix
 *   (suffix) of its own; with `onlatest=true` on the same line also to `latest`.
 */
export interface Flavor {
  readonly latest: 'auto' | 'true' | 'false';
  readonly prefix: Template | undefined;
  readonly prefixOnLatest: boolean;
  readonly suffix: Template | undefined;
  readonly suffixOnLatest: boolean;
}

export const DEFAULT_FLAVOR: Flavor = Object.freeze({ latest: 'auto', prefix: undefined, prefixOnLatest: false, suffix: undefined, suffixOnLatest: false });

const FLAVOR_KEYS = ['latest', 'prefix', 'suffix', 'onlatest'];

/** Reads the `flavor` input (one or more lines of `key=value` attributes); errors are one line each, naming the line. */
export function parseFlavor(text: string): { flavor: Flavor; errors: string[] } {
  let flavor: Flavor = DEFAULT_FLAVOR;
  const errors: string[] = [];
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) continue;
    try {
      flavor = applyLine(flavor, line);
    } catch (error) {
      if (!(error instanceof RuleSyntaxProblem)) throw error;
      errors.push(`flavor: \`${line}\`: ${error.message}`);
    }
  }
  return { flavor, errors };
}

function applyLine(flavor: Flavor, line: string): Flavor {
  const { attributes, bare } = splitAttributes(line);
  if (bare.length > 0) {
    throw new RuleSyntaxProblem(`\`${bare[0]}\` is not key=value; write latest=auto|true|false, prefix=…, suffix=… (with onlatest=true|false)`);
  }
  const next = { ...flavor };
  // onlatest belongs to the prefix or suffix before it on the same line.
  let onLatestFor: 'prefix' | 'suffix' | undefined;
  for (const [key, value] of attributes) {
    switch (key) {
      case 'latest':
        if (value !== 'auto' && value !== 'true' && value !== 'false') throw new RuleSyntaxProblem(`latest must be auto, true or false but is \`${value}\``);
        next.latest = value;
        break;
      case 'prefix':
      case 'suffix':
        next[key] = value === '' ? undefined : compileTemplate(value, SOURCE_TEMPLATE_NAMES);
        onLatestFor = key;
        break;
      case 'onlatest':
        if (value !== 'true' && value !== 'false') throw new RuleSyntaxProblem(`onlatest must be true or false but is \`${value}\``);
        if (onLatestFor === undefined) throw new RuleSyntaxProblem('onlatest= belongs after prefix= or suffix= on the same line, e.g. `suffix=-alpine,onlatest=true`');
        next[onLatestFor === 'prefix' ? 'prefixOnLatest' : 'suffixOnLatest'] = value === 'true';
        break;
      default:
        throw new RuleSyntaxProblem(`unknown key \`${key}\`; use ${FLAVOR_KEYS.join(', ')}`);
    }
  }
  return next;
}
