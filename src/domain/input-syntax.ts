/**
 * How a user writes options, so a message can show the fix in the user's own
 * syntax: workflow inputs (`tags: latest`, also how the library takes them by
 * name) or command-line flags (`--tags latest`, secrets from env or stdin).
 */
export type InputSyntax = 'action' | 'cli';

/** `access-key` → `IMAGESHIP_ACCESS_KEY`: the CLI's env fallback for every option. */
export function envVariableName(optionName: string): string {
  return `IMAGESHIP_${optionName.replace(/-/g, '_').toUpperCase()}`;
}

/** One setting as the user writes it: `context: app` or `--context app`. */
export function setting(syntax: InputSyntax, name: string, value: string): string {
  return syntax === 'cli' ? `--${name} ${shellWord(value)}` : `${name}: ${value}`;
}

/** Several settings: `--context app --dockerfile app/Dockerfile`, or `context: app and dockerfile: app/Dockerfile`. */
export function settings(syntax: InputSyntax, pairs: readonly (readonly [string, string])[]): string {
  const each = pairs.map(([name, value]) => setting(syntax, name, value));
  if (syntax === 'cli') return each.join(' ');
  return each.length <= 1 ? each.join('') : `${each.slice(0, -1).join(', ')} and ${each.at(-1)}`;
}

/**
 * How to give a secret option: in a workflow, the input (from a secret) or
 * the cloud SDK's env variable; on the command line never a flag value, but
 * an env variable or `--NAME-stdin`.
 */
export function howToSetSecret(syntax: InputSyntax, name: string, sdkVariables: readonly string[]): string {
  if (syntax === 'cli') {
    return `set env ${[...sdkVariables, envVariableName(name)].join(' or ')}, or pipe it to --${name}-stdin`;
  }
  return sdkVariables.length > 0 ? `set ${name} (or env ${sdkVariables.join('/')})` : `set ${name} (from a secret)`;
}

/** Quotes a value for a shell command line only when it needs it. */
function shellWord(value: string): string {
  return /^[A-Za-z0-9_./:@=,+-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
