/**
 * Whom a TLS connection trusts, and which client certificate it shows.
 *
 * By default Node's own store: its bundled roots plus `NODE_EXTRA_CA_CERTS`
 * (and the system store when Node runs with --use-system-ca). Node adds
 * NODE_EXTRA_CA_CERTS to every context that does not set `ca`, including
 * one wrapped around a CONNECT tunnel, so nothing needs doing for it.
 *
 * On top of that, per registry host, what docker itself trusts for it:
 * `/etc/docker/certs.d/<host[:port]>/` (the root overridable for tests and
 * rootless setups with the `certsDir` option or IMAGESHIP_DOCKER_CERTS_D),
 * read by docker's rules: every `*.crt` is a CA added to the default trust
 * (not replacing it), every `X.cert` is a client certificate whose key is
 * `X.key`. Setting `ca` in Node replaces the default store, so the defaults
 * are handed in again alongside (tls.getCACertificates('default') on Node
 * ≥ 22.15, the bundled roots plus the NODE_EXTRA_CA_CERTS file before).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tls from 'node:tls';
import { certsDirFor, type Endpoint } from './network-errors.js';
import { ImageshipError } from '../domain/errors.js';

export const DEFAULT_CERTS_DIR = '/etc/docker/certs.d';

type Pem = string | Buffer;

/** TLS choices a caller makes for a whole transport (a Kubernetes cluster's kubeconfig, say). */
export interface TlsSettings {
  /** Trusted instead of the default store (kubeconfig certificate-authority-data). */
  ca?: Pem | Pem[];
  /** Trusted in addition to the default store. */
  extraCa?: Pem | Pem[];
  /** A client certificate (chain) and its key. */
  cert?: Pem;
  key?: Pem;
  /** SNI and certificate name to check instead of the URL's host (kubeconfig tls-server-name). */
  servername?: string;
  /** false skips verification (kubeconfig insecure-skip-tls-verify). */
  rejectUnauthorized?: boolean;
}

/** A certs.d folder that docker itself would refuse; thrown before any connection. */
export class TlsConfigError extends ImageshipError {
  override readonly name = 'TlsConfigError';
}

/** What one host's certs.d folder holds. */
export interface CertsDirContents {
  dir: string;
  cas: Buffer[];
  certs: Buffer[];
  keys: Buffer[];
}

/** Reads `<certsDir>/<host[:port]>`; undefined when there is no such folder. */
export function readCertsDir(certsDir: string, endpoint: Endpoint): CertsDirContents | undefined {
  const candidates = [certsDirFor(certsDir, endpoint)];
  // docker names the folder as the registry is written: "host" for 443, but a user may have written host:443.
  if (endpoint.port === 443) candidates.push(join(certsDir, `${endpoint.host}:443`));
  for (const dir of candidates) {
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') continue;
      throw new TlsConfigError(`cannot read ${dir} (${String(code ?? error)}): make it readable by this user, or set IMAGESHIP_DOCKER_CERTS_D to another folder`);
    }
    const contents: CertsDirContents = { dir, cas: [], certs: [], keys: [] };
    for (const name of names) {
      const file = join(dir, name);
      if (name.endsWith('.crt')) contents.cas.push(readFileSync(file));
      else if (name.endsWith('.cert')) {
        const key = `${name.slice(0, -'.cert'.length)}.key`;
        if (!names.includes(key)) throw new TlsConfigError(`${file} has no ${key} beside it: a client certificate needs its key (a CA certificate goes in a .crt file)`);
        contents.certs.push(readFileSync(file));
        contents.keys.push(readFileSync(join(dir, key)));
      } else if (name.endsWith('.key')) {
        const cert = `${name.slice(0, -'.key'.length)}.cert`;
        if (!names.includes(cert)) throw new TlsConfigError(`${file} has no ${cert} beside it: a client key needs its certificate`);
      }
    }
    return contents;
  }
  return undefined;
}

let defaultCas: string[] | undefined;

/** The CAs a context without `ca` trusts: what must be handed in again when `ca` is set. */
export function defaultCaCertificates(): string[] {
  if (defaultCas !== undefined) return defaultCas;
  const modern = (tls as { getCACertificates?: (type: string) => string[] }).getCACertificates;
  if (typeof modern === 'function') {
    defaultCas = modern('default');
  } else {
    defaultCas = [...tls.rootCertificates];
    const extra = process.env.NODE_EXTRA_CA_CERTS;
    if (extra) {
      try {
        defaultCas.push(...splitPem(readFileSync(extra, 'utf8')));
      } catch {
        // Node itself warned about an unreadable NODE_EXTRA_CA_CERTS at start-up.
      }
    }
  }
  return defaultCas;
}

function splitPem(text: string): string[] {
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}

const list = (value: Pem | Pem[] | undefined): Pem[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/** The node:tls options for connections to `endpoint`. */
export function tlsOptionsFor(endpoint: Endpoint, settings: TlsSettings, certsDir: string): tls.ConnectionOptions {
  const options: tls.ConnectionOptions = {};
  const folder = settings.ca === undefined ? readCertsDir(certsDir, endpoint) : undefined;
  const extra = [...list(settings.extraCa), ...(folder?.cas ?? [])];
  if (settings.ca !== undefined) options.ca = [...list(settings.ca), ...extra];
  else if (extra.length > 0) options.ca = [...defaultCaCertificates(), ...extra];
  if (settings.cert !== undefined && settings.key !== undefined) {
    options.cert = settings.cert;
    options.key = settings.key;
  } else if (folder && folder.certs.length > 0) {
    options.cert = folder.certs;
    options.key = folder.keys;
  }
  if (settings.servername !== undefined) options.servername = settings.servername;
  if (settings.rejectUnauthorized === false) options.rejectUnauthorized = false;
  checkTlsMaterial(options, folder?.dir);
  return options;
}

/** Builds the context once up front, so a bad PEM or a key that does not fit its certificate is reported by file, not mid-request. */
function checkTlsMaterial(options: tls.ConnectionOptions, folder: string | undefined): void {
  if (options.ca === undefined && options.cert === undefined) return;
  try {
    tls.createSecureContext(options);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const where = folder ?? 'the TLS settings given';
    const what = code === 'ERR_OSSL_X509_KEY_VALUES_MISMATCH' ? 'a client key does not belong to its certificate' : 'a certificate or key is not usable PEM';
    throw new TlsConfigError(`${where}: ${what} (${String(code ?? (error as Error).message)}) — replace the files with PEM certificates (.crt, .cert) and the matching key (.key)`);
  }
}
