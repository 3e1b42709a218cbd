/**
 * NO_PROXY as curl (lib/noproxy.c) and Go (x/net/http/httpproxy) read it.
 * Each row: the NO_PROXY value, the request URL, whether it goes direct, and
 * whose behaviour the row pins.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseNoProxy, bypassesProxy } from '../../src/http/no-proxy.js';
import { proxyFor, proxySettingsFromEnv } from '../../src/http/proxy-env.js';

const ROWS: [noProxy: string, url: string, direct: boolean, why: string][] = [
  ['', 'https://registry.example.com/', false, 'empty list: everything through the proxy'],
  ['*', 'https://registry.example.com/', true, 'curl, Go: * alone bypasses everything'],
  ['example.com', 'https://example.com/', true, 'curl, Go: the domain itself'],
  ['example.com', 'https://registry.example.com/', true, 'curl, Go: a subdomain'],
  ['example.com', 'https://notexample.com/', false, 'curl, Go: not a mere string suffix'],
  ['example.com', 'https://example.com.evil.test/', false, 'suffix only at the end'],
  ['.example.com', 'https://registry.example.com/', true, 'curl, Go: leading dot, subdomain'],
  ['.example.com', 'https://example.com/', true, 'curl strips the dot (Go would proxy: we follow curl, as Node and undici do)'],
  ['*.example.com', 'https://a.b.example.com/', true, 'Go: *.domain read as .domain'],
  ['EXAMPLE.com', 'https://Registry.Example.COM/', true, 'curl, Go: case-insensitive'],
  ['example.com.', 'https://registry.example.com/', true, 'curl: trailing dot of the entry ignored'],
  ['example.com', 'https://registry.example.com./', true, 'curl: trailing dot of the host ignored'],
  ['  foo.test ,  example.com  ', 'https://example.com/', true, 'curl, Go: whitespace around entries'],
  ['foo.test example.com', 'https://example.com/', true, 'curl: blanks separate entries too'],
  ['foo.test,,example.com', 'https://example.com/', true, 'empty entries skipped'],
  ['example.com:8443', 'https://example.com:8443/', true, 'Go: host:port matches that port'],
  ['example.com:8443', 'https://example.com/', false, 'Go: …and no other'],
  ['example.com:443', 'https://example.com/', true, "Go: the scheme's default port counts"],
  ['example.com:80', 'https://example.com/', false, 'Go: 80 is not https’ port'],
  ['10.1.2.3', 'https://10.1.2.3/', true, 'curl, Go: an IPv4 literal'],
  ['10.1.2.3', 'https://10.1.2.4/', false, 'curl, Go: only that address'],
  ['10.0.0.0/8', 'https://10.200.3.4:5000/', true, 'curl, Go: IPv4 CIDR'],
  ['10.0.0.0/8', 'https://11.0.0.1/', false, 'curl, Go: outside the range'],
  ['192.168.0.0/16', 'https://192.168.255.1/', true, 'curl, Go: /16'],
  ['172.16.0.0/12', 'https://172.31.0.1/', true, 'curl, Go: a prefix not on a byte boundary'],
  ['172.16.0.0/12', 'https://172.32.0.1/', false, 'curl, Go: …just outside it'],
  ['10.1.2.3:5000', 'https://10.1.2.3:5000/', true, 'Go: IP:port'],
  ['10.1.2.3:5000', 'https://10.1.2.3:5001/', false, 'Go: IP:port, other port'],
  ['10.0.0.0/8', 'https://ten.example/', false, 'curl, Go: names are not resolved for IP rules'],
  ['fd00::/8', 'https://[fd12:3456::1]/', true, 'curl, Go: IPv6 CIDR'],
  ['fd00::/8', 'https://[fe80::1]/', false, 'curl, Go: outside the IPv6 range'],
  ['2001:db8::1', 'https://[2001:db8:0:0::1]:5000/', true, 'curl, Go: IPv6 literal, by address not spelling'],
  ['[2001:db8::1]:5000', 'https://[2001:db8::1]:5000/', true, 'Go: [IPv6]:port'],
  ['[2001:db8::1]:5000', 'https://[2001:db8::1]:5001/', false, 'Go: [IPv6]:port, other port'],
  ['10.0.0.0/8', 'https://[::ffff:10.0.0.1]/', true, 'an IPv4-mapped IPv6 address is its IPv4 address'],
  ['', 'https://localhost:5000/', true, 'Go: localhost is never proxied (curl would)'],
  ['', 'http://127.0.0.1:5000/', true, 'Go: loopback IPv4 never proxied'],
  ['', 'http://127.9.9.9/', true, 'Go: all of 127/8'],
  ['', 'http://[::1]:5000/', true, 'Go: loopback IPv6 never proxied'],
  ['', 'https://localhost.example.com/', false, 'only the name localhost itself'],
  ['bad/cidr, 10.0.0.0/99, [::1, example.com', 'https://example.com/', true, 'unreadable entries skipped, the rest still apply'],
];

describe('NO_PROXY rules (curl and Go semantics)', () => {
  for (const [noProxy, url, direct, why] of ROWS) {
    it(`${JSON.stringify(noProxy)} × ${url} → ${direct ? 'direct' : 'proxy'} (${why})`, () => {
      const target = new URL(url);
      const port = target.port || (target.protocol === 'https:' ? '443' : '80');
      assert.equal(bypassesProxy(parseNoProxy(noProxy), target.hostname, port), direct);
    });
  }
});

describe('proxy variables', () => {
  const http = 'http://target.example/';
  const https = 'https://target.example/';
  const via = (env: Record<string, string>, url: string): string | undefined => proxyFor(proxySettingsFromEnv(env), new URL(url))?.display;

  it('https targets read https_proxy/HTTPS_PROXY, http targets http_proxy/HTTP_PROXY, with no fallback between them (curl, Go)', () => {
    assert.equal(via({ HTTPS_PROXY: 'http://p1:3128' }, https), 'http://p1:3128');
    assert.equal(via({ HTTPS_PROXY: 'http://p1:3128' }, http), undefined);
    assert.equal(via({ HTTP_PROXY: 'http://p2:3128' }, http), 'http://p2:3128');
    assert.equal(via({ HTTP_PROXY: 'http://p2:3128' }, https), undefined);
  });

  it('the lower-case spelling wins when both are set (curl, Node, undici); an empty one counts as unset', () => {
    assert.equal(via({ https_proxy: 'http://lower:1', HTTPS_PROXY: 'http://upper:2' }, https), 'http://lower:1');
    assert.equal(via({ https_proxy: '', HTTPS_PROXY: 'http://upper:2' }, https), 'http://upper:2');
    assert.equal(via({ HTTPS_PROXY: 'http://p:1', no_proxy: 'target.example', NO_PROXY: '' }, https), undefined);
    assert.equal(via({ HTTPS_PROXY: 'http://p:1', NO_PROXY: 'target.example' }, https), undefined);
  });

  it('a URL without a scheme is http:// with its port defaulting to 80 (Go, Node)', () => {
    assert.equal(via({ HTTPS_PROXY: 'proxy.corp:3128' }, https), 'http://proxy.corp:3128');
    assert.equal(via({ HTTPS_PROXY: 'proxy.corp' }, https), 'http://proxy.corp');
  });

  it('ignores HTTP_PROXY (upper case) in a CGI request, as Go does (httpoxy)', () => {
    assert.equal(via({ HTTP_PROXY: 'http://injected:1', REQUEST_METHOD: 'GET' }, http), undefined);
    assert.equal(via({ http_proxy: 'http://p:1', REQUEST_METHOD: 'GET' }, http), 'http://p:1');
  });
});
