/**
 * docker/metadata-action's README is the specification: every example table
 * of it, written here as our own cases (event, ref, sha and inputs → tags,
 * version, labels, annotations). Each case runs the way the action does: a
 * GitHub environment and event payload → sourceContextFromGitHub → the
 * `flavor`/`annotations`/DOCKER_METADATA_* settings as parseConfig reads them
 * → computeRunMetadata.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

import { parseMetadataSettings } from '../../src/config/parse-metadata.js';
import { computeRunMetadata, type RunMetadata } from '../../src/app/metadata.js';
import { sourceContextFromGitHub } from '../../src/source/github.js';

const SHA = '860c1904a1ce19322e91ac35af1ab07466440c37';
const HEAD_SHA = '0123abcdef0123abcdef0123abcdef0123abcdef';
/** The README's example instant: 2020-01-10T00:30:00.000Z (09:30 in Tokyo). */
const NOW = new Date('2020-01-10T00:30:00.000Z');
const DESTINATION = 'swr.cn-north-4.myhuaweicloud.com/octocat/hello-world';

const directory = mkdtempSync(join(tmpdir(), 'imageship-meta-'));
after(() => rmSync(directory, { recursive: true, force: true }));
let files = 0;

interface Case {
  /** GITHUB_EVENT_NAME; `push` by default. */
  event?: string;
  ref: string;
  tags?: string;
  flavor?: string;
  labels?: string;
  annotations?: string;
  /** DOCKER_METADATA_* and SOURCE_DATE_EPOCH. */
  env?: Record<string, string>;
  /** Extra event payload fields. */
  payload?: Record<string, unknown>;
  now?: Date;
}

/** Runs one case as the action would on GitHub. */
function meta(c: Case): RunMetadata {
  const event = c.event ?? 'push';
  const pull = /^refs\/pull\/(\d+)\//.exec(c.ref);
  const payload = {
    repository: {
      name: 'Hello-World',
      description: 'This your first repo!',
      html_url: 'https://github.com/octocat/Hello-World',
      default_branch: 'master',
      license: { spdx_id: 'MIT' },
    },
    ...(pull ? { number: Number(pull[1]), pull_request: { number: Number(pull[1]), head: { ref: 'feature', sha: HEAD_SHA }, base: { ref: 'master' } } } : {}),
    ...c.payload,
  };
  const path = join(directory, `event-${files++}.json`);
  writeFileSync(path, JSON.stringify(payload));
  const githubEnv = {
    GITHUB_EVENT_NAME: event,
    GITHUB_REF: c.ref,
    GITHUB_SHA: SHA,
    GITHUB_REPOSITORY: 'octocat/Hello-World',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_RUN_NUMBER: '42',
    GITHUB_EVENT_PATH: path,
  };
  const source = sourceContextFromGitHub(githubEnv, (file) => (file === path ? JSON.stringify(payload) : undefined));
  const inputs: Record<string, string> = { flavor: c.flavor ?? '', labels: c.labels ?? '', annotations: c.annotations ?? '' };
  const problems: string[] = [];
  const settings = parseMetadataSettings((name) => inputs[name] ?? '', c.env ?? {}, problems);
  assert.deepEqual(problems, []);
  const labelPairs = (c.labels ?? '')
    .split('\n')
    .filter((line) => line.includes('='))
    .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)] as const);
  return computeRunMetadata({ rules: c.tags ?? '', destination: DESTINATION, userLabels: labelPairs, settings, source, now: c.now ?? NOW });
}

const tagsOf = (c: Case): string[] => meta(c).tags;
/** One rule's own output, without the `latest` the flavor may add. */
const only = (c: Omit<Case, 'flavor'>): string[] => meta({ ...c, flavor: 'latest=false' }).tags;

describe('Usage › Basic: the default tags (tags input empty)', () => {
  const rows: [string, string, string[]][] = [
    ['pull_request', 'refs/pull/2/merge', ['pr-2']],
    ['push', 'refs/heads/master', ['master']],
    ['push', 'refs/heads/releases/v1', ['releases-v1']],
    ['push', 'refs/tags/v1.2.3', ['v1.2.3', 'latest']],
    ['push', 'refs/tags/v2.0.8-beta.67', ['v2.0.8-beta.67', 'latest']],
    ['workflow_dispatch', 'refs/heads/master', ['master']],
  ];
  for (const [event, ref, expected] of rows) {
    it(`${event} ${ref} → ${expected.join(', ')}`, () => assert.deepEqual(tagsOf({ event, ref }), expected));
  }
});

describe('Usage › Semver', () => {
  const tags = 'type=ref,event=branch\ntype=ref,event=pr\ntype=semver,pattern={{version}}\ntype=semver,pattern={{major}}.{{minor}}';
  const rows: [string, string, string[]][] = [
    ['pull_request', 'refs/pull/2/merge', ['pr-2']],
    ['push', 'refs/heads/master', ['master']],
    ['push', 'refs/heads/releases/v1', ['releases-v1']],
    ['push', 'refs/tags/v1.2.3', ['1.2.3', '1.2', 'latest']],
    ['push', 'refs/tags/v2.0.8-beta.67', ['2.0.8-beta.67']],
  ];
  for (const [event, ref, expected] of rows) {
    it(`${event} ${ref} → ${expected.join(', ')}`, () => assert.deepEqual(tagsOf({ event, ref, tags }), expected));
  }
});

describe('Usage › Bake definition: tags and labels of refs/tags/v1.2.3', () => {
  const result = meta({ ref: 'refs/tags/v1.2.3', tags: 'type=ref,event=branch\ntype=ref,event=pr\ntype=semver,pattern={{version}}\ntype=semver,pattern={{major}}.{{minor}}\ntype=sha' });

  it('tags 1.2.3, 1.2, sha-860c190, latest', () => assert.deepEqual(result.tags, ['1.2.3', '1.2', 'sha-860c190', 'latest']));

  it('version 1.2.3 and the eight OCI labels (sorted by name, as metadata-action outputs them)', () => {
    assert.equal(result.version, '1.2.3');
    assert.deepEqual(result.labels, [
      ['org.opencontainers.image.created', '2020-01-10T00:30:00.000Z'],
      ['org.opencontainers.image.description', 'This your first repo!'],
      ['org.opencontainers.image.licenses', 'MIT'],
      ['org.opencontainers.image.revision', SHA],
      ['org.opencontainers.image.source', 'https://github.com/octocat/Hello-World'],
      ['org.opencontainers.image.title', 'Hello-World'],
      ['org.opencontainers.image.url', 'https://github.com/octocat/Hello-World'],
      ['org.opencontainers.image.version', '1.2.3'],
    ]);
  });
});

describe('tags input › type=schedule', () => {
  const rows: [string, string][] = [
    ['type=schedule', 'nightly'],
    ['type=schedule,pattern=nightly', 'nightly'],
    ["type=schedule,pattern={{date 'YYYYMMDD'}}", '20200110'],
    ["type=schedule,pattern={{date 'YYYYMMDD-HHmmss' tz='Asia/Tokyo'}}", '20200110-093000'],
    ["type=schedule,pattern={{date 'YYYYMMDD-hhmmss' tz='Asia/Tokyo'}}", '20200110-093000'],
    ['type=schedule,enable=true,priority=1000,prefix=,suffix=,pattern=nightly', 'nightly'],
  ];
  for (const [tags, expected] of rows) {
    it(`${tags} on a schedule → ${expected}`, () => assert.deepEqual(tagsOf({ event: 'schedule', ref: 'refs/heads/master', tags }), [expected]));
  }

  it('gives nothing on other events', () => {
    assert.deepEqual(tagsOf({ ref: 'refs/heads/master', tags: 'type=schedule\ntype=ref,event=branch' }), ['master']);
  });

  it('the default tags on a schedule: nightly first (priority 1000), then the branch', () => {
    assert.deepEqual(tagsOf({ event: 'schedule', ref: 'refs/heads/master' }), ['nightly', 'master']);
  });

  it('a schedule counts as the default branch ({{is_default_branch}}), even without default_branch in the payload', () => {
    const tags = 'type=raw,value=latest,enable={{is_default_branch}}\ntype=raw,value=not-default,enable={{is_not_default_branch}}';
    assert.deepEqual(tagsOf({ event: 'schedule', ref: 'refs/heads/master', tags, payload: { repository: {} } }), ['latest']);
  });
});

describe('tags input › type=semver', () => {
  const rows: [string, string, string, string][] = [
    ['v1.2.3', '{{raw}}', '', 'v1.2.3'],
    ['v1.2.3', '{{version}}', '', '1.2.3'],
    ['v1.2.3', '{{major}}.{{minor}}', '', '1.2'],
    ['v1.2.3', 'v{{major}}', '', 'v1'],
    ['v1.2.3', '{{minor}}', '', '2'],
    ['v1.2.3', '{{patch}}', '', '3'],
    ['p1/v1.2.3', '{{version}}', 'v(\\d.\\d.\\d)$', '1.2.3'],
    ['v2.0.8-beta.67', '{{raw}}', '', 'v2.0.8-beta.67'],
    ['v2.0.8-beta.67', '{{version}}', '', '2.0.8-beta.67'],
    ['v2.0.8-beta.67', '{{major}}', '', '2.0.8-beta.67'],
    ['v2.0.8-beta.67', '{{major}}.{{minor}}', '', '2.0.8-beta.67'],
  ];
  for (const [tag, pattern, match, expected] of rows) {
    const tags = `type=semver,pattern=${pattern}${match ? `,match=${match}` : ''}`;
    it(`git tag ${tag}, ${tags} → ${expected}`, () => assert.deepEqual(only({ ref: `refs/tags/${tag}`, tags }), [expected]));
  }

  it('value= instead of the git tag, on any build; match= takes the version out of it', () => {
    assert.deepEqual(only({ ref: 'refs/heads/master', tags: 'type=semver,pattern={{version}},value=v1.0.0' }), ['1.0.0']);
    assert.deepEqual(only({ ref: 'refs/heads/master', tags: 'type=semver,pattern={{version}},value=p1/v1.0.0,match=v(\\d.\\d.\\d)$' }), ['1.0.0']);
  });

  it('the extended attributes with their defaults (an empty pattern gives nothing)', () => {
    assert.deepEqual(only({ ref: 'refs/tags/v1.2.3', tags: 'type=semver,enable=true,priority=900,prefix=,suffix=,pattern=,value=,match=\nfallback' }), ['fallback']);
  });

  it('not a semver tag: no tag (and a note saying why)', () => {
    const result = meta({ ref: 'refs/tags/release-2024', tags: 'type=semver,pattern={{version}}\ntype=ref,event=tag' });
    assert.deepEqual(result.tags, ['release-2024', 'latest']);
    assert.match(result.notes[0] ?? '', /`release-2024` is not a semantic version/);
  });
});

describe('tags input › type=pep440', () => {
  const rows: [string, string, string, string][] = [
    ['1.2.3', '{{raw}}', '', '1.2.3'],
    ['1.2.3', '{{version}}', '', '1.2.3'],
    ['v1.2.3', '{{version}}', '', '1.2.3'],
    ['1.2.3', '{{major}}.{{minor}}', '', '1.2'],
    ['1.2.3', 'v{{major}}', '', 'v1'],
    ['v1.2.3rc2', '{{raw}}', '', 'v1.2.3rc2'],
    ['1.2.3rc2', '{{version}}', '', '1.2.3rc2'],
    ['p1/v1.2.3', '{{version}}', 'v(\\d.\\d.\\d)$', '1.2.3'],
    ['1.2.3rc2', '{{major}}.{{minor}}', '', '1.2.3rc2'],
    ['1.2.3post1', '{{major}}.{{minor}}', '', '1.2.3.post1'],
    ['1.2.3beta2', '{{major}}.{{minor}}', '', '1.2.3b2'],
    ['1.0dev4', '{{major}}.{{minor}}', '', '1.0.dev4'],
  ];
  for (const [tag, pattern, match, expected] of rows) {
    const tags = `type=pep440,pattern=${pattern}${match ? `,match=${match}` : ''}`;
    it(`git tag ${tag}, ${tags} → ${expected}`, () => assert.deepEqual(only({ ref: `refs/tags/${tag}`, tags }), [expected]));
  }

  it('value= instead of the git tag', () => {
    assert.deepEqual(only({ ref: 'refs/heads/master', tags: 'type=pep440,pattern={{version}},value=1.0.0' }), ['1.0.0']);
  });

  it('a release moves latest (auto), a dev/pre/post release does not', () => {
    assert.deepEqual(tagsOf({ ref: 'refs/tags/1.2.3', tags: 'type=pep440,pattern={{version}}' }), ['1.2.3', 'latest']);
    assert.deepEqual(tagsOf({ ref: 'refs/tags/1.2.3post1', tags: 'type=pep440,pattern={{version}}' }), ['1.2.3.post1']);
  });
});

describe('tags input › type=match', () => {
  const rows: [string, string, string, string][] = [
    ['v1.2.3', '\\d.\\d.\\d', '0', '1.2.3'],
    ['v2.0.8-beta.67', 'v(.*)', '1', '2.0.8-beta.67'],
    ['v2.0.8-beta.67', 'v(\\d.\\d)', '1', '2.0'],
    ['20200110-RC2', '\\d+', '0', '20200110'],
    ['p1/v1.2.3', 'p1/v(\\d.\\d.\\d)', '1', '1.2.3'],
  ];
  for (const [tag, pattern, group, expected] of rows) {
    const tags = `type=match,pattern=${pattern},group=${group}`;
    it(`git tag ${tag}, ${tags} → ${expected}`, () => assert.deepEqual(only({ ref: `refs/tags/${tag}`, tags }), [expected]));
  }

  it('the minimal form, value=, /regex/flags, and latest=auto (a match is a release)', () => {
    assert.deepEqual(tagsOf({ ref: 'refs/tags/v1.2.3', tags: 'type=match,pattern=\\d.\\d.\\d' }), ['1.2.3', 'latest']);
    assert.deepEqual(only({ ref: 'refs/heads/master', tags: 'type=match,pattern=v(.*),group=1,value=v1.0.0' }), ['1.0.0']);
    assert.deepEqual(only({ ref: 'refs/tags/RELEASE-7', tags: 'type=match,pattern=/release-(\\d+)/i,group=1' }), ['7']);
  });

  it('no match on a branch build without value=', () => {
    assert.deepEqual(only({ ref: 'refs/heads/master', tags: 'type=match,pattern=.*\nfallback' }), ['fallback']);
  });
});

describe('tags input › type=edge', () => {
  it('edge on the default branch; nothing on another branch or a tag', () => {
    assert.deepEqual(only({ ref: 'refs/heads/master', tags: 'type=edge' }), ['edge']);
    assert.deepEqual(only({ ref: 'refs/heads/dev', tags: 'type=edge\nfallback' }), ['fallback']);
    assert.deepEqual(only({ ref: 'refs/tags/v1', tags: 'type=edge\nfallback' }), ['fallback']);
  });

  it('branch= names the branch; the extended attributes with defaults', () => {
    assert.deepEqual(only({ ref: 'refs/heads/main', tags: 'type=edge,branch=main' }), ['edge']);
    assert.deepEqual(only({ ref: 'refs/heads/master', tags: 'type=edge,enable=true,priority=700,prefix=,suffix=,branch=' }), ['edge']);
  });
});

describe('tags input › type=ref', () => {
  const rows: [string, string, string[]][] = [
    ['pull_request', 'refs/pull/2/merge', ['pr-2']],
    ['push', 'refs/heads/master', ['master']],
    ['push', 'refs/heads/my/branch', ['my-branch']],
    ['push', 'refs/tags/v1.2.3', ['v1.2.3']],
    ['push', 'refs/tags/v2.0.8-beta.67', ['v2.0.8-beta.67']],
    ['workflow_dispatch', 'refs/heads/master', ['master']],
  ];
  const tags = 'type=ref,event=branch\ntype=ref,event=tag\ntype=ref,event=pr';
  for (const [event, ref, expected] of rows) {
    it(`${event} ${ref} → ${expected.join(', ')}`, () => assert.deepEqual(only({ event, ref, tags }), expected));
  }

  it('the extended attributes with their defaults', () => {
    const extended = [
      'type=ref,enable=true,priority=600,prefix=,suffix=,event=branch',
      'type=ref,enable=true,priority=600,prefix=,suffix=,event=tag',
      'type=ref,enable=true,priority=600,prefix=pr-,suffix=,event=pr',
    ].join('\n');
    assert.deepEqual(only({ event: 'pull_request', ref: 'refs/pull/2/merge', tags: extended }), ['pr-2']);
    assert.deepEqual(only({ ref: 'refs/heads/master', tags: extended }), ['master']);
  });

  it('pull_request_target: the pull request, not its base branch', () => {
    assert.deepEqual(only({ event: 'pull_request_target', ref: 'refs/heads/master', tags, payload: { number: 5, pull_request: { number: 5, head: { ref: 'x' }, base: { ref: 'master' } } } }), ['pr-5']);
  });
});

describe('tags input › type=raw', () => {
  it('value=foo, a value without value=, and a bare line are the same', () => {
    assert.deepEqual(only({ ref: 'refs/heads/master', tags: 'type=raw,value=foo\ntype=raw,value=bar' }), ['foo', 'bar']);
    assert.deepEqual(only({ ref: 'refs/heads/master', tags: 'type=raw,foo\ntype=raw,bar' }), ['foo', 'bar']);
    assert.deepEqual(only({ ref: 'refs/heads/master', tags: 'foo\nbar' }), ['foo', 'bar']);
    assert.deepEqual(only({ ref: 'refs/heads/my/branch', tags: 'type=raw,{{branch}}' }), ['my-branch']);
  });

  it('the extended attributes with their defaults', () => {
    assert.deepEqual(only({ ref: 'refs/heads/master', tags: 'type=raw,enable=true,priority=200,prefix=,suffix=,value=foo' }), ['foo']);
  });
});

describe('tags input › type=sha', () => {
  it('sha-860c190 (short), the full id with format=long', () => {
    assert.deepEqual(only({ ref: 'refs/heads/master', tags: 'type=sha' }), ['sha-860c190']);
    assert.deepEqual(only({ ref: 'refs/heads/master', tags: 'type=sha,format=long' }), [`sha-${SHA}`]);
    assert.deepEqual(only({ ref: 'refs/heads/master', tags: 'type=sha,enable=true,priority=100,prefix=sha-,suffix=,format=short' }), ['sha-860c190']);
  });

  it('DOCKER_METADATA_SHORT_SHA_LENGTH=12 makes the short id (and {{sha}}) 12 characters', () => {
    assert.deepEqual(only({ ref: 'refs/heads/master', tags: 'type=sha\ntype=raw,value=x-{{sha}}', env: { DOCKER_METADATA_SHORT_SHA_LENGTH: '12' } }), ['x-860c1904a1ce', 'sha-860c1904a1ce']);
  });

  it('DOCKER_METADATA_PR_HEAD_SHA=true: a pull request is tagged (and labelled) with its head commit', () => {
    const result = meta({ event: 'pull_request', ref: 'refs/pull/2/merge', tags: 'type=sha', env: { DOCKER_METADATA_PR_HEAD_SHA: 'true' } });
    assert.deepEqual(result.tags, ['sha-0123abc']);
    assert.equal(new Map(result.labels).get('org.opencontainers.image.revision'), HEAD_SHA);
    assert.deepEqual(only({ event: 'pull_request', ref: 'refs/pull/2/merge', tags: 'type=sha' }), ['sha-860c190']);
  });
});

describe('Notes › Image name and tag sanitization', () => {
  it('each run of characters outside [A-Za-z0-9._-] becomes one -', () => {
    assert.deepEqual(only({ ref: 'refs/heads/feature//x@y', tags: 'type=ref,event=branch' }), ['feature-x-y']);
  });
});

describe('Notes › Latest tag', () => {
  it('latest=auto adds latest for type=ref,event=tag, semver, pep440 and match, not for other types', () => {
    assert.deepEqual(tagsOf({ ref: 'refs/tags/v1.2.3', tags: 'type=ref,event=tag' }), ['v1.2.3', 'latest']);
    assert.deepEqual(tagsOf({ ref: 'refs/tags/v1.2.3', tags: 'type=semver,pattern={{version}}' }), ['1.2.3', 'latest']);
    assert.deepEqual(tagsOf({ ref: 'refs/tags/1.2.3', tags: 'type=pep440,pattern={{version}}' }), ['1.2.3', 'latest']);
    assert.deepEqual(tagsOf({ ref: 'refs/tags/v1.2.3', tags: 'type=match,pattern=\\d.\\d' }), ['1.2', 'latest']);
    assert.deepEqual(tagsOf({ ref: 'refs/tags/v1.2.3', tags: 'type=sha\ntype=raw,value=x' }), ['x', 'sha-860c190']);
    assert.deepEqual(tagsOf({ ref: 'refs/heads/master', tags: 'type=ref,event=branch\ntype=edge' }), ['edge', 'master']);
  });

  it('the highest-priority tag decides: a raw tag with priority 1000 keeps latest away', () => {
    assert.deepEqual(tagsOf({ ref: 'refs/tags/v1.2.3', tags: 'type=raw,value=first,priority=1000\ntype=ref,event=tag' }), ['first', 'v1.2.3']);
  });

  it('conditional latest: type=raw,value=latest,enable={{is_default_branch}}', () => {
    const tags = 'type=raw,value=latest,enable={{is_default_branch}}';
    assert.deepEqual(tagsOf({ ref: 'refs/heads/master', tags }), ['latest']);
    assert.throws(() => tagsOf({ ref: 'refs/heads/dev', tags }), /no tag applies/);
  });
});

describe('flavor input', () => {
  it('latest=true adds latest to any build with a tag; latest=false never', () => {
    assert.deepEqual(tagsOf({ ref: 'refs/heads/master', flavor: 'latest=true' }), ['master', 'latest']);
    assert.deepEqual(tagsOf({ ref: 'refs/tags/v1.2.3', flavor: 'latest=false' }), ['v1.2.3']);
    assert.deepEqual(tagsOf({ ref: 'refs/tags/v1.2.3', flavor: 'latest=auto' }), ['v1.2.3', 'latest']);
  });

  it('prefix= and suffix= go on every tag without its own, not on latest unless onlatest=true', () => {
    const tags = 'type=semver,pattern={{version}}\ntype=semver,pattern={{major}},prefix=v';
    assert.deepEqual(tagsOf({ ref: 'refs/tags/v1.2.3', tags, flavor: 'prefix=app-\nsuffix=-alpine' }), ['app-1.2.3-alpine', 'v1-alpine', 'latest']);
    assert.deepEqual(tagsOf({ ref: 'refs/tags/v1.2.3', tags, flavor: 'prefix=app-,onlatest=true\nsuffix=-alpine,onlatest=true' }), ['app-1.2.3-alpine', 'v1-alpine', 'app-latest-alpine']);
  });

  it('the flavor prefix does not replace the sha- and pr- defaults (they are the rule\'s own prefix)', () => {
    assert.deepEqual(tagsOf({ ref: 'refs/heads/master', tags: 'type=sha\ntype=ref,event=branch', flavor: 'prefix=app-' }), ['app-master', 'sha-860c190']);
  });

  it('the flavor prefix may use global expressions', () => {
    assert.deepEqual(tagsOf({ ref: 'refs/heads/dev', tags: 'type=raw,value=x', flavor: 'prefix={{branch}}-' }), ['dev-x']);
  });
});

describe('Notes › priority attribute', () => {
  it('higher first; the defaults order schedule, semver, match, edge, ref, raw, sha; the first is the version', () => {
    const tags = ['type=sha', 'type=raw,value=raw', 'type=ref,event=branch', 'type=edge', 'type=match,pattern=.*,value=match', 'type=semver,pattern={{version}},value=1.0.0', 'type=schedule'].join('\n');
    const result = meta({ event: 'schedule', ref: 'refs/heads/master', tags, flavor: 'latest=false' });
    assert.deepEqual(result.tags, ['nightly', '1.0.0', 'match', 'edge', 'master', 'raw', 'sha-860c190']);
    assert.equal(result.version, 'nightly');
  });

  it('priority= reorders, and the version follows', () => {
    const result = meta({ ref: 'refs/tags/v1.2.3', tags: 'type=semver,pattern={{version}}\ntype=sha,priority=1100', flavor: 'latest=false' });
    assert.deepEqual(result.tags, ['sha-860c190', '1.2.3']);
    assert.equal(result.version, 'sha-860c190');
  });
});

describe('Notes › Global expressions', () => {
  it('type=sha,prefix={{branch}}- and type=raw,value=mytag-{{branch}}-{{sha}}', () => {
    assert.deepEqual(only({ ref: 'refs/heads/master', tags: 'type=sha,prefix={{branch}}-' }), ['master-860c190']);
    assert.deepEqual(only({ ref: 'refs/heads/master', tags: 'type=raw,value=mytag-{{branch}}-{{sha}}' }), ['mytag-master-860c190']);
  });

  const expand = (ref: string, expression: string, c: Partial<Case> = {}): string => only({ ref, tags: `type=raw,value=v-${expression}`, ...c })[0]!.slice(2);
  it('{{branch}}: empty unless the ref is a branch', () => {
    assert.equal(expand('refs/pull/2/merge', '{{branch}}', { event: 'pull_request' }), '');
    assert.equal(expand('refs/heads/master', '{{branch}}'), 'master');
    assert.equal(expand('refs/heads/my/branch', '{{branch}}'), 'my-branch');
    assert.equal(expand('refs/tags/v1.2.3', '{{branch}}'), '');
  });

  it('{{tag}}: empty unless the ref is a tag', () => {
    assert.equal(expand('refs/pull/2/merge', '{{tag}}', { event: 'pull_request' }), '');
    assert.equal(expand('refs/heads/master', '{{tag}}'), '');
    assert.equal(expand('refs/tags/v1.2.3', '{{tag}}'), 'v1.2.3');
  });

  it('{{sha}}: the short commit id', () => assert.equal(expand('refs/heads/master', '{{sha}}'), '860c190'));

  it('{{base_ref}}: the pull request target; the payload base_ref on a tag push; empty on a branch', () => {
    assert.equal(expand('refs/pull/2/merge', '{{base_ref}}', { event: 'pull_request' }), 'master');
    assert.equal(expand('refs/heads/master', '{{base_ref}}'), '');
    assert.equal(expand('refs/heads/my/branch', '{{base_ref}}'), '');
    assert.equal(expand('refs/tags/v1.2.3', '{{base_ref}}', { payload: { base_ref: 'refs/heads/master' } }), 'master');
  });

  it('{{is_default_branch}} and {{is_not_default_branch}}', () => {
    assert.equal(expand('refs/heads/master', '{{is_default_branch}}-{{is_not_default_branch}}'), 'true-false');
    assert.equal(expand('refs/heads/dev', '{{is_default_branch}}-{{is_not_default_branch}}'), 'false-true');
    assert.equal(expand('refs/tags/v1.2.3', '{{is_default_branch}}-{{is_not_default_branch}}'), 'false-true');
    assert.equal(expand('refs/pull/2/merge', '{{is_default_branch}}', { event: 'pull_request' }), 'false');
  });

  const rendered = (ref: string, template: string, c: Partial<Case> = {}): string =>
    meta({ ref, tags: 'x', labels: `test.value=${template}`, ...c }).labels.find(([name]) => name === 'test.value')![1];
  it("{{date '<format>' tz='<timezone>'}} (moment.js formats)", () => {
    const at = new Date('2020-01-10T15:25:50Z');
    assert.equal(rendered('refs/heads/master', "{{date 'YYYYMMDD'}}", { now: at }), '20200110');
    assert.equal(rendered('refs/heads/master', "{{date 'dddd, MMMM Do YYYY, h:mm:ss a'}}", { now: at }), 'Friday, January 10th 2020, 3:25:50 pm');
    assert.equal(rendered('refs/heads/master', "{{date 'YYYYMMDD-HHmmss' tz='Asia/Tokyo'}}"), '20200110-093000');
  });

  it("{{commit_date '<format>' tz='<timezone>'}}: the pushed commit's date, else the clock", () => {
    const payload = { head_commit: { id: SHA, timestamp: '2020-01-10T15:25:50+00:00' } };
    assert.equal(rendered('refs/heads/master', "{{commit_date 'YYYYMMDD'}}", { payload }), '20200110');
    assert.equal(rendered('refs/heads/master', "{{commit_date 'dddd, MMMM Do YYYY, h:mm:ss a'}}", { payload }), 'Friday, January 10th 2020, 3:25:50 pm');
    assert.equal(rendered('refs/heads/master', "{{commit_date 'YYYYMMDD-HHmmss' tz='Asia/Tokyo'}}", { payload: { head_commit: { id: SHA, timestamp: '2020-01-10T00:30:00Z' } } }), '20200110-093000');
    assert.equal(rendered('refs/heads/master', "{{commit_date 'YYYY-MM-DDTHH:mm:ss.SSS[Z]'}}"), '2020-01-10T00:30:00.000Z');
  });

  it('labels may use them: org.opencontainers.image.created={{commit_date …}} overrides the computed label', () => {
    const payload = { commits: [{ id: SHA, timestamp: '2019-12-31T23:59:58Z' }] };
    const labels = new Map(meta({ ref: 'refs/heads/master', labels: "org.opencontainers.image.created={{commit_date 'YYYY-MM-DDTHH:mm:ss.SSS[Z]'}}", payload }).labels);
    assert.equal(labels.get('org.opencontainers.image.created'), '2019-12-31T23:59:58.000Z');
  });
});

describe('Notes › Major version zero', () => {
  it('v0.1.2: {{major}} can be left out with enable=false', () => {
    const tags = 'type=semver,pattern={{version}}\ntype=semver,pattern={{major}}.{{minor}}\ntype=semver,pattern={{major}},enable=false';
    assert.deepEqual(tagsOf({ ref: 'refs/tags/v0.1.2', tags }), ['0.1.2', '0.1', 'latest']);
  });
});

describe('Notes › Overwrite labels and annotations; Annotations', () => {
  it('user labels replace computed ones and add their own, sorted', () => {
    const labels = meta({
      ref: 'refs/heads/master',
      labels: 'maintainer=CrazyMax\norg.opencontainers.image.title=MyCustomTitle\norg.opencontainers.image.description=Another description\norg.opencontainers.image.vendor=MyCompany',
    }).labels;
    assert.deepEqual(labels.map(([name]) => name), [
      'maintainer',
      'org.opencontainers.image.created',
      'org.opencontainers.image.description',
      'org.opencontainers.image.licenses',
      'org.opencontainers.image.revision',
      'org.opencontainers.image.source',
      'org.opencontainers.image.title',
      'org.opencontainers.image.url',
      'org.opencontainers.image.vendor',
      'org.opencontainers.image.version',
    ]);
    assert.equal(new Map(labels).get('org.opencontainers.image.title'), 'MyCustomTitle');
  });

  it('annotations: the same OCI set at the manifest level by default', () => {
    const result = meta({ ref: 'refs/tags/v1.2.3', annotations: 'org.opencontainers.image.title=Custom' });
    assert.ok(result.leveledAnnotations.includes('manifest:org.opencontainers.image.title=Custom'));
    assert.ok(result.leveledAnnotations.includes('manifest:org.opencontainers.image.version=v1.2.3'));
    assert.equal(result.leveledAnnotations.length, 8);
    assert.deepEqual(result.userAnnotations, [['org.opencontainers.image.title', 'Custom']]);
  });

  it('DOCKER_METADATA_ANNOTATIONS_LEVELS=manifest,index lists each annotation at both levels', () => {
    const result = meta({ ref: 'refs/heads/master', env: { DOCKER_METADATA_ANNOTATIONS_LEVELS: 'manifest,index' } });
    assert.equal(result.leveledAnnotations.length, 16);
    assert.equal(result.leveledAnnotations[0], 'manifest:org.opencontainers.image.created=2020-01-10T00:30:00.000Z');
    assert.equal(result.leveledAnnotations[8], 'index:org.opencontainers.image.created=2020-01-10T00:30:00.000Z');
  });
});

describe('SOURCE_DATE_EPOCH', () => {
  it('fixes the clock for {{date}} and org.opencontainers.image.created', () => {
    const result = meta({ ref: 'refs/heads/master', tags: "type=raw,value={{date 'YYYYMMDD-HHmmss'}}", env: { SOURCE_DATE_EPOCH: '1700000000' }, now: new Date() });
    assert.deepEqual(result.tags, ['20231114-221320']);
    assert.equal(new Map(result.labels).get('org.opencontainers.image.created'), '2023-11-14T22:13:20.000Z');
  });
});
