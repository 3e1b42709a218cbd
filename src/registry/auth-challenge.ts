/**
 * Parser for the WWW-Authenticate header (RFC 9110 §11.6.1): one or more
 * challenges, each `Scheme token68` or `Scheme k="v", k2=v2`. Registries put
 * commas inside quoted values (`scope="repository:a:pull,push"`), so a
 * split on "," is not enough.
 */

export interface AuthChallenge {
  /** As the server spelled it; compare case-insensitively. */
  scheme: string;
  /** Parameter names lowercased (they are case-insensitive), values unquoted. */
  params: Record<string, string>;
  /** The opaque credential form some schemes use instead of parameters. */
  token68?: string;
}

const TCHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/;
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*/;

/** Every challenge found; malformed trailing text is skipped rather than thrown on, since a header is server input. */
export function parseWwwAuthenticate(header: string): AuthChallenge[] {
  return new ChallengeReader(header).readAll();
}

/** The first challenge whose scheme matches, case-insensitively. */
export function findChallenge(challenges: readonly AuthChallenge[], scheme: string): AuthChallenge | undefined {
  const wanted = scheme.toLowerCase();
  return challenges.find((challenge) => challenge.scheme.toLowerCase() === wanted);
}

class ChallengeReader {
  private pos = 0;

  constructor(private readonly text: string) {}

  readAll(): AuthChallenge[] {
    const challenges: AuthChallenge[] = [];
    for (;;) {
      this.skipSeparators();
      if (this.atEnd()) return challenges;
      const scheme = this.readToken();
      if (scheme === '') {
        // Not a challenge start: skip to the next comma and try again.
        this.skipUntilComma();
        continue;
      }
      challenges.push(this.readChallengeBody(scheme));
    }
  }

  private readChallengeBody(scheme: string): AuthChallenge {
    const challenge: AuthChallenge = { scheme, params: {} };
    this.skipSpaces();
    const token68 = this.tryReadToken68();
    if (token68 !== undefined) {
      challenge.token68 = token68;
      return challenge;
    }
    while (!this.atEnd()) {
      const save = this.pos;
      const name = this.readToken();
      this.skipSpaces();
      if (name === '' || this.peek() !== '=') {
        // Not `name=`: this is where the next challenge (or junk) starts.
        this.pos = save;
        return challenge;
      }
      this.pos++; // '='
      this.skipSpaces();
      challenge.params[name.toLowerCase()] = this.peek() === '"' ? this.readQuotedString() : this.readBareValue();
      this.skipSpaces();
      if (this.peek() !== ',') return challenge;
      this.skipSeparators();
    }
    return challenge;
  }

  /** token68 only counts when it is all that follows the scheme, up to a comma or the end. */
  private tryReadToken68(): string | undefined {
    const match = TOKEN68.exec(this.text.slice(this.pos));
    if (!match) return undefined;
    const after = this.pos + match[0].length;
    const rest = this.text.slice(after).trimStart();
    if (rest !== '' && !rest.startsWith(',')) return undefined;
    this.pos = after;
    return match[0];
  }

  private readQuotedString(): string {
    this.pos++; // opening quote
    let value = '';
    while (!this.atEnd()) {
      const char = this.text[this.pos++] as string;
      if (char === '"') return value;
      if (char === '\\' && !this.atEnd()) {
        value += this.text[this.pos++];
      } else {
        value += char;
      }
    }
    return value; // unterminated: keep what was there
  }

  /**
   * An unquoted value. The RFC allows only token characters, but servers do
   * send bare URLs (`realm=https://…`); reading up to the next comma or space
   * takes them as meant.
   */
  private readBareValue(): string {
    const start = this.pos;
    while (!this.atEnd() && !/[\s,]/.test(this.text[this.pos] as string)) this.pos++;
    return this.text.slice(start, this.pos);
  }

  private readToken(): string {
    const start = this.pos;
    while (!this.atEnd() && TCHAR.test(this.text[this.pos] as string)) this.pos++;
    return this.text.slice(start, this.pos);
  }

  private skipSpaces(): void {
    while (this.peek() === ' ' || this.peek() === '\t') this.pos++;
  }

  private skipSeparators(): void {
    while (this.peek() === ' ' || this.peek() === '\t' || this.peek() === ',') this.pos++;
  }

  private skipUntilComma(): void {
    while (!this.atEnd() && this.peek() !== ',') this.pos++;
  }

  private peek(): string | undefined {
    return this.text[this.pos];
  }

  private atEnd(): boolean {
    return this.pos >= this.text.length;
  }
}
