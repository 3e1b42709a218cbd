/**
 * The polling loop FC's update and SAE's change order share: read, decide
 * (done, failed or still going), wait, until the deadline.
 */
import { formatSeconds } from '../../http/timeouts.js';

export type PollVerdict<T> = { phase: 'done'; value: T } | { phase: 'failed'; message: string } | { phase: 'waiting'; detail: string };

export interface PollSettings {
  timeoutMs: number;
  intervalMs: number;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  log: (line: string) => void;
  /** Names what is awaited in the timeout message, e.g. `function my-func`. */
  subject: string;
  /** Said after the timeout message: what the user can do. */
  timeoutHint: string;
}

export async function pollUntilSettled<T>(read: () => Promise<PollVerdict<T>>, settings: PollSettings): Promise<T> {
  const started = settings.now();
  let lastDetail = '';
  for (;;) {
    const verdict = await read();
    if (verdict.phase === 'done') return verdict.value;
    if (verdict.phase === 'failed') throw new Error(verdict.message);
    if (verdict.detail !== lastDetail) settings.log(`${settings.subject}: ${verdict.detail}`);
    lastDetail = verdict.detail;
    const elapsed = settings.now() - started;
    if (elapsed >= settings.timeoutMs) {
      throw new Error(`${settings.subject}: not finished within ${formatSeconds(settings.timeoutMs)} (${verdict.detail}): ${settings.timeoutHint}`);
    }
    await settings.sleep(Math.min(settings.intervalMs, settings.timeoutMs - elapsed));
  }
}

export const sleepFor = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
