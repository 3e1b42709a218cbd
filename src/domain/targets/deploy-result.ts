/** The image a deploy step rolls out: pushed and verified, or found in the registry (`deploy-image`). */
export interface DeployedImage {
  /** `host[:port]` */
  registry: string;
  /** `namespace/image` */
  repository: string;
  /** The tag chosen for deploy targets that take a tag (FunctionGraph, triggers). */
  tag: string;
  /** `sha256:…`, as the registry reports it. */
  digest: string;
  /** `registry/repository:tag` */
  reference: string;
  /** `registry/repository:tag@digest`: what Kubernetes workloads are pinned to, so a re-pushed tag still rolls out. */
  pinned: string;
}

/** One row of the `deployments` output. */
export interface DeployResult {
  /** `functiongraph`, `kubernetes`, `cci`, `trigger`, `swr-share`, `fc` (Function Compute), `sae` */
  target: string;
  /** What was updated: a function URN, `namespace/kind/name[:container]`, a trigger URL with secrets redacted, `namespace/repository → account`. */
  id: string;
  /** The image (or state) before, '' when unknown. */
  previous: string;
  /** The image (or state) after. */
  current: string;
  /** True only when the target was read back and shows `current`. */
  verified: boolean;
  /** A console link for the job summary, when there is one. */
  consoleUrl?: string;
}
