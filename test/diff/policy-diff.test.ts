/**
 * PolicyDiff on the example app: its dist against variants synthesised here (preset removed, Audit
 * rollout, an Allow rule added, a label changed, every construct renamed, every rule list reordered).
 */
import { exampleDist, mysqlRelabelled, reordered, variantManifests } from './example-variants';
import { DiffChange, PolicyDiff } from '../../src';
import { expectConformant } from '../conformance/harness';

process.env.CDK8S_KUBEARMOR_QUIET = '1';

const MYSQL = 'Deployment/wordpress-mysql/mysql';
const WORDPRESS = 'Deployment/wordpress-mysql/wordpress';
const base = exampleDist();

function workload(r: ReturnType<typeof PolicyDiff.compareManifests>, key: string) {
  const w = r.workloads.find((x) => x.key === key);
  if (!w) throw new Error(`no workload ${key} in ${r.workloads.map((x) => x.key).join(', ')}`);
  return w;
}

describe('PolicyDiff on the example app', () => {
  test('the variant builder with no knob synthesises the example dist exactly; every variant is valid against the CRDs', () => {
    expect(variantManifests()).toEqual(base);
    for (const v of [{ idSuffix: '-v2' }, { dropMysqlPreset: true }, { audit: true }, { allowRule: true }]) expectConformant(variantManifests(v));
    expectConformant(reordered(base));
  });

  test('identical apps, every construct renamed, every rule list reordered: no enforcement change', () => {
    for (const after of [variantManifests(), variantManifests({ idSuffix: '-renamed' }), reordered(base)]) {
      const r = PolicyDiff.compareManifests(base, after);
      expect(r.hasChanges).toBe(false);
      expect(r.changedWorkloads).toEqual([]);
      expect(r.toText().split('\n')[0]).toBe('diff: 3 KubeArmor policies before, 3 after; 4 workloads: no enforcement change');
    }
    const renamed = variantManifests({ idSuffix: '-renamed' });
    // the rename really changed the objects: the wordpress pods' address label and its policies' selectors
    expect(JSON.stringify(renamed)).not.toEqual(JSON.stringify(base));
    const r = PolicyDiff.compareManifests(base, reordered(base));
    expect(r.workloads.map((w) => [w.key, w.change, w.notes.length, w.probes > 0])).toEqual([
      ['Deployment/kube-system/metrics-agent', DiffChange.UNCHANGED, 0, false],
      [MYSQL, DiffChange.UNCHANGED, 1, true],
      [WORDPRESS, DiffChange.UNCHANGED, 1, true],
      ['Job/wordpress-mysql/db-migrate', DiffChange.UNCHANGED, 0, false],
    ]);
  });

  test('Audit rollout: every rule Block → Audit, writes permitted with an Audit alert, KA006 new, controls prevention → detection', () => {
    const r = PolicyDiff.compareManifests(base, variantManifests({ audit: true }));
    expect(r.hasChanges).toBe(true);
    const m = workload(r, MYSQL);
    expect(m.change).toBe(DiffChange.CHANGED);
    expect(m.protection.map((p) => `${p.change} ${p.rule}: ${p.before} → ${p.after}`)).toContain(
      'CHANGED file.matchDirectories /bin/: Block, readOnly, recursive → Audit, readOnly, recursive');
    expect(m.protection.every((p) => p.change === DiffChange.CHANGED)).toBe(true);
    const w = m.accesses.find((a) => a.operation === 'WRITE' && a.target === '/bin/diff-probe')!;
    expect(w.description).toBe('WRITE /bin/diff-probe by /bin/sh: denied, Block alert harden-mysql-file-integrity-monitoring before, '
      + 'permitted, Audit alert harden-mysql-file-integrity-monitoring after [both enforcers, both postures]');
    expect(m.accesses.some((a) => a.operation === 'READ')).toBe(false);
    // one KA006 finding per policy and rule (its places grouped)
    expect(m.lints.map((l) => `${l.change} ${l.id}`)).toEqual(['ADDED KA006']);
    expect(m.compliance).toContain('NIST_800-53_SI-4: prevention → detection');
    const wp = workload(r, WORDPRESS);
    expect(wp.protection.find((p) => p.rule === 'process.matchPaths apt')).toMatchObject({ change: DiffChange.CHANGED, before: 'Block', after: 'Audit', policies: ['harden-wordpress-package-managers'] });
    expect(wp.accesses.map((a) => a.description)).toContain('EXEC /usr/bin/apt by /bin/sh: denied, Block alert harden-wordpress-package-managers before, '
      + 'permitted, Audit alert harden-wordpress-package-managers after [both enforcers, both postures]');
  });

  test('preset removed (mysql gets the default presets instead of the FIM template): directories added, denials gained, controls gained', () => {
    const r = PolicyDiff.compareManifests(base, variantManifests({ dropMysqlPreset: true }));
    const m = workload(r, MYSQL);
    expect(workload(r, WORDPRESS).change).toBe(DiffChange.UNCHANGED);
    expect(m.protection.filter((p) => p.change === DiffChange.ADDED).map((p) => p.rule)).toContain('file.matchDirectories /lib/');
    expect(m.protection.some((p) => p.change === DiffChange.REMOVED)).toBe(false);
    expect(m.accesses.map((a) => a.description)).toContain('WRITE /lib/diff-probe by /bin/sh: permitted, no alert before, '
      + 'denied, Block alert harden-mysql-file-integrity-monitoring after [both enforcers, both postures]');
    expect(m.compliance).toContain('gains PCI_DSS_11.5.2 (prevention)');
    // the lint the example acknowledges (KA004, the template's /lib/) is resolved by the default presets: nothing new to report
    expect(m.lints.filter((l) => l.change === DiffChange.ADDED)).toEqual([]);
  });

  test('the reverse (the preset put back) reports the same rules as removed and the denials lost', () => {
    const r = PolicyDiff.compareManifests(variantManifests({ dropMysqlPreset: true }), base);
    const m = workload(r, MYSQL);
    expect(m.protection.filter((p) => p.change === DiffChange.REMOVED).map((p) => p.rule)).toContain('file.matchDirectories /lib/');
    expect(m.compliance).toContain('loses PCI_DSS_11.5.2 (was prevention)');
  });

  test('an Allow rule added: mysql enters file allow-list mode, unlisted access follows the default posture, enforcers diverge', () => {
    const r = PolicyDiff.compareManifests(base, variantManifests({ allowRule: true }));
    expect(r.policies).toEqual([3, 4]);
    const m = workload(r, MYSQL);
    expect(m.protection.map((p) => `${p.change} ${p.rule}: ${p.after}`)).toEqual(['ADDED file.matchDirectories /var/lib/mysql/: Allow, recursive']);
    expect(m.posture).toEqual(['file: enters allow-list mode (an Allow rule; unlisted access now follows the default posture)']);
    expect(m.selection).toEqual(['newly selected by mysql-allow-data']);
    expect(m.lints.map((l) => `${l.change} ${l.id} ${l.policyName}`)).toEqual([
      'ADDED KA002 mysql-allow-data', 'ADDED KA009 mysql-allow-data',
      // under the block posture the FIM template's non-recursive directories are enforced differently per enforcer
      'ADDED KA025 harden-mysql-file-integrity-monitoring',
    ]);
    const unlisted = m.accesses.filter((a) => a.target === '/diff-probe/unlisted-file' && a.operation === 'WRITE').map((a) => a.description);
    expect(unlisted).toEqual([
      'WRITE /diff-probe/unlisted-file by /bin/sh: permitted, no alert before, permitted, Audit alert DefaultPosture after [AppArmor/audit, BPF-LSM/audit]',
      'WRITE /diff-probe/unlisted-file by /bin/sh: permitted, no alert before, denied, Block alert DefaultPosture after [AppArmor/block, BPF-LSM/block]',
    ]);
    expect(m.divergence.length).toBeGreaterThan(0);
    expect(workload(r, WORDPRESS).change).toBe(DiffChange.UNCHANGED);
  });

  test('a label changed: the policy no longer selects mysql, its protection and controls are lost', () => {
    const r = PolicyDiff.compareManifests(base, mysqlRelabelled(base));
    const m = workload(r, MYSQL);
    expect(m.workload).toBe('Deployment wordpress-mysql/mysql {app=mysql-db, cdk8s.io/metadata.addr=wordpress-mysql-mysql-c81ff375}');
    expect(m.selection).toEqual(['no longer selected by harden-mysql-file-integrity-monitoring']);
    expect(m.protection.every((p) => p.change === DiffChange.REMOVED)).toBe(true);
    expect(m.compliance).toContain('loses NIST_800-53_SI-4 (was prevention)');
    expect(m.accesses.map((a) => a.description)).toContain('WRITE /bin/diff-probe by /bin/sh: denied, Block alert harden-mysql-file-integrity-monitoring before, permitted, no alert after [both enforcers, both postures]');
    expect(r.newlySelectingNothing).toEqual(['KubeArmorPolicy/wordpress-mysql/harden-mysql-file-integrity-monitoring (selected 1 before)']);
  });
});

describe('PolicyDiff beyond the example', () => {
  const policy = (name: string, spec: any) => ({ apiVersion: 'security.kubearmor.com/v1', kind: 'KubeArmorPolicy', metadata: { name, namespace: 'ns' }, spec: { selector: { matchLabels: { app: 'a' } }, ...spec } });
  const fim = { action: 'Block', severity: 3, file: { matchPaths: [{ path: '/etc/nginx/nginx.conf', readOnly: true, fromSource: [{ path: '/bin/sh' }] }] } };

  test('without workloads, the selector stands for the pods; a renamed policy is one rename and no enforcement change', () => {
    const r = PolicyDiff.compareManifests([policy('a', fim)], [policy('b', fim)]);
    expect(r.workloadsKnown).toBe(false);
    expect(r.hasChanges).toBe(false);
    expect(r.renames).toEqual([{ before: 'KubeArmorPolicy/ns/a', after: 'KubeArmorPolicy/ns/b' }]);
    expect(r.workloads.map((w) => [w.workload, w.change, w.notes.length])).toEqual([['pods ns {app=a}', DiffChange.UNCHANGED, 1]]);
  });

  test('a source-restricted rule made unrestricted: the concrete access names the source', () => {
    const after = { ...fim, file: { matchPaths: [{ path: '/etc/nginx/nginx.conf', readOnly: true }] } };
    const r = PolicyDiff.compareManifests([policy('a', fim)], [policy('a', after)]);
    const w = r.workloads[0];
    expect(w.protection.map((p) => `${p.change} ${p.rule}`)).toEqual(['ADDED file.matchPaths /etc/nginx/nginx.conf', 'REMOVED file.matchPaths /etc/nginx/nginx.conf fromSource [/bin/sh]']);
    expect(w.accesses.map((a) => a.description)).toContain(
      'WRITE /etc/nginx/nginx.conf by /diff-probe/other-process: permitted, no alert before, denied, Block alert a after [both enforcers, both postures]');
    expect(w.accesses.some((a) => a.process === '/bin/sh')).toBe(false);
  });

  test('severity, tags and message changes are alert changes, shown on the access', () => {
    const r = PolicyDiff.compareManifests([policy('a', fim)], [policy('a', { ...fim, severity: 7 })]);
    const w = r.workloads[0];
    expect(w.protection).toEqual([]);
    expect(w.alerts).toEqual(['file.matchPaths /etc/nginx/nginx.conf fromSource [/bin/sh]: alerts carry severity 7, tags [], message "" (before: severity 3, tags [], message "")']);
    expect(w.accesses.map((a) => a.description)).toContain(
      'WRITE /etc/nginx/nginx.conf by /bin/sh: denied, Block alert a (severity 3) before, denied, Block alert a (severity 7) after [both enforcers, both postures]');
    expect(r.hasChanges).toBe(true);
  });
});
