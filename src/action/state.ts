import { getState, saveState } from './runner/index.js';

/**
 * Everything main hands to the post step, in one place. State is visible in
 * the runner's files, so it holds no secret: only the registry hosts to log
 * out of and whether to do so.
 */
export interface PostState {
  /** Registries main logged into, in order (empty if it never got that far). */
  registries: string[];
  logout: boolean;
}

/** Hosts saved so far by this main step: each login adds one, and the whole list is saved again. */
const saved: string[] = [];

export function markMainStarted(): void {
  saveState('isPost', 'true');
}

/**
 * Saved before each login (the step's own and every registry-auth entry's):
 * `registry` keeps the first; from the second on, `registries` lists them
 * all, one per line (a run with one login leaves the state as it always was).
 */
export function saveLoggedInRegistry(registry: string, logout: boolean): void {
  if (!saved.includes(registry)) saved.push(registry);
  saveState('registry', saved[0] ?? registry);
  if (saved.length > 1) saveState('registries', saved.join('\n'));
  saveState('logout', String(logout));
}

export function readPostState(): PostState {
  const listed = getState('registries').split('\n').map((line) => line.trim()).filter(Boolean);
  const single = getState('registry').trim();
  return { registries: listed.length > 0 ? listed : single === '' ? [] : [single], logout: getState('logout') !== 'false' };
}
