import { escapeCommandMessage, escapeCommandProperty } from './command-escaping.js';

/**
 * Workflow commands: lines on stdout that the runner interprets (masks, log
 * levels, groups) instead of showing. Commands and plain log lines all go
 * through process.stdout, so they reach the runner in the order of the calls.
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

/** A plain log line. Not escaped: the runner shows it as is (it only looks for commands at the line start). */
export function info(message: string): void {
  writeLine(message);
}

/** Shown only when the workflow enables step debug logging (ACTIONS_STEP_DEBUG). */
export function debug(message: string): void {
  issue('debug', message);
}

export function warning(message: string): void {
  issue('warning', message);
}

export function error(message: string): void {
  issue('error', message);
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
  issue('group', title);
  try {
    return await body();
  } finally {
    issue('endgroup', '');
  }
}
