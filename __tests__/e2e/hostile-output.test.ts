/**
 * Nothing a server sends can steer the runner, and every form of a secret is
 * masked. Hostile servers play remote hosts over TLS (hub.example.test,
 * kube.example.test, resolved to loopback only inside the child; a test CA):
 * a source registry whose foreign-layer URLs, Content-Type and error bodies
 * carry runner commands (`::stop-commands::`, `::add-mask::`, `##[…]`,
 * `##vso[…]`, `%0A::error::`), registries and a Kubernetes API server that
 * echo the credentials they were sent. The bundled action's stdout is run
 * through a simulator of the runner's command processing
 * (helpers/runner-log-sim.ts), which obeys stop-commands and add-mask the way
 * the runner does, and masks from the line it learns a value on, never
 * before. The CLI's output goes through the same simulator and Azure's.
 *
 * Run `npm run bundle` first: runAction runs dist/.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { hostileEnv, startHostileServer } from '../helpers/hostile/hostile-server.js';
import { sourceImage, startHostileSource, type HostileSourceOptions, type HostileSourceRegistry } from '../helpers/hostile/hostile-source-registry.js';
import { makeTestCa, type TestCa } from '../helpers/hostile/test-ca.js';
import { ghContextForBranch, REPO_ROOT, runAction, type StepResult } from '../helpers/runner.js';
import { simulateAzureAgent, simulateGitHubRunner, type GitHubRunnerSimulation } from '../helpers/runner-log-sim.js';
import { findSecrets } from '../helpers/secret-scan.js';
import { loadTestbed } from '../helpers/testbed.js';
import { sampleAppWorkspace, uniqueNamespace } from '../helpers/workspace.js';

const bed = loadTestbed();
const NAMES = ['hub.example.test', 'kube.example.test', 'api.example.test', 'hooks.example.test'];
const REPOSITORY = 'library/app';
const SHA = '5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e';
const CLI = join(REPO_ROOT, 'build', 'src', 'cli', 'main.js');

/** Commands imageship itself issues; anything else in the log came from outside. */
const OWN_COMMANDS = new Set(['add-mask', 'group', 'endgroup', 'debug', 'warning', 'error']);

let ca: TestCa;
before(async () => {
  ca = await makeTestCa(NAMES);
});
after(async () => {
  await ca.remove();
});

async function withSource<T>(options: Omit<HostileSourceOptions, 'name' | 'ca' | 'repository'>, body: (source: HostileSourceRegistry) => Promise<T>): Promise<T> {
  const source = await startHostileSource({ name: 'hub.example.test', ca, repository: REPOSITORY, ...options });
  try {
    return await body(source);
  } finally {
    await source.close();
  }
}

/** Copy the hostile source into the test bed's anonymous registry, as the action. */
function copyFrom(source: HostileSourceRegistry, extra: Record<string, string> = {}, env: Record<string, string> = {}): Promise<StepResult> {
  return runAction({
    inputs: {
      provider: 'generic',
      registry: bed.anonRegistry,
      namespace: uniqueNamespace('hostile'),
      image: 'app',
      'source-image': `${source.host}/${REPOSITORY}:latest`,
      tags: 'latest',
      ...extra,
    },
    workdir: sampleAppWorkspace(),
    github: ghContextForBranch('main', SHA),
    env: { ...hostileEnv(NAMES, ca), ...env },
    timeoutMs: 120_000,
  });
}

/**
 * (a) Nothing from outside became a command: commands are never switched
 * off, every command obeyed is one imageship issues, no mask the attacker
 * chose, no attacker annotation; Azure's agent sees no command either.
 * `reached` proves the hostile text was printed (neutralised) at all.
 */
function assertInert(output: string, options: { reached: RegExp; attackerMasks?: string[]; attackerMessages?: RegExp }): GitHubRunnerSimulation {
  assert.match(output, options.reached, 'the hostile text reached the log (so the test can fail)');
  const github = simulateGitHubRunner(output);
  assert.equal(github.stoppedBy, undefined, 'commands were never switched off');
  assert.deepEqual(github.ignoredWhileStopped, []);
  const foreign = github.commands.filter((command) => command.form !== 'v2' || !OWN_COMMANDS.has(command.command));
  assert.deepEqual(foreign, [], 'only imageship issued commands');
  for (const mask of options.attackerMasks ?? []) assert.ok(!github.masks.includes(mask), `the attacker's add-mask ${mask} was not obeyed`);
  if (options.attackerMessages) {
    const planted = github.commands.filter((command) => command.command !== 'add-mask' && options.attackerMessages!.test(command.data.split('\n')[0] ?? ''));
    assert.deepEqual(planted, [], 'no annotation starts with the attacker text');
  }
  assert.deepEqual(simulateAzureAgent(output).commands, [], 'Azure Pipelines obeys nothing either');
  return github;
}

describe('runner commands in registry text (the action)', () => {
  test('a foreign-layer URL with \\n::stop-commands::pwn\\n does not stop commands; a token issued after it is still masked', async () => {
    await withSource(
      {
        image: sourceImage({ foreignUrls: ['https://layers.example.test/l.tgz\n::stop-commands::pwn\n'] }),
        auth: { kind: 'bearer' },
        // The first blob GET finds its token expired: a second token is issued after the URL was printed.
        intercept: (request, response, context) => {
          if (!request.url?.includes('/blobs/') || context.tokens.length !== 1) return false;
          context.expireTokens();
          response.writeHead(401, { 'www-authenticate': `Bearer realm="https://hub.example.test:${request.socket.localPort}/token",service="hostile",scope="repository:${REPOSITORY}:pull"` }).end();
          return true;
        },
      },
      async (source) => {
        const run = await copyFrom(source);
        const github = assertInert(run.stdout, { reached: /:\\:stop-commands::pwn/ });
        assert.ok(source.tokens.length >= 2, `a second token was issued (${source.tokens.length})`);
        const injectedAt = run.stdout.split('\n').findIndex((line) => line.includes('stop-commands::pwn'));
        const late = source.tokens.at(-1)!;
        const maskedAt = github.commands.find((command) => command.command === 'add-mask' && command.data === late)?.line ?? -1;
        assert.ok(maskedAt > injectedAt, `the late token was add-masked (line ${maskedAt}) after the injection (line ${injectedAt}) and obeyed`);
        for (const token of source.tokens) assert.ok(github.masks.includes(token), 'every token is masked the moment it exists');
        assert.deepEqual(findSecrets({ shown: github.shown.join('\n') }, source.tokens), []);
      },
    );
  });

  test('a foreign-layer URL with \\n::add-mask::…\\n::error::… plants no mask and no annotation', async () => {
    await withSource({ image: sourceImage({ foreignUrls: ['https://x.example.test/a\n::add-mask::Summary\n  ::error title=Injected::pwned by registry\n::warning::pwned too'] }), auth: { kind: 'anonymous' } }, async (source) => {
      const run = await copyFrom(source);
      assertInert(run.stdout, { reached: /:\\:add-mask::Summary/, attackerMasks: ['Summary'], attackerMessages: /^pwned/ });
    });
  });

  test('##[stop-commands] and ##[set-output] in the middle of a line (the runner v1 form) are not obeyed', async () => {
    await withSource(
      { image: sourceImage({ foreignUrls: ['https://x.example.test/a ##[stop-commands]v1tok', 'https://x.example.test/b ##[set-output name=digest;]sha256:evil #\u200B#[add-mask]Summary'] }), auth: { kind: 'anonymous' } },
      async (source) => {
        const run = await copyFrom(source);
        assertInert(run.stdout, { reached: /#\\#\[stop-commands\]v1tok/, attackerMasks: ['Summary'] });
        assert.equal(run.outputs['digest'] === 'sha256:evil', false);
      },
    );
  });

  test('##vso[task.setvariable …] and ##[group] from a registry are inert for Azure Pipelines and GitHub', async () => {
    await withSource({ image: sourceImage({ foreignUrls: ['https://x.example.test/a\n##vso[task.setvariable variable=IMAGESHIP_PWNED]1\n##[group]fake group ##VSO[task.complete result=Failed;]x'] }), auth: { kind: 'anonymous' } }, async (source) => {
      const run = await copyFrom(source);
      assertInert(run.stdout, { reached: /#\\#vso\[task\.setvariable variable=IMAGESHIP_PWNED\]1/ });
    });
  });

  test("a manifest mediaType with \\n::stop-commands:: and %0A::error:: is printed inert and stays one annotation, %0A shown literally", async () => {
    await withSource({ image: sourceImage({ mediaType: 'application/x.hostile\n::stop-commands::mt\n%0A::error::pwned' }), auth: { kind: 'anonymous' } }, async (source) => {
      const run = await copyFrom(source);
      assert.equal(run.exitCode, 1, run.stdout);
      const github = assertInert(run.stdout, { reached: /^:\\:stop-commands::mt$/m, attackerMessages: /^pwned/ });
      const errors = github.commands.filter((command) => command.command === 'error');
      assert.ok(errors.some((command) => command.data.includes('%0A::error::pwned')), 'the media type is shown as it came, %0A and all');
    });
  });

  test('an error body whose message holds \\n::stop-commands::…\\n::add-mask::… is reported without obeying it', async () => {
    await withSource(
      {
        image: sourceImage(),
        auth: { kind: 'anonymous' },
        intercept: (request, response) => {
          if (!request.url?.includes('/manifests/')) return false;
          response.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ code: 'MANIFEST_UNKNOWN', message: 'gone\n::stop-commands::errtok\n::add-mask::Summary\r::error::pwned' }] }));
          return true;
        },
      },
      async (source) => {
        const run = await copyFrom(source);
        assert.equal(run.exitCode, 1);
        const github = assertInert(run.stdout, { reached: /MANIFEST_UNKNOWN: gone%0A:\\:stop-commands::errtok/, attackerMasks: ['Summary'], attackerMessages: /^pwned/ });
        // Decoded, no line of the annotation reads as a command either.
        for (const command of github.commands) assert.deepEqual(simulateGitHubRunner(command.data).commands, [], command.data);
      },
    );
  });
});

describe('echoed credentials (the action)', () => {
  const USER = 'robot$mirror';
  const PASSWORD = 'Pw-3x@mpl3/"hostile"+%key';
  const PAIR = `${USER}:${PASSWORD}`;

  test('a registry echoing the Basic Authorization header (and user:password in other encodings) shows no credential form', async () => {
    await withSource(
      {
        image: sourceImage(),
        auth: { kind: 'basic', username: USER, password: PASSWORD },
        intercept: (request, response, context) => {
          if (!request.url?.includes('/manifests/')) return false;
          const encodedAt = (prefix: string): string => Buffer.from(`${prefix}${PAIR}"}`).toString('base64');
          const message = [
            `you sent ${context.authorization}`,
            `json ${JSON.stringify(PAIR)}`,
            `query u=${encodeURIComponent(PAIR)}`,
            `aligned ${encodedAt('{"a":"')} ${encodedAt('{"ab":"')} ${encodedAt('{"abc":"')}`,
          ].join('; ');
          response.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ code: 'MANIFEST_UNKNOWN', message }] }));
          return true;
        },
      },
      async (source) => {
        const run = await copyFrom(source, { 'source-username': USER, 'source-password': PASSWORD });
        assert.equal(run.exitCode, 1);
        assert.ok(source.server.requests.some((r) => r.headers.authorization === `Basic ${Buffer.from(PAIR).toString('base64')}`), 'the registry did get the login, and echoed it');
        assert.match(run.stdout, /you sent Basic \*\*\*/);
        const github = simulateGitHubRunner(run.stdout);
        const texts = { stdout: run.stdout, shown: github.shown.join('\n'), summary: run.summary, outputs: JSON.stringify(run.outputs) };
        assert.deepEqual(findSecrets(texts, { pair: PAIR, password: PASSWORD }), []);
        for (const form of [encodeURIComponent(PAIR), JSON.stringify(PAIR).slice(1, -1)]) assert.ok(!run.stdout.includes(form), form);
      },
    );
  });

  test('a token from the token service, echoed later by the registry, is masked (and add-masked before the echo)', async () => {
    await withSource(
      {
        image: sourceImage(),
        auth: { kind: 'bearer' },
        intercept: (request, response, context) => {
          if (!request.url?.includes('/blobs/')) return false;
          const token = context.authorization?.replace(/^Bearer /, '') ?? '';
          response.writeHead(403, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ code: 'DENIED', message: `token ${token} (base64 ${Buffer.from(`t=${token}`).toString('base64')}) may not read blobs` }] }));
          return true;
        },
      },
      async (source) => {
        const run = await copyFrom(source);
        assert.equal(run.exitCode, 1);
        assert.ok(source.tokens.length >= 1);
        assert.match(run.stdout, /DENIED: token \*\*\* \(base64/);
        const github = simulateGitHubRunner(run.stdout);
        for (const token of source.tokens) assert.ok(github.masks.includes(token));
        assert.deepEqual(findSecrets({ stdout: run.stdout, shown: github.shown.join('\n') }, source.tokens), []);
      },
    );
  });

  test('a Kubernetes API server echoing an id:secret token from a block scalar, and an image string with commands: masked and inert', async () => {
    const TOKEN_ID = 'ci-deployer';
    const TOKEN_SECRET = 'c2VjcmV0LXBhcnQtb2YtdGhlLXRva2VuLTAxMjM0';
    const TOKEN = `${TOKEN_ID}:${TOKEN_SECRET}`;
    const kube = await startHostileServer(
      (request, response) => {
        const path = '/apis/apps/v1/namespaces/prod/deployments/web';
        if (request.url !== path) return void response.writeHead(404).end();
        if (request.method === 'GET') {
          response.writeHead(200, { 'content-type': 'application/json' }).end(
            JSON.stringify({
              apiVersion: 'apps/v1',
              kind: 'Deployment',
              metadata: { name: 'web', namespace: 'prod', generation: 1 },
              spec: { replicas: 1, template: { spec: { containers: [{ name: 'web', image: 'hub.example.test/library/app:old\n::stop-commands::kube\n##vso[task.setvariable variable=x]y' }] } } },
              status: { observedGeneration: 1, replicas: 1, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1 },
            }),
          );
          return;
        }
        const message = `deployments.apps "web" is forbidden: ${request.headers.authorization} (user ${TOKEN_ID}, secret ${TOKEN_SECRET}) cannot patch\n::add-mask::Summary`;
        response.writeHead(403, { 'content-type': 'application/json' }).end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message, reason: 'Forbidden', code: 403 }));
      },
      { tls: ca },
    );
    try {
      await withSource({ image: sourceImage(), auth: { kind: 'anonymous' } }, async (source) => {
        const kubeconfig = [
          'apiVersion: v1',
          'kind: Config',
          'current-context: ci',
          'clusters:',
          '- name: hostile',
          '  cluster:',
          `    server: https://kube.example.test:${kube.port}`,
          `    certificate-authority-data: ${Buffer.from(ca.caPem).toString('base64')}`,
          'users:',
          '- name: ci',
          '  user:',
          '    token: |-',
          `      ${TOKEN}`,
          'contexts:',
          '- name: ci',
          '  context: {cluster: hostile, user: ci}',
          '',
        ].join('\n');
        const run = await runAction({
          inputs: { provider: 'generic', 'deploy-image': `${source.host}/${REPOSITORY}:latest`, kubeconfig, workloads: 'prod/deployment/web:web', 'rollout-timeout': '20' },
          workdir: sampleAppWorkspace(),
          github: ghContextForBranch('main', SHA),
          env: hostileEnv(NAMES, ca),
          timeoutMs: 120_000,
        });
        assert.equal(run.exitCode, 1, run.stdout);
        assert.ok(kube.requests.some((r) => r.method === 'PATCH' && r.headers.authorization === `Bearer ${TOKEN}`), 'the API server got the token and echoed it');
        const github = assertInert(run.stdout, { reached: /:\\:stop-commands::kube/, attackerMasks: ['Summary'] });
        assert.match(run.stdout, /forbidden: Bearer \*\*\* \(user ci-deployer, secret \*\*\*\)/);
        assert.deepEqual(findSecrets({ stdout: run.stdout, shown: github.shown.join('\n') }, { token: TOKEN, secret: TOKEN_SECRET }), []);
      });
    } finally {
      await kube.close();
    }
  });
});

describe('the CLI (Azure Pipelines, GitLab, a terminal)', () => {
  interface CliRun {
    exitCode: number | null;
    output: string;
  }

  function runCli(args: string[], env: Record<string, string>): Promise<CliRun> {
    const keep = ['PATH', 'HOME', 'LANG', 'TMPDIR'];
    const base: Record<string, string> = {};
    for (const name of keep) if (process.env[name] !== undefined) base[name] = process.env[name]!;
    return new Promise((resolve, reject) => {
      // TF_BUILD: the CLI believes it runs on Azure Pipelines, whose agent reads ##vso[ anywhere in a line.
      const child = spawn(process.execPath, [CLI, ...args], { cwd: sampleAppWorkspace(), env: { ...base, TF_BUILD: 'True', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
      const chunks: Buffer[] = [];
      child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
      child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
      child.on('error', reject);
      child.on('close', (exitCode) => resolve({ exitCode, output: Buffer.concat(chunks).toString('utf8') }));
    });
  }

  const copyArgs = (source: HostileSourceRegistry, extra: string[] = []): string[] => [
    'run',
    '--provider', 'generic',
    '--registry', bed.anonRegistry,
    '--namespace', uniqueNamespace('hostile-cli'),
    '--image', 'app',
    '--source-image', `${source.host}/${REPOSITORY}:latest`,
    '--tags', 'latest',
    ...extra,
  ];

  test('##vso[…], ##[…] and ::stop-commands:: from a registry reach the CLI log inert', async () => {
    await withSource(
      { image: sourceImage({ foreignUrls: ['https://x.example.test/a\n##vso[task.setvariable variable=IMAGESHIP_PWNED]1\n::stop-commands::cli\n x ##[error]pwned \u001b]0;title\u0007'] }), auth: { kind: 'anonymous' } },
      async (source) => {
        const run = await runCli(copyArgs(source), hostileEnv(NAMES, ca));
        assertInert(run.output, { reached: /#\\#vso\[task\.setvariable variable=IMAGESHIP_PWNED\]1/, attackerMessages: /^pwned/ });
        assert.ok(!run.output.includes('\u001b'), 'no terminal escape reaches the log');
        const github = simulateGitHubRunner(run.output);
        assert.deepEqual(github.commands, [], 'the CLI issues no GitHub command at all');
      },
    );
  });

  test('a registry echoing user:password: the CLI log holds no form of it (the CLI has only its own redaction)', async () => {
    const USER = 'cli-robot';
    const PASSWORD = 'Cl1-p@ss/"w0rd"+%x';
    const PAIR = `${USER}:${PASSWORD}`;
    await withSource(
      {
        image: sourceImage(),
        auth: { kind: 'basic', username: USER, password: PASSWORD },
        intercept: (request, response, context) => {
          if (!request.url?.includes('/manifests/')) return false;
          const message = `you sent ${context.authorization}; shifted ${Buffer.from(`x${PAIR}`).toString('base64')}; json ${JSON.stringify(PASSWORD)}; url ${encodeURIComponent(PASSWORD)}`;
          response.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ code: 'MANIFEST_UNKNOWN', message }] }));
          return true;
        },
      },
      async (source) => {
        // A secret never goes on the command line: the password comes from the environment, as in a CI job.
        const result = await runCli(copyArgs(source, ['--source-username', USER]), { ...hostileEnv(NAMES, ca), IMAGESHIP_SOURCE_PASSWORD: PASSWORD });
        assert.equal(result.exitCode, 1, result.output);
        assert.match(result.output, /you sent Basic \*\*\*/);
        assert.deepEqual(findSecrets({ cli: result.output }, { pair: PAIR, password: PASSWORD }), []);
        for (const form of [encodeURIComponent(PASSWORD), JSON.stringify(PASSWORD).slice(1, -1)]) assert.ok(!result.output.includes(form), form);
      },
    );
  });
});

describe('what the plan says about hostile-looking settings', () => {
  test('a rewritten tag is named once; plain-http endpoints and triggers warn once; a trigger token with . and ~ is masked', async () => {
    const TRIGGER_TOKEN = 'Ab3.xY9~kQ2_mN7-pL4.zz';
    const run = await runAction({
      inputs: {
        region: bed.region,
        'access-key': bed.ak,
        'secret-key': bed.sk,
        registry: bed.swrRegistry,
        namespace: uniqueNamespace('plan'),
        image: 'app',
        'source-image': `${bed.anonRegistry}/library/none:1`,
        tags: 'v1.0+build\nlatest',
        'dry-run': 'true',
        endpoints: 'functiongraph=http://api.example.test:9000',
        'function-urn': 'urn:fss:cn-north-4:0123456789abcdef0123456789abcdef:function:default:my-func',
        'deploy-trigger': `http://hooks.example.test/redeploy/${TRIGGER_TOKEN}`,
      },
      workdir: sampleAppWorkspace(),
      github: ghContextForBranch('main', SHA),
    });
    assert.equal(run.exitCode, 0, run.stdout);
    const infoLines = run.stdout.split('\n').filter((line) => line.includes('"v1.0+build" is pushed as "v1.0-build"'));
    assert.equal(infoLines.length, 1, run.stdout);
    const warnings = run.commands.filter((command) => command.command === 'warning').map((command) => command.message);
    assert.equal(warnings.filter((message) => message.startsWith('endpoints: "functiongraph=http://api.example.test:9000" uses plain http')).length, 1, warnings.join('\n'));
    assert.equal(warnings.filter((message) => message.startsWith('deploy-trigger: line 1 uses plain http')).length, 1, warnings.join('\n'));
    assert.deepEqual(findSecrets({ stdout: run.stdout, masked: run.maskedLog }, [TRIGGER_TOKEN]), []);
    assert.match(run.stdout, /trigger: {3}POST http:\/\/hooks\.example\.test\/redeploy\/\*\*\*/);
  });
});
