/**
 * The library face: the public entry (what `import … from 'imageship'`
 * resolves to) drives the real pipeline with its own ports — no GitHub
 * runner, no @actions/* — against the real daemon and registries.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import * as imageship from '../../src/index.js';
import { catalog, listTags, manifestDigest } from '../helpers/registry-api.js';
import { loadTestbed } from '../helpers/testbed.js';
import { tempDir } from '../helpers/temp-dir.js';
import { sampleAppWorkspace, uniqueNamespace } from '../helpers/workspace.js';

const bed = loadTestbed();

function capturingPorts(): { ports: imageship.Ports; lines: string[] } {
  const lines: string[] = [];
  const secrets = imageship.createSecretRegistry();
  const logger: imageship.Logger = {
    info: (message) => lines.push(secrets.redact(message)),
    warn: (message) => lines.push(`warning: ${secrets.redact(message)}`),
    debug: (message) => lines.push(`debug: ${secrets.redact(message)}`),
    group: async (title, body) => {
      lines.push(`## ${secrets.redact(title)}`);
      return body();
    },
  };
  const exec = imageship.createNodeExec({ writeLine: (line) => logger.info(line) });
  return { ports: { logger, secrets, exec, fetch: globalThis.fetch, clock: { now: () => new Date() } }, lines };
}

const source: imageship.SourceContext = {
  sha: 'feedfacefeedfacefeedfacefeedfacefeedface',
  ref: 'refs/heads/main',
  branch: 'main',
  tag: '',
  pullRequest: undefined,
  defaultBranch: 'main',
  runNumber: '5',
  repositoryUrl: 'https://gitlab.example.com/team/app',
  event: 'branch',
};

test('the library entry imports nothing from @actions/*', () => {
  const built = new URL('../../src/', import.meta.url);
  for (const file of ['index.js', 'app/pipeline.js', 'app/plan.js']) {
    assert.doesNotMatch(readFileSync(new URL(file, built), 'utf8'), /@actions\//, file);
  }
});

test('runPipeline pushes through the library with an SWR derived login and reports the registry digest', async () => {
  const namespace = uniqueNamespace('lib');
  const workdir = sampleAppWorkspace();
  const inputs: Record<string, string> = {
    region: bed.region,
    'access-key': bed.ak,
    'secret-key': bed.sk,
    registry: bed.swrRegistry,
    namespace,
    image: 'svc',
    tags: 'type=raw,value={{branch}}-{{run_number}}\ntype=raw,value=stable,enable={{is_default_branch}}',
    'build-args': `BASE_IMAGE=${bed.baseImage}`,
  };
  const config = imageship.parseConfig((name) => inputs[name] ?? '', { env: {}, cwd: workdir });
  const { ports, lines } = capturingPorts();
  const dockerConfig = tempDir('imageship-lib-docker-');
  const env = { ...process.env, DOCKER_CONFIG: dockerConfig };
  const result = await imageship.runPipeline(config, { ports, source, cwd: workdir, env });
  try {
    assert.deepEqual(result.tags, ['main-5', 'stable']);
    const auth = { username: bed.username, password: bed.derivedPassword };
    assert.deepEqual((await listTags(bed.swrRegistry, `${namespace}/svc`, auth)).sort(), ['main-5', 'stable']);
    assert.equal(await manifestDigest(bed.swrRegistry, `${namespace}/svc`, 'stable', auth), result.digest);
    assert.ok(lines.some((line) => line.startsWith('## Verify the tags')));
    assert.ok(!lines.join('\n').includes(bed.derivedPassword), 'the derived password never reaches the logger');
  } finally {
    const logout = await imageship.dockerLogout(ports.exec, bed.swrRegistry, env);
    assert.ok(logout.ok, logout.message);
  }
});

test('a dry run through the library plans without touching docker state or the registry', async () => {
  const namespace = uniqueNamespace('libdry');
  const workdir = sampleAppWorkspace();
  const inputs: Record<string, string> = { region: 'cn-north-4', 'access-key': bed.ak, 'secret-key': bed.sk, namespace, image: 'svc', tags: 'latest', 'dry-run': 'true' };
  const config = imageship.parseConfig((name) => inputs[name] ?? '', { env: {}, cwd: workdir });
  const calls: string[][] = [];
  const { ports } = capturingPorts();
  const recordingExec: imageship.Exec = async (request) => {
    calls.push([...request.args]);
    return ports.exec(request);
  };
  const result = await imageship.runPipeline(config, { ports: { ...ports, exec: recordingExec }, source, cwd: workdir });
  assert.equal(result.dryRun, true);
  assert.deepEqual(result.references, [`swr.cn-north-4.myhuaweicloud.com/${namespace}/svc:latest`]);
  // Only the read-only probes ran: docker version, buildx version, buildx inspect (the builder's driver) and docker info (the image store).
  assert.deepEqual(calls.map((argv) => argv.slice(0, 2).join(' ')).sort(), ['buildx inspect', 'buildx version', 'info --format', 'version --format']);
  assert.ok(!(await catalog(bed.anonRegistry)).some((repo) => repo.startsWith(namespace)));
});
