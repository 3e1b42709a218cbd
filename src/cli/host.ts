/**
 * The ports for a plain terminal or a CI log (GitLab, Azure Pipelines,
 * Jenkins): one line per message, `── title` headings instead of GitHub's
 * `::group::`, and every line scrubbed of known secrets before it is written.
 */
import type { Logger, Ports, SecretRegistry } from '../ports.js';
import { createNodeExec } from '../util/node-exec.js';
import { nodeFetch } from '../util/node-fetch.js';
import { createSecretRegistry } from '../util/secrets.js';

export interface CliHostOptions {
  /** Writes one line (without its newline) to the log stream. */
  writeLine: (line: string) => void;
  /** Print debug lines too. */
  verbose: boolean;
  /** Environment for child processes; default process.env. */
  env?: Readonly<Record<string, string | undefined>>;
}

export function cliPorts(options: CliHostOptions): Ports {
  const secrets = createSecretRegistry();
  const logger = cliLogger(secrets, options);
  return {
    logger,
    secrets,
    exec: createNodeExec({ writeLine: (line) => logger.info(line), ...(options.env ? { env: options.env } : {}) }),
    // undici (the global fetch) costs 35–45 ms to load; our requests need none of it.
    fetch: nodeFetch,
    clock: { now: () => new Date() },
  };
}

export function cliLogger(secrets: SecretRegistry, options: Pick<CliHostOptions, 'writeLine' | 'verbose'>): Logger {
  // A message may hold several lines (an error body): each is redacted and written on its own.
  const write = (prefix: string, message: string): void => {
    for (const line of secrets.redact(message).split(/\r?\n/)) options.writeLine(`${prefix}${line}`);
  };
  return {
    info: (message) => write('', message),
    warn: (message) => write('warning: ', message),
    debug: (message) => {
      if (options.verbose) write('debug: ', message);
    },
    group: async (title, body) => {
      write('── ', title);
      return body();
    },
  };
}
