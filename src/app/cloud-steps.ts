/**
 * What a run loads only when it calls a cloud API, deploys, or reads a
 * kubeconfig: keyless, registry-auth logins, retention, deploy, the SWR and
 * ACR logins, the kubeconfig parse. The steps import this one module
 * (`await import('./cloud-steps.js')`), so the bundles hold one lazily
 * loaded chunk with the cloud clients once; one dynamic import per layer gave
 * each its own copy of the Huawei and Alibaba clients they share. A build, a
 * package or a copy with a static login starts without any of it.
 */
export { resolveKeylessCredentials } from './keyless.js';
export { logInToRegistryAuth } from './registry-auth.js';
export { applyConfiguredRetention } from './retention.js';
export { deployAll } from './deploy.js';
export { huaweiClientFor } from './huawei-client.js';
export { createNamespace, createTemporaryLogin } from '../cloud/huawei/swr.js';
export { acrApiEndpoint, getEnterpriseLogin, getPersonalLogin } from '../cloud/alibaba/acr-login.js';
export { parseKubeconfig } from '../deploy/kubernetes/kubeconfig.js';
