import { dirCovers, effectivePolicy, inherit, kubeArmorKind, normaliseSpecAction, policyKey } from '../../src/private/effective';

const KSP = (spec: any, metadata: any = { name: 'p', namespace: 'shop' }) => ({ apiVersion: 'security.kubearmor.com/v1', kind: 'KubeArmorPolicy', metadata, spec });

describe('effective policy (KubeArmor core/kubeUpdate.go inheritance)', () => {
  test('rule tags replace the section\'s and the spec\'s; an Audit section decides its rules', () => {
    const p = effectivePolicy(KSP({
      action: 'Block',
      tags: ['PCI_DSS_11.5.2'],
      severity: 5,
      file: { action: 'Audit', matchDirectories: [{ dir: '/srv/', recursive: true, tags: ['MY_TAG'] }] },
    }))!;
    expect(p.rules).toHaveLength(1);
    expect(p.rules[0]).toMatchObject({
      pointer: '/spec/file/matchDirectories/0',
      action: 'Audit',
      severity: 5,
      tags: ['MY_TAG'],
      message: '',
      decidedBy: { action: 'section', severity: 'spec', tags: 'explicit', message: 'default' },
    });
    expect(p.specAction).toBe('Block');
  });

  test('zero values inherit: severity 0, empty tags, empty message, empty action', () => {
    expect(inherit({ severity: 0, tags: [], message: '', action: '' }, { severity: 3 }, { tags: ['A'], message: 'm', action: 'audit' }, false)).toEqual({
      action: 'Audit',
      severity: 3,
      tags: ['A'],
      message: 'm',
      decidedBy: { action: 'spec', severity: 'section', tags: 'spec', message: 'spec' },
    });
  });

  test('no action anywhere is KubeArmor\'s default Block; syscall rules always audit', () => {
    const p = effectivePolicy(KSP({ file: { matchPaths: [{ path: '/etc/passwd' }] }, syscalls: { matchSyscalls: [{ syscall: ['unlink'] }] } }))!;
    expect(p.rules.map((r) => [r.list.id, r.action, r.decidedBy.action])).toEqual([
      ['file.matchPaths', 'Block', 'default'],
      ['syscalls.matchSyscalls', 'Audit', 'syscall-audit'],
    ]);
  });

  test('only the spec action is normalised from lowercase', () => {
    expect(normaliseSpecAction('audit')).toBe('Audit');
    expect(normaliseSpecAction(undefined)).toBe('Block');
    expect(inherit({}, { action: 'audit' }, {}, false).action).toBe('audit');
  });

  test('recognition: strict for enforcement and lints, claimed for import and the lint CLI', () => {
    expect(kubeArmorKind(KSP({}))).toBe('KubeArmorPolicy');
    expect(kubeArmorKind({ apiVersion: 'v1', kind: 'KubeArmorPolicy' })).toBeUndefined();
    expect(kubeArmorKind({ apiVersion: 'v1', kind: 'kubearmorpolicy' }, 'claimed')).toBe('KubeArmorPolicy');
    expect(kubeArmorKind({ apiVersion: 'security.kubearmor.com/v1', kind: 'Other' }, 'claimed')).toBe('KubeArmorPolicy');
    expect(kubeArmorKind({ apiVersion: 'apps/v1', kind: 'Deployment' }, 'claimed')).toBeUndefined();
    expect(effectivePolicy({ apiVersion: 'apps/v1', kind: 'Deployment' })).toBeUndefined();
  });

  test('identity: the namespace counts for KubeArmorPolicy only, unset means default', () => {
    expect(policyKey('KubeArmorPolicy', undefined, 'a')).toBe(policyKey('KubeArmorPolicy', 'default', 'a'));
    expect(policyKey('KubeArmorHostPolicy', 'x', 'a')).toBe(policyKey('KubeArmorHostPolicy', undefined, 'a'));
    expect(effectivePolicy(KSP({}, { name: 'n' }))!.key).toBe('KubeArmorPolicy/default/n');
  });

  test('a directory rule covers its direct children, or everything below when recursive', () => {
    expect(dirCovers('/etc/', false, '/etc/passwd')).toBe(true);
    expect(dirCovers('/etc/', false, '/etc/ssl/cert.pem')).toBe(false);
    expect(dirCovers('/etc/', true, '/etc/ssl/cert.pem')).toBe(true);
    expect(dirCovers('/etc/', false, '/etc/ssl/')).toBe(true);
    expect(dirCovers('/etc/', true, '/etcd/x')).toBe(false);
  });
});
