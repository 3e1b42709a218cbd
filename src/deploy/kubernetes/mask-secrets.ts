/**
 * Masking a kubeconfig's secrets, apart from the deploy code: a run masks
 * them the moment it has the kubeconfig, long before (and whether or not)
 * deploy-all.ts is loaded.
 */
import type { Ports } from '../../ports.js';
import type { KubeTarget } from './kubeconfig.js';
import { kubeconfigSecrets, kubeTargetSecrets } from './kubeconfig-secrets.js';

/**
 * Masks key material and tokens of a kubeconfig, found in its text before it
 * is parsed: whole values, block-scalar values, the secret part of
 * `id:secret`-style tokens, each line of decoded PEM (kubeconfig-secrets.ts).
 */
export function maskKubeconfigSecrets(kubeconfig: string, ports: Pick<Ports, 'secrets'>): void {
  for (const secret of kubeconfigSecrets(kubeconfig)) ports.secrets.add(secret);
}

/** Masks the token the parse settled on (and its secret part): the parse is the final word on what is sent. */
export function maskKubeTargetSecrets(target: KubeTarget, ports: Pick<Ports, 'secrets'>): void {
  for (const secret of kubeTargetSecrets(target)) ports.secrets.add(secret);
}
