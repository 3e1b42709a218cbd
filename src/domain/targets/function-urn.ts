/**
 * FunctionGraph function URNs (`urn:fss:{region}:{project_id}:function:{package}:{name}[:{version}]`), checked
 * while the config is parsed and split when a deploy calls the function's config API.
 */

const EXPECTED_FORM = 'urn:fss:{region}:{project_id}:function:{package}:{name}[:{version}]';
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const PROJECT_ID = /^[0-9a-f]{32}$/;
/** FunctionGraph's rule: 1–60 letters, digits, '_' or '-', starting with a letter, ending with a letter or digit. */
const FUNCTION_NAME = /^[A-Za-z](?:[A-Za-z0-9_-]{0,58}[A-Za-z0-9])?$/;
const PACKAGE = /^[A-Za-z0-9_-]{1,64}$/;
/** `latest`, a published version, or an alias (`!alias`). */
const VERSION = /^!?[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export interface FunctionUrn {
  region: string;
  projectId: string;
  package: string;
  name: string;
  version?: string;
  /** The URN without a version: what the config API is called with. */
  unversioned: string;
}

/** Throws an Error naming the URN and the expected form when it is not a FunctionGraph function URN. */
export function parseFunctionUrn(urn: string): FunctionUrn {
  const fail = (why: string): never => {
    throw new Error(`function-urn: "${urn}" ${why}; expected ${EXPECTED_FORM}, as shown on the function's page`);
  };
  const parts = urn.trim().split(':');
  if (parts.length !== 7 && parts.length !== 8) fail(`has ${parts.length} ':'-separated parts, not 7 or 8`);
  const [urnWord, fss, region, projectId, functionWord, pkg, name, version] = parts as [
    string, string, string, string, string, string, string, string | undefined,
  ];
  if (urnWord !== 'urn' || fss !== 'fss' || functionWord !== 'function') fail('is not a FunctionGraph function URN');
  if (!REGION.test(region)) fail(`has region "${region}", not a region id like cn-north-4`);
  if (!PROJECT_ID.test(projectId)) fail(`has project id "${projectId}", not 32 lower-case hex characters`);
  if (!PACKAGE.test(pkg)) fail(`has package "${pkg}", not 1-64 letters, digits, '_' or '-'`);
  if (!FUNCTION_NAME.test(name)) {
    fail(`has function name "${name}": a name is 1-60 letters, digits, '_' or '-', starts with a letter and ends with a letter or digit`);
  }
  if (version !== undefined && !VERSION.test(version)) fail(`has version "${version}", not latest, a version or an !alias`);
  return {
    region,
    projectId,
    package: pkg,
    name,
    ...(version === undefined ? {} : { version }),
    unversioned: `urn:fss:${region}:${projectId}:function:${pkg}:${name}`,
  };
}
