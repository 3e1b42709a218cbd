/**
 * `imageship help`, generated from the option schema so that every option
 * (including ones added later) is listed with its default, env var and
 * secret marker.
 */
import { readFileSync } from 'node:fs';
import { OPTIONS, type OptionSpec } from '../config/schema.js';
import { envVariableName, schemaFallbackVariables } from './args.js';

const WIDTH = 100;

export function helpText(options: readonly OptionSpec[] = OPTIONS): string {
  const lines: string[] = [
    'imageship: log in to a registry (Huawei Cloud SWR with an AK/SK-derived login, or any registry),',
    'build the Dockerfile, push the tags, verify the digest in the registry, deploy.',
    '',
    'Usage:',
    '  imageship run [flags]             log in, build, push, verify, deploy; logs out at exit',
    '  imageship post [--registry HOST]  log out later, after a run with --logout false (env IMAGESHIP_REGISTRY)',
    '  imageship help | --help | -h      this text',
    '  imageship --version               the version',
    '',
    'Flags of run: --NAME VALUE or --NAME=VALUE; each falls back to env IMAGESHIP_NAME',
    '(upper case, - becomes _); a flag beats its env var. Boolean flags: --NAME, --NAME false, --no-NAME.',
    'List flags may be repeated, one line each (--tags latest --tags type=sha).',
    'Secret options are never taken from the command line: set their env var, or pipe one of them',
    'to --NAME-stdin (one -stdin flag per run).',
  ];
  for (const group of groupsOf(options)) {
    lines.push('', `${capitalize(group)}:`);
    for (const spec of options.filter((option) => option.group === group)) lines.push(...describeOption(spec));
  }
  lines.push(
    '',
    'Output:',
    '  --output text|json   text (default): the log and a summary on stdout. json: only the outputs',
    '                       {registry, image, tags, digest, imageid, metadata, deployments} as one JSON object',
    '                       on stdout (values as the GitHub Action sets them), the log on stderr.',
    '  --verbose            also print debug lines.',
    '',
    'Source of the build (for computed tags and labels): the variables of GitHub Actions, GitLab CI, Azure',
    'Pipelines or Jenkins when present, else git in the current directory.',
    '',
    'Exit codes:',
    '  0  done',
    '  1  failed: login, build, push, verification or deploy (see the log)',
    '  2  usage: unknown or malformed flags, or invalid option values (one "imageship: ..." line each);',
    '     nothing was logged in, built or pushed',
    '  130/143  interrupted by SIGINT/SIGTERM (after logging out)',
  );
  return `${lines.join('\n')}\n`;
}

/** Groups in the order the schema first uses them. */
function groupsOf(options: readonly OptionSpec[]): string[] {
  return [...new Set(options.map((option) => option.group))];
}

function describeOption(spec: OptionSpec): string[] {
  const value = spec.type === 'boolean' ? '[true|false]' : spec.type === 'enum' ? (spec.values ?? []).join('|') : spec.type === 'lines' ? 'LINE' : 'VALUE';
  const head = spec.secret ? `  --${spec.name}-stdin` : `  --${spec.name} ${value}`;
  const facts: string[] = [];
  if (spec.secret) facts.push('secret');
  if (spec.type === 'lines') facts.push('repeatable');
  if (spec.default !== undefined) facts.push(`default: ${spec.default.split('\n').join(', ')}`);
  const variables = [envVariableName(spec.name), ...schemaFallbackVariables(spec)];
  facts.push(`env: ${variables.join(', ')}`);
  // The facts stay on one line of their own, so `default: …` and the env var names are never split.
  return [head, ...wrap(plain(spec.description), WIDTH - 6).map((line) => `      ${line}`), `      (${facts.join('; ')})`];
}

/** The schema's descriptions are Markdown for the README; a terminal shows them without backticks. */
function plain(text: string): string {
  return text.replace(/`/g, '');
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * The version in package.json. The compiled CLI lives at `lib/cli/` in the
 * published package and at `build/src/cli/` in a checkout, so walk up to the
 * first package.json named imageship.
 */
export function packageVersion(): string {
  for (const relative of ['../../package.json', '../../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(relative, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'imageship' && pkg.version) return pkg.version;
    } catch {
      // Not at this level; try the next one up.
    }
  }
  return 'unknown';
}
