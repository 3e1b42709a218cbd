import * as core from '@actions/core';
import type { PipelineResult } from '../pipeline.js';

/** A short job summary: what was pushed where, and the digest every tag was checked against. */
export async function writeSummary(result: PipelineResult, redact: (text: string) => string): Promise<void> {
  if (!process.env['GITHUB_STEP_SUMMARY']) return;
  const code = (text: string): string => `<code>${escapeHtml(redact(text))}</code>`;
  const rows = [
    ['Registry', code(result.registry)],
    ['Image', code(result.image)],
    ['Tags', result.references.map(code).join('<br>')],
    ['Digest', result.digest ? code(result.digest) : result.dryRun ? 'dry run: not pushed' : 'not pushed'],
    ['Login', result.loginUser ? code(result.loginUser) : 'anonymous'],
    ['Builder', result.builder === 'none' ? 'none (deploy-only)' : result.builder],
  ];
  const summary = core.summary
    .addHeading(result.dryRun ? 'imageship: plan (dry run)' : result.builder === 'none' ? 'imageship: image deployed' : 'imageship: image pushed', 3)
    .addTable([[{ data: 'What', header: true }, { data: 'Value', header: true }], ...rows]);
  if (result.deployments.length > 0) {
    summary.addHeading('Deployments', 4).addTable([
      ['Target', 'What', 'Before', 'After', 'Verified'].map((data) => ({ data, header: true })),
      ...result.deployments.map((deployment) => [
        deployment.target,
        deployment.consoleUrl ? `<a href="${escapeHtml(deployment.consoleUrl)}">${code(deployment.id)}</a>` : code(deployment.id),
        deployment.previous ? code(deployment.previous) : '',
        code(deployment.current),
        deployment.verified ? 'yes' : 'no',
      ]),
    ]);
  }
  if (result.dryRun) summary.addCodeBlock(result.plan.join('\n'), 'text');
  await summary.write();
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
