/**
 * The `package` inputs (package, package-type, base-image, entrypoint, cmd,
 * workdir, env, expose, user, package-sha256, package-max-size) turned into
 * PackageSettings, or one problem line per input: what is wrong and the fix.
 * Pure: nothing outside memory is touched (the plan checks the local file).
 */
import { setting, type InputSyntax } from '../domain/input-syntax.js';
import { parsePairs, splitList } from './read-values.js';
import type { PackageSettings, PackageSource, PackageType } from '../domain/package-settings.js';
import { isValidTag, parseImageReference, type ImageReference } from '../domain/image/reference.js';
import { DEFAULT_BASE_IMAGES, PACKAGE_TYPES } from '../domain/package-defaults.js';

export interface PackageInputs {
  get: (name: string) => string;
  syntax: InputSyntax;
  region: string;
  domain: string;
  /** Parsed `endpoints` (service → URL). */
  endpoints: ReadonlyMap<string, string>;
  /** Every secret value the run was given (inputs and env fallbacks): `env` must not bake one into the image. */
  secretValues: readonly string[];
}

/** Inputs that only mean something with `package`. */
export const PACKAGE_ONLY_INPUTS = ['package-type', 'base-image', 'entrypoint', 'cmd', 'workdir', 'env', 'expose', 'user', 'package-sha256'] as const;
/** Dockerfile-build inputs a package run has no use for. */
const BUILD_INPUTS = ['dockerfile', 'build-args', 'target', 'no-cache', 'pull', 'cache-from', 'cache-to', 'secrets', 'secret-files', 'secret-envs', 'provenance', 'sbom', 'builder', 'push-by-digest'] as const;
const BUILD_DEFAULTS: Readonly<Record<string, string>> = { 'no-cache': 'false', pull: 'false', 'push-by-digest': 'false' };

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SHA256 = /^(?:sha256:)?([0-9a-f]{64})$/i;
const SIZE = /^(\d+)\s*([KMG]i?B?|B)?$/i;
const OBS_BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** undefined when `package` is empty; otherwise the settings (problems pushed for every bad input). */
export function parsePackageSettings(inputs: PackageInputs, problems: string[]): PackageSettings | undefined {
  const { get, syntax } = inputs;
  const text = get('package');
  if (text === '') {
    for (const name of PACKAGE_ONLY_INPUTS) {
      if (get(name) !== '') problems.push(`${name}: only used with package: set ${setting(syntax, 'package', 'app.jar')}, or remove ${name}`);
    }
    return undefined;
  }
  for (const name of BUILD_INPUTS) {
    const value = get(name);
    if (value !== '' && value !== BUILD_DEFAULTS[name]) problems.push(`${name}: only applies to a Dockerfile build, but package assembles the image without one: remove ${name}`);
  }
  for (const name of ['source-image', 'merge-digests', 'deploy-image']) {
    if (get(name) !== '') problems.push(`package: cannot be combined with ${name}: each run either builds, assembles from a package, copies, merges or deploys an existing image`);
  }

  const source = parseSource(text, inputs, problems);
  const fileName = source ? fileNameOf(source) : '';
  // A source that is already refused has no file name worth judging.
  const type = source ? parseType(get('package-type'), fileName, syntax, problems) : undefined;
  const baseImageText = get('base-image') || (type ? DEFAULT_BASE_IMAGES[type] : '');
  let baseImage: ImageReference | undefined;
  if (baseImageText === '') {
    if (type === 'files') problems.push(`base-image: required for package-type files (there is no default base for plain files): set ${setting(syntax, 'base-image', 'registry.example.com/org/base:1')}`);
  } else {
    try {
      baseImage = parseImageReference(baseImageText);
    } catch (error) {
      problems.push(`base-image: "${baseImageText}" is not an image reference (${error instanceof Error ? error.message : String(error)}): give host/namespace/image:tag`);
    }
  }

  const entrypoint = parseCommand('entrypoint', get('entrypoint'), problems);
  const cmd = parseCommand('cmd', get('cmd'), problems);
  if (type === 'python' && cmd === undefined && entrypoint === undefined) {
    problems.push(`cmd: required for package-type python (a Python package names no start command imageship could trust): set ${setting(syntax, 'cmd', 'python -m app')}`);
  }

  const workdir = get('workdir');
  if (workdir !== '' && (!workdir.startsWith('/') || workdir.split('/').includes('..'))) {
    problems.push(`workdir: "${workdir}" is not an absolute path inside the image: give one such as /app`);
  }

  const env = parsePairs('env', get('env'), ENV_NAME, 'NAME', problems);
  for (const [name, value] of env) {
    if (value !== '' && inputs.secretValues.some((secret) => secret.length >= 4 && value.includes(secret))) {
      problems.push(`env: ${name} holds one of this run's secrets: it would be baked into the image for anyone who can pull it; pass it to the container at run time instead`);
    }
  }

  const expose: string[] = [];
  for (const item of splitList(get('expose'))) {
    const match = /^(\d{1,5})(?:\/(tcp|udp|sctp))?$/i.exec(item);
    const port = Number(match?.[1]);
    if (!match || port < 1 || port > 65535) problems.push(`expose: "${item}" is not a port: give 1-65535, optionally /tcp or /udp (8080, 53/udp)`);
    else expose.push(`${port}/${(match[2] ?? 'tcp').toLowerCase()}`);
  }

  const user = get('user');
  if (user !== '' && !/^[A-Za-z0-9_][A-Za-z0-9_.-]*(?::[A-Za-z0-9_][A-Za-z0-9_.-]*)?$/.test(user)) {
    problems.push(`user: "${user}" is not a user: give uid[:gid] (1000:1000) or a name`);
  }

  const shaText = get('package-sha256');
  const sha = SHA256.exec(shaText);
  if (shaText !== '' && !sha) problems.push(`package-sha256: "${shaText}" is not a SHA-256: give 64 hex digits (sha256sum's first column)`);

  const maxBytes = parseSize(get('package-max-size') || '512M');
  if (maxBytes === undefined) problems.push(`package-max-size: "${get('package-max-size')}" is not a size: give bytes or a number with K, M or G (512M)`);

  const { name, version } = nameAndVersion(fileName);
  for (const [what, value] of [['name', name], ['version', version]] as const) {
    // Both end up in labels and history and are the obvious tag a user reaches for: they must be what a tag may hold.
    if (value !== '' && !isValidTag(value)) {
      problems.push(`package: the ${what} "${value}" in the file name "${fileName}" holds characters an image tag does not allow: rename the file to letters, digits, "_", "." and "-"`);
    }
  }

  if (!source || !type || !baseImage || maxBytes === undefined) return undefined;
  return Object.freeze({
    source,
    type,
    baseImageText,
    baseImage,
    entrypoint,
    cmd,
    workdir,
    env,
    expose,
    user,
    sha256: sha?.[1]?.toLowerCase() ?? '',
    maxBytes,
    name,
    version,
  });
}

function parseSource(text: string, inputs: PackageInputs, problems: string[]): PackageSource | undefined {
  if (/^https:\/\//i.test(text)) {
    try {
      const url = new URL(text);
      if (url.username !== '' || url.password !== '') {
        problems.push('package: the URL holds a user name or password: they would show in logs; use a URL with a token the server accepts in its query, or OBS');
        return undefined;
      }
      return { kind: 'https', url: url.href };
    } catch {
      problems.push(`package: "${text}" is not a valid URL: give https://host/path/app.jar`);
      return undefined;
    }
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text) && !/^obs:\/\//i.test(text)) {
    problems.push(`package: "${text.replace(/\?.*$/, '')}" uses a scheme imageship does not fetch: give a local path, an https:// URL or obs://bucket/key`);
    return undefined;
  }
  if (/^obs:\/\//i.test(text)) return parseObs(text, inputs, problems);
  return { kind: 'local', path: text };
}

function parseObs(text: string, inputs: PackageInputs, problems: string[]): PackageSource | undefined {
  const match = /^obs:\/\/([^/]+)\/(.+)$/i.exec(text);
  if (!match || !OBS_BUCKET.test(match[1]!) || match[2]!.endsWith('/')) {
    problems.push(`package: "${text}" is not obs://bucket/key: give the bucket (3-63 lower-case letters, digits, "-" and ".") and the object key, e.g. obs://my-bucket/releases/app-1.2.0.jar`);
    return undefined;
  }
  const bucket = match[1]!;
  const key = match[2]!;
  const override = inputs.endpoints.get('obs');
  if (!override && inputs.region === '') {
    problems.push(`region: required for an obs:// package (the bucket is reached at https://{bucket}.obs.{region}.{domain}): set ${setting(inputs.syntax, 'region', 'cn-north-4')}`);
    return undefined;
  }
  const accessKey = inputs.get('access-key');
  const secretKey = inputs.get('secret-key');
  const securityToken = inputs.get('security-token');
  if ((accessKey === '') !== (secretKey === '')) {
    problems.push(`${accessKey === '' ? 'access-key' : 'secret-key'}: missing: an obs:// package is read with both access-key and secret-key (or neither, for a public object)`);
  }
  if (securityToken !== '' && accessKey === '') problems.push('security-token: set without access-key/secret-key: give the temporary AK/SK with it');
  return {
    kind: 'obs',
    bucket,
    key,
    endpoint: override ?? `https://${bucket}.obs.${inputs.region}.${inputs.domain}`,
    credentials: accessKey !== '' && secretKey !== '' ? { accessKey, secretKey, securityToken } : undefined,
  };
}

function parseType(text: string, fileName: string, syntax: InputSyntax, problems: string[]): PackageType | undefined {
  if (text !== '') {
    const lower = text.toLowerCase();
    if ((PACKAGE_TYPES as readonly string[]).includes(lower)) return lower as PackageType;
    problems.push(`package-type: "${text}" is not supported: use one of ${PACKAGE_TYPES.join(', ')}`);
    return undefined;
  }
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.jar')) return 'jar';
  if (lower.endsWith('.war')) return 'war';
  if (lower.endsWith('.whl')) return 'python';
  // npm pack writes .tgz; a zip or a tarball of another stack says nothing about itself by name.
  if (lower.endsWith('.tgz')) return 'node';
  problems.push(`package-type: cannot tell the type from the file name "${fileName}": set ${setting(syntax, 'package-type', 'node')} (one of ${PACKAGE_TYPES.join(', ')})`);
  return undefined;
}

/** JSON array, or words separated by white space; undefined when empty. */
function parseCommand(name: string, text: string, problems: string[]): readonly string[] | undefined {
  if (text === '') return undefined;
  if (text.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (Array.isArray(parsed) && parsed.length > 0 && parsed.every((item) => typeof item === 'string')) return parsed as string[];
    } catch {
      // Reported below.
    }
    problems.push(`${name}: "${text}" is not a JSON array of strings: write ["executable","arg"] or plain words`);
    return undefined;
  }
  return text.split(/\s+/).filter(Boolean);
}

function parseSize(text: string): number | undefined {
  const match = SIZE.exec(text.trim());
  if (!match) return undefined;
  const unit = (match[2] ?? 'B').toUpperCase()[0];
  const factor = unit === 'K' ? 1024 : unit === 'M' ? 1024 ** 2 : unit === 'G' ? 1024 ** 3 : 1;
  const bytes = Number(match[1]) * factor;
  return Number.isSafeInteger(bytes) && bytes > 0 ? bytes : undefined;
}

/** The last path segment of the source, without query. */
export function fileNameOf(source: PackageSource): string {
  const path = source.kind === 'https' ? new URL(source.url).pathname : source.kind === 'obs' ? source.key : source.path;
  const segments = path.split(/[/\\]/).filter(Boolean);
  const last = segments.at(-1) ?? '';
  try {
    return source.kind === 'https' ? decodeURIComponent(last) : last;
  } catch {
    return last;
  }
}

/** `app-1.2.0.jar` → app, 1.2.0; `site.zip` → site, ''. */
export function nameAndVersion(fileName: string): { name: string; version: string } {
  const stem = fileName.replace(/\.(tar\.gz|tgz|zip|jar|war|whl)$/i, '');
  const match = /^(.+?)[-_]v?(\d[^/]*)$/.exec(stem);
  // A wheel's name is name-version-pytag-abitag-platform: keep the first two fields.
  const wheel = /\.whl$/i.test(fileName) ? /^([^-]+)-([^-]+)-/.exec(stem) : null;
  if (wheel) return { name: wheel[1]!, version: wheel[2]! };
  return match ? { name: match[1]!, version: match[2]! } : { name: stem, version: '' };
}
