import { randomUUID } from 'node:crypto';
import { appendFileSync } from 'node:fs';

/**
 * File commands: the runner hands the step a file per channel (GITHUB_OUTPUT,
 * GITHUB_STATE) and parses it after the step ends. Every value is written as a
 * heredoc, `name<<DELIMITER`, the value, then a line holding only DELIMITER, so
 * values may contain newlines and `=`. A fresh random delimiter per value keeps
 * a value from closing its heredoc early and injecting a name of its own.
 *
 * There is deliberately no fallback to the retired stdout commands
 * (`::set-output`, `::save-state`): every runner that can run node24 actions
 * provides these files, so a missing variable means the action is not running
 * under a GitHub-compatible runner, and failing with that reason beats writing
 * outputs nothing will read.
 */

export type FileCommandChannel = 'GITHUB_OUTPUT' | 'GITHUB_STATE' | 'GITHUB_ENV';

export function newHeredocDelimiter(): string {
  return `ghadelimiter_${randomUUID()}`;
}

/**
 * One heredoc entry, ending with a newline. Throws for a name or value that
 * contains the delimiter, and for a name the runner would split differently
 * (empty, a line break, `=` or `<<`).
 */
export function formatFileCommand(name: string, value: string, delimiter: string): string {
  if (name === '' || /[\r\n=]|<</.test(name)) {
    throw new Error(`file command name ${JSON.stringify(name)} is empty or contains a line break, '=' or '<<'`);
  }
  if (name.includes(delimiter)) throw new Error(`file command name '${name}' contains the delimiter ${delimiter}`);
  if (value.includes(delimiter)) throw new Error(`the value of '${name}' contains the delimiter ${delimiter}`);
  return `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
}

/** Appends `name` = `value` to the file the runner named in `channel`. */
export function appendFileCommand(channel: FileCommandChannel, name: string, value: string, env: NodeJS.ProcessEnv = process.env): void {
  const path = env[channel];
  if (!path) {
    throw new Error(`${channel} is not set, so '${name}' cannot be handed to the runner: run this action on a GitHub Actions runner (or one that provides file commands)`);
  }
  appendFileSync(path, formatFileCommand(name, value, newHeredocDelimiter()), 'utf8');
}

/** A step output (`steps.<id>.outputs.<name>`). */
export function setOutput(name: string, value: string): void {
  appendFileCommand('GITHUB_OUTPUT', name, value);
}

/** An environment variable for the later steps of the job. Visible to every later step: never a secret. */
export function exportVariable(name: string, value: string): void {
  appendFileCommand('GITHUB_ENV', name, value);
}

/** A value the post step reads back as STATE_<name>. Visible in the runner's files: never a secret. */
export function saveState(name: string, value: string): void {
  appendFileCommand('GITHUB_STATE', name, value);
}
