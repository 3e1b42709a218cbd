import { logOut } from '../app/run-sequence.js';
import { createNodeExec } from '../util/node-exec.js';
import { info, warning } from './runner/index.js';
import { readPostState } from './state.js';

/**
 * Undoes every login main made (its own and each registry-auth entry's),
 * also after main failed or was cancelled: restores the login that was in
 * the Docker config before, or removes the one imageship wrote (see
 * registry/login.ts). Says why when it skips.
 */
export async function runPost(): Promise<void> {
  const state = readPostState();
  if (state.registries.length === 0) {
    info('post: no registry login to undo (main did not log in)');
    return;
  }
  if (!state.logout) {
    info(`post: logout: false, so the login${state.registries.length > 1 ? 's' : ''} to ${state.registries.join(', ')} stay${state.registries.length > 1 ? '' : 's'} in the Docker config`);
    return;
  }
  // Only a credential helper is ever run; its output stays out of the log.
  const exec = createNodeExec({ writeLine: () => undefined });
  // Last in, first out: each logout sees the config as its login left it.
  for (const registry of [...state.registries].reverse()) {
    const result = await logOut(exec, registry, process.env);
    // A failed logout must not fail the job, but it must be visible.
    (result.ok ? info : warning)(`post: ${result.message}`);
  }
}
