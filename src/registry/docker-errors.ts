/**
 * Turns docker's registry errors into one line that says what to do. The raw
 * messages (`unauthorized: authentication required`, `denied: you do not have
 * the permission`, `x509: …`) are what users paste into issues; each maps to a
 * known cause and the usual fix.
 */

/** Provider-specific advice, chosen by the plan from the login method. */
export interface RegistryHints {
  /** For a 401: which user was tried and what to check. */
  loginHint?: string;
  /** For `denied`: the provider's usual causes. */
  deniedHint?: string;
}

export interface RegistryErrorContext extends RegistryHints {
  operation: 'login' | 'push' | 'pull' | 'verify';
  registry: string;
}

export function explainRegistryError(raw: string, context: RegistryErrorContext): string {
  const text = raw.toLowerCase();
  const { registry } = context;
  if (text.includes('x509') || text.includes('certificate signed by unknown authority')) {
    return `${context.operation}: ${registry} presented a TLS certificate this machine does not trust: put the registry's CA certificate in /etc/docker/certs.d/${registry}/ca.crt (and the system trust store), or use the registry's public endpoint`;
  }
  if (text.includes('server gave http response to https client')) {
    return `${context.operation}: ${registry} speaks plain HTTP: add it to "insecure-registries" in the Docker daemon configuration, or use its HTTPS endpoint`;
  }
  if (text.includes('you do not have the permission') || text.includes('requested access to the resource is denied') || /\bdenied\b/.test(text)) {
    return `${context.operation}: ${registry} denied access: ${context.deniedHint ?? 'the user may lack push permission on this repository'}`;
  }
  if (text.includes('401') || text.includes('unauthorized') || text.includes('incorrect username or password') || text.includes('authentication required')) {
    return `${context.operation}: ${registry} rejected the credentials (401): ${context.loginHint ?? 'check username and password'}`;
  }
  if (text.includes('no such host') || text.includes('connection refused') || text.includes('i/o timeout') || text.includes('tls handshake timeout')) {
    return `${context.operation}: cannot reach ${registry}: check the region/registry inputs and that this runner can reach it (a VPC endpoint needs a runner inside the VPC)`;
  }
  if (text.includes('cannot connect to the docker daemon') || text.includes('is the docker daemon running')) {
    return `${context.operation}: the Docker daemon is not running: start it (or use a runner with Docker, e.g. ubuntu-latest)`;
  }
  const line = raw.split('\n').map((l) => l.trim()).filter(Boolean).pop() ?? 'no output';
  return `${context.operation}: ${registry}: ${line}`;
}
