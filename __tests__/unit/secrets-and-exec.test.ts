import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createNodeExec } from '../../src/util/node-exec.js';
import { createSecretRegistry } from '../../src/util/secrets.js';

test('secret registry: masks through the host hook at once and redacts the value and its base64', () => {
  const masked: string[] = [];
  const secrets = createSecretRegistry((secret) => masked.push(secret));
  secrets.add('s3cr3t-value');
  assert.deepEqual(masked.slice(0, 2), ['s3cr3t-value', Buffer.from('s3cr3t-value').toString('base64')], 'the value, then its base64, before its other forms');
  assert.equal(secrets.redact('a s3cr3t-value b czNjcjN0LXZhbHVl'), 'a *** b ***');
  const count = masked.length;
  secrets.add('');
  secrets.add('abc');
  secrets.add('s3cr3t-value');
  assert.equal(masked.length, count, 'empty, too-short and known values are not registered again');
});

test('secret registry: a longer secret containing a shorter one is redacted whole', () => {
  const secrets = createSecretRegistry();
  secrets.add('password');
  secrets.add('user:password');
  assert.equal(secrets.redact('auth user:password'), 'auth ***');
});

test('node exec: stdin reaches the child, argv is not a shell string, output is captured', async () => {
  const lines: string[] = [];
  const exec = createNodeExec({ writeLine: (line) => lines.push(line) });
  const result = await exec({ command: process.execPath, args: ['-e', 'process.stdin.pipe(process.stdout)', '$(touch /tmp/never)'], stdin: 'from-stdin' });
  assert.equal(result.exitCode, 0);
  assert.equal(result.stdout, 'from-stdin');
  assert.deepEqual(lines, ['from-stdin']);
});

test('node exec: silent captures without echo; exit codes and a missing program', async () => {
  const lines: string[] = [];
  const exec = createNodeExec({ writeLine: (line) => lines.push(line) });
  const result = await exec({ command: process.execPath, args: ['-e', 'console.error("bad"); process.exit(3)'], silent: true });
  assert.equal(result.exitCode, 3);
  assert.equal(result.stderr.trim(), 'bad');
  assert.deepEqual(lines, []);
  await assert.rejects(exec({ command: 'imageship-no-such-program', args: [] }), /cannot start imageship-no-such-program/);
});

test('node exec: a child past its timeout is killed and says so', async () => {
  const exec = createNodeExec({ writeLine: () => undefined });
  const started = Date.now();
  const result = await exec({ command: process.execPath, args: ['-e', 'setTimeout(() => {}, 60000)'], timeoutMs: 300, silent: true });
  assert.notEqual(result.exitCode, 0);
  assert.match(result.stderr, /timed out after 300 ms$/);
  assert.ok(Date.now() - started < 30_000);
});

test('secret registry: a multi-line secret is redacted whole; the host masks only its long lines', () => {
  const masked: string[] = [];
  const secrets = createSecretRegistry((secret) => masked.push(secret));
  const kubeconfig = 'kind: Config\nusers:\n  client-key-data: LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0t\n';
  secrets.add(kubeconfig);
  assert.deepEqual(masked, ['client-key-data: LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0t']);
  assert.equal(secrets.redact(`before ${kubeconfig} after`), 'before *** after');
});
