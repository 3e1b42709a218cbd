import type { Logger, Ports, SecretRegistry } from '../ports.js';
import { createNodeExec } from '../util/node-exec.js';
import { nodeFetch } from '../util/node-fetch.js';
import { createSecretRegistry } from '../util/secrets.js';
import * as runner from './runner/index.js';

/** The ports implemented on top of the GitHub runner protocol. */
export function githubPorts(): Ports {
  const secrets = createSecretRegistry((secret) => runner.addMask(secret));
  const logger = githubLogger(secrets);
  return {
    logger,
    secrets,
    exec: createNodeExec({ writeLine: (line) => logger.info(line) }),
    // undici (the global fetch) costs 35–45 ms to load; our requests need none of it.
    fetch: nodeFetch,
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
