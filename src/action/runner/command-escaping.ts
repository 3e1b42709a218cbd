/**
 * Escaping for workflow commands (`::name key=value,key=value::message`). The
 * runner reads one command per stdout line and splits properties on `,` and
 * `key=value` pairs from the message on `::`, so those characters must not
 * appear raw where they would change the parse. `%` is escaped first so the
 * runner's unescaping is unambiguous.
 */

/** For the message part: keeps a multi-line message on one stdout line. */
export function escapeCommandMessage(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** For property values, which also end at `,` and must not contain the `::` separator. */
export function escapeCommandProperty(text: string): string {
  return escapeCommandMessage(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
