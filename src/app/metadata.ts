/**
 * docker/metadata-action's results for one run, computed once by the plan:
 * tags, version, labels and annotations (with their levels), from the
 * `tags`/`flavor`/`labels`/`annotations` inputs, the DOCKER_METADATA_*
 * settings, the source context and the clock. Pure.
 */
import type { MetadataSettings } from '../config/types.js';
import { compileEntries, ociAnnotations, withUserEntries } from '../domain/labels.js';
import type { SourceContext } from '../domain/source-context.js';
import { computeTags, sourceTemplateValues, type TagRewrite, type TagRulesInput, type TemplateContext } from '../domain/tags/index.js';

export interface RunMetadata {
  tags: string[];
  /** Tags given by fixed lines (the default function-tag). */
  fixedTags: string[];
  version: string;
  /** Image labels, `[name, value]`, sorted by name: the OCI set and the `labels` input. */
  labels: [string, string][];
  /** Annotations, `[name, value]`, sorted: the OCI set and the `annotations` input. */
  annotations: [string, string][];
  /** `level:name=value` for every level, as metadata-action's `annotations` output lists them. */
  leveledAnnotations: string[];
  /** Only the `annotations` input, expanded: what a copy adds to the copied manifest. */
  userAnnotations: [string, string][];
  /** Rules that gave no tag where one may have been expected. */
  notes: string[];
  /** Written tags that had to be rewritten to be valid Docker tags. */
  rewritten: TagRewrite[];
}

export interface MetadataInput {
  rules: TagRulesInput['rules'];
  destination: string;
  userLabels: readonly (readonly [string, string])[];
  settings: MetadataSettings;
  source: SourceContext;
  /** The run's clock; SOURCE_DATE_EPOCH (settings.sourceDateEpoch) replaces it. */
  now: Date;
}

/** The source as metadata-action sees it: with DOCKER_METADATA_PR_HEAD_SHA, a pull request is its head commit. */
export function metadataSource(source: SourceContext, settings: Pick<MetadataSettings, 'pullRequestHeadSha'>): SourceContext {
  if (!settings.pullRequestHeadSha || source.event !== 'pr' || !source.pullRequestHeadSha) return source;
  return { ...source, sha: source.pullRequestHeadSha };
}

/** Throws what computeTags throws (a TagRuleError, or the "no tag applies" Error). */
export function computeRunMetadata(input: MetadataInput): RunMetadata {
  const { settings } = input;
  const source = metadataSource(input.source, settings);
  const now = settings.sourceDateEpoch ?? input.now;
  const commitDate = source.commitDate ? new Date(source.commitDate) : now;
  const computed = computeTags(
    { rules: input.rules, destination: input.destination, flavor: settings.flavor, shortShaLength: settings.shortShaLength },
    source,
    { now, commitDate },
  );
  const context: TemplateContext = { values: sourceTemplateValues(source, settings.shortShaLength), now, commitDate };
  const oci = ociAnnotations(source, computed.version, now);
  const annotations = withUserEntries(oci, compileEntries(settings.annotations), context);
  return {
    tags: computed.tags,
    fixedTags: computed.fixed,
    version: computed.version,
    labels: withUserEntries(oci, compileEntries(input.userLabels), context),
    annotations,
    leveledAnnotations: settings.annotationLevels.flatMap((level) => annotations.map(([name, value]) => `${level}:${name}=${value}`)),
    userAnnotations: withUserEntries([], compileEntries(settings.annotations), context),
    notes: computed.notes,
    rewritten: computed.rewritten,
  };
}
