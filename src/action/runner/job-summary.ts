import { appendFileSync } from 'node:fs';

/**
 * The job summary: HTML (GitHub renders it as Markdown with inline HTML)
 * appended to the file the runner names in GITHUB_STEP_SUMMARY. The shapes
 * match what workflows already see from other actions: one element per line,
 * `<th>` for header cells, `<pre lang="…"><code>` for code blocks.
 */

/** A fragment of HTML to insert as is. Plain strings are text and get escaped. */
export interface Html {
  readonly html: string;
}

export type SummaryCell = string | Html;

/** Marks `fragment` as HTML the caller built (and escaped) itself. */
export function html(fragment: string): Html {
  return { html: fragment };
}

/** Escapes text for element content and for double- or single-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

function cellHtml(cell: SummaryCell): string {
  return typeof cell === 'string' ? escapeHtml(cell) : cell.html;
}

export function summaryHeading(text: string, level: 1 | 2 | 3 | 4 | 5 | 6): string {
  return `<h${level}>${escapeHtml(text)}</h${level}>\n`;
}

/** A table with one header row of text and body rows of text or HTML cells. */
export function summaryTable(header: readonly string[], rows: readonly (readonly SummaryCell[])[]): string {
  const headerRow = `<tr>${header.map((text) => `<th>${escapeHtml(text)}</th>`).join('')}</tr>`;
  const bodyRows = rows.map((row) => `<tr>${row.map((cell) => `<td>${cellHtml(cell)}</td>`).join('')}</tr>`);
  return `<table>${headerRow}${bodyRows.join('')}</table>\n`;
}

export function summaryCodeBlock(code: string, language: string): string {
  return `<pre lang="${escapeHtml(language)}"><code>${escapeHtml(code)}</code></pre>\n`;
}

/** Appends to the step's summary file; does nothing outside a runner (GITHUB_STEP_SUMMARY unset). */
export function appendJobSummary(content: string, env: NodeJS.ProcessEnv = process.env): void {
  const path = env['GITHUB_STEP_SUMMARY'];
  if (!path) return;
  appendFileSync(path, content, 'utf8');
}
