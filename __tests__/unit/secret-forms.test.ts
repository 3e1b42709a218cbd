/**
 * Every form in which a credential can come back is masked: base64 at each
 * byte alignment inside a longer encoding, URL-encoded, JSON-escaped (Go's
 * and Python's styles too), the `user:password` pair of a login, and the
 * parts of Kubernetes tokens. Checked through the SecretRegistry's redact
 * (what the CLI relies on alone) and the test helpers' independent scanner.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { kubeconfigSecrets, kubeTargetSecrets } from '../../src/deploy/kubernetes/kubeconfig-secrets.js';
import { secretForms } from '../../src/util/secret-forms.js';
import { createSecretRegistry, registerLogin } from '../../src/util/secrets.js';
import { findSecrets } from '../helpers/secret-scan.js';

const USER = 'robot$ci';
const PASSWORD = 'p@ss/w"rd+%<é>!x';
const PAIR = `${USER}:${PASSWORD}`;

function loginRegistry(): ReturnType<typeof createSecretRegistry> {
  const secrets = createSecretRegistry();
  registerLogin(secrets, USER, PASSWORD);
  return secrets;
}

describe('derived forms of a login', () => {
  test('Basic base64(user:password), as a registry echoing the Authorization header prints it, is masked whole', () => {
    const header = `Basic ${Buffer.from(PAIR).toString('base64')}`;
    const redacted = loginRegistry().redact(`you sent: ${header}.`);
    assert.equal(redacted, 'you sent: Basic ***.');
  });

  test('user:password inside a longer base64 text, at each of the three alignments, leaves at most two characters at each end', () => {
    for (const prefix of ['', 'x', 'xy', 'xyz', '{"auth":"', 'Authorization: Basic ']) {
      const encoded = Buffer.from(`${prefix}${PAIR}","more":"stuff"}`).toString('base64');
      const redacted = loginRegistry().redact(encoded);
      assert.deepEqual(findSecrets({ redacted }, [PAIR, PASSWORD]), [], `prefix ${JSON.stringify(prefix)}: ${redacted}`);
      assert.ok(redacted.includes('***'));
      // Without the fragments, the scan would find it: the test can fail.
      assert.notDeepEqual(findSecrets({ encoded }, [PAIR]), []);
    }
  });

  test('URL-encoded (three styles), JSON-escaped (plain, Go, Python) and the raw pair are all masked', () => {
    const texts = [
      `password=${encodeURIComponent(PASSWORD)}&next=1`,
      `u=${encodeURIComponent(PAIR).replace(/%20/g, '+')}`,
      `x=${encodeURIComponent(PASSWORD).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`,
      `{"detail":${JSON.stringify(PASSWORD)}}`,
      `{"detail":${JSON.stringify(PASSWORD).replace(/[<>&]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}}`,
      `{"detail":${JSON.stringify(PASSWORD).replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}}`,
      `login ${PAIR} refused`,
    ];
    const secrets = loginRegistry();
    for (const text of texts) {
      const redacted = secrets.redact(text);
      assert.ok(redacted.includes('***'), `${text} → ${redacted}`);
      assert.ok(!redacted.includes('rd+%') && !redacted.includes('%40ss') && !redacted.includes('w\\"rd'), `${text} → ${redacted}`);
    }
  });

  test('the forms go to the host mask (add-mask) as well, each once, none shorter than 6 characters', () => {
    const masked: string[] = [];
    const secrets = createSecretRegistry((value) => masked.push(value));
    registerLogin(secrets, USER, PASSWORD);
    registerLogin(secrets, USER, PASSWORD);
    assert.equal(new Set(masked).size, masked.length);
    assert.ok(masked.includes(PAIR) && masked.includes(Buffer.from(PAIR).toString('base64')));
    assert.ok(masked.every((value) => value.length >= 6), masked.join(' '));
  });

  test('secretForms: the value first; a plain value has no JSON or URL variant of its own', () => {
    const forms = secretForms('plainSecretValue123');
    assert.equal(forms[0], 'plainSecretValue123');
    assert.equal(forms.filter((form) => form === 'plainSecretValue123').length, 1);
    assert.ok(forms.includes(Buffer.from('plainSecretValue123').toString('base64')));
  });
});

describe('Kubernetes tokens in a kubeconfig', () => {
  const STATIC = 'ci-deployer:Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5';
  const BOOTSTRAP = 'abcdef.0123456789abcdef';

  test('a static token id:secret is masked whole and by its secret part', () => {
    const found = kubeconfigSecrets(`users:\n- name: ci\n  user:\n    token: ${STATIC}\n`);
    assert.ok(found.includes(STATIC) && found.includes('Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5'), found.join(' | '));
    const secrets = createSecretRegistry();
    for (const value of found) secrets.add(value);
    assert.equal(secrets.redact('forbidden: user Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5 (token ci-deployer:Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5)'), 'forbidden: user *** (token ***)');
  });

  test('a token in a YAML block scalar (|- and >) is found, and so is a quoted or JSON one', () => {
    const block = `users:\n- name: ci\n  user:\n    token: |-\n      ${BOOTSTRAP}\n    other: x\n`;
    assert.ok(kubeconfigSecrets(block).includes(BOOTSTRAP));
    assert.ok(kubeconfigSecrets(block).includes('0123456789abcdef'), 'the bootstrap token secret alone');
    const folded = `users:\n- name: ci\n  user:\n    token: >\n      part-one-of-the-token\n      part-two-of-the-token\n`;
    const foldedFound = kubeconfigSecrets(folded);
    assert.ok(foldedFound.includes('part-one-of-the-token part-two-of-the-token') && foldedFound.includes('part-two-of-the-token'));
    assert.ok(kubeconfigSecrets(`users:\n- user:\n    token: "quoted-token-0123456789"\n`).includes('quoted-token-0123456789'));
    assert.ok(kubeconfigSecrets('{"users":[{"user":{"token":"json-token-0123456789"}}]}').includes('json-token-0123456789'));
  });

  test('client-key-data is masked with the lines of the key it encodes; a parsed target adds its token', () => {
    const pem = '-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIBkg4LVWM9nuwNSk3yByxZpYRTBnVJk5oJKZVyJ8Q0AAoAoGCCqGSM49\n-----END EC PRIVATE KEY-----\n';
    const data = Buffer.from(pem).toString('base64');
    const found = kubeconfigSecrets(`users:\n- user:\n    client-key-data: ${data}\n`);
    assert.ok(found.includes(data) && found.includes('MHcCAQEEIBkg4LVWM9nuwNSk3yByxZpYRTBnVJk5oJKZVyJ8Q0AAoAoGCCqGSM49'));
    assert.deepEqual(kubeTargetSecrets({ token: STATIC }), [STATIC, 'Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5'], 'the secret part, not the id');
    assert.deepEqual(kubeTargetSecrets({}), []);
  });
});
