/** Names of Alibaba Cloud deploy targets, checked before anything runs (config/ reads them; cloud/alibaba acts on them). */

/** FC 3.0's rule (CreateFunctionInput.functionName): 1-64 letters, digits, `_` and `-`, not starting with a digit or `-`. */
const FUNCTION_NAME = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;
/** A function carried over from an FC 2.0 service is named `service$function` (service names: 1-128 of the same). */
const MIGRATED_FUNCTION_NAME = /^[A-Za-z_][A-Za-z0-9_-]{0,127}\$[A-Za-z_][A-Za-z0-9_-]{0,63}$/;

/** A problem with a `fc-function` name, or undefined when it is valid. */
export function checkFcFunctionName(name: string): string | undefined {
  if (FUNCTION_NAME.test(name) || MIGRATED_FUNCTION_NAME.test(name)) return undefined;
  return `"${name}" is not a Function Compute function name: 1-64 letters, digits, "_" or "-", not starting with a digit or "-" (service$function for one carried over from FC 2.0; no qualifier or ARN)`;
}

const APP_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function checkSaeAppId(appId: string): string | undefined {
  if (APP_ID.test(appId)) return undefined;
  return `"${appId}" is not an SAE application id (a UUID such as 7171a6ca-d1cd-4928-8642-7d5cfe69a2b1, on the application's Basic Information page)`;
}
