import { conformanceErrors, expectConformant, loadedKinds } from './harness';
import { seedPolicy } from '../fixtures/seed';


describe('conformance harness', () => {
  test('the seed policy passes', () => {
    expect(conformanceErrors(seedPolicy())).toEqual([]);
    expect(() => expectConformant(seedPolicy())).not.toThrow();
  });

  test('non-KubeArmor objects are ignored', () => {
    expect(conformanceErrors({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' } })).toEqual([]);
  });

  const cases: Array<[string, (p: any) => void, string]> = [
    ['a dir without trailing /', (p) => { p.spec.file.matchDirectories[0].dir = '/sbin'; },
      'KubeArmorPolicy/harden-mysql-file-integrity-monitoring: /spec/file/matchDirectories/0/dir must match pattern "^\\\\/$|^\\\\/.*\\\\/$"'],
    ['a relative path', (p) => { p.spec.file.matchPaths = [{ path: 'etc/passwd' }]; },
      '/spec/file/matchPaths/0/path must match pattern "^\\\\/+.*[^\\\\/]$"'],
    ['a path ending in /', (p) => { p.spec.file.matchPaths = [{ path: '/etc/' }]; },
      '/spec/file/matchPaths/0/path must match pattern'],
    ['severity 11', (p) => { p.spec.severity = 11; }, '/spec/severity must be <= 10'],
    ['action: block (lowercase)', (p) => { p.spec.action = 'block'; }, '/spec/action must be one of ["Allow","Audit","Block"]'],
    ['an unknown field matchPathss', (p) => { p.spec.file.matchPathss = [{ path: '/etc/passwd' }]; },
      '/spec/file/matchPathss is not declared by the CRD (the apiserver would silently prune it)'],
    ['an unknown top-level field', (p) => { p.spce = {}; }, '/spce is not declared by the CRD'],
    ['a path over 200 characters', (p) => { p.spec.file.matchPaths = [{ path: '/' + 'a'.repeat(200) }]; },
      '/spec/file/matchPaths/0/path must NOT have more than 200 characters'],
    ['an invalid name', (p) => { p.metadata.name = 'Harden_MySQL'; }, '/metadata/name "Harden_MySQL" is not a DNS-1123 subdomain'],
  ];
  test.each(cases)('fails on %s, naming the JSON path', (_name, mutate, expected) => {
    const p = seedPolicy();
    mutate(p);
    const errors = conformanceErrors(p);
    expect(errors.join('\n')).toContain(expected);
    expect(() => expectConformant(p)).toThrow(expected.replace(/^.*?: /, ''));
  });

  test('fails on a host policy without nodeSelector', () => {
    const p = seedPolicy();
    p.kind = 'KubeArmorHostPolicy';
    delete p.metadata.namespace;
    delete p.spec.selector;
    expect(conformanceErrors(p)).toEqual([
      'KubeArmorHostPolicy/harden-mysql-file-integrity-monitoring: /spec/nodeSelector is required',
    ]);
  });

  test('fails on a cluster-scoped object carrying a namespace', () => {
    const p = seedPolicy();
    p.kind = 'KubeArmorClusterPolicy';
    delete p.spec.selector;
    expect(conformanceErrors(p)).toEqual([
      'KubeArmorClusterPolicy/harden-mysql-file-integrity-monitoring: /metadata/namespace must not be set: KubeArmorClusterPolicy is cluster-scoped',
    ]);
  });

  test('fails on matchLabels in a cluster policy (not in its schema)', () => {
    const p = seedPolicy();
    p.kind = 'KubeArmorClusterPolicy';
    delete p.metadata.namespace;
    expect(conformanceErrors(p).join('\n')).toContain('/spec/selector/matchLabels is not declared by the CRD');
  });
});

test('the vendored CRDs load, one per KubeArmor kind', () => {
  expect(loadedKinds()).toEqual(['KubeArmorClusterPolicy', 'KubeArmorHostPolicy', 'KubeArmorPolicy']);
});
