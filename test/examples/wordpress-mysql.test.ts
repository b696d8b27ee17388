import * as fs from 'fs';
import * as path from 'path';
import { buildApp, coverageReports, WordpressMysql } from '../../examples/wordpress-mysql/main';
import { simulator } from '../../src';
import { expectConformant, kubeArmorObjects } from '../conformance/harness';
import { seedAlert, seedPolicy } from '../fixtures/seed';

const { AccessOperation, PolicySimulator, SimulatedEnforcer, SimulatorAssertions } = simulator;

process.env.CDK8S_KUBEARMOR_QUIET = '1';

describe('example GitOps app examples/wordpress-mysql', () => {
  const manifests = buildApp().charts.flatMap((c) => c.toJson());
  const policies = kubeArmorObjects(manifests);

  test('holds the mysql and wordpress Deployments in namespace wordpress-mysql, an opted-out Job and an agent in kube-system (report gaps)', () => {
    const workloads = manifests.filter((m) => m.kind === 'Deployment' || m.kind === 'Job');
    expect(workloads.map((d) => `${d.kind} ${d.metadata.namespace}/${d.metadata.name}`).sort()).toEqual([
      'Deployment kube-system/metrics-agent', 'Deployment wordpress-mysql/mysql', 'Deployment wordpress-mysql/wordpress', 'Job wordpress-mysql/db-migrate',
    ]);
  });

  test('every KubeArmor object passes the conformance harness', () => {
    expect(policies.map((p) => p.metadata.name).sort()).toEqual([
      'harden-mysql-file-integrity-monitoring', 'harden-wordpress-file-integrity-monitoring', 'harden-wordpress-package-managers',
    ]);
    expectConformant(manifests);
  });

  test('mysql is protected by the seed policy, field for field (plus the documented lint acknowledgement)', () => {
    const fim = policies.find((m) => m.metadata.name === 'harden-mysql-file-integrity-monitoring');
    const seed = seedPolicy();
    const { annotations, ...metadata } = fim.metadata;
    expect(metadata).toEqual(seed.metadata);
    expect(Object.keys(annotations)).toEqual(['lint.cdk8s-kubearmor.io/acknowledge.KA004', 'lint.cdk8s-kubearmor.io/acknowledge.KA040']);
    expect(annotations['lint.cdk8s-kubearmor.io/acknowledge.KA040']).toMatch(/^HardenedWorkload: defence in depth/);
    // the library sorts rules; the seed lists them in another order
    const byDir = (a: any, b: any) => a.dir.localeCompare(b.dir);
    const sortDirs = (s: any) => ({ ...s, file: { matchDirectories: [...s.file.matchDirectories].sort(byDir) } });
    expect(sortDirs(fim.spec)).toEqual(sortDirs(seed.spec));
  });

  test('each policy selects exactly the pods of its Deployment', () => {
    for (const name of ['mysql', 'wordpress']) {
      const deployment = manifests.find((m) => m.kind === 'Deployment' && m.metadata.name === name);
      for (const policy of policies.filter((p) => p.metadata.name.startsWith(`harden-${name}-`))) {
        for (const [k, v] of Object.entries(policy.spec.selector.matchLabels)) expect(deployment.spec.template.metadata.labels[k]).toBe(v);
      }
    }
  });
});

describe('example app in the offline simulator (the seed scenario)', () => {
  const app = buildApp();
  const chart = app.charts[0] as WordpressMysql;
  const sim = PolicySimulator.fromScope(app);
  const expectedAlert = seedAlert();

  test('`touch /sbin/file` in the example\'s mysql pod fails with EROFS (read-only root filesystem) and raises no alert', () => {
    const request = {
      workload: chart.mysql.workload,
      container: 'mysql',
      operation: AccessOperation.CREATE,
      path: '/sbin/file',
      process: '/bin/touch',
      parentProcess: '/bin/bash',
    };
    SimulatorAssertions.assertNoAlert(sim, request);
    const result = SimulatorAssertions.assertDenied(sim, request);
    expect(result.result).toBe('Read-only file system');
    expect(result.caveats[0]).toMatch(/^kernel: \/sbin\/file is on the read-only root filesystem of container mysql /);
  });

  test('with a writable root filesystem (as the seed\'s pod had), `touch /sbin/file` is denied under AppArmor with the seed\'s alert', () => {
    const result = SimulatorAssertions.assertDenied(sim, {
      readOnlyRootFilesystem: false,
      workload: chart.mysql.workload,
      container: 'mysql',
      operation: AccessOperation.CREATE,
      path: '/sbin/file',
      process: '/bin/touch',
      parentProcess: '/bin/bash',
      enforcer: SimulatedEnforcer.APPARMOR,
    });
    const predicted = result.toKubeArmorJson();
    for (const field of ['PolicyName', 'Severity', 'Tags', 'ATags', 'Message', 'Action', 'Result', 'Enforcer', 'Operation', 'Resource', 'NamespaceName', 'ContainerName', 'ProcessName', 'Type']) {
      expect([field, predicted[field]]).toEqual([field, expectedAlert[field]]);
    }
    // The pods carry cdk8s-plus's address label too; KubeArmor reports every pod label.
    expect(predicted.Labels).toBe('app=mysql,cdk8s.io/metadata.addr=wordpress-mysql-mysql-c81ff375');
  });

  test('`cat` of files under /sbin/ passes without an alert', () => {
    SimulatorAssertions.assertPermitted(sim, { workload: chart.mysql.workload, operation: AccessOperation.READ, path: '/sbin/ldconfig', process: '/bin/cat' });
    SimulatorAssertions.assertNoAlert(sim, { workload: chart.mysql.workload, operation: AccessOperation.READ, path: '/sbin/ldconfig', process: '/bin/cat' });
  });

  test('the same write is denied under BPF-LSM too (writable root filesystem)', () => {
    const r = SimulatorAssertions.assertDenied(sim, {
      readOnlyRootFilesystem: false, workload: chart.mysql.workload, operation: AccessOperation.WRITE, path: '/usr/bin/mysqld', process: '/bin/sh', enforcer: SimulatedEnforcer.BPF_LSM,
    });
    expect(r.alert?.enforcer).toBe('BPFLSM');
  });

  test('wordpress cannot run a package manager', () => {
    SimulatorAssertions.assertDenied(sim, { workload: chart.wordpress.workload, operation: AccessOperation.EXEC, path: '/usr/bin/apt-get', process: '/bin/bash' },
      { policyName: 'harden-wordpress-package-managers', action: 'Block' });
  });

  describe('image coverage reports', () => {
    const [mysqlSeed, mysqlDefaults, wordpress] = coverageReports(buildApp(), path.join(__dirname, '..', 'fixtures', 'images'));

    test('mysql:5.6 under the seed template: /lib/ and /lib64/ uncovered (libc, the dynamic loader)', () => {
      expect(mysqlSeed.workload).toBe('Deployment/wordpress-mysql/mysql');
      expect(mysqlSeed.coveringSet(true)).toEqual(expect.arrayContaining(['/lib/', '/lib64/', '/etc/ld.so.preload', '/usr/local/bin/']));
      expect(mysqlSeed.hasCriticalGaps).toBe(true);
    });

    test('mysql:5.6 under the default presets, and wordpress as deployed: no executable, library or loader file uncovered', () => {
      expect(mysqlDefaults.coveringSet(true)).toEqual([]);
      expect(wordpress.coveringSet(true)).toEqual([]);
      expect(wordpress.writes).toEqual([]);
    });

    test('the checked-in dist/coverage-report.json is what the example writes (npx projen example)', () => {
      const file = path.join(__dirname, '..', '..', 'examples', 'wordpress-mysql', 'dist', 'coverage-report.json');
      expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual(JSON.parse(JSON.stringify([mysqlSeed, mysqlDefaults, wordpress].map((r) => r.toJson()))));
    });
  });
});
