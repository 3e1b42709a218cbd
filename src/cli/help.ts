/**
 * `imageship help`, generated from the option schema so that every option
 * (including ones added later) is listed with its default, env var and
 * secret marker.
 */
import { readFileSync } from 'node:fs';
import { OPTIONS, type OptionSpec } from '../config/schema.js';
import { schemaFallbackVariables } from '../app/run-sequence.js';
import { envVariableName } from './args.js';

const WIDTH = 100;

/**
 * The schema's descriptions speak of a workflow (a post step, `needs:`); these
 * options work differently on the command line, so their help says how.
 */
const CLI_DESCRIPTIONS: Readonly<Record<string, string>> = {
  tags: 'One tag rule per --tags flag (--tags latest --tags type=sha): a fixed tag, or a computed rule; "Tag rules" below lists them.',
  logout:
    'Log out of the registry when the run ends (also after a failure, SIGINT or SIGTERM). With false the login stays in the Docker config for later commands; imageship post --registry HOST removes it.',
  'deploy-image':
    'Deploy an existing image instead of building: a full reference, e.g. swr.cn-north-4.myhuaweicloud.com/my-org/app@sha256:… (from an earlier run: --output json prints its image and digest). Checked to exist in the registry, then deployed.',
};

/** The rules of docker/metadata-action's `tags` syntax that imageship computes, as the README's "Tags" table lists them. */
const TAG_RULES: readonly (readonly [string, string])[] = [
  ['latest', 'a fixed tag (any line without type=)'],
  ['type=sha / type=sha,format=long', 'sha-0123abc / sha-<40 hex>'],
  ['type=ref,event=branch', 'the branch name (feature/x gives feature-x) on branch builds'],
  ['type=ref,event=tag', 'the git tag on tag builds'],
  ['type=ref,event=pr', 'pr-42 on pull-request builds'],
  ['type=semver,pattern={{version}}', '1.2.3 from tag v1.2.3 (also {{major}}.{{minor}}, {{major}})'],
  ['type=match,pattern=v(\\d+\\.\\d+),group=1', '1.2 from tag release-v1.2'],
  ['type=raw,value={{branch}}-{{sha}}', "any template: {{branch}} {{tag}} {{sha}} {{short_sha}} {{run_number}} {{is_default_branch}} {{date 'YYYYMMDD'}}"],
];

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
  lines.push('', 'Tag rules (one per --tags; the syntax of docker/metadata-action):');
  const ruleWidth = Math.max(...TAG_RULES.map(([rule]) => rule.length)) + 4;
  for (const [rule, gives] of TAG_RULES) {
    const [first = '', ...rest] = wrap(gives, WIDTH - ruleWidth);
    lines.push(`  ${rule.padEnd(ruleWidth - 2)}${first}`, ...rest.map((line) => `${' '.repeat(ruleWidth)}${line}`));
  }
  lines.push(
    ...wrap(
      'Every rule takes prefix=, suffix= and enable= (e.g. enable={{is_default_branch}}). Rules that do not apply to the build give no tag; ' +
        'each tag is made valid (a character a tag cannot hold becomes -, so v1.0+build is pushed as v1.0-build) and duplicates are dropped.',
      WIDTH - 2,
    ).map((line) => `  ${line}`),
  );
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
  const description = CLI_DESCRIPTIONS[spec.name] ?? plain(spec.description);
  return [head, ...wrap(description, WIDTH - 6).map((line) => `      ${line}`), `      (${facts.join('; ')})`];
}

/**
 * The schema's descriptions are Markdown for the README; a terminal shows
 * them without backticks, and a setting written as a workflow input
 * (`provider: generic`) as the flag it is here (--provider generic).
 */
function plain(text: string): string {
  const names = new Set(OPTIONS.map((option) => option.name));
  return text
    .replace(/`([a-z-]+): ([^`]+)`/g, (whole, name: string, value: string) => (names.has(name) ? `--${name} ${value}` : whole))
    .replace(/`/g, '');
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
