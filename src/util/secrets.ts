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
