/**
 * The per-service, per-region endpoint table against its source of truth:
 * the region files of the official SDK packages (devDependencies, pinned).
 * Read here on their own (not through the generator script), so a table
 * edited by hand or left behind by an SDK bump fails; then the routing:
 * endpoints override, another domain uses the pattern, the default domain
 * the table.
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import { SDK_ENDPOINTS } from '../../src/domain/targets/endpoint-table.js';
import { DEFAULT_DOMAIN, huaweiEndpoint, swrDomain } from '../../src/domain/targets/huawei-endpoints.js';
import { deriveSwrLogin } from '../../src/domain/swr-login.js';
import { parseInputs, VALID_SWR_INPUTS } from '../helpers/config-input.js';

const require = createRequire(import.meta.url);
const NONE: ReadonlyMap<string, string> = new Map();

interface RegionLike {
  id: string;
  endpoints: string[];
}

/** Every region object a region class holds as a static field. */
function sdkRegions(modulePath: string, className: string): Map<string, string[]> {
  const cls = (require(modulePath) as Record<string, Record<string, unknown>>)[className];
  assert.ok(cls, `${className} in ${modulePath}`);
  const regions = new Map<string, string[]>();
  for (const value of Object.values(cls)) {
    const candidates = value instanceof Map ? [...value.values()] : value !== null && typeof value === 'object' && !Array.isArray(value) ? [value, ...Object.values(value)] : [];
    for (const candidate of candidates as RegionLike[]) {
      if (candidate && typeof candidate.id === 'string' && Array.isArray(candidate.endpoints)) regions.set(candidate.id, candidate.endpoints);
    }
  }
  return regions;
}

const SOURCES = [
  { service: 'cce', module: '@huaweicloud/huaweicloud-sdk-cce/v3/CceRegion.js', cls: 'CceRegion' },
  { service: 'functiongraph', module: '@huaweicloud/huaweicloud-sdk-functiongraph/v2/FunctionGraphRegion.js', cls: 'FunctionGraphRegion' },
  { service: 'iam', module: '@huaweicloud/huaweicloud-sdk-iam/v3/IamRegion.js', cls: 'IamRegion' },
  { service: 'swr-api', module: '@huaweicloud/huaweicloud-sdk-swr/v2/SwrRegion.js', cls: 'SwrRegion' },
] as const;

describe('the endpoint table is the SDKs\' region files', () => {
  for (const source of SOURCES) {
    it(`${source.service}: every region and endpoint of ${source.cls}`, () => {
      const regions = sdkRegions(source.module, source.cls);
      assert.ok(regions.size >= 15, `${source.cls} lists ${regions.size} regions`);
      const fromSdk = Object.fromEntries([...regions].map(([id, endpoints]) => [id, endpoints[0]]).sort(([a], [b]) => (String(a) < String(b) ? -1 : 1)));
      assert.deepEqual({ ...SDK_ENDPOINTS[source.service] }, fromSdk, 'regenerate with node scripts/gen-huawei-endpoints.mjs');
      for (const [region, url] of Object.entries(fromSdk)) assert.match(String(url), new RegExp(`^https://${source.service}\\.${region}\\.`), 'each is the service host of its region');
    });
  }

  it('names no service the SDKs do not', () => {
    assert.deepEqual(Object.keys(SDK_ENDPOINTS).sort(), SOURCES.map((s) => s.service).sort());
  });
});

describe('huaweiEndpoint', () => {
  it('eu-west-101: swr-api and iam on myhuaweicloud.eu, functiongraph and cce on .com (the SDKs say so)', () => {
    assert.equal(huaweiEndpoint('swr-api', 'eu-west-101', DEFAULT_DOMAIN, NONE), 'https://swr-api.eu-west-101.myhuaweicloud.eu');
    assert.equal(huaweiEndpoint('iam', 'eu-west-101', DEFAULT_DOMAIN, NONE), 'https://iam.eu-west-101.myhuaweicloud.eu');
    assert.equal(huaweiEndpoint('functiongraph', 'eu-west-101', DEFAULT_DOMAIN, NONE), 'https://functiongraph.eu-west-101.myhuaweicloud.com');
    // The npm CCE SDK lists no eu-west-101: the pattern with the default domain.
    assert.equal(huaweiEndpoint('cce', 'eu-west-101', DEFAULT_DOMAIN, NONE), 'https://cce.eu-west-101.myhuaweicloud.com');
  });

  it('a region or service the SDKs do not list follows the pattern (cci has no npm SDK)', () => {
    assert.equal(huaweiEndpoint('cci', 'cn-north-4', DEFAULT_DOMAIN, NONE), 'https://cci.cn-north-4.myhuaweicloud.com');
    assert.equal(huaweiEndpoint('functiongraph', 'xx-new-9', DEFAULT_DOMAIN, NONE), 'https://functiongraph.xx-new-9.myhuaweicloud.com');
  });

  it('another domain uses the pattern for every service; endpoints override everything', () => {
    assert.equal(huaweiEndpoint('swr-api', 'eu-west-101', 'example-cloud.eu', NONE), 'https://swr-api.eu-west-101.example-cloud.eu');
    const overrides = new Map([['swr-api', 'http://127.0.0.1:9000']]);
    assert.equal(huaweiEndpoint('swr-api', 'eu-west-101', DEFAULT_DOMAIN, overrides), 'http://127.0.0.1:9000');
    assert.equal(huaweiEndpoint('iam', 'eu-west-101', DEFAULT_DOMAIN, overrides), 'https://iam.eu-west-101.myhuaweicloud.eu');
  });
});

describe('the SWR registry host follows the SWR API domain', () => {
  it('swrDomain', () => {
    assert.equal(swrDomain('eu-west-101', DEFAULT_DOMAIN), 'myhuaweicloud.eu');
    assert.equal(swrDomain('cn-north-4', DEFAULT_DOMAIN), 'myhuaweicloud.com');
    assert.equal(swrDomain('eu-west-101', 'other.example'), 'other.example');
  });

  it('region eu-west-101 pushes to swr.eu-west-101.myhuaweicloud.eu without a domain input', () => {
    const config = parseInputs({ ...VALID_SWR_INPUTS, region: 'eu-west-101' });
    assert.equal(config.registry, 'swr.eu-west-101.myhuaweicloud.eu');
    assert.equal(config.loginRegistry, 'swr.eu-west-101.myhuaweicloud.eu');
    assert.equal(deriveSwrLogin({ region: 'eu-west-101', accessKey: 'AK', secretKey: 'SK' }).registry, 'swr.eu-west-101.myhuaweicloud.eu');
    assert.equal(parseInputs({ ...VALID_SWR_INPUTS, region: 'cn-north-4' }).registry, 'swr.cn-north-4.myhuaweicloud.com');
  });
});
