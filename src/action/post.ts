import { logOut } from '../app/run-sequence.js';
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
  const result = await logOut(exec, state.registry, process.env);
  // A failed logout must not fail the job, but it must be visible.
  (result.ok ? info : warning)(`post: ${result.message}`);
}
