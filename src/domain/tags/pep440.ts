/**
 * PEP 440 versions (Python packaging), just enough for `type=pep440`: which
 * texts are versions, their normalized form, and whether they are releases.
 * Written from the specification (python.org/dev/peps/pep-0440), including
 * its normalization rules: `1.2.3beta2` → `1.2.3b2`, `1.0dev4` → `1.0.dev4`,
 * `1.2.3post1` → `1.2.3.post1`, `v1.2.3` → `1.2.3`.
 */
export interface Pep440Version {
  /** The epoch, 0 when not given. */
  epoch: string;
  /** Release segment numbers, leading zeros removed: `1.02.3` → ['1', '2', '3']. */
  release: string[];
  /** Normalized pre-release: `a`, `b` or `rc` and its number. */
  pre: { label: 'a' | 'b' | 'rc'; number: string } | undefined;
  post: string | undefined;
  dev: string | undefined;
  /** Local version label, normalized to lower case with `.` separators. */
  local: string | undefined;
}

const SEPARATOR = '[-_.]?';
const PEP440 = new RegExp(
  '^\\s*v?' +
    '(?:(\\d+)!)?' + // epoch
    '(\\d+(?:\\.\\d+)*)' + // release
    `(?:${SEPARATOR}(a|b|c|rc|alpha|beta|pre|preview)${SEPARATOR}(\\d+)?)?` + // pre-release
    `(?:-(\\d+)|${SEPARATOR}(post|rev|r)${SEPARATOR}(\\d+)?)?` + // post-release
    `(?:${SEPARATOR}(dev)${SEPARATOR}(\\d+)?)?` + // development release
    '(?:\\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?' + // local version
    '\\s*$',
  'i',
);

export function parsePep440(text: string): Pep440Version | undefined {
  const match = PEP440.exec(text);
  if (match === null) return undefined;
  const [, epoch, release = '', preLabel, preNumber, postImplicit, postLabel, postNumber, devLabel, devNumber, local] = match;
  return {
    epoch: number(epoch ?? '0'),
    release: release.split('.').map(number),
    pre: preLabel === undefined ? undefined : { label: preKind(preLabel.toLowerCase()), number: number(preNumber ?? '0') },
    post: postImplicit !== undefined ? number(postImplicit) : postLabel !== undefined ? number(postNumber ?? '0') : undefined,
    dev: devLabel !== undefined ? number(devNumber ?? '0') : undefined,
    local: local?.toLowerCase().replace(/[-_]/g, '.'),
  };
}

/** The normalized form (PEP 440 "Normalization"), what `{{version}}` gives. */
export function normalizePep440(version: Pep440Version): string {
  let text = version.epoch === '0' ? '' : `${version.epoch}!`;
  text += version.release.join('.');
  if (version.pre) text += `${version.pre.label}${version.pre.number}`;
  if (version.post !== undefined) text += `.post${version.post}`;
  if (version.dev !== undefined) text += `.dev${version.dev}`;
  if (version.local !== undefined) text += `+${version.local}`;
  return text;
}

/** Pre-, post- and development releases change often; only a final release feeds partial patterns and `latest`. */
export function isPep440Release(version: Pep440Version): boolean {
  return version.pre === undefined && version.post === undefined && version.dev === undefined;
}

/** `{{major}}`, `{{minor}}`, `{{patch}}`: the release segment's parts, 0 when the segment is shorter. */
export function releasePart(version: Pep440Version, index: number): string {
  return version.release[index] ?? '0';
}

function preKind(label: string): 'a' | 'b' | 'rc' {
  if (label === 'a' || label === 'alpha') return 'a';
  if (label === 'b' || label === 'beta') return 'b';
  return 'rc';
}

/** Digits without leading zeros (`007` → `7`), any length. */
function number(digits: string): string {
  return digits.replace(/^0+(?=\d)/, '');
}
