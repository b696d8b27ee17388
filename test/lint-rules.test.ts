import { buildContext } from '../src/private/lint-context';
import { LINT_TABLE } from '../src/private/lint-rules';
import { lintManifests } from '../src/private/lints';

const KSP = (name: string, spec: any, namespace: string | null = 'shop') => ({
  apiVersion: 'security.kubearmor.com/v1', kind: 'KubeArmorPolicy', metadata: namespace === null ? { name } : { name, namespace }, spec,
});
const SEL = { matchLabels: { app: 'web' } };
const WEB = [{ name: 'Deployment/shop/web', namespace: 'shop', labels: { app: 'web' }, containers: ['web'] }];
const DIR = (dir: string, extra: any = {}) => ({ dir, recursive: true, readOnly: true, ...extra });

/** Per rule: manifests (and workloads) that trigger it, and the pointer and message start expected. */
const CASES: Record<string, { manifests: any[]; workloads?: any[]; expected: Array<[number, string, string]> }> = {
  KA001: { manifests: [KSP('p', { severity: 5, selector: { matchLabels: { app: 'api' } }, file: { matchDirectories: [DIR('/bin/'), DIR('/usr/bin/')] } })], workloads: WEB, expected: [[0, '/spec/selector', 'KubeArmorPolicy/shop/p selects no workload']] },
  KA002: { manifests: [KSP('p', { severity: 5, selector: SEL, action: 'Allow', file: { matchPaths: [{ path: '/app/run' }] } })], expected: [[0, '/spec/file/matchPaths/0', 'file.matchPaths /app/run (action=Allow) makes every pod']] },
  KA003: { manifests: [KSP('p', { severity: 5, selector: SEL, file: { matchPaths: [{ path: '/a' }] } }, 'kube-system')], expected: [[0, '/metadata/namespace', "KubeArmorPolicy/kube-system/p is in untracked namespace 'kube-system'"]] },
  KA004: { manifests: [KSP('p', { severity: 5, selector: SEL, file: { matchDirectories: [DIR('/bin/')] } })], expected: [[0, '/spec/file/matchDirectories/0', 'KubeArmorPolicy/shop/p protects /bin/ but not /usr/bin/']] },
  KA005: {
    manifests: [KSP('a', { severity: 5, selector: SEL, file: { matchPaths: [{ path: '/x', readOnly: true }] } }), KSP('b', { severity: 5, selector: SEL, file: { matchPaths: [{ path: '/x' }] } })],
    expected: [[1, '/spec/file/matchPaths/0', 'file.matchPaths /x (action=Block) in KubeArmorPolicy/shop/b conflicts with']],
  },
  KA006: { manifests: [KSP('p', { severity: 5, selector: SEL, action: 'Audit', file: { matchPaths: [{ path: '/x', readOnly: true }] } })], expected: [[0, '/spec/file/matchPaths/0', 'file.matchPaths /x (action=Audit, readOnly=true) in KubeArmorPolicy/shop/p alerts on writes']] },
  KA007: { manifests: [KSP('p', { severity: 5, selector: SEL, file: { matchPatterns: [{ pattern: '/tmp/*' }] } })], expected: [[0, '/spec/file/matchPatterns/0', 'file.matchPatterns /tmp/* (action=Block) in KubeArmorPolicy/shop/p is not enforced by BPF-LSM']] },
  KA008: {
    manifests: [KSP('p', { severity: 5, selector: { matchExpressions: [{ key: 'label', operator: 'In', values: ['a=b'] }, { key: 'label', operator: 'NotIn', values: ['c=d'] }] }, file: { matchPaths: [{ path: '/x' }] } })],
    expected: [[0, '/spec/selector/matchExpressions', 'KubeArmorPolicy/shop/p mixes In and NotIn']],
  },
  KA009: { manifests: [KSP('p', { selector: SEL, file: { matchPaths: [{ path: '/x' }] } })], expected: [[0, '/spec/file/matchPaths/0', 'file.matchPaths /x (action=Block) in KubeArmorPolicy/shop/p has no severity']] },
  KA010: { manifests: [KSP('p', { severity: 5, selector: SEL, apparmor: 'deny /x w,' })], expected: [[0, '/spec/apparmor', 'KubeArmorPolicy/shop/p has spec.apparmor']] },
  KA011: {
    manifests: [KSP('same', { severity: 5, selector: SEL, file: { matchPaths: [{ path: '/x' }] } }), { apiVersion: 'security.kubearmor.com/v1', kind: 'KubeArmorClusterPolicy', metadata: { name: 'same' }, spec: { severity: 5, selector: {}, file: { matchPaths: [{ path: '/y' }] } } }],
    expected: [[1, '/metadata/name', 'KubeArmorClusterPolicy/same has the same name as KubeArmorPolicy/shop/same']],
  },
  KA012: { manifests: [KSP('p', { severity: 5, selector: SEL, file: { matchDirectories: [{ dir: '/etc/', readOnly: true }] } })], expected: [[0, '/spec/file/matchDirectories/0', 'file.matchDirectories /etc/ (action=Block, readOnly=true) in KubeArmorPolicy/shop/p covers only direct children']] },
  KA013: {
    manifests: [KSP('p', { severity: 5, selector: SEL, file: { matchDirectories: [DIR('/etc/')], matchPaths: [{ path: '/etc/app.conf', action: 'Allow', fromSource: [{ path: '/usr/bin/app' }] }] } })],
    expected: [[0, '/spec/file/matchPaths/0', 'file.matchPaths /etc/app.conf (action=Allow) from /usr/bin/app in KubeArmorPolicy/shop/p tries to except a source']],
  },
  KA014: {
    manifests: [KSP('p', { severity: 5, selector: SEL, file: { matchPaths: [{ path: '/x' }] } }), KSP('p', { severity: 5, selector: SEL, file: { matchPaths: [{ path: '/y' }] } })],
    expected: [[1, '/metadata/name', 'KubeArmorPolicy/shop/p is defined twice']],
  },
  KA015: {
    manifests: [KSP('a', { severity: 5, selector: SEL, file: { matchPaths: [{ path: '/x' }] } }), KSP('b', { severity: 5, selector: SEL, file: { matchPaths: [{ path: '/x' }] } })],
    expected: [[1, '/spec/file/matchPaths/0', 'file.matchPaths /x (action=Block) in KubeArmorPolicy/shop/b repeats KubeArmorPolicy/shop/a']],
  },
  KA016: { manifests: [KSP('p', { severity: 5, selector: SEL, file: { matchPaths: [{ path: '/x' }] } }, null)], expected: [[0, '/metadata', 'KubeArmorPolicy/p has no namespace']] },
  KA020: {
    manifests: [KSP('a', { severity: 5, selector: SEL, file: { matchDirectories: [{ dir: '/etc/', recursive: true }] } }), KSP('b', { severity: 5, selector: SEL, file: { matchPaths: [{ path: '/etc/hosts', action: 'Allow' }] } })],
    expected: [[1, '/spec/file/matchPaths/0', 'file.matchPaths /etc/hosts (action=Allow) in KubeArmorPolicy/shop/b and file.matchDirectories /etc/ (action=Block, recursive=true) in KubeArmorPolicy/shop/a resolve differently per enforcer']],
  },
  KA021: { manifests: [KSP('p', { severity: 5, selector: SEL, process: { matchPaths: [{ path: '/bin/nc' }] } })], expected: [[0, '/spec/process/matchPaths/0', 'process.matchPaths /bin/nc (action=Block) in KubeArmorPolicy/shop/p has no twin rule for /usr/bin/nc']] },
  KA022: { manifests: [KSP('p', { severity: 5, selector: SEL, file: { matchPaths: Array.from({ length: 257 }, (_, k) => ({ path: `/d/${k}` })) } })], expected: [[0, '/spec', 'the pods selected by KubeArmorPolicy/shop/p need 257 BPF-LSM rule keys']] },
  KA023: { manifests: [KSP('p', { severity: 5, selector: SEL, file: { matchDirectories: [DIR(`/${'a'.repeat(64)}/`)] } })], expected: [[0, '/spec/file/matchDirectories/0', `file.matchDirectories /${'a'.repeat(64)}/ (action=Block, readOnly=true, recursive=true) in KubeArmorPolicy/shop/p: /${'a'.repeat(64)}/ is 66 bytes long`]] },
  KA024: { manifests: [KSP('p', { severity: 5, selector: SEL, file: { matchPaths: [{ path: '/a'.repeat(21) }] } })], expected: [[0, '/spec/file/matchPaths/0', `file.matchPaths ${'/a'.repeat(21)} (action=Block) in KubeArmorPolicy/shop/p: the path ${'/a'.repeat(21)} has 21 components`]] },
  KA025: { manifests: [KSP('p', { severity: 5, selector: SEL, file: { matchPaths: [{ path: '/data/x', ownerOnly: true }] } })], expected: [[0, '/spec/file/matchPaths/0', 'file.matchPaths /data/x (action=Block, ownerOnly=true) in KubeArmorPolicy/shop/p is enforced differently by AppArmor and BPF-LSM']] },
  KA040: {
    // p: every protected path on the read-only root filesystem; q: /var/www/ has a writable mount below it; r: an all-access rule (reads reach the LSM).
    manifests: [
      KSP('p', { severity: 5, selector: SEL, file: { matchDirectories: [DIR('/bin/'), DIR('/usr/bin/')], matchPaths: [{ path: '/etc/passwd', readOnly: true }] } }),
      KSP('q', { severity: 5, selector: SEL, file: { matchDirectories: [DIR('/bin/'), DIR('/var/www/')] } }),
      KSP('r', { severity: 5, selector: SEL, file: { matchPaths: [{ path: '/etc/shadow' }] } }),
    ],
    workloads: [{ ...WEB[0], filesystems: [{ name: 'web', readOnlyRootFilesystem: true, writableMounts: ['/var/www/html', '/tmp'] }] }],
    expected: [[0, '/spec/file', 'every path the 3 read-only file rules of KubeArmorPolicy/shop/p protect is on the read-only root filesystem of Deployment/shop/web']],
  },
  KA041: {
    manifests: [KSP('p', { severity: 5, selector: SEL, file: { matchPaths: [{ path: '/etc/*.conf' }, { path: '/etc/hosts', fromSource: [{ path: '/usr/bin/ap?' }] }] } })],
    expected: [
      [0, '/spec/file/matchPaths/0/path', 'file.matchPaths /etc/*.conf (action=Block) in KubeArmorPolicy/shop/p: path "/etc/*.conf" contains glob characters'],
      [0, '/spec/file/matchPaths/1/fromSource/0/path', 'file.matchPaths /etc/hosts (action=Block) in KubeArmorPolicy/shop/p: fromSource.0.path "/usr/bin/ap?" contains glob characters'],
    ],
  },
  KA042: {
    manifests: [KSP('p', { severity: 5, selector: SEL, file: { matchPatterns: [{ pattern: '**/*.log' }, { pattern: '/tmp/**' }] } })],
    expected: [[0, '/spec/file/matchPatterns/0/pattern', 'file.matchPatterns **/*.log (action=Block) in KubeArmorPolicy/shop/p: pattern "**/*.log" must be absolute; use \'/**/*.log\'']],
  },
  KA043: {
    manifests: [KSP('p', { severity: 5, selector: SEL, presets: [{ name: 'filelessExec' }, { name: 'filelessExec' }], file: { matchPaths: [{ path: '/x' }, { path: '/y' }, { path: '/x' }] } })],
    expected: [[0, '/spec/file/matchPaths/2', 'file.matchPaths rule 2 of KubeArmorPolicy/shop/p repeats rule 0 exactly'], [0, '/spec/presets/1', 'preset 1 of KubeArmorPolicy/shop/p repeats preset 0 exactly']],
  },
  KA044: {
    manifests: [KSP('p', { severity: 5, selector: SEL, tags: ['A', 'B', 'A'], file: { tags: ['C', 'C'], matchPaths: [{ path: '/x', tags: ['D', 'E', 'D'] }] } })],
    expected: [
      [0, '/spec/tags/2', 'spec.tags of KubeArmorPolicy/shop/p repeats tag 0 "A"'],
      [0, '/spec/file/tags/1', 'spec.file.tags of KubeArmorPolicy/shop/p repeats tag 0 "C"'],
      [0, '/spec/file/matchPaths/0/tags/2', 'spec.file.matchPaths.0.tags of KubeArmorPolicy/shop/p repeats tag 0 "D"'],
    ],
  },
  KA045: {
    manifests: [KSP('p', { severity: 5, selector: SEL, file: { matchDirectories: [DIR('//usr/bin/'), DIR('/usr/lib/')] } })],
    expected: [[0, '/spec/file/matchDirectories/0/dir', 'file.matchDirectories //usr/bin/ (action=Block, readOnly=true, recursive=true) in KubeArmorPolicy/shop/p: dir "//usr/bin/" is not canonical']],
  },
  KA030: { manifests: [KSP('p', { severity: 5, selector: { matchLabels: { 'kubearmor.io/container.name': '[web]' } }, file: { matchPaths: [{ path: '/x' }] } })], expected: [[0, '/spec/selector', 'KubeArmorPolicy/shop/p selects by kubearmor.io/container.name only: it applies to every pod in namespace shop (containers web)']] },
  KA031: { manifests: [KSP('p', { severity: 5, selector: SEL, action: 'Block', syscalls: { matchSyscalls: [{ syscall: ['unlink'] }] } })], expected: [[0, '/spec/syscalls/matchSyscalls/0', 'KubeArmorPolicy/shop/p has action Block, but its 1 syscall rule(s) only audit']] },
  KA032: {
    manifests: [KSP('p', { severity: 5, selector: SEL, file: { matchPaths: [{ path: '/x' }] } })],
    workloads: [{ ...WEB[0], annotations: { 'kubearmor-policy': 'disabled' } }],
    expected: [[0, '/spec/selector', 'KubeArmorPolicy/shop/p selects Deployment/shop/web (annotated kubearmor-policy: disabled): KubeArmor neither enforces nor alerts']],
  },
  KA033: {
    manifests: [KSP('p', { severity: 5, selector: SEL, file: { matchPaths: [{ path: '/x', action: 'Audit' }, { path: '/y' }] } })],
    workloads: [{ ...WEB[0], annotations: { 'kubearmor-policy': 'audited' } }],
    expected: [[0, '/spec/file/matchPaths/1', 'KubeArmorPolicy/shop/p has Block rules, but selects Deployment/shop/web (annotated kubearmor-policy: audited): KubeArmor only audits there']],
  },
  KA034: { manifests: [KSP('p', { severity: 5, selector: SEL, file: { matchPatterns: [{ pattern: '/tmp/*.sh' }, { pattern: '/tmp/**' }] } })], expected: [[0, '/spec/file/matchPatterns/1', 'pattern /tmp/** in KubeArmorPolicy/shop/p is not a Go regular expression (invalid nested repetition operator: `**`)']] },
};

describe('lint rules table', () => {
  test('every rule of the table has a case here, and the IDs are unique and in order', () => {
    const ids = LINT_TABLE.map((r) => r.id);
    expect(ids).toEqual(Object.keys(CASES).sort());
    expect(new Set(ids).size).toBe(ids.length);
  });

  for (const rule of LINT_TABLE) {
    test(`${rule.id} ${rule.name}: its check alone finds exactly the case`, () => {
      const c = CASES[rule.id];
      const found = rule.check(buildContext(c.manifests, { workloads: c.workloads }));
      expect(found.map((f) => [f.manifest, f.jsonPath])).toEqual(c.expected.map(([m, p]) => [m, p]));
      found.forEach((f, i) => expect(f.message.startsWith(c.expected[i][2])).toBe(true));
    });
  }

  test('a rule that throws is reported as its own finding and the other rules still run', () => {
    const manifests = CASES.KA009.manifests;
    const broken = { ...LINT_TABLE[0], check: () => { throw new Error('boom'); } };
    const found = lintManifests(manifests, {}, [broken, LINT_TABLE.find((r) => r.id === 'KA009')!]);
    expect(found.map((f) => [f.id, f.severity, f.message])).toEqual([
      ['KA001', 'error', 'lint KA001 selector-matches-no-workload could not run (boom); the other lints ran'],
      ['KA009', 'warning', expect.stringContaining('has no severity')],
    ]);
  });
});

describe('the stricter-than-CRD rows share one validation per rule', () => {
  test('a rule with a glob, a relative pattern and a non-canonical path is reported by each row, once, with its own field', () => {
    const m = KSP('p', {
      severity: 5,
      selector: SEL,
      file: { matchPaths: [{ path: '//etc/*.conf' }], matchPatterns: [{ pattern: 'x/**' }] },
      process: { matchDirectories: [{ dir: '/opt//bin/', fromSource: [{ path: '/usr/bin/ap?' }] }] },
    });
    const ids = new Set(['KA041', 'KA042', 'KA045']);
    const found = (rows: typeof LINT_TABLE) => lintManifests([m, m], {}, rows).filter((f) => ids.has(f.id)).map((f) => [f.manifest, f.id, f.jsonPaths.join(' ')]);
    const together = found(LINT_TABLE);
    const alone = LINT_TABLE.filter((r) => ids.has(r.id)).flatMap((r) => found([r]));
    expect(together.map((f) => f.join('|')).sort()).toEqual(alone.map((f) => f.join('|')).sort());
    expect(new Set(together.map((f) => f[1]))).toEqual(ids);
    expect(together.filter((f) => f[0] === 0)).toEqual(together.filter((f) => f[0] === 1).map(([, id, p]) => [0, id, p]));
  });
});
