/**
 * The stand-ins a keyless Huawei run talks to, started together: STS and IAM
 * federation (verifying the OIDC token), the SWR API, FunctionGraph/IAM/CCE
 * and a Kubernetes API server (each accepting only the issued temporary keys
 * with their security token), and a registry that learns only the temporary
 * SWR login. Also the pieces every keyless test starts the same way: the
 * GitHub OIDC issuer for the test job, the STS stand-ins trusting it, and the
 * job's run options.
 */
import { startLocalRegistry, type LocalRegistry } from './local-registry.js';
import { ghContextForBranch } from './runner.js';
import type { Testbed } from './testbed.js';
import { sampleAppWorkspace } from './workspace.js';
import { startAlibabaStsStandIn, type AlibabaStsStandIn } from '../standins/alibaba-sts.js';
import { startHuaweiCloudStandIn, type HuaweiCloudStandIn } from '../standins/huawei-cloud.js';
import { startHuaweiStsStandIn, type HuaweiStsStandIn } from '../standins/huawei-sts.js';
import { startKubeApiServer, type KubeApiServer } from '../standins/kube-apiserver.js';
import { GITHUB_ISSUER, startOidcIssuer, type OidcIssuer } from '../standins/oidc-issuer.js';
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

/** The GitHub token endpoint for the job every keyless test runs as: octo-org/octo-app on main. */
export const startGithubIssuer = (): Promise<OidcIssuer> => startOidcIssuer({ repository: 'octo-org/octo-app', ref: 'refs/heads/main' });

/** What a keyless action run is given besides its inputs: the sample app, a push to main of octo-org/octo-app, debug on, `id-token: write`. */
export const keylessJob = (issuer: OidcIssuer, env: Record<string, string> = {}) => ({
  workdir: sampleAppWorkspace(),
  github: ghContextForBranch('main', SHA, 'octo-org/octo-app'),
  env: { ...DEBUG, ...idTokenPermission(issuer), ...env },
});

/** Huawei STS/IAM federation trusting the issuer's GitHub tokens for octo-org/octo-app on main (options override). */
export function startHuaweiSts(issuer: OidcIssuer, stsOptions: Partial<Parameters<typeof startHuaweiStsStandIn>[0]> = {}): Promise<HuaweiStsStandIn> {
  return startHuaweiStsStandIn({
    jwks: issuer.jwks,
    issuer: GITHUB_ISSUER,
    clientIds: [HUAWEI_AUDIENCE],
    providerUrn: PROVIDER_URN,
    agencyUrn: AGENCY_URN,
    subjectPatterns: ['repo:octo-org/octo-app:ref:refs/heads/main'],
    ...stsOptions,
  });
}

/** Alibaba STS (AssumeRoleWithOIDC) trusting the issuer's GitHub tokens whose sub matches `subjectPatterns`. */
export function startAlibabaSts(issuer: OidcIssuer, subjectPatterns = ['repo:octo-org/octo-app:*']): Promise<AlibabaStsStandIn> {
  return startAlibabaStsStandIn({ jwks: issuer.jwks, issuer: GITHUB_ISSUER, clientIds: ['sts.aliyuncs.com'], roleArn: ROLE_ARN, oidcProviderArn: OIDC_PROVIDER_ARN, subjectPatterns });
}

/** The inputs of a keyless Alibaba push of `namespace/web:latest` built FROM `baseImage`. */
export const alibabaKeylessInputs = (registry: string, namespace: string, baseImage: string, endpoints: string): Record<string, string> => ({
  provider: 'alibabacloud',
  region: 'cn-hangzhou',
  registry,
  namespace,
  image: 'web',
  tags: 'latest',
  'build-args': `BASE_IMAGE=${baseImage}`,
  'role-arn': ROLE_ARN,
  'oidc-provider-arn': OIDC_PROVIDER_ARN,
  endpoints,
});

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
  const sts = await startHuaweiSts(issuer, stsOptions);
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
