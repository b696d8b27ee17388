/**
 * ComplianceReport as evidence: provenance, the workload × control matrix and its gaps, the per-policy
 * "how to verify" predicted by the simulator (kernel first on a read-only root filesystem), the HTML page.
 */
process.env.CDK8S_KUBEARMOR_QUIET = '1';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Testing, Yaml } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { buildApp } from '../examples/wordpress-mysql/main';
import { ComplianceControl, ComplianceReport, FileIntegrityPolicy, FileIntegrityPreset, HardenedWorkload, PolicyAction, PolicyLint, PolicyTarget } from '../src';
import { expectConformant } from './conformance/harness';
import { seedAlert } from './fixtures/seed';

const AT = { generatedAt: '2026-01-01T00:00:00Z' };
const EXAMPLE_OPTIONS = { generatedAt: '2026-01-01T00:00:00Z', buildId: 'examples/wordpress-mysql (npx projen example)' };
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

/** A shop: web hardened, api claims nothing, a job opted out, an audited and a disabled pod, an agent in kube-system. */
function shop(): App {
  const app = Testing.app();
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  const deployment = (id: string, annotations?: Record<string, string>, namespace?: string) => {
    const d = new kplus.Deployment(chart, id, { metadata: { name: id, ...(namespace ? { namespace } : {}) }, containers: [{ name: id, image: 'nginx' }] });
    for (const [k, v] of Object.entries(annotations ?? {})) d.podMetadata.addAnnotation(k, v);
    return d;
  };
  const web = deployment('web');
  deployment('api');
  const audited = deployment('audited', { 'kubearmor-policy': 'audited' });
  const disabled = deployment('disabled', { 'kubearmor-policy': 'disabled' });
  deployment('agent', undefined, 'kube-system');
  const job = new kplus.Job(chart, 'migrate', { metadata: { name: 'migrate' }, containers: [{ name: 'migrate', image: 'migrate' }] });
  HardenedWorkload.optOut(job, 'one-shot migration, exits within a minute');
  for (const [id, w] of [['web', web], ['audited', audited], ['disabled', disabled]] as const) {
    const fim = new FileIntegrityPolicy(chart, `${id}-fim`, {
      target: PolicyTarget.workload(w), presets: [], directories: ['/usr/local/bin/'], controls: [ComplianceControl.PCI_DSS_11_5_2, ComplianceControl.NIST_CM_5], policyName: `${id}-fim`,
    });
    // KA032 is an error: the disabled pod is kept (acknowledged) to show the report's gap row.
    if (id === 'disabled') PolicyLint.acknowledge(fim, 'KA032', 'the pod is deliberately unprotected while it is debugged');
  }
  return app;
}

describe('provenance', () => {
  test('date, library version, commit, build id, framework versions, sha256 of each chart as cdk8s writes it and of each policy', () => {
    const app = shop();
    expectConformant(app.charts.flatMap((c) => c.toJson()));
    const p = ComplianceReport.of(app, { ...AT, commit: '0123456789abcdef0123456789abcdef01234567', buildId: 'ci run 42' }).toJson();
    const version = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')).version;
    expect(p.provenance).toMatchObject({
      generatedAt: '2026-01-01T00:00:00Z',
      library: { name: 'cdk8s-kubearmor', version },
      commit: '0123456789abcdef0123456789abcdef01234567',
      buildId: 'ci run 42',
      frameworks: [
        { framework: 'NIST_800_53', title: 'NIST SP 800-53 Rev. 5.1.1', version: 'Rev. 5.1.1', reference: expect.stringMatching(/^https:\/\/csrc\.nist\.gov\//) },
        { framework: 'PCI_DSS', title: 'PCI DSS v4.0.1', version: 'v4.0.1', reference: expect.stringMatching(/^https:\/\//) },
      ],
    });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prov-'));
    const written = new App({ outdir: dir });
    const chart = new Chart(written, 'shop', { namespace: 'shop' });
    new FileIntegrityPolicy(chart, 'fim', { target: PolicyTarget.namespace(), presets: [FileIntegrityPreset.SYSTEM_BINARIES], policyName: 'fim' });
    written.synth();
    const report = ComplianceReport.of(written, AT).toJson();
    expect(report.provenance.manifests).toEqual([{ chart: 'shop', objects: 1, sha256: sha(fs.readFileSync(path.join(dir, 'shop.k8s.yaml'), 'utf8')) }]);
    expect(report.policies[0].sha256).toBe(sha(Yaml.stringify(chart.toJson()[0])));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('without options: SOURCE_DATE_EPOCH gives the date; commit and build are "not recorded"', () => {
    const before = process.env.SOURCE_DATE_EPOCH;
    process.env.SOURCE_DATE_EPOCH = '1767225600';
    try {
      const r = ComplianceReport.of(shop());
      expect(r.toJson().provenance.generatedAt).toBe('2026-01-01T00:00:00Z');
      expect(r.toJson().provenance.commit).toBeUndefined();
      expect(r.toMarkdown()).toContain('| Application commit | not recorded |');
      process.env.SOURCE_DATE_EPOCH = 'yesterday';
      expect(() => ComplianceReport.of(shop())).toThrow("ComplianceReport.of(<app>): SOURCE_DATE_EPOCH 'yesterday' is not a number of seconds");
    } finally {
      if (before === undefined) delete process.env.SOURCE_DATE_EPOCH;
      else process.env.SOURCE_DATE_EPOCH = before;
    }
  });

  test.each([
    [{ generatedAt: '2026-01-01' }, "generatedAt '2026-01-01' is not an ISO 8601 UTC time; write it as '2026-01-31T12:00:00Z'"],
    [{ generatedAt: '2026-13-01T00:00:00Z' }, "generatedAt '2026-13-01T00:00:00Z' is not an ISO 8601 UTC time"],
    [{ commit: 'HEAD' }, "commit 'HEAD' is not a git commit id; give 7 to 40 lower-case hex digits"],
    [{ buildId: 'a\nb' }, 'buildId'],
  ])('refuses bad provenance %j at the call', (options, message) => {
    expect(() => ComplianceReport.of(shop(), options)).toThrow(message);
  });
});

describe('workload × control matrix', () => {
  const json = ComplianceReport.of(shop(), AT).toJson();
  const row = (id: string) => json.matrix.rows.find((r: any) => r.workload === id);

  test('a row per workload from the manifests, a column per claimed control', () => {
    expect(json.matrix.columns).toEqual(['NIST_800-53_CM-5', 'PCI_DSS_11.5.2']);
    expect(json.matrix.rows.map((r: any) => [r.workload, r.status])).toEqual([
      ['Deployment/kube-system/agent', 'UNTRACKED_NAMESPACE'],
      ['Deployment/shop/api', 'NOT_COVERED'],
      ['Deployment/shop/audited', 'POLICY_AUDITED'],
      ['Deployment/shop/disabled', 'POLICY_DISABLED'],
      ['Deployment/shop/web', 'COVERED'],
      ['Job/shop/migrate', 'OPTED_OUT'],
    ]);
    expect(row('Job/shop/migrate').optOutReason).toBe('one-shot migration, exits within a minute');
  });

  test('cells: the Block level where enforced, the Audit level in an audited pod, gaps with their reason', () => {
    const cm5 = ComplianceControl.NIST_CM_5;
    expect(row('Deployment/shop/web').cells.map((c: any) => c.level)).toEqual([cm5.coverageUnderBlock, ComplianceControl.PCI_DSS_11_5_2.coverageUnderBlock]);
    expect(row('Deployment/shop/audited').cells[0]).toMatchObject({ status: 'POLICY_AUDITED', level: cm5.coverageUnderAudit, policies: ['audited-fim'] });
    expect(cm5.coverageUnderAudit).toBe('NOT_ADDRESSED');
    expect(row('Deployment/shop/disabled').cells[0]).toEqual({ status: 'POLICY_DISABLED', policies: ['disabled-fim'] });
    expect(row('Deployment/shop/api').cells[0]).toEqual({ status: 'NOT_COVERED' });
    expect(row('Job/shop/migrate').cells[0]).toEqual({ status: 'OPTED_OUT', reason: 'one-shot migration, exits within a minute' });
    expect(row('Deployment/kube-system/agent').cells[0]).toEqual({ status: 'UNTRACKED_NAMESPACE' });
    expect(json.summary.gaps).toBe(10);
    expect(json.controls[0].gaps.map((g: any) => g.workload)).toEqual([
      'Deployment/kube-system/agent', 'Deployment/shop/api', 'Deployment/shop/audited', 'Deployment/shop/disabled', 'Job/shop/migrate',
    ]);
  });

  test('a read-only root filesystem: detection cannot fire (the kernel refuses writes first), said in the cell', () => {
    expect(row('Deployment/shop/web').cells[0].detection).toMatch(/^kernel refuses writes first/);
  });

  test('under the staged Audit rollout CM-5 (an enforcement control) is NOT_ADDRESSED', () => {
    const app = shop();
    FileIntegrityPolicy.setRolloutAction(app.charts[0], PolicyAction.AUDIT);
    const j = ComplianceReport.of(app, AT).toJson();
    expect(j.controls[0].claims.map((c: any) => [c.policy, c.action, c.level])).toEqual([
      ['audited-fim', 'Audit', 'NOT_ADDRESSED'], ['disabled-fim', 'Audit', 'NOT_ADDRESSED'], ['web-fim', 'Audit', 'NOT_ADDRESSED'],
    ]);
    expect(j.controls[0].needsBlock).toBe(true);
  });
});

describe('the example (examples/wordpress-mysql)', () => {
  const report = ComplianceReport.of(buildApp(), EXAMPLE_OPTIONS);
  const json = report.toJson();

  test('the checked-in dist report is what the example produces, byte for byte, on every run', () => {
    const dist = path.join(__dirname, '..', 'examples', 'wordpress-mysql', 'dist');
    expect(report.toMarkdown()).toBe(fs.readFileSync(path.join(dist, 'compliance-report.md'), 'utf8'));
    expect(report.toHtml()).toBe(fs.readFileSync(path.join(dist, 'compliance-report.html'), 'utf8'));
    expect(`${JSON.stringify(json, null, 2)}\n`).toBe(fs.readFileSync(path.join(dist, 'compliance-report.json'), 'utf8'));
    expect(ComplianceReport.of(buildApp(), EXAMPLE_OPTIONS).toHtml()).toBe(report.toHtml());
    expect(json.provenance.manifests[0].sha256).toBe(sha(fs.readFileSync(path.join(dist, 'wordpress-mysql.k8s.yaml'), 'utf8')));
  });

  test('the matrix shows mysql\'s gaps (PCI DSS 11.5.2 is claimed for wordpress only), the opted-out job and the untracked agent', () => {
    const rows = new Map(json.matrix.rows.map((r: any) => [r.workload, r]));
    const col = json.matrix.columns.indexOf('PCI_DSS_11.5.2');
    expect((rows.get('Deployment/wordpress-mysql/mysql') as any).cells[col]).toEqual({ status: 'NOT_COVERED' });
    expect((rows.get('Deployment/wordpress-mysql/wordpress') as any).cells[col]).toMatchObject({ status: 'COVERED', level: 'PARTIAL' });
    expect((rows.get('Job/wordpress-mysql/db-migrate') as any).status).toBe('OPTED_OUT');
    expect((rows.get('Deployment/kube-system/metrics-agent') as any).status).toBe('UNTRACKED_NAMESPACE');
    const pci = json.controls.find((c: any) => c.tag === 'PCI_DSS_11.5.2');
    expect(pci.gaps.map((g: any) => [g.workload, g.status])).toEqual([
      ['Deployment/kube-system/metrics-agent', 'UNTRACKED_NAMESPACE'], ['Deployment/wordpress-mysql/mysql', 'NOT_COVERED'], ['Job/wordpress-mysql/db-migrate', 'OPTED_OUT'],
    ]);
  });

  test('how to verify mysql: the kernel refuses first (EROFS, no alert) under both enforcers; with a writable root filesystem, the seed\'s alert', () => {
    const mysql = json.policies.find((p: any) => p.name === 'harden-mysql-file-integrity-monitoring');
    expect(mysql.verify).toHaveLength(1);
    const v = mysql.verify[0];
    expect(v).toMatchObject({
      workload: 'Deployment/wordpress-mysql/mysql',
      container: 'mysql',
      operation: 'CREATE',
      path: '/bin/kubearmor-verify',
      kernelFirst: true,
      command: 'kubectl exec -n wordpress-mysql deploy/mysql -c mysql -- touch /bin/kubearmor-verify',
    });
    expect(v.outcomes.map((o: any) => [o.enforcer, o.action, o.result, o.alert])).toEqual([
      ['AppArmor', 'KERNEL', 'Read-only file system', undefined], ['BPFLSM', 'KERNEL', 'Read-only file system', undefined],
    ]);
    expect(v.outcomes[0].caveats[0]).toMatch(/^kernel: \/bin\/kubearmor-verify is on the read-only root filesystem/);
    const seed = seedAlert();
    const apparmor = v.withWritableRootFilesystem[0].alert;
    for (const f of ['PolicyName', 'Severity', 'Tags', 'ATags', 'Message', 'Action', 'Result', 'Enforcer', 'Operation', 'NamespaceName', 'ContainerName', 'ProcessName', 'Type']) {
      expect([f, apparmor[f]]).toEqual([f, seed[f]]);
    }
    expect(v.withWritableRootFilesystem[1].alert).toMatchObject({ Enforcer: 'BPFLSM', Action: 'Block', Result: 'Permission denied' });
    expect(report.toMarkdown()).toContain('The kernel refuses first: KubeArmor neither blocks nor alerts');
  });

  test('each protected set is listed once: /usr/local/share/ca-certificates/ appears once in the Markdown', () => {
    expect(report.toMarkdown().split('/usr/local/share/ca-certificates/').length - 1).toBe(1);
  });

  test('HTML: one page, no script, every internal link resolves, the matrix has a cell per claimed control per workload', () => {
    const html = report.toHtml();
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).not.toMatch(/<script|<link /);
    const ids = new Set([...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]));
    const links = [...html.matchAll(/\shref="#([^"]+)"/g)].map((m) => m[1]);
    expect(links.length).toBeGreaterThan(100);
    expect(links.filter((l) => !ids.has(l))).toEqual([]);
    const matrix = /<table class="matrix">([\s\S]*?)<\/table>/.exec(html)![1];
    expect(matrix.match(/data-status="/g)).toHaveLength(json.matrix.rows.length * json.matrix.columns.length);
    expect(matrix).toContain('data-status="NOT_COVERED"');
    expect(matrix).toContain('data-status="OPTED_OUT"');
    expect(matrix).toContain('data-status="UNTRACKED_NAMESPACE"');
  });
});

test('HTML escapes what it renders (an opt-out reason with markup)', () => {
  const app = Testing.app();
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  const job = new kplus.Job(chart, 'migrate', { metadata: { name: 'migrate' }, containers: [{ name: 'migrate', image: 'migrate' }] });
  HardenedWorkload.optOut(job, 'runs <script>alert("x")</script> & exits');
  new FileIntegrityPolicy(chart, 'fim', { target: PolicyTarget.podLabels({ app: 'web' }), presets: [], directories: ['/opt/app/'], controls: [ComplianceControl.NIST_SI_7], policyName: 'fim' });
  const html = ComplianceReport.of(app, AT).toHtml();
  expect(html).toContain('runs &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; exits');
  expect(html).not.toContain('<script');
});
