/**
 * A dry run shows everything the run would do, retention included: it reads the repository's tags through the
 * real registry and names the ones retention would delete, and deletes none of them.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as imageship from '../../src/index.js';
import { pushRandomImage } from '../helpers/image-fixtures.js';
import { listTags } from '../helpers/registry-api.js';
import { loadTestbed } from '../helpers/testbed.js';
import { uniqueNamespace } from '../helpers/workspace.js';
import { tempDir } from '../helpers/temp-dir.js';

const bed = loadTestbed();

const source: imageship.SourceContext = {
  sha: 'feedfacefeedfacefeedfacefeedfacefeedface',
  ref: 'refs/heads/main',
  branch: 'main',
  tag: '',
  pullRequest: undefined,
  defaultBranch: 'main',
  runNumber: '5',
  repositoryUrl: '',
  event: 'branch',
};

test('a dry run lists what retention would delete and deletes nothing', async () => {
  const namespace = uniqueNamespace('dryret');
  const repository = `${namespace}/app`;
  const daysAgo = { 'old-1': 30, 'old-2': 20, 'old-3': 10 };
  for (const [tag, days] of Object.entries(daysAgo)) {
    await pushRandomImage(bed.anonRegistry, repository, tag, { layers: 1, layerBytes: 512, created: new Date(Date.now() - days * 86_400_000) });
  }
  const inputs: Record<string, string> = {
    provider: 'generic',
    registry: bed.anonRegistry,
    namespace,
    image: 'app',
    'source-image': `${bed.anonRegistry}/${repository}:old-3`,
    tags: 'new',
    retention: 'keep-last=1',
    'dry-run': 'true',
  };
  const workdir = tempDir('imageship-dry-retention-');
  const config = imageship.parseConfig((name) => inputs[name] ?? '', { env: {}, cwd: workdir });
  const lines: string[] = [];
  const secrets = imageship.createSecretRegistry();
  const ports: imageship.Ports = {
    logger: {
      info: (message) => lines.push(message),
      warn: (message) => lines.push(`warning: ${message}`),
      debug: () => undefined,
      group: async (title, body) => {
        lines.push(`## ${title}`);
        return body();
      },
    },
    secrets,
    exec: imageship.createNodeExec({ writeLine: () => undefined }),
    fetch: imageship.defaultFetch,
    clock: { now: () => new Date() },
  };
  const result = await imageship.runPipeline(config, { ports, source, cwd: workdir, env: { ...process.env, DOCKER_CONFIG: tempDir('imageship-dry-retention-docker-') } });

  assert.equal(result.dryRun, true);
  assert.ok(lines.includes('## Retention (dry run: nothing is deleted)'), lines.join('\n'));
  assert.deepEqual(result.retention?.deleted, []);
  // keep-last=1: the newest stays; `new`, the tag the run would push, is not in the registry yet.
  assert.deepEqual(result.retention?.kept, ['old-3'], lines.join('\n'));
  assert.deepEqual(result.retention?.planned?.sort(), ['old-1', 'old-2'], lines.join('\n'));
  for (const tag of result.retention!.planned!) assert.ok(lines.some((line) => line.includes(`would delete ${tag}`)), tag);
  // Nothing was copied, tagged or deleted.
  assert.deepEqual((await listTags(bed.anonRegistry, repository)).sort(), ['old-1', 'old-2', 'old-3']);
});
