/**
 * The login against a Docker config that is not imageship's alone (issue 10,
 * items 7 and 10, and runs sharing one config): a robot login already there
 * for the same registry, other registries' entries and settings, a credential
 * store, a wrong key, a failed or killed main step, and imageship runs (CLI
 * processes, library callers) logging in and out of different registries at
 * the same moment. Through the bundled action (main then post, as the runner
 * runs them) and the compiled CLI, against the test bed's registries and the
 * real Docker daemon. Every docker call is recorded by test-env/bin/docker,
 * and the command lines of every process a CLI run starts are read from /proc
 * while it runs: none may hold the AK or a password.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { catalog } from '../helpers/registry-api.js';
import { DOCKER_WRAPPER_DIR, ghContextForBranch, parseArgvLog, REPO_ROOT, runAction, type StepResult } from '../helpers/runner.js';
import { findSecrets } from '../helpers/secret-scan.js';
import { loadTestbed, type Testbed } from '../helpers/testbed.js';
import { sampleAppWorkspace, uniqueNamespace } from '../helpers/workspace.js';
import { tempDir } from '../helpers/temp-dir.js';

const CLI = join(REPO_ROOT, 'build', 'src', 'cli', 'main.js');
const LOGIN_MODULE = join(REPO_ROOT, 'build', 'src', 'registry', 'login.js');
const EXEC_MODULE = join(REPO_ROOT, 'build', 'src', 'util', 'node-exec.js');
const SHA = '0123abcd4567ef890123abcd4567ef890123abcd';
const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

/** A robot account from an earlier step (docker/login-action), and another registry's login. */
const ROBOT_PASSWORD = 'robot-ci-password-7f3a9c';
const ROBOT_ENTRY = { auth: b64(`robot$ci:${ROBOT_PASSWORD}`) };
const OTHER_PASSWORD = 'other-registry-password-51e2';
const OTHER_ENTRY = { auth: b64(`mirror-bot:${OTHER_PASSWORD}`) };

let bed: Testbed;
let auth: { username: string; password: string };

before(() => {
  bed = loadTestbed();
  auth = { username: bed.username, password: bed.derivedPassword };
  assert.ok(existsSync(CLI), `${CLI} is missing: run npm run build`);
});

// ------------------------------------------------------------------ helpers

/** A DOCKER_CONFIG holding `config`, written as the docker CLI writes it (tabs, no final newline). */
function dockerConfigWith(config: object): { dir: string; file: string; original: string } {
  const dir = tempDir('imageship-hostile-login-');
  const file = join(dir, 'config.json');
  const original = JSON.stringify(config, null, '\t');
  writeFileSync(file, original, { mode: 0o600 });
  return { dir, file, original };
}

/** The config the robot login lives in: imageship's registry, a spelling variant of it, another registry, other settings. */
function robotConfig(): object {
  return {
    auths: { [bed.swrRegistry]: ROBOT_ENTRY, [`https://${bed.swrRegistry}`]: ROBOT_ENTRY, [bed.anonRegistry]: OTHER_ENTRY },
    psFormat: 'table {{.ID}}\\t{{.Names}}',
    HttpHeaders: { 'User-Agent': 'ci-runner/1.0' },
  };
}

function authsOf(file: string): Record<string, { auth?: string }> {
  return (JSON.parse(readFileSync(file, 'utf8')) as { auths?: Record<string, { auth?: string }> }).auths ?? {};
}

function swrInputs(namespace: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    region: bed.region,
    'access-key': bed.ak,
    'secret-key': bed.sk,
    registry: bed.swrRegistry,
    namespace,
    image: 'app',
    tags: 'latest',
    'build-args': `BASE_IMAGE=${bed.baseImage}`,
    ...extra,
  };
}

function workspaceWith(dockerfile: string): string {
  const dir = sampleAppWorkspace();
  writeFileSync(join(dir, 'Dockerfile'), dockerfile);
  return dir;
}

/** Main, then post with what main saved, one DOCKER_CONFIG; `between` sees the job between the two. */
async function mainThenPost(
  inputs: Record<string, string>,
  options: { dockerConfig: string; workdir?: string; env?: Record<string, string>; timeoutMs?: number; between?: (main: StepResult) => void },
): Promise<{ main: StepResult; post: StepResult }> {
  const common = { inputs, workdir: options.workdir ?? sampleAppWorkspace(), github: ghContextForBranch('main', SHA), env: { ...(options.env ?? {}), DOCKER_CONFIG: options.dockerConfig } };
  const main = await runAction({ ...common, phase: 'main', ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}) });
  options.between?.(main);
  const post = await runAction({ ...common, phase: 'post', state: main.state });
  return { main, post };
}

/** Everything a step leaves that the runner shows or keeps, and every docker argv. */
function stepTexts(steps: Record<string, StepResult>): Record<string, string> {
  const texts: Record<string, string> = {};
  for (const [phase, step] of Object.entries(steps)) {
    texts[`${phase} log`] = step.stdout + step.stderr;
    texts[`${phase} outputs`] = JSON.stringify(step.outputs);
    texts[`${phase} state`] = JSON.stringify(step.state);
    texts[`${phase} summary`] = step.summary;
    texts[`${phase} env file`] = step.envFile;
    texts[`${phase} docker argv`] = JSON.stringify(step.argv);
  }
  return texts;
}

function argvSecrets(): Record<string, string> {
  return { AK: bed.ak, SK: bed.sk, 'derived password': bed.derivedPassword, 'robot password': ROBOT_PASSWORD, 'other password': OTHER_PASSWORD };
}

/** Files in the DOCKER_CONFIG directory (the lock, temp files and login records would show here). */
const filesIn = (dir: string): string[] => readdirSync(dir).sort();

// ------------------------------------------------------------------ the CLI, with its processes' command lines watched

interface CliRun {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  argv: string[][];
  /** Processes started by the run seen in /proc while it ran: pid → command line. */
  processes: Map<number, string>;
  /** Command lines of those processes that held a watched value (the value itself replaced). */
  cmdlineHits: string[];
}

/**
 * Reads /proc every few ms and keeps the command line of every process
 * descended from `root` (docker, its wrapper, buildx, credential helpers…).
 * Other tests on this machine use the same AK, so only the run's own process
 * tree counts.
 */
function watchProcessTree(root: number, watched: Record<string, string>): { stop: () => { processes: Map<number, string>; hits: string[] } } {
  const processes = new Map<number, string>();
  const hits = new Set<string>();
  const scan = (): void => {
    const parents = new Map<number, number>();
    const lines = new Map<number, string>();
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      try {
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        parents.set(Number(name), ppid);
        lines.set(Number(name), readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').join(' ').trim());
      } catch {
        // Gone between the listing and the read.
      }
    }
    const ours = new Set<number>([root]);
    for (let grew = true; grew; ) {
      grew = false;
      for (const [pid, ppid] of parents) {
        if (!ours.has(pid) && ours.has(ppid)) {
          ours.add(pid);
          grew = true;
        }
      }
    }
    for (const pid of ours) {
      const line = lines.get(pid);
      if (line === undefined || line === '') continue;
      processes.set(pid, line);
      for (const [label, value] of Object.entries(watched)) if (line.includes(value)) hits.add(`${pid}: ${label}: ${line.split(value).join(`<${label}>`)}`);
    }
  };
  const timer = setInterval(scan, 10);
  return {
    stop: () => {
      clearInterval(timer);
      return { processes, hits: [...hits] };
    },
  };
}

async function runCli(args: string[], options: { dockerConfig: string; cwd?: string; env?: Record<string, string>; stdin?: string }): Promise<CliRun> {
  const tmp = tempDir('imageship-hostile-cli-');
  const argvLog = join(tmp, 'docker-argv.jsonl');
  writeFileSync(argvLog, '');
  const env: Record<string, string> = {
    PATH: [DOCKER_WRAPPER_DIR, ...(process.env['PATH'] ?? '/usr/bin:/bin').split(delimiter)].join(delimiter),
    HOME: process.env['HOME'] ?? '/root',
    ...(process.env['DOCKER_HOST'] ? { DOCKER_HOST: process.env['DOCKER_HOST'] } : {}),
    ...(options.env ?? {}),
    DOCKER_CONFIG: options.dockerConfig,
    IMAGESHIP_ARGV_LOG: argvLog,
  };
  const result = await new Promise<{ exitCode: number | null; stdout: string; stderr: string; processes: Map<number, string>; hits: string[] }>((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: options.cwd ?? tmp, env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    const watcher = watchProcessTree(child.pid!, { AK: bed.ak, 'derived password': bed.derivedPassword, SK: bed.sk, 'robot password': ROBOT_PASSWORD });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 240_000);
    child.on('error', reject);
    child.on('close', (exitCode) => {
      clearTimeout(timer);
      const { processes, hits } = watcher.stop();
      resolve({ exitCode, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), processes, hits });
    });
    child.stdin.end(options.stdin ?? '');
  });
  return {
    exitCode: result.exitCode,
    stdout: result.stdout,
    stderr: result.stderr,
    argv: parseArgvLog(readFileSync(argvLog, 'utf8')).map((call) => call.argv),
    processes: result.processes,
    cmdlineHits: result.hits,
  };
}

const showCli = (run: CliRun): string => `exit ${run.exitCode}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`;

// ------------------------------------------------------------------ a fake credential helper

/**
 * `docker-credential-imageshiptest`, a credential helper speaking the real
 * protocol (get, store, erase, list; data on stdin, answer on stdout) over a
 * JSON file, logging each call's argv. The docker CLI itself runs it for
 * build and push, so it must be complete.
 */
function fakeCredentialHelper(initial: Record<string, { Username: string; Secret: string }>): { bin: string; store: string; log: string; env: Record<string, string> } {
  const dir = tempDir('imageship-helper-');
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  const store = join(dir, 'store.json');
  const log = join(dir, 'calls.jsonl');
  writeFileSync(store, JSON.stringify(initial, null, 2));
  writeFileSync(log, '');
  const program = join(bin, 'docker-credential-imageshiptest');
  writeFileSync(
    program,
    `#!${process.execPath}
const fs = require('node:fs');
const action = process.argv[2];
const input = fs.readFileSync(0, 'utf8');
fs.appendFileSync(process.env.IMAGESHIP_TEST_HELPER_LOG, JSON.stringify({ argv: process.argv.slice(2) }) + '\\n');
const path = process.env.IMAGESHIP_TEST_HELPER_STORE;
const store = JSON.parse(fs.readFileSync(path, 'utf8'));
const save = () => { fs.writeFileSync(path + '.tmp', JSON.stringify(store, null, 2)); fs.renameSync(path + '.tmp', path); };
if (action === 'get') {
  const held = store[input.trim()];
  if (!held) { process.stdout.write('credentials not found in native keychain\\n'); process.exit(1); }
  process.stdout.write(JSON.stringify({ ServerURL: input.trim(), Username: held.Username, Secret: held.Secret }));
} else if (action === 'store') {
  const body = JSON.parse(input);
  store[body.ServerURL] = { Username: body.Username, Secret: body.Secret };
  save();
} else if (action === 'erase') {
  delete store[input.trim()];
  save();
} else if (action === 'list') {
  process.stdout.write(JSON.stringify(Object.fromEntries(Object.entries(store).map(([url, held]) => [url, held.Username]))));
} else {
  process.stderr.write('unknown action ' + action + '\\n');
  process.exit(1);
}
`,
  );
  chmodSync(program, 0o755);
  return {
    bin,
    store,
    log,
    env: { PATH: [bin, ...(process.env['PATH'] ?? '/usr/bin:/bin').split(delimiter)].join(delimiter), IMAGESHIP_TEST_HELPER_STORE: store, IMAGESHIP_TEST_HELPER_LOG: log },
  };
}

// ------------------------------------------------------------------ (1) a robot login for the same registry survives the job

describe('a robot login for the same registry is kept through main and restored by post', () => {
  const config = { dir: '', file: '', original: '' };
  let main: StepResult;
  let post: StepResult;
  let during: { auths: Record<string, { auth?: string }>; files: string[]; recordFile: string; recordMode: number; dirMode: number; record: string };
  const namespace = uniqueNamespace('keep');

  before(async () => {
    Object.assign(config, dockerConfigWith(robotConfig()));
    ({ main, post } = await mainThenPost(swrInputs(namespace), {
      dockerConfig: config.dir,
      between: () => {
        const recordDir = join(config.dir, 'imageship-logins');
        const recordFile = join(recordDir, `${bed.swrRegistry.replace(/[^A-Za-z0-9.-]/g, '_')}.json`);
        during = {
          auths: authsOf(config.file),
          files: filesIn(config.dir),
          recordFile,
          recordMode: existsSync(recordFile) ? statSync(recordFile).mode & 0o777 : -1,
          dirMode: existsSync(recordDir) ? statSync(recordDir).mode & 0o777 : -1,
          record: existsSync(recordFile) ? readFileSync(recordFile, 'utf8') : '',
        };
      },
    }));
  });

  test('during the job, the registry entry is imageship\'s login and every other entry is untouched', () => {
    assert.equal(main.exitCode, 0, main.stdout + main.stderr);
    assert.deepEqual(during.auths[bed.swrRegistry], { auth: b64(`${bed.username}:${bed.derivedPassword}`) }, 'later steps of the job push with it');
    assert.deepEqual(during.auths[`https://${bed.swrRegistry}`], ROBOT_ENTRY);
    assert.deepEqual(during.auths[bed.anonRegistry], OTHER_ENTRY);
  });

  test('the log says which login is used: the existing one kept, and restored after the job', () => {
    const configFile = join(config.dir, 'config.json');
    assert.ok(main.maskedLog.includes(`logged in to ${bed.swrRegistry} in ${configFile} (written by imageship`), main.maskedLog);
    assert.ok(main.maskedLog.includes(`an existing login for ${bed.swrRegistry} was kept (saved in ${during.recordFile}, readable by this user only) and will be restored when imageship logs out`), main.maskedLog);
    assert.match(post.maskedLog, new RegExp(`^post: logged out of ${bed.swrRegistry.replace(/\./g, '\\.')}: the login that was there before is back in ${configFile.replace(/[.]/g, '\\.')}$`, 'm'));
  });

  test('the saved login is a 0600 file in a 0700 directory beside the config, and nowhere in state, outputs, summary or log', () => {
    assert.deepEqual(during.files, ['config.json', 'imageship-logins'], 'no lock or temp file left behind by main');
    assert.equal(during.recordMode, 0o600);
    assert.equal(during.dirMode, 0o700);
    const saved = JSON.parse(during.record) as { previous: { entry: unknown } };
    assert.deepEqual(saved.previous.entry, ROBOT_ENTRY, 'the robot login is what was saved');
    assert.deepEqual(findSecrets({ 'saved login file': during.record }, { 'derived password': bed.derivedPassword, SK: bed.sk }), [], 'imageship\'s own login is not in it');
    const leaks = findSecrets(stepTexts({ main, post }), { 'robot password': ROBOT_PASSWORD, 'other password': OTHER_PASSWORD, 'robot auth': ROBOT_ENTRY.auth });
    assert.deepEqual(leaks, []);
    assert.ok(!JSON.stringify(main.state).includes(ROBOT_ENTRY.auth) && Object.keys(main.state).sort().join() === 'isPost,logout,registry', JSON.stringify(main.state));
  });

  test('after post, config.json is byte for byte what it was, and every file imageship made is gone', () => {
    assert.equal(post.exitCode, 0, post.stdout + post.stderr);
    assert.equal(readFileSync(config.file, 'utf8'), config.original);
    assert.deepEqual(filesIn(config.dir), ['config.json']);
  });

  test('no docker process of main or post had the AK or any password in its argv; there was no docker login or logout', () => {
    assert.ok(main.argv.some((argv) => argv[0] === 'build'), 'docker was in play');
    assert.deepEqual(main.argv.concat(post.argv).filter((argv) => argv[0] === 'login' || argv[0] === 'logout'), []);
    assert.deepEqual(findSecrets({ 'main argv': JSON.stringify(main.argv), 'post argv': JSON.stringify(post.argv) }, argvSecrets()), []);
  });
});

// ------------------------------------------------------------------ (2) a wrong SK

test('a wrong SK fails at login with the clear message and hint; nothing is pushed; the config is untouched through post', async () => {
  const config = dockerConfigWith(robotConfig());
  const namespace = uniqueNamespace('hostile-badsk');
  const wrongSk = 'WrongSecretKey0000000000000000000000000000';
  const { main, post } = await mainThenPost(swrInputs(namespace, { 'secret-key': wrongSk }), {
    dockerConfig: config.dir,
    between: () => assert.equal(readFileSync(config.file, 'utf8'), config.original, 'unchanged after main'),
  });
  assert.equal(main.exitCode, 1);
  assert.match(
    main.stdout,
    new RegExp(`::error::login: ${bed.swrRegistry.replace(/\./g, '\\.')} rejected the credentials \\(401\\): check access-key, secret-key and region: the login user is ${bed.region}@${bed.ak.slice(0, 4)}…`),
  );
  assert.deepEqual(main.argv.filter((argv) => ['build', 'push', 'login'].includes(argv[0] ?? '') || argv[1] === 'build'), []);
  assert.ok(!(await catalog(bed.swrRegistry, auth)).some((repo) => repo.startsWith(namespace)));
  assert.equal(post.exitCode, 0, post.stdout + post.stderr);
  assert.match(post.stdout, new RegExp(`post: imageship holds no login for ${bed.swrRegistry.replace(/\./g, '\\.')} in .*: nothing to undo`));
  assert.equal(readFileSync(config.file, 'utf8'), config.original, 'the robot login survives a failed login and the post step');
  assert.deepEqual(filesIn(config.dir), ['config.json']);
  assert.deepEqual(findSecrets(stepTexts({ main, post }), { 'wrong SK': wrongSk, 'robot password': ROBOT_PASSWORD }), []);
});

// ------------------------------------------------------------------ (3) main fails after the login

test('main fails in the build after the login: post still restores the robot login byte for byte', async () => {
  const config = dockerConfigWith(robotConfig());
  const { main, post } = await mainThenPost(swrInputs(uniqueNamespace('hostile-failbuild')), {
    dockerConfig: config.dir,
    workdir: workspaceWith('ARG BASE_IMAGE\nFROM ${BASE_IMAGE}\nCOPY does-not-exist.txt /\n'),
    between: () => assert.deepEqual(authsOf(config.file)[bed.swrRegistry], { auth: b64(`${bed.username}:${bed.derivedPassword}`) }, 'main had logged in'),
  });
  assert.equal(main.exitCode, 1);
  assert.match(main.stdout, /::error::build: docker build failed/);
  assert.equal(post.exitCode, 0, post.stdout + post.stderr);
  assert.match(post.stdout, /post: logged out of .*: the login that was there before is back/);
  assert.equal(readFileSync(config.file, 'utf8'), config.original);
  assert.deepEqual(filesIn(config.dir), ['config.json']);
});

// ------------------------------------------------------------------ (4) main killed mid-run

test('main killed during the build (a cancelled job): post restores the robot login and removes the saved copy', async () => {
  const config = dockerConfigWith(robotConfig());
  const { main, post } = await mainThenPost(swrInputs(uniqueNamespace('hostile-killed')), {
    dockerConfig: config.dir,
    workdir: workspaceWith('ARG BASE_IMAGE\nFROM ${BASE_IMAGE}\nRUN sleep 25\n'),
    // SIGKILL to the whole step: nothing of main's own runs after it, so its temp files stay: give it a TMPDIR the test removes.
    env: { TMPDIR: tempDir('imageship-killed-tmp-') },
    timeoutMs: 12_000,
    between: (killed) => {
      assert.ok(killed.timedOut, 'main was killed mid-run');
      assert.ok(killed.stdout.includes(`logged in to ${bed.swrRegistry}`), `killed after the login: ${killed.stdout}`);
      assert.ok(killed.argv.some((argv) => argv[0] === 'build'), 'killed during the build');
      assert.ok(existsSync(join(config.dir, 'imageship-logins')), 'the saved login is there for post');
    },
  });
  assert.equal(main.state['registry'], bed.swrRegistry, 'the registry was in state before the login');
  assert.equal(post.exitCode, 0, post.stdout + post.stderr);
  assert.match(post.stdout, /the login that was there before is back/);
  assert.equal(readFileSync(config.file, 'utf8'), config.original);
  assert.deepEqual(filesIn(config.dir), ['config.json']);
});

// ------------------------------------------------------------------ (5) credsStore: the helper gets the login on stdin

test('credsStore: the login goes to the credential helper on its stdin, docker builds and pushes with it, post puts the robot back', async () => {
  const helper = fakeCredentialHelper({ [bed.swrRegistry]: { Username: 'robot$ci', Secret: ROBOT_PASSWORD } });
  const storeBefore = readFileSync(helper.store, 'utf8');
  const config = dockerConfigWith({ auths: { [bed.swrRegistry]: {}, [bed.anonRegistry]: OTHER_ENTRY }, credsStore: 'imageshiptest' });
  const namespace = uniqueNamespace('hostile-helper');
  let heldDuring: Record<string, { Username: string; Secret: string }> = {};
  const { main, post } = await mainThenPost(swrInputs(namespace), {
    dockerConfig: config.dir,
    env: helper.env,
    between: () => {
      heldDuring = JSON.parse(readFileSync(helper.store, 'utf8')) as typeof heldDuring;
      assert.equal(readFileSync(config.file, 'utf8'), config.original, 'no password in config.json: the helper holds it');
    },
  });
  assert.equal(main.exitCode, 0, main.stdout + main.stderr);
  assert.deepEqual(heldDuring[bed.swrRegistry], { Username: bed.username, Secret: bed.derivedPassword });
  assert.ok(main.maskedLog.includes(`logged in to ${bed.swrRegistry} through the credential helper docker-credential-imageshiptest`), main.maskedLog);
  assert.ok(main.maskedLog.includes(`an existing login for ${bed.swrRegistry} was kept`), main.maskedLog);
  assert.ok(main.argv.some((argv) => argv[0] === 'push'), 'docker pushed, reading the login from the helper');
  assert.ok(main.outputs['digest']?.startsWith('sha256:'), 'pushed and verified');

  assert.equal(post.exitCode, 0, post.stdout + post.stderr);
  assert.equal(readFileSync(helper.store, 'utf8').replace(/\s/g, ''), storeBefore.replace(/\s/g, ''), 'the helper holds the robot login again');
  assert.equal(readFileSync(config.file, 'utf8'), config.original);
  assert.deepEqual(filesIn(config.dir), ['config.json']);

  const helperCalls = parseArgvLog(readFileSync(helper.log, 'utf8')).map((call) => call.argv);
  assert.ok(helperCalls.some((argv) => argv[0] === 'store'), 'imageship stored through the helper');
  assert.ok(helperCalls.every((argv) => argv.length === 1 && ['get', 'store', 'erase', 'list'].includes(argv[0]!)), JSON.stringify(helperCalls));
  assert.deepEqual(findSecrets({ 'helper argv': JSON.stringify(helperCalls), 'docker argv': JSON.stringify(main.argv.concat(post.argv)) }, argvSecrets()), []);
});

test('credsStore naming a helper that is not installed: a clear error before anything is built; config untouched', async () => {
  const config = dockerConfigWith({ auths: { [bed.swrRegistry]: ROBOT_ENTRY }, credsStore: 'not-installed-anywhere' });
  const { main, post } = await mainThenPost(swrInputs(uniqueNamespace('hostile-nohelper')), { dockerConfig: config.dir });
  assert.equal(main.exitCode, 1);
  assert.match(
    main.stdout,
    /::error::.*\(credsStore\) sends logins to the credential helper docker-credential-not-installed-anywhere, which cannot be run .*: install it, remove that setting from the config, or give the job a Docker config of its own \(DOCKER_CONFIG\)/,
  );
  assert.deepEqual(main.argv.filter((argv) => argv[0] === 'build' || argv[1] === 'build'), []);
  assert.equal(post.exitCode, 0);
  assert.equal(readFileSync(config.file, 'utf8'), config.original);
  assert.deepEqual(filesIn(config.dir), ['config.json']);
});

// ------------------------------------------------------------------ (6) CLI: command lines of every process

test('CLI: no process the run starts (docker, its wrapper, buildx…) has the AK or a password in /proc/<pid>/cmdline; the robot login survives', async () => {
  const config = dockerConfigWith(robotConfig());
  const namespace = uniqueNamespace('hostile-cmdline');
  const run = await runCli(['run', '--region', bed.region, '--registry', bed.swrRegistry, '--namespace', namespace, '--image', 'app', '--tags', 'latest', '--build-args', `BASE_IMAGE=${bed.baseImage}`], {
    dockerConfig: config.dir,
    cwd: sampleAppWorkspace(),
    env: { HUAWEICLOUD_SDK_AK: bed.ak, HUAWEICLOUD_SDK_SK: bed.sk },
  });
  assert.equal(run.exitCode, 0, showCli(run));
  const commands = [...run.processes.values()];
  assert.ok(commands.some((line) => /docker.* build /.test(line)) && commands.some((line) => /docker.* push /.test(line)), `the watcher saw the docker children: ${commands.join('\n')}`);
  assert.deepEqual(run.cmdlineHits, []);
  assert.deepEqual(findSecrets({ 'docker argv': JSON.stringify(run.argv) }, argvSecrets()), []);
  assert.match(run.stdout, new RegExp(`^an existing login for ${bed.swrRegistry.replace(/\./g, '\\.')} was kept`, 'm'));
  assert.match(run.stdout, /^logged out of .*: the login that was there before is back/m);
  assert.equal(readFileSync(config.file, 'utf8'), config.original);
  assert.deepEqual(filesIn(config.dir), ['config.json']);
});

// ------------------------------------------------------------------ (7) concurrent CLI runs, one DOCKER_CONFIG

test('10 pairs of concurrent CLI runs against the two registries, one DOCKER_CONFIG: each pair leaves exactly the expected entries', async () => {
  const config = dockerConfigWith({
    auths: { [bed.swrRegistry]: ROBOT_ENTRY, 'registry.example.test': OTHER_ENTRY },
    credHelpers: { 'ecr.example.test': 'ecr-login' },
    psFormat: 'table {{.ID}}',
  });
  const anonLogin = { username: 'robot-anon', password: 'anon-registry-password-3c1d' };
  const anonEntry = { auth: b64(`${anonLogin.username}:${anonLogin.password}`) };
  const expectedDuring = JSON.parse(config.original) as { auths: Record<string, unknown> };
  expectedDuring.auths[bed.anonRegistry] = anonEntry;
  const workspace = sampleAppWorkspace();
  const image = `${uniqueNamespace('hostile-pairs')}/web`;

  for (let pair = 1; pair <= 10; pair++) {
    const [swr, anon] = await Promise.all([
      // Logs in to the SWR-like registry over the robot login and logs out at exit.
      runCli(['run', '--region', bed.region, '--registry', bed.swrRegistry, '--namespace', uniqueNamespace('hostile-pair'), '--image', 'app', '--tags', `p${pair}`, '--push', 'false', '--build-args', `BASE_IMAGE=${bed.baseImage}`], {
        dockerConfig: config.dir,
        cwd: workspace,
        env: { HUAWEICLOUD_SDK_AK: bed.ak, HUAWEICLOUD_SDK_SK: bed.sk },
      }),
      // Logs in to the other registry and keeps the login (--logout false) for later steps.
      runCli(['run', '--provider', 'generic', '--registry', bed.anonRegistry, '--username', anonLogin.username, '--image', image, '--tags', `p${pair}`, '--push', 'false', '--logout', 'false', '--build-args', `BASE_IMAGE=${bed.baseImage}`], {
        dockerConfig: config.dir,
        cwd: workspace,
        env: { IMAGESHIP_PASSWORD: anonLogin.password },
      }),
    ]);
    assert.equal(swr.exitCode, 0, `pair ${pair} swr: ${showCli(swr)}`);
    assert.equal(anon.exitCode, 0, `pair ${pair} anon: ${showCli(anon)}`);
    assert.deepEqual(JSON.parse(readFileSync(config.file, 'utf8')), expectedDuring, `pair ${pair}: the robot login is back, the kept login is there, nothing else changed`);
    assert.deepEqual(filesIn(config.dir), ['config.json', 'imageship-logins'], `pair ${pair}: no lock or temp file left`);
    assert.deepEqual(readdirSync(join(config.dir, 'imageship-logins')), [`${bed.anonRegistry.replace(/[^A-Za-z0-9.-]/g, '_')}.json`]);
    assert.deepEqual(swr.cmdlineHits.concat(anon.cmdlineHits), []);
    assert.deepEqual(findSecrets({ 'swr argv': JSON.stringify(swr.argv), 'anon argv': JSON.stringify(anon.argv) }, { ...argvSecrets(), 'anon password': anonLogin.password }), []);
  }

  // The kept login ends with imageship post, which leaves the config exactly as it started.
  const post = await runCli(['post', '--registry', bed.anonRegistry], { dockerConfig: config.dir });
  assert.equal(post.exitCode, 0, showCli(post));
  assert.equal(post.stdout, `logged out of ${bed.anonRegistry}\n`);
  assert.equal(readFileSync(config.file, 'utf8'), config.original);
  assert.deepEqual(filesIn(config.dir), ['config.json']);
});

// ------------------------------------------------------------------ (8) many library callers at once

describe('library callers logging in and out of six registries at once, 25 rounds each, one DOCKER_CONFIG', () => {
  const servers: Server[] = [];
  const registries: { host: string; username: string; password: string }[] = [];

  before(async () => {
    for (let i = 0; i < 6; i++) {
      const username = `stress-user-${i}`;
      const password = `stress-password-${i}-9b7e41`;
      const expected = `Basic ${b64(`${username}:${password}`)}`;
      // A registry that wants Basic and accepts only its own user: the credential check is real.
      const server = createServer((request, response) => {
        if (request.headers.authorization === expected) response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
        else response.writeHead(401, { 'www-authenticate': 'Basic realm="stress"', 'content-type': 'application/json' }).end('{"errors":[{"code":"UNAUTHORIZED"}]}');
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      servers.push(server);
      registries.push({ host: `127.0.0.1:${(server.address() as AddressInfo).port}`, username, password });
    }
  });
  after(() => {
    for (const server of servers) server.close();
  });

  test('every round sees its own entry and undoes it exactly; the config ends byte for byte as it began', async () => {
    // Two of the registries already have a robot login, which must be back after every round.
    const config = dockerConfigWith({
      auths: { [registries[0]!.host]: ROBOT_ENTRY, 'unrelated.example.test': OTHER_ENTRY, [registries[3]!.host]: OTHER_ENTRY },
      currentContext: 'default',
    });
    const script = `
      import { readFileSync } from 'node:fs';
      import { dockerLogin, dockerLogout } from ${JSON.stringify(LOGIN_MODULE)};
      import { createNodeExec } from ${JSON.stringify(EXEC_MODULE)};
      const [registry, username, password, rounds, expectedOutcome] = process.argv.slice(1);
      const exec = createNodeExec({ writeLine: () => undefined });
      const mine = Buffer.from(username + ':' + password).toString('base64');
      for (let round = 1; round <= Number(rounds); round++) {
        await dockerLogin(exec, { registry, username, password, loginHint: '', env: process.env });
        const seen = JSON.parse(readFileSync(process.env.DOCKER_CONFIG + '/config.json', 'utf8')).auths?.[registry]?.auth;
        if (seen !== mine) throw new Error('round ' + round + ': the login for ' + registry + ' is not in the config after dockerLogin');
        const out = await dockerLogout(exec, registry, process.env);
        if (out.outcome !== expectedOutcome) throw new Error('round ' + round + ': logout of ' + registry + ' gave ' + out.outcome + ': ' + out.message);
      }
    `;
    const runs = registries.map(
      (registry, i) =>
        new Promise<{ code: number | null; stderr: string }>((resolve) => {
          const child = spawn(process.execPath, ['--input-type=module', '-e', script, registry.host, registry.username, registry.password, '25', i === 0 || i === 3 ? 'restored' : 'removed'], {
            env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/root', DOCKER_CONFIG: config.dir },
            stdio: ['ignore', 'ignore', 'pipe'],
          });
          const err: Buffer[] = [];
          child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
          child.on('close', (code) => resolve({ code, stderr: Buffer.concat(err).toString('utf8') }));
        }),
    );
    const results = await Promise.all(runs);
    results.forEach((result, i) => assert.equal(result.code, 0, `caller ${i}: ${result.stderr}`));
    assert.equal(await readFile(config.file, 'utf8'), config.original);
    assert.deepEqual((await readdir(config.dir)).sort(), ['config.json'], 'no lock, temp file or saved login left');
  });
});

// ------------------------------------------------------------------ (9) the login user is never a docker argument, even via the library

test('library dockerLogin/dockerLogout keep their names and call shapes, and start no docker process', async () => {
  const config = dockerConfigWith({ auths: { [bed.swrRegistry]: ROBOT_ENTRY } });
  const argvLog = join(tempDir('imageship-argv-'), 'argv.jsonl');
  writeFileSync(argvLog, '');
  const script = `
    import { dockerLogin, dockerLogout, createNodeExec } from ${JSON.stringify(join(REPO_ROOT, 'build', 'src', 'index.js'))};
    const exec = createNodeExec({ writeLine: (line) => console.log(line) });
    const env = process.env;
    const login = await dockerLogin(exec, { registry: ${JSON.stringify(bed.swrRegistry)}, username: ${JSON.stringify(bed.username)}, password: process.env.TEST_PASSWORD, loginHint: 'x', env });
    console.log(JSON.stringify({ kept: login.keptPrevious, store: login.store }));
    const logout = await dockerLogout(exec, ${JSON.stringify(bed.swrRegistry)}, env);
    console.log(JSON.stringify(logout));
  `;
  const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      env: {
        PATH: [DOCKER_WRAPPER_DIR, process.env['PATH'] ?? ''].join(delimiter),
        HOME: process.env['HOME'] ?? '/root',
        DOCKER_CONFIG: config.dir,
        IMAGESHIP_ARGV_LOG: argvLog,
        TEST_PASSWORD: bed.derivedPassword,
      },
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
  });
  assert.equal(result.code, 0, result.stdout + result.stderr);
  const [loginLine, logoutLine] = result.stdout.trim().split('\n');
  assert.deepEqual(JSON.parse(loginLine!), { kept: true, store: 'config.json' });
  assert.deepEqual(JSON.parse(logoutLine!).outcome, 'restored');
  assert.equal(readFileSync(argvLog, 'utf8'), '', 'no docker process at all');
  assert.equal(readFileSync(config.file, 'utf8'), config.original);
});
