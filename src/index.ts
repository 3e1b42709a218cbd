/**
 * imageship as a library: the same core the GitHub Action runs, with no
 * dependency on GitHub. Re-exports only.
 */
export { deriveSwrLogin, shortAccessKey, type SwrLogin, type SwrLoginInput } from './domain/swr-login.js';
export { computeTags, parseTagRules, parseFlavor, TagRuleError, DEFAULT_TAG_RULES, type ComputedTags, type TagRulesInput, type TagClock, type Flavor } from './domain/tags/index.js';
export { parseConfig, readOptions, type OptionReader, type ParseEnvironment } from './config/parse.js';
export { OPTIONS, OUTPUTS, type OptionSpec, type OutputSpec } from './config/schema.js';
export { loadRegistryAuthParser } from './config/yaml-loader.js';
export type { YamlParser } from './config/parse-registry-auth.js';
export type { CloudCredentialProviders, HuaweiKeys, AlibabaKeys } from './app/registry-auth-logins.js';
export { ConfigError, type Config, type LoginMethod, type BuildSettings, type DeploySettings, type Provider, type RegistryAuthEntry, type RegistryAuthSettings } from './config/types.js';
export { checkOrganization, checkRegion, checkRepository, checkTag } from './config/naming.js';
export { makePlan, describePlan, type Plan } from './app/plan.js';
export { ImageshipError, type ImageshipErrorOptions } from './domain/errors.js';
export { runPipeline, type PipelineOptions, type PipelineResult } from './app/pipeline.js';
export { outputsOf, metadataOf, deploymentsOf, type RunOutputs } from './app/outputs.js';
export type { Builder } from './build/build-command.js';
export { probeDocker, type DockerTools } from './build/docker-probe.js';
export { resolveRegistryCredentials } from './app/run-credentials.js';
export {
  dockerLogin,
  dockerLogout,
  RegistryLoginError,
  type DockerLoginRequest,
  type DockerLoginResult,
  type DockerLogoutOutcome,
  type DockerLogoutResult,
} from './registry/login.js';
export {
  RegistryClient,
  RegistryError,
  parseImageReference,
  type ImageReference,
  type RegistryClientOptions,
  type RegistryCredentials,
} from './registry/client.js';
export { DeployError, deployToTargets, type DeployTargets } from './deploy/deploy-all.js';
export { deployAll, deployTargetsOf } from './app/deploy.js';
export type { DeployedImage, DeployResult } from './domain/targets/deploy-result.js';
export { parseKubeconfig, type KubeTarget } from './deploy/kubernetes/kubeconfig.js';
export { sourceContextFromEnvironment, detectCi, type CiSystem, type DetectedSource } from './source/detect.js';
export { sourceContextFromGitHub } from './source/github.js';
export { sourceContextFromGitLab } from './source/gitlab.js';
export { sourceContextFromAzure } from './source/azure.js';
export { sourceContextFromJenkins } from './source/jenkins.js';
export { sourceContextFromGit } from './source/git.js';
export type { SourceContext } from './domain/source-context.js';
export { createNodeExec, type NodeExecOptions } from './util/node-exec.js';
export { createSecretRegistry } from './util/secrets.js';
export { nodeFetch } from './http/node-fetch.js';
export { createTransport, defaultFetch, ProxyConfigError, TlsConfigError, type Transport, type TransportOptions } from './http/index.js';
export type { Clock, Exec, ExecRequest, ExecResult, Fetch, Logger, Ports, SecretRegistry } from './ports.js';
export { copyImage, retagImage, type CopyRequest, type CopyResult } from './registry/copy.js';
export type { ManifestWrite, TagConfirmations } from './registry/tag-confirmations.js';
export { credentialsFromDockerConfig } from './registry/docker-config.js';
export { parseRetention, describeRetention, type RetentionPolicy } from './domain/retention/policy.js';
export { selectForDeletion } from './retention/select.js';
export { RegistryClients, type RegistryClientsOptions } from './registry/clients.js';
export { applyRetention, registryRetentionBackend, swrRetentionBackend, type RetentionBackend, type RetentionResult } from './retention/apply.js';
export { createNamespace, createTemporaryLogin, listRepositoryTags, deleteRepositoryTag } from './cloud/huawei/swr.js';
export { HuaweiApiClient, HuaweiApiError } from './cloud/huawei/api-client.js';
export { signHuaweiRequest } from './cloud/huawei/signer.js';
