/**
 * Where each Huawei Cloud service is reached. Some regions put services on
 * different domains (eu-west-101: swr-api and iam on myhuaweicloud.eu,
 * functiongraph and cce on .com), which one `domain` cannot say: with the
 * default domain the host comes from the official SDKs' region table
 * (endpoint-table.ts, generated), else the pattern
 * `https://{service}.{region}.{domain}`. A `domain` other than the default
 * (another partition) uses the pattern for every service, and the
 * `endpoints` input overrides both per service (a private cloud, a proxy, or
 * the local stand-ins the tests run).
 */
import { SDK_ENDPOINTS } from './endpoint-table.js';

/** The public cloud's domain, the `domain` input's default. */
export const DEFAULT_DOMAIN = 'myhuaweicloud.com';

const SERVICE_NAME = /^[a-z-]+$/;
const EXAMPLE = 'functiongraph=http://127.0.0.1:9000';

export interface ParsedEndpoints {
  endpoints: ReadonlyMap<string, string>;
  /** One line each: `endpoints: "<line>" …: <fix>`. */
  errors: string[];
  /** Valid but worth a warning: plain http to a host other than this machine. One line each. */
  warnings: string[];
}

/** Reads `service=url` lines; blank lines and `#` comments are skipped. */
export function parseEndpoints(text: string): ParsedEndpoints {
  const endpoints = new Map<string, string>();
  const errors: string[] = [];
  const warnings: string[] = [];
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) continue;
    // A password written into a URL must not be printed back.
    const shown = line.replace(/\/\/[^/@\s]*@/, '//***@');
    const problem = (what: string, fix: string): void => void errors.push(`endpoints: "${shown}" ${what}: ${fix}`);

    const equals = line.indexOf('=');
    if (equals === -1) {
      problem('has no "="', `write one service=url per line, e.g. ${EXAMPLE}`);
      continue;
    }
    const service = line.slice(0, equals).trim();
    const address = line.slice(equals + 1).trim();
    if (!SERVICE_NAME.test(service)) {
      problem(`names service "${service}"`, 'use the service name as in its endpoint host, lower-case letters and "-" only (functiongraph, cce, iam, swr-api)');
      continue;
    }
    if (endpoints.has(service)) {
      problem(`sets ${service} a second time`, 'keep one line per service');
      continue;
    }
    const url = parseEndpointUrl(address);
    if (typeof url !== 'string') {
      problem(url.what, url.fix);
      continue;
    }
    endpoints.set(service, url);
    if (url.startsWith('http:') && !isLoopbackUrl(url)) {
      warnings.push(
        `endpoints: "${shown}" uses plain http: the signed requests and their bodies (function settings, kubeconfigs, registry logins) travel unencrypted and can be read or changed on the way; use https unless ${service} is reached over a private network`,
      );
    }
  }
  return { endpoints, errors, warnings };
}

/** The base URL of `service` in `region`: the override, else the SDKs' table (default domain only), else the pattern. */
export function huaweiEndpoint(
  service: string,
  region: string,
  domain: string,
  overrides: ReadonlyMap<string, string>,
): string {
  const override = overrides.get(service);
  if (override !== undefined) return override;
  const known = domain === DEFAULT_DOMAIN ? SDK_ENDPOINTS[service]?.[region] : undefined;
  return known ?? `https://${service}.${region}.${domain}`;
}

/**
 * The domain SWR lives on in `region`: the registry (`swr.{region}.…`) shares
 * the domain of the SWR API (`swr-api.{region}.…`) the SDKs list, so
 * eu-west-101 pushes to swr.eu-west-101.myhuaweicloud.eu with the default
 * `domain`. Another `domain` is taken as given.
 */
export function swrDomain(region: string, domain: string): string {
  if (domain !== DEFAULT_DOMAIN) return domain;
  const api = SDK_ENDPOINTS['swr-api']?.[region];
  const host = api === undefined ? undefined : new URL(api).hostname;
  const prefix = `swr-api.${region}.`;
  return host !== undefined && host.startsWith(prefix) ? host.slice(prefix.length) : domain;
}

/** Plain http that never leaves this machine (the local stand-ins tests and proxies run) is not worth a warning. */
function isLoopbackUrl(url: string): boolean {
  const host = new URL(url).hostname;
  return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** The normalised URL (no trailing slash), or what is wrong with it. */
function parseEndpointUrl(address: string): string | { what: string; fix: string } {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    return { what: 'has no valid URL', fix: `give an absolute http(s) URL, e.g. ${EXAMPLE}` };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { what: `uses ${url.protocol.replace(/:$/, '')}`, fix: 'use an http:// or https:// URL' };
  }
  // Requests are signed over their path and query; a fixed query or fragment would be silently mixed in.
  if (url.search !== '' || address.includes('?') || url.hash !== '' || address.includes('#')) {
    return { what: 'has a query or fragment', fix: 'give only scheme, host, port and optionally a base path' };
  }
  // Credentials in a URL end up in logs; the API is authenticated by AK/SK signing anyway.
  if (url.username !== '' || url.password !== '') {
    return { what: 'has a user name or password in the URL', fix: 'remove them: requests are signed with the AK/SK' };
  }
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}
