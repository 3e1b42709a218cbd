/**
 * Runs a program the way a runner runs a step: stdin from /dev/null, its own
 * process group (so a timeout also ends the docker and node processes it
 * started), stdout and stderr captured apart and in arrival order.
 */
import { spawn } from 'node:child_process';

export interface GroupRun {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
  /** stdout and stderr interleaved as they arrived: the log a runner shows. */
  combined: string;
}

export function runInProcessGroup(
  command: string,
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number; echo?: boolean },
): Promise<GroupRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true, shell: false });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const all: Buffer[] = [];
    const collect = (into: Buffer[]) => (chunk: Buffer): void => {
      into.push(chunk);
      all.push(chunk);
      if (options.echo) process.stderr.write(chunk);
    };
    child.stdout.on('data', collect(out));
    child.stderr.on('data', collect(err));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, options.timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const text = (buffers: Buffer[]): string => Buffer.concat(buffers).toString('utf8');
      resolve({ exitCode: code, signal, timedOut, stdout: text(out), stderr: text(err), combined: text(all) });
    });
  });
}
