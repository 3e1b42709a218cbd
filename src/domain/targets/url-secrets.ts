/**
 * A redeploy trigger URL is a bearer credential: whoever has it can redeploy
 * the workload (Alibaba Cloud: "keep your triggers confidential; if a trigger
 * is leaked, delete it and create a new one"). The secret sits in different
 * places depending on who made the URL:
 *
 *  - ACK:               https://…/api/v1/triggers/<id>?token=<JWT>
 *  - Container Service: https://cs.console.aliyun.com/hook/trigger?triggerUrl=<base64>&secret=<hex>
 *  - self-hosted:       https://user:password@hooks.internal/redeploy/<random>
 *
 * This module finds those parts by position in the text (it never normalises
 * the URL), so the redacted form is the same URL with only the secret parts
 * replaced, and it also works on text that is not a valid URL at all (an
 * input line being rejected still has to be shown without its token).
 */

const MASK = '***';
/** Query (and fragment) values shorter than this protect nothing and would redact half the log. */
const MIN_VALUE_LENGTH = 4;
/**
 * A path segment this long, of the characters a URL carries unencoded (RFC
 * 3986 unreserved: letters, digits, `-`, `.`, `_`, `~`), is treated as a
 * credential: token generators use all of them (`.` and `~` included).
 */
const TOKEN_SEGMENT = /^[A-Za-z0-9._~-]{16,}$/;
/**
 * …unless it is plainly words (`redeploy-production-frontend`): masking those
 * would scrub ordinary words from every log line and protect nothing. A random
 * token of 16+ characters without a digit or capital is vanishingly unlikely.
 */
const WORDS_SEGMENT = /^[a-z]+(?:[-_.~][a-z]+)*$/;
/** A JWT (`eyJ<header>.<payload>.<signature>`) used as a path segment; its dots put it outside TOKEN_SEGMENT. */
const JWT_SEGMENT = /^eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

function tokenLike(segment: string): boolean {
  return (TOKEN_SEGMENT.test(segment) && !WORDS_SEGMENT.test(segment)) || JWT_SEGMENT.test(segment);
}

type SpanKind = 'userinfo' | 'path' | 'param';

interface Span {
  start: number;
  end: number;
  kind: SpanKind;
}

/**
 * The values to register as secrets for `url`: every query (and fragment)
 * parameter value of 4+ characters, the userinfo password (or a lone username,
 * which in `https://<token>@host` form is the token), and token-like path
 * segments. Each value is given as written and, when different, decoded.
 */
export function urlSecrets(url: string): string[] {
  const found = new Set<string>();
  for (const { word } of words(url)) {
    for (const span of secretSpans(word)) {
      const raw = word.slice(span.start, span.end);
      for (const value of [raw, decoded(raw, span.kind)]) {
        if (value !== undefined && value.length >= MIN_VALUE_LENGTH) found.add(value);
      }
    }
  }
  return [...found];
}

/** `url` with every value `urlSecrets` would report replaced by `***`; anything else is kept as written. */
export function redactUrl(url: string): string {
  let result = '';
  let cursor = 0;
  for (const { word, offset } of words(url)) {
    result += url.slice(cursor, offset);
    let inner = 0;
    for (const span of secretSpans(word)) {
      result += word.slice(inner, span.start) + MASK;
      inner = span.end;
    }
    result += word.slice(inner);
    cursor = offset + word.length;
  }
  return result + url.slice(cursor);
}

/** Replaces every occurrence of `secrets` in `text` with `***`, longest first. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (secret.length >= MIN_VALUE_LENGTH) result = result.split(secret).join(MASK);
  }
  return result;
}

/** Whitespace-separated words with their offsets: a pasted line may hold more than one URL. */
function words(text: string): { word: string; offset: number }[] {
  const list: { word: string; offset: number }[] = [];
  for (const match of text.matchAll(/\S+/g)) list.push({ word: match[0], offset: match.index ?? 0 });
  return list;
}

/**
 * Secret spans of one URL-like word, in order and never overlapping. Offsets
 * are relative to the word. The parse is
 * deliberately forgiving: `scheme:` is optional, `//authority` is optional, and
 * an `@` in the first segment is treated as userinfo even without `//`.
 */
function secretSpans(word: string): Span[] {
  const spans: Span[] = [];
  const hashAt = word.indexOf('#');
  const beforeHash = hashAt >= 0 ? word.slice(0, hashAt) : word;
  const queryAt = beforeHash.indexOf('?');
  const head = queryAt >= 0 ? beforeHash.slice(0, queryAt) : beforeHash;

  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:/.exec(head);
  let cursor = scheme ? scheme[0].length : 0;
  const hasAuthority = head.startsWith('//', cursor);
  const authorityStart = hasAuthority ? cursor + 2 : cursor;
  const slashAt = head.indexOf('/', authorityStart);
  const authorityEnd = slashAt >= 0 ? slashAt : head.length;
  const atSign = head.lastIndexOf('@', authorityEnd - 1);
  if (atSign >= authorityStart) {
    const colon = head.indexOf(':', authorityStart);
    if (colon >= 0 && colon < atSign) {
      if (atSign > colon + 1) spans.push({ start: colon + 1, end: atSign, kind: 'userinfo' });
    } else if (atSign > authorityStart) {
      spans.push({ start: authorityStart, end: atSign, kind: 'userinfo' });
    }
  }
  cursor = hasAuthority || atSign >= authorityStart ? authorityEnd : cursor;

  // Path segments, then the query and the fragment as `key=value&…` lists.
  let segmentStart = cursor;
  for (let i = cursor; i <= head.length; i++) {
    if (i === head.length || head[i] === '/') {
      const segment = head.slice(segmentStart, i);
      if (tokenLike(segment)) spans.push({ start: segmentStart, end: i, kind: 'path' });
      segmentStart = i + 1;
    }
  }
  if (queryAt >= 0) spans.push(...paramSpans(beforeHash, queryAt + 1, beforeHash.length));
  // A fragment is never sent, but `#access_token=…` is a well-known way to carry one.
  if (hashAt >= 0) spans.push(...paramSpans(word, hashAt + 1, word.length));
  return spans;
}

function paramSpans(text: string, start: number, end: number): Span[] {
  const spans: Span[] = [];
  let partStart = start;
  for (let i = start; i <= end; i++) {
    if (i !== end && text[i] !== '&') continue;
    const part = text.slice(partStart, i);
    const eq = part.indexOf('=');
    if (eq >= 0) {
      // The value runs to the next `&`: base64 padding (`…fHw=`) stays part of it.
      if (part.length - eq - 1 >= MIN_VALUE_LENGTH) spans.push({ start: partStart + eq + 1, end: i, kind: 'param' });
    } else if (tokenLike(part)) {
      // `?<token>` with no key at all.
      spans.push({ start: partStart, end: i, kind: 'param' });
    }
    partStart = i + 1;
  }
  return spans;
}

/** The value as a receiver (or a log line printing the parsed URL) would show it. */
function decoded(raw: string, kind: SpanKind): string | undefined {
  if (kind === 'path' || !/[%+]/.test(raw)) return undefined;
  try {
    const value = decodeURIComponent(kind === 'param' ? raw.replace(/\+/g, ' ') : raw);
    return value === raw ? undefined : value;
  } catch {
    return undefined;
  }
}
