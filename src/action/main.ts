import { readFileSync } from 'node:fs';
import type { DockerTools } from '../build/docker-probe.js';
import { parseConfig } from '../config/parse.js';
import { registryAuthSecrets } from '../config/parse-registry-auth.js';
import { OPTIONS } from '../config/schema.js';
import { registryAuthParserFor } from '../config/yaml-loader.js';
import { ConfigError, type Config } from '../config/types.js';
import { undeclaredInputWarnings } from '../config/unknown-names.js';
import { DeployError } from '../deploy/deploy-all.js';
import { runPipeline } from '../pipeline.js';
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
  for (const spec of OPTIONS.filter((option) => option.secret)) {
    ports.secrets.add(runner.getInput(spec.name));
    // Each password in it too, found line by line: masked even when the YAML does not parse.
    if (spec.name === 'registry-auth') for (const secret of registryAuthSecrets(runner.getRawInput(spec.name))) ports.secrets.add(secret);
    const fallbacks = [...(spec.envFallback ?? []), ...Object.values(spec.envFallbackByProvider ?? {}).flat()];
    for (const variable of fallbacks) ports.secrets.add(process.env[variable] ?? '');
  }

  // A misspelt input (`tag:` for `tags:`) would otherwise be ignored without a word under act and other runners.
  for (const warning of undeclaredInputWarnings(process.env)) ports.logger.warn(warning);

  const cwd = process.env['GITHUB_WORKSPACE'] || process.cwd();
  let config: Config;
  try {
    // Raw values: parseConfig trims every input except the separators, whose whitespace matters.
    const yaml = await registryAuthParserFor(runner.getRawInput('registry-auth'));
    config = parseConfig((name) => runner.getRawInput(name), { env: process.env, cwd, ...(yaml ? { yaml } : {}) });
    // A proxy or TLS setting that cannot be used is an input error like any other: reported before anything is done.
    if (ports.networkProblem !== undefined) throw new ConfigError([ports.networkProblem]);
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
    for (const problem of error.problems) runner.error(redact(problem));
    runner.setFailed(redact(`${error.problems.length} problem(s) found before any side effect: nothing was logged in, built or pushed`));
    return;
  }
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof Error && error.stack) runner.debug(redact(error.stack));
  runner.setFailed(redact(message));
}

function readOptionalFile(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
