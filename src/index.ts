/**
 * imageship as a library: the same core the GitHub Action runs, with no
 * dependency on GitHub. Re-exports only.
 */
export { deriveSwrLogin, shortAccessKey, type SwrLogin, type SwrLoginInput } from './credentials/swr-login.js';
export { computeTags, parseTagRules, TagRuleError, type ComputedTags, type TagRulesInput } from './tags/index.js';
export { parseConfig, readOptions, type OptionReader, type ParseEnvironment } from './config/parse.js';
export { OPTIONS, OUTPUTS, type OptionSpec, type OutputSpec } from './config/schema.js';
export { ConfigError, type Config, type LoginMethod, type BuildSettings } from './config/types.js';
export { checkOrganization, checkRegion, checkRepository, checkTag } from './config/naming.js';
export { makePlan, describePlan, type Plan } from './plan.js';
export { runPipeline, type PipelineOptions, type PipelineResult } from './pipeline.js';
export { probeDocker, type DockerTools } from './build/docker-probe.js';
export { dockerLogin, dockerLogout } from './registry/login.js';
export { RegistryClient, RegistryError, parseImageReference } from './registry/client.js';
export { sourceContextFromGitHub } from './source/github.js';
export type { SourceContext } from './source/context.js';
export { createNodeExec } from './util/node-exec.js';
export { createSecretRegistry } from './util/secrets.js';
export type { Clock, Exec, ExecRequest, ExecResult, Fetch, Logger, Ports, SecretRegistry } from './ports.js';
