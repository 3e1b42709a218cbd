import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';

import type { SourceContext } from '../../src/domain/source-context.js';
import { computeTags, parseTagRules, TagRuleError } from '../../src/domain/tags/index.js';

const SOURCE: SourceContext = {
  sha: '0123abcdef0123abcdef0123abcdef0123abcdef',
  ref: 'refs/heads/main',
  branch: 'main',
  tag: '',
  pullRequest: undefined,
  defaultBranch: 'main',
  runNumber: '42',
  repositoryUrl: '',
  event: 'branch',
};

/** Asserts the single line is rejected by both the syntax check and computeTags, with the same message. */
function syntaxError(line: string): string {
  const { rules, errors } = parseTagRules(line);
  assert.equal(rules.length, 0, `expected ${line} to be rejected`);
  assert.equal(errors.length, 1);
  const message = errors[0] ?? '';
  assert.ok(message.startsWith(`tags: rule \`${line}\`: `), `message should name the rule: ${message}`);
  assert.ok(!message.includes('\n'), 'message is one line');
  assert.throws(
    () => computeTags({ rules: `latest\n${line}`, destination: 'swr.example.com/org/app' }, SOURCE, new Date(0)),
    (error: unknown) => error instanceof TagRuleError && error.line === line && error.message === message,
  );
  return message.slice(`tags: rule \`${line}\`: `.length);
}

describe('parseTagRules', () => {
  it('returns the parsed rules in order and no errors for a valid input', () => {
    const { rules, errors } = parseTagRules('latest\n# comment\ntype=sha\ntype=ref,event=pr\ntype=semver,pattern={{version}}');
    assert.deepEqual(errors, []);
    assert.deepEqual(
      rules.map((rule) => [rule.type, rule.line]),
      [
        ['fixed', 'latest'],
        ['sha', 'type=sha'],
        ['ref', 'type=ref,event=pr'],
        ['semver', 'type=semver,pattern={{version}}'],
      ],
    );
  });

  it('reports every bad line, not only the first', () => {
    const { rules, errors } = parseTagRules('type=nope\nlatest\ntype=sha,format=tiny');
    assert.equal(rules.length, 1);
    assert.equal(errors.length, 2);
    assert.match(errors[0] ?? '', /^tags: rule `type=nope`/);
    assert.match(errors[1] ?? '', /^tags: rule `type=sha,format=tiny`/);
  });

  it('accepts a full reference to any repository (the destination is checked later)', () => {
    assert.deepEqual(parseTagRules('ghcr.io/o/r:1').errors, []);
  });
});

describe('syntax errors', () => {
  it('unknown type lists the known types', () => {
    assert.equal(syntaxError('type=nope'), 'has unknown type `nope`; use one of schedule, semver, pep440, match, edge, ref, raw, sha');
  });

  it('attributes without type= are type=raw, as in metadata-action', () => {
    const { rules, errors } = parseTagRules('value=latest');
    assert.deepEqual(errors, []);
    assert.equal(rules[0]?.type, 'raw');
  });

  it('unknown attribute lists the allowed keys for the type', () => {
    assert.equal(syntaxError('type=sha,pattern=x'), 'has unknown attribute `pattern` for type=sha; allowed: type, prefix, suffix, enable, priority, format');
    assert.match(syntaxError('type=raw,value=x,pattern=y'), /unknown attribute `pattern` for type=raw; allowed: type, prefix, suffix, enable, priority, value$/);
  });

  it('keys are read case-insensitively, as metadata-action lower-cases them', () => {
    assert.deepEqual(computeTags({ rules: 'Type=raw,Value=x', destination: 'swr.example.com/org/app' }, SOURCE, new Date(0)).tags, ['x']);
  });

  it('attribute without =', () => {
    assert.equal(syntaxError('type=sha,long'), 'attribute `long` is not key=value; write it as e.g. `value=long`');
  });

  it('empty attribute from a stray comma', () => {
    assert.match(syntaxError('type=sha,'), /empty attribute/);
  });

  it('attribute given twice', () => {
    assert.equal(syntaxError('type=raw,value=a,value=b'), 'attribute `value` is given twice; keep one');
  });

  it('attribute without a key', () => {
    assert.match(syntaxError('type=sha,=x'), /attribute `=x` has no key/);
  });

  it('unclosed quote', () => {
    assert.match(syntaxError('type=raw,value="a,b'), /`"` that is never closed/);
  });

  it('comma-separated fixed tags', () => {
    assert.match(syntaxError('latest,v1'), /one tag per line/);
  });

  it('missing required attributes', () => {
    assert.equal(syntaxError('type=raw'), 'type=raw needs `value=`, e.g. `type=raw,value=latest`');
    assert.equal(syntaxError('type=semver'), 'type=semver needs `pattern=`, e.g. `type=semver,pattern={{major}}.{{minor}}`');
    assert.match(syntaxError('type=match'), /^type=match needs `pattern=`/);
    assert.equal(syntaxError('type=ref'), 'type=ref needs `event=`; use `event=branch`, `event=tag`, `event=pr`');
  });

  it('unknown choices', () => {
    assert.equal(syntaxError('type=ref,event=push'), 'type=ref has unknown event `push`; use `event=branch`, `event=tag`, `event=pr`');
    assert.equal(syntaxError('type=sha,format=full'), 'type=sha has unknown format `full`; use `format=short`, `format=long`');
    assert.equal(syntaxError('type=match,pattern=x,source=ref'), 'type=match has unknown source `ref`; use `source=tag`, `source=branch`');
  });

  it('invalid regex', () => {
    assert.match(syntaxError('type=match,pattern=v(\\d+'), /^pattern is not a valid regular expression \(.+\); fix it/);
  });

  it('match group that does not exist or is not a number', () => {
    assert.equal(syntaxError('type=match,pattern=v(\\d+),group=2'), 'group `2` does not exist; the pattern has groups 0 to 1');
    assert.match(syntaxError('type=match,pattern=v(\\d+),group=one'), /group `one` does not exist/);
  });

  it('unknown template names it and lists the known ones', () => {
    assert.equal(
      syntaxError('type=raw,value={{commit}}'),
      "unknown template `{{commit}}`; known templates: {{branch}}, {{tag}}, {{sha}}, {{base_ref}}, {{is_default_branch}}, {{is_not_default_branch}}, {{short_sha}}, {{run_number}}, {{date 'YYYYMMDD'}}, {{commit_date 'YYYYMMDD'}}",
    );
  });

  it('semver placeholders are only known in a semver pattern', () => {
    assert.match(syntaxError('type=raw,value={{version}}'), /unknown template `\{\{version\}\}`/);
    assert.match(syntaxError('type=semver,pattern={{build}}'), /unknown template `\{\{build\}\}`; known templates: \{\{version\}\}, \{\{major\}\}/);
  });

  it('templates are checked in prefix, suffix, enable and fixed tags too', () => {
    assert.match(syntaxError('type=sha,prefix={{nope}}-'), /unknown template `\{\{nope\}\}`/);
    assert.match(syntaxError('type=sha,suffix=-{{nope}}'), /unknown template `\{\{nope\}\}`/);
    assert.match(syntaxError('type=sha,enable={{nope}}'), /unknown template `\{\{nope\}\}`/);
    assert.match(syntaxError('latest-{{nope}}'), /unknown template `\{\{nope\}\}`/);
  });

  it('unclosed template', () => {
    assert.equal(syntaxError('type=raw,value={{branch'), 'template `{{branch` is not closed; end it with `}}`');
  });

  it('date without a quoted format', () => {
    assert.match(syntaxError('type=raw,value={{date}}'), /needs a quoted format/);
    assert.match(syntaxError('type=raw,value={{date YYYY}}'), /needs a quoted format/);
  });

  it('date format with a token that cannot be rendered as moment.js would, or empty', () => {
    assert.equal(
      syntaxError("type=raw,value={{date 'YYYYMMDD-zz'}}"),
      "`{{date 'YYYYMMDD-zz'}}` uses `zz`: time zone abbreviations are not supported; use Z (offset) or put literal text in [brackets]",
    );
    assert.match(syntaxError("type=raw,value={{date ''}}"), /empty format/);
  });

  it('literal enable that is not true or false', () => {
    assert.match(syntaxError('type=raw,value=x,enable=1'), /enable must be `true` or `false` but is `1`/);
  });

  it('full reference without a tag, with an empty tag, or by digest', () => {
    assert.equal(syntaxError('swr.example.com/org/app'), 'is a full reference without a tag; write `swr.example.com/org/app:latest`, or only the tag');
    assert.match(syntaxError('swr.example.com/org/app:'), /empty tag/);
    assert.match(syntaxError('swr.example.com/org/app@sha256:abc'), /by digest/);
  });
});
