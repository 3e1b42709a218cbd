/**
 * A strict Semantic Versioning 2.0.0 parser, just enough for tag rules (the
 * project takes no semver dependency). "Strict" means what semver.org says:
 * no leading zeros in numbers, non-empty dot-separated identifiers.
 */
export interface SemVer {
  major: string;
  minor: string;
  patch: string;
  /** Pre-release identifiers joined by `.`, '' for a release. */
  prerelease: string;
  /** Build metadata joined by `.`, '' when absent. */
  build: string;
}

const NUMBER = '0|[1-9]\\d*';
const PRERELEASE_ID = `(?:${NUMBER}|\\d*[A-Za-z-][0-9A-Za-z-]*)`;
const BUILD_ID = '[0-9A-Za-z-]+';
const SEMVER = new RegExp(
  `^v?(${NUMBER})\\.(${NUMBER})\\.(${NUMBER})` +
    `(?:-(${PRERELEASE_ID}(?:\\.${PRERELEASE_ID})*))?` +
    `(?:\\+(${BUILD_ID}(?:\\.${BUILD_ID})*))?$`,
);

/** Longer texts are not versions (node-semver, which metadata-action uses, has the same limit). */
const MAX_LENGTH = 256;

/** Parses `1.2.3`, `v1.2.3-rc.1+build.5`, …; returns undefined for anything else. */
export function parseSemVer(text: string): SemVer | undefined {
  if (text.length > MAX_LENGTH) return undefined;
  const match = SEMVER.exec(text);
  if (match === null) return undefined;
  const [, major = '', minor = '', patch = '', prerelease = '', build = ''] = match;
  // A number too large to count exactly is not a version number anyone can compare.
  if ([major, minor, patch].some((part) => !Number.isSafeInteger(Number(part)))) return undefined;
  return { major, minor, patch, prerelease, build };
}

/**
 * What `{{version}}` gives: major.minor.patch and the pre-release, without
 * build metadata (as metadata-action documents it: "shorthand for
 * {{major}}.{{minor}}.{{patch}} (can include pre-release)").
 */
export function versionOf(version: SemVer): string {
  const core = `${version.major}.${version.minor}.${version.patch}`;
  return version.prerelease === '' ? core : `${core}-${version.prerelease}`;
}

/** The full version without the leading `v`, build metadata included. */
export function formatSemVer(version: SemVer): string {
  const core = `${version.major}.${version.minor}.${version.patch}`;
  const withPrerelease = version.prerelease === '' ? core : `${core}-${version.prerelease}`;
  return version.build === '' ? withPrerelease : `${withPrerelease}+${version.build}`;
}
