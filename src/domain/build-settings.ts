/**
 * What a build is asked for (the build inputs, validated): the settings config/ produces and build/ turns into a
 * docker command. Here rather than in config/ so the build layer never depends on how options are read.
 */

export interface BuildSettings {
  /** Absolute path of the build context. */
  readonly context: string;
  /** Absolute path of the Dockerfile. */
  readonly dockerfile: string;
  /** Whether the user named the Dockerfile (changes the wording of a missing-file error). */
  readonly dockerfileGiven: boolean;
  readonly buildArgs: readonly (readonly [string, string])[];
  readonly labels: readonly (readonly [string, string])[];
  readonly target: string;
  readonly platforms: readonly string[];
  readonly noCache: boolean;
  readonly pull: boolean;
  readonly cacheFrom: readonly string[];
  readonly cacheTo: readonly string[];
  /** '' = BUILDX_BUILDER or buildx's current builder; 'classic' = the legacy builder. */
  readonly builder: string;
  readonly secrets: readonly BuildSecret[];
  /** buildx `--provenance` value; '' = off. */
  readonly provenance: string;
  /** buildx `--sbom` value; '' = off. */
  readonly sbom: string;
}

/** A build secret as BuildKit receives it: `--secret id=…,src=…` or `--secret id=…,env=…`. */
export type BuildSecret =
  | { readonly id: string; readonly kind: 'value'; readonly value: string }
  | { readonly id: string; readonly kind: 'file'; readonly path: string }
  | { readonly id: string; readonly kind: 'env'; readonly variable: string };
