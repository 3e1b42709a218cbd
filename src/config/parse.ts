/**
 * Inputs → Config: reads every option through the schema, hands each group to its parse-*.ts module and
 * collects every problem at once, so a bad run reports all of them before any side effect. About 400 lines:
 * the cross-group rules (which login goes with which provider, keyless against keys, package against build
 * inputs) live here because they need more than one group.
 */
import { checkTagRules } from './check-tag-rules.js';
import { closestName } from './closest-name.js';
import { imageAsReferenceProblem } from './image-as-reference.js';
import { setting, type InputSyntax } from '../domain/input-syntax.js';
import { checkOrganization, checkRegion, checkRegistryHost, checkRepository } from './naming.js';
import { parseBooleanValue } from './read-values.js';
import { parseBuildSettings } from './parse-build.js';
import { OPTIONS, optionSpec } from './schema.js';
import { decideLogin } from './parse-login.js';
import { parseCopySettings } from './parse-copy.js';
import { parseMetadataSettings } from './parse-metadata.js';
import { hasAlibabaDeployTargets, hasDeployTargets, needsHuaweiApi, parseDeployImage, parseDeploySettings } from './parse-deploy.js';
import { parseKeyless, wantsKeyless } from './parse-keyless.js';
import { alibabaRegistryHost, checkAcrNamespace, checkAlibabaRegion, decideAlibabaLogin } from './parse-alibaba.js';
import { checkAgainstStepRegistry, parseRegistryAuth, type YamlParser } from './parse-registry-auth.js';
import { ConfigError, type Config, type LoginMethod, type Provider, type RegistryAuthSettings } from './types.js';
import { swrDomain } from '../domain/targets/huawei-endpoints.js';
import { parsePackageSettings } from './parse-package.js';

/** Returns an option's raw value as the user gave it ('' when unset). */
export type OptionReader = (name: string) => string;

export interface ParseEnvironment {
  /** Environment for `envFallback` variables (HUAWEICLOUD_SDK_AK…). */
  env: Readonly<Record<string, string | undefined>>;
  /** Directory relative paths (context, dockerfile) are resolved against. */
  cwd: string;
  /** How the user writes options, for the fixes messages suggest: workflow inputs (default) or CLI flags. */
  syntax?: InputSyntax;
  /** The YAML parser for `registry-auth` (loadRegistryAuthParser); needed only when that input is set. */
  yaml?: YamlParser;
}

/**
 * Reads every option through the schema: value, else env fallback, else
 * default. Unknown names are a programming error, so they throw.
 */
export function readOptions(read: OptionReader, environment: ParseEnvironment): Map<string, string> {
  const values = new Map<string, string>();
  const provider = read('provider').trim() || (OPTIONS.find((o) => o.name === 'provider')?.default ?? '');
  for (const spec of OPTIONS) {
    let value = spec.keepWhitespace ? read(spec.name) : read(spec.name).trim();
    for (const variable of spec.envFallbackByProvider?.[provider] ?? spec.envFallback ?? []) {
      if (value !== '') break;
      value = (environment.env[variable] ?? '').trim();
    }
    if (value === '' && spec.default !== undefined) value = spec.default;
    values.set(spec.name, value);
  }
  return values;
}


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

  const syntax = environment.syntax ?? 'action';
  const providerInput = get('provider');
  const allowedProviders = optionSpec('provider').values ?? [];
  if (!allowedProviders.includes(providerInput)) {
    // Every other check depends on the provider (which login, which registry, which
    // names): judged against a guess they would only add misleading lines.
    throw new ConfigError([unknownProviderProblem(providerInput, allowedProviders)]);
  }
  const provider = providerInput as Provider;
  const isHuawei = provider === 'huaweicloud';
  const isAlibaba = provider === 'alibabacloud';

  const region = get('region');
  const deploy = parseDeploySettings(get, problems);
  const deployImage = parseDeployImage(get('deploy-image'), problems);
  const registryInput = get('registry') !== '' ? get('registry') : (deployImage?.registry ?? '');
  const vpc = bool('vpc');
  checkAlibabaOnlyInputs(isAlibaba, get, vpc, syntax, problems);
  // On a generic registry a security token only signs an obs:// package download (temporary Huawei keys).
  if (provider === 'generic' && get('security-token') !== '' && !/^obs:\/\//i.test(get('package'))) {
    problems.push(`security-token: only used with provider huaweicloud or alibabacloud (temporary cloud keys): set ${setting(syntax, 'provider', 'huaweicloud')}, or remove security-token`);
  }
  const keyless = parseKeyless(
    { provider, domain: get('domain'), get, exportCredentials: bool('export-credentials'), env: environment.env, syntax, cwd: environment.cwd },
    problems,
  );
  // Asked for even when its inputs have problems: the login is then judged as keyless, not as a missing AK/SK.
  const keylessWanted = wantsKeyless(get);

  const domain = get('domain');
  const stepKeys = stepCloudKeys(provider, get, environment.env);
  const { entries: registryAuthEntries, clouds: registryAuthClouds } = parseRegistryAuth(
    get('registry-auth'),
    environment.yaml,
    // A keyless run has no stored keys: its temporary ones (app/keyless.ts) log the entries of its own cloud in.
    {
      domain,
      hasHuaweiKeys: stepKeys.huawei !== undefined || (keylessWanted && isHuawei),
      hasAlibabaKeys: stepKeys.alibaba !== undefined || (keylessWanted && isAlibaba),
    },
    problems,
  );
  const needsHuaweiKeys = registryAuthClouds.has('huaweicloud');

  let login: LoginMethod;
  let cloudCredentials: Config['cloudCredentials'];
  if (isAlibaba) {
    if (deploy.functionUrns.length > 0 || deploy.cceClusterId !== '') {
      problems.push('function-urn: FunctionGraph and CCE are Huawei Cloud targets; with provider alibabacloud use fc-function (Function Compute), sae-app-id (SAE) or deploy-trigger (ACK/Container Service redeploy triggers)');
    }
    if (deploy.cciWorkloads.length > 0) problems.push('cci-workloads: CCI is a Huawei Cloud target; with provider alibabacloud use deploy-trigger');
    if (deploy.shareWith.length > 0) problems.push('share-with: sharing is an SWR (Huawei Cloud) feature; with provider alibabacloud grant access in ACR instead');
    login = decideAlibabaLogin(
      {
        region,
        accessKeyId: get('access-key'),
        accessKeySecret: get('secret-key'),
        securityToken: get('security-token'),
        syntax,
        username: get('username'),
        password: get('password'),
        instanceId: get('instance-id'),
        instanceName: get('instance-name'),
        vpc,
        registryOverride: registryInput,
        keyless: keylessWanted,
      },
      problems,
    );
    cloudCredentials = undefined;
    if (hasAlibabaDeployTargets(deploy) && login.kind === 'password') {
      const input = deploy.fcFunctions.length > 0 ? 'fc-function' : 'sae-app-id';
      problems.push(`${input}: the ${input === 'fc-function' ? 'Function Compute' : 'SAE'} API is signed with an AccessKey: set access-key/secret-key (and security-token for STS) instead of username/password; the registry login is then exchanged for them`);
    }
  } else if (keylessWanted && isHuawei) {
    // The keys come from the OIDC exchange at run time; only the temporary SWR login works with them.
    login = { kind: 'swr-temporary', region };
    cloudCredentials = undefined;
    if (get('username') !== '' || get('password') !== '') login = { kind: 'anonymous' };
  } else {
    if (hasAlibabaDeployTargets(deploy)) {
      const input = deploy.fcFunctions.length > 0 ? 'fc-function' : 'sae-app-id';
      problems.push(`${input}: Function Compute and SAE are Alibaba Cloud targets: set ${setting(syntax, 'provider', 'alibabacloud')} and push to Container Registry, or remove ${input}`);
    }
    ({ login, cloudCredentials } = decideLogin(
      {
        isHuawei,
        region,
        accessKey: get('access-key'),
        secretKey: get('secret-key'),
        username: get('username'),
        password: get('password'),
        securityToken: get('security-token'),
        // An obs:// package is a signed cloud call too: the AK/SK may stand next to a username/password registry login.
        needsCloudApi: needsHuaweiApi(deploy) || (/^obs:\/\//i.test(get('package')) && (get('access-key') !== '' || get('secret-key') !== '')),
        keysForRegistryAuth: needsHuaweiKeys && get('access-key') !== '' && get('secret-key') !== '',
        syntax,
      },
      problems,
    ));
  }

  if (region !== '' && (isHuawei || deploy.cceClusterId !== '')) {
    const problem = checkRegion(region);
    if (problem) problems.push(`region: ${problem}`);
  } else if (region !== '' && isAlibaba) {
    const problem = checkAlibabaRegion(region);
    if (problem) problems.push(`region: ${problem}`);
  }

  if (isHuawei && !/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(domain)) {
    problems.push(`domain: "${domain}" is not a domain name such as myhuaweicloud.com`);
  }

  if (isHuawei && region === '' && (login.kind === 'swr-aksk' || login.kind === 'swr-temporary' || registryInput === '')) {
    problems.push('region: required for SWR (the registry is swr.<region>.<domain>, the login user <region>@<AK>): set region, e.g. cn-north-4');
  } else if (region === '' && deploy.cceClusterId !== '') {
    problems.push('region: required for cce-cluster-id (the CCE API is cce.<region>.<domain>): set region, e.g. cn-north-4');
  } else if (region === '' && deploy.cciWorkloads.length > 0) {
    problems.push('region: required for cci-workloads (the CCI API is cci.<region>.<domain>): set region, e.g. cn-north-4');
  }
  if (deploy.shareWith.length > 0 && provider === 'generic') {
    problems.push('share-with: sharing is done by the SWR API, so the image must be in SWR: set provider huaweicloud (with region and namespace), or remove share-with');
  }

  if (deployImage && get('registry') !== '' && get('registry').toLowerCase() !== deployImage.registry) {
    problems.push(`registry: "${get('registry')}" differs from the deploy-image registry "${deployImage.registry}": remove registry, or fix deploy-image`);
  }
  let registry = registryInput;
  if (registry !== '') {
    const problem = checkRegistryHost(registry);
    if (problem) problems.push(`registry: ${problem}`);
    registry = registry.toLowerCase();
  } else if (isHuawei) {
    registry = `swr.${region}.${swrDomain(region, domain)}`;
  } else if (isAlibaba) {
    registry = alibabaRegistryHost(region, get('instance-name'), vpc);
  } else {
    problems.push('registry: required for provider generic: set the registry host[:port], e.g. registry.example.com');
  }

  const repository = deployImage
    ? deployImage.repository
    : parseRepository({ namespace: get('namespace'), image: get('image'), provider, domain, syntax }, problems);
  if (deployImage && (get('image') !== '' || get('namespace') !== '')) {
    const named = get('namespace') === '' ? get('image') : `${get('namespace')}/${get('image')}`;
    if (named !== deployImage.repository) {
      problems.push(`deploy-image: names repository "${deployImage.repository}" but namespace/image say "${named}": remove namespace and image for a deploy-only run`);
    }
  }

  const tagRules = deployImage ? [] : checkTagRules(get('tags'), syntax, problems);

  const build = parseBuildSettings(get, environment, problems);
  const metadata = parseMetadataSettings(get, environment.env, problems);
  const secretKey = cloudCredentials?.secretKey ?? '';
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
  if (!push && !deployImage && hasDeployTargets(deploy) && !get('source-image') && !get('merge-digests')) {
    problems.push(`push: false, but deploy targets are set: an image must be pushed before it is deployed; set ${setting(syntax, 'push', 'true')}, or use deploy-image`);
  }
  const copy = parseCopySettings(
    {
      get,
      provider,
      hasAkSk: (get('access-key') !== '' && get('secret-key') !== '') || (keylessWanted && isHuawei),
      hasPassword: get('username') !== '' || get('password') !== '',
      push,
      deployImage,
      destination: `${registry}/${repository}`,
      bool,
      hasLogin: login.kind !== 'anonymous',
    },
    problems,
  );
  const packageSettings = parsePackageSettings(
    { get, syntax, region, domain, endpoints: deploy.endpoints, secretValues: secretValuesOf(get) },
    problems,
  );
  if (get('package') !== '' && !push) problems.push('push: false, but package only assembles images in the registry (there is no local image store without Docker): remove push: false (or use dry-run to see the plan)');
  if (deployImage && !hasDeployTargets(deploy)) {
    problems.push('deploy-image: nothing to deploy it to: set function-urn, workloads, cci-workloads, deploy-trigger, fc-function or sae-app-id');
  }

  // The host the login belongs to: what the user named, else the provider's own registry; never just where deploy-image points.
  const loginRegistry = get('registry') !== ''
    ? get('registry').toLowerCase()
    : isHuawei
      ? `swr.${region}.${swrDomain(region, domain)}`
      : isAlibaba
        ? alibabaRegistryHost(region, get('instance-name'), vpc)
        : registry;

  checkAgainstStepRegistry(registryAuthEntries, loginRegistry, problems);
  for (const entry of registryAuthEntries) {
    // Two logins offered for one replica host: which one goes there must not be a guess.
    if (copy.replicateCredentials.includes(entry.registry)) {
      problems.push(`registry-auth: entry ${entry.index}, registry: ${entry.registry} is also in replicate-credentials, which sends the step's login there: remove it from one of them`);
    }
  }
  const registryAuth: RegistryAuthSettings = Object.freeze({
    entries: Object.freeze(registryAuthEntries.map((entry) => Object.freeze(entry))),
    huaweiKeys: needsHuaweiKeys ? stepKeys.huawei : undefined,
    alibabaKeys: registryAuthEntries.some((entry) => entry.kind === 'alibabacloud') ? stepKeys.alibaba : undefined,
  });

  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze({
    provider,
    region,
    registry,
    loginRegistry,
    login: Object.freeze(login),
    repository,
    destination: `${registry}/${repository}`,
    tagRules,
    metadata: Object.freeze(metadata),
    build,
    push,
    dryRun,
    logout,
    domain,
    cloudCredentials: cloudCredentials ? Object.freeze(cloudCredentials) : undefined,
    keyless: keyless ? Object.freeze(keyless) : undefined,
    deployImage,
    deploy,
    copy,
    registryAuth,
    package: packageSettings,
  });
}

/**
 * The step's keys per cloud, for registry-auth provider entries: the step's
 * own access-key/secret-key for its provider's cloud (generic counts as
 * Huawei, as the env fallbacks do), else that cloud's SDK variables (set by
 * an earlier credentials step).
 */
function stepCloudKeys(
  provider: Provider,
  get: (name: string) => string,
  env: Readonly<Record<string, string | undefined>>,
): { huawei: RegistryAuthSettings['huaweiKeys']; alibaba: RegistryAuthSettings['alibabaKeys'] } {
  const ak = get('access-key');
  const sk = get('secret-key');
  const fromEnv = (name: string): string => (env[name] ?? '').trim();
  // The security token goes with its key pair: temporary keys log in only through the SWR API's CreateSecret.
  const withToken = (keys: { accessKey: string; secretKey: string }, token: string): NonNullable<RegistryAuthSettings['huaweiKeys']> =>
    token === '' ? keys : { ...keys, securityToken: token };
  const huawei =
    provider !== 'alibabacloud' && ak !== '' && sk !== ''
      ? // The env token belongs to the env key pair (a generic step reads HUAWEICLOUD_SDK_AK/SK, not the token, by fallback).
        withToken({ accessKey: ak, secretKey: sk }, get('security-token') !== '' ? get('security-token') : ak === fromEnv('HUAWEICLOUD_SDK_AK') ? fromEnv('HUAWEICLOUD_SDK_SECURITY_TOKEN') : '')
      : fromEnv('HUAWEICLOUD_SDK_AK') !== '' && fromEnv('HUAWEICLOUD_SDK_SK') !== ''
        ? withToken({ accessKey: fromEnv('HUAWEICLOUD_SDK_AK'), secretKey: fromEnv('HUAWEICLOUD_SDK_SK') }, fromEnv('HUAWEICLOUD_SDK_SECURITY_TOKEN'))
        : undefined;
  const alibaba =
    provider === 'alibabacloud' && ak !== '' && sk !== ''
      ? { accessKeyId: ak, accessKeySecret: sk, securityToken: get('security-token') }
      : fromEnv('ALIBABA_CLOUD_ACCESS_KEY_ID') !== '' && fromEnv('ALIBABA_CLOUD_ACCESS_KEY_SECRET') !== ''
        ? { accessKeyId: fromEnv('ALIBABA_CLOUD_ACCESS_KEY_ID'), accessKeySecret: fromEnv('ALIBABA_CLOUD_ACCESS_KEY_SECRET'), securityToken: fromEnv('ALIBABA_CLOUD_SECURITY_TOKEN') }
        : undefined;
  return { huawei, alibaba };
}

/** Every secret value the options hold (each line, and each line's value after `=`), for the `env` check. */
function secretValuesOf(get: (name: string) => string): string[] {
  const values: string[] = [];
  for (const spec of OPTIONS.filter((option) => option.secret)) {
    const value = get(spec.name);
    if (value === '') continue;
    values.push(value);
    for (const line of value.split(/\r?\n/)) {
      values.push(line.trim());
      const eq = line.indexOf('=');
      if (eq >= 0) values.push(line.slice(eq + 1).trim());
    }
  }
  return values.filter((value) => value.length >= 4);
}

/** Names the providers, and the one the user most likely meant (`huawei` → huaweicloud). */
function unknownProviderProblem(value: string, allowed: readonly string[]): string {
  const aliases: Readonly<Record<string, string>> = { swr: 'huaweicloud', hwc: 'huaweicloud', aliyun: 'alibabacloud', acr: 'alibabacloud' };
  const lower = value.toLowerCase();
  const meant = allowed.includes(lower)
    ? lower
    : (aliases[lower] ?? allowed.find((name) => lower.length >= 3 && (name.startsWith(lower) || lower.startsWith(name))) ?? closestName(lower, allowed));
  return meant
    ? `provider: "${value}" is not supported: use ${meant} (the providers are ${allowed.join(', ')})`
    : `provider: "${value}" is not supported: use one of ${allowed.join(', ')}`;
}

interface RepositoryInputs {
  namespace: string;
  image: string;
  provider: Provider;
  domain: string;
  syntax: InputSyntax;
}

/** `namespace/image` for a build, checked against SWR's naming rules. */
function parseRepository({ namespace, image, provider, domain, syntax }: RepositoryInputs, problems: string[]): string {
  const asReference = imageAsReferenceProblem(image, { provider, domain }, syntax);
  if (namespace === '') {
    // A pasted reference gets one line, which already says where the namespace goes.
    if (!asReference && provider === 'huaweicloud') problems.push('namespace: required for SWR: set the organization that holds the image, e.g. my-org');
    if (!asReference && provider === 'alibabacloud') problems.push('namespace: required for ACR: set the namespace that holds the repository, e.g. my-team');
  } else {
    const problem = provider === 'alibabacloud' ? checkAcrNamespace(namespace) : checkOrganization(namespace);
    if (problem) problems.push(`namespace: ${problem}`);
  }
  if (image === '') {
    problems.push('image: required: set the image name, e.g. my-app');
  } else if (asReference) {
    problems.push(asReference);
  } else {
    const problem = checkRepository(image);
    if (problem) problems.push(`image: ${problem}`);
  }
  const repository = namespace === '' ? image : `${namespace}/${image}`;
  if (!asReference && repository.length > 255) problems.push(`image: "${repository}" is longer than 255 characters with its namespace: shorten it`);
  return repository;
}

/** Alibaba-only inputs on another provider are a copy-paste slip worth naming. */
function checkAlibabaOnlyInputs(isAlibaba: boolean, get: (name: string) => string, vpc: boolean, syntax: InputSyntax, problems: string[]): void {
  if (isAlibaba) return;
  // security-token is not among them: Huawei temporary keys carry one too (API calls, obs:// packages).
  for (const name of ['instance-id', 'instance-name']) {
    if (get(name) !== '') problems.push(`${name}: only used with provider alibabacloud: set ${setting(syntax, 'provider', 'alibabacloud')}, or remove ${name}`);
  }
  if (vpc) problems.push('vpc: only used with provider alibabacloud (Huawei VPC endpoints go in registry/endpoints): remove vpc');
}
