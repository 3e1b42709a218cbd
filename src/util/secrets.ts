import type { SecretRegistry } from '../ports.js';
import { secretForms } from './secret-forms.js';

/**
 * Keeps every secret value seen and scrubs them out of text. `onAdd` lets a
 * host also register the value with its own log masking (GitHub's
 * `::add-mask::`) at the moment it becomes known.
 *
 * A value is registered with every form in which a server or a tool may echo
 * it back (secretForms): base64 at each byte alignment, URL-encoded,
 * JSON-escaped. Register a login as the pair too (`registerLogin`), so that
 * `Basic base64(user:password)` is caught as a whole.
 */
export function createSecretRegistry(onAdd?: (secret: string) => void): SecretRegistry {
  const secrets = new Set<string>();
  /** Values whose forms were registered (a value may also be known as a form of another). */
  const registered = new Set<string>();
  const remember = (value: string): void => {
    if (secrets.has(value)) return;
    secrets.add(value);
    onAdd?.(value);
  };
  return {
    add(secret: string) {
      // Very short values would redact half the log and protect nothing.
      if (secret.length < 4 || registered.has(secret)) return;
      registered.add(secret);
      // A multi-line value (a kubeconfig) is registered whole here, but the
      // host masks its long lines: masking short structural lines such as
      // `kind: Config` everywhere would only garble the log.
      if (secret.includes('\n')) {
        secrets.add(secret);
        for (const line of secret.split('\n').map((l) => l.trim())) if (line.length >= 24) onAdd?.(line);
        return;
      }
      for (const form of secretForms(secret)) remember(form);
    },
    redact(text: string) {
      let result = text;
      // Longest first, so a secret containing another is replaced whole.
      for (const secret of [...secrets].sort((a, b) => b.length - a.length)) result = result.split(secret).join('***');
      return result;
    },
  };
}

/**
 * Registers a login: the password, and `user:password` (what Basic auth and a
 * Docker config's `auth` field encode), each with all their forms.
 */
export function registerLogin(secrets: SecretRegistry, username: string, password: string): void {
  secrets.add(password);
  if (username !== '') secrets.add(`${username}:${password}`);
}
