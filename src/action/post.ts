import { dockerLogout } from '../registry/login.js';
import { createNodeExec } from '../util/node-exec.js';
import { info, warning } from './runner/index.js';
import { readPostState } from './state.js';

/** Logs out of the registry main logged into, removing the credentials it wrote. Says why when it skips. */
export async function runPost(): Promise<void> {
  const state = readPostState();
  if (state.registry === '') {
    info('post: no registry login to undo (main did not log in)');
    return;
  }
  if (!state.logout) {
    info(`post: logout: false, so the login to ${state.registry} stays in the Docker config`);
    return;
  }
  const exec = createNodeExec({ writeLine: (line) => info(line) });
  const result = await dockerLogout(exec, state.registry, process.env).catch((error: unknown) => ({
    ok: false,
    message: error instanceof Error ? error.message : String(error),
  }));
  if (result.ok) info(`post: logged out of ${state.registry}`);
  // A failed logout must not fail the job, but it must be visible.
  else warning(`post: could not log out of ${state.registry}: ${result.message}; remove its entry from the Docker config by hand`);
}
