/**
 * What the runner passes into the step through its environment: the inputs
 * (from the workflow's `with:` and action.yml defaults) and the state main saved.
 */

/** The variable the runner sets for an input: upper case, spaces to `_`, hyphens kept. */
export function inputEnvName(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

/** An input's value with surrounding whitespace trimmed; '' when not given and without a default. */
export function getInput(name: string, env: NodeJS.ProcessEnv = process.env): string {
  return (env[inputEnvName(name)] ?? '').trim();
}

/** An input's value exactly as given (a separator may be a space or a newline); '' when not given. */
export function getRawInput(name: string, env: NodeJS.ProcessEnv = process.env): string {
  return env[inputEnvName(name)] ?? '';
}

/** A value main saved with saveState, exactly as saved; '' in main or when never saved. */
export function getState(name: string, env: NodeJS.ProcessEnv = process.env): string {
  return env[`STATE_${name}`] ?? '';
}
