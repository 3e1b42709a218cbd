/**
 * The package run's pure parts: the OBS signer against the official SDK's
 * vectors, the reproducible layer read back by GNU tar (an independent
 * reader), the archive readers against archives made by GNU tar and
 * Info-ZIP, path escapes, and the inputs' one-line problems.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { crc32, gunzipSync, gzipSync } from 'node:zlib';
import { storedGzip, tableCrc32 } from '../../src/package/stored-gzip.js';
import { readArchive } from '../../src/package/archive-read.js';
import { placementFor } from '../../src/domain/package-defaults.js';
import { imageConfigFor } from '../../src/package/image-config.js';
import { blobDigestOf, buildLayer, buildLayerAsFilled, diffIdOf, normaliseEntryPath, type LayerEntry } from '../../src/package/layer-tar.js';
import { signObsGet } from '../../src/package/obs-signer.js';
import { nameAndVersion } from '../../src/config/parse-package.js';
import { packageContent, PackageContentError } from '../../src/package/package-content.js';
import { parseInputs, problemsFor, VALID_SWR_INPUTS } from '../helpers/config-input.js';
import { tempDir } from '../helpers/temp-dir.js';
import { sha256InSlices } from '../../src/package/sliced-hash.js';
import { FileFill } from '../../src/package/file-fill.js';
import { startObsStandIn } from '../standins/obs.js';
import { repoRoot } from '../helpers/workspace.js';

interface ObsVector {
  name: string;
  signature_scheme: string;
  ak: string;
  sk: string;
  security_token: string | null;
  url: string;
  headers: Record<string, string>;
  string_to_sign: string;
  authorization: string;
}

const vectors = JSON.parse(readFileSync(join(repoRoot, '__tests__', 'fixtures', 'vectors', 'huawei-obs-signing.json'), 'utf8')) as { cases: ObsVector[] };

describe('OBS signing (esdk-obs-nodejs 3.26.8 vectors)', () => {
  const obsCases = vectors.cases.filter((c) => c.signature_scheme === 'OBS');
  test('the vectors hold both the permanent-key and the temporary-credential case', () => {
    assert.deepEqual(obsCases.map((c) => c.name).sort(), ['obs-get-object', 'obs-get-object-sts']);
  });
  for (const vector of obsCases) {
    test(`${vector.name}: string to sign, Authorization and the token header match the SDK's`, () => {
      const url = new URL(vector.url);
      const bucket = url.hostname.split('.')[0]!;
      const key = decodeURIComponent(url.pathname.slice(1));
      const signed = signObsGet(bucket, key, { accessKey: vector.ak, secretKey: vector.sk, securityToken: vector.security_token ?? '' }, new Date('2024-01-01T00:00:00Z'));
      assert.equal(signed.stringToSign, vector.string_to_sign);
      assert.equal(signed.headers['Authorization'], vector.authorization);
      assert.equal(signed.headers['Date'], vector.headers['Date']);
      assert.equal(signed.headers['x-obs-security-token'], vector.headers['x-obs-security-token']);
    });
  }
});

function gnuTarList(blob: Buffer): string[] {
  const dir = tempDir('imageship-layer-');
  const file = join(dir, 'layer.tar.gz');
  writeFileSync(file, blob);
  // --numeric-owner: uid/gid as stored; --full-time: the mtime to the second, in UTC.
  return execFileSync('tar', ['--numeric-owner', '--full-time', '-tvzf', file], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } }).trim().split('\n');
}

describe('the package layer', () => {
  const entries: LayerEntry[] = [
    { path: 'app/z.js', kind: 'file', mode: 0o644, data: Buffer.from('z') },
    { path: 'app', kind: 'dir', mode: 0o755 },
    { path: 'app/bin/run.sh', kind: 'file', mode: 0o755, data: Buffer.from('#!/bin/sh\necho hi\n') },
    { path: 'app/bin', kind: 'dir', mode: 0o755 },
    { path: 'app/link', kind: 'symlink', mode: 0o777, linkTarget: 'bin/run.sh' },
    { path: `app/${'deep/'.repeat(40)}file.txt`, kind: 'file', mode: 0o600, data: Buffer.from('deep') },
  ];

  test('GNU tar reads every entry back: sorted, one owner, one mtime, modes kept, long names via PAX', () => {
    const layer = buildLayer(entries, { mtime: 1_700_000_000, uid: 1000, gid: 1001 });
    const lines = gnuTarList(Buffer.concat(layer.blobParts));
    const names = lines.map((line) => line.split(/\s+/).slice(5).join(' '));
    assert.deepEqual(names, ['app/', 'app/bin/', 'app/bin/run.sh', `app/${'deep/'.repeat(40)}file.txt`, 'app/link -> bin/run.sh', 'app/z.js']);
    for (const line of lines) {
      assert.match(line, /^\S+ 1000\/1001 +\d+ 2023-11-14 22:13:20 /, line);
    }
    assert.match(lines[2]!, /^-rwxr-xr-x /);
    assert.match(lines[3]!, /^-rw------- /);
    assert.match(lines[4]!, /^lrwxrwxrwx /);
  });

  test('the same entries in another order give the same bytes; another mtime gives other bytes', async () => {
    const a = buildLayer(entries, { mtime: 0, uid: 0, gid: 0 });
    const b = buildLayer([...entries].reverse(), { mtime: 0, uid: 0, gid: 0 });
    assert.equal(await blobDigestOf(a), await blobDigestOf(b));
    assert.equal(await blobDigestOf(a), `sha256:${createHash('sha256').update(Buffer.concat(a.blobParts)).digest('hex')}`, 'the digest is the blob\'s sha256');
    assert.equal(await diffIdOf(a), await diffIdOf(b));
    assert.equal(await diffIdOf(a), `sha256:${createHash('sha256').update(Buffer.concat(a.tarParts)).digest('hex')}`, 'the diff id is the tar\'s sha256');
    assert.equal(gunzipSync(Buffer.concat(a.blobParts)).equals(Buffer.concat(a.tarParts)), true, 'the blob unzips to that tar');
    assert.equal(a.blobParts[0]![9], 3, 'gzip OS byte fixed to Unix');
    assert.notEqual(await blobDigestOf(buildLayer(entries, { mtime: 1, uid: 0, gid: 0 })), await blobDigestOf(a));
  });

  test('paths are normalised, and escapes are refused', () => {
    assert.equal(normaliseEntryPath('./a//b/./c'), 'a/b/c');
    assert.equal(normaliseEntryPath('a\\b\\c.txt'), 'a/b/c.txt');
    assert.equal(normaliseEntryPath('a/../b'), 'b');
    assert.throws(() => normaliseEntryPath('../etc/passwd'), /leads out of the target directory/);
    assert.throws(() => normaliseEntryPath('a/../../etc'), /leads out of the target directory/);
    assert.throws(() => normaliseEntryPath('/etc/passwd'), /absolute path/);
    assert.throws(() => normaliseEntryPath('C:\\Windows\\x'), /absolute path/);
  });
});

describe('unpacking archives made by GNU tar and Info-ZIP', () => {
  const limits = { maxUnpackedBytes: 10 * 1024 * 1024, maxEntries: 1000 };
  function tree(): string {
    const dir = tempDir('imageship-pkgsrc-');
    mkdirSync(join(dir, 'package', 'lib'), { recursive: true });
    writeFileSync(join(dir, 'package', 'package.json'), JSON.stringify({ name: 'demo', version: '1.0.0', main: 'lib/index.js' }));
    writeFileSync(join(dir, 'package', 'lib', 'index.js'), 'console.log("hi")\n');
    writeFileSync(join(dir, 'package', 'run.sh'), '#!/bin/sh\n');
    chmodSync(join(dir, 'package', 'run.sh'), 0o755);
    symlinkSync('lib/index.js', join(dir, 'package', 'main.js'));
    return dir;
  }

  test('a .tgz: files, directories, a symlink, modes; npm pack\'s package/ is the root', () => {
    const dir = tree();
    const tgz = execFileSync('tar', ['-czf', '-', '-C', dir, 'package']);
    const content = packageContent(tgz, 'node', placementFor('node', ''), 1024 * 1024);
    const byPath = new Map(content.entries.map((entry) => [entry.path, entry]));
    assert.deepEqual([...byPath.keys()].sort(), ['app', 'app/lib', 'app/lib/index.js', 'app/main.js', 'app/package.json', 'app/run.sh']);
    assert.equal(byPath.get('app/run.sh')?.mode, 0o755);
    assert.equal(byPath.get('app/main.js')?.linkTarget, 'lib/index.js');
    assert.equal(content.packageJson?.main, 'lib/index.js');
  });

  test('a .zip: the same entries, Unix modes and the symlink kept', () => {
    const dir = tree();
    const zipFile = join(tempDir('imageship-zip-'), 'p.zip');
    execFileSync('zip', ['-q', '-r', '-y', zipFile, '.'], { cwd: join(dir, 'package') });
    const entries = readArchive(readFileSync(zipFile), limits);
    const byName = new Map(entries.map((entry) => [entry.name, entry]));
    assert.equal(byName.get('run.sh')?.mode, 0o755);
    assert.equal(byName.get('main.js')?.kind, 'symlink');
    assert.equal(byName.get('main.js')?.linkTarget, 'lib/index.js');
    assert.equal(byName.get('lib/index.js')?.data.toString(), 'console.log("hi")\n');
    assert.equal(byName.get('lib/')?.kind, 'dir');
  });

  test('a zip entry "../../etc/passwd" and an absolute tar entry are refused, naming the entry', () => {
    const dir = tempDir('imageship-evil-');
    mkdirSync(join(dir, 'a', 'b'), { recursive: true });
    writeFileSync(join(dir, 'evil'), 'x');
    const zipFile = join(dir, 'evil.zip');
    // Info-ZIP stores ../ names as given when run from a subdirectory.
    execFileSync('zip', ['-q', zipFile, '../../evil'], { cwd: join(dir, 'a', 'b') });
    assert.throws(
      () => packageContent(readFileSync(zipFile), 'files', placementFor('files', '/srv'), 1024 * 1024),
      (error: unknown) => error instanceof PackageContentError && /"\.\.\/\.\.\/evil" leads out of the target directory.*refused/.test(error.message),
    );
    const tgz = execFileSync('tar', ['-czf', '-', '-P', join(dir, 'evil')]);
    assert.throws(() => packageContent(tgz, 'files', placementFor('files', '/srv'), 1024 * 1024), /is an absolute path/);
  });

  test('a symlink out of the target, and an entry beneath a planted link, are refused', () => {
    const dir = tempDir('imageship-links-');
    symlinkSync('/etc', join(dir, 'etc-link'));
    const outside = execFileSync('tar', ['-czf', '-', '-C', dir, 'etc-link']);
    assert.throws(() => packageContent(outside, 'files', placementFor('files', '/app'), 1024 * 1024), /symbolic link to "\/etc", outside \/app/);
  });

  test('a gzip bomb stops at four times package-max-size', () => {
    const bomb = gzipSync(Buffer.alloc(8 * 1024 * 1024));
    assert.throws(() => packageContent(bomb, 'files', placementFor('files', '/app'), 1024 * 1024), /unpacks to more than 4194304 bytes/);
  });

  test('device files are refused, not skipped', () => {
    const header = Buffer.alloc(512);
    header.write('dev/null0', 0);
    header.write('0000644\0', 100);
    header.write('00000000000\0', 124);
    header.write('00000000000\0', 136);
    header.write('3', 156);
    header.write('ustar\0', 257);
    header.write('00', 263);
    header.fill(0x20, 148, 156);
    let sum = 0;
    for (const byte of header) sum += byte;
    header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
    const tgz = gzipSync(Buffer.concat([header, Buffer.alloc(1024)]));
    assert.throws(() => packageContent(tgz, 'files', placementFor('files', '/app'), 1024 * 1024), /device file, which has no place in an application package/);
  });
});

describe('the image config', () => {
  test('ENTRYPOINT clears the base CMD; env, ports, user, labels, diff id and history are added', () => {
    const base = { architecture: 'amd64', os: 'linux', config: { Env: ['PATH=/bin', 'MODE=base'], Cmd: ['sh'], Labels: { keep: 'me' } }, rootfs: { type: 'layers', diff_ids: ['sha256:aa'] }, history: [{ created_by: 'base' }] };
    const config = imageConfigFor(
      base,
      { created: '1970-01-01T00:00:00Z', entrypoint: ['java', '-jar', '/app/app.jar'], cmd: undefined, workdir: '/app', env: [['MODE', 'prod'], ['X', '1']], expose: ['8080/tcp'], user: '1000:1000', labels: [['a', 'b']], createdBy: 'imageship', baseName: 'r/base:1', baseDigest: 'sha256:bb' },
      'sha256:cc',
    ) as { config: Record<string, unknown>; rootfs: { diff_ids: string[] }; history: unknown[]; created: string };
    assert.deepEqual(config.config['Entrypoint'], ['java', '-jar', '/app/app.jar']);
    assert.equal(config.config['Cmd'], null);
    assert.deepEqual(config.config['Env'], ['PATH=/bin', 'MODE=prod', 'X=1']);
    assert.deepEqual(config.config['ExposedPorts'], { '8080/tcp': {} });
    assert.equal(config.config['User'], '1000:1000');
    assert.deepEqual(config.config['Labels'], { a: 'b', keep: 'me', 'org.opencontainers.image.base.digest': 'sha256:bb', 'org.opencontainers.image.base.name': 'r/base:1' });
    assert.deepEqual(config.rootfs.diff_ids, ['sha256:aa', 'sha256:cc']);
    assert.equal(config.history.length, 2);
    assert.deepEqual(base.config.Cmd, ['sh'], 'the base config is not changed');
  });
});

describe('package inputs', () => {
  const inputs = (extra: Record<string, string>): Record<string, string> => ({ ...VALID_SWR_INPUTS, ...extra });

  test('a jar with defaults parses; the type and version come from the file name', () => {
    const config = parseInputs(inputs({ package: 'build/app-1.2.0.jar' }));
    assert.equal(config.package?.type, 'jar');
    assert.equal(config.package?.baseImageText, 'eclipse-temurin:21-jre');
    assert.equal(config.package?.baseImage.registry, 'docker.io');
    assert.equal(config.package?.version, '1.2.0');
    assert.deepEqual(nameAndVersion('my_lib-0.3.1-py3-none-any.whl'), { name: 'my_lib', version: '0.3.1' });
  });

  test('python without cmd, an unknown type, a secret in env and a build input each get one line', () => {
    assert.deepEqual(problemsFor(inputs({ package: 'app.zip', 'package-type': 'python' })), [
      'cmd: required for package-type python (a Python package names no start command imageship could trust): set cmd: python -m app',
    ]);
    assert.deepEqual(problemsFor(inputs({ package: 'app.zip', 'package-type': 'ruby' })), ['package-type: "ruby" is not supported: use one of jar, war, node, python, php, files']);
    const secretProblems = problemsFor(inputs({ package: 'app.jar', env: `DB_PASSWORD=${VALID_SWR_INPUTS['secret-key']}` }));
    assert.equal(secretProblems.length, 1);
    assert.match(secretProblems[0]!, /^env: DB_PASSWORD holds one of this run's secrets: it would be baked into the image/);
    assert.ok(!secretProblems[0]!.includes(VALID_SWR_INPUTS['secret-key']!), 'the message does not repeat the secret');
    assert.deepEqual(problemsFor(inputs({ package: 'app.jar', dockerfile: 'Dockerfile' })), ['dockerfile: only applies to a Dockerfile build, but package assembles the image without one: remove dockerfile']);
  });

  test('a zip says nothing about its stack: package-type is asked for; files needs a base', () => {
    assert.match(problemsFor(inputs({ package: 'site.zip' }))[0]!, /^package-type: cannot tell the type from the file name "site\.zip": set package-type: node/);
    assert.match(problemsFor(inputs({ package: 'site.zip', 'package-type': 'files' }))[0]!, /^base-image: required for package-type files/);
  });

  test('a file name holding characters a tag may not hold is refused before use', () => {
    const problems = problemsFor(inputs({ package: 'https://example.com/dl/app-1.2.0%2Bbuild%3A7.jar' }));
    assert.equal(problems.length, 1);
    assert.match(problems[0]!, /^package: the version "1\.2\.0\+build:7" in the file name "app-1\.2\.0\+build:7\.jar" holds characters an image tag does not allow/);
  });

  test('obs:// needs a region (or endpoints: obs=…), takes the security token with provider huaweicloud', () => {
    const config = parseInputs(inputs({ package: 'obs://my-bucket/releases/app-1.2.0.jar', 'security-token': 'tok-0123456789' }));
    assert.equal(config.package?.source.kind, 'obs');
    if (config.package?.source.kind === 'obs') {
      assert.equal(config.package.source.endpoint, 'https://my-bucket.obs.cn-north-4.myhuaweicloud.com');
      assert.equal(config.package.source.credentials?.securityToken, 'tok-0123456789');
    }
    assert.match(problemsFor(inputs({ package: 'obs://Bad_Bucket/x.jar' })).join('\n'), /is not obs:\/\/bucket\/key/);
    assert.deepEqual(problemsFor(inputs({ package: 'ftp://host/app.jar' })), ['package: "ftp://host/app.jar" uses a scheme imageship does not fetch: give a local path, an https:// URL or obs://bucket/key']);
  });

  test('package inputs without package are named', () => {
    assert.deepEqual(problemsFor(inputs({ cmd: 'npm start' })), ['cmd: only used with package: set package: app.jar, or remove cmd']);
  });
});

describe('the OBS stand-in checks what OBS checks', () => {
  test('the SDK\'s own requests pass; a changed signature, a skewed clock and a missing token are refused with OBS codes', async () => {
    const vector = vectors.cases.find((c) => c.name === 'obs-get-object-sts')!;
    const plain = vectors.cases.find((c) => c.name === 'obs-get-object')!;
    const standIn = await startObsStandIn(
      [{ ak: plain.ak, sk: plain.sk }, { ak: vector.ak, sk: vector.sk, securityToken: vector.security_token! }],
      { now: () => Date.parse('2024-01-01T00:05:00Z') },
    );
    try {
      standIn.putObject('my-bucket', 'releases/app-1.2.0.jar', Buffer.from('jar bytes'));
      const send = async (headers: Record<string, string>): Promise<{ status: number; body: string }> => {
        const { Host: host, ...rest } = headers;
        const response = await new Promise<{ status: number; body: string }>((resolve, reject) => {
          const port = Number(new URL(standIn.endpoint).port);
          const req = httpRequest({ host: '127.0.0.1', port, path: '/releases/app-1.2.0.jar', headers: { ...rest, host: host! } }, (res) => {
            let body = '';
            res.on('data', (chunk: Buffer) => (body += chunk.toString()));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
          });
          req.on('error', reject);
          req.end();
        });
        return response;
      };
      for (const c of [plain, vector]) assert.deepEqual(await send(c.headers), { status: 200, body: 'jar bytes' }, c.name);
      const tampered = await send({ ...plain.headers, Authorization: plain.authorization.replace(/.=$/, 'A=') });
      assert.equal(tampered.status, 403);
      assert.match(tampered.body, /<Code>SignatureDoesNotMatch<\/Code>/);
      const { ['x-obs-security-token']: _token, ...withoutToken } = vector.headers;
      assert.match((await send(withoutToken)).body, /<Code>InvalidSecurityToken<\/Code>/);
      const skewed = await send({ ...plain.headers, Date: 'Mon, 01 Jan 2024 01:00:00 GMT' });
      assert.match(skewed.body, /<Code>RequestTimeTooSkewed<\/Code>/);
    } finally {
      await standIn.close();
    }
  });
});

describe('the gzip level follows the content', () => {
  test('already-compressed content is stored (level 0), compressible content deflated; both read back by GNU tar', async () => {
    const random = { path: 'app/app.jar', kind: 'file' as const, mode: 0o644 };
    const text = { path: 'app/app.js', kind: 'file' as const, mode: 0o644, data: Buffer.from('console.log("hello");\n'.repeat(300_000)) };
    const noise = randomBytes(5 * 1024 * 1024);
    const stored = buildLayer([{ ...random, data: noise }], { mtime: 0, uid: 0, gid: 0 });
    const deflated = buildLayer([text], { mtime: 0, uid: 0, gid: 0 });
    assert.ok(stored.size > noise.length && stored.size === Buffer.concat(stored.blobParts).length, 'stored: a little larger than the content');
    assert.ok(deflated.size < text.data.length / 10, 'deflated: far smaller');
    assert.deepEqual(gnuTarList(Buffer.concat(stored.blobParts)).map((line) => line.split(/\s+/).at(-1)), ['app/app.jar']);
    assert.deepEqual(gnuTarList(Buffer.concat(deflated.blobParts)).map((line) => line.split(/\s+/).at(-1)), ['app/app.js']);
    assert.equal(await blobDigestOf(buildLayer([{ ...random, data: noise }], { mtime: 0, uid: 0, gid: 0 })), await blobDigestOf(stored), 'the choice is the content\'s: same bytes, same digest');
  });
});

describe('stored gzip over views of the input', () => {
  test('gunzip gives the input back, byte for byte, at block edges and across parts; the trailer holds CRC-32 and size', () => {
    const block = 0xffff;
    for (const sizes of [[0], [1], [block], [block + 1], [3, block - 3, 1], [700_000], [block * 2, 5, block * 3 + 7]]) {
      const parts = sizes.map((size) => randomBytes(size));
      const input = Buffer.concat(parts);
      const { parts: out, size } = storedGzip(parts);
      const member = Buffer.concat(out);
      assert.equal(member.length, size, `size ${sizes.join('+')}`);
      assert.ok(gunzipSync(member).equals(input), `round trip ${sizes.join('+')}`);
      assert.equal(member.readUInt32LE(member.length - 8), crc32(input), 'CRC-32 of the input');
      assert.equal(member[9], 3, 'OS byte Unix');
      // One 5-byte header per started block, the last one final: the digest depends only on the input.
      assert.equal(size, 10 + 8 + input.length + 5 * Math.max(1, Math.ceil(input.length / block)));
    }
  });

  test('the CRC-32 table for Node releases without zlib.crc32 agrees with zlib, also continued across parts', () => {
    const data = randomBytes(100_000);
    assert.equal(tableCrc32(data), crc32(data));
    assert.equal(tableCrc32(data.subarray(40_000), tableCrc32(data.subarray(0, 40_000))), crc32(data));
    assert.equal(tableCrc32(new Uint8Array()), 0);
  });

  test('the same bytes split differently give the same member', () => {
    const input = randomBytes(200_000);
    const whole = Buffer.concat(storedGzip([input]).parts);
    const split = Buffer.concat(storedGzip([input.subarray(0, 12_345), input.subarray(12_345, 150_000), input.subarray(150_000)]).parts);
    assert.ok(whole.equals(split));
  });

  test('an input still arriving: every view of the trailer, not only the trailer itself, waits for the CRC; a hash over slices then sees the final bytes', async () => {
    const input = randomBytes(3 * 1024 * 1024 + 11);
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    // The input's last bytes are "not read yet" until the gate opens.
    const tail = input.length - 1000;
    const gz = storedGzip([input], (view) => (view.buffer === input.buffer && view.byteOffset - input.byteOffset + view.byteLength > tail ? gate : undefined));
    const trailer = gz.parts.at(-1)!;
    assert.notEqual(gz.arrival?.(trailer), undefined, 'the trailer waits');
    assert.notEqual(gz.arrival?.(trailer.subarray(0, 4)), undefined, 'so does a slice of it (as sha256InSlices cuts it)');
    const digest = sha256InSlices(gz.parts, gz.arrival);
    await new Promise((resolve) => setTimeout(resolve, 20));
    release();
    const hex = await digest;
    await gz.arrival?.(trailer);
    const whole = Buffer.concat(gz.parts);
    assert.equal(hex, createHash('sha256').update(whole).digest('hex'), 'the digest is over the trailer with its CRC');
    assert.equal(gunzipSync(whole).equals(input), true);
    assert.equal(gz.arrival?.(trailer.subarray(0, 4)), undefined, 'in place once the CRC is');
  });
});

describe('a local package read while the run works on it (FileFill)', () => {
  const changed = (): Error => new Error('changed while read');

  test('the layer built as the package comes in is byte for byte the layer built from the whole package (stored and deflated)', async () => {
    const dir = tempDir('imageship-fill-');
    for (const [name, data] of [['noise.jar', randomBytes(5 * 1024 * 1024 + 17)], ['text.jar', Buffer.from('class A {}\n'.repeat(400_000))]] as const) {
      const path = join(dir, name);
      writeFileSync(path, data);
      const entries = (bytes: Buffer): LayerEntry[] => [
        { path: 'app', kind: 'dir', mode: 0o755 },
        { path: 'app/app.jar', kind: 'file', mode: 0o644, data: bytes },
      ];
      const whole = buildLayer(entries(data), { mtime: 0, uid: 0, gid: 0 });
      const fill = await FileFill.start(path, data.length, changed);
      const filled = await buildLayerAsFilled(entries(fill.bytes), { mtime: 0, uid: 0, gid: 0 }, fill);
      assert.equal(filled.size, whole.size, name);
      assert.equal(await blobDigestOf(filled), await blobDigestOf(whole), `${name}: same blob digest`);
      assert.equal(await diffIdOf(filled), await diffIdOf(whole), `${name}: same diff id`);
      await fill.done;
      const trailer = filled.blobParts.at(-1)!;
      assert.equal(filled.arrival?.(trailer), undefined, `${name}: the trailer is in place once everything is`);
      assert.equal(Buffer.concat(filled.blobParts).equals(Buffer.concat(whole.blobParts)), true, `${name}: same bytes`);
    }
  });

  test('until() waits for the front; ensure() reads a region ahead of it; views of other buffers never wait', async () => {
    const dir = tempDir('imageship-fill-');
    const data = randomBytes(6 * 1024 * 1024);
    const path = join(dir, 'app.jar');
    writeFileSync(path, data);
    const fill = await FileFill.start(path, data.length, changed);
    await fill.ensure(data.length - 100, 100);
    assert.equal(fill.bytes.subarray(data.length - 100).equals(data.subarray(data.length - 100)), true, 'the tail read out of turn');
    await fill.until(data.length);
    assert.equal(fill.bytes.equals(data), true);
    assert.equal(fill.arrival(Buffer.alloc(10)), undefined);
    assert.equal(fill.arrival(fill.bytes.subarray(0, 10)), undefined, 'in place: nothing to wait for');
    await fill.done;
  });

  test('a file shorter or longer than its size at the start fails every waiter with the caller\'s error', async () => {
    const dir = tempDir('imageship-fill-');
    const path = join(dir, 'app.jar');
    writeFileSync(path, randomBytes(3 * 1024 * 1024));
    const shorter = await FileFill.start(path, 4 * 1024 * 1024, changed);
    await assert.rejects(shorter.until(4 * 1024 * 1024) ?? Promise.resolve(), /changed while read/);
    await assert.rejects(shorter.done, /changed while read/);
    const longer = await FileFill.start(path, 3 * 1024 * 1024 - 1, changed);
    await assert.rejects(longer.done, /changed while read/);
  });
});
