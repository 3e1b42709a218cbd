/**
 * Progress of a real `docker push` (Docker 20.10 and Docker 26), through
 * pushReferences and the process runner the action uses: one line per layer
 * settled (pushed, already in the registry, mounted from another repository)
 * and an alive line every few seconds while a layer is under way, instead
 * of docker's own per-layer status lines. The registry sits behind a shaping
 * proxy that caps the upload at 40 Mbit/s, so a 12 MiB layer takes seconds,
 * as a big layer does over a real network.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import type { Logger } from '../../src/ports.js';
import { pushReferences } from '../../src/registry/push.js';
import { createNodeExec } from '../../src/util/node-exec.js';
import { startShapingProxy, type ShapingProxy } from '../helpers/shaping-proxy.js';
import { tempDir } from '../helpers/temp-dir.js';
import { docker26Env, requireTool, testbed, tool } from '../helpers/testbed.js';
import { uniqueNamespace } from '../helpers/workspace.js';

const run = promisify(execFile);
const LAYER_BYTES = 12 * 1024 * 1024;

let proxy: ShapingProxy;
before(async () => {
  proxy = await startShapingProxy({ target: testbed.anonRegistry, shape: { rttMs: 2, perConnectionBitsPerSecond: 40_000_000 } });
});
after(async () => {
  await proxy.close();
});

/** A logger that keeps the lines; the exec's echo (docker's own lines that were not replaced) is kept apart. */
function recorder(): { logger: Logger; info: string[]; echoed: string[] } {
  const info: string[] = [];
  const echoed: string[] = [];
  const logger: Logger = {
    info: (line) => void info.push(line),
    warn: (line) => void info.push(`warn: ${line}`),
    debug: () => undefined,
    group: (_title, body) => body(),
  };
  return { logger, info, echoed };
}

interface Daemon {
  name: string;
  docker: string;
  env: NodeJS.ProcessEnv;
}

const daemons: Array<{ name: string; options: { skip?: string }; daemon: () => Daemon }> = [
  { name: 'Docker 20.10', options: {}, daemon: () => ({ name: '20.10', docker: 'docker', env: { ...process.env } }) },
  {
    name: 'Docker 26',
    options: requireTool('docker26'),
    daemon: () => {
      const d26 = tool('docker26');
      return { name: '26', docker: d26.docker, env: docker26Env(d26) };
    },
  },
];

const LAYER_LINE = /^layer ([0-9a-f]{12}) (pushed|already in the registry|mounted from \S+) \((\d+) of (\d+), \d+\.\d s\)$/;

for (const { name, options, daemon: pick } of daemons) {
  describe(`docker push progress on ${name}`, () => {
    test('one line per layer pushed, mounted or already there, an alive line while a layer moves, none of docker\'s status lines', options, async () => {
      const daemon = pick();
      const namespace = uniqueNamespace('push-progress');
      const app = `${proxy.host}/${namespace}/app:v1`;
      const again = `${proxy.host}/${namespace}/app:v2`;
      const other = `${proxy.host}/${namespace}/other:v1`;
      const context = tempDir('imageship-push-progress-');
      writeFileSync(join(context, 'layer.bin'), randomBytes(LAYER_BYTES));
      writeFileSync(join(context, 'Dockerfile'), `FROM ${testbed.baseImage}\nCOPY layer.bin /layer.bin\n`);
      // The classic builder: this daemon's CLI has no buildx, and a push needs no more than an image.
      const env: NodeJS.ProcessEnv = { ...daemon.env, DOCKER_BUILDKIT: '0' };
      try {
        await run(daemon.docker, ['build', '-q', '-t', app, context], { env });
        await run(daemon.docker, ['tag', app, again], { env });
        await run(daemon.docker, ['tag', app, other], { env });

        const { logger, info, echoed } = recorder();
        const exec = createNodeExec({ writeLine: (line) => void echoed.push(line) });
        const push = (references: string[], intervalMs: number): Promise<Map<string, string>> =>
          pushReferences(exec, logger, references, proxy.host, {}, env, { intervalMs });

        // 1. A fresh repository: the 12 MiB layer is pushed (seconds at 40 Mbit/s), alive lines meanwhile.
        const started = performance.now();
        const digests = await push([app], 500);
        const seconds = (performance.now() - started) / 1000;
        const firstLayers = info.filter((line) => LAYER_LINE.test(line));
        assert.equal(firstLayers.length, 2, info.join('\n'));
        assert.ok(firstLayers.some((line) => / pushed \(/.test(line)), `the new layer is reported pushed:\n${info.join('\n')}`);
        assert.deepEqual(firstLayers.map((line) => LAYER_LINE.exec(line)?.slice(3, 5)), [['1', '2'], ['2', '2']], 'each line counts the layers settled');
        const alive = info.filter((line) => line.startsWith(`pushing ${app}: `));
        assert.ok(seconds > 1.5, `the capped push took ${seconds.toFixed(1)} s`);
        assert.ok(alive.length >= 2, `alive lines while the layer moved (${seconds.toFixed(1)} s):\n${info.join('\n')}`);
        for (const line of alive) assert.match(line, /^pushing \S+: [01] of 2 layer\(s\) done, \d+\.\d s so far; under way: [0-9a-f]{12}/);
        assert.match(digests.get(app) ?? '', /^sha256:[0-9a-f]{64}$/, 'the digest is still read from docker\'s output');
        // Docker's own status lines were replaced, not shown as well; its digest line still is.
        assert.deepEqual(echoed.filter((line) => /^[0-9a-f]{12}: |The push refers to/.test(line)), [], echoed.join('\n'));
        assert.ok(echoed.some((line) => /^v1: digest: sha256:/.test(line)), echoed.join('\n'));

        // 2. Another tag in the same repository: every layer is already there; no alive line once all are settled.
        info.length = 0;
        await push([again], 500);
        const existing = info.filter((line) => LAYER_LINE.test(line));
        assert.equal(existing.length, 2, info.join('\n'));
        for (const line of existing) assert.match(line, / already in the registry \(/);

        // 3. Another repository of the same registry: the layers are mounted, no byte moves.
        info.length = 0;
        await push([other], 500);
        const mounted = info.filter((line) => LAYER_LINE.test(line));
        assert.equal(mounted.length, 2, info.join('\n'));
        assert.ok(mounted.some((line) => line.includes(`mounted from ${namespace}/app`)), info.join('\n'));
      } finally {
        await run(daemon.docker, ['image', 'rm', '-f', app, again, other], { env: daemon.env }).catch(() => undefined);
      }
    });
  });
}
