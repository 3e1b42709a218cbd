/**
 * `package` downloads, through the compiled CLI: an HTTPS server with a test
 * CA (a redirect, a body cut in the middle, Range + If-Range, an oversized and
 * an endless answer) and the OBS stand-in (__tests__/standins/obs.ts), which
 * verifies every signature and token independently. The image lands in the
 * test bed's registries; nothing starts docker.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer as createHttpsServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { makeTestCa, type TestCa } from '../helpers/hostile/test-ca.js';
import { anonTarget, bed, JAR, layerListing, output, runCli, swrAuth } from '../helpers/package-run.js';
import { catalog, getManifest, imageConfig } from '../helpers/registry-api.js';
import { findSecrets } from '../helpers/secret-scan.js';
import { tempDir } from '../helpers/temp-dir.js';
import { uniqueNamespace } from '../helpers/workspace.js';
import { startObsStandIn, type ObsStandIn } from '../standins/obs.js';

interface DownloadServer {
  origin: string;
  requests: { path: string; range: string | undefined; ifRange: string | undefined; status: number; bytes: number }[];
  close(): Promise<void>;
}

/** HTTPS with the test CA: a redirect, a body cut once in the middle, ranges with If-Range, an oversized and an unsized endless answer. */
async function startDownloadServer(ca: TestCa, files: Record<string, Buffer>): Promise<DownloadServer> {
  const requests: DownloadServer['requests'] = [];
  let cutDone = false;
  const server: Server = createHttpsServer({ cert: ca.certPem, key: ca.keyPem }, (req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const record = { path, range: req.headers.range, ifRange: req.headers['if-range'] as string | undefined, status: 0, bytes: 0 };
    requests.push(record);
    if (path === '/latest/app.jar') {
      record.status = 302;
      res.writeHead(302, { location: '/files/app-3.0.0.jar' }).end();
      return;
    }
    if (path === '/endless.jar') {
      record.status = 200;
      res.writeHead(200, { 'content-type': 'application/java-archive' });
      const chunk = Buffer.alloc(64 * 1024, 1);
      const pump = (): void => {
        while (!res.destroyed && res.write(chunk)) record.bytes += chunk.length;
        if (!res.destroyed) res.once('drain', pump);
      };
      res.on('close', () => undefined);
      pump();
      return;
    }
    const body = files[path];
    if (!body) {
      record.status = 404;
      res.writeHead(404).end('not found');
      return;
    }
    const etag = `"${createHash('md5').update(body).digest('hex')}"`;
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    if (range && record.ifRange === etag) {
      const start = Number(range[1]);
      record.status = 206;
      record.bytes = body.length - start;
      res.writeHead(206, { 'content-length': String(body.length - start), 'content-range': `bytes ${start}-${body.length - 1}/${body.length}`, etag }).end(body.subarray(start));
      return;
    }
    record.status = 200;
    res.writeHead(200, { 'content-length': String(body.length), etag, 'accept-ranges': 'bytes' });
    if (path === '/files/app-3.0.0.jar' && !cutDone) {
      cutDone = true;
      const half = Math.floor(body.length / 2);
      record.bytes = half;
      res.write(body.subarray(0, half), () => setTimeout(() => res.socket?.destroy(), 20));
      return;
    }
    record.bytes = body.length;
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `https://localhost:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('package: downloads over HTTPS and from OBS', () => {
  let ca: TestCa;
  let server: DownloadServer;
  let obs: ObsStandIn;
  const bigJar = Buffer.concat([JAR, Buffer.alloc(300_000, 3)]);
  const stsKey = { ak: 'HSTTESTAK00000000001', sk: 'TestTemporarySecretKey000000000000000000', securityToken: 'gQpjbi1ub3J0aC00TESTTOKEN+Abc/Def=ghIJklMNopQRstUVwx==' };
  before(async () => {
    ca = await makeTestCa(['localhost']);
    server = await startDownloadServer(ca, { '/files/app-3.0.0.jar': bigJar, '/files/huge.jar': Buffer.alloc(3 * 1024 * 1024, 9) });
    obs = await startObsStandIn([stsKey, { ak: bed.ak, sk: bed.sk }]);
    obs.putObject('release-bucket', 'builds/svc-1.4.2.jar', bigJar);
  });
  after(async () => {
    await server.close();
    await obs.close();
    await ca.remove();
  });
  const caEnv = (): Record<string, string> => ({ NODE_EXTRA_CA_CERTS: ca.caFile });

  test('https: a redirect is followed, a body cut in the middle is resumed with Range + If-Range, package-sha256 checked', async () => {
    const namespace = uniqueNamespace('pkg-https');
    const sha = createHash('sha256').update(bigJar).digest('hex');
    const run = await runCli([...anonTarget(namespace), '--package', `${server.origin}/latest/app.jar?token=dl-Secret-9f8e7d`, '--package-type', 'jar', '--package-sha256', sha, '--base-image', bed.baseImage], { cwd: tempDir('imageship-pkg-ws-'), env: caEnv() });
    assert.equal(run.exitCode, 0, output(run));
    assert.deepEqual(run.argv, []);
    const seen = server.requests.map((r) => [r.path, r.status, r.range ?? ''] as const);
    assert.deepEqual(seen, [
      ['/latest/app.jar', 302, ''],
      ['/files/app-3.0.0.jar', 200, ''],
      ['/files/app-3.0.0.jar', 206, `bytes=${Math.floor(bigJar.length / 2)}-`],
    ]);
    assert.equal(server.requests[2]?.ifRange, `"${createHash('md5').update(bigJar).digest('hex')}"`, 'the resume is guarded by the ETag');
    assert.match(run.stdout, /broke off at byte \d+ .*resuming from there/);
    assert.match(run.stdout, /matches package-sha256/);
    const manifest = (await getManifest(bed.anonRegistry, `${namespace}/app`, 'v1'))?.json as { layers: { digest: string }[] };
    const { lines } = await layerListing(bed.anonRegistry, `${namespace}/app`, manifest.layers.at(-1)!.digest);
    assert.match(lines[1]!, new RegExp(` ${bigJar.length} 1970-01-01 00:00:00 app/app\\.jar$`));
    assert.ok(!output(run).includes('dl-Secret-9f8e7d'), 'the URL\'s query (a token) is never printed');
  });

  test('https: a wrong package-sha256, an oversized Content-Length and an endless unsized body are refused; nothing is pushed', async () => {
    const namespace = uniqueNamespace('pkg-refuse');
    const cwd = tempDir('imageship-pkg-ws-');
    server.requests.length = 0;
    const wrong = await runCli([...anonTarget(namespace), '--package', `${server.origin}/files/app-3.0.0.jar`, '--package-sha256', '0'.repeat(64), '--base-image', bed.baseImage], { cwd, env: caEnv() });
    assert.equal(wrong.exitCode, 1);
    assert.match(wrong.stderr, /package-sha256: .*\/files\/app-3\.0\.0\.jar has SHA-256 [0-9a-f]{64}, not the expected 0{64}: .*nothing was pushed/);

    const huge = await runCli([...anonTarget(namespace), '--package', `${server.origin}/files/huge.jar`, '--package-max-size', '1M', '--base-image', bed.baseImage], { cwd, env: caEnv() });
    assert.equal(huge.exitCode, 1);
    assert.match(huge.stderr, /package: https:\/\/localhost:\d+\/files\/huge\.jar is 3145728 bytes, more than package-max-size \(1048576 bytes\): raise package-max-size/);
    assert.ok((server.requests.find((r) => r.path === '/files/huge.jar')?.bytes ?? 0) <= 3 * 1024 * 1024);

    const endless = await runCli([...anonTarget(namespace), '--package', `${server.origin}/endless.jar`, '--package-max-size', '2M', '--base-image', bed.baseImage], { cwd, env: caEnv() });
    assert.equal(endless.exitCode, 1);
    assert.match(endless.stderr, /package: https:\/\/localhost:\d+\/endless\.jar is more than 2097152 bytes \(the server did not say how large\), more than package-max-size/);
    assert.ok(!(await catalog(bed.anonRegistry)).some((repository) => repository.startsWith(namespace)), 'nothing pushed');
  });

  test('obs://: signed GETs with permanent and temporary keys (the stand-in checks signature and token), resumed after a cut; into the SWR registry, base blobs copied across registries; no secret printed', async () => {
    const namespace = uniqueNamespace('pkg-obs');
    const target = ['--namespace', namespace, '--image', 'app', '--package', 'obs://release-bucket/builds/svc-1.4.2.jar', '--endpoints', `obs=${obs.endpoint}`, '--base-image', bed.baseImage];
    obs.requests.length = 0;
    obs.breakAfter(100_000);
    // Permanent keys: the same AK/SK derive the SWR login and sign the OBS GET.
    const permanent = await runCli(['--provider', 'huaweicloud', '--region', bed.region, '--registry', bed.swrRegistry, '--tags', 'v1', ...target], {
      cwd: tempDir('imageship-pkg-ws-'),
      env: { HUAWEICLOUD_SDK_AK: bed.ak, HUAWEICLOUD_SDK_SK: bed.sk },
    });
    assert.equal(permanent.exitCode, 0, output(permanent));
    const gets = obs.requests.filter((r) => r.status === 200 || r.status === 206);
    assert.deepEqual(gets.map((r) => [r.status, r.headers['range'] ?? '']), [[200, ''], [206, 'bytes=100000-']]);
    assert.ok(gets.every((r) => String(r.headers['authorization']).startsWith(`OBS ${bed.ak}:`) && r.headers['x-obs-security-token'] === undefined));
    assert.match(permanent.stdout, /base blobs [1-9]\d* copied/, 'the base lives on another registry: its blobs are copied');
    const config = (await imageConfig(bed.swrRegistry, `${namespace}/app`, 'v1', swrAuth)) as { config: { Labels: Record<string, string> } };
    assert.equal(config.config.Labels['io.imageship.package.sha256'], createHash('sha256').update(bigJar).digest('hex'));

    // Temporary keys: the token travels in x-obs-security-token, signed; the registry login is a separate user/password.
    obs.requests.length = 0;
    const swrLogin = ['--provider', 'generic', '--registry', bed.swrRegistry, '--username', bed.username];
    const temporary = await runCli([...swrLogin, '--tags', 'v2', ...target], {
      cwd: tempDir('imageship-pkg-ws-'),
      env: { IMAGESHIP_PASSWORD: bed.derivedPassword, IMAGESHIP_ACCESS_KEY: stsKey.ak, IMAGESHIP_SECRET_KEY: stsKey.sk, IMAGESHIP_SECURITY_TOKEN: stsKey.securityToken },
    });
    assert.equal(temporary.exitCode, 0, output(temporary));
    assert.deepEqual(obs.requests.map((r) => [r.status, r.headers['x-obs-security-token']]), [[200, stsKey.securityToken]]);
    assert.match(temporary.stdout, /base blobs 0 copied \(0 bytes\)/, 'the second run finds the base blobs there');

    const wrongToken = await runCli([...swrLogin, '--tags', 'v3', ...target], {
      cwd: tempDir('imageship-pkg-ws-'),
      env: { IMAGESHIP_PASSWORD: bed.derivedPassword, IMAGESHIP_ACCESS_KEY: stsKey.ak, IMAGESHIP_SECRET_KEY: stsKey.sk, IMAGESHIP_SECURITY_TOKEN: `${stsKey.securityToken.slice(0, -4)}AAA=` },
    });
    assert.equal(wrongToken.exitCode, 1);
    assert.match(wrongToken.stderr, /package: downloading obs:\/\/release-bucket\/builds\/svc-1\.4\.2\.jar got HTTP 403 \(InvalidSecurityToken\): check access-key\/secret-key \(and security-token for temporary keys\)/);
    const texts = Object.fromEntries([permanent, temporary, wrongToken].flatMap((run, i) => [[`stdout${i}`, run.stdout], [`stderr${i}`, run.stderr]]));
    assert.deepEqual(findSecrets(texts, [stsKey.sk, stsKey.securityToken, bed.sk, bed.derivedPassword]), []);
    for (const run of [permanent, temporary, wrongToken]) assert.deepEqual(run.argv, []);
  });
});
