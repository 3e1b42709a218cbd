/**
 * Builds images of random bytes and pushes them over the plain distribution
 * API with fetch, independently of src/registry/, so copy tests start from
 * content the code under test did not write. Large layers are generated as
 * an AES-CTR keystream, twice (once to hash, once to upload), so a 64 MB
 * layer never sits in this process's memory.
 */
import { createCipheriv, createHash, randomBytes } from 'node:crypto';

export interface BasicAuth {
  username: string;
  password: string;
}

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

export interface PushedBlob {
  digest: string;
  size: number;
  mediaType: string;
  /** Set on a foreign layer: the blob was not pushed, the manifest points here. */
  urls?: string[];
}

export interface PushedManifest {
  digest: string;
  mediaType: string;
  /** The exact bytes pushed. */
  bytes: Uint8Array;
}

export interface PushedImage extends PushedManifest {
  config: PushedBlob;
  layers: PushedBlob[];
  platform: Platform;
}

export interface PushedIndex extends PushedManifest {
  images: PushedImage[];
}

export interface RandomImageOptions {
  layers: number;
  layerBytes: number;
  platform?: Platform;
  auth?: BasicAuth;
  /** OCI media types instead of Docker schema 2. */
  oci?: boolean;
  /** Adds a foreign (non-distributable) layer with `urls`, whose blob is not pushed. */
  foreignLayer?: boolean;
  /** The image config's `created` time (none by default). */
  created?: Date;
}

export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
export const DOCKER_MANIFEST_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';

/** Above this, layers are generated and uploaded as streams. */
const STREAM_THRESHOLD = 4 * 1024 * 1024;
const GENERATOR_CHUNK = 256 * 1024;

const sha256 = (bytes: Uint8Array): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
const encode = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value, null, 2));

/** Pushes an image of `layers` random layers of `layerBytes` each; `tag` undefined pushes by digest only. */
export async function pushRandomImage(host: string, repo: string, tag: string | undefined, options: RandomImageOptions): Promise<PushedImage> {
  const oci = options.oci ?? false;
  const platform = options.platform ?? { os: 'linux', architecture: 'amd64' };
  const layerType = oci ? 'application/vnd.oci.image.layer.v1.tar+gzip' : 'application/vnd.docker.image.rootfs.diff.tar.gzip';
  const layers: PushedBlob[] = [];
  for (let i = 0; i < options.layers; i++) {
    const source = randomSource(options.layerBytes);
    const digest = await source.digest();
    await uploadBlob(host, repo, digest, options.layerBytes, source.stream(), options.auth);
    layers.push({ digest, size: options.layerBytes, mediaType: layerType });
  }
  if (options.foreignLayer) {
    const fake = randomBytes(1024);
    layers.push({
      digest: sha256(fake),
      size: fake.length,
      mediaType: oci ? 'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip' : 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip',
      urls: ['https://foreign.invalid/layer.tar.gz'],
    });
  }
  const configBytes = encode({
    architecture: platform.architecture,
    os: platform.os,
    ...(platform.variant ? { variant: platform.variant } : {}),
    ...(options.created ? { created: options.created.toISOString() } : {}),
    config: { Labels: { 'test.nonce': randomBytes(8).toString('hex') } },
    rootfs: { type: 'layers', diff_ids: layers.map((layer) => layer.digest) },
  });
  const config: PushedBlob = {
    digest: sha256(configBytes),
    size: configBytes.length,
    mediaType: oci ? 'application/vnd.oci.image.config.v1+json' : 'application/vnd.docker.container.image.v1+json',
  };
  await uploadBlob(host, repo, config.digest, config.size, bytesStream(configBytes), options.auth);

  const mediaType = oci ? OCI_MANIFEST : DOCKER_MANIFEST;
  const bytes = encode({ schemaVersion: 2, mediaType, config, layers });
  const digest = sha256(bytes);
  await putManifest(host, repo, tag ?? digest, bytes, mediaType, options.auth);
  return { digest, mediaType, bytes, config, layers, platform };
}

/** Pushes an index (OCI) or manifest list (Docker) over `images`, which must be in `repo` already. */
export async function pushIndex(
  host: string,
  repo: string,
  tag: string,
  images: readonly PushedImage[],
  options: { auth?: BasicAuth; oci?: boolean } = {},
): Promise<PushedIndex> {
  const mediaType = options.oci ? OCI_INDEX : DOCKER_MANIFEST_LIST;
  const bytes = encode({
    schemaVersion: 2,
    mediaType,
    manifests: images.map((image) => ({ mediaType: image.mediaType, size: image.bytes.length, digest: image.digest, platform: image.platform })),
  });
  const digest = sha256(bytes);
  await putManifest(host, repo, tag, bytes, mediaType, options.auth);
  return { digest, mediaType, bytes, images: [...images] };
}

/** Pushes a 2-platform index: two single-layer images (linux/amd64, linux/arm64) by digest, then the index under `tag`. */
export async function pushTwoPlatformIndex(
  host: string,
  repo: string,
  tag: string,
  options: { layerBytes: number; auth?: BasicAuth; oci?: boolean },
): Promise<PushedIndex> {
  const images: PushedImage[] = [];
  for (const architecture of ['amd64', 'arm64']) {
    images.push(
      await pushRandomImage(host, repo, undefined, {
        layers: 2,
        layerBytes: options.layerBytes,
        platform: { os: 'linux', architecture },
        ...(options.auth ? { auth: options.auth } : {}),
        ...(options.oci === undefined ? {} : { oci: options.oci }),
      }),
    );
  }
  return pushIndex(host, repo, tag, images, options);
}

/** Every blob an image's manifest names that lives in the registry (foreign layers left out). */
export function blobsOf(image: PushedImage): PushedBlob[] {
  return [image.config, ...image.layers.filter((layer) => layer.urls === undefined)];
}

// ---------------------------------------------------------------- raw API calls

function authHeader(auth: BasicAuth | undefined): Record<string, string> {
  return auth ? { authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}` } : {};
}

async function uploadBlob(
  host: string,
  repo: string,
  digest: string,
  size: number,
  body: ReadableStream<Uint8Array>,
  auth: BasicAuth | undefined,
): Promise<void> {
  const base = `http://${host}`;
  const start = await fetch(`${base}/v2/${repo}/blobs/uploads/`, { method: 'POST', headers: authHeader(auth) });
  if (start.status !== 202) throw new Error(`start upload to ${host}/${repo}: HTTP ${start.status} ${await start.text()}`);
  await start.body?.cancel();
  const location = new URL(start.headers.get('location') ?? '', base);
  location.searchParams.set('digest', digest);
  const put = await fetch(location, {
    method: 'PUT',
    headers: { ...authHeader(auth), 'content-type': 'application/octet-stream', 'content-length': String(size) },
    body,
    duplex: 'half',
    // Without it fetch keeps a tee'd copy of the stream for a possible redirect: the whole layer in memory.
    redirect: 'error',
  } as RequestInit);
  if (put.status !== 201) throw new Error(`finish upload of ${digest} to ${host}/${repo}: HTTP ${put.status} ${await put.text()}`);
  await put.body?.cancel();
}

async function putManifest(host: string, repo: string, reference: string, bytes: Uint8Array, mediaType: string, auth: BasicAuth | undefined): Promise<void> {
  const put = await fetch(`http://${host}/v2/${repo}/manifests/${reference}`, {
    method: 'PUT',
    headers: { ...authHeader(auth), 'content-type': mediaType },
    body: bytes,
  });
  if (put.status !== 201) throw new Error(`put manifest ${host}/${repo}:${reference}: HTTP ${put.status} ${await put.text()}`);
  await put.body?.cancel();
}

// ---------------------------------------------------------------- random bytes

interface RandomSource {
  digest(): Promise<string>;
  stream(): ReadableStream<Uint8Array>;
}

/** `size` random bytes that can be read more than once: a buffer when small, a seeded keystream when large. */
function randomSource(size: number): RandomSource {
  if (size < STREAM_THRESHOLD) {
    const bytes = randomBytes(size);
    return { digest: async () => sha256(bytes), stream: () => bytesStream(bytes) };
  }
  const key = randomBytes(32);
  const iv = randomBytes(16);
  const stream = (): ReadableStream<Uint8Array> => {
    const cipher = createCipheriv('aes-256-ctr', key, iv);
    const zeros = Buffer.alloc(GENERATOR_CHUNK);
    let remaining = size;
    return new ReadableStream<Uint8Array>({
      pull(controller) {
        if (remaining === 0) {
          controller.close();
          return;
        }
        const length = Math.min(GENERATOR_CHUNK, remaining);
        remaining -= length;
        controller.enqueue(new Uint8Array(cipher.update(zeros.subarray(0, length))));
      },
    });
  };
  return {
    digest: async () => {
      const hash = createHash('sha256');
      for await (const chunk of stream()) hash.update(chunk);
      return `sha256:${hash.digest('hex')}`;
    },
    stream,
  };
}

function bytesStream(bytes: Uint8Array): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(bytes);
      controller.close();
    },
  });
}
