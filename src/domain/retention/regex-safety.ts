/**
 * (Over 400 lines: one small parser of the pattern language and the checks that walk what it builds; they share
 * its node types and nothing else uses them.)
 *
 * Refuses regular expressions that can backtrack catastrophically, before
 * they are ever run. `tag-pattern` is matched against tags a registry sends,
 * and JavaScript's backtracking engine cannot be interrupted: one crafted tag
 * against `(a+)+$` can hold the runner for hours.
 *
 * Written here rather than taken from npm: safe-regex and safe-regex2 only
 * measure star height, so they accept `(a|a)*` and `(a|ab)*`, both
 * exponential; recheck is a megabyte of Scala.js. What this refuses:
 *
 * 1. a repeated group that holds a repeat of its own, `(a+)+`, `(\w+\s?)*`
 *    (nested quantifiers: exponential);
 * 2. a repeated group whose alternatives can start with the same character
 *    (or both match nothing), `(a|a)*`, `(a|ab)+`, `(\d|[0-5])*`
 *    (exponential);
 * 3. more than MAX_OVERLAPPING_RUN repeats in a row that can match the same
 *    characters, `.*.*.*.*.*` (polynomial of that degree; tags are at most 128
 *    characters, so a few are harmless).
 *
 * "Repeated" means unbounded (`*`, `+`, `{n,}`) or at least REPEAT_THRESHOLD
 * times: `(\d{1,3}\.){3}` stays allowed. The check is conservative (some
 * harmless patterns are refused); every refusal names the fragment and a
 * rewrite. The source must already compile with `new RegExp(source)`.
 */

/** A bounded repeat this large is treated like an unbounded one. */
const REPEAT_THRESHOLD = 4;
/** Repeats in a row over overlapping characters allowed: 128^4 steps at most per tag. */
const MAX_OVERLAPPING_RUN = 4;
const MAX_CODE_POINT = 0xffff;

/** Sorted, disjoint, inclusive UTF-16 code unit ranges. */
type Ranges = readonly (readonly [number, number])[];

type Node =
  | { kind: 'atom'; set: Ranges; start: number; end: number }
  | { kind: 'assert'; start: number; end: number }
  | { kind: 'backref'; start: number; end: number }
  | { kind: 'group'; alternatives: Node[][]; lookaround: boolean; start: number; end: number }
  | { kind: 'repeat'; body: Node; min: number; max: number; start: number; end: number };

/** A node before its source span is known. */
type Unplaced<N = Node> = N extends Node ? Omit<N, 'start' | 'end'> : never;

/** Why `source` may backtrack catastrophically, with a rewrite; undefined when it is safe. */
export function catastrophicBacktracking(source: string): string | undefined {
  const root = new Parser(source).parse();
  const problems: string[] = [];
  const quote = (node: Node): string => JSON.stringify(source.slice(node.start, node.end));
  visitSequences(root, (sequence) => checkRun(sequence, quote, problems));
  visit(root, (node) => {
    if (node.kind !== 'repeat' || !repeatsMany(node)) return;
    // Inside a repeated group only: `\1+` alone repeats one fixed capture.
    const inner =
      node.body.kind === 'group'
        ? findNode(node.body, (candidate) => candidate.kind === 'backref' || (candidate.kind === 'repeat' && candidate.min !== candidate.max))
        : undefined;
    if (inner !== undefined) {
      problems.push(
        `${quote(node)} repeats something that holds a repeat of its own, ${quote(inner)} (nested quantifiers): ` +
          'write one repeat, e.g. a+ instead of (a+)+, or [a-z0-9-]+ instead of ([a-z0-9]+-?)+',
      );
      return;
    }
    const clash = overlappingAlternatives(node.body);
    if (clash !== undefined) {
      problems.push(
        `${quote(node)} repeats a choice whose alternatives ${quote(clash[0])} and ${quote(clash[1])} can match the same text: ` +
          'make every alternative start with a different character, e.g. (a|b)* instead of (a|ab)*, or a(b|c)* instead of (ab|ac)*',
      );
    }
  });
  return problems[0];
}

function repeatsMany(node: { max: number }): boolean {
  return node.max >= REPEAT_THRESHOLD;
}

// ---------------------------------------------------------------- the checks

/** The first two alternatives (of any choice inside `node`) that can start alike, or both match nothing. */
function overlappingAlternatives(node: Node): [Node, Node] | undefined {
  let found: [Node, Node] | undefined;
  visit(node, (candidate) => {
    if (found !== undefined || candidate.kind !== 'group' || candidate.lookaround || candidate.alternatives.length < 2) return;
    const spans = candidate.alternatives.map((sequence) => spanOf(sequence, candidate));
    for (let i = 0; i < candidate.alternatives.length && found === undefined; i++) {
      for (let j = i + 1; j < candidate.alternatives.length && found === undefined; j++) {
        const a = candidate.alternatives[i] as Node[];
        const b = candidate.alternatives[j] as Node[];
        if ((sequenceNullable(a) && sequenceNullable(b)) || overlaps(sequenceFirst(a), sequenceFirst(b))) {
          found = [spans[i] as Node, spans[j] as Node];
        }
      }
    }
  });
  return found;
}

/** Repeats in a row (with only optional items, or items they could also match, in between) over shared characters. */
function checkRun(sequence: readonly Node[], quote: (node: Node) => string, problems: string[]): void {
  const quoteSpan = (from: Node, to: Node): string => quote({ kind: 'assert', start: from.start, end: to.end });
  let run: Node[] = [];
  let shared: Ranges = [];
  for (const item of sequence) {
    if (item.kind === 'repeat' && item.max >= 2 && item.min !== item.max) {
      const set = charsOf(item);
      const together = run.length === 0 ? set : intersect(shared, set);
      if (run.length > 0 && together.length > 0) {
        run.push(item);
        shared = together;
      } else {
        run = [item];
        shared = set;
      }
      if (run.length > MAX_OVERLAPPING_RUN) {
        const first = run[0] as Node;
        problems.push(
          `${quoteSpan(first, item)} has ${run.length} repeats in a row that can match the same characters ` +
            `(at most ${MAX_OVERLAPPING_RUN} are allowed): merge them, e.g. .* instead of .*.*`,
        );
        return;
      }
    } else if (!nullable(item) && !overlaps(charsOf(item), shared)) {
      run = [];
      shared = [];
    }
  }
}

// ---------------------------------------------------------------- properties of nodes

function nullable(node: Node): boolean {
  switch (node.kind) {
    case 'atom':
      return false;
    case 'assert':
    case 'backref':
      return true;
    case 'group':
      return node.lookaround || node.alternatives.some(sequenceNullable);
    case 'repeat':
      return node.min === 0 || nullable(node.body);
  }
}

function sequenceNullable(sequence: readonly Node[]): boolean {
  return sequence.every(nullable);
}

/** Characters a match of `node` can start with (a backreference: anything). */
function firstOf(node: Node): Ranges {
  switch (node.kind) {
    case 'atom':
      return node.set;
    case 'assert':
      return [];
    case 'backref':
      return ALL;
    case 'group':
      return node.lookaround ? [] : node.alternatives.reduce<Ranges>((set, sequence) => union(set, sequenceFirst(sequence)), []);
    case 'repeat':
      return firstOf(node.body);
  }
}

function sequenceFirst(sequence: readonly Node[]): Ranges {
  let set: Ranges = [];
  for (const item of sequence) {
    set = union(set, firstOf(item));
    if (!nullable(item)) break;
  }
  return set;
}

/** Every character a match of `node` can hold. */
function charsOf(node: Node): Ranges {
  switch (node.kind) {
    case 'atom':
      return node.set;
    case 'assert':
      return [];
    case 'backref':
      return ALL;
    case 'group':
      return node.lookaround ? [] : node.alternatives.flat().reduce<Ranges>((set, item) => union(set, charsOf(item)), []);
    case 'repeat':
      return charsOf(node.body);
  }
}

function visit(node: Node, each: (node: Node) => void): void {
  each(node);
  if (node.kind === 'group') for (const sequence of node.alternatives) for (const item of sequence) visit(item, each);
  if (node.kind === 'repeat') visit(node.body, each);
}

function visitSequences(node: Node, each: (sequence: readonly Node[]) => void): void {
  visit(node, (candidate) => {
    if (candidate.kind === 'group') for (const sequence of candidate.alternatives) each(sequence);
  });
}

function findNode(node: Node, test: (node: Node) => boolean): Node | undefined {
  let found: Node | undefined;
  visit(node, (candidate) => {
    if (found === undefined && test(candidate)) found = candidate;
  });
  return found;
}

/** A sequence as a node spanning its source, for quoting (an empty alternative spans nothing). */
function spanOf(sequence: readonly Node[], group: Node): Node {
  const first = sequence[0];
  const last = sequence[sequence.length - 1];
  if (first === undefined || last === undefined) return { kind: 'assert', start: group.start, end: group.start };
  return { kind: 'assert', start: first.start, end: last.end };
}

// ---------------------------------------------------------------- character sets

const ALL: Ranges = [[0, MAX_CODE_POINT]];
const DIGITS: Ranges = [[0x30, 0x39]];
const WORD: Ranges = [[0x30, 0x39], [0x41, 0x5a], [0x5f, 0x5f], [0x61, 0x7a]];
const SPACE: Ranges = [[0x09, 0x0d], [0x20, 0x20], [0xa0, 0xa0], [0x1680, 0x1680], [0x2000, 0x200a], [0x2028, 0x2029], [0x202f, 0x202f], [0x205f, 0x205f], [0x3000, 0x3000], [0xfeff, 0xfeff]];

function union(a: Ranges, b: Ranges): Ranges {
  const all = [...a, ...b].sort((x, y) => x[0] - y[0]);
  const merged: [number, number][] = [];
  for (const [lo, hi] of all) {
    const last = merged[merged.length - 1];
    if (last !== undefined && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else merged.push([lo, hi]);
  }
  return merged;
}

function intersect(a: Ranges, b: Ranges): Ranges {
  const out: [number, number][] = [];
  for (const [alo, ahi] of a) {
    for (const [blo, bhi] of b) {
      const lo = Math.max(alo, blo);
      const hi = Math.min(ahi, bhi);
      if (lo <= hi) out.push([lo, hi]);
    }
  }
  return union(out, []);
}

function overlaps(a: Ranges, b: Ranges): boolean {
  return intersect(a, b).length > 0;
}

function complement(set: Ranges): Ranges {
  const out: [number, number][] = [];
  let next = 0;
  for (const [lo, hi] of union(set, [])) {
    if (lo > next) out.push([next, lo - 1]);
    next = hi + 1;
  }
  if (next <= MAX_CODE_POINT) out.push([next, MAX_CODE_POINT]);
  return out;
}

// ---------------------------------------------------------------- a parser of JavaScript regex syntax (no flags)

class Parser {
  private at = 0;

  constructor(private readonly source: string) {}

  parse(): Node {
    const alternatives = this.alternatives();
    return { kind: 'group', alternatives, lookaround: false, start: 0, end: this.source.length };
  }

  private alternatives(): Node[][] {
    const alternatives: Node[][] = [this.sequence()];
    while (this.peek() === '|') {
      this.at++;
      alternatives.push(this.sequence());
    }
    return alternatives;
  }

  private sequence(): Node[] {
    const items: Node[] = [];
    while (this.at < this.source.length && this.peek() !== '|' && this.peek() !== ')') {
      const start = this.at;
      const atom = this.atom();
      const repeat = this.quantifier();
      items.push(repeat === undefined ? atom : { kind: 'repeat', body: atom, min: repeat.min, max: repeat.max, start, end: this.at });
    }
    return items;
  }

  private quantifier(): { min: number; max: number } | undefined {
    const char = this.peek();
    let bounds: { min: number; max: number } | undefined;
    if (char === '*') bounds = { min: 0, max: Infinity };
    else if (char === '+') bounds = { min: 1, max: Infinity };
    else if (char === '?') bounds = { min: 0, max: 1 };
    if (bounds !== undefined) this.at++;
    else if (char === '{') {
      const braces = /^\{(\d+)(?:(,)(\d*))?\}/.exec(this.source.slice(this.at));
      if (braces === null) return undefined;
      const min = Number(braces[1]);
      bounds = { min, max: braces[2] === undefined ? min : braces[3] === '' || braces[3] === undefined ? Infinity : Number(braces[3]) };
      this.at += braces[0].length;
    } else return undefined;
    if (this.peek() === '?') this.at++; // lazy: the same search space
    return bounds;
  }

  private atom(): Node {
    const start = this.at;
    const char = this.source[this.at++] as string;
    const node = (rest: Unplaced): Node => ({ ...rest, start, end: this.at }) as Node;
    switch (char) {
      case '(': {
        let lookaround = false;
        if (this.source.startsWith('?:', this.at)) this.at += 2;
        else if (this.source.startsWith('?=', this.at) || this.source.startsWith('?!', this.at)) {
          this.at += 2;
          lookaround = true;
        } else if (this.source.startsWith('?<=', this.at) || this.source.startsWith('?<!', this.at)) {
          this.at += 3;
          lookaround = true;
        } else if (this.source.startsWith('?<', this.at)) this.at = this.source.indexOf('>', this.at) + 1;
        const alternatives = this.alternatives();
        this.at++; // ')'
        return node({ kind: 'group', alternatives, lookaround });
      }
      case '[':
        return node({ kind: 'atom', set: this.characterClass() });
      case '.':
        return node({ kind: 'atom', set: ALL });
      case '^':
      case '$':
        return node({ kind: 'assert' });
      case '\\':
        return this.escapeAtom(start);
      default:
        return node({ kind: 'atom', set: [[char.charCodeAt(0), char.charCodeAt(0)]] });
    }
  }

  private escapeAtom(start: number): Node {
    const char = this.source[this.at] as string;
    if (char === 'b' || char === 'B') {
      this.at++;
      return { kind: 'assert', start, end: this.at };
    }
    if (/[1-9]/.test(char)) {
      while (/\d/.test(this.peek())) this.at++;
      return { kind: 'backref', start, end: this.at };
    }
    if (char === 'k' && this.source[this.at + 1] === '<') {
      this.at = this.source.indexOf('>', this.at) + 1;
      return { kind: 'backref', start, end: this.at };
    }
    const set = this.escapeSet();
    return { kind: 'atom', set, start, end: this.at };
  }

  /** The set an escape (after its backslash) stands for, in or out of a class. */
  private escapeSet(): Ranges {
    const char = this.source[this.at++] as string;
    const classes: Record<string, Ranges> = { d: DIGITS, D: complement(DIGITS), w: WORD, W: complement(WORD), s: SPACE, S: complement(SPACE) };
    const known = classes[char];
    if (known !== undefined) return known;
    const controls: Record<string, number> = { t: 9, n: 10, v: 11, f: 12, r: 13, '0': 0 };
    if (controls[char] !== undefined) return [[controls[char] as number, controls[char] as number]];
    const hex = char === 'x' ? /^[0-9a-fA-F]{2}/.exec(this.source.slice(this.at)) : char === 'u' ? /^[0-9a-fA-F]{4}/.exec(this.source.slice(this.at)) : null;
    if (hex !== null) {
      this.at += hex[0].length;
      const code = parseInt(hex[0], 16);
      return [[code, code]];
    }
    if (char === 'c' && /[A-Za-z]/.test(this.peek())) {
      const code = (this.source.charCodeAt(this.at++) as number) % 32;
      return [[code, code]];
    }
    return [[char.charCodeAt(0), char.charCodeAt(0)]];
  }

  private characterClass(): Ranges {
    const negated = this.peek() === '^';
    if (negated) this.at++;
    let set: Ranges = [];
    while (this.at < this.source.length && this.peek() !== ']') {
      const low = this.classMember();
      const isRange = this.peek() === '-' && this.at + 1 < this.source.length && this.source[this.at + 1] !== ']';
      if (!isRange) {
        set = union(set, low);
        continue;
      }
      this.at++; // '-'
      const high = this.classMember();
      const single = (member: Ranges): number | undefined => (member.length === 1 && member[0]?.[0] === member[0]?.[1] ? member[0]?.[0] : undefined);
      const from = single(low);
      const to = single(high);
      // `[\d-z]` is \d, '-' and 'z' (a class escape cannot bound a range).
      set = from !== undefined && to !== undefined ? union(set, [[from, to]]) : union(union(set, low), union(high, [[0x2d, 0x2d]]));
    }
    this.at++; // ']'
    return negated ? complement(set) : set;
  }

  private classMember(): Ranges {
    const char = this.source[this.at++] as string;
    if (char !== '\\') return [[char.charCodeAt(0), char.charCodeAt(0)]];
    if (this.peek() === 'b') {
      this.at++;
      return [[8, 8]];
    }
    return this.escapeSet();
  }

  private peek(): string {
    return this.source[this.at] ?? '';
  }
}
