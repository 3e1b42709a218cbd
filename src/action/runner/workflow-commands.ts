import { neutraliseLines, neutraliseText } from '../../util/runner-command-guard.js';
import { escapeCommandMessage, escapeCommandProperty } from './command-escaping.js';

/**
 * Workflow commands: lines on stdout that the runner interprets (masks, log
 * levels, groups) instead of showing. Commands and plain log lines all go
 * through process.stdout, so they reach the runner in the order of the calls.
 *
 * Only the functions here write to stdout, and they are the one place where
 * text from outside is made inert: a command's message is escaped onto its
 * own line (`%`, `\r`, `\n` encoded, so nothing in it can start a line), and
 * a plain line or a shown message goes through runner-command-guard.ts (a
 * leading `::` and `##[`/`##vso[` anywhere defused), so a registry or API
 * answer can never issue a command. `add-mask` alone takes its value as is.
 */

/** One command line, without its line end. Properties with an empty value are left out. */
export function formatWorkflowCommand(command: string, message: string, properties: Readonly<Record<string, string>> = {}): string {
  const pairs = Object.entries(properties)
    .filter(([, value]) => value !== '')
    .map(([key, value]) => `${key}=${escapeCommandProperty(value)}`);
  const head = pairs.length > 0 ? `${command} ${pairs.join(',')}` : command;
  return `::${head}::${escapeCommandMessage(message)}`;
}

function writeLine(line: string): void {
  process.stdout.write(`${line}\n`);
}

function issue(command: string, message: string): void {
  writeLine(formatWorkflowCommand(command, message));
}

/**
 * A command whose message is shown in the log (debug, warning, error, group):
 * the message is made inert line by line too, so that once the runner
 * decodes it, none of its lines reads as a command to the log viewer or to
 * whatever processes the job log next.
 */
function issueShown(command: string, message: string): void {
  issue(command, neutraliseText(message));
}

/**
 * Plain log lines, one per line of `message` (split where the runner would
 * split: \n, \r\n, a lone \r), each made inert (see runner-command-guard.ts).
 */
export function info(message: string): void {
  for (const line of neutraliseLines(message)) writeLine(line);
}

/** Shown only when the workflow enables step debug logging (ACTIONS_STEP_DEBUG). */
export function debug(message: string): void {
  issueShown('debug', message);
}

export function warning(message: string): void {
  issueShown('warning', message);
}

export function error(message: string): void {
  issueShown('error', message);
}

/** From here on the runner replaces `secret` with *** in the log. The command line itself is never shown. */
export function addMask(secret: string): void {
  issue('add-mask', secret);
}

/** Marks the step failed (exit code 1 once the process ends) and says why, without ending the process. */
export function setFailed(message: string): void {
  process.exitCode = 1;
  error(message);
}

/** Runs `body` inside a collapsible log group; the group is closed even when `body` throws. */
export async function group<T>(title: string, body: () => Promise<T>): Promise<T> {
  issueShown('group', title);
  try {
    return await body();
  } finally {
    issue('endgroup', '');
  }
}
