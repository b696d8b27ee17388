/**
 * KA040 detection-cannot-fire through the constructs and the lint CLI: a read-only file-integrity policy
 * whose every path is on the container's read-only root filesystem (cdk8s-plus's default) never alerts.
 */
process.env.CDK8S_KUBEARMOR_QUIET = '1';
import { Chart, Testing, Yaml } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { ComplianceReport, FileIntegrityPolicy, HardenedWorkload, PolicyLint, PolicyTarget } from '../../src';
import { KA040_REASON } from '../../src/private/lint-rules-evidence';
import { lintSources } from '../../src/private/lint-sources';
import { expectConformant } from '../conformance/harness';

function app(mounts: string[] = [], readOnlyRootFilesystem?: boolean) {
  const a = Testing.app();
  const chart = new Chart(a, 'shop', { namespace: 'shop' });
  const web = new kplus.Deployment(chart, 'web', {
    containers: [{
      name: 'web',
      image: 'nginx',
      ...(readOnlyRootFilesystem === undefined ? {} : { securityContext: { readOnlyRootFilesystem } }),
      volumeMounts: mounts.map((p, i) => ({ path: p, volume: kplus.Volume.fromEmptyDir(chart, `v${i}`, `v${i}`) })),
    }],
  });
  return { app: a, chart, web };
}

const ka040 = (scope: any) => PolicyLint.findings(scope).filter((f) => f.ruleId === 'KA040');

describe('KA040 detection-cannot-fire', () => {
  test('a FileIntegrityPolicy on a cdk8s-plus Deployment (read-only root filesystem by default) warns, naming the workload', () => {
    const { app: a, chart, web } = app(['/tmp']);
    new FileIntegrityPolicy(chart, 'fim', { target: PolicyTarget.workload(web), presets: [], directories: ['/usr/bin/', '/bin/'], policyName: 'fim' });
    expectConformant(chart.toJson());
    const [f, ...rest] = ka040(a);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ severity: 'warning', constructPath: 'shop/fim/Policy', jsonPath: '/spec/file', acknowledgement: undefined });
    expect(f.message).toBe('every path the 2 read-only file rules of KubeArmorPolicy/shop/fim protect is on the read-only root filesystem of shop/web '
      + '(readOnlyRootFilesystem: true, no writable mount over it): writes fail with EROFS before KubeArmor\'s hooks, so it neither blocks nor alerts there and gives no detection evidence');
  });

  test('no finding where the kernel lets a write through: a writable mount over a protected directory, or a writable root filesystem', () => {
    const over = app(['/opt/app/cache']);
    new FileIntegrityPolicy(over.chart, 'fim', { target: PolicyTarget.workload(over.web), presets: [], directories: ['/opt/app/'], policyName: 'fim' });
    expect(ka040(over.app)).toEqual([]);
    const writable = app([], false);
    new FileIntegrityPolicy(writable.chart, 'fim', { target: PolicyTarget.workload(writable.web), presets: [], directories: ['/usr/bin/', '/bin/'], policyName: 'fim' });
    expect(ka040(writable.app)).toEqual([]);
  });

  test('HardenedWorkload acknowledges it with its reason: in the findings, the manifest and the compliance report', () => {
    const { app: a, chart, web } = app();
    HardenedWorkload.harden(chart, 'web-hardening', web);
    const [f] = ka040(a);
    expect(f.acknowledgement).toBe(KA040_REASON);
    expect(KA040_REASON).toMatch(/defence in depth/);
    const report = ComplianceReport.of(a, { generatedAt: '2026-01-01T00:00:00Z' });
    expect(report.toJson().policies[0].acknowledgements).toEqual([{ lint: 'KA040', reason: KA040_REASON }]);
    expect(report.toMarkdown()).toContain(`| Lint KA040 acknowledged | ${KA040_REASON} |`);
    expectConformant(chart.toJson());
  });

  test('the lint CLI reads readOnlyRootFilesystem and volume mounts from the manifests', () => {
    const { chart, web } = app(['/tmp']);
    new FileIntegrityPolicy(chart, 'fim', { target: PolicyTarget.workload(web), presets: [], directories: ['/usr/bin/', '/bin/'], policyName: 'fim' });
    const text = Yaml.stringify(...chart.toJson());
    const report = lintSources([{ file: 'app.yaml', text }]);
    expect(report.findings.filter((x) => x.id === 'KA040').map((x) => [x.file, x.pointer, x.severity])).toEqual([['app.yaml', '/spec/file', 'warning']]);
    const writable = text.replace(/readOnlyRootFilesystem: true/g, 'readOnlyRootFilesystem: false');
    expect(lintSources([{ file: 'app.yaml', text: writable }]).findings.filter((x) => x.id === 'KA040')).toEqual([]);
  });
});
