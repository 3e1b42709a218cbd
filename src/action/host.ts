import * as core from '@actions/core';
import type { Logger, Ports, SecretRegistry } from '../ports.js';
import { createNodeExec } from '../util/node-exec.js';
import { createSecretRegistry } from '../util/secrets.js';

/** The ports implemented on top of the GitHub runner protocol. */
export function githubPorts(): Ports {
  const secrets = createSecretRegistry((secret) => core.setSecret(secret));
  const logger = githubLogger(secrets);
  return {
    logger,
    secrets,
    exec: createNodeExec({ writeLine: (line) => logger.info(line) }),
    fetch: globalThis.fetch,
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
