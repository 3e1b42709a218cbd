/**
 * The action's own implementation of the GitHub runner protocol
 * (src/action/runner/): what it writes to stdout and to the runner's files,
 * checked as exact text and read back with the test helpers' runner-side
 * parsers, which follow the runner's rules.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { escapeCommandMessage, escapeCommandProperty } from '../../src/action/runner/command-escaping.js';
import {
  appendFileCommand,
  appendJobSummary,
  formatFileCommand,
  formatWorkflowCommand,
  getInput,
  getState,
  html,
  inputEnvName,
  newHeredocDelimiter,
  summaryCodeBlock,
  summaryHeading,
  summaryTable,
} from '../../src/action/runner/index.js';
import { writeSummary } from '../../src/action/summary.js';
import type { PipelineResult } from '../../src/app/pipeline.js';
import { parseFileCommandFile, parseWorkflowCommands } from '../helpers/runner.js';
import { tempDir } from '../helpers/temp-dir.js';

const directory = tempDir('imageship-action-runner-');
after(() => rmSync(directory, { recursive: true, force: true }));
let fileCount = 0;
function emptyFile(): string {
  const path = join(directory, `file-${++fileCount}`);
  writeFileSync(path, '');
  return path;
}

describe('workflow command escaping', () => {
  test('message: %, CR and LF are escaped, % first; : and , stay', () => {
    assert.equal(escapeCommandMessage('100% done\r\nnext: a,b'), '100%25 done%0D%0Anext: a,b');
    assert.equal(escapeCommandMessage('%0A is not a newline'), '%250A is not a newline');
  });

  test('property values also escape : and ,', () => {
    assert.equal(escapeCommandProperty('Bad: input, really 50%\n'), 'Bad%3A input%2C really 50%25%0A');
  });

  test('formatted commands: properties joined by commas, empty ones left out', () => {
    assert.equal(formatWorkflowCommand('debug', 'line 1\nline 2'), '::debug::line 1%0Aline 2');
    assert.equal(formatWorkflowCommand('endgroup', ''), '::endgroup::');
    assert.equal(
      formatWorkflowCommand('error', 'x', { file: 'a.ts', line: '3', title: '' }),
      '::error file=a.ts,line=3::x',
    );
  });

  test('the runner reads back exactly what was meant', () => {
    const message = 'multi\nline %25 message with :: and , inside\r\nend';
    const title = 'T: a, b %0A\nc';
    const [command] = parseWorkflowCommands(formatWorkflowCommand('warning', message, { title }));
    assert.deepEqual(command, { command: 'warning', properties: { title }, message });
  });
});

describe('file commands', () => {
  test('a heredoc entry: name<<DELIM, the value, DELIM, each on its own line', () => {
    assert.equal(formatFileCommand('digest', 'sha256:ab', 'ghadelimiter_X'), 'digest<<ghadelimiter_X\nsha256:ab\nghadelimiter_X\n');
    assert.equal(formatFileCommand('empty', '', 'D'), 'empty<<D\n\nD\n');
  });

  test('refuses a name or value containing the delimiter', () => {
    assert.throws(() => formatFileCommand('tags', 'a\nghadelimiter_X\nevil=1', 'ghadelimiter_X'), /value of 'tags' contains the delimiter/);
    assert.throws(() => formatFileCommand('aghadelimiter_X', 'v', 'ghadelimiter_X'), /name 'aghadelimiter_X' contains the delimiter/);
  });

  test('refuses names the runner would split differently', () => {
    for (const name of ['', 'a=b', 'a<<b', 'a\nb', 'a\rb']) {
      assert.throws(() => formatFileCommand(name, 'v', 'D'), /empty or contains a line break/, JSON.stringify(name));
    }
  });

  test('a fresh random delimiter each time', () => {
    const a = newHeredocDelimiter();
    const b = newHeredocDelimiter();
    assert.match(a, /^ghadelimiter_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.notEqual(a, b);
  });

  test('appended entries parse back as the runner parses them, tricky values intact', () => {
    const output = emptyFile();
    const env = { GITHUB_OUTPUT: output };
    appendFileCommand('GITHUB_OUTPUT', 'tags', 'r/a:1\nr/a:latest', env);
    appendFileCommand('GITHUB_OUTPUT', 'tricky', 'x<<EOF\nEOF\nEOF=1\n', env);
    appendFileCommand('GITHUB_OUTPUT', 'json', '{"a":"b=c"}', env);
    appendFileCommand('GITHUB_OUTPUT', 'empty', '', env);
    const text = readFileSync(output, 'utf8');
    assert.deepEqual(parseFileCommandFile(text), {
      tags: 'r/a:1\nr/a:latest',
      tricky: 'x<<EOF\nEOF\nEOF=1\n',
      json: '{"a":"b=c"}',
      empty: '',
    });
    const delimiters = [...text.matchAll(/^\w+<<(ghadelimiter_.+)$/gm)].map((m) => m[1]);
    assert.equal(new Set(delimiters).size, 4, 'one delimiter per entry');
  });

  test('without the channel variable it throws, naming the variable', () => {
    assert.throws(() => appendFileCommand('GITHUB_STATE', 'registry', 'r', {}), /GITHUB_STATE is not set, so 'registry' cannot be handed to the runner/);
  });
});

describe('inputs and state', () => {
  const env = {
    'INPUT_ACCESS-KEY': '  AK123 \n',
    INPUT_BUILD_ARGS: 'A=1\nB=2\n',
    INPUT_TAGS: '',
    STATE_registry: ' r.example:5000 ',
    'input_lower-case': 'never read',
  };

  test('names: upper case, spaces to _, hyphens kept', () => {
    assert.equal(inputEnvName('access-key'), 'INPUT_ACCESS-KEY');
    assert.equal(inputEnvName('build args'), 'INPUT_BUILD_ARGS');
  });

  test('values are trimmed at both ends only; missing inputs are empty', () => {
    assert.equal(getInput('access-key', env), 'AK123');
    assert.equal(getInput('Access-Key', env), 'AK123');
    assert.equal(getInput('build args', env), 'A=1\nB=2');
    assert.equal(getInput('tags', env), '');
    assert.equal(getInput('lower-case', env), '');
    assert.equal(getInput('no-such-input', env), '');
  });

  test('state comes back exactly as saved (case-sensitive name, not trimmed)', () => {
    assert.equal(getState('registry', env), ' r.example:5000 ');
    assert.equal(getState('Registry', env), '');
  });
});

describe('job summary HTML', () => {
  test('heading, table and code block, one element per line, text escaped', () => {
    assert.equal(summaryHeading('a <b> & "c"', 3), '<h3>a &lt;b&gt; &amp; &quot;c&quot;</h3>\n');
    assert.equal(
      summaryTable(['What', 'Value'], [['Tags', html('<code>r/a:1</code><br><code>r/a:2</code>')], ['Login', '<script>'], ['Empty', '']]),
      '<table><tr><th>What</th><th>Value</th></tr>' +
        '<tr><td>Tags</td><td><code>r/a:1</code><br><code>r/a:2</code></td></tr>' +
        '<tr><td>Login</td><td>&lt;script&gt;</td></tr>' +
        '<tr><td>Empty</td><td></td></tr></table>\n',
    );
    assert.equal(summaryCodeBlock("if a < b && c > 'd'", 'text'), '<pre lang="text"><code>if a &lt; b &amp;&amp; c &gt; &#39;d&#39;</code></pre>\n');
  });

  test('appends to GITHUB_STEP_SUMMARY; does nothing without it', () => {
    const summary = emptyFile();
    appendJobSummary('<h1>one</h1>\n', { GITHUB_STEP_SUMMARY: summary });
    appendJobSummary('<h1>two</h1>\n', { GITHUB_STEP_SUMMARY: summary });
    appendJobSummary('<h1>lost</h1>\n', {});
    assert.equal(readFileSync(summary, 'utf8'), '<h1>one</h1>\n<h1>two</h1>\n');
  });

  const result: PipelineResult = {
    mode: 'build',
    dryRun: false,
    registry: 'swr.cn-north-4.myhuaweicloud.com',
    image: 'swr.cn-north-4.myhuaweicloud.com/org/app',
    tags: ['latest', 'sha-0123abc'],
    references: ['swr.cn-north-4.myhuaweicloud.com/org/app:latest', 'swr.cn-north-4.myhuaweicloud.com/org/app:sha-0123abc'],
    digest: 'sha256:0123',
    imageId: 'sha256:9999',
    loginUser: 'cn-north-4@HPUASECRETAK',
    builder: 'classic',
    labels: {},
    deployments: [
      { target: 'functiongraph', id: 'urn:fss:fn', previous: 'old:1', current: 'new:2', verified: true, consoleUrl: 'https://console.example/?a=1&b="2"' },
      { target: 'trigger', id: 'https://hook.example/<id>', previous: '', current: 'sent', verified: false },
    ],
    replicas: [],
    retention: undefined,
    plan: ['login: x'],
  };

  test('the action summary: pushed image and deployments, secrets redacted, text escaped', () => {
    const summary = emptyFile();
    const saved = process.env['GITHUB_STEP_SUMMARY'];
    process.env['GITHUB_STEP_SUMMARY'] = summary;
    try {
      writeSummary(result, (text) => text.replace('SECRETAK', '***'));
    } finally {
      if (saved === undefined) delete process.env['GITHUB_STEP_SUMMARY'];
      else process.env['GITHUB_STEP_SUMMARY'] = saved;
    }
    assert.equal(
      readFileSync(summary, 'utf8'),
      [
        '<h3>imageship: image pushed and deployed</h3>',
        '<table><tr><th>What</th><th>Value</th></tr>' +
          '<tr><td>Registry</td><td><code>swr.cn-north-4.myhuaweicloud.com</code></td></tr>' +
          '<tr><td>Image</td><td><code>swr.cn-north-4.myhuaweicloud.com/org/app</code></td></tr>' +
          '<tr><td>Tags</td><td><code>swr.cn-north-4.myhuaweicloud.com/org/app:latest</code><br><code>swr.cn-north-4.myhuaweicloud.com/org/app:sha-0123abc</code></td></tr>' +
          '<tr><td>Digest</td><td><code>sha256:0123</code></td></tr>' +
          '<tr><td>Login</td><td><code>cn-north-4@HPUA***</code></td></tr>' +
          '<tr><td>Builder</td><td>classic</td></tr></table>',
        '<h4>Deployments</h4>',
        '<table><tr><th>Target</th><th>What</th><th>Before</th><th>After</th><th>Verified</th></tr>' +
          '<tr><td>functiongraph</td><td><a href="https://console.example/?a=1&amp;b=&quot;2&quot;"><code>urn:fss:fn</code></a></td><td><code>old:1</code></td><td><code>new:2</code></td><td>yes</td></tr>' +
          '<tr><td>trigger</td><td><code>https://hook.example/&lt;id&gt;</code></td><td></td><td><code>sent</code></td><td>no</td></tr></table>',
        '',
      ].join('\n'),
    );
  });

  test('a dry run shows the plan as a code block', () => {
    const summary = emptyFile();
    const saved = process.env['GITHUB_STEP_SUMMARY'];
    process.env['GITHUB_STEP_SUMMARY'] = summary;
    try {
      writeSummary({ ...result, dryRun: true, digest: '', deployments: [], plan: ['login: cn-north-4@HPUASECRETAK', 'build: docker build <ctx>'] }, (text) =>
        text.replace('SECRETAK', '***'),
      );
    } finally {
      if (saved === undefined) delete process.env['GITHUB_STEP_SUMMARY'];
      else process.env['GITHUB_STEP_SUMMARY'] = saved;
    }
    const text = readFileSync(summary, 'utf8');
    assert.match(text, /^<h3>imageship: plan \(dry run\)<\/h3>\n/);
    assert.match(text, /<tr><td>Digest<\/td><td>dry run: not pushed<\/td><\/tr>/);
    assert.ok(text.endsWith('<pre lang="text"><code>login: cn-north-4@HPUA***\nbuild: docker build &lt;ctx&gt;</code></pre>\n'), text);
  });
});

describe('logging on stdout (a real process, as the runner sees it)', () => {
  // The compiled module next to this compiled test (build/src/action/runner/).
  const runnerUrl = new URL('../../src/action/runner/index.js', import.meta.url).href;

  function runScript(body: string): { status: number | null; stdout: string; stderr: string } {
    const script = `import * as runner from ${JSON.stringify(runnerUrl)};\n${body}`;
    const res = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '' } });
    return { status: res.status, stdout: res.stdout, stderr: res.stderr };
  }

  test('log levels, masks and groups, in call order; a failing group body still closes its group', () => {
    const r = runScript(`
runner.addMask('s3cr%et\\r');
runner.info('plain line, :: not a command');
runner.debug('stack\\n  at x');
runner.warning('careful: 50%');
await runner.group('Build', async () => runner.info('inside')).then((v) => runner.info('returned ' + v));
await runner.group('Push', async () => { throw new Error('boom'); }).catch((e) => runner.error(e.message));
runner.setFailed('1 problem(s)');
runner.info('still running');
`);
    assert.equal(r.status, 1, r.stderr);
    assert.equal(r.stderr, '');
    assert.deepEqual(r.stdout.split('\n'), [
      '::add-mask::s3cr%25et%0D',
      'plain line, :: not a command',
      '::debug::stack%0A  at x',
      '::warning::careful: 50%25',
      '::group::Build',
      'inside',
      '::endgroup::',
      'returned undefined',
      '::group::Push',
      '::endgroup::',
      '::error::boom',
      '::error::1 problem(s)',
      'still running',
      '',
    ]);
    assert.deepEqual(
      parseWorkflowCommands(r.stdout).map((c) => [c.command, c.message]),
      [
        ['add-mask', 's3cr%et\r'],
        ['debug', 'stack\n  at x'],
        ['warning', 'careful: 50%'],
        ['group', 'Build'],
        ['endgroup', ''],
        ['group', 'Push'],
        ['endgroup', ''],
        ['error', 'boom'],
        ['error', '1 problem(s)'],
      ],
    );
  });

  test('setOutput and saveState write heredocs to the runner files; a missing file variable fails loudly', () => {
    const output = emptyFile();
    const state = emptyFile();
    const script = `runner.setOutput('digest', 'sha256:ab'); runner.saveState('registry', 'r:5000');`;
    const res = spawnSync(process.execPath, ['--input-type=module', '-e', `import * as runner from ${JSON.stringify(runnerUrl)};\n${script}`], {
      encoding: 'utf8',
      env: { PATH: process.env['PATH'] ?? '', GITHUB_OUTPUT: output, GITHUB_STATE: state },
    });
    assert.equal(res.status, 0, res.stderr);
    assert.equal(res.stdout, '', 'nothing on stdout: no legacy ::set-output');
    assert.deepEqual(parseFileCommandFile(readFileSync(output, 'utf8')), { digest: 'sha256:ab' });
    assert.deepEqual(parseFileCommandFile(readFileSync(state, 'utf8')), { registry: 'r:5000' });

    const missing = runScript(`runner.setOutput('digest', 'sha256:ab');`);
    assert.notEqual(missing.status, 0);
    assert.equal(missing.stdout, '');
    assert.match(missing.stderr, /GITHUB_OUTPUT is not set/);
  });

  test('the main step without GITHUB_STATE fails with one ::error:: saying why, not a crash', () => {
    const entry = new URL('../../src/action/index.js', import.meta.url);
    // No docker on PATH either: the probe fails quietly; nothing gets that far.
    const res = spawnSync(process.execPath, [entry.pathname], { encoding: 'utf8', env: { PATH: '/nonexistent' }, cwd: directory });
    assert.equal(res.status, 1, res.stderr);
    assert.equal(res.stderr, '');
    // The stack goes to the debug log only, as for any unexpected error.
    assert.deepEqual(
      parseWorkflowCommands(res.stdout).map((c) => c.command),
      ['debug', 'error'],
    );
    assert.match(res.stdout, /^::error::GITHUB_STATE is not set, so 'isPost' cannot be handed to the runner: run this action on a GitHub Actions runner/m);
  });
});
