import { compileDateFormat, formatDate, type DateFormatPart } from './date-format.js';
import { RuleSyntaxProblem } from './errors.js';

/** Placeholders every value, prefix, suffix and enable attribute may use. */
export const SOURCE_TEMPLATE_NAMES = ['branch', 'tag', 'sha', 'short_sha', 'run_number', 'is_default_branch'] as const;
/** Extra placeholders only a `type=semver` pattern may use. */
export const SEMVER_TEMPLATE_NAMES = ['version', 'major', 'minor', 'patch', 'raw'] as const;

export type TemplatePart =
  | { kind: 'text'; text: string }
  | { kind: 'name'; name: string }
  | { kind: 'date'; format: readonly DateFormatPart[] };

/**
 * A template compiled when the rules are parsed, so an unknown placeholder or
 * a bad date format is reported before any side effect, and expanding it later
 * cannot fail.
 */
export interface Template {
  readonly text: string;
  readonly parts: readonly TemplatePart[];
}

export type TemplateValues = Readonly<Record<string, string>>;

/** Compiles `text`, allowing `{{name}}` for the given names and `{{date '…'}}`. */
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
    const close = text.indexOf('}}', open + 2);
    if (close === -1) {
      throw new RuleSyntaxProblem(`template \`${text.slice(open)}\` is not closed; end it with \`}}\``);
    }
    parts.push(compileExpression(text.slice(open + 2, close).trim(), names));
    index = close + 2;
  }
  return { text, parts };
}

export function expandTemplate(template: Template, values: TemplateValues, now: Date): string {
  return template.parts
    .map((part) => {
      switch (part.kind) {
        case 'text':
          return part.text;
        case 'name':
          return values[part.name] ?? '';
        case 'date':
          return formatDate(part.format, now);
      }
    })
    .join('');
}

export function templateUses(template: Template, name: string): boolean {
  return template.parts.some((part) => part.kind === 'name' && part.name === name);
}

function compileExpression(expression: string, names: readonly string[]): TemplatePart {
  if (expression === 'date' || expression.startsWith('date ')) {
    const quoted = /^date\s+(?:'([^']*)'|"([^"]*)")$/.exec(expression);
    if (quoted === null) {
      throw new RuleSyntaxProblem(`template \`{{${expression}}}\` needs a quoted format, e.g. {{date 'YYYYMMDD-HHmmss'}}`);
    }
    return { kind: 'date', format: compileDateFormat(quoted[1] ?? quoted[2] ?? '') };
  }
  if (names.includes(expression)) return { kind: 'name', name: expression };
  const known = [...names.map((name) => `{{${name}}}`), "{{date 'YYYYMMDD'}}"].join(', ');
  throw new RuleSyntaxProblem(`unknown template \`{{${expression}}}\`; known templates: ${known}`);
}
