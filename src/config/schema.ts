/**
 * Every option imageship understands, described once. The action inputs
 * (action.yml), the README tables and, later, the CLI flags (`--name`) and
 * env vars (`IMAGESHIP_NAME`) are all derived from this list; a test keeps
 * action.yml and the README in step with it.
 *
 * Over 400 lines because it is data: one entry per option (100+ of them), kept in one list so the
 * generated action.yml, README tables and CLI help cannot disagree about order or spelling.
 */

export type OptionType = 'string' | 'boolean' | 'lines' | 'enum';

export interface OptionSpec {
  /** kebab-case input name; users and later features rely on the exact spelling. */
  readonly name: string;
  readonly type: OptionType;
  /** Default as the text a user would type; undefined = no default. */
  readonly default?: string;
  readonly description: string;
  /** Masked the moment it is read; never printed, never saved in state. */
  readonly secret?: boolean;
  /** Environment variables read when the option is empty (first non-empty wins). */
  readonly envFallback?: readonly string[];
  /** Like envFallback, but chosen by the `provider` option (each cloud's SDK has its own variable names). */
  readonly envFallbackByProvider?: Readonly<Record<string, readonly string[]>>;
  /** Allowed values for `enum`. */
  readonly values?: readonly string[];
  /** Read as given, surrounding whitespace kept (a separator may be a space or a newline). */
  readonly keepWhitespace?: boolean;
  readonly group: 'registry' | 'image' | 'build' | 'package' | 'copy' | 'deploy' | 'behaviour';
}

export interface OutputSpec {
  readonly name: string;
  readonly description: string;
}

export const OPTIONS: readonly OptionSpec[] = [
  {
    name: 'provider', type: 'enum', values: ['huaweicloud', 'alibabacloud', 'generic'], default: 'huaweicloud', group: 'registry',
    description: 'Registry provider: `huaweicloud` (SWR, login derived from access-key/secret-key), `alibabacloud` (ACR Personal or Enterprise Edition: username/password, or a temporary login from access-key/secret-key) or `generic` (any registry, `username`/`password` or anonymous).',
  },
  {
    name: 'region', type: 'string', group: 'registry',
    description: 'Region id: Huawei Cloud `cn-north-4` (selects `swr.<region>.<domain>` and the login user `<region>@<access-key>`), or Alibaba Cloud `cn-hangzhou` (selects `registry.<region>.aliyuncs.com` or the Enterprise instance host).',
  },
  {
    name: 'access-key', type: 'string', secret: true, group: 'registry',
    envFallbackByProvider: { huaweicloud: ['HUAWEICLOUD_SDK_AK'], alibabacloud: ['ALIBABA_CLOUD_ACCESS_KEY_ID'], generic: ['HUAWEICLOUD_SDK_AK'] },
    description: 'Access key id (AK). Falls back to env `HUAWEICLOUD_SDK_AK` (Huawei) or `ALIBABA_CLOUD_ACCESS_KEY_ID` (Alibaba). Masked; logs show its first 4 characters only.',
  },
  {
    name: 'secret-key', type: 'string', secret: true, group: 'registry',
    envFallbackByProvider: { huaweicloud: ['HUAWEICLOUD_SDK_SK'], alibabacloud: ['ALIBABA_CLOUD_ACCESS_KEY_SECRET'], generic: ['HUAWEICLOUD_SDK_SK'] },
    description: 'Secret access key (SK). Falls back to env `HUAWEICLOUD_SDK_SK` (Huawei) or `ALIBABA_CLOUD_ACCESS_KEY_SECRET` (Alibaba). Never sent anywhere: it only signs (SWR: the login password is derived from it locally).',
  },
  {
    name: 'security-token', type: 'string', secret: true, group: 'registry',
    envFallbackByProvider: { huaweicloud: ['HUAWEICLOUD_SDK_SECURITY_TOKEN'], alibabacloud: ['ALIBABA_CLOUD_SECURITY_TOKEN'] },
    description: 'Security token of a temporary access-key/secret-key pair (Huawei Cloud STS/IAM temporary keys; Alibaba Cloud STS `STS.…`). Huawei: every API call (and an `obs://` package download) carries it in the signed `X-Security-Token` header and the SWR login is the temporary one from the SWR API (the long-term login cannot be derived from temporary keys). Falls back to env `HUAWEICLOUD_SDK_SECURITY_TOKEN` (Huawei) or `ALIBABA_CLOUD_SECURITY_TOKEN` (Alibaba).',
  },
  {
    name: 'oidc-provider-urn', type: 'string', group: 'registry',
    description: 'Keyless, Huawei Cloud IAM 5.0 STS: URN of the OIDC identity provider (`iam::<account-id>:identity-provider:<name>`). With `agency-urn`, the CI\'s OIDC token is exchanged for temporary credentials (AssumeAgencyWithOIDC); no access-key/secret-key is stored anywhere.',
  },
  {
    name: 'agency-urn', type: 'string', group: 'registry',
    description: 'Keyless, Huawei Cloud IAM 5.0 STS: URN of the trust agency to assume (`iam::<account-id>:agency:<name>`); its trust policy names the OIDC provider and the `sub` it allows.',
  },
  {
    name: 'identity-provider', type: 'string', group: 'registry',
    description: 'Keyless, Huawei Cloud IAM federation: the id of an OpenID Connect identity provider (IAM > Identity Providers, access type "programmatic"). The OIDC token gets a federated token (`POST /v3.0/OS-AUTH/id-token/tokens`, header `X-Idp-Id`), which gets temporary credentials (`POST /v3.0/OS-CREDENTIAL/securitytokens`).',
  },
  {
    name: 'role-arn', type: 'string', group: 'registry', envFallbackByProvider: { alibabacloud: ['ALIBABA_CLOUD_ROLE_ARN'] },
    description: 'Keyless, Alibaba Cloud: ARN of the RAM role to assume (`acs:ram::<account-id>:role/<name>`) with STS AssumeRoleWithOIDC. Falls back to env `ALIBABA_CLOUD_ROLE_ARN`.',
  },
  {
    name: 'oidc-provider-arn', type: 'string', group: 'registry', envFallbackByProvider: { alibabacloud: ['ALIBABA_CLOUD_OIDC_PROVIDER_ARN'] },
    description: 'Keyless, Alibaba Cloud: ARN of the RAM OIDC identity provider (`acs:ram::<account-id>:oidc-provider/<name>`). Falls back to env `ALIBABA_CLOUD_OIDC_PROVIDER_ARN`.',
  },
  {
    name: 'oidc-audience', type: 'string', group: 'registry',
    description: 'Keyless: the audience (`aud`) of the OIDC token; it must be a client id of the cloud\'s identity provider. Default: `sts.aliyuncs.com` (Alibaba, as its GitHub guide and official action use) or `sts.<domain>` (Huawei, which documents no fixed value: enter the same one as the provider\'s client id).',
  },
  {
    name: 'oidc-token', type: 'string', secret: true, group: 'registry',
    description: 'Keyless: the OIDC ID token (a JWT) itself, from a secret or an earlier step. Default: `oidc-token-file`, else the variable named by `oidc-token-env`, else (GitHub Actions) a token requested for `oidc-audience`, which needs `permissions: id-token: write`.',
  },
  {
    name: 'oidc-token-file', type: 'string', group: 'registry', envFallbackByProvider: { alibabacloud: ['ALIBABA_CLOUD_OIDC_TOKEN_FILE'] },
    description: 'Keyless: a file holding the OIDC ID token (Kubernetes projected service-account tokens, RRSA). Falls back to env `ALIBABA_CLOUD_OIDC_TOKEN_FILE` (Alibaba).',
  },
  {
    name: 'oidc-token-env', type: 'string', default: 'IMAGESHIP_ID_TOKEN', group: 'registry',
    description: 'Keyless: the environment variable holding the OIDC ID token, e.g. GitLab CI\'s `id_tokens:` variable. Used when set and not empty.',
  },
  {
    name: 'role-session-name', type: 'string', group: 'registry',
    description: 'Keyless: the session name the cloud records in its audit logs (agency_session_name, RoleSessionName; 2-64 letters, digits and `_.@-`). Default: `imageship-<run id>`.',
  },
  {
    name: 'session-duration', type: 'string', default: '3600', group: 'registry',
    description: 'Keyless: how long the temporary credentials last, in seconds: 900 to 43200, and at most the agency\'s or role\'s maximum session duration.',
  },
  {
    name: 'export-credentials', type: 'boolean', default: 'false', group: 'registry',
    description: 'Keyless (GitHub Action only): also export the temporary credentials to the later steps of the job as masked env vars (`HUAWEICLOUD_SDK_AK`, `HUAWEICLOUD_SDK_SK`, `HUAWEICLOUD_SDK_SECURITY_TOKEN`, or `ALIBABA_CLOUD_ACCESS_KEY_ID`, `ALIBABA_CLOUD_ACCESS_KEY_SECRET`, `ALIBABA_CLOUD_SECURITY_TOKEN`). Off by default: every later step, including third-party actions, could then act as the agency/role until the credentials expire.',
  },
  {
    name: 'instance-id', type: 'string', group: 'registry',
    description: 'ACR Enterprise Edition instance id (`cri-…`): needed for the temporary login from access-key/secret-key (GetAuthorizationToken).',
  },
  {
    name: 'instance-name', type: 'string', group: 'registry',
    description: 'ACR Enterprise Edition instance name: the registry is `<instance-name>-registry.<region>.cr.aliyuncs.com`.',
  },
  {
    name: 'vpc', type: 'boolean', default: 'false', group: 'registry',
    description: 'Use the Alibaba Cloud VPC registry endpoint (`registry-vpc.<region>.aliyuncs.com`, `<instance-name>-registry-vpc.<region>.cr.aliyuncs.com`) from a runner inside the VPC.',
  },
  {
    name: 'domain', type: 'string', default: 'myhuaweicloud.com', group: 'registry',
    description: 'Huawei Cloud domain. With the default, each service\'s host per region comes from the official SDKs\' region tables (eu-west-101: SWR and IAM on `myhuaweicloud.eu`, FunctionGraph on `.com`; the registry is `swr.<region>.<domain of the SWR API>`); another domain (another partition) is used for every host (`<service>.<region>.<domain>`).',
  },
  {
    name: 'registry', type: 'string', group: 'registry',
    description: 'Registry `host[:port]` overriding the derived one: a private/VPC endpoint, another registry with `provider: generic`, or a local test registry.',
  },
  {
    name: 'username', type: 'string', group: 'registry',
    description: 'Registry user name for a login that is not derived from AK/SK (generic registries, or an SWR temporary login).',
  },
  {
    name: 'password', type: 'string', secret: true, group: 'registry',
    description: 'Registry password or token for `username`. Masked; passed to `docker login` on stdin only.',
  },
  {
    name: 'registry-auth', type: 'string', secret: true, keepWhitespace: true, group: 'registry',
    description: 'More registries to log in to, as docker/login-action\'s `registry-auth`: a YAML list of `registry`, `username`, `password` (e.g. a private base image\'s registry, a `replicate-to` target). A Huawei Cloud or Alibaba Cloud entry may instead give `provider: huaweicloud` or `alibabacloud` and `region` (Alibaba Enterprise: `instance-id`, `instance-name`; any: `registry` to override the host) and log in with the step\'s keys (a keyless step\'s temporary ones; temporary Huawei keys get a temporary SWR login from CreateSecret). Masked whole; every login is removed when the job (or the CLI run) ends, and logins that were there before are put back. See the README\'s "Several registries in one step".',
  },
  {
    name: 'namespace', type: 'string', group: 'image',
    description: 'SWR organization (namespace) that holds the image, e.g. `my-org`. Optional with `provider: generic`.',
  },
  {
    name: 'image', type: 'string', group: 'image',
    description: 'Image (repository) name inside the namespace, e.g. `my-app`.',
  },
  {
    name: 'tags', type: 'lines', default: 'type=schedule\ntype=ref,event=branch\ntype=ref,event=tag\ntype=ref,event=pr', group: 'image',
    description: 'One tag rule per line, as docker/metadata-action\'s `tags` input: a fixed tag (`latest`), or `type=schedule|semver|pep440|match|edge|ref|raw|sha` with `enable`, `priority`, `prefix`, `suffix` and the type\'s attributes. Empty: metadata-action\'s defaults (schedule, branch, tag, pull request). See the README\'s "Tags" section.',
  },
  {
    name: 'flavor', type: 'lines', group: 'image',
    description: 'docker/metadata-action\'s `flavor`: `latest=auto|true|false` (default `auto`: `latest` is added when the first tag comes from a release: a git tag, a semver or pep440 release, `type=match`), `prefix=…` and `suffix=…` for every tag without its own (add `,onlatest=true` to put them on `latest` too).',
  },
  {
    name: 'context', type: 'string', default: '.', group: 'build',
    description: 'Build context directory.',
  },
  {
    name: 'dockerfile', type: 'string', group: 'build',
    description: 'Path to the Dockerfile. Default: `<context>/Dockerfile` (the name is case-sensitive).',
  },
  {
    name: 'build-args', type: 'lines', group: 'build',
    description: 'Build arguments, one `NAME=value` per line. Do not pass secrets here: they stay in the image history.',
  },
  {
    name: 'labels', type: 'lines', group: 'build',
    description: 'Extra image labels, one `name=value` per line (templates such as `{{commit_date \'YYYY-MM-DDTHH:mm:ss.SSS[Z]\'}}` allowed); added to, or replacing, the OCI labels computed from the source.',
  },
  {
    name: 'annotations', type: 'lines', group: 'build',
    description: 'Extra OCI annotations, one `name=value` per line (templates allowed), as docker/metadata-action\'s `annotations`. Setting it (or env `DOCKER_METADATA_ANNOTATIONS_LEVELS`) applies the annotations: buildx `--annotation` at the levels of `DOCKER_METADATA_ANNOTATIONS_LEVELS` (default `manifest`; `index` for a multi-platform build), onto the copied manifest with `source-image` (only these lines; the digest then changes). A `merge-digests` index always carries the computed annotations.',
  },
  {
    name: 'target', type: 'string', group: 'build',
    description: 'Build stage to stop at (`--target`).',
  },
  {
    name: 'platforms', type: 'lines', group: 'build',
    description: 'Target platforms, comma- or newline-separated (e.g. `linux/amd64,linux/arm64`). Needs Docker buildx.',
  },
  {
    name: 'no-cache', type: 'boolean', default: 'false', group: 'build',
    description: 'Build without using the layer cache.',
  },
  {
    name: 'pull', type: 'boolean', default: 'false', group: 'build',
    description: 'Always pull newer versions of the base images.',
  },
  {
    name: 'push', type: 'boolean', default: 'true', group: 'behaviour',
    description: 'Push the tags and verify them in the registry. With `false` the image is only built and tagged locally.',
  },
  {
    name: 'cache-from', type: 'lines', group: 'build',
    description: 'Cache sources, one per line: an image reference for the classic builder, or a buildx `--cache-from` value (`type=registry,ref=…`).',
  },
  {
    name: 'cache-to', type: 'lines', group: 'build',
    description: 'Cache exports, one buildx `--cache-to` value per line (buildx only).',
  },
  {
    name: 'builder', type: 'string', group: 'build',
    description: 'Builder: the name of a buildx builder (as `docker buildx ls` lists it; e.g. the `name` output of docker/setup-buildx-action), or `classic` for the legacy builder (`DOCKER_BUILDKIT=0`). Default: env `BUILDX_BUILDER`, else the current buildx builder, else the classic builder when buildx is not installed. What the builder can do (its driver, platforms, the containerd image store) is checked before anything is logged in or built.',
  },
  {
    name: 'secrets', type: 'lines', secret: true, group: 'build',
    description: 'Build secrets, one `id=value` per line, as docker/build-push-action takes them: each is handed to BuildKit in a file readable only by the runner user (`--secret id=…,src=…`) and reaches the Dockerfile through `RUN --mount=type=secret,id=…`; never on a command line, never in the image. Needs buildx.',
  },
  {
    name: 'secret-files', type: 'lines', group: 'build',
    description: 'Build secrets from files, one `id=path` per line (`--secret id=…,src=path`). Needs buildx.',
  },
  {
    name: 'secret-envs', type: 'lines', group: 'build',
    description: 'Build secrets from environment variables, one `id=VARIABLE` per line (`--secret id=…,env=VARIABLE`). Needs buildx.',
  },
  {
    name: 'provenance', type: 'string', group: 'build',
    description: 'Provenance attestation, as buildx `--provenance` takes it: `true`, `mode=min`, `mode=max` or `false`. Default: off, because an attestation turns the pushed image into an index, which FunctionGraph refuses (it expects one image manifest). Needs buildx ≥ 0.10 with a BuildKit builder (docker-container, remote, kubernetes) or the containerd image store.',
  },
  {
    name: 'sbom', type: 'string', group: 'build',
    description: 'SBOM attestation, as buildx `--sbom` takes it: `true`, `false` or `generator=IMAGE`. Default: off (see `provenance` for why). Same builder needs as `provenance`.',
  },
  {
    name: 'sep-tags', type: 'string', keepWhitespace: true, group: 'behaviour',
    description: 'Separator of the `tags` and `tag-names` outputs (default: a newline), as docker/metadata-action\'s `sep-tags`.',
  },
  {
    name: 'sep-labels', type: 'string', keepWhitespace: true, group: 'behaviour',
    description: 'Separator of the `labels` output (default: a newline).',
  },
  {
    name: 'sep-annotations', type: 'string', keepWhitespace: true, group: 'behaviour',
    description: 'Separator of the `annotations` output (default: a newline).',
  },
  {
    name: 'dry-run', type: 'boolean', default: 'false', group: 'behaviour',
    description: 'Validate the inputs and print the plan (registry, login user, tags, build command, then every step the run would take, numbered in run order) without logging in, building or pushing. With `retention`, the repository\'s tags are read and the ones that would be deleted are listed (nothing is deleted).',
  },
  {
    name: 'package', type: 'string', group: 'package',
    description: 'Make the image from a software package instead of a Dockerfile, without a Docker daemon: a local path, an `https://` URL, or `obs://bucket/key` (Huawei OBS, signed with access-key/secret-key and security-token; `region` picks `https://{bucket}.obs.{region}.{domain}`, `endpoints: obs=…` overrides it). The base image is read through the registry API, the package becomes one reproducible layer, and its blobs are mounted or skipped rather than downloaded. See the README\'s "Images from a package" section.',
  },
  {
    name: 'package-type', type: 'string', group: 'package',
    description: 'What the package is: `jar`, `war`, `node`, `python`, `php` or `files`. Default: from the file name (`.jar`, `.war`, `.tgz` is `node`, `.whl` is `python`; a `.zip` or `.tar.gz` needs it). Decides the default base image, where the package goes and how the container starts (README table).',
  },
  {
    name: 'base-image', type: 'string', group: 'package',
    description: 'Base image for `package` (a full reference; a multi-platform index gives every platform, `platforms` narrows). Default per package-type: `eclipse-temurin:21-jre`, `tomcat:10.1-jre21`, `node:22-slim`, `python:3.12-slim`, `php:8.3-apache`; required for `files`.',
  },
  {
    name: 'entrypoint', type: 'string', group: 'package',
    description: 'Image entrypoint for `package`: a JSON array (`["java","-jar","/app/app.jar"]`) or words separated by spaces. Setting it clears the base image\'s `Cmd`, as a Dockerfile ENTRYPOINT does.',
  },
  {
    name: 'cmd', type: 'string', group: 'package',
    description: 'Image command (`Cmd`) for `package`: a JSON array or words separated by spaces. Required for `python`.',
  },
  {
    name: 'workdir', type: 'string', group: 'package',
    description: 'Working directory of the image for `package` (an absolute path); with `package-type: files` the package is unpacked here. Default `/app` (`jar`, `node`, `python`, `files`), else the base image\'s.',
  },
  {
    name: 'env', type: 'lines', group: 'package',
    description: 'Environment variables baked into the image for `package`, one `NAME=value` per line. A value that is one of the run\'s secrets is refused: the image would carry it.',
  },
  {
    name: 'expose', type: 'lines', group: 'package',
    description: 'Ports the image exposes for `package`, comma- or newline-separated: `8080`, `8080/tcp`, `53/udp`.',
  },
  {
    name: 'user', type: 'string', group: 'package',
    description: 'User the container runs as for `package` (`uid[:gid]` or a name). A numeric `uid[:gid]` also owns the package files; otherwise they belong to root (readable by everyone).',
  },
  {
    name: 'package-sha256', type: 'string', group: 'package',
    description: 'Expected SHA-256 of the package file (64 hex digits, optionally `sha256:`-prefixed): a download that does not match is refused before anything is pushed.',
  },
  {
    name: 'package-max-size', type: 'string', default: '512M', group: 'package',
    description: 'Largest package accepted (bytes, or with a `K`, `M` or `G` suffix); its unpacked content may be four times that. A larger download is stopped as soon as it passes the limit.',
  },
  {
    name: 'source-image', type: 'string', group: 'copy',
    description: 'Copy this image (a full reference; a multi-platform index is copied whole) to the destination under every computed tag, registry to registry, without a Docker daemon and without building. The digest stays the same (unless `annotations` are added to it). An image already in the destination repository is retagged (no blob bytes move).',
  },
  {
    name: 'source-username', type: 'string', group: 'copy',
    description: 'User for the source-image registry. Default: the Docker config\'s login for that host, else anonymous.',
  },
  {
    name: 'source-password', type: 'string', secret: true, group: 'copy',
    description: 'Password or token for source-username.',
  },
  {
    name: 'replicate-to', type: 'lines', group: 'copy',
    description: 'Extra destinations (`host/namespace/image`, one per line) that get the pushed image and tags after the push, registry to registry: another SWR region of the same `domain` (login derived from the same AK/SK; with temporary keys, a temporary login from that region\'s SWR API) or any registry known to the Docker config (else anonymous). The run\'s login goes nowhere else unless listed in `replicate-credentials`.',
  },
  {
    name: 'replicate-credentials', type: 'lines', group: 'copy',
    description: 'Registry hosts (`host[:port]`, one per line, each the host of a `replicate-to` line) allowed to receive this run\'s login: the SWR login derived for the host\'s region when the host is `swr.<region>.<any domain>` and the login is AK/SK, else the login given for `registry`. Without it, only `swr.<region>.<domain>` of the configured `domain` gets the login automatically; every other replica host uses the Docker config\'s login for it, or none.',
  },
  {
    name: 'merge-digests', type: 'lines', group: 'copy',
    description: 'Assemble a multi-platform index from per-platform image digests already in the destination repository (one `sha256:…` per line, e.g. the `digest` outputs of matrix jobs) and push it under the tags, with the OCI annotations on the index. Nothing is built.',
  },
  {
    name: 'push-by-digest', type: 'boolean', default: 'false', group: 'copy',
    description: 'Push the built image by digest only, without tags (buildx), for matrix jobs whose `digest` outputs a later step assembles with `merge-digests`.',
  },
  {
    name: 'copy-concurrency', type: 'string', default: '6', group: 'copy',
    description: 'How many blobs a registry-to-registry copy (`source-image`, `replicate-to`) moves at once, across the whole image tree: 1 to 32. More helps where each connection is capped (CDNs, cloud egress); fewer spares a slow registry.',
  },
  {
    name: 'create-namespace', type: 'boolean', default: 'false', group: 'registry',
    description: 'Create the SWR organization first if it does not exist (SWR API `POST /v2/manage/namespaces`; needs access-key/secret-key).',
  },
  {
    name: 'login-mode', type: 'enum', values: ['long-term', 'temporary'], default: 'long-term', group: 'registry',
    description: 'SWR login: `long-term` (derived from the AK/SK locally) or `temporary` (a 6-hour login from the SWR API `POST /v2/manage/utils/secret`; its expiry is logged).',
  },
  {
    name: 'retention', type: 'string', group: 'copy',
    description: 'After the push, delete old tags of the repository: `keep-last=N`, `max-age-days=D`, optional `tag-pattern=<regex>` (only matching tags may be deleted). Tags just pushed are never deleted; `dry-run` deletes nothing and lists what would be deleted.',
  },
  {
    name: 'endpoints', type: 'lines', group: 'deploy',
    description: 'Cloud API endpoint overrides, one `service=url` per line (Huawei: `functiongraph`, `cce`, `cci`, `iam`, `sts`, `swr-api`; Alibaba: `cr`, `sts`; e.g. `functiongraph=https://functiongraph.vpc.example`): private/VPC endpoints. Default: the official SDKs\' endpoint for the service and region, else `https://<service>.<region>.<domain>` (Alibaba: `https://<service>.<region>.aliyuncs.com`).',
  },
  {
    name: 'function-urn', type: 'lines', group: 'deploy',
    description: 'FunctionGraph container-image functions to point at the pushed image, one URN per line (`urn:fss:<region>:<project>:function:<package>:<name>`). Needs access-key/secret-key.',
  },
  {
    name: 'function-tag', type: 'string', group: 'deploy',
    description: 'Which pushed tag the functions get. Default: the first fixed tag (a line without `type=`), else the first tag.',
  },
  {
    name: 'workloads', type: 'lines', group: 'deploy',
    description: 'Kubernetes/CCE workloads to roll out, one `namespace/deployment/name[:container]` or `namespace/statefulset/name[:container]` per line. Without `:container`, every container whose image is the pushed repository is updated. The image is pinned by digest.',
  },
  {
    name: 'cci-workloads', type: 'lines', group: 'deploy',
    description: 'Huawei Cloud CCI 2.0 deployments to roll out, one `namespace/deployment/name[:container]` per line, through the CCI API (`https://cci.<region>.<domain>/apis/cci/v2/…`, signed with access-key/secret-key): the container image is pinned by digest (a JSON merge patch that keeps every other container field), the rollout is waited for (`rollout-timeout`) and read back. Without `:container`, every container whose image is the pushed repository.',
  },
  {
    name: 'share-with', type: 'lines', group: 'deploy',
    description: 'After the verified push, share the SWR repository with other Huawei Cloud accounts, one `account[:read][:until YYYY-MM-DD]` per line (SWR shares grant pull access only; without `until` the share has no end). Idempotent: an account that already has the same share is left alone, a different one is updated; each share is read back. Needs access-key/secret-key.',
  },
  {
    name: 'kubeconfig', type: 'string', secret: true, group: 'deploy',
    description: 'Kubeconfig (YAML or JSON, self-contained: certificate/key data or token) for `workloads`. Alternative: `cce-cluster-id`.',
  },
  {
    name: 'cce-cluster-id', type: 'string', group: 'deploy',
    description: 'CCE cluster id: imageship fetches a short-lived kubeconfig with the AK/SK (CCE clustercert API) instead of `kubeconfig`.',
  },
  {
    name: 'kube-context', type: 'string', group: 'deploy',
    description: 'Kubeconfig context to use. Default: `current-context`; for `cce-cluster-id`, the `external` context when the cluster has one.',
  },
  {
    name: 'project-id', type: 'string', group: 'deploy',
    description: 'Huawei Cloud project id for CCE calls. Default: looked up from the region with IAM.',
  },
  {
    name: 'rollout-timeout', type: 'string', default: '300', group: 'deploy',
    description: 'Seconds to wait for each workload rollout to finish before failing with its conditions.',
  },
  {
    name: 'deploy-trigger', type: 'lines', group: 'deploy',
    description: 'Redeploy trigger / webhook URLs, one per line: each gets a POST with the ACR webhook JSON payload (`push_data`, `repository`) for the pushed image. Tokens in the URL are masked.',
  },
  {
    name: 'fc-function', type: 'lines', group: 'deploy',
    description: 'Alibaba Cloud Function Compute 3.0 custom-container functions (in `region`) to point at the pushed image, one function name per line; read back until FC resolved the pushed digest (bounded by `rollout-timeout`). Provider alibabacloud with access-key/secret-key (and security-token for STS). Endpoint override: `fc=<url>` in `endpoints`.',
  },
  {
    name: 'sae-app-id', type: 'lines', group: 'deploy',
    description: 'Alibaba Cloud Serverless App Engine application ids (in `region`) to deploy the pushed image to, one per line: DeployApplication, then the change order is followed until done or failed (bounded by `rollout-timeout`). Provider alibabacloud with access-key/secret-key. Endpoint override: `sae=<url>` in `endpoints`.',
  },
  {
    name: 'deploy-image', type: 'string', group: 'deploy',
    description: 'Deploy an existing image instead of building: a full reference, e.g. `swr.cn-north-4.myhuaweicloud.com/my-org/app@sha256:…` (in a second job, pass the `image` and `digest` outputs of the build job through `needs`). Checked to exist in the registry, then deployed.',
  },
  {
    name: 'logout', type: 'boolean', default: 'true', group: 'behaviour',
    description: 'Log out of the registry in the post step: remove the login this step wrote to the Docker config, or put back the login that was there before it.',
  },
];

export const OUTPUTS: readonly OutputSpec[] = [
  { name: 'registry', description: 'Registry host the image was pushed to, e.g. `swr.cn-north-4.myhuaweicloud.com`.' },
  { name: 'image', description: 'Image repository without a tag: `<registry>/<namespace>/<image>`.' },
  { name: 'tags', description: 'Full references that were pushed (`<image>:<tag>`), separated by `sep-tags` (a newline), as docker/metadata-action\'s `tags` output.' },
  { name: 'tag-names', description: 'The tags without the image, separated by `sep-tags`.' },
  { name: 'version', description: 'docker/metadata-action\'s `version`: the first tag by priority (the `org.opencontainers.image.version` label).' },
  { name: 'labels', description: 'The image labels, `name=value`, sorted, separated by `sep-labels`: the OCI labels (title, description, url, source, version, created, revision, licenses) and `labels`.' },
  { name: 'annotations', description: 'The annotations as docker/metadata-action gives them, `level:name=value` for each level of `DOCKER_METADATA_ANNOTATIONS_LEVELS` (default `manifest`), separated by `sep-annotations`.' },
  { name: 'json', description: 'JSON object `{tags, labels, annotations}` with the same values, as docker/metadata-action\'s `json` output.' },
  { name: 'digest', description: 'Manifest digest as the registry reports it (`sha256:…`); every tag was checked to point at it.' },
  { name: 'imageid', description: 'Image id from the build: what `docker image inspect` reports when the image is in the local image store (the classic builder, the buildx docker driver, `push: false`), else the config digest BuildKit reports.' },
  { name: 'metadata', description: 'JSON object with all of the above plus the login user (AK shortened) and the labels.' },
  { name: 'deployments', description: 'JSON list of `{target, id, previous, current, verified}`, one per function, workload, CCI deployment, trigger and SWR share (`target`: `functiongraph`, `kubernetes`, `cci`, `trigger`, `swr-share`).' },
  { name: 'logins', description: 'JSON list of the registry hosts this step logged in to (each `registry-auth` entry, then the step\'s own registry when a build logged in to it), e.g. `["swr.cn-north-4.myhuaweicloud.com","ghcr.io"]`. Never credentials.' },
];

export function optionSpec(name: string): OptionSpec {
  const spec = OPTIONS.find((o) => o.name === name);
  if (!spec) throw new Error(`internal: unknown option ${name}`);
  return spec;
}
