import { describeOutcome, type PipelineResult } from '../app/pipeline.js';
import { appendJobSummary, escapeHtml, html, summaryCodeBlock, summaryHeading, summaryTable, type SummaryCell } from './runner/index.js';

/** A short job summary: what was pushed where, and the digest every tag was checked against. */
export function writeSummary(result: PipelineResult, redact: (text: string) => string): void {
  if (!process.env['GITHUB_STEP_SUMMARY']) return;
  const codeHtml = (text: string): string => `<code>${escapeHtml(redact(text))}</code>`;
  const code = (text: string): SummaryCell => html(codeHtml(text));
  const rows: SummaryCell[][] = [
    ['Registry', code(result.registry)],
    ['Image', code(result.image)],
    ['Tags', html(result.references.map(codeHtml).join('<br>'))],
    ['Digest', result.digest ? code(result.digest) : result.dryRun ? 'dry run: not pushed' : 'not pushed'],
    ['Login', result.loginUser ? code(result.loginUser) : 'anonymous'],
    ...((result.logins ?? []).length > 0 ? [['Logged in to', html((result.logins ?? []).map(codeHtml).join('<br>'))] as SummaryCell[]] : []),
    ['Builder', result.builder === 'none' ? `none (${result.mode})` : result.builder],
  ];
  const title = result.dryRun ? 'imageship: plan (dry run)' : `imageship: ${describeOutcome(result)}`;
  const parts = [summaryHeading(title, 3), summaryTable(['What', 'Value'], rows)];
  if (result.deployments.length > 0) {
    parts.push(
      summaryHeading('Deployments', 4),
      summaryTable(
        ['Target', 'What', 'Before', 'After', 'Verified'],
        result.deployments.map((deployment) => [
          deployment.target,
          deployment.consoleUrl ? html(`<a href="${escapeHtml(deployment.consoleUrl)}">${codeHtml(deployment.id)}</a>`) : code(deployment.id),
          deployment.previous ? code(deployment.previous) : '',
          code(deployment.current),
          deployment.verified ? 'yes' : 'no',
        ]),
      ),
    );
  }
  // The plan is built from redacted values already; redacting again costs nothing and keeps the summary safe on its own.
  if (result.dryRun) parts.push(summaryCodeBlock(redact(result.plan.join('\n')), 'text'));
  // One append, so a failure leaves no half-written summary.
  appendJobSummary(parts.join(''));
}
