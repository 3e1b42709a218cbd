import { howToSetSecret, setting, type InputSyntax } from '../domain/input-syntax.js';
import type { LoginMethod } from './types.js';

const ACCESS_KEY = /^[A-Z0-9]{16,64}$/;
const SECRET_KEY = /^[A-Za-z0-9]{16,128}$/;

export interface LoginInputs {
  isHuawei: boolean;
  region: string;
  accessKey: string;
  secretKey: string;
  username: string;
  password: string;
  /** Security token of temporary keys ('' for a permanent pair). */
  securityToken?: string;
  /** A deploy target signs Huawei Cloud API calls with the AK/SK (FunctionGraph, CCE, CCI, SWR sharing). */
  needsCloudApi: boolean;
  /** A registry-auth huaweicloud entry logs in with the AK/SK, so they may stand next to username/password or on a generic registry. */
  keysForRegistryAuth?: boolean;
  /** How the user writes options (the fix for a missing key differs: an input, or env/stdin on the command line). */
  syntax?: InputSyntax;
}

export interface LoginDecision {
  login: LoginMethod;
  /** AK/SK for signed cloud API calls, when given. */
  cloudCredentials: { accessKey: string; secretKey: string; securityToken?: string } | undefined;
}

/**
 * Decides how to log into the registry and which keys sign cloud API calls.
 * The AK/SK serve two purposes (the derived SWR login and API signing), so
 * they are accepted next to username/password or on a generic registry only
 * when a deploy target needs them; otherwise the mix is a mistake worth naming.
 */
export function decideLogin(inputs: LoginInputs, problems: string[]): LoginDecision {
  const { isHuawei, accessKey, secretKey, username, password } = inputs;
  const needsCloudApi = inputs.needsCloudApi || inputs.keysForRegistryAuth === true;
  const syntax = inputs.syntax ?? 'action';
  const hasAkSk = accessKey !== '' || secretKey !== '';
  const hasPassword = username !== '' || password !== '';

  if (hasAkSk) checkKeyPair(accessKey, secretKey, syntax, problems);
  if (hasPassword) {
    if (username === '') problems.push('username: missing while password is set: set username');
    if (password === '') problems.push('password: missing while username is set: set password (from a secret)');
  }

  if (hasAkSk && hasPassword && !needsCloudApi) {
    problems.push('username: give either access-key/secret-key (derived SWR login) or username/password, not both: remove one pair');
  } else if (hasAkSk && !isHuawei && !needsCloudApi) {
    problems.push(`access-key: an AK/SK login is only derived for provider huaweicloud: set ${setting(syntax, 'provider', 'huaweicloud')}, or use username/password for a generic registry`);
  } else if (!hasAkSk && !hasPassword && isHuawei) {
    problems.push(
      syntax === 'cli'
        ? 'access-key: required for provider huaweicloud: set env HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK (or IMAGESHIP_ACCESS_KEY and IMAGESHIP_SECRET_KEY; the SK may instead be piped to --secret-key-stdin), or use --username with env IMAGESHIP_PASSWORD'
        : 'access-key: required for provider huaweicloud: pass access-key and secret-key from secrets (or env HUAWEICLOUD_SDK_AK/HUAWEICLOUD_SDK_SK), or username/password',
    );
  }
  if (inputs.needsCloudApi && !hasAkSk) {
    problems.push('access-key: FunctionGraph and CCE calls are signed with access-key/secret-key (so are CCI and SWR sharing calls): set both (from secrets)');
  }

  const securityToken = inputs.securityToken ?? '';
  if (securityToken !== '' && !hasAkSk) {
    problems.push('security-token: set, but no access-key/secret-key to go with it: pass the temporary AK, SK and security token from the same answer');
  }
  // Temporary keys cannot derive the long-term login (SWR refuses it): the temporary login is fetched with them instead.
  const login: LoginMethod = hasPassword
    ? { kind: 'password', username, password }
    : hasAkSk && isHuawei
      ? securityToken !== ''
        ? { kind: 'swr-temporary', region: inputs.region }
        : { kind: 'swr-aksk', region: inputs.region, accessKey, secretKey }
      : { kind: 'anonymous' };
  return { login, cloudCredentials: hasAkSk ? { accessKey, secretKey, ...(securityToken === '' ? {} : { securityToken }) } : undefined };
}

function checkKeyPair(accessKey: string, secretKey: string, syntax: InputSyntax, problems: string[]): void {
  if (accessKey === '') problems.push(`access-key: missing while secret-key is set: ${howToSetSecret(syntax, 'access-key', ['HUAWEICLOUD_SDK_AK'])}`);
  if (secretKey === '') problems.push(`secret-key: missing while access-key is set: ${howToSetSecret(syntax, 'secret-key', ['HUAWEICLOUD_SDK_SK'])}`);
  if (accessKey !== '' && !ACCESS_KEY.test(accessKey)) {
    problems.push(
      /[a-z]/.test(accessKey) && ACCESS_KEY.test(secretKey)
        ? 'access-key: looks like a secret key: access-key and secret-key seem swapped'
        : 'access-key: not a Huawei Cloud access key id (16-64 uppercase letters and digits): copy the AK from "My Credentials > Access Keys", without spaces or quotes',
    );
  }
  if (secretKey !== '' && !SECRET_KEY.test(secretKey)) {
    problems.push('secret-key: not a Huawei Cloud secret key (16-128 letters and digits): copy the SK from the credentials.csv of the access key, without spaces or quotes');
  }
}
