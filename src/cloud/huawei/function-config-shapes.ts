/**
 * The shapes of a FunctionGraph function configuration, checked before
 * imageship writes it back. UpdateFunctionConfig is a read-modify-write of
 * the whole configuration: whatever the GET answered goes back in the PUT.
 * A value of the wrong kind would be written back mangled (a string spread
 * into an object becomes {"0":"n","1":"g",…}) or wipe a setting, so a
 * configuration that does not have the documented shape is refused, naming
 * the field, what was expected and what came, before anything is written.
 */

type Kind = 'string' | 'integer' | 'boolean' | 'object';

/**
 * UpdateFunctionConfig's request fields and their types: every field of the
 * documented model (UpdateFunctionConfigRequestBody, functiongraph SDK
 * 3.1.211), in its order. This is the one list the read-modify-write sends
 * back: the update resets what it is not sent, so each field the show answer
 * carries and the update accepts must be here (a unit test reads the SDK's
 * model classes and fails otherwise). The last five of the model's fields
 * (extend_config, log_config, domain_names, restore_hook_*) are not in
 * ShowFunctionConfigResponse; they are sent back only when an answer
 * happens to carry them.
 */
export const WRITABLE_FIELD_KINDS: Readonly<Record<string, Kind>> = Object.freeze({
  func_name: 'string',
  runtime: 'string',
  timeout: 'integer',
  handler: 'string',
  memory_size: 'integer',
  gpu_memory: 'integer',
  gpu_type: 'string',
  user_data: 'string',
  encrypted_user_data: 'string',
  xrole: 'string',
  app_xrole: 'string',
  description: 'string',
  func_vpc: 'object',
  peering_cidr: 'string',
  mount_config: 'object',
  strategy_config: 'object',
  custom_image: 'object',
  extend_config: 'string',
  initializer_handler: 'string',
  initializer_timeout: 'integer',
  pre_stop_handler: 'string',
  pre_stop_timeout: 'integer',
  ephemeral_storage: 'integer',
  enterprise_project_id: 'string',
  log_config: 'object',
  network_controller: 'object',
  is_stateful_function: 'boolean',
  enable_dynamic_memory: 'boolean',
  enable_auth_in_header: 'boolean',
  domain_names: 'string',
  restore_hook_handler: 'string',
  restore_hook_timeout: 'integer',
  heartbeat_handler: 'string',
  enable_class_isolation: 'boolean',
  enable_lts_log: 'boolean',
  lts_custom_tag: 'object',
  user_data_encrypt_kms_key_id: 'string',
});

/** The writable fields, in the model's order. */
export const WRITABLE_FIELDS: readonly string[] = Object.freeze(Object.keys(WRITABLE_FIELD_KINDS));

/** custom_image's own fields (CustomImage in the API reference). */
const CUSTOM_IMAGE_FIELD_KINDS: Readonly<Record<string, Kind>> = Object.freeze({
  enabled: 'boolean',
  image: 'string',
  command: 'string',
  args: 'string',
  working_dir: 'string',
  uid: 'string',
  gid: 'string',
  is_public: 'boolean',
});

/** custom_image's fields, as the CustomImage model lists them. */
export const CUSTOM_IMAGE_FIELDS: readonly string[] = Object.freeze(Object.keys(CUSTOM_IMAGE_FIELD_KINDS));

/**
 * Throws one Error naming the first field whose value is not of its
 * documented kind (null and absent fields are not written back, so they
 * pass). `operation` names the call in the message.
 */
export function checkWritableShapes(config: Readonly<Record<string, unknown>>, operation: string): void {
  const refuse = (field: string, expected: string, value: unknown): never => {
    throw new Error(
      `${operation}: the function configuration the API returned has ${field} as ${describeValue(value)}, not ${expected}; ` +
        'nothing was written (writing it back would corrupt the function): check the function in the FunctionGraph console, or re-create it from a container image',
    );
  };
  for (const [field, kind] of Object.entries(WRITABLE_FIELD_KINDS)) {
    const value = config[field];
    if (value !== undefined && value !== null && !isKind(value, kind)) refuse(JSON.stringify(field), article(kind), value);
  }
  const image = config['custom_image'];
  if (image === undefined || image === null) return;
  const record = image as Record<string, unknown>;
  for (const [field, kind] of Object.entries(CUSTOM_IMAGE_FIELD_KINDS)) {
    const value = record[field];
    if (value !== undefined && value !== null && !isKind(value, kind)) refuse(`"custom_image.${field}"`, article(kind), value);
  }
  if (typeof record['image'] !== 'string' || record['image'] === '') refuse('"custom_image.image"', 'an image reference', record['image']);
}

function isKind(value: unknown, kind: Kind): boolean {
  switch (kind) {
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return typeof value === 'number' && Number.isSafeInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
  }
}

function article(kind: Kind): string {
  return kind === 'integer' ? 'an integer' : kind === 'object' ? 'an object' : `a ${kind}`;
}

/** `a string ("nginx:1")`, `an array of 2`, `null`: what came, briefly (a value from the API, shown cut short). */
function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'missing';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'string') return `a string (${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)})`;
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value} (${String(value)})`;
}
