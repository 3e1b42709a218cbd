#!/usr/bin/env node
// What each way of honouring HTTPS_PROXY costs a fresh process: one HTTPS
// request through a local CONNECT proxy (the registry's name resolves only at
// the proxy), from process start to the answer's last byte, on Node 24 (the
// action's runtime). Each candidate is bundled with ncc as the action is, and
// runs in a fresh process; rounds are interleaved; medians are printed.
//
//   npm run build
//   (mkdir /tmp/pkgs && cd /tmp/pkgs && npm init -y && npm i undici https-proxy-agent proxy-agent)
//   node bench/proxy-startup.mjs [--rounds 21] [--packages /tmp/pkgs]
//
// Without --packages only the candidates that need no npm package run. The
// numbers and the choice are in src/http/transport.ts's header.
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const NODE = join(root, 'node_modules/node/bin/node');
const NCC = join(root, 'node_modules/.bin/ncc');
const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const rounds = Number(option('--rounds', '21'));
const packages = option('--packages', undefined);
const work = mkdtempSync(join(tmpdir(), 'imageship-proxy-startup-'));

// A CA and a certificate for registry.test.
const ossl = (a) => execFileSync('openssl', a, { cwd: work, stdio: 'ignore' });
writeFileSync(join(work, 'cnf'), '[req]\ndistinguished_name=dn\n[dn]\n[ca]\nbasicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign\n[leaf]\nsubjectAltName=DNS:registry.test,IP:127.0.0.1\n');
const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
ossl(['req', '-x509', '-new', ...ec, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=bench CA', '-config', 'cnf', '-extensions', 'ca']);
ossl(['req', '-new', ...ec, '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', '/CN=registry.test', '-config', 'cnf']);
ossl(['x509', '-req', '-in', 'leaf.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-set_serial', '7', '-out', 'leaf.crt', '-days', '2', '-extfile', 'cnf', '-extensions', 'leaf']);

const registry = createHttpsServer({ cert: readFileSync(join(work, 'leaf.crt')), key: readFileSync(join(work, 'leaf.key')) }, (_q, s) => s.end('{"ok":true}'));
await new Promise((r) => registry.listen(0, '127.0.0.1', r));
const proxy = createHttpServer((_q, s) => s.writeHead(400).end());
proxy.on('connect', (req, client, head) => {
  const up = connect(req.url.startsWith('registry.test:') ? registry.address().port : 1, '127.0.0.1', () => {
    client.write('HTTP/1.1 200 Connection established\r\n\r\n');
    up.write(head);
    up.pipe(client);
    client.pipe(up);
  });
  up.on('error', () => client.destroy());
  client.on('error', () => up.destroy());
});
await new Promise((r) => proxy.listen(0, '127.0.0.1', r));

const report = `const u = process.cpuUsage(); console.log(JSON.stringify({ cpu: (u.user + u.system) / 1000, total: performance.now(), body, undici: process.moduleLoadList.some((m) => m.includes('undici')) })); process.exit(0);`;
const viaHttps = (agent) => `const body = await new Promise((res, rej) => https.get(process.env.TARGET_URL, { agent: ${agent} }, (r) => { let b = ''; r.on('data', (c) => (b += c)); r.on('end', () => res(b)); }).on('error', rej));`;
const requireHttps = `import { createRequire } from 'node:module'; const https = createRequire(import.meta.url)('node:https');`;
const candidates = {
  'no proxy at all (node:https direct)': { code: `${requireHttps} ${viaHttps('new https.Agent({ keepAlive: true })').replace('TARGET_URL', 'DIRECT_URL')} ${report}` },
  'imageship src/http': { code: `import { createTransport } from ${JSON.stringify(join(root, 'build/src/http/index.js'))}; const t = createTransport(); const body = await (await t.fetch(process.env.TARGET_URL)).text(); ${report}` },
  "Node's https.Agent({ proxyEnv })": { code: `${requireHttps} ${viaHttps('new https.Agent({ keepAlive: true, proxyEnv: process.env })')} ${report}` },
  'global fetch + NODE_USE_ENV_PROXY=1': { code: `const body = await (await fetch(process.env.TARGET_URL)).text(); ${report}`, env: { NODE_USE_ENV_PROXY: '1' } },
  'undici EnvHttpProxyAgent (npm)': { code: `import { EnvHttpProxyAgent, request } from 'undici'; const r = await request(process.env.TARGET_URL, { dispatcher: new EnvHttpProxyAgent() }); const body = await r.body.text(); ${report}`, needs: 'undici' },
  'https-proxy-agent (npm)': { code: `${requireHttps} import { HttpsProxyAgent } from 'https-proxy-agent'; ${viaHttps('new HttpsProxyAgent(process.env.HTTPS_PROXY, { keepAlive: true })')} ${report}`, needs: 'https-proxy-agent' },
  'proxy-agent (npm)': { code: `${requireHttps} import { ProxyAgent } from 'proxy-agent'; ${viaHttps('new ProxyAgent({ keepAlive: true })')} ${report}`, needs: 'proxy-agent' },
};

const runnable = [];
for (const [name, candidate] of Object.entries(candidates)) {
  if (candidate.needs && !packages) continue;
  const dir = join(packages && candidate.needs ? packages : work, `candidate-${runnable.length}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'main.mjs'), candidate.code);
  execFileSync(NCC, ['build', join(dir, 'main.mjs'), '-o', join(dir, 'out'), '-q'], { stdio: 'ignore' });
  const bytes = readdirSync(join(dir, 'out')).filter((f) => f.endsWith('.mjs')).reduce((sum, f) => sum + statSync(join(dir, 'out', f)).size, 0);
  runnable.push({ name, entry: join(dir, 'out/index.mjs'), env: candidate.env ?? {}, bytes, dir, cpu: [], wall: [], total: [], undici: false, ok: true });
}

const env = {
  PATH: process.env.PATH,
  NODE_EXTRA_CA_CERTS: join(work, 'ca.crt'),
  HTTPS_PROXY: `http://127.0.0.1:${proxy.address().port}`,
  NO_PROXY: '',
  TARGET_URL: `https://registry.test:${registry.address().port}/v2/`,
  DIRECT_URL: `https://127.0.0.1:${registry.address().port}/v2/`,
};
for (let round = 0; round < rounds; round++) {
  for (const c of runnable) {
    const started = process.hrtime.bigint();
    // Asynchronous: the proxy and the registry live in this process and must keep answering.
    const out = await new Promise((done) => execFile(NODE, [c.entry], { env: { ...env, ...c.env }, encoding: 'utf8', timeout: 20_000 }, (_error, stdout, stderr) => done({ stdout, stderr })));
    c.wall.push(Number(process.hrtime.bigint() - started) / 1e6);
    try {
      const j = JSON.parse(out.stdout);
      c.cpu.push(j.cpu);
      c.total.push(j.total);
      c.undici ||= j.undici;
      c.ok &&= j.body === '{"ok":true}';
    } catch {
      c.ok = false;
      if (round === 0) console.error(`${c.name}: ${out.stderr.slice(0, 300)}`);
    }
  }
}
const median = (list) => (list.length ? [...list].sort((a, b) => a - b)[list.length >> 1].toFixed(1) : '-');
console.log(`Node ${execFileSync(NODE, ['--version'], { encoding: 'utf8' }).trim()}, ${rounds} rounds, medians`);
console.log('| candidate | process wall ms | CPU ms to the answer | start → answer ms | undici loaded | ncc bundle bytes | ok |');
console.log('|---|---|---|---|---|---|---|');
for (const c of runnable) console.log(`| ${c.name} | ${median(c.wall)} | ${median(c.cpu)} | ${median(c.total)} | ${c.undici} | ${c.bytes} | ${c.ok} |`);
registry.close();
proxy.close();
for (const c of runnable) if (c.dir.startsWith(packages ?? '\0')) rmSync(c.dir, { recursive: true, force: true });
rmSync(work, { recursive: true, force: true });
