import { App, Chart, Testing, Yaml } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { expectConformant, isKubeArmorObject } from './conformance/harness';
import { SEED_DIRECTORIES, SEED_MESSAGE, SEED_TAGS, seedPolicy } from './fixtures/seed';
import {
  Capability, NetworkProtocol, PolicyAction, PolicyKind, PolicyPreset, PolicySection, PolicyTarget, SecurityPolicy, Syscall,
} from './util/model';
import { newChart, synthOne } from './util/policies';
import { PolicyLint } from '../src/lint';

describe('the seed FIM policy', () => {
  function seedChart(): Chart {
    const chart = new Chart(new App(), 'wordpress', { namespace: 'wordpress-mysql' });
    const mysql = new kplus.Deployment(chart, 'mysql', { select: false, containers: [{ image: 'mysql:5.6' }] });
    mysql.podMetadata.addLabel('app', 'mysql');
    mysql.select(kplus.LabelSelector.of({ labels: { app: 'mysql' } }));
    new SecurityPolicy(chart, 'fim', {
      target: PolicyTarget.workload(mysql),
      policyName: 'harden-mysql-file-integrity-monitoring',
      action: PolicyAction.BLOCK,
      severity: 1,
      tags: SEED_TAGS,
      message: SEED_MESSAGE,
      fileDirectories: SEED_DIRECTORIES.map((dir) => ({ dir, readOnly: true, recursive: true })),
    });
    return chart;
  }

  test('is reproduced field for field (matchDirectories compared order-insensitively: the library sorts rules)', () => {
    const obj = synthOne(seedChart());
    const seed = seedPolicy();
    const byDir = (a: any, b: any) => a.dir.localeCompare(b.dir);
    expect([...obj.spec.file.matchDirectories].sort(byDir)).toEqual([...seed.spec.file.matchDirectories].sort(byDir));
    // Everything else exactly, including the order of tags.
    const { matchDirectories: _a, ...fileRest } = obj.spec.file;
    const { matchDirectories: _b, ...seedFileRest } = seed.spec.file;
    expect(fileRest).toEqual(seedFileRest);
    expect({ ...obj, spec: { ...obj.spec, file: undefined } }).toEqual({ ...seed, spec: { ...seed.spec, file: undefined } });
    expect(obj.spec.tags).toEqual(SEED_TAGS);
    expectConformant(obj);
  });

  test('renders its directories sorted', () => {
    expect(synthOne(seedChart()).spec.file.matchDirectories.map((r: any) => r.dir))
      .toEqual(['/bin/', '/boot/', '/sbin/', '/usr/bin/', '/usr/lib/', '/usr/sbin/']);
  });

  test('minimal snapshot', () => {
    expect(Testing.synth(seedChart()).filter(isKubeArmorObject)).toMatchSnapshot();
  });
});

describe('output', () => {
  function build(order: number[]): string {
    const chart = newChart('shop');
    const p = new SecurityPolicy(chart, 'policy', { target: PolicyTarget.podLabels({ app: 'web' }), policyName: 'web-hardening', severity: 5 });
    const steps: Array<() => void> = [
      () => p.addFileDirectory('/usr/bin/', { readOnly: true, recursive: true }),
      () => p.addFileDirectory('/etc/', { readOnly: true }),
      () => p.addFilePath('/etc/shadow', { fromSource: ['/usr/sbin/b', '/usr/sbin/a'] }),
      () => p.addFilePath('/etc/passwd', { readOnly: true }),
      () => p.addFilePattern('/tmp/**'),
      () => p.addProcessPath('/usr/bin/curl', { action: PolicyAction.BLOCK }),
      () => p.addProcessExecname('apt'),
      () => p.addProcessDirectory('/tmp/', { recursive: true }),
      () => p.addNetworkProtocol(NetworkProtocol.RAW),
      () => p.addNetworkProtocol(NetworkProtocol.ICMP),
      () => p.addDnsQuery('example.com'),
      () => p.addCapability(Capability.NET_RAW),
      () => p.addCapability(Capability.SYS_ADMIN),
      () => p.addSyscalls([Syscall.UNLINKAT, Syscall.UNLINK]),
      () => p.addSyscallPath('/etc/', { recursive: true }),
      () => p.addPreset(PolicyPreset.PROTECT_ENV),
      () => p.addPreset(PolicyPreset.FILELESS_EXEC),
    ];
    for (const i of order) steps[i]();
    return Yaml.stringify(...Testing.synth(chart));
  }

  test('the same rules added in different orders give byte-identical YAML', () => {
    const forward = Array.from({ length: 17 }, (_, i) => i);
    const yaml = build(forward);
    expect(build([...forward].reverse())).toBe(yaml);
    expect(build([3, 16, 0, 9, 14, 1, 11, 5, 2, 13, 7, 4, 15, 6, 10, 12, 8])).toBe(yaml);
  });

  test('synthesising twice gives the same YAML (rendering has no side effects)', () => {
    const app = new App();
    const chart = new Chart(app, 'test', { namespace: 'shop' });
    new SecurityPolicy(chart, 'p', { target: PolicyTarget.namespace(), fileDirectories: [{ dir: '/usr/bin/' }] });
    expect(app.synthYaml()).toBe(app.synthYaml());
  });

  test('duplicate rules, fromSource entries, tags and syscalls are removed', () => {
    const chart = newChart('shop');
    const p = new SecurityPolicy(chart, 'policy', { target: PolicyTarget.namespace(), tags: ['A', 'B', 'A'] });
    p.addTags(['B', 'C']);
    p.addFileDirectory('/etc/', { readOnly: true, fromSource: ['/bin/a', '/bin/a'], tags: ['X', 'X'] });
    p.addFileDirectory('/etc/', { readOnly: true, fromSource: ['/bin/a'], tags: ['X'] });
    p.addSyscalls([Syscall.UNLINK, Syscall.UNLINK]);
    p.addSyscalls([Syscall.UNLINK]);
    const spec = synthOne(chart).spec;
    expect(spec.tags).toEqual(['A', 'B', 'C']);
    expect(spec.file.matchDirectories).toEqual([{ dir: '/etc/', readOnly: true, fromSource: [{ path: '/bin/a' }], tags: ['X'] }]);
    expect(spec.syscalls.matchSyscalls).toEqual([{ syscall: ['unlink'] }]);
    expect(p.tags).toEqual(['A', 'B', 'C']);
  });

  test('rules that differ in one flag are both kept', () => {
    const chart = newChart('shop');
    const p = new SecurityPolicy(chart, 'policy', { target: PolicyTarget.namespace() });
    p.addFileDirectory('/etc/', { readOnly: true });
    p.addFileDirectory('/etc/', { readOnly: true, recursive: true });
    // Conflicts inside one policy are reported whatever it selects (KA005).
    PolicyLint.acknowledge(p, 'KA005', 'this test shows that both rules are emitted');
    expect(synthOne(chart).spec.file.matchDirectories).toEqual([{ dir: '/etc/', readOnly: true, recursive: true }, { dir: '/etc/', readOnly: true }]);
  });

  test('only fields that were set are emitted', () => {
    const chart = newChart('shop');
    new SecurityPolicy(chart, 'policy', { target: PolicyTarget.namespace(), policyName: 'minimal', fileDirectories: [{ dir: '/usr/bin/' }] });
    expect(synthOne(chart)).toEqual({
      apiVersion: 'security.kubearmor.com/v1',
      kind: 'KubeArmorPolicy',
      // PolicyTarget.namespace() acknowledges KA030 (whole namespace); the annotation carries it to the CLI and plugin.
      metadata: { name: 'minimal', namespace: 'shop', annotations: { 'lint.cdk8s-kubearmor.io/acknowledge.KA030': 'PolicyTarget.namespace(): every pod of the namespace is meant' } },
      spec: { file: { matchDirectories: [{ dir: '/usr/bin/' }] } },
    });
  });

  test('false flags are emitted when set explicitly', () => {
    const chart = newChart('shop');
    new SecurityPolicy(chart, 'policy', { target: PolicyTarget.namespace(), fileDirectories: [{ dir: '/usr/bin/', recursive: false, readOnly: false }] });
    expect(synthOne(chart).spec.file.matchDirectories).toEqual([{ dir: '/usr/bin/', recursive: false, readOnly: false }]);
  });

  test('rules added after construction are rendered (rendering is lazy)', () => {
    const chart = newChart('shop');
    const p = new SecurityPolicy(chart, 'policy', { target: PolicyTarget.namespace() });
    p.configureSection(PolicySection.FILE, { severity: 3 });
    p.addFilePath('/etc/passwd');
    p.configureSection(PolicySection.FILE, { message: 'm' });
    expect(synthOne(chart).spec.file).toEqual({ severity: 3, message: 'm', matchPaths: [{ path: '/etc/passwd' }] });
  });

  test('the default policy name is a DNS-1123 name derived from the construct path, even from ids with _ and .', () => {
    const plain = newChart('shop', 'shop');
    expect(new SecurityPolicy(plain, 'fim', { target: PolicyTarget.namespace(), fileDirectories: [{ dir: '/usr/bin/' }] }).policyName)
      .toMatch(/^shop-fim-[0-9a-f]{8}$/);
    const dotted = newChart('shop', 'v1.2');
    expect(new SecurityPolicy(dotted, '_fim.', { target: PolicyTarget.namespace(), fileDirectories: [{ dir: '/usr/bin/' }] }).policyName)
      .toMatch(/^v1-2--fim--[0-9a-f]{8}$/);
    const chart = newChart('shop', 'Shop_Chart');
    const p = new SecurityPolicy(chart, 'FIM_Policy', { target: PolicyTarget.namespace(), fileDirectories: [{ dir: '/usr/bin/' }] });
    expect(p.policyName).toMatch(/^shop-chart-fim-policy-[0-9a-f]{8}$/);
    expect(synthOne(chart).metadata.name).toBe(p.policyName);
  });

  test('getters return copies of the rules in output order', () => {
    const chart = newChart('shop');
    const p = new SecurityPolicy(chart, 'policy', { target: PolicyTarget.namespace(), action: PolicyAction.AUDIT, severity: 2, message: 'm' });
    p.addFileDirectory('/usr/', { recursive: true });
    p.addFileDirectory('/etc/', { fromSource: ['/bin/sh'] });
    expect(p.fileDirectories).toEqual([{ dir: '/etc/', fromSource: ['/bin/sh'] }, { dir: '/usr/', recursive: true }]);
    (p.fileDirectories as any[]).pop();
    expect(p.fileDirectories).toHaveLength(2);
    expect([p.action, p.severity, p.message, p.kind]).toEqual([PolicyAction.AUDIT, 2, 'm', PolicyKind.KUBE_ARMOR_POLICY]);
  });
});

describe('policies without rules', () => {
  test('fails at synth when a policy has no rule at all', () => {
    const chart = newChart('shop');
    new SecurityPolicy(chart, 'policy', { target: PolicyTarget.namespace(), policyName: 'empty', action: PolicyAction.BLOCK, severity: 1 });
    expect(() => Testing.synth(chart)).toThrow(new Error('Validation failed with the following errors:\n  [test/policy] policy \'empty\' has no rules; '
      + 'add at least one (e.g. addFileDirectory(\'/usr/bin/\', { readOnly: true, recursive: true })) or remove the policy'));
  });

  test('fails at app.synth() too', () => {
    const app = new App();
    const chart = new Chart(app, 'test', { namespace: 'shop' });
    new SecurityPolicy(chart, 'policy', { target: PolicyTarget.nodes({ role: 'worker' }), policyName: 'empty' });
    expect(() => app.synth()).toThrow('[test/policy] policy \'empty\' has no rules');
  });

  test('section defaults alone are not rules', () => {
    const chart = newChart('shop');
    new SecurityPolicy(chart, 'policy', { target: PolicyTarget.namespace(), policyName: 'empty', sections: [{ section: PolicySection.FILE, severity: 2 }] });
    expect(() => Testing.synth(chart)).toThrow('policy \'empty\' has no rules');
  });

  test('a policy with only raw AppArmor rules or only a preset is accepted', () => {
    const chart = newChart('shop');
    new SecurityPolicy(chart, 'a', { target: PolicyTarget.namespace(), policyName: 'a', appArmor: 'deny /tmp/x w,' });
    new SecurityPolicy(chart, 'b', { target: PolicyTarget.namespace(), policyName: 'b', presets: [{ preset: PolicyPreset.FILELESS_EXEC }] });
    const objs = Testing.synth(chart);
    expect(objs.map((o) => o.spec)).toEqual([{ apparmor: 'deny /tmp/x w,' }, { presets: [{ name: 'filelessExec' }] }]);
    expectConformant(objs);
  });
});
