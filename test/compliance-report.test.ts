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
  test('JSON: each control -> its policies -> target, protected paths and resolved action', () => {
    const { app } = small();
    expect(ComplianceReport.of(app).toJson()).toEqual({
      generator: 'cdk8s-kubearmor ComplianceReport',
      schemaVersion: 1,
      scope: '<app>',
      controls: [
        { framework: 'NIST_800_53', frameworkTitle: 'NIST SP 800-53 Rev. 5.1.1', id: 'SI-7', title: 'Software, Firmware, and Information Integrity', tag: 'NIST_800-53_SI-7', policies: [expect.objectContaining({ name: 'shop-fim' })] },
        { framework: 'MITRE_ATTACK', frameworkTitle: 'MITRE ATT&CK Enterprise v17', id: 'T1565', title: 'Data Manipulation', tag: 'MITRE_T1565_data_manipulation', policies: [expect.objectContaining({ name: 'shop-fim' })] },
      ],
      policies: [{
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
          { pointer: '/spec/file/matchPaths/0', list: 'file.matchPaths', target: '/etc/app.conf', action: 'Block', actionOrigin: 'default', origin: "shop/fim (paths[] '/etc/app.conf')", controls: ['NIST_800-53_SI-7', 'MITRE_T1565_data_manipulation'] },
          { pointer: '/spec/file/matchDirectories/0', list: 'file.matchDirectories', target: '/opt/app/', action: 'Block', actionOrigin: 'default', origin: "shop/fim (directories[] '/opt/app/')", controls: ['NIST_800-53_SI-7', 'MITRE_T1565_data_manipulation'] },
        ],
        controls: ['NIST_800-53_SI-7', 'MITRE_T1565_data_manipulation'],
      }],
    });
  });

  test('Markdown: one section per framework, one table per control', () => {
    const { app } = small();
    expect(ComplianceReport.of(app).toMarkdown()).toBe([
      '# Compliance evidence',
      '',
      'Generated by cdk8s-kubearmor from the policies under `<app>`: 1 policy claims 2 controls. Read-only rules let reads and exec through; with Block KubeArmor denies every change (write, append, truncate, create, delete, rename, chmod, link) and alerts, with Audit it only alerts on those changes.',
      '',
      '## NIST SP 800-53 Rev. 5.1.1',
      '',
      '### SI-7 Software, Firmware, and Information Integrity',
      '',
      'Tag: `NIST_800-53_SI-7`',
      '',
      '| Policy | Kind | Namespace | Target | Action | Protected |',
      '|---|---|---|---|---|---|',
      '| shop-fim | KubeArmorPolicy | shop | every pod in namespace (chart namespace) | Block (default) | `/opt/app/` (recursive, read-only)<br>`/etc/app.conf` (read-only) |',
      '',
      '## MITRE ATT&CK Enterprise v17',
      '',
      '### T1565 Data Manipulation',
      '',
      'Tag: `MITRE_T1565_data_manipulation`',
      '',
      '| Policy | Kind | Namespace | Target | Action | Protected |',
      '|---|---|---|---|---|---|',
      '| shop-fim | KubeArmorPolicy | shop | every pod in namespace (chart namespace) | Block (default) | `/opt/app/` (recursive, read-only)<br>`/etc/app.conf` (read-only) |',
      '',
      '## Policies',
      '',
      '| Policy | Construct | Controls |',
      '|---|---|---|',
      '| shop-fim | `shop/fim` (FileIntegrityPolicy) | `NIST_800-53_SI-7` `MITRE_T1565_data_manipulation` |',
      '',
    ].join('\n'));
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
    expect(t1070.policies.map((p: any) => p.name)).toEqual(['log-deletion']);
    const au2 = json.controls.find((c: any) => c.tag === 'NIST_800-53_AU-2');
    expect(au2.policies.map((p: any) => [p.name, p.target])).toEqual([
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

  test('writeFiles writes compliance-report.md and compliance-report.json', () => {
    const { app } = small();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'report-'));
    const out = path.join(dir, 'nested');
    const report = ComplianceReport.of(app);
    expect(report.writeFiles(out)).toEqual([path.join(out, 'compliance-report.md'), path.join(out, 'compliance-report.json')]);
    expect(fs.readFileSync(path.join(out, 'compliance-report.md'), 'utf8')).toBe(report.toMarkdown());
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
    expect(json.controls[0].policies[0]).toMatchObject({
      name: 'audit-only',
      action: 'Audit',
      actionOrigin: 'spec.file.action',
      protection: 'detection',
      rules: [{ pointer: '/spec/file/matchDirectories/0', target: '/srv/', action: 'Audit', actionOrigin: 'spec.file.action', origin: 'shop/p (addFileDirectory)', controls: ['MITRE_T1565_data_manipulation'] }],
    });
    expect(ComplianceReport.of(app).toMarkdown()).toContain('| audit-only | KubeArmorPolicy | shop | pods labelled app=web in the chart namespace | Audit (spec.file.action): detection only | `/srv/` (recursive, all access) |');
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
