/**
 * Which registry hosts may receive the run's login. A login is configured
 * for one registry and goes to that registry only, as Docker's credential
 * store keys logins by host:
 *
 * - the host it was given for (`loginRegistry`: the `registry` input, else
 *   the provider's registry `swr.<region>.<domain>` or the ACR host);
 * - with an AK/SK (derived SWR) login, any `swr.<region>.<domain>` of the
 *   configured domain, with the login derived for that region;
 * - a host the user listed in `replicate-credentials` (replicas only).
 *
 * Every other host (a public image to deploy, a mirror, a look-alike such as
 * `swr.cn-north-4.evil.example`) gets the Docker config's login for it, or
 * none. Pure: the pipeline and the plan ask, nothing is sent from here.
 */

export interface LoginScope {
  /** The host the configured login belongs to, lowercase `host[:port]`. */
  loginRegistry: string;
  /** Set for an AK/SK login: every `swr.<region>.<swrDomain>` gets the login derived for its region. */
  swrDomain: string | undefined;
  /** Hosts the user allowed to receive the login (`replicate-credentials`); empty outside replicate-to. */
  optedIn: readonly string[];
}

export type LoginChoice =
  /** The run's login as configured. */
  | { kind: 'configured' }
  /** The same AK/SK, the SWR login derived for this region. */
  | { kind: 'swr-region'; region: string }
  /** Not a host this login belongs to; `why` says so in a sentence for the log. */
  | { kind: 'elsewhere'; why: string };

const SWR_HOST = /^swr\.([a-z]{2}(?:-[a-z]+)+-\d{1,3})\.([a-z0-9-]+(?:\.[a-z0-9-]+)+)$/;

/**
 * The SWR region of `host` (`swr.<region>.<domain>[:port]`), when its domain
 * is `domain` (any domain when undefined); undefined for any other host.
 * The port is ignored: the host name is what a certificate vouches for.
 */
export function swrRegionOf(host: string, domain: string | undefined): string | undefined {
  const match = SWR_HOST.exec(hostName(host));
  if (match === null) return undefined;
  if (domain !== undefined && match[2] !== domain.toLowerCase()) return undefined;
  return match[1];
}

/** Which login `host` gets under `scope`. */
export function chooseLogin(host: string, scope: LoginScope): LoginChoice {
  const wanted = host.toLowerCase();
  if (wanted === scope.loginRegistry.toLowerCase()) return { kind: 'configured' };
  if (scope.swrDomain !== undefined) {
    const region = swrRegionOf(wanted, scope.swrDomain);
    if (region !== undefined) return { kind: 'swr-region', region };
  }
  if (scope.optedIn.some((allowed) => allowed.toLowerCase() === wanted)) {
    const region = scope.swrDomain === undefined ? undefined : swrRegionOf(wanted, undefined);
    return region === undefined ? { kind: 'configured' } : { kind: 'swr-region', region };
  }
  const why =
    scope.swrDomain !== undefined
      ? `${host} is not swr.<region>.${scope.swrDomain} (the configured domain), so the SWR login is not sent there`
      : `${host} is not ${scope.loginRegistry}, the registry the login was given for, so the login is not sent there`;
  return { kind: 'elsewhere', why };
}

/** `host:port` → `host`, `[::1]:5000` → `[::1]`, lowercase. */
function hostName(host: string): string {
  const lower = host.toLowerCase();
  if (lower.startsWith('[')) return lower.slice(0, lower.indexOf(']') + 1);
  const colon = lower.lastIndexOf(':');
  return colon === -1 ? lower : lower.slice(0, colon);
}
