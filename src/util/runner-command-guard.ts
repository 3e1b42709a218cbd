/**
 * Makes log text inert for the CI runners that read commands out of a job's
 * log. Every line imageship prints passes through here (the GitHub host's
 * `info`, the CLI's stdout/stderr), because much of it comes from outside:
 * registry error bodies, manifest fields (media types, foreign-layer URLs),
 * API answers, Kubernetes objects, docker's own output.
 *
 * What the runners obey (their sources: actions/runner ActionCommand.cs,
 * azure-pipelines-agent Command.cs):
 *  - GitHub Actions: `::name props::data` when the line starts with `::`
 *    after leading whitespace, and the older `##[name props]data` ANYWHERE in
 *    a line. `::stop-commands::TOKEN` switches commands off until `::TOKEN::`,
 *    so a later `::add-mask::` would be ignored and that secret shown in clear.
 *  - Azure Pipelines: `##vso[area.event props]data` anywhere in a line, and
 *    `##[group]`, `##[error]`… formatting at a line start.
 *  - Both read lines as .NET's ReadLine does: `\n`, `\r\n` and a lone `\r`
 *    each end one.
 *
 * Both match these prefixes with culture-aware string comparison (ICU),
 * which skips "ignorable" characters: `:\u200B:` compares equal to `::`, so
 * a zero-width character slipped between the colons does NOT defuse a
 * command. A visible character does. The rule, applied per line:
 *  - a leading `::` (after whitespace or ignorable characters) becomes `:\:`;
 *  - `##[` and `##vso[` anywhere become `#\#[` and `#\#vso[` (case-insensitive,
 *    ignorable characters inside them included);
 *  - control characters other than tab (ESC starts terminal and GitLab section
 *    sequences; C0, DEL, C1) are shown as `\xNN`.
 * The text stays readable and says plainly that something was escaped.
 *
 * Secrets must be redacted BEFORE this runs: a backslash inserted into a
 * secret that holds `##[` would keep the runner's own mask from matching it.
 */

/** Control characters except tab; line breaks are removed by the split before this applies. */
const CONTROL = /[\u0000-\u0008\u000A-\u001F\u007F-\u009F]/g;
/** `::` at the start, after what .NET's TrimStart drops (whitespace) and what ICU ignores. */
const LEADING_COLONS = /^([\s\p{Default_Ignorable_Code_Point}]*):(\p{Default_Ignorable_Code_Point}*):/u;
/** The `##` of `##[` or `##vso[`, anywhere, with ignorable characters allowed between the parts. */
const HASH_PREFIX = /#(\p{Default_Ignorable_Code_Point}*)#(?=\p{Default_Ignorable_Code_Point}*(?:v\p{Default_Ignorable_Code_Point}*s\p{Default_Ignorable_Code_Point}*o\p{Default_Ignorable_Code_Point}*)?\[)/giu;

/** One line (no line breaks) made inert. Lines without any of the triggers come back unchanged. */
export function neutraliseLine(line: string): string {
  return line
    .replace(CONTROL, (char) => `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`)
    .replace(LEADING_COLONS, '$1:$2\\:')
    .replace(HASH_PREFIX, '#$1\\#');
}

/** The lines a runner would see in `text` (split at `\r\n`, `\n` and a lone `\r`), each made inert. */
export function neutraliseLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/).map(neutraliseLine);
}

/** `text` made inert line by line, line ends normalised to `\n` (a trailing line end is kept). */
export function neutraliseText(text: string): string {
  return neutraliseLines(text).join('\n');
}

/**
 * JSON text that passes `neutraliseText` unchanged and parses to the same
 * value: `#` and the DEL/C1 characters JSON.stringify leaves raw are written
 * as `\u` escapes (inside strings, where they can only be), so no runner
 * trigger is left in it and no backslash is inserted that would break it.
 */
export function inertJson(json: string): string {
  return json.replace(/[#\u007F-\u009F]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
