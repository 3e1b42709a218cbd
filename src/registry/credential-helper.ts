/**
 * The docker credential helper protocol (`docker-credential-<name>`, as named
 * by `credsStore` or `credHelpers` in config.json): the action is the only
 * argument (`get`, `store`, `erase`); the server URL and the credentials
 * travel on stdin and the answer on stdout. So a login stored through a
 * helper puts no user or password in any command line either.
 */
import type { Exec } from '../ports.js';
import { ImageshipError } from '../domain/errors.js';

export interface HelperCredentials {
  username: string;
  secret: string;
}

export class CredentialHelperError extends ImageshipError {
  override readonly name = 'CredentialHelperError';
}

/** A name that can only ever run `docker-credential-<name>` found on PATH. */
const HELPER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** What helpers print when they hold nothing for the server (docker-credential-helpers' ErrCredentialsNotFound). */
const NOT_FOUND = /credentials not found/i;

const HELPER_TIMEOUT_MS = 30_000;

export class CredentialHelper {
  readonly program: string;

  constructor(
    name: string,
    /** Where the helper was named, for messages: e.g. `/home/ci/.docker/config.json (credsStore)`. */
    private readonly origin: string,
    private readonly exec: Exec,
    private readonly env: Readonly<Record<string, string | undefined>>,
  ) {
    if (!HELPER_NAME.test(name)) {
      throw new CredentialHelperError(`${origin} names the credential helper ${JSON.stringify(name)}, which is not a helper name: fix that entry`);
    }
    this.program = `docker-credential-${name}`;
  }

  /** The login the helper holds for `serverUrl`; undefined when it holds none. */
  async get(serverUrl: string): Promise<HelperCredentials | undefined> {
    const result = await this.run('get', serverUrl);
    if (result.exitCode !== 0) {
      if (NOT_FOUND.test(result.stdout + result.stderr)) return undefined;
      throw this.failure('read the login from', result);
    }
    let answer: { Username?: unknown; Secret?: unknown };
    try {
      answer = JSON.parse(result.stdout) as typeof answer;
    } catch {
      throw new CredentialHelperError(`${this.program} get answered with something other than JSON`);
    }
    if (typeof answer.Secret !== 'string' || answer.Secret === '') return undefined;
    return { username: typeof answer.Username === 'string' ? answer.Username : '', secret: answer.Secret };
  }

  async store(serverUrl: string, credentials: HelperCredentials): Promise<void> {
    const result = await this.run('store', JSON.stringify({ ServerURL: serverUrl, Username: credentials.username, Secret: credentials.secret }));
    if (result.exitCode !== 0) throw this.failure('store the login in', result);
  }

  async erase(serverUrl: string): Promise<void> {
    const result = await this.run('erase', serverUrl);
    if (result.exitCode !== 0 && !NOT_FOUND.test(result.stdout + result.stderr)) throw this.failure('erase the login from', result);
  }

  private async run(action: 'get' | 'store' | 'erase', stdin: string): Promise<{ exitCode: number; stdout: string; stderr: string }> {
    try {
      return await this.exec({ command: this.program, args: [action], stdin, env: this.env, silent: true, timeoutMs: HELPER_TIMEOUT_MS });
    } catch (error) {
      // exec rejects only when the program cannot be started: not on PATH.
      throw new CredentialHelperError(
        `${this.origin} sends logins to the credential helper ${this.program}, which cannot be run (${error instanceof Error ? error.message : String(error)}): ` +
          'install it, remove that setting from the config, or give the job a Docker config of its own (DOCKER_CONFIG)',
      );
    }
  }

  private failure(what: string, result: { exitCode: number; stdout: string; stderr: string }): CredentialHelperError {
    const said = `${result.stdout}\n${result.stderr}`.split('\n').map((line) => line.trim()).filter(Boolean).pop() ?? `exit ${result.exitCode}`;
    return new CredentialHelperError(`could not ${what} the credential helper ${this.program} (named by ${this.origin}): ${said}`);
  }
}
