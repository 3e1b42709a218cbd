/**
 * The one rule that keeps text from outside from steering a CI runner
 * (src/util/runner-command-guard.ts), checked three ways: against the
 * runner simulator (__tests__/helpers/runner-log-sim.ts), against ICU
 * collation (what the runners' culture-aware comparisons actually match),
 * and through the GitHub host's own stdout writer in a real process.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { inertJson, neutraliseLine, neutraliseLines, neutraliseText } from '../../src/util/runner-command-guard.js';
import { simulateAzureAgent, simulateGitHubRunner } from '../helpers/runner-log-sim.js';

/** What hostile servers put into fields imageship prints (foreign-layer URLs, error messages, image strings, tags). */
const HOSTILE = [
  '\n::stop-commands::pwn\n',
  '::add-mask::Summary',
  '  \t::error::fake failure',
  '\u3000::warning::ideographic space first',
  '\u200B::set-output name=digest::sha256:evil',
  ':\u200B:stop-commands::zw',
  ':\u00AD:stop-commands::soft-hyphen',
  'x\r::stop-commands::lone-cr',
  'before ##[stop-commands]v1-anywhere',
  'ok ##[add-mask]Summary',
  '#\u200B#[set-output name=a;]b',
  '\n##vso[task.setvariable variable=x]y',
  'mid line ##vso[task.setsecret]abc',
  'upper ##VSO[task.complete result=Failed;]done',
  '##[group]fake group',
  '%0A::error::encoded newline',
  '\u0085::error::next-line char',
  '\u000B::error::vertical tab',
  '###[error]three hashes',
];

describe('neutraliseLines: nothing hostile is obeyed', () => {
  for (const text of HOSTILE) {
    test(`GitHub and Azure obey nothing in ${JSON.stringify(text)}`, () => {
      const output = neutraliseLines(text).join('\n');
      const github = simulateGitHubRunner(output);
      assert.deepEqual(github.commands, [], output);
      assert.equal(github.stoppedBy, undefined);
      assert.deepEqual(simulateAzureAgent(output).commands, [], output);
    });
  }

  test('the simulator does obey the same text unguarded (the cases above can fail)', () => {
    for (const text of HOSTILE.filter((t) => !t.startsWith('%0A'))) {
      const github = simulateGitHubRunner(text).commands.length;
      const azure = simulateAzureAgent(text).commands.length;
      assert.ok(github + azure > 0, `unguarded ${JSON.stringify(text)} is a command somewhere`);
    }
  });

  test('ICU, as the runners compare: a zero-width character does not defuse `::` or `##[`, the guard does', () => {
    const collator = new Intl.Collator('en', { sensitivity: 'variant', ignorePunctuation: false });
    // The premise: ignorable characters vanish in the comparison the runners use.
    assert.equal(collator.compare(':\u200B:', '::'), 0);
    assert.equal(collator.compare('#\u2060#[', '##['), 0);
    const collatesAt = (line: string, needle: string, start: number): boolean => {
      for (let end = start + 1; end <= Math.min(line.length, start + needle.length + 8); end++) {
        if (collator.compare(line.slice(start, end), needle) === 0) return true;
      }
      return false;
    };
    for (const text of HOSTILE) {
      for (const line of neutraliseLines(text)) {
        const trimmed = line.replace(/^[\s\u0085]+/u, '');
        assert.ok(!collatesAt(trimmed, '::', 0), `${JSON.stringify(line)} starts with something ICU reads as ::`);
        for (let i = 0; i < line.length; i++) {
          assert.ok(!collatesAt(line, '##[', i) && !collatesAt(line, '##vso[', i), `${JSON.stringify(line)} holds ##[ at ${i} for ICU`);
        }
      }
    }
  });

  test('the rewrite is visible and small: `:\\:`, `#\\#[`, `#\\#vso[`, `\\xNN`', () => {
    assert.equal(neutraliseLine('::stop-commands::x'), ':\\:stop-commands::x');
    assert.equal(neutraliseLine('  ::add-mask::y'), '  :\\:add-mask::y');
    assert.equal(neutraliseLine('a ##[error]b'), 'a #\\#[error]b');
    assert.equal(neutraliseLine('##vso[task.setvariable variable=x]y'), '#\\#vso[task.setvariable variable=x]y');
    assert.equal(neutraliseLine('\u001b[31mred\u001b[0m'), '\\x1b[31mred\\x1b[0m');
    assert.equal(neutraliseLine('tab\tkept'), 'tab\tkept');
  });

  test('ordinary log text is left exactly as it was', () => {
    for (const line of ['sha256:0123abcd', 'copy a/b:1 (sha256:x, application/vnd.oci.image.index.v1+json)', 'a::b', 'see #12 and [x]', '── Plan', 'tags:      latest, v1.0', '👩‍💻 ZWJ emoji', 'C# [Obsolete]']) {
      assert.equal(neutraliseLine(line), line);
    }
  });

  test('lines split where the runner splits them: \\n, \\r\\n and a lone \\r', () => {
    assert.deepEqual(neutraliseLines('a\nb\r\nc\rd'), ['a', 'b', 'c', 'd']);
    assert.equal(neutraliseText('one\n::two\n'), 'one\n:\\:two\n');
  });

  test('inertJson: the JSON output passes the guard unchanged and parses to the same values', () => {
    const value = { tags: 'r/a:1\n::stop-commands::x', note: '##vso[task.setvariable variable=x]y ##[error]e', ctl: '\u007f\u0085\u009b' };
    const json = inertJson(JSON.stringify(value));
    assert.equal(neutraliseText(json), json);
    assert.deepEqual(JSON.parse(json), value);
    assert.ok(!json.includes('#'));
  });
});

describe("the GitHub host's stdout writer (a real process)", () => {
  const runnerUrl = new URL('../../src/action/runner/index.js', import.meta.url).href;
  const run = (body: string): string => {
    const script = `import * as runner from ${JSON.stringify(runnerUrl)};\n${body}`;
    const res = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '' } });
    assert.equal(res.stderr, '');
    return res.stdout;
  };

  test('info, error, warning and group titles carry hostile text without issuing a command; its own commands still work', () => {
    const hostile = HOSTILE.join(' | ');
    const stdout = run(`
const hostile = ${JSON.stringify(hostile)};
runner.info('layer at ' + hostile);
runner.error('registry said: ' + hostile);
runner.warning(hostile);
await runner.group('Copy ' + hostile, async () => runner.info(hostile));
runner.addMask('late-secret-0123456789');
runner.info('late-secret-0123456789 must be masked');
`);
    const github = simulateGitHubRunner(stdout);
    assert.equal(github.stoppedBy, undefined);
    const inert = (text: string): string => neutraliseText(text);
    assert.deepEqual(
      github.commands.map((c) => [c.command, c.data]),
      [
        ['error', inert(`registry said: ${hostile}`)],
        ['warning', inert(hostile)],
        ['group', inert(`Copy ${hostile}`)],
        ['endgroup', ''],
        ['add-mask', 'late-secret-0123456789'],
      ],
      'exactly its own commands, each message whole',
    );
    assert.ok(github.shown.includes('*** must be masked'));
    // Decoded, no line of a shown message reads as a command either (the log viewer, a later log processor).
    for (const command of github.commands) assert.deepEqual(simulateGitHubRunner(command.data).commands, [], command.data);
    assert.deepEqual(simulateAzureAgent(stdout).commands, []);
  });
});

describe('one place per host', () => {
  test('only the GitHub runner module and the CLI entry write to stdout/stderr (both through the guard)', async () => {
    const { readdirSync, readFileSync, statSync } = await import('node:fs');
    const { join, relative } = await import('node:path');
    const { REPO_ROOT } = await import('../helpers/runner.js');
    const src = join(REPO_ROOT, 'src');
    const writers: string[] = [];
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (name.endsWith('.ts') && /process\.(stdout|stderr)\.write|console\.(log|info|warn|error|debug)\(/.test(readFileSync(path, 'utf8'))) writers.push(relative(src, path));
      }
    };
    walk(src);
    assert.deepEqual(writers.sort(), ['action/runner/workflow-commands.ts', 'cli/main.ts']);
    assert.match(readFileSync(join(src, 'cli/main.ts'), 'utf8'), /stdout: \(text\) => process\.stdout\.write\(neutraliseText\(text\)\)/);
    assert.match(readFileSync(join(src, 'cli/main.ts'), 'utf8'), /stderr: \(text\) => process\.stderr\.write\(neutraliseText\(text\)\)/);
  });
});
