import { ApiObject, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { AccessOperation, PolicySimulator, SimulatedAction, SimulatedEnforcer, SimulatorAssertions } from '../../src/simulator';
import { expectConformant } from '../conformance/harness';
import { SEED_MESSAGE, SEED_TAGS, seedAlert, seedManifests, seedPolicy } from '../fixtures/seed';

/** The seed's expected alert (test/fixtures/fim-use-case/expected-alert.json), restricted to the fields derivable from policy and request. */
const SEED_ALERT = {
  ATags: ['NIST', 'NIST_800-53_AU-2', 'NIST_800-53_SI-4', 'MITRE', 'MITRE_T1036_masquerading', 'MITRE_T1565_data_manipulation'],
  Action: 'Block',
  ContainerName: 'mysql',
  Enforcer: 'AppArmor',
  Labels: 'app=mysql',
  Message: 'Detected and prevented compromise to File integrity',
  NamespaceName: 'wordpress-mysql',
  Operation: 'File',
  PolicyName: 'harden-mysql-file-integrity-monitoring',
  ProcessName: '/bin/touch',
  Resource: '/sbin/file',
  Result: 'Permission denied',
  Severity: '1',
  Tags: 'NIST,NIST_800-53_AU-2,NIST_800-53_SI-4,MITRE,MITRE_T1036_masquerading,MITRE_T1565_data_manipulation',
  Type: 'MatchedPolicy',
  UID: 0,
};

const MYSQL = { namespace: 'wordpress-mysql', labels: { app: 'mysql' }, container: 'mysql' };

function seedSimulator(): PolicySimulator {
  const policy = seedPolicy();
  expectConformant(policy);
  return PolicySimulator.fromManifests([policy]);
}

describe('seed scenario (fim-use-case.md)', () => {
  test('the seed fixture object is the seed YAML, field for field', () => {
    expect(seedManifests()).toEqual([seedPolicy()]);
  });

  test('denies `touch /sbin/file` under AppArmor with exactly the seed alert', () => {
    const sim = seedSimulator();
    const res = sim.evaluate({ ...MYSQL, operation: AccessOperation.CREATE, path: '/sbin/file', process: '/bin/touch', enforcer: SimulatedEnforcer.APPARMOR });
    expect(res.permitted).toBe(false);
    expect(res.denied).toBe(true);
    expect(res.action).toBe(SimulatedAction.BLOCK);
    expect(res.result).toBe('Permission denied');
    expect(res.decidedBy).toBe('harden-mysql-file-integrity-monitoring');
    expect(res.toKubeArmorJson()).toEqual(SEED_ALERT);
    expect(res.alert).toEqual({
      type: 'MatchedPolicy',
      policyName: 'harden-mysql-file-integrity-monitoring',
      severity: '1',
      tags: SEED_TAGS.join(','),
      aTags: SEED_TAGS,
      message: SEED_MESSAGE,
      action: 'Block',
      result: 'Permission denied',
      enforcer: 'AppArmor',
      operation: 'File',
      resource: '/sbin/file',
      namespaceName: 'wordpress-mysql',
      labels: 'app=mysql',
      containerName: 'mysql',
      processName: '/bin/touch',
      parentProcessName: '',
      hostName: '',
      uid: 0,
    });
  });

  test('every field of the seed alert that the simulator predicts equals the seed file', () => {
    const expected = seedAlert();
    const res = seedSimulator().evaluate({ ...MYSQL, operation: AccessOperation.CREATE, path: '/sbin/file', process: '/bin/touch' });
    const predicted = res.toKubeArmorJson();
    for (const k of Object.keys(predicted)) expect([k, predicted[k]]).toEqual([k, expected[k]]);
  });

  test.each(['/sbin/file', '/usr/bin/ls', '/usr/lib/libc.so.6', '/boot/vmlinuz', '/bin/bash'])('`cat %s` passes with no alert', (path) => {
    const res = seedSimulator().evaluate({ ...MYSQL, operation: AccessOperation.READ, path, process: '/bin/cat' });
    expect(res.permitted).toBe(true);
    expect(res.action).toBe(SimulatedAction.NONE);
    expect(res.result).toBe('Passed');
    expect(res.alert).toBeUndefined();
    expect(res.toKubeArmorJson()).toBeUndefined();
  });

  test('denies the same touch under BPF-LSM with Enforcer BPFLSM and says path hooks need CONFIG_SECURITY_PATH', () => {
    const res = seedSimulator().evaluate({ ...MYSQL, operation: AccessOperation.CREATE, path: '/sbin/file', process: '/bin/touch', enforcer: SimulatedEnforcer.BPF_LSM });
    expect(res.permitted).toBe(false);
    expect(res.toKubeArmorJson()).toEqual({ ...SEED_ALERT, Enforcer: 'BPFLSM' });
    expect(res.caveats.join('\n')).toContain('CONFIG_SECURITY_PATH');
  });

  test('the seed policy does not touch other pods or namespaces', () => {
    const sim = seedSimulator();
    for (const who of [{ namespace: 'wordpress-mysql', labels: { app: 'wordpress' } }, { namespace: 'default', labels: { app: 'mysql' } }]) {
      const res = sim.evaluate({ ...who, operation: AccessOperation.CREATE, path: '/sbin/file', process: '/bin/touch' });
      expect([res.permitted, res.action, res.alert]).toEqual([true, SimulatedAction.NONE, undefined]);
    }
  });

  test('works from imported YAML', () => {
    const manifests = seedManifests();
    expectConformant(manifests);
    const sim = PolicySimulator.fromManifests(manifests);
    SimulatorAssertions.assertDenied(sim, { ...MYSQL, operation: AccessOperation.CREATE, path: '/sbin/file', process: '/bin/touch' },
      { policyName: 'harden-mysql-file-integrity-monitoring', severity: '1', result: 'Permission denied' });
  });
});

describe('PolicySimulator.fromScope', () => {
  function app() {
    const a = Testing.app();
    const chart = new Chart(a, 'shop', { namespace: 'shop' });
    // A writable root filesystem: with cdk8s-plus's default (read-only) the kernel refuses the writes first (EROFS, no alert).
    const deployment = new kplus.Deployment(chart, 'web', {
      containers: [{ image: 'nginx', name: 'web', portNumber: 80, securityContext: { readOnlyRootFilesystem: false } }],
    });
    deployment.podMetadata.addLabel('app', 'web');
    const manifest = {
      apiVersion: 'security.kubearmor.com/v1',
      kind: 'KubeArmorPolicy',
      metadata: { name: 'web-fim' },
      spec: {
        selector: { matchLabels: { app: 'web' } },
        file: { matchDirectories: [{ dir: '/etc/nginx/', recursive: true, readOnly: true }] },
        action: 'Block',
        severity: 5,
        message: 'nginx config is immutable',
        tags: ['PCI_DSS_10'],
      },
    };
    new ApiObject(chart, 'web-fim', manifest);
    return { a, chart, deployment };
  }

  test('synthesises the charts and reads workloads from cdk8s-plus', () => {
    const { a, chart, deployment } = app();
    const synthesised = chart.toJson();
    expectConformant(synthesised);
    const sim = PolicySimulator.fromScope(a);
    expect(sim.policyNames).toEqual(['web-fim']);
    expect(sim.workloads).toHaveLength(1);
    expect(sim.workloads[0].namespace).toBe('shop');
    expect(sim.workloads[0].labels?.app).toBe('web');
    expect(sim.workloads[0].containers).toEqual(['web']);
    expect(sim.workloadsSelectedBy('web-fim')).toHaveLength(1);

    const res = SimulatorAssertions.assertDenied(sim, { workload: deployment, operation: AccessOperation.WRITE, path: '/etc/nginx/nginx.conf', process: '/bin/sh' }, {
      policyName: 'web-fim',
      severity: '5',
      message: 'nginx config is immutable',
      tags: 'PCI_DSS_10',
      aTags: ['PCI_DSS_10'],
      namespaceName: 'shop',
      containerName: 'web',
      action: 'Block',
      enforcer: 'AppArmor',
    });
    // the pod labels include the cdk8s address label, sorted by key
    expect(res.alert?.labels).toMatch(/^app=web,cdk8s\.io\/metadata\.addr=shop-web-/);
    SimulatorAssertions.assertPermitted(sim, { workload: deployment, operation: AccessOperation.READ, path: '/etc/nginx/nginx.conf', process: '/usr/sbin/nginx' });
  });

  test('a chart as scope, and explicit workloads in the options', () => {
    const { chart } = app();
    const sim = PolicySimulator.fromScope(chart, { workloads: [{ name: 'other', namespace: 'shop', labels: { app: 'other' } }] });
    expect(sim.workloads.map((w) => w.name)).toEqual([expect.any(String), 'other']);
    expect(sim.workloadsSelectedBy('web-fim').map((w) => w.name)).not.toContain('other');
  });

  test('fails when asked about an unknown policy', () => {
    const { a } = app();
    expect(() => PolicySimulator.fromScope(a).workloadsSelectedBy('nope')).toThrow("PolicySimulator: no KubeArmor policy named 'nope' (loaded: web-fim)");
  });
});
