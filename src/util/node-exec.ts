import { spawn } from 'node:child_process';
import type { Exec, ExecRequest, ExecResult } from '../ports.js';

export interface NodeExecOptions {
  /** Receives the output of non-silent children, line by line, already redacted by the caller's sink. */
  writeLine: (line: string) => void;
  /** Base environment; a request's `env` replaces it when given. */
  env?: Readonly<Record<string, string | undefined>>;
}

/**
 * The one way imageship starts processes: argv arrays (no shell, so no
 * quoting bugs or injection), secrets on stdin, a timeout that kills the
 * child, and output captured for error messages.
 */
export function createNodeExec(options: NodeExecOptions): Exec {
  return (request: ExecRequest) => runProcess(request, options);
}

function runProcess(request: ExecRequest, options: NodeExecOptions): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const env = cleanEnv(request.env ?? options.env ?? process.env);
    const child = spawn(request.command, [...request.args], {
      cwd: request.cwd,
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
      shell: false,
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    const hide = request.hideLine;
    const echo = request.silent ? undefined : lineSplitter(hide ? (line) => (hide(line) ? undefined : options.writeLine(line)) : options.writeLine);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout.push(chunk);
      echo?.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr.push(chunk);
      echo?.push(chunk);
    });

    let timedOut = false;
    const timer = request.timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          child.kill('SIGKILL');
        }, request.timeoutMs)
      : undefined;

    child.on('error', (error) => {
      if (timer) clearTimeout(timer);
      reject(new Error(`cannot start ${request.command}: ${error.message}`));
    });
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      echo?.flush();
      const err = Buffer.concat(stderr).toString('utf8');
      resolve({
        exitCode: code ?? (signal ? 128 : 1),
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: timedOut ? `${err}\n${request.command} timed out after ${describeDuration(request.timeoutMs ?? 0)}` : err,
      });
    });

    // A child that exits before reading stdin would make the write fail with
    // EPIPE; that is reported through the exit code, not as a crash.
    child.stdin.on('error', () => undefined);
    child.stdin.end(request.stdin ?? '');
  });
}

function describeDuration(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`;
}

function cleanEnv(env: Readonly<Record<string, string | undefined>>): NodeJS.ProcessEnv {
  const result: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined) result[key] = value;
  return result;
}

/** Emits whole lines so a secret split across two chunks is still redacted. */
function lineSplitter(write: (line: string) => void): { push(chunk: Buffer): void; flush(): void } {
  let pending = '';
  return {
    push(chunk) {
      pending += chunk.toString('utf8');
      const lines = pending.split(/\r?\n/);
      pending = lines.pop() ?? '';
      for (const line of lines) write(line);
    },
    flush() {
      if (pending !== '') write(pending);
      pending = '';
    },
  };
}
