/**
 * The job an action step runs in when a test builds the sample app on a push
 * to main: the workspace, the GitHub context and (optionally) the env, as
 * runAction/runMainThenPost take them.
 */
import { ghContextForBranch } from './runner.js';
import { sampleAppWorkspace } from './workspace.js';

/** Debug logging on, as `ACTIONS_STEP_DEBUG` turns it on in a real runner: secret scans run with it. */
export const DEBUG_ENV = { ACTIONS_STEP_DEBUG: 'true', RUNNER_DEBUG: '1' };

/** A fresh copy of the sample app, pushed to main at `sha`; `env` only when given. */
export function sampleAppJob(sha: string, env?: Record<string, string>) {
  return { workdir: sampleAppWorkspace(), github: ghContextForBranch('main', sha), ...(env ? { env } : {}) };
}
