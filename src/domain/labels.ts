import type { SourceContext } from './source-context.js';
import { compileTemplate, expandTemplate, SOURCE_TEMPLATE_NAMES, type Template, type TemplateContext } from './tags/index.js';

/**
 * The OCI annotations docker/metadata-action computes for both its `labels`
 * and `annotations` outputs: title, description, url, source, version,
 * created, revision and licenses, each present even when empty. imageship
 * reads the repository's name, description and license from what the CI
 * tells (the GitHub event payload; GitLab's CI_PROJECT_DESCRIPTION) instead
 * of calling the GitHub API.
 */
export function ociAnnotations(source: SourceContext, version: string, created: Date): [string, string][] {
  return [
    ['org.opencontainers.image.title', repositoryName(source.repositoryUrl)],
    ['org.opencontainers.image.description', source.repositoryDescription ?? ''],
    ['org.opencontainers.image.url', source.repositoryUrl],
    ['org.opencontainers.image.source', source.repositoryUrl],
    ['org.opencontainers.image.version', version],
    ['org.opencontainers.image.created', created.toISOString()],
    ['org.opencontainers.image.revision', source.sha],
    ['org.opencontainers.image.licenses', source.repositoryLicense ?? ''],
  ];
}

/** A `labels` or `annotations` line: the name, and its value as a template (global expressions allowed). */
export type TemplatedEntry = readonly [string, Template];

/** Compiles `name=value` pairs whose values may hold templates; throws RuleSyntaxProblem for an unknown one. */
export function compileEntries(pairs: readonly (readonly [string, string])[]): TemplatedEntry[] {
  return pairs.map(([name, value]) => [name, compileTemplate(value, SOURCE_TEMPLATE_NAMES)] as const);
}

/**
 * The computed set with the user's entries over it (a user entry replaces the
 * computed one of the same name), sorted by name as metadata-action sorts
 * them. Used for the image labels and, with the `annotations` input, for the
 * annotations.
 */
export function withUserEntries(computed: readonly (readonly [string, string])[], user: readonly TemplatedEntry[], context: TemplateContext): [string, string][] {
  const merged = new Map<string, string>(computed);
  for (const [name, value] of user) merged.set(name, expandTemplate(value, context));
  return [...merged].sort(([a], [b]) => compareNames(a, b));
}

/**
 * ICU's en-US order (String#localeCompare, as metadata-action sorts), without
 * loading ICU's collation data (≈ 8 ms at start-up) for the names nearly
 * every label has: lowercase letters, digits, `.`, `_` and `-`. There every
 * character has a primary weight of its own (punctuation before digits
 * before letters; `_` < `-` < `.`), so comparing those weights in order is
 * the whole comparison. Any other character falls back to localeCompare.
 */
const PRIMARY_ORDER = new Map([...'_-.0123456789abcdefghijklmnopqrstuvwxyz'].map((character, weight) => [character, weight]));
const SIMPLE_NAME = /^[a-z0-9._-]*$/;

export function compareNames(a: string, b: string): number {
  if (!SIMPLE_NAME.test(a) || !SIMPLE_NAME.test(b)) return a.localeCompare(b, 'en-US');
  const shorter = Math.min(a.length, b.length);
  for (let i = 0; i < shorter; i++) {
    const difference = PRIMARY_ORDER.get(a[i]!)! - PRIMARY_ORDER.get(b[i]!)!;
    if (difference !== 0) return difference;
  }
  return a.length - b.length;
}

/** The last path segment of the repository's web URL (`https://github.com/octocat/Hello-World` → `Hello-World`). */
function repositoryName(url: string): string {
  return url.replace(/\/+$/, '').split('/').pop() ?? '';
}
