import { dockerLogout } from '../registry/logout.js';
import { createNodeExec } from '../util/node-exec.js';
import { info, warning } from './runner/index.js';
import { readPostState } from './state.js';

/**
 * Undoes the login main made, also after main failed or was cancelled:
 * restores the login that was in the Docker config before, or removes the
 * one imageship wrote (see registry/login.ts). Says why when it skips.
 */
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
  // Only a credential helper is ever run; its output stays out of the log.
  const exec = createNodeExec({ writeLine: () => undefined });
  const result = await dockerLogout(exec, state.registry, process.env);
  if (result.ok) info(`post: ${result.message}`);
  // A failed logout must not fail the job, but it must be visible.
  else warning(`post: could not log out of ${state.registry}: ${result.message}; remove its entry from the Docker config by hand`);
}
