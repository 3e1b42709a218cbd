/**
 * The `deploy-trigger` input's grammar: one http(s) URL a line. Checked while the config is parsed, before any
 * side effect; the URLs are credentials, so every message shows them redacted.
 */
import { redactUrl } from './url-secrets.js';

export interface TriggerUrlList {
  /** Valid URLs, trimmed, in input order. */
  urls: string[];
  /** One line each; URLs shown redacted. */
  errors: string[];
  /** Valid but worth a warning (plain http:), one line each, URLs redacted. */
  warnings: string[];
}

/** Longest form of a line shown in an error (after redaction). */
const SHOWN_LINE_LIMIT = 160;

/**
 * Parses the `deploy-trigger` input: one URL a line, blank lines ignored.
 * Each URL must be `http:` or `https:` followed by `//` and a host. `http:`
 * is accepted (an internal receiver may have no TLS) and reported in
 * `warnings`, because the token then travels in clear text.
 */
export function parseTriggerUrls(text: string): TriggerUrlList {
  const urls: string[] = [];
  const errors: string[] = [];
  const warnings: string[] = [];
  const firstLineOf = new Map<string, number>();
  text.split(/\r\n|\r|\n/).forEach((rawLine, index) => {
    const line = rawLine.trim();
    const lineNo = index + 1;
    if (line === '') return;
    const problem = urlProblem(line);
    if (problem !== undefined) {
      errors.push(`deploy-trigger: line ${lineNo} is not an http(s) URL: ${showLine(line)} — ${problem}`);
      return;
    }
    const earlier = firstLineOf.get(line);
    if (earlier !== undefined) {
      errors.push(
        `deploy-trigger: line ${lineNo} repeats line ${earlier} (${showLine(line)}) — list each trigger once; every call redeploys`,
      );
      return;
    }
    firstLineOf.set(line, lineNo);
    urls.push(line);
    if (/^http:/i.test(line)) {
      warnings.push(
        `deploy-trigger: line ${lineNo} uses plain http (${showLine(line)}): the trigger token travels unencrypted; use https unless the receiver is on a private network`,
      );
    }
  });
  return { urls, errors, warnings };
}

function showLine(line: string): string {
  const shown = redactUrl(line);
  return shown.length > SHOWN_LINE_LIMIT ? `${shown.slice(0, SHOWN_LINE_LIMIT)}…` : shown;
}

const PASTE_HINT = 'paste the trigger link exactly as the console shows it (https://…)';

/** Why `line` is not a usable trigger URL, as "<problem>; <fix>", or undefined when it is fine. */
export function urlProblem(line: string): string | undefined {
  if (/^(["'`]).*\1$/.test(line) && line.length >= 2) return 'it is quoted; remove the quotes';
  if (/\s/.test(line)) {
    return /\s\S*:\/\//.test(line)
      ? 'it holds more than one URL; put one URL a line'
      : 'it contains a space; percent-encode it (%20) or remove it';
  }
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(line)?.[1];
  if (scheme === undefined) return `it is relative (no http:// or https://); ${PASTE_HINT}`;
  const lower = scheme.toLowerCase();
  if (lower !== 'http' && lower !== 'https') return `its scheme is "${lower}:", only http: and https: are supported; ${PASTE_HINT}`;
  const rest = line.slice(scheme.length + 1);
  if (!rest.startsWith('//')) return `"${lower}:" is not followed by "//host"; ${PASTE_HINT}`;
  const authority = rest.slice(2).split(/[/?#]/, 1)[0] ?? '';
  const hostAndPort = authority.slice(authority.lastIndexOf('@') + 1);
  const host = hostAndPort.startsWith('[') ? hostAndPort.slice(0, hostAndPort.indexOf(']') + 1) : hostAndPort.split(':', 1)[0] ?? '';
  if (host === '' || host === '[]') {
    return rest.slice(2) === '' ? `there is nothing after "${lower}://"; ${PASTE_HINT}` : `it has no host; ${PASTE_HINT}`;
  }
  try {
    new URL(line);
  } catch {
    return `it cannot be parsed (check the host and port); ${PASTE_HINT}`;
  }
  return undefined;
}
