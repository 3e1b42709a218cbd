export const id = 173;
export const ids = [173];
export const modules = {

/***/ 3173:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  runPackage: () => (/* binding */ runPackage)
});

// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(7075);
// EXTERNAL MODULE: ./build/src/registry/client.js + 14 modules
var client = __webpack_require__(4496);
// EXTERNAL MODULE: ./build/src/registry/copy.js + 3 modules
var copy = __webpack_require__(8055);
// EXTERNAL MODULE: ./build/src/domain/image/digest.js + 1 modules
var image_digest = __webpack_require__(3112);
// EXTERNAL MODULE: ./build/src/domain/image/manifest-shapes.js
var manifest_shapes = __webpack_require__(8950);
// EXTERNAL MODULE: ./build/src/domain/image/media-types.js
var media_types = __webpack_require__(8408);
// EXTERNAL MODULE: ./build/src/domain/image/platform.js
var image_platform = __webpack_require__(9133);
// EXTERNAL MODULE: ./build/src/domain/image/reference.js
var image_reference = __webpack_require__(1605);
;// CONCATENATED MODULE: ./build/src/package/image-config.js
/**
 * The new image config: the base's, with the package layer's diff id and a
 * history entry appended, and the start settings, environment, ports, user
 * and labels changed as a Dockerfile's ENTRYPOINT/CMD/ENV/WORKDIR/EXPOSE/
 * USER/LABEL lines would change them (an ENTRYPOINT clears an inherited CMD).
 * `created` is fixed (SOURCE_DATE_EPOCH or the epoch), so the digest depends
 * on the inputs only.
 */
const DEFAULT_PATH = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
function imageConfigFor(base, changes, diffId) {
    const config = structuredClone(base);
    config['created'] = changes.created;
    const settings = isRecord(config['config']) ? config['config'] : {};
    config['config'] = settings;
    if (changes.env.length > 0) {
        const env = Array.isArray(settings['Env']) ? settings['Env'].filter((item) => typeof item === 'string') : [];
        for (const [name, value] of changes.env) {
            const at = env.findIndex((item) => item.split('=')[0] === name);
            if (at >= 0)
                env[at] = `${name}=${value}`;
            else
                env.push(`${name}=${value}`);
        }
        settings['Env'] = env;
    }
    const env = Array.isArray(settings['Env']) ? settings['Env'] : [];
    if (!env.some((item) => typeof item === 'string' && item.startsWith('PATH='))) {
        // As BuildKit does for every image it writes: a config without PATH gets the default, else a runtime that sees
        // any Env (ours) may start the entrypoint with no PATH at all ("sh": executable file not found).
        settings['Env'] = [DEFAULT_PATH, ...env];
    }
    if (changes.entrypoint !== undefined) {
        settings['Entrypoint'] = [...changes.entrypoint];
        // Docker's rule: a new ENTRYPOINT does not inherit the base's CMD.
        if (changes.cmd === undefined)
            settings['Cmd'] = null;
    }
    if (changes.cmd !== undefined)
        settings['Cmd'] = [...changes.cmd];
    if (changes.workdir !== '')
        settings['WorkingDir'] = changes.workdir;
    if (changes.expose.length > 0) {
        const ports = isRecord(settings['ExposedPorts']) ? { ...settings['ExposedPorts'] } : {};
        for (const port of changes.expose)
            ports[port] = {};
        settings['ExposedPorts'] = sortedRecord(ports);
    }
    if (changes.user !== '')
        settings['User'] = changes.user;
    const labels = isRecord(settings['Labels']) ? { ...settings['Labels'] } : {};
    for (const [name, value] of changes.labels)
        labels[name] = value;
    labels['org.opencontainers.image.base.name'] = changes.baseName;
    labels['org.opencontainers.image.base.digest'] = changes.baseDigest;
    settings['Labels'] = sortedRecord(labels);
    const rootfs = isRecord(config['rootfs']) ? { ...config['rootfs'] } : { type: 'layers' };
    rootfs['diff_ids'] = [...(Array.isArray(rootfs['diff_ids']) ? rootfs['diff_ids'] : []), diffId];
    config['rootfs'] = rootfs;
    const history = Array.isArray(config['history']) ? [...config['history']] : [];
    history.push({ created: changes.created, created_by: changes.createdBy, comment: 'imageship package' });
    config['history'] = history;
    return config;
}
function isRecord(value) {
    return value !== null && typeof value === 'object' && !Array.isArray(value);
}
function sortedRecord(record) {
    return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

// EXTERNAL MODULE: ./build/src/registry/tag-confirmations.js
var tag_confirmations = __webpack_require__(6017);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
;// CONCATENATED MODULE: ./build/src/package/file-fill.js
/**
 * A local package read into one buffer of its size in the background, front
 * to back, while the run already works on it: the layer's upload starts with
 * the first bytes instead of after the last (for a 20 MiB JAR the read took
 * ≈ 10–15 ms of a ≈ 250 ms run, all of it before the first byte could leave).
 * Whoever reads a region of the buffer first waits for it (`until`); a few
 * small regions can be fetched ahead of the front (`ensure`: the gzip level's
 * samples lie spread over the package). A file that turns out shorter than
 * its size at the start fails every waiter: it changed while it was read.
 */

/** Read size: large enough for few thread-pool round trips, small enough that the upload starts soon. */
const PIECE_BYTES = 2 * 1024 * 1024;
/** The views in order, each once `arrival` says it is in place. */
async function* inPlace(views, arrival) {
    for (const view of views) {
        const wait = arrival(view);
        if (wait)
            await wait;
        yield view;
    }
}
class FileFill {
    file;
    changed;
    bytes;
    /** Settles when every byte is in place (or the read failed). */
    done;
    front = 0;
    failure;
    waiters = [];
    /** Regions read ahead of the front: [start, end). */
    ahead = [];
    constructor(file, size, changed) {
        this.file = file;
        this.changed = changed;
        this.bytes = Buffer.allocUnsafe(size);
        this.done = this.readAll();
        this.done.catch(() => undefined);
    }
    /** Opens `path` (of `size` bytes by its stat) and starts reading it. */
    static async start(path, size, changed) {
        return new FileFill(await (0,promises_.open)(path, 'r'), size, changed);
    }
    /** Resolves once bytes [0, end) are in place. */
    until(end) {
        if (this.failure)
            return Promise.reject(this.failure);
        if (end <= this.front)
            return undefined;
        return new Promise((resolve, reject) => this.waiters.push({ end, resolve, reject }));
    }
    /** For an Arrival: the view's bytes when it is a view of this buffer, else nothing to wait for. */
    arrival = (view) => {
        const start = this.offsetOf(view);
        return start === undefined ? undefined : this.until(start + view.byteLength);
    };
    /** A view's bytes in place now (read out of turn when the front has not reached them); other views: nothing to do. */
    async ensureView(view) {
        const start = this.offsetOf(view);
        if (start !== undefined)
            await this.ensure(start, view.byteLength);
    }
    /** Where a view of this buffer starts in it; undefined for a view of other memory. */
    offsetOf(view) {
        if (view.buffer !== this.bytes.buffer)
            return undefined;
        const start = view.byteOffset - this.bytes.byteOffset;
        return start >= 0 && start < this.bytes.length ? start : undefined;
    }
    /** Bytes [start, start + length) in place now, read out of turn when the front has not reached them. */
    async ensure(start, length) {
        const end = Math.min(start + length, this.bytes.length);
        if (this.failure)
            throw this.failure;
        if (end <= this.front || this.ahead.some(([from, to]) => from <= start && end <= to))
            return;
        const { bytesRead } = await this.file.read(this.bytes, start, end - start, start);
        if (bytesRead !== end - start)
            throw this.changed();
        this.ahead.push([start, end]);
    }
    async readAll() {
        try {
            while (this.front < this.bytes.length) {
                const want = Math.min(PIECE_BYTES, this.bytes.length - this.front);
                const { bytesRead } = await this.file.read(this.bytes, this.front, want, this.front);
                if (bytesRead === 0)
                    throw this.changed();
                this.front += bytesRead;
                this.wake();
            }
            // One byte more than its size: it grew since it was measured.
            const { bytesRead } = await this.file.read(Buffer.alloc(1), 0, 1, this.bytes.length);
            if (bytesRead !== 0)
                throw this.changed();
        }
        catch (error) {
            this.failure = error instanceof Error ? error : new Error(String(error));
            for (const waiter of this.waiters)
                waiter.reject(this.failure);
            this.waiters = [];
            throw this.failure;
        }
        finally {
            await this.file.close().catch(() => undefined);
        }
    }
    wake() {
        const still = [];
        for (const waiter of this.waiters) {
            if (waiter.end <= this.front)
                waiter.resolve();
            else
                still.push(waiter);
        }
        this.waiters = still;
    }
}

;// CONCATENATED MODULE: ./build/src/package/assemble.js
/**
 * The image, assembled through the registry API as Jib, ko and `crane
 * append` do, with no Docker daemon and without downloading a base layer:
 * the base is resolved (an index gives every runnable platform, `platforms`
 * narrows), its blobs reach the destination repository by the shared copy
 * (skipped when there, mounted from the base's repository on the same
 * registry, streamed otherwise), the package layer and one new config per
 * platform are uploaded, then the manifests, the index of a multi-platform
 * base, and the tags. Every document is serialised the same way each run, so
 * the same inputs give the same digest.
 */











/**
 * From this size on the package layer goes up before its digest is known
 * (pushLayer); below it, hashing first costs under 3 ms and keeps the plain
 * check-then-upload (a re-run uploads nothing at all).
 */
const STREAM_LAYER_MIN_BYTES = 4 * 1024 * 1024;
/**
 * Opens the layer's and the config's upload sessions, and a blob connection,
 * now: their round trips then overlap the layer's layout and hashing instead
 * of coming after them (each POST's answer took ≈ 12–20 ms on loopback under
 * load). Only once the package passed its checks: a refused package writes
 * nothing. A session nobody takes is cancelled (cancelUploads).
 */
function openUploads(destination) {
    const uploads = { layer: destination.client.openUpload(destination.repository), config: destination.client.openUpload(destination.repository) };
    destination.client.preconnect(1);
    return uploads;
}
/** Cancels the sessions no upload took (a run that failed, or blobs the destination had). */
async function cancelUploads(uploads) {
    await Promise.all([uploads.layer.cancel(), uploads.config.cancel()]);
}
/**
 * Resolves the base: its manifests and configs, read only. Needs nothing of
 * the package, so a run starts it while the package is fetched and its layer
 * written; nothing is written to the destination until the package passed
 * every check (a refused package leaves no trace there).
 */
async function prepareBase(request) {
    const { base, destination, log } = request;
    const operation = `resolve base image ${base.shown}`;
    destination.client.willPush(destination.repository);
    const top = await base.client.getManifest(base.repository, base.reference).catch((error) => {
        if (error instanceof client/* RegistryError */.gl && error.status === 404) {
            throw new Error(`base-image: ${base.shown} is not in the registry: check the name and tag, or push the base first`, { cause: error });
        }
        throw error;
    });
    const kind = (0,manifest_shapes/* manifestKind */.QS)(top.info.mediaType, top.body);
    if (kind === 'unknown')
        throw new Error(`${operation}: media type ${JSON.stringify(top.info.mediaType)} is neither an image nor an index`);
    let children;
    if (kind === 'index') {
        const runnable = (0,manifest_shapes/* indexEntries */.nL)(top.body, operation).filter(isRunnable);
        children = request.platforms.length === 0 ? runnable : runnable.filter((entry) => entry.platform && request.platforms.some((wanted) => platformMatches(entry.platform, wanted)));
        if (children.length === 0) {
            throw new Error(`platforms: the base image ${base.shown} has none of ${request.platforms.join(', ')} (it has ${runnable.map((e) => (e.platform ? (0,image_platform/* formatPlatform */.Bq)(e.platform) : 'unspecified')).join(', ')}): pick platforms it has`);
        }
    }
    else {
        children = [{ mediaType: top.info.mediaType, digest: top.info.digest, size: top.info.size }];
    }
    log(`base ${base.shown} → ${top.info.digest} (${kind === 'index' ? `index, ${children.length} platform(s) used` : 'single image'})`);
    const platforms = [];
    for (const child of children) {
        const manifest = child.digest === top.info.digest ? top : await base.client.getManifest(base.repository, child.digest);
        if ((0,manifest_shapes/* manifestKind */.QS)(manifest.info.mediaType, manifest.body) !== 'image')
            throw new Error(`${operation}: ${child.digest} is not an image manifest`);
        const config = (await base.client.getConfigOf(base.repository, manifest));
        const platform = child.platform ?? platformOfConfig(config);
        if (kind === 'image' && request.platforms.length > 0 && !request.platforms.some((wanted) => platformMatches(platform, wanted))) {
            throw new Error(`platforms: the base image ${base.shown} is a single ${(0,image_platform/* formatPlatform */.Bq)(platform)} image, not ${request.platforms.join(', ')}: remove platforms, or use a multi-platform base`);
        }
        platforms.push({ manifest, indexPlatform: child.platform, config, platform: (0,image_platform/* formatPlatform */.Bq)(platform) });
    }
    return { top, kind, platforms };
}
/**
 * The package's image on a prepared base: the layer goes up (unless the
 * destination has it) while `prepared` settles, then one config and manifest
 * per platform, the index of a multi-platform base, and the tags.
 */
async function assembleImage(request, prepared) {
    const { destination, log } = request;
    let markStarted = () => undefined;
    const layerStarted = new Promise((resolve) => (markStarted = resolve));
    const layerUpload = pushLayer(destination, request.layer, request.layerDigest, log, markStarted, request.uploads?.layer);
    layerUpload.then(markStarted, markStarted);
    const { top, kind, platforms: basePlatforms } = await prepared;
    const operation = `resolve base image ${request.base.shown}`;
    // The base's blobs reach the destination repository while the layer goes up, by the shared copy: skipped when
    // there, mounted from the base's repository on the same registry, streamed otherwise; no manifest of the base.
    // They start once the layer's bytes are on their way: the registry answers the opening of the layer's upload
    // first (behind a dozen HEADs and mounts, the POST's answer came ≈ 15 ms later), and the mounts are done long
    // before a large layer is.
    const placed = (async () => {
        await layerStarted;
        const results = [];
        for (const { manifest } of basePlatforms) {
            results.push(await (0,copy/* copyImage */.L1)({
                source: { client: request.base.client, repository: request.base.repository, reference: manifest.info.digest },
                sourceManifest: manifest,
                destination,
                tags: [],
                blobsOnly: true,
                log: (line) => log(`  ${line}`),
                ...(request.concurrency === undefined ? {} : { concurrency: request.concurrency }),
            }));
        }
        return results;
    })();
    placed.catch(() => undefined);
    const totals = { copied: 0, mounted: 0, skipped: 0, bytesCopied: 0 };
    const images = [];
    const platforms = [];
    let layerUploaded = false;
    // Each platform's config goes up beside them: it needs only the base's config, the changes and the layer's diff id.
    const [changes, diffId, layerDigest] = await Promise.all([request.changes, request.diffId, request.layerDigest]);
    const configs = basePlatforms.map(({ config: baseConfig, platform }, i) => {
        const bytes = encode(imageConfigFor(baseConfig, { ...changes, baseDigest: top.info.digest }, diffId));
        const digest = (0,image_digest/* digestOf */.ol)(bytes);
        const upload = pushBlob(destination, digest, [Buffer.from(bytes)], bytes.length, `config ${platform}`, log, true, i === 0 ? request.uploads?.config : undefined);
        upload.catch(() => undefined);
        return { bytes, digest, upload };
    });
    const copies = await placed;
    for (const [i, { manifest: fetched, indexPlatform, platform }] of basePlatforms.entries()) {
        const copied = copies[i];
        const { bytes: configBytes, digest: configDigest, upload: configUpload } = configs[i];
        platforms.push(platform);
        totals.copied += copied.blobsCopied;
        totals.mounted += copied.blobsMounted;
        totals.skipped += copied.blobsSkipped;
        totals.bytesCopied += copied.bytesCopied;
        const baseBody = fetched.body;
        const oci = fetched.info.mediaType === media_types/* MediaTypes */.mI.ociManifest;
        await configUpload;
        const configMediaType = (0,manifest_shapes/* configDescriptor */.c4)(baseBody, operation).mediaType || (oci ? media_types/* MediaTypes */.mI.ociConfig : media_types/* MediaTypes */.mI.dockerConfig);
        const layerMediaType = oci ? 'application/vnd.oci.image.layer.v1.tar+gzip' : 'application/vnd.docker.image.rootfs.diff.tar.gzip';
        const manifest = {
            schemaVersion: 2,
            mediaType: fetched.info.mediaType,
            config: { mediaType: configMediaType, digest: configDigest, size: configBytes.length },
            layers: [...baseBody.layers, { mediaType: layerMediaType, digest: layerDigest, size: request.layer.size }],
            // Docker schema 2 has no annotations; OCI manifests name their base as the image spec suggests.
            ...(oci ? { annotations: { 'org.opencontainers.image.base.digest': top.info.digest, 'org.opencontainers.image.base.name': changes.baseName } } : {}),
        };
        const manifestBytes = encode(manifest);
        const manifestDigest = (0,image_digest/* digestOf */.ol)(manifestBytes);
        layerUploaded = await layerUpload;
        const facts = { baseDigest: top.info.digest, platforms, totals, layerUploaded };
        // A single image is written under its tags straight away (by digest only when there is no tag).
        if (kind === 'image')
            return finish(request, { raw: manifestBytes, digest: manifestDigest, mediaType: fetched.info.mediaType }, facts);
        await destination.client.putManifest(destination.repository, manifestDigest, manifestBytes, fetched.info.mediaType);
        log(`${platform}: ${manifestDigest} (${copied.blobsCopied} base blob(s) copied, ${copied.blobsMounted} mounted, ${copied.blobsSkipped} already there)`);
        images.push({ mediaType: fetched.info.mediaType, digest: manifestDigest, size: manifestBytes.length, ...(indexPlatform ? { platform: indexPlatform } : {}) });
    }
    const index = {
        schemaVersion: 2,
        mediaType: top.info.mediaType,
        manifests: images,
    };
    const indexBytes = encode(index);
    return finish(request, { raw: indexBytes, digest: (0,image_digest/* digestOf */.ol)(indexBytes), mediaType: top.info.mediaType }, { baseDigest: top.info.digest, platforms, totals, layerUploaded });
}
async function finish(request, top, facts) {
    const { destination } = request;
    const confirmed = await (0,tag_confirmations/* putUnderTags */.JG)(destination.client, destination.repository, request.tags.length > 0 ? request.tags : [top.digest], top, (reference) => request.log(`wrote ${(0,image_reference/* formatReference */.FH)(destination.client.registry, destination.repository, reference)}`));
    return {
        digest: top.digest,
        mediaType: top.mediaType,
        baseDigest: facts.baseDigest,
        platforms: facts.platforms,
        baseBlobs: facts.totals,
        layerUploaded: facts.layerUploaded,
        confirmed,
    };
}
/**
 * The package layer: true when uploaded, false when the destination had it.
 * A small one is hashed first and checked for (pushBlob). A large one starts
 * going up at once, its digest computed beside the upload and named when the
 * upload closes: the hash pass (≈ 10 ms per 20 MiB) is off the critical path.
 * While bytes are still to be sent, the destination is asked for the blob as
 * soon as the digest is known, and the upload is dropped if it is there (a
 * re-run of the same package); once all are sent, asking would only delay
 * the close by a round trip.
 */
async function pushLayer(destination, layer, digest, log, started, session) {
    if (layer.size < STREAM_LAYER_MIN_BYTES) {
        started();
        return pushBlob(destination, await digest, layer.blobParts, layer.size, 'package layer', log, true, session);
    }
    const there = new AbortController();
    const source = external_node_stream_.Readable.from(layer.arrival === undefined ? layer.blobParts : inPlace(layer.blobParts, layer.arrival));
    let allSent = false;
    source.once('end', () => (allSent = true));
    const present = digest.then(async (named) => {
        if (allSent || (await destination.client.headBlob(destination.repository, named)) === undefined)
            return false;
        there.abort(new Error(`${named} is in ${destination.repository} already`));
        return true;
    });
    // Cannot tell: the upload goes on, and decides.
    present.catch(() => undefined);
    try {
        await destination.client.uploadBlobBeforeDigest(destination.repository, layer.size, source, digest, {
            signal: there.signal,
            onBodyStarted: started,
            ...(session === undefined ? {} : { session }),
        });
    }
    catch (error) {
        if (!there.signal.aborted)
            throw error;
        log(`package layer ${await digest}: already there`);
        return false;
    }
    log(`package layer ${await digest}: uploaded ${layer.size} bytes`);
    return true;
}
/**
 * Uploads bytes unless the repository has the blob; true when uploaded.
 * `digest` was computed here from these bytes. `session`, opened ahead, is
 * taken by the upload or cancelled when the blob is there.
 */
async function pushBlob(destination, digest, parts, size, what, log, digestComputedFromBytes, session) {
    if ((await destination.client.headBlob(destination.repository, digest)) !== undefined) {
        await session?.cancel();
        log(`${what} ${digest}: already there`);
        return false;
    }
    // A node:stream takes the client's raw HTTP/1.1 upload path (Web Streams cost more CPU per chunk than the hashing).
    await destination.client.uploadBlobReadable(destination.repository, digest, size, external_node_stream_.Readable.from(parts), {
        digestComputedFromBytes,
        ...(session === undefined ? {} : { session }),
    });
    log(`${what} ${digest}: uploaded ${size} bytes`);
    return true;
}
function encode(value) {
    return new TextEncoder().encode(JSON.stringify(value));
}
function isRunnable(entry) {
    if (entry.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest')
        return false;
    return !(entry.platform?.os === 'unknown' && entry.platform.architecture === 'unknown');
}
/** `linux/arm64` matches linux/arm64 with any variant; `linux/arm64/v8` only that variant. */
function platformMatches(platform, wanted) {
    const [os, architecture, variant] = wanted.split('/');
    return platform.os === os && platform.architecture === architecture && (variant === undefined || platform.variant === variant);
}
function platformOfConfig(config) {
    const os = typeof config['os'] === 'string' ? config['os'] : 'linux';
    const architecture = typeof config['architecture'] === 'string' ? config['architecture'] : 'amd64';
    const variant = typeof config['variant'] === 'string' ? config['variant'] : undefined;
    return { os, architecture, ...(variant ? { variant } : {}) };
}

// EXTERNAL MODULE: ./build/src/domain/package-defaults.js
var package_defaults = __webpack_require__(7601);
// EXTERNAL MODULE: external "node:zlib"
var external_node_zlib_ = __webpack_require__(8522);
// EXTERNAL MODULE: ./build/src/domain/errors.js
var errors = __webpack_require__(3047);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
;// CONCATENATED MODULE: ./build/src/package/sliced-hash.js
/**
 * SHA-256 of bytes already in memory, one slice per turn of the event loop.
 * A package run computes the layer's diff id and the package's own digest
 * while the layer is being uploaded: hashed in one go, 20 MiB would hold the
 * main thread for ~12 ms at a time, during which the socket's write queue is
 * not refilled and the upload stalls; a slice at a time leaves it moving.
 */

const SLICE_BYTES = 256 * 1024;
/** `arrival`: the parts may still be arriving (a package being read); each is hashed once it is in place. */
async function sha256InSlices(parts, arrival) {
    const hash = (0,external_node_crypto_.createHash)('sha256');
    let sinceYield = 0;
    for (const part of parts) {
        for (let offset = 0; offset < part.byteLength;) {
            const take = Math.min(SLICE_BYTES - sinceYield, part.byteLength - offset);
            const slice = part.subarray(offset, offset + take);
            const wait = arrival?.(slice);
            if (wait)
                await wait;
            hash.update(slice);
            offset += take;
            sinceYield += take;
            if (sinceYield === SLICE_BYTES) {
                sinceYield = 0;
                await new Promise((resolve) => setImmediate(resolve));
            }
        }
    }
    return hash.digest('hex');
}

;// CONCATENATED MODULE: ./build/src/package/stored-gzip.js
/**
 * A gzip member of stored (uncompressed) deflate blocks, written as a list of
 * views over the input plus a few header bytes: the package's bytes are never
 * copied. Used for a layer whose content is already compressed (a JAR, WAR or
 * wheel is a zip), where deflating again gains under 0.1 %.
 *
 * Written here rather than with zlib at level 0: zlib copies the input twice
 * (into its window and into the output), and the block boundaries it chooses
 * depend on its version and buffer sizes, so the digest could change with the
 * Node release. This format is fixed by RFC 1951/1952: full 65 535-byte blocks,
 * the last one shorter and final, mtime 0, OS byte Unix. It costs one CRC-32
 * pass (zlib's, where Node has it) and ~40 lines.
 */


/** RFC 1951 §3.2.4: LEN is 16 bits. */
const MAX_STORED_BLOCK = 0xffff;
/** RFC 1952 OS byte for Unix: the same on every platform imageship runs on. */
const GZIP_OS_UNIX = 3;
/** CRC-32 work between two turns of the event loop when the input is still arriving. */
const CRC_SLICE_BYTES = 1024 * 1024;
/**
 * `arrival`: the input is still arriving (a package being read). The parts
 * are laid out at once, since their layout depends only on the size; the
 * CRC-32 is computed as the input comes in, and the trailer is filled, and
 * reported in place, after its last byte.
 */
function storedGzip(input, arrival) {
    const total = input.reduce((sum, part) => sum + part.length, 0);
    const header = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, GZIP_OS_UNIX]);
    const parts = [header];
    let size = header.length;
    let crc = 0;
    let left = total;
    let index = 0;
    let offset = 0;
    const data = [];
    // An empty input still needs one (final, empty) block.
    do {
        const length = Math.min(MAX_STORED_BLOCK, left);
        left -= length;
        parts.push(blockHeader(length, left === 0));
        size += 5 + length;
        for (let need = length; need > 0;) {
            const part = input[index];
            const take = Math.min(need, part.length - offset);
            if (take > 0) {
                const view = part.subarray(offset, offset + take);
                parts.push(view);
                if (!arrival)
                    crc = crc32(view, crc);
                else
                    data.push(view);
            }
            need -= take;
            offset += take;
            if (offset === part.length) {
                index += 1;
                offset = 0;
            }
        }
    } while (left > 0);
    const trailer = Buffer.from(new ArrayBuffer(8));
    trailer.writeUInt32LE(total % 2 ** 32, 4);
    parts.push(trailer);
    if (!arrival) {
        trailer.writeUInt32LE(crc >>> 0, 0);
        return { parts, size: size + trailer.length };
    }
    const sealed = crcAsArriving(data, arrival).then((value) => {
        trailer.writeUInt32LE(value >>> 0, 0);
    });
    sealed.catch(() => undefined);
    let complete = false;
    void sealed.then(() => (complete = true), () => undefined);
    // Any view of the trailer (a hash slices its parts) waits for the CRC; the trailer has an ArrayBuffer of its own.
    return { parts, size: size + trailer.length, arrival: (view) => (view.buffer === trailer.buffer ? (complete ? undefined : sealed) : arrival(view)) };
}
async function crcAsArriving(views, arrival) {
    let crc = 0;
    let sinceYield = 0;
    for await (const view of inPlace(views, arrival)) {
        crc = crc32(view, crc);
        sinceYield += view.length;
        if (sinceYield >= CRC_SLICE_BYTES) {
            sinceYield = 0;
            await new Promise((resolve) => setImmediate(resolve));
        }
    }
    return crc;
}
function blockHeader(length, final) {
    // BFINAL, BTYPE 00 (stored), then byte-aligned LEN and its one's complement NLEN.
    const block = Buffer.alloc(5);
    block[0] = final ? 1 : 0;
    block.writeUInt16LE(length, 1);
    block.writeUInt16LE(~length & 0xffff, 3);
    return block;
}
/** zlib.crc32 arrived in Node 20.15 / 22.2; older Node 20 releases use the table below (same result, slower). */
const nativeCrc32 = external_node_zlib_.crc32;
let table;
function crc32(data, value) {
    return nativeCrc32 ? nativeCrc32(data, value) : tableCrc32(data, value);
}
/** Exported for its test: the fallback must agree with zlib's. */
function tableCrc32(data, value = 0) {
    table ??= makeTable();
    let crc = ~value >>> 0;
    for (let i = 0; i < data.length; i++)
        crc = table[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
    return ~crc >>> 0;
}
function makeTable() {
    const made = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
        let c = n;
        for (let k = 0; k < 8; k++)
            c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
        made[n] = c >>> 0;
    }
    return made;
}

;// CONCATENATED MODULE: ./build/src/package/layer-tar.js
/**
 * One image layer, written byte for byte the same from the same entries:
 * ustar headers (a PAX `path`/`linkpath` record where a name does not fit),
 * entries sorted by path, one fixed mtime (SOURCE_DATE_EPOCH or 0), one
 * owner (uid/gid from `user`, else root), empty user/group names, modes kept
 * (permission bits only), then gzip at a fixed level with the OS byte fixed,
 * so the digest does not depend on the machine, the clock or the order a
 * package listed its files in.
 *
 * Written here rather than with a tar library: the subset needed is small
 * (regular files, directories, symbolic links), and reproducibility depends on
 * every header field, which libraries fill from the file system (mtime, owner,
 * names) unless each is overridden; owning the ~150 lines keeps every byte
 * deliberate and adds nothing to the bundle.
 */




const BLOCK = 512;
/**
 * The level changes the bytes and so the digest, so it is chosen from the
 * content alone: 1 (fastest, as go-containerregistry, ko and crane write
 * layers) for content that compresses, 0 (stored blocks, still valid gzip)
 * when a sample shows the content is already compressed — a JAR, WAR or
 * wheel is a zip, where deflating again costs ~10× the CPU of storing for
 * under 0.1 % of size.
 */
const GZIP_LEVEL = 1;
/** Four slices of this size, spread over the tar, are deflated to judge it (a slice is cheap; one spot could mislead). */
const SAMPLE_SLICE = 16 * 1024;
const SAMPLE_SLICES = 4;
/** A sample that deflates to more than this share of its size counts as already compressed. */
const INCOMPRESSIBLE = 0.95;
/** RFC 1952 OS byte for Unix: the same on every platform imageship runs on. */
const layer_tar_GZIP_OS_UNIX = 3;
/** A path escaping its target (`..` above it, absolute, a drive letter): the message names the entry. */
class EntryPathError extends errors/* ImageshipError */.K {
    name = 'EntryPathError';
}
/**
 * `./a//b/./c` → `a/b/c`; backslashes are separators (zip files from
 * Windows); `..` may only step back inside the path. Absolute paths and
 * drive letters are refused. '' for the root itself.
 */
function normaliseEntryPath(raw) {
    const text = raw.replace(/\\/g, '/');
    if (text.startsWith('/') || /^[A-Za-z]:/.test(text))
        throw new EntryPathError(`"${raw}" is an absolute path`);
    const parts = [];
    for (const part of text.split('/')) {
        if (part === '' || part === '.')
            continue;
        if (part === '..') {
            if (parts.length === 0)
                throw new EntryPathError(`"${raw}" leads out of the target directory`);
            parts.pop();
            continue;
        }
        if (part.includes('\0'))
            throw new EntryPathError(`"${raw.replace(/\0/g, '\\0')}" holds a NUL character`);
        parts.push(part);
    }
    return parts.join('/');
}
/** Builds the layer; later entries of the same path replace earlier ones. */
function buildLayer(entries, options) {
    const { chunks, sorted } = tarOf(entries, options);
    if (gzipLevelFor(chunks) === 0) {
        // Stored blocks over views of the tar: the package's bytes are not copied.
        const stored = storedGzip(chunks);
        return { blobParts: stored.parts, size: stored.size, tarParts: chunks, entries: sorted };
    }
    return deflated(chunks, sorted);
}
/**
 * buildLayer over a package still being read into memory (`fill`): the same
 * bytes, but a stored layer is ready as soon as the gzip level's samples are
 * in (read out of turn), so its upload can start with the package's first
 * bytes; its parts say when they are in place through `arrival`. A layer
 * that compresses waits for the whole package, as zlib needs it.
 */
async function buildLayerAsFilled(entries, options, fill) {
    const { chunks, sorted } = tarOf(entries, options);
    await Promise.all(sampleViews(chunks).map((view) => fill.ensureView(view)));
    if (gzipLevelFor(chunks) === 0) {
        const stored = storedGzip(chunks, fill.arrival);
        return { blobParts: stored.parts, size: stored.size, tarParts: chunks, entries: sorted, arrival: stored.arrival };
    }
    await fill.done;
    return deflated(chunks, sorted);
}
function deflated(chunks, sorted) {
    const blob = (0,external_node_zlib_.gzipSync)(Buffer.concat(chunks), { level: GZIP_LEVEL, memLevel: 8, windowBits: 15, strategy: external_node_zlib_.constants.Z_DEFAULT_STRATEGY });
    blob[9] = layer_tar_GZIP_OS_UNIX;
    return { blobParts: [blob], size: blob.length, tarParts: chunks, entries: sorted };
}
/** The tar's parts (headers and views of the entries' bytes) and the entries as written, sorted. */
function tarOf(entries, options) {
    const byPath = new Map();
    for (const entry of entries)
        byPath.set(entry.path, entry);
    const sorted = [...byPath.values()].sort((a, b) => Buffer.compare(Buffer.from(a.path), Buffer.from(b.path)));
    const chunks = [];
    for (const entry of sorted) {
        const name = entry.kind === 'dir' ? `${entry.path}/` : entry.path;
        // A view, not a copy: a package's bytes are copied once, into the tar.
        const bytes = entry.kind === 'file' ? (entry.data ?? new Uint8Array()) : new Uint8Array();
        const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        const linkname = entry.kind === 'symlink' ? (entry.linkTarget ?? '') : '';
        const pax = [];
        const split = splitUstarName(name);
        if (!split)
            pax.push(['path', name]);
        if (Buffer.byteLength(linkname) > 100 || !isAscii(linkname))
            pax.push(['linkpath', linkname]);
        if (pax.length > 0) {
            const body = Buffer.from(pax.map(([key, value]) => paxRecord(key, value)).join(''), 'utf8');
            chunks.push(header({ name: 'PaxHeaders/entry', prefix: '', type: 'x', size: body.length, mode: 0o644, linkname: '' }, options), padded(body));
        }
        const type = entry.kind === 'dir' ? '5' : entry.kind === 'symlink' ? '2' : '0';
        const mode = entry.mode & 0o7777;
        chunks.push(header({ name: split?.name ?? truncate(name, 100), prefix: split?.prefix ?? '', type, size: data.length, mode, linkname: pax.some(([key]) => key === 'linkpath') ? '' : linkname }, options));
        if (data.length > 0)
            chunks.push(data, Buffer.alloc((BLOCK - (data.length % BLOCK)) % BLOCK));
    }
    chunks.push(Buffer.alloc(BLOCK * 2));
    return { chunks, sorted };
}
/**
 * The blob's digest. Not part of buildLayer: a large layer starts going up
 * before it is known (it names the upload only when the upload closes), so a
 * run computes it beside the upload, a slice at a time.
 */
async function blobDigestOf(layer) {
    return `sha256:${await sha256InSlices(layer.blobParts, layer.arrival)}`;
}
/**
 * The layer's diff id (sha256 of the uncompressed tar), wanted only by the
 * config: computed while the blob goes up, as blobDigestOf.
 */
async function diffIdOf(layer) {
    return `sha256:${await sha256InSlices(layer.tarParts, layer.arrival)}`;
}
/**
 * 0 for content that does not compress, else GZIP_LEVEL: judged on slices
 * from a tar of 64 KiB or more (at 1/8, 3/8, 5/8 and 7/8 of it, so one stored
 * resource or the headers cannot decide alone); a smaller tar is deflated.
 */
function gzipLevelFor(tar) {
    const views = sampleViews(tar);
    if (views.length === 0)
        return GZIP_LEVEL;
    const sample = Buffer.concat(views);
    return (0,external_node_zlib_.deflateRawSync)(sample, { level: GZIP_LEVEL }).length > sample.length * INCOMPRESSIBLE ? 0 : GZIP_LEVEL;
}
/** The views gzipLevelFor judges: none for a tar too small to sample. */
function sampleViews(tar) {
    const total = tar.reduce((sum, part) => sum + part.length, 0);
    if (total < SAMPLE_SLICE * SAMPLE_SLICES)
        return [];
    const views = [];
    for (let i = 0; i < SAMPLE_SLICES; i++) {
        const start = Math.floor((total * (2 * i + 1)) / (2 * SAMPLE_SLICES) - SAMPLE_SLICE / 2);
        views.push(...viewsOf(tar, Math.max(0, Math.min(start, total - SAMPLE_SLICE)), SAMPLE_SLICE));
    }
    return views;
}
/** `length` bytes from `start` of the parts taken as one stream, as views of the parts. */
function viewsOf(parts, start, length) {
    const out = [];
    let skip = start;
    let need = length;
    for (const part of parts) {
        if (need === 0)
            break;
        if (skip >= part.length) {
            skip -= part.length;
            continue;
        }
        const piece = part.subarray(skip, skip + need);
        out.push(piece);
        need -= piece.length;
        skip = 0;
    }
    return out;
}
function header(fields, options) {
    const block = Buffer.alloc(BLOCK);
    block.write(fields.name, 0, 100, 'utf8');
    octal(block, 100, 8, fields.mode);
    octal(block, 108, 8, options.uid);
    octal(block, 116, 8, options.gid);
    octal(block, 124, 12, fields.size);
    octal(block, 136, 12, options.mtime);
    block.fill(0x20, 148, 156);
    block.write(fields.type, 156, 1, 'ascii');
    block.write(fields.linkname, 157, 100, 'utf8');
    block.write('ustar\0', 257, 6, 'ascii');
    block.write('00', 263, 2, 'ascii');
    // uname/gname stay empty: the numeric ids decide, and no name of this machine leaks in.
    block.write(fields.prefix, 345, 155, 'utf8');
    let sum = 0;
    for (const byte of block)
        sum += byte;
    block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'ascii');
    return block;
}
function octal(block, offset, length, value) {
    const digits = Math.floor(value).toString(8);
    if (digits.length > length - 1)
        throw new Error(`tar: ${value} does not fit a ${length}-byte header field`);
    block.write(`${digits.padStart(length - 1, '0')}\0`, offset, length, 'ascii');
}
/** ustar's name (≤ 100 bytes) and prefix (≤ 155 bytes), split at a `/`; undefined when the path does not fit or is not ASCII. */
function splitUstarName(path) {
    if (!isAscii(path))
        return undefined;
    if (path.length <= 100)
        return { name: path, prefix: '' };
    for (let i = path.indexOf('/'); i !== -1; i = path.indexOf('/', i + 1)) {
        const prefix = path.slice(0, i);
        const name = path.slice(i + 1);
        if (prefix.length <= 155 && name.length <= 100 && name !== '')
            return { name, prefix };
    }
    return undefined;
}
/** `"<length> key=value\n"`, the length counting itself. */
function paxRecord(key, value) {
    const bodyBytes = Buffer.byteLength(` ${key}=${value}\n`);
    let length = bodyBytes + String(bodyBytes).length;
    if (String(length).length !== String(bodyBytes).length)
        length = bodyBytes + String(length).length;
    return `${length} ${key}=${value}\n`;
}
function padded(data) {
    const rest = data.length % BLOCK;
    return rest === 0 ? data : Buffer.concat([data, Buffer.alloc(BLOCK - rest)]);
}
function truncate(text, bytes) {
    return Buffer.from(text, 'utf8').subarray(0, bytes).toString('latin1').replace(/[^\x20-\x7e]/g, '_');
}
function isAscii(text) {
    return /^[\x20-\x7e]*$/.test(text);
}

;// CONCATENATED MODULE: ./build/src/package/archive-read.js
/**
 * Reads the entries of a package archive: a gzip'd tar (npm pack's .tgz, a
 * .tar.gz) or a zip (.zip, .jar-style, a Python wheel). Entry names come back
 * raw; the caller normalises them and refuses those that escape the target.
 *
 * Our own reader on node:zlib rather than a library (tar-stream, yauzl,
 * adm-zip): imageship needs only "list the regular files, directories and
 * symlinks with their modes" from a buffer it already holds; that is ~200
 * lines here, with its own bounds (entry count, unpacked total, a compressed
 * size that lies) checked before inflating, no new dependency in the bundle
 * and no start-up cost for runs that never unpack anything (the module is
 * loaded only by a package run). Device files, FIFOs and hard links are
 * refused by name rather than skipped, so nothing vanishes silently.
 */


class ArchiveError extends errors/* ImageshipError */.K {
    name = 'ArchiveError';
}
/** Which reader a buffer needs, by its magic bytes; undefined = neither gzip nor zip. */
function archiveFormat(bytes) {
    if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b)
        return 'tgz';
    if (bytes.length >= 4 && bytes.readUInt32LE(0) === 0x04034b50)
        return 'zip';
    if (bytes.length >= 4 && bytes.readUInt32LE(0) === 0x06054b50)
        return 'zip';
    return undefined;
}
function readArchive(bytes, limits) {
    const format = archiveFormat(bytes);
    if (format === 'tgz')
        return readTar(gunzipBounded(bytes, limits), limits);
    if (format === 'zip')
        return readZip(bytes, limits);
    throw new ArchiveError('the package is neither a gzip\'d tar (.tgz, .tar.gz) nor a zip');
}
function gunzipBounded(bytes, limits) {
    try {
        // Tar headers and padding add to the content: a little room above the unpacked limit.
        return (0,external_node_zlib_.gunzipSync)(bytes, { maxOutputLength: limits.maxUnpackedBytes + 1024 * 1024 });
    }
    catch (error) {
        const code = error.code;
        if (code === 'ERR_BUFFER_TOO_LARGE' || /Cannot create a Buffer larger|maxOutputLength/i.test(String(error))) {
            throw new ArchiveError(`the package unpacks to more than ${limits.maxUnpackedBytes} bytes (the limit is four times package-max-size)`);
        }
        throw new ArchiveError(`the package is not valid gzip: ${error instanceof Error ? error.message : String(error)}`);
    }
}
// ---------------------------------------------------------------- tar
function readTar(tar, limits) {
    const entries = [];
    let offset = 0;
    let paxPath;
    let paxLink;
    let globalPath;
    let longName;
    let longLink;
    let total = 0;
    while (offset + 512 <= tar.length) {
        const block = tar.subarray(offset, offset + 512);
        if (block.every((byte) => byte === 0))
            break;
        checkTarChecksum(block, offset);
        const size = readOctal(block, 124, 12);
        const type = String.fromCharCode(block[156] ?? 0x30);
        const dataStart = offset + 512;
        const dataEnd = dataStart + size;
        if (dataEnd > tar.length)
            throw new ArchiveError(`the tar ends inside an entry (at byte ${offset})`);
        const data = tar.subarray(dataStart, dataEnd);
        offset = dataStart + Math.ceil(size / 512) * 512;
        if (type === 'x' || type === 'g') {
            const records = parsePax(data);
            if (type === 'g')
                globalPath = records.get('path') ?? globalPath;
            else {
                paxPath = records.get('path');
                paxLink = records.get('linkpath');
            }
            continue;
        }
        if (type === 'L') {
            longName = data.toString('utf8').replace(/\0.*$/s, '');
            continue;
        }
        if (type === 'K') {
            longLink = data.toString('utf8').replace(/\0.*$/s, '');
            continue;
        }
        const prefix = cString(block, 345, 155);
        const shortName = cString(block, 0, 100);
        const name = paxPath ?? longName ?? (prefix !== '' ? `${prefix}/${shortName}` : shortName);
        const linkTarget = paxLink ?? longLink ?? cString(block, 157, 100);
        paxPath = paxLink = longName = longLink = undefined;
        void globalPath;
        const mode = readOctal(block, 100, 8) & 0o7777;
        if (entries.length >= limits.maxEntries)
            throw new ArchiveError(`the package holds more than ${limits.maxEntries} entries`);
        switch (type) {
            case '0':
            case '\0':
            case '7':
                total += size;
                if (total > limits.maxUnpackedBytes)
                    throw new ArchiveError(`the package unpacks to more than ${limits.maxUnpackedBytes} bytes (the limit is four times package-max-size)`);
                entries.push({ name, kind: 'file', mode, data: Buffer.from(data), linkTarget: '' });
                break;
            case '5':
                entries.push({ name, kind: 'dir', mode, data: Buffer.alloc(0), linkTarget: '' });
                break;
            case '2':
                entries.push({ name, kind: 'symlink', mode, data: Buffer.alloc(0), linkTarget });
                break;
            case '1':
                throw new ArchiveError(`"${name}" is a hard link, which imageship does not unpack: repack without hard links (npm pack and zip never make them)`);
            case '3':
            case '4':
            case '6':
                throw new ArchiveError(`"${name}" is a ${type === '6' ? 'FIFO' : 'device file'}, which has no place in an application package: remove it from the archive`);
            default:
                throw new ArchiveError(`"${name}" has tar entry type "${type}", which imageship does not unpack`);
        }
    }
    return entries;
}
function checkTarChecksum(block, offset) {
    const stored = readOctal(block, 148, 8);
    let sum = 0;
    for (let i = 0; i < 512; i++)
        sum += i >= 148 && i < 156 ? 0x20 : (block[i] ?? 0);
    if (sum !== stored)
        throw new ArchiveError(`the tar header at byte ${offset} has a wrong checksum: the archive is damaged`);
}
function readOctal(block, offset, length) {
    const field = block.subarray(offset, offset + length);
    // GNU base-256 for large numbers: the high bit of the first byte.
    if (((field[0] ?? 0) & 0x80) !== 0) {
        let value = 0;
        for (let i = 1; i < field.length; i++)
            value = value * 256 + (field[i] ?? 0);
        return value;
    }
    const text = field.toString('ascii').replace(/\0.*$/s, '').trim();
    return text === '' ? 0 : parseInt(text, 8);
}
function cString(block, offset, length) {
    const field = block.subarray(offset, offset + length);
    const end = field.indexOf(0);
    return field.subarray(0, end === -1 ? field.length : end).toString('utf8');
}
function parsePax(data) {
    const records = new Map();
    let offset = 0;
    while (offset < data.length) {
        const space = data.indexOf(0x20, offset);
        if (space === -1)
            break;
        const length = Number(data.subarray(offset, space).toString('ascii'));
        if (!Number.isSafeInteger(length) || length <= 0 || offset + length > data.length)
            throw new ArchiveError('a PAX header record is damaged');
        const record = data.subarray(space + 1, offset + length - 1).toString('utf8');
        const eq = record.indexOf('=');
        if (eq > 0)
            records.set(record.slice(0, eq), record.slice(eq + 1));
        offset += length;
    }
    return records;
}
// ---------------------------------------------------------------- zip
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_FILE_HEADER = 0x02014b50;
const LOCAL_FILE_HEADER = 0x04034b50;
function readZip(zip, limits) {
    const eocd = findEndOfCentralDirectory(zip);
    const count = zip.readUInt16LE(eocd + 10);
    let offset = zip.readUInt32LE(eocd + 16);
    if (count === 0xffff || offset === 0xffffffff)
        throw new ArchiveError('the zip is a ZIP64 archive, which imageship does not unpack: use a .tgz for packages over 4 GiB');
    if (count > limits.maxEntries)
        throw new ArchiveError(`the package holds more than ${limits.maxEntries} entries`);
    const entries = [];
    let total = 0;
    for (let i = 0; i < count; i++) {
        if (offset + 46 > zip.length || zip.readUInt32LE(offset) !== CENTRAL_FILE_HEADER)
            throw new ArchiveError('the zip\'s central directory is damaged');
        const flags = zip.readUInt16LE(offset + 8);
        const method = zip.readUInt16LE(offset + 10);
        const compressedSize = zip.readUInt32LE(offset + 20);
        const size = zip.readUInt32LE(offset + 24);
        const nameLength = zip.readUInt16LE(offset + 28);
        const extraLength = zip.readUInt16LE(offset + 30);
        const commentLength = zip.readUInt16LE(offset + 32);
        const madeBy = zip.readUInt16LE(offset + 4) >> 8;
        const external = zip.readUInt32LE(offset + 38);
        const localOffset = zip.readUInt32LE(offset + 42);
        // Bit 11: the name is UTF-8; otherwise CP437, whose printable ASCII part is the same.
        const name = zip.subarray(offset + 46, offset + 46 + nameLength).toString((flags & 0x800) !== 0 ? 'utf8' : 'latin1');
        offset += 46 + nameLength + extraLength + commentLength;
        if ((flags & 0x1) !== 0)
            throw new ArchiveError(`"${name}" is encrypted: imageship unpacks plain zips only`);
        // Unix mode in the high half of the external attributes when made on Unix (3); otherwise only the directory flag counts.
        const unixMode = madeBy === 3 ? external >>> 16 : 0;
        const fileType = unixMode & 0o170000;
        const isDir = name.endsWith('/') || fileType === 0o040000 || (madeBy !== 3 && (external & 0x10) !== 0);
        if (fileType !== 0 && fileType !== 0o100000 && fileType !== 0o040000 && fileType !== 0o120000) {
            throw new ArchiveError(`"${name}" is a special file (a device, FIFO or socket), which has no place in an application package: remove it from the archive`);
        }
        if (entries.length >= limits.maxEntries)
            throw new ArchiveError(`the package holds more than ${limits.maxEntries} entries`);
        if (isDir) {
            entries.push({ name, kind: 'dir', mode: unixMode & 0o7777 || 0o755, data: Buffer.alloc(0), linkTarget: '' });
            continue;
        }
        total += size;
        if (total > limits.maxUnpackedBytes)
            throw new ArchiveError(`the package unpacks to more than ${limits.maxUnpackedBytes} bytes (the limit is four times package-max-size)`);
        const data = readZipData(zip, localOffset, method, compressedSize, size, name);
        if (fileType === 0o120000)
            entries.push({ name, kind: 'symlink', mode: 0o777, data: Buffer.alloc(0), linkTarget: data.toString('utf8') });
        else
            entries.push({ name, kind: 'file', mode: unixMode & 0o7777 || 0o644, data, linkTarget: '' });
    }
    return entries;
}
function findEndOfCentralDirectory(zip) {
    // The record is 22 bytes plus a comment of up to 65535.
    const stop = Math.max(0, zip.length - 22 - 0xffff);
    for (let i = zip.length - 22; i >= stop; i--) {
        if (zip.readUInt32LE(i) === END_OF_CENTRAL_DIRECTORY)
            return i;
    }
    throw new ArchiveError('the zip has no end-of-central-directory record: the archive is damaged or cut short');
}
function readZipData(zip, localOffset, method, compressedSize, size, name) {
    if (localOffset + 30 > zip.length || zip.readUInt32LE(localOffset) !== LOCAL_FILE_HEADER)
        throw new ArchiveError(`"${name}": the zip's local header is damaged`);
    const start = localOffset + 30 + zip.readUInt16LE(localOffset + 26) + zip.readUInt16LE(localOffset + 28);
    if (start + compressedSize > zip.length)
        throw new ArchiveError(`"${name}": the zip ends inside this entry`);
    const raw = zip.subarray(start, start + compressedSize);
    let data;
    if (method === 0)
        data = Buffer.from(raw);
    else if (method === 8) {
        try {
            // The central directory's size bounds the output: a lying entry cannot inflate past it.
            data = (0,external_node_zlib_.inflateRawSync)(raw, { maxOutputLength: Math.max(size, 1) });
        }
        catch (error) {
            throw new ArchiveError(`"${name}" does not inflate to the ${size} bytes the zip promises: ${error instanceof Error ? error.message : String(error)}`);
        }
    }
    else
        throw new ArchiveError(`"${name}" uses zip compression method ${method}; imageship unpacks stored and deflated entries`);
    if (data.length !== size)
        throw new ArchiveError(`"${name}" unpacks to ${data.length} bytes, not the ${size} the zip promises`);
    return data;
}

;// CONCATENATED MODULE: ./build/src/package/package-content.js



/** A package that cannot be placed safely: the message says which entry and why. */
class PackageContentError extends errors/* ImageshipError */.K {
    name = 'PackageContentError';
}
const MAX_ENTRIES = 200_000;
function packageContent(bytes, type, placement, maxBytes) {
    const root = normaliseEntryPath(placement.path.replace(/^\/+/, ''));
    if (placement.kind === 'file') {
        return { entries: [...ownDirectory(placement, root), { path: root, kind: 'file', mode: 0o644, data: bytes }], packageJson: undefined };
    }
    let archive;
    try {
        archive = readArchive(bytes, { maxUnpackedBytes: maxBytes * 4, maxEntries: MAX_ENTRIES });
    }
    catch (error) {
        if (error instanceof ArchiveError)
            throw new PackageContentError(`package: ${error.message}`);
        throw error;
    }
    // npm pack puts everything under package/: that directory is the package's root.
    const strip = type === 'node' && archive.length > 0 && archive.every((entry) => /^\.?\/?package(\/|$)/.test(entry.name)) ? /^\.?\/?package\/?/ : undefined;
    const entries = [...ownDirectory(placement, root)];
    const links = new Set();
    let packageJson;
    for (const entry of archive) {
        const relative = checkedPath(strip ? entry.name.replace(strip, '') : entry.name);
        if (relative === '')
            continue;
        const path = `${root}/${relative}`;
        for (const link of links) {
            if (path.startsWith(`${link}/`))
                throw new PackageContentError(`package: "${entry.name}" lies beneath the symbolic link "${link.slice(root.length + 1)}" of the same archive, which could write outside ${placement.path}: refused`);
        }
        if (entry.kind === 'symlink') {
            checkLinkTarget(entry, path, root, placement.path);
            links.add(path);
            entries.push({ path, kind: 'symlink', mode: 0o777, linkTarget: entry.linkTarget });
        }
        else if (entry.kind === 'dir') {
            entries.push({ path, kind: 'dir', mode: entry.mode || 0o755 });
        }
        else {
            entries.push({ path, kind: 'file', mode: entry.mode || 0o644, data: entry.data });
            if (relative === 'package.json')
                packageJson = parsePackageJson(entry.data);
        }
    }
    if (type === 'node' && packageJson === undefined) {
        throw new PackageContentError('package: package-type node, but the package has no package.json at its root (npm pack puts it at package/package.json): check the archive, or set package-type files');
    }
    return { entries, packageJson };
}
function checkedPath(name) {
    try {
        return normaliseEntryPath(name);
    }
    catch (error) {
        if (error instanceof EntryPathError)
            throw new PackageContentError(`package: entry ${error.message}: an archive entry must stay inside its target directory; refused (repack with relative paths)`);
        throw error;
    }
}
/** A link must resolve inside the target: relative to its own directory, or absolute under the target. */
function checkLinkTarget(entry, path, root, shown) {
    const target = entry.linkTarget;
    const base = target.startsWith('/') ? '' : path.split('/').slice(0, -1).join('/');
    let resolved;
    try {
        resolved = normaliseEntryPath(`${base}/${target}`.replace(/^\/+/, ''));
    }
    catch {
        resolved = '';
    }
    if (resolved !== root && !resolved.startsWith(`${root}/`)) {
        throw new PackageContentError(`package: "${entry.name}" is a symbolic link to "${target}", outside ${shown}: refused (a package's links must stay inside it)`);
    }
}
/** The target directory itself where imageship introduces it, so its owner is the image's user. */
function ownDirectory(placement, root) {
    if (!placement.ownsDirectory)
        return [];
    const directory = placement.kind === 'file' ? root.split('/').slice(0, -1).join('/') : root;
    return directory === '' ? [] : [{ path: directory, kind: 'dir', mode: 0o755 }];
}
function parsePackageJson(data) {
    try {
        const parsed = JSON.parse(data.toString('utf8'));
        return parsed !== null && typeof parsed === 'object' ? parsed : {};
    }
    catch {
        throw new PackageContentError('package: package.json is not valid JSON: fix it before packing');
    }
}

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./build/src/http/retry.js
var retry = __webpack_require__(6092);
;// CONCATENATED MODULE: ./build/src/package/obs-signer.js
/**
 * Huawei Cloud OBS header signing for an object GET (the `OBS` scheme the
 * official SDK sends by default): string to sign = METHOD, Content-MD5,
 * Content-Type and Date lines, the x-obs-* headers (lower-case, sorted), then
 * the canonical resource `/bucket/key` (the key percent-encoded as on the
 * wire, `/` kept); signature = base64(HMAC-SHA1(SK, string)), sent as
 * `Authorization: OBS AK:signature`. Temporary credentials add their token as
 * x-obs-security-token before signing. Reproduces
 * ../shared/vectors/huawei-obs-signing.json (obs-get-object, obs-get-object-sts).
 */

/** The key as it goes on the wire: each segment percent-encoded (RFC 3986 unreserved kept), `/` kept. */
function encodeObjectKey(key) {
    return key
        .split('/')
        .map((segment) => encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`))
        .join('/');
}
/** RFC 1123 in GMT, as the Date header carries it. */
function httpDate(now) {
    return now.toUTCString();
}
/** Headers for a signed GET of bucket/key at `now` (plus any extra x-obs-* headers, which are signed too). */
function signObsGet(bucket, key, credentials, now, extra = {}) {
    const date = httpDate(now);
    const obsHeaders = {};
    for (const [name, value] of Object.entries(extra))
        if (name.toLowerCase().startsWith('x-obs-'))
            obsHeaders[name.toLowerCase()] = value;
    if (credentials.securityToken !== '')
        obsHeaders['x-obs-security-token'] = credentials.securityToken;
    const canonicalHeaders = Object.keys(obsHeaders)
        .sort()
        .map((name) => `${name}:${obsHeaders[name].trim()}\n`)
        .join('');
    const stringToSign = `GET\n\n\n${date}\n${canonicalHeaders}/${bucket}/${encodeObjectKey(key)}`;
    const signature = (0,external_node_crypto_.createHmac)('sha1', credentials.secretKey).update(stringToSign, 'utf8').digest('base64');
    return {
        headers: { ...extra, ...obsHeaders, Date: date, Authorization: `OBS ${credentials.accessKey}:${signature}` },
        stringToSign,
    };
}

// EXTERNAL MODULE: ./build/src/package/source-name.js
var source_name = __webpack_require__(6385);
;// CONCATENATED MODULE: ./build/src/package/package-source.js
/**
 * Gets the package's bytes: a local file, an https:// download or an OBS
 * object (a signed GET). Downloads go through the run's transport (proxy,
 * custom CAs, timeouts) and its one retry policy (fetchWithRetry); a body
 * that breaks off is resumed with `Range: bytes=N-` (guarded by If-Range with
 * the first answer's ETag or Last-Modified, so a changed object starts over
 * rather than being stitched together). The size limit is enforced from the
 * Content-Length before a byte is read and again while reading; the
 * package-sha256 check runs on the complete bytes.
 */









/** A package that could not be fetched or was refused (size, checksum): one line naming the input. */
class PackageSourceError extends errors/* ImageshipError */.K {
    name = 'PackageSourceError';
}
/** Bodies that break off are resumed this many times before the download fails. */
const MAX_RESUMES = 4;
/** One attempt may take this long, body included: a package is larger than an API answer. */
const DOWNLOAD_ATTEMPT_MS = 10 * 60_000;
async function fetchPackage(options) {
    const { source } = options;
    const shown = (0,source_name/* describeSource */.B)(source);
    const fill = source.kind === 'local' ? await readLocal(source.path, options) : undefined;
    if (fill)
        await (options.sha256 === '' ? undefined : fill.done);
    const bytes = fill ? fill.bytes : await download(options, shown);
    if (options.sha256 === '') {
        options.log(`package ${shown}: ${bytes.length} bytes`);
        const sha256 = sha256InSlices([bytes], fill?.arrival);
        sha256.catch(() => undefined);
        return { bytes, ...(fill ? { fill } : {}), sha256, shown };
    }
    const sha256 = (0,external_node_crypto_.createHash)('sha256').update(bytes).digest('hex');
    if (sha256 !== options.sha256) {
        throw new PackageSourceError(`package-sha256: ${shown} has SHA-256 ${sha256}, not the expected ${options.sha256}: the package changed or the checksum is for another file; nothing was pushed`);
    }
    options.log(`package ${shown}: ${bytes.length} bytes, sha256:${sha256} (matches package-sha256)`);
    return { bytes, sha256: Promise.resolve(sha256), shown };
}
async function readLocal(path, options) {
    const full = (0,external_node_path_.isAbsolute)(path) ? path : (0,external_node_path_.resolve)(options.cwd, path);
    let size;
    try {
        const info = await (0,promises_.stat)(full);
        if (!info.isFile())
            throw new PackageSourceError(`package: ${path} is not a file: give the package file (a .jar, .war, .tgz or .zip)`);
        size = info.size;
    }
    catch (error) {
        if (error instanceof PackageSourceError)
            throw error;
        throw new PackageSourceError(`package: ${path} does not exist (relative to ${options.cwd}): check the path`);
    }
    if (size > options.maxBytes)
        throw tooLarge(path, size, options.maxBytes);
    // Read in the background, in large pieces (fs.promises.readFile's 512 KiB reads took 3× as long for a 20 MiB JAR).
    return FileFill.start(full, size, () => new PackageSourceError(`package: ${path} changed while it was read (it is no longer ${size} bytes): build the package before the run starts; nothing was pushed`));
}
function tooLarge(shown, size, maxBytes) {
    return new PackageSourceError(`package: ${shown} is ${typeof size === 'number' ? `${size} bytes` : size}, more than package-max-size (${maxBytes} bytes): raise package-max-size if the package really is that large`);
}
function targetOf(options) {
    const { source } = options;
    if (source.kind === 'https')
        return { url: source.url, headers: () => ({}) };
    if (source.kind !== 'obs')
        throw new Error('internal: not a download');
    const endpoint = new URL(source.endpoint);
    // A bucket host (bucket.obs.region.domain) takes the key as the path; an IP or localhost endpoint takes /bucket/key.
    const pathStyle = /^(\d+\.){3}\d+$|^\[|^localhost$/.test(endpoint.hostname);
    const base = source.endpoint.replace(/\/+$/, '');
    const url = pathStyle ? `${base}/${source.bucket}/${encodeObjectKey(source.key)}` : `${base}/${encodeObjectKey(source.key)}`;
    const credentials = source.credentials;
    return { url, headers: () => (credentials ? signObsGet(source.bucket, source.key, credentials, options.now()).headers : {}) };
}
async function download(options, shown) {
    const target = targetOf(options);
    const chunks = [];
    let received = 0;
    let validator;
    let total;
    // A resume goes straight to where a redirect led (a plain https source; a signed OBS GET is signed for its own URL).
    let url = target.url;
    for (let resumes = 0;; resumes++) {
        const headers = target.headers();
        if (received > 0) {
            headers['Range'] = `bytes=${received}-`;
            if (validator !== undefined)
                headers['If-Range'] = validator;
        }
        const operation = `download package ${shown}`;
        const response = await (0,retry/* fetchWithRetry */.J5)(options.fetch, { url, method: 'GET', headers, operation }, { ...options.retry, timeoutMs: options.retry?.timeoutMs ?? DOWNLOAD_ATTEMPT_MS }).catch((error) => {
            throw new PackageSourceError(`package: ${error instanceof Error ? error.message : String(error)}`);
        });
        if (received > 0 && response.status === 200) {
            // The server ignored the range (or the object changed under If-Range): the whole body again.
            options.log(`package ${shown}: the server sent the whole object again instead of the rest; starting over`);
            chunks.length = 0;
            received = 0;
        }
        else if (received > 0 && response.status !== 206) {
            await response.body?.cancel();
            throw new PackageSourceError(`package: resuming ${shown} at byte ${received} got HTTP ${response.status}: try again`);
        }
        else if (received === 0 && response.status !== 200) {
            throw new PackageSourceError(await refusal(response, shown, options.source));
        }
        if (received === 0) {
            if (options.source.kind === 'https' && response.url)
                url = response.url;
            validator = response.headers.get('etag') ?? response.headers.get('last-modified') ?? undefined;
            const length = Number(response.headers.get('content-length') ?? Number.NaN);
            total = Number.isSafeInteger(length) ? length : undefined;
            if (total !== undefined && total > options.maxBytes) {
                await response.body?.cancel();
                throw tooLarge(shown, total, options.maxBytes);
            }
        }
        else {
            const range = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(response.headers.get('content-range') ?? '');
            if (!range || Number(range[1]) !== received) {
                await response.body?.cancel();
                throw new PackageSourceError(`package: resuming ${shown} at byte ${received}, the server answered ${response.headers.get('content-range') ?? 'no Content-Range'}: try again`);
            }
        }
        const reader = response.body?.getReader();
        if (!reader)
            throw new PackageSourceError(`package: ${shown} came without a body`);
        try {
            for (;;) {
                const { done, value } = await reader.read();
                if (done)
                    break;
                received += value.byteLength;
                if (received > options.maxBytes) {
                    await reader.cancel();
                    throw tooLarge(shown, `more than ${options.maxBytes} bytes (the server did not say how large)`, options.maxBytes);
                }
                chunks.push(Buffer.from(value));
            }
            if (total !== undefined && received < total)
                throw new Error(`the body ended at byte ${received} of ${total}`);
            return Buffer.concat(chunks);
        }
        catch (error) {
            if (error instanceof PackageSourceError)
                throw error;
            if (resumes >= MAX_RESUMES) {
                throw new PackageSourceError(`package: downloading ${shown} broke off ${resumes + 1} times (last at byte ${received}): ${error instanceof Error ? error.message : String(error)}`);
            }
            options.log(`package ${shown}: the download broke off at byte ${received} (${error instanceof Error ? error.message : String(error)}); resuming from there`);
        }
    }
}
/** One line for a refused download, with OBS's error code when the answer carries one. */
async function refusal(response, shown, source) {
    let body = '';
    try {
        body = (await response.text()).slice(0, 4096);
    }
    catch {
        // The status alone still says enough.
    }
    const code = /<Code>([^<]+)<\/Code>/.exec(body)?.[1];
    const fix = response.status === 404
        ? 'check the URL or the bucket and key'
        : response.status === 403 || response.status === 401
            ? source.kind === 'obs'
                ? 'check access-key/secret-key (and security-token for temporary keys), the clock, and that the key may read the object (obs:object:GetObject)'
                : 'the server refused the download: check the URL\'s token'
            : 'try again later';
    return `package: downloading ${shown} got HTTP ${response.status}${code ? ` (${code})` : ''}: ${fix}`;
}

;// CONCATENATED MODULE: ./build/src/package/run-package.js





async function runPackage(request) {
    const { settings, ports } = request;
    const log = (line) => ports.logger.info(ports.secrets.redact(line));
    for (const [name, value] of settings.env) {
        // Secrets known only at run time (env fallbacks, tokens) are checked here, before anything is fetched or pushed.
        if (value.length >= 4 && ports.secrets.redact(value) !== value) {
            throw new Error(`env: ${name} holds one of this run's secrets: it would be baked into the image for anyone who can pull it; pass it to the container at run time instead`);
        }
    }
    const created = request.sourceDateEpoch ?? new Date(0);
    const createdIso = created.toISOString().replace(/\.000Z$/, 'Z');
    // The base is resolved, and its blobs put in the destination repository, while the package is fetched and its layer written.
    const base = settings.baseImage;
    const baseReference = base.digest ?? base.tag ?? 'latest';
    const baseName = `${base.registry}/${base.repository}${base.tag ? `:${base.tag}` : ''}${base.digest ? `@${base.digest}` : ''}`;
    const [baseClient, destinationClient] = await Promise.all([request.clients.clientFor(base.registry), request.clients.clientFor(request.destination.registry)]);
    const baseRequest = {
        base: { client: baseClient, repository: base.repository, reference: baseReference, shown: baseName },
        destination: { client: destinationClient, repository: request.destination.repository },
        platforms: request.platforms,
        log,
        ...(request.concurrency === undefined ? {} : { concurrency: request.concurrency }),
    };
    const prepared = prepareBase(baseRequest);
    prepared.catch(() => undefined);
    const fetched = await fetchPackage({
        source: settings.source,
        maxBytes: settings.maxBytes,
        sha256: settings.sha256,
        fetch: ports.fetch,
        now: () => ports.clock.now(),
        cwd: request.cwd,
        log,
    });
    const placement = (0,package_defaults/* placementFor */.$0)(settings.type, settings.workdir);
    // A single file (jar, war) goes into the layer as it is read; an archive is unpacked once all of it is in.
    if (placement.kind !== 'file')
        await fetched.fill?.done;
    const content = packageContent(fetched.bytes, settings.type, placement, settings.maxBytes);
    const owner = numericOwner(settings.user);
    if (settings.user !== '' && owner === undefined) {
        ports.logger.warn(`user: "${settings.user}" is a name, not uid[:gid]: the package files belong to root (readable by everyone); give a numeric uid:gid to make them the user's`);
    }
    const layerOptions = { mtime: Math.floor(created.getTime() / 1000), uid: owner?.uid ?? 0, gid: owner?.gid ?? 0 };
    // The package passed its checks: the destination's upload sessions open while the layer is laid out.
    const uploads = openUploads(baseRequest.destination);
    try {
        const layer = fetched.fill ? await buildLayerAsFilled(content.entries, layerOptions, fetched.fill) : buildLayer(content.entries, layerOptions);
        // The three hashes are computed while the layer goes up: the blob's names the upload when it closes, the
        // diff id and the package's digest are wanted only by the config.
        const layerDigest = blobDigestOf(layer);
        layerDigest.then((digest) => log(`layer ${digest}: ${layer.entries.length} entries into ${placement.path}, ${layer.size} bytes gzip'd`), () => undefined);
        const packageSha256 = fetched.sha256.then((sha256) => {
            if (settings.sha256 === '')
                log(`package ${fetched.shown}: sha256:${sha256}`);
            return sha256;
        });
        const start = (0,package_defaults/* defaultStart */.QO)(settings.type, content.packageJson);
        // The user's entrypoint replaces the type's start entirely; a user cmd alone becomes the arguments of the type's entrypoint.
        const entrypoint = settings.entrypoint ?? start.entrypoint;
        const cmd = settings.entrypoint !== undefined ? settings.cmd : (settings.cmd ?? start.cmd);
        const labels = request.labels.map(([name, value]) => [name, name === 'org.opencontainers.image.created' ? createdIso : value]);
        const changes = packageSha256.then((sha256) => ({
            created: createdIso,
            entrypoint,
            cmd,
            workdir: settings.workdir || placement.workdir,
            env: settings.env,
            expose: settings.expose,
            user: settings.user,
            labels: [
                ...labels,
                ...(settings.name !== '' ? [['io.imageship.package.name', settings.name]] : []),
                ...(settings.version !== '' ? [['io.imageship.package.version', settings.version]] : []),
                ['io.imageship.package.sha256', sha256],
            ],
            createdBy: `imageship package ${settings.type} ${fetched.shown.replace(/^.*[/\\]/, '')} → ${placement.path}`,
            baseName,
        }));
        const diffId = diffIdOf(layer);
        // Awaited by assembleImage unless it failed first: no unhandled rejection either way.
        diffId.catch(() => undefined);
        changes.catch(() => undefined);
        const result = await assembleImage({ ...baseRequest, layer, layerDigest, diffId, changes, tags: request.tags, uploads }, prepared).catch(async (error) => {
            // A package that changed while it was read fails its upload and its hashes: say so, not how the upload broke off.
            throw (await fetched.fill?.done.then(() => undefined, (failure) => failure)) ?? error;
        });
        ports.logger.info(`${result.digest}: ${result.platforms.join(', ')} on ${baseName}; base blobs ${result.baseBlobs.copied} copied (${result.baseBlobs.bytesCopied} bytes), ${result.baseBlobs.mounted} mounted, ${result.baseBlobs.skipped} already there`);
        return result;
    }
    finally {
        await cancelUploads(uploads);
    }
}
/** `1000` or `1000:1000` → ids; a name → undefined (the base's /etc/passwd is not read). */
function numericOwner(user) {
    const match = /^(\d+)(?::(\d+))?$/.exec(user);
    if (!match)
        return undefined;
    const uid = Number(match[1]);
    return { uid, gid: match[2] === undefined ? uid : Number(match[2]) };
}


/***/ })

};
