import type { Logger, Ports, SecretRegistry } from '../ports.js';
import { createNodeExec } from '../util/node-exec.js';
import { runTransport } from '../http/run-transport.js';
import { createSecretRegistry } from '../util/secrets.js';
import * as runner from './runner/index.js';

/**
 * The ports implemented on top of the GitHub runner protocol. `networkProblem`:
 * a proxy or TLS setting that cannot be used, for main to report as an input error.
 */
export function githubPorts(): Ports & { networkProblem: string | undefined } {
  const secrets = createSecretRegistry((secret) => runner.addMask(secret));
  const logger = githubLogger(secrets);
  const network = runTransport(process.env, (secret) => secrets.add(secret));
  return {
    networkProblem: network.problem,
    logger,
    secrets,
    exec: createNodeExec({ writeLine: (line) => logger.info(line) }),
    // The run's one transport (src/http): proxies, certs.d trust, keep-alive; no undici (35–45 ms to load).
    fetch: network.fetch,
    clock: { now: () => new Date() },
  };
}

function githubLogger(secrets: SecretRegistry): Logger {
  return {
    info: (message) => runner.info(secrets.redact(message)),
    warn: (message) => runner.warning(secrets.redact(message)),
    debug: (message) => runner.debug(secrets.redact(message)),
    group: (title, body) => runner.group(secrets.redact(title), body),
  };
}
