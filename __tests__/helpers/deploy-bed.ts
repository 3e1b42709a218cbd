/**
 * The three deploy stand-ins started together for an end-to-end run: the
 * Huawei Cloud APIs (FunctionGraph, IAM, CCE clustercert; signature-checked),
 * a Kubernetes API server over HTTPS with client-certificate auth, and a
 * redeploy-trigger receiver.
 */
import { startHuaweiCloudStandIn, type HuaweiCloudStandIn } from '../standins/huawei-cloud.js';
import { startKubeApiServer, type KubeApiServer } from '../standins/kube-apiserver.js';
import { startTriggerReceiver, type TriggerReceiver } from '../standins/trigger-receiver.js';
import type { Testbed } from './testbed.js';

export const PROJECT_ID = '0a1b2c3d4e5f60718293a4b5c6d7e8f9';
export const CLUSTER_ID = '4e3f6f6a-1c2b-11ef-8a0c-0255ac100b07';
export const TRIGGER_TOKEN = 'trg-Q2hhbmdlTWVQbGVhc2UxMjM0NTY3ODkw';

export interface DeployBed {
  huawei: HuaweiCloudStandIn;
  kube: KubeApiServer;
  trigger: TriggerReceiver;
  functionUrn: string;
  /** Inputs that point every Huawei service at the stand-in. */
  endpoints: string;
  /** Nothing at all reached any stand-in. */
  untouched(): boolean;
  close(): Promise<void>;
}

/** `repository` is `registry/namespace/image`: the workload's app container starts on an older tag of it. */
export async function startDeployBed(bed: Testbed, repository: string): Promise<DeployBed> {
  const kube = await startKubeApiServer({
    stepMs: 50,
    workloads: [
      { namespace: 'prod', kind: 'deployment', name: 'web', replicas: 2, containers: [{ name: 'app', image: `${repository}:old` }, { name: 'proxy', image: 'envoyproxy/envoy:v1.30' }] },
      { namespace: 'prod', kind: 'statefulset', name: 'worker', replicas: 2, containers: [{ name: 'main', image: `${repository}:old` }] },
    ],
  });
  const huawei = await startHuaweiCloudStandIn({
    ak: bed.ak,
    sk: bed.sk,
    projectId: PROJECT_ID,
    region: bed.region,
    functions: [
      {
        func_name: 'api-fn',
        runtime: 'Custom Image',
        handler: '-',
        memory_size: 256,
        timeout: 30,
        code_type: 'Custom-Image-Swr',
        custom_image: { enabled: true, image: `${repository}:old`, command: '/bin/httpd', args: '-f,-p,8000', working_dir: '/www', uid: '1003', gid: '1003' },
      },
      { func_name: 'zip-fn', runtime: 'Python3.9', handler: 'index.handler', memory_size: 128, timeout: 3, code_type: 'zip' },
    ],
    clusters: [{ id: CLUSTER_ID, kubeconfig: JSON.parse(kube.kubeconfig({ format: 'json' })) as object }],
  });
  const trigger = await startTriggerReceiver({ token: TRIGGER_TOKEN });
  return {
    huawei,
    kube,
    trigger,
    functionUrn: `urn:fss:${bed.region}:${PROJECT_ID}:function:default:api-fn`,
    endpoints: `functiongraph=${huawei.url}\niam=${huawei.url}\ncce=${huawei.url}`,
    untouched: () => huawei.calls.length === 0 && kube.calls.length === 0 && trigger.attempts === 0,
    close: async () => {
      await Promise.all([huawei.close(), kube.close(), trigger.close()]);
    },
  };
}
