/**
 * Settings that imageship would silently ignore: a workflow's `with:` key it
 * does not declare (`tag:` for `tags:` — GitHub's runner warns, act and other
 * runners do not) and, on the command line, an `IMAGESHIP_*` variable one typo
 * away from an option (`IMAGESHIP_TAG`). Each gets one warning line naming it
 * and the option it was probably meant to be; the run goes on, as the runner's
 * own check does.
 */
import { closestName } from './closest-name.js';
import { envVariableName } from '../domain/input-syntax.js';
import { OPTIONS } from './schema.js';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The runner passes every `with:` key as `INPUT_<KEY>` (upper case, spaces as
 * `_`, hyphens kept), declared or not; a name that is no option was a typo or
 * belongs to another action.
 */
export function undeclaredInputWarnings(env: Env, optionNames: readonly string[] = OPTIONS.map((option) => option.name)): string[] {
  const declared = new Set(optionNames.map((name) => name.toUpperCase()));
  const warnings: string[] = [];
  for (const variable of Object.keys(env).sort()) {
    if (!variable.startsWith('INPUT_') || env[variable] === undefined) continue;
    const key = variable.slice('INPUT_'.length);
    if (key === '' || declared.has(key)) continue;
    const name = key.toLowerCase();
    const meant = closestName(name.replace(/_/g, '-'), optionNames, { partial: true });
    warnings.push(
      `${name}: not an input of imageship, so it is ignored: ${meant ? `did you mean ${meant}?` : 'remove it (the README lists the inputs)'}`,
    );
  }
  return warnings;
}

/**
 * `IMAGESHIP_<NAME>` variables that are no option but close to one. Others
 * (`IMAGESHIP_TESTBED`, a wrapper's own settings) are left alone: the prefix
 * is not reserved for options.
 */
const OIDC_TOKEN_VARIABLE = OPTIONS.find((option) => option.name === 'oidc-token-env')?.default ?? 'IMAGESHIP_ID_TOKEN';

export function nearMissEnvWarnings(env: Env, optionNames: readonly string[] = OPTIONS.map((option) => option.name)): string[] {
  const known = new Set(optionNames.map(envVariableName));
  const warnings: string[] = [];
  for (const variable of Object.keys(env).sort()) {
    if (!variable.startsWith('IMAGESHIP_') || known.has(variable) || env[variable] === undefined) continue;
    // The default of oidc-token-env (GitLab's id_tokens: variable) holds a token, not an option.
    if (variable === OIDC_TOKEN_VARIABLE || variable === env['IMAGESHIP_OIDC_TOKEN_ENV']) continue;
    const name = variable.slice('IMAGESHIP_'.length).toLowerCase().replace(/_/g, '-');
    // Two letters are one or two edits from too many options to be a typo of any.
    const meant = name.length >= 3 ? closestName(name, optionNames) : undefined;
    if (meant) warnings.push(`env ${variable} is not an imageship option, so it is ignored: did you mean ${envVariableName(meant)}?`);
  }
  return warnings;
}
