import { compileTemplate, parseFlavor, SOURCE_TEMPLATE_NAMES } from '../domain/tags/index.js';
import { parsePairs } from './read-values.js';
import type { MetadataSettings } from './types.js';

type Env = Readonly<Record<string, string | undefined>>;

/** Annotation names as labels have them; a `level:` prefix belongs in DOCKER_METADATA_ANNOTATIONS_LEVELS. */
const ANNOTATION_NAME = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;
/** BuildKit's annotation levels, optionally for some platforms only: `manifest[linux/amd64]`. */
const ANNOTATION_LEVEL = /^(manifest|index|manifest-descriptor|index-descriptor)(\[[a-z0-9]+\/[a-z0-9_]+(\/[a-z0-9]+)?(,[a-z0-9]+\/[a-z0-9_]+(\/[a-z0-9]+)?)*\])?$/;

/**
 * The `flavor`, `annotations` and `sep-*` inputs and docker/metadata-action's
 * environment variables (DOCKER_METADATA_*), plus SOURCE_DATE_EPOCH. Every
 * bad value is one problem line naming the input or variable and the fix.
 * Template syntax in `labels` is checked here too, before any side effect.
 */
export function parseMetadataSettings(get: (name: string) => string, env: Env, problems: string[]): MetadataSettings {
  const { flavor, errors } = parseFlavor(get('flavor'));
  problems.push(...errors);

  checkTemplates('labels', parsePairs('labels', get('labels'), /^.+$/, 'name', []), problems);
  const annotations = parsePairs('annotations', get('annotations'), ANNOTATION_NAME, 'name', problems);
  for (const [name] of annotations) {
    if (name.includes(':')) problems.push(`annotations: "${name}" has a level prefix: give the name only, and the levels in env DOCKER_METADATA_ANNOTATIONS_LEVELS`);
  }
  checkTemplates('annotations', annotations, problems);

  const levelsText = variable(env, 'DOCKER_METADATA_ANNOTATIONS_LEVELS');
  const annotationLevels = levelsText === '' ? ['manifest'] : levelsText.split(',').map((level) => level.trim());
  for (const level of annotationLevels) {
    if (!ANNOTATION_LEVEL.test(level)) {
      problems.push(`DOCKER_METADATA_ANNOTATIONS_LEVELS: "${level}" is not an annotation level: use manifest, index, manifest-descriptor or index-descriptor (comma-separated)`);
    }
  }

  return {
    flavor,
    annotations,
    separators: { tags: separator(get('sep-tags')), labels: separator(get('sep-labels')), annotations: separator(get('sep-annotations')) },
    shortShaLength: shortShaLength(variable(env, 'DOCKER_METADATA_SHORT_SHA_LENGTH'), problems),
    pullRequestHeadSha: envBoolean(env, 'DOCKER_METADATA_PR_HEAD_SHA', false, problems),
    annotationLevels,
    applyAnnotations: annotations.length > 0 || levelsText !== '',
    setOutputEnv: envBoolean(env, 'DOCKER_METADATA_SET_OUTPUT_ENV', true, problems),
    sourceDateEpoch: sourceDateEpoch(variable(env, 'SOURCE_DATE_EPOCH'), problems),
  };
}

function variable(env: Env, name: string): string {
  return (env[name] ?? '').trim();
}

/** An empty separator means the default newline, as in metadata-action. */
function separator(value: string): string {
  return value === '' ? '\n' : value;
}

function checkTemplates(input: string, pairs: readonly (readonly [string, string])[], problems: string[]): void {
  for (const [name, value] of pairs) {
    try {
      compileTemplate(value, SOURCE_TEMPLATE_NAMES);
    } catch (error) {
      problems.push(`${input}: ${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

function shortShaLength(text: string, problems: string[]): number {
  if (text === '') return 7;
  if (!/^[1-9][0-9]{0,2}$/.test(text)) {
    problems.push(`DOCKER_METADATA_SHORT_SHA_LENGTH: "${text}" is not a positive whole number: set the number of commit id characters, e.g. 12`);
    return 7;
  }
  return Number(text);
}

function envBoolean(env: Env, name: string, fallback: boolean, problems: string[]): boolean {
  const text = variable(env, name).toLowerCase();
  if (text === '') return fallback;
  if (text === 'true' || text === '1') return true;
  if (text === 'false' || text === '0') return false;
  problems.push(`${name}: "${variable(env, name)}" is not a boolean: use true or false`);
  return fallback;
}

/** Seconds since 1970 (reproducible-builds.org); the clock for `{{date}}` and the created label. */
function sourceDateEpoch(text: string, problems: string[]): Date | undefined {
  if (text === '') return undefined;
  if (!/^\d{1,12}$/.test(text)) {
    problems.push(`SOURCE_DATE_EPOCH: "${text}" is not a number of seconds since 1970: set it e.g. to $(git log -1 --pretty=%ct)`);
    return undefined;
  }
  return new Date(Number(text) * 1000);
}
