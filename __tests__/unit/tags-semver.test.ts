import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';

import type { SourceContext } from '../../src/domain/source-context.js';
import { computeTags } from '../../src/domain/tags/index.js';
import { formatSemVer, parseSemVer } from '../../src/domain/tags/semver.js';

const SHA = '0123abcdef0123abcdef0123abcdef0123abcdef';
const DESTINATION = 'swr.cn-north-4.myhuaweicloud.com/my-org/my-app';
const NOW = new Date(Date.UTC(2024, 0, 2, 3, 4, 5));

function tagBuild(tag: string): SourceContext {
  return {
    sha: SHA,
    ref: `refs/tags/${tag}`,
    branch: '',
    tag,
    pullRequest: undefined,
    defaultBranch: 'main',
    runNumber: '42',
    repositoryUrl: '',
    event: 'tag',
  };
}

const BRANCH_PUSH: SourceContext = { ...tagBuild(''), ref: 'refs/heads/main', branch: 'main', tag: '', event: 'branch' };

const ALL_PATTERNS = [
  'type=semver,pattern={{version}}',
  'type=semver,pattern={{major}}.{{minor}}',
  'type=semver,pattern={{major}}',
  'type=semver,pattern={{minor}}',
  'type=semver,pattern={{patch}}',
  'type=semver,pattern={{raw}}',
].join('\n');

function compute(rules: string, source: SourceContext) {
  return computeTags({ rules, destination: DESTINATION }, source, NOW);
}

describe('parseSemVer', () => {
  it('parses a release with and without v', () => {
    assert.deepEqual(parseSemVer('v1.2.3'), { major: '1', minor: '2', patch: '3', prerelease: '', build: '' });
    assert.deepEqual(parseSemVer('10.20.30'), { major: '10', minor: '20', patch: '30', prerelease: '', build: '' });
  });

  it('parses pre-release and build metadata', () => {
    assert.deepEqual(parseSemVer('1.0.0-rc.1+build.5'), { major: '1', minor: '0', patch: '0', prerelease: 'rc.1', build: 'build.5' });
    assert.deepEqual(parseSemVer('1.0.0-x-y.0.3a'), { major: '1', minor: '0', patch: '0', prerelease: 'x-y.0.3a', build: '' });
    assert.deepEqual(parseSemVer('1.0.0+0001'), { major: '1', minor: '0', patch: '0', prerelease: '', build: '0001' });
  });

  it('rejects what semver.org rejects', () => {
    for (const text of ['1.2', '1.2.3.4', '01.2.3', '1.02.3', '1.2.03', '1.2.3-01', '1.2.3-', '1.2.3-a..b', '1.2.3+', 'V1.2.3', 'vv1.2.3', ' 1.2.3', '1.2.3 ', 'release-1.2.3', 'latest', '']) {
      assert.equal(parseSemVer(text), undefined, text);
    }
  });

  it('formats without the v and with pre-release and build', () => {
    const version = parseSemVer('v2.0.1-beta.2+sha.abc');
    assert.ok(version);
    assert.equal(formatSemVer(version), '2.0.1-beta.2+sha.abc');
  });
});

describe('type=semver', () => {
  it('gives every pattern for a release tag', () => {
    assert.deepEqual(compute(ALL_PATTERNS, tagBuild('v1.2.3')).tags, ['1.2.3', '1.2', '1', '2', '3', 'v1.2.3', 'latest']);
  });

  it('combines placeholders and text in one pattern', () => {
    assert.deepEqual(compute('type=semver,pattern=v{{major}}-{{minor}}x{{patch}}', tagBuild('1.2.3')).tags, ['v1-2x3', 'latest']);
  });

  it('gives only {{version}} and {{raw}} patterns for a pre-release', () => {
    assert.deepEqual(compute(ALL_PATTERNS, tagBuild('v2.0.0-rc.1')).tags, ['2.0.0-rc.1', 'v2.0.0-rc.1']);
  });

  it('gives the whole version for a pre-release, whatever the pattern mixes', () => {
    assert.deepEqual(compute('type=semver,pattern={{major}}-{{version}}\nlatest', tagBuild('1.0.0-alpha')).tags, ['1.0.0-alpha', 'latest']);
  });

  it('{{version}} leaves out build metadata; {{raw}} keeps it, with + turned into - because + is not allowed in a tag', () => {
    const result = compute('type=semver,pattern={{version}}\ntype=semver,pattern={{major}}.{{minor}}\ntype=semver,pattern={{raw}}', tagBuild('v1.2.3+build.7'));
    assert.deepEqual(result.tags, ['1.2.3', '1.2', 'v1.2.3-build.7', 'latest']);
  });

  it('gives nothing for a tag that is not semver', () => {
    assert.deepEqual(compute(`${ALL_PATTERNS}\nlatest`, tagBuild('release-2024')).tags, ['latest']);
  });

  it('gives nothing on a branch build', () => {
    assert.deepEqual(compute(`${ALL_PATTERNS}\nlatest`, BRANCH_PUSH).tags, ['latest']);
  });

  it('parses value= instead of the git tag, on any build', () => {
    assert.deepEqual(compute('type=semver,pattern={{major}}.{{minor}},value=v3.4.5', BRANCH_PUSH).tags, ['3.4', 'latest']);
    assert.deepEqual(compute('type=semver,pattern={{version}},value=9.8.7', tagBuild('v1.2.3')).tags, ['9.8.7', 'latest']);
  });

  it('gives nothing when value= is not semver', () => {
    assert.deepEqual(compute('type=semver,pattern={{version}},value={{branch}}\nlatest', BRANCH_PUSH).tags, ['latest']);
  });

  it('applies prefix and suffix around the pattern', () => {
    assert.deepEqual(compute('type=semver,pattern={{major}},prefix=v,suffix=-alpine', tagBuild('v4.0.1')).tags, ['v4-alpine', 'latest']);
  });

  it('may use source templates in the pattern', () => {
    assert.deepEqual(compute('type=semver,pattern={{version}}-{{short_sha}}', tagBuild('v1.0.0')).tags, ['1.0.0-0123abc', 'latest']);
  });
});

describe('version output', () => {
  it('is the first tag by priority (semver 900 before a fixed tag), as metadata-action documents', () => {
    const rules = 'latest\ntype=semver,pattern={{major}}\ntype=semver,pattern={{version}}\ntype=semver,pattern=v{{version}}';
    const result = compute(rules, tagBuild('v1.2.3'));
    assert.deepEqual(result.tags, ['1', '1.2.3', 'v1.2.3', 'latest']);
    assert.equal(result.version, '1');
  });

  it('is the first tag when the semver rule gave nothing', () => {
    const result = compute('type=ref,event=tag\ntype=semver,pattern={{version}}', tagBuild('nightly'));
    assert.equal(result.version, 'nightly');
  });

  it('counts a semver {{version}} tag that was de-duplicated away', () => {
    const result = compute('1.2.3\ntype=sha\ntype=semver,pattern={{version}}', tagBuild('v1.2.3'));
    assert.deepEqual(result.tags, ['1.2.3', 'sha-0123abc', 'latest']);
    assert.equal(result.version, '1.2.3');
  });
});
