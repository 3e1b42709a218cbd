/**
 * Gets the CI's OIDC ID token from where the config found it: an input, a
 * file, an environment variable (GitLab's `id_tokens:`), or GitHub's token
 * endpoint. Every token (and GitHub's request token) is masked the moment it
 * is known; errors never carry it.
 */
import { readFile } from 'node:fs/promises';
import type { IdTokenSource } from '../../domain/keyless-settings.js';
import type { Fetch, SecretRegistry } from '../../ports.js';
import { BODY_CAPS } from '../../util/body-cap.js';
import { readBodyBytes } from '../../http/read-body.js';
import { fetchWithRetry, type RetryPolicy } from '../../http/retry.js';

export interface IdTokenOptions {
  source: IdTokenSource;
  audience: string;
  env: Readonly<Record<string, string | undefined>>;
  fetch: Fetch;
  secrets: SecretRegistry;
  retry?: Partial<RetryPolicy>;
  /** Reads a token file; tests may replace it. */
  readText?: (path: string) => Promise<string>;
}

export async function obtainIdToken(options: IdTokenOptions): Promise<string> {
  const { source, secrets } = options;
  switch (source.kind) {
    case 'input':
      secrets.add(source.token);
      return source.token;
    case 'env': {
      const token = (options.env[source.variable] ?? '').trim();
      secrets.add(token);
      if (token === '') throw new Error(`oidc-token-env: $${source.variable} is empty: set it to the ID token (GitLab: id_tokens: ${source.variable}: aud: ${options.audience})`);
      return token;
    }
    case 'file': {
      let text: string;
      try {
        text = await (options.readText ?? ((path) => readFile(path, 'utf8')))(source.path);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
        throw new Error(`oidc-token-file: cannot read ${source.path} (${code}): check the path (a projected token file is mounted by the platform)`);
      }
      const token = text.trim();
      secrets.add(token);
      if (token === '') throw new Error(`oidc-token-file: ${source.path} is empty: it must hold the ID token`);
      return token;
    }
    case 'github':
      return requestGithubIdToken(options, source.requestUrl, source.requestToken);
  }
}

/**
 * GitHub Actions' token endpoint: GET the runner's request URL with
 * `&audience=…` and the request token as a bearer; the JWT is in `value`.
 */
async function requestGithubIdToken(options: IdTokenOptions, requestUrl: string, requestToken: string): Promise<string> {
  options.secrets.add(requestToken);
  const separator = requestUrl.includes('?') ? '&' : '?';
  const url = `${requestUrl}${separator}audience=${encodeURIComponent(options.audience)}`;
  const operation = 'request the GitHub Actions OIDC token';
  const response = await fetchWithRetry(
    options.fetch,
    { url, method: 'GET', headers: { Authorization: `Bearer ${requestToken}`, Accept: 'application/json' }, operation, refuseRedirects: true },
    options.retry,
  );
  const text = new TextDecoder().decode(await readBodyBytes(response, operation, { what: 'the OIDC token answer', cap: BODY_CAPS.cloudApi }));
  if (response.status === 401 || response.status === 403) {
    throw new Error(`${operation}: HTTP ${response.status}: the runner's request token was refused: add "permissions: id-token: write" to the job, and run this step in the job that requested it`);
  }
  if (response.status < 200 || response.status > 299) {
    throw new Error(`${operation}: HTTP ${response.status}: ${options.secrets.redact(text.replace(/\s+/g, ' ').slice(0, 200))}`);
  }
  let value: unknown;
  try {
    value = (JSON.parse(text) as { value?: unknown }).value;
  } catch {
    value = undefined;
  }
  if (typeof value !== 'string' || value === '') throw new Error(`${operation}: the answer has no token in "value"`);
  options.secrets.add(value);
  return value;
}
