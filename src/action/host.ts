import * as core from '@actions/core';
import type { Logger, Ports, SecretRegistry } from '../ports.js';
import { createNodeExec } from '../util/node-exec.js';
import { nodeFetch } from '../util/node-fetch.js';
import { createSecretRegistry } from '../util/secrets.js';

/** The ports implemented on top of the GitHub runner protocol. */
export function githubPorts(): Ports {
  const secrets = createSecretRegistry((secret) => core.setSecret(secret));
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
    info: (message) => core.info(secrets.redact(message)),
    warn: (message) => core.warning(secrets.redact(message)),
    debug: (message) => core.debug(secrets.redact(message)),
    group: (title, body) => core.group(secrets.redact(title), body),
  };
}
