/**
 * The CLI's command line, read through the option schema: flag forms, env
 * fallback and precedence, repeated list flags, booleans, secrets (env or
 * stdin, never argv), unknown flags with a suggestion, and the help text.
 * The option list is read from the schema, never hard-coded.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import {
  closest,
  envVariableName,
  parseCommandLine,
  resolveOptionValues,
  trimOneNewline,
  UsageError,
  type CliCommand,
  type RunCommand,
} from '../../src/cli/args.js';
import { schemaFallbackVariables } from '../../src/app/run-sequence.js';
import { helpText, packageVersion } from '../../src/cli/help.js';
import { parseConfig } from '../../src/config/parse.js';
import { OPTIONS } from '../../src/config/schema.js';
import { ConfigError } from '../../src/config/types.js';

type Env = Record<string, string>;

function run(argv: string[], env: Env = {}): RunCommand {
  const command = parseCommandLine(['run', ...argv], env);
  assert.equal(command.kind, 'run');
  return command as RunCommand;
}

/** The raw values parseConfig would get. */
function values(argv: string[], env: Env = {}, stdin?: string): Map<string, string> {
  return resolveOptionValues(run(argv), env, stdin);
}

function usageProblems(argv: string[], env: Env = {}): readonly string[] {
  try {
    parseCommandLine(argv, env);
  } catch (error) {
    if (error instanceof UsageError) return error.problems;
    throw error;
  }
  assert.fail(`expected a UsageError for ${JSON.stringify(argv)}`);
}

const firstOf = (type: string) => OPTIONS.find((o) => o.type === type && !o.secret)!;
const secrets = OPTIONS.filter((o) => o.secret);

describe('flag forms', () => {
  test('--name VALUE and --name=VALUE for every non-secret option of the schema', () => {
    for (const spec of OPTIONS.filter((o) => !o.secret)) {
      const value = spec.type === 'boolean' ? 'false' : `v-${spec.name}`;
      assert.equal(values([`--${spec.name}`, value]).get(spec.name), value, spec.name);
      assert.equal(values([`--${spec.name}=${value}`]).get(spec.name), value, spec.name);
    }
  });

  test('a value after = may contain = and spaces; an explicit empty value is kept', () => {
    assert.equal(values(['--build-args=A=b c']).get('build-args'), 'A=b c');
    assert.equal(values(['--image='], { IMAGESHIP_IMAGE: 'from-env' }).get('image'), '');
  });

  test('a value may start with a single dash, but not with --', () => {
    assert.equal(values(['--target', '-x']).get('target'), '-x');
    assert.match(usageProblems(['run', '--image', '--region', 'cn-north-4']).join('\n'), /--image needs a value/);
  });

  test('a flag without its value at the end is a usage error', () => {
    assert.deepEqual(usageProblems(['run', '--namespace']), ['--namespace needs a value: --namespace VALUE or --namespace=VALUE']);
  });

  test('unset options read as empty so parseConfig applies its own fallbacks and defaults', () => {
    const all = values([]);
    assert.deepEqual([...all.keys()].sort(), OPTIONS.map((o) => o.name).sort());
    for (const value of all.values()) assert.equal(value, '');
  });

  test('positional arguments are refused without echoing them (they may be a pasted secret)', () => {
    const problems = usageProblems(['run', 'my-app', 'S3cretValue0000']);
    assert.equal(problems.length, 2);
    assert.match(problems[0]!, /^unexpected argument #1 after "run"/);
    assert.ok(!problems.join('\n').includes('S3cretValue0000'));
  });
});

describe('env fallback and precedence', () => {
  test('IMAGESHIP_<NAME> (dashes → underscores, upper case) is the fallback for every option', () => {
    for (const spec of OPTIONS) {
      const variable = envVariableName(spec.name);
      assert.match(variable, /^IMAGESHIP_[A-Z0-9_]+$/);
      assert.equal(variable, `IMAGESHIP_${spec.name.toUpperCase().replace(/-/g, '_')}`);
      assert.equal(values([], { [variable]: 'from-env' }).get(spec.name), 'from-env', spec.name);
    }
    assert.equal(envVariableName('build-args'), 'IMAGESHIP_BUILD_ARGS');
  });

  test('a flag beats its env var', () => {
    const env = { IMAGESHIP_IMAGE: 'env-app', IMAGESHIP_TAGS: 'env-tag', IMAGESHIP_PUSH: 'true' };
    const got = values(['--image', 'flag-app', '--tags', 'flag-tag', '--no-push'], env);
    assert.equal(got.get('image'), 'flag-app');
    assert.equal(got.get('tags'), 'flag-tag');
    assert.equal(got.get('push'), 'false');
  });

  test("the schema's own env fallback (HUAWEICLOUD_SDK_AK…) still applies after IMAGESHIP_<NAME>, through parseConfig", () => {
    const base = ['--region', 'cn-north-4', '--namespace', 'my-org', '--image', 'my-app', '--tags', 'latest'];
    const env = { HUAWEICLOUD_SDK_AK: 'HPUASDKAK00000000001', HUAWEICLOUD_SDK_SK: 'SdkSecretKey000000000000000000000000000' };
    const parse = (e: Env) => {
      const got = values(base, e);
      return parseConfig((name) => got.get(name) ?? '', { env: e, cwd: '/work' });
    };
    const viaSdk = parse(env);
    assert.deepEqual(viaSdk.cloudCredentials, { accessKey: env.HUAWEICLOUD_SDK_AK, secretKey: env.HUAWEICLOUD_SDK_SK });
    // IMAGESHIP_ACCESS_KEY comes first.
    const viaImageship = parse({ ...env, IMAGESHIP_ACCESS_KEY: 'HPUAIMAGESHIPAK00001' });
    assert.equal(viaImageship.cloudCredentials?.accessKey, 'HPUAIMAGESHIPAK00001');
    assert.equal(viaImageship.cloudCredentials?.secretKey, env.HUAWEICLOUD_SDK_SK);
    // The variables the schema falls back to are the ones listed for the option.
    assert.ok(schemaFallbackVariables(OPTIONS.find((o) => o.name === 'access-key')!).includes('HUAWEICLOUD_SDK_AK'));
  });

  test('other IMAGESHIP_* variables are ignored, not errors', () => {
    assert.equal(run([], { IMAGESHIP_ARGV_LOG: '/tmp/x', IMAGESHIP_NOPE: '1' }).kind, 'run');
  });
});

describe('lists and booleans', () => {
  test('repeated flags of a lines option append one line each, in order', () => {
    const lines = firstOf('lines');
    assert.equal(values([`--${lines.name}`, 'a', `--${lines.name}=b`, `--${lines.name}`, 'c,d']).get(lines.name), 'a\nb\nc,d');
    assert.equal(values(['--tags', 'latest', '--tags', 'type=sha', '--tags', 'type=semver,pattern={{version}}']).get('tags'), 'latest\ntype=sha\ntype=semver,pattern={{version}}');
  });

  test('repeating a single-value option is a usage error', () => {
    for (const spec of OPTIONS.filter((o) => !o.secret && o.type !== 'lines')) {
      const value = spec.type === 'boolean' ? 'true' : 'x';
      assert.match(usageProblems(['run', `--${spec.name}=${value}`, `--${spec.name}=${value}`]).join('\n'), new RegExp(`--${spec.name} given more than once`), spec.name);
    }
  });

  test('boolean options: bare, --no-, = and a following value', () => {
    for (const spec of OPTIONS.filter((o) => o.type === 'boolean')) {
      assert.equal(values([`--${spec.name}`]).get(spec.name), 'true', spec.name);
      assert.equal(values([`--no-${spec.name}`]).get(spec.name), 'false', spec.name);
      assert.equal(values([`--${spec.name}=false`]).get(spec.name), 'false', spec.name);
      assert.equal(values([`--${spec.name}`, 'false']).get(spec.name), 'false', spec.name);
      // Bare, followed by another flag.
      assert.equal(values([`--${spec.name}`, '--image', 'x']).get(spec.name), 'true', spec.name);
    }
  });

  test('--push maybe is passed on and refused by parseConfig as not a boolean', () => {
    const got = values(['--push', 'maybe']);
    assert.equal(got.get('push'), 'maybe');
    assert.throws(
      () => parseConfig((name) => got.get(name) ?? '', { env: {}, cwd: '/work' }),
      (error: unknown) => error instanceof ConfigError && error.problems.includes('push: "maybe" is not a boolean: use true or false'),
    );
  });

  test('--no-cache is the option no-cache itself; --no-no-cache negates it', () => {
    if (!OPTIONS.some((o) => o.name === 'no-cache')) return;
    assert.equal(values(['--no-cache']).get('no-cache'), 'true');
    assert.equal(values(['--no-no-cache']).get('no-cache'), 'false');
  });

  test('--no-<name> of a non-boolean option, or with a value, is a usage error', () => {
    assert.match(usageProblems(['run', '--no-image']).join('\n'), /--no-image: image is not a boolean option/);
    assert.match(usageProblems(['run', '--no-push=true']).join('\n'), /--no-push takes no value/);
  });
});

describe('secrets: env or stdin, never argv', () => {
  test('the schema has secrets, and each is refused as a flag value (both forms) without echoing the value', () => {
    assert.ok(secrets.length >= 2);
    for (const spec of secrets) {
      for (const argv of [[`--${spec.name}`, 'TopSecretValue123'], [`--${spec.name}=TopSecretValue123`]]) {
        const problems = usageProblems(['run', ...argv]);
        assert.equal(problems.length, 1, `${spec.name}: ${problems.join(' | ')}`);
        assert.ok(problems[0]!.includes(envVariableName(spec.name)), problems[0]);
        assert.ok(problems[0]!.includes(`--${spec.name}-stdin`), problems[0]);
        assert.ok(!problems[0]!.includes('TopSecretValue123'));
      }
    }
  });

  test('secrets are read from IMAGESHIP_<NAME>', () => {
    for (const spec of secrets) assert.equal(values([], { [envVariableName(spec.name)]: 'FromEnv123' }).get(spec.name), 'FromEnv123');
  });

  test('--<name>-stdin reads the value from stdin, trimming one trailing newline, and beats the env var', () => {
    const sk = secrets.find((o) => o.name === 'secret-key') ?? secrets[0]!;
    const command = run([`--${sk.name}-stdin`]);
    assert.equal(command.stdinOption, sk.name);
    assert.equal(resolveOptionValues(command, { [envVariableName(sk.name)]: 'env' }, 'Piped123\n').get(sk.name), 'Piped123');
    assert.equal(trimOneNewline('a\n\n'), 'a\n');
    assert.equal(trimOneNewline('a\r\n'), 'a');
    assert.equal(trimOneNewline('a'), 'a');
    // Without the flag, stdin is not read at all.
    assert.equal(run([]).stdinOption, undefined);
  });

  test('only one -stdin flag per run', () => {
    const [a, b] = secrets;
    assert.match(usageProblems(['run', `--${a!.name}-stdin`, `--${b!.name}-stdin`]).join('\n'), /only one --<name>-stdin flag per run/);
    assert.match(usageProblems(['run', `--${a!.name}-stdin`, `--${a!.name}-stdin`]).join('\n'), /given more than once/);
  });

  test('-stdin exists only for secrets and takes no value', () => {
    assert.match(usageProblems(['run', '--image-stdin']).join('\n'), /image is not a secret/);
    assert.match(usageProblems(['run', `--${secrets[0]!.name}-stdin=x`]).join('\n'), /takes no value/);
  });
});

describe('unknown flags and commands', () => {
  test('an unknown flag names the closest known one', () => {
    assert.deepEqual(usageProblems(['run', '--imgae', 'x']), ['unknown flag --imgae: did you mean --image?']);
    assert.deepEqual(usageProblems(['run', '--namespcae=x']), ['unknown flag --namespcae: did you mean --namespace?']);
    assert.match(usageProblems(['run', '--tag', 'latest'])[0]!, /^unknown flag --tag: did you mean --tags\?$/);
    assert.match(usageProblems(['run', '--secret-key-stdn'])[0]!, /did you mean --secret-key-stdin\?/);
    assert.match(usageProblems(['run', '--zzzzzzzzzzzz'])[0]!, /^unknown flag --zzzzzzzzzzzz$/);
  });

  test('the value after an unknown flag is skipped and not echoed', () => {
    const problems = usageProblems(['run', '--sk', 'SuperSecret0000000000']);
    assert.equal(problems.length, 1);
    assert.ok(!problems[0]!.includes('SuperSecret'));
  });

  test('unknown commands and no command are usage errors', () => {
    assert.match(usageProblems(['rnu'])[0]!, /unknown command "rnu": did you mean run\?/);
    assert.match(usageProblems([])[0]!, /no command/);
    assert.match(usageProblems(['--image', 'x'])[0]!, /unknown flag --image/);
  });

  test('closest() finds typos and swaps, not unrelated words', () => {
    assert.equal(closest('dokerfile', ['dockerfile', 'context']), 'dockerfile');
    assert.equal(closest('conetxt', ['dockerfile', 'context']), 'context');
    assert.equal(closest('qqqq', ['dockerfile', 'context']), undefined);
  });
});

describe('commands', () => {
  const kind = (argv: string[], env: Env = {}): CliCommand['kind'] => parseCommandLine(argv, env).kind;

  test('help, --help, -h, run --help', () => {
    for (const argv of [['help'], ['--help'], ['-h'], ['run', '--help'], ['run', '-h'], ['post', '--help']]) assert.equal(kind(argv), 'help', argv.join(' '));
  });

  test('--version is the version in package.json', () => {
    assert.equal(kind(['--version']), 'version');
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
    assert.equal(packageVersion(), pkg.version);
  });

  test('--output text|json and --verbose', () => {
    assert.equal(run([]).output, 'text');
    assert.equal(run(['--output', 'json']).output, 'json');
    assert.equal(run(['--output=text']).output, 'text');
    assert.equal(run(['--verbose']).verbose, true);
    assert.match(usageProblems(['run', '--output', 'yaml'])[0]!, /--output: "yaml" is not an output format: use text or json/);
  });

  test('post: --registry HOST, else IMAGESHIP_REGISTRY, else a usage error', () => {
    assert.deepEqual(parseCommandLine(['post', '--registry', 'swr.example.com'], {}), { kind: 'post', registry: 'swr.example.com' });
    assert.deepEqual(parseCommandLine(['post', '--registry=a.example:5000'], { IMAGESHIP_REGISTRY: 'b' }), { kind: 'post', registry: 'a.example:5000' });
    assert.deepEqual(parseCommandLine(['post'], { IMAGESHIP_REGISTRY: 'swr.cn-north-4.myhuaweicloud.com' }), { kind: 'post', registry: 'swr.cn-north-4.myhuaweicloud.com' });
    assert.match(usageProblems(['post'])[0]!, /pass --registry HOST or set IMAGESHIP_REGISTRY/);
    assert.match(usageProblems(['post', '--regsitry', 'x'])[0]!, /unknown flag --regsitry: did you mean --registry\?/);
  });

  test('no schema option collides with a CLI-only flag or the -stdin / --no- forms', () => {
    const names = new Set(OPTIONS.map((o) => o.name));
    for (const reserved of ['output', 'verbose', 'help', 'version']) assert.ok(!names.has(reserved), reserved);
    for (const spec of OPTIONS) {
      if (spec.secret) assert.ok(!names.has(`${spec.name}-stdin`), spec.name);
      if (spec.type === 'boolean') assert.ok(!names.has(`no-${spec.name}`), spec.name);
    }
  });
});

describe('help', () => {
  const help = helpText();

  test('lists every schema option with its env var, default and secret marker, grouped', () => {
    for (const spec of OPTIONS) {
      const head = spec.secret ? `  --${spec.name}-stdin` : `  --${spec.name} `;
      assert.ok(help.includes(head), `help lists ${spec.name}`);
      assert.ok(help.includes(envVariableName(spec.name)), `help names ${envVariableName(spec.name)}`);
      if (spec.default !== undefined) assert.ok(help.includes(`default: ${spec.default.split('\n').join(', ')}`), `default of ${spec.name}`);
    }
    const secretLines = help.split('\n').filter((line) => line.startsWith('      (secret;'));
    assert.ok(secretLines.length >= secrets.length);
    for (const group of new Set(OPTIONS.map((o) => o.group))) assert.match(help, new RegExp(`^${group.charAt(0).toUpperCase()}${group.slice(1)}:$`, 'm'));
    // Options appear under their group, in schema order.
    let last = -1;
    for (const spec of OPTIONS.filter((o) => o.group === OPTIONS[0]!.group)) {
      const at = help.indexOf(spec.secret ? `\n  --${spec.name}-stdin\n` : `\n  --${spec.name} `);
      assert.ok(at > last, spec.name);
      last = at;
    }
  });

  test('lists the commands and the exit codes', () => {
    for (const text of ['imageship run', 'imageship post', 'imageship help', '--version', '--output text|json', 'Exit codes:', '  0  ', '  1  ', '  2  ']) {
      assert.ok(help.includes(text), text);
    }
  });
});
