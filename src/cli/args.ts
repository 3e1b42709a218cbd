/**
 * The command line, read through the one option schema: every option is a
 * flag `--<name> VALUE` / `--<name>=VALUE` with the env var `IMAGESHIP_<NAME>`
 * as its fallback. Secrets never come from argv (it shows in `ps`, shell
 * history and CI logs): they come from the environment or, with
 * `--<name>-stdin`, from standard input. Pure: argv and env in, a command or a
 * UsageError out.
 *
 * Not node:util parseArgs, measured (`node bench/cli-parseargs.mjs`, Node 20): it reads `--push false` as
 * `--push` plus a stray positional and refuses `--push=false`, where every boolean here takes a value as the
 * action input does; it stops at the first mistake, where a usage error here lists every problem at once with
 * the closest flag name. Its token mode would leave all of that to write on top of it anyway.
 */
import { closestName } from '../config/closest-name.js';
import { envVariableName } from '../domain/input-syntax.js';
import { schemaFallbackVariables } from '../app/run-sequence.js';
import { OPTIONS, type OptionSpec } from '../config/schema.js';
import { ImageshipError } from '../domain/errors.js';

export { envVariableName };

type Env = Readonly<Record<string, string | undefined>>;

export type OutputFormat = 'text' | 'json';

export interface RunCommand {
  kind: 'run';
  /** Options given as flags, raw (repeated `lines` flags joined with newlines). */
  flags: ReadonlyMap<string, string>;
  /** The secret option whose value is read from stdin (`--<name>-stdin`), if any. */
  stdinOption: string | undefined;
  output: OutputFormat;
  verbose: boolean;
}

export interface PostCommand {
  kind: 'post';
  /** From `--registry`, else `IMAGESHIP_REGISTRY`. */
  registry: string;
}

export type CliCommand = { kind: 'help' } | { kind: 'version' } | RunCommand | PostCommand;

/** Bad command-line use: exit code 2, one line per problem. */
export class UsageError extends ImageshipError {
  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'));
    this.name = 'UsageError';
  }
}

export const COMMANDS = ['run', 'post', 'help'] as const;
/** Flags of `run` that are not options of the pipeline. */
export const RUN_FLAGS = ['output', 'verbose', 'help'] as const;

/**
 * Every env variable the schema itself falls back to for an option (parseConfig
 * reads them after IMAGESHIP_<NAME>): `envFallback`, and the per-provider
 * lists when the schema has them (read loosely so the CLI follows the schema
 * as it grows).
 */
export function parseCommandLine(argv: readonly string[], env: Env, options: readonly OptionSpec[] = OPTIONS): CliCommand {
  const [first, ...rest] = argv;
  if (first === undefined) throw new UsageError([`no command: use one of ${COMMANDS.join(', ')} (imageship help shows the flags)`]);
  if (first === 'help' || first === '--help' || first === '-h') return { kind: 'help' };
  if (first === '--version' || first === 'version') return { kind: 'version' };
  if (first === 'run') return parseRun(rest, options);
  if (first === 'post') return parsePost(rest, env);
  if (first.startsWith('-')) throw new UsageError([unknownFlag(first, ['help', 'version']) + ': flags come after the command, e.g. imageship run --image my-app']);
  const near = closest(first, COMMANDS);
  throw new UsageError([`unknown command "${first}"${near ? `: did you mean ${near}?` : ''} (commands: ${COMMANDS.join(', ')})`]);
}

/** Splits `--name=value` / `--name`; undefined for a token that is not a long flag. */
function splitFlag(token: string): { name: string; inline: string | undefined } | undefined {
  if (!token.startsWith('--') || token === '--') return undefined;
  const eq = token.indexOf('=');
  return eq < 0 ? { name: token.slice(2), inline: undefined } : { name: token.slice(2, eq), inline: token.slice(eq + 1) };
}

function parseRun(args: readonly string[], options: readonly OptionSpec[]): RunCommand | { kind: 'help' } | { kind: 'version' } {
  const byName = new Map(options.map((spec) => [spec.name, spec]));
  const flags = new Map<string, string>();
  const problems: string[] = [];
  const stdinFlags: string[] = [];
  let output: OutputFormat = 'text';
  let outputGiven = false;
  let verbose = false;
  let help = false;
  let version = false;

  for (let i = 0; i < args.length; i++) {
    const token = args[i]!;
    if (token === '-h') {
      help = true;
      continue;
    }
    const flag = splitFlag(token);
    if (!flag) {
      problems.push(token.startsWith('-') ? unknownFlag(token, runFlagNames(options)) : unexpectedArgument('run', i));
      continue;
    }
    const { name, inline } = flag;
    /** The flag's value: after `=`, else the next argument (which must not be another flag). */
    const takeValue = (): string | undefined => {
      if (inline !== undefined) return inline;
      const next = args[i + 1];
      if (next === undefined || (next.startsWith('--') && next.length > 2)) {
        problems.push(`--${name} needs a value: --${name} VALUE or --${name}=VALUE`);
        return undefined;
      }
      i++;
      return next;
    };

    const spec = byName.get(name);
    if (spec) {
      if (spec.secret) {
        // Consume the value so it is neither echoed nor taken as another argument.
        if (inline === undefined && args[i + 1] !== undefined && !args[i + 1]!.startsWith('--')) i++;
        problems.push(secretFlagProblem(spec));
        continue;
      }
      let value: string | undefined;
      if (spec.type === 'boolean') {
        const next = args[i + 1];
        if (inline !== undefined) value = inline;
        else if (next !== undefined && !next.startsWith('-')) {
          value = next;
          i++;
        } else value = 'true';
      } else {
        value = takeValue();
      }
      if (value === undefined) continue;
      setOption(spec, value, flags, problems);
      continue;
    }

    const stdinOf = name.endsWith('-stdin') ? byName.get(name.slice(0, -'-stdin'.length)) : undefined;
    if (stdinOf?.secret) {
      if (inline !== undefined) problems.push(`--${name} takes no value: it reads ${stdinOf.name} from standard input`);
      else if (!stdinAlreadyGiven(stdinFlags, stdinOf.name, problems)) stdinFlags.push(stdinOf.name);
      continue;
    }

    const negated = name.startsWith('no-') ? byName.get(name.slice(3)) : undefined;
    if (negated?.type === 'boolean') {
      if (inline !== undefined) problems.push(`--${name} takes no value: use --${negated.name}=${inline} instead`);
      else setOption(negated, 'false', flags, problems);
      continue;
    }

    if (name === 'output') {
      const value = takeValue();
      if (value === undefined) continue;
      if (outputGiven) problems.push('--output given more than once: give it once');
      outputGiven = true;
      if (value === 'text' || value === 'json') output = value;
      else problems.push(`--output: "${shorten(value)}" is not an output format: use text or json`);
      continue;
    }
    if (name === 'verbose' && inline === undefined) {
      verbose = true;
      continue;
    }
    if (name === 'help' && inline === undefined) {
      help = true;
      continue;
    }
    if (name === 'version' && inline === undefined) {
      version = true;
      continue;
    }
    if (stdinOf) {
      problems.push(`--${name}: ${stdinOf.name} is not a secret: pass it as --${stdinOf.name} VALUE`);
      continue;
    }
    if (negated) {
      problems.push(`--${name}: ${negated.name} is not a boolean option: leave it out, or pass --${negated.name} VALUE`);
      continue;
    }
    problems.push(unknownFlag(token, runFlagNames(options)));
    // What follows an unknown flag is most likely its value: skipped, and never echoed (it may be a secret).
    if (inline === undefined && args[i + 1] !== undefined && !args[i + 1]!.startsWith('-')) i++;
  }

  if (help) return { kind: 'help' };
  if (version) return { kind: 'version' };
  if (stdinFlags.length > 1) {
    problems.push(`only one --<name>-stdin flag per run (standard input can be read once): got --${stdinFlags.join('-stdin, --')}-stdin; pass the others in env vars`);
  }
  if (problems.length > 0) throw new UsageError(problems);
  return { kind: 'run', flags, stdinOption: stdinFlags[0], output, verbose };
}

function stdinAlreadyGiven(stdinFlags: string[], name: string, problems: string[]): boolean {
  if (!stdinFlags.includes(name)) return false;
  problems.push(`--${name}-stdin given more than once: give it once`);
  return true;
}

function setOption(spec: OptionSpec, value: string, flags: Map<string, string>, problems: string[]): void {
  const previous = flags.get(spec.name);
  if (previous === undefined) flags.set(spec.name, value);
  else if (spec.type === 'lines') flags.set(spec.name, `${previous}\n${value}`);
  else problems.push(`--${spec.name} given more than once: give it once${spec.type === 'boolean' ? '' : ' (only list options such as --tags can be repeated)'}`);
}

function secretFlagProblem(spec: OptionSpec): string {
  const variables = [envVariableName(spec.name), ...schemaFallbackVariables(spec)].join(' or ');
  return `--${spec.name}: ${spec.name} is a secret and is not accepted as a flag value (argv shows in ps, shell history and CI logs): set env ${variables}, or pipe it to --${spec.name}-stdin`;
}

function parsePost(args: readonly string[], env: Env): PostCommand | { kind: 'help' } {
  const problems: string[] = [];
  let registry: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const token = args[i]!;
    if (token === '-h' || token === '--help') return { kind: 'help' };
    const flag = splitFlag(token);
    if (flag?.name !== 'registry') {
      problems.push(flag || token.startsWith('-') ? unknownFlag(token, ['registry', 'help']) : unexpectedArgument('post', i));
      if (flag && flag.inline === undefined && args[i + 1] !== undefined && !args[i + 1]!.startsWith('-')) i++;
      continue;
    }
    let value = flag.inline;
    if (value === undefined) {
      const next = args[i + 1];
      if (next === undefined || next.startsWith('--')) {
        problems.push('--registry needs a value: --registry HOST');
        continue;
      }
      value = next;
      i++;
    }
    if (registry !== undefined) problems.push('--registry given more than once: give it once');
    registry = value.trim();
  }
  registry ??= (env[envVariableName('registry')] ?? '').trim();
  if (problems.length === 0 && registry === '') {
    problems.push(`post: which registry to log out of? pass --registry HOST or set ${envVariableName('registry')}`);
  }
  if (problems.length > 0) throw new UsageError(problems);
  return { kind: 'post', registry };
}

/**
 * Every option's raw value for parseConfig: the flag, else `IMAGESHIP_<NAME>`,
 * else '' (parseConfig then applies the schema's own env fallback, e.g.
 * HUAWEICLOUD_SDK_AK, and the default). `stdinText` is what was read for
 * `command.stdinOption`.
 */
export function resolveOptionValues(
  command: RunCommand,
  env: Env,
  stdinText: string | undefined,
  options: readonly OptionSpec[] = OPTIONS,
): Map<string, string> {
  const values = new Map<string, string>();
  for (const spec of options) {
    const flag = command.flags.get(spec.name);
    const fromStdin = command.stdinOption === spec.name ? trimOneNewline(stdinText ?? '') : undefined;
    values.set(spec.name, fromStdin ?? flag ?? env[envVariableName(spec.name)] ?? '');
  }
  return values;
}

/** `echo "$SK" | imageship run --secret-key-stdin` sends one newline that is not part of the secret. */
export function trimOneNewline(text: string): string {
  return text.replace(/\r?\n$/, '');
}

function runFlagNames(options: readonly OptionSpec[]): string[] {
  const names: string[] = [...RUN_FLAGS];
  for (const spec of options) {
    names.push(spec.name);
    if (spec.secret) names.push(`${spec.name}-stdin`);
    if (spec.type === 'boolean') names.push(`no-${spec.name}`);
  }
  return names;
}

function unknownFlag(token: string, known: readonly string[]): string {
  const name = (splitFlag(token)?.name ?? token.replace(/^-+/, '')).split('=')[0]!;
  const near = closest(name, known);
  return `unknown flag ${shorten(token.split('=')[0]!)}${near ? `: did you mean --${near}?` : ''}`;
}

/** The value itself is not shown: a stray argument may be a secret pasted in the wrong place. */
function unexpectedArgument(command: string, index: number): string {
  return `unexpected argument #${index + 1} after "${command}" (not shown, in case it is a secret): every value belongs to a flag, e.g. --image my-app`;
}

function shorten(text: string): string {
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

/** The known name nearest to `name` (edit distance, or a prefix/containment match), when it is near enough to be a typo. */
export function closest(name: string, known: readonly string[]): string | undefined {
  return closestName(name, known, { partial: true });
}
