import { logOut } from '../app/run-sequence.js';
import { createNodeExec } from '../util/node-exec.js';
import type { PostCommand } from './args.js';
import type { CliIo } from './io.js';

/**
 * `imageship post --registry HOST`: undoes a login that `imageship run
 * --logout false` left in the Docker config for later shell steps (restoring
 * the login that was there before, if any).
 */
export async function postCommand(command: PostCommand, io: CliIo): Promise<number> {
  // Only a credential helper is ever run; its output stays out of the log.
  const exec = createNodeExec({ writeLine: () => undefined, env: io.env });
  const result = await logOut(exec, command.registry, io.env);
  if (result.ok) {
    io.stdout(`${result.message}\n`);
    return 0;
  }
  io.stderr(`imageship: ${result.message}\n`);
  return 1;
}
