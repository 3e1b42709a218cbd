/**
 * Which tags a retention policy deletes. Pure: the same tags, policy and
 * clock always give the same answer, and every tag gets a reason.
 *
 * - Tags pushed by this run (`protectedTags`) are never deleted.
 * - With tag-pattern, tags it does not match are kept; the rest are the candidates.
 * - A tag without a readable creation time is kept (nothing to judge it by).
 * - Candidates are ordered newest first (ties by tag name). keep-last=N keeps
 *   the first N, and any candidate exactly as new as the N-th (a tie is never
 *   broken by deleting one of two equally new tags). max-age-days=D keeps
 *   candidates at most D days old ("kept longer than D days" is what SWR's
 *   age rule deletes).
 * - Each rule deletes on its own, as SWR's aging rules do: with both, a
 *   candidate is deleted when either rule deletes it (kept only when both keep it).
 */
import type { RetentionPolicy } from '../domain/retention/policy.js';

export interface DatedTag {
  tag: string;
  created: Date;
  /** Manifest digest, when the backend knows it. */
  digest?: string;
}

export interface RetentionSelection {
  /** Newest first. */
  keep: string[];
  /** Newest first. */
  delete: string[];
  /** Why, for every tag in keep and delete. */
  reasons: Map<string, string>;
}

const DAY_MS = 86_400_000;

export function selectForDeletion(
  tags: readonly DatedTag[],
  policy: RetentionPolicy,
  protectedTags: readonly string[],
  now: Date,
): RetentionSelection {
  const reasons = new Map<string, string>();
  const keep = new Set<string>();
  const remove = new Set<string>();
  const protectedSet = new Set(protectedTags);

  const unique = new Map<string, DatedTag>();
  for (const tag of tags) if (!unique.has(tag.tag)) unique.set(tag.tag, tag);
  const ordered = [...unique.values()].sort(newestFirst);

  const candidates: DatedTag[] = [];
  for (const tag of ordered) {
    if (protectedSet.has(tag.tag)) {
      keep.add(tag.tag);
      reasons.set(tag.tag, 'pushed by this run');
    } else if (policy.tagPattern !== undefined && !policy.tagPattern.test(tag.tag)) {
      keep.add(tag.tag);
      reasons.set(tag.tag, `does not match tag-pattern ${policy.tagPatternSource ?? policy.tagPattern.source}`);
    } else if (Number.isNaN(tag.created.getTime())) {
      keep.add(tag.tag);
      reasons.set(tag.tag, 'creation time unknown');
    } else {
      candidates.push(tag);
    }
  }

  const boundary =
    policy.keepLast !== undefined && candidates.length > policy.keepLast
      ? (candidates[policy.keepLast - 1] as DatedTag).created.getTime()
      : undefined;

  candidates.forEach((candidate, index) => {
    const kept: string[] = [];
    const deleted: string[] = [];
    if (policy.keepLast !== undefined) {
      const n = policy.keepLast;
      if (index < n) kept.push(`#${index + 1} of the ${n} newest`);
      else if (candidate.created.getTime() === boundary) kept.push(`as new as #${n} of the ${n} newest`);
      else deleted.push(`not among the ${n} newest`);
    }
    if (policy.maxAgeDays !== undefined) {
      const ageMs = now.getTime() - candidate.created.getTime();
      const age = ageMs < 0 ? 'dated in the future (clock skew)' : `${describeAge(ageMs)} old`;
      if (ageMs <= policy.maxAgeDays * DAY_MS) kept.push(`${age}, within ${policy.maxAgeDays} days`);
      else deleted.push(`${age}, more than ${policy.maxAgeDays} days`);
    }
    if (deleted.length > 0) {
      remove.add(candidate.tag);
      reasons.set(candidate.tag, deleted.join('; '));
    } else {
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
function newestFirst(a: DatedTag, b: DatedTag): number {
  const ta = a.created.getTime();
  const tb = b.created.getTime();
  const na = Number.isNaN(ta);
  const nb = Number.isNaN(tb);
  if (na !== nb) return na ? 1 : -1;
  if (!na && ta !== tb) return tb - ta;
  return a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0;
}

function describeAge(ms: number): string {
  const days = Math.floor(ms / DAY_MS);
  if (days >= 1) return `${days} ${days === 1 ? 'day' : 'days'}`;
  const hours = Math.floor(ms / 3_600_000);
  return `${hours} ${hours === 1 ? 'hour' : 'hours'}`;
}
