import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseKubeconfig } from '../../src/deploy/kubernetes/kubeconfig.js';

const pem = (label: string, body: string): string => `-----BEGIN ${label}-----\n${Buffer.from(body).toString('base64')}\n-----END ${label}-----\n`;
const b64 = (text: string): string => Buffer.from(text).toString('base64');

const CA_PEM = pem('CERTIFICATE', 'the cluster CA');
const CERT_PEM = pem('CERTIFICATE', 'the CI user certificate');
/** Distinctive, so a leak into any message is found by a plain search. */
const KEY_BODY = 'PRIVATE-KEY-MATERIAL-7f3a9c';
const KEY_PEM = pem('EC PRIVATE KEY', KEY_BODY);
const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.sekret-token-4b7e2d';

const SECRETS = [KEY_PEM, b64(KEY_PEM), Buffer.from(KEY_BODY).toString('base64'), TOKEN, TOKEN.slice(-16)];

function yamlConfig(options: { user?: string; cluster?: string; context?: string; current?: string | null } = {}): string {
  const cluster = options.cluster ?? `    server: https://10.0.0.1:5443\n    certificate-authority-data: ${b64(CA_PEM)}\n`;
  const user = options.user ?? `    client-certificate-data: ${b64(CERT_PEM)}\n    client-key-data: ${b64(KEY_PEM)}\n`;
  const context = options.context ?? '    cluster: main\n    user: ci\n    namespace: prod\n';
  const current = options.current === null ? '' : `current-context: ${options.current ?? 'main'}\n`;
  return `apiVersion: v1
kind: Config
clusters:
- name: main
  cluster:
${cluster}users:
- name: ci
  user:
${user}contexts:
- name: main
  context:
${context}- name: other
  context:
    cluster: main
    user: ci
${current}`;
}

/** The shape CCE's clustercert API returns: JSON, `internal` (VPC, CA-verified) and `external` (public, skip-verify) contexts. */
function cceJson(current = 'external'): string {
  return JSON.stringify({
    kind: 'Config',
    apiVersion: 'v1',
    preferences: {},
    clusters: [
      { name: 'internalCluster', cluster: { server: 'https://192.168.0.10:5443', 'certificate-authority-data': b64(CA_PEM) } },
      { name: 'externalCluster', cluster: { server: 'https://203.0.113.7:5443', 'insecure-skip-tls-verify': true } },
    ],
    users: [{ name: 'user', user: { 'client-certificate-data': b64(CERT_PEM), 'client-key-data': b64(KEY_PEM) } }],
    contexts: [
      { name: 'internal', context: { cluster: 'internalCluster', user: 'user' } },
      { name: 'external', context: { cluster: 'externalCluster', user: 'user' } },
    ],
    'current-context': current,
  });
}

async function failure(text: string, context?: string): Promise<string> {
  try {
    await parseKubeconfig(text, context);
  } catch (error) {
    assert.ok(error instanceof Error);
    const message = error.message;
    assert.match(message, /^kubeconfig: /);
    assert.ok(!message.includes('\n'), `one line: ${message}`);
    for (const secret of SECRETS) assert.ok(!message.includes(secret), `secret leaked into: ${message}`);
    return message;
  }
  assert.fail('expected parseKubeconfig to reject');
}

describe('parseKubeconfig: accepted forms', () => {
  it('reads a YAML kubeconfig with an embedded CA, client certificate and key', async () => {
    const target = await parseKubeconfig(yamlConfig());
    assert.equal(target.server, 'https://10.0.0.1:5443');
    assert.equal(target.ca?.toString(), CA_PEM);
    assert.equal(target.clientCert?.toString(), CERT_PEM);
    assert.equal(target.clientKey?.toString(), KEY_PEM);
    assert.equal(target.token, undefined);
    assert.equal(target.insecureSkipTlsVerify, false);
    assert.equal(target.namespace, 'prod');
    assert.equal(target.context, 'main');
  });

  it('reads CCE-style JSON: current-context external skips TLS verification, internal uses the CA', async () => {
    const external = await parseKubeconfig(cceJson());
    assert.equal(external.context, 'external');
    assert.equal(external.server, 'https://203.0.113.7:5443');
    assert.equal(external.insecureSkipTlsVerify, true);
    assert.equal(external.ca, undefined);
    assert.equal(external.clientKey?.toString(), KEY_PEM);

    const internal = await parseKubeconfig(cceJson(), 'internal');
    assert.equal(internal.server, 'https://192.168.0.10:5443');
    assert.equal(internal.insecureSkipTlsVerify, false);
    assert.equal(internal.ca?.toString(), CA_PEM);
  });

  it('takes a bearer token, keeps a server path prefix, accepts "true" as a string', async () => {
    const target = await parseKubeconfig(
      yamlConfig({
        user: `    token: ${TOKEN}\n`,
        cluster: '    server: https://rancher.example.com/k8s/clusters/c-abc/\n    insecure-skip-tls-verify: "true"\n',
      }),
    );
    assert.equal(target.token, TOKEN);
    assert.equal(target.clientCert, undefined);
    assert.equal(target.server, 'https://rancher.example.com/k8s/clusters/c-abc');
    assert.equal(target.insecureSkipTlsVerify, true);
  });

  it('an explicit context wins over current-context', async () => {
    const target = await parseKubeconfig(yamlConfig(), 'other');
    assert.equal(target.context, 'other');
    assert.equal(target.namespace, undefined);
  });
});

describe('parseKubeconfig: errors say what to fix and never show a secret', () => {
  it('not YAML or JSON, even when the broken line holds the key', async () => {
    const broken = yamlConfig().replace(`client-key-data: ${b64(KEY_PEM)}`, `client-key-data: "${b64(KEY_PEM)}`);
    assert.match(await failure(broken), /not valid YAML or JSON \(line \d+/);
    const brokenJson = cceJson().replace(b64(KEY_PEM), `${b64(KEY_PEM)}"x`);
    assert.match(await failure(brokenJson), /not valid YAML or JSON/);
  });

  it('empty, not a mapping, or base64 of the whole file', async () => {
    assert.match(await failure('   \n'), /empty/);
    assert.match(await failure('- a\n- b\n'), /not a kubeconfig/);
    assert.match(await failure(b64(yamlConfig())), /base64-encoded: store the kubeconfig text itself/);
  });

  it('no current-context and no context given: lists the contexts', async () => {
    const message = await failure(yamlConfig({ current: null }));
    assert.match(message, /no current-context and no context given: set kube-context to one of "main", "other"/);
    assert.match(await failure(cceJson('')), /"internal", "external"/);
  });

  it('context not found: lists the available ones', async () => {
    assert.match(await failure(cceJson(), 'extrnal'), /context "extrnal" not found: available contexts are "internal", "external"/);
  });

  it('cluster or user missing', async () => {
    assert.match(await failure(yamlConfig({ context: '    cluster: gone\n    user: ci\n' })), /uses cluster "gone", which is not in clusters \("main"\)/);
    assert.match(await failure(yamlConfig({ context: '    cluster: main\n    user: nobody\n' })), /uses user "nobody", which is not in users \("ci"\)/);
    assert.match(await failure(yamlConfig({ context: '    user: ci\n' })), /names no cluster/);
  });

  it('no credentials, or half a client certificate', async () => {
    assert.match(await failure(yamlConfig({ user: '    {}\n' })), /user "ci" has no credentials: use a user with a client certificate/);
    assert.match(await failure(yamlConfig({ user: `    client-key-data: ${b64(KEY_PEM)}\n` })), /has client-key-data but no client-certificate-data/);
  });

  it('exec and auth-provider plugins are refused with the alternative', async () => {
    const exec = '    exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n      command: aws\n';
    assert.match(await failure(yamlConfig({ user: exec })), /exec credential plugin, which imageship does not run: use a user with a client certificate .* or a token/);
    const provider = '    auth-provider:\n      name: oidc\n';
    assert.match(await failure(yamlConfig({ user: provider })), /auth-provider plugin/);
  });

  it('file-path variants are refused: a CI secret must be self-contained', async () => {
    assert.match(
      await failure(yamlConfig({ cluster: '    server: https://10.0.0.1:5443\n    certificate-authority: /etc/k8s/ca.crt\n' })),
      /cluster "main" sets certificate-authority \(a file path\): .*kubectl config view --raw --minify --flatten.*certificate-authority-data/,
    );
    assert.match(await failure(yamlConfig({ user: '    client-certificate: /home/ci/cert.pem\n    client-key: /home/ci/key.pem\n' })), /sets client-certificate \(a file path\)/);
    assert.match(await failure(yamlConfig({ user: `    client-certificate-data: ${b64(CERT_PEM)}\n    client-key: /k.pem\n` })), /sets client-key \(a file path\).*client-key-data/);
    assert.match(await failure(yamlConfig({ user: '    tokenFile: /var/run/token\n' })), /sets tokenFile \(a file path\).*\(token\)/);
  });

  it('the server must be https (and present)', async () => {
    assert.match(await failure(yamlConfig({ cluster: '    server: http://10.0.0.1:8080\n' })), /server http:\/\/10\.0\.0\.1:8080 is not https/);
    assert.match(await failure(yamlConfig({ cluster: `    certificate-authority-data: ${b64(CA_PEM)}\n` })), /cluster "main" has no server/);
    assert.match(await failure(yamlConfig({ cluster: '    server: not a url\n' })), /server is not a URL/);
  });

  it('mangled data fields are named without their value', async () => {
    assert.match(await failure(yamlConfig({ user: `    client-certificate-data: ${b64(CERT_PEM)}\n    client-key-data: "${KEY_PEM.replace(/\n/g, '\\n')}"\n` })), /client-key-data is not base64/);
    assert.match(await failure(yamlConfig({ user: `    client-certificate-data: ${b64(CERT_PEM)}\n    client-key-data: ${b64(b64(KEY_PEM))}\n` })), /client-key-data does not decode to a PEM block/);
  });

  it('basic auth, proxy-url and a token with a "Bearer " prefix are refused', async () => {
    assert.match(await failure(yamlConfig({ user: '    username: admin\n    password: hunter2hunter2\n' })), /username and password/);
    assert.match(await failure(yamlConfig({ cluster: '    server: https://10.0.0.1:5443\n    proxy-url: http://proxy:3128\n' })), /proxy-url/);
    assert.match(await failure(yamlConfig({ user: `    token: "Bearer ${TOKEN}"\n` })), /token contains whitespace/);
  });
});
