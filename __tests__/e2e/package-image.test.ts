/**
 * `package`: an image straight from a software package, with no Dockerfile
 * and no Docker daemon, through the compiled CLI against the test bed's real
 * registries. Bases are the test bed's busybox (FROM scratch + a static
 * busybox) and a two-platform index pushed here. Checked from outside the
 * code under test: manifests and configs through the registry API, the
 * layer listed entry by entry by GNU tar, the image pulled and run by the
 * real Docker daemon, base blobs counted at a counting proxy in front of the
 * registry, and the docker argv log (test-env/bin/docker first on PATH),
 * which stays empty. Downloads: package-download.test.ts.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startCountingProxy, type CountingProxy } from '../helpers/counting-proxy.js';
import { pushTwoPlatformIndex } from '../helpers/image-fixtures.js';
import { anonTarget, BASE_REPO, BASE_TAG, bed, dockerRun, entryNames, JAR, layerListing, makeTgz, makeZip, output, runCli } from '../helpers/package-run.js';
import { catalog, getManifest, imageConfig } from '../helpers/registry-api.js';
import { DOCKER_WRAPPER_DIR } from '../helpers/runner.js';
import { tempDir } from '../helpers/temp-dir.js';
import { uniqueNamespace } from '../helpers/workspace.js';

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

  test('a 6 MiB jar goes up before its digest is known (one PATCH, closed under the digest) and runs; a re-run drops its upload once the registry is found to have the layer', async () => {
    const namespace = uniqueNamespace('pkg-big');
    const big = Buffer.concat([Buffer.from('PK\x03\x04'), randomBytes(6 * 1024 * 1024)]);
    writeFileSync(join(work, 'big-2.0.0.jar'), big);
    const args = [...anonTarget(namespace, proxy.host), '--package', 'big-2.0.0.jar', '--base-image', `${proxy.host}/${BASE_REPO}:${BASE_TAG}`, '--entrypoint', '["sh","-c","md5sum /app/app.jar"]'];
    proxy.reset();
    const run = await runCli(args, { cwd: work });
    assert.equal(run.exitCode, 0, output(run));
    const manifest = await getManifest(bed.anonRegistry, `${namespace}/app`, 'v1');
    const layer = (manifest?.json as { layers: { digest: string; size: number }[] }).layers.at(-1)!;
    const patches = proxy.requests.filter((r) => r.method === 'PATCH');
    assert.deepEqual(patches.map((r) => [r.requestBytes, r.status]), [[layer.size, 202]], 'one PATCH carried the whole layer');
    const closes = proxy.requests.filter((r) => r.method === 'PUT' && new URL(r.url, 'http://registry').searchParams.get('digest') === layer.digest);
    assert.deepEqual(closes.map((r) => [r.requestBytes, r.status]), [[0, 201]], 'one bodiless PUT named the digest and closed the upload');
    const { lines } = await layerListing(bed.anonRegistry, `${namespace}/app`, layer.digest);
    assert.deepEqual(entryNames(lines), ['app/', 'app/app.jar']);
    assert.match(lines[1]!, new RegExp(` ${big.length} 1970-01-01 00:00:00 app/app\\.jar$`));
    assert.match(dockerRun(`${bed.anonRegistry}/${namespace}/app:v1`), new RegExp(`^${createHash('md5').update(big).digest('hex')}  /app/app\\.jar$`, 'm'));

    // The same package again over a slow uplink (6 MiB would take 12 s): the layer is found there and its upload dropped.
    proxy.reset();
    proxy.throttleUploads(512 * 1024);
    const again = await runCli(args, { cwd: work });
    proxy.throttleUploads(undefined);
    assert.equal(again.exitCode, 0, output(again));
    assert.equal((await getManifest(bed.anonRegistry, `${namespace}/app`, 'v1'))?.digest, manifest?.digest, 'same inputs, same digest');
    assert.match(again.stdout, new RegExp(`package layer ${layer.digest}: already there`));
    // Dropped before its PATCH began, or part way through it: either way not all of it, and its session cancelled.
    const dropped = proxy.requests.filter((r) => r.method === 'PATCH');
    assert.ok(dropped.every((r) => r.requestBytes < layer.size), `the dropped PATCH moved ${dropped.map((r) => r.requestBytes).join(', ')} of ${layer.size} bytes`);
    const opened = proxy.count('POST', (url) => url.includes('/blobs/uploads/') && !url.includes('mount='));
    assert.equal(opened, 2, 'two upload sessions were opened ahead, for the layer and the config');
    assert.equal(proxy.count('DELETE', (url) => url.includes('/blobs/uploads/')), opened, 'and both cancelled');
    assert.equal(proxy.count('PUT', (url) => url.includes('/blobs/uploads/')), 0, 'nothing was closed into a blob');
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

describe('package: the build\'s commit comes from git only inside a checkout', () => {
  test('outside any checkout no git process is started and the image has no revision; in a checkout git gives branch and commit', async () => {
    // A git first on PATH that writes down each call, then runs the real one.
    const wrappers = tempDir('imageship-git-wrapper-');
    const gitCalls = join(wrappers, 'calls.log');
    writeFileSync(gitCalls, '');
    const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
    writeFileSync(join(wrappers, 'git'), `#!/bin/sh\necho "$*" >> '${gitCalls}'\nexec '${realGit}' "$@"\n`, { mode: 0o755 });
    const env = { PATH: [wrappers, DOCKER_WRAPPER_DIR, ...(process.env['PATH'] ?? '/usr/bin:/bin').split(delimiter)].join(delimiter) };
    const namespace = uniqueNamespace('pkg-git');
    const repository = `${namespace}/app`;

    const download = tempDir('imageship-download-');
    writeFileSync(join(download, 'app-1.0.0.jar'), JAR);
    assert.throws(() => execFileSync(realGit, ['-C', download, 'rev-parse', '--git-dir'], { stdio: 'ignore' }), 'the download folder is in no checkout');
    const outside = await runCli([...anonTarget(namespace, bed.anonRegistry, 'outside'), '--package', 'app-1.0.0.jar', '--base-image', bed.baseImage], { cwd: download, env });
    assert.equal(outside.exitCode, 0, output(outside));
    assert.match(outside.stdout, /^source: nothing \(no CI variables, no git checkout\): no branch or tag$/m);
    assert.equal(readFileSync(gitCalls, 'utf8'), '', 'no git process was started');
    const outsideLabels = (await imageConfig(bed.anonRegistry, repository, 'outside')).config.Labels as Record<string, string>;
    assert.equal(outsideLabels['org.opencontainers.image.revision'] ?? '', '');

    const checkout = tempDir('imageship-checkout-');
    const git = (...args: string[]): string => execFileSync(realGit, ['-C', checkout, ...args], { encoding: 'utf8', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' } }).trim();
    git('init', '-q', '-b', 'main');
    git('commit', '-q', '--allow-empty', '-m', 'first');
    const sha = git('rev-parse', 'HEAD');
    mkdirSync(join(checkout, 'target'));
    writeFileSync(join(checkout, 'target', 'app-1.0.0.jar'), JAR);
    // From a folder inside the checkout, as a build tool's output folder would be.
    const inside = await runCli([...anonTarget(namespace, bed.anonRegistry, 'inside'), '--package', 'app-1.0.0.jar', '--base-image', bed.baseImage], { cwd: join(checkout, 'target'), env });
    assert.equal(inside.exitCode, 0, output(inside));
    assert.match(inside.stdout, new RegExp(`^source: git: branch main, commit ${sha.slice(0, 7)}$`, 'm'));
    assert.match(readFileSync(gitCalls, 'utf8'), /^rev-parse --verify -q HEAD$/m);
    const insideLabels = (await imageConfig(bed.anonRegistry, repository, 'inside')).config.Labels as Record<string, string>;
    assert.equal(insideLabels['org.opencontainers.image.revision'], sha);
    for (const run of [outside, inside]) assert.deepEqual(run.argv, []);
  });
});
