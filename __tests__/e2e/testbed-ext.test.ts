/**
 * Proves the test bed's extended parts (test-env/ext.sh) by what they do: the
 * buildx plugin answers only through a DOCKER_CONFIG that links it, both Docker
 * 26 daemons build with the classic builder and with buildx (RUN included),
 * one of them on the containerd image store, the remote builder builds and
 * pushes two platforms, and act runs. A missing part skips its tests, or
 * fails them with CI=true.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { getManifest, imageConfig } from '../helpers/registry-api.js';
import {
  buildkitEnv,
  docker26Env,
  dockerConfigWithBuildx,
  extendedTestbed,
  requireTool,
  testbed,
  tool,
  type Docker26,
} from '../helpers/testbed.js';
import { tempDir } from '../helpers/temp-dir.js';
import { uniqueNamespace } from '../helpers/workspace.js';

interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, cwd?: string): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function ok(cmd: string, args: string[], env: NodeJS.ProcessEnv, cwd?: string): Promise<string> {
  const r = await run(cmd, args, env, cwd);
  assert.equal(r.code, 0, `${cmd} ${args.join(' ')} exited ${r.code}\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

const scratch = tempDir('imageship-testbed-ext-');
after(() => rmSync(scratch, { recursive: true, force: true }));

/** A Docker config with the buildx plugin linked in (made on first use, so a missing plugin only fails tests that need it). */
let buildxConfigDir: string | undefined;
function withBuildx(): string {
  buildxConfigDir ??= dockerConfigWithBuildx(join(scratch, 'docker-config-buildx'));
  return buildxConfigDir;
}

describe('test bed ext: buildx as a CLI plugin', () => {
  test('docker buildx version is 0.13.1 through a DOCKER_CONFIG with the plugin linked', requireTool('buildx'), async () => {
    const out = await ok('docker', ['buildx', 'version'], { ...process.env, DOCKER_CONFIG: withBuildx() });
    assert.match(out, /\bv?0\.13\.1\b/);
  });

  test('docker on PATH has no buildx without that DOCKER_CONFIG (the classic builder stays the default)', async () => {
    const empty = mkdtempSync(join(scratch, 'docker-config-empty-'));
    const r = await run('docker', ['buildx', 'version'], { ...process.env, DOCKER_CONFIG: empty });
    assert.notEqual(r.code, 0, `docker buildx answered without the plugin: ${r.stdout}`);
    assert.match(r.stderr, /buildx/);
  });

  test('the Docker 26 CLI has no buildx of its own either', requireTool('docker26'), async () => {
    const empty = mkdtempSync(join(scratch, 'docker-config-empty-'));
    const r = await run(tool('docker26').docker, ['buildx', 'version'], { ...process.env, DOCKER_CONFIG: empty });
    assert.notEqual(r.code, 0, `docker 26 buildx answered without the plugin: ${r.stdout}`);
  });
});

/** FROM the test bed's base image, COPY and RUN: the RUN's output lands in the image. */
function writeRunContext(dir: string): string {
  const ctx = mkdtempSync(join(dir, 'ctx-'));
  writeFileSync(join(ctx, 'hello.txt'), 'copied\n');
  writeFileSync(join(ctx, 'Dockerfile'), `FROM ${testbed.baseImage}\nCOPY hello.txt /hello.txt\nRUN echo hi > /ran.txt\n`);
  return ctx;
}

const daemons = [
  { name: 'docker26', storage: 'vfs' },
  { name: 'docker26c', storage: 'containerd image store' },
] as const;

for (const { name, storage } of daemons) {
  describe(`test bed ext: ${name} (Docker 26, ${storage})`, () => {
    const tags: string[] = [];
    const daemon: Docker26 | undefined = extendedTestbed[name];
    after(async () => {
      if (daemon && tags.length > 0) await run(daemon.docker, ['image', 'rm', '-f', ...tags], docker26Env(daemon));
    });

    test('reports server 26.1.5', requireTool(name), async () => {
      const d = tool(name);
      const version = await ok(d.docker, ['version', '--format', '{{.Client.Version}} {{.Server.Version}}'], docker26Env(d));
      assert.match(version.trim(), /^26\.1\.5\S* 26\.1\.5\S*$/);
    });

    if (name === 'docker26') {
      test('uses the vfs storage driver', requireTool(name), async () => {
        const d = tool(name);
        assert.equal((await ok(d.docker, ['info', '--format', '{{.Driver}}'], docker26Env(d))).trim(), 'vfs');
      });
    } else {
      test('uses the containerd image store (containerd snapshotter)', requireTool(name), async () => {
        const d = tool(name);
        const out = await ok(d.docker, ['info', '--format', '{{.Driver}} {{json .DriverStatus}}'], docker26Env(d));
        const [driver = '', status = '[]'] = out.trim().split(/ (.*)/s);
        assert.equal(driver, 'native');
        assert.deepEqual(JSON.parse(status), [['driver-type', 'io.containerd.snapshotter.v1']]);
      });
    }

    test('builds FROM the base image with COPY and RUN through the classic builder', requireTool(name), async () => {
      const d = tool(name);
      const tag = `imageship-testbed-ext/${name}:classic`;
      tags.push(tag);
      const env = { ...docker26Env(d), DOCKER_BUILDKIT: '0', DOCKER_CONFIG: mkdtempSync(join(scratch, 'docker-config-empty-')) };
      const ctx = writeRunContext(scratch);
      await ok(d.docker, ['build', '--quiet', '-t', tag, ctx], env);
      const out = await ok(d.docker, ['run', '--rm', tag, 'cat', '/hello.txt', '/ran.txt'], env);
      assert.equal(out, 'copied\nhi\n');
    });

    test('builds FROM the base image with COPY and RUN through buildx (docker driver)', requireTool(name, 'buildx'), async () => {
      const d = tool(name);
      const tag = `imageship-testbed-ext/${name}:buildx`;
      tags.push(tag);
      const env = { ...docker26Env(d), DOCKER_CONFIG: withBuildx(), BUILDX_CONFIG: mkdtempSync(join(scratch, 'buildx-')) };
      const inspect = await ok(d.docker, ['buildx', 'inspect'], env);
      assert.match(inspect, /^Driver:\s+docker$/m);
      const ctx = writeRunContext(scratch);
      await ok(d.docker, ['buildx', 'build', '--progress=plain', '--load', '-t', tag, ctx], env);
      const out = await ok(d.docker, ['run', '--rm', tag, 'cat', '/hello.txt', '/ran.txt'], env);
      assert.equal(out, 'copied\nhi\n');
    });
  });
}

describe('test bed ext: buildkitd and the remote builder', () => {
  test('the builder inspects as driver remote with linux/amd64 and linux/arm64', requireTool('buildkit', 'buildx'), async () => {
    const bk = tool('buildkit');
    const out = await ok('docker', ['buildx', 'inspect', '--bootstrap', bk.builder], buildkitEnv(bk, withBuildx()));
    assert.match(out, /^Driver:\s+remote$/m);
    assert.match(out, new RegExp(`^Endpoint:\\s+${bk.addr.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
    assert.match(out, /^Status:\s+running$/m);
    const platforms = (/^Platforms:\s+(.*)$/m.exec(out)?.[1] ?? '').split(/,\s*/);
    assert.ok(platforms.includes('linux/amd64'), `platforms: ${platforms.join(', ')}`);
    assert.ok(platforms.includes('linux/arm64'), `platforms: ${platforms.join(', ')}`);
  });

  test('builds FROM scratch + COPY for linux/amd64 and linux/arm64 and pushes the index', requireTool('buildkit', 'buildx'), async () => {
    const bk = tool('buildkit');
    const ctx = mkdtempSync(join(scratch, 'ctx-'));
    const marker = `multi ${process.pid} ${Date.now()}\n`;
    writeFileSync(join(ctx, 'marker.txt'), marker);
    writeFileSync(join(ctx, 'Dockerfile'), 'FROM scratch\nCOPY marker.txt /marker.txt\n');
    // A namespace of this run's, so the end-of-run sweep removes it again.
    const repo = `${uniqueNamespace('tbext')}/multi`;
    const ref = `${testbed.anonRegistry}/${repo}:latest`;
    await ok(
      'docker',
      ['buildx', 'build', '--platform', 'linux/amd64,linux/arm64', '--provenance=false', '--push', '-t', ref, ctx],
      buildkitEnv(bk, withBuildx()),
    );
    const index = await getManifest(testbed.anonRegistry, repo, 'latest');
    assert.ok(index, `${ref} is not in the registry`);
    // Without attestations BuildKit writes Docker media types; with them, OCI ones.
    assert.ok(
      ['application/vnd.docker.distribution.manifest.list.v2+json', 'application/vnd.oci.image.index.v1+json'].includes(index.mediaType),
      `not an index: ${index.mediaType}`,
    );
    const entries = index.json.manifests as { digest: string; platform: { os: string; architecture: string } }[];
    assert.deepEqual(entries.map((e) => `${e.platform.os}/${e.platform.architecture}`).sort(), ['linux/amd64', 'linux/arm64']);
    const arm = entries.find((e) => e.platform.architecture === 'arm64')!;
    assert.equal((await imageConfig(testbed.anonRegistry, repo, arm.digest)).architecture, 'arm64');
  });
});

describe('test bed ext: act', () => {
  test('act --version runs', requireTool('act'), async () => {
    const out = await ok(tool('act'), ['--version'], process.env);
    assert.match(out, /^act version v?\d+\.\d+\.\d+/);
  });
});
