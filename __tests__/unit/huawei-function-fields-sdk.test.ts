/**
 * The FunctionGraph read-modify-write against the official SDK's model
 * classes (devDependency @huaweicloud/huaweicloud-sdk-functiongraph, pinned):
 * every field that ShowFunctionConfigResponse carries and
 * UpdateFunctionConfigRequestBody accepts must be sent back by updateBody,
 * because UpdateFunctionConfig resets what it is not sent. A field the SDK
 * adds to both models fails this test until imageship sends it back.
 *
 * The model's wire names are read by calling each `with…` setter of a fresh
 * instance and listing the keys it wrote; the value kinds from the setters'
 * parameter types in the model's .d.ts.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { CUSTOM_IMAGE_FIELDS, WRITABLE_FIELD_KINDS, WRITABLE_FIELDS, checkWritableShapes } from '../../src/cloud/huawei/function-config-shapes.js';
import { updateBody, type FunctionConfig } from '../../src/cloud/huawei/functiongraph.js';

const require = createRequire(import.meta.url);
const SDK = '@huaweicloud/huaweicloud-sdk-functiongraph';
const SDK_VERSION = '3.1.211';
const MODEL_DIR = join(dirname(require.resolve(`${SDK}/package.json`)), 'v2', 'model');

type ModelClass = new () => Record<string, unknown>;

/** The JSON names a model writes: each `withX(value)` setter stores under its wire name. */
function wireFields(className: string): string[] {
  const module = require(join(MODEL_DIR, `${className}.js`)) as Record<string, ModelClass>;
  const Model = module[className];
  assert.ok(Model, `${className} is exported by ${SDK}`);
  const instance = new Model();
  const marker = Symbol('set');
  for (const name of Object.getOwnPropertyNames(Model.prototype)) {
    if (!/^with[A-Z]/.test(name)) continue;
    (instance[name] as (value: unknown) => unknown).call(instance, marker);
  }
  return Object.keys(instance).filter((key) => instance[key] === marker);
}

/** `withGpuType(gpuType: string)` → the TypeScript type of each setter's parameter, by wire name. */
function declaredTypes(className: string, fields: readonly string[]): Map<string, string> {
  const declaration = readFileSync(join(MODEL_DIR, `${className}.d.ts`), 'utf8');
  const types = new Map<string, string>();
  for (const field of fields) {
    const setter = `with${field.split('_').map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join('')}`;
    const match = new RegExp(`\\b${setter}\\(\\w+: ([^)]*?)\\): ${className}`, 's').exec(declaration);
    if (match) types.set(field, (match[1] ?? '').replace(/\s+/g, ' ').trim());
  }
  return types;
}

describe(`FunctionGraph fields against ${SDK}@${SDK_VERSION}`, () => {
  const update = wireFields('UpdateFunctionConfigRequestBody');
  const show = wireFields('ShowFunctionConfigResponse');
  const roundTrip = update.filter((field) => show.includes(field));

  it('reads the pinned SDK version and finds the models', () => {
    const pkg = JSON.parse(readFileSync(require.resolve(`${SDK}/package.json`), 'utf8')) as { version: string };
    assert.equal(pkg.version, SDK_VERSION);
    assert.ok(update.length > 30 && show.length > 50, `update ${update.length} fields, show ${show.length}`);
    for (const field of ['gpu_type', 'peering_cidr', 'heartbeat_handler', 'enable_class_isolation', 'enable_lts_log', 'lts_custom_tag', 'user_data_encrypt_kms_key_id']) {
      assert.ok(roundTrip.includes(field), `${field} is in both models`);
    }
  });

  it('the writable list is exactly the update model, in its order (nothing the update does not accept is sent)', () => {
    assert.deepEqual([...WRITABLE_FIELDS], update);
  });

  it('every field of the show answer that the update accepts is sent back, with its value', () => {
    const current: Record<string, unknown> = {};
    for (const field of show) current[field] = sampleValue(WRITABLE_FIELD_KINDS[field] ?? 'string', field);
    current['custom_image'] = { enabled: true, image: 'swr.cn-north-4.myhuaweicloud.com/team/app:1', command: '/bin/app', is_public: false };
    checkWritableShapes(current, 'test');
    const body = updateBody(current as FunctionConfig, 'swr.cn-north-4.myhuaweicloud.com/team/app:2');
    const missing = roundTrip.filter((field) => field !== 'custom_image' && body[field] !== current[field]);
    assert.deepEqual(missing, [], 'fields the show answer carries and the update accepts, but the PUT would drop (UpdateFunctionConfig resets them)');
    assert.deepEqual(
      Object.keys(body).filter((field) => !update.includes(field)),
      [],
      'read-only fields of the show answer (func_urn, code_type, …) stay out of the PUT',
    );
    assert.deepEqual(body['custom_image'], { enabled: true, image: 'swr.cn-north-4.myhuaweicloud.com/team/app:2', command: '/bin/app', is_public: false });
  });

  it("each writable field's kind matches the SDK's declared type", () => {
    const types = declaredTypes('UpdateFunctionConfigRequestBody', update);
    const expected = (type: string): string =>
      type === 'string' || /Enum \| string$/.test(type) ? 'string' : type === 'number' ? 'integer' : type === 'boolean' ? 'boolean' : 'object';
    const wrong = update.filter((field) => types.has(field) && WRITABLE_FIELD_KINDS[field] !== expected(types.get(field) as string));
    assert.deepEqual(wrong.map((field) => `${field}: ${WRITABLE_FIELD_KINDS[field]} vs ${types.get(field)}`), []);
    assert.equal(types.size, update.length, 'every setter was found in the .d.ts');
  });

  it('custom_image keeps every field of the CustomImage model', () => {
    assert.deepEqual([...CUSTOM_IMAGE_FIELDS].sort(), wireFields('CustomImage').sort());
  });
});

function sampleValue(kind: string, field: string): unknown {
  switch (kind) {
    case 'integer':
      return 7;
    case 'boolean':
      return true;
    case 'object':
      return { [`${field}_key`]: 'value' };
    default:
      return `${field}-value`;
  }
}
