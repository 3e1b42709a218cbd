import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkOrganization, checkRegion, checkRegistryHost, checkRepository, checkTag } from '../../src/config/naming.js';

test('valid names pass', () => {
  for (const region of ['cn-north-4', 'ap-southeast-1', 'la-south-2', 'eu-west-101', 'cn-southwest-2', 'ru-moscow-1']) assert.equal(checkRegion(region), undefined, region);
  for (const org of ['a', 'my-org', 'my.org', 'my_org', 'my__org', 'team1', `a${'b'.repeat(63)}`]) assert.equal(checkOrganization(org), undefined, org);
  for (const repo of ['app', 'team/app', 'a.b-c_d', 'x/y/z', 'app__v2', '9app']) assert.equal(checkRepository(repo), undefined, repo);
  for (const tag of ['latest', 'v1.2.3', '_x', 'sha-0123abc', 'a'.repeat(128)]) assert.equal(checkTag(tag), undefined, tag);
  for (const host of ['swr.cn-north-4.myhuaweicloud.com', '127.0.0.1:5101', 'localhost:5000', '[::1]:5000']) assert.equal(checkRegistryHost(host), undefined, host);
});

test('invalid names say what is wrong', () => {
  assert.match(checkOrganization('my___org') ?? '', /adjacent separators "___"/);
  assert.match(checkOrganization('my_-org') ?? '', /adjacent/);
  assert.match(checkOrganization('my org') ?? '', /contains " "/);
  assert.match(checkOrganization('') ?? '', /1 to 64/);
  assert.match(checkRepository('app/') ?? '', /empty path component/);
  assert.match(checkRepository('-app') ?? '', /start and end with a letter or digit/);
  assert.match(checkRepository('a'.repeat(129)) ?? '', /1 to 128/);
  assert.match(checkRepository('team/App') ?? '', /use "team\/app"/);
  assert.match(checkTag('.hidden') ?? '', /not a valid tag/);
  assert.match(checkTag('a'.repeat(129)) ?? '', /not a valid tag/);
  assert.match(checkTag('a/b') ?? '', /not a valid tag/);
  assert.match(checkRegistryHost('http://x.example.com/path') ?? '', /use "x.example.com"/);
  assert.match(checkRegistryHost('bad host') ?? '', /not a registry host/);
  assert.match(checkRegion('cn_north_4') ?? '', /not a Huawei Cloud region id/);
});
