/**
 * What every host does around the pipeline, written once so the action and the CLI say and do the same: mask
 * the secret options before anything is parsed or printed, parse the config (a proxy or TLS setting that cannot
 * be used is an input error like any other), report a ConfigError, read the optional files a CI leaves, and
 * log out (saying so when it fails).
 */
import { readFileSync } from 'node:fs';
import { parseConfig, type ParseEnvironment } from '../config/parse.js';
import { registryAuthSecrets } from '../config/parse-registry-auth.js';
import { OPTIONS, type OptionSpec } from '../config/schema.js';
import { ConfigError, type Config } from '../config/types.js';
import { ImageshipError } from '../domain/errors.js';
import type { Exec, SecretRegistry } from '../ports.js';
import { dockerLogout } from '../registry/logout.js';

type Env = Readonly<Record<string, string | undefined>>;

/** The env variables a secret option falls back to (the cloud SDKs' names), for every provider. */
export function schemaFallbackVariables(spec: OptionSpec): string[] {
  const byProvider = (spec as { envFallbackByProvider?: Readonly<Record<string, readonly string[]>> }).envFallbackByProvider ?? {};
  return [...new Set([...(spec.envFallback ?? []), ...Object.values(byProvider).flat()])];
}

/** Masks every secret option's value and the env variables it falls back to, wherever the value came from. */
export function maskSecretOptions(read: (name: string) => string, env: Env, secrets: Pick<SecretRegistry, 'add'>): void {
  for (const spec of OPTIONS.filter((option) => option.secret)) {
    secrets.add(read(spec.name));
    // Each password in the list too, found line by line: masked even when the YAML does not parse.
    if (spec.name === 'registry-auth') for (const secret of registryAuthSecrets(read(spec.name))) secrets.add(secret);
    for (const variable of schemaFallbackVariables(spec)) secrets.add(env[variable] ?? '');
  }
}

/** parseConfig, with the transport's `networkProblem` (proxy, TLS) reported as an input problem. Throws ConfigError. */
export function parseRunConfig(read: (name: string) => string, environment: ParseEnvironment, networkProblem: string | undefined): Config {
  const config = parseConfig(read, environment);
  if (networkProblem !== undefined) throw new ConfigError([networkProblem]);
  return config;
}

/** A ConfigError as the hosts report it: one line per problem, then what was (not) done. */
export function configErrorLines(error: ConfigError): { problems: readonly string[]; summary: string } {
  return {
    problems: error.problems,
    summary: `${error.problems.length} problem(s) found before any side effect: nothing was logged in, built or pushed`,
  };
}

/** What a failed run tells the user: an ImageshipError's message and hint, any other error's message. */
export function userMessageOf(error: unknown): string {
  if (error instanceof ImageshipError) return error.userMessage;
  return error instanceof Error ? error.message : String(error);
}

/** A file a CI may or may not leave (the GitHub event payload, git metadata): its text, or undefined. */
export function readOptionalFile(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Undoes the run's registry login; `message` is the line to show, a warning when `ok` is false. */
export async function logOut(exec: Exec, registry: string, env: Env): Promise<{ ok: boolean; message: string }> {
  const result = await dockerLogout(exec, registry, env);
  if (result.ok) return { ok: true, message: result.message };
  // A failed logout must not go unnoticed: the login would stay in the Docker config.
  return { ok: false, message: `could not log out of ${registry}: ${result.message}; remove its entry from the Docker config by hand` };
}
