/** distribution's access log (combined format), as the test registries write it with `accesslog.disabled: false`. */
export interface AccessLogEntry {
  method: string;
  /** Path and query. */
  url: string;
  status: number;
  /** Response body bytes as logged. */
  bytes: number;
  userAgent: string;
}

const ACCESS_LINE = /"([A-Z]+) (\S+) HTTP\/[\d.]+" (\d{3}) (\d+|-) "[^"]*" "([^"]*)"/;

/** One line of distribution's access log (combined format), or undefined for any other line. */
export function parseAccessLine(line: string): AccessLogEntry | undefined {
  const m = ACCESS_LINE.exec(line);
  if (m === null) return undefined;
  return { method: m[1] as string, url: m[2] as string, status: Number(m[3]), bytes: m[4] === '-' ? 0 : Number(m[4]), userAgent: m[5] as string };
}

/**
 * Reads a registry process's output: access-log lines become entries, every other line is kept (the first 20 000
 * characters) for a start-up failure's message. `settle` waits until the output has been quiet for a while: the
 * registry writes a request's line just after answering it.
 */
export class RegistryOutput {
  readonly accessLog: AccessLogEntry[] = [];
  private other = '';
  private partial = '';
  private lastAt = performance.now();

  readonly take = (chunk: Buffer): void => {
    this.lastAt = performance.now();
    const lines = (this.partial + chunk.toString('utf8')).split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) {
      const entry = parseAccessLine(line);
      if (entry) this.accessLog.push(entry);
      else if (this.other.length < 20_000) this.other += `${line}\n`;
    }
  };

  /** What was not an access-log line, for a message. */
  get text(): string {
    return this.other + this.partial;
  }

  async settle(quietMs = 150): Promise<void> {
    // One wait first: output already in the pipe is read only once the event loop turns (after a sync child, say).
    do await new Promise((resolve) => setTimeout(resolve, quietMs / 3));
    while (performance.now() - this.lastAt < quietMs);
  }
}
