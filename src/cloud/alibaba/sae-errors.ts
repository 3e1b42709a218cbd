/** What to do about SAE's documented error codes for DeployApplication and DescribeChangeOrder. */
export const SAE_REMEDIES: ReadonlyMap<string, string> = new Map([
  ['InvalidApplication.NotFound', 'no SAE application with this id in this region: check sae-app-id (the application id on its Basic Information page) and region'],
  ['Application.ChangerOrderRunning', 'another change of this application is in progress: wait for it to finish (or abort it in the SAE console) and run again'],
  ['Application.InvalidStatus', 'the application is in an abnormal state: check it in the SAE console, then run again'],
  ['Application.NotDeployYet', 'the application has not been deployed once yet: deploy it once in the SAE console'],
  ['InvalidParameter.NotEmpty', 'a required parameter was empty: check sae-app-id'],
  ['Resouce.no.permission', 'the RAM user or role may not change this application: grant it sae:DeployApplication and sae:DescribeChangeOrder (e.g. the AliyunSAEFullAccess policy)'],
  ['InvalidChangeOrder.NotFound', 'the change order is unknown to SAE: it may belong to another region; check region'],
]);
