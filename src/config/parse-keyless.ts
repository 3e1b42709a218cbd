/**
 * Keyless inputs: which documented exchange turns the CI's OIDC token into
 * temporary credentials, and where that token comes from. Everything that can
 * be known before a network call is checked here, so a missing
 * `permissions: id-token: write` or a mistyped URN fails in the config stage,
 * before anything is logged in or built.
 */
import { resolve } from 'node:path';
import { setting, type InputSyntax } from '../domain/input-syntax.js';
import type { IdTokenSource, KeylessExchange, KeylessSettings, Provider } from './types.js';

const HUAWEI_PROVIDER_URN = /^iam::[A-Za-z0-9]+:identity-provider:[A-Za-z0-9_.-]+$/;
const HUAWEI_AGENCY_URN = /^iam::[A-Za-z0-9]+:agency:[A-Za-z0-9_.+=,@-]+$/;
const HUAWEI_IDP_ID = /^[A-Za-z0-9_-]{1,64}$/;
const ALIBABA_ROLE_ARN = /^acs:ram::\d+:role\/[A-Za-z0-9_.@/-]+$/;
const ALIBABA_OIDC_PROVIDER_ARN = /^acs:ram::\d+:oidc-provider\/[A-Za-z0-9_.-]+$/;
const SESSION_NAME = /^[A-Za-z0-9_.@=,+-]{2,64}$/;
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
export const MIN_SESSION_SECONDS = 900;
export const MAX_SESSION_SECONDS = 43_200;

/** Documented defaults; see the README ("Keyless") for why each. */
export const ALIBABA_DEFAULT_AUDIENCE = 'sts.aliyuncs.com';
export function huaweiDefaultAudience(domain: string): string {
  return `sts.${domain}`;
}

const HUAWEI_INPUTS = ['oidc-provider-urn', 'agency-urn', 'identity-provider'] as const;
const ALIBABA_INPUTS = ['role-arn', 'oidc-provider-arn'] as const;
/** Inputs that only mean something in a keyless run. */
const TOKEN_INPUTS = ['oidc-token', 'oidc-token-file', 'oidc-audience', 'role-session-name'] as const;

export interface KeylessInputs {
  provider: Provider;
  domain: string;
  get: (name: string) => string;
  /** export-credentials, already read as a boolean. */
  exportCredentials: boolean;
  /** Whether session-duration / oidc-token-env differ from their defaults (they always have a value). */
  env: Readonly<Record<string, string | undefined>>;
  syntax: InputSyntax;
  /** A relative oidc-token-file is read from here (the workspace). */
  cwd: string;
}

/** Whether any keyless exchange input is set: the run then needs no stored key. */
export function wantsKeyless(get: (name: string) => string): boolean {
  return [...HUAWEI_INPUTS, ...ALIBABA_INPUTS].some((name) => get(name) !== '');
}

/**
 * The keyless settings, or undefined for a run with stored keys (then any
 * keyless-only input is a mistake worth naming). Problems are pushed, one
 * line each: the input, what is wrong, the fix.
 */
export function parseKeyless(inputs: KeylessInputs, problems: string[]): KeylessSettings | undefined {
  const { get, provider, syntax } = inputs;
  if (!wantsKeyless(get)) {
    for (const name of TOKEN_INPUTS) {
      if (get(name) !== '') problems.push(`${name}: only used for a keyless login: also set ${provider === 'alibabacloud' ? 'role-arn and oidc-provider-arn' : 'oidc-provider-urn and agency-urn (or identity-provider)'}, or remove ${name}`);
    }
    if (inputs.exportCredentials) problems.push('export-credentials: only exports temporary credentials of a keyless login: remove it, or set up the keyless login');
    return undefined;
  }

  const exchange = parseExchange(provider, get, syntax, problems);
  for (const name of ['access-key', 'secret-key', 'security-token', 'username', 'password']) {
    if (get(name) !== '') problems.push(`${name}: not used with a keyless login (the OIDC token replaces stored keys): remove ${name}`);
  }
  const audience = get('oidc-audience') || (provider === 'alibabacloud' ? ALIBABA_DEFAULT_AUDIENCE : huaweiDefaultAudience(inputs.domain));
  if (/\s/.test(audience)) problems.push(`oidc-audience: "${audience}" holds whitespace: give one audience, e.g. ${ALIBABA_DEFAULT_AUDIENCE}`);
  const tokenSource = parseTokenSource(get, inputs.env, audience, syntax, problems, inputs.cwd);
  const sessionName = get('role-session-name') || defaultSessionName(inputs.env);
  if (!SESSION_NAME.test(sessionName)) {
    problems.push(`role-session-name: "${sessionName}" is not a session name: use 2 to 64 letters, digits and "_.@=,+-"`);
  }
  const durationSeconds = parseDuration(get('session-duration'), problems);
  if (inputs.exportCredentials && syntax === 'cli') {
    problems.push('export-credentials: only the GitHub Action can hand variables to later steps: remove it (on the command line, nothing outlives the run)');
  }
  if (exchange === undefined || tokenSource === undefined) return undefined;
  return { tokenSource, audience, exchange, sessionName, durationSeconds, exportCredentials: inputs.exportCredentials };
}

function parseExchange(provider: Provider, get: (name: string) => string, syntax: InputSyntax, problems: string[]): KeylessExchange | undefined {
  const setHuawei = HUAWEI_INPUTS.filter((name) => get(name) !== '');
  const setAlibaba = ALIBABA_INPUTS.filter((name) => get(name) !== '');
  if (provider === 'generic') {
    problems.push(`${[...setHuawei, ...setAlibaba][0]}: a keyless login exchanges the OIDC token with a cloud: set ${setting(syntax, 'provider', 'huaweicloud')} or alibabacloud`);
    return undefined;
  }
  if (provider === 'huaweicloud') {
    for (const name of setAlibaba) problems.push(`${name}: an Alibaba Cloud input: with provider huaweicloud use oidc-provider-urn and agency-urn (or identity-provider), or set ${setting(syntax, 'provider', 'alibabacloud')}`);
    if (setHuawei.length === 0) return undefined;
    const providerUrn = get('oidc-provider-urn');
    const agencyUrn = get('agency-urn');
    const identityProvider = get('identity-provider');
    if (identityProvider !== '' && (providerUrn !== '' || agencyUrn !== '')) {
      problems.push('identity-provider: choose one keyless path: identity-provider (IAM federation) or oidc-provider-urn with agency-urn (IAM 5.0 STS), not both');
      return undefined;
    }
    if (identityProvider !== '') {
      if (!HUAWEI_IDP_ID.test(identityProvider)) {
        problems.push(`identity-provider: "${identityProvider}" is not an identity provider id: copy the name shown under IAM > Identity Providers (letters, digits, "_" and "-")`);
        return undefined;
      }
      return { kind: 'huawei-federation', identityProvider };
    }
    let ok = true;
    if (providerUrn === '') {
      problems.push('oidc-provider-urn: missing while agency-urn is set: copy the OIDC provider\'s URN (iam::<account-id>:identity-provider:<name>) from IAM > Identity Providers');
      ok = false;
    } else if (!HUAWEI_PROVIDER_URN.test(providerUrn)) {
      problems.push(`oidc-provider-urn: "${providerUrn}" is not an identity provider URN: use iam::<account-id>:identity-provider:<name>`);
      ok = false;
    }
    if (agencyUrn === '') {
      problems.push('agency-urn: missing while oidc-provider-urn is set: copy the trust agency\'s URN (iam::<account-id>:agency:<name>) from IAM > Agencies');
      ok = false;
    } else if (!HUAWEI_AGENCY_URN.test(agencyUrn)) {
      problems.push(`agency-urn: "${agencyUrn}" is not an agency URN: use iam::<account-id>:agency:<name>`);
      ok = false;
    }
    return ok ? { kind: 'huawei-sts', providerUrn, agencyUrn } : undefined;
  }
  for (const name of setHuawei) problems.push(`${name}: a Huawei Cloud input: with provider alibabacloud use role-arn and oidc-provider-arn, or set ${setting(syntax, 'provider', 'huaweicloud')}`);
  if (setAlibaba.length === 0) return undefined;
  const roleArn = get('role-arn');
  const oidcProviderArn = get('oidc-provider-arn');
  let ok = true;
  if (roleArn === '') {
    problems.push('role-arn: missing while oidc-provider-arn is set: copy the RAM role\'s ARN (acs:ram::<account-id>:role/<name>) from the RAM console');
    ok = false;
  } else if (!ALIBABA_ROLE_ARN.test(roleArn)) {
    problems.push(`role-arn: "${roleArn}" is not a RAM role ARN: use acs:ram::<account-id>:role/<name>`);
    ok = false;
  }
  if (oidcProviderArn === '') {
    problems.push('oidc-provider-arn: missing while role-arn is set: copy the OIDC provider\'s ARN (acs:ram::<account-id>:oidc-provider/<name>) from RAM > SSO > OIDC');
    ok = false;
  } else if (!ALIBABA_OIDC_PROVIDER_ARN.test(oidcProviderArn)) {
    problems.push(`oidc-provider-arn: "${oidcProviderArn}" is not an OIDC provider ARN: use acs:ram::<account-id>:oidc-provider/<name>`);
    ok = false;
  }
  return ok ? { kind: 'alibaba-sts', roleArn, oidcProviderArn } : undefined;
}

/**
 * The first source that is there: the oidc-token input, a token file, the
 * variable oidc-token-env names, then GitHub's token request. On GitHub
 * without `permissions: id-token: write` the runner gives no request URL,
 * which is the most common keyless failure; it is named with its fix here.
 */
function parseTokenSource(
  get: (name: string) => string,
  env: Readonly<Record<string, string | undefined>>,
  audience: string,
  syntax: InputSyntax,
  problems: string[],
  cwd: string,
): IdTokenSource | undefined {
  const token = get('oidc-token');
  if (token !== '') {
    if (!JWT_SHAPE.test(token)) {
      problems.push('oidc-token: not a JWT (three base64url parts joined by "."): pass the ID token itself, e.g. from a secret or an id_tokens: variable');
      return undefined;
    }
    return { kind: 'input', token };
  }
  const file = get('oidc-token-file');
  if (file !== '') return { kind: 'file', path: resolve(cwd, file) };
  const variable = get('oidc-token-env');
  if (!ENV_NAME.test(variable)) {
    problems.push(`oidc-token-env: "${variable}" is not an environment variable name: use letters, digits and "_", e.g. IMAGESHIP_ID_TOKEN`);
    return undefined;
  }
  if ((env[variable] ?? '').trim() !== '') return { kind: 'env', variable };
  if (env['GITHUB_ACTIONS'] === 'true') {
    const requestUrl = env['ACTIONS_ID_TOKEN_REQUEST_URL'] ?? '';
    const requestToken = env['ACTIONS_ID_TOKEN_REQUEST_TOKEN'] ?? '';
    if (requestUrl === '' || requestToken === '') {
      problems.push(
        'oidc-token: GitHub gave this job no ID token (ACTIONS_ID_TOKEN_REQUEST_URL is not set): add "permissions: id-token: write" to the job (or workflow); ' +
          'a pull request from a fork never gets one, use a stored key or a workflow_run job there',
      );
      return undefined;
    }
    return { kind: 'github', requestUrl, requestToken };
  }
  if (env['GITLAB_CI'] === 'true') {
    problems.push(`oidc-token: no ID token in $${variable}: add to the job "id_tokens: ${variable}: aud: ${audience}" (or set oidc-token-env to the id_tokens variable you declared)`);
  } else {
    problems.push(
      `oidc-token: no OIDC ID token found: ${syntax === 'cli' ? `put it in env ${variable} (GitLab: id_tokens: ${variable}: aud: ${audience}), or pass --oidc-token-file` : `set oidc-token or oidc-token-file, or env ${variable}`}`,
    );
  }
  return undefined;
}

function parseDuration(text: string, problems: string[]): number {
  const seconds = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!(seconds >= MIN_SESSION_SECONDS && seconds <= MAX_SESSION_SECONDS)) {
    problems.push(`session-duration: "${text}" is not a number of seconds from ${MIN_SESSION_SECONDS} (15 minutes) to ${MAX_SESSION_SECONDS} (12 hours): e.g. 3600`);
    return 3600;
  }
  return seconds;
}

/** `imageship-<run id>`: the audit log then leads back to the CI run. */
function defaultSessionName(env: Readonly<Record<string, string | undefined>>): string {
  const run = env['GITHUB_RUN_ID'] || env['CI_JOB_ID'] || env['BUILD_BUILDID'] || env['BUILD_NUMBER'] || '';
  const cleaned = run.replace(/[^A-Za-z0-9_.@=,+-]/g, '').slice(0, 50);
  return cleaned === '' ? 'imageship' : `imageship-${cleaned}`;
}
