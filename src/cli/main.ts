#!/usr/bin/env node
/**
 * The `imageship` command: the same pipeline as the GitHub Action, for GitLab
 * CI, Azure Pipelines, Jenkins or a terminal. Exit codes: 0 done, 1 failed,
 * 2 usage (bad flags or invalid option values; nothing was done).
 */
import { neutraliseText } from '../util/runner-command-guard.js';
import { parseCommandLine, UsageError, type CliCommand } from './args.js';
import { helpText, packageVersion } from './help.js';
import type { CliIo } from './io.js';
import { postCommand } from './post.js';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, runCommand } from './run.js';

async function main(argv: readonly string[], io: CliIo): Promise<number> {
  let command: CliCommand;
  try {
    command = parseCommandLine(argv, io.env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    for (const problem of error.problems) io.stderr(`imageship: ${problem}\n`);
    io.stderr('imageship: run "imageship help" for the commands and flags\n');
    return EXIT_USAGE;
  }
  switch (command.kind) {
    case 'help':
      io.stdout(helpText());
      return EXIT_OK;
    case 'version':
      io.stdout(`${packageVersion()}\n`);
      return EXIT_OK;
    case 'run':
      return runCommand(command, io);
    case 'post':
      return postCommand(command, io);
  }
}

// Every byte the CLI writes passes here, and every write is whole lines: made
// inert for the CI that reads the log (GitHub `::`/`##[`, Azure `##vso[`),
// whatever part of it came from a registry or an API. JSON output is written
// so that this leaves it unchanged (inertJson).
const io: CliIo = {
  env: process.env,
  cwd: process.cwd(),
  stdin: process.stdin,
  stdout: (text) => process.stdout.write(neutraliseText(text)),
  stderr: (text) => process.stderr.write(neutraliseText(text)),
};

process.exitCode = await main(process.argv.slice(2), io).catch((error: unknown) => {
  // Not expected: every known failure is reported by the command itself (without secrets).
  io.stderr(`imageship: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
  return EXIT_FAILED;
});
