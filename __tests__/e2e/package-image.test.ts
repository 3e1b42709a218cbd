/**
 * `package`: an image straight from a software package, with no Dockerfile
 * and no Docker daemon, through the compiled CLI against the test bed's real
 * registries. Bases are the test bed's busybox (FROM scratch + a static
 * busybox) and a two-platform index pushed here. Checked from outside the
 * code under test: manifests and configs through the registry API, the
 * layer listed entry by entry by GNU tar, the image pulled and run by the
 * real Docker daemon, base blobs counted at a counting proxy in front of the
 * registry, downloads at an HTTPS server and an OBS stand-in that verify and
 * record what they were sent, and the docker argv log (test-env/bin/docker
 * first on PATH), which stays empty.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer as createHttpsServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { delimiter, dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startCountingProxy, type CountingProxy } from '../helpers/counting-proxy.js';
import { makeTestCa, type TestCa } from '../helpers/hostile/test-ca.js';
import { pushTwoPlatformIndex } from '../helpers/image-fixtures.js';
import { catalog, getManifest, imageConfig } from '../helpers/registry-api.js';
import { DOCKER_WRAPPER_DIR, parseArgvLog, REPO_ROOT } from '../helpers/runner.js';
import { findSecrets } from '../helpers/secret-scan.js';
import { tempDir } from '../helpers/temp-dir.js';
import { loadTestbed } from '../helpers/testbed.js';
import { uniqueNamespace } from '../helpers/workspace.js';
import { startObsStandIn, type ObsStandIn } from '../standins/obs.js';

const CLI = join(REPO_ROOT, 'build', 'src', 'cli', 'main.js');
const bed = loadTestbed();
const swrAuth = { username: bed.username, password: bed.derivedPassword };
/** The test bed's busybox base, as a repository path on the anonymous registry. */
const BASE_REPO = bed.baseImage.slice(bed.anonRegistry.length + 1).split(':')[0]!;
const BASE_TAG = bed.baseImage.split(':').at(-1)!;

interface CliRun {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** Every docker call. */
  argv: string[][];
}


/** The CLI with only a machine's basic env; `pathWithoutDocker` leaves no docker binary on PATH at all. */
async function runCli(args: string[], options: { cwd: string; env?: Record<string, string>; pathWithoutDocker?: boolean }): Promise<CliRun> {
  const argvLog = join(tempDir('imageship-pkg-argv-'), 'argv.jsonl');
  writeFileSync(argvLog, '');
  const nodeDir = dirname(process.execPath);
  const env: Record<string, string> = {
    HOME: process.env['HOME'] ?? '/root',
    PATH: options.pathWithoutDocker ? nodeDir : [DOCKER_WRAPPER_DIR, ...(process.env['PATH'] ?? '/usr/bin:/bin').split(delimiter)].join(delimiter),
    IMAGESHIP_ARGV_LOG: argvLog,
    TMPDIR: process.env['TMPDIR'] ?? '/tmp',
    ...options.env,
  };
  const child = spawn(process.execPath, [CLI, 'run', '--verbose', ...args], { cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exitCode = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const run = { exitCode, stdout, stderr, argv: parseArgvLog(readFileSync(argvLog, 'utf8')).map((call) => call.argv) };
  return run;
}

const output = (run: CliRun): string => `${run.stdout}\n${run.stderr}`;

function anonTarget(namespace: string, registry = bed.anonRegistry, tag = 'v1'): string[] {
  return ['--provider', 'generic', '--registry', registry, '--namespace', namespace, '--image', 'app', '--tags', tag];
}

/** The gzip'd layer blob, listed by GNU tar: `mode uid/gid size date time name`. */
async function layerListing(registry: string, repository: string, digest: string): Promise<{ lines: string[]; file: string }> {
  const response = await fetch(`http://${registry}/v2/${repository}/blobs/${digest}`);
  assert.equal(response.status, 200);
  const bytes = Buffer.from(await response.arrayBuffer());
  assert.equal(`sha256:${createHash('sha256').update(bytes).digest('hex')}`, digest);
  const file = join(tempDir('imageship-pkg-layer-'), 'layer.tgz');
  writeFileSync(file, bytes);
  const lines = execFileSync('tar', ['--numeric-owner', '--full-time', '-tvzf', file], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } }).trim().split('\n');
  return { lines, file };
}

function entryNames(lines: readonly string[]): string[] {
  return lines.map((line) => line.split(/\s+/).slice(5).join(' '));
}

/** Pulls and runs the image with the test bed's Docker daemon, then removes it. */
function dockerRun(reference: string, args: string[] = [], flags: string[] = []): string {
  execFileSync('docker', ['pull', '-q', reference], { stdio: 'pipe' });
  try {
    return execFileSync('docker', ['run', '--rm', ...flags, reference, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } finally {
    execFileSync('docker', ['image', 'rm', '-f', reference], { stdio: 'pipe' });
  }
}

function makeTgz(files: Record<string, { text: string; mode?: number }>, top = ''): Buffer {
  const dir = tempDir('imageship-pkg-src-');
  for (const [name, file] of Object.entries(files)) {
    const path = join(dir, top, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, file.text);
    chmodSync(path, file.mode ?? 0o644);
  }
  return execFileSync('tar', ['-czf', '-', '-C', dir, top === '' ? '.' : top]);
}

function makeZip(files: Record<string, { text: string; mode?: number }>): Buffer {
  const dir = tempDir('imageship-pkg-zip-');
  for (const [name, file] of Object.entries(files)) {
    const path = join(dir, 'src', name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, file.text);
    chmodSync(path, file.mode ?? 0o644);
  }
  execFileSync('zip', ['-q', '-r', join(dir, 'p.zip'), '.'], { cwd: join(dir, 'src') });
  return readFileSync(join(dir, 'p.zip'));
}

const JAR = Buffer.concat([Buffer.from('PK\x03\x04'), createHash('sha512').update('imageship jar').digest(), Buffer.alloc(40_000, 7)]);

describe('package: each type onto busybox, no Docker used to make it', () => {
  let proxy: CountingProxy;
  let work: string;
  before(async () => {
    proxy = await startCountingProxy(bed.anonRegistry);
    work = tempDir('imageship-pkg-ws-');
    writeFileSync(join(work, 'app-1.2.0.jar'), JAR);
  });
  after(async () => proxy.close());

  test('jar: the layer holds /app and /app/app.jar only; base blobs are mounted (0 base bytes), the entrypoint runs and finds the jar; a second run gives the same digest', async () => {
    const namespace = uniqueNamespace('pkg-jar');
    const rest = [
      '--package', 'app-1.2.0.jar',
      '--base-image', `${proxy.host}/${BASE_REPO}:${BASE_TAG}`,
      '--entrypoint', '["sh","-c","ls -ln /app/app.jar && md5sum /app/app.jar && echo mode=$APP_MODE"]',
      '--user', '1000:1000',
      '--env', 'APP_MODE=production',
      '--expose', '8080',
    ];
    const args = [...anonTarget(namespace, proxy.host), ...rest];
    const baseManifest = await getManifest(bed.anonRegistry, BASE_REPO, BASE_TAG);
    const baseLayers = (baseManifest?.json as { layers: { digest: string; size: number }[] }).layers;
    proxy.reset();
    const run = await runCli(args, { cwd: work });
    assert.equal(run.exitCode, 0, output(run));
    assert.deepEqual(run.argv, [], 'no docker process at all');

    // Base blobs: mounted from the base repository, none read, none uploaded.
    const baseLayerDigests = new Set(baseLayers.map((layer) => layer.digest));
    // The base's config is mounted too: its manifest is kept in the repository by digest, next to the new image.
    const baseDigests = new Set([...baseLayerDigests, (baseManifest?.json as { config: { digest: string } }).config.digest]);
    const mounts = proxy.requests.filter((r) => r.method === 'POST' && /[?&]mount=/.test(r.url));
    assert.deepEqual(new Set(mounts.map((r) => decodeURIComponent(/mount=([^&]+)/.exec(r.url)![1]!))), baseDigests);
    assert.ok(mounts.every((r) => r.status === 201), 'each mount answered 201 Created');
    assert.equal(proxy.count('GET', (url) => [...baseLayerDigests].some((digest) => url.includes(`/blobs/${digest}`))), 0, 'no base layer was downloaded');
    const manifest = await getManifest(bed.anonRegistry, `${namespace}/app`, 'v1');
    const body = manifest?.json as { layers: { digest: string; size: number }[]; config: { size: number } };
    const ours = body.layers.at(-1)!;
    assert.equal(proxy.uploadBytes(), ours.size + body.config.size, 'only the package layer and the config were uploaded');
    assert.deepEqual(body.layers.slice(0, -1).map((layer) => layer.digest), baseLayers.map((layer) => layer.digest));

    // The layer, entry by entry: the directory and the jar, owned by 1000:1000, mtime the epoch.
    const { lines } = await layerListing(bed.anonRegistry, `${namespace}/app`, ours.digest);
    assert.deepEqual(entryNames(lines), ['app/', 'app/app.jar']);
    assert.match(lines[0]!, /^drwxr-xr-x 1000\/1000 +0 1970-01-01 00:00:00 app\/$/);
    assert.match(lines[1]!, new RegExp(`^-rw-r--r-- 1000/1000 +${JAR.length} 1970-01-01 00:00:00 app/app.jar$`));

    const config = (await imageConfig(bed.anonRegistry, `${namespace}/app`, 'v1')) as { config: Record<string, unknown>; rootfs: { diff_ids: string[] }; history: { created_by?: string }[]; created: string };
    assert.equal(config.created, '1970-01-01T00:00:00Z');
    assert.deepEqual(config.config['Entrypoint'], ['sh', '-c', 'ls -ln /app/app.jar && md5sum /app/app.jar && echo mode=$APP_MODE']);
    assert.equal(config.config['Cmd'], null, 'an entrypoint clears the base\'s Cmd');
    assert.equal(config.config['WorkingDir'], '/app');
    assert.equal(config.config['User'], '1000:1000');
    assert.deepEqual(config.config['ExposedPorts'], { '8080/tcp': {} });
    assert.ok((config.config['Env'] as string[]).includes('APP_MODE=production'));
    const labels = config.config['Labels'] as Record<string, string>;
    assert.equal(labels['org.opencontainers.image.base.name'], `${proxy.host}/${BASE_REPO}:${BASE_TAG}`);
    assert.equal(labels['org.opencontainers.image.base.digest'], baseManifest?.digest);
    assert.equal(labels['org.opencontainers.image.created'], '1970-01-01T00:00:00Z');
    assert.equal(labels['io.imageship.package.version'], '1.2.0');
    assert.equal(config.rootfs.diff_ids.length, baseLayers.length + 1);
    assert.match(config.history.at(-1)?.created_by ?? '', /imageship package jar app-1\.2\.0\.jar → \/app\/app\.jar/);

    // The test bed's FROM-scratch busybox has a 0700 root directory, so uid 1000 could not even reach /bin/sh: run as root, check the owner.
    const ran = dockerRun(`${bed.anonRegistry}/${namespace}/app:v1`, [], ['--user', '0']);
    assert.match(ran, new RegExp(`^-rw-r--r-- +1 1000 +1000 +${JAR.length} .* /app/app\\.jar$`, 'm'));
    assert.match(ran, new RegExp(`^${createHash('md5').update(JAR).digest('hex')}  /app/app\\.jar$`, 'm'));
    assert.match(ran, /^mode=production$/m);

    // Same inputs again: the same digest, and nothing uploaded (every blob is there).
    proxy.reset();
    // Same inputs, tag included (it is the version label).
    const again = await runCli(args, { cwd: work });
    assert.equal(again.exitCode, 0, output(again));
    assert.match(again.stdout, new RegExp(`v1 +${manifest?.digest}`), 'the second run reports the same digest');
    assert.equal((await getManifest(bed.anonRegistry, `${namespace}/app`, 'v1'))?.digest, manifest?.digest, 'same inputs, same digest');
    assert.equal(proxy.uploadBytes(), 0, 'the second run uploads nothing');
    assert.match(again.stdout, /already there/);
  });

  test('node (npm pack .tgz): unpacked into /app without package/, Cmd npm start; with only "main", node <main>', async () => {
    const namespace = uniqueNamespace('pkg-node');
    writeFileSync(join(work, 'demo-2.0.1.tgz'), makeTgz({ 'package.json': { text: JSON.stringify({ name: 'demo', version: '2.0.1', scripts: { start: 'node index.js' } }) }, 'index.js': { text: 'console.log(1)\n' }, 'bin/cli.sh': { text: '#!/bin/sh\n', mode: 0o755 } }, 'package'));
    const run = await runCli([...anonTarget(namespace), '--package', 'demo-2.0.1.tgz', '--base-image', bed.baseImage], { cwd: work });
    assert.equal(run.exitCode, 0, output(run));
    assert.deepEqual(run.argv, []);
    const manifest = (await getManifest(bed.anonRegistry, `${namespace}/app`, 'v1'))?.json as { layers: { digest: string }[] };
    const { lines } = await layerListing(bed.anonRegistry, `${namespace}/app`, manifest.layers.at(-1)!.digest);
    assert.deepEqual(entryNames(lines), ['app/', 'app/bin/', 'app/bin/cli.sh', 'app/index.js', 'app/package.json']);
    assert.match(lines[2]!, /^-rwxr-xr-x 0\/0 /, 'modes kept; root owns the files without a numeric user');
    const config = (await imageConfig(bed.anonRegistry, `${namespace}/app`, 'v1')) as { config: Record<string, unknown> };
    assert.deepEqual(config.config['Cmd'], ['npm', 'start']);
    assert.equal(config.config['WorkingDir'], '/app');

    writeFileSync(join(work, 'lib-1.0.0.tgz'), makeTgz({ 'package.json': { text: JSON.stringify({ name: 'lib', version: '1.0.0', main: 'server.js' }) }, 'server.js': { text: '' } }, 'package'));
    const second = await runCli([...anonTarget(namespace).slice(0, -1), 'main-only', '--package', 'lib-1.0.0.tgz', '--base-image', bed.baseImage], { cwd: work });
    assert.equal(second.exitCode, 0, output(second));
    assert.deepEqual(((await imageConfig(bed.anonRegistry, `${namespace}/app`, 'main-only')) as { config: Record<string, unknown> }).config['Cmd'], ['node', 'server.js']);
  });

  test('python (zip): unpacked into /app, cmd runs; php (tgz): into /var/www/html with the base\'s start; war: ROOT.war', async () => {
    const namespace = uniqueNamespace('pkg-py');
    writeFileSync(join(work, 'svc.zip'), makeZip({ 'app/main.py': { text: 'print("hello")\n' }, 'requirements.txt': { text: 'flask\n' } }));
    const python = await runCli([...anonTarget(namespace), '--package', 'svc.zip', '--package-type', 'python', '--base-image', bed.baseImage, '--cmd', 'cat /app/app/main.py /app/requirements.txt'], { cwd: work });
    assert.equal(python.exitCode, 0, output(python));
    assert.equal(dockerRun(`${bed.anonRegistry}/${namespace}/app:v1`), 'print("hello")\nflask\n');

    writeFileSync(join(work, 'site.tgz'), makeTgz({ 'index.php': { text: '<?php echo "hi";' } }));
    const php = await runCli([...anonTarget(namespace).slice(0, -1), 'php', '--package', 'site.tgz', '--package-type', 'php', '--base-image', bed.baseImage], { cwd: work });
    assert.equal(php.exitCode, 0, output(php));
    const phpManifest = (await getManifest(bed.anonRegistry, `${namespace}/app`, 'php'))?.json as { layers: { digest: string }[] };
    assert.deepEqual(entryNames((await layerListing(bed.anonRegistry, `${namespace}/app`, phpManifest.layers.at(-1)!.digest)).lines), ['var/www/html/index.php'], 'the base\'s own directory is not overwritten');
    const baseConfig = (await imageConfig(bed.anonRegistry, BASE_REPO, BASE_TAG)) as { config: Record<string, unknown> };
    const phpConfig = (await imageConfig(bed.anonRegistry, `${namespace}/app`, 'php')) as { config: Record<string, unknown> };
    assert.deepEqual(phpConfig.config['Cmd'], baseConfig.config['Cmd'], 'the base\'s start is kept');
    assert.equal(dockerRun(`${bed.anonRegistry}/${namespace}/app:php`, ['cat', '/var/www/html/index.php']), '<?php echo "hi";');

    writeFileSync(join(work, 'shop.war'), JAR);
    const war = await runCli([...anonTarget(namespace).slice(0, -1), 'war', '--package', 'shop.war', '--base-image', bed.baseImage], { cwd: work });
    assert.equal(war.exitCode, 0, output(war));
    const warManifest = (await getManifest(bed.anonRegistry, `${namespace}/app`, 'war'))?.json as { layers: { digest: string }[] };
    assert.deepEqual(entryNames((await layerListing(bed.anonRegistry, `${namespace}/app`, warManifest.layers.at(-1)!.digest)).lines), ['usr/local/tomcat/webapps/ROOT.war']);
    for (const run of [python, php, war]) assert.deepEqual(run.argv, []);
  });

  test('files (zip) into workdir with an entrypoint from the package, on a runner with no docker binary at all', async () => {
    const namespace = uniqueNamespace('pkg-files');
    writeFileSync(join(work, 'tool.zip'), makeZip({ 'run.sh': { text: '#!/bin/sh\necho "files ok in $(pwd)"\ncat data/config.txt\n', mode: 0o755 }, 'data/config.txt': { text: 'level=3\n' } }));
    const run = await runCli([...anonTarget(namespace), '--package', 'tool.zip', '--package-type', 'files', '--base-image', bed.baseImage, '--workdir', '/srv/tool', '--entrypoint', '/srv/tool/run.sh'], { cwd: work, pathWithoutDocker: true });
    assert.equal(run.exitCode, 0, output(run));
    assert.equal(dockerRun(`${bed.anonRegistry}/${namespace}/app:v1`), 'files ok in /srv/tool\nlevel=3\n');
  });
});

describe('package: a two-platform base', () => {
  test('an index gives one new image per platform and a new index; platforms narrows it to one', async () => {
    const namespace = uniqueNamespace('pkg-multi');
    const base = await pushTwoPlatformIndex(bed.anonRegistry, `${namespace}/base`, '1', { layerBytes: 4096, oci: true });
    const work = tempDir('imageship-pkg-ws-');
    writeFileSync(join(work, 'app.jar'), JAR);
    const run = await runCli([...anonTarget(namespace), '--package', 'app.jar', '--base-image', `${bed.anonRegistry}/${namespace}/base:1`], { cwd: work });
    assert.equal(run.exitCode, 0, output(run));
    const index = await getManifest(bed.anonRegistry, `${namespace}/app`, 'v1');
    assert.equal(index?.mediaType, 'application/vnd.oci.image.index.v1+json');
    const entries = (index?.json as { manifests: { digest: string; platform: { architecture: string } }[] }).manifests;
    assert.deepEqual(entries.map((entry) => entry.platform.architecture), base.images.map((image) => image.platform.architecture));
    const layerDigests = new Set<string>();
    for (const [i, entry] of entries.entries()) {
      const child = (await getManifest(bed.anonRegistry, `${namespace}/app`, entry.digest))?.json as { layers: { digest: string }[]; annotations: Record<string, string> };
      assert.deepEqual(child.layers.slice(0, -1).map((layer) => layer.digest), base.images[i]!.layers.map((layer) => layer.digest));
      assert.equal(child.annotations['org.opencontainers.image.base.digest'], base.digest);
      layerDigests.add(child.layers.at(-1)!.digest);
    }
    assert.equal(layerDigests.size, 1, 'one package layer shared by both platforms');

    const narrowed = await runCli([...anonTarget(namespace).slice(0, -1), 'arm', '--package', 'app.jar', '--base-image', `${bed.anonRegistry}/${namespace}/base:1`, '--platforms', 'linux/arm64'], { cwd: work });
    assert.equal(narrowed.exitCode, 0, output(narrowed));
    const armIndex = (await getManifest(bed.anonRegistry, `${namespace}/app`, 'arm'))?.json as { manifests: { platform: { architecture: string } }[] };
    assert.deepEqual(armIndex.manifests.map((entry) => entry.platform.architecture), ['arm64']);

    const missing = await runCli([...anonTarget(namespace).slice(0, -1), 'none', '--package', 'app.jar', '--base-image', `${bed.anonRegistry}/${namespace}/base:1`, '--platforms', 'linux/s390x'], { cwd: work });
    assert.notEqual(missing.exitCode, 0);
    assert.match(output(missing), /platforms: the base image .* has none of linux\/s390x \(it has linux\/amd64, linux\/arm64\): pick platforms it has/);
  });
});

// ---------------------------------------------------------------- downloads

interface DownloadServer {
  origin: string;
  requests: { path: string; range: string | undefined; ifRange: string | undefined; status: number; bytes: number }[];
  close(): Promise<void>;
}

/** HTTPS with the test CA: a redirect, a body cut once in the middle, ranges with If-Range, an oversized and an unsized endless answer. */
async function startDownloadServer(ca: TestCa, files: Record<string, Buffer>): Promise<DownloadServer> {
  const requests: DownloadServer['requests'] = [];
  let cutDone = false;
  const server: Server = createHttpsServer({ cert: ca.certPem, key: ca.keyPem }, (req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const record = { path, range: req.headers.range, ifRange: req.headers['if-range'] as string | undefined, status: 0, bytes: 0 };
    requests.push(record);
    if (path === '/latest/app.jar') {
      record.status = 302;
      res.writeHead(302, { location: '/files/app-3.0.0.jar' }).end();
      return;
    }
    if (path === '/endless.jar') {
      record.status = 200;
      res.writeHead(200, { 'content-type': 'application/java-archive' });
      const chunk = Buffer.alloc(64 * 1024, 1);
      const pump = (): void => {
        while (!res.destroyed && res.write(chunk)) record.bytes += chunk.length;
        if (!res.destroyed) res.once('drain', pump);
      };
      res.on('close', () => undefined);
      pump();
      return;
    }
    const body = files[path];
    if (!body) {
      record.status = 404;
      res.writeHead(404).end('not found');
      return;
    }
    const etag = `"${createHash('md5').update(body).digest('hex')}"`;
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    if (range && record.ifRange === etag) {
      const start = Number(range[1]);
      record.status = 206;
      record.bytes = body.length - start;
      res.writeHead(206, { 'content-length': String(body.length - start), 'content-range': `bytes ${start}-${body.length - 1}/${body.length}`, etag }).end(body.subarray(start));
      return;
    }
    record.status = 200;
    res.writeHead(200, { 'content-length': String(body.length), etag, 'accept-ranges': 'bytes' });
    if (path === '/files/app-3.0.0.jar' && !cutDone) {
      cutDone = true;
      const half = Math.floor(body.length / 2);
      record.bytes = half;
      res.write(body.subarray(0, half), () => setTimeout(() => res.socket?.destroy(), 20));
      return;
    }
    record.bytes = body.length;
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `https://localhost:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('package: downloads over HTTPS and from OBS', () => {
  let ca: TestCa;
  let server: DownloadServer;
  let obs: ObsStandIn;
  const bigJar = Buffer.concat([JAR, Buffer.alloc(300_000, 3)]);
  const stsKey = { ak: 'HSTTESTAK00000000001', sk: 'TestTemporarySecretKey000000000000000000', securityToken: 'gQpjbi1ub3J0aC00TESTTOKEN+Abc/Def=ghIJklMNopQRstUVwx==' };
  before(async () => {
    ca = await makeTestCa(['localhost']);
    server = await startDownloadServer(ca, { '/files/app-3.0.0.jar': bigJar, '/files/huge.jar': Buffer.alloc(3 * 1024 * 1024, 9) });
    obs = await startObsStandIn([stsKey, { ak: bed.ak, sk: bed.sk }]);
    obs.putObject('release-bucket', 'builds/svc-1.4.2.jar', bigJar);
  });
  after(async () => {
    await server.close();
    await obs.close();
    await ca.remove();
  });
  const caEnv = (): Record<string, string> => ({ NODE_EXTRA_CA_CERTS: ca.caFile });

  test('https: a redirect is followed, a body cut in the middle is resumed with Range + If-Range, package-sha256 checked', async () => {
    const namespace = uniqueNamespace('pkg-https');
    const sha = createHash('sha256').update(bigJar).digest('hex');
    const run = await runCli([...anonTarget(namespace), '--package', `${server.origin}/latest/app.jar?token=dl-Secret-9f8e7d`, '--package-type', 'jar', '--package-sha256', sha, '--base-image', bed.baseImage], { cwd: tempDir('imageship-pkg-ws-'), env: caEnv() });
    assert.equal(run.exitCode, 0, output(run));
    assert.deepEqual(run.argv, []);
    const seen = server.requests.map((r) => [r.path, r.status, r.range ?? ''] as const);
    assert.deepEqual(seen, [
      ['/latest/app.jar', 302, ''],
      ['/files/app-3.0.0.jar', 200, ''],
      ['/files/app-3.0.0.jar', 206, `bytes=${Math.floor(bigJar.length / 2)}-`],
    ]);
    assert.equal(server.requests[2]?.ifRange, `"${createHash('md5').update(bigJar).digest('hex')}"`, 'the resume is guarded by the ETag');
    assert.match(run.stdout, /broke off at byte \d+ .*resuming from there/);
    assert.match(run.stdout, /matches package-sha256/);
    const manifest = (await getManifest(bed.anonRegistry, `${namespace}/app`, 'v1'))?.json as { layers: { digest: string }[] };
    const { lines } = await layerListing(bed.anonRegistry, `${namespace}/app`, manifest.layers.at(-1)!.digest);
    assert.match(lines[1]!, new RegExp(` ${bigJar.length} 1970-01-01 00:00:00 app/app\\.jar$`));
    assert.ok(!output(run).includes('dl-Secret-9f8e7d'), 'the URL\'s query (a token) is never printed');
  });

  test('https: a wrong package-sha256, an oversized Content-Length and an endless unsized body are refused; nothing is pushed', async () => {
    const namespace = uniqueNamespace('pkg-refuse');
    const cwd = tempDir('imageship-pkg-ws-');
    server.requests.length = 0;
    const wrong = await runCli([...anonTarget(namespace), '--package', `${server.origin}/files/app-3.0.0.jar`, '--package-sha256', '0'.repeat(64), '--base-image', bed.baseImage], { cwd, env: caEnv() });
    assert.equal(wrong.exitCode, 1);
    assert.match(wrong.stderr, /package-sha256: .*\/files\/app-3\.0\.0\.jar has SHA-256 [0-9a-f]{64}, not the expected 0{64}: .*nothing was pushed/);

    const huge = await runCli([...anonTarget(namespace), '--package', `${server.origin}/files/huge.jar`, '--package-max-size', '1M', '--base-image', bed.baseImage], { cwd, env: caEnv() });
    assert.equal(huge.exitCode, 1);
    assert.match(huge.stderr, /package: https:\/\/localhost:\d+\/files\/huge\.jar is 3145728 bytes, more than package-max-size \(1048576 bytes\): raise package-max-size/);
    assert.ok((server.requests.find((r) => r.path === '/files/huge.jar')?.bytes ?? 0) <= 3 * 1024 * 1024);

    const endless = await runCli([...anonTarget(namespace), '--package', `${server.origin}/endless.jar`, '--package-max-size', '2M', '--base-image', bed.baseImage], { cwd, env: caEnv() });
    assert.equal(endless.exitCode, 1);
    assert.match(endless.stderr, /package: https:\/\/localhost:\d+\/endless\.jar is more than 2097152 bytes \(the server did not say how large\), more than package-max-size/);
    assert.ok(!(await catalog(bed.anonRegistry)).some((repository) => repository.startsWith(namespace)), 'nothing pushed');
  });

  test('obs://: signed GETs with permanent and temporary keys (the stand-in checks signature and token), resumed after a cut; into the SWR registry, base blobs copied across registries; no secret printed', async () => {
    const namespace = uniqueNamespace('pkg-obs');
    const target = ['--namespace', namespace, '--image', 'app', '--package', 'obs://release-bucket/builds/svc-1.4.2.jar', '--endpoints', `obs=${obs.endpoint}`, '--base-image', bed.baseImage];
    obs.requests.length = 0;
    obs.breakAfter(100_000);
    // Permanent keys: the same AK/SK derive the SWR login and sign the OBS GET.
    const permanent = await runCli(['--provider', 'huaweicloud', '--region', bed.region, '--registry', bed.swrRegistry, '--tags', 'v1', ...target], {
      cwd: tempDir('imageship-pkg-ws-'),
      env: { HUAWEICLOUD_SDK_AK: bed.ak, HUAWEICLOUD_SDK_SK: bed.sk },
    });
    assert.equal(permanent.exitCode, 0, output(permanent));
    const gets = obs.requests.filter((r) => r.status === 200 || r.status === 206);
    assert.deepEqual(gets.map((r) => [r.status, r.headers['range'] ?? '']), [[200, ''], [206, 'bytes=100000-']]);
    assert.ok(gets.every((r) => String(r.headers['authorization']).startsWith(`OBS ${bed.ak}:`) && r.headers['x-obs-security-token'] === undefined));
    assert.match(permanent.stdout, /base blobs [1-9]\d* copied/, 'the base lives on another registry: its blobs are copied');
    const config = (await imageConfig(bed.swrRegistry, `${namespace}/app`, 'v1', swrAuth)) as { config: { Labels: Record<string, string> } };
    assert.equal(config.config.Labels['io.imageship.package.sha256'], createHash('sha256').update(bigJar).digest('hex'));

    // Temporary keys: the token travels in x-obs-security-token, signed; the registry login is a separate user/password.
    obs.requests.length = 0;
    const swrLogin = ['--provider', 'generic', '--registry', bed.swrRegistry, '--username', bed.username];
    const temporary = await runCli([...swrLogin, '--tags', 'v2', ...target], {
      cwd: tempDir('imageship-pkg-ws-'),
      env: { IMAGESHIP_PASSWORD: bed.derivedPassword, IMAGESHIP_ACCESS_KEY: stsKey.ak, IMAGESHIP_SECRET_KEY: stsKey.sk, IMAGESHIP_SECURITY_TOKEN: stsKey.securityToken },
    });
    assert.equal(temporary.exitCode, 0, output(temporary));
    assert.deepEqual(obs.requests.map((r) => [r.status, r.headers['x-obs-security-token']]), [[200, stsKey.securityToken]]);
    assert.match(temporary.stdout, /base blobs 0 copied \(0 bytes\)/, 'the second run finds the base blobs there');

    const wrongToken = await runCli([...swrLogin, '--tags', 'v3', ...target], {
      cwd: tempDir('imageship-pkg-ws-'),
      env: { IMAGESHIP_PASSWORD: bed.derivedPassword, IMAGESHIP_ACCESS_KEY: stsKey.ak, IMAGESHIP_SECRET_KEY: stsKey.sk, IMAGESHIP_SECURITY_TOKEN: `${stsKey.securityToken.slice(0, -4)}AAA=` },
    });
    assert.equal(wrongToken.exitCode, 1);
    assert.match(wrongToken.stderr, /package: downloading obs:\/\/release-bucket\/builds\/svc-1\.4\.2\.jar got HTTP 403 \(InvalidSecurityToken\): check access-key\/secret-key \(and security-token for temporary keys\)/);
    const texts = Object.fromEntries([permanent, temporary, wrongToken].flatMap((run, i) => [[`stdout${i}`, run.stdout], [`stderr${i}`, run.stderr]]));
    assert.deepEqual(findSecrets(texts, [stsKey.sk, stsKey.securityToken, bed.sk, bed.derivedPassword]), []);
    for (const run of [permanent, temporary, wrongToken]) assert.deepEqual(run.argv, []);
  });
});

describe('package: refused before anything is pushed', () => {
  test('a zip whose entry climbs out of the target, python without cmd, an env value that is a secret: clear lines, nothing pushed, no docker', async () => {
    const namespace = uniqueNamespace('pkg-bad');
    const work = tempDir('imageship-pkg-ws-');
    mkdirSync(join(work, 'a', 'b'), { recursive: true });
    writeFileSync(join(work, 'escape.txt'), 'x');
    execFileSync('zip', ['-q', join(work, 'evil.zip'), '../../escape.txt'], { cwd: join(work, 'a', 'b') });
    const traversal = await runCli([...anonTarget(namespace), '--package', 'evil.zip', '--package-type', 'files', '--base-image', bed.baseImage], { cwd: work });
    assert.equal(traversal.exitCode, 1);
    assert.match(traversal.stderr, /package: entry "\.\.\/\.\.\/escape\.txt" leads out of the target directory: an archive entry must stay inside its target directory; refused/);

    const python = await runCli([...anonTarget(namespace), '--package', 'evil.zip', '--package-type', 'python', '--base-image', bed.baseImage], { cwd: work });
    assert.equal(python.exitCode, 2);
    assert.match(python.stderr, /cmd: required for package-type python .*: set --cmd/);

    const secret = await runCli([...anonTarget(namespace), '--package', 'evil.zip', '--package-type', 'files', '--base-image', bed.baseImage, '--env', 'TOKEN=s3cr3t-Value-42'], { cwd: work, env: { IMAGESHIP_PASSWORD: 's3cr3t-Value-42', IMAGESHIP_USERNAME: 'someone' } });
    assert.equal(secret.exitCode, 2);
    assert.match(secret.stderr, /env: TOKEN holds one of this run's secrets: it would be baked into the image/);
    assert.ok(!output(secret).includes('s3cr3t-Value-42'));
    const missing = await runCli([...anonTarget(namespace), '--package', 'build/missing-1.0.jar', '--base-image', bed.baseImage], { cwd: work });
    assert.equal(missing.exitCode, 2, 'refused at plan time, before the registry is touched');
    assert.match(missing.stderr, /package: build\/missing-1\.0\.jar does not exist \(relative to the workspace .*\): check the path/);
    const oversized = await runCli([...anonTarget(namespace), '--package', 'escape.txt', '--package-type', 'files', '--package-max-size', '0', '--base-image', bed.baseImage], { cwd: work });
    assert.equal(oversized.exitCode, 2);
    assert.match(oversized.stderr, /package-max-size: "0" is not a size/);
    writeFileSync(join(work, 'big.jar'), Buffer.alloc(3000, 1));
    const big = await runCli([...anonTarget(namespace), '--package', 'big.jar', '--package-max-size', '2K', '--base-image', bed.baseImage], { cwd: work });
    assert.equal(big.exitCode, 2);
    assert.match(big.stderr, /package: big\.jar is 3000 bytes, more than package-max-size \(2048 bytes\): raise package-max-size/);
    for (const run of [traversal, python, secret, missing, oversized, big]) assert.deepEqual(run.argv, []);
    assert.ok(!(await catalog(bed.anonRegistry)).some((repository) => repository.startsWith(namespace)), 'nothing pushed');
  });
});
