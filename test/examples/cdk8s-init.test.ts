/**
 * examples/cdk8s-init: a `cdk8s init typescript-app` project (cdk8s-plus-33, chart without namespace) using the
 * library. scripts/smoke-cdk8s-init.sh runs it from the packed tarball with `cdk8s synth` and the validation
 * plugin; here the same app is built in-process against src/.
 */
import { App, Chart, Testing } from 'cdk8s';
import * as plus33 from 'cdk8s-plus-33';
import { buildApp, MyChart } from '../../examples/cdk8s-init/main';
import { FileIntegrityPolicy, PolicyLint, simulator } from '../../src';
import { expectConformant, kubeArmorObjects } from '../conformance/harness';

const { AccessOperation, PolicySimulator } = simulator;

process.env.CDK8S_KUBEARMOR_QUIET = '1';

function withFimAction<T>(value: string | undefined, fn: () => T): T {
  const before = process.env.FIM_ACTION;
  if (value === undefined) delete process.env.FIM_ACTION;
  else process.env.FIM_ACTION = value;
  try {
    return fn();
  } finally {
    if (before === undefined) delete process.env.FIM_ACTION;
    else process.env.FIM_ACTION = before;
  }
}

describe('examples/cdk8s-init (the cdk8s init flow)', () => {
  test('every workload of the namespaceless chart gets a namespaceless Block policy; KA016 once per policy, nothing else', () => {
    const app = withFimAction(undefined, buildApp);
    const chart = app.charts[0];
    expect(chart.namespace).toBeUndefined();
    const manifests = chart.toJson();
    expectConformant(manifests);
    expect(kubeArmorObjects(manifests).map((p) => [p.metadata.name, p.metadata.namespace, p.spec.action ?? 'Block'])).toEqual([
      ['web-file-integrity', undefined, 'Block'],
      ['harden-cdk8s-init-db-c8923501-file-integrity-monitoring', undefined, 'Block'],
      ['harden-cdk8s-init-backup-c8e8e32b-file-integrity-monitoring', undefined, 'Block'],
    ]);
    // KA040: cdk8s-plus's read-only root filesystem refuses the writes first; HardenedWorkload acknowledges it, a bare FileIntegrityPolicy warns.
    expect(PolicyLint.findings(app).map((f) => `${f.ruleId} ${f.severity} ${f.constructPath}${f.acknowledgement ? ' (acknowledged)' : ''}`)).toEqual([
      'KA016 warning cdk8s-init/web-fim/Policy',
      'KA040 warning cdk8s-init/web-fim/Policy',
      'KA016 warning cdk8s-init/db-hardening/FileIntegrity/Policy',
      'KA040 warning cdk8s-init/db-hardening/FileIntegrity/Policy (acknowledged)',
      'KA016 warning cdk8s-init/backup-hardening/FileIntegrity/Policy',
      'KA040 warning cdk8s-init/backup-hardening/FileIntegrity/Policy (acknowledged)',
    ]);
    const sim = PolicySimulator.fromScope(app);
    expect(sim.workloads.map((w) => w.name).sort()).toEqual(['cdk8s-init-backup-c8e8e32b', 'cdk8s-init-db-c8923501', 'cdk8s-init-web-c8fab56c']);
  });

  test('the staged rollout switches from the place the docs name: the context key set in code (here from FIM_ACTION)', () => {
    const app = withFimAction('Audit', buildApp);
    expect(kubeArmorObjects(app.charts[0].toJson()).map((p) => p.spec.action)).toEqual(['Audit', 'Audit', 'Audit']);
  });

  test('the context key also works set on a chart before its children (a per-environment switch)', () => {
    const chart = new Chart(Testing.app(), 'staging');
    chart.node.setContext(FileIntegrityPolicy.ROLLOUT_CONTEXT_KEY, 'Audit');
    const inner = new MyChart(chart, 'inner');
    const prod = new MyChart(Testing.app(), 'prod');
    expect(kubeArmorObjects(inner.toJson()).map((p) => p.spec.action)).toEqual(['Audit', 'Audit', 'Audit']);
    expect(kubeArmorObjects(prod.toJson()).map((p) => p.spec.action ?? 'Block')).toEqual(['Block', 'Block', 'Block']);
  });

  test('fails when the context is set after the app has children (constructs refuses it), so the docs say "before any chart"', () => {
    const app = new App();
    new Chart(app, 'c');
    expect(() => app.node.setContext(FileIntegrityPolicy.ROLLOUT_CONTEXT_KEY, 'Audit')).toThrow('Cannot set context after children have been added: c');
  });

  test('a cdk8s-plus-33 Deployment of the chart is denied a write under the generated policy', () => {
    const app = withFimAction(undefined, buildApp);
    const web = app.charts[0].node.findChild('web') as plus33.Deployment;
    const sim = PolicySimulator.fromScope(app);
    // cdk8s-plus's default read-only root filesystem refuses the create in the kernel (EROFS, no alert) ...
    const ro = sim.evaluate({ workload: web, operation: AccessOperation.CREATE, path: '/usr/bin/evil', process: '/bin/sh' });
    expect([ro.permitted, ro.result, ro.alert]).toEqual([false, 'Read-only file system', undefined]);
    // ... with a writable one, KubeArmor denies and alerts.
    const res = sim.evaluate({ workload: web, operation: AccessOperation.CREATE, path: '/usr/bin/evil', process: '/bin/sh', readOnlyRootFilesystem: false });
    expect([res.permitted, res.alert?.policyName]).toEqual([false, 'web-file-integrity']);
  });
});
