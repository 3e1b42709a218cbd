/**
 * The stand-ins a keyless Huawei run talks to, started together: STS and IAM
 * federation (verifying the OIDC token), the SWR API, FunctionGraph/IAM/CCE
 * and a Kubernetes API server (each accepting only the issued temporary keys
 * with their security token), and a registry that learns only the temporary
 * SWR login.
 */
import { startLocalRegistry, type LocalRegistry } from './local-registry.js';
import type { StepResult } from './runner.js';
import type { Testbed } from './testbed.js';
import { startHuaweiCloudStandIn, type HuaweiCloudStandIn } from '../standins/huawei-cloud.js';
import { startHuaweiStsStandIn, type HuaweiStsStandIn } from '../standins/huawei-sts.js';
import { startKubeApiServer, type KubeApiServer } from '../standins/kube-apiserver.js';
import { GITHUB_ISSUER, type OidcIssuer } from '../standins/oidc-issuer.js';
import { startSwrApiStandIn, type SwrApiStandIn } from '../standins/swr-api.js';

export const SHA = '6a6b6c6d6e6f60616263646566676869606162ab';
export const HUAWEI_AUDIENCE = 'sts.myhuaweicloud.com';
export const PROVIDER_URN = 'iam::0a1b2c3d4e5f60718293a4b5c6d7e8f9:identity-provider:github-actions';
export const AGENCY_URN = 'iam::0a1b2c3d4e5f60718293a4b5c6d7e8f9:agency:ci-deployer';
export const PROJECT_ID = '0a1b2c3d4e5f60718293a4b5c6d7e8f9';
export const CLUSTER_ID = '5e3f6f6a-1c2b-11ef-8a0c-0255ac100b07';
export const ROLE_ARN = 'acs:ram::1234567890123456:role/ci-pusher';
export const OIDC_PROVIDER_ARN = 'acs:ram::1234567890123456:oidc-provider/github';
export const DEBUG = { ACTIONS_STEP_DEBUG: 'true', RUNNER_DEBUG: '1' };

/** The runner's env with `permissions: id-token: write`. */
export const idTokenPermission = (issuer: OidcIssuer): Record<string, string> => ({
  ACTIONS_ID_TOKEN_REQUEST_URL: issuer.requestUrl,
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: issuer.requestToken,
});

/** Everything a step leaves that a later step or a reader of the log could see (GITHUB_ENV apart: export-credentials writes there on purpose). */
export function stepTexts(step: StepResult, label: string): Record<string, string> {
  return {
    [`${label} stdout`]: step.stdout,
    [`${label} stderr`]: step.stderr,
    [`${label} outputs`]: JSON.stringify(step.outputs),
    [`${label} state`]: JSON.stringify(step.state),
    [`${label} summary`]: step.summary,
    [`${label} argv`]: JSON.stringify(step.argv),
  };
}

export interface HuaweiBed {
  sts: HuaweiStsStandIn;
  swrApi: SwrApiStandIn;
  cloud: HuaweiCloudStandIn;
  registry: LocalRegistry;
  kube: KubeApiServer;
  functionUrn: string;
  /** Every service at its stand-in; IAM at the STS stand-in (federation). */
  endpoints: string;
  /** The same, but IAM (project lookup) and CCE (clustercert) at the Huawei Cloud stand-in. */
  deployEndpoints: string;
  close(): Promise<void>;
}

export async function startHuaweiBed(
  bed: Testbed,
  issuer: OidcIssuer,
  repository: string,
  stsOptions: Partial<Parameters<typeof startHuaweiStsStandIn>[0]> = {},
): Promise<HuaweiBed> {
  const sts = await startHuaweiStsStandIn({
    jwks: issuer.jwks,
    issuer: GITHUB_ISSUER,
    clientIds: [HUAWEI_AUDIENCE],
    providerUrn: PROVIDER_URN,
    agencyUrn: AGENCY_URN,
    subjectPatterns: ['repo:octo-org/octo-app:ref:refs/heads/main'],
    ...stsOptions,
  });
  const keys = { ak: sts.issued.ak, sk: sts.issued.sk, securityToken: sts.issued.securityToken };
  const registry = await startLocalRegistry({ users: [] });
  const swrApi = await startSwrApiStandIn({
    ...keys,
    region: bed.region,
    // The registry learns each temporary login as SWR issues it: only that login can push.
    onLoginIssued: (login) => registry.setUsers([{ username: login.username, password: login.password }]),
  });
  const kube = await startKubeApiServer({ stepMs: 50, workloads: [{ namespace: 'prod', kind: 'deployment', name: 'web', replicas: 1, containers: [{ name: 'app', image: `${repository}:old` }] }] });
  const cloud = await startHuaweiCloudStandIn({
    ...keys,
    projectId: PROJECT_ID,
    region: bed.region,
    functions: [{ func_name: 'api-fn', runtime: 'Custom Image', handler: '-', memory_size: 256, timeout: 30, code_type: 'Custom-Image-Swr', custom_image: { enabled: true, image: `${repository}:old` } }],
    clusters: [{ id: CLUSTER_ID, kubeconfig: JSON.parse(kube.kubeconfig({ format: 'json' })) as object }],
  });
  return {
    sts,
    swrApi,
    cloud,
    registry,
    kube,
    functionUrn: `urn:fss:${bed.region}:${PROJECT_ID}:function:default:api-fn`,
    endpoints: `sts=${sts.url}\niam=${sts.url}\nswr-api=${swrApi.url}\nfunctiongraph=${cloud.url}`,
    deployEndpoints: `sts=${sts.url}\niam=${cloud.url}\ncce=${cloud.url}\nswr-api=${swrApi.url}\nfunctiongraph=${cloud.url}`,
    close: async () => {
      await Promise.all([sts.close(), swrApi.close(), cloud.close(), registry.close(), kube.close()]);
    },
  };
}
