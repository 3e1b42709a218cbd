/**
 * TLS trust and identity on the transport: docker's certs.d (a CA for that
 * host only, added to the defaults; a client certificate), NODE_EXTRA_CA_CERTS
 * kept alongside certs.d (Node 20 and Node 24 children), SNI for names but
 * not IP literals, TLS session resumption, and the messages for an unknown
 * CA, a name mismatch, an expired certificate and a missing client
 * certificate.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type ServerOptions } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { createTransport, NetworkError, TlsConfigError, type Transport } from '../../src/http/index.js';
import { makeTestCa, type TestCa } from '../helpers/hostile/test-ca.js';
import { NODE24 } from '../helpers/runner.js';

const run = promisify(execFile);

interface Leaf {
  certPem: string;
  keyPem: string;
}

/** A certificate signed by `ca` with exactly these names and dates (openssl ca, which can back-date). */
async function signLeaf(ca: TestCa, options: { cn: string; sans: string; usage: 'serverAuth' | 'clientAuth'; start?: string; end?: string }): Promise<Leaf> {
  const dir = await mkdtemp(join(ca.dir, 'leaf-'));
  await writeFile(join(dir, 'index.txt'), '');
  await writeFile(join(dir, 'serial'), `${Date.now().toString(16).padStart(16, '0')}\n`);
  await writeFile(
    join(dir, 'ca.cnf'),
    `[ca]\ndefault_ca = test\n[test]\ndatabase = index.txt\nnew_certs_dir = .\nserial = serial\ndefault_md = sha256\npolicy = any\nunique_subject = no\n[any]\ncommonName = supplied\n` +
      `[leaf]\nbasicConstraints = CA:FALSE\nextendedKeyUsage = ${options.usage}\n${options.sans ? `subjectAltName = ${options.sans}\n` : ''}`,
  );
  await run('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', `/CN=${options.cn}`], { cwd: dir });
  const dates = options.start && options.end ? ['-startdate', options.start, '-enddate', options.end] : ['-days', '2'];
  await run('openssl', ['ca', '-batch', '-notext', '-config', 'ca.cnf', '-cert', ca.caFile, '-keyfile', join(ca.dir, 'ca.key'), '-in', 'leaf.csr', '-out', 'leaf.crt', '-extensions', 'leaf', ...dates], { cwd: dir });
  return { certPem: await readFile(join(dir, 'leaf.crt'), 'utf8'), keyPem: await readFile(join(dir, 'leaf.key'), 'utf8') };
}

interface TlsServer {
  port: number;
  /** Per request: SNI the client sent, whether the session was resumed, the client certificate's CN. */
  seen: { servername: string | false; resumed: boolean; client: string | undefined }[];
  close(): Promise<void>;
}

const servers: TlsServer[] = [];

async function tlsServer(options: ServerOptions, closeEach = false): Promise<TlsServer> {
  const seen: TlsServer['seen'] = [];
  const server = createServer(options, (req, res) => {
    const socket = req.socket as TLSSocket;
    const peer = socket.getPeerCertificate();
    seen.push({ servername: (socket as TLSSocket & { servername: string | false }).servername, resumed: socket.isSessionReused(), client: peer?.subject?.CN === undefined ? undefined : String(peer.subject.CN) });
    res.writeHead(200, closeEach ? { connection: 'close' } : {}).end('hello over TLS');
  });
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const handle: TlsServer = {
    port: (server.address() as AddressInfo).port,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  servers.push(handle);
  return handle;
}

let ca: TestCa;
let otherCa: TestCa;
let certsDir: string;
const transports: Transport[] = [];

before(async () => {
  ca = await makeTestCa(['registry.test']);
  otherCa = await makeTestCa(['elsewhere.test']);
  certsDir = await mkdtemp(join(tmpdir(), 'imageship-certs-d-'));
});
after(async () => {
  for (const t of transports.splice(0)) t.close();
  for (const s of servers.splice(0)) await s.close();
  await ca.remove();
  await otherCa.remove();
  await rm(certsDir, { recursive: true, force: true });
});

function transport(dir = certsDir): Transport {
  const t = createTransport({ env: {}, certsDir: dir, timeouts: { connectMs: 3_000, idleMs: 3_000 } });
  transports.push(t);
  return t;
}

async function trustIn(dir: string, folder: string, files: Record<string, string>): Promise<void> {
  await mkdir(join(dir, folder), { recursive: true });
  for (const [name, content] of Object.entries(files)) await writeFile(join(dir, folder, name), content);
}

async function failure(promise: Promise<unknown>): Promise<NetworkError> {
  const error = await promise.then(
    () => assert.fail('expected the request to fail'),
    (reason: unknown) => reason,
  );
  const cause = (error as Error).cause;
  assert.ok(cause instanceof NetworkError, `${String(error)} / ${String(cause)}`);
  return cause;
}

describe('certs.d: the trust docker uses for that registry', () => {
  it('a CA in certs.d/<host:port>/ca.crt is trusted for that host and port only', async () => {
    const server = await tlsServer({ cert: ca.certPem, key: ca.keyPem });
    await trustIn(certsDir, `localhost:${server.port}`, { 'ca.crt': ca.caPem });
    const t = transport();
    assert.equal(await (await t.fetch(`https://localhost:${server.port}/v2/`)).text(), 'hello over TLS');
    // The same server by another name (its certificate covers 127.0.0.1 too): no certs.d folder, no trust.
    const error = await failure(t.fetch(`https://127.0.0.1:${server.port}/v2/`));
    assert.equal(error.kind, 'tls-untrusted');
    assert.equal(
      error.message,
      `TLS: the certificate of 127.0.0.1:${server.port} is not signed by a trusted CA (UNABLE_TO_VERIFY_LEAF_SIGNATURE) — trust its CA with NODE_EXTRA_CA_CERTS=/path/to/ca.pem, or put it in ${certsDir}/127.0.0.1:${server.port}/ca.crt`,
    );
    assert.equal(error.transient, false);
  });

  it('every *.crt in the folder counts, not only ca.crt', async () => {
    const server = await tlsServer({ cert: ca.certPem, key: ca.keyPem });
    const dir = await mkdtemp(join(tmpdir(), 'imageship-certs-d-'));
    await trustIn(dir, `localhost:${server.port}`, { 'a-unrelated.crt': otherCa.caPem, 'corp-root.crt': ca.caPem });
    assert.equal(await (await transport(dir).fetch(`https://localhost:${server.port}/`)).text(), 'hello over TLS');
    await rm(dir, { recursive: true, force: true });
  });

  it('presents client.cert + client.key from the folder to a server that demands a client certificate', async () => {
    const client = await signLeaf(ca, { cn: 'imageship-ci', sans: '', usage: 'clientAuth' });
    const server = await tlsServer({ cert: ca.certPem, key: ca.keyPem, ca: ca.caPem, requestCert: true, rejectUnauthorized: true });
    const dir = await mkdtemp(join(tmpdir(), 'imageship-certs-d-'));
    await trustIn(dir, `localhost:${server.port}`, { 'ca.crt': ca.caPem });
    const without = await failure(transport(dir).fetch(`https://localhost:${server.port}/`));
    assert.equal(without.kind, 'tls-client-cert');
    assert.match(without.message, new RegExp(`^TLS: localhost:${server.port} refused the connection's client certificate, or wants one \\(ERR_SSL_\\w+\\) — put the client certificate and key the server trusts in ${dir}/localhost:${server.port}/client.cert and client.key$`));
    await trustIn(dir, `localhost:${server.port}`, { 'client.cert': client.certPem, 'client.key': client.keyPem });
    assert.equal(await (await transport(dir).fetch(`https://localhost:${server.port}/`)).text(), 'hello over TLS');
    assert.equal(server.seen.at(-1)?.client, 'imageship-ci');
    await rm(dir, { recursive: true, force: true });
  });

  it('a client certificate without its key is refused by file, as docker refuses it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'imageship-certs-d-'));
    await trustIn(dir, 'registry.test:5000', { 'client.cert': ca.certPem });
    await assert.rejects(transport(dir).fetch('https://registry.test:5000/'), (error: unknown) => {
      assert.ok(error instanceof TlsConfigError);
      assert.equal(error.message, `${dir}/registry.test:5000/client.cert has no client.key beside it: a client certificate needs its key (a CA certificate goes in a .crt file)`);
      return true;
    });
    await rm(dir, { recursive: true, force: true });
  });

  it('IMAGESHIP_DOCKER_CERTS_D moves the root', async () => {
    const server = await tlsServer({ cert: ca.certPem, key: ca.keyPem });
    const dir = await mkdtemp(join(tmpdir(), 'imageship-certs-d-'));
    await trustIn(dir, `localhost:${server.port}`, { 'ca.crt': ca.caPem });
    const t = createTransport({ env: { IMAGESHIP_DOCKER_CERTS_D: dir } });
    transports.push(t);
    assert.equal((await t.fetch(`https://localhost:${server.port}/`)).status, 200);
    await rm(dir, { recursive: true, force: true });
  });
});

describe('TLS failures say which and how to fix it', () => {
  it('a certificate for other names', async () => {
    const leaf = await signLeaf(ca, { cn: 'elsewhere.test', sans: 'DNS:elsewhere.test, DNS:*.elsewhere.test', usage: 'serverAuth' });
    const server = await tlsServer({ cert: leaf.certPem, key: leaf.keyPem });
    await trustIn(certsDir, `localhost:${server.port}`, { 'ca.crt': ca.caPem });
    const error = await failure(transport().fetch(`https://localhost:${server.port}/`));
    assert.equal(error.kind, 'tls-name');
    assert.equal(
      error.message,
      `TLS: the certificate of localhost:${server.port} is not valid for the name localhost (it is for DNS:elsewhere.test, DNS:*.elsewhere.test) (ERR_TLS_CERT_ALTNAME_INVALID) — use a name the certificate was issued for`,
    );
  });

  it('an expired certificate', async () => {
    const leaf = await signLeaf(ca, { cn: 'localhost', sans: 'DNS:localhost', usage: 'serverAuth', start: '20200101000000Z', end: '20200201000000Z' });
    const server = await tlsServer({ cert: leaf.certPem, key: leaf.keyPem });
    await trustIn(certsDir, `localhost:${server.port}`, { 'ca.crt': ca.caPem });
    const error = await failure(transport().fetch(`https://localhost:${server.port}/`));
    assert.equal(error.message, `TLS: the certificate of localhost:${server.port} has expired (CERT_HAS_EXPIRED) — renew the certificate, or check this machine's clock`);
  });
});

describe('SNI and sessions', () => {
  it('sends SNI for a name, none for an IP literal', async () => {
    const server = await tlsServer({ cert: ca.certPem, key: ca.keyPem });
    await trustIn(certsDir, `localhost:${server.port}`, { 'ca.crt': ca.caPem });
    await trustIn(certsDir, `127.0.0.1:${server.port}`, { 'ca.crt': ca.caPem });
    const t = transport();
    await (await t.fetch(`https://localhost:${server.port}/`)).text();
    await (await t.fetch(`https://127.0.0.1:${server.port}/`)).text();
    assert.deepEqual(
      server.seen.map((s) => s.servername),
      ['localhost', false],
    );
  });

  it('resumes the TLS session on a new connection to the same origin', async () => {
    const server = await tlsServer({ cert: ca.certPem, key: ca.keyPem }, true);
    await trustIn(certsDir, `localhost:${server.port}`, { 'ca.crt': ca.caPem });
    const t = transport();
    for (let i = 0; i < 3; i++) await (await t.fetch(`https://localhost:${server.port}/${i}`)).text();
    assert.deepEqual(
      server.seen.map((s) => s.resumed),
      [false, true, true],
    );
  });
});

describe('NODE_EXTRA_CA_CERTS stays trusted next to certs.d (fresh processes)', () => {
  for (const [name, node] of [
    ['Node 20 (library floor)', process.execPath],
    ['Node 24 (action runtime)', NODE24],
  ] as const) {
    it(`${name}: a host with a certs.d folder for another CA still trusts the NODE_EXTRA_CA_CERTS CA`, async () => {
      const server = await tlsServer({ cert: ca.certPem, key: ca.keyPem });
      const dir = await mkdtemp(join(tmpdir(), 'imageship-certs-d-'));
      await trustIn(dir, `localhost:${server.port}`, { 'ca.crt': otherCa.caPem });
      const library = fileURLToPath(new URL('../../src/http/index.js', import.meta.url));
      const script = `
        const { createTransport } = await import(${JSON.stringify(library)});
        const t = createTransport({ env: {}, certsDir: ${JSON.stringify(dir)} });
        const response = await t.fetch('https://localhost:${server.port}/');
        console.log(await response.text());
        t.close();`;
      const { stdout } = await run(node, ['--input-type=module', '-e', script], { env: { PATH: process.env.PATH ?? '', NODE_EXTRA_CA_CERTS: ca.caFile } });
      assert.equal(stdout.trim(), 'hello over TLS');
      await rm(dir, { recursive: true, force: true });
    });
  }
});
