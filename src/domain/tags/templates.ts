import { checkTimeZone, compileDateFormat, formatDate, type DateFormatPart } from './date-format.js';
import { RuleSyntaxProblem } from './errors.js';

/**
 * docker/metadata-action's "global expressions", usable in every value,
 * prefix, suffix and enable attribute, in the flavor, and in labels and
 * annotations; plus imageship's `{{short_sha}}` and `{{run_number}}`.
 */
export const SOURCE_TEMPLATE_NAMES = [
  'branch',
  'tag',
  'sha',
  'base_ref',
  'is_default_branch',
  'is_not_default_branch',
  'short_sha',
  'run_number',
] as const;
/** Extra placeholders only a `type=semver` or `type=pep440` pattern may use. */
export const VERSION_TEMPLATE_NAMES = ['version', 'major', 'minor', 'patch', 'raw'] as const;

/** The two date helpers: the clock (`date`) and the commit's date (`commit_date`). */
export type DateSource = 'date' | 'commit_date';

export type TemplatePart =
  | { kind: 'text'; text: string }
  | { kind: 'name'; name: string }
  | { kind: 'date'; source: DateSource; format: readonly DateFormatPart[]; timeZone: string };

/**
 * A template compiled when the inputs are parsed, so an unknown placeholder,
 * a bad date format or an unknown time zone is reported before any side
 * effect, and expanding it later cannot fail.
 */
export interface Template {
  readonly text: string;
  readonly parts: readonly TemplatePart[];
}

export type TemplateValues = Readonly<Record<string, string>>;

/** Everything a template may read for one build. */
export interface TemplateContext {
  readonly values: TemplateValues;
  /** `{{date}}`: the run's clock (SOURCE_DATE_EPOCH when set). */
  readonly now: Date;
  /** `{{commit_date}}`: the commit's date, else the run's clock. */
  readonly commitDate: Date;
}

/**
 * Compiles `text` (Handlebars syntax as metadata-action takes it): `{{name}}`
 * (also `{{{name}}}` and with spaces inside the braces) for the given names,
 * `{{date 'FORMAT'}}` and `{{commit_date 'FORMAT'}}` with an optional
 * `tz='Zone'`. Unlike Handlebars, an unknown name is an error rather than
 * nothing, and values are not HTML-escaped.
 */
export function compileTemplate(text: string, names: readonly string[]): Template {
  const parts: TemplatePart[] = [];
  let index = 0;
  while (index < text.length) {
    const open = text.indexOf('{{', index);
    if (open === -1) {
      parts.push({ kind: 'text', text: text.slice(index) });
      break;
    }
    if (open > index) parts.push({ kind: 'text', text: text.slice(index, open) });
    const triple = text.startsWith('{{{', open);
    const closing = triple ? '}}}' : '}}';
    const close = text.indexOf(closing, open + closing.length);
    if (close === -1) {
      throw new RuleSyntaxProblem(`template \`${text.slice(open)}\` is not closed; end it with \`${closing}\``);
    }
    parts.push(compileExpression(text.slice(open + closing.length, close).trim(), names));
    index = close + closing.length;
  }
  return { text, parts };
}

export function expandTemplate(template: Template, context: TemplateContext): string {
  return template.parts
    .map((part) => {
      switch (part.kind) {
        case 'text':
          return part.text;
        case 'name':
          return context.values[part.name] ?? '';
        case 'date':
          return formatDate(part.format, part.source === 'date' ? context.now : context.commitDate, part.timeZone);
      }
    })
    .join('');
}

export function templateUses(template: Template, name: string): boolean {
  return template.parts.some((part) => part.kind === 'name' && part.name === name);
}

/** True when the template is exactly one placeholder, e.g. `{{raw}}` (what metadata-action calls a raw statement). */
export function isSinglePlaceholder(template: Template, name: string): boolean {
  const [only, ...rest] = template.parts;
  return rest.length === 0 && only?.kind === 'name' && only.name === name;
}

/** A template without any placeholder: its text is its value. */
export function isLiteral(template: Template): boolean {
  return template.parts.every((part) => part.kind === 'text');
}

const DATE_EXPRESSION = /^(date|commit_date)(?:\s+(.*))?$/s;
const QUOTED = /^(?:'([^']*)'|"([^"]*)")/;
const HASH_ARGUMENT = /^([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(?:'([^']*)'|"([^"]*)")/;

function compileExpression(expression: string, names: readonly string[]): TemplatePart {
  const date = DATE_EXPRESSION.exec(expression);
  if (date) return compileDateExpression(date[1] as DateSource, (date[2] ?? '').trim(), expression);
  if (names.includes(expression)) return { kind: 'name', name: expression };
  const known = [...names.map((name) => `{{${name}}}`), "{{date 'YYYYMMDD'}}", "{{commit_date 'YYYYMMDD'}}"].join(', ');
  throw new RuleSyntaxProblem(`unknown template \`{{${expression}}}\`; known templates: ${known}`);
}

/** `date 'FORMAT' tz='Zone'`: one quoted format, then optional `key='value'` arguments (only tz). */
function compileDateExpression(source: DateSource, rest: string, expression: string): TemplatePart {
  const format = QUOTED.exec(rest);
  if (format === null) {
    throw new RuleSyntaxProblem(`template \`{{${expression}}}\` needs a quoted format, e.g. {{${source} 'YYYYMMDD-HHmmss'}}`);
  }
  let timeZone = 'UTC';
  let remaining = rest.slice(format[0].length).trim();
  while (remaining !== '') {
    const argument = HASH_ARGUMENT.exec(remaining);
    if (argument === null) {
      throw new RuleSyntaxProblem(`template \`{{${expression}}}\` has \`${remaining}\` after the format; the only argument is tz='Zone', e.g. {{${source} 'YYYYMMDD' tz='Asia/Shanghai'}}`);
    }
    if (argument[1] !== 'tz') {
      throw new RuleSyntaxProblem(`template \`{{${expression}}}\` has unknown argument \`${argument[1]}\`; the only argument is tz='Zone'`);
    }
    timeZone = argument[2] ?? argument[3] ?? '';
    checkTimeZone(timeZone, expression);
    remaining = remaining.slice(argument[0].length).trim();
  }
  return { kind: 'date', source, format: compileDateFormat(format[1] ?? format[2] ?? '', expression), timeZone };
}
