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
