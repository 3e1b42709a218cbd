import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isDockerFreeRun } from '../../src/action/docker-free-run.js';

describe('isDockerFreeRun: which runs skip the docker probe', () => {
  it('copy, merge and deploy-only inputs select a registry-to-registry run', () => {
    assert.equal(isDockerFreeRun({ 'INPUT_SOURCE-IMAGE': 'docker.io/library/busybox:1' }), true);
    assert.equal(isDockerFreeRun({ 'INPUT_MERGE-DIGESTS': 'sha256:aa\nsha256:bb' }), true);
    assert.equal(isDockerFreeRun({ 'INPUT_DEPLOY-IMAGE': 'swr.cn-north-4.myhuaweicloud.com/o/a:1' }), true);
  });

  it('a package run assembles the image through the registry API: no docker probe', () => {
    assert.equal(isDockerFreeRun({ INPUT_PACKAGE: 'target/app-1.0.jar' }), true);
  });

  it('a build, or inputs left empty by action.yml defaults, still probe docker', () => {
    assert.equal(isDockerFreeRun({}), false);
    assert.equal(isDockerFreeRun({ 'INPUT_SOURCE-IMAGE': '  ', 'INPUT_MERGE-DIGESTS': '', INPUT_IMAGE: 'app', INPUT_CONTEXT: '.' }), false);
  });
});
