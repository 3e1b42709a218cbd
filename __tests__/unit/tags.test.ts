import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';

import type { SourceContext } from '../../src/domain/source-context.js';
import { computeTags, TagRuleError } from '../../src/domain/tags/index.js';

const SHA = '0123abcdef0123abcdef0123abcdef0123abcdef';
const DESTINATION = 'swr.cn-north-4.myhuaweicloud.com/my-org/my-app';
const NOW = new Date(Date.UTC(2024, 0, 2, 3, 4, 5));

const BRANCH_PUSH: SourceContext = {
  sha: SHA,
  ref: 'refs/heads/main',
  branch: 'main',
  tag: '',
  pullRequest: undefined,
  defaultBranch: 'main',
  runNumber: '42',
  repositoryUrl: 'https://github.com/my-org/my-app',
  event: 'branch',
};
const TAG_PUSH: SourceContext = { ...BRANCH_PUSH, ref: 'refs/tags/v1.2.3', branch: '', tag: 'v1.2.3', event: 'tag' };
const PULL_REQUEST: SourceContext = {
  ...BRANCH_PUSH,
  ref: 'refs/pull/7/merge',
  branch: 'feature/login',
  pullRequest: 7,
  event: 'pr',
};
const OTHER: SourceContext = { ...BRANCH_PUSH, ref: '', branch: '', event: 'other' };

function tags(rules: string, source: SourceContext = BRANCH_PUSH): string[] {
  return computeTags({ rules, destination: DESTINATION }, source, NOW).tags;
}

function ruleError(rules: string, source: SourceContext = BRANCH_PUSH): TagRuleError {
  try {
    computeTags({ rules, destination: DESTINATION }, source, NOW);
  } catch (error) {
    assert.ok(error instanceof TagRuleError, `expected TagRuleError, got ${String(error)}`);
    return error;
  }
  throw new assert.AssertionError({ message: `expected ${JSON.stringify(rules)} to throw` });
}

describe('fixed tags', () => {
  it('uses a line without type= as the tag', () => {
    assert.deepEqual(tags('latest\nv1'), ['latest', 'v1']);
  });

  it('skips blank lines and # comments', () => {
    assert.deepEqual(tags('\n  # the moving tag\nlatest\n\n   \n# v2\nstable\n'), ['latest', 'stable']);
  });

  it('accepts CRLF line endings and trims each line', () => {
    assert.deepEqual(tags('  latest  \r\nv1\r\n'), ['latest', 'v1']);
  });

  it('expands templates in a fixed tag', () => {
    assert.deepEqual(tags("nightly-{{date 'YYYYMMDD'}}"), ['nightly-20240102']);
  });

  it('accepts a full reference to the destination and keeps its tag', () => {
    assert.deepEqual(tags(`${DESTINATION}:1.2.3\n${DESTINATION}:latest`), ['1.2.3', 'latest']);
  });

  it('compares the full reference repository case-insensitively', () => {
    assert.deepEqual(tags('SWR.cn-north-4.myhuaweicloud.com/my-org/my-app:edge'), ['edge']);
  });

  it('accepts a reference whose registry has a port', () => {
    const result = computeTags({ rules: 'localhost:5000/team/app:v9', destination: 'localhost:5000/team/app' }, BRANCH_PUSH, NOW);
    assert.deepEqual(result.tags, ['v9']);
  });

  it('rejects a full reference to another repository, naming the line and the destination', () => {
    const line = 'ghcr.io/my-org/my-app:latest';
    const error = ruleError(`latest\n${line}`);
    assert.equal(error.line, line);
    assert.match(error.message, /ghcr\.io\/my-org\/my-app:latest/);
    assert.match(error.message, /swr\.cn-north-4\.myhuaweicloud\.com\/my-org\/my-app/);
  });

  it('rejects a full reference to another repository that follows valid tags', () => {
    assert.equal(ruleError('a\nb\ndocker.io/library/nginx:1').line, 'docker.io/library/nginx:1');
  });
});

describe('type=sha', () => {
  it('gives sha- and the first 7 hex digits', () => {
    assert.deepEqual(tags('type=sha'), ['sha-0123abc']);
  });

  it('gives the full id with format=long', () => {
    assert.deepEqual(tags('type=sha,format=long'), [`sha-${SHA}`]);
  });

  it('accepts format=short explicitly', () => {
    assert.deepEqual(tags('type=sha,format=short'), ['sha-0123abc']);
  });

  it('replaces the default prefix with prefix=', () => {
    assert.deepEqual(tags('type=sha,prefix=git-'), ['git-0123abc']);
  });

  it('drops the prefix with an explicitly empty prefix=', () => {
    assert.deepEqual(tags('type=sha,prefix='), ['0123abc']);
  });

  it('adds a suffix after the id', () => {
    assert.deepEqual(tags('type=sha,suffix=-amd64'), ['sha-0123abc-amd64']);
  });

  it('gives nothing when the commit is unknown, even with a prefix', () => {
    assert.deepEqual(tags('type=sha\nlatest', { ...BRANCH_PUSH, sha: '' }), ['latest']);
  });

  it('applies on every event', () => {
    assert.deepEqual(tags('type=sha', TAG_PUSH), ['sha-0123abc']);
    assert.deepEqual(tags('type=sha', PULL_REQUEST), ['sha-0123abc']);
    assert.deepEqual(tags('type=sha', OTHER), ['sha-0123abc']);
  });
});

describe('type=ref', () => {
  const RULES = 'type=ref,event=branch\ntype=ref,event=tag\ntype=ref,event=pr';

  it('gives the branch name on a branch build only', () => {
    assert.deepEqual(tags(RULES, { ...BRANCH_PUSH, branch: 'develop', ref: 'refs/heads/develop' }), ['develop']);
  });

  it('gives the tag name on a tag build only (and latest, as flavor latest=auto adds it for a git tag)', () => {
    assert.deepEqual(tags(RULES, TAG_PUSH), ['v1.2.3', 'latest']);
  });

  it('gives pr-<number> on a pull request only, not its head branch', () => {
    assert.deepEqual(tags(RULES, PULL_REQUEST), ['pr-7']);
  });

  it('lets prefix= replace pr-', () => {
    assert.deepEqual(tags('type=ref,event=pr,prefix=pull-', PULL_REQUEST), ['pull-7']);
    assert.deepEqual(tags('type=ref,event=pr,prefix=', PULL_REQUEST), ['7']);
  });

  it('adds prefix and suffix to a branch', () => {
    assert.deepEqual(tags('type=ref,event=branch,prefix=br-,suffix=-{{run_number}}'), ['br-main-42']);
  });

  it('gives nothing for a pull request without a number', () => {
    assert.deepEqual(tags('type=ref,event=pr\nlatest', { ...PULL_REQUEST, pullRequest: undefined }), ['latest']);
  });
});

describe('type=match', () => {
  it('takes the chosen group from the tag', () => {
    const source = { ...TAG_PUSH, tag: 'release-v1.2', ref: 'refs/tags/release-v1.2' };
    assert.deepEqual(tags('type=match,pattern=v(\\d+\\.\\d+),group=1', source), ['1.2', 'latest']);
  });

  it('takes the whole match by default (group 0)', () => {
    const source = { ...TAG_PUSH, tag: 'release-v1.2', ref: 'refs/tags/release-v1.2' };
    assert.deepEqual(tags('type=match,pattern=v\\d+\\.\\d+', source), ['v1.2', 'latest']);
  });

  it('reads the branch with source=branch', () => {
    const source = { ...BRANCH_PUSH, branch: 'release/2024.05', ref: 'refs/heads/release/2024.05' };
    assert.deepEqual(tags('type=match,pattern=release/(.*),group=1,source=branch', source), ['2024.05']);
  });

  it('runs on value= instead of the tag when given', () => {
    assert.deepEqual(tags('type=match,pattern=(\\d+),group=1,value=build{{run_number}}'), ['42', 'latest']);
  });

  it('accepts a quoted pattern that contains commas', () => {
    const source = { ...TAG_PUSH, tag: 'v12345', ref: 'refs/tags/v12345' };
    assert.deepEqual(tags('type=match,"pattern=v(\\d{1,3})",group=1', source), ['123', 'latest']);
  });

  it('gives nothing when the text does not match', () => {
    assert.deepEqual(tags('type=match,pattern=^release-(.*)$,group=1\nlatest', TAG_PUSH), ['latest']);
  });

  it('gives nothing when the chosen group did not take part in the match', () => {
    assert.deepEqual(tags('type=match,pattern=v1|(x),group=1\nlatest', TAG_PUSH), ['latest']);
  });

  it('gives nothing on a branch build when the source is the tag', () => {
    assert.deepEqual(tags('type=match,pattern=.*\nlatest'), ['latest']);
  });
});

describe('type=raw', () => {
  it('always applies', () => {
    assert.deepEqual(tags('type=raw,value=edge', PULL_REQUEST), ['edge']);
    assert.deepEqual(tags('type=raw,value=edge', OTHER), ['edge']);
  });

  it('expands templates with prefix and suffix', () => {
    assert.deepEqual(tags('type=raw,value={{branch}},prefix={{run_number}}-,suffix=-{{short_sha}}'), ['42-main-0123abc']);
  });

  it('gives nothing when the value expands to nothing', () => {
    assert.deepEqual(tags('type=raw,value={{branch}}\nlatest', TAG_PUSH), ['latest']);
  });

  it('accepts a quoted value and attributes in any order', () => {
    assert.deepEqual(tags('value="a,b",type=raw'), ['a-b']);
  });

  it('turns "" inside a quoted value into a literal quote (then sanitised)', () => {
    assert.deepEqual(tags('type=raw,value="x""y"'), ['x-y']);
  });
});

describe('templates', () => {
  const expand = (template: string, source: SourceContext = BRANCH_PUSH): string[] =>
    tags(`type=raw,value=${template}`, source);

  it('{{branch}} and {{tag}}', () => {
    assert.deepEqual(expand('b-{{branch}}'), ['b-main']);
    assert.deepEqual(expand('t-{{tag}}', TAG_PUSH), ['t-v1.2.3']);
  });

  it('{{sha}} and {{short_sha}} are the first 7 digits of the commit (metadata-action: "the short commit SHA")', () => {
    assert.deepEqual(expand('{{sha}}'), ['0123abc']);
    assert.deepEqual(expand('{{short_sha}}'), ['0123abc']);
  });

  it('{{run_number}}', () => {
    assert.deepEqual(expand('run-{{run_number}}'), ['run-42']);
  });

  it('{{is_default_branch}} is true only on a build of the default branch', () => {
    assert.deepEqual(expand('{{is_default_branch}}'), ['true']);
    assert.deepEqual(expand('{{is_default_branch}}', { ...BRANCH_PUSH, branch: 'dev' }), ['false']);
    assert.deepEqual(expand('{{is_default_branch}}', TAG_PUSH), ['false']);
    assert.deepEqual(expand('{{is_default_branch}}', { ...BRANCH_PUSH, defaultBranch: '' }), ['false']);
  });

  it('{{is_default_branch}} is false for a pull request whose head branch has the default name', () => {
    assert.deepEqual(expand('{{is_default_branch}}', { ...PULL_REQUEST, branch: 'main' }), ['false']);
  });

  it("{{date 'FORMAT'}} renders every token in UTC", () => {
    assert.deepEqual(expand("{{date 'YYYYMMDD-HHmmss'}}"), ['20240102-030405']);
  });

  it('{{date "FORMAT"}} with double quotes, commas and spaces inside the braces', () => {
    assert.deepEqual(expand('{{date "YYYY,MM DD"}}'), ['2024-01-02']);
  });

  it('pads single-digit fields and copies separators', () => {
    const late = new Date(Date.UTC(987, 11, 31, 23, 59, 58));
    const result = computeTags({ rules: "type=raw,value={{date 'YYYY.MM.DD_HH.mm.ss'}}", destination: DESTINATION }, BRANCH_PUSH, late);
    assert.deepEqual(result.tags, ['0987.12.31_23.59.58']);
  });

  it('accepts spaces inside the braces', () => {
    assert.deepEqual(expand('{{ branch }}-{{  short_sha }}'), ['main-0123abc']);
  });

  it('expands an unknown value ({{run_number}} on a local build) to nothing', () => {
    assert.deepEqual(expand('run{{run_number}}', { ...BRANCH_PUSH, runNumber: '' }), ['run']);
  });
});

describe('enable=', () => {
  it('enable=true applies and enable=false skips', () => {
    assert.deepEqual(tags('type=raw,value=a,enable=true\ntype=raw,value=b,enable=false'), ['a']);
  });

  it('works on every rule type', () => {
    const rules = [
      'type=sha,enable=false',
      'type=ref,event=tag,enable=false',
      'type=semver,pattern={{version}},enable=false',
      'type=match,pattern=.*,enable=false',
      'type=raw,value=x,enable=false',
      'type=raw,value=kept',
    ].join('\n');
    assert.deepEqual(tags(rules, TAG_PUSH), ['kept']);
  });

  it('expands templates: latest only on the default branch', () => {
    const rules = 'type=raw,value=latest,enable={{is_default_branch}}\ntype=sha';
    assert.deepEqual(tags(rules), ['latest', 'sha-0123abc']);
    assert.deepEqual(tags(rules, { ...BRANCH_PUSH, branch: 'dev', ref: 'refs/heads/dev' }), ['sha-0123abc']);
  });

  it('rejects a template that expands to something other than true/false, naming the rule', () => {
    const line = 'type=raw,value=x,enable={{branch}}';
    const error = ruleError(line);
    assert.equal(error.line, line);
    assert.equal(
      error.message,
      'tags: rule `type=raw,value=x,enable={{branch}}`: enable must be `true` or `false` but is `main`; use enable=true, enable=false or a template such as enable={{is_default_branch}}',
    );
  });

  it('rejects a literal that is not true/false, naming the rule', () => {
    const error = ruleError('type=sha,enable=yes');
    assert.equal(error.line, 'type=sha,enable=yes');
    assert.match(error.message, /enable must be `true` or `false` but is `yes`/);
  });
});

describe('sanitisation', () => {
  it('turns characters outside [A-Za-z0-9_.-] into -', () => {
    const source = { ...BRANCH_PUSH, branch: 'feature/x', ref: 'refs/heads/feature/x' };
    assert.deepEqual(tags('type=ref,event=branch', source), ['feature-x']);
    assert.deepEqual(tags('type=raw,value=a b+c@d', source), ['a-b-c-d']);
  });

  it('keeps upper case, dots and underscores', () => {
    assert.deepEqual(tags('Release_1.0'), ['Release_1.0']);
  });

  it('replaces a leading dot or dash with _', () => {
    assert.deepEqual(tags('.hidden\n-dash'), ['_hidden', '_dash']);
  });

  it('replaces a leading character that sanitises to - with _', () => {
    const source = { ...BRANCH_PUSH, branch: '/odd', ref: 'refs/heads//odd' };
    assert.deepEqual(tags('type=ref,event=branch', source), ['_odd']);
  });

  it('truncates to 128 characters', () => {
    const branch = 'b'.repeat(200);
    const result = tags('type=ref,event=branch,prefix=x-', { ...BRANCH_PUSH, branch, ref: `refs/heads/${branch}` });
    assert.deepEqual(result, [`x-${'b'.repeat(126)}`]);
  });

  it('turns one non-ASCII character into one -', () => {
    assert.deepEqual(tags('type=raw,value=caf\u00e9-\u{1F680}'), ['caf---']);
  });
});

describe('result', () => {
  it('de-duplicates keeping the first occurrence, after sanitising', () => {
    const source = { ...BRANCH_PUSH, branch: 'feature/x', ref: 'refs/heads/feature/x' };
    assert.deepEqual(tags('type=ref,event=branch\nlatest\nfeature-x\ntype=raw,value=latest', source), ['feature-x', 'latest']);
  });

  it('orders by priority (ref 600, raw 200, sha 100), rule order among equals', () => {
    assert.deepEqual(tags('type=sha\nlatest\ntype=ref,event=branch'), ['main', 'latest', 'sha-0123abc']);
  });

  it('version is the first tag by priority', () => {
    const result = computeTags({ rules: 'type=sha\nlatest', destination: DESTINATION }, BRANCH_PUSH, NOW);
    assert.equal(result.version, 'latest');
  });

  it('throws a plain Error naming the build and the fix when no tag applies', () => {
    assert.throws(
      () => computeTags({ rules: 'type=ref,event=tag\ntype=ref,event=pr', destination: DESTINATION }, BRANCH_PUSH, NOW),
      (error: unknown) => {
        assert.ok(error instanceof Error && !(error instanceof TagRuleError));
        assert.equal(
          error.message,
          'tags: no tag applies to this build (event branch, ref refs/heads/main): add a fixed tag such as `latest`, or a rule that applies to branch builds, e.g. `type=ref,event=branch`',
        );
        return true;
      },
    );
  });

  it('names the event in the empty-result error for a pull request', () => {
    assert.throws(() => tags('type=ref,event=branch', PULL_REQUEST), /event pr, ref refs\/pull\/7\/merge\): .*pull requests, e\.g\. `type=ref,event=pr`/);
  });

  it('throws the empty-result error for empty rules', () => {
    assert.throws(() => tags('\n# nothing\n', OTHER), /^Error: tags: no tag applies to this build \(event other, ref unknown\)/);
  });
});

describe('rewritten tags are reported', () => {
  it('a fixed or raw tag that is not a valid Docker tag is named with what is pushed instead', () => {
    const computed = computeTags({ rules: 'v1.0+build\ntype=raw,value=release/2024\nlatest\ntype=ref,event=branch', destination: DESTINATION }, { ...BRANCH_PUSH, branch: 'feature/x' }, NOW);
    // Ordered by priority as metadata-action orders them: type=ref (600) before raw and fixed (200).
    assert.deepEqual(computed.tags, ['feature-x', 'v1.0-build', 'release-2024', 'latest']);
    assert.deepEqual(computed.rewritten, [
      { written: 'v1.0+build', pushed: 'v1.0-build' },
      { written: 'release/2024', pushed: 'release-2024' },
    ], 'branch names are sanitised as documented and not reported');
  });

  it('nothing is reported when every written tag is valid', () => {
    assert.deepEqual(computeTags({ rules: 'latest\nv1.0.0', destination: DESTINATION }, BRANCH_PUSH, NOW).rewritten, []);
  });
});
