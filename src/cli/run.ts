import { modeOf } from '../app/plan.js';
import { configErrorLines, logOut, maskSecretOptions, parseRunConfig, readOptionalFile, userMessageOf } from '../app/run-sequence.js';
import { checkBuildFiles } from '../build/dockerfile.js';
import { registryAuthParserFor } from '../config/yaml-loader.js';
import { ConfigError, type Config } from '../config/types.js';
import { nearMissEnvWarnings } from '../config/unknown-names.js';
import { DeployError } from '../deploy/deploy-error.js';
import { runPipeline } from '../app/pipeline.js';
import type { Ports } from '../ports.js';
import { RegistryLoginError } from '../registry/login.js';
import type { SourceContext } from '../domain/source-context.js';
import { sourceContextFromEnvironment, type CiSystem } from '../source/detect.js';
import { createNodeExec } from '../util/node-exec.js';
import { resolveOptionValues, type RunCommand } from './args.js';
import { cliPorts } from './host.js';
import { readAll, type CliIo } from './io.js';
import { useRunTempDir } from './run-temp.js';
import { outputsJson, summaryLines } from './summary.js';

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

const SIGNAL_EXIT: Record<string, number> = { SIGINT: 130, SIGTERM: 143 };

/**
 * `imageship run`: options from flags/env/stdin → Config → source context
 * from the CI's variables (or git) → the pipeline → summary or JSON outputs.
 * A registry login made by the run is removed when it ends, also on failure
 * and on SIGINT/SIGTERM, unless `--logout false` keeps it for later steps.
 */
export async function runCommand(command: RunCommand, io: CliIo): Promise<number> {
  // With --output json, stdout carries only the JSON; the log goes to stderr.
  const log = command.output === 'json' ? io.stderr : io.stdout;
  const ports = cliPorts({ writeLine: (line) => log(`${line}\n`), verbose: command.verbose, env: io.env });
  const fail = (line: string): void => io.stderr(`imageship: ${ports.secrets.redact(line)}\n`);

  let stdinText: string | undefined;
  if (command.stdinOption !== undefined) {
    if (io.stdin.isTTY) io.stderr(`imageship: reading ${command.stdinOption} from standard input (end with Ctrl-D)\n`);
    stdinText = await readAll(io.stdin);
  }
  const values = resolveOptionValues(command, io.env, stdinText);
  // Known before anything is parsed or printed, wherever the value came from.
  maskSecretOptions((name) => values.get(name) ?? '', io.env, ports.secrets);

  for (const warning of nearMissEnvWarnings(io.env)) ports.logger.warn(warning);

  // Where the build comes from (git, or the CI's variables) is read while the flags are parsed: it needs none of
  // them, and git takes a process start or two.
  const quietExec = createNodeExec({ writeLine: () => undefined });
  const detected = sourceContextFromEnvironment(io.env, io.cwd, quietExec, readOptionalFile);
  detected.catch(() => undefined);

  let config: Config;
  const yaml = await registryAuthParserFor(values.get('registry-auth') ?? '');
  try {
    config = parseRunConfig((name) => values.get(name) ?? '', { env: io.env, cwd: io.cwd, syntax: 'cli', ...(yaml ? { yaml } : {}) }, ports.networkProblem);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return reportConfigError(error, fail);
  }
  // The plan checks these too, but phrases the fix as workflow inputs; here it is flags.
  const buildFileProblems = modeOf(config) === 'build' ? checkBuildFiles(config.build.context, config.build.dockerfile, config.build.dockerfileGiven, io.cwd, 'cli') : [];
  if (buildFileProblems.length > 0) return reportConfigError(new ConfigError(buildFileProblems), fail);

  const { ci, source } = await detected;
  ports.logger.info(describeSource(ci, source));

  const temp = useRunTempDir();
  const session = loginSession(config, ports, io, temp.remove);
  try {
    const result = await runPipeline(config, { ports, source, cwd: io.cwd, env: io.env, onLogin: session.loggedIn });
    await session.end();
    if (command.output === 'json') io.stdout(`${outputsJson(result)}\n`);
    else for (const line of summaryLines(result)) io.stdout(`${ports.secrets.redact(line)}\n`);
    return EXIT_OK;
  } catch (error) {
    // A refused login changed nothing in the Docker config: there is nothing to log out of.
    if (error instanceof RegistryLoginError) session.loginFailed();
    await session.end();
    if (error instanceof ConfigError) return reportConfigError(error, fail);
    if (error instanceof DeployError) {
      for (const d of error.results) fail(`deployed before the failure: ${d.target} ${d.id}: ${d.current}${d.verified ? ' (verified)' : ''}`);
    }
    const message = userMessageOf(error);
    if (error instanceof Error && error.stack) ports.logger.debug(error.stack);
    for (const line of message.split('\n')) fail(`error: ${line}`);
    return EXIT_FAILED;
  } finally {
    session.dispose();
    temp.remove();
  }
}

function reportConfigError(error: ConfigError, fail: (line: string) => void): number {
  const { problems, summary } = configErrorLines(error);
  for (const problem of problems) fail(problem);
  fail(summary);
  return EXIT_USAGE;
}

interface LoginSession {
  /** For PipelineOptions.onLogin: called just before the registry login. */
  loggedIn: (registry: string) => void;
  /** `docker login` failed: nothing was written, so end() neither logs out nor says it did. */
  loginFailed: () => void;
  /** Logs out when the run logged in and `logout` is true; once. */
  end: () => Promise<void>;
  /** Removes the signal handlers. */
  dispose: () => void;
}

/**
 * Tracks the login the run makes and ends it exactly once: after the run, or
 * on SIGINT/SIGTERM (then calls `beforeSignalExit` and exits 130/143; a second
 * signal kills at once).
 */
function loginSession(config: Config, ports: Ports, io: CliIo, beforeSignalExit: () => void): LoginSession {
  // Every registry the run logs in to (registry-auth entries, then its own), in order.
  const registries: string[] = [];
  let ending: Promise<void> | undefined;
  const end = (): Promise<void> => {
    ending ??= (async () => {
      if (!config.logout) {
        for (const registry of registries) {
          ports.logger.info(`logout: false: the login to ${registry} stays in the Docker config; remove it later with: imageship post --registry ${registry}`);
        }
        return;
      }
      // Last in, first out: each logout sees the config as its login left it.
      for (const registry of [...registries].reverse()) {
        const result = await logOut(ports.exec, registry, io.env);
        if (result.ok) ports.logger.info(result.message);
        else ports.logger.warn(result.message);
      }
    })();
    return ending;
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    io.stderr(`imageship: ${signal}: stopping\n`);
    void end().finally(() => {
      beforeSignalExit();
      process.exit(SIGNAL_EXIT[signal] ?? EXIT_FAILED);
    });
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return {
    loggedIn: (host) => {
      if (!registries.includes(host)) registries.push(host);
    },
    loginFailed: () => {
      // The login that failed (the last one begun) changed nothing; the earlier ones are still undone.
      registries.pop();
    },
    end,
    dispose: () => {
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
    },
  };
}

function describeSource(ci: CiSystem, source: SourceContext): string {
  const origin = { github: 'GitHub Actions', gitlab: 'GitLab CI', azure: 'Azure Pipelines', jenkins: 'Jenkins', git: 'git', none: 'nothing (no CI variables, no git checkout)' }[ci];
  const what =
    source.event === 'tag'
      ? `tag ${source.tag}`
      : source.event === 'branch'
        ? `branch ${source.branch}`
        : source.event === 'pr'
          ? `pull request ${source.pullRequest ?? '?'}${source.branch ? ` from ${source.branch}` : ''}`
          : 'no branch or tag';
  const details = [what, source.sha ? `commit ${source.sha.slice(0, 7)}` : '', source.runNumber ? `run ${source.runNumber}` : ''].filter(Boolean);
  return `source: ${origin}: ${details.join(', ')}`;
}
