/**
 * Entry point for both the main and the post step (action.yml points both at
 * this bundle; the runner sets STATE_isPost for the post step once main has
 * saved it). The docker probe starts before any other module is loaded so its
 * round-trip overlaps with loading the pipeline; a registry-to-registry run
 * skips it.
 */
import { probeDocker } from '../build/docker-probe.js';
import { createNodeExec } from '../util/node-exec.js';
import { isDockerFreeRun } from './docker-free-run.js';

if (process.env['STATE_isPost'] === 'true') {
  const { runPost } = await import('./post.js');
  await runPost();
} else {
  const docker = isDockerFreeRun(process.env) ? undefined : probeDocker(createNodeExec({ writeLine: () => undefined }), undefined, (process.env['INPUT_BUILDER'] ?? '').trim());
  // Keep an unhandled rejection from crashing before main can report it.
  docker?.catch(() => undefined);
  const { runMain } = await import('./main.js');
  await runMain(docker);
}
