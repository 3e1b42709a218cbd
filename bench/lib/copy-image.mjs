// Helpers for bench/copy.mjs: a pullable image of incompressible random data,
// pushed over the plain distribution API; registry process lookup; CPU time of
// a process from /proc. Benchmarks only.
//
// Why not __tests__/helpers/image-fixtures.ts's pushRandomImage: its layers are
// raw random bytes labelled tar+gzip. `docker pull` cannot extract them (not a
// tar, diff_ids not the tar's digest), and skopeo, seeing an uncompressed
// stream, would gzip it on the way (another digest, and CPU work no other
// side does). Here every layer is a real gzip'd tar holding one file of random
// bytes (AES-256-CTR keystream): incompressible, so the .tar.gz is the file
// size plus headers, and all three tools pass the bytes through unchanged
// (docker excepted: it re-tars and re-gzips on push, which is what it does).
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { copyFileSync, createReadStream, createWriteStream, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip, constants as zlibConstants } from 'node:zlib';

const CHUNK = 1024 * 1024;

/** A ustar header for one regular file. */
function tarHeader(name, size, mtime) {
  const h = Buffer.alloc(512);
  const put = (offset, length, value) => h.write(value, offset, length, 'ascii');
  const octal = (value, length) => value.toString(8).padStart(length - 1, '0') + '\0';
  put(0, 100, name);
  put(100, 8, octal(0o644, 8));
  put(108, 8, octal(0, 8));
  put(116, 8, octal(0, 8));
  put(124, 12, octal(size, 12));
  put(136, 12, octal(mtime, 12));
  h.fill(0x20, 148, 156); // checksum field counts as spaces
  put(156, 1, '0');
  put(257, 6, 'ustar\0');
  put(263, 2, '00');
  let sum = 0;
  for (const byte of h) sum += byte;
  put(148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
  return h;
}

/** The uncompressed tar of one file of `fileBytes` random bytes, as a stream of chunks. */
function* randomTar(name, fileBytes) {
  yield tarHeader(name, fileBytes, 1_700_000_000);
  const cipher = createCipheriv('aes-256-ctr', randomBytes(32), randomBytes(16));
  const zeros = Buffer.alloc(CHUNK);
  for (let left = fileBytes; left > 0; ) {
    const n = Math.min(CHUNK, left);
    yield cipher.update(zeros.subarray(0, n));
    left -= n;
  }
  const pad = (512 - (fileBytes % 512)) % 512;
  yield Buffer.alloc(pad + 1024); // padding + two zero blocks (end of archive)
}

/**
 * Writes `count` layers (tar.gz, one random file each) under `dir`, with their
 * diff_id (sha256 of the tar) and digest/size (of the .tar.gz).
 */
export async function makeLayers(dir, count, fileBytes, prefix = 'layer') {
  const layers = [];
  for (let i = 0; i < count; i++) {
    const path = join(dir, `${prefix}-${i}.tar.gz`);
    const diff = createHash('sha256');
    const gz = createHash('sha256');
    const tar = Readable.from(
      (function* () {
        for (const chunk of randomTar(`data/${prefix}-${i}.bin`, fileBytes)) {
          diff.update(chunk);
          yield chunk;
        }
      })(),
    );
    const gzip = createGzip({ level: 1, chunkSize: CHUNK, strategy: zlibConstants.Z_DEFAULT_STRATEGY });
    gzip.on('data', (c) => gz.update(c));
    await pipeline(tar, gzip, createWriteStream(path));
    layers.push({ path, size: statSync(path).size, digest: `sha256:${gz.digest('hex')}`, diffId: `sha256:${diff.digest('hex')}` });
  }
  return layers;
}

async function uploadBlob(host, repo, digest, size, body) {
  const base = `http://${host}`;
  const start = await fetch(`${base}/v2/${repo}/blobs/uploads/`, { method: 'POST' });
  if (start.status !== 202) throw new Error(`start upload to ${host}/${repo}: HTTP ${start.status} ${await start.text()}`);
  await start.body?.cancel();
  const location = new URL(start.headers.get('location') ?? '', base);
  location.searchParams.set('digest', digest);
  const put = await fetch(location, {
    method: 'PUT',
    headers: { 'content-type': 'application/octet-stream', 'content-length': String(size) },
    body,
    duplex: 'half',
    redirect: 'error',
  });
  if (put.status !== 201) throw new Error(`finish upload of ${digest} to ${host}/${repo}: HTTP ${put.status} ${await put.text()}`);
  await put.body?.cancel();
}

export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';

/** `image` and its `layers` as a skopeo `dir:` layout in `dir` (created here), for `skopeo copy dir:DIR …` to push. */
export function writeDirLayout(dir, image, layers) {
  mkdirSync(dir);
  writeFileSync(join(dir, 'version'), 'Directory Transport Version: 1.1\n');
  writeFileSync(join(dir, 'manifest.json'), image.manifest);
  writeFileSync(join(dir, image.config.digest.slice('sha256:'.length)), image.configBytes);
  for (const layer of layers) copyFileSync(layer.path, join(dir, layer.digest.slice('sha256:'.length)));
  return dir;
}

/**
 * The config and Docker schema 2 manifest for `layers` (a fresh nonce in the
 * config, so every image is new): their bytes, the config descriptor, the
 * manifest digest and the sizes.
 */
export function buildImage(layers) {
  const configBytes = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      config: { Cmd: ['true'], Labels: { 'bench.nonce': randomBytes(8).toString('hex') } },
      rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) },
      history: layers.map((_l, i) => ({ created: '2026-01-01T00:00:00Z', created_by: `bench layer ${i}` })),
    }),
  );
  const config = { mediaType: 'application/vnd.docker.container.image.v1+json', size: configBytes.length, digest: `sha256:${createHash('sha256').update(configBytes).digest('hex')}` };
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: DOCKER_MANIFEST,
      config,
      layers: layers.map((l) => ({ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: l.size, digest: l.digest })),
    }),
  );
  return {
    configBytes,
    config,
    manifest,
    digest: `sha256:${createHash('sha256').update(manifest).digest('hex')}`,
    blobBytes: layers.reduce((n, l) => n + l.size, 0) + config.size,
    layerBytes: layers.reduce((n, l) => n + l.size, 0),
  };
}

/** Pushes the layers + a config + a Docker schema 2 manifest under `tag`; returns digest and sizes. */
export async function pushImage(host, repo, tag, layers) {
  for (const layer of layers) await uploadBlob(host, repo, layer.digest, layer.size, Readable.toWeb(createReadStream(layer.path)));
  const { configBytes, config, manifest, digest, blobBytes, layerBytes } = buildImage(layers);
  await uploadBlob(host, repo, config.digest, config.size, configBytes);
  const put = await fetch(`http://${host}/v2/${repo}/manifests/${tag}`, { method: 'PUT', headers: { 'content-type': DOCKER_MANIFEST }, body: manifest });
  if (put.status !== 201) throw new Error(`put manifest ${host}/${repo}:${tag}: HTTP ${put.status} ${await put.text()}`);
  await put.body?.cancel();
  return { digest, blobBytes, layerBytes, config };
}

/** Digest of a manifest in a registry (HEAD), or undefined. */
export async function manifestDigest(host, repo, ref) {
  const r = await fetch(`http://${host}/v2/${repo}/manifests/${ref}`, {
    method: 'HEAD',
    headers: { accept: `${DOCKER_MANIFEST},application/vnd.oci.image.manifest.v1+json` },
  });
  await r.body?.cancel();
  return r.status === 200 ? (r.headers.get('docker-content-digest') ?? undefined) : undefined;
}

// ---------------------------------------------------------------- processes

/** The pid of the docker-registry process listening on `host` (found via its config file's addr). */
export function registryPid(host) {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let argv;
    try {
      argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
    } catch {
      continue;
    }
    if (!argv[0]?.endsWith('docker-registry') || argv[1] !== 'serve' || !argv[2]) continue;
    try {
      if (readFileSync(argv[2], 'utf8').includes(`addr: ${host}\n`)) return Number(entry);
    } catch {
      // config gone: not ours
    }
  }
  return undefined;
}

/** The storage directory of the docker-registry listening on `host` (its config's sibling `data/`, as startLocalRegistry lays it out). */
export function registryDataDir(host) {
  const pid = registryPid(host);
  if (pid === undefined) return undefined;
  const config = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[2];
  return join(dirname(config), 'data');
}

const CLK_TCK = 100;

/** utime + stime of a process so far, in ms (/proc/<pid>/stat, USER_HZ = 100 on Linux). */
export function cpuMsOf(pid) {
  if (pid === undefined) return NaN;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK;
  } catch {
    return NaN;
  }
}

/** Total CPU time of the whole machine (all cores, not idle/iowait), ms, from /proc/stat. */
export function machineBusyMs() {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const [user, nice, system, , , irq, softirq, steal] = cpu;
  return ((user + nice + system + irq + softirq + steal) * 1000) / CLK_TCK;
}

/** The fields of `/usr/bin/time -v` output that matter here. */
export function parseTimeV(stderr) {
  const grab = (label) => {
    const m = stderr.match(new RegExp(`^\\s*${label}:\\s*(.+)$`, 'm'));
    return m ? m[1].trim() : undefined;
  };
  const elapsed = grab('Elapsed \\(wall clock\\) time \\(h:mm:ss or m:ss\\)');
  let wallMs = NaN;
  if (elapsed) {
    const parts = elapsed.split(':').map(Number);
    wallMs = parts.reduce((acc, p) => acc * 60 + p, 0) * 1000;
  }
  return {
    maxRssKiB: Number(grab('Maximum resident set size \\(kbytes\\)')),
    userS: Number(grab('User time \\(seconds\\)')),
    sysS: Number(grab('System time \\(seconds\\)')),
    wallMs,
  };
}
