/**
 * What a CI runner does with a step's output, line by line, to judge from
 * the outside whether text a hostile server sent could steer it. Written from
 * the runners' sources (actions/runner ActionCommandManager.cs,
 * ActionCommand.cs, ValueEncoders.cs; azure-pipelines-agent Command.cs), and
 * deliberately a little more willing to see a command than they are:
 *
 *  - lines end at `\n`, `\r\n` and a lone `\r` (.NET ReadLine);
 *  - before matching, default-ignorable characters (U+200B, U+00AD, U+2060…)
 *    and control characters are dropped: the runners compare with ICU, which
 *    skips them, so `:\u200B:` counts as `::`;
 *  - GitHub: `::name props::data` at the line start after whitespace (v2), or
 *    `##[name props]data` anywhere in the line (v1); names are
 *    case-insensitive; `::stop-commands::TOKEN` ignores every command until
 *    `::TOKEN::`; `::add-mask::` masks the value and the encodings the runner
 *    derives (base64 at three shifts, JSON, URI, XML, quotes), from that line
 *    on — never retroactively;
 *  - Azure: `##vso[area.event props]data` anywhere in the line; `##[…]`
 *    formatting at the line start.
 */

export interface SimulatedCommand {
  command: string;
  properties: Record<string, string>;
  data: string;
  /** 0-based index of the line in the output. */
  line: number;
  /** `v2` (`::name::`), `v1` (`##[name]`) on GitHub; `vso` and `format` on Azure. */
  form: 'v2' | 'v1' | 'vso' | 'format';
}

export interface GitHubRunnerSimulation {
  /** The log as shown: plain lines and echoed commands, each masked with what was known when it arrived. */
  shown: string[];
  /** Commands obeyed (stop-commands and its resume token included), in order. */
  commands: SimulatedCommand[];
  /** Values registered with `add-mask`, in order. */
  masks: string[];
  /** The stop token in force at the end of the output, if commands were switched off and never back on. */
  stoppedBy: string | undefined;
  /** Lines that were commands but were ignored because commands were stopped. */
  ignoredWhileStopped: number[];
}

/** The commands a GitHub-hosted runner knows (plus the stop token while one is in force). */
const GITHUB_COMMANDS = [
  'add-mask', 'stop-commands', 'error', 'warning', 'notice', 'debug', 'group', 'endgroup', 'echo',
  'set-output', 'save-state', 'set-env', 'add-path', 'add-matcher', 'remove-matcher',
];

const IGNORABLE = /[\p{Default_Ignorable_Code_Point}\u0000-\u0008\u000B-\u001F\u007F-\u009F]/gu;

function forMatching(line: string): string {
  return line.replace(IGNORABLE, '');
}

function replaceAll(text: string, pairs: readonly (readonly [string, string])[]): string {
  let out = text;
  for (const [from, to] of pairs) out = out.split(from).join(to);
  return out;
}

const UNESCAPE_DATA: [string, string][] = [['%0D', '\r'], ['%0A', '\n'], ['%25', '%']];
const UNESCAPE_PROPERTY: [string, string][] = [['%0D', '\r'], ['%0A', '\n'], ['%3A', ':'], ['%2C', ','], ['%25', '%']];
const UNESCAPE_V1: [string, string][] = [['%3B', ';'], ['%0D', '\r'], ['%0A', '\n'], ['%5D', ']'], ['%25', '%']];

function parseV2(line: string, known: ReadonlySet<string>): Omit<SimulatedCommand, 'line'> | undefined {
  const text = line.replace(/^[\s\u0085]+/u, '');
  if (!text.startsWith('::')) return undefined;
  const end = text.indexOf('::', 2);
  if (end < 0) return undefined;
  const info = text.slice(2, end);
  const space = info.indexOf(' ');
  const command = space < 0 ? info : info.slice(0, space);
  if (!known.has(command.toLowerCase())) return undefined;
  const properties: Record<string, string> = {};
  if (space > 0) {
    for (const pair of info.slice(space + 1).trim().split(',').filter(Boolean)) {
      const eq = pair.indexOf('=');
      if (eq > 0 && eq < pair.length - 1) properties[pair.slice(0, eq)] = replaceAll(pair.slice(eq + 1), UNESCAPE_PROPERTY);
    }
  }
  return { command: command.toLowerCase(), properties, data: replaceAll(text.slice(end + 2), UNESCAPE_DATA), form: 'v2' };
}

function parseBracketed(line: string, prefix: string): { info: string; data: string } | undefined {
  const at = line.indexOf(prefix);
  if (at < 0) return undefined;
  const close = line.indexOf(']', at);
  if (close < 0) return undefined;
  return { info: line.slice(at + prefix.length, close), data: line.slice(close + 1) };
}

function parseV1(line: string, known: ReadonlySet<string>): Omit<SimulatedCommand, 'line'> | undefined {
  const found = parseBracketed(line, '##[');
  if (!found) return undefined;
  const space = found.info.indexOf(' ');
  const command = space < 0 ? found.info : found.info.slice(0, space);
  if (!known.has(command.toLowerCase())) return undefined;
  const properties: Record<string, string> = {};
  if (space > 0) {
    for (const pair of found.info.slice(space + 1).split(';').filter(Boolean)) {
      const eq = pair.indexOf('=');
      if (eq > 0 && eq < pair.length - 1) properties[pair.slice(0, eq)] = replaceAll(pair.slice(eq + 1), UNESCAPE_V1);
    }
  }
  return { command: command.toLowerCase(), properties, data: replaceAll(found.data, UNESCAPE_V1), form: 'v1' };
}

function base64Shifted(value: string, shift: number): string {
  const bytes = Buffer.from(value, 'utf8');
  return (bytes.length > shift ? bytes.subarray(shift) : bytes).toString('base64');
}

/** What the runner's SecretMasker registers for one `add-mask` value (HostContext's value encoders). */
export function runnerMaskForms(value: string): string[] {
  const json = JSON.stringify(value).slice(1, -1);
  const uri = encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const xml = value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
  const trimmed = value.length > 8 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : '';
  const forms = [value, base64Shifted(value, 0), base64Shifted(value, 1), base64Shifted(value, 2), value.replace(/"/g, '\\"'), value.replace(/'/g, "''"), json, uri, xml, trimmed];
  if (/[\r\n]/.test(value)) forms.push(...value.split(/\r?\n|\r/));
  return [...new Set(forms.filter((form) => form.trim() !== ''))];
}

function masker(initial: readonly string[]): { add(value: string): void; mask(line: string): string } {
  const values = new Set<string>();
  const add = (value: string): void => {
    for (const form of runnerMaskForms(value)) values.add(form);
  };
  initial.forEach(add);
  return {
    add,
    mask: (line) => {
      let out = line;
      for (const value of [...values].sort((a, b) => b.length - a.length)) out = out.split(value).join('***');
      return out;
    },
  };
}

/**
 * Runs `output` (a step's stdout, or stdout then stderr) through GitHub's
 * command processing. `secrets`: values the workflow masks from the start
 * (`${{ secrets.X }}`).
 */
export function simulateGitHubRunner(output: string, options: { secrets?: readonly string[] } = {}): GitHubRunnerSimulation {
  const known = new Set(GITHUB_COMMANDS);
  const mask = masker(options.secrets ?? []);
  const shown: string[] = [];
  const commands: SimulatedCommand[] = [];
  const masks: string[] = [];
  const ignoredWhileStopped: number[] = [];
  let stopToken: string | undefined;

  output.split(/\r\n|\r|\n/).forEach((line, index) => {
    // The line as written first (so data comes back exact); then with what ICU ignores dropped.
    const matchable = forMatching(line);
    const parsed = parseV2(line, known) ?? parseV1(line, known) ?? parseV2(matchable, known) ?? parseV1(matchable, known);
    if (parsed === undefined) {
      shown.push(mask.mask(line));
      return;
    }
    const command = { ...parsed, line: index };
    if (stopToken !== undefined) {
      if (command.command === stopToken.toLowerCase()) {
        known.delete(stopToken.toLowerCase());
        stopToken = undefined;
        commands.push(command);
      } else {
        ignoredWhileStopped.push(index);
      }
      shown.push(mask.mask(line));
      return;
    }
    commands.push(command);
    if (command.command === 'stop-commands') {
      stopToken = command.data;
      known.add(command.data.toLowerCase());
      shown.push(mask.mask(line));
    } else if (command.command === 'add-mask') {
      if (command.data.trim() !== '') {
        masks.push(command.data);
        mask.add(command.data);
      }
    } else {
      shown.push(mask.mask(`##[${command.command}]${command.data}`));
    }
  });
  return { shown, commands, masks, stoppedBy: stopToken, ignoredWhileStopped };
}

/** Azure Pipelines' agent: `##vso[area.event …]` anywhere in a line is obeyed; `##[…]` at a line start formats it. */
export function simulateAzureAgent(output: string): { commands: SimulatedCommand[] } {
  const commands: SimulatedCommand[] = [];
  output.split(/\r\n|\r|\n/).forEach((line, index) => {
    const matchable = forMatching(line);
    const vso = parseBracketed(matchable.toLowerCase().includes('##vso[') ? matchable.replace(/##vso\[/i, '##vso[') : matchable, '##vso[');
    if (vso) {
      const name = vso.info.split(' ')[0] ?? '';
      if (name.split('.').filter(Boolean).length === 2) commands.push({ command: name, properties: {}, data: vso.data, line: index, form: 'vso' });
    }
    const format = /^\s*##\[([a-z]+)\]/i.exec(matchable);
    if (format) commands.push({ command: (format[1] ?? '').toLowerCase(), properties: {}, data: matchable.slice(format[0].length), line: index, form: 'format' });
  });
  return { commands };
}
