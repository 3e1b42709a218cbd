/**
 * The run's registry clients: one per registry host, made on first use and
 * shared by every step (copy, verify, find, replicate, merge, retention, the
 * push-by-digest check), so a registry is authenticated once per run and a
 * token held by one step serves the next (the authenticator widens a scope
 * once rather than asking again per step).
 */
import type { Fetch } from '../ports.js';
import { RegistryClient, type RegistryCredentials } from './client.js';

export interface RegistryClientsOptions {
  fetch: Fetch;
  /** The login a host gets, by the credential-scoping rule (credential-scope.ts); asked once per host. */
  credentialsFor: (registry: string) => Promise<RegistryCredentials | undefined> | RegistryCredentials | undefined;
  /** Registry clients' warnings (a token realm on another host). */
  warn?: (message: string) => void;
  /** Told every credential and token a client holds (SecretRegistry.add). */
  onSecret?: (secret: string) => void;
}

export class RegistryClients {
  private readonly clients = new Map<string, Promise<RegistryClient>>();

  constructor(private readonly options: RegistryClientsOptions) {}

  /** The run's client for `registry` (host[:port]). */
  clientFor(registry: string): Promise<RegistryClient> {
    const key = registry.toLowerCase();
    let client = this.clients.get(key);
    if (client === undefined) {
      client = Promise.resolve(this.options.credentialsFor(registry)).then((credentials) => this.make(registry, credentials));
      // A failed credential lookup is not remembered: the next step asks again and reports it.
      client.catch(() => this.clients.delete(key));
      this.clients.set(key, client);
    }
    return client;
  }

  /**
   * A client outside the shared set, for a login that differs from the
   * host's (source-credentials on the destination registry).
   */
  separate(registry: string, credentials: RegistryCredentials | undefined): RegistryClient {
    return this.make(registry, credentials);
  }

  private make(registry: string, credentials: RegistryCredentials | undefined): RegistryClient {
    const { fetch, warn, onSecret } = this.options;
    return new RegistryClient({
      registry,
      fetch,
      ...(credentials ? { credentials } : {}),
      ...(warn ? { warn } : {}),
      ...(onSecret ? { onSecret } : {}),
    });
  }
}
