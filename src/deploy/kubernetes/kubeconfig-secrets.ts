/**
 * The credentials in a kubeconfig, found in its text before it is parsed (so
 * they are masked before anything can print them, even when the parser then
 * rejects the file), in every way YAML and JSON can write them:
 *
 *   token: abc…                    token: "abc…"        "token": "abc…"
 *   token: |-                      (a block scalar: the value is on the
 *     abc…                          following, more indented lines)
 *
 * A token is masked whole and by its secret part: the secret of a static
 * token `id:secret`, of a bootstrap token `abcdef.0123456789abcdef` and a
 * JWT's signature are each enough to hurt when they show up alone (an API
 * server or a proxy echoing only the part it failed to match); the id is not.
 */
import type { KubeTarget } from './kubeconfig.js';

/** Fields whose values are credentials (auth-provider configs included). */
const SECRET_KEYS = ['token', 'client-key-data', 'password', 'id-token', 'refresh-token', 'access-token', 'client-secret'];
/** A secret part shorter than this would mask ordinary words. */
const MIN_PART_LENGTH = 8;

const KEY_PATTERN = SECRET_KEYS.map((key) => key.replace(/-/g, '\\-')).join('|');
/** `key: value` in YAML block style (key optionally quoted); group 3 is the rest of the line. */
const YAML_ENTRY = new RegExp(`^(\\s*(?:-\\s+)?)["']?(${KEY_PATTERN})["']?\\s*:[ \\t]*(.*)$`);
/** `"key": "value"` anywhere (JSON, YAML flow style); group 2 is the JSON string body. */
const JSON_ENTRY = new RegExp(`"(${KEY_PATTERN})"\\s*:\\s*"((?:[^"\\\\]|\\\\.)*)"`, 'g');

/** Every secret value in `text`, and the parts of tokens worth masking alone. */
export function kubeconfigSecrets(text: string): string[] {
  const found = new Set<string>();
  const add = (key: string, value: string): void => {
    if (value === '') return;
    found.add(value);
    if (key === 'client-key-data') for (const line of decodedPemLines(value)) found.add(line);
    else for (const part of tokenParts(value)) found.add(part);
  };

  const lines = text.split(/\r?\n/);
  lines.forEach((line, index) => {
    const match = YAML_ENTRY.exec(line);
    if (!match) return;
    const [, indent = '', key = '', rest = ''] = match;
    const value = rest.replace(/\s+#.*$/, '').trim();
    if (/^[|>][-+0-9]*$/.test(value)) {
      for (const form of blockScalar(lines, index + 1, indent.length)) add(key, form);
    } else {
      add(key, unquote(value));
    }
  });
  for (const match of text.matchAll(JSON_ENTRY)) {
    try {
      add(match[1] ?? '', JSON.parse(`"${match[2] ?? ''}"`) as string);
    } catch {
      add(match[1] ?? '', match[2] ?? '');
    }
  }
  return [...found];
}

/** The token of a parsed kubeconfig target and its parts (the parse is the final word on what is sent). */
export function kubeTargetSecrets(target: Pick<KubeTarget, 'token'>): string[] {
  return target.token ? [target.token, ...tokenParts(target.token)] : [];
}

/**
 * The lines of a block scalar starting at `from` (those more indented than
 * its key), as the value may be read: each line alone, joined by newlines
 * (literal `|`), by spaces (folded `>`) and with nothing between (a token
 * wrapped to fit the page).
 */
function blockScalar(lines: readonly string[], from: number, keyIndent: number): string[] {
  const content: string[] = [];
  for (let i = from; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.trim() === '') {
      content.push('');
      continue;
    }
    if ((/^\s*/.exec(line)?.[0].length ?? 0) <= keyIndent) break;
    content.push(line.trim());
  }
  while (content.at(-1) === '') content.pop();
  const nonEmpty = content.filter((line) => line !== '');
  return [...nonEmpty, content.join('\n'), nonEmpty.join(' '), nonEmpty.join('')];
}

/** The secret part of `id:secret` (static tokens) and of `id.secret` (bootstrap tokens; a JWT's signature). */
function tokenParts(token: string): string[] {
  const parts = [token.slice(token.indexOf(':') + 1), token.slice(token.lastIndexOf('.') + 1)];
  return [...new Set(parts)].filter((part) => part.length >= MIN_PART_LENGTH && part !== token);
}

function unquote(value: string): string {
  if (value.length >= 2 && value.startsWith("'") && value.endsWith("'")) return value.slice(1, -1).replace(/''/g, "'");
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
    try {
      return JSON.parse(value) as string;
    } catch {
      return value.slice(1, -1);
    }
  }
  return value;
}

/** The key lines of a PEM given as base64 (client-key-data), without the BEGIN/END markers. */
function decodedPemLines(base64: string): string[] {
  const pem = Buffer.from(base64, 'base64').toString('utf8');
  return pem
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length >= 16 && !line.startsWith('-----'));
}
