/**
 * Workloads of any cdk8s-plus version (27 and 33 here): recognised by shape wherever the library takes a
 * workload — PolicyTarget.workload, HardenedWorkload.harden/hardenAll/optOut, the synth-time lints,
 * ComplianceReport and the simulator.
 */
import { ApiObject, App, Chart, Testing } from 'cdk8s';
import * as plus33 from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { ComplianceReport, FileIntegrityPolicy, HardenedWorkload, PolicyLint, PolicyTarget, simulator } from '../src';
import { expectConformant, kubeArmorObjects } from './conformance/harness';
import { PLUS_VERSIONS } from './util/plus';
import { selectsPod } from '../src/private/selection';

const { AccessOperation, PolicySimulator } = simulator;

process.env.CDK8S_KUBEARMOR_QUIET = '1';

const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Pod'];

function podOf(m: any): { namespace: string; labels: Record<string, string> } {
  const template = m.kind === 'CronJob' ? m.spec.jobTemplate.spec.template : m.spec.template ?? { metadata: m.metadata };
  return { namespace: m.metadata.namespace, labels: template.metadata.labels ?? {} };
}

/** For each policy: the workloads (kind/name) among the manifests whose pods it selects. */
function selection(manifests: any[]): Record<string, string[]> {
  const workloads = manifests.filter((m) => WORKLOAD_KINDS.includes(m.kind));
  const out: Record<string, string[]> = {};
  for (const policy of kubeArmorObjects(manifests)) {
    out[policy.metadata.name] = workloads.filter((w) => selectsPod(policy, podOf(w))).map((w) => `${w.kind}/${w.metadata.name}`);
  }
  return out;
}

function chartIn(app: App = Testing.app()): Chart {
  return new Chart(app, 'shop', { namespace: 'shop' });
}

describe.each(PLUS_VERSIONS)('$name workloads', (plus) => {
  test('PolicyTarget.workload: a Deployment, StatefulSet and CronJob each get a policy selecting exactly their pods', () => {
    const chart = chartIn();
    const w = plus.all(chart);
    new FileIntegrityPolicy(chart, 'web-fim', { target: PolicyTarget.workload(w.deployment), policyName: 'web-fim' });
    new FileIntegrityPolicy(chart, 'db-fim', { target: PolicyTarget.workload(w.statefulSet), policyName: 'db-fim' });
    new FileIntegrityPolicy(chart, 'backup-fim', { target: PolicyTarget.workload(w.cronJob), policyName: 'backup-fim' });
    const manifests = chart.toJson();
    expectConformant(manifests);
    expect(selection(manifests)).toEqual({
      'web-fim': ['Deployment/shop-web-c81100ac'],
      'db-fim': ['StatefulSet/shop-db-c845ee8c'],
      'backup-fim': ['CronJob/shop-backup-c844a3ff'],
    });
    for (const p of kubeArmorObjects(manifests)) expect(p.metadata.namespace).toBe('shop');
  });

  test('PolicyTarget.workload describes the workload by kind, namespace and name', () => {
    const chart = chartIn();
    const w = plus.all(chart);
    expect([w.deployment, w.statefulSet, w.daemonSet, w.job, w.cronJob, w.pod].map((x) => PolicyTarget.workload(x).description)).toEqual([
      'pods of Deployment shop/shop-web-c81100ac',
      'pods of StatefulSet shop/shop-db-c845ee8c',
      'pods of DaemonSet shop/shop-agent-c8fcec0c',
      'pods of Job shop/shop-migrate-c8478881',
      'pods of CronJob shop/shop-backup-c844a3ff',
      'pods of Pod shop/shop-debug-c896fcc2',
    ]);
  });

  test('HardenedWorkload.harden: every workload kind gets its file-integrity policy, and no false KA001', () => {
    const chart = chartIn();
    const w = plus.all(chart);
    for (const [key, workload] of Object.entries(w)) HardenedWorkload.harden(chart, `${key}-hardening`, workload);
    const manifests = chart.toJson();
    expectConformant(manifests);
    const sel = selection(manifests);
    expect(Object.keys(sel)).toHaveLength(6);
    for (const [name, hits] of Object.entries(sel)) expect([name, hits.length]).toEqual([name, 1]);
    expect(PolicyLint.findings(chart).filter((f) => f.ruleId === 'KA001')).toEqual([]);
  });

  test('HardenedWorkload.hardenAll covers a Deployment, StatefulSet and CronJob and reports nothing skipped', () => {
    const app = Testing.app();
    const chart = chartIn(app);
    plus.all(chart);
    HardenedWorkload.hardenAll(app);
    const manifests = chart.toJson();
    expectConformant(manifests);
    expect(Object.values(selection(manifests)).map((hits) => hits.join()).sort()).toEqual([
      'CronJob/shop-backup-c844a3ff', 'DaemonSet/shop-agent-c8fcec0c', 'Deployment/shop-web-c81100ac',
      'Job/shop-migrate-c8478881', 'Pod/shop-debug-c896fcc2', 'StatefulSet/shop-db-c845ee8c',
    ]);
    // KA040 (read-only root filesystem: detection cannot fire) is acknowledged by HardenedWorkload with its reason.
    expect(PolicyLint.findings(app).filter((f) => f.acknowledgement === undefined).map((f) => f.ruleId)).toEqual([]);
  });

  test('HardenedWorkload.optOut keeps a workload out of hardenAll', () => {
    const app = Testing.app();
    const chart = chartIn(app);
    const w = plus.all(chart);
    HardenedWorkload.optOut(w.job, 'one-shot migration, replaced every release');
    HardenedWorkload.hardenAll(app);
    const hit = Object.values(selection(chart.toJson())).flat();
    expect(hit).toHaveLength(5);
    expect(hit).not.toContain('Job/shop-migrate-c8478881');
  });

  test('the simulator sees the workloads (fromScope and AccessRequest.workload)', () => {
    const app = Testing.app();
    const chart = chartIn(app);
    const w = plus.all(chart);
    HardenedWorkload.harden(chart, 'web-hardening', w.deployment);
    const sim = PolicySimulator.fromScope(app);
    expect(sim.workloads.map((x) => `${x.namespace}/${x.name}`).sort()).toEqual([
      'shop/shop-agent-c8fcec0c', 'shop/shop-backup-c844a3ff', 'shop/shop-db-c845ee8c',
      'shop/shop-debug-c896fcc2', 'shop/shop-migrate-c8478881', 'shop/shop-web-c81100ac',
    ]);
    // cdk8s-plus defaults to a read-only root filesystem: the kernel refuses the create first (EROFS, no alert).
    const kernel = sim.evaluate({ workload: w.deployment, container: 'web', operation: AccessOperation.CREATE, path: '/usr/bin/evil', process: '/bin/touch' });
    expect([kernel.permitted, kernel.result, kernel.alert]).toEqual([false, 'Read-only file system', undefined]);
    const denied = sim.evaluate({
      workload: w.deployment, container: 'web', operation: AccessOperation.CREATE, path: '/usr/bin/evil', process: '/bin/touch', readOnlyRootFilesystem: false,
    });
    expect([denied.permitted, denied.alert?.policyName]).toEqual([false, 'harden-shop-web-c81100ac-file-integrity-monitoring']);
    const other = sim.evaluate({
      workload: w.statefulSet, container: 'db', operation: AccessOperation.CREATE, path: '/usr/bin/evil', process: '/bin/touch', readOnlyRootFilesystem: false,
    });
    expect(other.permitted).toBe(true);
  });

  test('ComplianceReport names the hardened workload', () => {
    const app = Testing.app();
    const chart = chartIn(app);
    const w = plus.all(chart);
    HardenedWorkload.harden(chart, 'db-hardening', w.statefulSet);
    const report = ComplianceReport.of(app);
    expect(report.policyNames).toEqual(['harden-shop-db-c845ee8c-file-integrity-monitoring']);
    expect(report.toMarkdown()).toContain('pods of StatefulSet shop/shop-db-c845ee8c');
  });

  test('new HardenedWorkload still creates a cdk8s-plus-27 Deployment, in an app that uses this version elsewhere', () => {
    const chart = chartIn();
    plus.deployment(chart, 'other');
    const hw = new HardenedWorkload(chart, 'api', { containers: [{ image: 'nginx' }] });
    expect(hw.deployment?.node.path).toBe('shop/api/Default');
    expect(hw.workload).toBe(hw.deployment);
    expect(selection(chart.toJson())).toEqual({ 'harden-shop-api-c8f8f8d3-file-integrity-monitoring': ['Deployment/shop-api-c8f8f8d3'] });
  });
});

describe('what is not a workload', () => {
  test('fails when PolicyTarget.workload is given a construct that is not a workload', () => {
    const chart = chartIn();
    const cm = new plus33.ConfigMap(chart, 'settings');
    expect(() => PolicyTarget.workload(cm)).toThrow(
      'PolicyTarget.workload: shop/settings (a cdk8s-plus ConfigMap) is not a workload; pass a Deployment, StatefulSet, DaemonSet, Job, CronJob or Pod of cdk8s-plus (27 to 33), e.g. PolicyTarget.workload(deployment)');
  });

  test('fails when PolicyTarget.workload is given a raw ApiObject of a workload kind', () => {
    const chart = chartIn();
    const raw = new ApiObject(chart, 'raw', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'raw' } });
    expect(() => PolicyTarget.workload(raw)).toThrow(
      'PolicyTarget.workload: shop/raw (an ApiObject of kind Deployment) is not a cdk8s-plus workload: it has no pod template this library can read (podMetadata, containers); create it with cdk8s-plus, or select its pods with PolicyTarget.podLabels({...}, namespace)');
  });

  test('fails when PolicyTarget.workload is given a HardenedWorkload', () => {
    const chart = chartIn();
    const hw = new HardenedWorkload(chart, 'api', { containers: [{ image: 'nginx' }] });
    expect(() => PolicyTarget.workload(hw)).toThrow(
      'PolicyTarget.workload: shop/api (a HardenedWorkload) is not a workload; pass its workload: PolicyTarget.workload(hardened.workload)');
  });

  test('fails when HardenedWorkload.harden is given a plain construct', () => {
    const chart = chartIn();
    const c = new Construct(chart, 'plain');
    expect(() => HardenedWorkload.harden(chart, 'h', c)).toThrow(
      'HardenedWorkload.harden: shop/plain (a Construct) is not a workload; pass a Deployment, StatefulSet, DaemonSet, Job, CronJob or Pod of cdk8s-plus (27 to 33), e.g. PolicyTarget.workload(deployment)');
  });

  test('fails when AccessRequest.workload is not a workload', () => {
    const app = Testing.app();
    const chart = chartIn(app);
    const cm = new plus33.ConfigMap(chart, 'settings');
    expect(() => PolicySimulator.fromScope(app).evaluate({ workload: cm, operation: AccessOperation.READ, path: '/etc/hosts' })).toThrow(
      'AccessRequest.workload: shop/settings (a cdk8s-plus ConfigMap) is not a workload; pass a Deployment, StatefulSet, DaemonSet, Job, CronJob or Pod of cdk8s-plus (27 to 33), e.g. PolicyTarget.workload(deployment)');
  });
});

describe('hardenAll never skips silently', () => {
  function appWithStray() {
    const app = Testing.app();
    const chart = chartIn(app);
    new plus33.Deployment(chart, 'web', { containers: [{ image: 'nginx' }] });
    const legacy = new Construct(chart, 'legacy');
    new ApiObject(legacy, 'Deployment', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'legacy' } });
    return { app, chart, legacy };
  }

  test('fails when a workload-kind ApiObject that is not a cdk8s-plus workload is left unprotected', () => {
    const { app } = appWithStray();
    HardenedWorkload.hardenAll(app);
    expect(() => app.synthYaml()).toThrow(
      'shop/legacy/Deployment: HardenedWorkload.hardenAll cannot harden this Deployment (an ApiObject, not a cdk8s-plus workload: no pod template to read), so it has no file-integrity policy; protect it with a SecurityPolicy or FileIntegrityPolicy targeting PolicyTarget.podLabels({...}), then HardenedWorkload.optOut(it, reason) — or create it with cdk8s-plus');
  });

  test('an opt-out on a construct containing it (e.g. an Include) is the acknowledgement, with its reason', () => {
    const { app, chart, legacy } = appWithStray();
    HardenedWorkload.optOut(legacy, 'protected by the legacy-fim policy in the same chart');
    HardenedWorkload.hardenAll(app);
    expect(() => app.synthYaml()).not.toThrow();
    expect(HardenedWorkload.optOutReason(legacy.node.findChild('Deployment'))).toBe('protected by the legacy-fim policy in the same chart');
    expect(kubeArmorObjects(chart.toJson()).map((p) => p.metadata.name)).toEqual(['harden-shop-web-c81100ac-file-integrity-monitoring']);
  });

  test('fails when an opt-out has no reason', () => {
    const { legacy } = appWithStray();
    expect(() => HardenedWorkload.optOut(legacy, 'because')).toThrow(
      "shop/legacy: reason 'because' for opting out of hardening is too short; say why this workload is not hardened (at least 10 characters)");
  });
});
