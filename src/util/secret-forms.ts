/**
 * The forms in which a secret comes back from a server or a tool: a registry
 * that echoes the Authorization header (`Basic base64(user:password)`), a JSON
 * error body that quotes a password with its `"` escaped, a URL with the
 * token percent-encoded. A log mask matches exact substrings only, so each
 * form is a value of its own.
 *
 * base64 needs care: inside a longer encoded string (`base64(user:password)`,
 * a Docker config `auth`, a JSON document encoded whole) the secret starts at
 * one of three byte alignments, and its first and last characters mix bits
 * of its unknown neighbours. For each alignment the characters that encode
 * the secret's bits alone are a fixed string: that fragment is registered, so
 * whatever surrounds the secret, all but at most two characters at each end
 * of its encoding are masked.
 */

/** A base64 fragment shorter than this could match ordinary text by chance. */
const MIN_FRAGMENT_LENGTH = 6;

/** `secret` itself first, then every derived form that differs from it, each once. */
export function secretForms(secret: string): string[] {
  const forms = new Set<string>([secret]);
  const bytes = Buffer.from(secret, 'utf8');
  // Whole, as a Docker config's `auth` and a Basic header carry it.
  forms.add(bytes.toString('base64'));
  for (const fragment of base64Fragments(bytes)) {
    forms.add(fragment);
    forms.add(fragment.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  const percent = encodeURIComponent(secret);
  forms.add(percent);
  // RFC 3986 unreserved only (.NET's EscapeDataString, Go's url.PathEscape for most), and form encoding.
  forms.add(percent.replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`));
  forms.add(percent.replace(/%20/g, '+'));
  const json = JSON.stringify(secret).slice(1, -1);
  forms.add(json);
  // Go's encoding/json escapes <, > and & (and U+2028/9); Python's json.dumps every non-ASCII character.
  forms.add(json.replace(/[<>&\u2028\u2029]/g, unicodeEscape));
  forms.add(json.replace(/[^\x00-\x7f]/g, unicodeEscape));
  return [...forms];
}

/**
 * For each of the three byte alignments, the base64 characters that encode
 * only bits of `bytes` (no padding, no character shared with a neighbour).
 * Fragments shorter than MIN_FRAGMENT_LENGTH are left out.
 */
export function base64Fragments(bytes: Uint8Array): string[] {
  const fragments: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const shifted = Buffer.concat([Buffer.alloc(offset), bytes]);
    const encoded = shifted.toString('base64').replace(/=+$/, '');
    const start = Math.ceil((offset * 8) / 6);
    const end = Math.floor((shifted.length * 8) / 6);
    const fragment = encoded.slice(start, end);
    if (fragment.length >= MIN_FRAGMENT_LENGTH) fragments.push(fragment);
  }
  return fragments;
}

function unicodeEscape(char: string): string {
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}
