import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { imageRepository } from '../../src/deploy/kubernetes/containers.js';
import type { WorkloadObject } from '../../src/deploy/kubernetes/resources.js';
import { describeWorkloadStatus, rolloutState } from '../../src/deploy/kubernetes/rollout-status.js';

function deployment(replicas: number | undefined, status: NonNullable<WorkloadObject['status']>, generation = 2): WorkloadObject {
  return { metadata: { generation }, spec: { ...(replicas === undefined ? {} : { replicas }) }, status };
}

function statefulSet(status: NonNullable<WorkloadObject['status']>, strategy: NonNullable<WorkloadObject['spec']>['updateStrategy'] = { type: 'RollingUpdate' }): WorkloadObject {
  return { metadata: { generation: 3 }, spec: { replicas: 3, updateStrategy: strategy }, status: { observedGeneration: 3, ...status } };
}

describe('rolloutState: deployments, as kubectl rollout status judges them', () => {
  it('waits until the controller has observed the new generation, whatever the counts say', () => {
    const state = rolloutState('deployment', deployment(2, { observedGeneration: 1, replicas: 2, updatedReplicas: 2, availableReplicas: 2 }));
    assert.equal(state.phase, 'waiting');
  });

  it('walks through updated, old replicas terminating, available, done', () => {
    const steps: [NonNullable<WorkloadObject['status']>, string][] = [
      [{ observedGeneration: 2, replicas: 3, updatedReplicas: 1, availableReplicas: 2 }, '1 of 2 replicas updated'],
      [{ observedGeneration: 2, replicas: 3, updatedReplicas: 2, availableReplicas: 2 }, '1 old replica pending termination'],
      [{ observedGeneration: 2, replicas: 2, updatedReplicas: 2, availableReplicas: 1 }, '1 of 2 updated replicas available'],
    ];
    for (const [status, detail] of steps) assert.deepEqual(rolloutState('deployment', deployment(2, status)), { phase: 'waiting', detail });
    assert.equal(rolloutState('deployment', deployment(2, { observedGeneration: 2, replicas: 2, updatedReplicas: 2, availableReplicas: 2 })).phase, 'done');
  });

  it('replicas default to 1; zero replicas is done at once', () => {
    assert.equal(rolloutState('deployment', deployment(undefined, { observedGeneration: 2 })).phase, 'waiting');
    assert.equal(rolloutState('deployment', deployment(0, { observedGeneration: 2 })).phase, 'done');
  });

  it('ProgressDeadlineExceeded fails, with the condition message', () => {
    const state = rolloutState(
      'deployment',
      deployment(2, {
        observedGeneration: 2,
        updatedReplicas: 1,
        conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "web-1" has timed out progressing.' }],
      }),
    );
    assert.deepEqual(state, { phase: 'failed', detail: 'progress deadline exceeded: ReplicaSet "web-1" has timed out progressing.' });
  });
});

describe('rolloutState: statefulsets', () => {
  it('needs every replica updated and ready and the update revision current', () => {
    assert.equal(rolloutState('statefulset', statefulSet({ updatedReplicas: 2, readyReplicas: 3, currentRevision: 'a', updateRevision: 'b' })).phase, 'waiting');
    assert.equal(rolloutState('statefulset', statefulSet({ updatedReplicas: 3, readyReplicas: 2, currentRevision: 'a', updateRevision: 'b' })).phase, 'waiting');
    assert.deepEqual(rolloutState('statefulset', statefulSet({ updatedReplicas: 3, readyReplicas: 3, currentRevision: 'a', updateRevision: 'b' })), {
      phase: 'waiting',
      detail: 'waiting for revision b to become current',
    });
    assert.equal(rolloutState('statefulset', statefulSet({ updatedReplicas: 3, readyReplicas: 3, currentRevision: 'b', updateRevision: 'b' })).phase, 'done');
  });

  it('a partition only expects the pods above it to move', () => {
    const partitioned = { type: 'RollingUpdate', rollingUpdate: { partition: 2 } };
    assert.equal(rolloutState('statefulset', statefulSet({ updatedReplicas: 0, readyReplicas: 3 }, partitioned)).phase, 'waiting');
    const done = rolloutState('statefulset', statefulSet({ updatedReplicas: 1, readyReplicas: 3, currentRevision: 'a', updateRevision: 'b' }, partitioned));
    assert.deepEqual(done, { phase: 'done', detail: '1 of 3 replicas updated and ready, 2 held back by partition', podsUpdated: true });
  });

  it('OnDelete: done once observed, pods not updated', () => {
    const state = rolloutState('statefulset', statefulSet({ updatedReplicas: 0 }, { type: 'OnDelete' }));
    assert.equal(state.phase, 'done');
    assert.equal(state.phase === 'done' && state.podsUpdated, false);
  });
});

describe('describeWorkloadStatus', () => {
  it('lists counts, generations and every condition on one line', () => {
    const text = describeWorkloadStatus('deployment', {
      metadata: { generation: 4 },
      spec: { replicas: 3, paused: true },
      status: {
        observedGeneration: 3,
        replicas: 4,
        updatedReplicas: 1,
        readyReplicas: 3,
        availableReplicas: 3,
        conditions: [
          { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'ok' },
          { type: 'Progressing', status: 'Unknown' },
        ],
      },
    });
    assert.equal(
      text,
      'replicas: 3 desired, 1 updated, 3 ready, 3 available, 4 total; observed generation 3 of 4; spec.paused is true (kubectl rollout resume); conditions: Available=True (MinimumReplicasAvailable: ok); Progressing=Unknown',
    );
    assert.match(describeWorkloadStatus('statefulset', {}), /conditions: \(none\)$/);
  });
});

describe('imageRepository', () => {
  it('strips tag and digest, never a registry port', () => {
    assert.equal(imageRepository('swr.example.com/team/app:1.0'), 'swr.example.com/team/app');
    assert.equal(imageRepository(`registry:5000/team/app:1.0@sha256:${'a'.repeat(64)}`), 'registry:5000/team/app');
    assert.equal(imageRepository(`registry:5000/team/app@sha256:${'a'.repeat(64)}`), 'registry:5000/team/app');
    assert.equal(imageRepository('registry:5000/team/app'), 'registry:5000/team/app');
    assert.equal(imageRepository('nginx'), 'nginx');
  });
});
