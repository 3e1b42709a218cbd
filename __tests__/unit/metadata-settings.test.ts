/**
 * The metadata-action settings around the tag rules: flavor and DOCKER_METADATA_*
 * validation, moment.js date formats, PEP 440, where annotations go in the plan
 * (buildx flags, refusals, a merged index, a copy), and the output shapes.
 */
import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import type { DockerTools } from '../../src/build/docker-probe.js';
import { ConfigError } from '../../src/config/types.js';
import { outputsOf } from '../../src/app/outputs.js';
import { makePlan, type Plan } from '../../src/app/plan.js';
import type { PipelineResult } from '../../src/app/pipeline.js';
import type { SourceContext } from '../../src/domain/source-context.js';
import { compileDateFormat, formatDate } from '../../src/domain/tags/date-format.js';
import { parseFlavor } from '../../src/domain/tags/index.js';
import { normalizePep440, parsePep440 } from '../../src/domain/tags/pep440.js';
import { compileTemplate } from '../../src/domain/tags/templates.js';
import { parseInputs, problemsFor, VALID_SWR_INPUTS } from '../helpers/config-input.js';
import { tempDir } from '../helpers/temp-dir.js';

const SHA = '860c1904a1ce19322e91ac35af1ab07466440c37';
const SOURCE: SourceContext = {
  sha: SHA,
  ref: 'refs/tags/v1.2.3',
  branch: '',
  tag: 'v1.2.3',
  pullRequest: undefined,
  defaultBranch: 'main',
  runNumber: '9',
  repositoryUrl: 'https://github.com/octo-org/octo-app',
  event: 'tag',
};

const render = (format: string, iso: string, zone = 'UTC'): string => formatDate(compileDateFormat(format, 'date'), new Date(iso), zone);

describe('moment.js date formats', () => {
  const at = '2020-01-10T15:25:50.123Z';
  const rows: [string, string][] = [
    ['YYYY YY Y YYYYYY', '2020 20 2020 +002020'],
    ['Q Qo M Mo MM MMM MMMM', '1 1st 1 1st 01 Jan January'],
    ['D Do DD DDD DDDo DDDD', '10 10th 10 10 10th 010'],
    ['d do dd ddd dddd e E', '5 5th Fr Fri Friday 5 5'],
    ['w wo ww W Wo WW gg gggg GG GGGG', '2 2nd 02 2 2nd 02 20 2020 20 2020'],
    ['H HH h hh k kk a A', '15 15 3 03 15 15 pm PM'],
    ['m mm s ss S SS SSS SSSS', '25 25 50 50 1 12 123 1230'],
    ['X x Z ZZ', '1578669950 1578669950123 +00:00 +0000'],
    ['LT LTS L LL', '3:25 PM 3:25:50 PM 01/10/2020 January 10, 2020'],
    ['LLLL llll', 'Friday, January 10, 2020 3:25 PM Fri, Jan 10, 2020 3:25 PM'],
    ['[week] W [of] GGGG, \\Y', 'week 2 of 2020, Y'],
    ['YYYY-MM-DDTHH:mm:ss.SSS[Z]', '2020-01-10T15:25:50.123Z'],
  ];
  for (const [format, expected] of rows) {
    it(`${format} → ${expected}`, () => assert.equal(render(format, at), expected));
  }

  it('midnight is 12 am, and 24 in k', () => assert.equal(render('h a k', '2020-01-10T00:30:00Z'), '12 am 24'));

  it('week years at the turn of the year (locale weeks start on Sunday, ISO weeks on Monday)', () => {
    assert.equal(render('w gggg W GGGG', '2021-01-01T12:00:00Z'), '1 2021 53 2020');
    assert.equal(render('w gggg W GGGG', '2024-12-31T12:00:00Z'), '1 2025 1 2025');
  });

  it('time zones, including half-hour offsets and the day before', () => {
    assert.equal(render('YYYYMMDD-HHmmss Z', '2020-01-10T00:30:00Z', 'Asia/Tokyo'), '20200110-093000 +09:00');
    assert.equal(render('HH:mm ZZ', '2020-01-10T00:30:00Z', 'Asia/Kolkata'), '06:00 +0530');
    assert.equal(render('YYYY-MM-DD HH:mm Z', '2020-01-10T00:30:00Z', 'America/New_York'), '2020-01-09 19:30 -05:00');
    assert.equal(render('YYYYMMDD', '2024-07-01T16:30:00Z', 'Asia/Shanghai'), '20240702');
  });

  it('an unknown zone, an unknown argument and era or zone-name tokens are refused when the input is read', () => {
    assert.throws(() => compileTemplate("{{date 'YYYY' tz='Mars/Olympus'}}", []), /names time zone `Mars\/Olympus`, which is unknown; use an IANA name/);
    assert.throws(() => compileTemplate("{{date 'YYYY' zone='UTC'}}", []), /unknown argument `zone`; the only argument is tz='Zone'/);
    assert.throws(() => compileTemplate("{{commit_date 'N YYYY'}}", []), /uses `N`: era tokens are not supported/);
    assert.throws(() => compileTemplate("{{date 'YYYY z'}}", []), /uses `z`: time zone abbreviations are not supported/);
  });
});

describe('PEP 440', () => {
  const rows: [string, string][] = [
    ['1.2.3', '1.2.3'],
    ['v1.2.3', '1.2.3'],
    ['1.0-1', '1.0.post1'],
    ['1.0.0RC1', '1.0.0rc1'],
    ['1.0.0-alpha.1', '1.0.0a1'],
    ['1.0c2', '1.0rc2'],
    ['1!2.0.dev', '1!2.0.dev0'],
    ['1.0+Ubuntu-1', '1.0+ubuntu.1'],
    ['01.002.0003', '1.2.3'],
    ['2.0.0.post2.dev3', '2.0.0.post2.dev3'],
  ];
  for (const [text, normalized] of rows) {
    it(`${text} → ${normalized}`, () => assert.equal(normalizePep440(parsePep440(text)!), normalized));
  }

  it('refuses what is not a version', () => {
    for (const text of ['latest', '1..0', 'v', '1.0-beta-x', 'release-1.0']) assert.equal(parsePep440(text), undefined, text);
  });
});

describe('flavor input', () => {
  it('reads latest, prefix and suffix with onlatest, line by line (later lines win)', () => {
    const { flavor, errors } = parseFlavor('latest=false\nprefix=app-,onlatest=true\nSuffix=-alpine\nlatest=true');
    assert.deepEqual(errors, []);
    assert.equal(flavor.latest, 'true');
    assert.equal(flavor.prefix?.text, 'app-');
    assert.equal(flavor.prefixOnLatest, true);
    assert.equal(flavor.suffix?.text, '-alpine');
    assert.equal(flavor.suffixOnLatest, false);
  });

  it('one line per mistake, naming the line', () => {
    const { errors } = parseFlavor('latest=maybe\nonlatest=true\ncolour=red\nlatest\nprefix={{nope}}');
    assert.deepEqual(errors, [
      'flavor: `latest=maybe`: latest must be auto, true or false but is `maybe`',
      'flavor: `onlatest=true`: onlatest= belongs after prefix= or suffix= on the same line, e.g. `suffix=-alpine,onlatest=true`',
      'flavor: `colour=red`: unknown key `colour`; use latest, prefix, suffix, onlatest',
      'flavor: `latest`: `latest` is not key=value; write latest=auto|true|false, prefix=…, suffix=… (with onlatest=true|false)',
      "flavor: `prefix={{nope}}`: unknown template `{{nope}}`; known templates: {{branch}}, {{tag}}, {{sha}}, {{base_ref}}, {{is_default_branch}}, {{is_not_default_branch}}, {{short_sha}}, {{run_number}}, {{date 'YYYYMMDD'}}, {{commit_date 'YYYYMMDD'}}",
    ]);
  });
});

describe('DOCKER_METADATA_* and SOURCE_DATE_EPOCH are checked with the inputs, before any side effect', () => {
  it('names each bad variable and the fix', () => {
    const problems = problemsFor(
      { ...VALID_SWR_INPUTS, annotations: 'index:org.example.x=1\nno-equals', labels: "a.b={{date 'YYYY' tz='Nowhere/City'}}" },
      {
        DOCKER_METADATA_SHORT_SHA_LENGTH: 'twelve',
        DOCKER_METADATA_PR_HEAD_SHA: 'yes',
        DOCKER_METADATA_ANNOTATIONS_LEVELS: 'manifest,image',
        DOCKER_METADATA_SET_OUTPUT_ENV: 'sometimes',
        SOURCE_DATE_EPOCH: '2024-01-01',
      },
    );
    assert.deepEqual(problems, [
      "labels: a.b: `{{date 'YYYY' tz='Nowhere/City'}}` names time zone `Nowhere/City`, which is unknown; use an IANA name such as tz='Asia/Shanghai' or tz='UTC'",
      'annotations: "index:org.example.x=1" is not name=value: write one name=value per line',
      'annotations: "no-equals" is not name=value: write one name=value per line',
      'DOCKER_METADATA_ANNOTATIONS_LEVELS: "image" is not an annotation level: use manifest, index, manifest-descriptor or index-descriptor (comma-separated)',
      'DOCKER_METADATA_SHORT_SHA_LENGTH: "twelve" is not a positive whole number: set the number of commit id characters, e.g. 12',
      'DOCKER_METADATA_PR_HEAD_SHA: "yes" is not a boolean: use true or false',
      'DOCKER_METADATA_SET_OUTPUT_ENV: "sometimes" is not a boolean: use true or false',
      'SOURCE_DATE_EPOCH: "2024-01-01" is not a number of seconds since 1970: set it e.g. to $(git log -1 --pretty=%ct)',
    ]);
  });

  it('separators keep their whitespace; empty means a newline', () => {
    const config = parseInputs({ ...VALID_SWR_INPUTS, 'sep-tags': ', ', 'sep-labels': ' ' });
    assert.deepEqual(config.metadata.separators, { tags: ', ', labels: ' ', annotations: '\n' });
  });

  it('annotations are applied when the input or DOCKER_METADATA_ANNOTATIONS_LEVELS is set, not otherwise', () => {
    assert.equal(parseInputs(VALID_SWR_INPUTS).metadata.applyAnnotations, false);
    assert.equal(parseInputs({ ...VALID_SWR_INPUTS, annotations: 'org.example.a=1' }).metadata.applyAnnotations, true);
    assert.equal(parseInputs(VALID_SWR_INPUTS, { DOCKER_METADATA_ANNOTATIONS_LEVELS: 'index' }).metadata.applyAnnotations, true);
  });
});

function tools(driver: string | undefined, extra: Partial<DockerTools> = {}): DockerTools {
  return {
    cli: true,
    daemon: true,
    clientVersion: '26.1.5',
    serverVersion: '26.1.5',
    buildx: driver !== undefined,
    buildxVersion: driver !== undefined ? '0.13.1' : '',
    builder: driver === undefined ? undefined : { name: driver === 'docker' ? 'default' : 'ci-builder', driver, platforms: ['linux/amd64', 'linux/arm64'] },
    builderProblem: '',
    containerdStore: false,
    problem: '',
    ...extra,
  };
}

function workspace(): string {
  const dir = tempDir('imageship-meta-plan-');
  writeFileSync(join(dir, 'Dockerfile'), 'FROM scratch\n');
  return dir;
}

function plan(inputs: Record<string, string>, env: Record<string, string> = {}, docker = tools('remote')): Plan {
  const cwd = workspace();
  const config = parseInputs({ ...VALID_SWR_INPUTS, ...inputs }, env, cwd);
  return makePlan({ config, source: SOURCE, now: new Date('2024-03-01T08:00:00Z'), docker, tempDir: cwd, cwd });
}

function planProblems(inputs: Record<string, string>, env: Record<string, string> = {}, docker = tools('remote')): readonly string[] {
  try {
    plan(inputs, env, docker);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected the plan to refuse');
}

describe('annotations in the plan', () => {
  it('a BuildKit builder gets one --annotation per level and annotation; without the input, none', () => {
    const args = plan({ annotations: 'org.example.team=delivery', platforms: 'linux/amd64,linux/arm64' }, { DOCKER_METADATA_ANNOTATIONS_LEVELS: 'manifest,index' }).build!.args;
    const annotations = args.flatMap((arg, index) => (args[index - 1] === '--annotation' ? [arg] : []));
    assert.equal(annotations.length, 18);
    assert.ok(annotations.includes('manifest:org.example.team=delivery'));
    assert.ok(annotations.includes('index:org.opencontainers.image.revision=' + SHA));
    assert.ok(!plan({}).build!.args.includes('--annotation'));
  });

  it('refused for the classic builder, the plain docker driver, buildx < 0.12, and index levels on one platform', () => {
    const asked = { annotations: 'org.example.team=delivery' };
    assert.match(planProblems(asked, {}, tools(undefined))[0]!, /^annotations: needs docker buildx, which this runner lacks \(the classic builder cannot add annotations;/);
    assert.match(planProblems({ ...asked, builder: 'classic' }, {}, tools('remote'))[0]!, /^annotations: needs docker buildx, but builder: classic selects the classic builder/);
    assert.match(planProblems(asked, {}, tools('docker'))[0]!, /^annotations: the buildx builder "default" uses the docker driver, which cannot add annotations/);
    // The eight OCI annotations and the one asked for.
    assert.deepEqual(plan(asked, {}, tools('docker', { containerdStore: true })).build!.args.filter((arg) => arg === '--annotation').length, 9);
    assert.match(planProblems(asked, {}, tools('remote', { buildxVersion: '0.11.2' }))[0]!, /^annotations: buildx --annotation needs buildx 0\.12 or newer, and this runner has 0\.11\.2/);
    assert.match(planProblems({}, { DOCKER_METADATA_ANNOTATIONS_LEVELS: 'index' })[0]!, /^DOCKER_METADATA_ANNOTATIONS_LEVELS: "index" annotations need an index, which only a multi-platform build makes/);
  });

  it('a merged index always carries the computed annotations; a copy only the annotations input', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    const merge = plan({ 'merge-digests': digest, annotations: 'org.example.team=delivery' });
    assert.equal(merge.manifestAnnotations['org.opencontainers.image.revision'], SHA);
    assert.equal(merge.manifestAnnotations['org.example.team'], 'delivery');
    assert.equal(Object.keys(plan({ 'merge-digests': digest }).manifestAnnotations).length, 8);
    const copy = plan({ 'source-image': 'docker.io/library/nginx:1.27', annotations: 'org.example.team={{tag}}' });
    assert.deepEqual(copy.manifestAnnotations, { 'org.example.team': 'v1.2.3' });
    assert.deepEqual(plan({ 'source-image': 'docker.io/library/nginx:1.27' }).manifestAnnotations, {});
  });

  it('SOURCE_DATE_EPOCH fixes the created label and {{date}}', () => {
    const built = plan({ tags: "type=raw,value={{date 'YYYYMMDD'}}" }, { SOURCE_DATE_EPOCH: '0' });
    assert.deepEqual(built.tags, ['19700101']);
    assert.ok(built.build!.args.includes('org.opencontainers.image.created=1970-01-01T00:00:00.000Z'));
  });
});

describe('outputs', () => {
  it('tags and tag-names by sep-tags, labels by sep-labels, annotations by sep-annotations, json as metadata-action shapes it', () => {
    const built = plan({ tags: 'type=semver,pattern={{version}}', 'sep-tags': ',', 'sep-labels': ';' });
    const result = {
      references: [...built.references],
      tags: [...built.tags],
      deployments: [],
      replicas: [],
      metadataAction: {
        version: built.metadata.version,
        labels: built.metadata.labels.map(([name, value]) => `${name}=${value}`),
        annotations: [...built.metadata.annotations],
        separators: { tags: ',', labels: ';', annotations: '\n' },
        setOutputEnv: true,
      },
    } as unknown as PipelineResult;
    const outputs = outputsOf(result);
    const image = 'swr.cn-north-4.myhuaweicloud.com/my-org/my-app';
    assert.equal(outputs.tags, `${image}:1.2.3,${image}:latest`);
    assert.equal(outputs['tag-names'], '1.2.3,latest');
    assert.equal(outputs.version, '1.2.3');
    assert.equal(outputs.labels.split(';').length, 8);
    assert.match(outputs.labels, /^org\.opencontainers\.image\.created=2024-03-01T08:00:00\.000Z;org\.opencontainers\.image\.description=;/);
    assert.equal(outputs.annotations.split('\n')[0], 'manifest:org.opencontainers.image.created=2024-03-01T08:00:00.000Z');
    const json = JSON.parse(outputs.json) as { tags: string[]; labels: Record<string, string>; annotations: string[] };
    assert.deepEqual(Object.keys(json), ['tags', 'labels', 'annotations']);
    assert.deepEqual(json.tags, [`${image}:1.2.3`, `${image}:latest`]);
    assert.equal(json.labels['org.opencontainers.image.version'], '1.2.3');
    assert.equal(json.annotations.length, 8);
  });
});
