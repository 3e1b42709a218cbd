import { howToSetSecret, type InputSyntax } from '../domain/input-syntax.js';
import type { LoginMethod } from './types.js';

const ACCESS_KEY_ID = /^(STS\.)?[A-Za-z0-9]{12,64}$/;
const ACCESS_KEY_SECRET = /^[A-Za-z0-9]{20,64}$/;
const INSTANCE_ID = /^cri-[a-z0-9]{8,32}$/;
const INSTANCE_NAME = /^[a-z0-9]([a-z0-9-]{1,28}[a-z0-9])$/;
/** Enterprise Edition hosts: `<instance>-registry[-vpc].<region>.cr.aliyuncs.com`. */
const ENTERPRISE_HOST = /-registry(-vpc)?\.[a-z0-9-]+\.cr\.aliyuncs\.com$/;

export interface AlibabaInputs {
  region: string;
  accessKeyId: string;
  accessKeySecret: string;
  securityToken: string;
  username: string;
  password: string;
  instanceId: string;
  instanceName: string;
  vpc: boolean;
  /** The `registry` input (or the deploy-image's registry), '' when derived. */
  registryOverride: string;
  /** How the user writes options (a missing key is set differently on the command line). */
  syntax?: InputSyntax;
  /** A keyless run: the STS keys come from AssumeRoleWithOIDC at run time (parse-keyless.ts checks those inputs). */
  keyless?: boolean;
}

/** Alibaba Cloud regions: `cn-hangzhou`, `ap-southeast-1`, `cn-shanghai-finance-1`. */
export function checkAlibabaRegion(region: string): string | undefined {
  if (/^[a-z]{2}(-[a-z]+)+(-\d{1,2})?$/.test(region)) return undefined;
  if (/^[a-z]{2}(-[a-z]+)+(-\d{1,2})?$/.test(region.toLowerCase())) return `"${region}" must be lowercase: use "${region.toLowerCase()}"`;
  return `"${region}" is not an Alibaba Cloud region id: use one such as cn-hangzhou or ap-southeast-1`;
}

/** ACR namespaces: 2-30 lowercase letters, digits and `.`, `_`, `-`, not at either end. */
export function checkAcrNamespace(namespace: string): string | undefined {
  if (namespace.length < 2 || namespace.length > 30) return `"${namespace}" must be 2 to 30 characters long`;
  if (namespace !== namespace.toLowerCase()) return `"${namespace}" must be lowercase: use "${namespace.toLowerCase()}"`;
  if (!/^[a-z0-9][a-z0-9._-]*[a-z0-9]$/.test(namespace)) return `"${namespace}" may hold only a-z, 0-9, ".", "_" and "-", not at either end`;
  return undefined;
}

/** Personal Edition `registry[-vpc].<region>.aliyuncs.com`, or the Enterprise instance's host. */
export function alibabaRegistryHost(region: string, instanceName: string, vpc: boolean): string {
  const network = vpc ? '-vpc' : '';
  return instanceName === '' ? `registry${network}.${region}.aliyuncs.com` : `${instanceName}-registry${network}.${region}.cr.aliyuncs.com`;
}

/**
 * ACR logins: a fixed username/password (Personal Edition's "fixed
 * password", or an Enterprise access credential), or a temporary login
 * exchanged for the AK/SK at run time. The top complaints about the official
 * login action are a missing instance id on Enterprise Edition and keys that
 * are silently wrong, so both are caught here, before any call.
 */
export function decideAlibabaLogin(inputs: AlibabaInputs, problems: string[]): LoginMethod {
  const hasKeys = inputs.accessKeyId !== '' || inputs.accessKeySecret !== '';
  const hasPassword = inputs.username !== '' || inputs.password !== '';

  if (inputs.region === '') problems.push('region: required for provider alibabacloud: set the region id, e.g. cn-hangzhou');
  if (inputs.instanceId !== '' && !INSTANCE_ID.test(inputs.instanceId)) {
    problems.push(`instance-id: "${inputs.instanceId}" is not an ACR Enterprise instance id (cri-…): copy it from the instance's overview page`);
  }
  if (inputs.instanceName !== '' && !INSTANCE_NAME.test(inputs.instanceName)) {
    problems.push(`instance-name: "${inputs.instanceName}" is not an instance name (3-30 lowercase letters, digits and "-")`);
  }
  if (inputs.keyless) {
    const enterprise = inputs.instanceName !== '' || ENTERPRISE_HOST.test(inputs.registryOverride);
    if (enterprise && inputs.instanceId === '') {
      problems.push('instance-id: required for a temporary login to an Enterprise Edition instance (GetAuthorizationToken takes the instance id): set instance-id (cri-…)');
    }
    // Filled in by the keyless exchange (credentials/keyless.ts) before the first call.
    return {
      kind: 'acr-temporary',
      edition: inputs.instanceId !== '' ? 'enterprise' : 'personal',
      region: inputs.region,
      instanceId: inputs.instanceId,
      accessKeyId: '',
      accessKeySecret: '',
      securityToken: '',
    };
  }
  if (inputs.securityToken !== '' && !hasKeys) {
    problems.push('security-token: set, but no access-key/secret-key to go with it: set both (from STS)');
  }

  if (hasKeys && hasPassword) {
    problems.push('username: give either username/password or access-key/secret-key (temporary login), not both: remove one pair');
    return { kind: 'anonymous' };
  }
  if (hasPassword) {
    if (inputs.username === '') problems.push('username: missing while password is set: set username (e.g. the Alibaba Cloud account name)');
    if (inputs.password === '') problems.push('password: missing while username is set: set password (the registry login password, from a secret)');
    return { kind: 'password', username: inputs.username, password: inputs.password };
  }
  if (!hasKeys) {
    problems.push('access-key: provider alibabacloud needs a login: set username/password, or access-key/secret-key (env ALIBABA_CLOUD_ACCESS_KEY_ID/SECRET) for a temporary login');
    return { kind: 'anonymous' };
  }

  const syntax = inputs.syntax ?? 'action';
  if (inputs.accessKeyId === '') problems.push(`access-key: missing while secret-key is set: ${howToSetSecret(syntax, 'access-key', ['ALIBABA_CLOUD_ACCESS_KEY_ID'])}`);
  if (inputs.accessKeySecret === '') problems.push(`secret-key: missing while access-key is set: ${howToSetSecret(syntax, 'secret-key', ['ALIBABA_CLOUD_ACCESS_KEY_SECRET'])}`);
  if (inputs.accessKeyId !== '' && !ACCESS_KEY_ID.test(inputs.accessKeyId)) {
    problems.push('access-key: not an Alibaba Cloud AccessKey ID (LTAI…, 12-64 letters and digits): copy it from the RAM console without spaces or quotes');
  }
  if (inputs.accessKeySecret !== '' && !ACCESS_KEY_SECRET.test(inputs.accessKeySecret)) {
    problems.push('secret-key: not an Alibaba Cloud AccessKey secret (20-64 letters and digits): copy it again without spaces or quotes');
  }
  if (inputs.accessKeyId.startsWith('STS.') && inputs.securityToken === '') {
    problems.push('security-token: an STS AccessKey ID (STS.…) needs its security token: set security-token (or env ALIBABA_CLOUD_SECURITY_TOKEN)');
  }

  const enterpriseHost = inputs.instanceName !== '' || ENTERPRISE_HOST.test(inputs.registryOverride);
  if (enterpriseHost && inputs.instanceId === '') {
    problems.push('instance-id: required for a temporary login to an Enterprise Edition instance (GetAuthorizationToken takes the instance id): set instance-id (cri-…), or use username/password');
  }
  return {
    kind: 'acr-temporary',
    edition: inputs.instanceId !== '' ? 'enterprise' : 'personal',
    region: inputs.region,
    instanceId: inputs.instanceId,
    accessKeyId: inputs.accessKeyId,
    accessKeySecret: inputs.accessKeySecret,
    securityToken: inputs.securityToken,
  };
}
