/**
 * Renders action.yml and the README's input/output tables from the config
 * schema, so the three can never drift apart. `npm run gen` writes them; a
 * unit test fails when the committed files differ from what this renders.
 */
import { OPTIONS, OUTPUTS, type OptionSpec } from '../../src/config/schema.js';

const quote = (text: string): string => JSON.stringify(text);

/**
 * The runner parses every string of an action's metadata as a template and
 * allows an expression only in an input's `default`: one `${{` in a
 * description makes the whole action fail to load ("expressions are not
 * allowed here" under act, "Unrecognized named-value" on GitHub).
 */
export function refuseExpressions(where: string, text: string): string {
  if (text.includes('${{')) throw new Error(`${where}: contains "\${{", which the runner refuses outside an input default: reword it (write the expression in the README instead)`);
  return text;
}

export function renderActionYml(): string {
  const lines = [
    '# Generated from src/config/schema.ts by `npm run gen`; edit the schema, not this file.',
    'name: imageship',
    'description: "Log in to Huawei Cloud SWR with an AK/SK-derived login (or any registry), build, tag and push, verified by digest."',
    'author: imageship',
    'branding:',
    '  icon: upload-cloud',
    '  color: red',
    'inputs:',
  ];
  for (const option of OPTIONS) {
    lines.push(`  ${option.name}:`);
    lines.push(`    description: ${quote(refuseExpressions(`input ${option.name} description`, plainDescription(option)))}`);
    lines.push('    required: false');
    if (option.default !== undefined) lines.push(`    default: ${quote(option.default)}`);
  }
  lines.push('outputs:');
  for (const output of OUTPUTS) {
    lines.push(`  ${output.name}:`);
    lines.push(`    description: ${quote(refuseExpressions(`output ${output.name} description`, output.description))}`);
  }
  lines.push('runs:', '  using: node24', '  main: dist/index.js', '  post: dist/index.js', '');
  return lines.join('\n');
}

function plainDescription(option: OptionSpec): string {
  const extras: string[] = [];
  if (option.values) extras.push(`One of: ${option.values.join(', ')}.`);
  if (option.secret) extras.push('Secret.');
  return [option.description, ...extras].join(' ');
}

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, '<br>');

export function renderInputsTable(): string {
  const rows = OPTIONS.map((option) => {
    const fallback = option.envFallback?.length ? option.envFallback.map((v) => `\`${v}\``).join(', ') : '';
    const defaultText = option.default === undefined || option.default === '' ? '' : `\`${cell(option.default)}\``;
    return `| \`${option.name}\` | ${option.type}${option.values ? ` (${option.values.join(' \\| ')})` : ''} | ${defaultText} | ${option.secret ? 'yes' : ''} | ${fallback} | ${cell(option.description)} |`;
  });
  return ['| input | type | default | secret | env fallback | description |', '|---|---|---|---|---|---|', ...rows].join('\n');
}

export function renderOutputsTable(): string {
  const rows = OUTPUTS.map((output) => `| \`${output.name}\` | ${cell(output.description)} |`);
  return ['| output | description |', '|---|---|', ...rows].join('\n');
}

const BLOCKS: ReadonlyArray<readonly [string, () => string]> = [
  ['inputs', renderInputsTable],
  ['outputs', renderOutputsTable],
];

/** Replaces the text between `<!-- NAME:start -->` and `<!-- NAME:end -->` for each generated block. */
export function updateReadme(readme: string): string {
  let text = readme;
  for (const [name, render] of BLOCKS) {
    const start = `<!-- ${name}:start -->`;
    const end = `<!-- ${name}:end -->`;
    const from = text.indexOf(start);
    const to = text.indexOf(end);
    if (from < 0 || to < from) throw new Error(`README.md lacks the ${start} … ${end} markers`);
    text = `${text.slice(0, from + start.length)}\n${render()}\n${text.slice(to)}`;
  }
  return text;
}
