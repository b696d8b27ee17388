import { App, Chart, Duration, Cron } from 'cdk8s';
import * as plus27 from 'cdk8s-plus-27';
import { FileIntegrityPolicy, FileIntegrityPreset, HardenedWorkload, PolicyAction, PolicyLint, PolicyTarget } from '../src';
import { expectConformant, kubeArmorObjects } from './conformance/harness';
import { PLUS_MODULES } from './util/plus';
import { KA040_REASON } from '../src/private/lint-rules-evidence';
import { selectsPod } from '../src/private/selection';

process.env.CDK8S_KUBEARMOR_QUIET = '1';

function setup() {
  const app = new App({ outdir: '/tmp/cdk8s-kubearmor-hw-test' });
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  return { app, chart };
}

function podOf(m: any): { namespace: string; labels: Record<string, string> } {
  const template = m.kind === 'CronJob' ? m.spec.jobTemplate.spec.template : m.spec.template ?? { metadata: m.metadata };
  return { namespace: m.metadata.namespace, labels: template.metadata.labels ?? {} };
}

/** Each policy selects exactly the pods of the workload it hardens, among all workloads of the chart. */
function expectExactSelection(manifests: any[], expected: Record<string, string>): void {
  const workloads = manifests.filter((m) => ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Pod'].includes(m.kind));
  for (const policy of kubeArmorObjects(manifests)) {
    const hits = workloads.filter((w) => selectsPod(policy, podOf(w))).map((w) => `${w.kind}/${w.metadata.name}`);
    expect([policy.metadata.name, hits]).toEqual([policy.metadata.name, [expected[policy.metadata.name]]]);
  }
}

describe('HardenedWorkload', () => {
  test('creates a Deployment with a file-integrity policy targeting exactly its pods', () => {
    const { chart } = setup();
    const web = new HardenedWorkload(chart, 'web', { containers: [{ image: 'nginx' }] });
    new plus27.Deployment(chart, 'other', { containers: [{ image: 'busybox' }] });
    const manifests = chart.toJson();
    expectConformant(manifests);
    expect(web.workload).toBeInstanceOf(plus27.Deployment);
    expect(web.policies.map((p) => p.node.path)).toEqual(['shop/web/FileIntegrity/Policy']);
    const deployment = manifests.find((m: any) => m.kind === 'Deployment' && m.metadata.name.startsWith('shop-web'));
    // Construct id `Default`: the Deployment is named (and selected) after the HardenedWorkload.
    expect(deployment.metadata.name).toBe('shop-web-c81100ac');
    expect(deployment.spec.selector.matchLabels).toEqual({ 'cdk8s.io/metadata.addr': 'shop-web-c80b2a96' });
    const policy = kubeArmorObjects(manifests)[0];
    expect(policy.metadata).toEqual({
      name: 'harden-shop-web-c81100ac-file-integrity-monitoring',
      namespace: 'shop',
      // cdk8s-plus's read-only root filesystem refuses the writes first: HardenedWorkload acknowledges KA040, with its reason.
      annotations: { 'lint.cdk8s-kubearmor.io/acknowledge.KA040': KA040_REASON },
    });
    expect(policy.spec.action).toBe('Block');
    const dirs = policy.spec.file.matchDirectories.map((d: any) => d.dir);
    for (const seed of ['/sbin/', '/usr/bin/', '/usr/lib/', '/usr/sbin/', '/bin/', '/boot/']) expect(dirs).toContain(seed);
    expect(policy.spec.file.matchDirectories.every((d: any) => d.readOnly && d.recursive)).toBe(true);
    expectExactSelection(manifests, { 'harden-shop-web-c81100ac-file-integrity-monitoring': 'Deployment/shop-web-c81100ac' });
  });

  test('never weakens the security context cdk8s-plus sets', () => {
    const { chart } = setup();
    new HardenedWorkload(chart, 'web', { containers: [{ image: 'nginx' }], blockPackageManagers: true, protectTrustStores: true });
    const d = chart.toJson().find((m: any) => m.kind === 'Deployment');
    expect(d.spec.template.spec.containers[0].securityContext).toEqual({
      allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true, runAsNonRoot: true,
    });
    expect(d.spec.template.spec.securityContext.runAsNonRoot).toBe(true);
    expect(d.spec.template.spec.automountServiceAccountToken).toBe(false);
  });

  test('opt-in extra controls: package managers and trust stores', () => {
    const { chart } = setup();
    const web = new HardenedWorkload(chart, 'web', { containers: [{ image: 'nginx' }], blockPackageManagers: true, protectTrustStores: true, severity: 7 });
    const manifests = chart.toJson();
    expectConformant(manifests);
    expect(web.policies.map((p) => p.node.id)).toEqual(['Policy', 'PackageManagers']);
    const pkg = manifests.find((m: any) => m.metadata.name === web.packageManagers!.policyName);
    expect(pkg.spec.process.matchPaths.map((r: any) => r.execname)).toEqual(['apk', 'apt', 'apt-get', 'aptitude', 'dnf', 'dpkg', 'microdnf', 'pacman', 'rpm', 'yum', 'zypper']);
    expect(pkg.spec).toMatchObject({ action: 'Block', severity: 7, tags: ['NIST', 'NIST_800-53_CM-7(4)', 'NIST_800-53_SI-4'] });
    expect(web.fileIntegrity!.presets).toContain(FileIntegrityPreset.TRUST_STORES);
    expect(web.fileIntegrity!.protectedDirectories.map((d) => d.dir)).toContain('/etc/ssl/');
  });

  test('protects the service-account token only when one is mounted', () => {
    const { chart } = setup();
    const without = new HardenedWorkload(chart, 'a', { containers: [{ image: 'nginx' }], protectServiceAccountToken: true });
    const withToken = new HardenedWorkload(chart, 'b', { containers: [{ image: 'nginx' }], automountServiceAccountToken: true, protectServiceAccountToken: true });
    expect(without.serviceAccountToken).toBeUndefined();
    const manifests = chart.toJson();
    expectConformant(manifests);
    const sa = manifests.find((m: any) => m.metadata.name === withToken.serviceAccountToken!.policyName);
    expect(sa.spec.file.matchDirectories).toEqual([
      { dir: '/run/secrets/kubernetes.io/serviceaccount/', recursive: true },
      { dir: '/var/run/secrets/kubernetes.io/serviceaccount/', recursive: true },
    ]);
    expect(sa.spec.tags).toEqual(['MITRE', 'MITRE_T1552_unsecured_credentials']);
  });

  test('fails when action is Allow', () => {
    const { chart } = setup();
    expect(() => new HardenedWorkload(chart, 'web', { containers: [{ image: 'nginx' }], action: PolicyAction.ALLOW }))
      .toThrow("shop/web: action 'Allow' is not accepted by a HardenedWorkload: one Allow rule flips every selected pod into allow-list mode, where every access no Allow rule names is decided by the default posture (audit unless the namespace annotation kubearmor-file-posture says block), so the policy would stop protecting and start allow-listing; use PolicyAction.BLOCK to prevent changes or PolicyAction.AUDIT to only alert (for an allow-list, write a SecurityPolicy deliberately)");
  });

  test('the staged rollout switches hardened workloads, extra controls included, to Audit', () => {
    const { chart } = setup();
    const web = new HardenedWorkload(chart, 'web', { containers: [{ image: 'nginx' }], blockPackageManagers: true });
    const pinned = new HardenedWorkload(chart, 'pinned', { containers: [{ image: 'nginx' }], blockPackageManagers: true, action: PolicyAction.BLOCK });
    FileIntegrityPolicy.setRolloutAction(chart, PolicyAction.AUDIT);
    const actions = Object.fromEntries(kubeArmorObjects(chart.toJson()).map((p) => [p.metadata.name, p.spec.action]));
    expect(actions).toEqual({
      [web.fileIntegrity!.policyName]: 'Audit',
      [web.packageManagers!.policyName]: 'Audit',
      [pinned.fileIntegrity!.policyName]: 'Block',
      [pinned.packageManagers!.policyName]: 'Block',
    });
    expect(web.fileIntegrity!.action).toBe(PolicyAction.AUDIT);
  });
});

describe.each(PLUS_MODULES)('HardenedWorkload.harden ($name)', ({ kplus }) => {
  test('hardens a StatefulSet and a CronJob, each policy selecting exactly its pods', () => {
    const { chart } = setup();
    const db = new kplus.StatefulSet(chart, 'db', { containers: [{ image: 'postgres:16' }], service: new kplus.Service(chart, 'db-svc', { clusterIP: 'None', ports: [{ port: 5432 }] }) });
    const backup = new kplus.CronJob(chart, 'backup', { schedule: Cron.daily(), containers: [{ image: 'backup:1' }], ttlAfterFinished: Duration.hours(1) });
    new kplus.Deployment(chart, 'web', { containers: [{ image: 'nginx' }] });
    const hdb = HardenedWorkload.harden(chart, 'db-hardening', db);
    const hbackup = HardenedWorkload.harden(chart, 'backup-hardening', backup, { action: PolicyAction.AUDIT });
    const manifests = chart.toJson();
    expectConformant(manifests);
    const sts = manifests.find((m: any) => m.kind === 'StatefulSet');
    const cron = manifests.find((m: any) => m.kind === 'CronJob');
    expectExactSelection(manifests, {
      [hdb.fileIntegrity!.policyName]: `StatefulSet/${sts.metadata.name}`,
      [hbackup.fileIntegrity!.policyName]: `CronJob/${cron.metadata.name}`,
    });
    expect(kubeArmorObjects(manifests).map((p) => p.spec.action).sort()).toEqual(['Audit', 'Block']);
  });
});

describe.each(PLUS_MODULES)('HardenedWorkload.hardenAll ($name)', ({ kplus }) => {
  test('hardens every unprotected workload once at synth, honouring opt-outs and existing policies', () => {
    const { app, chart } = setup();
    HardenedWorkload.hardenAll(app);
    const a = new kplus.Deployment(chart, 'a', { containers: [{ image: 'nginx' }] });
    const b = new kplus.Deployment(chart, 'b', { containers: [{ image: 'nginx' }] });
    const c = new kplus.Deployment(chart, 'c', { containers: [{ image: 'nginx' }] });
    new FileIntegrityPolicy(chart, 'b-fim', { target: PolicyTarget.workload(b) });
    HardenedWorkload.optOut(c, 'debug toolbox, rebuilt on every run');
    new HardenedWorkload(chart, 'd', { containers: [{ image: 'nginx' }] });
    const manifests = chart.toJson();
    const policies = kubeArmorObjects(manifests).map((p) => p.metadata.name).sort();
    expect(policies).toEqual(['harden-shop-a-c844100c-file-integrity-monitoring', 'harden-shop-d-c85497a5-file-integrity-monitoring', 'shop-b-fim-c8d90f82']);
    expect(a.node.scope!.node.tryFindChild('a-hardening')).toBeInstanceOf(HardenedWorkload);
    // evaluated once: a second synth adds nothing
    expect(kubeArmorObjects(chart.toJson())).toHaveLength(3);
    expectConformant(manifests);
    expect(PolicyLint.findings(app).filter((f) => f.severity === 'error')).toEqual([]);
  });

  test('fails when an opt-out has no reason', () => {
    const { chart } = setup();
    const a = new kplus.Deployment(chart, 'a', { containers: [{ image: 'nginx' }] });
    expect(() => HardenedWorkload.optOut(a, 'no')).toThrow("shop/a: reason 'no' for opting out of hardening is too short; say why this workload is not hardened (at least 10 characters)");
  });

  test('a 1,000-workload chart is hardened completely', () => {
    const { app, chart } = setup();
    for (let i = 0; i < 1000; i++) new kplus.Deployment(chart, `w${i}`, { containers: [{ image: 'nginx' }] });
    HardenedWorkload.hardenAll(chart);
    const manifests = chart.toJson();
    expect(kubeArmorObjects(manifests)).toHaveLength(1000);
    void app;
  });
});
