/**
 * The `registry-auth` input: more registry logins for one step, in the shape
 * docker/login-action takes (a YAML list of `registry`, `username`,
 * `password`), so a build can pull private bases from one registry and push
 * to others. A Huawei Cloud or Alibaba Cloud entry may instead name its
 * `provider` and `region` and use the step's cloud credentials (the derived
 * or temporary SWR login, the ACR temporary login).
 *
 * Every problem is one line naming the entry (counted from 1, as listed) and
 * the field, found before anything is logged in. No message ever quotes the
 * input's text: it holds passwords, and a YAML error near one would
 * otherwise print it.
 *
 * Pure: the YAML parser is handed in (it is loaded only when the input is
 * set, see yaml-loader.ts), nothing is read or sent.
 */
import { swrDomain } from '../domain/targets/huawei-endpoints.js';
import { closestName } from './closest-name.js';
import { checkAlibabaRegion, alibabaRegistryHost } from './parse-alibaba.js';
import { checkRegion, checkRegistryHost } from './naming.js';
import type { RegistryAuthEntry } from './types.js';

/** The part of the `yaml` package this module uses. */
export interface YamlParser {
  parseDocument(text: string, options: { schema: 'failsafe'; prettyErrors: false; uniqueKeys: boolean }): {
    errors: readonly { code?: string; pos?: readonly number[] }[];
    toJS(): unknown;
  };
}

export interface RegistryAuthContext {
  /** Cloud domain for `swr.<region>.<domain>`. */
  domain: string;
  /** The step has Huawei Cloud keys (its AK/SK, or env HUAWEICLOUD_SDK_AK/SK). */
  hasHuaweiKeys: boolean;
  /** The step has Alibaba Cloud keys (its AK/SK with provider alibabacloud, or env ALIBABA_CLOUD_ACCESS_KEY_ID/SECRET). */
  hasAlibabaKeys: boolean;
}

const INPUT = 'registry-auth';

/** What an entry may hold: login-action's keys (`ecr` only as false), and the provider keys. */
const KNOWN_KEYS = ['registry', 'username', 'password', 'provider', 'region', 'instance-id', 'instance-name', 'ecr', 'scope'] as const;
/** Keys whose values are never secret; every other value (and any line that is not `key: value`) is masked. */
const PLAIN_KEYS = new Set(['registry', 'username', 'provider', 'region', 'instance-id', 'instance-name', 'ecr', 'scope']);
const PROVIDERS = ['huaweicloud', 'alibabacloud', 'generic'];
const PROVIDER_ALIASES: Readonly<Record<string, string>> = { huawei: 'huaweicloud', swr: 'huaweicloud', hwc: 'huaweicloud', alibaba: 'alibabacloud', aliyun: 'alibabacloud', acr: 'alibabacloud' };
const INSTANCE_ID = /^cri-[a-z0-9]{8,32}$/;
const INSTANCE_NAME = /^[a-z0-9]([a-z0-9-]{1,28}[a-z0-9])$/;
/** Amazon ECR private and public hosts, where login-action exchanges the keys for a token (`ecr: auto`). */
const ECR_HOST = /(^|\.)dkr[.-]ecr\.[a-z0-9-]+\.(amazonaws\.com(\.cn)?|on\.aws|amazonaws\.eu)$|^public\.ecr\.aws$|^ecr-public\.aws\.com$/;

/**
 * The values in `text` that may be secrets, found line by line so that they
 * are masked even when the YAML does not parse: the value of every key that
 * is not a plain one (`password`, and any misspelt key), and every line that
 * is not `key: value` at all.
 */
export function registryAuthSecrets(text: string): string[] {
  const found: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line === '-' || line.startsWith('#')) continue;
    const match = /^(?:-\s+)?([A-Za-z][A-Za-z0-9_-]*)\s*:(?:\s+(.*))?$/.exec(line);
    if (match === null) {
      found.push(line, unquote(line.replace(/^-\s+/, '')));
      continue;
    }
    const value = unquote((match[2] ?? '').replace(/\s+#.*$/, '').trim());
    // An unclosed quote (the YAML error itself) leaves the bare value with a quote at one end.
    if (!PLAIN_KEYS.has((match[1] ?? '').toLowerCase()) && value !== '') found.push(value, value.replace(/^['"]|['"]$/g, ''), (match[2] ?? '').trim());
  }
  return [...new Set(found.filter((value) => value.length >= 4))];
}

function unquote(value: string): string {
  return /^(['"]).*\1$/.test(value) && value.length >= 2 ? value.slice(1, -1) : value;
}

export interface ParsedRegistryAuth {
  /** The valid entries (an entry with a problem is left out). */
  entries: RegistryAuthEntry[];
  /** Clouds whose keys the entries want, valid or not, so the step's keys are judged as meant for them. */
  clouds: ReadonlySet<'huaweicloud' | 'alibabacloud'>;
}

/** Parses and checks the input; every problem goes to `problems` as one line. Empty input: no entries. */
export function parseRegistryAuth(text: string, yaml: YamlParser | undefined, context: RegistryAuthContext, problems: string[]): ParsedRegistryAuth {
  const clouds = new Set<'huaweicloud' | 'alibabacloud'>();
  const none = { entries: [], clouds };
  if (text.trim() === '') return none;
  if (yaml === undefined) {
    problems.push(`${INPUT}: the YAML parser is not loaded: await loadRegistryAuthParser() and pass it as ParseEnvironment.yaml (the action and the CLI do this themselves)`);
    return none;
  }
  // failsafe: every scalar stays a string, so a password such as 0123 or `true` is not turned into a number or a boolean.
  const document = yaml.parseDocument(text, { schema: 'failsafe', prettyErrors: false, uniqueKeys: true });
  const error = document.errors[0];
  if (error !== undefined) {
    // Only the position: the parser's message may quote the text around it, which may be a password.
    const offset = error.pos?.[0];
    const lines = offset === undefined ? undefined : text.slice(0, offset).split('\n');
    const where = lines ? ` at line ${lines.length}, column ${(lines.at(-1)?.length ?? 0) + 1}` : '';
    const what = error.code === 'DUPLICATE_KEY' ? 'a key appears twice in one entry' : `not valid YAML (${(error.code ?? 'unreadable').toLowerCase().replace(/_/g, ' ')})`;
    problems.push(`${INPUT}: ${what}${where}: write a YAML list, one "- registry: …" entry per registry with its keys indented under it (the input's text is not shown: it holds passwords)`);
    return none;
  }
  const value = document.toJS();
  if (!Array.isArray(value)) {
    problems.push(`${INPUT}: not a YAML list: start each entry with "- ", e.g. "- registry: ghcr.io" with username and password indented under it`);
    return none;
  }

  const entries: RegistryAuthEntry[] = [];
  value.forEach((item: unknown, position) => {
    const entry = parseEntry(item, position + 1, context, problems, clouds);
    if (entry !== undefined) entries.push(entry);
  });
  checkDuplicates(entries, problems);
  return { entries, clouds };
}

function parseEntry(
  item: unknown,
  index: number,
  context: RegistryAuthContext,
  problems: string[],
  clouds: Set<'huaweicloud' | 'alibabacloud'>,
): RegistryAuthEntry | undefined {
  const at = `${INPUT}: entry ${index}`;
  if (item === null || typeof item !== 'object' || Array.isArray(item)) {
    problems.push(`${at} is not a mapping: give it keys, e.g. "- registry: ghcr.io" with username and password indented under it`);
    return undefined;
  }
  const fields = item as Record<string, unknown>;
  const before = problems.length;
  const get = (key: string): string => {
    const raw = fields[key];
    if (raw === undefined || raw === null) return '';
    if (typeof raw !== 'string') {
      problems.push(`${at}, ${key}: must be a single value, not a list or a mapping`);
      return '';
    }
    return raw.trim();
  };
  for (const key of Object.keys(fields)) {
    if ((KNOWN_KEYS as readonly string[]).includes(key)) continue;
    problems.push(unknownKeyProblem(at, key));
  }
  // A misspelt key (`pasword`) already says what is wrong: "password: missing" would only repeat it.
  const misspelt = problems.length > before;

  const scope = get('scope');
  if (scope !== '') {
    problems.push(`${at}, scope: not supported: imageship writes each login to the Docker config, which buildx and docker both use; remove scope (a login limited to one repository is a registry-side token)`);
  }
  const providerRaw = get('provider');
  const provider = providerRaw === '' ? 'generic' : providerRaw;
  const meantProvider = PROVIDERS.includes(provider) ? provider : (PROVIDER_ALIASES[provider.toLowerCase()] ?? closestName(provider, PROVIDERS));
  if (meantProvider === 'huaweicloud' || meantProvider === 'alibabacloud') clouds.add(meantProvider);
  if (!PROVIDERS.includes(provider)) {
    const meant = meantProvider;
    problems.push(`${at}, provider: "${provider}" is not supported: ${meant ? `use ${meant}` : `use one of ${PROVIDERS.join(', ')}`}`);
    return undefined;
  }

  const registryInput = get('registry');
  const username = get('username');
  const password = typeof fields['password'] === 'string' ? fields['password'] : get('password');
  const region = get('region');
  const instanceId = get('instance-id');
  const instanceName = get('instance-name');

  if (registryInput !== '') {
    const problem = checkRegistryHost(registryInput);
    if (problem) problems.push(`${at}, registry: ${problem}`);
  }

  let entry: RegistryAuthEntry | undefined;
  if (provider === 'generic') {
    for (const key of ['region', 'instance-id', 'instance-name']) {
      if (get(key) !== '') problems.push(`${at}, ${key}: only used with provider huaweicloud or alibabacloud: set provider, or remove ${key}`);
    }
    const registry = normaliseRegistry(registryInput === '' ? 'docker.io' : registryInput);
    checkEcr(at, registry, get('ecr'), problems);
    if (username === '' && !misspelt) problems.push(`${at}, username: missing: set the user for ${registry}${password === '' ? ', and its password (from a secret)' : ''}`);
    if (password === '' && username !== '' && !misspelt) problems.push(`${at}, password: missing: set the password or token for ${registry} (from a secret)`);
    entry = { index, kind: 'password', registry, username, password };
  } else {
    checkEcr(at, registryInput.toLowerCase(), get('ecr'), problems);
    for (const key of ['username', 'password']) {
      if (fields[key] !== undefined) problems.push(`${at}, ${key}: provider ${provider} logs in with the step's credentials: remove ${key}, or remove provider for a username/password login`);
    }
    if (region === '' && !misspelt) problems.push(`${at}, region: required for provider ${provider}: set the registry's region, e.g. ${provider === 'huaweicloud' ? 'cn-north-4' : 'cn-hangzhou'}`);
    if (provider === 'huaweicloud') {
      for (const key of ['instance-id', 'instance-name']) {
        if (get(key) !== '') problems.push(`${at}, ${key}: only used with provider alibabacloud: remove ${key}`);
      }
      const regionProblem = region === '' ? undefined : checkRegion(region);
      if (regionProblem) problems.push(`${at}, region: ${regionProblem}`);
      if (!context.hasHuaweiKeys) {
        problems.push(`${at}, provider: huaweicloud entries log in with the step's Huawei Cloud keys: set access-key and secret-key (or env HUAWEICLOUD_SDK_AK/HUAWEICLOUD_SDK_SK)`);
      }
      const registry = normaliseRegistry(registryInput === '' ? `swr.${region}.${swrDomain(region, context.domain)}` : registryInput);
      entry = { index, kind: 'huaweicloud', registry, region };
    } else {
      const regionProblem = region === '' ? undefined : checkAlibabaRegion(region);
      if (regionProblem) problems.push(`${at}, region: ${regionProblem}`);
      if (instanceId !== '' && !INSTANCE_ID.test(instanceId)) problems.push(`${at}, instance-id: not an ACR Enterprise instance id (cri-…): copy it from the instance's overview page`);
      if (instanceName !== '' && !INSTANCE_NAME.test(instanceName)) problems.push(`${at}, instance-name: not an instance name (3-30 lowercase letters, digits and "-")`);
      if (instanceName !== '' && instanceId === '') {
        problems.push(`${at}, instance-id: required for an Enterprise Edition instance (GetAuthorizationToken takes the instance id): set instance-id (cri-…)`);
      }
      if (!context.hasAlibabaKeys) {
        problems.push(`${at}, provider: alibabacloud entries log in with the step's Alibaba Cloud keys: set access-key/secret-key with provider alibabacloud, or env ALIBABA_CLOUD_ACCESS_KEY_ID/ALIBABA_CLOUD_ACCESS_KEY_SECRET`);
      }
      const registry = normaliseRegistry(registryInput === '' ? alibabaRegistryHost(region, instanceName, false) : registryInput);
      entry = instanceId !== ''
        ? { index, kind: 'alibabacloud', registry, region, edition: 'enterprise', instanceId }
        : { index, kind: 'alibabacloud', registry, region, edition: 'personal', instanceId: '' };
    }
  }

  return problems.length === before ? entry : undefined;
}

/** An entry for the step's own registry would fight the step's login over one Docker config entry. */
export function checkAgainstStepRegistry(entries: readonly RegistryAuthEntry[], stepRegistry: string, problems: string[]): void {
  for (const entry of entries) {
    if (entry.registry !== normaliseRegistry(stepRegistry)) continue;
    problems.push(
      `${INPUT}: entry ${entry.index}, registry: ${entry.registry} is the step's own registry, whose login comes from the step's inputs (access-key/secret-key or username/password): remove this entry, or point the step at another registry`,
    );
  }
}

/** `ecr` is login-action's: only `false` means what imageship does (a plain username/password login). */
function checkEcr(at: string, registry: string, ecr: string, problems: string[]): void {
  const value = ecr.toLowerCase();
  if (value !== '' && !['auto', 'true', 'false'].includes(value)) {
    problems.push(`${at}, ecr: "${ecr}" is not auto, true or false: remove ecr`);
    return;
  }
  if (value === 'true' || (value !== 'false' && ECR_HOST.test(registry))) {
    problems.push(
      `${at}, ecr: imageship does not exchange AWS keys for an Amazon ECR login: set ecr: false with username AWS and the password from aws ecr get-login-password, or log in with aws-actions/amazon-ecr-login before this step (imageship keeps that login)`,
    );
  }
}

function checkDuplicates(entries: readonly RegistryAuthEntry[], problems: string[]): void {
  const first = new Map<string, number>();
  for (const entry of entries) {
    const earlier = first.get(entry.registry);
    if (earlier === undefined) first.set(entry.registry, entry.index);
    else problems.push(`${INPUT}: entry ${entry.index}, registry: ${entry.registry} is already logged in by entry ${earlier}: keep one entry per registry`);
  }
}

function unknownKeyProblem(at: string, key: string): string {
  const known = [...KNOWN_KEYS];
  if (key === 'logout') return `${at}, logout: not an entry key: logout is the step's input and applies to every login`;
  // A key is named only when it looks like one: a pasted secret in key position must not be printed.
  const shown = /^[A-Za-z][A-Za-z0-9_-]{0,23}$/.test(key) ? key : undefined;
  const meant = shown === undefined ? undefined : closestName(shown, known);
  return `${at}, ${shown ?? 'a key'}: not a registry-auth key${meant ? `: did you mean ${meant}?` : ''} (the keys are ${known.join(', ')})`;
}

/** Lowercase `host[:port]`; Docker Hub's spellings are one registry. */
export function normaliseRegistry(host: string): string {
  const lower = host.toLowerCase();
  return lower === 'index.docker.io' || lower === 'registry-1.docker.io' ? 'docker.io' : lower;
}
