import type { SecretRegistry } from '../ports.js';

/**
 * Keeps every secret value seen and scrubs them out of text. `onAdd` lets a
 * host also register the value with its own log masking (GitHub's
 * `::add-mask::`) at the moment it becomes known.
 */
export function createSecretRegistry(onAdd?: (secret: string) => void): SecretRegistry {
  const secrets = new Set<string>();
  return {
    add(secret: string) {
      // Very short values would redact half the log and protect nothing.
      if (secret.length < 4 || secrets.has(secret)) return;
      secrets.add(secret);
      // A multi-line value (a kubeconfig) is registered whole here, but the
      // host masks its long lines: masking short structural lines such as
      // `kind: Config` everywhere would only garble the log.
      if (secret.includes('\n')) {
        for (const line of secret.split('\n').map((l) => l.trim())) if (line.length >= 24) onAdd?.(line);
        return;
      }
      onAdd?.(secret);
      const encoded = Buffer.from(secret, 'utf8').toString('base64');
      if (!secrets.has(encoded)) {
        secrets.add(encoded);
        onAdd?.(encoded);
      }
    },
    redact(text: string) {
      let result = text;
      // Longest first, so a secret containing another is replaced whole.
      for (const secret of [...secrets].sort((a, b) => b.length - a.length)) result = result.split(secret).join('***');
      return result;
    },
  };
}
