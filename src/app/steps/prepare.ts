/** What a run does before its plan's steps: mask every secret the Config holds, and check the kubeconfig. */
import type { DockerTools } from '../../build/docker-probe.js';
import { ConfigError, type Config } from '../../config/types.js';
import { maskKubeconfigSecrets } from '../../deploy/kubernetes/mask-secrets.js';
import type { KubeTarget } from '../../deploy/kubernetes/kubeconfig.js';
import { urlSecrets } from '../../domain/targets/url-secrets.js';
import type { Ports } from '../../ports.js';
import { registerLogin } from '../../util/secrets.js';

/** `warn`, saying each distinct message once: every registry client of a run meets the same token realm. */
export function warnOncePerText(warn: (message: string) => void): (message: string) => void {
  const said = new Set<string>();
  return (message) => {
    if (said.has(message)) return;
    said.add(message);
    warn(message);
  };
}

/** A deploy-only run never talks to docker. */
export const NO_DOCKER: DockerTools = {
  cli: false,
  daemon: false,
  clientVersion: '',
  serverVersion: '',
  buildx: false,
  buildxVersion: '',
  builder: undefined,
  builderProblem: '',
  containerdStore: false,
  problem: 'not needed',
};

export function maskConfigSecrets(config: Config, ports: Ports, env: Readonly<Record<string, string | undefined>>): void {
  const { secrets } = ports;
  // Masked before anything else can print them.
  if (config.cloudCredentials) {
    secrets.add(config.cloudCredentials.secretKey);
    secrets.add(config.cloudCredentials.accessKey);
    secrets.add(config.cloudCredentials.securityToken ?? '');
  }
  const tokenSource = config.keyless?.tokenSource;
  if (tokenSource?.kind === 'input') secrets.add(tokenSource.token);
  if (tokenSource?.kind === 'github') secrets.add(tokenSource.requestToken);
  if (tokenSource?.kind === 'env') secrets.add((env[tokenSource.variable] ?? '').trim());
  if (config.login.kind === 'password') registerLogin(secrets, config.login.username, config.login.password);
  if (config.copy.sourceCredentials) registerLogin(secrets, config.copy.sourceCredentials.username, config.copy.sourceCredentials.password);
  for (const entry of config.registryAuth.entries) if (entry.kind === 'password') registerLogin(secrets, entry.username, entry.password);
  const { huaweiKeys, alibabaKeys } = config.registryAuth;
  for (const key of [huaweiKeys?.secretKey, huaweiKeys?.accessKey, huaweiKeys?.securityToken, alibabaKeys?.accessKeySecret, alibabaKeys?.accessKeyId, alibabaKeys?.securityToken]) {
    if (key) secrets.add(key);
  }
  if (config.login.kind === 'acr-temporary') {
    secrets.add(config.login.accessKeySecret);
    secrets.add(config.login.accessKeyId);
    secrets.add(config.login.securityToken);
  }
  for (const secret of config.build.secrets) {
    if (secret.kind === 'value') secrets.add(secret.value);
    if (secret.kind === 'env') secrets.add(env[secret.variable] ?? '');
  }
  if (config.deploy.kubeconfig !== '') maskKubeconfigSecrets(config.deploy.kubeconfig, ports);
  for (const url of config.deploy.triggers) for (const secret of urlSecrets(url)) secrets.add(secret);
}

/** The kubeconfig is checked before any side effect, like every other input. */
export async function preflightKubeconfig(config: Config): Promise<KubeTarget | undefined> {
  const { kubeconfig, kubeContext } = config.deploy;
  if (kubeconfig === '') return undefined;
  // Loaded only by a run with a kubeconfig.
  const { parseKubeconfig } = await import('../cloud-steps.js');
  try {
    return await parseKubeconfig(kubeconfig, kubeContext || undefined);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new ConfigError([message.startsWith('kubeconfig:') ? message : `kubeconfig: ${message}`]);
  }
}
