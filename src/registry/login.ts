import type { Exec } from '../ports.js';
import { explainRegistryError } from './docker-errors.js';

export interface DockerLoginRequest {
  registry: string;
  username: string;
  password: string;
  /** Shown in the 401 hint, e.g. "the user is cn-north-4@HPUA…". */
  loginHint: string;
  env: Readonly<Record<string, string | undefined>>;
}

export class RegistryLoginError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RegistryLoginError';
  }
}

/**
 * `docker login --password-stdin`: the password travels on stdin, never in
 * argv, so it cannot show up in `ps`, the process accounting or an argv log.
 * Output is captured silently; docker's warning about unencrypted storage
 * is expected on CI and not worth alarming anyone with.
 */
export async function dockerLogin(exec: Exec, request: DockerLoginRequest): Promise<void> {
  const result = await exec({
    command: 'docker',
    args: ['login', '--username', request.username, '--password-stdin', request.registry],
    stdin: request.password,
    env: request.env,
    silent: true,
    timeoutMs: 120_000,
  });
  if (result.exitCode !== 0) {
    throw new RegistryLoginError(
      explainRegistryError(`${result.stderr}\n${result.stdout}`, { operation: 'login', registry: request.registry, loginHint: request.loginHint }),
    );
  }
}

/** Removes this registry's credentials from the Docker config (or its credential helper). */
export async function dockerLogout(exec: Exec, registry: string, env: Readonly<Record<string, string | undefined>>): Promise<{ ok: boolean; message: string }> {
  const result = await exec({ command: 'docker', args: ['logout', registry], env, silent: true, timeoutMs: 60_000 });
  const message = (result.stdout + result.stderr).trim().split('\n').pop() ?? '';
  return { ok: result.exitCode === 0, message };
}
