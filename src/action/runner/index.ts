/**
 * The GitHub runner protocol, as far as imageship uses it: inputs and state
 * from the environment, file commands for outputs and state, workflow commands
 * on stdout for logs and masks, and the job summary. Written for this action
 * instead of loading @actions/core, whose OIDC client pulls in undici (about
 * 1 MB of JavaScript parsed on every step; bench/RESULTS.md).
 */
export { getInput, getRawInput, getState, inputEnvName } from './step-env.js';
export { appendFileCommand, exportVariable, formatFileCommand, newHeredocDelimiter, saveState, setOutput } from './file-commands.js';
export { addMask, debug, error, formatWorkflowCommand, group, info, setFailed, warning } from './workflow-commands.js';
export { appendJobSummary, escapeHtml, html, summaryCodeBlock, summaryHeading, summaryTable } from './job-summary.js';
export type { Html, SummaryCell } from './job-summary.js';
