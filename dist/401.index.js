export const id = 401;
export const ids = [401];
export const modules = {

/***/ 9962:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   huaweiClientFor: () => (/* binding */ huaweiClientFor)
/* harmony export */ });
/* harmony import */ var _cloud_huawei_api_client_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8196);

/** A signed Huawei Cloud API client for `region` from the run's AK/SK, domain and endpoint overrides. */
function huaweiClientFor(config, ports, region) {
    if (!config.cloudCredentials)
        throw new Error('internal: Huawei Cloud API calls need access-key/secret-key, which the config checks');
    return new _cloud_huawei_api_client_js__WEBPACK_IMPORTED_MODULE_0__/* .HuaweiApiClient */ .Bt({
        credentials: config.cloudCredentials,
        region,
        domain: config.domain,
        endpoints: config.deploy.endpoints,
        fetch: ports.fetch,
        clock: ports.clock,
    });
}


/***/ }),

/***/ 2401:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  applyConfiguredRetention: () => (/* binding */ applyConfiguredRetention)
});

// EXTERNAL MODULE: ./build/src/app/huawei-client.js
var huawei_client = __webpack_require__(9962);
// EXTERNAL MODULE: ./build/src/cloud/huawei/swr.js
var swr = __webpack_require__(6993);
// EXTERNAL MODULE: ./build/src/domain/image/reference.js
var reference = __webpack_require__(1605);
// EXTERNAL MODULE: ./build/src/registry/registry-error.js
var registry_error = __webpack_require__(5613);
// EXTERNAL MODULE: ./build/src/domain/retention/policy.js + 1 modules
var retention_policy = __webpack_require__(4288);
;// CONCATENATED MODULE: ./build/src/retention/select.js
const DAY_MS = 86_400_000;
function selectForDeletion(tags, policy, protectedTags, now) {
    const reasons = new Map();
    const keep = new Set();
    const remove = new Set();
    const protectedSet = new Set(protectedTags);
    const unique = new Map();
    for (const tag of tags)
        if (!unique.has(tag.tag))
            unique.set(tag.tag, tag);
    const ordered = [...unique.values()].sort(newestFirst);
    const candidates = [];
    for (const tag of ordered) {
        if (protectedSet.has(tag.tag)) {
            keep.add(tag.tag);
            reasons.set(tag.tag, 'pushed by this run');
        }
        else if (policy.tagPattern !== undefined && !policy.tagPattern.test(tag.tag)) {
            keep.add(tag.tag);
            reasons.set(tag.tag, `does not match tag-pattern ${policy.tagPatternSource ?? policy.tagPattern.source}`);
        }
        else if (Number.isNaN(tag.created.getTime())) {
            keep.add(tag.tag);
            reasons.set(tag.tag, 'creation time unknown');
        }
        else {
            candidates.push(tag);
        }
    }
    const boundary = policy.keepLast !== undefined && candidates.length > policy.keepLast
        ? candidates[policy.keepLast - 1].created.getTime()
        : undefined;
    candidates.forEach((candidate, index) => {
        const kept = [];
        const deleted = [];
        if (policy.keepLast !== undefined) {
            const n = policy.keepLast;
            if (index < n)
                kept.push(`#${index + 1} of the ${n} newest`);
            else if (candidate.created.getTime() === boundary)
                kept.push(`as new as #${n} of the ${n} newest`);
            else
                deleted.push(`not among the ${n} newest`);
        }
        if (policy.maxAgeDays !== undefined) {
            const ageMs = now.getTime() - candidate.created.getTime();
            const age = ageMs < 0 ? 'dated in the future (clock skew)' : `${describeAge(ageMs)} old`;
            if (ageMs <= policy.maxAgeDays * DAY_MS)
                kept.push(`${age}, within ${policy.maxAgeDays} days`);
            else
                deleted.push(`${age}, more than ${policy.maxAgeDays} days`);
        }
        if (deleted.length > 0) {
            remove.add(candidate.tag);
            reasons.set(candidate.tag, deleted.join('; '));
        }
        else {
            keep.add(candidate.tag);
            reasons.set(candidate.tag, kept.join('; '));
        }
    });
    const names = ordered.map((tag) => tag.tag);
    return {
        keep: names.filter((name) => keep.has(name)),
        delete: names.filter((name) => remove.has(name)),
        reasons,
    };
}
/** Newest first; equal times by tag name; unknown times last. */
function newestFirst(a, b) {
    const ta = a.created.getTime();
    const tb = b.created.getTime();
    const na = Number.isNaN(ta);
    const nb = Number.isNaN(tb);
    if (na !== nb)
        return na ? 1 : -1;
    if (!na && ta !== tb)
        return tb - ta;
    return a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0;
}
function describeAge(ms) {
    const days = Math.floor(ms / DAY_MS);
    if (days >= 1)
        return `${days} ${days === 1 ? 'day' : 'days'}`;
    const hours = Math.floor(ms / 3_600_000);
    return `${hours} ${hours === 1 ? 'hour' : 'hours'}`;
}

;// CONCATENATED MODULE: ./build/src/retention/apply.js





async function applyRetention(backend, policy, protectedTags, now, options) {
    const { log, dryRun } = options;
    const name = backend.name ?? 'repository';
    const tags = usableTags(await backend.listTags(), (tag) => tag.tag, name, log);
    const selection = selectForDeletion(tags, policy, protectedTags, now);
    const keep = new Set(selection.keep);
    const reasons = selection.reasons;
    // By digest: a manifest goes only when every tag on it goes.
    const groups = new Map();
    if (backend.deletesByDigest) {
        const digestOf = new Map(tags.map((tag) => [tag.tag, tag.digest]));
        for (const tag of tags) {
            if (tag.digest === undefined)
                continue;
            const group = groups.get(tag.digest) ?? [];
            if (!group.includes(tag.tag))
                group.push(tag.tag);
            groups.set(tag.digest, group);
        }
        for (const tag of selection.delete) {
            const digest = digestOf.get(tag);
            if (digest === undefined) {
                keep.add(tag);
                reasons.set(tag, `${reasons.get(tag) ?? ''}; kept: its digest is unknown, and this registry deletes by digest`);
                log.warn(`retention ${name}: keeping ${tag}: its manifest digest is unknown, and this registry can only delete by digest`);
                continue;
            }
            const keptSharers = (groups.get(digest) ?? []).filter((other) => other !== tag && keep.has(other));
            if (keptSharers.length > 0) {
                reasons.set(tag, `${reasons.get(tag) ?? ''}; kept: shares digest ${shortDigest(digest)} with kept ${keptSharers.join(', ')}`);
                keep.add(tag);
                log.warn(`retention ${name}: keeping ${tag}: it shares manifest ${shortDigest(digest)} with ${keptSharers.join(', ')}, ` +
                    'which stay; deleting the manifest would delete every tag on it');
            }
        }
    }
    const order = [...selection.keep, ...selection.delete];
    const kept = order.filter((tag) => keep.has(tag));
    const planned = selection.delete.filter((tag) => !keep.has(tag));
    log.info(`retention ${name}: ${(0,retention_policy/* describeRetention */.u)(policy)} — ${order.length} ${order.length === 1 ? 'tag' : 'tags'}: ` +
        `keep ${kept.length}, ${dryRun ? 'would delete' : 'delete'} ${planned.length}${dryRun ? ' (dry run: nothing is deleted)' : ''}`);
    for (const tag of kept)
        log.info(`  keep   ${tag} (${reasons.get(tag) ?? ''})`);
    for (const tag of planned)
        log.info(`  ${dryRun ? 'would delete' : 'delete'} ${tag} (${reasons.get(tag) ?? ''})`);
    if (dryRun || planned.length === 0)
        return { kept, deleted: [], planned };
    // One call per tag, or per digest when deleting one tag deletes its digest.
    const batches = [];
    const batched = new Set();
    const tagDigest = new Map(tags.map((tag) => [tag.tag, tag.digest]));
    for (const tag of planned) {
        if (batched.has(tag))
            continue;
        const digest = tagDigest.get(tag);
        const group = backend.deletesByDigest && digest !== undefined ? (groups.get(digest) ?? [tag]) : [tag];
        const batch = planned.filter((t) => group.includes(t));
        batch.forEach((t) => batched.add(t));
        batches.push(batch);
    }
    const deleted = [];
    for (const [index, batch] of batches.entries()) {
        const first = batch[0];
        try {
            await backend.deleteTag(first);
        }
        catch (error) {
            const notAttempted = batches.slice(index + 1).flat();
            const cause = error instanceof Error ? error.message : String(error);
            throw new Error(`retention ${name}: could not delete ${batch.join(', ')}: ${cause}` +
                ` (deleted before this: ${deleted.length > 0 ? deleted.join(', ') : 'none'}` +
                `${notAttempted.length > 0 ? `; not attempted: ${notAttempted.join(', ')}` : ''})`, { cause: error });
        }
        deleted.push(...batch);
    }
    log.info(`retention ${name}: deleted ${deleted.length} ${deleted.length === 1 ? 'tag' : 'tags'}: ${deleted.join(', ')}`);
    return { kept, deleted, planned };
}
/**
 * Tags as the distribution spec allows them (at most 128 characters of
 * [A-Za-z0-9_.-]); anything else a registry lists is left alone, with one
 * warning: tag-pattern never runs on it, and it is never deleted.
 */
function usableTags(tags, tagOf, name, log) {
    const usable = tags.filter((tag) => (0,reference/* isValidTag */.r_)(tagOf(tag)));
    const skipped = tags.length - usable.length;
    if (skipped > 0) {
        const example = tagOf(tags.find((tag) => !(0,reference/* isValidTag */.r_)(tagOf(tag))));
        const shown = example.length > 64 ? `${example.slice(0, 64)}… (${example.length} characters)` : example;
        log?.warn(`retention ${name}: the registry listed ${skipped} ${skipped === 1 ? 'tag' : 'tags'} that ${skipped === 1 ? 'is' : 'are'} not a valid tag ` +
            `(at most 128 characters of letters, digits, '_', '.' and '-'), e.g. ${JSON.stringify(shown)}: skipped (kept, never matched or deleted)`);
    }
    return usable;
}
// ---------------------------------------------------------------- SWR
/** Tags and their times from the SWR management API; each tag is deleted on its own. */
function swrRetentionBackend(client, namespace, repository) {
    return {
        name: `SWR ${client.region} ${namespace}/${repository}`,
        listTags: async () => (await (0,swr.listRepositoryTags)(client, namespace, repository)).map((tag) => ({
            tag: tag.tag,
            created: tag.created,
            ...(tag.digest === undefined ? {} : { digest: tag.digest }),
        })),
        deleteTag: async (tag) => {
            await (0,swr.deleteRepositoryTag)(client, namespace, repository, tag);
        },
    };
}
/** How many tags are looked up at once. */
const LOOKUP_CONCURRENCY = 4;
/**
 * Tags from `GET /v2/<repo>/tags/list`, each tag's digest from its manifest
 * and its creation time from the image config's `created`. Deleting is
 * `DELETE /v2/<repo>/manifests/<digest>`: it removes the manifest and every
 * tag on it, and needs deletion enabled on the registry (`storage.delete.enabled`).
 */
function registryRetentionBackend(registryClient, repository, access = {}) {
    const registry = registryClient.registry;
    const name = `${registry}/${repository}`;
    const digests = new Map();
    const listTags = async () => {
        const names = usableTags(await registryClient.listTags(repository), (tag) => tag, name, access.log);
        const createdByDigest = new Map();
        const createdOf = (digest) => {
            let pending = createdByDigest.get(digest);
            if (pending === undefined) {
                pending = registryClient.getImageConfig(repository, digest).then((config) => readCreated(config), (error) => {
                    access.log?.warn(`retention ${name}: cannot read the image config of ${shortDigest(digest)} (kept): ${messageOf(error)}`);
                    return new Date(Number.NaN);
                });
                createdByDigest.set(digest, pending);
            }
            return pending;
        };
        const found = await mapLimit(names, LOOKUP_CONCURRENCY, async (tag) => {
            const info = await registryClient.headManifest(repository, tag);
            if (info === undefined)
                return undefined; // deleted since the listing
            digests.set(tag, info.digest);
            const created = await createdOf(info.digest);
            if (Number.isNaN(created.getTime()))
                access.log?.warn(`retention ${name}: ${tag} has no readable "created" time (kept)`);
            return { tag, created, digest: info.digest };
        });
        return found.filter((tag) => tag !== undefined);
    };
    const deleteTag = async (tag) => {
        let digest = digests.get(tag);
        if (digest === undefined) {
            const info = await registryClient.headManifest(repository, tag);
            if (info === undefined)
                return; // already gone
            digest = info.digest;
        }
        await deleteManifest(digest, tag);
    };
    const deleteManifest = async (digest, tag) => {
        try {
            await registryClient.deleteManifest(repository, digest, `tag ${tag}`);
        }
        catch (error) {
            if (error instanceof registry_error/* RegistryError */.gl && error.status === 405) {
                throw new registry_error/* RegistryError */.gl(`${error.message}; where deletion cannot be enabled, remove the retention input`, {
                    status: 405,
                    operation: error.operation,
                    ...(error.code === undefined ? {} : { code: error.code }),
                });
            }
            throw error;
        }
    };
    return { name, listTags, deleteTag, deletesByDigest: true };
}
/** The OCI/Docker config's `created` (RFC 3339), or an invalid Date when there is none. */
function readCreated(config) {
    const created = config?.created;
    return typeof created === 'string' ? new Date(created) : new Date(Number.NaN);
}
async function mapLimit(items, limit, work) {
    const results = new Array(items.length);
    let next = 0;
    const worker = async () => {
        while (next < items.length) {
            const index = next++;
            results[index] = await work(items[index]);
        }
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
    return results;
}
function shortDigest(digest) {
    const colon = digest.indexOf(':');
    return `${digest.slice(0, colon + 1)}${digest.slice(colon + 1, colon + 13)}`;
}
function messageOf(error) {
    return error instanceof Error ? error.message : String(error);
}

;// CONCATENATED MODULE: ./build/src/app/retention.js


/**
 * Applies the `retention` input to the destination repository: through the
 * SWR management API when the registry is SWR and the AK/SK are at hand
 * (SWR deletes single tags), else through the registry API (which deletes
 * manifests, so a digest goes only when all its tags are due).
 */
async function applyConfiguredRetention(config, ports, 
/** The run's client for the destination registry; asked for only when the registry API is used. */
registryClient, protectedTags, dryRun) {
    const policy = config.copy.retention;
    if (!policy)
        return undefined;
    const log = { info: (line) => ports.logger.info(line), warn: (line) => ports.logger.warn(line) };
    const useSwrApi = config.provider === 'huaweicloud' && config.cloudCredentials !== undefined && config.repository.includes('/');
    const backend = useSwrApi
        ? swrRetentionBackend((0,huawei_client.huaweiClientFor)(config, ports, config.region), namespaceOf(config.repository), imageOf(config.repository))
        : registryRetentionBackend(await registryClient(), config.repository, { log });
    return applyRetention(backend, policy, protectedTags, ports.clock.now(), { dryRun, log });
}
function namespaceOf(repository) {
    return repository.slice(0, repository.indexOf('/'));
}
function imageOf(repository) {
    return repository.slice(repository.indexOf('/') + 1);
}


/***/ })

};
