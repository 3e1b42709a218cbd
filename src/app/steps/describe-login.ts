import type { DockerLoginResult } from '../../registry/login.js';

// Host-neutral: the action logs out when its job ends, the CLI when its run ends, a library caller with dockerLogout.
const LOGOUTS = 'when the job or run ends, or with imageship post or dockerLogout';

/** Where the login went and what becomes of a login that was there already. */
export function describeLogin(registry: string, login: DockerLoginResult): string[] {
  const lines =
    login.store === 'config.json'
      ? [`logged in to ${registry} in ${login.configFile} (written by imageship after the registry accepted the credentials: no docker login process, so neither user nor password is in any command line)`]
      : [`logged in to ${registry} through the credential helper ${login.store}, which ${login.configFile} names (user and password on its stdin)`];
  if (login.keptPrevious) {
    lines.push(`an existing login for ${registry} was kept (saved in ${login.recordFile}, readable by this user only) and will be restored when imageship logs out (${LOGOUTS})`);
  } else {
    lines.push(`imageship's logout removes it (${LOGOUTS})`);
  }
  return lines;
}
