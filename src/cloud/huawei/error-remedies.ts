/**
 * What a user can do about a Huawei Cloud error code. The cloud's own message
 * says what went wrong; these say what to change. Codes come from the API
 * Gateway ("APIGW.xxxx", older "APIG.xxxx"), FunctionGraph ("FSS.xxxx") and
 * CCE ("CCE.xxxxxxxx") error-code tables; an unknown code gets no remedy and
 * the cloud's message stands alone.
 */

const CHECK_REGION = 'check region and the endpoints input (service=url)';

/** Keyed by the number after "APIGW." / "APIG.": both prefixes are in use for the same gateway. */
const GATEWAY_REMEDIES: ReadonlyMap<string, string> = new Map([
  ['0101', `the API was not found at this endpoint: ${CHECK_REGION}`],
  [
    '0301',
    'the AK/SK signature was rejected: check that secret-key belongs to access-key (no stray spaces), ' +
      'and the runner clock: a request more than 15 minutes off is rejected; ' +
      'after 5 failures in a row the AK is locked for 5 minutes',
  ],
  ['0302', 'this IAM user may not call the API: grant it the service permission in IAM for this project'],
  ['0303', 'app authentication failed: check the app key/secret and the runner clock (more than 15 minutes off is rejected)'],
  ['0304', 'the app is not authorized to call this API: authorize it in API Gateway'],
  ['0305', 'the gateway rejected the authentication information: check access-key and secret-key'],
  ['0306', 'an access-control policy denies this request: check the API Gateway access control of this API'],
  ['0307', 'the token is no longer valid: sign in again'],
  ['0308', 'throttled by API Gateway: wait a few seconds and retry, or make fewer calls'],
]);

const CODE_REMEDIES: ReadonlyMap<string, string> = new Map([
  // FunctionGraph
  ['FSS.0401', 'the request was not authenticated: check access-key and secret-key'],
  [
    'FSS.0403',
    'no permission: grant the IAM user FunctionGraph FullAccess in this region, and check that the project in the URN is the AK\'s project',
  ],
  ['FSS.0404', "function not found: check the URN's region, project id, package and name (copy it from the function's page)"],
  ['FSS.1051', "function not found: check the URN's region, project id, package and name (copy it from the function's page)"],
  ['FSS.0409', 'conflict with the function\'s current state (another change may be in progress): retry later'],
  ['FSS.0429', 'too many requests to FunctionGraph: retry later'],
  ['FSS.0500', 'FunctionGraph had an internal error: retry later'],
  ['FSS.0503', 'FunctionGraph is unavailable: retry later'],
  // CCE
  ['CCE.01400001', 'CCE rejected the request: check the fields the message names'],
  ['CCE.01401001', 'CCE could not authenticate the request: check access-key and secret-key'],
  ['CCE.01403001', 'no permission on this cluster: grant the IAM user CCE permissions (e.g. CCE Administrator) in this project'],
  ['CCE.01404001', `cluster not found: check cluster-id, the project and ${CHECK_REGION}`],
  ['CCE.01409001', 'conflict with the cluster\'s current state: retry later'],
  ['CCE.01429002', 'the cluster is locked by another request: retry later'],
  ['CCE.01429003', 'too many concurrent CCE jobs: retry later'],
  ['CCE.02429001', 'throttled by CCE: retry later'],
]);

/** The remedy for `code`, or undefined when imageship knows none. */
export function remedyFor(code: string): string | undefined {
  const gateway = /^APIGW?\.(\d{4})$/.exec(code);
  if (gateway) return GATEWAY_REMEDIES.get(gateway[1] as string);
  const known = CODE_REMEDIES.get(code);
  if (known !== undefined) return known;
  // FSS.0400 and FSS.1xxx are all "this field of the request is invalid"; the message names the field.
  if (code === 'FSS.0400' || /^FSS\.1\d{3}$/.test(code)) return 'FunctionGraph rejected a request field: correct the one the message names';
  return undefined;
}
