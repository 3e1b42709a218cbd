/**
 * A throwaway certificate authority and server certificates for host names,
 * made with openssl, so hostile servers on loopback can speak TLS as the remote
 * hosts they play. Trust the CA in a child through NODE_EXTRA_CA_CERTS.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface TestCa {
  /** PEM of the CA: write it to a file for NODE_EXTRA_CA_CERTS. */
  readonly caPem: string;
  /** Path of that file (inside `dir`). */
  readonly caFile: string;
  /** A server certificate (PEM) valid for every name given, and its key. */
  readonly certPem: string;
  readonly keyPem: string;
  readonly dir: string;
  remove(): Promise<void>;
}

export async function makeTestCa(hostNames: readonly string[]): Promise<TestCa> {
  const dir = await mkdtemp(join(tmpdir(), 'imageship-test-ca-'));
  const sans = [...hostNames, 'localhost'].map((name, i) => `DNS.${i + 1} = ${name}`).join('\n');
  await writeFile(
    join(dir, 'openssl.cnf'),
    `[req]\ndistinguished_name = dn\n[dn]\n[ca_ext]\nbasicConstraints = critical,CA:TRUE\nkeyUsage = critical,keyCertSign,cRLSign\n` +
      `[server_ext]\nbasicConstraints = CA:FALSE\nkeyUsage = critical,digitalSignature\nextendedKeyUsage = serverAuth\nsubjectAltName = @alt\n[alt]\n${sans}\nIP.1 = 127.0.0.1\n`,
  );
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  const openssl = (args: string[]): Promise<unknown> => run('openssl', args, { cwd: dir });
  await openssl(['req', '-x509', '-new', ...ec, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=imageship hostile test CA', '-config', 'openssl.cnf', '-extensions', 'ca_ext']);
  await openssl(['req', '-new', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', `/CN=${hostNames[0] ?? 'localhost'}`, '-config', 'openssl.cnf']);
  await openssl(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-set_serial', `0x${Date.now().toString(16)}`, '-out', 'server.crt', '-days', '2', '-extfile', 'openssl.cnf', '-extensions', 'server_ext']);
  const read = (file: string): Promise<string> => readFile(join(dir, file), 'utf8');
  return {
    caPem: await read('ca.crt'),
    caFile: join(dir, 'ca.crt'),
    certPem: await read('server.crt'),
    keyPem: await read('server.key'),
    dir,
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
