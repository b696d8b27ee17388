process.env.CDK8S_KUBEARMOR_QUIET = '1';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import {
  ComplianceControl, ComplianceFramework, ComplianceReport, FileIntegrityPolicy, FileIntegrityPreset, HardenedWorkload, PolicyAction, PolicyImport,
  PolicySection, PolicyTarget, SecurityPolicy,
} from '../src';
import { SEED_MESSAGE } from './fixtures/seed';
import { CONTROLS } from '../src/private/compliance-table';

const AT = { generatedAt: '2026-01-01T00:00:00Z' };
process.env.SOURCE_DATE_EPOCH = '1767225600';

function small(): { app: App; chart: Chart } {
  const app = Testing.app();
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  new FileIntegrityPolicy(chart, 'fim', {
    target: PolicyTarget.namespace(),
    presets: [],
    directories: ['/opt/app/'],
    paths: ['/etc/app.conf'],
    controls: [ComplianceControl.MITRE_T1565, ComplianceControl.NIST_SI_7],
    policyName: 'shop-fim',
  });
  return { app, chart };
}

function bigApp(order: 'ab' | 'ba' = 'ab'): { app: App; wordpress: Chart; cluster: Chart } {
  const app = Testing.app();
  const build: Record<string, () => Chart> = {
    a: () => {
      const chart = new Chart(app, 'wordpress', { namespace: 'wordpress-mysql' });
      const mysql = new kplus.Deployment(chart, 'mysql', { select: false, containers: [{ image: 'mysql:5.6' }] });
      mysql.podMetadata.addLabel('app', 'mysql');
      mysql.select(kplus.LabelSelector.of({ labels: { app: 'mysql' } }));
      new FileIntegrityPolicy(chart, 'fim', {
        target: PolicyTarget.workload(mysql),
        presets: [FileIntegrityPreset.KUBEARMOR_FIM_TEMPLATE],
        severity: 1,
        message: SEED_MESSAGE,
        policyName: 'harden-mysql-file-integrity-monitoring',
      });
      return chart;
    },
    b: () => {
      const chart = new Chart(app, 'cluster');
      new FileIntegrityPolicy(chart, 'nodes', { target: PolicyTarget.nodes({ role: 'db' }), presets: [FileIntegrityPreset.BOOT], policyName: 'node-boot' });
      new FileIntegrityPolicy(chart, 'all', { target: PolicyTarget.allNamespaces(), presets: [FileIntegrityPreset.TRUST_STORES], policyName: 'trust' });
      new SecurityPolicy(chart, 'logs', {
        target: PolicyTarget.allNamespaces(),
        policyName: 'log-deletion',
        action: PolicyAction.BLOCK,
        tags: ['NIST', 'NIST_800-53_AU-9', 'MITRE_T1070_indicator_removal_on_host'],
        fileDirectories: [{ dir: '/var/log/', recursive: true, fromSource: ['/usr/bin/rm'] }],
      });
      new SecurityPolicy(chart, 'untagged', { target: PolicyTarget.allNamespaces(), policyName: 'untagged', filePaths: [{ path: '/etc/motd', readOnly: true }] });
      return chart;
    },
  };
  const charts = order === 'ab' ? [build.a(), build.b()] : [build.b(), build.a()].reverse();
  return { app, wordpress: charts[0], cluster: charts[1] };
}

describe('ComplianceReport', () => {
  test('JSON: each control -> its claims (policy, action, level, rules) -> the policy, listed once with its protected set', () => {
    const { app } = small();
    const json = ComplianceReport.of(app, AT).toJson();
    expect(json).toMatchObject({ generator: 'cdk8s-kubearmor ComplianceReport', schemaVersion: 2, scope: '<app>' });
    expect(json.controls.map((c: any) => [c.tag, c.coverage, c.needsBlock, c.claims])).toEqual([
      ['NIST_800-53_SI-7', { block: 'PARTIAL', audit: 'PARTIAL' }, false, [{
        policy: 'shop-fim',
        anchor: 'policy-kubearmorpolicy-shop-shop-fim',
        kind: 'KubeArmorPolicy',
        action: 'Block',
        level: 'PARTIAL',
        rules: ['/spec/file/matchPaths/0', '/spec/file/matchDirectories/0'],
        workloads: [],
      }]],
      ['MITRE_T1565_data_manipulation', expect.objectContaining({ block: ComplianceControl.MITRE_T1565.coverageUnderBlock }), false, [expect.objectContaining({ policy: 'shop-fim' })]],
    ]);
    const si7 = ComplianceControl.NIST_SI_7;
    expect(json.controls[0]).toMatchObject({
      requirement: si7.requirement, source: si7.sourceReference, notMet: si7.notMet, customer: si7.customerResponsibility,
    });
    expect(json.policies).toEqual([expect.objectContaining({
      name: 'shop-fim',
      kind: 'KubeArmorPolicy',
      namespace: 'shop',
      construct: 'FileIntegrityPolicy',
      constructPath: 'shop/fim',
      target: 'every pod in namespace (chart namespace)',
      action: 'Block',
      actionOrigin: 'default',
      protection: 'prevention',
      severity: 5,
      directories: [{ dir: '/opt/app/', recursive: true, readOnly: true }],
      paths: [{ path: '/etc/app.conf', readOnly: true }],
      rules: [
        {
          pointer: '/spec/file/matchPaths/0',
          list: 'file.matchPaths',
          target: '/etc/app.conf',
          action: 'Block',
          actionOrigin: 'default',
          origin: "shop/fim (paths[] '/etc/app.conf')",
          controls: ['NIST_800-53_SI-7', 'MITRE_T1565_data_manipulation'],
        },
        {
          pointer: '/spec/file/matchDirectories/0',
          list: 'file.matchDirectories',
          target: '/opt/app/',
          action: 'Block',
          actionOrigin: 'default',
          origin: "shop/fim (directories[] '/opt/app/')",
          controls: ['NIST_800-53_SI-7', 'MITRE_T1565_data_manipulation'],
        },
      ],
      controls: ['NIST_800-53_SI-7', 'MITRE_T1565_data_manipulation'],
      selects: [],
      verify: [],
    })]);
  });

  test('Markdown: provenance, matrix, one section per control, each protected set once (under its policy)', () => {
    const { app } = small();
    const md = ComplianceReport.of(app, AT).toMarkdown();
    expect(md).toContain('| Generated at | 2026-01-01T00:00:00Z |');
    expect(md).toContain('#### SI-7 Software, Firmware, and Information Integrity');
    expect(md).toContain('Coverage with Block: **Partial**; with Audit: **Partial**.');
    expect(md).toContain('| shop-fim | Block | Partial | none |');
    expect(md.split('`/opt/app/` (directory, recursive, read-only)').length - 1).toBe(1);
    expect(md.split('`/etc/app.conf` (file, read-only)').length - 1).toBe(1);
    expect(md).toContain('## Controls researched and not covered');
    expect(md).toContain('| NIST_800_53 | SI-7(1) Software, Firmware, and Information Integrity \\| Integrity Checks |');
  });

  test('covers FIM policies at every scope and tagged SecurityPolicies; reports the staged action', () => {
    const { app, cluster } = bigApp();
    FileIntegrityPolicy.setRolloutAction(cluster, PolicyAction.AUDIT);
    const json = ComplianceReport.of(app).toJson();
    expect(json.policies.map((p: any) => [p.constructPath, p.kind, p.action, p.actionOrigin])).toEqual([
      ['cluster/all', 'KubeArmorClusterPolicy', 'Audit', 'staged rollout set on cluster'],
      ['cluster/logs', 'KubeArmorClusterPolicy', 'Block', 'construct action'],
      ['cluster/nodes', 'KubeArmorHostPolicy', 'Audit', 'staged rollout set on cluster'],
      ['wordpress/fim', 'KubeArmorPolicy', 'Block', 'default'],
    ]);
    const t1070 = json.controls.find((c: any) => c.id === 'T1070');
    expect(t1070).toMatchObject({ framework: 'MITRE_ATTACK', tag: 'MITRE_T1070_indicator_removal_on_host', title: 'indicator removal on host' });
    expect(t1070.claims.map((p: any) => p.policy)).toEqual(['log-deletion']);
    const au2 = json.controls.find((c: any) => c.tag === 'NIST_800-53_AU-2');
    const targetOf = (name: string) => json.policies.find((p: any) => p.name === name).target;
    expect(au2.claims.map((p: any) => [p.policy, targetOf(p.policy)])).toEqual([
      ['trust', 'every pod in every namespace'],
      ['node-boot', 'nodes labelled role=db'],
      ['harden-mysql-file-integrity-monitoring', json.policies[3].target],
    ]);
    expect(json.policies[3].target).toMatch(/^pods of Deployment wordpress-mysql\//);
    expect(json.policies.find((p: any) => p.name === 'untagged')).toBeUndefined();
  });

  test('agrees with the synthesised manifests (action, rules) and with the compliance table (tags)', () => {
    const { app, cluster, wordpress } = bigApp();
    FileIntegrityPolicy.setRolloutAction(wordpress, PolicyAction.AUDIT);
    const json = ComplianceReport.of(app).toJson();
    const objs = [...Testing.synth(wordpress), ...Testing.synth(cluster)].filter((o: any) => o.apiVersion?.startsWith('security.kubearmor.com'));
    for (const p of json.policies) {
      const o = objs.find((x: any) => x.metadata.name === p.name);
      expect(o.spec.action ?? 'Block').toBe(p.action);
      expect((o.spec.file.matchDirectories ?? []).map((d: any) => d.dir)).toEqual(p.directories.map((d: any) => d.dir));
      for (const tag of p.controls) expect(o.spec.tags).toContain(tag);
    }
    const tableTags = new Set(CONTROLS.map((c) => c.tag));
    for (const c of json.controls) {
      const control = ComplianceControl.custom(c.framework as ComplianceFramework, c.id);
      expect(tableTags.has(c.tag)).toBe(control.isBuiltIn);
    }
    expect(ComplianceReport.of(app).controls.map((c) => c.tag)).toEqual(json.controls.map((c: any) => c.tag));
  });

  test('is deterministic: same output whatever order charts were built in, and on every call', () => {
    const a = ComplianceReport.of(bigApp('ab').app);
    const b = ComplianceReport.of(bigApp('ba').app);
    expect(a.toMarkdown()).toBe(b.toMarkdown());
    expect(a.toJson()).toEqual(b.toJson());
    expect(a.toMarkdown()).toBe(a.toMarkdown());
  });

  test('a chart scope reports only that chart', () => {
    const { wordpress } = bigApp();
    const r = ComplianceReport.of(wordpress);
    expect(r.policyNames).toEqual(['harden-mysql-file-integrity-monitoring']);
    expect(r.controls).toEqual([
      ComplianceControl.NIST_AU_2, ComplianceControl.NIST_SI_4, ComplianceControl.MITRE_T1036, ComplianceControl.MITRE_T1565,
    ]);
    expect(r.toJson().scope).toBe('wordpress');
  });

  test('writeFiles writes compliance-report.md, .json and .html', () => {
    const { app } = small();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'report-'));
    const out = path.join(dir, 'nested');
    const report = ComplianceReport.of(app);
    expect(report.writeFiles(out)).toEqual(['md', 'json', 'html'].map((x) => path.join(out, `compliance-report.${x}`)));
    expect(fs.readFileSync(path.join(out, 'compliance-report.md'), 'utf8')).toBe(report.toMarkdown());
    expect(fs.readFileSync(path.join(out, 'compliance-report.html'), 'utf8')).toBe(report.toHtml());
    expect(JSON.parse(fs.readFileSync(path.join(out, 'compliance-report.json'), 'utf8'))).toEqual(report.toJson());
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('ComplianceReport = what is emitted', () => {
  /** Controls carried by each rule of the synthesised objects, by the inheritance rule read from the YAML itself. */
  function controlsInYaml(objects: any[]): string[] {
    const out: string[] = [];
    for (const o of objects.filter((x) => x.apiVersion === 'security.kubearmor.com/v1')) {
      for (const [section, body] of Object.entries<any>(o.spec)) {
        if (body === null || typeof body !== 'object' || Array.isArray(body)) continue;
        for (const [list, rules] of Object.entries<any>(body)) {
          if (!Array.isArray(rules)) continue;
          rules.forEach((r: any, i: number) => {
            const tags: string[] = r.tags?.length ? r.tags : body.tags?.length ? body.tags : o.spec.tags ?? [];
            const controls = tags.filter((t) => ComplianceControl._fromTag(t) !== undefined).sort();
            const action = section === 'syscalls' ? 'Audit' : r.action || body.action || o.spec.action || 'Block';
            if (controls.length) out.push(`${o.metadata.name} /spec/${section}/${list}/${i} ${action} ${controls.join(',')}`);
          });
        }
      }
    }
    return out.sort();
  }

  function controlsInReport(report: ComplianceReport): string[] {
    return report.toJson().policies.flatMap((p: any) => p.rules.map((r: any) => `${p.name} ${r.pointer} ${r.action} ${[...r.controls].sort().join(',')}`)).sort();
  }

  test('rules added by every route (FIM props, builder methods, fim.policy.*, import, hardenAll) are in the report exactly as in the YAML', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    const web = new kplus.Deployment(chart, 'web', { containers: [{ image: 'nginx' }] });
    new kplus.Deployment(chart, 'api', { containers: [{ image: 'api' }] });
    const fim = new FileIntegrityPolicy(chart, 'fim', {
      target: PolicyTarget.workload(web), presets: [], directories: ['/opt/app/'], controls: [ComplianceControl.NIST_SI_7], policyName: 'web-fim',
    });
    fim.addPath('/etc/app.conf');
    fim.addDirectory('/usr/local/bin/');
    fim.policy.addFileDirectory('/srv/', { recursive: true, readOnly: true });
    PolicyImport.fromYaml(chart, [
      'apiVersion: security.kubearmor.com/v1',
      'kind: KubeArmorPolicy',
      'metadata: { name: imported, namespace: shop }',
      'spec:',
      '  selector: { matchLabels: { app: legacy } }',
      '  severity: 5',
      '  tags: [PCI_DSS_11.5.2]',
      '  file:',
      '    matchDirectories:',
      '      - { dir: /var/www/, recursive: true, readOnly: true }',
      '      - { dir: /tmp/, recursive: true, tags: [MITRE_T1565_data_manipulation] }',
    ].join('\n'));
    HardenedWorkload.hardenAll(chart);
    const objects = Testing.synth(chart);
    const report = ComplianceReport.of(app);
    const fromReport = controlsInReport(report);
    expect(fromReport).toEqual(controlsInYaml(objects));
    expect(fromReport).toContain('web-fim /spec/file/matchDirectories/1 Block NIST_800-53_SI-7');
    expect(report.toJson().policies.find((p: any) => p.name === 'web-fim').directories.map((d: any) => d.dir)).toEqual(['/opt/app/', '/srv/', '/usr/local/bin/']);
    expect(fromReport.some((l) => l.startsWith('imported /spec/file/matchDirectories/1 Block MITRE_T1565'))).toBe(true);
    expect(report.toJson().policies.filter((p: any) => p.constructPath.startsWith('shop/')).map((p: any) => p.construct)).toContain('FileIntegrityPolicy');
    expect(report.toJson().policies.some((p: any) => /^harden-.*api.*-file-integrity-monitoring$/.test(p.name))).toBe(true);
  });

  test('an Audit section with rule tags that replace the spec\'s: detection of the rule\'s control only, no claim of the spec\'s', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    const p = new SecurityPolicy(chart, 'p', {
      target: PolicyTarget.podLabels({ app: 'web' }),
      policyName: 'audit-only',
      action: PolicyAction.BLOCK,
      severity: 5,
      tags: ComplianceControl._tagsOf([ComplianceControl.PCI_DSS_11_5_2]),
    });
    p.configureSection(PolicySection.FILE, { action: PolicyAction.AUDIT });
    p.addFileDirectory('/srv/', { recursive: true, tags: ['MITRE_T1565_data_manipulation'] });
    const json = ComplianceReport.of(app).toJson();
    expect(json.controls.map((c: any) => c.tag)).toEqual(['MITRE_T1565_data_manipulation']);
    expect(json.controls[0].claims).toEqual([expect.objectContaining({ policy: 'audit-only', action: 'Audit', level: ComplianceControl.MITRE_T1565.coverageUnderAudit })]);
    expect(json.policies[0]).toMatchObject({
      name: 'audit-only',
      action: 'Audit',
      actionOrigin: 'spec.file.action',
      protection: 'detection',
      rules: [{ pointer: '/spec/file/matchDirectories/0', target: '/srv/', action: 'Audit', actionOrigin: 'spec.file.action', origin: 'shop/p (addFileDirectory)', controls: ['MITRE_T1565_data_manipulation'] }],
    });
    const md = ComplianceReport.of(app).toMarkdown();
    expect(md).toContain('| Action | Audit (spec.file.action): detection |');
    expect(md).toContain('- `/srv/` (directory, recursive, all access)');
  });

  test('HardenedWorkload\'s extra policies report how their action was decided (staged rollout, default)', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    new HardenedWorkload(chart, 'web', { containers: [{ image: 'nginx' }], blockPackageManagers: true });
    FileIntegrityPolicy.setRolloutAction(chart, PolicyAction.AUDIT);
    const origins = ComplianceReport.of(app).toJson().policies.map((p: any) => [p.constructPath, p.action, p.actionOrigin, p.protection]);
    expect(origins).toEqual([
      ['shop/web/FileIntegrity', 'Audit', 'staged rollout set on shop', 'detection'],
      ['shop/web/PackageManagers', 'Audit', 'staged rollout set on shop', 'detection'],
    ]);
  });
});
