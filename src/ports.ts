/**
 * The ports the core talks through. The core never reaches for a global
 * (process.env, console, child_process) directly, so the same pipeline runs
 * in the GitHub Action, the CLI and a library caller's code, and tests can
 * drive it with real processes or small fakes.
 */

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  debug(message: string): void;
  /** Runs `body` inside a collapsible log group (a plain heading outside GitHub). */
  group<T>(title: string, body: () => Promise<T>): Promise<T>;
}

export interface ExecRequest {
  /** Program to run; looked up on PATH. Never a shell string. */
  command: string;
  args: readonly string[];
  /** Written to the child's stdin, then stdin is closed. Secrets travel here, never in args. */
  stdin?: string;
  env?: Readonly<Record<string, string | undefined>>;
  cwd?: string;
  /** When true, the child's output is captured but not echoed to the log. */
  silent?: boolean;
  /** Kill the child after this many milliseconds. */
  timeoutMs?: number;
  /** Lines for which this returns true are kept from the log (still captured); e.g. a notice the caller reports once itself. */
  hideLine?: (line: string) => boolean;
}

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Spawns a process. Resolves with its exit code; rejects only when it cannot be started. */
export type Exec = (request: ExecRequest) => Promise<ExecResult>;

export interface Clock {
  now(): Date;
}

/**
 * Knows every secret value seen so far. `add` masks a value in the host's log
 * (GitHub `::add-mask::`) the moment it exists; `redact` scrubs known secrets
 * out of any text the core is about to print or wrap in an error.
 */
export interface SecretRegistry {
  add(secret: string): void;
  redact(text: string): string;
}

export type Fetch = typeof globalThis.fetch;

export interface Ports {
  logger: Logger;
  exec: Exec;
  fetch: Fetch;
  clock: Clock;
  secrets: SecretRegistry;
}
