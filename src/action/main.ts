import { configErrorLines, maskSecretOptions, parseRunConfig, readOptionalFile, userMessageOf } from '../app/run-sequence.js';
import type { DockerTools } from '../build/docker-probe.js';
import { registryAuthParserFor } from '../config/yaml-loader.js';
import { ConfigError, type Config } from '../config/types.js';
import { undeclaredInputWarnings } from '../config/unknown-names.js';
import { DeployError } from '../deploy/deploy-error.js';
import { runPipeline } from '../app/pipeline.js';
import { sourceContextFromGitHub } from '../source/github.js';
import { githubPorts } from './host.js';
import { writeDeploymentsOutput, writeOutputs } from './outputs.js';
import * as runner from './runner/index.js';
import { markMainStarted, saveLoggedInRegistry } from './state.js';
import { writeSummary } from './summary.js';

/** `docker`: a probe already under way, or undefined when the run needs none (the pipeline probes if it does). */
export async function runMain(docker: Promise<DockerTools> | undefined): Promise<void> {
  const ports = githubPorts();
  try {
    markMainStarted();
  } catch (error) {
    // No GITHUB_STATE: not a runner this action can report to; say so rather than crash.
    fail(error, ports.secrets.redact);
    return;
  }
  // Mask secret inputs before anything is parsed or printed, even if the
  // workflow passed them from plain variables rather than secrets.
  maskSecretOptions((name) => runner.getInput(name), process.env, ports.secrets);

  // A misspelt input (`tag:` for `tags:`) would otherwise be ignored without a word under act and other runners.
  for (const warning of undeclaredInputWarnings(process.env)) ports.logger.warn(warning);

  const cwd = process.env['GITHUB_WORKSPACE'] || process.cwd();
  let config: Config;
  try {
    // Raw values: parseConfig trims every input except the separators, whose whitespace matters.
    // The YAML parser is loaded only when registry-auth is set (parseConfig itself stays synchronous).
    const yaml = await registryAuthParserFor(runner.getRawInput('registry-auth'));
    config = parseRunConfig((name) => runner.getRawInput(name), { env: process.env, cwd, ...(yaml ? { yaml } : {}) }, ports.networkProblem);
  } catch (error) {
    fail(error, ports.secrets.redact);
    return;
  }

  try {
    const source = sourceContextFromGitHub(process.env, readOptionalFile);
    const result = await runPipeline(config, {
      ports,
      source,
      cwd,
      ...(docker ? { docker } : {}),
      onLogin: (registry) => saveLoggedInRegistry(registry, config.logout),
      // Masked already (the pipeline added each value to the secrets the moment it existed).
      onExportCredentials: (variables) => {
        for (const [name, value] of Object.entries(variables)) runner.exportVariable(name, value);
      },
    });
    writeOutputs(result);
    writeSummary(result, ports.secrets.redact);
  } catch (error) {
    fail(error, ports.secrets.redact);
  }
}

/** One `::error::` line per problem; the step fails. Anything unexpected shows its stack in debug logs only. */
function fail(error: unknown, redact: (text: string) => string): void {
  if (error instanceof DeployError) writeDeploymentsOutput(error.results);
  if (error instanceof ConfigError) {
    const { problems, summary } = configErrorLines(error);
    for (const problem of problems) runner.error(redact(problem));
    runner.setFailed(redact(summary));
    return;
  }
  const message = userMessageOf(error);
  if (error instanceof Error && error.stack) runner.debug(redact(error.stack));
  runner.setFailed(redact(message));
}
