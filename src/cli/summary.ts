/**
 * What the CLI prints when a run is done: a short human summary, or (with
 * `--output json`) exactly the GitHub Action's outputs as one JSON object, for
 * a later script step (`jq -r .digest`).
 */
import { deploymentsOf, outputsOf, type RunOutputs } from '../outputs.js';
import { describeOutcome, type PipelineResult } from '../pipeline.js';
import { inertJson } from '../util/runner-command-guard.js';

export function summaryLines(result: PipelineResult): string[] {
  const heading = result.dryRun ? 'Summary (dry run: nothing was pushed)' : `Summary: ${describeOutcome(result)}`;
  const rows: [string, string[]][] = [
    ['registry', [result.registry]],
    ['image', [result.image]],
    ['tags', result.references.length > 0 ? result.references : ['none']],
    ['digest', [result.digest || (result.dryRun ? 'not pushed (dry run)' : 'not pushed')]],
    ['login', [result.loginUser || 'anonymous']],
  ];
  const deployments = deploymentsOf(result.deployments);
  rows.push([
    'deployments',
    deployments.length === 0
      ? ['none']
      : deployments.map((d) => `${d.target} ${d.id}: ${d.previous ? `${d.previous} → ` : ''}${d.current}${d.verified ? ' (verified)' : ' (NOT verified)'}`),
  ]);
  const width = Math.max(...rows.map(([label]) => label.length)) + 2;
  const lines = [`── ${heading}`];
  for (const [label, values] of rows) {
    values.forEach((value, index) => lines.push(`${(index === 0 ? label : '').padEnd(width)}${value}`));
  }
  return lines;
}

/**
 * The action's outputs, each a string exactly as `core.setOutput` gets it
 * (tags newline-separated; metadata and deployments JSON text). One line,
 * with `#` written as `\u0023` so no runner command can hide in it.
 */
export function outputsJson(result: PipelineResult): string {
  const outputs: RunOutputs = outputsOf(result);
  return inertJson(JSON.stringify(outputs));
}
