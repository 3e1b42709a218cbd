/**
 * What to do about Function Compute 3.0's documented error codes (the
 * gateway's own codes, signature, AccessKey, clock, STS, come from
 * api-errors.ts).
 */
export const FC_REMEDIES: ReadonlyMap<string, string> = new Map([
  ['FunctionNotFound', 'no function with this name in this region: check fc-function (the function name, not its ARN) and region; imageship updates functions, it does not create them'],
  ['InvalidArgument', 'Function Compute refused the new configuration: check that the image is in Container Registry in the same region and account, that instance-id is set for an Enterprise Edition registry, and the message above'],
  ['AccessDenied', 'the RAM user or role may not do this: grant it fc:GetFunction and fc:UpdateFunction on the function (e.g. the AliyunFCFullAccess policy)'],
  ['Forbidden.RAM', 'the RAM user or role may not do this: grant it fc:GetFunction and fc:UpdateFunction on the function (e.g. the AliyunFCFullAccess policy)'],
  ['SignatureNotMatch', 'the access-key-secret does not match the AccessKey ID: copy the secret again, without spaces or line breaks'],
  ['InvalidAccessKeyID', 'the AccessKey ID is wrong or was deleted: check access-key-id'],
  ['ConcurrentUpdateError', 'another update of this function is in progress: wait for it to finish and run again'],
  ['ResourceThrottled', 'throttled by Function Compute: wait a little and retry'],
]);
