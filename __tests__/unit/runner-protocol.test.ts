/**
 * Self-checks of the test helpers that stand in for the GitHub runner: the
 * file-command parser, workflow commands, the docker argv wrapper, runAction
 * itself (on a throwaway action written with the action's own runner module,
 * src/action/runner/) and the secret scanner. No Docker daemon needed: a fake docker stands behind the wrapper.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import {
  DOCKER_WRAPPER_DIR,
  ghContextForBranch,
  ghContextForPullRequest,
  ghContextForTag,
  inputEnvName,
  maskText,
  parseArgvLog,
  parseFileCommandFile,
  parseWorkflowCommands,
  runAction,
  runMainThenPost,
} from '../helpers/runner.js';
import { tempDir } from '../helpers/temp-dir.js';
import { base64Fragments, findSecrets } from '../helpers/secret-scan.js';
import { appendFileCommand } from '../../src/action/runner/index.js';

/** The compiled runner module (build/src/action/runner/), for the throwaway action's scripts. */
const RUNNER_MODULE_URL = new URL('../../src/action/runner/index.js', import.meta.url).href;

describe('file commands (GITHUB_OUTPUT / GITHUB_STATE / GITHUB_ENV)', () => {
  test('plain name=value lines; the first = splits; later values win', () => {
    assert.deepEqual(parseFileCommandFile('a=1\nb=x=y\n\na=2\nempty=\n'), { a: '2', b: 'x=y', empty: '' });
  });

  test('heredoc values keep inner newlines exactly, with \\n or \\r\\n line ends', () => {
    const text = 'digest<<EOF_1\nsha256:abc\nEOF_1\nmulti<<ghadelimiter_x\nline 1\n\nline 3\nghadelimiter_x\nempty<<E\nE\n';
    assert.deepEqual(parseFileCommandFile(text), { digest: 'sha256:abc', multi: 'line 1\n\nline 3', empty: '' });
    assert.deepEqual(parseFileCommandFile('k<<D\r\nv1\r\nv2\r\nD\r\n'), { k: 'v1\r\nv2' });
  });

  test('= before << is a plain line, << before = is a heredoc', () => {
    assert.deepEqual(parseFileCommandFile('a=b<<c\n'), { a: 'b<<c' });
    assert.deepEqual(parseFileCommandFile('a<<D\nx=y\nD\n'), { a: 'x=y' });
  });

  test('rejects what the runner rejects', () => {
    assert.throws(() => parseFileCommandFile('just a line\n'), /Invalid format/);
    assert.throws(() => parseFileCommandFile('=v\n'), /Name must not be empty/);
    assert.throws(() => parseFileCommandFile('a<<\nv\n\n'), /delimiter must not be empty/);
    assert.throws(() => parseFileCommandFile('a<<EOF\nvalue\n'), /Matching delimiter not found/);
  });

  test("reads what the action's runner module writes", () => {
    const dir = tempDir('imageship-runner-');
    const out = join(dir, 'out');
    writeFileSync(out, '');
    const env = { GITHUB_OUTPUT: out };
    appendFileCommand('GITHUB_OUTPUT', 'tags', 'r/a:1\nr/a:latest', env);
    appendFileCommand('GITHUB_OUTPUT', 'digest', 'sha256:0123', env);
    appendFileCommand('GITHUB_OUTPUT', 'json', JSON.stringify({ a: 1 }), env);
    appendFileCommand('GITHUB_OUTPUT', 'tricky', 'x<<EOF\nEOF=1', env);
    assert.deepEqual(parseFileCommandFile(readFileSync(out, 'utf8')), {
      tags: 'r/a:1\nr/a:latest',
      digest: 'sha256:0123',
      json: '{"a":1}',
      tricky: 'x<<EOF\nEOF=1',
    });
  });
});

describe('workflow commands on stdout', () => {
  test('parses properties and unescapes, honours stop-commands', () => {
    const stdout = [
      'plain log line',
      '::add-mask::s3cr%25et',
      '::error file=a.ts,line=3,title=Bad%3A input%2C really::line 1%0Aline 2',
      '  ::warning::indented',
      '::stop-commands::tok123',
      '::add-mask::ignored',
      '::tok123::',
      '::notice::after',
    ].join('\n');
    assert.deepEqual(parseWorkflowCommands(stdout), [
      { command: 'add-mask', properties: {}, message: 's3cr%et' },
      { command: 'error', properties: { file: 'a.ts', line: '3', title: 'Bad: input, really' }, message: 'line 1\nline 2' },
      { command: 'warning', properties: {}, message: 'indented' },
      { command: 'notice', properties: {}, message: 'after' },
    ]);
  });

  test('masking replaces longest secrets first', () => {
    assert.equal(maskText('token abcdef and abc', ['abc', 'abcdef']), 'token *** and ***');
  });
});

describe('input names', () => {
  test('upper case, spaces to _, dashes kept', () => {
    assert.equal(inputEnvName('access-key'), 'INPUT_ACCESS-KEY');
    assert.equal(inputEnvName('build args'), 'INPUT_BUILD_ARGS');
  });
});

/** A fake docker that echoes its argv and stdin, behind the real wrapper. */
function fakeDockerDir(): string {
  const dir = tempDir('imageship-fake-docker-');
  const script = join(dir, 'docker');
  writeFileSync(
    script,
    '#!/usr/bin/env bash\nprintf "fake-docker argc=%d\\n" "$#"\nprintf "path=%s\\n" "$PATH"\nprintf "stdin=%s\\n" "$(cat)"\n',
  );
  chmodSync(script, 0o755);
  return dir;
}

describe('test-env/bin/docker (argv-logging wrapper)', () => {
  test('logs argv and env names as JSON, passes stdin, drops itself from PATH', () => {
    const fake = fakeDockerDir();
    const log = join(fake, 'argv.jsonl');
    const args = ['login', '--username', 'cn-north-4@AK', '--password-stdin', 'a"b\\c', 'tab\there\nnl', 'ünï', ''];
    const res = spawnSync(join(DOCKER_WRAPPER_DIR, 'docker'), args, {
      input: 'the-password\n',
      env: { PATH: `${DOCKER_WRAPPER_DIR}:${fake}:/usr/bin:/bin`, IMAGESHIP_ARGV_LOG: log, SOME_KEY: 'value-not-logged' },
      encoding: 'utf8',
    });
    assert.equal(res.status, 0, res.stderr);
    assert.match(res.stdout, /fake-docker argc=8/);
    assert.match(res.stdout, /stdin=the-password/);
    assert.ok(!res.stdout.includes(DOCKER_WRAPPER_DIR), 'wrapper dir removed from PATH');
    const calls = parseArgvLog(readFileSync(log, 'utf8'));
    assert.equal(calls.length, 1);
    assert.deepEqual(calls[0]!.argv, args);
    assert.ok(calls[0]!.envKeys.includes('SOME_KEY'));
    assert.ok(!readFileSync(log, 'utf8').includes('value-not-logged'));
  });

  test('without IMAGESHIP_ARGV_LOG it only execs', () => {
    const fake = fakeDockerDir();
    const res = spawnSync(join(DOCKER_WRAPPER_DIR, 'docker'), ['version'], {
      env: { PATH: `${DOCKER_WRAPPER_DIR}:${fake}:/usr/bin:/bin` },
      encoding: 'utf8',
    });
    assert.equal(res.status, 0, res.stderr);
    assert.match(res.stdout, /fake-docker argc=1/);
  });
});

describe('runAction on a throwaway action', () => {
  function makeAction(): string {
    const dir = tempDir('imageship-fake-action-');
    mkdirSync(join(dir, 'dist'));
    writeFileSync(
      join(dir, 'action.yml'),
      [
        'name: fake',
        'inputs:',
        '  access-key:',
        '    required: true',
        '  build args:',
        '    default: ""',
        '  push:',
        '    default: true',
        '  token:',
        '    default: ${{ github.token }}',
        '  no-default:',
        '    required: false',
        'outputs:',
        '  digest: {description: d}',
        'runs:',
        '  using: node24',
        '  main: dist/main.mjs',
        '  post: dist/post.mjs',
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(dir, 'dist/main.mjs'),
      `import * as runner from ${JSON.stringify(RUNNER_MODULE_URL)};
import { execFileSync } from 'node:child_process';
import { appendFileSync, readFileSync } from 'node:fs';
const ak = runner.getInput('access-key');
if (!ak) throw new Error('access-key is required');
runner.addMask('sk-' + ak);
runner.info('using sk-' + ak);
runner.setOutput('digest', 'sha256:abc');
runner.setOutput('inputs', JSON.stringify({ ak, push: runner.getInput('push'), token: runner.getInput('token'),
  buildArgs: runner.getInput('build args'), noDefault: process.env['INPUT_NO-DEFAULT'] ?? null }));
runner.setOutput('ctx', JSON.stringify({ ref: process.env.GITHUB_REF, refName: process.env.GITHUB_REF_NAME,
  sha: process.env.GITHUB_SHA, event: process.env.GITHUB_EVENT_NAME, headRef: process.env.GITHUB_HEAD_REF,
  payload: JSON.parse(readFileSync(process.env.GITHUB_EVENT_PATH, 'utf8')), node: process.version,
  cwd: process.cwd(), dockerConfig: process.env.DOCKER_CONFIG }));
runner.saveState('registry', 'r.example:5000');
// The action exports no env and adds no PATH entry; these lines only exercise the helper's parsing of those files.
appendFileSync(process.env.GITHUB_ENV, 'FROM_MAIN<<EOF_env\\nyes\\nEOF_env\\n');
appendFileSync(process.env.GITHUB_PATH, '/opt/extra\\n');
runner.appendJobSummary(runner.summaryHeading('Pushed', 1) + 'ok');
execFileSync('docker', ['login', '--password-stdin', 'r.example:5000'], { input: 'pw', stdio: ['pipe', 'inherit', 'inherit'] });
`,
    );
    writeFileSync(
      join(dir, 'dist/post.mjs'),
      `import * as runner from ${JSON.stringify(RUNNER_MODULE_URL)};
import { execFileSync } from 'node:child_process';
const registry = runner.getState('registry');
runner.setOutput('seen', registry + '|' + process.env.DOCKER_CONFIG + '|' + runner.getInput('access-key'));
execFileSync('docker', ['logout', registry], { stdio: ['ignore', 'inherit', 'inherit'] });
if (!registry) process.exit(3);
`,
    );
    return dir;
  }

  test('sets inputs, context and files like the runner; collects outputs, state, summary, docker argv', async () => {
    const actionDir = makeAction();
    const fake = fakeDockerDir();
    const r = await runAction({
      actionDir,
      inputs: { 'access-key': 'AK123' },
      github: ghContextForTag('v1.2.3', '1111111111111111111111111111111111111111'),
      env: { PATH: `${fake}:${process.env['PATH']}` },
      workdir: actionDir,
      timeoutMs: 60_000,
    });
    assert.equal(r.exitCode, 0, r.stderr);
    assert.deepEqual(r.fileCommandErrors, []);
    assert.equal(r.outputs['digest'], 'sha256:abc');
    assert.deepEqual(JSON.parse(r.outputs['inputs']!), {
      ak: 'AK123',
      push: 'true',
      token: 'ghs_imageshipTestToken0000000000000000000',
      buildArgs: '',
      noDefault: null,
    });
    const ctx = JSON.parse(r.outputs['ctx']!);
    assert.equal(ctx.ref, 'refs/tags/v1.2.3');
    assert.equal(ctx.refName, 'v1.2.3');
    assert.equal(ctx.event, 'push');
    assert.equal(ctx.payload.repository.default_branch, 'main');
    assert.match(ctx.node, /^v24\./);
    assert.equal(ctx.cwd, actionDir);
    assert.equal(ctx.dockerConfig, r.dockerConfig);
    assert.deepEqual(r.state, { registry: 'r.example:5000' });
    assert.deepEqual(r.exportedEnv, { FROM_MAIN: 'yes' });
    assert.deepEqual(r.addedPaths, ['/opt/extra']);
    assert.match(r.summary, /<h1>Pushed<\/h1>/);
    assert.deepEqual(r.argv, [['login', '--password-stdin', 'r.example:5000']]);
    assert.match(r.stdout, /stdin=pw/);
    assert.deepEqual(r.masks, ['sk-AK123']);
    assert.ok(r.stdout.includes('using sk-AK123'));
    assert.ok(!r.maskedLog.includes('sk-AK123') && r.maskedLog.includes('using ***'));
    assert.ok(r.stdout.includes('::add-mask::sk-AK123') && !r.maskedLog.includes('::add-mask::'), 'mask commands are consumed');
  });

  test('runMainThenPost hands state and DOCKER_CONFIG to post; post logs its own docker calls', async () => {
    const actionDir = makeAction();
    const fake = fakeDockerDir();
    const { main, post } = await runMainThenPost({
      actionDir,
      inputs: { 'access-key': 'AK9' },
      github: ghContextForPullRequest(7, 'feature/x', '2222222222222222222222222222222222222222'),
      env: { PATH: `${fake}:${process.env['PATH']}` },
      timeoutMs: 60_000,
    });
    assert.equal(main.exitCode, 0, main.stderr);
    const ctx = JSON.parse(main.outputs['ctx']!);
    assert.equal(ctx.ref, 'refs/pull/7/merge');
    assert.equal(ctx.headRef, 'feature/x');
    assert.equal(ctx.payload.pull_request.number, 7);
    assert.equal(post.exitCode, 0, post.stderr);
    assert.equal(post.outputs['seen'], `r.example:5000|${main.dockerConfig}|AK9`);
    assert.deepEqual(post.argv, [['logout', 'r.example:5000']]);
    assert.deepEqual(main.argv, [['login', '--password-stdin', 'r.example:5000']]);
  });

  test('an undeclared input is a test bug unless allowed', async () => {
    const actionDir = makeAction();
    await assert.rejects(runAction({ actionDir, inputs: { 'acess-key': 'x' } }), /Unexpected input\(s\) 'acess-key'/);
  });

  test('branch context helper', () => {
    const gh = ghContextForBranch('release/1.x', 'abc');
    assert.equal(gh.ref, 'refs/heads/release/1.x');
    assert.equal(gh.refName, 'release/1.x');
    assert.equal((gh.event as { repository: { default_branch: string } }).repository.default_branch, 'main');
  });
});

describe('secret scan', () => {
  const password = 'a93997e52b53d3ddcb54abdff10d4458b7bf22dd86dae68b8b03e5c018c49622';

  test('finds a secret as is and inside base64 at any alignment', () => {
    for (const prefix of ['', 'u:', 'us:', 'user:']) {
      const auth = Buffer.from(`${prefix}${password}`).toString('base64');
      assert.deepEqual(findSecrets({ config: `{"auth":"${auth}"}` }, { password }), ['config: contains password (base64)']);
    }
    assert.deepEqual(findSecrets({ log: `x ${password} y`, clean: 'nothing here' }, [password]), [
      `log: contains secret #1 (64 chars)`,
    ]);
    assert.ok(base64Fragments(password).every((f) => f.length >= 4));
  });

  test('skips ::add-mask:: lines, which the runner consumes, but not a secret elsewhere on stdout', () => {
    assert.deepEqual(findSecrets({ stdout: `::add-mask::${password}\nlogin ok\n` }, { password }), []);
    assert.deepEqual(findSecrets({ stdout: `::add-mask::${password}\n::debug::pw=${password}\n` }, { password }), [
      'stdout: contains password',
    ]);
  });

  test('refuses secrets too short to scan for', () => {
    assert.throws(() => findSecrets({ a: 'x' }, ['abc']), /too short/);
  });
});
