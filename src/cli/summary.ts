/**
 * What the CLI prints when a run is done: a short human summary ending in a
 * table of what was pushed (tag → digest), or (with `--output json`) exactly
 * the GitHub Action's outputs as one JSON object, for a later script step
 * (`jq -r .digest`).
 */
import { deploymentsOf, outputsOf, type RunOutputs } from '../app/outputs.js';
import { describeOutcome, type PipelineResult } from '../app/pipeline.js';
import { inertJson } from '../util/runner-command-guard.js';

export function summaryLines(result: PipelineResult): string[] {
  const heading = result.dryRun ? 'Summary (dry run: nothing was pushed)' : `Summary: ${describeOutcome(result)}`;
  const deployments = deploymentsOf(result.deployments);
  const facts: [string, string[]][] = [
    ['image', [result.image]],
    ['login', [result.loginUser || 'anonymous']],
    ...((result.logins ?? []).length > 0 ? [['logged in', result.logins ?? []] as [string, string[]]] : []),
    [
      'deployments',
      deployments.length === 0
        ? ['none']
        : deployments.map((d) => `${d.target} ${d.id}: ${d.previous ? `${d.previous} → ` : ''}${d.current}${d.verified ? ' (verified)' : ' (NOT verified)'}`),
    ],
  ];
  const width = Math.max(...facts.map(([label]) => label.length)) + 2;
  const lines = [`── ${heading}`];
  for (const [label, values] of facts) {
    values.forEach((value, index) => lines.push(`${(index === 0 ? label : '').padEnd(width)}${value}`));
  }
  lines.push('', ...pushedTable(result));
  return lines;
}

/**
 * One row per tag with the digest the registry reported for it (every tag
 * was verified to point at it), then one per replica. Without a push the
 * digest column says why there is none.
 */
export function pushedTable(result: Pick<PipelineResult, 'tags' | 'digest' | 'dryRun' | 'imageId' | 'replicas'>): string[] {
  const missing = result.dryRun ? 'not pushed (dry run)' : result.imageId ? `not pushed (image id ${result.imageId})` : 'not pushed';
  const digest = result.digest || missing;
  const rows: [string, string][] = [['tag', 'digest']];
  if (result.tags.length === 0 && result.digest) rows.push(['(by digest only)', result.digest]);
  for (const tag of result.tags) rows.push([tag, digest]);
  for (const replica of result.replicas) rows.push([`replica ${replica.image}`, replica.digest]);
  if (rows.length === 1) rows.push(['none', digest]);
  const width = Math.max(...rows.map(([tag]) => tag.length)) + 2;
  return rows.map(([tag, value]) => `${tag.padEnd(width)}${value}`);
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
