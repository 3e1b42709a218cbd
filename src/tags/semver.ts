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

/** Parses `1.2.3`, `v1.2.3-rc.1+build.5`, …; returns undefined for anything else. */
export function parseSemVer(text: string): SemVer | undefined {
  const match = SEMVER.exec(text);
  if (match === null) return undefined;
  const [, major = '', minor = '', patch = '', prerelease = '', build = ''] = match;
  return { major, minor, patch, prerelease, build };
}

/** The full version without the leading `v`, build metadata included. */
export function formatSemVer(version: SemVer): string {
  const core = `${version.major}.${version.minor}.${version.patch}`;
  const withPrerelease = version.prerelease === '' ? core : `${core}-${version.prerelease}`;
  return version.build === '' ? withPrerelease : `${withPrerelease}+${version.build}`;
}
