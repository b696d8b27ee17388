import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { WordpressMysql } from '../../examples/wordpress-mysql/main';
import { FileIntegrityPolicy, FileIntegrityPreset, PolicyTarget, simulator } from '../../src';
import { KERNEL_ORDER, kernelPrecheck, KernelContext } from '../../src/simulator/private/kernel-precheck';
import { seedAlert } from '../fixtures/seed';

process.env.CDK8S_KUBEARMOR_QUIET = '1';
const { AccessOperation, PolicySimulator, SimulatedAction, SimulatedEnforcer } = simulator;

const RO: KernelContext = { readOnlyRootFilesystem: true, writableMounts: ['/var/lib/mysql', '/tmp'], origin: 'container c' };
const RW: KernelContext = { readOnlyRootFilesystem: false, writableMounts: [], origin: 'container c' };

describe('kernel before the LSM (pure table)', () => {
  test('the table has one row per file operation and EXEC, each citing fs/namei.c or fs/open.c', () => {
    expect(KERNEL_ORDER.map((r) => r.op)).toEqual(['READ', 'WRITE', 'APPEND', 'TRUNCATE', 'CREATE', 'DELETE', 'RENAME', 'MKDIR', 'CHMOD', 'CHOWN', 'EXEC']);
    for (const r of KERNEL_ORDER) {
      if (r.needsWritableMount) expect(r.erofsCheck).toMatch(/^fs\/(namei|open)\.c [a-z_0-9]+/);
      expect(r.dacCheck).toMatch(/^(fs\/(namei|open)\.c|not modelled)/);
    }
  });

  test.each(['WRITE', 'APPEND', 'TRUNCATE', 'CREATE', 'DELETE', 'RENAME', 'MKDIR', 'CHMOD', 'CHOWN'])(
    '%s on the read-only root filesystem fails with EROFS before the LSM, even as root', (op) => {
      const v = kernelPrecheck(RO, { op, path: '/sbin/file', uid: 0 });
      expect([v?.errno, v?.message, v?.beforeLsm]).toEqual(['EROFS', 'Read-only file system', true]);
      expect(v!.caveat).toContain('KubeArmor neither blocks nor alerts');
    });

  test('the caveat names the kernel check: lookup_open never calls may_o_create / security_path_mknod', () => {
    expect(kernelPrecheck(RO, { op: 'CREATE', path: '/sbin/file', uid: 0 })!.caveat).toBe(
      'kernel: /sbin/file is on the read-only root filesystem of container c (readOnlyRootFilesystem: true, no writable mount covers it): '
      + 'fs/namei.c lookup_open: without write access to the mount (open_last_lookups: mnt_want_write failed) create_error = -EROFS '
      + 'and may_o_create, hence security_path_mknod, is never called; KubeArmor neither blocks nor alerts');
  });

  test.each(['READ', 'EXEC'])('%s is not refused by a read-only mount', (op) => {
    expect(kernelPrecheck(RO, { op, path: '/sbin/file', uid: 0 })).toBeUndefined();
  });

  test.each([
    ['/var/lib/mysql/ibdata1'], ['/var/lib/mysql'], ['/tmp/x'], ['/dev/shm/x'], ['/etc/hosts'], ['/etc/resolv.conf'],
  ])('a write under a writable mount (%s) reaches the LSM', (path) => {
    expect(kernelPrecheck(RO, { op: 'WRITE', path, uid: 0 })).toBeUndefined();
  });

  test('a path that only shares a prefix with a writable mount is still read-only', () => {
    expect(kernelPrecheck(RO, { op: 'WRITE', path: '/tmpfoo', uid: 0 })?.errno).toBe('EROFS');
  });

  test('non-root writing an existing root-owned 0644 file fails DAC before security_file_open', () => {
    const v = kernelPrecheck(RW, { op: 'WRITE', path: '/etc/passwd', uid: 999, ownerUid: 0, mode: 0o644 })!;
    expect([v.errno, v.beforeLsm]).toEqual(['EACCES', true]);
    expect(v.caveat).toBe('kernel: uid 999 has no write permission on the file (owner 0, mode 0644): fs/namei.c do_open -> may_open -> '
      + 'inode_permission (generic_permission) before vfs_open -> security_file_open; the LSM hook never runs, so KubeArmor neither blocks nor alerts');
  });

  test('non-root creating in a root-owned 0755 directory: the path hook runs before the DAC check', () => {
    const v = kernelPrecheck(RW, { op: 'CREATE', path: '/sbin/file', uid: 999, ownerUid: 0, mode: 0o755 })!;
    expect([v.errno, v.beforeLsm]).toEqual(['EACCES', false]);
    expect(v.caveat).toContain('fs/namei.c may_o_create: security_path_mknod runs first, then inode_permission(dir, MAY_WRITE | MAY_EXEC)');
  });

  test('root passes DAC (CAP_DAC_OVERRIDE); the owner passes with owner bits; no mode means DAC is not simulated', () => {
    expect(kernelPrecheck(RW, { op: 'WRITE', path: '/etc/passwd', uid: 0, ownerUid: 0, mode: 0o644 })).toBeUndefined();
    expect(kernelPrecheck(RW, { op: 'WRITE', path: '/data/f', uid: 999, ownerUid: 999, mode: 0o644 })).toBeUndefined();
    expect(kernelPrecheck(RW, { op: 'WRITE', path: '/etc/passwd', uid: 999 })).toBeUndefined();
    expect(kernelPrecheck(undefined, { op: 'CREATE', path: '/sbin/file', uid: 0 })).toBeUndefined();
  });

  test('chmod by a non-owner fails with EPERM after security_path_chmod', () => {
    const v = kernelPrecheck(RW, { op: 'CHMOD', path: '/sbin/ls', uid: 999, ownerUid: 0, mode: 0o755 })!;
    expect([v.errno, v.message, v.beforeLsm]).toEqual(['EPERM', 'Operation not permitted', false]);
  });
});

/** The example's mysql Deployment (HardenedWorkload.harden of an existing Deployment keeps no `deployment`). */
function mysqlOf(chart: WordpressMysql): kplus.Deployment {
  return chart.node.findChild('mysql') as kplus.Deployment;
}

describe('the simulator takes the container\'s filesystem into account', () => {
  test('the example\'s mysql (readOnlyRootFilesystem by cdk8s-plus default, uid 999): `touch /sbin/file` fails with EROFS and raises no alert', () => {
    const app = new App();
    const chart = new WordpressMysql(app, 'wordpress-mysql');
    const sim = PolicySimulator.fromScope(app);
    for (const enforcer of [SimulatedEnforcer.APPARMOR, SimulatedEnforcer.BPF_LSM]) {
      const res = sim.evaluate({ workload: mysqlOf(chart), operation: AccessOperation.CREATE, path: '/sbin/file', process: '/bin/touch', enforcer });
      expect([res.permitted, res.action, res.result, res.alert, res.matchedPolicies]).toEqual([false, SimulatedAction.KERNEL, 'Read-only file system', undefined, []]);
      expect(res.caveats).toEqual([expect.stringMatching(/^kernel: \/sbin\/file is on the read-only root filesystem of container mysql of Deployment wordpress-mysql\/mysql /)]);
    }
    // mysql's data directory is a writable volume: KubeArmor sees writes there (no FIM rule covers it: passes).
    const data = sim.evaluate({ workload: mysqlOf(chart), operation: AccessOperation.CREATE, path: '/var/lib/mysql/t.ibd', process: '/usr/sbin/mysqld' });
    expect([data.permitted, data.action]).toEqual([true, SimulatedAction.NONE]);
  });

  test('a workload configured as the seed\'s was (root, writable root filesystem) reproduces the seed alert field for field', () => {
    const app = new App();
    const chart = new Chart(app, 'wordpress-mysql', { namespace: 'wordpress-mysql' });
    const mysql = new kplus.Deployment(chart, 'mysql', {
      select: false,
      containers: [{ name: 'mysql', image: 'mysql:5.6', securityContext: { readOnlyRootFilesystem: false, ensureNonRoot: false, user: 0 } }],
    });
    mysql.podMetadata.addLabel('app', 'mysql');
    mysql.select(kplus.LabelSelector.of({ labels: { app: 'mysql' } }));
    new FileIntegrityPolicy(chart, 'fim', {
      target: PolicyTarget.workload(mysql),
      presets: [FileIntegrityPreset.KUBEARMOR_FIM_TEMPLATE],
      severity: 1,
      message: 'Detected and prevented compromise to File integrity',
      policyName: 'harden-mysql-file-integrity-monitoring',
    });
    // The seed's pod carried only app=mysql; cdk8s-plus adds its cdk8s.io/metadata.addr label to every pod template.
    const res = PolicySimulator.fromScope(app).evaluate({
      workload: mysql, labels: { app: 'mysql' }, operation: AccessOperation.CREATE, path: '/sbin/file', process: '/bin/touch',
    });
    expect([res.permitted, res.action, res.result]).toEqual([false, SimulatedAction.BLOCK, 'Permission denied']);
    const expected = seedAlert();
    const predicted = res.toKubeArmorJson();
    expect(Object.keys(predicted).length).toBeGreaterThan(10);
    for (const k of Object.keys(predicted)) expect([k, predicted[k]]).toEqual([k, expected[k]]);
  });

  test('request fields override the workload: a read-only root filesystem given on a namespace/labels request', () => {
    const app = new App();
    new WordpressMysql(app, 'wordpress-mysql');
    const res = PolicySimulator.fromScope(app).evaluate({
      namespace: 'wordpress-mysql',
      labels: { app: 'mysql' },
      container: 'mysql',
      operation: AccessOperation.WRITE,
      path: '/usr/bin/ls',
      readOnlyRootFilesystem: true,
      writableMounts: ['/var/lib/mysql'],
    });
    expect([res.action, res.result]).toEqual([SimulatedAction.KERNEL, 'Read-only file system']);
    expect(res.caveats[0]).toContain('of the request\'s container');
  });

  test('a non-root create in a root-owned directory: KubeArmor blocks and alerts first (path hook before DAC)', () => {
    const app = new App();
    const chart = new WordpressMysql(app, 'wordpress-mysql');
    const res = PolicySimulator.fromScope(app).evaluate({
      workload: mysqlOf(chart),
      operation: AccessOperation.CREATE,
      path: '/sbin/file',
      process: '/bin/touch',
      readOnlyRootFilesystem: false,
      ownerUid: 0,
      fileMode: 0o755,
    });
    expect([res.permitted, res.action, res.result, res.alert?.policyName]).toEqual([false, SimulatedAction.BLOCK, 'Permission denied', 'harden-mysql-file-integrity-monitoring']);
    expect(res.caveats).toContainEqual(expect.stringContaining('KubeArmor sees the access first'));
  });
});
