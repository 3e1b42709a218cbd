/**
 * Progress of a `docker push`, in the shape a copy's progress has
 * (copy-progress.ts): one line per layer as it is settled (pushed, already in
 * the registry, mounted from another repository) and an alive line every few
 * seconds while layers are still under way, so a push of a 2 GB layer shows
 * it is alive instead of sitting silent after "Preparing".
 *
 * Docker writes progress bars only to a terminal. Into a pipe (a CI log),
 * Docker 20.10 and 26 write one line per status change and nothing in
 * between, checked on both:
 *
 *     The push refers to repository [registry/ns/app]
 *     489f4f598064: Preparing
 *     489f4f598064: Waiting
 *     489f4f598064: Pushed              (or "Layer already exists", "Mounted from ns/other")
 *     v1: digest: sha256:… size: 739
 *
 * Those per-layer status lines are replaced by ours (they carry the layer's
 * place in the count and its time); anything else docker says (the digest
 * line, retries, warnings, errors) passes through unchanged. Without a
 * terminal docker reports no byte counts, so the alive line counts layers
 * and time, not bytes.
 */

export interface PushProgressOptions {
  log: (line: string) => void;
  /** What is being pushed, for the lines: `registry/ns/app:v1`. */
  reference: string;
  /** How often the alive line comes while layers are under way (default 3 s). */
  intervalMs?: number;
  now?: () => number;
}

type LayerState = 'waiting' | 'pushed' | 'exists' | 'mounted';

/** `<12 hex>: <status>`: docker's per-layer status line. */
const LAYER_LINE = /^([0-9a-f]{12}): (.+)$/;
const IN_FLIGHT = new Set(['Preparing', 'Waiting', 'Pushing']);

export class PushProgress {
  private readonly layers = new Map<string, LayerState>();
  private readonly started: number;
  private readonly now: () => number;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly options: PushProgressOptions) {
    this.now = options.now ?? (() => performance.now());
    this.started = this.now();
    this.timer = setInterval(() => this.aliveLine(), options.intervalMs ?? 3_000);
    // The push itself keeps the process alive; the ticker must not.
    this.timer.unref();
  }

  /** Reads one line of docker's output; true when the line is replaced by ours (kept from the log). */
  observe(line: string): boolean {
    const trimmed = line.trim();
    if (trimmed.startsWith('The push refers to repository')) return true;
    const match = LAYER_LINE.exec(trimmed);
    if (match === null) return false;
    const [, id = '', status = ''] = match;
    if (IN_FLIGHT.has(status)) {
      if (!this.layers.has(id)) this.layers.set(id, 'waiting');
      return true;
    }
    const settled = settledState(status);
    if (settled === undefined) return false;
    const first = this.layers.get(id) !== settled;
    this.layers.set(id, settled);
    if (first) this.options.log(`layer ${id} ${describe(settled, status)} (${this.done()} of ${this.layers.size}, ${this.elapsed()})`);
    return true;
  }

  /** Layers settled so far, by how. */
  get counts(): Record<LayerState, number> {
    const counts: Record<LayerState, number> = { waiting: 0, pushed: 0, exists: 0, mounted: 0 };
    for (const state of this.layers.values()) counts[state]++;
    return counts;
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private aliveLine(): void {
    const waiting = [...this.layers].filter(([, state]) => state === 'waiting').map(([id]) => id);
    if (waiting.length === 0) return;
    const shown = waiting.slice(0, 3).join(', ') + (waiting.length > 3 ? ` and ${waiting.length - 3} more` : '');
    this.options.log(`pushing ${this.options.reference}: ${this.done()} of ${this.layers.size} layer(s) done, ${this.elapsed()} so far; under way: ${shown}`);
  }

  private done(): number {
    let done = 0;
    for (const state of this.layers.values()) if (state !== 'waiting') done++;
    return done;
  }

  private elapsed(): string {
    return `${((this.now() - this.started) / 1000).toFixed(1)} s`;
  }
}

function settledState(status: string): LayerState | undefined {
  if (status === 'Pushed') return 'pushed';
  if (status === 'Layer already exists') return 'exists';
  if (status.startsWith('Mounted from ')) return 'mounted';
  return undefined;
}

function describe(state: LayerState, status: string): string {
  if (state === 'pushed') return 'pushed';
  if (state === 'exists') return 'already in the registry';
  return `mounted from ${status.slice('Mounted from '.length)}`;
}
