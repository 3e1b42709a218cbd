import { dockerLogout } from '../registry/login.js';
import { createNodeExec } from '../util/node-exec.js';
import type { PostCommand } from './args.js';
import type { CliIo } from './io.js';

/**
 * `imageship post --registry HOST`: removes a login that `imageship run
 * --logout false` left in the Docker config for later shell steps.
 */
export async function postCommand(command: PostCommand, io: CliIo): Promise<number> {
  const exec = createNodeExec({ writeLine: (line) => io.stdout(`${line}\n`), env: io.env });
  const result = await dockerLogout(exec, command.registry, io.env).catch((error: unknown) => ({
    ok: false,
    message: error instanceof Error ? error.message : String(error),
  }));
  if (result.ok) {
    io.stdout(`logged out of ${command.registry}\n`);
    return 0;
  }
  io.stderr(`imageship: could not log out of ${command.registry}: ${result.message}; remove its entry from the Docker config by hand\n`);
  return 1;
}
