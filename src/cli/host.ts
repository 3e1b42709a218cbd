/**
 * The ports for a plain terminal or a CI log (GitLab, Azure Pipelines,
 * Jenkins): one line per message, `── title` headings instead of GitHub's
 * `::group::`, and every line scrubbed of known secrets before it is written.
 */
import type { Logger, Ports, SecretRegistry } from '../ports.js';
import { createNodeExec } from '../util/node-exec.js';
import { runTransport } from '../http/run-transport.js';
import { createSecretRegistry } from '../util/secrets.js';

export interface CliHostOptions {
  /** Writes one line (without its newline) to the log stream. */
  writeLine: (line: string) => void;
  /** Print debug lines too. */
  verbose: boolean;
  /** Environment for child processes; default process.env. */
  env?: Readonly<Record<string, string | undefined>>;
}

/** `networkProblem`: a proxy or TLS setting that cannot be used, for the run to report as an input error. */
export function cliPorts(options: CliHostOptions): Ports & { networkProblem: string | undefined } {
  const secrets = createSecretRegistry();
  const logger = cliLogger(secrets, options);
  const network = runTransport(options.env ?? process.env, (secret) => secrets.add(secret));
  return {
    networkProblem: network.problem,
    logger,
    secrets,
    exec: createNodeExec({ writeLine: (line) => logger.info(line), ...(options.env ? { env: options.env } : {}) }),
    // The run's one transport (src/http): proxies, certs.d trust, keep-alive; no undici (35–45 ms to load).
    fetch: network.fetch,
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
