/**
 * Image references as Docker reads them (`nginx`, `host:5000/org/app:tag`,
 * `org/app@sha256:…`), and the name grammar of the OCI distribution spec,
 * which the client also uses to keep user input out of URL paths unchecked.
 */

export interface ImageReference {
  /** host[:port]; `docker.io` for Docker Hub. */
  registry: string;
  /** Path inside the registry, e.g. `library/nginx`. */
  repository: string;
  /** Left undefined when the reference names none; the caller chooses a default such as `latest`. */
  tag?: string;
  /** `algorithm:hex` when the reference pins a digest. */
  digest?: string;
}

export const DOCKER_HUB = 'docker.io';
/** Docker's older spelling of Docker Hub, normalised as Docker does. */
const DOCKER_HUB_LEGACY = 'index.docker.io';
/** Docker Hub's official images live under this namespace. */
const OFFICIAL_NAMESPACE = 'library';
/** The distribution spec caps a repository name; registries reject longer ones. */
const MAX_REPOSITORY_LENGTH = 255;

const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const REPOSITORY = new RegExp(`^${PATH_COMPONENT}(?:/${PATH_COMPONENT})*$`);
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[A-Za-z0-9=_-]+$/;
/** Digests of the registered algorithms must be exactly their hex length. */
const REGISTERED_DIGESTS: Readonly<Record<string, RegExp>> = {
  sha256: /^[a-f0-9]{64}$/,
  sha512: /^[a-f0-9]{128}$/,
};
const HOST_LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?';
const REGISTRY_HOST = new RegExp(`^(?:${HOST_LABEL}(?:\\.${HOST_LABEL})*|\\[[0-9A-Fa-f:.]+\\])(?::(\\d{1,5}))?$`);

/** Splits and validates a reference; throws an Error saying what is wrong. */
export function parseImageReference(ref: string): ImageReference {
  const fail = (why: string): never => {
    throw new Error(`invalid image reference ${JSON.stringify(ref)}: ${why}`);
  };
  if (ref === '') fail('it is empty');
  if (/\s/.test(ref)) fail('it contains whitespace');

  let name = ref;
  let digest: string | undefined;
  const at = ref.indexOf('@');
  if (at !== -1) {
    name = ref.slice(0, at);
    digest = ref.slice(at + 1);
    const digestProblem = digestError(digest);
    if (digestProblem) fail(digestProblem);
  }

  let registry = DOCKER_HUB;
  let remainder = name;
  const slash = name.indexOf('/');
  if (slash !== -1) {
    const first = name.slice(0, slash);
    if (first.includes('.') || first.includes(':') || first === 'localhost') {
      if (!isValidRegistryHost(first)) fail(`${JSON.stringify(first)} is not a valid registry host[:port]`);
      registry = first === DOCKER_HUB_LEGACY ? DOCKER_HUB : first;
      remainder = name.slice(slash + 1);
    }
  }

  let repository = remainder;
  let tag: string | undefined;
  const colon = remainder.lastIndexOf(':');
  if (colon !== -1) {
    repository = remainder.slice(0, colon);
    tag = remainder.slice(colon + 1);
    if (tag === '') fail('the tag after ":" is empty');
    if (tag.includes('/')) fail(`${JSON.stringify(tag)} is not a valid tag`);
    if (!TAG.test(tag)) fail(`tag ${JSON.stringify(tag)} is not valid (letters, digits, "_", "." and "-", at most 128, not starting with "." or "-")`);
  }

  const repositoryProblem = repositoryError(repository);
  if (repositoryProblem) fail(repositoryProblem);
  if (registry === DOCKER_HUB && !repository.includes('/')) repository = `${OFFICIAL_NAMESPACE}/${repository}`;

  const result: ImageReference = { registry, repository };
  if (tag !== undefined) result.tag = tag;
  if (digest !== undefined) result.digest = digest;
  return result;
}

/** Why `repository` is not a valid repository name, or undefined when it is. */
export function repositoryError(repository: string): string | undefined {
  if (repository === '') return 'the repository name is empty';
  if (repository.split('/').some((component) => component === '')) {
    return `repository ${JSON.stringify(repository)} has an empty path component`;
  }
  if (repository !== repository.toLowerCase()) return `repository ${JSON.stringify(repository)} must be lowercase`;
  if (repository.length > MAX_REPOSITORY_LENGTH) return `repository name is longer than ${MAX_REPOSITORY_LENGTH} characters`;
  if (!REPOSITORY.test(repository)) {
    return `repository ${JSON.stringify(repository)} is not valid (lowercase letters and digits, separated by ".", "_", "__" or "-")`;
  }
  return undefined;
}

/** Why `digest` is not a valid `algorithm:hex` digest, or undefined when it is. */
export function digestError(digest: string): string | undefined {
  if (digest === '') return 'the digest after "@" is empty';
  if (!DIGEST.test(digest)) return `${JSON.stringify(digest)} is not a valid digest (algorithm:hex)`;
  const colon = digest.indexOf(':');
  const pattern = REGISTERED_DIGESTS[digest.slice(0, colon)];
  if (pattern && !pattern.test(digest.slice(colon + 1))) {
    return `${JSON.stringify(digest)} does not have the length or lowercase hex its algorithm requires`;
  }
  return undefined;
}

export function isValidTag(tag: string): boolean {
  return TAG.test(tag);
}

export function isDigest(reference: string): boolean {
  return reference.includes(':') && digestError(reference) === undefined;
}

export function isValidRegistryHost(host: string): boolean {
  const match = REGISTRY_HOST.exec(host);
  if (!match) return false;
  const port = match[1];
  return port === undefined || (Number(port) > 0 && Number(port) <= 65_535);
}

/** `registry/repository:tag` or `registry/repository@digest`, for messages. */
export function formatReference(registry: string, repository: string, reference: string): string {
  return `${registry}/${repository}${isDigest(reference) ? '@' : ':'}${reference}`;
}
