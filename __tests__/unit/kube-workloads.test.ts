import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseWorkloads } from '../../src/domain/targets/kubernetes-workloads.js';

describe('parseWorkloads: valid lines', () => {
  it('reads deployments and statefulsets, with and without a container, normalising the kind', () => {
    const { workloads, errors } = parseWorkloads(
      [
        'prod/deployment/web',
        '  prod/deployments/web:app  ',
        '',
        '# the database',
        'data/StatefulSet/pg.primary:postgres',
        'data/statefulsets/cache-0',
      ].join('\r\n'),
    );
    assert.deepEqual(errors, []);
    assert.deepEqual(workloads, [
      { namespace: 'prod', kind: 'deployment', name: 'web', text: 'prod/deployment/web' },
      { namespace: 'prod', kind: 'deployment', name: 'web', container: 'app', text: 'prod/deployments/web:app' },
      { namespace: 'data', kind: 'statefulset', name: 'pg.primary', container: 'postgres', text: 'data/StatefulSet/pg.primary:postgres' },
      { namespace: 'data', kind: 'statefulset', name: 'cache-0', text: 'data/statefulsets/cache-0' },
    ]);
  });

  it('nothing in, nothing out', () => {
    assert.deepEqual(parseWorkloads(''), { workloads: [], errors: [] });
    assert.deepEqual(parseWorkloads('\n  \n# none yet\n'), { workloads: [], errors: [] });
  });
});

describe('parseWorkloads: each bad line is one error with its fix', () => {
  const cases: [line: string, expected: RegExp][] = [
    ['web', /is not namespace\/kind\/name\[:container\]: e\.g\. prod\/deployment\/web/],
    ['prod/web', /is not namespace\/kind\/name/],
    ['prod/deployment/web/extra', /is not namespace\/kind\/name/],
    ['prod/daemonset/agent', /has kind "daemonset": imageship rolls out deployment or statefulset workloads only/],
    ['prod/deploy/web', /uses the short kind "deploy": write deployment/],
    ['prod/sts/db', /uses the short kind "sts": write statefulset/],
    ['prod//web', /has no kind: use deployment or statefulset/],
    ['Prod/deployment/web', /has namespace "Prod" with capital letters: .*write "prod"/],
    ['my.ns/deployment/web', /has namespace "my\.ns", which is not a valid Kubernetes name: use lowercase letters, digits and "-"/],
    ['/deployment/web', /has an empty namespace/],
    ['prod/deployment/', /has an empty name/],
    ['prod/deployment/-web', /has name "-web", which is not a valid Kubernetes name/],
    ['prod/deployment/web_api', /has name "web_api", which is not a valid Kubernetes name: use lowercase letters, digits, "-" and "\."/],
    ['prod/deployment/web:', /has an empty container after ":"/],
    ['prod/deployment/web:App', /has container "App" with capital letters/],
    ['prod/deployment/web:app.v1', /has container "app\.v1", which is not a valid Kubernetes name/],
    ['prod / deployment / web', /contains spaces/],
    [`prod/deployment/${'a'.repeat(254)}`, /has a name longer than 253 characters/],
    [`${'n'.repeat(64)}/deployment/web`, /has a namespace longer than 63 characters/],
  ];

  for (const [line, expected] of cases) {
    it(JSON.stringify(line.length > 40 ? `${line.slice(0, 40)}…` : line), () => {
      const { workloads, errors } = parseWorkloads(`prod/deployment/ok\n${line}\n`);
      assert.equal(workloads.length, 1, 'the good line is still read');
      assert.equal(errors.length, 1);
      const [error = ''] = errors;
      const shown = line.length > 80 ? `${line.slice(0, 80)}…` : line;
      assert.ok(error.startsWith(`workloads: "${shown}" `), error);
      assert.ok(!error.includes('\n'));
      assert.match(error, expected);
    });
  }

  it('the same workload and container twice', () => {
    const { workloads, errors } = parseWorkloads('prod/deployment/web:app\nprod/deployments/web:app\nprod/deployment/web:sidecar');
    assert.equal(workloads.length, 2);
    assert.deepEqual(errors, ['workloads: "prod/deployments/web:app" is listed twice: remove one']);
  });
});
