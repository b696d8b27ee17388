/**
 * HardenedWorkload.hardenAll's issue #13 cases: untracked namespaces are refused naming hardenAll and optOut,
 * a partial harden() gets only the missing file-integrity policy, and any FileIntegrityPolicy selecting a
 * workload's pods counts as covering it.
 */
import { App, Chart } from 'cdk8s';
import * as plus27 from 'cdk8s-plus-27';
import { FileIntegrityPolicy, HardenedWorkload, PolicyLint, PolicyTarget } from '../src';
import { expectConformant, kubeArmorObjects } from './conformance/harness';

process.env.CDK8S_KUBEARMOR_QUIET = '1';

function app() {
  return new App({ outdir: '/tmp/cdk8s-kubearmor-hardenall-test' });
}

describe('HardenedWorkload.hardenAll', () => {
  test('a workload in kube-system fails synth naming hardenAll and optOut, not PolicyTarget.workload', () => {
    const a = app();
    const sys = new Chart(a, 'sys', { namespace: 'kube-system' });
    new plus27.Deployment(sys, 'dns', { containers: [{ image: 'coredns' }] });
    HardenedWorkload.hardenAll(a);
    let message = '';
    try {
      a.synthYaml();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain("sys/dns: HardenedWorkload.hardenAll cannot harden this Deployment: namespace 'kube-system' is untracked by KubeArmor, so policies there are never enforced; keep it out with HardenedWorkload.optOut(it, reason)");
    expect(message).not.toContain('PolicyTarget.workload');
  });

  test('opting the untracked workload out lets the rest be hardened', () => {
    const a = app();
    const sys = new Chart(a, 'sys', { namespace: 'kube-system' });
    const dns = new plus27.Deployment(sys, 'dns', { containers: [{ image: 'coredns' }] });
    const shop = new Chart(a, 'shop', { namespace: 'shop' });
    new plus27.Deployment(shop, 'web', { containers: [{ image: 'nginx' }] });
    HardenedWorkload.hardenAll(a);
    HardenedWorkload.optOut(dns, 'KubeArmor does not track kube-system');
    const manifests = a.charts.flatMap((c) => c.toJson());
    expectConformant(manifests);
    expect(kubeArmorObjects(manifests).map((m) => m.metadata.namespace)).toEqual(['shop']);
  });

  test('after a partial harden(), only the file-integrity policy is added: no KA014 on names never chosen', () => {
    const a = app();
    const chart = new Chart(a, 'shop', { namespace: 'shop' });
    const web = new plus27.Deployment(chart, 'web', { containers: [{ image: 'nginx' }] });
    HardenedWorkload.harden(chart, 'h', web, { fileIntegrity: false, blockPackageManagers: true });
    HardenedWorkload.hardenAll(a, { blockPackageManagers: true, protectServiceAccountToken: true });
    expect(() => a.synthYaml()).not.toThrow();
    const names = kubeArmorObjects(chart.toJson()).map((m) => m.metadata.name.replace(/-[0-9a-f]{8}-/, '-*-'));
    expect(names.sort()).toEqual(['harden-shop-web-*-file-integrity-monitoring', 'harden-shop-web-*-package-managers']);
    expect(PolicyLint.findings(chart).filter((f) => f.ruleId === 'KA014' || f.ruleId === 'KA015')).toEqual([]);
  });

  test.each([
    ['pod labels', (d: plus27.Deployment) => { d.podMetadata.addLabel('tier', 'web'); return PolicyTarget.podLabels({ tier: 'web' }); }],
    ['the whole namespace', () => PolicyTarget.namespace()],
    ['every namespace (a cluster policy)', () => PolicyTarget.allNamespaces()],
  ])('a workload whose pods a FileIntegrityPolicy selects by %s is covered: no second FIM, no KA005', (_what, target) => {
    const a = app();
    const chart = new Chart(a, 'shop', { namespace: 'shop' });
    const web = new plus27.Deployment(chart, 'web', { containers: [{ image: 'nginx' }] });
    new FileIntegrityPolicy(chart, 'fim', { target: target(web) });
    HardenedWorkload.hardenAll(a);
    const manifests = chart.toJson();
    expectConformant(manifests);
    expect(kubeArmorObjects(manifests).map((m) => m.metadata.name)).toHaveLength(1);
    expect(PolicyLint.findings(chart).filter((f) => f.severity === 'error')).toEqual([]);
  });
});
