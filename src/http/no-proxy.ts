/**
 * NO_PROXY, read the way curl (lib/noproxy.c, 7.86+) and Go
 * (golang.org/x/net/http/httpproxy) read it, so a runner's existing proxy
 * settings mean the same thing to imageship as to the tools beside it:
 *
 * - entries are separated by commas and/or blanks (curl); each is trimmed and
 *   lower-cased (both);
 * - `*` alone bypasses the proxy for every host (both);
 * - `example.com` matches example.com and any subdomain, never
 *   notexample.com (both);
 * - `.example.com` matches example.com too (curl strips the dot; Go would
 *   match subdomains only: we follow curl, which Node's and undici's own
 *   proxy support follow as well); `*.example.com` is read as `.example.com`;
 *   trailing dots are ignored (curl);
 * - `host:port` (and `[v6]:port`) applies to that port only (Go; curl has no
 *   port rule); the request's port is its explicit one or the scheme's default;
 * - IP literals and CIDR ranges, IPv4 and IPv6, match IP-literal hosts only,
 *   by address, not by spelling (both);
 * - `localhost` and loopback addresses (127.0.0.0/8, ::1) never go through a
 *   proxy (Go; curl would send them to the proxy unless listed): a remote
 *   proxy cannot reach this machine's loopback, so proxying it is never what a
 *   user means.
 *
 * Names are not resolved: a host name never matches an IP rule (both).
 */
import { isIP } from 'node:net';

type Rule =
  | { kind: 'all' }
  | { kind: 'domain'; domain: string; port: string | undefined }
  | { kind: 'ip'; bytes: Uint8Array; bits: number; port: string | undefined };

export interface NoProxyRules {
  readonly rules: readonly Rule[];
  /** The list as given (for messages). */
  readonly source: string;
}

/** Parses a NO_PROXY value; entries it cannot read are skipped, as curl and Go skip them. */
export function parseNoProxy(value: string | undefined): NoProxyRules {
  const source = value ?? '';
  const rules: Rule[] = [];
  for (const raw of source.split(/[\s,]+/)) {
    const entry = raw.trim().toLowerCase();
    if (entry === '') continue;
    if (entry === '*') {
      rules.push({ kind: 'all' });
      continue;
    }
    const rule = parseEntry(entry);
    if (rule !== undefined) rules.push(rule);
  }
  return { rules, source };
}

function parseEntry(entry: string): Rule | undefined {
  // CIDR: 10.0.0.0/8, fd00::/8 (no port: neither curl nor Go reads one there).
  const slash = entry.indexOf('/');
  if (slash >= 0) {
    const bytes = ipBytes(entry.slice(0, slash));
    const bits = Number(entry.slice(slash + 1));
    if (bytes === undefined || !Number.isInteger(bits) || bits < 0 || bits > bytes.length * 8) return undefined;
    return { kind: 'ip', bytes, bits, port: undefined };
  }
  const { host, port } = splitHostPort(entry);
  if (host === '') return undefined;
  const bytes = ipBytes(host);
  if (bytes !== undefined) return { kind: 'ip', bytes, bits: bytes.length * 8, port };
  let domain = host.replace(/\.+$/, '');
  if (domain.startsWith('*.')) domain = domain.slice(1);
  domain = domain.replace(/^\.+/, '');
  if (domain === '' || domain.includes('*')) return undefined;
  return { kind: 'domain', domain, port };
}

/** `host`, `host:port`, `[v6]`, `[v6]:port`, or a bare IPv6 address (which has colons but no port). */
function splitHostPort(entry: string): { host: string; port: string | undefined } {
  if (entry.startsWith('[')) {
    const close = entry.indexOf(']');
    if (close < 0) return { host: '', port: undefined };
    const rest = entry.slice(close + 1);
    const port = /^:(\d+)$/.exec(rest)?.[1];
    if (rest !== '' && port === undefined) return { host: '', port: undefined };
    return { host: entry.slice(1, close), port };
  }
  const colons = entry.split(':').length - 1;
  if (colons === 1) {
    const [host = '', port = ''] = entry.split(':');
    return /^\d+$/.test(port) ? { host, port } : { host: '', port: undefined };
  }
  return { host: entry, port: undefined };
}

/**
 * True when a request to `hostname` (as URL.hostname gives it: IPv6 in
 * brackets) on `port` must go direct.
 */
export function bypassesProxy(rules: NoProxyRules, hostname: string, port: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/\.+$/, '');
  const bytes = ipBytes(host);
  if (host === 'localhost' || (bytes !== undefined && isLoopback(bytes))) return true;
  for (const rule of rules.rules) {
    if (rule.kind === 'all') return true;
    if (rule.port !== undefined && rule.port !== port) continue;
    if (rule.kind === 'ip') {
      if (bytes !== undefined && inRange(bytes, rule.bytes, rule.bits)) return true;
    } else if (bytes === undefined && (host === rule.domain || host.endsWith(`.${rule.domain}`))) {
      return true;
    }
  }
  return false;
}

/** An IPv4 address as 4 bytes, IPv6 as 16 (an IPv4-mapped IPv6 address as its IPv4 bytes); undefined for a name. */
export function ipBytes(text: string): Uint8Array | undefined {
  const family = isIP(text);
  if (family === 4) return Uint8Array.from(text.split('.').map(Number));
  if (family !== 6) return undefined;
  let address = text.split('%')[0] ?? text;
  // A trailing dotted IPv4 part (::ffff:1.2.3.4) becomes two hex groups.
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (dotted) {
    const [a = 0, b = 0, c = 0, d = 0] = (dotted[1] as string).split('.').map(Number);
    address = `${address.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = address.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  const bytes = new Uint8Array(16);
  groups.forEach((group, i) => {
    const value = parseInt(group, 16);
    bytes[i * 2] = value >> 8;
    bytes[i * 2 + 1] = value & 0xff;
  });
  const mapped = bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
  return mapped ? bytes.slice(12) : bytes;
}

function inRange(address: Uint8Array, network: Uint8Array, bits: number): boolean {
  if (address.length !== network.length) return false;
  const whole = Math.floor(bits / 8);
  for (let i = 0; i < whole; i++) if (address[i] !== network[i]) return false;
  const rest = bits % 8;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return ((address[whole] as number) & mask) === ((network[whole] as number) & mask);
}

function isLoopback(bytes: Uint8Array): boolean {
  if (bytes.length === 4) return bytes[0] === 127;
  return bytes.slice(0, 15).every((b) => b === 0) && bytes[15] === 1;
}
