import { getState, saveState } from './runner/index.js';

/**
 * Everything main hands to the post step, in one place. State is visible in
 * the runner's files, so it holds no secret: only the registry host to log
 * out of and whether to do so.
 */
export interface PostState {
  /** Registry that main logged into ('' if it never got that far). */
  registry: string;
  logout: boolean;
}

export function markMainStarted(): void {
  saveState('isPost', 'true');
}

export function saveLoggedInRegistry(registry: string, logout: boolean): void {
  saveState('registry', registry);
  saveState('logout', String(logout));
}

export function readPostState(): PostState {
  return { registry: getState('registry'), logout: getState('logout') !== 'false' };
}
