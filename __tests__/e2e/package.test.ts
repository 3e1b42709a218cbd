/**
 * The npm package as a user gets it: `npm pack` (prepack builds lib/ with
 * tsconfig.lib.json), the tarball installed into an empty project, the public
 * API imported by name (`import … from 'imageship'`) and run, the installed
 * CLI started through its bin link, the shipped .d.ts compiled against, and
 * publint on the repository. Needs the npm registry (for `yaml`), not the
 * test bed: the pipeline runs only as a dry run.
 */
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as built from '../../src/index.js';
import { repoRoot } from '../helpers/workspace.js';
import { tempDir } from '../helpers/temp-dir.js';
import { NODE24 } from '../helpers/runner.js';

const VECTORS = join(repoRoot, '__tests__', 'fixtures', 'vectors', 'swr-long-term-login.json');
const SHA = '0123abcd4567ef890123abcd4567ef890123abcd';

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command without a shell; a non-zero exit fails the caller's assertion with the output attached. */
function run(command: string, args: readonly string[], cwd: string, input?: string): Run {
  const result: SpawnSyncReturns<string> = spawnSync(command, [...args], {
    cwd,
    encoding: 'utf8',
    env: process.env,
    maxBuffer: 64 * 1024 * 1024,
    timeout: 240_000,
    ...(input === undefined ? {} : { input }),
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function ok(result: Run, what: string): Run {
  assert.equal(result.status, 0, `${what} exited ${result.status}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`);
  return result;
}

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(path));
    else out.push(path);
  }
  return out;
}

/** The consumer's script: only the package's public entry, printed as one JSON object on stdout (the log goes to stderr). */
const CONSUMER_SCRIPT = `
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as imageship from 'imageship';

const [vectorsPath, workspace] = process.argv.slice(2);
const vector = JSON.parse(readFileSync(vectorsPath, 'utf8')).cases[0];

const login = imageship.deriveSwrLogin({ region: vector.region, accessKey: vector.ak, secretKey: vector.sk });

const env = {
  GITLAB_CI: 'true',
  CI_COMMIT_SHA: '${SHA}',
  CI_COMMIT_TAG: 'v1.2.3',
  CI_DEFAULT_BRANCH: 'main',
  CI_PIPELINE_IID: '7',
  CI_PROJECT_URL: 'https://gitlab.example.com/team/app',
};
const secrets = imageship.createSecretRegistry();
const logger = {
  info: (message) => console.error(secrets.redact(message)),
  warn: (message) => console.error('warning: ' + secrets.redact(message)),
  debug: () => {},
  group: async (title, body) => {
    console.error('## ' + secrets.redact(title));
    return body();
  },
};
const exec = imageship.createNodeExec({ writeLine: (line) => logger.info(line) });
const detected = await imageship.sourceContextFromEnvironment(env, workspace, exec, () => undefined);

const tags = imageship.computeTags(
  {
    rules: 'type=semver,pattern={{version}}\\ntype=semver,pattern={{major}}.{{minor}}\\ntype=ref,event=branch\\ntype=sha\\nlatest',
    destination: 'swr.cn-north-4.myhuaweicloud.com/team/app',
  },
  detected.source,
  new Date('2026-01-02T03:04:05Z'),
);

const inputs = {
  region: vector.region,
  'access-key': vector.ak,
  'secret-key': vector.sk,
  namespace: 'team',
  image: 'app',
  tags: 'type=semver,pattern={{version}}\\nlatest',
  'dry-run': 'true',
};
const config = imageship.parseConfig((name) => inputs[name] ?? '', { env: {}, cwd: workspace });
const ports = { logger, secrets, exec, fetch: globalThis.fetch, clock: { now: () => new Date() } };
// Inside the workspace, which the test removes.
const dockerConfig = mkdtempSync(join(workspace, 'docker-config-'));
const result = await imageship.runPipeline(config, { ports, source: detected.source, cwd: workspace, env: { ...process.env, DOCKER_CONFIG: dockerConfig } });
const outputs = imageship.outputsOf(result);

console.log(JSON.stringify({
  exports: Object.keys(imageship).sort(),
  login,
  ci: detected.ci,
  tags,
  pipeline: { dryRun: result.dryRun, registry: result.registry, image: result.image, references: result.references, digest: result.digest },
  outputTags: outputs.tags,
}));
`;

const TYPE_CHECK = `
import type { Config, PipelineResult, Ports, SourceContext } from 'imageship';
import { computeTags, deriveSwrLogin, outputsOf, runPipeline } from 'imageship';

const login = deriveSwrLogin({ region: 'cn-north-4', accessKey: 'AK', secretKey: 'SK' });
const user: string = login.username;

export async function ship(config: Config, ports: Ports, source: SourceContext): Promise<string> {
  const result: PipelineResult = await runPipeline(config, { ports, source, cwd: '.' });
  const { tags } = computeTags({ rules: 'latest', destination: result.image }, source, new Date());
  return [user, outputsOf(result).digest, ...tags].join(' ');
}
`;

describe('the npm package', { timeout: 480_000 }, () => {
  let work = '';
  let tarball = '';
  let entries: string[] = [];
  let consumer = '';

  before(() => {
    work = tempDir('imageship-pack-');
    const packDir = join(work, 'pack');
    mkdirSync(packDir);
    ok(run('npm', ['pack', '--pack-destination', packDir], repoRoot), 'npm pack');
    const tarballs = readdirSync(packDir).filter((name) => name.endsWith('.tgz'));
    assert.equal(tarballs.length, 1, `one tarball expected, got ${tarballs.join(', ')}`);
    tarball = join(packDir, tarballs[0] ?? '');
    entries = ok(run('tar', ['tzf', tarball], work), 'tar tzf')
      .stdout.split('\n')
      .filter(Boolean)
      .map((entry) => entry.replace(/^package\//, ''));

    consumer = join(work, 'consumer');
    mkdirSync(consumer);
    ok(run('npm', ['init', '-y'], consumer), 'npm init -y');
    const manifest = JSON.parse(readFileSync(join(consumer, 'package.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(consumer, 'package.json'), `${JSON.stringify({ ...manifest, type: 'module' }, null, 2)}\n`);
    ok(run('npm', ['install', tarball, '--no-audit', '--no-fund', '--prefer-offline'], consumer), 'npm install <tarball>');
  });

  after(() => {
    if (work !== '') rmSync(work, { recursive: true, force: true });
  });

  test('the tarball holds lib/, README.md, LICENSE and package.json, nothing else', (t) => {
    t.diagnostic(`${tarball}: ${statSync(tarball).size} bytes, ${entries.length} files`);
    for (const required of ['package.json', 'README.md', 'LICENSE', 'lib/index.js', 'lib/index.d.ts', 'lib/bin/index.js', 'lib/bin/cli.js']) {
      assert.ok(entries.includes(required), `${required} is missing from the tarball`);
    }
    const stray = entries.filter((entry) => !entry.startsWith('lib/') && !['package.json', 'README.md', 'LICENSE'].includes(entry));
    assert.deepEqual(stray, [], 'only lib/, README.md, LICENSE and package.json are packed');
    for (const prefix of ['dist/', 'build/', '__tests__/', 'src/', 'node_modules/', 'lib/action/']) {
      assert.deepEqual(
        entries.filter((entry) => entry.startsWith(prefix) || entry.includes(`/node_modules/`)),
        [],
        `nothing under ${prefix}`,
      );
    }
    assert.deepEqual(
      entries.filter((entry) => /\.(ts|map|tsbuildinfo)$/.test(entry) && !entry.endsWith('.d.ts')),
      [],
      'no TypeScript sources or maps',
    );
  });

  test('the installed package runs deriveSwrLogin, computeTags and a dry-run pipeline through its public entry', () => {
    const script = join(consumer, 'use.mjs');
    writeFileSync(script, CONSUMER_SCRIPT);
    const workspace = mkdtempSync(join(work, 'ws-'));
    writeFileSync(join(workspace, 'Dockerfile'), 'FROM scratch\nCOPY Dockerfile /\n');
    const result = ok(run(process.execPath, [script, VECTORS, workspace], consumer), 'node use.mjs');
    const vector = (JSON.parse(readFileSync(VECTORS, 'utf8')) as { cases: Record<string, string>[] }).cases[0] ?? {};
    assert.ok(!result.stderr.includes(vector['sk'] ?? '<none>'), 'the secret key never reaches the log');
    assert.ok(!result.stderr.includes(vector['password'] ?? '<none>'), 'the derived password never reaches the log');

    const out = JSON.parse(result.stdout) as {
      exports: string[];
      login: { registry: string; username: string; password: string };
      ci: string;
      tags: { tags: string[]; version: string; fixed: string[]; notes: string[]; rewritten: { written: string; pushed: string }[] };
      pipeline: { dryRun: boolean; registry: string; image: string; references: string[]; digest: string };
      outputTags: string;
    };
    assert.deepEqual(out.exports, Object.keys(built).sort(), 'the package exports exactly what src/index.ts exports');
    assert.deepEqual(out.login, { registry: vector['registry'], username: vector['username'], password: vector['password'] });
    assert.equal(out.ci, 'gitlab');
    // By priority, as docker/metadata-action orders them: semver 900, the fixed tag (raw) 200, sha 100.
    assert.deepEqual(out.tags, { tags: ['1.2.3', '1.2', 'latest', 'sha-0123abc'], version: '1.2.3', fixed: ['latest'], notes: [], rewritten: [] });
    assert.equal(out.pipeline.dryRun, true);
    assert.equal(out.pipeline.registry, 'swr.cn-north-4.myhuaweicloud.com');
    assert.equal(out.pipeline.image, 'swr.cn-north-4.myhuaweicloud.com/team/app');
    assert.deepEqual(out.pipeline.references, ['swr.cn-north-4.myhuaweicloud.com/team/app:1.2.3', 'swr.cn-north-4.myhuaweicloud.com/team/app:latest']);
    assert.equal(out.pipeline.digest, '', 'a dry run pushes nothing');
    assert.equal(out.outputTags, out.pipeline.references.join('\n'));
  });

  test('nothing installed with the package mentions or brings @actions/*', () => {
    const lib = join(consumer, 'node_modules', 'imageship', 'lib');
    const files = filesUnder(lib);
    assert.ok(files.length > 0);
    assert.deepEqual(
      files.filter((file) => readFileSync(file, 'utf8').includes('@actions/')),
      [],
      'no file of lib/ mentions @actions/',
    );
    assert.throws(() => statSync(join(consumer, 'node_modules', '@actions')), { code: 'ENOENT' }, 'node_modules/@actions must not exist');
    const installed = JSON.parse(readFileSync(join(consumer, 'node_modules', 'imageship', 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    assert.deepEqual(Object.keys(installed.dependencies ?? {}), ['yaml']);
  });

  test('the installed CLI answers --help through its bin link', () => {
    const main = join(consumer, 'node_modules', 'imageship', 'lib', 'bin', 'index.js');
    assert.match(readFileSync(main, 'utf8'), /^#!\/usr\/bin\/env node\n/, 'the bin keeps its shebang');
    assert.ok((statSync(main).mode & 0o111) !== 0, 'the bin is executable');
    const result = ok(run(join(consumer, 'node_modules', '.bin', 'imageship'), ['--help'], consumer), 'imageship --help');
    assert.match(result.stdout, /--region /);
    assert.match(result.stdout, /--secret-key-stdin/);
    assert.match(result.stdout, /imageship run/);
    const version = ok(run(join(consumer, 'node_modules', '.bin', 'imageship'), ['--version'], consumer), 'imageship --version');
    const expected = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
    assert.match(version.stdout, new RegExp(expected.replace(/\./g, '\\.')));
  });

  test('the bin caches its compiled bundle across runs under Node 24 (compile cache in TMPDIR), and the bundle runs from it', () => {
    const main = join(consumer, 'node_modules', 'imageship', 'lib', 'bin', 'index.js');
    const tmp = tempDir('imageship-compile-cache-');
    const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', TMPDIR: tmp };
    for (const round of ['first', 'second']) {
      const result = spawnSync(NODE24, [main, '--version'], { cwd: consumer, encoding: 'utf8', env });
      assert.equal(result.status, 0, `${round} run: ${result.stderr}`);
    }
    const cached = filesUnder(join(tmp, 'node-compile-cache'));
    assert.ok(cached.length > 0, 'node-compile-cache holds the compiled bundle');
  });

  test('the shipped .d.ts files type-check a consumer (tsc --strict, nodenext)', () => {
    writeFileSync(join(consumer, 'check.ts'), TYPE_CHECK);
    const tsc = join(repoRoot, 'node_modules', '.bin', 'tsc');
    const args = ['--noEmit', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--strict', '--types', 'node', '--typeRoots', join(repoRoot, 'node_modules', '@types'), 'check.ts'];
    ok(run(tsc, args, consumer), 'tsc check.ts');
  });

  test('publint passes on the repository', (t) => {
    const result = ok(run(join(repoRoot, 'node_modules', '.bin', 'publint'), [], repoRoot), 'publint');
    const report = `${result.stdout}${result.stderr}`.trim();
    t.diagnostic(report.split('\n').join(' | '));
    assert.doesNotMatch(report, /^Errors?:/m);
  });
});
