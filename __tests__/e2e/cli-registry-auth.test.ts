/**
 * `registry-auth` through the compiled CLI, as a GitLab job would run it:
 * the list comes from env IMAGESHIP_REGISTRY_AUTH (a secret is never a flag
 * value), the huaweicloud entry derives the login for the private base's
 * registry from HUAWEICLOUD_SDK_AK/SK, the image goes to the anonymous
 * registry, and the end of the run puts back the login that was in the
 * Docker config before. Checked in the registry, the Docker config and the
 * output, with --verbose, and scanned for secrets.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { manifestDigest } from '../helpers/registry-api.js';
import { DOCKER_WRAPPER_DIR, parseArgvLog, REPO_ROOT } from '../helpers/runner.js';
import { findSecrets } from '../helpers/secret-scan.js';
import { tempDir } from '../helpers/temp-dir.js';
import { loadTestbed, type Testbed } from '../helpers/testbed.js';
import { sampleAppWorkspace, uniqueNamespace } from '../helpers/workspace.js';

const CLI = join(REPO_ROOT, 'build', 'src', 'cli', 'main.js');

describe('CLI: registry-auth from env, private base through a huaweicloud entry, the earlier login restored at the end', () => {
  let bed: Testbed;
  let namespace: string;
  let dockerConfig: string;
  let result: { status: number | null; stdout: string; stderr: string };
  let argv: string[][];
  const earlier = { auth: Buffer.from('old-robot:old-robot-token-4711').toString('base64') };

  before(() => {
    bed = loadTestbed();
    namespace = uniqueNamespace('cli-regauth');
    const base = `${bed.swrRegistry}/${namespace}/base:1`;
    const authFile = join(tempDir('imageship-cli-regauth-'), 'auth.json');
    const basic = Buffer.from(`${bed.username}:${bed.derivedPassword}`).toString('base64');
    writeFileSync(authFile, JSON.stringify({ auths: { [bed.swrRegistry]: { auth: basic } } }), { mode: 0o600 });
    execFileSync('skopeo', ['copy', '--src-tls-verify=false', '--dest-tls-verify=false', '--dest-authfile', authFile, `docker://${bed.baseImage}`, `docker://${base}`], { stdio: 'pipe' });

    dockerConfig = tempDir('imageship-cli-regauth-config-');
    writeFileSync(join(dockerConfig, 'config.json'), JSON.stringify({ auths: { [bed.swrRegistry]: earlier } }), { mode: 0o600 });
    const argvLog = join(tempDir('imageship-cli-regauth-argv-'), 'argv.log');
    writeFileSync(argvLog, '');
    const run = spawnSync(
      process.execPath,
      [CLI, 'run', '--provider', 'generic', '--registry', bed.anonRegistry, '--namespace', namespace, '--image', 'app', '--tags', 'latest', '--build-args', `BASE_IMAGE=${base}`, '--output', 'json', '--verbose'],
      {
        cwd: sampleAppWorkspace(),
        encoding: 'utf8',
        timeout: 240_000,
        env: {
          PATH: [DOCKER_WRAPPER_DIR, ...(process.env['PATH'] ?? '/usr/bin:/bin').split(delimiter)].join(delimiter),
          HOME: process.env['HOME'] ?? '/root',
          TMPDIR: process.env['TMPDIR'] ?? '/tmp',
          DOCKER_CONFIG: dockerConfig,
          IMAGESHIP_ARGV_LOG: argvLog,
          HUAWEICLOUD_SDK_AK: bed.ak,
          HUAWEICLOUD_SDK_SK: bed.sk,
          IMAGESHIP_REGISTRY_AUTH: `- provider: huaweicloud\n  region: ${bed.region}\n  registry: ${bed.swrRegistry}\n`,
        },
      },
    );
    result = { status: run.status, stdout: run.stdout, stderr: run.stderr };
    argv = parseArgvLog(readFileSync(argvLog, 'utf8')).map((call) => call.argv);
  });

  after(() => {
    if (namespace) spawnSync('docker', ['rmi', `${bed.anonRegistry}/${namespace}/app:latest`, `${bed.swrRegistry}/${namespace}/base:1`], { stdio: 'ignore' });
  });

  test('the run pushes the image built on the private base; the logins output names the entry registry', async () => {
    assert.equal(result.status, 0, result.stderr);
    const outputs = JSON.parse(result.stdout) as Record<string, string>;
    assert.deepEqual(JSON.parse(outputs['logins'] ?? '[]'), [bed.swrRegistry]);
    assert.equal(await manifestDigest(bed.anonRegistry, `${namespace}/app`, 'latest'), outputs['digest']);
    assert.match(result.stderr, new RegExp(`an existing login for ${bed.swrRegistry.replace(/\./g, '\\.')} was kept`));
  });

  test('the end of the run put the earlier login back exactly; no docker login process ran', () => {
    assert.deepEqual(JSON.parse(readFileSync(join(dockerConfig, 'config.json'), 'utf8')), { auths: { [bed.swrRegistry]: earlier } });
    assert.deepEqual(argv.filter((call) => call[0] === 'login' || call[0] === 'logout'), []);
  });

  test('no secret in the output, the log (verbose) or any docker argv', () => {
    const texts = { stdout: result.stdout, stderr: result.stderr, argv: JSON.stringify(argv) };
    assert.deepEqual(findSecrets(texts, { SK: bed.sk, 'derived password': bed.derivedPassword, 'earlier token': 'old-robot-token-4711' }), []);
    assert.ok(result.stderr.length > 0 && argv.length > 2);
  });
});
