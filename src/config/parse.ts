import { isAbsolute, join, resolve } from 'node:path';
import { parseTagRules } from '../tags/index.js';
import { checkOrganization, checkRegion, checkRegistryHost, checkRepository } from './naming.js';
import { parseBooleanValue, parsePairs, splitLines, splitList } from './read-values.js';
import { OPTIONS, optionSpec } from './schema.js';
import { ConfigError, type BuildSettings, type Config, type LoginMethod } from './types.js';

/** Returns an option's raw value as the user gave it ('' when unset). */
export type OptionReader = (name: string) => string;

export interface ParseEnvironment {
  /** Environment for `envFallback` variables (HUAWEICLOUD_SDK_AK…). */
  env: Readonly<Record<string, string | undefined>>;
  /** Directory relative paths (context, dockerfile) are resolved against. */
  cwd: string;
}

/**
 * Reads every option through the schema: value, else env fallback, else
 * default. Unknown names are a programming error, so they throw.
 */
export function readOptions(read: OptionReader, environment: ParseEnvironment): Map<string, string> {
  const values = new Map<string, string>();
  for (const spec of OPTIONS) {
    let value = read(spec.name).trim();
    for (const variable of spec.envFallback ?? []) {
      if (value !== '') break;
      value = (environment.env[variable] ?? '').trim();
    }
    if (value === '' && spec.default !== undefined) value = spec.default;
    values.set(spec.name, value);
  }
  return values;
}

const ACCESS_KEY = /^[A-Z0-9]{16,64}$/;
const SECRET_KEY = /^[A-Za-z0-9]{16,128}$/;
const BUILD_ARG_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const LABEL_NAME = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;
const PLATFORM = /^[a-z0-9]+\/[a-z0-9_]+(\/[a-z0-9]+)?$/;

/**
 * Turns raw option values into a validated, immutable Config, or throws a
 * ConfigError listing every problem at once (one line each: the input, what
 * is wrong, how to fix it). Touches nothing outside memory.
 */
export function parseConfig(read: OptionReader, environment: ParseEnvironment): Config {
  const values = readOptions(read, environment);
  const get = (name: string): string => values.get(name) ?? '';
  const problems: string[] = [];

  const bool = (name: string): boolean => parseBooleanValue(name, get(name), problems) ?? optionSpec(name).default === 'true';

  const provider = get('provider');
  const allowedProviders = optionSpec('provider').values ?? [];
  if (!allowedProviders.includes(provider)) {
    problems.push(`provider: "${provider}" is not supported: use one of ${allowedProviders.join(', ')}`);
  }
  const isHuawei = provider !== 'generic';

  const region = get('region');
  const accessKey = get('access-key');
  const secretKey = get('secret-key');
  const username = get('username');
  const password = get('password');
  const hasAkSk = accessKey !== '' || secretKey !== '';
  const hasPassword = username !== '' || password !== '';

  let login: LoginMethod = { kind: 'anonymous' };
  if (hasAkSk && hasPassword) {
    problems.push('username: give either access-key/secret-key (derived SWR login) or username/password, not both: remove one pair');
  } else if (hasAkSk) {
    if (!isHuawei) {
      problems.push('access-key: an AK/SK login is only derived for provider huaweicloud: set provider: huaweicloud, or use username/password for a generic registry');
    }
    if (accessKey === '') problems.push('access-key: missing while secret-key is set: set access-key (or env HUAWEICLOUD_SDK_AK)');
    if (secretKey === '') problems.push('secret-key: missing while access-key is set: set secret-key (or env HUAWEICLOUD_SDK_SK)');
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
    login = { kind: 'swr-aksk', region, accessKey, secretKey };
  } else if (hasPassword) {
    if (username === '') problems.push('username: missing while password is set: set username');
    if (password === '') problems.push('password: missing while username is set: set password (from a secret)');
    login = { kind: 'password', username, password };
  } else if (isHuawei) {
    problems.push(
      'access-key: required for provider huaweicloud: pass access-key and secret-key from secrets (or env HUAWEICLOUD_SDK_AK/HUAWEICLOUD_SDK_SK), or username/password',
    );
  }

  if (region !== '') {
    const problem = isHuawei ? checkRegion(region) : undefined;
    if (problem) problems.push(`region: ${problem}`);
  }

  const domain = get('domain');
  if (isHuawei && !/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(domain)) {
    problems.push(`domain: "${domain}" is not a domain name such as myhuaweicloud.com`);
  }

  if (isHuawei && region === '' && (login.kind === 'swr-aksk' || get('registry') === '')) {
    problems.push('region: required for SWR (the registry is swr.<region>.<domain>, the login user <region>@<AK>): set region, e.g. cn-north-4');
  }

  let registry = get('registry');
  if (registry !== '') {
    const problem = checkRegistryHost(registry);
    if (problem) problems.push(`registry: ${problem}`);
    registry = registry.toLowerCase();
  } else if (isHuawei) {
    registry = `swr.${region}.${domain}`;
  } else {
    problems.push('registry: required for provider generic: set the registry host[:port], e.g. registry.example.com');
  }

  const namespace = get('namespace');
  const image = get('image');
  if (namespace === '') {
    if (isHuawei) problems.push('namespace: required for SWR: set the organization that holds the image, e.g. my-org');
  } else {
    const problem = checkOrganization(namespace);
    if (problem) problems.push(`namespace: ${problem}`);
  }
  if (image === '') {
    problems.push('image: required: set the image name, e.g. my-app');
  } else {
    const problem = checkRepository(image);
    if (problem) problems.push(`image: ${problem}`);
  }
  const repository = namespace === '' ? image : `${namespace}/${image}`;
  if (repository.length > 255) problems.push(`image: "${repository}" is longer than 255 characters with its namespace: shorten it`);

  const tagRules = get('tags');
  for (const problem of parseTagRules(tagRules).errors) problems.push(problem.startsWith('tags:') ? problem : `tags: ${problem}`);

  const build = parseBuildSettings(get, environment.cwd, problems);
  for (const [name, value] of build.buildArgs) {
    if (secretKey !== '' && value.includes(secretKey)) {
      problems.push(`build-args: ${name} holds the secret-key: build arguments stay in the image history; use a build secret instead`);
    }
  }

  const push = bool('push');
  const dryRun = bool('dry-run');
  const logout = bool('logout');
  if (!push && build.platforms.length > 1) {
    problems.push('platforms: several platforms need push: true (a multi-platform image cannot be loaded into the local image store)');
  }

  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze({
    provider: isHuawei ? 'huaweicloud' : 'generic',
    region,
    registry,
    login: Object.freeze(login),
    repository,
    destination: `${registry}/${repository}`,
    tagRules,
    build,
    push,
    dryRun,
    logout,
  });
}

function parseBuildSettings(get: (name: string) => string, cwd: string, problems: string[]): BuildSettings {
  const context = resolve(cwd, get('context'));
  const dockerfileInput = get('dockerfile');
  const dockerfile = dockerfileInput === '' ? join(context, 'Dockerfile') : isAbsolute(dockerfileInput) ? dockerfileInput : resolve(cwd, dockerfileInput);

  const platforms = splitList(get('platforms'));
  for (const platform of platforms) {
    if (!PLATFORM.test(platform)) problems.push(`platforms: "${platform}" is not os/arch[/variant], e.g. linux/amd64 or linux/arm64/v8`);
  }
  const target = get('target');
  if (target !== '' && !/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(target)) {
    problems.push(`target: "${target}" is not a build stage name (letters, digits, _ . -)`);
  }
  const parseFlag = (name: string, fallback: boolean): boolean => parseBooleanValue(name, get(name), problems) ?? fallback;

  return Object.freeze({
    context,
    dockerfile,
    dockerfileGiven: dockerfileInput !== '',
    buildArgs: parsePairs('build-args', get('build-args'), BUILD_ARG_NAME, 'NAME', problems),
    labels: parsePairs('labels', get('labels'), LABEL_NAME, 'name', problems),
    target,
    platforms,
    noCache: parseFlag('no-cache', false),
    pull: parseFlag('pull', false),
    cacheFrom: splitLines(get('cache-from')),
    cacheTo: splitLines(get('cache-to')),
  });
}
