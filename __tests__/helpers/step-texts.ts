/**
 * What a secret scan reads from action steps: everything a step leaves that a
 * later step or a reader of the log could see (GITHUB_ENV apart:
 * export-credentials writes there on purpose), labelled by step.
 */
import type { StepResult } from './runner.js';

/** One step's texts, each named `<label> <what>`. */
export function stepTexts(step: StepResult, label: string): Record<string, string> {
  return {
    [`${label} stdout`]: step.stdout,
    [`${label} stderr`]: step.stderr,
    [`${label} outputs`]: JSON.stringify(step.outputs),
    [`${label} state`]: JSON.stringify(step.state),
    [`${label} summary`]: step.summary,
    [`${label} argv`]: JSON.stringify(step.argv),
  };
}

/** The texts of every step of a run (main, post…), each labelled by its phase. */
export function runTexts(run: Record<string, StepResult>): Record<string, string> {
  const texts: Record<string, string> = {};
  for (const [phase, step] of Object.entries(run)) Object.assign(texts, stepTexts(step, phase));
  return texts;
}
