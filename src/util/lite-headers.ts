/**
 * Response and request headers without the global Headers class, whose first
 * use loads undici (≈ 40 ms, the cost the transport's fetch and the raw blob path avoid).
 */

/** Read-only response headers with the Headers lookups: case-insensitive, repeated fields joined by ", ". */
export class LiteHeaders {
  readonly #fields = new Map<string, string[]>();

  /** `fields`: name/value pairs in the order received. */
  constructor(fields: Iterable<readonly [string, string]>) {
    for (const [field, value] of fields) {
      const name = field.toLowerCase();
      const values = this.#fields.get(name);
      if (values === undefined) this.#fields.set(name, [value]);
      else values.push(value);
    }
  }

  get(name: string): string | null {
    return this.#fields.get(name.toLowerCase())?.join(', ') ?? null;
  }

  has(name: string): boolean {
    return this.#fields.has(name.toLowerCase());
  }

  getSetCookie(): string[] {
    return [...(this.#fields.get('set-cookie') ?? [])];
  }

  /** Sorted by name, as Headers iterates. */
  *entries(): IterableIterator<[string, string]> {
    for (const name of [...this.#fields.keys()].sort()) yield [name, this.get(name) as string];
  }

  *keys(): IterableIterator<string> {
    for (const [name] of this.entries()) yield name;
  }

  *values(): IterableIterator<string> {
    for (const [, value] of this.entries()) yield value;
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }

  forEach(callback: (value: string, name: string, headers: LiteHeaders) => void): void {
    for (const [name, value] of this.entries()) callback(value, name, this);
  }
}

/**
 * Request headers (a record, a list of pairs, or anything Headers-like) as a
 * record with lower-case names; undefined for a shape it does not know.
 */
export function headerRecord(init: unknown): Record<string, string> | undefined {
  const record: Record<string, string> = {};
  const add = (name: string, value: string): void => {
    const key = name.toLowerCase();
    record[key] = record[key] === undefined ? value : `${record[key]}, ${value}`;
  };
  if (init === undefined || init === null) return record;
  if (Array.isArray(init)) {
    for (const pair of init as unknown[]) {
      if (!Array.isArray(pair) || pair.length !== 2) return undefined;
      add(String(pair[0]), String(pair[1]));
    }
    return record;
  }
  if (typeof init !== 'object') return undefined;
  const like = init as { forEach?: unknown; get?: unknown };
  if (typeof like.forEach === 'function' && typeof like.get === 'function') {
    (init as { forEach(callback: (value: string, name: string) => void): void }).forEach((value, name) => add(name, value));
    return record;
  }
  for (const [name, value] of Object.entries(init as Record<string, unknown>)) {
    if (value !== undefined) add(name, String(value));
  }
  return record;
}

/** node:http's flat rawHeaders list as name/value pairs. */
export function rawHeaderPairs(rawHeaders: readonly string[]): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) pairs.push([rawHeaders[i] as string, rawHeaders[i + 1] as string]);
  return pairs;
}
