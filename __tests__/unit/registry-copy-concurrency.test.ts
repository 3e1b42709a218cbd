/**
 * A copy's parallelism and progress, against an in-process source registry
 * that serves blobs slowly and records how many blob GETs are in flight at
 * once, and a real open `docker-registry` as the destination.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { RegistryClient } from '../../src/registry/client.js';
import { copyImage } from '../../src/registry/copy.js';
import { REGISTRY_BINARY, startLocalRegistry, type LocalRegistry } from '../helpers/local-registry.js';

const MiB = 1024 * 1024;
const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';

interface Blob {
  digest: string;
  bytes: Buffer;
}

interface SourceStandIn {
  host: string;
  /** Most blob GETs answered at once. */
  maxInFlight: number;
  reset(): void;
  close(): Promise<void>;
}

const sha256 = (bytes: Buffer): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
const blobOf = (bytes: Buffer): Blob => ({ digest: sha256(bytes), bytes });

/** `repository:tag` → { manifest, blobs }; blob bodies start after `firstByteDelayMs` and come in `pieceBytes` pieces `pieceDelayMs` apart. */
async function startSource(images: Map<string, { manifest: Buffer; blobs: Blob[] }>, pacing: { pieceBytes: number; pieceDelayMs: number; firstByteDelayMs: number }): Promise<SourceStandIn> {
  let inFlight = 0;
  const state = { maxInFlight: 0 };
  const blobs = new Map<string, Buffer>();
  for (const image of images.values()) for (const blob of image.blobs) blobs.set(blob.digest, blob.bytes);
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://source.test');
    const manifest = /^\/v2\/(.+)\/manifests\/([^/]+)$/.exec(url.pathname);
    if (manifest) {
      const image = images.get(`${manifest[1]}:${manifest[2]}`) ?? [...images.values()].find((i) => sha256(i.manifest) === manifest[2]);
      if (!image) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': DOCKER_MANIFEST, 'docker-content-digest': sha256(image.manifest), 'content-length': image.manifest.length });
      return void res.end(req.method === 'HEAD' ? undefined : image.manifest);
    }
    const blob = /^\/v2\/.+\/blobs\/(sha256:[0-9a-f]{64})$/.exec(url.pathname);
    const bytes = blob ? blobs.get(blob[1] as string) : undefined;
    if (!bytes) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': bytes.length });
    if (req.method === 'HEAD') return void res.end();
    inFlight++;
    state.maxInFlight = Math.max(state.maxInFlight, inFlight);
    let offset = 0;
    const next = (): void => {
      if (offset >= bytes.length || res.destroyed) {
        inFlight--;
        res.end();
        return;
      }
      res.write(bytes.subarray(offset, offset + pacing.pieceBytes));
      offset += pacing.pieceBytes;
      // The last byte is out: the client may finish and start its next GET at once, so this one stops counting now.
      if (offset >= bytes.length) {
        inFlight--;
        res.end();
        return;
      }
      setTimeout(next, pacing.pieceDelayMs);
    };
    // Every blob is in flight a while, even the config: the overlap does not hang on the destination's pace.
    setTimeout(next, pacing.firstByteDelayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    host: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    get maxInFlight() {
      return state.maxInFlight;
    },
    reset: () => {
      state.maxInFlight = 0;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function imageOf(layers: Buffer[]): { manifest: Buffer; blobs: Blob[] } {
  const config = blobOf(Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] } })));
  const layerBlobs = layers.map(blobOf);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: DOCKER_MANIFEST,
      config: { mediaType: 'application/vnd.docker.container.image.v1+json', digest: config.digest, size: config.bytes.length },
      layers: layerBlobs.map((blob) => ({ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', digest: blob.digest, size: blob.bytes.length })),
    }),
  );
  return { manifest, blobs: [config, ...layerBlobs] };
}

let destination: LocalRegistry | undefined;
let source: SourceStandIn | undefined;
const dst = (): LocalRegistry => destination ?? assert.fail('destination not started');
const src = (): SourceStandIn => source ?? assert.fail('source not started');

before(async () => {
  if (!existsSync(REGISTRY_BINARY)) throw new Error(`${REGISTRY_BINARY} is missing: apt-get install -y docker-registry`);
  const images = new Map([
    ['many/app:v1', imageOf(Array.from({ length: 10 }, () => randomBytes(256 * 1024)))],
    ['few/app:v1', imageOf(Array.from({ length: 2 }, () => randomBytes(256 * 1024)))],
    ['big/app:v1', imageOf([randomBytes(10 * MiB)])],
    ['tiny/app:v1', imageOf([randomBytes(2048)])],
  ]);
  destination = await startLocalRegistry();
  // 64 KiB every 10 ms after 300 ms: a blob is in flight ≥ 300 ms (long beside a HEAD on loopback), the 10 MiB one ~2 s.
  source = await startSource(images, { pieceBytes: 64 * 1024, pieceDelayMs: 10, firstByteDelayMs: 300 });
});

after(async () => {
  await source?.close();
  await destination?.close();
});

function copy(repository: string, dstRepository: string, extra: { concurrency?: number; log?: (line: string) => void; progress?: { intervalMs?: number } } = {}) {
  return copyImage({
    source: { client: new RegistryClient({ registry: src().host, fetch }), repository, reference: 'v1' },
    destination: { client: new RegistryClient({ registry: dst().host, fetch }), repository: dstRepository },
    tags: ['v1'],
    ...extra,
  });
}

describe('copy concurrency', () => {
  it('moves 6 blobs at a time by default when the image has more (10 layers + config)', async () => {
    src().reset();
    const result = await copy('many/app', 'c/default');
    assert.equal(result.blobsCopied, 11);
    assert.equal(src().maxInFlight, 6);
  });

  it('copy-concurrency 3 bounds the blob GETs in flight at 3', async () => {
    src().reset();
    await copy('many/app', 'c/three', { concurrency: 3 });
    assert.equal(src().maxInFlight, 3);
  });

  it('fewer blobs than N: never more in flight than there are blobs', async () => {
    src().reset();
    await copy('few/app', 'c/few', { concurrency: 6 });
    assert.ok(src().maxInFlight <= 3, `max in flight ${src().maxInFlight}`);
  });
});

describe('copy progress', () => {
  it('a slow 10 MiB blob gives a line when done and throughput lines while it moves', async () => {
    const lines: string[] = [];
    await copy('big/app', 'p/big', { log: (line) => lines.push(line), progress: { intervalMs: 300 } });
    const done = lines.filter((line) => /^blob sha256:[0-9a-f]{12} done: 10\.0 MiB in \d+\.\d s$/.test(line));
    assert.equal(done.length, 1, lines.join('\n'));
    const throughput = lines.filter((line) => /^copying: \d+\.\d MiB of 10\.0 MiB moved \(\d+ blob\(s\) done\), [\d.]+ (MiB|KiB)\/s, \d+\.\d s so far$/.test(line));
    assert.ok(throughput.length >= 2, lines.join('\n'));
    // Not one line per chunk: ~160 pieces went by.
    assert.ok(throughput.length < 20, `${throughput.length} throughput lines`);
  });

  it('a tiny image copies without progress lines', async () => {
    const lines: string[] = [];
    await copy('tiny/app', 'p/tiny', { log: (line) => lines.push(line), progress: { intervalMs: 5 } });
    assert.deepEqual(
      lines.filter((line) => line.startsWith('blob ') || line.startsWith('copying:')),
      [],
    );
  });
});
