/**
 * Runs a retention policy against a repository: list its tags, select with
 * select.ts, print what is kept and deleted and why, then delete (unless dry
 * run). Two backends: the SWR management API, and the registry API of any
 * other registry.
 */
import type { HuaweiApiClient } from '../cloud/huawei/api-client.js';
import { deleteRepositoryTag, listRepositoryTags } from '../cloud/huawei/swr.js';
import type { Logger } from '../ports.js';
import type { RegistryClient } from '../registry/client.js';
import { isValidTag } from '../domain/image/reference.js';
import { RegistryError } from '../registry/registry-error.js';
import { describeRetention, type RetentionPolicy } from '../domain/retention/policy.js';
import { selectForDeletion, type DatedTag } from './select.js';

export type { DatedTag } from './select.js';

export interface RetentionBackend {
  /** Names the repository in messages. */
  readonly name?: string;
  listTags(): Promise<DatedTag[]>;
  /** Deletes `tag`; a tag that is already gone is not an error. */
  deleteTag(tag: string): Promise<void>;
  /**
   * Deleting a tag deletes its manifest, and so every tag on the same digest
   * (the registry API). applyRetention then deletes a digest only when all of
   * its tags are to go, and calls deleteTag once per digest.
   */
  readonly deletesByDigest?: boolean;
}

export interface ApplyRetentionOptions {
  /** Print the plan, delete nothing. */
  dryRun: boolean;
  log: Pick<Logger, 'info' | 'warn'>;
}

export interface RetentionResult {
  /** Tags left in place, newest first. */
  kept: string[];
  /** Tags deleted ([] in a dry run). */
  deleted: string[];
  /** Tags the policy selected for deletion (what a dry run would have deleted). */
  planned: string[];
}

export async function applyRetention(
  backend: RetentionBackend,
  policy: RetentionPolicy,
  protectedTags: readonly string[],
  now: Date,
  options: ApplyRetentionOptions,
): Promise<RetentionResult> {
  const { log, dryRun } = options;
  const name = backend.name ?? 'repository';
  const tags = usableTags(await backend.listTags(), (tag) => tag.tag, name, log);
  const selection = selectForDeletion(tags, policy, protectedTags, now);
  const keep = new Set(selection.keep);
  const reasons = selection.reasons;

  // By digest: a manifest goes only when every tag on it goes.
  const groups = new Map<string, string[]>();
  if (backend.deletesByDigest) {
    const digestOf = new Map(tags.map((tag) => [tag.tag, tag.digest] as const));
    for (const tag of tags) {
      if (tag.digest === undefined) continue;
      const group = groups.get(tag.digest) ?? [];
      if (!group.includes(tag.tag)) group.push(tag.tag);
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
        log.warn(
          `retention ${name}: keeping ${tag}: it shares manifest ${shortDigest(digest)} with ${keptSharers.join(', ')}, ` +
            'which stay; deleting the manifest would delete every tag on it',
        );
      }
    }
  }
  const order = [...selection.keep, ...selection.delete];
  const kept = order.filter((tag) => keep.has(tag));
  const planned = selection.delete.filter((tag) => !keep.has(tag));

  log.info(
    `retention ${name}: ${describeRetention(policy)} — ${order.length} ${order.length === 1 ? 'tag' : 'tags'}: ` +
      `keep ${kept.length}, ${dryRun ? 'would delete' : 'delete'} ${planned.length}${dryRun ? ' (dry run: nothing is deleted)' : ''}`,
  );
  for (const tag of kept) log.info(`  keep   ${tag} (${reasons.get(tag) ?? ''})`);
  for (const tag of planned) log.info(`  ${dryRun ? 'would delete' : 'delete'} ${tag} (${reasons.get(tag) ?? ''})`);
  if (dryRun || planned.length === 0) return { kept, deleted: [], planned };

  // One call per tag, or per digest when deleting one tag deletes its digest.
  const batches: string[][] = [];
  const batched = new Set<string>();
  const tagDigest = new Map(tags.map((tag) => [tag.tag, tag.digest] as const));
  for (const tag of planned) {
    if (batched.has(tag)) continue;
    const digest = tagDigest.get(tag);
    const group = backend.deletesByDigest && digest !== undefined ? (groups.get(digest) ?? [tag]) : [tag];
    const batch = planned.filter((t) => group.includes(t));
    batch.forEach((t) => batched.add(t));
    batches.push(batch);
  }
  const deleted: string[] = [];
  for (const [index, batch] of batches.entries()) {
    const first = batch[0] as string;
    try {
      await backend.deleteTag(first);
    } catch (error) {
      const notAttempted = batches.slice(index + 1).flat();
      const cause = error instanceof Error ? error.message : String(error);
      throw new Error(
        `retention ${name}: could not delete ${batch.join(', ')}: ${cause}` +
          ` (deleted before this: ${deleted.length > 0 ? deleted.join(', ') : 'none'}` +
          `${notAttempted.length > 0 ? `; not attempted: ${notAttempted.join(', ')}` : ''})`,
        { cause: error },
      );
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
export function usableTags<T>(tags: readonly T[], tagOf: (tag: T) => string, name: string, log: Pick<Logger, 'warn'> | undefined): T[] {
  const usable = tags.filter((tag) => isValidTag(tagOf(tag)));
  const skipped = tags.length - usable.length;
  if (skipped > 0) {
    const example = tagOf(tags.find((tag) => !isValidTag(tagOf(tag))) as T);
    const shown = example.length > 64 ? `${example.slice(0, 64)}… (${example.length} characters)` : example;
    log?.warn(
      `retention ${name}: the registry listed ${skipped} ${skipped === 1 ? 'tag' : 'tags'} that ${skipped === 1 ? 'is' : 'are'} not a valid tag ` +
        `(at most 128 characters of letters, digits, '_', '.' and '-'), e.g. ${JSON.stringify(shown)}: skipped (kept, never matched or deleted)`,
    );
  }
  return usable;
}

// ---------------------------------------------------------------- SWR

/** Tags and their times from the SWR management API; each tag is deleted on its own. */
export function swrRetentionBackend(client: HuaweiApiClient, namespace: string, repository: string): RetentionBackend {
  return {
    name: `SWR ${client.region} ${namespace}/${repository}`,
    listTags: async () =>
      (await listRepositoryTags(client, namespace, repository)).map((tag) => ({
        tag: tag.tag,
        created: tag.created,
        ...(tag.digest === undefined ? {} : { digest: tag.digest }),
      })),
    deleteTag: async (tag) => {
      await deleteRepositoryTag(client, namespace, repository, tag);
    },
  };
}

// ---------------------------------------------------------------- any registry

export interface RegistryRetentionOptions {
  /** Warnings about tags whose creation time cannot be read (they are kept). */
  log?: Pick<Logger, 'warn'>;
}

/** How many tags are looked up at once. */
const LOOKUP_CONCURRENCY = 4;

/**
 * Tags from `GET /v2/<repo>/tags/list`, each tag's digest from its manifest
 * and its creation time from the image config's `created`. Deleting is
 * `DELETE /v2/<repo>/manifests/<digest>`: it removes the manifest and every
 * tag on it, and needs deletion enabled on the registry (`storage.delete.enabled`).
 */
export function registryRetentionBackend(
  registryClient: RegistryClient,
  repository: string,
  access: RegistryRetentionOptions = {},
): RetentionBackend {
  const registry = registryClient.registry;
  const name = `${registry}/${repository}`;
  const digests = new Map<string, string>();

  const listTags = async (): Promise<DatedTag[]> => {
    const names = usableTags(await registryClient.listTags(repository), (tag) => tag, name, access.log);
    const createdByDigest = new Map<string, Promise<Date>>();
    const createdOf = (digest: string): Promise<Date> => {
      let pending = createdByDigest.get(digest);
      if (pending === undefined) {
        pending = registryClient.getImageConfig(repository, digest).then(
          (config: unknown) => readCreated(config),
          (error: unknown) => {
            access.log?.warn(`retention ${name}: cannot read the image config of ${shortDigest(digest)} (kept): ${messageOf(error)}`);
            return new Date(Number.NaN);
          },
        );
        createdByDigest.set(digest, pending);
      }
      return pending;
    };
    const found = await mapLimit(names, LOOKUP_CONCURRENCY, async (tag): Promise<DatedTag | undefined> => {
      const info = await registryClient.headManifest(repository, tag);
      if (info === undefined) return undefined; // deleted since the listing
      digests.set(tag, info.digest);
      const created = await createdOf(info.digest);
      if (Number.isNaN(created.getTime())) access.log?.warn(`retention ${name}: ${tag} has no readable "created" time (kept)`);
      return { tag, created, digest: info.digest };
    });
    return found.filter((tag): tag is DatedTag => tag !== undefined);
  };

  const deleteTag = async (tag: string): Promise<void> => {
    let digest = digests.get(tag);
    if (digest === undefined) {
      const info = await registryClient.headManifest(repository, tag);
      if (info === undefined) return; // already gone
      digest = info.digest;
    }
    await deleteManifest(digest, tag);
  };

  const deleteManifest = async (digest: string, tag: string): Promise<void> => {
    try {
      await registryClient.deleteManifest(repository, digest, `tag ${tag}`);
    } catch (error) {
      if (error instanceof RegistryError && error.status === 405) {
        throw new RegistryError(`${error.message}; where deletion cannot be enabled, remove the retention input`, {
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
function readCreated(config: unknown): Date {
  const created = (config as { created?: unknown } | null)?.created;
  return typeof created === 'string' ? new Date(created) : new Date(Number.NaN);
}

async function mapLimit<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

function shortDigest(digest: string): string {
  const colon = digest.indexOf(':');
  return `${digest.slice(0, colon + 1)}${digest.slice(colon + 1, colon + 13)}`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
