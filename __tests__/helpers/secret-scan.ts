/**
 * Looks for secrets in everything a run leaves behind (logs, outputs, state,
 * summary, files): each secret as is, and base64-encoded at any byte alignment,
 * so `base64("user:" + secret)` (a docker config `auth` field, a Basic header)
 * is caught too. The report names where and which secret, never its value.
 *
 * `::add-mask::VALUE` lines are skipped: that command is how an action tells the
 * runner a secret, the runner consumes the line and never shows it.
 */

export interface SecretSpec {
  label: string;
  value: string;
}

/** The base64 (and base64url) substrings that any base64 encoding containing `secret` must contain. */
export function base64Fragments(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const fragments = new Set<string>();
  for (let offset = 0; offset < 3; offset++) {
    const padded = Buffer.concat([Buffer.alloc(offset), bytes]);
    const b64 = padded.toString('base64').replace(/=+$/, '');
    // Characters mixing bits of the unknown neighbours are cut off at both ends.
    const start = Math.ceil((offset * 8) / 6);
    const end = Math.floor((padded.length * 8) / 6);
    const fragment = b64.slice(start, end);
    if (fragment.length >= 4) {
      fragments.add(fragment);
      fragments.add(fragment.replace(/\+/g, '-').replace(/\//g, '_'));
    }
  }
  return [...fragments];
}

function normalise(secrets: string[] | Record<string, string> | SecretSpec[]): SecretSpec[] {
  if (Array.isArray(secrets)) {
    return (secrets as (string | SecretSpec)[]).map((s, i) =>
      typeof s === 'string' ? { label: `secret #${i + 1} (${s.length} chars)`, value: s } : s,
    );
  }
  return Object.entries(secrets).map(([label, value]) => ({ label, value }));
}

/**
 * Returns one `"<where>: contains <label>"` entry per (text, secret) hit, with
 * ` (base64)` after the label when only the encoded form was found. Empty when clean.
 * Secrets shorter than 6 characters are refused: they would match by chance.
 */
export function findSecrets(
  texts: Record<string, string>,
  secrets: string[] | Record<string, string> | SecretSpec[],
): string[] {
  const specs = normalise(secrets);
  for (const s of specs) {
    if (s.value.length < 6) throw new Error(`findSecrets: ${s.label} is too short to scan for (${s.value.length} chars)`);
  }
  const hits: string[] = [];
  for (const [where, raw] of Object.entries(texts)) {
    if (!raw) continue;
    const text = raw
      .split('\n')
      .filter((line) => !line.trimStart().startsWith('::add-mask::'))
      .join('\n');
    for (const s of specs) {
      if (text.includes(s.value)) hits.push(`${where}: contains ${s.label}`);
      else if (base64Fragments(s.value).some((f) => text.includes(f))) hits.push(`${where}: contains ${s.label} (base64)`);
    }
  }
  return hits;
}
