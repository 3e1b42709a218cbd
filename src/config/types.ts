import type { ShareLine } from '../domain/targets/share-with.js';
import type { RetentionPolicy } from '../domain/retention/policy.js';
import type { WorkloadRef } from '../domain/targets/kubernetes-workloads.js';
import type { ImageReference } from '../domain/image/reference.js';
import type { Flavor, TagRule } from '../domain/tags/index.js';
import type { BuildSettings } from '../domain/build-settings.js';
import type { KeylessSettings } from '../domain/keyless-settings.js';
import { ImageshipError } from '../domain/errors.js';

export type { BuildSecret, BuildSettings } from '../domain/build-settings.js';

/** How imageship authenticates to the registry. */
export type LoginMethod =
  /** SWR long-term login derived locally from an AK/SK pair. */
  | { readonly kind: 'swr-aksk'; readonly region: string; readonly accessKey: string; readonly secretKey: string }
  /**
   * SWR temporary login (CreateSecret) signed with the run's cloud credentials:
   * temporary keys (a security token, or keys obtained keyless from the CI's
   * OIDC token), which the long-term derived login cannot use.
   */
  | { readonly kind: 'swr-temporary'; readonly region: string }
  /** Alibaba ACR: a temporary login exchanged for the AK/SK at run time (GetAuthorizationToken or GET /tokens). */
  | {
      readonly kind: 'acr-temporary';
      readonly edition: 'enterprise' | 'personal';
      readonly region: string;
      readonly instanceId: string;
      readonly accessKeyId: string;
      readonly accessKeySecret: string;
      readonly securityToken: string;
    }
  /** A given user name and password or token. */
  | { readonly kind: 'password'; readonly username: string; readonly password: string }
  /** No login: a registry that accepts anonymous pushes (or one the Docker config already knows). */
  | { readonly kind: 'anonymous' };

/**
 * One `registry-auth` entry: another registry this step logs in to (a
 * private base, another push target). `index` counts from 1, as listed.
 */
export type RegistryAuthEntry =
  /** A given user name and password or token (docker/login-action's entry). */
  | { readonly index: number; readonly kind: 'password'; readonly registry: string; readonly username: string; readonly password: string }
  /** SWR in `region`: the login comes from the step's Huawei Cloud keys (derived, or temporary from the SWR API). */
  | { readonly index: number; readonly kind: 'huaweicloud'; readonly registry: string; readonly region: string }
  /** ACR in `region`: the temporary login from the step's Alibaba Cloud keys. */
  | {
      readonly index: number;
      readonly kind: 'alibabacloud';
      readonly registry: string;
      readonly region: string;
      readonly edition: 'enterprise' | 'personal';
      readonly instanceId: string;
    };

/** The `registry-auth` entries and the step's cloud keys their provider entries log in with. */
export interface RegistryAuthSettings {
  readonly entries: readonly RegistryAuthEntry[];
  /**
   * Set when a huaweicloud entry needs them: the step's AK/SK (with its security-token), else env
   * HUAWEICLOUD_SDK_AK/SK (with HUAWEICLOUD_SDK_SECURITY_TOKEN); a keyless run puts its temporary keys here
   * (app/keyless.ts). A security token marks them temporary. Secret.
   */
  readonly huaweiKeys: { readonly accessKey: string; readonly secretKey: string; readonly securityToken?: string } | undefined;
  /** Set when an alibabacloud entry needs them: the step's keys (provider alibabacloud), else env ALIBABA_CLOUD_*; a keyless run's STS keys. Secret. */
  readonly alibabaKeys: { readonly accessKeyId: string; readonly accessKeySecret: string; readonly securityToken: string } | undefined;
}

/** Deploy targets (all optional) and how to reach them. */
export interface DeploySettings {
  readonly functionUrns: readonly string[];
  /** '' = the first fixed tag, else the first tag. */
  readonly functionTag: string;
  readonly workloads: readonly WorkloadRef[];
  /** Kubeconfig text ('' when cce-cluster-id or no workloads). Secret. */
  readonly kubeconfig: string;
  readonly cceClusterId: string;
  readonly kubeContext: string;
  /** '' = look it up from the region with IAM. */
  readonly projectId: string;
  readonly rolloutTimeoutMs: number;
  readonly triggers: readonly string[];
  /** CCI 2.0 deployments (`cci-workloads`). */
  readonly cciWorkloads: readonly WorkloadRef[];
  /** Accounts the SWR repository is shared with after the push (`share-with`). */
  readonly shareWith: readonly ShareLine[];
  /** Alibaba Cloud Function Compute 3.0 function names (`fc-function`), in `region`. */
  readonly fcFunctions: readonly string[];
  /** Alibaba Cloud SAE application ids (`sae-app-id`), in `region`. */
  readonly saeAppIds: readonly string[];
  readonly endpoints: ReadonlyMap<string, string>;
  /** Valid settings worth a warning (plain http endpoints and triggers), one line each, secrets redacted; printed once after the plan. */
  readonly warnings: readonly string[];
}

export type Provider = 'huaweicloud' | 'alibabacloud' | 'generic';

/** Registry-to-registry work: copy, replicate, merge, SWR namespace and login mode, retention. */
export interface CopySettings {
  /** Copy this image instead of building. */
  readonly sourceImage: ImageReference | undefined;
  readonly sourceCredentials: { readonly username: string; readonly password: string } | undefined;
  /** Extra destinations the pushed image is copied to. */
  readonly replicateTo: readonly { readonly registry: string; readonly repository: string }[];
  /** Replica hosts (lowercase `host[:port]`) the user allowed to receive the run's login (`replicate-credentials`). */
  readonly replicateCredentials: readonly string[];
  /** Per-platform digests to assemble into an index instead of building. */
  readonly mergeDigests: readonly string[];
  /** Push the build by digest only (no tags), for a later merge-digests. */
  readonly pushByDigest: boolean;
  readonly createNamespace: boolean;
  readonly loginMode: 'long-term' | 'temporary';
  readonly retention: RetentionPolicy | undefined;
  /** Blobs a copy moves at once (`copy-concurrency`, 1–32). */
  readonly concurrency: number;
}

/**
 * docker/metadata-action's inputs and environment variables beyond `tags`
 * and `labels`: how tags, labels and annotations are computed and reported.
 */
export interface MetadataSettings {
  readonly flavor: Flavor;
  /** The `annotations` input, `name=value` (values may hold templates). */
  readonly annotations: readonly (readonly [string, string])[];
  /** Output separators (`sep-tags`, `sep-labels`, `sep-annotations`); a newline by default. */
  readonly separators: { readonly tags: string; readonly labels: string; readonly annotations: string };
  /** DOCKER_METADATA_SHORT_SHA_LENGTH (default 7). */
  readonly shortShaLength: number;
  /** DOCKER_METADATA_PR_HEAD_SHA: a pull request build uses its head commit instead of the merge commit. */
  readonly pullRequestHeadSha: boolean;
  /** DOCKER_METADATA_ANNOTATIONS_LEVELS (default `manifest`). */
  readonly annotationLevels: readonly string[];
  /** The user asked for annotations on the image: the `annotations` input or DOCKER_METADATA_ANNOTATIONS_LEVELS is set. */
  readonly applyAnnotations: boolean;
  /** DOCKER_METADATA_SET_OUTPUT_ENV (default true): the outputs are also exported as DOCKER_METADATA_OUTPUT_* variables. */
  readonly setOutputEnv: boolean;
  /** SOURCE_DATE_EPOCH: the clock for `{{date}}` and `org.opencontainers.image.created`. */
  readonly sourceDateEpoch: Date | undefined;
}

export type { PackageSettings, PackageSource, PackageType } from '../domain/package-settings.js';
import type { PackageSettings } from '../domain/package-settings.js';

/** Everything a run needs, validated and immutable. */
export interface Config {
  readonly provider: Provider;
  /** Huawei Cloud region, '' for generic registries. */
  readonly region: string;
  /** `host[:port]` of the registry. */
  readonly registry: string;
  /**
   * The registry host the configured login (derived or given) belongs to:
   * the `registry` input, else the provider's registry (`swr.<region>.<domain>`,
   * the ACR host), else (generic) the deploy-image host. It differs from
   * `registry` only in a deploy-only run whose image lives elsewhere: that
   * image is read without this login (see domain/credential-scope.ts).
   */
  readonly loginRegistry: string;
  readonly login: LoginMethod;
  /** `namespace/image` (or just `image` on a generic registry without namespace). */
  readonly repository: string;
  /** `registry/repository`, the reference every tag is appended to. */
  readonly destination: string;
  /** The `tags` input, parsed ([] = metadata-action's defaults); computed against the source context by the plan. */
  readonly tagRules: readonly TagRule[];
  readonly metadata: MetadataSettings;
  readonly build: BuildSettings;
  readonly push: boolean;
  readonly dryRun: boolean;
  readonly logout: boolean;
  /** Cloud domain (myhuaweicloud.com) for API endpoints. */
  readonly domain: string;
  /**
   * AK/SK (and security token, for temporary keys) for signed Huawei Cloud API
   * calls (SWR, FunctionGraph, CCE, IAM), when given. Keyless runs fill it in at
   * run time (credentials/keyless.ts), after the plan.
   */
  readonly cloudCredentials: { readonly accessKey: string; readonly secretKey: string; readonly securityToken?: string } | undefined;
  /** Set for a keyless run: how the CI's OIDC token is obtained and exchanged for temporary credentials. */
  readonly keyless?: KeylessSettings | undefined;
  /** Set for deploy-only runs: nothing is built or pushed, this image is checked and deployed. */
  readonly deployImage: ImageReference | undefined;
  readonly deploy: DeploySettings;
  readonly copy: CopySettings;
  /** More registries to log in to (`registry-auth`); no entries when unset. */
  readonly registryAuth: RegistryAuthSettings;
  /** Set for a `package` run: the image is assembled from a software package, no Docker involved. */
  readonly package?: PackageSettings | undefined;
}

export type { IdTokenSource, KeylessExchange, KeylessSettings } from '../domain/keyless-settings.js';

/** One or more invalid inputs; each message names the input, what is wrong and the fix. */
export class ConfigError extends ImageshipError {
  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
  }
}
