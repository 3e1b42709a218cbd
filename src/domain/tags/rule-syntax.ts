import { RuleSyntaxProblem } from './errors.js';
import { compileTemplate, type Template } from './templates.js';

/** One rule line read as CSV fields: `key=value` attributes, and fields without `=`. */
export interface SplitLine {
  /** Attributes by key, keys lower-cased (as metadata-action reads them). */
  attributes: Map<string, string>;
  /** Fields without `=` (metadata-action takes such a field as `value=`). */
  bare: string[];
}

/**
 * Splits one rule line into its attributes. Commas separate fields; a field
 * wrapped in `"` may contain commas (`""` is a literal quote), and commas or
 * quotes inside `{{ … }}` never split, so `{{date "YYYY,MM"}}` works unquoted.
 * The key is everything before the first `=`, trimmed and lower-cased.
 */
export function splitAttributes(line: string): SplitLine {
  const attributes = new Map<string, string>();
  const bare: string[] = [];
  for (const field of splitFields(line)) {
    const text = field.trim();
    if (text === '') {
      throw new RuleSyntaxProblem('has an empty attribute (a stray comma?); remove it');
    }
    const equals = text.indexOf('=');
    if (equals === -1) {
      bare.push(text);
      continue;
    }
    const key = text.slice(0, equals).trim().toLowerCase();
    if (key === '') {
      throw new RuleSyntaxProblem(`attribute \`${text}\` has no key before \`=\``);
    }
    if (attributes.has(key)) {
      throw new RuleSyntaxProblem(`attribute \`${key}\` is given twice; keep one`);
    }
    attributes.set(key, text.slice(equals + 1).trim());
  }
  return { attributes, bare };
}

function splitFields(line: string): string[] {
  const fields: string[] = [];
  let current = '';
  let quoted = false;
  let index = 0;
  while (index < line.length) {
    if (line.startsWith('{{', index)) {
      const close = line.indexOf('}}', index + 2);
      const end = close === -1 ? line.length : close + 2;
      current += line.slice(index, end);
      index = end;
      continue;
    }
    const char = line.charAt(index);
    if (char === '"') {
      if (quoted && line.charAt(index + 1) === '"') {
        current += '"';
        index += 2;
        continue;
      }
      quoted = !quoted;
    } else if (char === ',' && !quoted) {
      fields.push(current);
      current = '';
    } else {
      current += char;
    }
    index += 1;
  }
  if (quoted) {
    throw new RuleSyntaxProblem('has a `"` that is never closed; close the quoted value');
  }
  fields.push(current);
  return fields;
}

/** Read access to a rule's attributes with the checks every rule type needs. */
export class RuleAttributes {
  constructor(
    readonly type: string,
    private readonly entries: ReadonlyMap<string, string>,
  ) {}

  get(key: string): string | undefined {
    return this.entries.get(key);
  }

  require(key: string, example: string): string {
    const value = this.entries.get(key);
    if (value === undefined) {
      throw new RuleSyntaxProblem(`type=${this.type} needs \`${key}=\`, e.g. \`${example}\``);
    }
    return value;
  }

  /** One of a fixed set of values, `fallback` when the key is absent. */
  choice<T extends string>(key: string, allowed: readonly T[], fallback: T | undefined): T {
    const value = this.entries.get(key);
    if (value === undefined && fallback !== undefined) return fallback;
    if (value !== undefined && (allowed as readonly string[]).includes(value)) return value as T;
    const options = allowed.map((option) => `\`${key}=${option}\``).join(', ');
    const what = value === undefined ? `needs \`${key}=\`` : `has unknown ${key} \`${value}\``;
    throw new RuleSyntaxProblem(`type=${this.type} ${what}; use ${options}`);
  }

  template(key: string, names: readonly string[]): Template | undefined {
    const value = this.entries.get(key);
    return value === undefined ? undefined : compileTemplate(value, names);
  }

  requireTemplate(key: string, names: readonly string[], example: string): Template {
    return compileTemplate(this.require(key, example), names);
  }
}
