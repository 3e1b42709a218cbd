/**
 * Issue 17, the messages a newcomer meets, each with its exact text in both
 * syntaxes (workflow inputs and CLI flags): several tag rules on one line, a
 * missing SK on the command line, an image given as a full reference, an
 * unknown provider (one line, no cascade), a context that is a file, inputs
 * and env variables that would be ignored; and the pieces of quiet output: the
 * help text, the pushed table, the runner's view of a log, the README blocks.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { checkBuildFiles } from '../../src/build/dockerfile.js';
import { helpText } from '../../src/cli/help.js';
import { useRunTempDir } from '../../src/cli/run-temp.js';
import { pushedTable, summaryLines } from '../../src/cli/summary.js';
import { parseConfig } from '../../src/config/parse.js';
import type { InputSyntax } from '../../src/domain/input-syntax.js';
import { ConfigError } from '../../src/config/types.js';
import { nearMissEnvWarnings, undeclaredInputWarnings } from '../../src/config/unknown-names.js';
import type { PipelineResult } from '../../src/app/pipeline.js';
import { VALID_SWR_INPUTS } from '../helpers/config-input.js';
import { readmeCommands } from '../helpers/readme.js';
import { renderRunnerLog } from '../helpers/runner-view.js';
import { tempDir } from '../helpers/temp-dir.js';
import { uniqueNamespace } from '../helpers/workspace.js';
import { isSuiteName, namespaceOfReference, runIdOfNamespace } from '../suite-end/leftovers.js';

function problems(inputs: Record<string, string>, syntax: InputSyntax, env: Record<string, string> = {}): readonly string[] {
  try {
    parseConfig((name) => inputs[name] ?? '', { env, cwd: '/work', syntax });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error(`expected a ConfigError for ${JSON.stringify(inputs)}`);
}

describe('several tag rules on one line', () => {
  test('CLI: one --tags per rule, not value=latest', () => {
    assert.deepEqual(problems({ ...VALID_SWR_INPUTS, tags: 'latest,type=sha' }, 'cli'), [
      'tags: "latest,type=sha" holds 2 rules on one line: give one rule per line: --tags latest --tags type=sha',
    ]);
  });

  test('action: a tags: | block', () => {
    assert.deepEqual(problems({ ...VALID_SWR_INPUTS, tags: 'latest,type=sha,format=long,type=ref,event=branch' }, 'action'), [
      'tags: "latest,type=sha,format=long,type=ref,event=branch" holds 3 rules on one line: give one rule per line: tags: | with latest, type=sha,format=long and type=ref,event=branch on lines of their own',
    ]);
  });

  test('a rule whose attributes contain commas is left to the rule parser; other lines are still checked', () => {
    assert.deepEqual(problems({ ...VALID_SWR_INPUTS, tags: 'type=raw,value={{date "YYYY,MM"}}\nlatest,dev\ntype=bogus' }, 'cli'), [
      'tags: "latest,dev" holds 2 rules on one line: give one rule per line: --tags latest --tags dev',
      'tags: rule `type=bogus`: has unknown type `bogus`; use one of schedule, semver, pep440, match, edge, ref, raw, sha',
    ]);
  });
});

describe('a missing key says how to give it in the user’s syntax', () => {
  test('CLI: the SK unset mentions env and --secret-key-stdin', () => {
    assert.deepEqual(problems({ ...VALID_SWR_INPUTS, 'secret-key': '' }, 'cli'), [
      'secret-key: missing while access-key is set: set env HUAWEICLOUD_SDK_SK or IMAGESHIP_SECRET_KEY, or pipe it to --secret-key-stdin',
    ]);
  });

  test('CLI: neither key', () => {
    assert.deepEqual(problems({ ...VALID_SWR_INPUTS, 'access-key': '', 'secret-key': '' }, 'cli'), [
      'access-key: required for provider huaweicloud: set env HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK (or IMAGESHIP_ACCESS_KEY and IMAGESHIP_SECRET_KEY; the SK may instead be piped to --secret-key-stdin), or use --username with env IMAGESHIP_PASSWORD',
    ]);
  });

  test('action: the input (unchanged wording)', () => {
    assert.deepEqual(problems({ ...VALID_SWR_INPUTS, 'secret-key': '' }, 'action'), ['secret-key: missing while access-key is set: set secret-key (or env HUAWEICLOUD_SDK_SK)']);
  });

  test('CLI, Alibaba: the AccessKey secret unset', () => {
    const inputs = { provider: 'alibabacloud', region: 'cn-hangzhou', namespace: 'my-team', image: 'web', tags: 'latest', 'access-key': 'LTAI5tAbCdEfGhIjKlMn' };
    assert.deepEqual(problems(inputs, 'cli'), [
      'secret-key: missing while access-key is set: set env ALIBABA_CLOUD_ACCESS_KEY_SECRET or IMAGESHIP_SECRET_KEY, or pipe it to --secret-key-stdin',
    ]);
  });
});

describe('an image given as a full reference names the options its parts belong to', () => {
  test('CLI, an SWR reference: region, namespace, image, tags', () => {
    assert.deepEqual(problems({ ...VALID_SWR_INPUTS, namespace: '', image: 'swr.cn-north-4.myhuaweicloud.com/my-org/my-app:1.0' }, 'cli'), [
      'image: "swr.cn-north-4.myhuaweicloud.com/my-org/my-app:1.0" is a full image reference, but image takes only the repository name; the other parts have options of their own (region for the SWR host, namespace for the organization, tags for the tag): use --region cn-north-4 --namespace my-org --image my-app --tags 1.0',
    ]);
  });

  test('action, another registry: registry, namespace, image', () => {
    assert.deepEqual(problems({ provider: 'generic', registry: 'registry.example.com', image: 'registry.example.com/team/web' }, 'action'), [
      'image: "registry.example.com/team/web" is a full image reference, but image takes only the repository name; the other parts have options of their own (registry for the host, namespace for the organization): use registry: registry.example.com, namespace: team and image: web',
    ]);
  });

  test('a name with a digest points at deploy-image', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    assert.deepEqual(problems({ ...VALID_SWR_INPUTS, image: `my-app@${digest}` }, 'cli'), [
      `image: "my-app@${digest}" is a name with a digest, but image takes only the repository name: use --image my-app; to deploy an image that exists by digest, use deploy-image`,
    ]);
  });
});

describe('an unknown provider is the only line', () => {
  test('--provider huawei: no access-key line after it', () => {
    assert.deepEqual(problems({ ...VALID_SWR_INPUTS, 'access-key': '', 'secret-key': '', provider: 'huawei' }, 'cli'), [
      'provider: "huawei" is not supported: use huaweicloud (the providers are huaweicloud, alibabacloud, generic)',
    ]);
  });

  test('aliases and typos are recognised; anything else lists the providers', () => {
    assert.deepEqual(problems({ ...VALID_SWR_INPUTS, provider: 'aliyun' }, 'action'), ['provider: "aliyun" is not supported: use alibabacloud (the providers are huaweicloud, alibabacloud, generic)']);
    assert.deepEqual(problems({ ...VALID_SWR_INPUTS, provider: 'genric' }, 'action'), ['provider: "genric" is not supported: use generic (the providers are huaweicloud, alibabacloud, generic)']);
    assert.deepEqual(problems({ ...VALID_SWR_INPUTS, provider: 'aws' }, 'action'), ['provider: "aws" is not supported: use one of huaweicloud, alibabacloud, generic']);
  });
});

describe('a context that is a file', () => {
  const ws = tempDir('imageship-newcomer-');
  mkdirSync(join(ws, 'app'));
  writeFileSync(join(ws, 'app', 'Dockerfile'), 'FROM scratch\n');

  test('CLI: --context DIR --dockerfile FILE', () => {
    assert.deepEqual(checkBuildFiles(join(ws, 'app/Dockerfile'), join(ws, 'app/Dockerfile/Dockerfile'), false, ws, 'cli'), [
      'context: "app/Dockerfile" is a file, but context is the folder sent to the build: use --context app --dockerfile app/Dockerfile',
    ]);
  });

  test('action: context: DIR and dockerfile: FILE', () => {
    assert.deepEqual(checkBuildFiles(join(ws, 'app/Dockerfile'), join(ws, 'app/Dockerfile/Dockerfile'), false, ws), [
      'context: "app/Dockerfile" is a file, but context is the folder sent to the build: use context: app and dockerfile: app/Dockerfile',
    ]);
  });

  test('a path outside the workspace is shown in full', () => {
    const [problem] = checkBuildFiles(join(ws, 'app/Dockerfile'), join(ws, 'app/Dockerfile/Dockerfile'), false, '/elsewhere', 'cli');
    assert.equal(problem, `context: "${ws}/app/Dockerfile" is a file, but context is the folder sent to the build: use --context ${ws}/app --dockerfile ${ws}/app/Dockerfile`);
  });
});

describe('names that would be ignored', () => {
  test('the action warns about INPUT_* it does not declare, with the input it was probably meant to be', () => {
    const env = { INPUT_TAG: 'v1', 'INPUT_ACCESS-KEY': 'x', INPUT_TAGS: 'latest', INPUT_ACCESS_KEY: 'y', INPUT_FOO: 'z', PATH: '/bin' };
    assert.deepEqual(undeclaredInputWarnings(env), [
      'access_key: not an input of imageship, so it is ignored: did you mean access-key?',
      'foo: not an input of imageship, so it is ignored: remove it (the README lists the inputs)',
      'tag: not an input of imageship, so it is ignored: did you mean tags?',
    ]);
  });

  test('the CLI warns about an IMAGESHIP_* variable one typo from an option, and leaves other ones alone', () => {
    const env = { IMAGESHIP_TAG: 'latest', IMAGESHIP_REGION: 'cn-north-4', IMAGESHIP_TESTBED: '/tmp/x', IMAGESHIP_ARGV_LOG: '/tmp/y', IMAGESHIP_NAMESPCE: 'o', IMAGESHIP_CI: '1' };
    assert.deepEqual(nearMissEnvWarnings(env), [
      'env IMAGESHIP_NAMESPCE is not an imageship option, so it is ignored: did you mean IMAGESHIP_NAMESPACE?',
      'env IMAGESHIP_TAG is not an imageship option, so it is ignored: did you mean IMAGESHIP_TAGS?',
    ]);
  });
});

describe('imageship help speaks of the command line', () => {
  const help = helpText();
  // Descriptions are wrapped to the terminal's width: compare with the line breaks folded.
  const flat = help.replace(/\s+/g, ' ');
  const has = (text: string): void => assert.ok(flat.includes(text), `help says: ${text}`);
  const hasNot = (text: string): void => assert.ok(!flat.includes(text), `help does not say: ${text}`);

  test('no workflow-only wording: no ${{ }}, no post step, no "Tags" section it does not have, flags not inputs', () => {
    hasNot('${{');
    hasNot('post step');
    hasNot('See "Tags" below');
    hasNot('provider: generic');
    has('another registry with --provider generic');
  });

  test('the tag rules it refers to are listed', () => {
    has('One tag rule per --tags flag (--tags latest --tags type=sha): a fixed tag, or a computed rule; "Tag rules" below lists them.');
    assert.match(help, /^Tag rules \(one per --tags; the syntax of docker\/metadata-action\):$/m);
    assert.match(help, /^ {2}type=semver,pattern=\{\{version\}\} +1\.2\.3 from tag v1\.2\.3/m);
    has('so v1.0+build is pushed as v1.0-build');
  });

  test('--logout says when the CLI logs out', () => {
    has('Log out of the registry when the run ends (also after a failure, SIGINT or SIGTERM). With false the login stays in the Docker config for later commands; imageship post --registry HOST removes it.');
  });
});

describe('what was pushed, as a table', () => {
  const result = {
    dryRun: false,
    registry: '127.0.0.1:5101',
    image: '127.0.0.1:5101/try-local/sample-app',
    tags: ['latest', 'sha-2d3fce4'],
    references: ['127.0.0.1:5101/try-local/sample-app:latest', '127.0.0.1:5101/try-local/sample-app:sha-2d3fce4'],
    digest: `sha256:${'1'.repeat(64)}`,
    imageId: `sha256:${'2'.repeat(64)}`,
    loginUser: 'cn-north-4@HPUA…',
    builder: 'classic',
    mode: 'build',
    labels: {},
    deployments: [],
    replicas: [{ image: 'swr.cn-east-3.myhuaweicloud.com/o/sample-app', digest: `sha256:${'1'.repeat(64)}` }],
    retention: undefined,
    plan: [],
  } as PipelineResult;

  test('the summary ends with tag → digest, one row per tag and replica', () => {
    assert.deepEqual(summaryLines(result), [
      '── Summary: image pushed',
      'image        127.0.0.1:5101/try-local/sample-app',
      'login        cn-north-4@HPUA…',
      'deployments  none',
      '',
      'tag                                                   digest',
      `latest                                                sha256:${'1'.repeat(64)}`,
      `sha-2d3fce4                                           sha256:${'1'.repeat(64)}`,
      `replica swr.cn-east-3.myhuaweicloud.com/o/sample-app  sha256:${'1'.repeat(64)}`,
    ]);
  });

  test('without a push the digest column says why', () => {
    assert.deepEqual(pushedTable({ ...result, digest: '', replicas: [], dryRun: true }), ['tag          digest', 'latest       not pushed (dry run)', 'sha-2d3fce4  not pushed (dry run)']);
    assert.deepEqual(pushedTable({ ...result, digest: '', replicas: [] }), [
      'tag          digest',
      `latest       not pushed (image id sha256:${'2'.repeat(64)})`,
      `sha-2d3fce4  not pushed (image id sha256:${'2'.repeat(64)})`,
    ]);
  });
});

describe('the log as the runner shows it', () => {
  const printed = ['::add-mask::***', '::group::Plan', 'registry: 127.0.0.1:5101', '::debug::probe took 12 ms', '::endgroup::', '::warning::tag: not an input%0Aline two', '::error::build failed: 100%25', 'plain line'].join('\n');

  test('commands are consumed; groups and annotations read as the viewer shows them; debug hidden', () => {
    assert.equal(renderRunnerLog(printed), ['▼ Plan', 'registry: 127.0.0.1:5101', 'Warning: tag: not an input\nline two', 'Error: build failed: 100%', 'plain line'].join('\n'));
  });

  test('with step debug, debug lines show as ##[debug]', () => {
    assert.match(renderRunnerLog(printed, { stepDebug: true }), /^##\[debug\]probe took 12 ms$/m);
  });

  test('between ::stop-commands:: and its token, lines are shown as printed', () => {
    assert.equal(renderRunnerLog('::stop-commands::tok1\n::debug::verbatim\n::tok1::\n::debug::hidden'), '::debug::verbatim');
  });
});

describe('README command blocks', () => {
  test('the text between the markers, fences removed; a missing block is an error naming it', () => {
    const readme = 'intro\n<!-- x:start -->\n```sh\necho one\n```\ntext\n```sh\necho two\n```\n<!-- x:end -->\n';
    assert.equal(readmeCommands('x', readme), 'echo one\n\necho two\n');
    assert.throws(() => readmeCommands('y', readme), /README\.md has no <!-- y:start --> … <!-- y:end --> block/);
  });

  test('the README has the "Try it locally" block, starting from the test bed’s env file', () => {
    assert.match(readmeCommands('try-it-locally'), /^source \/tmp\/imageship-testbed\/env$/m);
  });
});

describe('the run’s names', () => {
  test('uniqueNamespace carries the run id; the sweep recognises it and nothing else', () => {
    const namespace = uniqueNamespace('cli-json');
    const runId = runIdOfNamespace(namespace);
    assert.match(runId ?? '', /^r[a-z0-9]{4}$/);
    assert.ok(namespace.length <= 30, namespace);
    assert.equal(runIdOfNamespace('e2e-swr-managed'), undefined);
    assert.equal(runIdOfNamespace('demo-org'), undefined);
    assert.equal(namespaceOfReference(`127.0.0.1:5101/${namespace}/app`), namespace);
    assert.equal(namespaceOfReference('imageship-testbed-ext/x'), 'imageship-testbed-ext');
    assert.ok(isSuiteName(namespace) && !isSuiteName('library'));
  });
});

describe('the CLI run’s temp dir', () => {
  test('os.tmpdir() points into it for the run; remove() deletes it (files and all) and restores TMPDIR', () => {
    const env: NodeJS.ProcessEnv = { TMPDIR: tmpdir() };
    const before = env['TMPDIR'];
    const temp = useRunTempDir(env);
    assert.equal(env['TMPDIR'], temp.path);
    writeFileSync(join(temp.path, 'secret-file'), 'x');
    temp.remove();
    temp.remove();
    assert.equal(env['TMPDIR'], before);
    assert.ok(!existsSync(temp.path));
  });
});
