/**
 * A step's log as a person sees it in the GitHub Actions log viewer, from what
 * the step printed: workflow commands are consumed, not shown. `::group::`
 * becomes a group heading, `::warning::`/`::error::`/`::notice::` their
 * annotations ("Warning: …"), `::debug::` lines show only with step debug
 * logging on (as `##[debug]…`), and `::add-mask::`, `::endgroup::` and the
 * other commands disappear. Lines between `::stop-commands::TOKEN` and
 * `::TOKEN::` are shown as printed. Masks must already be applied (the
 * runner helper's `maskedLog`).
 */

export interface RunnerViewOptions {
  /** ACTIONS_STEP_DEBUG=true: debug lines are shown. */
  stepDebug?: boolean;
}

const ANNOTATIONS: Readonly<Record<string, string>> = { warning: 'Warning', error: 'Error', notice: 'Notice' };

export function renderRunnerLog(text: string, options: RunnerViewOptions = {}): string {
  const shown: string[] = [];
  let stopToken: string | undefined;
  for (const line of text.split(/\r?\n/)) {
    const command = /^\s*::([A-Za-z][A-Za-z0-9_-]*)( [^:]*)?::(.*)$/.exec(line);
    if (stopToken !== undefined) {
      if (line.trim() === `::${stopToken}::`) stopToken = undefined;
      else shown.push(line);
      continue;
    }
    if (!command) {
      shown.push(line);
      continue;
    }
    const [, name = '', , rawMessage = ''] = command;
    const message = unescapeMessage(rawMessage);
    if (name === 'stop-commands') stopToken = message;
    else if (name === 'group') shown.push(`▼ ${message}`);
    else if (name === 'debug') {
      if (options.stepDebug) shown.push(...message.split('\n').map((part) => `##[debug]${part}`));
    } else if (ANNOTATIONS[name]) shown.push(`${ANNOTATIONS[name]}: ${message}`);
    // endgroup, add-mask, echo, set-output, save-state, …: consumed by the runner.
  }
  return shown.join('\n');
}

/** The runner's escapes in a command's message: %25 → %, %0D → CR, %0A → LF. */
function unescapeMessage(text: string): string {
  return text.replace(/%0D/gi, '\r').replace(/%0A/gi, '\n').replace(/%25/g, '%');
}
