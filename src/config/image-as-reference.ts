/**
 * `image` is only the repository name inside the namespace, but people paste
 * what `docker push` takes (`swr.cn-north-4.myhuaweicloud.com/my-org/app:1.0`)
 * or add a tag (`app:1.0`). The naming rules alone would say `contains ":"`;
 * this names the options each part belongs to.
 */
import { parseImageReference } from '../domain/image/reference.js';
import { settings, type InputSyntax } from '../domain/input-syntax.js';

export interface ImageContext {
  provider: string;
  /** The cloud domain of SWR hosts (`swr.<region>.<domain>`). */
  domain: string;
}

/**
 * A problem line when `image` holds a registry host, a tag or a digest;
 * undefined for a plain repository name (valid or not: the naming rules
 * judge that).
 */
export function imageAsReferenceProblem(image: string, context: ImageContext, syntax: InputSyntax): string | undefined {
  const firstPart = image.split('/')[0] ?? '';
  const hasHost = image.includes('/') && (firstPart.includes('.') || firstPart.includes(':') || firstPart === 'localhost');
  if (!hasHost && !/[:@]/.test(image)) return undefined;
  let reference;
  try {
    reference = parseImageReference(hasHost ? image : `localhost/${image}`);
  } catch {
    return undefined;
  }
  const parts: [string, string][] = [];
  if (hasHost) {
    const swrRegion = context.provider === 'huaweicloud' ? swrRegionOf(reference.registry, context.domain) : undefined;
    parts.push(swrRegion ? ['region', swrRegion] : ['registry', reference.registry]);
  }
  let repository = reference.repository;
  // SWR's organization is the first path part; a namespace given next to a full reference yields to it.
  if (hasHost && repository.includes('/')) {
    const slash = repository.indexOf('/');
    parts.push(['namespace', repository.slice(0, slash)]);
    repository = repository.slice(slash + 1);
  }
  parts.push(['image', repository]);
  if (reference.tag) parts.push(['tags', reference.tag]);

  const what = hasHost ? 'a full image reference' : reference.digest ? 'a name with a digest' : 'a name with a tag';
  const roles: Readonly<Record<string, string>> = {
    region: 'region for the SWR host',
    registry: 'registry for the host',
    namespace: 'namespace for the organization',
    tags: 'tags for the tag',
  };
  const explained = parts.map(([name]) => roles[name]).filter((role) => role !== undefined);
  const digestHint = reference.digest ? '; to deploy an image that exists by digest, use deploy-image' : '';
  return (
    `image: "${image}" is ${what}, but image takes only the repository name` +
    `${explained.length > 0 ? `; the other parts have options of their own (${explained.join(', ')})` : ''}: use ${settings(syntax, parts)}${digestHint}`
  );
}

/** `swr.cn-north-4.myhuaweicloud.com` → `cn-north-4`. */
function swrRegionOf(host: string, domain: string): string | undefined {
  const suffix = `.${domain}`;
  if (!host.startsWith('swr.') || !host.endsWith(suffix)) return undefined;
  const region = host.slice('swr.'.length, -suffix.length);
  return /^[a-z]{2}(-[a-z]+)+-\d{1,3}$/.test(region) ? region : undefined;
}
